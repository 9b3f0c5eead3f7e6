/**
 * The range engine: which characters of one document were written by AI, kept exact through
 * every later edit. Pure: it sees offsets and text, never an editor.
 *
 * Semantics (the brute-force reference in test/unit/core/tracking/attributionReference.ts implements
 * the same rules one character at a time, and a randomized test holds the two together):
 * - An AI edit labels the text it inserts `ai` with its origin; text it replaces is gone.
 * - A human edit labels nothing, except when it lands *inside* attributed text of a line:
 *   then the inserted characters become `mixed` (keeping the origin they were typed into),
 *   and the attributed characters of the touched line(s) around the edit flip `ai → mixed`.
 *   "Inside" means: the characters just left and right of the edit are attributed and are not
 *   line breaks; or the edit removed attributed text and sits against attributed, non-break
 *   text on its line.
 * - A human edit that puts non-whitespace text onto either end of attributed text on its line
 *   (appending to an AI line, commenting it out) joins that line: the part of the inserted
 *   text on that line becomes `mixed` and the line's attributed run flips `ai → mixed`.
 *   Whitespace alone (indenting, pressing Enter at either end) leaves the AI line as it was,
 *   and whole lines a person inserts are theirs.
 * - A move (text cut or copied inside the editor, then pasted) inserts its text with the labels
 *   it had where it came from; nothing around it changes.
 * - Undo and redo restore the labels exactly when they invert the engine's own last edits
 *   (the usual case); otherwise removed text loses its label and re-inserted text takes the
 *   label it had when it was removed, if that text is remembered.
 *
 * Storage is a sorted sequence of maximal segments in a block structure (segmentStore.ts), so
 * an edit costs O(block size + blocks), not O(segments), wherever it lands.
 */
import type { AttrState, ContentChange, EditCause, MovedPiece, Origin, Segment } from '../model';
import type { StoredSegment } from './segmentStore';
import { SegmentStore } from './segmentStore';

/** A removed, attributed piece, relative to the edit's offset. */
interface Piece {
  readonly rel: number;
  readonly text: string;
  readonly origin: Origin;
  readonly state: AttrState;
}

interface Step {
  readonly change: ContentChange;
  readonly removed: readonly Piece[];
  /** Ranges (post-change offsets) that this step turned from `ai` into `mixed`. */
  readonly flips: ReadonlyArray<readonly [number, number]>;
}

interface HistoryEntry {
  readonly cause: EditCause;
  readonly steps: readonly Step[];
}

interface Tombstone {
  readonly at: number;
  readonly pieces: readonly Piece[];
}

/** How many edits the exact undo path remembers; VS Code's own undo stack is deeper, but
 * undoing hundreds of edits back is rare and the fallback still keeps remembered labels. */
const historyLimit = 500;
const tombstoneLimit = 200;

function isBreak(ch: string | undefined): boolean {
  return ch === '\n' || ch === '\r';
}

/** How many consecutive typing events one undo stop may cover for the exact undo path. */
const coalesceLimit = 200;

/** A net change over the document before a run of edits: `[offset, offset+removed)` → `inserted` chars. */
interface NetChange {
  offset: number;
  removed: number;
  inserted: number;
}

/**
 * The net changes of a run of edits, as VS Code reports them when it undoes or redoes the run as
 * one stop: edits that touch merge into one change, the rest stay apart. Sorted by descending
 * offset, each offset valid before the run.
 */
function composeEntries(entries: readonly HistoryEntry[]): NetChange[] {
  // Spans over the original text, ascending: [os, oe) became `n` characters.
  let spans: Array<{ os: number; oe: number; n: number }> = [];
  for (const entry of entries) {
    for (const step of entry.steps) {
      const c = step.change;
      const cs = c.rangeOffset;
      const ce = c.rangeOffset + c.rangeLength;
      const next: typeof spans = [];
      let shift = 0;
      let merged: { curStart: number; curEnd: number; os: number; oe: number } | undefined;
      let placed = false;
      for (const sp of spans) {
        const curStart = sp.os + shift;
        const curEnd = curStart + sp.n;
        if (curEnd < cs || placed) {
          next.push(sp);
          shift += sp.n - (sp.oe - sp.os);
          continue;
        }
        if (curStart > ce) {
          if (!merged) merged = { curStart: cs, curEnd: ce, os: cs - shift, oe: ce - shift };
          next.push({ os: merged.os, oe: merged.oe, n: merged.curEnd - merged.curStart - c.rangeLength + c.text.length });
          placed = true;
          next.push(sp);
          shift += sp.n - (sp.oe - sp.os);
          continue;
        }
        // Overlaps or touches the change: fold it in.
        if (!merged) {
          const start = Math.min(cs, curStart);
          merged = { curStart: start, curEnd: Math.max(ce, curEnd), os: sp.os - (curStart - start), oe: sp.oe + Math.max(0, ce - curEnd) };
        } else {
          merged.oe = sp.oe + Math.max(0, ce - curEnd);
          merged.curEnd = Math.max(ce, curEnd);
        }
        shift += sp.n - (sp.oe - sp.os);
      }
      if (!placed) {
        if (!merged) merged = { curStart: cs, curEnd: ce, os: cs - shift, oe: ce - shift };
        next.push({ os: merged.os, oe: merged.oe, n: merged.curEnd - merged.curStart - c.rangeLength + c.text.length });
      }
      spans = next;
    }
  }
  return spans
    .filter((sp) => sp.oe > sp.os || sp.n > 0)
    .map((sp) => ({ offset: sp.os, removed: sp.oe - sp.os, inserted: sp.n }))
    .reverse();
}

/** What VS Code reports when it undoes net changes (descending offsets, after the run). */
function inverseOfNet(net: readonly NetChange[]): NetChange[] {
  return net.map((x, i) => {
    let shift = 0;
    for (let j = i + 1; j < net.length; j++) shift += net[j]!.inserted - net[j]!.removed;
    return { offset: x.offset + shift, removed: x.inserted, inserted: x.removed };
  });
}

/** Index of the last line break in `text` before `before`, or -1 (native scans: lines can be long). */
function lastBreak(text: string, before: number): number {
  const at = Math.min(before, text.length) - 1;
  if (at < 0) return -1;
  return Math.max(text.lastIndexOf('\n', at), text.lastIndexOf('\r', at));
}

/** Index of the first line break in `text` at or after `from`, or -1. */
function firstBreak(text: string, from: number): number {
  const n = text.indexOf('\n', Math.max(0, from));
  const r = text.indexOf('\r', Math.max(0, from));
  return n < 0 ? r : r < 0 ? n : Math.min(n, r);
}

function sameLabel(a: StoredSegment, b: StoredSegment): boolean {
  return a.origin.id === b.origin.id && a.state === b.state;
}

function mergeRuns(list: StoredSegment[]): StoredSegment[] {
  const out: StoredSegment[] = [];
  for (const seg of list) {
    if (seg.end <= seg.start) continue;
    const prev = out[out.length - 1];
    if (prev && prev.end === seg.start && sameLabel(prev, seg)) {
      prev.end = seg.end;
      prev.text += seg.text;
    } else {
      out.push(seg);
    }
  }
  return out;
}

/** The segments of moved text `t` inserted at `s`: the pieces that fit in it, nothing else. */
function movedSegments(s: number, t: string, pieces: readonly MovedPiece[]): StoredSegment[] {
  const out: StoredSegment[] = [];
  let last = 0;
  for (const p of [...pieces].sort((a, b) => a.rel - b.rel)) {
    if (p.rel < last || p.length <= 0 || p.rel + p.length > t.length) continue;
    out.push({ start: s + p.rel, end: s + p.rel + p.length, origin: p.origin, state: p.state, text: t.slice(p.rel, p.rel + p.length) });
    last = p.rel + p.length;
  }
  return out;
}

/** Tracks AI attribution for one document. */
export class AttributionTracker {
  private store: SegmentStore;
  private length: number;
  private history: HistoryEntry[] = [];
  /** Undone groups: one entry, or several typing events VS Code undid as one stop. */
  private redoStack: HistoryEntry[][] = [];
  private tombstones: Tombstone[] = [];
  private readonly blockSize: number | undefined;

  /**
   * @param docLength the document's length in UTF-16 code units
   * @param segments attributed segments to start from (sorted, non-overlapping)
   * @param options.blockSize storage block size (tests shrink it to exercise block splits)
   */
  constructor(docLength: number, segments: readonly Segment[] = [], options: { blockSize?: number | undefined } = {}) {
    this.length = docLength;
    let last = 0;
    for (const s of segments) {
      if (s.start < last || s.end > docLength || s.end - s.start !== s.text.length) {
        throw new RangeError(`segment ${s.start}-${s.end} does not fit the document`);
      }
      last = s.end;
    }
    this.blockSize = options.blockSize;
    this.store = new SegmentStore(mergeRuns(segments.map((s) => ({ ...s }))), options.blockSize);
  }

  /** The document length the tracker believes in; a mismatch means it lost sync. */
  get docLength(): number {
    return this.length;
  }

  /** Number of stored segments (for benchmarks and tests). */
  get segmentCount(): number {
    return this.store.length;
  }

  /** All attributed segments in document order, with current offsets. */
  segments(): Segment[] {
    return this.store.toArray();
  }

  /** The attributed segments overlapping `[start, end)`, clipped to it (cheap: no full scan). */
  segmentsIn(start: number, end: number): Segment[] {
    const out: Segment[] = [];
    for (let k = this.store.firstEndAfter(start); k < this.store.length && this.store.start(k) < end; k++) {
      const seg = this.store.get(k);
      const a = Math.max(start, seg.start);
      const b = Math.min(end, seg.end);
      if (b > a) out.push({ start: a, end: b, origin: seg.origin, state: seg.state, text: seg.text.slice(a - seg.start, b - seg.start) });
    }
    return out;
  }

  /** The label of one character, or undefined where nothing is attributed. */
  labelAt(offset: number): { origin: Origin; state: AttrState } | undefined {
    const i = this.store.firstEndAfter(offset);
    if (i < this.store.length && this.store.start(i) <= offset) {
      const s = this.store.raw(i);
      return { origin: s.origin, state: s.state };
    }
    return undefined;
  }

  /**
   * Applies one editor change event. Throws RangeError when a change does not fit the
   * document as the tracker knows it; the caller must then rebuild from the document.
   */
  applyEdit(changes: readonly ContentChange[], cause: EditCause): void {
    if (changes.length === 0) return;
    if (cause.type === 'undo' || cause.type === 'redo') {
      this.applyUndoRedo(changes, cause.type);
      return;
    }
    const steps: Step[] = [];
    for (const change of changes) steps.push(this.applyOne(change, cause));
    this.history.push({ cause, steps });
    if (this.history.length > historyLimit) this.history.shift();
    this.redoStack.length = 0;
  }

  /**
   * Re-attributes the last edit, which was applied as a person's: evidence that it was
   * something else arrived only after it (the accept keybinding reports an inline accept
   * once the editor has applied it). The edit is undone exactly, labels and flips included,
   * and applied again as `changes` (the same edit, possibly narrowed to what really changed)
   * with `cause`. Returns false, changing nothing, when the last edit the tracker remembers is
   * not `applied` as a person's edit.
   */
  relabelLast(applied: readonly ContentChange[], changes: readonly ContentChange[], cause: EditCause): boolean {
    const top = this.history[this.history.length - 1];
    if (!top || top.cause.type !== 'human' || this.redoStack.length > 0 || top.steps.length !== applied.length) return false;
    const same = top.steps.every((st, i) => {
      const c = applied[i]!;
      return st.change.rangeOffset === c.rangeOffset && st.change.rangeLength === c.rangeLength && st.change.text === c.text;
    });
    if (!same) return false;
    this.history.pop();
    this.invert(top);
    this.applyEdit(changes, cause);
    return true;
  }

  /**
   * Labels `[start, end)` as written by `origin` (or clears it when `origin` is undefined),
   * whatever it was before. `text` is the document text of that range. Used for manual
   * marks, agent hook records and the external-change guess.
   */
  mark(start: number, end: number, text: string, origin: Origin | undefined, state: AttrState = 'ai'): void {
    if (start < 0 || end > this.length || start > end || text.length !== end - start) {
      throw new RangeError(`mark ${start}-${end} does not fit the document`);
    }
    this.rewrite(start, end, false, (local) => {
      const out = this.cut(local, start, end, 0).kept;
      const at = out.findIndex((s) => s.start >= end);
      const inserted: StoredSegment[] = origin && end > start ? [{ start, end, origin, state, text }] : [];
      out.splice(at < 0 ? out.length : at, 0, ...inserted);
      return out;
    }, 0);
    // A mark changes labels without an editor edit; old undo records no longer describe it.
    this.history.length = 0;
    this.redoStack.length = 0;
  }

  // ---- internals -------------------------------------------------------------------------

  /**
   * Rewrites the segments around `[s, e]` through `fn`, which receives them with real
   * pre-edit offsets and returns them with post-edit offsets. With `extendRuns`, the window
   * also takes the contiguous attributed run of the edit's line(s), which a flip may touch.
   */
  private rewrite(s: number, e: number, extendRuns: boolean, fn: (local: StoredSegment[]) => StoredSegment[], delta: number): void {
    const st = this.store;
    const n = st.length;
    let a = st.firstEndAfter(s - 1);
    let b = a;
    while (b < n && st.start(b) <= e) b++;
    if (extendRuns) {
      while (a > 0 && a < n && st.end(a - 1) === st.start(a)) {
        const before = Math.max(0, Math.min(st.end(a), s) - st.start(a));
        if (lastBreak(st.raw(a).text, before) >= 0) break;
        a--;
      }
      while (b > a && b < n && st.start(b) === st.end(b - 1)) {
        if (firstBreak(st.raw(b - 1).text, Math.max(0, e - st.start(b - 1))) >= 0) break;
        b++;
      }
    }
    const local: StoredSegment[] = [];
    for (let i = a; i < b; i++) local.push(st.get(i));
    const out = mergeRuns(fn(local));
    st.replace(a, b, out, delta);
    this.length += delta;
  }

  /** Splits `local` around a replacement of `[s, e)`: kept parts (shifted) and removed pieces. */
  private cut(local: readonly StoredSegment[], s: number, e: number, delta: number): { kept: StoredSegment[]; removed: Piece[] } {
    const kept: StoredSegment[] = [];
    const removed: Piece[] = [];
    for (const seg of local) {
      if (seg.end <= s) {
        kept.push(seg);
      } else if (seg.start >= e) {
        kept.push({ ...seg, start: seg.start + delta, end: seg.end + delta });
      } else {
        if (seg.start < s) kept.push({ ...seg, end: s, text: seg.text.slice(0, s - seg.start) });
        const rs = Math.max(seg.start, s);
        const re = Math.min(seg.end, e);
        if (re > rs) {
          removed.push({ rel: rs - s, text: seg.text.slice(rs - seg.start, re - seg.start), origin: seg.origin, state: seg.state });
        }
        if (seg.end > e) {
          kept.push({ ...seg, start: Math.max(seg.start, e) + delta, end: seg.end + delta, text: seg.text.slice(Math.max(seg.start, e) - seg.start) });
        }
      }
    }
    return { kept, removed };
  }

  private checkFits(change: ContentChange): void {
    const s = change.rangeOffset;
    const e = s + change.rangeLength;
    if (!(s >= 0 && change.rangeLength >= 0 && e <= this.length)) {
      throw new RangeError(`change ${s}+${change.rangeLength} outside a document of length ${this.length}`);
    }
  }

  private pushTombstone(at: number, pieces: readonly Piece[]): void {
    if (pieces.length === 0) return;
    this.tombstones.push({ at, pieces });
    if (this.tombstones.length > tombstoneLimit) this.tombstones.shift();
  }

  /** Applies one human or AI change with the labelling rules above. */
  private applyOne(change: ContentChange, cause: EditCause): Step {
    this.checkFits(change);
    const s = change.rangeOffset;
    const r = change.rangeLength;
    const e = s + r;
    const t = change.text;
    const delta = t.length - r;
    const human = cause.type === 'human';
    let removed: Piece[] = [];
    const flips: Array<readonly [number, number]> = [];
    const join = { left: false, right: false };
    this.rewrite(s, e, human, (local) => {
      const charAt = (off: number): { seg: StoredSegment; ch: string } | undefined => {
        for (const seg of local) if (seg.start <= off && off < seg.end) return { seg, ch: seg.text[off - seg.start]! };
        return undefined;
      };
      const cutResult = this.cut(local, s, e, delta);
      removed = cutResult.removed;
      let label: { origin: Origin; state: AttrState } | undefined;
      let inside = false;
      if (cause.type === 'moved') {
        // Moved text keeps its labels and changes nothing around it, like an AI edit.
        const kept = [...cutResult.kept.filter((seg) => seg.start < s), ...movedSegments(s, t, cause.pieces), ...cutResult.kept.filter((seg) => seg.start >= s)];
        return kept;
      }
      if (cause.type === 'ai') {
        label = { origin: cause.origin, state: 'ai' };
      } else {
        const left = charAt(s - 1);
        const right = charAt(e);
        const leftIn = left !== undefined && !isBreak(left.ch);
        const rightIn = right !== undefined && !isBreak(right.ch);
        const lastDel = r > 0 ? charAt(e - 1) : undefined;
        const delEndsWithBreak = r > 0 && (lastDel ? isBreak(lastDel.ch) : change.range.end.character === 0);
        // A removal that starts with an AI line break (Backspace on an empty line below an AI
        // line) edits the line below, not the AI line above it.
        const firstDel = r > 0 ? charAt(s) : undefined;
        const delStartsWithAttrBreak = firstDel !== undefined && isBreak(firstDel.ch);
        inside = (leftIn && rightIn) || (removed.length > 0 && ((leftIn && !delStartsWithAttrBreak) || (rightIn && !delEndsWithBreak)));
        // Text a person types onto either end of AI text on its line (appending, commenting
        // out) makes that line theirs too; whitespace alone (indenting, Enter) does not.
        const fb = firstBreak(t, 0);
        const leftOrigin = inside ? undefined : this.lastOriginOnLine(s - change.range.start.character, s);
        join.left = leftOrigin !== undefined && /\S/.test(fb < 0 ? t : t.slice(0, fb));
        join.right = !inside && rightIn && /\S/.test(fb < 0 ? t : t.slice(lastBreak(t, t.length) + 1));
        if (inside) {
          const origin = leftIn ? left.seg.origin : rightIn ? right.seg.origin : removed[0]!.origin;
          label = { origin, state: 'mixed' };
        } else if (join.left || join.right) {
          label = { origin: join.left ? leftOrigin! : right!.seg.origin, state: 'mixed' };
        }
      }
      const before: StoredSegment[] = [];
      const after: StoredSegment[] = [];
      for (const seg of cutResult.kept) (seg.start < s ? before : after).push(seg);
      const inserted: StoredSegment[] = [];
      if (label && t.length > 0) {
        if (cause.type === 'ai') {
          inserted.push({ start: s, end: s + t.length, origin: label.origin, state: label.state, text: t });
        } else {
          // A person's text inside an AI line is `mixed` on the AI lines it joins; whole lines
          // a person pastes in between are theirs.
          const fb = firstBreak(t, 0);
          const lb = fb < 0 ? -1 : lastBreak(t, t.length);
          const head = fb < 0 ? t.length : fb;
          // Across line breaks, a one-sided join labels only the part on the AI text's line.
          const labelHead = inside || join.left || fb < 0;
          const labelTail = inside || join.right;
          if (head > 0 && labelHead) inserted.push({ start: s, end: s + head, origin: label.origin, state: label.state, text: t.slice(0, head) });
          if (fb >= 0 && lb + 1 < t.length && labelTail) inserted.push({ start: s + lb + 1, end: s + t.length, origin: label.origin, state: label.state, text: t.slice(lb + 1) });
        }
      }
      if (inside) this.flipLeft(before, s, flips);
      if (inside || join.right || (firstBreak(t, 0) < 0 && join.left)) this.flipRight(after, s + t.length, flips);
      return [...before, ...inserted, ...after];
    }, delta);
    // Joined from the left, or onto the line's text on the right: all of the line's attributed
    // text before the edit is now on a line a person also wrote.
    if (join.left || (join.right && firstBreak(t, 0) < 0)) this.flipRange(s - change.range.start.character, s, flips);
    this.pushTombstone(s, removed);
    return { change, removed, flips };
  }

  /** The origin of the last attributed character in `[lineStart, s)` (one line), if any. */
  private lastOriginOnLine(lineStart: number, s: number): Origin | undefined {
    if (s <= lineStart) return undefined;
    const st = this.store;
    let k = st.firstEndAfter(s - 1);
    if (!(k < st.length && st.start(k) < s)) k--;
    return k >= 0 && st.end(k) > lineStart ? st.raw(k).origin : undefined;
  }

  /** Turns every `ai` character of `[x, y)` (post-edit offsets) into `mixed`, recording the flips. */
  private flipRange(x: number, y: number, flips: Array<readonly [number, number]>): void {
    const st = this.store;
    const ranges: Array<readonly [number, number]> = [];
    for (let k = st.firstEndAfter(x); k < st.length && st.start(k) < y; k++) {
      if (st.raw(k).state !== 'ai') continue;
      ranges.push([Math.max(x, st.start(k)), Math.min(y, st.end(k))]);
    }
    for (const [a, b] of ranges) {
      this.setState(a, b, 'mixed');
      flips.push([a, b]);
    }
  }

  /** Turns the attributed run ending at `cursor` (back to the line break) from ai to mixed. */
  private flipLeft(before: StoredSegment[], cursor: number, flips: Array<readonly [number, number]>): void {
    for (let i = before.length - 1; i >= 0; i--) {
      const seg = before[i]!;
      if (seg.end !== cursor) return;
      const br = lastBreak(seg.text, seg.text.length);
      const from = seg.start + br + 1;
      if (seg.state === 'ai' && from < seg.end) {
        const parts: StoredSegment[] = [];
        if (from > seg.start) parts.push({ ...seg, end: from, text: seg.text.slice(0, from - seg.start) });
        parts.push({ ...seg, start: from, state: 'mixed', text: seg.text.slice(from - seg.start) });
        before.splice(i, 1, ...parts);
        flips.push([from, seg.end]);
      }
      if (br >= 0) return;
      cursor = seg.start;
    }
  }

  /** Turns the attributed run starting at `cursor` (up to the line break) from ai to mixed. */
  private flipRight(after: StoredSegment[], cursor: number, flips: Array<readonly [number, number]>): void {
    for (let i = 0; i < after.length; i++) {
      const seg = after[i]!;
      if (seg.start !== cursor) return;
      const br = firstBreak(seg.text, 0);
      const to = br >= 0 ? seg.start + br : seg.end;
      if (seg.state === 'ai' && to > seg.start) {
        const parts: StoredSegment[] = [{ ...seg, end: to, state: 'mixed', text: seg.text.slice(0, to - seg.start) }];
        if (to < seg.end) parts.push({ ...seg, start: to, text: seg.text.slice(to - seg.start) });
        after.splice(i, 1, ...parts);
        i += parts.length - 1;
        flips.push([seg.start, to]);
      }
      if (br >= 0) return;
      cursor = seg.end;
    }
  }

  /** Replaces `[s, s+removeLen)` by `insertLen` characters labelled only where `pieces` say. */
  private replaceWithPieces(s: number, removeLen: number, insertLen: number, pieces: readonly Piece[]): Piece[] {
    const e = s + removeLen;
    const delta = insertLen - removeLen;
    let removed: Piece[] = [];
    this.rewrite(s, e, false, (local) => {
      const res = this.cut(local, s, e, delta);
      removed = res.removed;
      const at = res.kept.findIndex((seg) => seg.start >= s);
      const inserted = pieces.map((p) => ({ start: s + p.rel, end: s + p.rel + p.text.length, origin: p.origin, state: p.state, text: p.text }));
      const out = res.kept.slice();
      out.splice(at < 0 ? out.length : at, 0, ...inserted);
      return out;
    }, delta);
    return removed;
  }

  private setState(x: number, y: number, state: AttrState): void {
    this.rewrite(x, y, false, (local) => {
      const out: StoredSegment[] = [];
      for (const seg of local) {
        if (seg.end <= x || seg.start >= y || seg.state === state) {
          out.push(seg);
          continue;
        }
        const a = Math.max(seg.start, x);
        const b = Math.min(seg.end, y);
        if (a > seg.start) out.push({ ...seg, end: a, text: seg.text.slice(0, a - seg.start) });
        out.push({ ...seg, start: a, end: b, state, text: seg.text.slice(a - seg.start, b - seg.start) });
        if (b < seg.end) out.push({ ...seg, start: b, text: seg.text.slice(b - seg.start) });
      }
      return out;
    }, 0);
  }

  /**
   * The changes VS Code reports when it undoes `entry`: each step inverted, at its offset
   * after the steps with lower offsets were applied (VS Code lists changes of one event in
   * descending offset order, so each step's own offset is a pre-event offset).
   */
  private inverseOf(entry: HistoryEntry): Array<{ offset: number; removed: number; inserted: number }> {
    return entry.steps.map((step, i) => {
      let shift = 0;
      for (let j = i + 1; j < entry.steps.length; j++) {
        const c = entry.steps[j]!.change;
        shift += c.text.length - c.rangeLength;
      }
      const c = step.change;
      return { offset: c.rangeOffset + shift, removed: c.text.length, inserted: c.rangeLength };
    });
  }

  private applyUndoRedo(changes: readonly ContentChange[], type: 'undo' | 'redo'): void {
    if (type === 'undo') {
      const group = this.undoGroupFor(changes);
      if (group && this.tryExact(changes, () => {
        for (let g = group.length - 1; g >= 0; g--) this.invert(group[g]!);
      })) {
        this.history.length -= group.length;
        this.redoStack.push(group);
        return;
      }
    } else {
      const group = this.redoStack[this.redoStack.length - 1];
      let redone: HistoryEntry[] = [];
      if (group && (this.matches(changes, this.forwardOf(group[0]!)) && group.length === 1 || this.matches(changes, composeEntries(group))) && this.tryExact(changes, () => {
        redone = group.map((entry) => ({ cause: entry.cause, steps: entry.steps.map((st) => this.applyOne(st.change, entry.cause)) }));
      })) {
        this.redoStack.pop();
        this.history.push(...redone);
        return;
      }
    }
    // Not an inverse of what we saw (e.g. VS Code merged several typing events into one undo
    // stop): apply plainly, restoring remembered labels of re-inserted text.
    this.history.length = 0;
    this.redoStack.length = 0;
    for (const change of changes) {
      this.checkFits(change);
      const pieces = this.rememberedPieces(change.rangeOffset, change.text);
      const removed = this.replaceWithPieces(change.rangeOffset, change.rangeLength, change.text.length, pieces);
      this.pushTombstone(change.rangeOffset, removed);
    }
  }

  /**
   * Runs an exact undo or redo, then checks that every label it put back lies on the text the
   * event really inserted. The history matches events by shape (offsets and lengths), so an
   * event of the same shape with other text (one VS Code merged differently) could otherwise
   * restore labels onto characters they never belonged to; then the labels are put back as
   * they were and false is returned.
   */
  private tryExact(changes: readonly ContentChange[], run: () => void): boolean {
    const saved = this.store.toArray();
    const length = this.length;
    run();
    if (this.insertedTextFits(changes)) return true;
    this.store = new SegmentStore(saved, this.blockSize);
    this.length = length;
    return false;
  }

  /** Whether the segments over each change's inserted text (after the event) match that text. */
  private insertedTextFits(changes: readonly ContentChange[]): boolean {
    for (let i = 0; i < changes.length; i++) {
      const c = changes[i]!;
      // Changes come in descending offsets, applied in turn: the later (lower) ones shift this one.
      let at = c.rangeOffset;
      for (let j = i + 1; j < changes.length; j++) at += changes[j]!.text.length - changes[j]!.rangeLength;
      const end = at + c.text.length;
      for (let k = this.store.firstEndAfter(at); k < this.store.length && this.store.start(k) < end; k++) {
        const seg = this.store.raw(k);
        const start = this.store.start(k);
        const from = Math.max(start, at);
        const to = Math.min(this.store.end(k), end);
        if (seg.text.slice(from - start, to - start) !== c.text.slice(from - at, to - at)) return false;
      }
    }
    return true;
  }

  /**
   * The last history entries this undo event inverts: the top entry alone, or the last few
   * entries VS Code undid as one stop (a typed word, a backspace run, typing in two places
   * without an undo stop between).
   */
  private undoGroupFor(changes: readonly ContentChange[]): HistoryEntry[] | undefined {
    const top = this.history[this.history.length - 1];
    if (!top) return undefined;
    if (this.matches(changes, this.inverseOf(top))) return [top];
    for (let k = 1; k <= Math.min(coalesceLimit, this.history.length); k++) {
      const group = this.history.slice(-k);
      if (this.matches(changes, inverseOfNet(composeEntries(group)))) return group;
    }
    return undefined;
  }

  /** Exactly undoes one entry, restoring removed labels and reverting flips. */
  private invert(entry: HistoryEntry): void {
    for (let i = entry.steps.length - 1; i >= 0; i--) {
      const step = entry.steps[i]!;
      for (const [x, y] of step.flips) this.setState(x, y, 'ai');
      const c = step.change;
      this.replaceWithPieces(c.rangeOffset, c.text.length, c.rangeLength, step.removed);
    }
  }

  private forwardOf(entry: HistoryEntry): Array<{ offset: number; removed: number; inserted: number }> {
    return entry.steps.map((st) => ({ offset: st.change.rangeOffset, removed: st.change.rangeLength, inserted: st.change.text.length }));
  }

  private matches(changes: readonly ContentChange[], expected: ReadonlyArray<{ offset: number; removed: number; inserted: number }>): boolean {
    if (changes.length !== expected.length) return false;
    return changes.every((c, i) => {
      const x = expected[i]!;
      return c.rangeOffset === x.offset && c.rangeLength === x.removed && c.text.length === x.inserted;
    });
  }

  /** Labels for `text` re-inserted at `at`, from pieces removed earlier at the same place. */
  private rememberedPieces(at: number, text: string): Piece[] {
    const found: Piece[] = [];
    const taken = (a: number, b: number): boolean => found.some((p) => a < p.rel + p.text.length && p.rel < b);
    for (let t = this.tombstones.length - 1; t >= 0; t--) {
      const tomb = this.tombstones[t]!;
      for (const p of tomb.pieces) {
        const rel = tomb.at + p.rel - at;
        if (rel < 0 || rel + p.text.length > text.length) continue;
        if (text.slice(rel, rel + p.text.length) !== p.text || taken(rel, rel + p.text.length)) continue;
        found.push({ ...p, rel });
      }
    }
    return found.sort((a, b) => a.rel - b.rel);
  }
}
