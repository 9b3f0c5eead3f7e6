/**
 * Unit tests of src/core/lines/lines.ts: the projection of character labels onto lines.
 *
 * Covered: `attributeLines` (which lines count as AI, mixed or unknown, including the line-break
 * rules a user meets when accepting completions that start with "\n", AI blank lines, pressing
 * Enter at the end of an AI line, CRLF files, kind precedence and which origin a line reports),
 * `toRuns` (grouping into runs) and `LineIndex` (offset/line arithmetic for "\n", "\r\n", lone
 * "\r", with and without a trailing break, and empty text). These feed blame, counts and commit
 * trailers, so an off-by-one here is a wrong line in every user-facing report.
 */
import assert from 'node:assert/strict';
import type { LineAttribution } from '../../../../src/core/lines/lines';
import { attributeLines, LineIndex, toRuns } from '../../../../src/core/lines/lines';
import type { AttrState, Origin, Segment } from '../../../../src/core/model';

const copilot: Origin = { id: 'copilot-1', kind: 'inline', tool: 'github.copilot', session: 's1', time: 1 };
const agent: Origin = { id: 'agent-1', kind: 'agent', tool: 'claude-code', model: 'claude-sonnet-4-5', session: 's2', time: 2 };
const disk: Origin = { id: 'disk-1', kind: 'external', tool: 'external', session: 's3', time: 3 };

/** A segment over `text[start, end)`. */
function seg(text: string, start: number, end: number, origin: Origin, state: AttrState = 'ai'): Segment {
  return { start, end, origin, state, text: text.slice(start, end) };
}

/** `attributeLines` over `text` as `[line, kind, originId]` rows. */
function attribute(text: string, segments: readonly Segment[]): Array<[number, string, string]> {
  const index = new LineIndex(text);
  return attributeLines(segments, (o) => index.lineOf(o), (l) => index.lengthOf(l)).map((l): [number, string, string] => [l.line, l.kind, l.origin.id]);
}

describe('lines', () => {
  describe('attributeLines', () => {
    it('returns nothing when nothing is attributed', () => {
      assert.deepEqual(attribute('a\nb\n', []), []);
    });

    it('attributes every line an AI block covers, but not the empty line after its final break', () => {
      const text = 'one\ntwo\n';
      assert.deepEqual(attribute(text, [seg(text, 0, text.length, agent)]), [
        [0, 'ai', 'agent-1'],
        [1, 'ai', 'agent-1'],
      ]);
    });

    it('does not make a human line AI when a completion starts with "\\n" at its end', () => {
      // The user typed "function f() {", Copilot completed "\n  return 1;\n}".
      const text = 'function f() {\n  return 1;\n}';
      const start = text.indexOf('\n');
      assert.deepEqual(attribute(text, [seg(text, start, text.length, copilot)]), [
        [1, 'ai', 'copilot-1'],
        [2, 'ai', 'copilot-1'],
      ]);
    });

    it('does not count a human line whose only AI character is its break, even when it is empty', () => {
      // An empty human line followed by a completion "\nfoo": the break belongs to the
      // empty line, but the line before it ends in a human break.
      const text = 'human\n\nfoo';
      assert.deepEqual(attribute(text, [seg(text, 6, text.length, copilot)]), [[2, 'ai', 'copilot-1']]);
    });

    it('counts blank lines the AI inserted inside its own block', () => {
      const text = 'a();\n\n\nb();\n';
      assert.deepEqual(attribute(text, [seg(text, 0, text.length, agent)]), [
        [0, 'ai', 'agent-1'],
        [1, 'ai', 'agent-1'],
        [2, 'ai', 'agent-1'],
        [3, 'ai', 'agent-1'],
      ]);
    });

    it('counts a blank line that opens the file when the AI wrote its break', () => {
      const text = '\nfoo';
      assert.deepEqual(attribute(text, [seg(text, 0, text.length, copilot)]), [
        [0, 'ai', 'copilot-1'],
        [1, 'ai', 'copilot-1'],
      ]);
    });

    it('does not count the empty line left by pressing Enter at the end of an AI line', () => {
      // AI wrote "x = 1;\n"; the person pressed Enter after "x = 1;" (a human "\n" at 6), so
      // the AI's own break now ends a new, empty line.
      const text = 'x = 1;\n\n';
      const segments = [seg(text, 0, 6, copilot), seg(text, 7, 8, copilot)];
      assert.deepEqual(attribute(text, segments), [[0, 'ai', 'copilot-1']]);
    });

    it('applies the same rules to CRLF text', () => {
      const block = 'a();\r\n\r\nb();\r\n';
      assert.deepEqual(attribute(block, [seg(block, 0, block.length, agent)]), [
        [0, 'ai', 'agent-1'],
        [1, 'ai', 'agent-1'],
        [2, 'ai', 'agent-1'],
      ]);
      const completion = 'if (x) {\r\n  go();\r\n}';
      assert.deepEqual(attribute(completion, [seg(completion, 8, completion.length, copilot)]), [
        [1, 'ai', 'copilot-1'],
        [2, 'ai', 'copilot-1'],
      ]);
      const enter = 'x = 1;\r\n\r\n';
      assert.deepEqual(attribute(enter, [seg(enter, 0, 6, copilot), seg(enter, 8, 10, copilot)]), [[0, 'ai', 'copilot-1']]);
    });

    it('treats a lone "\\r" as a line break', () => {
      const text = 'a\rb\r';
      assert.deepEqual(attribute(text, [seg(text, 2, 4, agent)]), [[1, 'ai', 'agent-1']]);
    });

    it('projects an external origin to unknown', () => {
      const text = 'from disk\n';
      assert.deepEqual(attribute(text, [seg(text, 0, text.length, disk)]), [[0, 'unknown', 'disk-1']]);
    });

    it('reports a line with only mixed characters as mixed', () => {
      const text = 'edited\n';
      assert.deepEqual(attribute(text, [seg(text, 0, text.length, copilot, 'mixed')]), [[0, 'mixed', 'copilot-1']]);
    });

    it('ranks kinds on one line: mixed beats ai beats unknown', () => {
      const kinds = (text: string, segments: Segment[]): string[] => attribute(text, segments).map(([, kind]) => kind);
      // unknown (4) + ai (3) + mixed (2): mixed although it has the fewest characters.
      const all = 'EEEEAAAMM';
      assert.deepEqual(kinds(all, [seg(all, 0, 4, disk), seg(all, 4, 7, copilot), seg(all, 7, 9, agent, 'mixed')]), ['mixed']);
      // unknown (4) + ai (2): ai.
      const two = 'EEEEAA';
      assert.deepEqual(kinds(two, [seg(two, 0, 4, disk), seg(two, 4, 6, copilot)]), ['ai']);
      // A mixed external origin is still unknown.
      const ext = 'EEEE';
      assert.deepEqual(kinds(ext, [seg(ext, 0, 4, disk, 'mixed')]), ['unknown']);
    });

    it('reports the origin that wrote the most characters of the line', () => {
      const text = 'ab = cdefgh;\n';
      const segments = [seg(text, 0, 2, copilot), seg(text, 5, 11, agent)];
      assert.deepEqual(attribute(text, segments), [[0, 'ai', 'agent-1']]);
    });

    it('does not count line breaks as characters when choosing the origin', () => {
      // copilot wrote "ab" and the line's break, agent wrote "cd;". Counting the break would
      // tie them 3-3; only content counts, so agent's 3 beat copilot's 2.
      const text = 'abcd;\n';
      const segments = [seg(text, 0, 2, copilot), seg(text, 2, 5, agent), seg(text, 5, 6, copilot)];
      assert.deepEqual(attribute(text, segments), [[0, 'ai', 'agent-1']]);
    });

    it('sums an origin\'s characters across ai and mixed when choosing the origin', () => {
      // copilot wrote 6 characters of this line (3 since edited, 3 untouched), agent 4.
      const text = 'AAABBBBAAA\n';
      const segments = [seg(text, 0, 3, copilot, 'mixed'), seg(text, 3, 7, agent), seg(text, 7, 10, copilot)];
      assert.deepEqual(attribute(text, segments), [[0, 'mixed', 'copilot-1']]);
    });

    it('attributes lines from segments that end mid-line and resume on a later line', () => {
      const text = 'keep\nai one\nhuman\nai two\n';
      const a = text.indexOf('ai one');
      const b = text.indexOf('ai two');
      const segments = [seg(text, a, a + 'ai one\n'.length, copilot), seg(text, b, b + 'ai two'.length, agent)];
      assert.deepEqual(attribute(text, segments), [
        [1, 'ai', 'copilot-1'],
        [3, 'ai', 'agent-1'],
      ]);
    });
  });

  describe('toRuns', () => {
    const line = (n: number, origin: Origin, kind: LineAttribution['kind'] = 'ai'): LineAttribution => ({ line: n, kind, origin });

    it('returns no runs for no lines', () => {
      assert.deepEqual(toRuns([]), []);
    });

    it('merges consecutive lines with the same kind and origin', () => {
      assert.deepEqual(toRuns([line(2, agent), line(3, agent), line(4, agent)]), [{ startLine: 2, endLine: 4, kind: 'ai', origin: agent }]);
    });

    it('splits on a gap, a different kind or a different origin', () => {
      const runs = toRuns([line(0, agent), line(2, agent), line(3, agent, 'mixed'), line(4, copilot, 'mixed'), line(5, copilot, 'mixed')]);
      assert.deepEqual(
        runs.map((r) => [r.startLine, r.endLine, r.kind, r.origin.id]),
        [
          [0, 0, 'ai', 'agent-1'],
          [2, 2, 'ai', 'agent-1'],
          [3, 3, 'mixed', 'agent-1'],
          [4, 5, 'mixed', 'copilot-1'],
        ],
      );
    });

    it('compares origins by id, not by object identity', () => {
      const copy: Origin = { ...agent };
      assert.deepEqual(toRuns([line(0, agent), line(1, copy)]).map((r) => [r.startLine, r.endLine]), [[0, 1]]);
    });
  });

  describe('LineIndex', () => {
    /** Every line as `[start, contentEnd, end, length]`. */
    const table = (text: string): Array<[number, number, number, number]> => {
      const index = new LineIndex(text);
      return Array.from({ length: index.lineCount }, (_, l): [number, number, number, number] => [index.startOf(l), index.contentEndOf(l), index.endOf(l), index.lengthOf(l)]);
    };

    it('has one empty line for empty text', () => {
      const index = new LineIndex('');
      assert.equal(index.lineCount, 1);
      assert.equal(index.lineOf(0), 0);
      assert.deepEqual(table(''), [[0, 0, 0, 0]]);
    });

    it('handles "\\n" with a trailing break (an empty last line)', () => {
      assert.equal(new LineIndex('ab\ncd\n').lineCount, 3);
      assert.deepEqual(table('ab\ncd\n'), [
        [0, 2, 3, 2],
        [3, 5, 6, 2],
        [6, 6, 6, 0],
      ]);
    });

    it('handles "\\n" without a trailing break', () => {
      assert.equal(new LineIndex('ab\ncd').lineCount, 2);
      assert.deepEqual(table('ab\ncd'), [
        [0, 2, 3, 2],
        [3, 5, 5, 2],
      ]);
    });

    it('treats "\\r\\n" as one break', () => {
      assert.equal(new LineIndex('ab\r\ncd\r\n').lineCount, 3);
      assert.deepEqual(table('ab\r\ncd\r\n'), [
        [0, 2, 4, 2],
        [4, 6, 8, 2],
        [8, 8, 8, 0],
      ]);
      assert.deepEqual(table('ab\r\ncd'), [
        [0, 2, 4, 2],
        [4, 6, 6, 2],
      ]);
    });

    it('treats a lone "\\r" as a break', () => {
      assert.deepEqual(table('ab\rcd\r'), [
        [0, 2, 3, 2],
        [3, 5, 6, 2],
        [6, 6, 6, 0],
      ]);
    });

    it('handles mixed breaks and empty lines', () => {
      // "\n\r" is two breaks (LF then a lone CR), "\r\r\n" is a lone CR then CRLF.
      assert.deepEqual(table('a\n\rb'), [
        [0, 1, 2, 1],
        [2, 2, 3, 0],
        [3, 4, 4, 1],
      ]);
      assert.deepEqual(table('\r\r\n'), [
        [0, 0, 1, 0],
        [1, 1, 3, 0],
        [3, 3, 3, 0],
      ]);
    });

    it('maps offsets to lines; a break belongs to the line it ends', () => {
      const index = new LineIndex('ab\r\ncd\nef');
      assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((o) => index.lineOf(o)), [0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2]);
    });

    it('maps offsets past the end to the last line and clamps startOf', () => {
      const index = new LineIndex('ab\ncd');
      assert.equal(index.lineOf(99), 1);
      assert.equal(index.startOf(-1), 0);
      assert.equal(index.startOf(99), 3);
    });

    it('keeps the text it indexes', () => {
      assert.equal(new LineIndex('x\ny').text, 'x\ny');
    });
  });
});
