/**
 * Randomized differential test: projectSegmentLines (a line at a time, for hooks) against
 * attributeLines of src/core/lines.ts (a character at a time), on random texts with every kind
 * of line break and random labelled segments. A failure names its seed.
 */
import assert from 'node:assert/strict';
import { lineLookup, projectSegmentLines } from '../../../src/core/lineProjection';
import { attributeLines, LineIndex } from '../../../src/core/lines';
import type { AttrState, Origin, Segment } from '../../../src/core/model';
import { prng } from '../../helpers/prng';

const rng = prng;

const origins: Origin[] = [
  { id: 'a', kind: 'agent', tool: 'A', session: 's', time: 0 },
  { id: 'b', kind: 'inline', tool: 'B', session: 's', time: 0 },
  { id: 'x', kind: 'external', tool: 'X', session: 's', time: 0 },
];

describe('projectSegmentLines', () => {
  it('lineLookup finds the lines LineIndex finds', () => {
    for (const text of ['', 'a', 'a\n', 'a\n\nb', '\n\n', 'ab\ncd\n']) {
      const a = new LineIndex(text);
      const b = lineLookup(text);
      for (let l = 0; l < a.lineCount + 1; l++) {
        assert.deepEqual([b.startOf(l), b.endOf(l), b.contentEndOf(l), b.lengthOf(l)], [a.startOf(l), a.endOf(l), a.contentEndOf(l), a.lengthOf(l)], `${JSON.stringify(text)} line ${l}`);
      }
      for (let o = 0; o <= text.length; o++) assert.equal(b.lineOf(o), a.lineOf(o), `${JSON.stringify(text)} offset ${o}`);
    }
  });

  it('equals attributeLines on 3,000 random documents', () => {
    const pieces = ['a', 'bc', ' ', '\n', '\n', '\r\n', '\r', 'xyz\n', ''];
    for (let seed = 1; seed <= 3000; seed++) {
      const r = rng(seed);
      let text = '';
      const n = Math.floor(r() * 30);
      for (let i = 0; i < n; i++) text += pieces[Math.floor(r() * pieces.length)];
      const segments: Segment[] = [];
      let pos = 0;
      while (pos < text.length) {
        pos += Math.floor(r() * 4);
        if (pos >= text.length) break;
        const end = Math.min(text.length, pos + 1 + Math.floor(r() * 8));
        if (r() < 0.7) {
          const state: AttrState = r() < 0.7 ? 'ai' : 'mixed';
          segments.push({ start: pos, end, origin: origins[Math.floor(r() * origins.length)]!, state, text: text.slice(pos, end) });
        }
        pos = end;
      }
      const index = new LineIndex(text);
      const expected = attributeLines(segments, (o) => index.lineOf(o), (l) => index.lengthOf(l));
      const actual = projectSegmentLines(segments, index);
      // The indexOf-built lookup gives the same lines (it hands "\r" texts to LineIndex).
      const fast = projectSegmentLines(segments, lineLookup(text));
      assert.deepEqual(fast, actual, `seed ${seed}: lineLookup`);
      assert.deepEqual(
        actual.map((l) => [l.line, l.kind, l.origin.id]),
        expected.map((l) => [l.line, l.kind, l.origin.id]),
        `seed ${seed}: ${JSON.stringify(text)} ${JSON.stringify(segments.map((s) => [s.start, s.end, s.origin.id, s.state]))}`,
      );
    }
  });
});
