/**
 * Unit tests of src/core/lines/lineMap.ts: splitting text into git's lines, and carrying line
 * numbers from one version of a file to another (the basis of partial-staging counts and of
 * notes following rewrites). A wrong match here would give AI credit to a line a person wrote.
 */
import assert from 'node:assert/strict';
import { mapLines, splitLines } from '../../../../src/core/lines/lineMap';

describe('splitLines', () => {
  it('numbers lines as git does: a final break ends a line, CRLF is one break', () => {
    assert.deepEqual(splitLines(''), []);
    assert.deepEqual(splitLines('a'), ['a']);
    assert.deepEqual(splitLines('a\n'), ['a']);
    assert.deepEqual(splitLines('a\n\nb\r\nc'), ['a', '', 'b', 'c']);
  });
});

describe('mapLines', () => {
  const map = (a: string[], b: string[]): number[] => [...mapLines(a, b)];

  it('maps identical texts onto themselves', () => {
    assert.deepEqual(map(['a', 'b', 'c'], ['a', 'b', 'c']), [0, 1, 2]);
  });

  it('follows lines past insertions and deletions, and drops changed lines', () => {
    assert.deepEqual(map(['a', 'b', 'c', 'd'], ['x', 'a', 'c', 'D', 'e']), [1, -1, 2, -1]);
  });

  it('keeps order when lines repeat (no crossing matches)', () => {
    const m = map(['}', 'a', '}', 'b', '}'], ['}', 'b', '}', 'a', '}']);
    const matched = m.map((t, i) => [i, t]).filter(([, t]) => t! >= 0);
    for (let k = 1; k < matched.length; k++) assert.ok(matched[k]![1]! > matched[k - 1]![1]!, `crossing match in ${JSON.stringify(m)}`);
  });

  it('falls back to unique lines when the texts are too far apart for an exact diff', () => {
    const n = 6000;
    const a = Array.from({ length: n }, (_, i) => `old ${i}`);
    const b = Array.from({ length: n }, (_, i) => `new ${i}`);
    a[100] = 'anchor one';
    b[4000] = 'anchor one';
    a[200] = 'anchor two';
    b[10] = 'anchor two';
    const m = mapLines(a, b);
    // Both anchors are unique, but they cross: only one of them can be kept.
    const kept = [m[100], m[200]].filter((t) => t! >= 0);
    assert.equal(kept.length, 1);
    assert.equal(m.filter((t) => t >= 0).length, 1);
  });
});
