/**
 * What `git provenance stats` and the report count: for each commit of a range, its added
 * lines (from `git log --numstat`) and which of them AI wrote (from the commit's note), or,
 * for a commit without a note whose message names an agent, all its added lines as `unknown`
 * with that tool (commit-level evidence). Then the same counts grouped by path, tool, model,
 * author or day. Pure: the git output and the notes are handed in.
 */
import { messageTool } from '../commit/agentTrailers';
import type { AttributedKind } from '../commit/changeLines';
import type { ConversationMeta, TraceRecord } from '../commit/notes';
import { recordMeta } from '../commit/notes';
import { canonicalToolName } from '../agents/toolNames';

// ---- git log --numstat ---------------------------------------------------------------------

/** Field and record separators of the log format (see {@link logFormat}). */
const recordSep = '\x1e';
const fieldSep = '\x1f';

/**
 * The `--format` of the log {@link parseLogNumstat} reads: hash, parents, author time, author
 * day (with `--date=short`: the author's own calendar day), author, then the raw message last,
 * since it is the only field that may hold anything.
 */
export const logFormat = '%x1e%H%x1f%P%x1f%at%x1f%ad%x1f%an <%ae>%x1f%B%x1f';

/** One file of a commit as `--numstat` counts it; binary files are left out. */
export interface LogFile {
  readonly path: string;
  /** The path before a rename, when git detected one. */
  readonly oldPath?: string;
  readonly added: number;
}

/** One commit of `git log -z --numstat --format=<logFormat>`. */
export interface LogCommit {
  readonly commit: string;
  readonly parents: readonly string[];
  /** Author time, epoch milliseconds. */
  readonly time: number;
  /** The author's calendar day, `YYYY-MM-DD`. */
  readonly day: string;
  /** `Name <email>`. */
  readonly author: string;
  readonly message: string;
  readonly files: readonly LogFile[];
}

// eslint-disable-next-line no-control-regex -- the field separator is exactly what is matched
const hashStart = /^[0-9a-f]{40}(?:[0-9a-f]{24})?\x1f/;

/**
 * Parses `git log -z --numstat -M --date=short --format=<logFormat>`. Each commit is its
 * header, `\x1f\0`, then (when it changed files) a newline and `added\tdeleted\tpath\0`
 * entries, renames as `added\tdeleted\t\0old\0new\0`, binary files as `-\t-\t…`.
 */
export function parseLogNumstat(stdout: string): LogCommit[] {
  const out: LogCommit[] = [];
  for (const r of splitLog(stdout)) {
    const c = parseLogRecord(r);
    if (c) out.push(c);
  }
  return out;
}

/**
 * The log cut into one string per commit, cheaply, so that a caller can parse them a chunk at
 * a time ({@link parseLogRecord}).
 */
export function splitLog(stdout: string): string[] {
  const chunks: string[] = [];
  for (const chunk of stdout.split(recordSep)) {
    if (chunk === '') continue;
    // A message holding the record separator splits its commit: glue the piece back on.
    if (!hashStart.test(chunk) && chunks.length > 0) chunks[chunks.length - 1] += recordSep + chunk;
    else chunks.push(chunk);
  }
  return chunks;
}

/** One commit of {@link splitLog}; undefined when it is not one. */
export function parseLogRecord(chunk: string): LogCommit | undefined {
  const end = chunk.lastIndexOf(fieldSep + '\0');
  const head = end < 0 ? chunk : chunk.slice(0, end);
  const fields: string[] = [];
  let pos = 0;
  for (let i = 0; i < 5; i++) {
    const next = head.indexOf(fieldSep, pos);
    if (next < 0) break;
    fields.push(head.slice(pos, next));
    pos = next + 1;
  }
  if (fields.length < 5) return undefined;
  const [commit, parents, at, day, author] = fields as [string, string, string, string, string];
  const time = Number(at) * 1000;
  return {
    commit,
    parents: parents.split(' ').filter((p) => p.length > 0),
    time: Number.isFinite(time) ? time : 0,
    day: /^\d{4}-\d{2}-\d{2}$/.test(day) ? day : dayOf(Number.isFinite(time) ? time : 0),
    author,
    message: head.slice(pos),
    files: end < 0 ? [] : parseNumstatZ(chunk.slice(end + 2)),
  };
}

/** The `-z --numstat` entries after a commit's header. */
function parseNumstatZ(text: string): LogFile[] {
  const parts = text.replace(/^\n/, '').split('\0');
  const out: LogFile[] = [];
  for (let i = 0; i < parts.length; i++) {
    const entry = parts[i]!;
    const m = /^(-|\d+)\t(-|\d+)\t(.*)$/s.exec(entry);
    if (!m) continue;
    let path = m[3]!;
    let oldPath: string | undefined;
    if (path === '') {
      // A rename: the old and the new path follow as their own NUL-terminated fields.
      oldPath = parts[i + 1];
      path = parts[i + 2] ?? '';
      i += 2;
    }
    if (m[1] === '-' || path === '') continue;
    out.push({ path, ...(oldPath !== undefined ? { oldPath } : {}), added: Number(m[1]) });
  }
  return out;
}

/** `YYYY-MM-DD` of an epoch-millisecond time, in UTC. */
export function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

// ---- Per-commit counts ---------------------------------------------------------------------

/** Lines of one kind, tool and model in one file of a commit. */
export interface StatCell {
  readonly kind: AttributedKind;
  readonly tool: string;
  /** Undefined when the source did not say. */
  readonly model: string | undefined;
  readonly lines: number;
}

/** One file of a commit: its added lines and the attributed ones among them. */
export interface FileStat {
  readonly path: string;
  readonly added: number;
  readonly cells: readonly StatCell[];
}

/** Where a commit's attribution came from. */
export type Evidence = 'note' | 'trailer' | 'none';

/** The counts of one commit. */
export interface CommitStat {
  readonly commit: string;
  /** Author time, epoch milliseconds. */
  readonly time: number;
  readonly day: string;
  readonly author: string;
  /** The message's first line. */
  readonly subject: string;
  readonly added: number;
  readonly evidence: Evidence;
  /** With evidence `trailer`: the message's line that says AI helped, as written. */
  readonly messageEvidence?: string;
  readonly files: readonly FileStat[];
}

/** What a conversation says about its lines (shared by all of them). */
interface Label {
  readonly kind: AttributedKind;
  readonly tool: string;
  readonly model: string | undefined;
}

function bareModel(id: string): string {
  const slash = id.indexOf('/');
  return slash >= 0 ? id.slice(slash + 1) : id;
}

/**
 * Each file's attributed line numbers and their label, over all records, the first record
 * (and within it the first conversation) winning a line. It reads tool, model and kind exactly
 * as `recordLines` in src/core/commit/notes.ts does (blame's reading), without building an object
 * per line: a history of 10,000 notes is counted in milliseconds.
 */
export function noteLineLabels(records: readonly TraceRecord[]): Map<string, Map<number, Label>> {
  const out = new Map<string, Map<number, Label>>();
  for (const record of records) {
    const meta = recordMeta(record);
    const foreignTool = record.tool && record.tool.name !== 'ai-provenance' ? record.tool.name : 'unknown';
    for (const f of record.files) {
      const metas = meta?.files[f.path];
      let lines = out.get(f.path);
      if (!lines) out.set(f.path, (lines = new Map<number, Label>()));
      f.conversations.forEach((c, j) => {
        const type = c.contributor?.type;
        if (type === 'human' || type === undefined) return;
        const m = Array.isArray(metas) ? (metas[j] as ConversationMeta | undefined) : undefined;
        const model = m ? m.model ?? undefined : c.contributor?.model_id ? bareModel(c.contributor.model_id) : undefined;
        const label: Label = { kind: type, tool: canonicalToolName(m?.tool ?? foreignTool), model };
        for (const r of c.ranges) for (let n = r.start_line; n <= r.end_line; n++) if (!lines.has(n)) lines.set(n, label);
      });
    }
  }
  return out;
}

/**
 * The counts of one commit. With records (its note), each added line a record names counts
 * once, the first record winning; a file's count never exceeds the lines `--numstat` says it
 * added (a record naming more is not believed beyond that), and a file the diff does not list
 * counts nothing. Without records, a message naming an agent makes every added line `unknown`
 * with that tool. Merge commits count nothing: their lines were counted on their branch.
 */
export function commitStat(c: LogCommit, records: readonly TraceRecord[] | undefined): CommitStat {
  const subject = c.message.split('\n', 1)[0]!.trim();
  const base = { commit: c.commit, time: c.time, day: c.day, author: c.author, subject };
  if (c.parents.length > 1) return { ...base, added: 0, evidence: 'none', files: [] };
  const added = c.files.reduce((n, f) => n + f.added, 0);
  if (records && records.length > 0) {
    const byPath = noteLineLabels(records);
    const files = c.files.map((f): FileStat => {
      const lines = byPath.get(f.path) ?? (f.oldPath !== undefined ? byPath.get(f.oldPath) : undefined);
      if (!lines || lines.size === 0 || f.added === 0) return { path: f.path, added: f.added, cells: [] };
      const counts = new Map<Label, number>();
      // Only when a record claims more lines than the file added are the first ones kept.
      const numbers = lines.size > f.added ? [...lines.keys()].sort((a, b) => a - b).slice(0, f.added) : lines.keys();
      for (const n of numbers) {
        const label = lines.get(n)!;
        counts.set(label, (counts.get(label) ?? 0) + 1);
      }
      const cells = new Map<string, { kind: AttributedKind; tool: string; model: string | undefined; lines: number }>();
      for (const [l, n] of counts) {
        const key = `${l.kind}\0${l.tool}\0${l.model ?? ''}`;
        const cell = cells.get(key);
        if (cell) cell.lines += n;
        else cells.set(key, { kind: l.kind, tool: l.tool, model: l.model, lines: n });
      }
      return { path: f.path, added: f.added, cells: [...cells.values()] };
    });
    return { ...base, added, evidence: 'note', files };
  }
  const tool = messageTool(c.message, c.author);
  if (tool) {
    const files = c.files.map((f): FileStat => ({
      path: f.path,
      added: f.added,
      cells: f.added > 0 ? [{ kind: 'unknown', tool: tool.tool, model: tool.model, lines: f.added }] : [],
    }));
    return { ...base, added, evidence: 'trailer', messageEvidence: tool.evidence, files };
  }
  return { ...base, added, evidence: 'none', files: c.files.map((f) => ({ path: f.path, added: f.added, cells: [] })) };
}

// ---- Grouping ------------------------------------------------------------------------------

/** Lines added, and among them those AI wrote, edited by hand after AI, or of unknown origin. */
export interface Counts {
  added: number;
  ai: number;
  mixed: number;
  unknown: number;
}

/** What rows can be grouped by. */
export type StatsDimension = 'path' | 'tool' | 'model' | 'author' | 'day';

/** All dimensions, in the order `--by` lists them. */
export const statsDimensions: readonly StatsDimension[] = ['path', 'tool', 'model', 'author', 'day'];

/**
 * One group. `key` is null for the added lines nobody attributed when grouping by tool or
 * model; a model the source did not name is `unknown`.
 */
export interface StatsRow extends Counts {
  readonly key: string | null;
}

/** What `stats` reports. */
export interface StatsResult {
  readonly total: Counts;
  /** Commits counted (merges included, with nothing in them). */
  readonly commits: number;
  readonly commitsWithNotes: number;
  readonly commitsWithTrailers: number;
  /** Largest `added` first; ties by key. The rows' counts add up to `total`. */
  readonly rows: StatsRow[];
}

/** Empty counts. */
export function zeroCounts(): Counts {
  return { added: 0, ai: 0, mixed: 0, unknown: 0 };
}

function addCell(c: Counts, cell: StatCell): void {
  c[cell.kind] += cell.lines;
}

/**
 * Groups commit counts. By path, author and day the groups split the added lines; by tool and
 * model an attributed line goes to its tool (or model) with `added` counting it, and the lines
 * nobody attributed go to the row keyed null — so in every grouping the rows add up to the total.
 */
export function aggregate(commits: readonly CommitStat[], by: StatsDimension): StatsResult {
  const total = zeroCounts();
  const rows = new Map<string | null, Counts>();
  const row = (key: string | null): Counts => {
    let r = rows.get(key);
    if (!r) rows.set(key, (r = zeroCounts()));
    return r;
  };
  let withNotes = 0;
  let withTrailers = 0;
  for (const c of commits) {
    if (c.evidence === 'note') withNotes++;
    else if (c.evidence === 'trailer') withTrailers++;
    for (const f of c.files) {
      total.added += f.added;
      for (const cell of f.cells) addCell(total, cell);
      if (by === 'tool' || by === 'model') {
        let attributed = 0;
        for (const cell of f.cells) {
          const r = row(by === 'tool' ? cell.tool : cell.model ?? 'unknown');
          r.added += cell.lines;
          addCell(r, cell);
          attributed += cell.lines;
        }
        if (f.added > attributed) row(null).added += f.added - attributed;
      } else {
        const r = row(by === 'path' ? f.path : by === 'author' ? c.author : c.day);
        r.added += f.added;
        for (const cell of f.cells) addCell(r, cell);
      }
    }
  }
  const out = [...rows].map(([key, counts]): StatsRow => ({ key, ...counts }));
  out.sort((a, b) => (by === 'day' ? cmp(a.key ?? '', b.key ?? '') : b.added - a.added || cmp(a.key ?? '\uffff', b.key ?? '\uffff')));
  return { total, commits: commits.length, commitsWithNotes: withNotes, commitsWithTrailers: withTrailers, rows: out };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `ai + mixed` as a share of `added`, 0 when nothing was added. */
export function aiShare(c: Counts): number {
  return c.added > 0 ? (c.ai + c.mixed) / c.added : 0;
}

/** The stats as a plain-text table (right-aligned numbers, AI share in percent). */
export function statsTable(result: StatsResult, by: StatsDimension): string[] {
  const header = [by.toUpperCase(), 'ADDED', 'AI', 'MIXED', 'UNKNOWN', 'AI %'];
  const pct = (c: Counts): string => (c.added > 0 ? (aiShare(c) * 100).toFixed(1) : '-');
  const keyOf = (r: StatsRow): string => (r.key === null ? '(not attributed)' : r.key);
  const body = result.rows.map((r) => [keyOf(r), String(r.added), String(r.ai), String(r.mixed), String(r.unknown), pct(r)]);
  const t = result.total;
  const foot = ['total', String(t.added), String(t.ai), String(t.mixed), String(t.unknown), pct(t)];
  const all = [header, ...body, foot];
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  const keyWidth = Math.min(60, widths[0]!);
  const fmt = (r: string[]): string =>
    [r[0]!.length > keyWidth ? r[0]!.slice(0, keyWidth - 1) + '…' : r[0]!.padEnd(keyWidth), ...r.slice(1).map((v, i) => v.padStart(widths[i + 1]!))].join('  ');
  const rule = '-'.repeat(keyWidth + widths.slice(1).reduce((n, w) => n + w + 2, 0));
  return [fmt(header), rule, ...body.map(fmt), rule, fmt(foot)];
}
