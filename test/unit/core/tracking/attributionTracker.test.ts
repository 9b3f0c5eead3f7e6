/**
 * Focused cases of the range engine, phrased as what a user does in the editor.
 *
 * `states()` draws one row per line, one symbol per character including the line's own break
 * characters: `a` = written by AI and untouched, `m` = AI text a person edited, `.` = not
 * attributed.
 */
import assert from 'node:assert/strict';
import { AttributionTracker } from '../../../../src/core/tracking/attributionTracker';
import type { ContentChange, EditCause, Origin, Segment } from '../../../../src/core/model';
import type { PlainChange } from './attributionReference';
import { inverseEvent, makeChange, makeEvent } from './attributionReference';

const copilot: Origin = { id: 'copilot-1', kind: 'inline', tool: 'inline-completion', session: 's1', time: 1 };
const agent: Origin = { id: 'agent-1', kind: 'agent', tool: 'claude', model: 'sonnet', session: 's2', time: 2 };

interface Done {
  readonly changes: readonly ContentChange[];
  readonly removed: readonly string[];
}

/** A document plus its tracker, with VS Code-like undo/redo events. */
class Editor {
  readonly tracker: AttributionTracker;
  private done: Done[] = [];
  private undone: Done[] = [];

  constructor(
    public text = '',
    segments: readonly Segment[] = [],
  ) {
    this.tracker = new AttributionTracker(text.length, segments);
  }

  /** One editor event made of `plain` changes (multi-cursor: descending offsets). */
  edit(cause: EditCause, ...plain: PlainChange[]): void {
    const changes = makeEvent(this.text, plain);
    const removed = changes.map((c) => this.apply(c));
    this.tracker.applyEdit(changes, cause);
    this.done.push({ changes, removed });
    this.undone = [];
  }

  type(offset: number, text: string): void {
    this.edit({ type: 'human' }, { offset, length: 0, text });
  }

  del(offset: number, length: number): void {
    this.edit({ type: 'human' }, { offset, length, text: '' });
  }

  ai(offset: number, length: number, text: string, origin: Origin = copilot): void {
    this.edit({ type: 'ai', origin }, { offset, length, text });
  }

  undo(): void {
    const top = this.done.pop();
    assert.ok(top, 'nothing to undo');
    const changes = inverseEvent(this.text, top.changes, top.removed);
    for (const c of changes) this.apply(c);
    this.tracker.applyEdit(changes, { type: 'undo' });
    this.undone.push(top);
  }

  redo(): void {
    const top = this.undone.pop();
    assert.ok(top, 'nothing to redo');
    for (const c of top.changes) this.apply(c);
    this.tracker.applyEdit(top.changes, { type: 'redo' });
    this.done.push(top);
  }

  /** Offset of the first occurrence of `needle` (after `from`), asserting it exists. */
  at(needle: string, from = 0): number {
    const i = this.text.indexOf(needle, from);
    assert.ok(i >= 0, `${JSON.stringify(needle)} not in ${JSON.stringify(this.text)}`);
    return i;
  }

  /** One row per line: `a` ai, `m` mixed, `.` unattributed, for every character incl. breaks. */
  states(): string[] {
    const rows: string[] = [];
    let row = '';
    for (let i = 0; i < this.text.length; i++) {
      const label = this.tracker.labelAt(i);
      row += label ? label.state[0] : '.';
      const ch = this.text[i];
      if (ch === '\n' || (ch === '\r' && this.text[i + 1] !== '\n')) {
        rows.push(row);
        row = '';
      }
    }
    rows.push(row);
    return rows;
  }

  private apply(c: ContentChange): string {
    const removed = this.text.slice(c.rangeOffset, c.rangeOffset + c.rangeLength);
    this.text = this.text.slice(0, c.rangeOffset) + c.text + this.text.slice(c.rangeOffset + c.rangeLength);
    return removed;
  }
}

describe('AttributionTracker', () => {
  it('a Tab-accepted completion is ai; text a person appends to its line makes the line mixed', () => {
    const ed = new Editor('const total = \n');
    ed.ai(ed.at('\n'), 0, 'sum(items);');
    assert.deepEqual(ed.states(), ['..............aaaaaaaaaaa.', '']);
    ed.type(ed.at('\n'), ' ');
    // Whitespace alone is not authorship.
    assert.deepEqual(ed.states(), ['..............aaaaaaaaaaa..', '']);
    ed.type(ed.at('\n'), '// ok');
    assert.deepEqual(ed.states(), ['..............mmmmmmmmmmm.mmmmm.', '']);
    assert.deepEqual(
      ed.tracker.segments().map((s) => [s.text, s.origin.id, s.state]),
      [['sum(items);', 'copilot-1', 'mixed'], ['// ok', 'copilot-1', 'mixed']],
    );
  });

  it('Enter at the end of an AI line, then typing: the new line is not AI', () => {
    const ed = new Editor('function f() {\n}\n');
    ed.ai(ed.at('}'), 0, '  return 1;\n');
    assert.deepEqual(ed.states(), ['...............', 'aaaaaaaaaaaa', '..', '']);
    ed.type(ed.at(';') + 1, '\n');
    ed.type(ed.at(';') + 2, '  x++;');
    // The AI line keeps its text as written; the typed line is plain (the AI's own line
    // break now ends it, which is why it shows one `a`).
    assert.deepEqual(ed.states(), ['...............', 'aaaaaaaaaaa.', '......a', '..', '']);
  });

  it('typing inside an AI line makes that line mixed; the other AI lines stay ai', () => {
    const ed = new Editor();
    ed.ai(0, 0, 'a = 1;\nb = 2;\nc = 3;\n', agent);
    ed.type(ed.at('2'), '4');
    assert.equal(ed.text, 'a = 1;\nb = 42;\nc = 3;\n');
    assert.deepEqual(ed.states(), ['aaaaaaa', 'mmmmmmma', 'aaaaaaa', '']);
    // The typed character takes the origin it was typed into.
    assert.equal(ed.tracker.labelAt(ed.at('4'))?.origin.id, 'agent-1');
  });

  it('commenting out an AI line makes it mixed; typing on an empty line next to it is not AI', () => {
    const ed = new Editor();
    ed.ai(0, 0, 'x();\ny();\n');
    ed.type(ed.at('y'), '// ');
    ed.type(ed.text.length, 'z();');
    assert.deepEqual(ed.states(), ['aaaaa', 'mmmmmmma', '....']);
  });

  it('indenting an AI line or pressing Enter at either end of it leaves it ai', () => {
    const ed = new Editor();
    ed.ai(0, 0, 'x();\ny();\n');
    ed.type(ed.at('y'), '  ');
    ed.type(ed.at('y'), '\n  ');
    assert.equal(ed.text, 'x();\n  \n  y();\n');
    assert.deepEqual(ed.states(), ['aaaaa', '...', '..aaaaa', '']);
  });

  it('a cut AI line pasted lower keeps its origin and state; undo takes the paste back exactly', () => {
    const ed = new Editor('top\nend\n');
    ed.ai(ed.at('end'), 0, 'mid();\n', agent);
    ed.type(ed.at('top') + 3, ' x');
    const cut = 'mid();\n';
    const pieces = ed.tracker.segments().map((seg) => ({ rel: seg.start - ed.at('mid'), length: seg.end - seg.start, origin: seg.origin, state: seg.state }));
    ed.del(ed.at('mid'), cut.length);
    assert.deepEqual(ed.states(), ['......', '....', '']);
    ed.edit({ type: 'moved', pieces }, { offset: ed.text.length, length: 0, text: cut });
    assert.equal(ed.text, 'top x\nend\nmid();\n');
    assert.deepEqual(ed.states(), ['......', '....', 'aaaaaaa', '']);
    assert.equal(ed.tracker.labelAt(ed.at('mid'))?.origin.id, 'agent-1');
    ed.undo();
    assert.deepEqual(ed.states(), ['......', '....', '']);
    ed.redo();
    assert.deepEqual(ed.states(), ['......', '....', 'aaaaaaa', '']);
  });

  it('deleting a whole AI line leaves the next line ai', () => {
    const ed = new Editor();
    ed.ai(0, 0, 'one();\ntwo();\nthree();\n');
    ed.del(ed.at('two'), 'two();\n'.length);
    assert.equal(ed.text, 'one();\nthree();\n');
    assert.deepEqual(ed.states(), ['aaaaaaa', 'aaaaaaaaa', '']);
  });

  it('deleting or retyping a word inside an AI line makes the line mixed', () => {
    const ed = new Editor();
    ed.ai(0, 0, 'let a = f(x);\nlet b = 2;\nlet c = 3;\n');
    ed.del(ed.at('= f'), 2);
    assert.equal(ed.text, 'let a f(x);\nlet b = 2;\nlet c = 3;\n');
    assert.deepEqual(ed.states(), ['mmmmmmmmmmma', 'aaaaaaaaaaa', 'aaaaaaaaaaa', '']);
    // Select `c` and type `d` over it.
    ed.edit({ type: 'human' }, { offset: ed.at('c'), length: 1, text: 'd' });
    assert.deepEqual(ed.states(), ['mmmmmmmmmmma', 'aaaaaaaaaaa', 'mmmmmmmmmma', '']);
  });

  it('undo of an AI insertion removes it, redo brings it back as ai', () => {
    const ed = new Editor('head\n');
    ed.ai(5, 0, 'body();\n');
    const after = ed.tracker.segments();
    ed.undo();
    assert.equal(ed.text, 'head\n');
    assert.deepEqual(ed.tracker.segments(), []);
    ed.redo();
    assert.equal(ed.text, 'head\nbody();\n');
    assert.deepEqual(ed.tracker.segments(), after);
  });

  it('undo of typing inside AI text restores ai; redo makes it mixed again', () => {
    const ed = new Editor();
    ed.ai(0, 0, 'if (ok) run();\nstop();\n');
    const pristine = ed.tracker.segments();
    ed.type(ed.at('ok'), '!');
    assert.deepEqual(ed.states(), ['mmmmmmmmmmmmmmma', 'aaaaaaaa', '']);
    const edited = ed.tracker.segments();
    ed.undo();
    assert.deepEqual(ed.tracker.segments(), pristine);
    ed.redo();
    assert.deepEqual(ed.tracker.segments(), edited);
  });

  it('undo and redo walk several edits back and forth in stack order', () => {
    const ed = new Editor();
    ed.ai(0, 0, 'sum(a, b);\nmax(a, b);\n');
    const s1 = ed.tracker.segments();
    ed.type(ed.at('b'), 'c, ');
    const s2 = ed.tracker.segments();
    ed.del(ed.at('max'), 'max(a, b);\n'.length);
    const s3 = ed.tracker.segments();
    assert.deepEqual(ed.states(), ['mmmmmmmmmmmmma', '']);
    ed.undo();
    assert.deepEqual(ed.tracker.segments(), s2);
    ed.undo();
    assert.deepEqual(ed.tracker.segments(), s1);
    ed.undo();
    assert.deepEqual(ed.tracker.segments(), []);
    ed.redo();
    ed.redo();
    assert.deepEqual(ed.tracker.segments(), s2);
    ed.redo();
    assert.deepEqual(ed.tracker.segments(), s3);
    assert.equal(ed.text, 'sum(a, c, b);\n');
  });

  it('a multi-cursor edit: typing at two cursors inside two AI lines, then undo', () => {
    const ed = new Editor();
    ed.ai(0, 0, 'f(a);\ng(b);\nh(c);\n');
    const pristine = ed.tracker.segments();
    // VS Code reports the cursors' changes in descending offset order.
    ed.edit({ type: 'human' }, { offset: ed.at('c'), length: 0, text: '1' }, { offset: ed.at('a'), length: 0, text: '1' });
    assert.equal(ed.text, 'f(1a);\ng(b);\nh(1c);\n');
    assert.deepEqual(ed.states(), ['mmmmmma', 'aaaaaa', 'mmmmmma', '']);
    ed.undo();
    assert.equal(ed.text, 'f(a);\ng(b);\nh(c);\n');
    assert.deepEqual(ed.tracker.segments(), pristine);
  });

  it('a multi-change AI edit (an agent patching two places) and its undo', () => {
    const ed = new Editor('top\nmiddle\nend\n');
    ed.edit({ type: 'ai', origin: agent }, { offset: ed.at('end'), length: 3, text: 'END' }, { offset: 0, length: 0, text: '// gen\n' });
    assert.equal(ed.text, '// gen\ntop\nmiddle\nEND\n');
    assert.deepEqual(ed.states(), ['aaaaaaa', '....', '.......', 'aaa.', '']);
    ed.undo();
    assert.equal(ed.text, 'top\nmiddle\nend\n');
    assert.deepEqual(ed.tracker.segments(), []);
  });

  it('works on a CRLF document', () => {
    const ed = new Editor('x\r\n');
    ed.ai(3, 0, 'let a = 1;\r\nlet b = 2;\r\nlet c = 3;\r\n');
    assert.deepEqual(ed.states(), ['...', 'aaaaaaaaaaaa', 'aaaaaaaaaaaa', 'aaaaaaaaaaaa', '']);
    // Enter at the end of the first AI line, then typing there: not AI.
    ed.type(ed.at(';') + 1, '\r\n');
    ed.type(ed.at(';') + 3, 'y');
    assert.deepEqual(ed.states(), ['...', 'aaaaaaaaaa..', '.aa', 'aaaaaaaaaaaa', 'aaaaaaaaaaaa', '']);
    // Typing inside the second AI line makes only that line mixed (its CRLF stays ai).
    ed.type(ed.at('b'), 'b');
    assert.deepEqual(ed.states(), ['...', 'aaaaaaaaaa..', '.aa', 'mmmmmmmmmmmaa', 'aaaaaaaaaaaa', '']);
    // Deleting that whole line, CRLF included, leaves the next AI line ai.
    ed.del(ed.at('let bb'), 'let bb = 2;\r\n'.length);
    assert.deepEqual(ed.states(), ['...', 'aaaaaaaaaa..', '.aa', 'aaaaaaaaaaaa', '']);
    for (const seg of ed.tracker.segments()) assert.equal(seg.text, ed.text.slice(seg.start, seg.end));
  });

  it('throws RangeError for a change or mark that does not fit the document', () => {
    const tracker = new AttributionTracker(5);
    const tooLong: ContentChange = { rangeOffset: 3, rangeLength: 4, text: '', range: { start: { line: 0, character: 3 }, end: { line: 0, character: 7 } } };
    assert.throws(() => tracker.applyEdit([tooLong], { type: 'human' }), RangeError);
    const negative: ContentChange = { ...tooLong, rangeOffset: -1, rangeLength: 1 };
    assert.throws(() => tracker.applyEdit([negative], { type: 'ai', origin: copilot }), RangeError);
    assert.throws(() => tracker.mark(4, 6, 'xx', copilot), RangeError);
    assert.throws(() => tracker.mark(0, 2, 'x', copilot), RangeError);
    assert.throws(() => new AttributionTracker(3, [{ start: 0, end: 4, origin: copilot, state: 'ai', text: 'abcd' }]), RangeError);
    assert.throws(
      () =>
        new AttributionTracker(9, [
          { start: 0, end: 4, origin: copilot, state: 'ai', text: 'abcd' },
          { start: 3, end: 5, origin: agent, state: 'ai', text: 'de' },
        ]),
      RangeError,
    );
    assert.equal(tracker.docLength, 5);
  });

  it('is constructed from stored segments, merging touching runs with the same label', () => {
    const text = 'aaa bbb\nccc\n';
    const tracker = new AttributionTracker(text.length, [
      { start: 0, end: 3, origin: copilot, state: 'ai', text: 'aaa' },
      { start: 3, end: 7, origin: copilot, state: 'ai', text: ' bbb' },
      { start: 8, end: 11, origin: agent, state: 'mixed', text: 'ccc' },
    ]);
    assert.equal(tracker.segmentCount, 2);
    assert.deepEqual(
      tracker.segments().map((s) => [s.start, s.end, s.text, s.origin.id, s.state]),
      [
        [0, 7, 'aaa bbb', 'copilot-1', 'ai'],
        [8, 11, 'ccc', 'agent-1', 'mixed'],
      ],
    );
    assert.equal(tracker.labelAt(7), undefined);
    assert.equal(tracker.labelAt(9)?.origin.id, 'agent-1');
    // Edits then move the stored segments.
    tracker.applyEdit([makeChange(text, 0, 0, 'new\n')], { type: 'human' });
    assert.deepEqual(
      tracker.segments().map((s) => [s.start, s.end]),
      [
        [4, 11],
        [12, 15],
      ],
    );
  });

  it('mark labels or clears a range and nothing else', () => {
    const ed = new Editor('abc\ndef\n');
    ed.tracker.mark(4, 7, 'def', agent);
    assert.deepEqual(ed.states(), ['....', 'aaa.', '']);
    ed.tracker.mark(5, 6, 'e', undefined);
    assert.deepEqual(ed.states(), ['....', 'a.a.', '']);
    ed.tracker.mark(0, 3, 'abc', copilot, 'mixed');
    assert.deepEqual(ed.states(), ['mmm.', 'a.a.', '']);
  });
});

describe('AttributionTracker: undo stops that cover several edits, and pasted lines', () => {
  /** Applies one change as VS Code would report it, with `cause`. */
  function raw(ed: Editor, cause: EditCause, offset: number, length: number, text: string): void {
    const [change] = makeEvent(ed.text, [{ offset, length, text }]);
    ed.text = ed.text.slice(0, offset) + text + ed.text.slice(offset + length);
    ed.tracker.applyEdit([change!], cause);
  }

  it('one undo of a typed word inside AI text restores ai exactly; redo makes it mixed again', () => {
    const ed = new Editor();
    ed.ai(0, 0, 'return a + b;\n');
    const at = ed.at(' + b');
    for (const [i, ch] of [...'*2'].entries()) ed.type(at + i, ch);
    assert.deepEqual(ed.states(), ['mmmmmmmmmmmmmmma', '']);
    // VS Code undoes the two keystrokes as one stop: one change removing "*2".
    raw(ed, { type: 'undo' }, at, 2, '');
    assert.deepEqual(ed.states(), ['aaaaaaaaaaaaaa', '']);
    raw(ed, { type: 'redo' }, at, 0, '*2');
    assert.deepEqual(ed.states(), ['mmmmmmmmmmmmmmma', '']);
  });

  it('one undo of a backspace run restores the deleted AI text with its label', () => {
    const ed = new Editor();
    ed.ai(0, 0, 'return total;\n');
    const end = ed.at(';');
    for (let i = 0; i < 5; i++) ed.del(end - 1 - i, 1);
    assert.equal(ed.text, 'return ;\n');
    raw(ed, { type: 'undo' }, end - 5, 0, 'total');
    assert.equal(ed.text, 'return total;\n');
    assert.deepEqual(ed.states(), ['aaaaaaaaaaaaaa', '']);
  });

  it('whole lines pasted inside an AI line are the person\'s; the AI line around them is mixed', () => {
    const ed = new Editor();
    ed.ai(0, 0, 'call(alpha, beta);\n');
    ed.type(ed.at('beta'), 'x,\nmine();\nmore(');
    assert.equal(ed.text, 'call(alpha, x,\nmine();\nmore(beta);\n');
    assert.deepEqual(ed.states(), ['mmmmmmmmmmmmmm.', '........', 'mmmmmmmmmmma', '']);
  });

  it('Backspace on an empty line below an AI line does not touch the AI line', () => {
    const ed = new Editor();
    ed.ai(0, 0, 'x = 1;\n');
    ed.type(ed.at('\n') + 1, '\n');
    ed.del(ed.at('\n'), 1);
    assert.deepEqual(ed.states(), ['aaaaaa.', '']);
  });
});

describe('AttributionTracker: one undo stop over typing in two places', () => {
  it('restores both places exactly when VS Code undoes them as one event', () => {
    const ed = new Editor('const a = 1;\n');
    ed.ai(ed.text.length, 0, 'return a + b;\n');
    const inside = ed.at(' + b');
    ed.type(inside, '*');
    ed.type(inside + 1, '2');
    ed.type(ed.at('1;') + 2, ' // x');
    assert.deepEqual(ed.states(), ['..................', 'mmmmmmmmmmmmmmma', '']);
    // VS Code's undo of that stop: descending offsets, each valid before the undo.
    const undo = makeEvent(ed.text, [
      { offset: ed.at('*2'), length: 2, text: '' },
      { offset: ed.at(' // x'), length: 5, text: '' },
    ]);
    for (const c of undo) ed.text = ed.text.slice(0, c.rangeOffset) + c.text + ed.text.slice(c.rangeOffset + c.rangeLength);
    ed.tracker.applyEdit(undo, { type: 'undo' });
    assert.equal(ed.text, 'const a = 1;\nreturn a + b;\n');
    assert.deepEqual(ed.states(), ['.............', 'aaaaaaaaaaaaaa', '']);
  });
});
