/**
 * Sharing our notes with a remote both ways: fetch the remote's notes into their
 * remote-tracking ref, merge them into ours (a union, see src/git/notes.ts), push ours. The
 * push is then a fast-forward however many clones add notes, which a plain
 * `git push <remote> refs/notes/ai-provenance` is not.
 */
import { notesFetchRefspec, notesRef, remoteNotesRef } from '../core/commit/notes';
import { configGetAll, fetchNotes, pushNotes } from '../git/commands';
import { refTarget } from '../git/historyCommands';
import { mergeRemoteNotes } from '../git/notes';
import { GitError, runGit } from '../git/runner';

/** What {@link syncNotes} did. */
export type NotesSyncResult = 'pushed' | 'nothing-to-push' | 'failed';

/** Whether `git provenance install --remote <remote>` set this remote up to carry our notes. */
export async function remoteCarriesNotes(cwd: string, remote: string): Promise<boolean> {
  if (!/^[A-Za-z0-9._/-]+$/.test(remote)) return false;
  return (await runGit(cwd, configGetAll(`remote.${remote}.fetch`))).includes(notesFetchRefspec(remote));
}

/** Fetches `remote`'s notes into their remote-tracking ref; false when the remote has none yet. */
async function fetchRemoteNotes(cwd: string, remote: string): Promise<boolean> {
  try {
    await runGit(cwd, fetchNotes(remote, remoteNotesRef(remote)));
    return true;
  } catch (e) {
    // A remote nobody pushed notes to yet: nothing to merge, and our push creates the ref.
    if (e instanceof GitError && /couldn't find remote ref/i.test(e.message)) return false;
    throw e;
  }
}

/**
 * Fetches, merges and pushes our notes to `remote`. A push that loses a race with another
 * clone's (the remote's notes moved between our fetch and our push) is fetched, merged and
 * tried once more; a remote that cannot be reached is not tried twice. Failures are reported
 * through `warn`, never thrown: the pre-push git hook must not stop the user's push.
 */
export async function syncNotes(cwd: string, remote: string, warn: (m: string) => void): Promise<NotesSyncResult> {
  const fail = (e: unknown): NotesSyncResult => {
    warn(`could not share ${notesRef} with ${remote}: ${e instanceof Error ? e.message : String(e)}`);
    return 'failed';
  };
  const bringIn = async (): Promise<void> => {
    if (await fetchRemoteNotes(cwd, remote)) await mergeRemoteNotes(cwd, warn, [remoteNotesRef(remote)]);
  };
  try {
    await bringIn();
    if (!(await runGit(cwd, refTarget(notesRef)))) return 'nothing-to-push';
  } catch (e) {
    return fail(e);
  }
  try {
    await runGit(cwd, pushNotes(remote));
    return 'pushed';
  } catch {
    // Most likely another clone pushed notes since our fetch: merge theirs too, once.
  }
  try {
    await bringIn();
    await runGit(cwd, pushNotes(remote));
    return 'pushed';
  } catch (e) {
    return fail(e);
  }
}
