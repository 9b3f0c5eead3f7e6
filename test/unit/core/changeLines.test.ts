/**
 * Unit tests of src/core/changeLines.ts: ledger lines carried to the index (partial staging),
 * several sources layered (squash), kept to added lines, counted for the trailers.
 */
import assert from 'node:assert/strict';
import type { AttributedLine } from '../../../src/core/changeLines';
import { attributeVersion, countChange, ledgerLines, overlay, projectLines, restrictTo } from '../../../src/core/changeLines';
import { toLedgerFile } from '../../../src/core/ledger';
import type { Origin } from '../../../src/core/model';

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
    assert.deepEqual(nums(restrictTo(merged, [2, 3, 4])), [2, 3]);
  });

  it('keeps only added lines whether the lines come sorted or not', () => {
    assert.deepEqual(nums(restrictTo(at(a, 1, 3, 5, 7, 9), [2, 3, 4, 9, 10])), [3, 9]);
    assert.deepEqual(nums(restrictTo(at(a, 9, 3, 5, 1), [1, 3, 4, 9])), [9, 3, 1], 'unsorted: kept in their order');
    assert.deepEqual(nums(restrictTo(at(a, 4, 4), [4])), [4, 4]);
    assert.deepEqual(restrictTo(at(a, 1), []), []);
  });

  it('attributes a squash: each old version carried onto the new one', () => {
    const oldA = 'x\ny\n';
    const oldB = 'x\ny\nz\n';
    const squash = 'new\nx\ny\nz\n';
    const lines = attributeVersion(squash, [{ text: oldB, lines: at(b, 3) }, { text: oldA, lines: at(a, 1, 2) }], [1, 2, 3, 4]);
    assert.deepEqual(lines.map((l) => [l.line, l.origin.tool]), [[2, 'A'], [3, 'A'], [4, 'B']]);
  });

  it('counts ai and hand-edited lines apart, tools over both', () => {
    const c = countChange([
      { lines: [...at(a, 1, 2), { line: 3, kind: 'mixed', origin: a }, { line: 4, kind: 'unknown', origin: { ...b, kind: 'external' } }], added: 10 },
      { lines: at(b, 1), added: 5 },
    ]);
    assert.deepEqual([c.ai, c.mixed, c.unknown, c.added], [3, 1, 1, 15]);
    assert.deepEqual(c.tools.map((t) => [t.tool, t.lines]), [['A', 3], ['B', 1]]);
  });
});
