/**
 * The data of the report ("AI Provenance: Show Report"), from the per-commit counts of
 * src/core/report/stats.ts: the AI share of added lines over time, by folder, by tool and model, and
 * the AI lines in critical paths, with the commits behind each. Pure: whether a path is
 * critical is a predicate handed in (the repository's policy, in the editor).
 */
import type { CommitStat, Counts } from './stats';
import { aiShare, zeroCounts } from './stats';

/** Time buckets of the share-over-time series. */
export type Bucket = 'day' | 'week' | 'month';

/** One bucket of the time series; `share` is undefined when nothing was added in it. */
export interface TimePoint {
  /** The bucket's first day, `YYYY-MM-DD` (a Monday for weeks, the 1st for months). */
  readonly bucket: string;
  readonly counts: Counts;
  readonly share: number | undefined;
  readonly commits: number;
}

/** A group of lines (a folder, a tool and model, a critical file) with its counts. */
export interface GroupRow {
  readonly key: string;
  readonly counts: Counts;
}

/** A tool and model pair; `added` counts their attributed lines. */
export interface ToolRow extends GroupRow {
  readonly tool: string;
  readonly model: string | undefined;
}

/** A commit shown in the report, with what it added. */
export interface CommitRow {
  readonly commit: string;
  readonly subject: string;
  readonly author: string;
  readonly day: string;
  readonly counts: Counts;
}

/** A critical file: its counts and the commits that wrote AI lines into it. */
export interface CriticalRow extends GroupRow {
  readonly commits: readonly CommitRow[];
}

/** Everything the report shows. */
export interface ReportModel {
  readonly commits: number;
  readonly commitsWithNotes: number;
  readonly commitsWithTrailers: number;
  /** First and last day with commits, undefined for an empty history. */
  readonly span: { readonly from: string; readonly to: string } | undefined;
  readonly total: Counts;
  readonly bucket: Bucket;
  readonly overTime: readonly TimePoint[];
  readonly byFolder: readonly GroupRow[];
  readonly byTool: readonly ToolRow[];
  /** Undefined when no predicate was given (no policy): the report says so. */
  readonly critical: { readonly total: Counts; readonly files: readonly CriticalRow[] } | undefined;
  /** The commits with the most AI lines (ai + mixed + unknown), most first. */
  readonly topCommits: readonly CommitRow[];
}

/** Options of {@link buildReportModel}. */
export interface ReportOptions {
  /** `auto`: days up to 31 days of history, weeks up to two years, months beyond. */
  readonly bucket?: Bucket | 'auto';
  /** Path segments that make a folder (default 2: `src/core`). */
  readonly folderDepth?: number;
  /** Rows kept in the folder and tool charts (the rest are summed into "other"). */
  readonly maxRows?: number;
  /** Commits kept in the top list and per critical file. */
  readonly maxCommits?: number;
  readonly isCritical?: (path: string) => boolean;
}

const dayMs = 86_400_000;

function utcDay(day: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The first day of the bucket holding `day` (weeks start on Monday, as ISO 8601 has them). */
export function bucketOf(day: string, bucket: Bucket): string {
  const t = utcDay(day);
  if (!Number.isFinite(t)) return day;
  if (bucket === 'day') return day;
  if (bucket === 'month') return day.slice(0, 8) + '01';
  const dow = new Date(t).getUTCDay();
  return isoDay(t - ((dow + 6) % 7) * dayMs);
}

/** The bucket after `start` (a bucket's first day). */
function nextBucket(start: string, bucket: Bucket): string {
  const t = utcDay(start);
  if (bucket === 'day') return isoDay(t + dayMs);
  if (bucket === 'week') return isoDay(t + 7 * dayMs);
  const d = new Date(t);
  return isoDay(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
}

/** The folder of a path, `depth` segments at most; files at the root are in `(root)`. */
export function folderOf(path: string, depth: number): string {
  const parts = path.split('/');
  parts.pop();
  return parts.length === 0 ? '(root)' : parts.slice(0, Math.max(1, depth)).join('/');
}

function add(into: Counts, c: Counts): void {
  into.added += c.added;
  into.ai += c.ai;
  into.mixed += c.mixed;
  into.unknown += c.unknown;
}

function attributed(c: Counts): number {
  return c.ai + c.mixed + c.unknown;
}

/** Keeps the `max - 1` largest rows and sums the rest into one row keyed `other`. */
function topRows<T extends GroupRow>(rows: T[], max: number, other: (counts: Counts, n: number) => T, size: (r: T) => number): T[] {
  rows.sort((a, b) => size(b) - size(a) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  if (rows.length <= max) return rows;
  const rest = zeroCounts();
  for (const r of rows.slice(max - 1)) add(rest, r.counts);
  return [...rows.slice(0, max - 1), other(rest, rows.length - max + 1)];
}

/** Builds the report's data from per-commit counts (any order). */
export function buildReportModel(commits: readonly CommitStat[], options: ReportOptions = {}): ReportModel {
  const depth = options.folderDepth ?? 2;
  const maxRows = options.maxRows ?? 12;
  const maxCommits = options.maxCommits ?? 10;
  const total = zeroCounts();
  const days = commits.map((c) => c.day).filter((d) => Number.isFinite(utcDay(d))).sort();
  const span = days.length > 0 ? { from: days[0]!, to: days[days.length - 1]! } : undefined;
  const spanDays = span ? (utcDay(span.to) - utcDay(span.from)) / dayMs : 0;
  const bucket: Bucket = options.bucket && options.bucket !== 'auto' ? options.bucket : spanDays <= 31 ? 'day' : spanDays <= 731 ? 'week' : 'month';

  const time = new Map<string, { counts: Counts; commits: number }>();
  const folders = new Map<string, Counts>();
  const tools = new Map<string, { tool: string; model: string | undefined; counts: Counts }>();
  const critical = new Map<string, { counts: Counts; commits: CommitRow[] }>();
  const criticalTotal = zeroCounts();
  const rows: CommitRow[] = [];
  let withNotes = 0;
  let withTrailers = 0;

  for (const c of commits) {
    if (c.evidence === 'note') withNotes++;
    else if (c.evidence === 'trailer') withTrailers++;
    const cc = zeroCounts();
    const b = bucketOf(c.day, bucket);
    let t = time.get(b);
    if (!t) time.set(b, (t = { counts: zeroCounts(), commits: 0 }));
    t.commits++;
    for (const f of c.files) {
      const fc: Counts = { added: f.added, ai: 0, mixed: 0, unknown: 0 };
      for (const cell of f.cells) {
        fc[cell.kind] += cell.lines;
        const key = `${cell.tool}\0${cell.model ?? ''}`;
        let tr = tools.get(key);
        if (!tr) tools.set(key, (tr = { tool: cell.tool, model: cell.model, counts: zeroCounts() }));
        tr.counts.added += cell.lines;
        tr.counts[cell.kind] += cell.lines;
      }
      add(cc, fc);
      const folder = folderOf(f.path, depth);
      let fo = folders.get(folder);
      if (!fo) folders.set(folder, (fo = zeroCounts()));
      add(fo, fc);
      if (options.isCritical && attributed(fc) > 0 && options.isCritical(f.path)) {
        let cr = critical.get(f.path);
        if (!cr) critical.set(f.path, (cr = { counts: zeroCounts(), commits: [] }));
        add(cr.counts, fc);
        add(criticalTotal, fc);
        cr.commits.push({ commit: c.commit, subject: c.subject, author: c.author, day: c.day, counts: fc });
      }
    }
    add(total, cc);
    add(t.counts, cc);
    if (attributed(cc) > 0) rows.push({ commit: c.commit, subject: c.subject, author: c.author, day: c.day, counts: cc });
  }

  const overTime: TimePoint[] = [];
  if (span) {
    // Every bucket from the first to the last, empty ones included: gaps are part of the story.
    const last = bucketOf(span.to, bucket);
    for (let b = bucketOf(span.from, bucket); b <= last; b = nextBucket(b, bucket)) {
      const t = time.get(b);
      const counts = t ? t.counts : zeroCounts();
      overTime.push({ bucket: b, counts, share: counts.added > 0 ? aiShare(counts) : undefined, commits: t ? t.commits : 0 });
    }
  }
  const byCommitSize = (a: CommitRow, b: CommitRow): number => attributed(b.counts) - attributed(a.counts) || (a.day < b.day ? 1 : a.day > b.day ? -1 : 0);
  const byFolder = topRows(
    [...folders].map(([key, counts]) => ({ key, counts })),
    maxRows,
    (counts, n) => ({ key: `other (${n} folders)`, counts }),
    (r) => r.counts.added,
  );
  const byTool = topRows(
    [...tools.values()].map((t): ToolRow => ({ key: `${t.tool}${t.model ? ` · ${t.model}` : ''}`, tool: t.tool, model: t.model, counts: t.counts })),
    maxRows,
    (counts, n) => ({ key: `other (${n})`, tool: 'other', model: undefined, counts }),
    (r) => attributed(r.counts),
  );
  return {
    commits: commits.length,
    commitsWithNotes: withNotes,
    commitsWithTrailers: withTrailers,
    span,
    total,
    bucket,
    overTime,
    byFolder,
    byTool,
    critical: options.isCritical
      ? {
          total: criticalTotal,
          files: [...critical]
            .map(([key, v]) => ({ key, counts: v.counts, commits: [...v.commits].sort(byCommitSize).slice(0, maxCommits) }))
            .sort((a, b) => attributed(b.counts) - attributed(a.counts) || (a.key < b.key ? -1 : 1)),
        }
      : undefined,
    topCommits: rows.sort(byCommitSize).slice(0, maxCommits),
  };
}
