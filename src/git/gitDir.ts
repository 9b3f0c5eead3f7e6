/**
 * Finding a worktree's git dir from the file system, without starting git. The git hooks run
 * on every commit and checkout at the worktree's top level (git changes into it first), and
 * `git rev-parse` would cost each of them a process start. Only the plain layouts are read: a
 * `.git` folder (a main worktree) or a `.git` file naming the git dir (a linked worktree).
 * Anything else, and any of git's variables that redirect it, is left to git.
 */
import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { notesRef } from '../core/commit/notes';
import type { RepoInfo } from './commands';
import { repoInfo } from './commands';
import { runGit } from './runner';

/** Variables with which git is told where the repository is, instead of finding it. */
const redirecting = ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_COMMON_DIR'] as const;

/** A worktree's git dir as {@link plainGitDir} found it. */
export interface PlainGitDir {
  /** The git dir: `<root>/.git`, or the folder a linked worktree's `.git` file names. */
  readonly gitDir: string;
  /** Whether the worktree is a linked one (`git worktree add`). */
  readonly linked: boolean;
}

/** Whether `env` tells git where the repository is (then only git can say what it is). */
export function gitRedirected(env: Readonly<Record<string, string | undefined>>): boolean {
  return redirecting.some((k) => env[k]);
}

/**
 * The git dir of the worktree whose top level is `root`, as its `.git` says; undefined when
 * `root` has neither a `.git` folder holding HEAD nor a `.git` file naming a git dir. Callers
 * check {@link gitRedirected} first.
 */
export function plainGitDir(root: string): PlainGitDir | undefined {
  const dotGit = path.join(root, '.git');
  try {
    if (statSync(dotGit).isDirectory()) {
      // A real repository has HEAD; a stray ".git" folder does not.
      statSync(path.join(dotGit, 'HEAD'));
      return { gitDir: dotGit, linked: false };
    }
    const m = /^gitdir:\s*(.+?)\s*$/m.exec(readFileSync(dotGit, 'utf8'));
    return m ? { gitDir: path.resolve(root, m[1]!), linked: true } : undefined;
  } catch {
    return undefined;
  }
}

/** The ledger's folder in a worktree's git dir: what `git rev-parse --git-path ai-provenance` names. */
export function ledgerDirIn(gitDir: string): string {
  return path.join(gitDir, 'ai-provenance');
}

/**
 * The repository of a git hook running in `cwd` (git runs hooks at the top level): from `.git`
 * when {@link plainGitDir} can tell, from `git rev-parse` otherwise.
 */
export async function hookRepoInfo(cwd: string, env: Readonly<Record<string, string | undefined>>): Promise<RepoInfo> {
  const git = gitRedirected(env) ? undefined : plainGitDir(cwd);
  return git ? { root: cwd, gitDir: git.gitDir, ledgerDir: ledgerDirIn(git.gitDir) } : runGit(cwd, repoInfo(cwd));
}

/**
 * Whether the repository of the worktree git dir `gitDir` may have remote-tracking notes refs
 * (`refs/notes/remotes/…`): false only when its refs are plain files and neither the refs
 * folder nor packed-refs has one, so that a checkout need not start git to list none. (With
 * GIT_COMMON_DIR set, the refs may be elsewhere: ask git.)
 */
export function mayHaveRemoteNotes(gitDir: string): boolean {
  try {
    const common = commonDirOf(gitDir);
    if (exists(path.join(common, 'reftable')) || exists(path.join(common, 'refs', 'notes', 'remotes'))) return true;
    let packed: string;
    try {
      packed = readFileSync(path.join(common, 'packed-refs'), 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw e;
    }
    return packed.includes(' refs/notes/remotes/');
  } catch {
    return true;
  }
}

/** The common dir of the worktree git dir `gitDir`: a linked worktree's refs live in the one its `commondir` file names. */
function commonDirOf(gitDir: string): string {
  return exists(path.join(gitDir, 'commondir')) ? path.resolve(gitDir, readFileSync(path.join(gitDir, 'commondir'), 'utf8').trim()) : gitDir;
}

/**
 * A stamp of where HEAD and our notes ref point, from the files git keeps them in (a few
 * `stat`s, no git process): it changes whenever a commit, checkout, reset, rebase, notes write,
 * fetch of notes or `pack-refs` moves either, since git writes a ref by renaming a new file
 * into place (a new inode). Blame in the editor keys what it read from git by it: a commit
 * leaves the open document as it was, but not its blame. Missing files stamp as `-`.
 */
export function refsStamp(gitDir: string): string {
  const common = commonDirOf(gitDir);
  let head = '';
  try {
    head = readFileSync(path.join(gitDir, 'HEAD'), 'utf8').trim();
  } catch {
    // No HEAD: the stamp of the other files still moves with the refs.
  }
  const branch = /^ref:\s*(refs\/\S+)$/.exec(head)?.[1];
  const files = [
    path.join(common, 'packed-refs'),
    path.join(common, notesRef),
    path.join(common, 'reftable', 'tables.list'),
    ...(branch ? [path.join(common, branch)] : []),
  ];
  return [head, ...files.map((f) => {
    try {
      const st = statSync(f);
      return `${st.ino}:${st.mtimeMs}:${st.size}`;
    } catch {
      return '-';
    }
  })].join('|');
}

function exists(file: string): boolean {
  try {
    statSync(file);
    return true;
  } catch {
    return false;
  }
}
