/**
 * The rule across the end of a file: a line that differs only by the missing newline at the
 * end is the same line. git shows such a line removed and added again ("\ No newline at end
 * of file"); the engine, the ledger and the line maps that commit hooks and blame use must not
 * turn it into a new line, so an AI line keeps its author and a person's line stays theirs.
 */
import assert from 'node:assert/strict';
import type { HashFn } from '../../../../src/core/ledger/ledger';
import { reanchor, toLedgerFile } from '../../../../src/core/ledger/ledger';
import { finalNewlineTwin, lastLine } from '../../../../src/core/lines/lineMap';
import { attributeLines, LineIndex } from '../../../../src/core/lines/lines';
import type { EditCause, Origin } from '../../../../src/core/model';
import { AttributionTracker } from '../../../../src/core/tracking/attributionTracker';
import { makeChange } from '../tracking/attributionReference';

const copilot: Origin = { id: 'copilot-1', kind: 'inline', tool: 'GitHub Copilot', session: 's', time: 1 };
const hash: HashFn = (t) => 'h:' + t;

describe('finalNewlineTwin: the last line across a final-newline change', () => {
  it('a line added below a last line without a newline: that line is the same line', () => {
    assert.deepEqual(finalNewlineTwin('a\nai line', 'a\nai line\nnew line\n'), { from: 2, to: 2 });
    // Only the break added: the same line too.
    assert.deepEqual(finalNewlineTwin('a\nai line', 'a\nai line\n'), { from: 2, to: 2 });
    // Lines inserted above move it.
    assert.deepEqual(finalNewlineTwin('a\nai line', 'top\na\nai line\nnew'), { from: 2, to: 3 });
  });

  it('the reverse: the final newline deleted', () => {
    assert.deepEqual(finalNewlineTwin('a\nai line\n', 'a\nai line'), { from: 2, to: 2 });
    assert.deepEqual(finalNewlineTwin('a\r\nai line\r\n', 'a\r\nai line'), { from: 2, to: 2 });
  });

  it('nothing when the break did not change, or the last line itself changed', () => {
    assert.equal(finalNewlineTwin('a\nb\n', 'a\nb\nc\n'), undefined);
    assert.equal(finalNewlineTwin('a\nb', 'a\nb'), undefined);
    assert.equal(finalNewlineTwin('a\nb', 'a\nb changed\nc\n'), undefined);
    assert.equal(finalNewlineTwin('', 'a\n'), undefined);
    // Without a break before and without one after, though lines were added above: unchanged.
    assert.equal(finalNewlineTwin('a\nb', 'x\na\nb'), undefined);
  });

  it('lastLine reads the last line and whether a break ends the text', () => {
    assert.deepEqual(lastLine('a\nb'), { text: 'b', broken: false });
    assert.deepEqual(lastLine('a\nb\r\n'), { text: 'b', broken: true });
    assert.deepEqual(lastLine('b'), { text: 'b', broken: false });
    assert.deepEqual(lastLine(''), { text: '', broken: false });
  });
});

describe('the ledger across the final newline', () => {
  it('a recorded last line whose final newline was deleted outside the editor is still found', () => {
    const before = 'a\nb\nconst x = 42;\n';
    const start = before.indexOf('const');
    const entry = toLedgerFile([{ start, end: before.length, origin: copilot, state: 'ai', text: before.slice(start) }], before, hash, 1, 'cli');
    const after = before.slice(0, -1);
    const r = reanchor(entry, after, hash);
    assert.equal(r.dropped.length, 0);
    assert.deepEqual(r.segments.map((s) => [s.start, s.end, s.text]), [[start, after.length, 'const x = 42;']]);
  });

  it('found also when lines above moved it, and with CRLF', () => {
    const before = 'a\r\nconst x = 42;\r\n';
    const start = before.indexOf('const');
    const entry = toLedgerFile([{ start, end: before.length, origin: copilot, state: 'ai', text: before.slice(start) }], before, hash, 1, 'cli');
    const after = 'top\r\na\r\nconst x = 42;';
    const r = reanchor(entry, after, hash);
    assert.equal(r.dropped.length, 0);
    assert.deepEqual(r.segments.map((s) => s.text), ['const x = 42;']);
  });

  it('a different last line is not taken for it', () => {
    const before = 'a\nconst x = 42;\n';
    const entry = toLedgerFile([{ start: 2, end: before.length, origin: copilot, state: 'ai', text: before.slice(2) }], before, hash, 1, 'cli');
    assert.equal(reanchor(entry, 'a\nconst x = 43;', hash).dropped.length, 1);
  });
});

/** A document and its tracker; `kinds()` gives each line's kind ('ai', 'mixed', 'none'). */
class Doc {
  readonly tracker: AttributionTracker;
  constructor(public text: string) {
    this.tracker = new AttributionTracker(text.length);
  }

  edit(cause: EditCause, offset: number, length: number, text: string): void {
    const change = makeChange(this.text, offset, length, text);
    this.text = this.text.slice(0, offset) + text + this.text.slice(offset + length);
    this.tracker.applyEdit([change], cause);
  }

  kinds(): string[] {
    const index = new LineIndex(this.text);
    const byLine = new Map(attributeLines(this.tracker.segments(), (o) => index.lineOf(o), (l) => index.lengthOf(l)).map((l) => [l.line, l.kind]));
    return Array.from({ length: index.lineCount }, (_, i) => byLine.get(i) ?? 'none');
  }
}

describe('the engine across the final newline', () => {
  const human: EditCause = { type: 'human' };
  const ai: EditCause = { type: 'ai', origin: copilot };

  it('an AI last line without a newline stays ai when a person adds a line below it (Enter, then typing)', () => {
    const d = new Doc('let a = 1;\n');
    d.edit(ai, d.text.length, 0, 'const x = 42;');
    d.edit(human, d.text.length, 0, '\n');
    d.edit(human, d.text.length, 0, 'const y = 1;');
    assert.deepEqual(d.kinds(), ['none', 'ai', 'none']);
  });

  it('…and when the line below arrives in one paste with its break first', () => {
    const d = new Doc('let a = 1;\n');
    d.edit(ai, d.text.length, 0, 'const x = 42;');
    d.edit(human, d.text.length, 0, '\nconst y = 1;\n');
    assert.deepEqual(d.kinds(), ['none', 'ai', 'none', 'none']);
  });

  it('the reverse: deleting the final newline of an AI last line leaves it ai, not mixed', () => {
    const d = new Doc('let a = 1;\n');
    d.edit(ai, d.text.length, 0, 'const x = 42;\n');
    d.edit(human, d.text.length - 1, 1, '');
    assert.equal(d.text, 'let a = 1;\nconst x = 42;');
    assert.deepEqual(d.kinds(), ['none', 'ai']);
  });

  it('a person\'s last line without a newline stays theirs when an AI completion adds a line below it', () => {
    const d = new Doc('function f() {\n}');
    d.edit(ai, d.text.length, 0, '\nf();');
    assert.deepEqual(d.kinds(), ['none', 'none', 'ai']);
    // And when an AI edit only adds the final newline to it.
    const e = new Doc('function f() {\n}');
    e.edit(ai, e.text.length, 0, '\n');
    assert.deepEqual(e.kinds(), ['none', 'none', 'none']);
  });
});
