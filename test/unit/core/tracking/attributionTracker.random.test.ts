/**
 * Randomized differential test: the range engine against the brute-force reference
 * (attributionReference.ts), event by event, checking every observable after every step.
 *
 * A failure names the seed, the step and the last event. To replay one run:
 *   ATTR_SEED=<seed> ATTR_STEPS=<steps> ATTR_ORIGINS=<n> npx mocha out/test/unit/core/attributionTracker.random.test.js
 */
import assert from 'node:assert/strict';
import { AttributionTracker } from '../../../../src/core/tracking/attributionTracker';
import type { AttrState, ContentChange, EditCause, MovedPiece, Origin, OriginKind, Segment } from '../../../../src/core/model';
import type { PlainChange, RefLabel } from './attributionReference';
import { ReferenceModel, isLineBreak, makeEvent } from './attributionReference';

// ---- a small seeded PRNG (mulberry32) --------------------------------------------------------

class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Uniform integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from nothing');
    return items[this.int(items.length)]!;
  }
}

// ---- fixtures ---------------------------------------------------------------------------------

const kinds: readonly OriginKind[] = ['inline', 'chat', 'agent', 'manual', 'external'];

function makeOrigins(n: number): Origin[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `origin-${i}`,
    kind: kinds[i % kinds.length]!,
    tool: `tool-${i}`,
    session: `session-${i}`,
    time: 1_700_000_000_000 + i,
  }));
}

const words = ['foo', 'bar', 'x', 'return', 'const', 'if', '(a)', '{', '}', ';', '=', '42', 'fn()', '//', 'ok'];
const typedChars = ['a', 'b', 'z', ' ', ';', '(', ')', '{', '}', '.', '=', '\t', '1'];
const maxDoc = 400;

/** A compact rendering of labels: `.` none, `a`/`m` + origin index for the first char of a run. */
function renderLabels(labels: ReadonlyArray<RefLabel | undefined>): string {
  let out = '';
  let prev: RefLabel | undefined;
  for (const l of labels) {
    if (!l) out += '.';
    else {
      const letter = l.state === 'ai' ? 'a' : 'm';
      const same = prev && prev.origin.id === l.origin.id && prev.state === l.state;
      out += same ? letter : l.origin.id.replace('origin-', '').slice(-1);
    }
    prev = l;
  }
  return out;
}

// ---- the generator ----------------------------------------------------------------------------

type EventKind = 'human' | 'ai' | 'move' | 'undo' | 'redo' | 'mark' | 'foreign';

interface Described {
  readonly kind: EventKind;
  readonly what: string;
  readonly changes?: readonly PlainChange[];
  readonly origin?: string;
  readonly mark?: { readonly start: number; readonly end: number; readonly origin?: string; readonly state: AttrState };
}

class Run {
  readonly ref = new ReferenceModel();
  readonly tracker: AttributionTracker;
  /** Undos done since the last new edit, so undo never reaches deeper than 30 events back. */
  private undoneSinceEdit = 0;
  private burst: { type: 'undo' | 'redo'; left: number } | undefined;

  constructor(
    private readonly rng: Rng,
    private readonly origins: readonly Origin[],
    readonly blockSize: number | undefined,
  ) {
    this.tracker = new AttributionTracker(0, [], { blockSize });
  }

  private get text(): string {
    return this.ref.text;
  }

  /** Picks one offset in [0, length], weighted towards places where the rules branch. */
  offset(): number {
    const rng = this.rng;
    const text = this.text;
    const n = text.length;
    if (n === 0) return 0;
    const r = rng.next();
    if (r < 0.2) return rng.int(n + 1);
    if (r < 0.45) {
      const attributed: number[] = [];
      this.ref.labels.forEach((l, i) => {
        if (l) attributed.push(i);
      });
      if (attributed.length > 0) return rng.pick(attributed) + rng.int(2);
      return rng.int(n + 1);
    }
    if (r < 0.65) {
      const runs = this.ref.runs();
      if (runs.length > 0) {
        const run = rng.pick(runs);
        const at = (rng.chance(0.5) ? run.start : run.end) + rng.range(-1, 1);
        return Math.max(0, Math.min(n, at));
      }
      return rng.int(n + 1);
    }
    if (r < 0.92) {
      // A line start (after a break) or a line end (at a break).
      const spots: number[] = [0, n];
      for (let i = 0; i < n; i++) if (isLineBreak(text[i])) spots.push(i, i + 1);
      return rng.pick(spots);
    }
    return rng.chance(0.5) ? 0 : n;
  }

  private aiText(): string {
    const rng = this.rng;
    const eol = rng.chance(0.15) ? '\r\n' : '\n';
    const lines: string[] = [];
    const count = rng.chance(0.4) ? 1 : rng.range(2, 5);
    for (let i = 0; i < count; i++) {
      const indent = rng.chance(0.3) ? '  ' : '';
      const ws = Array.from({ length: rng.range(0, 4) }, () => rng.pick(words));
      lines.push(indent + ws.join(' '));
    }
    let text = lines.join(eol);
    if (rng.chance(0.3)) text += eol;
    if (rng.chance(0.1)) text = eol + text;
    return text.length > 0 ? text : 'x';
  }

  private humanText(): string {
    const rng = this.rng;
    const r = rng.next();
    if (r < 0.6) return rng.pick(typedChars);
    if (r < 0.8) return rng.chance(0.2) ? '\r\n' : rng.chance(0.3) ? '\n  ' : '\n';
    if (r < 0.9) return rng.pick(words);
    return this.aiText(); // a paste
  }

  /** The range of the line around `at`: [line start, line end) and the end including the break. */
  private lineAround(at: number): { start: number; end: number; endWithBreak: number } {
    const text = this.text;
    let start = at;
    while (start > 0 && !isLineBreak(text[start - 1])) start--;
    let end = at;
    while (end < text.length && !isLineBreak(text[end])) end++;
    let endWithBreak = end;
    if (text[endWithBreak] === '\r') endWithBreak++;
    if (text[endWithBreak] === '\n') endWithBreak++;
    return { start, end, endWithBreak };
  }

  /** A random selection [a, b) near interesting places. */
  private selection(maxLen: number): { offset: number; length: number } {
    const n = this.text.length;
    const a = this.offset();
    const b = this.rng.chance(0.5) ? this.offset() : a + this.rng.range(0, maxLen);
    const lo = Math.max(0, Math.min(a, b, n));
    const hi = Math.min(n, Math.max(a, b));
    return { offset: lo, length: Math.min(hi - lo, maxLen) };
  }

  private oneHumanChange(): PlainChange {
    const rng = this.rng;
    const n = this.text.length;
    const r = rng.next();
    if (r < 0.3) return { offset: this.offset(), length: 0, text: rng.chance(0.75) ? rng.pick(typedChars) : '\n' };
    if (r < 0.35) return { offset: this.offset(), length: 0, text: this.aiText() }; // a paste
    if (r < 0.5) {
      const at = this.offset();
      if (at > 0) return { offset: at - 1, length: 1, text: '' }; // backspace
      return { offset: 0, length: Math.min(1, n), text: '' };
    }
    if (r < 0.6) {
      const at = this.offset();
      return { offset: at, length: Math.min(1, n - at), text: '' }; // delete forward
    }
    if (r < 0.7) {
      const line = this.lineAround(this.offset());
      const whole = rng.chance(0.6);
      return { offset: line.start, length: (whole ? line.endWithBreak : line.end) - line.start, text: '' };
    }
    if (r < 0.78) {
      // Enter at the end or start of a line, often followed by indentation.
      const line = this.lineAround(this.offset());
      return { offset: rng.chance(0.7) ? line.end : line.start, length: 0, text: rng.chance(0.5) ? '\n' : '\n    ' };
    }
    const sel = this.selection(30);
    return { ...sel, text: rng.chance(0.3) ? '' : this.humanText() };
  }

  private oneAiChange(): PlainChange {
    const rng = this.rng;
    const r = rng.next();
    if (r < 0.45) return { offset: this.offset(), length: 0, text: this.aiText() };
    if (r < 0.65) {
      // Inline completion: from the cursor to the end of its line, or whole lines at a line start.
      const line = this.lineAround(this.offset());
      if (rng.chance(0.5)) return { offset: line.end, length: 0, text: this.aiText() };
      return { offset: line.start, length: 0, text: this.aiText() + (rng.chance(0.5) ? '\n' : '') };
    }
    const sel = this.selection(60);
    return { ...sel, text: rng.chance(0.1) ? '' : this.aiText() };
  }

  /** 2–4 non-overlapping changes in descending offset order, like VS Code's multi-cursor. */
  private multiChanges(human: boolean): PlainChange[] {
    const rng = this.rng;
    const n = this.text.length;
    const k = rng.range(2, 4);
    const starts = new Set<number>();
    for (let i = 0; i < k * 3 && starts.size < k; i++) starts.add(this.offset());
    const sorted = [...starts].sort((x, y) => y - x);
    const typed = human ? this.humanText() : '';
    const mode = rng.next();
    const out: PlainChange[] = [];
    let limit = n; // the next change may not reach past the previous (higher) one's start
    for (const s of sorted) {
      let len = 0;
      let text = human ? typed : this.aiText();
      if (human && mode < 0.3) {
        len = 1;
        text = '';
      } else if (mode < 0.6) {
        len = rng.range(0, 6);
      }
      len = Math.max(0, Math.min(len, limit - s));
      if (len === 0 && text === '') text = human ? 'x' : 'y';
      out.push({ offset: s, length: len, text });
      limit = s;
    }
    return out;
  }

  private shrinkChange(): PlainChange {
    const n = this.text.length;
    const len = this.rng.range(n - 300, n - 150);
    const at = this.rng.int(n - len + 1);
    return { offset: at, length: len, text: '' };
  }

  /** Chooses and performs one event on both models; returns its description. */
  step(): Described {
    const rng = this.rng;
    const n = this.text.length;
    if (this.burst) {
      const b = this.burst;
      const possible = b.type === 'undo' ? this.ref.undoDepth > 0 && this.undoneSinceEdit < 30 : this.ref.redoDepth > 0;
      if (b.left > 0 && possible) {
        b.left--;
        return b.type === 'undo' ? this.undo() : this.redo();
      }
      this.burst = undefined;
      // After undoing a while, often redo part of it again.
      if (b.type === 'undo' && this.ref.redoDepth > 0 && rng.chance(0.6)) {
        this.burst = { type: 'redo', left: rng.range(0, 29) };
        return this.redo();
      }
    }
    if (n > maxDoc) return this.edit('human', [this.shrinkChange()], 'trim the document');
    const r = rng.next();
    const big = n > 300;
    if (r < 0.12) return this.edit('ai', [big ? this.shrinkChange() : this.oneAiChange()], 'ai change');
    if (r < 0.49) return this.edit('human', [this.oneHumanChange()], 'human change');
    if (r < 0.55) return this.move();
    if (r < 0.65) {
      const human = rng.chance(0.65);
      return this.edit(human ? 'human' : 'ai', this.multiChanges(human || big), 'multi-cursor');
    }
    if (r < 0.78) {
      this.burst = { type: 'undo', left: rng.chance(0.25) ? rng.range(1, 30) : rng.range(0, 3) };
      return this.undo();
    }
    if (r < 0.85) {
      this.burst = { type: 'redo', left: rng.range(0, 5) };
      return this.redo();
    }
    if (r < 0.93) return this.foreign();
    return this.mark();
  }

  private edit(type: 'human' | 'ai', plain: PlainChange[], what: string): Described {
    if (plain.every((p) => p.length === 0 && p.text === '')) plain = [{ offset: this.offset(), length: 0, text: 'q' }];
    const changes = makeEvent(this.text, plain);
    const origin = this.rng.pick(this.origins);
    const cause: EditCause = type === 'human' ? { type } : { type, origin };
    const described: Described = { kind: type, what, changes: plain, ...(type === 'ai' ? { origin: origin.id } : {}) };
    this.tracker.applyEdit(changes, cause);
    this.ref.applyEvent(changes, cause);
    this.undoneSinceEdit = 0;
    return described;
  }

  /**
   * Cut (a person's delete) or copy of a selection, then a paste of it somewhere else (over a
   * small selection at times) that carries the labels it had: what capture does for text moved
   * inside the editor. The pieces are the selection's labels at cut/copy time.
   */
  private move(): Described {
    const rng = this.rng;
    const sel = this.selection(40);
    if (sel.length === 0) return this.edit('human', [this.oneHumanChange()], 'human change (nothing to move)');
    const text = this.text.slice(sel.offset, sel.offset + sel.length);
    const pieces = piecesOf(this.ref.labels.slice(sel.offset, sel.offset + sel.length));
    const cut = rng.chance(0.5);
    if (cut) this.edit('human', [{ offset: sel.offset, length: sel.length, text: '' }], 'cut');
    const target = rng.chance(0.8) ? { offset: this.offset(), length: 0 } : this.selection(10);
    const plain: PlainChange = { ...target, text };
    const changes = makeEvent(this.text, [plain]);
    const cause: EditCause = { type: 'moved', pieces };
    this.tracker.applyEdit(changes, cause);
    this.ref.applyEvent(changes, cause);
    this.undoneSinceEdit = 0;
    return { kind: 'move', what: cut ? 'cut, then paste' : 'copy, then paste', changes: [plain] };
  }

  private undo(): Described {
    const changes = this.ref.undoEvent();
    if (!changes || this.undoneSinceEdit >= 30) return this.edit('human', [this.oneHumanChange()], 'human change (nothing to undo)');
    const described: Described = { kind: 'undo', what: `undo (depth ${this.undoneSinceEdit + 1})`, changes: changes.map(plainOf) };
    this.tracker.applyEdit(changes, { type: 'undo' });
    this.ref.applyEvent(changes, { type: 'undo' });
    this.undoneSinceEdit++;
    return described;
  }

  private redo(): Described {
    const changes = this.ref.redoEvent();
    if (!changes) return this.edit('human', [this.oneHumanChange()], 'human change (nothing to redo)');
    const described: Described = { kind: 'redo', what: 'redo', changes: changes.map(plainOf) };
    this.tracker.applyEdit(changes, { type: 'redo' });
    this.ref.applyEvent(changes, { type: 'redo' });
    this.undoneSinceEdit--;
    return described;
  }

  /**
   * An undo/redo that is not the inverse of the engine's history (VS Code merged several
   * edits into one undo stop). The spec fixes only that kept characters keep their labels;
   * the engine may give re-inserted text a remembered label, which the reference takes over.
   */
  private foreign(): Described {
    const type = this.rng.chance(0.5) ? 'undo' : 'redo';
    const plain = this.oneHumanChange();
    const expected = type === 'undo' ? this.ref.undoEvent() : this.ref.redoEvent();
    const only = expected?.length === 1 ? expected[0] : undefined;
    if (only && only.rangeOffset === plain.offset && only.rangeLength === plain.length && only.text.length === plain.text.length) {
      return this.edit('human', [plain], 'human change (foreign undo would match)');
    }
    const changes = makeEvent(this.text, [plain]);
    this.tracker.applyEdit(changes, { type });
    this.ref.applyPlain(changes);
    for (let i = plain.offset; i < plain.offset + plain.text.length; i++) {
      const got = this.tracker.labelAt(i);
      this.ref.setLabel(i, got && { origin: got.origin, state: got.state });
    }
    this.undoneSinceEdit = 0;
    this.burst = undefined;
    return { kind: 'foreign', what: `${type} that inverts nothing`, changes: [plain] };
  }

  private mark(): Described {
    const rng = this.rng;
    const sel = this.selection(80);
    const origin = rng.chance(0.7) ? rng.pick(this.origins) : undefined;
    const state: AttrState = rng.chance(0.8) ? 'ai' : 'mixed';
    const text = this.text.slice(sel.offset, sel.offset + sel.length);
    this.tracker.mark(sel.offset, sel.offset + sel.length, text, origin, state);
    this.ref.mark(sel.offset, sel.offset + sel.length, origin, state);
    this.undoneSinceEdit = 0;
    this.burst = undefined;
    return { kind: 'mark', what: 'mark', mark: { start: sel.offset, end: sel.offset + sel.length, ...(origin ? { origin: origin.id } : {}), state } };
  }
}

/** The labelled runs of `labels` as moved pieces (relative to the first label). */
function piecesOf(labels: ReadonlyArray<RefLabel | undefined>): MovedPiece[] {
  const out: MovedPiece[] = [];
  for (let i = 0; i < labels.length; ) {
    const l = labels[i];
    let j = i + 1;
    while (j < labels.length && labels[j]?.origin.id === l?.origin.id && labels[j]?.state === l?.state) j++;
    if (l) out.push({ rel: i, length: j - i, origin: l.origin, state: l.state });
    i = j;
  }
  return out;
}

function plainOf(c: ContentChange): PlainChange {
  return { offset: c.rangeOffset, length: c.rangeLength, text: c.text };
}

// ---- checks -----------------------------------------------------------------------------------

/** Segment invariants: sorted, disjoint, non-empty, text matches the document, maximal. */
function checkSegments(segs: readonly Segment[], text: string): void {
  let prev: Segment | undefined;
  for (const seg of segs) {
    assert.ok(seg.start < seg.end, `empty segment ${seg.start}-${seg.end}`);
    assert.ok(seg.start >= 0 && seg.end <= text.length, `segment ${seg.start}-${seg.end} outside a document of ${text.length}`);
    assert.equal(seg.text, text.slice(seg.start, seg.end), `text of segment ${seg.start}-${seg.end}`);
    if (prev) {
      assert.ok(prev.end <= seg.start, `segments ${prev.start}-${prev.end} and ${seg.start}-${seg.end} overlap or are unsorted`);
      const mergeable = prev.end === seg.start && prev.origin.id === seg.origin.id && prev.state === seg.state;
      assert.ok(!mergeable, `segments ${prev.start}-${prev.end} and ${seg.start}-${seg.end} touch with the same label`);
    }
    prev = seg;
  }
}

function describeLabel(l: { origin: Origin; state: AttrState } | undefined): string {
  return l ? `${l.origin.id}/${l.state}` : 'none';
}

function verify(tracker: AttributionTracker, ref: ReferenceModel, rng: Rng): void {
  const text = ref.text;
  assert.equal(tracker.docLength, text.length, 'docLength');
  const segs = tracker.segments();
  checkSegments(segs, text);
  assert.equal(tracker.segmentCount, segs.length, 'segmentCount');
  const engine = new Array<string>(text.length).fill('none');
  for (const seg of segs) for (let i = seg.start; i < seg.end; i++) engine[i] = `${seg.origin.id}/${seg.state}`;
  for (let i = 0; i < text.length; i++) {
    const want = describeLabel(ref.labelAt(i));
    if (engine[i] !== want) {
      assert.fail(`label at ${i} is ${engine[i]}, reference says ${want}\n  text:   ${JSON.stringify(text)}\n  want:   ${renderLabels(ref.labels)}`);
    }
  }
  for (let k = 0; k < 4; k++) {
    const at = rng.range(-1, text.length);
    assert.equal(describeLabel(tracker.labelAt(at)), describeLabel(ref.labelAt(at)), `labelAt(${at})`);
  }
}

interface Outcome {
  steps: number;
  counts: Record<EventKind, number>;
}

function run(seed: number, steps: number, originCount: number, blockSize?: number): Outcome {
  const rng = new Rng(seed);
  const checkRng = new Rng(seed ^ 0x5bd1e995);
  const state = new Run(rng, makeOrigins(originCount), blockSize);
  const counts: Record<EventKind, number> = { human: 0, ai: 0, move: 0, undo: 0, redo: 0, mark: 0, foreign: 0 };
  for (let step = 1; step <= steps; step++) {
    const before = state.ref.snapshot();
    let described: Described | undefined;
    try {
      described = state.step();
      counts[described.kind]++;
      verify(state.tracker, state.ref, checkRng);
      if (step % 97 === 0) {
        // Rebuilding from the segments must give the same segments.
        const copy = new AttributionTracker(state.ref.text.length, state.tracker.segments(), { blockSize });
        assert.deepEqual(copy.segments(), state.tracker.segments(), 'tracker rebuilt from its segments');
      }
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      throw new Error(
        `seed ${seed} (origins ${originCount}), step ${step}: ${described ? JSON.stringify(described) : 'while choosing/applying the event'}\n` +
          `  before: ${JSON.stringify(before.text)}\n  labels: ${renderLabels(before.labels)}\n${message}`,
        { cause: err },
      );
    }
  }
  return { steps, counts };
}

// ---- the suite --------------------------------------------------------------------------------

describe('AttributionTracker against the brute-force reference (randomized)', function () {
  this.timeout(120_000);

  const envSeed = process.env['ATTR_SEED'];
  const plans: Array<{ seed: number; steps: number; origins: number; blockSize?: number }> = envSeed
    ? [{ seed: Number(envSeed), steps: Number(process.env['ATTR_STEPS'] ?? 30_000), origins: Number(process.env['ATTR_ORIGINS'] ?? 2), ...(process.env['ATTR_BLOCK'] ? { blockSize: Number(process.env['ATTR_BLOCK']) } : {}) }]
    : [
        { seed: 0x0a1b2c3d, steps: 30_000, origins: 1 },
        { seed: 20240611, steps: 30_000, origins: 2 },
        { seed: 7, steps: 25_000, origins: 6 },
        { seed: 0xdeadbeef, steps: 25_000, origins: 8 },
        // Tiny storage blocks: every edit crosses block boundaries, splits and drops blocks.
        { seed: 99, steps: 20_000, origins: 4, blockSize: 2 },
        { seed: 1234, steps: 20_000, origins: 3, blockSize: 3 },
      ];

  for (const plan of plans) {
    it(`seed ${plan.seed}: ${plan.steps} steps, ${plan.origins} origin(s)${plan.blockSize ? `, blocks of ${plan.blockSize}` : ''}`, () => {
      const outcome = run(plan.seed, plan.steps, plan.origins, plan.blockSize);
      assert.equal(outcome.steps, plan.steps);
      // The mix must really exercise every kind of event.
      for (const kind of Object.keys(outcome.counts) as EventKind[]) {
        assert.ok(outcome.counts[kind] > plan.steps / 100, `too few ${kind} events: ${JSON.stringify(outcome.counts)}`);
      }
    });
  }
});
