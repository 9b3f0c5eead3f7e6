/**
 * Unit tests of src/core/ledger/ledgerUpdate.ts: committed lines leave the ledger, the rest stays,
 * and ranges whose text is away (stash, branch switch) are kept rather than dropped.
 */
import assert from 'node:assert/strict';
import { ledgerLines } from '../../../../src/core/commit/changeLines';
import type { HashFn, LedgerFile } from '../../../../src/core/ledger/ledger';
import { toLedgerFile } from '../../../../src/core/ledger/ledger';
import { clearLines, refreshEntry, unverifiedBasis } from '../../../../src/core/ledger/ledgerUpdate';
import type { Origin } from '../../../../src/core/model';

// A readable content hash that also gives a (fake) git blob id, so entries carry a blob.
const hash: HashFn = Object.assign((t: string): string => 'h:' + t, { gitBlob: (t: string): string => `blob:${t.length}` });
const o: Origin = { id: 'a', kind: 'agent', tool: 'A', session: 's', time: 1 };

function entryOver(text: string, ...pieces: string[]): LedgerFile {
  const segs = pieces.map((p) => {
    const start = text.indexOf(p);
    return { start, end: start + p.length, origin: o, state: 'ai' as const, text: p };
  });
  return toLedgerFile(segs, text, hash, 0, 't');
}

describe('ledgerUpdate', () => {
  it('clears committed lines and keeps the others', () => {
    const text = 'a1\na2\nh\na3\n';
    const entry = entryOver(text, 'a1\na2\n', 'a3\n');
    const res = clearLines(entry, text, [1, 4], hash, 5, 'git');
    assert.deepEqual(ledgerLines(res.entry!, text, hash).lines.map((l) => l.line), [2]);
    assert.equal(clearLines(entry, text, [1, 2, 4], hash, 5, 'git').entry, undefined, 'nothing left: the entry goes');
  });

  it('keeps ranges whose text is not in the file now, and finds them again when it is back', () => {
    const before = 'x\nai line one\nai line two\n';
    const entry = entryOver(before, 'ai line one\nai line two\n');
    const stashed = 'x\n';
    const away = refreshEntry(entry, stashed, hash, 1, 'git');
    assert.equal(away.kept, 1);
    assert.equal(away.entry!.basis, unverifiedBasis);
    assert.equal(away.entry!.blob, undefined, 'a blob describes one text, and the kept ranges are not of it');
    assert.equal(ledgerLines(away.entry!, stashed, hash).lines.length, 0);
    const back = refreshEntry(away.entry!, before, hash, 2, 'git');
    assert.deepEqual(ledgerLines(back.entry!, before, hash).lines.map((l) => l.line), [2, 3]);
  });

  it('moves ranges the file shifted, and reports no change when nothing moved', () => {
    const text = 'ai line one is here\n';
    const entry = entryOver(text, 'ai line one is here\n');
    assert.equal(refreshEntry(entry, text, hash, 1, 'git').changed, false);
    const shifted = 'new first line\n' + text;
    const res = refreshEntry(entry, shifted, hash, 1, 'git');
    assert.equal(res.changed, true);
    assert.deepEqual(ledgerLines(res.entry!, shifted, hash).lines.map((l) => l.line), [2]);
  });
});
