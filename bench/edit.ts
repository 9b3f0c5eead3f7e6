/**
 * Edit-path benchmark: the cost per change event of attributing edits on a 100,000-line
 * document that holds 10,000 AI ranges, against a no-op handler fed the same events.
 * Prints JSON lines (see scripts/bench.mjs); never asserted in tests.
 */
import { AttributionTracker } from '../src/core/tracking/attributionTracker';
import type { ContentChange, EditCause, Origin, Segment } from '../src/core/model';
import { prng } from '../test/helpers/prng';


interface RawEvent {
  readonly contentChanges: ReadonlyArray<{ rangeOffset: number; rangeLength: number; text: string; range: { start: { line: number; character: number }; end: { line: number; character: number } } }>;
  readonly cause: EditCause;
}

const lineCount = 100_000;
const rangeCount = 10_000;
const events = 200_000;

function buildDocument(): { length: number; segments: Segment[]; origins: Origin[] } {
  const line = 'const value = compute(input, options); // 48 chars\n';
  const length = line.length * lineCount;
  const origins: Origin[] = Array.from({ length: 20 }, (_, i) => ({ id: `o${i}`, kind: 'inline', tool: `tool-${i % 4}`, session: `s${i}`, time: 0 }));
  const segments: Segment[] = [];
  const every = lineCount / rangeCount;
  for (let i = 0; i < rangeCount; i++) {
    const start = i * every * line.length;
    // Each AI range is one whole line plus half of the next.
    const text = line + line.slice(0, 20);
    segments.push({ start, end: start + text.length, origin: origins[i % origins.length]!, state: 'ai', text });
  }
  return { length, segments, origins };
}

function makeEvents(length: number, origins: Origin[]): RawEvent[] {
  const rnd = prng(42);
  const out: RawEvent[] = [];
  let docLen = length;
  let cursor = Math.floor(docLen / 2);
  const pos = { line: 1, character: 5 };
  for (let i = 0; i < events; i++) {
    // Bursts of typing at one place, then a jump elsewhere: how people edit.
    if (i % 40 === 0) cursor = Math.floor(rnd() * (docLen - 100));
    const r = rnd();
    let change: RawEvent['contentChanges'][number];
    let cause: EditCause = { type: 'human' };
    if (r < 0.75) {
      change = { rangeOffset: cursor, rangeLength: 0, text: 'x', range: { start: pos, end: pos } };
      cursor += 1;
    } else if (r < 0.9) {
      cursor = Math.max(1, cursor);
      change = { rangeOffset: cursor - 1, rangeLength: 1, text: '', range: { start: pos, end: pos } };
      cursor -= 1;
    } else if (r < 0.97) {
      change = { rangeOffset: cursor, rangeLength: 0, text: '\n    ', range: { start: pos, end: pos } };
      cursor += 5;
    } else {
      const text = 'return compute(a, b);\n    ';
      change = { rangeOffset: cursor, rangeLength: 0, text, range: { start: pos, end: pos } };
      cause = { type: 'ai', origin: origins[i % origins.length]! };
      cursor += text.length;
    }
    docLen += change.text.length - change.rangeLength;
    out.push({ contentChanges: [change], cause });
  }
  return out;
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

function time(evts: readonly RawEvent[], handler: (e: RawEvent) => void): Float64Array {
  const samples = new Float64Array(evts.length);
  for (let i = 0; i < evts.length; i++) {
    const e = evts[i]!;
    const t0 = process.hrtime.bigint();
    handler(e);
    samples[i] = Number(process.hrtime.bigint() - t0) / 1000;
  }
  return samples.sort();
}

/** Runs the benchmark and prints its JSON lines. */
function main(): void {
  const { length, segments, origins } = buildDocument();
  const evts = makeEvents(length, origins);
  let sink = 0;
  // The no-op handler touches the event like any listener must; it is the floor.
  const noop = (e: RawEvent): void => {
    sink += e.contentChanges.length;
  };
  const run = (): { edit: Float64Array; noop: Float64Array; segments: number } => {
    const tracker = new AttributionTracker(length, segments);
    const edit = (e: RawEvent): void => {
      // What the extension does per event: convert the changes at the editor edge, apply.
      const changes: ContentChange[] = e.contentChanges.map((c) => ({
        rangeOffset: c.rangeOffset,
        rangeLength: c.rangeLength,
        text: c.text,
        range: { start: { line: c.range.start.line, character: c.range.start.character }, end: { line: c.range.end.line, character: c.range.end.character } },
      }));
      tracker.applyEdit(changes, e.cause);
    };
    const noopSamples = time(evts, noop);
    const editSamples = time(evts, edit);
    return { edit: editSamples, noop: noopSamples, segments: tracker.segmentCount };
  };
  run(); // warm up the JIT on the same workload
  const { edit, noop: base, segments: finalSegments } = run();
  const p50 = percentile(edit, 0.5);
  const p99 = percentile(edit, 0.99);
  const n50 = percentile(base, 0.5);
  const n99 = percentile(base, 0.99);
  const line = (metric: string, value: number, unit: string, extra: Record<string, unknown> = {}): void => {
    console.log(JSON.stringify({ metric, value: Math.round(value * 100) / 100, unit, ...extra }));
  };
  line('edit_p50_us', p50, 'us', { ratio_to_noop: Math.round((p50 / n50) * 10) / 10 });
  line('edit_p99_us', p99, 'us', { ratio_to_noop: Math.round((p99 / n99) * 10) / 10 });
  line('noop_p50_us', n50, 'us');
  line('noop_p99_us', n99, 'us');
  line('edit_events', evts.length, 'events', { document_lines: lineCount, ai_ranges_at_start: rangeCount, ai_ranges_at_end: finalSegments });
  if (sink < 0) console.log(sink);
}

main();
