/**
 * Offers, once per repository and only in a trusted workspace, to add our hook to the coding
 * agents a repository is set up for (it has `.claude/`, `.cursor/`, `.codex/`, `.gemini/`,
 * `.kiro/` or `.github/hooks/`); and the command "AI Provenance: Set Up Agent Hooks" that
 * does it for the agents you pick.
 *
 * The hook commands point at the stable copy of the CLI in global storage (with the shell
 * front beside it), like the git hooks, so they survive extension updates.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AgentId } from '../../core/agents/agentPayloads';
import { isAgentId } from '../../core/agents/agentPayloads';
import { launcherPath } from '../../core/agents/agentLauncher';
import { configLocation, isOurCommand } from '../../core/agents/agentSetup';
import { hooksLocation } from '../../git/commands';
import { runGit } from '../../git/runner';
import type { GitApi } from './commitPreview';
import { runStableCli } from './installOffer';

/** The folder that says a repository is set up for an agent, and the agent's name as people know it. */
const agentFolders: ReadonlyArray<{ agent: AgentId; folder: string; label: string }> = [
  { agent: 'claude-code', folder: '.claude', label: 'Claude Code' },
  { agent: 'cursor', folder: '.cursor', label: 'Cursor' },
  { agent: 'codex', folder: '.codex', label: 'Codex' },
  { agent: 'gemini', folder: '.gemini', label: 'Gemini CLI' },
  { agent: 'kiro', folder: '.kiro', label: 'Kiro' },
  { agent: 'copilot', folder: '.github/hooks', label: 'GitHub Copilot' },
];

const labelOf = (agent: AgentId): string => agentFolders.find((a) => a.agent === agent)?.label ?? agent;

async function exists(p: string): Promise<boolean> {
  return fs.stat(p).then(
    () => true,
    () => false,
  );
}

/**
 * Whether the repository's own config for `agent` already runs our hook on this machine. A
 * teammate's committed config runs the launcher in this clone's git dir, which only `setup` on
 * this machine writes: without it the hook is not set up here yet.
 */
async function hasOurHook(root: string, agent: AgentId): Promise<boolean> {
  const text = await fs.readFile(path.join(root, ...configLocation(agent, 'project').path.split('/')), 'utf8').catch(() => '');
  if (!isOurCommand(agent, text)) return false;
  if (!text.includes(launcherPath)) return true;
  const { commonDir } = await runGit(root, hooksLocation(root));
  return exists(path.join(commonDir, ...launcherPath.split('/')));
}

/** The agents `root` is set up for whose project config does not run our hook (on this machine) yet. */
export async function agentsToOffer(root: string): Promise<AgentId[]> {
  const found = await Promise.all(agentFolders.map(async (a) => ((await exists(path.join(root, ...a.folder.split('/')))) && !(await hasOurHook(root, a.agent)) ? a.agent : undefined)));
  return found.filter((a): a is AgentId => a !== undefined);
}

/**
 * Runs `git provenance setup <agents> --project` in `root` with the stable CLI; returns what it
 * printed. No `--node`: setup picks the runtime as `install` does (src/git/hookRuntime.ts).
 */
export function setupAgents(context: vscode.ExtensionContext, root: string, agents: readonly AgentId[]): Promise<{ code: number; output: string }> {
  return runStableCli(context, ['setup', ...agents, '--project'], root);
}

/** Registers the setup command and the once-per-repository offer. */
export function registerAgentOffer(context: vscode.ExtensionContext, getApi: () => GitApi | undefined, log: (m: string) => void): vscode.Disposable[] {
  const run = async (root: string, agents: readonly AgentId[]): Promise<boolean> => {
    const res = await setupAgents(context, root, agents);
    log(res.output);
    if (res.code === 0) void vscode.window.showInformationMessage(`AI Provenance: ${agents.map(labelOf).join(', ')} now record${agents.length === 1 ? 's' : ''} the lines ${agents.length === 1 ? 'it writes' : 'they write'} in ${path.basename(root)}. ${res.output.includes('note:') ? 'See the output for what each agent needs before it runs new hooks.' : ''}`.trim());
    else void vscode.window.showErrorMessage(`AI Provenance: setting up the agent hooks failed: ${res.output}`);
    return res.code === 0;
  };
  const offered = new Set<string>();
  const offer = async (root: string): Promise<void> => {
    if (!vscode.workspace.isTrusted || offered.has(root)) return;
    offered.add(root);
    const key = `aiProvenance.agentOffer:${root}`;
    if (context.globalState.get(key)) return;
    const agents = await agentsToOffer(root);
    if (agents.length === 0) return;
    await context.globalState.update(key, 'offered');
    const files = agents.map((a) => configLocation(a, 'project').path).join(', ');
    const pick = await vscode.window.showInformationMessage(
      `AI Provenance: record exactly which lines ${agents.map(labelOf).join(', ')} write${agents.length === 1 ? 's' : ''} in ${path.basename(root)}? This adds a hook to ${files}; the hooks you have stay.`,
      'Set Up',
      'Not Now',
    );
    if (pick === 'Set Up') await run(root, agents);
  };
  const timer = setTimeout(() => {
    // After the editor is idle and after the git hooks offer: never on the activation path.
    for (const repo of getApi()?.repositories ?? []) void offer(repo.rootUri.fsPath).catch((e: unknown) => log(`agent hook offer: ${String(e)}`));
  }, 8000);
  return [
    { dispose: () => clearTimeout(timer) },
    vscode.commands.registerCommand('aiProvenance.setupAgentHooks', async (agentsArg?: unknown, rootArg?: unknown): Promise<boolean> => {
      if (!vscode.workspace.isTrusted) {
        void vscode.window.showWarningMessage('AI Provenance: trust this workspace first; agent hooks run code on every edit.');
        return false;
      }
      const repos = getApi()?.repositories ?? [];
      const root =
        typeof rootArg === 'string' ? rootArg : repos.length === 1 ? repos[0]!.rootUri.fsPath : await vscode.window.showQuickPick(repos.map((r) => r.rootUri.fsPath), { placeHolder: 'Set up agent hooks in which repository?' });
      if (!root) return false;
      let agents: AgentId[];
      if (Array.isArray(agentsArg) && agentsArg.every(isAgentId)) agents = agentsArg;
      else {
        const suggested = new Set(await agentsToOffer(root));
        const picks = await vscode.window.showQuickPick(
          agentFolders.map((a) => ({ label: a.label, description: configLocation(a.agent, 'project').path, picked: suggested.has(a.agent), agent: a.agent })),
          { canPickMany: true, placeHolder: 'Which agents should record the lines they write?' },
        );
        agents = (picks ?? []).map((p) => p.agent);
      }
      if (agents.length === 0) return false;
      return run(root, agents);
    }),
  ];
}
