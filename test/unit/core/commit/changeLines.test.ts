/**
 * Unit tests of src/core/commit/changeLines.ts: ledger lines carried to the index (partial staging),
 * several sources layered (squash), kept to added lines, counted for the trailers.
 */
import assert from 'node:assert/strict';
import type { AttributedLine } from '../../../../src/core/commit/changeLines';
import { attributeVersion, blobRuns, countChange, ledgerLines, overlay, projectLines, restrictRuns, restrictTo, runsToLines } from '../../../../src/core/commit/changeLines';
import type { LineRun } from '../../../../src/core/lines/lines';
import { toRuns } from '../../../../src/core/lines/lines';
import type { HashFn, LedgerFile } from '../../../../src/core/ledger/ledger';
import { toLedgerFile } from '../../../../src/core/ledger/ledger';
import type { AttrState, Origin, Segment } from '../../../../src/core/model';
import { prng } from '../../../helpers/prng';

const hash = (t: string): string => 'h:' + t;
const a: Origin = { id: 'a', kind: 'agent', tool: 'A', model: 'm1', session: 's', time: 1 };
const b: Origin = { id: 'b', kind: 'inline', tool: 'B', session: 's2', time: 2 };
const at = (o: Origin, ...ns: number[]): AttributedLine[] => ns.map((line) => ({ line, kind: 'ai' as const, origin: o }));
const nums = (ls: readonly AttributedLine[]): number[] => ls.map((l) => l.line);

describe('changeLines', () => {
  it('reads whole lines of a ledger entry over the file text', () => {
    const text = 'h1\nai1\nai2\nh2\n';
    const start = text.indexOf('ai1');
    const end = text.indexOf('h2');
    const entry = toLedgerFile([{ start, end, origin: a, state: 'ai', text: text.slice(start, end) }], text, hash, 0, 't');
    assert.deepEqual(nums(ledgerLines(entry, text, hash).lines), [2, 3]);
  });

  it('carries lines from the working tree to a partially staged index', () => {
    // Working tree: the AI wrote lines 2-4; only line 3 ("ai B") was staged, line 2 and 4 not.
    const worktree = 'top\nai A\nai B\nai C\nbottom\n';
    const index = 'top\nai B\nbottom\n';
    assert.deepEqual(nums(projectLines(at(a, 2, 3, 4), worktree, index)), [2]);
  });

  it('layers sources, the first winning, and keeps only added lines', () => {
    const merged = overlay([at(a, 1, 2), at(b, 2, 3)]);
    assert.deepEqual(merged.map((l) => [l.line, l.origin.tool]), [[1, 'A'], [2, 'A'], [3, 'B']]);
    assert.deepEqual(nums(restrictTo(merged, [[2, 4]])), [2, 3]);
  });

  it('keeps only added lines whether the lines come sorted or not', () => {
    assert.deepEqual(nums(restrictTo(at(a, 1, 3, 5, 7, 9), [[2, 4], [9, 10]])), [3, 9]);
    assert.deepEqual(nums(restrictTo(at(a, 9, 3, 5, 1), [[1, 1], [3, 4], [9, 9]])), [9, 3, 1], 'unsorted: kept in their order');
    assert.deepEqual(nums(restrictTo(at(a, 4, 4), [[4, 4]])), [4, 4]);
    assert.deepEqual(restrictTo(at(a, 1), []), []);
  });

  it('restricts runs as restrictTo restricts their lines, on 2,000 random cases', () => {
    for (let seed = 1; seed <= 2000; seed++) {
      const r = prng(seed);
      // Ascending runs of lines of either origin and kind, and ascending added runs.
      const lines: AttributedLine[] = [];
      for (let line = 1; line <= 40; line++) if (r() < 0.6) lines.push({ line, kind: r() < 0.8 ? 'ai' : 'mixed', origin: r() < 0.5 ? a : b });
      const added: Array<[number, number]> = [];
      for (let line = 1 + Math.floor(r() * 3); line <= 40; line += 1 + Math.floor(r() * 4)) {
        const last = Math.min(40, line + Math.floor(r() * 5));
        added.push([line, last]);
        line = last + 1;
      }
      const runs = toRuns(lines);
      assert.deepEqual(runsToLines(runs), lines, `seed ${seed}: toRuns and back`);
      assert.deepEqual(runsToLines(restrictRuns(runs, added)), restrictTo(lines, added), `seed ${seed}: ${JSON.stringify(added)}`);
    }
  });

  it('attributes a squash: each old version carried onto the new one', () => {
    const oldA = 'x\ny\n';
    const oldB = 'x\ny\nz\n';
    const squash = 'new\nx\ny\nz\n';
    const lines = attributeVersion(squash, [{ text: oldB, lines: at(b, 3) }, { text: oldA, lines: at(a, 1, 2) }], [[1, 4]]);
    assert.deepEqual(lines.map((l) => [l.line, l.origin.tool]), [[2, 'A'], [3, 'A'], [4, 'B']]);
  });

  it('counts ai and hand-edited lines apart, tools over both', () => {
    const c = countChange([
      { runs: toRuns([...at(a, 1, 2), { line: 3, kind: 'mixed', origin: a }, { line: 4, kind: 'unknown', origin: { ...b, kind: 'external' } }]), added: 10 },
      { runs: toRuns(at(b, 1)), added: 5 },
    ]);
    assert.deepEqual([c.ai, c.mixed, c.unknown, c.added], [3, 1, 1, 15]);
    assert.deepEqual(c.tools.map((t) => [t.tool, t.lines]), [['A', 3], ['B', 1]]);
  });

  describe('blobRuns', () => {
    // A readable content hash that also gives a (fake) git blob id, as src/node/hash.ts does.
    const withBlob: HashFn = Object.assign((t: string) => 'h:' + t, { gitBlob: (t: string) => `blob:${t.length}` });
    const x: Origin = { id: 'x', kind: 'external', tool: 'X', session: 's3', time: 3 };
    const view = (ls: readonly AttributedLine[] | undefined): unknown => ls?.map((l) => [l.line, l.kind, l.origin.id]);
    const runsOf = (rs: readonly LineRun[] | undefined): AttributedLine[] | undefined => (rs ? runsToLines(rs) : undefined);

    it('gives the lines ledgerLines gives over the text, on 2,000 random entries', () => {
      const pieces = ['a', 'bc', ' ', '\n', '\n', '\r\n', 'xyz\n', 'line of code\n', ''];
      for (let seed = 1; seed <= 2000; seed++) {
        const r = prng(seed);
        let text = '';
        const n = Math.floor(r() * 30);
        for (let i = 0; i < n; i++) text += pieces[Math.floor(r() * pieces.length)];
        const segments: Segment[] = [];
        // Whole lines as agents write them, or any span as completions and edits leave them.
        const wholeLines = r() < 0.5 && !text.includes('\r');
        let pos = 0;
        while (pos < text.length) {
          pos += Math.floor(r() * 4);
          if (wholeLines && pos > 0) pos = text.indexOf('\n', pos - 1) + 1 || text.length;
          if (pos >= text.length) break;
          let end = Math.min(text.length, pos + 1 + Math.floor(r() * 12));
          if (wholeLines) end = text.indexOf('\n', end - 1) + 1 || text.length;
          if (r() < 0.7) {
            const state: AttrState = r() < 0.7 ? 'ai' : 'mixed';
            segments.push({ start: pos, end, origin: [a, b, x][Math.floor(r() * 3)]!, state, text: text.slice(pos, end) });
          }
          pos = end;
        }
        const entry = toLedgerFile(segments, text, withBlob, 0, 't');
        assert.equal(entry.blob?.sha1, `blob:${text.length}`);
        assert.deepEqual(view(runsOf(blobRuns(entry))), view(ledgerLines(entry, text, withBlob).lines), `seed ${seed}: ${JSON.stringify(text)} ${entry.blob?.lines}`);
      }
    });

    it('stores runs of lines naming a range of their origin', () => {
      const text = 'h1\nai1\nai2\nh2\nb1\n';
      const seg = (part: string, o: Origin): Segment => ({ start: text.indexOf(part), end: text.indexOf(part) + part.length, origin: o, state: 'ai', text: part });
      const entry = toLedgerFile([seg('ai1\nai2\n', a), seg('b1\n', b)], text, withBlob, 0, 't');
      assert.deepEqual(entry.blob, { of: entry.basis, sha1: `blob:${text.length}`, lines: '2-3 ai 0;5-5 ai 1' });
    });

    it('is undefined without a blob, for another basis, or for runs that do not fit the entry', () => {
      const text = 'ai1\nai2\n';
      const entry = toLedgerFile([{ start: 0, end: text.length, origin: a, state: 'ai', text }], text, withBlob, 0, 't');
      assert.deepEqual(view(runsOf(blobRuns(entry))), [[1, 'ai', 'a'], [2, 'ai', 'a']]);
      assert.equal(toLedgerFile([], text, hash, 0, 't').blob, undefined, 'a hash without gitBlob writes none');
      assert.equal(blobRuns({ ...entry, basis: 'unverified' }), undefined);
      const withRuns = (lines: string): LedgerFile => ({ ...entry, blob: { ...entry.blob!, lines } });
      assert.deepEqual(blobRuns(withRuns('')), []);
      for (const bad of ['1-2 ai 1', '2-1 ai 0', '1-2 ai 0;2-3 ai 0', '1-2 human 0', '1-2 ai', '0-1 ai 0', '1-2  ai 0', 'x']) {
        assert.equal(blobRuns(withRuns(bad)), undefined, bad);
      }
    });
  });
});
