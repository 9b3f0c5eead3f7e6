/**
 * `git provenance setup <agent>… [--project|--user] [--dry-run] [--remove] [--command LAUNCHER]`
 * Merges our hook into each agent's own configuration file, leaving everything else in it as
 * it was; `--remove` takes exactly our entries out again.
 */
import { existsSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AgentId } from '../../core/agents/agentPayloads';
import { agentIds, isAgentId } from '../../core/agents/agentPayloads';
import type { SetupScope } from '../../core/agents/agentSetup';
import { addOurHooks, ConfigShapeError, configDiff, configLocation, detectIndent, formatConfig, frontCommand, hookCommand, removeOurHooks, shellQuote } from '../../core/agents/agentSetup';
import { launcherMarker, launcherPath, launcherScript, portableCommand } from '../../core/agents/agentLauncher';
import { hooksLocation } from '../../git/commands';
import { chooseHookRuntime } from '../../git/hookRuntime';
import { runGit } from '../../git/runner';
import { parseArgs, UsageError } from '../args';
import type { Io } from '../io';
import { openRepo } from '../../node/repo';

/** Usage text of `setup`. */
export const setupUsage = `usage: git provenance setup <agent>... [--project | --user] [--dry-run] [--remove] [--command LAUNCHER] [--node PATH]

Adds the AI Provenance hook to each agent's own configuration, keeping the rest of the file.
  agents        ${agentIds.join(', ')}, or all
  --project     the repository's config (default): .claude/settings.json, .codex/hooks.json,
                .gemini/settings.json, .cursor/hooks.json, .github/hooks/ai-provenance.json,
                .kiro/hooks/ai-provenance.json
  --user        the same files under your home folder (Codex: $CODEX_HOME or ~/.codex;
                Copilot: ~/.copilot/hooks/ai-provenance.json)
  --dry-run     print the change as a unified diff and write nothing
  --remove      take our hook out again
  --command L   how agents start the CLI, as \`L hook <agent>\`: Node starts at every call, so
                the agent waits ~100 ms per edit.
                Default with --project: a command with no path of this machine, for files a
                team commits: it runs the launcher setup writes into this clone's git dir
                (.git/${launcherPath}: the shell front beside this cli.js, which returns in
                milliseconds and records in the background), else git-provenance from PATH.
                Default with --user: that shell front by absolute path; on Windows, this node
                and this cli.js.
  --node PATH   the node binary the hooks hand the work to (default: this one; run from an
                editor: Node.js 20+ on PATH, else the editor's own runtime as node)
Running it twice changes nothing the second time.`;

/** Activation caveats worth one line after adding the hook. */
const notes: Partial<Record<AgentId, string>> = {
  codex: 'Codex runs new hooks only after you review them in /hooks.',
  gemini: 'Gemini CLI runs project hooks only in trusted folders (and not with hooksConfig.enabled: false).',
  cursor: 'Cursor runs project hooks in trusted workspaces; restart Cursor if it does not pick them up.',
  copilot: 'Copilot CLI and VS Code (agent hooks, preview) read .github/hooks/*.json.',
};

/**
 * The default hook command: the shell front beside this script, which hands the work to this
 * node binary, all by absolute path since agents often run hooks without your shell's PATH.
 */
function defaultCommand(agent: AgentId, launch: Launch): string {
  // An editor's Electron runs our script as node only with this variable.
  const asNode = launch.electron ? 'ELECTRON_RUN_AS_NODE=1 ' : '';
  const front = frontOf(launch);
  if (front) return asNode + frontCommand(front, launch.node, agent);
  if (launch.cli.endsWith('.js') && existsSync(launch.cli)) return asNode + hookCommand(`${shellQuote(launch.node)} ${shellQuote(launch.cli)}`, agent);
  return hookCommand('git-provenance', agent);
}

/** The shell front beside the CLI script, where the platform can run it. */
function frontOf(launch: Launch): string | undefined {
  const front = path.join(path.dirname(launch.cli), 'agent-hook.sh');
  return process.platform !== 'win32' && launch.cli.endsWith('.js') && existsSync(front) ? front : undefined;
}

/**
 * The command for a project's config, which a team commits: no path of this machine. Windows
 * has no sh to run the launcher, so there it is the CLI from PATH.
 */
function projectCommand(agent: AgentId): string {
  return process.platform === 'win32' ? hookCommand('git-provenance', agent) : portableCommand(agent);
}

/**
 * Writes (or refreshes) this clone's launcher that the portable project command runs; returns
 * its path when it changed. A file there that is not ours is left alone.
 */
async function writeLauncher(cwd: string, launch: Launch): Promise<string | undefined> {
  if (process.platform === 'win32' || !launch.cli.endsWith('.js') || !existsSync(launch.cli)) return undefined;
  const { commonDir } = await runGit(cwd, hooksLocation(cwd));
  const file = path.join(commonDir, ...launcherPath.split('/'));
  const front = frontOf(launch);
  const text = launcherScript({ ...(front ? { front } : {}), cli: launch.cli, node: launch.node, ...(launch.electron ? { electron: true } : {}) });
  const current = await readIfExists(file);
  if (current === text || (current !== undefined && !current.includes(launcherMarker))) return undefined;
  await writeAtomically(file, text);
  return file;
}

/** The CLI script and the node binary agents should run it with. */
export interface Launch {
  /** Absolute path of the CLI script (dist/cli.js or a copy of it, with agent-hook.sh beside it). */
  readonly cli: string;
  /** The node binary, by absolute path or as a name found on PATH. */
  readonly node: string;
  /** `node` is an editor's Electron binary, run as node with ELECTRON_RUN_AS_NODE=1. */
  readonly electron?: boolean;
}

/** This process: the node that runs it and the script it runs. */
function thisLaunch(): Launch {
  return { cli: process.argv[1] ? path.resolve(process.argv[1]) : '', node: process.execPath };
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

async function writeAtomically(file: string, text: string): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, text, 'utf8');
  await fs.rename(tmp, file);
}

/** Runs `setup`. `launch`: what the hook command starts (default: this node and this script). */
export async function setup(argv: readonly string[], io: Io, launch: Launch = thisLaunch()): Promise<number> {
  const args = parseArgs(argv, ['command', 'node'], ['project', 'user', 'dry-run', 'remove', 'help']);
  if (args.flags.has('help')) {
    io.out(setupUsage);
    return 0;
  }
  if (args.flags.has('project') && args.flags.has('user')) throw new UsageError('give --project or --user, not both');
  if (args.positionals.length === 0) throw new UsageError('name at least one agent');
  const agents: AgentId[] = [];
  for (const a of args.positionals) {
    if (a === 'all') agents.push(...agentIds);
    else if (isAgentId(a)) agents.push(a);
    else throw new UsageError(`unknown agent "${a}"; expected one of ${agentIds.join(', ')}, or all`);
  }
  const scope: SetupScope = args.flags.has('user') ? 'user' : 'project';
  const launcher = args.values.get('command')?.trim();
  const node = args.values.get('node')?.trim();
  if (node !== undefined || process.versions.electron) {
    // Under an editor's Electron, or with --node: the same choice as the git hooks' (hookRuntime.ts).
    const runtime = await chooseHookRuntime({ ...(node !== undefined ? { given: node } : {}), pathEnv: process.env.PATH, execPath: launch.node, nodeVersion: process.versions.node, ...(process.versions.electron ? { electron: process.versions.electron } : {}) });
    launch = { ...launch, node: runtime.path || 'node', electron: runtime.electron };
  }
  const dryRun = args.flags.has('dry-run');
  const remove = args.flags.has('remove');
  const home = os.homedir();
  const root = scope === 'project' ? (await openRepo(io.cwd, io.err)).info.root : undefined;
  let code = 0;
  if (scope === 'project' && !launcher && !remove && !dryRun) {
    const written = await writeLauncher(io.cwd, launch);
    if (written) io.out(`wrote ${written}: this machine's way to run the hook, which the project's command finds (not part of the repository)`);
  }
  for (const agent of [...new Set(agents)]) {
    const loc = configLocation(agent, scope);
    const codexHome = process.env.CODEX_HOME && path.isAbsolute(process.env.CODEX_HOME) ? process.env.CODEX_HOME : path.join(home, '.codex');
    const base = loc.base === 'root' ? root! : loc.base === 'codexHome' ? codexHome : home;
    const file = path.join(base, ...loc.path.split('/'));
    const shown = loc.base === 'root' ? loc.path : loc.base === 'home' ? `~/${loc.path}` : path.join(codexHome, loc.path);
    const before = await readIfExists(file);
    let parsed: unknown;
    if (before !== undefined && before.trim().length > 0) {
      try {
        parsed = JSON.parse(before);
      } catch (e) {
        io.err(`git provenance setup: ${shown} is not valid JSON (${(e as Error).message}); fix or move it first. Nothing was changed.`);
        code = 2;
        continue;
      }
    }
    let change;
    try {
      const command = launcher ? hookCommand(launcher, agent) : scope === 'project' ? projectCommand(agent) : defaultCommand(agent, launch);
      change = remove ? removeOurHooks(agent, parsed, loc.ownFile, shown) : addOurHooks(agent, parsed, command, shown);
    } catch (e) {
      if (!(e instanceof ConfigShapeError)) throw e;
      io.err(`git provenance setup: ${e.message}; fix it first. Nothing was changed.`);
      code = 2;
      continue;
    }
    if (!change.changed) {
      io.out(remove ? `${agent}: no AI Provenance hook in ${shown}; nothing changed` : `${agent}: ${shown} already has the AI Provenance hook; nothing changed`);
      continue;
    }
    const after = change.config === undefined ? undefined : formatConfig(change.config, before ? detectIndent(before) : 2);
    if (dryRun) {
      io.out(configDiff(shown, before, after).trimEnd());
      io.out(`${agent}: dry run, ${shown} not written`);
      continue;
    }
    if (after === undefined) await fs.rm(file, { force: true });
    else await writeAtomically(file, after);
    if (remove) io.out(`${agent}: removed the AI Provenance hook from ${shown}${after === undefined ? ' (file deleted: it held nothing else)' : ''}`);
    else {
      io.out(`${agent}: added the AI Provenance hook to ${shown}`);
      const note = notes[agent];
      if (note) io.out(`  note: ${note}`);
    }
  }
  return code;
}
