/**
 * A brute-force reference model of the range engine (src/core/tracking/attributionTracker.ts), written
 * from the semantics alone: the document is a string and every character carries its own
 * label (or none). Each rule is applied one character at a time, so it is slow and obviously
 * right; the randomized test holds the engine to it.
 *
 * Rules (the spec the engine must meet):
 * - `ai` edit: inserted characters get `{origin, 'ai'}`; removed characters are gone; nothing
 *   else changes.
 * - `human` edit replacing `[s, e)`: with L the character at s−1 and R the one at e (before the
 *   change), leftIn / rightIn = that character exists, is attributed and is not a line break;
 *   removedAttr = some character of `[s, e)` is attributed; delEndsWithBreak = the change
 *   removes something and the character at e−1 is a line break.
 *   inside = (leftIn && rightIn) || (removedAttr && ((leftIn && !delStartsWithAttrBreak) ||
 *   (rightIn && !delEndsWithBreak))), where delStartsWithAttrBreak = the first removed character
 *   is an attributed line break. Inserted text from its first to its last line break is not
 *   attributed even when inside (whole lines a person pastes are theirs).
 *   If inside, the inserted characters get `{origin of L, else of R, else of the first
 *   attributed removed character, 'mixed'}`, and the attributed non-break characters
 *   touching the replacement on either side (walking away from it until an unattributed
   *   character or a line break) turn `ai → mixed`. Otherwise, when the inserted text's part on
 *   s's line (before its first break) holds non-whitespace and that line has an attributed
 *   character in `[lineStart, s)` (joinsLeft; lineStart = s − the change's start character),
 *   or its part on R's line (after its last break) does and rightIn (joinsRight), that part
 *   becomes `{origin of the last attributed character of [lineStart, s) if joinsLeft else of
 *   R, 'mixed'}` (all of it when it has no break); every attributed character of
 *   `[lineStart, s)` turns `ai → mixed` (joinsLeft, or no break), and so do the attributed
 *   non-break characters touching the inserted text on the right (joinsRight, or no break).
 *   Otherwise the inserted characters are unattributed and nothing else changes.
 * - `undo` / `redo`: only the exact inverse of the last applied event (as VS Code reports
 *   it, see {@link inverseEvent}) and the exact replay of the last undone one are modelled;
 *   they restore the labels from before / after that event. A new edit drops the redo stack.
 * - `moved` edit (cut or copied text pasted, with `pieces` of labels relative to the inserted
 *   text): removed characters are gone; inserted characters get the label of the piece over
 *   them (pieces taken in order of `rel`, skipping one that overlaps an earlier one or does not
 *   fit the text), the rest none; nothing else changes.
 * - `mark`: sets or clears the labels of a range, nothing else; drops all undo history.
 */
import type { AttrState, ContentChange, EditCause, Origin, Position } from '../../../../src/core/model';

/** The label of one character. */
export interface RefLabel {
  readonly origin: Origin;
  readonly state: AttrState;
}

/** One label per character; `undefined` means not attributed. */
export type RefLabels = ReadonlyArray<RefLabel | undefined>;

/** The whole observable state: document text and per-character labels. */
export interface RefSnapshot {
  readonly text: string;
  readonly labels: RefLabels;
}

/** A maximal run of characters with the same origin id and state. */
export interface RefRun {
  readonly start: number;
  readonly end: number;
  readonly originId: string;
  readonly state: AttrState;
  readonly text: string;
}

/** A change without its line/character range, as the generator thinks of it. */
export interface PlainChange {
  readonly offset: number;
  readonly length: number;
  readonly text: string;
}

interface RefEvent {
  readonly changes: readonly ContentChange[];
  /** The text each change removed, in event order. */
  readonly removedTexts: readonly string[];
  readonly before: RefSnapshot;
  readonly after: RefSnapshot;
}

/** Line breaks are `\n` and `\r` (a `\r\n` pair is two break characters). */
export function isLineBreak(ch: string | undefined): boolean {
  return ch === '\n' || ch === '\r';
}

/**
 * The editor position of `offset` in `text`, with VS Code's line terminators: `\r\n`, a lone
 * `\r` and a lone `\n` each end a line. (An offset between the `\r` and `\n` of a pair cannot
 * occur in VS Code; here it gets a character one past the `\r`.)
 */
export function positionAt(text: string, offset: number): Position {
  if (offset < 0 || offset > text.length) throw new RangeError(`offset ${offset} outside 0..${text.length}`);
  let line = 0;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    const ch = text[i];
    if (ch === '\n') {
      line++;
      lineStart = i + 1;
    } else if (ch === '\r') {
      if (text[i + 1] === '\n') {
        if (i + 1 < offset) {
          line++;
          lineStart = i + 2;
          i++;
        }
      } else {
        line++;
        lineStart = i + 1;
      }
    }
  }
  return { line, character: offset - lineStart };
}

/** The content change replacing `[offset, offset + length)` of `text` by `newText`. */
export function makeChange(text: string, offset: number, length: number, newText: string): ContentChange {
  return {
    rangeOffset: offset,
    rangeLength: length,
    text: newText,
    range: { start: positionAt(text, offset), end: positionAt(text, offset + length) },
  };
}

/**
 * Builds the content changes of one event from plain changes, each range computed on the
 * document left by the previous change (the changes are applied in sequence).
 */
export function makeEvent(text: string, plain: readonly PlainChange[]): ContentChange[] {
  const out: ContentChange[] = [];
  let doc = text;
  for (const p of plain) {
    out.push(makeChange(doc, p.offset, p.length, p.text));
    doc = doc.slice(0, p.offset) + p.text + doc.slice(p.offset + p.length);
  }
  return out;
}

/**
 * The undo event VS Code reports for `changes` (non-overlapping, in descending offset order):
 * in the same order, change i becomes offset s_i + Σ_{j: s_j < s_i}(text_j.length − length_j),
 * length text_i.length and text = what change i removed. Ranges are computed on `textAfter`
 * (the document after the event) as these changes are applied in sequence.
 */
export function inverseEvent(textAfter: string, changes: readonly ContentChange[], removedTexts: readonly string[]): ContentChange[] {
  const plain = changes.map((c, i): PlainChange => {
    let shift = 0;
    for (const d of changes) if (d.rangeOffset < c.rangeOffset) shift += d.text.length - d.rangeLength;
    return { offset: c.rangeOffset + shift, length: c.text.length, text: removedTexts[i] ?? '' };
  });
  return makeEvent(textAfter, plain);
}

function sameChange(a: ContentChange, b: ContentChange): boolean {
  return a.rangeOffset === b.rangeOffset && a.rangeLength === b.rangeLength && a.text === b.text;
}

function sameLabel(a: RefLabel | undefined, b: RefLabel | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.origin.id === b.origin.id && a.state === b.state;
}

/** The maximal runs of equally labelled, attributed characters of a snapshot. */
export function runsOf(snapshot: RefSnapshot): RefRun[] {
  const runs: RefRun[] = [];
  const { text, labels } = snapshot;
  let i = 0;
  while (i < labels.length) {
    const label = labels[i];
    if (label === undefined) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < labels.length && sameLabel(labels[j], label)) j++;
    runs.push({ start: i, end: j, originId: label.origin.id, state: label.state, text: text.slice(i, j) });
    i = j;
  }
  return runs;
}

/** The brute-force model: a document string, one label per character, and undo history. */
export class ReferenceModel {
  private doc: string;
  private marks: Array<RefLabel | undefined>;
  private history: RefEvent[] = [];
  private redoStack: RefEvent[] = [];

  /**
   * @param text the initial document
   * @param labels one label per character of `text` (all unattributed when omitted)
   */
  constructor(text = '', labels?: RefLabels) {
    if (labels !== undefined && labels.length !== text.length) throw new RangeError('one label per character');
    this.doc = text;
    this.marks = labels ? labels.slice() : new Array<RefLabel | undefined>(text.length).fill(undefined);
  }

  /** The current document text. */
  get text(): string {
    return this.doc;
  }

  /** The current labels, one per character. */
  get labels(): RefLabels {
    return this.marks;
  }

  /** How many events `undo` can currently invert. */
  get undoDepth(): number {
    return this.history.length;
  }

  /** How many undone events `redo` can currently replay. */
  get redoDepth(): number {
    return this.redoStack.length;
  }

  /** The label of the character at `offset`, or undefined (also outside the document). */
  labelAt(offset: number): RefLabel | undefined {
    return this.marks[offset];
  }

  /** A copy of the current text and labels. */
  snapshot(): RefSnapshot {
    return { text: this.doc, labels: this.marks.slice() };
  }

  /** The maximal attributed runs, i.e. what the engine's `segments()` must return. */
  runs(): RefRun[] {
    return runsOf({ text: this.doc, labels: this.marks });
  }

  /** The undo event that inverts the last applied event, or undefined when there is none. */
  undoEvent(): ContentChange[] | undefined {
    const top = this.history[this.history.length - 1];
    return top && inverseEvent(this.doc, top.changes, top.removedTexts);
  }

  /** The redo event that replays the last undone event, or undefined when there is none. */
  redoEvent(): ContentChange[] | undefined {
    const top = this.redoStack[this.redoStack.length - 1];
    return top && top.changes.slice();
  }

  /**
   * Applies one editor event. `undo` / `redo` must be exactly {@link undoEvent} /
   * {@link redoEvent}; anything else throws, since the spec leaves it open.
   */
  applyEvent(changes: readonly ContentChange[], cause: EditCause): void {
    if (cause.type === 'undo' || cause.type === 'redo') {
      this.applyUndoRedo(changes, cause.type);
      return;
    }
    if (changes.length === 0) return;
    const before = this.snapshot();
    const removedTexts: string[] = [];
    for (const change of changes) removedTexts.push(this.applyChange(change, cause));
    this.history.push({ changes: changes.slice(), removedTexts, before, after: this.snapshot() });
    this.redoStack = [];
  }

  /**
   * Replaces the text of `changes` without touching labels of kept characters and leaves the
   * inserted characters unattributed; drops the undo history. Models only the certain part of
   * an undo/redo that is not an exact inverse (the engine may also restore remembered labels
   * of re-inserted text, which the caller then takes over with {@link setLabel}).
   */
  applyPlain(changes: readonly ContentChange[]): void {
    for (const change of changes) {
      this.checkChange(change);
      const s = change.rangeOffset;
      this.splice(s, s + change.rangeLength, change.text, undefined);
    }
    this.history = [];
    this.redoStack = [];
  }

  /** Overrides the label of one character (for the unspecified parts of inexact undo). */
  setLabel(offset: number, label: RefLabel | undefined): void {
    if (offset < 0 || offset >= this.doc.length) throw new RangeError(`offset ${offset} outside the document`);
    this.marks[offset] = label;
  }

  /**
   * Labels `[start, end)` with `{origin, state}`, or clears it when `origin` is undefined.
   * Drops the undo history.
   */
  mark(start: number, end: number, origin: Origin | undefined, state: AttrState = 'ai'): void {
    if (start < 0 || end > this.doc.length || start > end) throw new RangeError(`mark ${start}-${end} outside the document`);
    for (let i = start; i < end; i++) this.marks[i] = origin ? { origin, state } : undefined;
    this.history = [];
    this.redoStack = [];
  }

  private checkChange(change: ContentChange): void {
    const s = change.rangeOffset;
    const e = s + change.rangeLength;
    if (!(s >= 0 && change.rangeLength >= 0 && e <= this.doc.length)) {
      throw new RangeError(`change ${s}+${change.rangeLength} outside a document of length ${this.doc.length}`);
    }
    const start = positionAt(this.doc, s);
    const end = positionAt(this.doc, e);
    const r = change.range;
    if (r.start.line !== start.line || r.start.character !== start.character || r.end.line !== end.line || r.end.character !== end.character) {
      throw new Error(`change ${s}+${change.rangeLength} has a range that does not match its offsets`);
    }
  }

  private splice(s: number, e: number, text: string, label: RefLabel | undefined): void {
    this.doc = this.doc.slice(0, s) + text + this.doc.slice(e);
    const inserted = new Array<RefLabel | undefined>(text.length).fill(label);
    this.marks.splice(s, e - s, ...inserted);
  }

  private attributedNonBreak(offset: number): boolean {
    return offset >= 0 && offset < this.doc.length && this.marks[offset] !== undefined && !isLineBreak(this.doc[offset]);
  }

  private flip(offset: number): void {
    const label = this.marks[offset];
    if (label && label.state === 'ai') this.marks[offset] = { origin: label.origin, state: 'mixed' };
  }

  /** Applies one human or AI change; returns the text it removed. */
  private applyChange(change: ContentChange, cause: Exclude<EditCause, { readonly type: 'undo' } | { readonly type: 'redo' }>): string {
    this.checkChange(change);
    const s = change.rangeOffset;
    const e = s + change.rangeLength;
    const removedText = this.doc.slice(s, e);
    if (cause.type === 'ai') {
      this.splice(s, e, change.text, { origin: cause.origin, state: 'ai' });
      return removedText;
    }
    if (cause.type === 'moved') {
      this.splice(s, e, change.text, undefined);
      let last = 0;
      for (const p of [...cause.pieces].sort((a, b) => a.rel - b.rel)) {
        if (p.rel < last || p.length <= 0 || p.rel + p.length > change.text.length) continue;
        for (let i = p.rel; i < p.rel + p.length; i++) this.marks[s + i] = { origin: p.origin, state: p.state };
        last = p.rel + p.length;
      }
      return removedText;
    }
    const left = this.marks[s - 1];
    const right = this.marks[e];
    const leftIn = this.attributedNonBreak(s - 1);
    const rightIn = this.attributedNonBreak(e);
    let firstRemoved: RefLabel | undefined;
    for (let i = s; i < e && firstRemoved === undefined; i++) firstRemoved = this.marks[i];
    const delEndsWithBreak = e > s && isLineBreak(this.doc[e - 1]);
    const delStartsWithAttrBreak = e > s && this.marks[s] !== undefined && isLineBreak(this.doc[s]);
    const inside = (leftIn && rightIn) || (firstRemoved !== undefined && ((leftIn && !delStartsWithAttrBreak) || (rightIn && !delEndsWithBreak)));
    if (!inside) {
      // One-sided join: non-whitespace typed onto an end of attributed text on its line.
      const text = change.text;
      const breaks = [...text].map((ch, i) => (isLineBreak(ch) ? i : -1)).filter((i) => i >= 0);
      const head = breaks.length === 0 ? text : text.slice(0, breaks[0]);
      const tail = breaks.length === 0 ? text : text.slice(breaks[breaks.length - 1]! + 1);
      // The line as the editor reports it: it starts `character` characters before s.
      const lineStart = s - change.range.start.character;
      let leftLabel: RefLabel | undefined;
      for (let i = s - 1; i >= lineStart && leftLabel === undefined; i--) leftLabel = this.marks[i];
      const joinsLeft = leftLabel !== undefined && /\S/.test(head);
      const joinsRight = rightIn && /\S/.test(tail);
      this.splice(s, e, text, undefined);
      if (!joinsLeft && !joinsRight) return removedText;
      const label: RefLabel = { origin: joinsLeft ? leftLabel!.origin : right!.origin, state: 'mixed' };
      for (let i = 0; i < text.length; i++) {
        const onLeftLine = breaks.length === 0 || i < breaks[0]!;
        const onRightLine = breaks.length === 0 || i > breaks[breaks.length - 1]!;
        if ((onLeftLine && (joinsLeft || breaks.length === 0)) || (onRightLine && joinsRight)) this.marks[s + i] = label;
      }
      if (joinsLeft || breaks.length === 0) for (let i = lineStart; i < s; i++) this.flip(i);
      if (joinsRight || breaks.length === 0) for (let i = s + text.length; this.attributedNonBreak(i); i++) this.flip(i);
      return removedText;
    }
    const origin = leftIn && left ? left.origin : rightIn && right ? right.origin : firstRemoved?.origin;
    if (origin === undefined) throw new Error('unreachable: inside without an origin');
    this.splice(s, e, change.text, { origin, state: 'mixed' });
    // Whole lines a person inserts (from the first to the last line break of the text) are theirs.
    const text = change.text;
    let first = -1;
    let last = -1;
    for (let i = 0; i < text.length; i++) {
      if (isLineBreak(text[i])) {
        if (first < 0) first = i;
        last = i;
      }
    }
    if (first >= 0) for (let i = first; i <= last; i++) this.marks[s + i] = undefined;
    for (let i = s - 1; this.attributedNonBreak(i); i--) this.flip(i);
    for (let i = s + change.text.length; this.attributedNonBreak(i); i++) this.flip(i);
    return removedText;
  }

  private applyUndoRedo(changes: readonly ContentChange[], type: 'undo' | 'redo'): void {
    const expected = type === 'undo' ? this.undoEvent() : this.redoEvent();
    if (!expected || expected.length !== changes.length || !changes.every((c, i) => sameChange(c, expected[i]!))) {
      throw new Error(`the reference models only the exact ${type} of its own history`);
    }
    for (const change of changes) {
      this.checkChange(change);
      this.doc = this.doc.slice(0, change.rangeOffset) + change.text + this.doc.slice(change.rangeOffset + change.rangeLength);
    }
    const event = type === 'undo' ? this.history.pop()! : this.redoStack.pop()!;
    const target = type === 'undo' ? event.before : event.after;
    if (this.doc !== target.text) throw new Error(`${type} did not restore the document text`);
    this.marks = target.labels.slice();
    (type === 'undo' ? this.redoStack : this.history).push(event);
  }
}
