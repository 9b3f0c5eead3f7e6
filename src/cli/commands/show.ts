/**
 * `git provenance show [<rev>] [--json]`: the note of a commit, readable (or raw JSON).
 */
import { describeRecord } from '../../core/commit/noteText';
import { resolveCommit } from '../../git/commands';
import { readNote } from '../../git/notes';
import { runGit } from '../../git/runner';
import { parseArgs, UsageError } from '../args';
import type { Io } from '../io';
import { openHistory } from '../../node/repo';
import { commitLevelEvidence } from '../../node/blame';

/** Usage text of `show`. */
export const showUsage = `usage: git provenance show [<rev>] [--json]

Shows the AI provenance note of a commit (default HEAD): which lines of which files AI wrote.
A commit without a note whose trailers say AI helped is said so, with the trailer.
  --json   the note's Agent Trace record as stored (an array when git merged several)`;

/** Runs `show`. */
export async function show(argv: readonly string[], io: Io): Promise<number> {
  const args = parseArgs(argv, [], ['json', 'help']);
  if (args.flags.has('help')) {
    io.out(showUsage);
    return 0;
  }
  if (args.positionals.length > 1) throw new UsageError('give at most one revision');
  // History only: works in a bare repository (a CI mirror, a server-side hook) too.
  const root = (await openHistory(io.cwd, io.err)).gitCwd;
  const rev = args.positionals[0] ?? 'HEAD';
  const commit = await runGit(root, resolveCommit(rev));
  if (!commit) throw new UsageError(`${rev}: no such commit`);
  const records = await readNote(root, commit);
  if (args.flags.has('json')) {
    io.out(JSON.stringify(records.length === 1 ? records[0] : records.length === 0 ? null : records, null, 2));
    return 0;
  }
  if (records.length === 0) {
    io.out(`No AI provenance note on ${commit}.`);
    const level = (await commitLevelEvidence(root, [commit])).get(commit);
    if (level) io.out(`Its message says AI helped (commit-level: ${level.evidence}): blame and stats count its added lines as unknown, by ${level.tool}.`);
    return 0;
  }
  records.forEach((r, i) => {
    if (i > 0) io.out('');
    for (const l of describeRecord(r, commit)) io.out(l);
  });
  return 0;
}
