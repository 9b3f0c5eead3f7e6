/**
 * The git hooks' side of the agent hook spool (src/node/agentSpool.ts): agent edits still
 * waiting there happened before the commit, checkout or rewrite that runs the hook, so they
 * are recorded first. The look is synchronous and costs a readdir; the recording (rare: an
 * agent edited in the last few hundred milliseconds) runs the full CLI's `hook-drain --wait`,
 * which keeps the agent code out of the hooks' bundle.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { hasPendingSync } from '../../node/agentSpool';
import { ledgerDirIn, plainGitDir } from '../../git/gitDir';
import { childProcessModule } from '../../git/runner';

/** The ledger folder of the worktree git runs the hook in (its top level), found without git. */
function ledgerDirOf(cwd: string, env: Readonly<Record<string, string | undefined>>): string | undefined {
  if (env.GIT_DIR) return ledgerDirIn(path.resolve(cwd, env.GIT_DIR));
  const git = plainGitDir(cwd);
  return git ? ledgerDirIn(git.gitDir) : undefined;
}

/** The full CLI beside the running script: dist/cli.js, or the extension's stable copy. */
function fullCli(script: string | undefined): string | undefined {
  if (!script) return undefined;
  const dir = path.dirname(path.resolve(script));
  return ['cli.js', 'git-provenance.js'].map((n) => path.join(dir, n)).find((f) => existsSync(f));
}

/** Records the spooled agent hook calls of the worktree at `cwd`, if there are any. */
export function drainSpoolForGitHook(cwd: string, env: Readonly<Record<string, string | undefined>>, warn: (line: string) => void): void {
  const ledgerDir = ledgerDirOf(cwd, env);
  if (!ledgerDir || !hasPendingSync(ledgerDir)) return;
  const cli = fullCli(process.argv[1]);
  if (!cli) {
    warn('ai-provenance: agent edits wait in the spool and the CLI to record them was not found beside this hook (run: git provenance install)');
    return;
  }
  // Loaded only here: every git hook passes through this module, and few need it.
  const r = childProcessModule().spawnSync(process.execPath, [cli, 'hook-drain', '--wait'], { cwd, stdio: 'ignore', timeout: 20_000 });
  if (r.status !== 0) warn(`ai-provenance: recording the agent edits waiting in the spool failed (${r.error?.message ?? `exit ${String(r.status)}`}); they are recorded by the next git provenance command`);
}
