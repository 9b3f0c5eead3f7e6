/**
 * Reading and writing our notes (`refs/notes/ai-provenance`): one Agent Trace record per
 * commit, read back as attributed lines.
 */
import type { TraceRecord } from '../core/commit/notes';
import { parseNote, serializeRecord } from '../core/commit/notes';
import { catFileBatch, notesAdd, notesList, notesMerge, notesRemove, notesShow, remoteNotesRefs } from './commands';
import { runGit } from './runner';

/** The records of one commit's note (none when it has no note). */
export async function readNote(cwd: string, rev: string): Promise<TraceRecord[]> {
  const text = await runGit(cwd, notesShow(rev));
  return text ? parseNote(text) : [];
}

/**
 * The records of many commits' notes in two git calls, whatever their number: the notes
 * list, then every note blob through one `cat-file --batch`.
 */
export async function readNotes(cwd: string, commits: Iterable<string>): Promise<Map<string, TraceRecord[]>> {
  const wanted = new Set(commits);
  const out = new Map<string, TraceRecord[]>();
  if (wanted.size === 0) return out;
  const list = await runGit(cwd, notesList());
  const blobs: Array<[string, string]> = [];
  for (const c of wanted) {
    const blob = list.get(c);
    if (blob) blobs.push([c, blob]);
  }
  if (blobs.length === 0) return out;
  const texts = await runGit(cwd, catFileBatch(blobs.map(([, b]) => b)));
  for (const [c, b] of blobs) {
    const text = texts.get(b);
    if (text) out.set(c, parseNote(text));
  }
  return out;
}

/** Replaces a commit's note with `record`, or removes the note when there is no record. */
export async function writeNote(cwd: string, commit: string, record: TraceRecord | undefined): Promise<void> {
  if (record) await runGit(cwd, notesAdd(commit, serializeRecord(record)));
  else await runGit(cwd, notesRemove(commit));
}

/**
 * Merges remote-tracking copies of our notes ref (`refs/notes/remotes/<remote>/ai-provenance`,
 * where `git provenance install --remote` makes fetch put them) into ours. Returns how many
 * were merged; failures are reported, never thrown: a hook must not fail on them.
 */
export async function mergeRemoteNotes(cwd: string, warn: (m: string) => void): Promise<number> {
  const refs = await runGit(cwd, remoteNotesRefs());
  let merged = 0;
  for (const ref of refs) {
    try {
      await runGit(cwd, notesMerge(ref));
      merged++;
    } catch (e) {
      warn(`could not merge ${ref} into refs/notes/ai-provenance: ${(e as Error).message}`);
    }
  }
  return merged;
}
