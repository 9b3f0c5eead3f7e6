/**
 * `pre-push <remote> <url>`: pushing to a remote that `git provenance install --remote` set up
 * also shares our notes with it (fetch, union merge, push; src/node/notesSync.ts), so a plain
 * `git push` carries them, and two clones adding notes never meet a rejected notes ref. A push
 * to a URL or to another remote is left alone, and the push itself is never stopped by us.
 */
import { notesRef } from '../../core/commit/notes';
import { hookRepoInfo } from '../../git/gitDir';
import type { HookEnv } from '../../node/handoff';
import { remoteCarriesNotes, syncNotes } from '../../node/notesSync';
import type { Io } from '../io';

/** Whether git's pre-push input (`<local ref> <local sha> <remote ref> <remote sha>` lines) pushes our notes ref itself. */
export function pushesNotesRef(input: string): boolean {
  return input.split('\n').some((l) => l.trim().split(/\s+/)[2] === notesRef);
}

/** Runs `pre-push`. */
export async function prePush(args: readonly string[], io: Io, env: HookEnv): Promise<number> {
  const input = await io.stdin({ timeoutMs: 10_000 });
  const remote = args[0];
  // A push that names our notes ref already sends them; a second push of the same ref while
  // that one is in flight would make one of the two fail.
  if (!remote || pushesNotesRef(input)) return 0;
  const repo = await hookRepoInfo(io.cwd, env);
  if (!(await remoteCarriesNotes(repo.root, remote))) return 0;
  await syncNotes(repo.root, remote, (m) => io.err(`ai-provenance: ${m}`));
  return 0;
}
