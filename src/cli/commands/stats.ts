/**
 * `git provenance stats [<range>] [--by path|tool|model|author|day] [--json]`: how many of the
 * lines added in a range AI wrote. Three git processes whatever the size of the range: one
 * `git log --numstat` for the added lines (and messages, for commits without a note), the
 * notes list and one `cat-file --batch` for the notes. The counting is src/core/report/stats.ts.
 */
import { parseNote } from '../../core/commit/notes';
import type { CommitStat, StatsDimension } from '../../core/report/stats';
import { aggregate, commitStat, logFormat, parseLogRecord, splitLog, statsDimensions, statsTable } from '../../core/report/stats';
import { catFileBatch, logNumstat, notesList, resolveCommit } from '../../git/commands';
import { GitError, runGit } from '../../git/runner';
import { parseArgs, UsageError } from '../args';
import type { Io } from '../io';
import { openRepo } from '../../node/repo';

/** Usage text of `stats`. */
export const statsUsage = `usage: git provenance stats [<range>...] [--by path|tool|model|author|day] [--json]

How many of the lines added in RANGE (default HEAD: all of its history) AI wrote, from the
commits' notes. A commit without a note whose message names an agent (Co-authored-by: Claude,
Assisted-by, aider, Cursor, Codex, Copilot) counts its added lines as "unknown", with that tool.
Merge commits count nothing (their lines are counted on their branch); binary files neither.
  --by D    group rows by path, tool (default), model, author or day
  --json    {"range", "by", "commits", "commitsWithNotes", "commitsWithTrailers",
             "total": {"added","ai","mixed","unknown"}, "rows": [{"key", "added","ai","mixed","unknown"}]}
            (key null: added lines nobody attributed, when grouping by tool or model)`;

/** Cancellation and progress for long scans (the report runs this in the editor). */
export interface ScanOptions {
  /** Checked between chunks; the scan stops with {@link ScanCancelled} once it is true. */
  readonly isCancelled?: () => boolean;
  /** Called after each chunk with the commits counted so far and the total. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Commits per chunk between yields to the event loop (default 500). */
  readonly chunk?: number;
}

/** Thrown by {@link scanStats} when it was cancelled. */
export class ScanCancelled extends Error {
  override readonly name = 'ScanCancelled';
}

const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** The texts of notes given as note blob by commit, in one `cat-file --batch`. */
async function readNoteTexts(root: string, blobs: ReadonlyMap<string, string>): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (blobs.size === 0) return out;
  const texts = await runGit(root, catFileBatch([...new Set(blobs.values())]));
  for (const [commit, blob] of blobs) {
    const text = texts.get(blob);
    if (text) out.set(commit, text);
  }
  return out;
}

/**
 * The counts of every commit of `revs` (default HEAD), newest first. The log and the notes
 * are read at the same time; parsing and counting go a chunk of commits at a time with a
 * yield to the event loop between chunks, so an editor running this stays responsive.
 */
export async function scanStats(root: string, revs: readonly string[], options: ScanOptions = {}): Promise<CommitStat[]> {
  const cancelled = (): void => {
    if (options.isCancelled?.()) throw new ScanCancelled('cancelled');
  };
  // For the whole history (no range) every note is read while git log runs; for a range,
  // only the notes of its commits, once the log says which they are.
  const listing = runGit(root, notesList());
  const everyNote = revs.length === 0 ? listing.then((list) => readNoteTexts(root, list)) : undefined;
  const [log, list] = await Promise.all([runGit(root, logNumstat(logFormat, revs)), listing]);
  cancelled();
  const records = splitLog(log);
  await yieldToLoop();
  cancelled();
  let notes: Map<string, string>;
  if (everyNote) notes = await everyNote;
  else {
    const wanted = new Map<string, string>();
    for (const r of records) {
      const commit = r.slice(0, r.indexOf('\x1f'));
      const blob = list.get(commit);
      if (blob) wanted.set(commit, blob);
    }
    notes = await readNoteTexts(root, wanted);
  }
  const chunk = Math.max(1, options.chunk ?? 500);
  const out: CommitStat[] = [];
  for (let i = 0; i < records.length; i += chunk) {
    await yieldToLoop();
    cancelled();
    for (const r of records.slice(i, i + chunk)) {
      const c = parseLogRecord(r);
      if (!c) continue;
      const text = notes.get(c.commit);
      out.push(commitStat(c, text === undefined ? undefined : parseNote(text)));
    }
    options.onProgress?.(Math.min(i + chunk, records.length), records.length);
  }
  return out;
}

/**
 * Checks revision arguments: nothing that looks like an option, and, when HEAD is unborn and
 * no range is given, an empty history rather than an error.
 */
export async function checkRevs(root: string, revs: readonly string[]): Promise<'empty' | 'ok'> {
  for (const r of revs) if (r.startsWith('-') || r.length === 0) throw new UsageError(`not a revision or range: ${r}`);
  if (revs.length === 0 && !(await runGit(root, resolveCommit('HEAD')))) return 'empty';
  return 'ok';
}

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
  const repo = await openRepo(io.cwd, io.err);
  const root = repo.info.root;
  const revs = args.positionals;
  let commits: CommitStat[] = [];
  if ((await checkRevs(root, revs)) === 'ok') {
    try {
      commits = await scanStats(root, revs);
    } catch (e) {
      if (e instanceof GitError && e.exitCode === 128) throw new UsageError(`bad range ${revs.join(' ')}: ${e.stderr.trim().split('\n')[0] ?? ''}`);
      throw e;
    }
  }
  const result = aggregate(commits, by);
  if (args.flags.has('json')) {
    io.out(JSON.stringify({ range: revs.length > 0 ? revs.join(' ') : 'HEAD', by, ...result }, null, 2));
    return 0;
  }
  if (commits.length === 0) {
    io.out('No commits in range.');
    return 0;
  }
  io.out(`${result.commits} commit(s): ${result.commitsWithNotes} with a note, ${result.commitsWithTrailers} with only an agent named in the message`);
  io.out('');
  for (const l of statsTable(result, by)) io.out(l);
  return 0;
}
