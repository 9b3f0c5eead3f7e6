/**
 * Unit tests of src/core/ledger/ledgerOps.ts: what `git provenance record` and the editor's manual
 * marks do to a file's ledger entry.
 *
 * Covered: `applyMarks` (AI and human marks on new and existing entries, later marks winning,
 * stale stored ranges reported as dropped), `lineSpanOffsets` (whole lines including their
 * break, the last line without a trailing newline, CRLF, readable errors for line 0, reversed
 * spans and lines past the end) and `parseFileSpan` (the `FILE:START-END` argument users type,
 * including paths that contain ':' such as Windows drive letters).
 */
import assert from 'node:assert/strict';
import type { HashFn } from '../../../../src/core/ledger/ledger';
import { toLedgerFile } from '../../../../src/core/ledger/ledger';
import { applyMarks, lineSpanOffsets, parseFileSpan } from '../../../../src/core/ledger/ledgerOps';
import { LineIndex } from '../../../../src/core/lines/lines';
import type { Origin } from '../../../../src/core/model';

const hash: HashFn = (t) => 'h:' + t;

const agent: Origin = { id: 'agent-1', kind: 'agent', tool: 'claude-code', model: 'claude-sonnet-4-5', session: 's1', time: 1 };
const manual: Origin = { id: 'manual-1', kind: 'manual', tool: 'me', session: 's2', time: 2 };

/** Offsets of 1-based lines `a..b` of `text`. */
function lines(text: string, a: number, b: number = a): { start: number; end: number } {
  return lineSpanOffsets(new LineIndex(text), { startLine: a, endLine: b });
}

describe('ledgerOps', () => {
  describe('applyMarks', () => {
    const text = 'one\ntwo\nthree\nfour\n';

    it('creates an entry for a file that had none', () => {
      const { start, end } = lines(text, 2, 3);
      const r = applyMarks(undefined, text, [{ start, end, origin: agent }], hash, 100, 'cli');
      assert.deepEqual(r.dropped, []);
      assert.equal(r.entry.basis, hash(text));
      assert.equal(r.entry.updated, 100);
      assert.equal(r.entry.writer, 'cli');
      assert.deepEqual(r.entry.ranges, [{ start: 4, end: 14, startLine: 2, startColumn: 0, endLine: 3, state: 'ai', origin: agent, hash: hash('two\nthree\n') }]);
    });

    it('un-marks lines with a human mark, splitting the range', () => {
      const all = lines(text, 1, 4);
      const entry = applyMarks(undefined, text, [{ ...all, origin: agent }], hash, 1, 'cli').entry;
      const r = applyMarks(entry, text, [{ ...lines(text, 2, 3), origin: undefined }], hash, 2, 'cli');
      assert.deepEqual(r.entry.ranges.map((x) => [x.startLine, x.endLine, x.origin.id]), [
        [1, 1, 'agent-1'],
        [4, 4, 'agent-1'],
      ]);
    });

    it('lets a later mark replace what an earlier one labelled', () => {
      const r = applyMarks(undefined, text, [
        { ...lines(text, 1, 4), origin: agent },
        { ...lines(text, 2), origin: manual },
      ], hash, 1, 'cli');
      assert.deepEqual(r.entry.ranges.map((x) => [x.startLine, x.endLine, x.origin.id]), [
        [1, 1, 'agent-1'],
        [2, 2, 'manual-1'],
        [3, 4, 'agent-1'],
      ]);
    });

    it('keeps stored ranges that still match and adds new ones', () => {
      const entry = toLedgerFile([{ start: 0, end: 4, origin: manual, state: 'mixed', text: 'one\n' }], text, hash, 1, 'extension:x');
      const r = applyMarks(entry, text, [{ ...lines(text, 4), origin: agent }], hash, 2, 'cli');
      assert.deepEqual(r.entry.ranges.map((x) => [x.startLine, x.endLine, x.origin.id, x.state]), [
        [1, 1, 'manual-1', 'mixed'],
        [4, 4, 'agent-1', 'ai'],
      ]);
      assert.equal(r.entry.writer, 'cli');
    });

    it('reports stored ranges that no longer match the file as dropped', () => {
      const entry = applyMarks(undefined, text, [{ ...lines(text, 2), origin: agent }], hash, 1, 'cli').entry;
      const changed = text.replace('two', 'TWO');
      const r = applyMarks(entry, changed, [], hash, 2, 'cli');
      assert.deepEqual(r.entry.ranges, []);
      assert.deepEqual(r.dropped, entry.ranges);
      assert.equal(r.entry.basis, hash(changed));
    });
  });

  describe('lineSpanOffsets', () => {
    it('covers whole lines including the last line\'s break', () => {
      const text = 'a\nbb\nccc\n';
      assert.deepEqual(lines(text, 1), { start: 0, end: 2 });
      assert.deepEqual(lines(text, 2), { start: 2, end: 5 });
      assert.deepEqual(lines(text, 1, 3), { start: 0, end: 9 });
    });

    it('covers the last line when the file has no trailing newline', () => {
      const text = 'a\nbb';
      assert.deepEqual(lines(text, 2), { start: 2, end: 4 });
      assert.deepEqual(lines(text, 1, 2), { start: 0, end: 4 });
    });

    it('includes the whole "\\r\\n" break', () => {
      assert.deepEqual(lines('a\r\nb\r\n', 1), { start: 0, end: 3 });
      assert.deepEqual(lines('a\r\nb\r\n', 2), { start: 3, end: 6 });
    });

    it('rejects line 0 and reversed spans', () => {
      const index = new LineIndex('a\nb\n');
      assert.throws(() => lineSpanOffsets(index, { startLine: 0, endLine: 1 }), { name: 'RangeError', message: 'line span 0-1 is not a valid range' });
      assert.throws(() => lineSpanOffsets(index, { startLine: 2, endLine: 1 }), { name: 'RangeError', message: 'line span 2-1 is not a valid range' });
    });

    it('rejects lines past the end, counting no phantom line after a trailing newline', () => {
      assert.throws(() => lines('a\nb\n', 3), { name: 'RangeError', message: 'line 3 is past the end of the file (2 lines)' });
      assert.throws(() => lines('a\nb', 1, 3), { name: 'RangeError', message: 'line 3 is past the end of the file (2 lines)' });
    });
  });

  describe('parseFileSpan', () => {
    it('parses FILE:START-END', () => {
      assert.deepEqual(parseFileSpan('a.ts:3-7'), { file: 'a.ts', startLine: 3, endLine: 7 });
    });

    it('parses FILE:LINE as a one-line span', () => {
      assert.deepEqual(parseFileSpan('src/a.ts:4'), { file: 'src/a.ts', startLine: 4, endLine: 4 });
    });

    it('keeps colons that belong to the path', () => {
      assert.deepEqual(parseFileSpan('C:/x/a.ts:2-3'), { file: 'C:/x/a.ts', startLine: 2, endLine: 3 });
      assert.deepEqual(parseFileSpan('dir:with:colons/a.ts:9'), { file: 'dir:with:colons/a.ts', startLine: 9, endLine: 9 });
    });

    it('rejects arguments without a line span', () => {
      for (const arg of ['a.ts', 'a.ts:', 'a.ts:x', 'a.ts:3-', 'a.ts:-3', ':3', 'a.ts:3-7-9', 'a.ts:3:x', 'C:/x/a.ts']) {
        assert.throws(() => parseFileSpan(arg), { name: 'RangeError', message: `"${arg}" is not FILE:START-END (1-based line numbers)` }, arg);
      }
    });

    it('rejects line 0 and reversed spans', () => {
      assert.throws(() => parseFileSpan('a.ts:0'), { name: 'RangeError', message: '"a.ts:0": lines must be 1-based and START <= END' });
      assert.throws(() => parseFileSpan('a.ts:0-2'), { name: 'RangeError', message: '"a.ts:0-2": lines must be 1-based and START <= END' });
      assert.throws(() => parseFileSpan('a.ts:7-3'), { name: 'RangeError', message: '"a.ts:7-3": lines must be 1-based and START <= END (reversed: write 3-7)' });
    });

    it('takes any file name but NUL, a newline included; quotes it in messages', () => {
      assert.deepEqual(parseFileSpan('a\nb.ts:2'), { file: 'a\nb.ts', startLine: 2, endLine: 2 });
      assert.throws(() => parseFileSpan('a\nb.ts'), { name: 'RangeError', message: '"a\\nb.ts" is not FILE:START-END (1-based line numbers)' });
      assert.throws(() => parseFileSpan('a.ts:99999999999999999999'), { name: 'RangeError', message: '"a.ts:99999999999999999999": line numbers too large' });
    });
  });
});
