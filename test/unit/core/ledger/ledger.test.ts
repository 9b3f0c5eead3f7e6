/**
 * Unit tests of src/core/ledger/ledger.ts: the ledger's format and re-anchoring.
 *
 * Covered: `parseLedger` reads what `serializeLedger` writes, and rejects every kind of malformed
 * input with a `LedgerFormatError` whose message names the bad field (the ledger is shared by
 * the extension, the CLI and hooks, and hand edits happen); `serializeLedger` drops empty files
 * and writes paths in sorted order; `toLedgerFile` computes 1-based lines; `reanchor` keeps,
 * relocates or drops stored ranges when the file changed while nobody watched, and never
 * returns overlapping segments. Hashes are injected, so a readable fake hash is used.
 */
import assert from 'node:assert/strict';
import type { HashFn, LedgerData, LedgerFile, LedgerRange } from '../../../../src/core/ledger/ledger';
import { emptyLedger, LedgerFormatError, parseLedger, reanchor, serializeLedger, toLedgerFile } from '../../../../src/core/ledger/ledger';
import type { Origin, Segment } from '../../../../src/core/model';

const hash: HashFn = (t) => 'h:' + t;

const agent: Origin = { id: 'agent-1', kind: 'agent', tool: 'claude-code', model: 'claude-sonnet-4-5', session: 's1', time: 1_700_000_000_000 };
const copilot: Origin = { id: 'copilot-1', kind: 'inline', tool: 'github.copilot', session: 's2', time: 1_700_000_000_001 };

/** A segment over `text[start, end)`. */
function seg(text: string, start: number, end: number, origin: Origin = agent): Segment {
  return { start, end, origin, state: 'ai', text: text.slice(start, end) };
}

/** The segment of the first occurrence of `part` in `text`. */
function segOf(text: string, part: string, origin: Origin = agent): Segment {
  const at = text.indexOf(part);
  assert.ok(at >= 0, `${JSON.stringify(part)} not in text`);
  return seg(text, at, at + part.length, origin);
}

/** `[start, end, originId, text]` of segments, for readable comparisons. */
function spans(segments: readonly Segment[]): Array<[number, number, string, string]> {
  return segments.map((s): [number, number, string, string] => [s.start, s.end, s.origin.id, s.text]);
}

function assertNoOverlap(segments: readonly Segment[]): void {
  for (let i = 1; i < segments.length; i++) {
    assert.ok(segments[i - 1]!.end <= segments[i]!.start, `segments ${i - 1} and ${i} overlap or are out of order`);
  }
}

const goodOrigin = { id: 'o1', kind: 'agent', tool: 'claude-code', model: 'm', session: 's', time: 5 };
const goodRange = { start: 0, end: 4, startLine: 1, endLine: 1, state: 'ai', origin: goodOrigin, hash: 'h:abcd' };

/** Ledger JSON with one file `src/a.ts` holding `range`, with `file` fields overridden. */
function ledgerJson(range: Record<string, unknown>, file: Record<string, unknown> = {}): string {
  return JSON.stringify({ version: 1, files: { 'src/a.ts': { basis: 'h:abcd', updated: 1, writer: 'cli', ranges: [range], ...file } } });
}

/** Asserts `parseLedger(json)` throws a LedgerFormatError whose message matches `message`. */
function rejects(json: string, message: RegExp): void {
  assert.throws(
    () => parseLedger(json),
    (e: unknown) => {
      assert.ok(e instanceof LedgerFormatError, `expected LedgerFormatError, got ${String(e)}`);
      assert.equal(e.name, 'LedgerFormatError');
      assert.match(e.message, message);
      return true;
    },
  );
}

describe('ledger', () => {
  describe('parseLedger / serializeLedger', () => {
    it('reads back what it writes', () => {
      const text = 'one\ntwo\nthree\n';
      const data: LedgerData = {
        version: 1,
        files: {
          'src/b.ts': toLedgerFile([segOf(text, 'two\n', copilot)], text, hash, 10, 'cli'),
          'src/a.ts': toLedgerFile([segOf(text, 'one\n'), { ...segOf(text, 'three'), state: 'mixed' }], text, hash, 20, 'extension:abc'),
        },
      };
      const json = serializeLedger(data);
      assert.deepEqual(parseLedger(json), data);
      assert.equal(serializeLedger(parseLedger(json)), json);
    });

    it('keeps only the fields it knows, in the order it writes them', () => {
      const extra = { ...goodRange, startColumn: 2, note: 'x', origin: { ...goodOrigin, extra: 1 } };
      const range = parseLedger(ledgerJson(extra)).files['src/a.ts']!.ranges[0]!;
      assert.deepEqual(Object.keys(range), ['start', 'end', 'startLine', 'startColumn', 'endLine', 'state', 'origin', 'hash']);
      assert.deepEqual(Object.keys(range.origin), ['id', 'kind', 'tool', 'model', 'session', 'time']);
      assert.deepEqual(Object.keys(parseLedger(ledgerJson(goodRange)).files['src/a.ts']!.ranges[0]!), ['start', 'end', 'startLine', 'endLine', 'state', 'origin', 'hash']);
    });

    it('keeps a blob of the right shape and leaves out any other', () => {
      const blob = { of: 'h:abcd', sha1: 'f'.repeat(40), lines: '1-1 ai 0' };
      assert.deepEqual(parseLedger(ledgerJson(goodRange, { blob })).files['src/a.ts']!.blob, blob);
      for (const bad of [null, 'x', { of: 'h:abcd', sha1: 1, lines: '' }, { sha1: 'f', lines: '' }]) {
        const file = parseLedger(ledgerJson(goodRange, { blob: bad })).files['src/a.ts']!;
        assert.equal(file.blob, undefined, JSON.stringify(bad));
        assert.equal(file.ranges.length, 1);
      }
    });

    it('reads an empty ledger', () => {
      assert.deepEqual(parseLedger(serializeLedger(emptyLedger())), emptyLedger());
    });

    it('reads a null model as no model', () => {
      const data = parseLedger(ledgerJson({ ...goodRange, origin: { ...goodOrigin, model: null } }));
      const origin = data.files['src/a.ts']!.ranges[0]!.origin;
      assert.equal('model' in origin, false);
    });

    it('drops files without ranges and writes paths in sorted order', () => {
      const text = 'x\n';
      const entry = toLedgerFile([seg(text, 0, 2)], text, hash, 1, 'cli');
      const json = serializeLedger({
        version: 1,
        files: { 'z.ts': entry, 'empty.ts': { ...entry, ranges: [] }, 'a/b.ts': entry, 'B.ts': entry },
      });
      const raw = JSON.parse(json) as { files: Record<string, unknown> };
      assert.deepEqual(Object.keys(raw.files), ['B.ts', 'a/b.ts', 'z.ts']);
      assert.ok(json.endsWith('}\n'), 'ends with one newline');
    });

    it('rejects text that is not JSON', () => {
      rejects('{"version": 1,', /^not JSON: /);
      rejects('', /^not JSON: /);
    });

    it('rejects a ledger that is not an object', () => {
      rejects('[]', /ledger must be an object/);
      rejects('null', /ledger must be an object/);
    });

    it('rejects another version', () => {
      rejects(JSON.stringify({ version: 3, files: {} }), /unsupported ledger version 3/);
      rejects(JSON.stringify({ version: '1', files: {} }), /unsupported ledger version 1/);
      rejects(JSON.stringify({ files: {} }), /unsupported ledger version undefined/);
    });

    it('rejects missing or malformed files', () => {
      rejects(JSON.stringify({ version: 1 }), /files must be an object/);
      rejects(JSON.stringify({ version: 1, files: [] }), /files must be an object/);
      rejects(JSON.stringify({ version: 1, files: { 'src/a.ts': { basis: 'h', updated: 1, writer: 'cli' } } }), /files\["src\/a\.ts"\] is malformed/);
      rejects(ledgerJson(goodRange, { basis: 7 }), /files\["src\/a\.ts"\]\.basis must be a string/);
      rejects(ledgerJson(goodRange, { updated: -1 }), /files\["src\/a\.ts"\]\.updated must be a non-negative integer/);
      rejects(ledgerJson(goodRange, { writer: undefined }), /files\["src\/a\.ts"\]\.writer must be a string/);
    });

    it('rejects a range that is not an object', () => {
      rejects(ledgerJson(goodRange, { ranges: [goodRange, 'x'] }), /files\["src\/a\.ts"\]\.ranges\[1\] must be an object/);
    });

    it('rejects missing origin fields, naming the field', () => {
      rejects(ledgerJson({ ...goodRange, origin: undefined }), /ranges\[0\]\.origin must be an object/);
      for (const field of ['id', 'tool', 'session'] as const) {
        rejects(ledgerJson({ ...goodRange, origin: { ...goodOrigin, [field]: undefined } }), new RegExp(`ranges\\[0\\]\\.origin\\.${field} must be a string`));
      }
      rejects(ledgerJson({ ...goodRange, origin: { ...goodOrigin, kind: undefined } }), /ranges\[0\]\.origin\.kind must be a string/);
      rejects(ledgerJson({ ...goodRange, origin: { ...goodOrigin, time: undefined } }), /ranges\[0\]\.origin\.time must be a non-negative integer/);
      rejects(ledgerJson({ ...goodRange, origin: { ...goodOrigin, model: 3 } }), /ranges\[0\]\.origin\.model must be a string/);
    });

    it('rejects an unknown origin kind, listing the known ones', () => {
      rejects(ledgerJson({ ...goodRange, origin: { ...goodOrigin, kind: 'robot' } }), /ranges\[0\]\.origin\.kind "robot" is not one of inline, chat, agent, manual, external/);
    });

    it('rejects negative, fractional and non-numeric offsets', () => {
      rejects(ledgerJson({ ...goodRange, start: -1 }), /ranges\[0\]\.start must be a non-negative integer/);
      rejects(ledgerJson({ ...goodRange, end: 2.5 }), /ranges\[0\]\.end must be a non-negative integer/);
      rejects(ledgerJson({ ...goodRange, startLine: '1' }), /ranges\[0\]\.startLine must be a non-negative integer/);
      rejects(ledgerJson({ ...goodRange, endLine: undefined }), /ranges\[0\]\.endLine must be a non-negative integer/);
    });

    it('rejects a range that ends before it starts', () => {
      rejects(ledgerJson({ ...goodRange, start: 5, end: 4 }), /ranges\[0\] ends before it starts/);
    });

    it('rejects a state other than ai or mixed', () => {
      rejects(ledgerJson({ ...goodRange, state: 'human' }), /ranges\[0\]\.state must be ai or mixed/);
      rejects(ledgerJson({ ...goodRange, state: undefined }), /ranges\[0\]\.state must be ai or mixed/);
    });

    it('rejects a missing hash', () => {
      rejects(ledgerJson({ ...goodRange, hash: undefined }), /ranges\[0\]\.hash must be a string/);
    });
  });

  describe('version 2 (compact)', () => {
    const sha = (t: string): string => 'sha256:' + t.padEnd(32, '0').slice(0, 32);
    /** A realistic ledger: `files` files of `perFile` ranges of a few lines each, by `originCount` origins. */
    function bigLedger(files: number, perFile: number, originCount: number): LedgerData {
      const origins = Array.from({ length: originCount }, (_, i): Origin => ({ id: `0c5e7b4e-9a1f-4d2b-8c3e-${String(i).padStart(12, '0')}`, kind: 'agent', tool: 'Claude Code', model: 'claude-sonnet-4-5', session: `session-${i}`, time: 1_764_800_000_000 + i }));
      const out: Record<string, LedgerFile> = {};
      for (let f = 0; f < files; f++) {
        const ranges: LedgerRange[] = [];
        for (let r = 0; r < perFile; r++) {
          const start = r * 1200 + 40;
          ranges.push({ start, end: start + 380, startLine: r * 30 + 2, startColumn: 4, endLine: r * 30 + 11, state: r % 7 === 0 ? 'mixed' : 'ai', origin: origins[(f + r) % originCount]!, hash: sha(`${f}a${r}`) });
        }
        out[`src/module${f % 20}/file${f}.ts`] = { basis: sha(`b${f}`), updated: 1_764_800_000_000 + f, writer: 'extension:0c5e7b4e-9a1f-4d2b-8c3e-0123456789ab', ranges, blob: { of: sha(`b${f}`), sha1: 'a'.repeat(40), lines: ranges.map((r, i) => `${r.startLine}-${r.endLine} ${r.state} ${i}`).join(';') } };
      }
      return { version: 1, files: out };
    }

    it('stores each origin once and a range in at most 100 bytes at 10,000 ranges', () => {
      const data = bigLedger(100, 100, 40);
      const json = serializeLedger(data);
      const raw = JSON.parse(json) as { origins: unknown[] };
      assert.equal(raw.origins.length, 40);
      const perRange = Buffer.byteLength(json) / 10_000;
      assert.ok(perRange <= 100, `${perRange} bytes a range`);
      assert.deepEqual(parseLedger(json), data);
    });

    it('reads a version 1 ledger and writes it as version 2 with the same content', () => {
      const v1 = JSON.stringify({ version: 1, files: { 'src/a.ts': { basis: 'h:abcd', updated: 1, writer: 'cli', ranges: [goodRange, { ...goodRange, start: 5, end: 9, state: 'mixed', startColumn: 3 }] } } }, null, 1);
      const data = parseLedger(v1);
      const v2 = serializeLedger(data);
      assert.match(v2, /^\{"version":2,"ranges":2,\n/);
      assert.deepEqual(parseLedger(v2), data);
      assert.equal((JSON.parse(v2) as { origins: unknown[] }).origins.length, 1);
    });

    it('says on its first line whether it holds any range', () => {
      assert.equal(serializeLedger(emptyLedger()).split('\n')[0], '{"version":2,"ranges":0,');
      assert.equal(serializeLedger(bigLedger(2, 3, 1)).split('\n')[0], '{"version":2,"ranges":6,');
    });

    it('keeps hashes of any form exactly', () => {
      for (const h of ['sha256:' + 'f'.repeat(32), 'f'.repeat(32), '=x', 'sha256:short', 'h:abcd', '']) {
        const json = serializeLedger({ version: 1, files: { a: { basis: 'b', updated: 1, writer: 'w', ranges: [{ ...goodRange, state: 'ai', origin: agent, hash: h }] } } });
        assert.equal(parseLedger(json).files.a!.ranges[0]!.hash, h, h);
      }
    });

    it('rejects malformed compact ranges, naming the range', () => {
      const doc = (range: unknown, origins: unknown[] = [goodOrigin]): string => JSON.stringify({ version: 2, ranges: 1, origins, files: { 'a.ts': { basis: 'b', updated: 1, writer: 'w', ranges: [range] } } });
      assert.equal(parseLedger(doc([0, 4, 1, 0, null, 0, 'h'])).files['a.ts']!.ranges[0]!.end, 4);
      rejects(doc('x'), /files\["a\.ts"\]\.ranges\[0\] must be an array of 7 or 8 values/);
      rejects(doc([0, 4, 1, 0, null, 0]), /ranges\[0\] must be an array of 7 or 8 values/);
      rejects(doc([-1, 4, 1, 0, null, 0, 'h']), /ranges\[0\]: offset, length and lines must be non-negative integers/);
      rejects(doc([0, 4, 1, 0, 'c', 0, 'h']), /ranges\[0\]: column must be/);
      rejects(doc([0, 4, 1, 0, null, 1, 'h']), /ranges\[0\]: origin 1 is not in origins/);
      rejects(doc([0, 4, 1, 0, null, 0, 7]), /ranges\[0\]: hash must be a string/);
      rejects(doc([0, 4, 1, 0, null, 0, 'h', 2]), /ranges\[0\]: the state flag must be 1/);
      rejects(doc([0, 4, 1, 0, null, 0, 'h'], [{ ...goodOrigin, kind: 'robot' }]), /origins\[0\]\.kind "robot"/);
      rejects(JSON.stringify({ version: 2, files: {} }), /origins must be an array/);
    });
  });

  describe('toLedgerFile', () => {
    const text = 'l1\nl2\nl3\n';

    it('records basis, time, writer and range hashes', () => {
      const file = toLedgerFile([seg(text, 3, 6)], text, hash, 42, 'cli');
      assert.equal(file.basis, hash(text));
      assert.equal(file.updated, 42);
      assert.equal(file.writer, 'cli');
      assert.deepEqual(file.ranges, [{ start: 3, end: 6, startLine: 2, startColumn: 0, endLine: 2, state: 'ai', origin: agent, hash: hash('l2\n') }]);
    });

    it('computes 1-based inclusive lines; a trailing break stays on its own line', () => {
      const lines = (s: Segment): [number, number] => {
        const r = toLedgerFile([s], text, hash, 0, 'cli').ranges[0]!;
        return [r.startLine, r.endLine];
      };
      assert.deepEqual(lines(seg(text, 0, 2)), [1, 1]); // "l1"
      assert.deepEqual(lines(seg(text, 3, 8)), [2, 3]); // "l2\nl3"
      assert.deepEqual(lines(seg(text, 3, 9)), [2, 3]); // "l2\nl3\n"
      assert.deepEqual(lines(seg(text, 2, 5)), [1, 2]); // "\nl2": the break ends line 1
      assert.deepEqual(lines(seg(text, 4, 4)), [2, 2]); // empty
    });

    it('counts CRLF lines', () => {
      const crlf = 'a\r\nb\r\nc';
      const r = toLedgerFile([seg(crlf, 3, 7)], crlf, hash, 0, 'cli').ranges[0]!;
      assert.deepEqual([r.startLine, r.endLine], [2, 3]);
    });
  });

  describe('reanchor', () => {
    const oldText = 'import x;\n\nconst answer = compute(42);\n\nexport { answer };\n';
    const aiLine = 'const answer = compute(42);\n';

    it('keeps every range exactly when the basis is the same', () => {
      const entry = toLedgerFile([segOf(oldText, aiLine), segOf(oldText, 'export', copilot)], oldText, hash, 0, 'cli');
      const r = reanchor(entry, oldText, hash);
      assert.deepEqual(spans(r.segments), [
        [11, 39, 'agent-1', aiLine],
        [40, 46, 'copilot-1', 'export'],
      ]);
      assert.deepEqual([r.exact, r.relocated, r.dropped.length], [2, 0, 0]);
    });

    it('keeps a range exactly when the file changed elsewhere', () => {
      const entry = toLedgerFile([segOf(oldText, aiLine)], oldText, hash, 0, 'cli');
      const newText = oldText.replace('export { answer }', 'export { answer as default }');
      const r = reanchor(entry, newText, hash);
      assert.deepEqual(spans(r.segments), [[11, 39, 'agent-1', aiLine]]);
      assert.deepEqual([r.exact, r.relocated, r.dropped.length], [1, 0, 0]);
    });

    it('relocates a range whose text moved and occurs once', () => {
      const entry = toLedgerFile([segOf(oldText, aiLine)], oldText, hash, 0, 'cli');
      const newText = '// header\n' + oldText;
      const r = reanchor(entry, newText, hash);
      assert.deepEqual(spans(r.segments), [[21, 49, 'agent-1', aiLine]]);
      assert.deepEqual([r.exact, r.relocated, r.dropped.length], [0, 1, 0]);
    });

    it('drops a range whose text changed', () => {
      const entry = toLedgerFile([segOf(oldText, aiLine)], oldText, hash, 0, 'cli');
      const r = reanchor(entry, oldText.replace('42', '43'), hash);
      assert.deepEqual(r.segments, []);
      assert.deepEqual([r.exact, r.relocated], [0, 0]);
      assert.deepEqual(r.dropped, entry.ranges);
    });

    it('drops a range whose text now occurs twice (ambiguous)', () => {
      const entry = toLedgerFile([segOf(oldText, aiLine)], oldText, hash, 0, 'cli');
      const newText = '// copy\n' + aiLine + oldText;
      const r = reanchor(entry, newText, hash);
      assert.deepEqual(r.segments, []);
      assert.deepEqual(r.dropped, entry.ranges);
    });

    it('does not relocate short text, which is not distinctive', () => {
      const text = 'a\nok();\nb\n';
      const entry = toLedgerFile([segOf(text, 'ok();\n')], text, hash, 0, 'cli');
      const r = reanchor(entry, 'new\n' + text, hash);
      assert.deepEqual(r.segments, []);
      assert.equal(r.dropped.length, 1);
    });

    it('drops a range stored past the end of a shorter file unless it is found elsewhere', () => {
      const entry = toLedgerFile([segOf(oldText, 'export { answer };\n')], oldText, hash, 0, 'cli');
      const r = reanchor(entry, 'short\n', hash);
      assert.deepEqual(r.segments, []);
      assert.equal(r.dropped.length, 1);
    });

    it('never returns overlapping segments from overlapping stored ranges', () => {
      // A hand-edited or corrupt ledger whose ranges overlap.
      const a = seg(oldText, 0, 20);
      const b = seg(oldText, 10, 30, copilot);
      const ra = toLedgerFile([a], oldText, hash, 0, 'cli');
      const rb = toLedgerFile([b], oldText, hash, 0, 'cli');
      const entry: LedgerFile = { ...ra, ranges: [...ra.ranges, ...rb.ranges] };
      const r = reanchor(entry, oldText, hash);
      assertNoOverlap(r.segments);
      assert.deepEqual(spans(r.segments), [[0, 20, 'agent-1', oldText.slice(0, 20)]]);
      assert.deepEqual([r.exact, r.relocated, r.dropped.length], [1, 0, 1]);
    });

    it('never relocates a range into one that was kept', () => {
      // B's text now occurs only inside A (its own copy was deleted).
      const before = 'AAAAAAAA\nBBBBBBBB\nzz\nBBBBBBBB\n';
      const entry = toLedgerFile([seg(before, 0, 18), seg(before, 21, 30, copilot)], before, hash, 0, 'cli');
      const r = reanchor(entry, 'AAAAAAAA\nBBBBBBBB\nzz\n', hash);
      assertNoOverlap(r.segments);
      assert.deepEqual(spans(r.segments), [[0, 18, 'agent-1', 'AAAAAAAA\nBBBBBBBB\n']]);
      assert.deepEqual([r.exact, r.relocated], [1, 0]);
      assert.deepEqual(r.dropped.map((d: LedgerRange) => d.origin.id), ['copilot-1']);
    });

    it('relocates both ranges when two AI blocks swapped places', () => {
      // Each block's text still occurs exactly once, so both are found, without overlap.
      const one = 'function one() { return 1; }\n';
      const two = 'function two() { return 2; }\n';
      const before = one + '\n' + two;
      const after = two + '\n' + one;
      const entry = toLedgerFile([segOf(before, one), segOf(before, two, copilot)], before, hash, 0, 'cli');
      const r = reanchor(entry, after, hash);
      assertNoOverlap(r.segments);
      assert.deepEqual(spans(r.segments), [
        [0, two.length, 'copilot-1', two],
        [two.length + 1, after.length, 'agent-1', one],
      ]);
      assert.deepEqual([r.exact, r.relocated, r.dropped.length], [0, 2, 0]);
    });

    it('relocates a mid-line range (an inline completion) when lines are inserted above', () => {
      // The person typed "const total = ", the completion wrote the rest of the line.
      const before = 'const total = computeTotal(items);\n';
      const completion = 'computeTotal(items);';
      const entry = toLedgerFile([segOf(before, completion, copilot)], before, hash, 0, 'cli');
      const after = '// header\n' + before;
      const r = reanchor(entry, after, hash);
      assert.deepEqual(spans(r.segments), [[24, 44, 'copilot-1', completion]]);
      assert.deepEqual([r.exact, r.relocated, r.dropped.length], [0, 1, 0]);
    });
  });
});
