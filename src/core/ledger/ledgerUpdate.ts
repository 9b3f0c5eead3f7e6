/**
 * Ledger changes made by git hooks: lines leave the ledger once committed, and entries are
 * re-anchored after a checkout. Ranges whose text is not in the file right now (a stash, a
 * branch switch) are kept as they were, never dropped: the text may come back.
 */
import { AttributionTracker } from '../tracking/attributionTracker';
import type { HashFn, LedgerFile } from './ledger';
import { reanchor, toLedgerFile } from './ledger';
import { LineIndex } from '../lines/lines';

/**
 * The basis of an entry that keeps ranges of another text beside ranges of the current one.
 * It never equals a hash, so readers check every range by its own hash.
 */
export const unverifiedBasis = 'unverified';

/** The result of a ledger update for one file. */
export interface EntryUpdate {
  /** The new entry; undefined when no range is left. */
  readonly entry: LedgerFile | undefined;
  /** Ranges kept without being found in the text. */
  readonly kept: number;
  /** Whether anything changed. */
  readonly changed: boolean;
}

function withKept(file: LedgerFile, kept: LedgerFile['ranges']): LedgerFile | undefined {
  if (kept.length === 0) return file.ranges.length > 0 ? file : undefined;
  // No blob: it describes the current text alone, and the kept ranges are not of it.
  return { basis: unverifiedBasis, updated: file.updated, writer: file.writer, ranges: [...file.ranges, ...kept] };
}

/**
 * Removes whole lines (1-based, of `text`) from an entry: the lines a commit took. Ranges
 * that do not anchor in `text` are kept untouched.
 */
export function clearLines(entry: LedgerFile, text: string, lines: readonly number[], hash: HashFn, now: number, writer: string): EntryUpdate {
  if (lines.length === 0) return { entry, kept: 0, changed: false };
  const anchored = reanchor(entry, text, hash);
  const tracker = new AttributionTracker(text.length, anchored.segments);
  const index = new LineIndex(text);
  const sorted = [...new Set(lines)].sort((a, b) => a - b);
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    // Runs of lines are cleared at once: one mark per run, not per line.
    const start = index.startOf(sorted[i]! - 1);
    const end = index.endOf(sorted[j]! - 1);
    if (end > start) tracker.mark(start, end, text.slice(start, end), undefined);
    i = j + 1;
  }
  const file = toLedgerFile(tracker.segments(), text, hash, now, writer);
  return { entry: withKept(file, anchored.dropped), kept: anchored.dropped.length, changed: true };
}

/**
 * Re-anchors an entry onto the file's current text (after a checkout or a stash pop moved
 * it): found ranges get their new offsets, the others are kept as they were.
 */
export function refreshEntry(entry: LedgerFile, text: string, hash: HashFn, now: number, writer: string): EntryUpdate {
  const anchored = reanchor(entry, text, hash);
  if (anchored.sameBasis && anchored.dropped.length === 0) return { entry, kept: 0, changed: false };
  const next = withKept(toLedgerFile(anchored.segments, text, hash, now, writer), anchored.dropped);
  const same = next !== undefined && next.basis === entry.basis && JSON.stringify(next.ranges) === JSON.stringify(entry.ranges);
  return { entry: same ? entry : next, kept: anchored.dropped.length, changed: !same };
}
