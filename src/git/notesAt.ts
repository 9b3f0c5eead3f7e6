/**
 * Notes read from a notes commit that no ref names yet: a server-side hook sees the notes a
 * push brings (`refs/notes/ai-provenance`'s new value) before git updates the ref, and must
 * count them as evidence for the commits of the same push.
 */
import type { TraceRecord } from '../core/commit/notes';
import { parseNote } from '../core/commit/notes';
import { catFileBatch } from './commands';
import { notesAt } from './forgeCommands';
import { runGit } from './runner';

/** The records of `commits`' notes in the notes commit `notesCommit` (two git calls). */
export async function readNotesAt(cwd: string, notesCommit: string, commits: Iterable<string>): Promise<Map<string, TraceRecord[]>> {
  const list = await runGit(cwd, notesAt(notesCommit));
  const blobs: Array<[string, string]> = [];
  for (const c of new Set(commits)) {
    const blob = list.get(c);
    if (blob) blobs.push([c, blob]);
  }
  const out = new Map<string, TraceRecord[]>();
  if (blobs.length === 0) return out;
  const texts = await runGit(cwd, catFileBatch(blobs.map(([, b]) => b)));
  for (const [c, b] of blobs) {
    const text = texts.get(b);
    if (text) out.set(c, parseNote(text));
  }
  return out;
}
