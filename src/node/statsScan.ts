/**
 * The stats scan shared by `git provenance stats` and the editor's report: for each commit of a
 * range, its added lines and which of them AI wrote. Three git processes whatever the size of
 * the range: one `git log --numstat` for the added lines (and messages, for commits without a
 * note), the notes list and one `cat-file --batch` for the notes. The counting is
 * src/core/report/stats.ts.
 */
import { parseNote } from '../core/commit/notes';
import type { CommitStat } from '../core/report/stats';
import { commitStat, logFormat, parseLogRecord, splitLog } from '../core/report/stats';
import { catFileBatch, notesList } from '../git/commands';
import { logNumstat } from '../git/historyCommands';
import { runGit } from '../git/runner';

/** Cancellation and progress for long scans (the report runs this in the editor). */
export interface ScanOptions {
  /** Checked between chunks; the scan stops with {@link ScanCancelled} once it is true. */
  readonly isCancelled?: () => boolean;
  /** Called after each chunk with the commits counted so far and the total. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Commits per chunk between yields to the event loop (default 500). */
  readonly chunk?: number;
}

/** Thrown by {@link scanStats} when it was cancelled. */
export class ScanCancelled extends Error {
  override readonly name = 'ScanCancelled';
}

const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** The texts of notes given as note blob by commit, in one `cat-file --batch`. */
async function readNoteTexts(root: string, blobs: ReadonlyMap<string, string>): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (blobs.size === 0) return out;
  const texts = await runGit(root, catFileBatch([...new Set(blobs.values())]));
  for (const [commit, blob] of blobs) {
    const text = texts.get(blob);
    if (text) out.set(commit, text);
  }
  return out;
}

/**
 * The counts of every commit of `revs` (default HEAD), newest first. The log and the notes
 * are read at the same time; parsing and counting go a chunk of commits at a time with a
 * yield to the event loop between chunks, so an editor running this stays responsive.
 */
export async function scanStats(root: string, revs: readonly string[], options: ScanOptions = {}): Promise<CommitStat[]> {
  const cancelled = (): void => {
    if (options.isCancelled?.()) throw new ScanCancelled('cancelled');
  };
  // For the whole history (no range) every note is read while git log runs; for a range,
  // only the notes of its commits, once the log says which they are.
  const listing = runGit(root, notesList());
  const everyNote = revs.length === 0 ? listing.then((list) => readNoteTexts(root, list)) : undefined;
  const [log, list] = await Promise.all([runGit(root, logNumstat(logFormat, revs)), listing]);
  cancelled();
  const records = splitLog(log);
  await yieldToLoop();
  cancelled();
  let notes: Map<string, string>;
  if (everyNote) notes = await everyNote;
  else {
    const wanted = new Map<string, string>();
    for (const r of records) {
      const commit = r.slice(0, r.indexOf('\x1f'));
      const blob = list.get(commit);
      if (blob) wanted.set(commit, blob);
    }
    notes = await readNoteTexts(root, wanted);
  }
  const chunk = Math.max(1, options.chunk ?? 500);
  const out: CommitStat[] = [];
  for (let i = 0; i < records.length; i += chunk) {
    await yieldToLoop();
    cancelled();
    for (const r of records.slice(i, i + chunk)) {
      const c = parseLogRecord(r);
      if (!c) continue;
      const text = notes.get(c.commit);
      out.push(commitStat(c, text === undefined ? undefined : parseNote(text)));
    }
    options.onProgress?.(Math.min(i + chunk, records.length), records.length);
  }
  return out;
}
