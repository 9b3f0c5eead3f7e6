/**
 * Finding the repository and its ledger from where the CLI runs.
 */
import * as path from 'node:path';
import type { RepoInfo } from '../git/commands';
import { repoInfo } from '../git/commands';
import { LedgerStore } from './ledgerStore';
import { GitError, runGit } from '../git/runner';

/** Raised when the CLI is run outside a git worktree; exit code 2. */
export class NotARepoError extends Error {
  override readonly name = 'NotARepoError';
}

/** The repository the CLI works on. */
export interface Repo {
  readonly info: RepoInfo;
  readonly store: LedgerStore;
}

/** Locates the worktree containing `cwd`. */
export async function openRepo(cwd: string, warn: (m: string) => void): Promise<Repo> {
  let info: RepoInfo;
  try {
    info = await runGit(cwd, repoInfo(cwd));
  } catch (e) {
    if (e instanceof GitError) throw new NotARepoError(`not inside a git worktree: ${cwd}`);
    throw e;
  }
  return { info, store: new LedgerStore(info.ledgerDir, warn) };
}

/**
 * A path given on the command line, relative to the worktree root with '/' separators.
 * Throws RangeError for paths outside the worktree.
 */
export function repoRelative(root: string, cwd: string, file: string): string {
  const abs = path.resolve(cwd, file);
  const rel = path.relative(root, abs);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) throw new RangeError(`${file} is outside the repository ${root}`);
  return rel.split(path.sep).join('/');
}
