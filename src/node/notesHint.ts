/**
 * Telling a reader that notes are missing in this clone: commits whose message says AI helped
 * (`Assisted-by`, `AI-Provenance` trailers) but which have no note here, nor in a fetched copy.
 * Without this, blame, stats and check would quietly report those lines as written by no AI.
 */
import { notesFetchRefspec } from '../core/commit/notes';
import { aiTrailerCommits, remoteNames } from '../git/commands';
import { runGit } from '../git/runner';

/**
 * The warning line for those of `withoutNote` (commits that have no note) whose trailers name
 * AI, or undefined when there are none. It names the command that brings the notes.
 */
export async function missingNotesHint(cwd: string, withoutNote: readonly string[]): Promise<string | undefined> {
  if (withoutNote.length === 0) return undefined;
  const [missing, remotes] = await Promise.all([runGit(cwd, aiTrailerCommits(withoutNote)), runGit(cwd, remoteNames())]);
  if (missing.length === 0) return undefined;
  const remote = remotes.includes('origin') ? 'origin' : (remotes[0] ?? '<remote>');
  return (
    `ai-provenance: notes missing locally for ${missing.length} commit(s) with AI trailers (their lines count as no AI here): ` +
    `git fetch ${remote} '${notesFetchRefspec(remote)}' (every fetch after: git provenance install --remote ${remote})`
  );
}
