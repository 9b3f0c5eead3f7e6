/**
 * Files that moved before their AI lines were committed: `git mv` of a new file, a rename git
 * finds by similarity at commit (`-M`), an agent that deleted one file and created another with
 * its text. The entry of the old path goes to the new one, so the ledger, the commit's trailers
 * and note, and blame all follow the file. The extension follows renames of open files with
 * the same function.
 */
import type { HashFn, LedgerData, LedgerFile } from './ledger';
import { ledgerLines } from '../commit/changeLines';
import { unverifiedBasis } from './ledgerUpdate';

/** One moved file, paths relative to the worktree root ('/'-separated). */
export interface PathMove {
  readonly from: string;
  readonly to: string;
}

/** `to`'s entry joined with `from`'s: both sets of ranges, each re-anchored by its own hash when read. */
function joined(to: LedgerFile | undefined, from: LedgerFile): LedgerFile {
  if (!to) return from;
  return { basis: unverifiedBasis, updated: Math.max(to.updated, from.updated), writer: from.writer, ranges: [...to.ranges, ...from.ranges] };
}

/**
 * The ledger with each move's entry under its new path (joined with an entry already there);
 * undefined when no move had an entry to carry.
 */
export function renameLedgerPaths(ledger: LedgerData, moves: readonly PathMove[]): LedgerData | undefined {
  const files: Record<string, LedgerFile> = { ...ledger.files };
  let changed = false;
  for (const m of moves) {
    if (m.from === m.to || !Object.hasOwn(files, m.from)) continue;
    files[m.to] = joined(Object.hasOwn(files, m.to) ? files[m.to] : undefined, files[m.from]!);
    delete files[m.from];
    changed = true;
  }
  return changed ? { ...ledger, files } : undefined;
}

/** A file of a change, as {@link findMoves} needs it. */
export interface ChangedFile {
  readonly path: string;
  /** The old path when git saw a rename. */
  readonly oldPath?: string | undefined;
  /** Lines the change removed from the old side: 0 for a file new to git. */
  readonly removed: number;
}

/** What {@link findMoves} may look at. */
export interface MoveWorld {
  /** Whether a worktree file exists now. */
  readonly exists: (relPath: string) => boolean;
  /** A worktree file's text now; undefined when unreadable. */
  readonly textOf: (relPath: string) => string | undefined;
  readonly hash: HashFn;
}

/**
 * The moves a change implies for the ledger: a rename git saw whose old path has an entry and
 * whose new path has none; and a file new to git, without an entry, whose text carries the
 * ranges of an entry whose file is gone from the worktree (a `git mv` of a file never
 * committed: git sees no rename, since the old path is in no commit).
 */
export function findMoves(ledger: LedgerData, changed: readonly ChangedFile[], world: MoveWorld): PathMove[] {
  const has = (p: string): boolean => Object.hasOwn(ledger.files, p);
  const moves: PathMove[] = [];
  const taken = new Set<string>();
  let orphans: string[] | undefined;
  for (const c of changed) {
    if (has(c.path)) continue;
    if (c.oldPath !== undefined) {
      if (has(c.oldPath) && !taken.has(c.oldPath)) {
        moves.push({ from: c.oldPath, to: c.path });
        taken.add(c.oldPath);
      }
      continue;
    }
    if (c.removed > 0) continue;
    // Computed once, and only when a new file could be a moved one.
    orphans ??= Object.keys(ledger.files).filter((p) => !changed.some((x) => x.path === p) && !world.exists(p));
    const candidates = orphans.filter((p) => !taken.has(p));
    if (candidates.length === 0) continue;
    const text = world.textOf(c.path);
    if (text === undefined) continue;
    const basis = world.hash(text);
    const from = candidates.find((p) => ledger.files[p]!.basis === basis) ?? candidates.find((p) => ledgerLines(ledger.files[p]!, text, world.hash).lines.length > 0);
    if (from !== undefined) {
      moves.push({ from, to: c.path });
      taken.add(from);
    }
  }
  return moves;
}
