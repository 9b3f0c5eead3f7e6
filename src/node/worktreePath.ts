/**
 * The one path rule for everything that records lines (`git provenance record`, the agent
 * hooks, the extension's documents and its recordEdit API): a path is a file of the worktree
 * when, after every symlink is resolved, it lies inside the worktree's root (not the root
 * itself) and not inside a git dir. A symlink in the worktree that points outside it, or into
 * `.git/`, names a file we must neither read nor attribute: the ledger would then describe
 * something git does not track, and a hook would read a file it was never meant to.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** The longest path accepted (PATH_MAX on Linux); payloads are bounded the same way. */
export const maxWorktreePathLength = 4096;

/** Where the rule applies: a worktree's root and its git dir. */
export interface WorktreeWhere {
  readonly root: string;
  readonly gitDir: string;
}

/** A path the rule accepted, or why it refused it. */
export type WorktreePath =
  | { readonly ok: true; /** The real path. */ readonly abs: string; /** Worktree-relative, '/'-separated. */ readonly rel: string }
  | { readonly ok: false; readonly problem: string };

function isWithin(dir: string, p: string): boolean {
  const rel = path.relative(dir, p);
  return rel === '' || (!rel.startsWith('..' + path.sep) && rel !== '..' && !path.isAbsolute(rel));
}

/** realpath for a file that may not exist yet: the nearest existing ancestor is resolved. */
async function realpathLoose(abs: string): Promise<string> {
  try {
    return await fs.realpath(abs);
  } catch (e) {
    const parent = path.dirname(abs);
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || parent === abs) throw e;
    return path.join(await realpathLoose(parent), path.basename(abs));
  }
}

/** The real paths of a worktree, resolved once for many paths. */
export interface RealWorktree {
  readonly root: string;
  readonly gitDir: string;
}

/** Resolves the worktree's own symlinks (a repository under a symlinked home, /tmp on macOS). */
export async function realWorktree(where: WorktreeWhere): Promise<RealWorktree> {
  const [root, gitDir] = await Promise.all([realpathLoose(where.root), realpathLoose(where.gitDir)]);
  return { root, gitDir };
}

/**
 * Applies the rule to `p`, relative to `base` when it is not absolute. `p` is quoted (and cut
 * to 200 characters) in the problem, which callers print as it is.
 */
export async function resolveWorktreePath(where: RealWorktree, base: string, p: string): Promise<WorktreePath> {
  const shown = JSON.stringify(p.slice(0, 200));
  if (p.includes('\u0000')) return { ok: false, problem: 'a path contains a NUL byte' };
  if (p.length > maxWorktreePathLength) return { ok: false, problem: 'a path is too long' };
  if (p.length === 0) return { ok: false, problem: 'a path is empty' };
  let real: string;
  try {
    real = await realpathLoose(path.resolve(base, p));
  } catch (e) {
    return { ok: false, problem: `cannot resolve ${shown} (${(e as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  if (!isWithin(where.root, real) || real === where.root) return { ok: false, problem: `${shown} is outside the repository` };
  if (isWithin(where.gitDir, real)) return { ok: false, problem: `${shown} is inside the git directory` };
  const rel = path.relative(where.root, real).split(path.sep).join('/');
  // A nested repository's or a submodule's git dir: git tracks nothing in it either.
  if (rel.split('/').includes('.git')) return { ok: false, problem: `${shown} is inside a .git folder` };
  return { ok: true, abs: real, rel };
}
