/**
 * `git provenance stats [<range>] [--by path|tool|model|author|day] [--json]`: how many of the
 * lines added in a range AI wrote. The scan is src/node/statsScan.ts (the report runs it too);
 * the counting is src/core/report/stats.ts.
 */
import type { CommitStat, StatsDimension } from '../../core/report/stats';
import { aggregate, statsDimensions, statsTable } from '../../core/report/stats';
import { GitError } from '../../git/runner';
import { openHistory } from '../../node/repo';
import { scanStats } from '../../node/statsScan';
import { InputError, parseArgs, UsageError } from '../args';
import type { Io } from '../io';
import { missingNotesHint } from '../../node/notesHint';
import { checkRevs, reversedRangeNote } from '../revs';

/** Usage text of `stats`. */
export const statsUsage = `usage: git provenance stats [<range>...] [--by path|tool|model|author|day] [--json]

How many of the lines added in RANGE (default HEAD: all of its history) AI wrote, from the
commits' notes. A commit without a note whose trailer block says AI helped (Assisted-by,
Co-authored-by: Claude, aider, Cursor, Codex, Copilot, our AI-Lines) counts its added lines as
"unknown", with that tool; the text names each such commit and the trailer that says so.
Merge commits count nothing (their lines are counted on their branch); binary files neither.
  --by D    group rows by path, tool (default), model, author or day
  --json    {"range", "by", "commits", "commitsWithNotes", "commitsWithTrailers",
             "total": {"added","ai","mixed","unknown"}, "rows": [{"key", "added","ai","mixed","unknown"}],
             "commitLevel": [{"commit", "evidence", "added"}]}
            (key null: added lines nobody attributed, when grouping by tool or model)`;

/** Runs `stats`. */
export async function stats(argv: readonly string[], io: Io): Promise<number> {
  const args = parseArgs(argv, ['by'], ['json', 'help']);
  if (args.flags.has('help')) {
    io.out(statsUsage);
    return 0;
  }
  const byArg = args.values.get('by') ?? 'tool';
  if (!statsDimensions.includes(byArg as StatsDimension)) throw new UsageError(`--by must be one of ${statsDimensions.join(', ')}`);
  const by = byArg as StatsDimension;
  // History only: works in a bare repository (a CI mirror, a server-side hook) too.
  const root = (await openHistory(io.cwd, io.err)).gitCwd;
  const revs = args.positionals;
  let commits: CommitStat[] = [];
  if ((await checkRevs(root, revs)) === 'ok') {
    try {
      commits = await scanStats(root, revs);
    } catch (e) {
      if (e instanceof GitError && e.exitCode === 128) throw new InputError(`bad range ${revs.join(' ')}: ${e.stderr.trim().split('\n')[0] ?? ''}`);
      throw e;
    }
  }
  const hint = await missingNotesHint(root, commits.filter((c) => c.evidence !== 'note').map((c) => c.commit));
  if (hint) io.err(hint);
  const result = aggregate(commits, by);
  // Commits counted from their message alone: which line of the message says AI helped.
  const commitLevel = commits
    .filter((c) => c.evidence === 'trailer')
    .map((c) => ({ commit: c.commit, evidence: c.messageEvidence ?? '', added: c.added }));
  if (args.flags.has('json')) {
    io.out(JSON.stringify({ range: revs.length > 0 ? revs.join(' ') : 'HEAD', by, ...result, commitLevel }, null, 2));
    return 0;
  }
  if (commits.length === 0) {
    const note = await reversedRangeNote(root, revs);
    if (note) io.err(note);
    io.out('No commits in range.');
    return 0;
  }
  io.out(`${result.commits} commit(s): ${result.commitsWithNotes} with a note, ${result.commitsWithTrailers} with only an agent named in the message`);
  io.out('');
  for (const l of statsTable(result, by)) io.out(l);
  if (commitLevel.length > 0) {
    const shown = 10;
    io.out('');
    io.out('Commit-level evidence (no note: every added line counts as unknown, with the tool the message names):');
    for (const c of commitLevel.slice(0, shown)) io.out(`  ${c.commit.slice(0, 8)}  ${c.added} line${c.added === 1 ? '' : 's'}  commit-level: ${c.evidence}`);
    if (commitLevel.length > shown) io.out(`  and ${commitLevel.length - shown} more (--json lists them all)`);
  }
  return 0;
}
