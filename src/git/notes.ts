/**
 * Reading and writing our notes (`refs/notes/ai-provenance`): one Agent Trace record per
 * commit, read back as attributed lines.
 */
import type { TraceRecord } from '../core/commit/notes';
import { notesRef, parseNote, serializeRecord } from '../core/commit/notes';
import { combineNote } from '../core/commit/noteMerge';
import { catFileBatch, commitsNotIn, committerIdent, notesAdd, notesImport, notesList, notesMerge, notesRemove, notesShow, notesTree, refCommit, remoteNotesRefs } from './commands';
import { notesListOf } from './historyCommands';
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
  if (wanted.size === 0) return new Map();
  return readNoteBlobs(cwd, await listNotes(cwd), wanted);
}

/**
 * The records of `commits`' notes, given a notes list (note blob by annotated commit): every
 * note blob through one `cat-file --batch`.
 */
export async function readNoteBlobs(cwd: string, list: ReadonlyMap<string, string>, commits: Iterable<string>): Promise<Map<string, TraceRecord[]>> {
  const out = new Map<string, TraceRecord[]>();
  const blobs: Array<[string, string]> = [];
  for (const c of new Set(commits)) {
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

/**
 * The notes readers see, note blob by annotated commit: ours (`refs/notes/ai-provenance`), and
 * for a commit without one there, its note in a remote-tracking copy
 * (`refs/notes/remotes/<remote>/ai-provenance`) — fetched notes count before any git hook has
 * merged them (a plain `git fetch` runs none). Ours wins, as it already holds what was merged.
 */
export async function listNotes(cwd: string): Promise<Map<string, string>> {
  const [list, remotes] = await Promise.all([runGit(cwd, notesList()), runGit(cwd, remoteNotesRefs())]);
  for (const ref of remotes) {
    for (const [commit, blob] of await runGit(cwd, notesListOf(ref))) if (!list.has(commit)) list.set(commit, blob);
  }
  return list;
}

/** Replaces a commit's note with `record`, or removes the note when there is no record. */
export async function writeNote(cwd: string, commit: string, record: TraceRecord | undefined): Promise<void> {
  if (record) await runGit(cwd, notesAdd(commit, serializeRecord(record)));
  else await runGit(cwd, notesRemove(commit));
}

/**
 * The text `git notes add -F` stores for `text` (git's stripspace, comments kept): no trailing
 * whitespace on a line, no blank lines at either end nor two in a row, one final line break.
 */
export function noteText(text: string): string {
  const out: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\s+$/, '');
    if (line === '' && (out.length === 0 || out[out.length - 1] === '')) continue;
    out.push(line);
  }
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out.length === 0 ? '' : out.join('\n') + '\n';
}

/**
 * Sets many commits' notes at once (a record replaces the note, undefined removes it): the
 * replacements as one notes commit through `git fast-import` (four git calls in all, however
 * many), the removals, which are rare, one by one. One or two replacements go through `git
 * notes add`, which costs no more.
 */
export async function writeNotes(cwd: string, writes: ReadonlyMap<string, TraceRecord | undefined>): Promise<void> {
  const adds = new Map<string, string>();
  for (const [commit, record] of writes) {
    if (record) adds.set(commit, noteText(serializeRecord(record)));
    else await runGit(cwd, notesRemove(commit));
  }
  if (adds.size <= 2) {
    for (const [commit, text] of adds) await runGit(cwd, notesAdd(commit, text));
    return;
  }
  const committer = await runGit(cwd, committerIdent());
  // fast-import refuses when the notes ref moved after its tip was read (another process
  // wrote a note meanwhile): read the tip again and try once more on top of it.
  for (let attempt = 1; ; attempt++) {
    const parent = await runGit(cwd, refCommit(notesRef));
    const existing = new Map([...(parent ? await runGit(cwd, notesTree(parent)) : [])].map(([commit, e]) => [commit, e.path]));
    try {
      await runGit(cwd, notesImport(adds, committer, parent, existing));
      return;
    } catch (e) {
      if (attempt >= 2) throw e;
    }
  }
}

/**
 * Merges remote-tracking copies of our notes ref (`refs/notes/remotes/<remote>/ai-provenance`,
 * where `git provenance install --remote` makes fetch put them; all of them, or `only` these)
 * into ours, as a union: `git notes merge -s cat_sort_uniq` keeps both sides' notes of a
 * commit, then each note that came out holding two records of one commit is rewritten as one
 * record (core/commit/noteMerge.ts). Refs already merged cost one git call. Returns how many
 * were merged; failures are reported, never thrown: a hook must not fail on them.
 */
export async function mergeRemoteNotes(cwd: string, warn: (m: string) => void, only?: readonly string[]): Promise<number> {
  const refs = only ?? (await runGit(cwd, remoteNotesRefs()));
  let merged = 0;
  for (const ref of refs) {
    try {
      // One git call when there is nothing new, as on most checkouts. It fails when we have no
      // notes ref yet: then the merge below just creates it.
      const unmerged = await runGit(cwd, commitsNotIn(ref, [notesRef])).catch(() => undefined);
      if (unmerged === 0) continue;
      const before = unmerged === undefined ? new Map<string, string>() : await runGit(cwd, notesList());
      await runGit(cwd, notesMerge(ref));
      merged++;
      if (before.size > 0) await combineMergedNotes(cwd, before);
    } catch (e) {
      warn(`could not merge ${ref} into ${notesRef}: ${(e as Error).message}`);
    }
  }
  return merged;
}

/**
 * After a union merge: the notes that both sides had and that changed now hold both sides'
 * records; those of one commit become one record. A note only one side had is taken as it is.
 */
async function combineMergedNotes(cwd: string, before: ReadonlyMap<string, string>): Promise<void> {
  const after = await runGit(cwd, notesList());
  const changed: Array<[string, string]> = [];
  for (const [commit, blob] of after) {
    const old = before.get(commit);
    if (old !== undefined && old !== blob) changed.push([commit, blob]);
  }
  if (changed.length === 0) return;
  const texts = await runGit(cwd, catFileBatch(changed.map(([, b]) => b)));
  for (const [commit, blob] of changed) {
    const text = texts.get(blob);
    const combined = text === undefined ? undefined : combineNote(text);
    if (combined !== undefined) await runGit(cwd, notesAdd(commit, combined));
  }
}
