/**
 * Finding the repository for an agent hook without spawning git: the hook runs on every edit
 * and a process spawn is the most expensive thing it would otherwise do. Only the plain
 * layouts are read here (a `.git` folder, or a `.git` file pointing at a worktree's git dir);
 * anything else (GIT_DIR and friends set, a bare or unusual repository) asks git, like
 * every other command.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { LedgerStore } from '../../node/ledgerStore';
import type { Repo } from '../../node/repo';
import { openRepo } from '../../node/repo';

const gitEnv = ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_COMMON_DIR', 'GIT_CEILING_DIRECTORIES', 'GIT_DISCOVERY_ACROSS_FILESYSTEM'];

async function plainLayout(start: string): Promise<Repo | undefined> {
  let dir = await fs.realpath(start);
  for (;;) {
    const dotGit = path.join(dir, '.git');
    const st = await fs.stat(dotGit).catch(() => undefined);
    if (st?.isDirectory()) {
      // A real repository has HEAD; a stray ".git" folder does not.
      if (!(await fs.stat(path.join(dotGit, 'HEAD')).catch(() => undefined))) return undefined;
      return repoAt(dir, dotGit);
    }
    if (st?.isFile()) {
      const text = await fs.readFile(dotGit, 'utf8').catch(() => '');
      const m = /^gitdir:\s*(.+?)\s*$/m.exec(text);
      if (!m) return undefined;
      const gitDir = await fs.realpath(path.resolve(dir, m[1]!)).catch(() => undefined);
      return gitDir ? repoAt(dir, gitDir) : undefined;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function repoAt(root: string, gitDir: string): Repo {
  // `git rev-parse --git-path ai-provenance` is per worktree: it stays in the worktree's git dir.
  const ledgerDir = path.join(gitDir, 'ai-provenance');
  return { info: { root, gitDir, ledgerDir }, store: new LedgerStore(ledgerDir) };
}

/** The repository containing `cwd`, or undefined when there is none. */
export async function findRepo(cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<Repo | undefined> {
  if (!gitEnv.some((k) => env[k] !== undefined)) {
    const fast = await plainLayout(cwd).catch(() => undefined);
    if (fast) return fast;
  }
  return openRepo(cwd, () => undefined).catch(() => undefined);
}
