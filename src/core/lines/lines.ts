/**
 * Projection of character labels onto lines: what blame, counts and trailers talk about.
 *
 * A line takes its kind from its own characters, not from its line break: an AI completion
 * that starts with "\n" at the end of a human line does not make that human line AI. An empty
 * line has only its break, so it takes the break's label (AI-inserted blank lines count).
 */
import type { AttrState, LineKind, Origin, Segment } from '../model';
import { kindOf } from '../model';

/** What one line is, with the origin that wrote most of it. */
export interface LineAttribution {
  /** Zero-based line number. */
  readonly line: number;
  readonly kind: Exclude<LineKind, 'none'>;
  readonly origin: Origin;
}

/** A run of consecutive lines with one kind and origin, end inclusive, numbered as the lines it groups. */
export interface LineRun {
  readonly startLine: number;
  readonly endLine: number;
  readonly kind: Exclude<LineKind, 'none'>;
  readonly origin: Origin;
}

/** A labelled line break that is the whole of its (empty) line. */
interface BreakOnly extends LineAttribution {
  readonly breakOffset: number;
}

const rank: Record<Exclude<LineKind, 'none'>, number> = { unknown: 1, ai: 2, mixed: 3 };

interface Tally {
  content: Map<string, { origin: Origin; state: AttrState; count: number }>;
  breakLabel?: { origin: Origin; state: AttrState; offset: number };
  hasHumanContent: boolean;
}

/** Tallies labelled characters per line (internal; see {@link attributeLines}). */
function projectLines(
  segments: readonly Segment[],
  lineOf: (offset: number) => number,
): Array<LineAttribution | BreakOnly> {
  const lines = new Map<number, Tally>();
  const tally = (line: number): Tally => {
    let t = lines.get(line);
    if (!t) {
      t = { content: new Map(), hasHumanContent: false };
      lines.set(line, t);
    }
    return t;
  };
  for (const seg of segments) {
    let line = lineOf(seg.start);
    const text = seg.text;
    let runStart = 0;
    for (let i = 0; i <= text.length; i++) {
      const ch = text[i];
      const isBreak = ch === '\n' || ch === '\r';
      if (i === text.length || isBreak) {
        const n = i - runStart;
        if (n > 0) {
          const t = tally(line);
          const key = `${seg.origin.id}\u0000${seg.state}`;
          const entry = t.content.get(key);
          if (entry) entry.count += n;
          else t.content.set(key, { origin: seg.origin, state: seg.state, count: n });
        }
        if (isBreak) {
          tally(line).breakLabel ??= { origin: seg.origin, state: seg.state, offset: seg.start + i };
          // '\r\n' is one line break.
          if (ch === '\r' && text[i + 1] === '\n') i++;
          line++;
        }
        runStart = i + 1;
      }
    }
  }
  const out: Array<LineAttribution | BreakOnly> = [];
  for (const [line, t] of lines) {
    // The line's kind is the strongest kind on it; its origin is, among the origins that wrote
    // characters of that kind, the one with the most characters on the line overall.
    let kind: Exclude<LineKind, 'none'> | undefined;
    const perOrigin = new Map<string, { origin: Origin; count: number; kinds: Set<string> }>();
    for (const entry of t.content.values()) {
      const k = kindOf(entry.origin, entry.state) as Exclude<LineKind, 'none'>;
      if (!kind || rank[k] > rank[kind]) kind = k;
      const o = perOrigin.get(entry.origin.id);
      if (o) {
        o.count += entry.count;
        o.kinds.add(k);
      } else {
        perOrigin.set(entry.origin.id, { origin: entry.origin, count: entry.count, kinds: new Set([k]) });
      }
    }
    let best: { origin: Origin; count: number } | undefined;
    for (const o of perOrigin.values()) {
      if (kind && o.kinds.has(kind) && (!best || o.count > best.count)) best = o;
    }
    if (best && kind) {
      out.push({ line, kind, origin: best.origin });
    } else if (t.breakLabel && t.content.size === 0) {
      // Only the line break is labelled; attributeLines keeps this only for empty lines.
      out.push({ line, kind: kindOf(t.breakLabel.origin, t.breakLabel.state) as Exclude<LineKind, 'none'>, origin: t.breakLabel.origin, breakOffset: t.breakLabel.offset });
    }
  }
  return out.sort((a, b) => a.line - b.line);
}

/**
 * Which lines are attributed, with their kind and the origin that wrote most of each.
 * A line where only the break is labelled counts only when it is empty and the line before
 * it ends in an attributed break too (a blank line inside an AI block): the "\n" an AI
 * completion starts with belongs to the human line it follows, and pressing Enter at the end
 * of an AI line leaves the AI's break under a new, human, empty line.
 * @param lineOf maps an offset to its zero-based line (the editor's `positionAt`, or
 *   {@link LineIndex.lineOf} over the file text)
 * @param lineLength a line's length without its break
 */
export function attributeLines(
  segments: readonly Segment[],
  lineOf: (offset: number) => number,
  lineLength: (line: number) => number,
): LineAttribution[] {
  const withContent = new Set<number>();
  for (const seg of segments) {
    let line = lineOf(seg.start);
    for (let i = 0; i < seg.text.length; i++) {
      const ch = seg.text[i];
      if (ch === '\n' || ch === '\r') {
        if (ch === '\r' && seg.text[i + 1] === '\n') i++;
        line++;
      } else {
        withContent.add(line);
      }
    }
  }
  const attributedAt = (offset: number): boolean => isAttributed(segments, offset);
  return projectLines(segments, lineOf)
    .filter((l) => {
      if (withContent.has(l.line)) return true;
      if (lineLength(l.line) !== 0 || !('breakOffset' in l)) return false;
      return l.breakOffset === 0 || attributedAt(l.breakOffset - 1);
    })
    .map((l) => ({ line: l.line, kind: l.kind, origin: l.origin }));
}

/** Whether `offset` lies in one of the sorted, non-overlapping `segments`. */
export function isAttributed(segments: readonly Segment[], offset: number): boolean {
  let lo = 0;
  let hi = segments.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (segments[mid]!.end > offset) hi = mid;
    else lo = mid + 1;
  }
  return lo < segments.length && segments[lo]!.start <= offset;
}

/** Groups line attributions into runs of consecutive lines with the same kind and origin. */
export function toRuns(lines: readonly LineAttribution[]): LineRun[] {
  const runs: LineRun[] = [];
  // The run being extended, mutable until the next one starts: no copy per line (a commit
  // hook groups thousands of lines in a process that lives for one commit).
  let run: { startLine: number; endLine: number; kind: LineRun['kind']; origin: Origin } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (run && run.endLine + 1 === l.line && run.kind === l.kind && run.origin.id === l.origin.id) run.endLine = l.line;
    else runs.push((run = { startLine: l.line, endLine: l.line, kind: l.kind, origin: l.origin }));
  }
  return runs;
}

/** Line-start offsets of a text, for offset→line lookups outside the editor. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (ch === 10) this.starts.push(i + 1);
      else if (ch === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.starts.push(i + 1);
      }
    }
  }

  /** Number of lines (a text ending with a break has an empty last line). */
  get lineCount(): number {
    return this.starts.length;
  }

  /** Zero-based line of an offset. */
  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Offset where a zero-based line starts. */
  startOf(line: number): number {
    return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))]!;
  }

  /** Offset just past the line's content, before its break. */
  contentEndOf(line: number): number {
    const next = line + 1 < this.starts.length ? this.starts[line + 1]! : this.text.length;
    let end = next;
    if (end > this.startOf(line) && this.text[end - 1] === '\n') end--;
    if (end > this.startOf(line) && this.text[end - 1] === '\r') end--;
    return end;
  }

  /** Offset just past the line including its break. */
  endOf(line: number): number {
    return line + 1 < this.starts.length ? this.starts[line + 1]! : this.text.length;
  }

  /** Length of a line without its break. */
  lengthOf(line: number): number {
    return this.contentEndOf(line) - this.startOf(line);
  }
}

/** Whether a text ends with a line break ("\n", "\r\n" or "\r"). */
export function endsWithBreak(text: string): boolean {
  const last = text.charCodeAt(text.length - 1);
  return last === 10 || last === 13;
}

/** Line numbers (ascending) as text, consecutive ones as a span: `1-3, 7`. */
export function lineNumbersText(numbers: readonly number[]): string {
  const out: string[] = [];
  for (let i = 0; i < numbers.length; ) {
    let j = i;
    while (j + 1 < numbers.length && numbers[j + 1] === numbers[j]! + 1) j++;
    out.push(i === j ? String(numbers[i]) : `${numbers[i]}-${numbers[j]}`);
    i = j + 1;
  }
  return out.join(', ');
}
