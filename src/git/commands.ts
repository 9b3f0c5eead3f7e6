/**
 * Git commands this project runs, each as data with a pure parser.
 */
import * as path from 'node:path';
import type { GitCommand } from './runner';

/** Where a worktree lives and where its ledger goes. */
export interface RepoInfo {
  /** The worktree's top-level folder. */
  readonly root: string;
  /** `git rev-parse --git-path ai-provenance`, absolute: per worktree, inside the git dir. */
  readonly ledgerDir: string;
  /** The git dir of this worktree. */
  readonly gitDir: string;
}

/** `git rev-parse` for the worktree root, the ledger folder and the git dir. */
export function repoInfo(cwd: string): GitCommand<RepoInfo> {
  return {
    args: ['rev-parse', '--show-toplevel', '--git-path', 'ai-provenance', '--absolute-git-dir'],
    parse: (stdout) => parseRepoInfo(stdout, cwd),
  };
}

/** Parses the three lines of {@link repoInfo}; `--git-path` may be relative to `cwd`. */
export function parseRepoInfo(stdout: string, cwd: string): RepoInfo {
  const lines = stdout.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
  if (lines.length < 3) throw new Error(`unexpected rev-parse output: ${JSON.stringify(stdout)}`);
  const [root, ledger, gitDir] = lines as [string, string, string];
  return { root: path.resolve(root), ledgerDir: path.resolve(cwd, ledger), gitDir: path.resolve(gitDir) };
}

/** `git show <rev>:<path>`: a file as committed; fails when it is not in `rev`. */
export function showFile(rev: string, relPath: string): GitCommand<string> {
  return { args: ['show', `${rev}:${relPath}`], parse: (stdout) => stdout };
}
