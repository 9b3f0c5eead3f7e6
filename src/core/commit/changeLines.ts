/**
 * Attributed lines of one version of a file (the working tree, the index, a commit), and the
 * operations that commit hooks and blame combine: read them from the ledger, carry them to
 * another version, layer several sources, keep the lines a change added, count them.
 */
import type { HashFn, LedgerFile } from '../ledger/ledger';
import { reanchor } from '../ledger/ledger';
import { mapLines, splitLines } from '../lines/lineMap';
import { lineLookup, projectSegmentLines, projectWholeLines } from '../lines/lineProjection';
import type { LineRun } from '../lines/lines';
import type { LineKind, Origin } from '../model';
import type { LineSpanTuple } from './patch';
import type { ToolCount } from '../report/summary';

/** A line kind that says something: AI as written, AI edited by hand, or unknown origin. */
export type AttributedKind = Exclude<LineKind, 'none'>;

/** One attributed line of a file version. `line` is 1-based, as git and Agent Trace count. */
export interface AttributedLine {
  readonly line: number;
  readonly kind: AttributedKind;
  readonly origin: Origin;
}

/** The lines of `runs` (`toRuns` of src/core/lines/lines.ts groups them again). */
export function runsToLines(runs: readonly LineRun[]): AttributedLine[] {
  const out: AttributedLine[] = [];
  for (const r of runs) for (let line = r.startLine; line <= r.endLine; line++) out.push({ line, kind: r.kind, origin: r.origin });
  return out;
}

/**
 * The attributed lines of a ledger entry over `text` (the file as it is on disk), after
 * re-anchoring the entry onto it. `dropped` counts ranges whose text is no longer there.
 */
export function ledgerLines(entry: LedgerFile, text: string, hash: HashFn): { lines: AttributedLine[]; dropped: number } {
  const anchored = reanchor(entry, text, hash);
  const lines: AttributedLine[] = projectWholeLines(anchored.segments, text, 1) ?? projectSegmentLines(anchored.segments, lineLookup(text), 1);
  return { lines, dropped: anchored.dropped.length };
}

/** The kinds a blob's line runs may name. */
const runKinds: ReadonlySet<string> = new Set<AttributedKind>(['ai', 'mixed', 'unknown']);

/**
 * The attributed lines of a ledger entry over the text of its {@link LedgerFile.blob}, as runs,
 * read from what its writer stored: the lines {@link ledgerLines} gives over that text, without
 * the text. Undefined when the entry has no valid blob (none written, written for another
 * basis, or runs that do not fit the entry's ranges): the caller then reads the text.
 */
export function blobRuns(entry: LedgerFile): LineRun[] | undefined {
  const blob = entry.blob;
  if (!blob || blob.of !== entry.basis) return undefined;
  const out: LineRun[] = [];
  if (blob.lines === '') return out;
  let previous = 0;
  for (const run of blob.lines.split(';')) {
    const m = /^(\d{1,9})-(\d{1,9}) ([a-z]+) (\d{1,9})$/.exec(run);
    if (!m) return undefined;
    const first = Number(m[1]);
    const last = Number(m[2]);
    const range = entry.ranges[Number(m[4])];
    if (first <= previous || last < first || !runKinds.has(m[3]!) || !range) return undefined;
    out.push({ startLine: first, endLine: last, kind: m[3] as AttributedKind, origin: range.origin });
    previous = last;
  }
  return out;
}

/** Only the parts of ascending `runs` that lie in ascending `added` intervals. */
export function restrictRuns(runs: readonly LineRun[], added: readonly LineSpanTuple[]): LineRun[] {
  const out: LineRun[] = [];
  let a = 0;
  for (const r of runs) {
    // Intervals that end before this run cannot meet a later one either.
    while (a < added.length && added[a]![1] < r.startLine) a++;
    for (let b = a; b < added.length && added[b]![0] <= r.endLine; b++) {
      const startLine = Math.max(r.startLine, added[b]![0]);
      const endLine = Math.min(r.endLine, added[b]![1]);
      if (startLine <= endLine) out.push(startLine === r.startLine && endLine === r.endLine ? r : { startLine, endLine, kind: r.kind, origin: r.origin });
    }
  }
  return out;
}

/**
 * Carries attributed lines of `fromText` onto `toText`: a line keeps its attribution when it
 * survives unchanged (by the line diff of the two texts); changed and deleted lines lose it.
 * Pass the target already split when projecting several sources onto the same text.
 */
export function projectLines(lines: readonly AttributedLine[], fromText: string, toText: string | readonly string[]): AttributedLine[] {
  if (lines.length === 0) return [];
  if (typeof toText === 'string' && fromText === toText) return [...lines];
  const from = splitLines(fromText);
  const to = typeof toText === 'string' ? splitLines(toText) : toText;
  const map = mapLines(from, to);
  const out: AttributedLine[] = [];
  for (const l of lines) {
    const target = l.line - 1 < map.length ? map[l.line - 1]! : -1;
    if (target >= 0) out.push({ ...l, line: target + 1 });
  }
  return out.sort((a, b) => a.line - b.line);
}

/**
 * Layers sources of attribution for one file version: where several say something about the
 * same line, the earlier layer wins (callers put the freshest evidence first: the ledger, then
 * the newest commit's note, then older ones).
 */
export function overlay(layers: ReadonlyArray<readonly AttributedLine[]>): AttributedLine[] {
  const nonEmpty = layers.filter((l) => l.length > 0);
  if (nonEmpty.length === 1) return nonEmpty[0]!.slice();
  const byLine = new Map<number, AttributedLine>();
  for (const layer of nonEmpty) {
    for (const l of layer) if (!byLine.has(l.line)) byLine.set(l.line, l);
  }
  return [...byLine.values()].sort((a, b) => a.line - b.line);
}

/** Only the lines a change added (`added`: ascending runs). */
export function restrictTo(lines: readonly AttributedLine[], added: readonly LineSpanTuple[]): AttributedLine[] {
  if (lines.length === 0 || added.length === 0) return [];
  // Lines come sorted from every source here: one merge walk, with no lookup table to build
  // (a commit hook does this for each file). Unsorted lines take the table.
  const out: AttributedLine[] = [];
  let a = 0;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (i > 0 && l.line < lines[i - 1]!.line) return restrictUnsorted(lines, added);
    while (a < added.length && added[a]![1] < l.line) a++;
    if (a < added.length && added[a]![0] <= l.line) out.push(l);
  }
  return out;
}

function restrictUnsorted(lines: readonly AttributedLine[], added: readonly LineSpanTuple[]): AttributedLine[] {
  const max = added[added.length - 1]![1];
  const keep = new Uint8Array(max + 1);
  for (const [first, last] of added) keep.fill(1, first, last + 1);
  return lines.filter((l) => l.line <= max && keep[l.line] === 1);
}

/** What a change contains: the figures of the trailers and of a note's summary. */
export interface ChangeCount {
  /** Added lines as the AI wrote them. */
  readonly ai: number;
  /** Added lines the AI wrote and a person then edited; not included in `ai`. */
  readonly mixed: number;
  /** Added lines of unknown origin (written outside any watched tool). */
  readonly unknown: number;
  /** All added lines of the change, attributed or not. */
  readonly added: number;
  /** By tool and model over `ai` and `mixed` lines, most lines first. */
  readonly tools: readonly ToolCount[];
}

/** Counts the attributed lines of a change, given every file's runs and its added count. */
export function countChange(files: Iterable<{ readonly runs: readonly LineRun[]; readonly added: number }>): ChangeCount {
  let ai = 0;
  let mixed = 0;
  let unknown = 0;
  let added = 0;
  // Counted per origin first (one map lookup per run), then per tool and model.
  const perOrigin = new Map<Origin, number>();
  for (const f of files) {
    added += f.added;
    for (const r of f.runs) {
      const n = r.endLine - r.startLine + 1;
      if (r.kind === 'ai') ai += n;
      else if (r.kind === 'mixed') mixed += n;
      else {
        unknown += n;
        continue;
      }
      perOrigin.set(r.origin, (perOrigin.get(r.origin) ?? 0) + n);
    }
  }
  const tools = new Map<string, { tool: string; model: string | undefined; lines: number }>();
  for (const [o, n] of perOrigin) {
    const key = `${o.tool}\u0000${o.model ?? ''}`;
    const t = tools.get(key);
    if (t) t.lines += n;
    else tools.set(key, { tool: o.tool, model: o.model, lines: n });
  }
  return { ai, mixed, unknown, added, tools: [...tools.values()].sort((a, b) => b.lines - a.lines || a.tool.localeCompare(b.tool)) };
}

/** One source of attribution for a file version: lines over the text they describe. */
export interface LineSource {
  readonly text: string;
  readonly lines: readonly AttributedLine[];
}

/**
 * The attributed lines of `target` (a file as staged or committed): each source carried onto
 * it, the earlier source winning where they overlap, kept to the lines the change added when
 * `added` is given.
 */
export function attributeVersion(target: string, sources: readonly LineSource[], added?: readonly LineSpanTuple[]): AttributedLine[] {
  let targetLines: string[] | undefined;
  const layers = sources.map((s) => {
    if (s.text === target) return s.lines;
    targetLines ??= splitLines(target);
    return projectLines(s.lines, s.text, targetLines);
  });
  // One layer needs no merging: restrictTo makes a new array anyway.
  if (added) return restrictTo(layers.length === 1 ? layers[0]! : overlay(layers), added);
  return overlay(layers);
}
