/**
 * Unit tests of src/core/tracking/changes.ts: `trimUnchanged`, which narrows an accepted completion's
 * replacement to the characters it really changed.
 *
 * Covered: the typed prefix stays out of the AI range (accepting "return x;" over a typed "ret"
 * labels only "urn x;"), a common suffix, both at once, nothing in common, pure insertions,
 * overlapping prefix and suffix, and a `removed` snapshot whose length does not match the
 * change (then the change is returned untouched: a wrong snapshot must not shift offsets).
 */
import assert from 'node:assert/strict';
import { trimUnchanged } from '../../../../src/core/tracking/changes';
import type { ContentChange } from '../../../../src/core/model';

/** A one-line change at `offset` of line 0 replacing `rangeLength` characters with `text`. */
function change(offset: number, rangeLength: number, text: string): ContentChange {
  return {
    rangeOffset: offset,
    rangeLength,
    text,
    range: { start: { line: 0, character: offset }, end: { line: 0, character: offset + rangeLength } },
  };
}

/** The trimmed change as `[offset, length, text]`. */
function trimmed(c: ContentChange, removed: string): [number, number, string] {
  const t = trimUnchanged(c, removed);
  return [t.rangeOffset, t.rangeLength, t.text];
}

describe('changes', () => {
  describe('trimUnchanged', () => {
    it('keeps the typed prefix out of the change', () => {
      assert.deepEqual(trimmed(change(10, 3, 'return x;'), 'ret'), [13, 0, 'urn x;']);
    });

    it('keeps a common suffix out of the change', () => {
      // The completion replaced ")" (auto-closed) with "a, b)".
      assert.deepEqual(trimmed(change(4, 1, 'a, b)'), ')'), [4, 0, 'a, b']);
    });

    it('trims a common prefix and suffix together', () => {
      assert.deepEqual(trimmed(change(0, 5, 'foo(bar)'), 'foo()'), [4, 0, 'bar']);
      assert.deepEqual(trimmed(change(3, 6, 'let y = 1;'), 'let x;'), [7, 1, 'y = 1']);
    });

    it('returns the change itself when nothing is common', () => {
      const c = change(2, 3, 'xyz');
      assert.equal(trimUnchanged(c, 'abc'), c);
    });

    it('returns a pure insertion unchanged', () => {
      const c = change(2, 0, 'abc');
      assert.equal(trimUnchanged(c, ''), c);
    });

    it('returns the change unchanged when the removed text does not match its length', () => {
      const c = change(10, 3, 'return x;');
      assert.equal(trimUnchanged(c, 're'), c);
      assert.equal(trimUnchanged(c, 'retu'), c);
    });

    it('does not let prefix and suffix overlap', () => {
      // "aa" -> "aaa": one "a" inserted after the common prefix, never a negative length.
      assert.deepEqual(trimmed(change(0, 2, 'aaa'), 'aa'), [2, 0, 'a']);
      assert.deepEqual(trimmed(change(0, 2, 'abab'), 'ab'), [2, 0, 'ab']);
      // Deleting: "aaa" -> "a".
      assert.deepEqual(trimmed(change(0, 3, 'a'), 'aaa'), [1, 2, '']);
    });

    it('narrows a replacement that changes the middle only', () => {
      assert.deepEqual(trimmed(change(0, 9, 'const b = 2;'), 'const a ='), [6, 3, 'b = 2;']);
      assert.deepEqual(trimmed(change(0, 5, 'aXYZe'), 'abcde'), [1, 3, 'XYZ']);
    });

    it('keeps the caller\'s range positions', () => {
      const c = change(10, 3, 'return x;');
      assert.deepEqual(trimUnchanged(c, 'ret').range, c.range);
    });
  });
});
