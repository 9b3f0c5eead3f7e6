/**
 * Notes read from a notes commit that no ref names yet: a server-side hook sees the notes a
 * push brings (`refs/notes/ai-provenance`'s new value) before git updates the ref, and must
 * count them as evidence for the commits of the same push.
 */
import type { TraceRecord } from '../core/commit/notes';
import { notesTree } from './commands';
import { readNoteBlobs } from './notes';
import { runGit } from './runner';

/** The records of `commits`' notes in the notes commit `notesCommit` (two git calls). */
export async function readNotesAt(cwd: string, notesCommit: string, commits: Iterable<string>): Promise<Map<string, TraceRecord[]>> {
  const tree = await runGit(cwd, notesTree(notesCommit));
  return readNoteBlobs(cwd, new Map([...tree].map(([commit, e]) => [commit, e.blob])), commits);
}
