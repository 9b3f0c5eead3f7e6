/**
 * The projection of character labels onto lines of src/core/lines/lines.ts (`attributeLines`),
 * computed a line at a time instead of a character at a time. Git hooks project every ledger
 * file of a commit in a process that lives for one commit, before the JIT has warmed up: there
 * the per-character walk cost ~100 ms for 5,000 AI lines, this ~5 ms. A randomized
 * differential test (test/unit/core/lines/lineProjection.test.ts) holds the two to the same output.
 */
import type { LineAttribution } from './lines';
import { isAttributed, LineIndex } from './lines';
import type { AttrState, LineKind, Origin, Segment } from '../model';
import { kindOf } from '../model';

type Kind = Exclude<LineKind, 'none'>;

/** The line lookups the projection needs, as {@link LineIndex} offers them. */
export type LineLookup = Pick<LineIndex, 'text' | 'lineOf' | 'startOf' | 'endOf' | 'contentEndOf' | 'lengthOf'>;

/**
 * Line starts of a text found with `indexOf` (native) rather than a character loop: the same
 * lines as {@link LineIndex} for a text with "\n" breaks only; a text with a "\r" gets a
 * LineIndex, which knows "\r\n" and lone "\r".
 */
export function lineLookup(text: string): LineLookup {
  if (text.includes('\r')) return new LineIndex(text);
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  const startOf = (line: number): number => starts[Math.max(0, Math.min(line, starts.length - 1))]!;
  const endOf = (line: number): number => (line + 1 < starts.length ? starts[line + 1]! : text.length);
  const contentEndOf = (line: number): number => {
    const end = endOf(line);
    return end > startOf(line) && text.charCodeAt(end - 1) === 10 ? end - 1 : end;
  };
  return {
    text,
    lineOf: (offset: number): number => {
      let lo = 0;
      let hi = starts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >>> 1;
        if (starts[mid]! <= offset) lo = mid;
        else hi = mid - 1;
      }
      return lo;
    },
    startOf,
    endOf,
    contentEndOf,
    lengthOf: (line: number): number => contentEndOf(line) - startOf(line),
  };
}

const rank: Record<Kind, number> = { unknown: 1, ai: 2, mixed: 3 };

interface Tally {
  readonly line: number;
  /** Labelled content characters by origin and state, in the order they appear. */
  readonly entries: Array<{ origin: Origin; state: AttrState; count: number }>;
  breakOffset: number;
  breakOrigin?: Origin;
  breakState?: AttrState;
}

/**
 * Which lines of `index.text` are attributed, with their kind and the origin that wrote most
 * of each: exactly `attributeLines(segments, lineOf, lengthOf)` over the same text. `segments`
 * must be sorted, non-overlapping, and describe `index.text`. Lines are numbered from
 * `firstLine` (0 as attributeLines does; 1 gives git's numbering without another pass).
 */
export function projectSegmentLines(segments: readonly Segment[], index: LineLookup, firstLine = 0): LineAttribution[] {
  // Only the first and last line of a segment can hold other segments' characters too: they
  // go through a tally. Lines strictly inside a segment are its alone, content and break,
  // and take its label directly (an empty one too: the break before it is the segment's).
  // Segments are sorted and each reaches its first line before its last, so lines are
  // tallied in ascending order: the line being tallied is the latest tally or a new one, and
  // both lists come out sorted, ready to be merged.
  const tallies: Tally[] = [];
  const tally = (line: number): Tally => {
    const last = tallies[tallies.length - 1];
    if (last && last.line === line) return last;
    const t: Tally = { line, entries: [], breakOffset: -1 };
    tallies.push(t);
    return t;
  };
  const inner: LineAttribution[] = [];
  const add = (seg: Segment, from: number, to: number, line: number): void => {
    const contentEnd = index.contentEndOf(line);
    const lineEnd = index.endOf(line);
    const contentTo = Math.min(to, contentEnd);
    if (contentTo > from) {
      const entries = tally(line).entries;
      let e: { count: number } | undefined;
      for (let i = 0; i < entries.length && !e; i++) if (entries[i]!.origin.id === seg.origin.id && entries[i]!.state === seg.state) e = entries[i];
      if (e) e.count += contentTo - from;
      else entries.push({ origin: seg.origin, state: seg.state, count: contentTo - from });
    }
    if (to > contentEnd && lineEnd > contentEnd) {
      // The segment holds (part of) this line's break: a line's first labelled break
      // character names its label.
      const t = tally(line);
      if (t.breakOffset < 0) {
        t.breakOffset = Math.max(from, contentEnd);
        t.breakOrigin = seg.origin;
        t.breakState = seg.state;
      }
    }
  };
  // Indexed loops: this runs before the JIT has warmed up, where a for-of step allocates.
  for (let s = 0; s < segments.length; s++) {
    const seg = segments[s]!;
    if (seg.end <= seg.start) continue;
    const first = index.lineOf(seg.start);
    const last = index.lineOf(seg.end - 1);
    add(seg, seg.start, Math.min(seg.end, index.endOf(first)), first);
    if (last === first) continue;
    const kind = kindOf(seg.origin, seg.state) as Kind;
    for (let l = first + 1; l < last; l++) inner.push({ line: l + firstLine, kind, origin: seg.origin });
    add(seg, index.startOf(last), seg.end, last);
  }
  const out: LineAttribution[] = [];
  let next = 0;
  const emit = (l: LineAttribution): void => {
    while (next < inner.length && inner[next]!.line < l.line) out.push(inner[next++]!);
    out.push(l);
  };
  for (let i = 0; i < tallies.length; i++) {
    const t = tallies[i]!;
    const line = t.line;
    if (t.entries.length === 1) {
      // One origin and state on the line (the usual case): its label.
      const e = t.entries[0]!;
      emit({ line: line + firstLine, kind: kindOf(e.origin, e.state) as Kind, origin: e.origin });
    } else if (t.entries.length > 0) {
      // The line's kind is the strongest on it; its origin, among the origins that wrote
      // characters of that kind, the one with the most characters on the line overall.
      let kind: Kind | undefined;
      const perOrigin = new Map<string, { origin: Origin; count: number; kinds: Set<Kind> }>();
      for (const e of t.entries) {
        const k = kindOf(e.origin, e.state) as Kind;
        if (!kind || rank[k] > rank[kind]) kind = k;
        const o = perOrigin.get(e.origin.id);
        if (o) {
          o.count += e.count;
          o.kinds.add(k);
        } else perOrigin.set(e.origin.id, { origin: e.origin, count: e.count, kinds: new Set([k]) });
      }
      let best: { origin: Origin; count: number } | undefined;
      for (const o of perOrigin.values()) if (o.kinds.has(kind!) && (!best || o.count > best.count)) best = o;
      emit({ line: line + firstLine, kind: kind!, origin: best!.origin });
    } else if (t.breakOffset >= 0 && index.lengthOf(line) === 0 && (t.breakOffset === 0 || isAttributed(segments, t.breakOffset - 1))) {
      // A blank line counts when the line before it ends in an attributed break too.
      emit({ line: line + firstLine, kind: kindOf(t.breakOrigin!, t.breakState!) as Kind, origin: t.breakOrigin! });
    }
  }
  while (next < inner.length) out.push(inner[next++]!);
  return out;
}

/**
 * {@link projectSegmentLines} for the usual ledger: every segment covers whole lines (it starts
 * at a line start and ends just after a "\n") of a text without "\r". No line index is built:
 * one pass counts the lines up to each segment. Undefined when a segment is not of that shape
 * (the caller then projects with a line lookup); otherwise exactly projectSegmentLines' lines
 * (the randomized differential test in test/unit/core/lines/lineProjection.test.ts holds them equal).
 *
 * Why the result is simple: no other segment has a character on the lines of a whole-line
 * segment, so each of them takes its label, except an empty first line: its only character,
 * the break, counts only at the start of the text or when the line before ends in an
 * attributed break (see attributeLines), that is, when the segment before ends where it starts.
 */
export function projectWholeLines(segments: readonly Segment[], text: string, firstLine = 0): LineAttribution[] | undefined {
  if (segments.length === 0) return [];
  if (text.includes('\r')) return undefined;
  const out: LineAttribution[] = [];
  // `line` is the zero-based line that starts at offset `pos`.
  let line = 0;
  let pos = 0;
  let previousEnd = -1;
  // Indexed loops: this runs before the JIT has warmed up, where a for-of step allocates.
  for (let s = 0; s < segments.length; s++) {
    const seg = segments[s]!;
    if (seg.end <= seg.start) continue;
    if (seg.start < pos || (seg.start > 0 && text.charCodeAt(seg.start - 1) !== 10) || text.charCodeAt(seg.end - 1) !== 10) return undefined;
    while (pos < seg.start) {
      pos = text.indexOf('\n', pos) + 1;
      line++;
    }
    const kind = kindOf(seg.origin, seg.state) as Kind;
    const emptyFirst = text.charCodeAt(seg.start) === 10;
    if (!emptyFirst || seg.start === 0 || previousEnd === seg.start) out.push({ line: line + firstLine, kind, origin: seg.origin });
    pos = text.indexOf('\n', pos) + 1;
    line++;
    while (pos < seg.end) {
      out.push({ line: line + firstLine, kind, origin: seg.origin });
      pos = text.indexOf('\n', pos) + 1;
      line++;
    }
    previousEnd = seg.end;
  }
  return out;
}
