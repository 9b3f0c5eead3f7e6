/**
 * `git provenance install` / `uninstall`: the git hooks that write trailers and notes, and
 * the git configuration that makes notes follow rewritten commits.
 */
import { promises as fs, readFileSync, realpathSync } from 'node:fs';
import * as path from 'node:path';
import { notesFetchRefspec, notesRef } from '../../core/commit/notes';
import type { HooksLocation } from '../../git/commands';
import { configAdd, configGetAll, configSet, configUnsetValue, hooksLocation } from '../../git/commands';
import type { HookAction } from '../../git/hooks';
import { cannotRunMarker, gitHookNames, hookEntryMarker, hookEntryName, hookScript, installHook, uninstallHook } from '../../git/hooks';
import { chooseHookRuntime, describeRuntime } from '../../git/hookRuntime';
import type { GitCommand } from '../../git/runner';
import { GitError, runGit } from '../../git/runner';
import { parseArgs, UsageError } from '../args';
import type { Io } from '../io';
import { notAWorktree } from '../../node/repo';

/** Usage text of `install`. */
export const installUsage = `usage: git provenance install [--remote NAME] [--dry-run] [--cli PATH] [--node PATH]

Installs the hooks ${gitHookNames.join(', ')} into the hooks folder git uses
(core.hooksPath honoured; shared by all worktrees). A hook already there is kept and run first.
Sets notes.rewriteRef so notes follow amend and rebase. Safe to run again.
  --remote NAME   notes travel with that remote both ways: every \`git fetch\` brings its notes
                  (read at once, merged into yours by the hooks) and every \`git push\` to it
                  shares yours (pre-push: fetch, merge, push the notes ref)
  --dry-run       print what would change, change nothing
  --cli PATH      the git-provenance script (default: this one); the hooks run the hook
                  entry hook.js beside it when it is there, else this script
  --node PATH     the node binary the hooks prefer (default: this one; run from an editor:
                  Node.js 20+ on PATH, else the editor's own runtime as node). Prints which.`;

/** Usage text of `uninstall`. */
export const uninstallUsage = `usage: git provenance uninstall [--dry-run]

Removes our hooks, puts back the hooks they chained to, and undoes our git configuration.
Notes and the ledger stay.`;

/** What install changed in git's configuration, so uninstall undoes exactly that. */
interface Manifest {
  readonly version: 1;
  /** Keys install set because they were unset. */
  readonly setKeys: string[];
  /** Fetch refspecs install added: [remote, refspec]. */
  readonly fetch: Array<[string, string]>;
  /** The hooks folder install wrote to. */
  readonly hooksDir?: string;
}

function manifestFile(loc: HooksLocation): string {
  return path.join(loc.commonDir, 'ai-provenance', 'install.json');
}

async function readManifest(loc: HooksLocation): Promise<Manifest> {
  try {
    const m = JSON.parse(await fs.readFile(manifestFile(loc), 'utf8')) as Partial<Manifest>;
    return { version: 1, setKeys: Array.isArray(m.setKeys) ? m.setKeys : [], fetch: Array.isArray(m.fetch) ? m.fetch : [], ...(m.hooksDir ? { hooksDir: m.hooksDir } : {}) };
  } catch {
    return { version: 1, setKeys: [], fetch: [] };
  }
}

async function writeManifest(loc: HooksLocation, m: Manifest): Promise<void> {
  await fs.mkdir(path.dirname(manifestFile(loc)), { recursive: true });
  await fs.writeFile(manifestFile(loc), JSON.stringify(m, null, 1) + '\n');
}

async function locate(cwd: string): Promise<HooksLocation> {
  try {
    return await runGit(cwd, hooksLocation(cwd));
  } catch (e) {
    if (e instanceof GitError) throw notAWorktree(e, cwd);
    throw e;
  }
}

function describe(a: HookAction): string {
  switch (a.action) {
    case 'installed':
      return `installed ${a.file}`;
    case 'chained':
      return `installed ${a.file} (the hook that was there runs first)`;
    case 'updated':
      return `updated ${a.file}`;
    case 'unchanged':
      return `up to date ${a.file}`;
    case 'removed':
      return `removed ${a.file}`;
    case 'restored':
      return `removed ${a.file} and put back the hook it chained to`;
    case 'absent':
      return `no hook ${a.file}`;
    case 'foreign':
      return `left ${a.file} alone (not ours)`;
  }
}

function resolveCli(given: string | undefined): string {
  const p = given ?? process.argv[1];
  if (!p) throw new UsageError('cannot tell where git-provenance is; pass --cli PATH');
  const abs = path.resolve(p);
  try {
    return realpathSync(abs);
  } catch {
    throw new UsageError(`--cli ${p}: no such file`);
  }
}

/**
 * The script the hooks run: the hook entry beside the CLI (dist/hook.js beside dist/cli.js,
 * recognised by its first line) when there is one, since node loads it several times faster
 * than the whole CLI; else the CLI itself, which runs `hook-git` as well.
 */
export function hookEntry(cli: string): string {
  const candidate = path.join(path.dirname(cli), hookEntryName);
  try {
    if (readFileSync(candidate, 'utf8').startsWith(hookEntryMarker)) return candidate;
  } catch {
    // No hook entry there: the CLI it is.
  }
  return cli;
}

/** Runs `install`. */
export async function install(argv: readonly string[], io: Io): Promise<number> {
  const args = parseArgs(argv, ['remote', 'cli', 'node'], ['dry-run', 'help']);
  if (args.flags.has('help')) {
    io.out(installUsage);
    return 0;
  }
  if (args.positionals.length > 0) throw new UsageError(`unexpected argument ${args.positionals[0]}`);
  const dryRun = args.flags.has('dry-run');
  const cli = resolveCli(args.values.get('cli'));
  const given = args.values.get('node');
  // Under an editor's Electron (the extension runs us with ELECTRON_RUN_AS_NODE), see hookRuntime.ts.
  const runtime = await chooseHookRuntime({ ...(given !== undefined ? { given } : {}), pathEnv: process.env.PATH, execPath: process.execPath, nodeVersion: process.versions.node, ...(process.versions.electron ? { electron: process.versions.electron } : {}) });
  const loc = await locate(io.cwd);
  const git = <T>(cmd: GitCommand<T>): Promise<T> => runGit(io.cwd, cmd);
  const prefix = dryRun ? 'would: ' : '';
  const manifest = await readManifest(loc);
  const setKeys = new Set(manifest.setKeys);
  const fetch = [...manifest.fetch];

  const entry = hookEntry(cli);
  for (const name of gitHookNames) io.out(prefix + describe(await installHook(loc.hooksDir, name, hookScript(name, entry, runtime.path, { electron: runtime.electron }), dryRun)));
  io.out(prefix + describeRuntime(runtime));
  if (runtime.source === 'given' && runtime.nodeVersion === undefined) io.out(`note: ${runtime.path} did not run here; the hooks will use node on PATH while it cannot.`);
  // A fresh install is the fix the hooks' "cannot run" warning asks for: let them say it again.
  if (!dryRun) await fs.rm(path.join(loc.commonDir, ...cannotRunMarker.split('/')), { force: true });
  const rel = path.relative(loc.root, loc.hooksDir);
  if (!rel.startsWith('..') && !path.isAbsolute(rel) && !rel.split(path.sep).includes('.git')) {
    io.out(`note: the hooks folder ${rel} is inside the work tree (core.hooksPath); hook managers such as husky regenerate it: run \`git provenance install\` again after they do.`);
  }

  const rewriteRefs = await git(configGetAll('notes.rewriteRef'));
  if (!rewriteRefs.includes(notesRef)) {
    if (!dryRun) await git(configAdd('notes.rewriteRef', notesRef));
    io.out(`${prefix}added notes.rewriteRef ${notesRef}`);
  }
  for (const key of ['notes.rewrite.amend', 'notes.rewrite.rebase']) {
    const values = await git(configGetAll(key));
    if (values.length === 0) {
      if (!dryRun) await git(configSet(key, 'true'));
      setKeys.add(key);
      io.out(`${prefix}set ${key} true`);
    } else if (values[values.length - 1] !== 'true') {
      io.out(`note: ${key} is ${values[values.length - 1]}; our post-rewrite hook still carries notes, git's own copy does not.`);
    }
  }

  const remote = args.values.get('remote');
  if (remote !== undefined) {
    if (!/^[A-Za-z0-9._/-]+$/.test(remote)) throw new UsageError(`--remote ${remote}: not a remote name`);
    const url = await git(configGetAll(`remote.${remote}.url`));
    if (url.length === 0) throw new UsageError(`no remote named ${remote}`);
    const refspec = notesFetchRefspec(remote);
    const current = await git(configGetAll(`remote.${remote}.fetch`));
    if (!current.includes(refspec)) {
      if (!dryRun) await git(configAdd(`remote.${remote}.fetch`, refspec));
      if (!fetch.some(([r, s]) => r === remote && s === refspec)) fetch.push([remote, refspec]);
      io.out(`${prefix}added remote.${remote}.fetch ${refspec}`);
    }
  }
  if (!dryRun) await writeManifest(loc, { version: 1, setKeys: [...setKeys], fetch, hooksDir: loc.hooksDir });

  const r = remote ?? 'origin';
  io.out('');
  if (remote !== undefined) {
    io.out(`Notes (${notesRef}) now travel with ${r}, both ways:`);
    io.out(`  git fetch, git pull   also fetch '${notesFetchRefspec(r)}' (counted at once; the hooks merge them into yours)`);
    io.out(`  git push ${r} …       the pre-push hook fetches and merges ${r}'s notes, then runs: git push ${r} ${notesRef}`);
    io.out(`By hand, or after git push --no-verify: git provenance sync ${r}`);
  } else {
    io.out(`Notes live in ${notesRef}. To share them with a remote (${r} here) on every fetch and push:`);
    io.out(`  git provenance install --remote ${r}`);
    io.out(`Or once, by hand: git provenance sync ${r}  (git fetch ${r} '${notesFetchRefspec(r)}', a union merge, git push ${r} ${notesRef})`);
  }
  io.out('No push refspec is added: it would change what a plain `git push` pushes; the pre-push hook pushes the notes instead.');
  return 0;
}

/** Runs `uninstall`. */
export async function uninstall(argv: readonly string[], io: Io): Promise<number> {
  const args = parseArgs(argv, [], ['dry-run', 'help']);
  if (args.flags.has('help')) {
    io.out(uninstallUsage);
    return 0;
  }
  const dryRun = args.flags.has('dry-run');
  const prefix = dryRun ? 'would: ' : '';
  const loc = await locate(io.cwd);
  const git = <T>(cmd: GitCommand<T>): Promise<T> => runGit(io.cwd, cmd);
  const manifest = await readManifest(loc);
  const dirs = [...new Set([loc.hooksDir, ...(manifest.hooksDir ? [manifest.hooksDir] : [])])];
  for (const dir of dirs) {
    for (const name of gitHookNames) {
      const a = await uninstallHook(dir, name, dryRun);
      if (a.action !== 'absent') io.out(prefix + describe(a));
    }
  }
  if ((await git(configGetAll('notes.rewriteRef'))).includes(notesRef)) {
    if (!dryRun) await git(configUnsetValue('notes.rewriteRef', notesRef));
    io.out(`${prefix}removed notes.rewriteRef ${notesRef}`);
  }
  for (const key of manifest.setKeys) {
    if (!dryRun) await git(configUnsetValue(key, 'true'));
    io.out(`${prefix}unset ${key}`);
  }
  for (const [remote, refspec] of manifest.fetch) {
    if (!dryRun) await git(configUnsetValue(`remote.${remote}.fetch`, refspec));
    io.out(`${prefix}removed remote.${remote}.fetch ${refspec}`);
  }
  if (!dryRun) await fs.rm(manifestFile(loc), { force: true });
  io.out('Notes and the ledger are kept.');
  return 0;
}
