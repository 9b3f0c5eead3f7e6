/**
 * Finding the repository and its ledger from where the CLI runs.
 */
import * as path from 'node:path';
import type { RepoInfo } from '../git/commands';
import { absoluteGitDir, repoInfo } from '../git/commands';
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
    if (e instanceof GitError) throw notAWorktree(e, cwd);
    throw e;
  }
  return { info, store: new LedgerStore(info.ledgerDir, warn) };
}

/**
 * The error for a command that needs a worktree run where git found none (`e`, from a
 * `rev-parse --show-toplevel`). It says why when `cwd` is a repository after all (a bare one: a
 * CI mirror, a server; or inside a git dir), which git's own message tells, so no second git
 * run is needed: agent hooks reach this path for every payload outside a repository. (With git
 * speaking another language, the plain message.)
 */
export function notAWorktree(e: GitError, cwd: string): NotARepoError {
  return new NotARepoError(
    /must be run in a work tree/.test(e.stderr)
      ? `not inside a git worktree: ${cwd} is a git directory without a worktree (a bare repository); this command needs a worktree`
      : `not inside a git worktree: ${cwd}`,
  );
}

/**
 * A repository seen through its history only (commits, trees, notes): what `check`, `show`,
 * `blame --rev`, `stats` and `export` need. It may be a bare repository (a CI mirror, a
 * server-side hook), where there is no worktree and no ledger.
 */
export interface RepoHistory {
  /** The folder to run git in: the worktree root, or the git dir when there is no worktree. */
  readonly gitCwd: string;
  /** The worktree and its ledger; undefined in a bare repository (or inside a git dir). */
  readonly worktree: Repo | undefined;
}

/** Locates the repository containing `cwd`, with or without a worktree. */
export async function openHistory(cwd: string, warn: (m: string) => void): Promise<RepoHistory> {
  try {
    // The common case costs the same one `git rev-parse` as before.
    const info = await runGit(cwd, repoInfo(cwd));
    return { gitCwd: info.root, worktree: { info, store: new LedgerStore(info.ledgerDir, warn) } };
  } catch (e) {
    if (!(e instanceof GitError)) throw e;
  }
  let gitDir: string;
  try {
    gitDir = await runGit(cwd, absoluteGitDir());
  } catch (e) {
    if (e instanceof GitError) throw new NotARepoError(`not inside a git worktree (nor a bare repository): ${cwd}`);
    throw e;
  }
  return { gitCwd: gitDir, worktree: undefined };
}

/**
 * A path naming a file of the repository's tree, relative to its root with '/' separators: in a
 * worktree as {@link repoRelative} gives it; without one (a bare repository) there is no current
 * folder inside the tree, so the path is taken from the root as written.
 * Throws RangeError for paths outside the repository.
 */
export function treePath(history: RepoHistory, cwd: string, file: string): string {
  if (history.worktree) return repoRelative(history.worktree.info.root, cwd, file);
  const rel = path.posix.normalize(file.split(path.sep).join('/'));
  if (rel === '' || rel === '.' || rel === '..' || rel.startsWith('../') || path.posix.isAbsolute(rel)) {
    throw new RangeError(`${file}: in a repository without a worktree, give the path from the repository's root`);
  }
  return rel;
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
