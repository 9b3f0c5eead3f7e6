/**
 * `git provenance sync [REMOTE]`: shares our notes with a remote both ways — fetch its notes,
 * merge them into ours (a union), push ours. What the pre-push git hook does on every
 * `git push` to a remote `install --remote` set up; by hand for any other remote, after a push
 * made with `--no-verify`, or to bring the notes without pulling.
 */
import { notesRef } from '../../core/commit/notes';
import { configGetAll } from '../../git/commands';
import { runGit } from '../../git/runner';
import { openRepo } from '../../node/repo';
import { syncNotes } from '../../node/notesSync';
import { parseArgs, UsageError } from '../args';
import type { Io } from '../io';

/** Usage text of `sync`. */
export const syncUsage = `usage: git provenance sync [REMOTE]

Shares ${notesRef} with REMOTE (default origin) both ways: fetches its notes, merges them
into yours (both sides' notes of a commit kept, as one record), pushes yours as a fast-forward.
A plain \`git push\` does this itself for a remote set up by \`git provenance install --remote\`.`;

/** Runs `sync`. */
export async function sync(argv: readonly string[], io: Io): Promise<number> {
  const args = parseArgs(argv, [], ['help']);
  if (args.flags.has('help')) {
    io.out(syncUsage);
    return 0;
  }
  if (args.positionals.length > 1) throw new UsageError(`unexpected argument ${args.positionals[1]}`);
  const remote = args.positionals[0] ?? 'origin';
  if (!/^[A-Za-z0-9._/-]+$/.test(remote)) throw new UsageError(`${remote}: not a remote name`);
  const repo = await openRepo(io.cwd, io.err);
  const root = repo.info.root;
  if ((await runGit(root, configGetAll(`remote.${remote}.url`))).length === 0) throw new UsageError(`no remote named ${remote}`);
  let failed = false;
  const result = await syncNotes(root, remote, (m) => {
    failed = true;
    io.err(`git provenance sync: ${m}`);
  });
  if (result === 'pushed') io.out(`${notesRef}: merged with ${remote}'s and pushed`);
  else if (result === 'nothing-to-push') io.out(`${notesRef}: no notes here or on ${remote}`);
  return result === 'failed' || failed ? 1 : 0;
}
