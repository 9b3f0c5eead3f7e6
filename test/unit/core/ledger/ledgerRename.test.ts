/**
 * Unit tests of src/core/ledger/ledgerRename.ts: which ledger entries a change moves (renames git
 * saw, new files that carry a vanished file's ranges) and how an entry joins one already there.
 */
import assert from 'node:assert/strict';
import { ledgerLines } from '../../../../src/core/commit/changeLines';
import type { HashFn, LedgerData, LedgerFile } from '../../../../src/core/ledger/ledger';
import { toLedgerFile } from '../../../../src/core/ledger/ledger';
import { findMoves, renameLedgerPaths } from '../../../../src/core/ledger/ledgerRename';
import { unverifiedBasis } from '../../../../src/core/ledger/ledgerUpdate';
import type { Origin } from '../../../../src/core/model';

const hash: HashFn = (t: string): string => 'h:' + t;
const o: Origin = { id: 'a', kind: 'agent', tool: 'A', session: 's', time: 1 };

function entryOver(text: string, piece: string): LedgerFile {
  const start = text.indexOf(piece);
  return toLedgerFile([{ start, end: start + piece.length, origin: o, state: 'ai', text: piece }], text, hash, 0, 't');
}

const ledger = (files: Record<string, LedgerFile>): LedgerData => ({ version: 1, files });

describe('ledgerRename', () => {
  const text = 'human\nai line\n';
  const entry = entryOver(text, 'ai line\n');

  it('moves an entry to its new path and joins it with one already there', () => {
    const moved = renameLedgerPaths(ledger({ 'a.ts': entry }), [{ from: 'a.ts', to: 'b.ts' }])!;
    assert.deepEqual(Object.keys(moved.files), ['b.ts']);
    assert.equal(moved.files['b.ts'], entry);
    assert.equal(renameLedgerPaths(ledger({ 'a.ts': entry }), [{ from: 'x.ts', to: 'b.ts' }]), undefined, 'nothing to move');
    const other = entryOver('mine\nother ai\n', 'other ai\n');
    const joined = renameLedgerPaths(ledger({ 'a.ts': entry, 'b.ts': other }), [{ from: 'a.ts', to: 'b.ts' }])!;
    assert.equal(joined.files['b.ts']!.basis, unverifiedBasis, 'two texts: each range is checked by its own hash');
    assert.equal(joined.files['b.ts']!.ranges.length, 2);
    assert.deepEqual(ledgerLines(joined.files['b.ts']!, 'other ai\nai line\n', hash).lines.map((l) => l.line), [1, 2]);
  });

  const world = (files: Record<string, string>): Parameters<typeof findMoves>[2] => ({
    exists: (p) => Object.hasOwn(files, p),
    textOf: (p) => files[p],
    hash,
  });

  it('finds the moves a change implies', () => {
    const cases: Array<{ name: string; files: Record<string, LedgerFile>; changed: Parameters<typeof findMoves>[1]; disk: Record<string, string>; moves: Array<[string, string]> }> = [
      { name: 'a rename git saw', files: { 'a.ts': entry }, changed: [{ path: 'b.ts', oldPath: 'a.ts', removed: 1 }], disk: { 'b.ts': text }, moves: [['a.ts', 'b.ts']] },
      { name: 'a rename whose new path has its own entry', files: { 'a.ts': entry, 'b.ts': entry }, changed: [{ path: 'b.ts', oldPath: 'a.ts', removed: 0 }], disk: { 'b.ts': text }, moves: [] },
      { name: 'git mv of a never-committed file: same text', files: { 'a.ts': entry }, changed: [{ path: 'b.ts', removed: 0 }], disk: { 'b.ts': text }, moves: [['a.ts', 'b.ts']] },
      { name: 'moved and edited: the ranges are found', files: { 'a.ts': entry }, changed: [{ path: 'b.ts', removed: 0 }], disk: { 'b.ts': 'new top\n' + text }, moves: [['a.ts', 'b.ts']] },
      { name: 'the old file is still there: a copy, not a move', files: { 'a.ts': entry }, changed: [{ path: 'b.ts', removed: 0 }], disk: { 'a.ts': text, 'b.ts': text }, moves: [] },
      { name: 'a new file without the ranges', files: { 'a.ts': entry }, changed: [{ path: 'b.ts', removed: 0 }], disk: { 'b.ts': 'unrelated\n' }, moves: [] },
      { name: 'an edited file (lines removed) is not a moved one', files: { 'a.ts': entry }, changed: [{ path: 'b.ts', removed: 2 }], disk: { 'b.ts': text }, moves: [] },
      { name: 'one vanished entry moves once', files: { 'a.ts': entry }, changed: [{ path: 'b.ts', removed: 0 }, { path: 'c.ts', removed: 0 }], disk: { 'b.ts': text, 'c.ts': text }, moves: [['a.ts', 'b.ts']] },
    ];
    for (const c of cases) {
      assert.deepEqual(
        findMoves(ledger(c.files), c.changed, world(c.disk)).map((m) => [m.from, m.to]),
        c.moves,
        c.name,
      );
    }
  });
});
