/**
 * Randomized differential test: projectSegmentLines (a line at a time, for hooks) against
 * attributeLines of src/core/lines/lines.ts (a character at a time), on random texts with every kind
 * of line break and random labelled segments. A failure names its seed.
 */
import assert from 'node:assert/strict';
import { lineLookup, projectSegmentLines, projectWholeLines } from '../../../../src/core/lines/lineProjection';
import { attributeLines, LineIndex } from '../../../../src/core/lines/lines';
import type { AttrState, Origin, Segment } from '../../../../src/core/model';
import { prng } from '../../../helpers/prng';

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
      // The whole-line shortcut either declines or agrees.
      const whole = projectWholeLines(segments, text);
      if (whole) assert.deepEqual(whole, actual, `seed ${seed}: projectWholeLines`);
      assert.deepEqual(
        actual.map((l) => [l.line, l.kind, l.origin.id]),
        expected.map((l) => [l.line, l.kind, l.origin.id]),
        `seed ${seed}: ${JSON.stringify(text)} ${JSON.stringify(segments.map((s) => [s.start, s.end, s.origin.id, s.state]))}`,
      );
    }
  });

  it('projectWholeLines equals projectSegmentLines on 3,000 random whole-line ledgers, and declines the rest', () => {
    // Lines of "\n"-only texts, blank ones included; segments of whole lines, touching or not.
    const lineTexts = ['', '', 'a', 'bc d', 'xyz'];
    let declined = 0;
    for (let seed = 1; seed <= 3000; seed++) {
      const r = rng(seed);
      const lines = Array.from({ length: 1 + Math.floor(r() * 12) }, () => lineTexts[Math.floor(r() * lineTexts.length)]! + '\n');
      // Sometimes the text does not end with a break, or a segment is cut mid-line: declined.
      const cut = r() < 0.15;
      const text = lines.join('') + (r() < 0.2 ? 'tail' : '');
      const starts = [0];
      for (const l of lines) starts.push(starts[starts.length - 1]! + l.length);
      const segments: Segment[] = [];
      let line = Math.floor(r() * 3);
      while (line < lines.length) {
        const end = Math.min(lines.length, line + 1 + Math.floor(r() * 4));
        let start = starts[line]!;
        if (cut && r() < 0.5 && lines[line]!.length > 1) start++;
        const state: AttrState = r() < 0.7 ? 'ai' : 'mixed';
        segments.push({ start, end: starts[end]!, origin: origins[Math.floor(r() * origins.length)]!, state, text: text.slice(start, starts[end]) });
        line = end + Math.floor(r() * 3);
      }
      const expected = projectSegmentLines(segments, lineLookup(text));
      const whole = projectWholeLines(segments, text);
      if (!whole) {
        declined++;
        continue;
      }
      assert.deepEqual(whole, expected, `seed ${seed}: ${JSON.stringify(text)} ${JSON.stringify(segments.map((s) => [s.start, s.end, s.origin.id, s.state]))}`);
      assert.deepEqual(projectWholeLines(segments, text, 1), expected.map((l) => ({ ...l, line: l.line + 1 })), `seed ${seed}: numbered from 1`);
    }
    assert.ok(declined > 0 && declined < 1500, `declined ${declined} of 3,000`);
    assert.equal(projectWholeLines([{ start: 0, end: 2, origin: origins[0]!, state: 'ai', text: 'a\n' }], 'a\r\nb'), undefined, 'a "\\r" text is declined');
  });
});
