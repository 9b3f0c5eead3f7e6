/**
 * Capture in the real editor: an inline suggestion accepted with a real Tab key press is
 * recorded with its exact range; typing next to it is not; an edit inside makes its line
 * mixed; undo removes it; the status bar shows the count.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import * as driver from '../helpers/driver';
import { api, literalTyping, openFile, placeCursor, sleep, waitUntil } from './util';

const suggestion = 'return a + b;';
const editSource = process.env.AIP_EDIT_SOURCE !== 'off';

/** Shows ghost text for `suggestion` at the cursor when the line holds only indentation. */
function registerProvider(): vscode.Disposable {
  return vscode.languages.registerInlineCompletionItemProvider({ pattern: '**/tab.ts' }, {
    provideInlineCompletionItems(doc, pos, context) {
      // Only when asked: ghost text popping up on a new blank line while a test types there
      // would make the typing race the suggestion.
      if (context.triggerKind !== vscode.InlineCompletionTriggerKind.Invoke) return [];
      const line = doc.lineAt(pos.line).text;
      if (line.trim() !== '' || pos.character !== line.length) return [];
      return [new vscode.InlineCompletionItem(suggestion, new vscode.Range(pos, pos))];
    },
  });
}

/** Puts the cursor on line 2 of tab.ts, shows the ghost text and accepts it as a user would. */
async function acceptWithTab(editor: vscode.TextEditor): Promise<void> {
  if (driver.driverAvailable()) await driver.click('.monaco-editor .view-lines');
  await placeCursor(editor, new vscode.Position(1, 2));
  await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
  if (driver.driverAvailable()) {
    const shown = await driver.waitFor('.monaco-editor .ghost-text-decoration, .monaco-editor .ghost-text', 10_000);
    assert.ok(shown, 'the ghost text of the test provider never appeared');
    await driver.press('Tab');
  } else {
    // Desktop runs through @vscode/test-electron have no browser to press keys in; run the
    // command our Tab keybinding is bound to.
    await sleep(500);
    await vscode.commands.executeCommand('aiProvenance.acceptInlineSuggestion');
  }
}

async function resetFile(editor: vscode.TextEditor, text: string): Promise<void> {
  await editor.edit((b) => b.replace(new vscode.Range(0, 0, editor.document.lineCount, 0), text));
  const p = await api();
  // Forget what an earlier test left: mark everything as written by a person.
  await vscode.commands.executeCommand('workbench.action.files.save');
  const doc = editor.document;
  if (p.segments(doc.uri).length > 0) {
    editor.selection = new vscode.Selection(0, 0, doc.lineCount, 0);
    await vscode.commands.executeCommand('aiProvenance.markSelectionAsHuman');
  }
}

describe(`capture in the real editor (edit-source API ${editSource ? 'on' : 'off'})`, function () {
  this.timeout(60_000);
  let provider: vscode.Disposable;
  const original = 'export function add(a: number, b: number): number {\n  \n}\n';

  before(async () => {
    await literalTyping();
    provider = registerProvider();
  });
  after(() => {
    provider.dispose();
  });

  it('records an inline suggestion accepted with Tab, exactly, and shows it in the status bar', async () => {
    const p = await api();
    const editor = await openFile('src/tab.ts');
    await resetFile(editor, original);
    const doc = editor.document;
    await acceptWithTab(editor);
    await waitUntil('the accepted suggestion is in the document', () => doc.getText().includes(suggestion));
    const start = doc.offsetAt(new vscode.Position(1, 2));
    const segs = p.segments(doc.uri);
    assert.deepEqual(segs.map((s) => [s.start, s.end, s.state, s.originKind]), [[start, start + suggestion.length, 'ai', 'inline']]);
    assert.ok(segs[0]!.tool.length > 0);
    assert.deepEqual(p.lines(doc.uri).map((l) => [l.line, l.kind]), [[1, 'ai']]);
    await waitUntil('status bar says 1 AI', () => p.statusText() === '$(sparkle) 1 AI');
    if (driver.driverAvailable()) {
      await waitUntil('the status bar item is visible in the workbench', async () => (await driver.domText('.statusbar-item')).some((t) => t.includes('1 AI')));
    }
  });

  it('makes the line mixed when a person appends to it, and does not count a new line below it as AI', async () => {
    const p = await api();
    const editor = await openFile('src/tab.ts');
    const doc = editor.document;
    const start = doc.offsetAt(new vscode.Position(1, 2));
    const end = doc.offsetAt(new vscode.Position(1, 2 + suggestion.length));
    await placeCursor(editor, doc.positionAt(end));
    if (driver.driverAvailable()) {
      await driver.type(' // sum');
      await waitUntil('the comment arrived', () => doc.getText().includes(' // sum'));
      // Word completion may offer "sum" here, and Enter would accept it instead of breaking
      // the line (it did, on a loaded run): close any suggestion first.
      await driver.press('Escape');
      const lines = doc.lineCount;
      await driver.press('Enter');
      await waitUntil('the line break arrived', () => doc.lineCount > lines);
      await driver.type('const x = 1;');
    } else {
      await editor.edit((b) => b.insert(doc.positionAt(end), ' // sum\n  const x = 1;'));
    }
    await waitUntil('typed text arrived', () => doc.getText().includes('const x = 1;'));
    // The appended comment is the person's text on an AI line: the line is mixed, and the
    // typed characters (not the space) carry the line's origin.
    const segs = p.segments(doc.uri);
    assert.deepEqual(segs[0] && [segs[0].start, segs[0].end, segs[0].state], [start, end, 'mixed']);
    assert.ok(segs.every((s) => s.state === 'mixed' && s.end <= end + ' // sum'.length), JSON.stringify(segs));
    assert.deepEqual(segs.map((s) => doc.getText().slice(s.start, s.end)).join('').replace(suggestion, ''), '//sum');
    assert.deepEqual(p.lines(doc.uri).map((l) => [l.line, l.kind]), [[1, 'mixed']]);
  });

  it('makes the line mixed when a person edits inside the suggestion', async () => {
    const p = await api();
    const editor = await openFile('src/tab.ts');
    const doc = editor.document;
    const inside = new vscode.Position(1, 2 + 'return a'.length);
    await placeCursor(editor, inside);
    if (driver.driverAvailable()) await driver.type('*2');
    else await editor.edit((b) => b.insert(inside, '*2'));
    await waitUntil('edit arrived', () => doc.lineAt(1).text.includes('return a*2 + b;'));
    assert.deepEqual(p.lines(doc.uri).map((l) => [l.line, l.kind]), [[1, 'mixed']]);
    await waitUntil('status bar still counts the line', () => p.statusText() === '$(sparkle) 1 AI');
  });

  it('undo takes the attribution away with the text, and redo brings it back', async () => {
    const p = await api();
    const editor = await openFile('src/tab.ts');
    const doc = editor.document;
    const inside = doc.offsetAt(new vscode.Position(1, 2 + 'return a'.length));
    // The first undo takes back the person's "*2": the suggestion is as it was before, mixed
    // only because of the comment the person appended.
    await vscode.commands.executeCommand('undo');
    assert.ok(!doc.getText().includes('*2'));
    assert.deepEqual(p.segments(doc.uri).filter((s) => s.start <= inside && inside < s.end).map((s) => s.state), ['mixed']);
    for (let i = 0; i < 20 && doc.getText() !== original; i++) await vscode.commands.executeCommand('undo');
    assert.equal(doc.getText(), original, 'undo did not return to the original text');
    assert.deepEqual(p.segments(doc.uri), []);
    await waitUntil('status bar hides', () => p.statusText() === undefined);
    await vscode.commands.executeCommand('redo');
    await waitUntil('redo re-inserted the suggestion', () => doc.getText().includes(suggestion));
    const start = doc.offsetAt(new vscode.Position(1, 2));
    assert.deepEqual(p.segments(doc.uri).map((s) => [s.start, s.end, s.state]), [[start, start + suggestion.length, 'ai']]);
  });

  it('records each word accepted with Ctrl+Right as AI, exactly', async function () {
    if (!driver.driverAvailable()) this.skip(); // needs a real key press: desktop runs have no browser
    const p = await api();
    const editor = await openFile('src/tab.ts');
    await resetFile(editor, original);
    const doc = editor.document;
    await driver.click('.monaco-editor .view-lines');
    await placeCursor(editor, new vscode.Position(1, 2));
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    assert.ok(await driver.waitFor('.monaco-editor .ghost-text-decoration, .monaco-editor .ghost-text', 10_000), 'no ghost text');
    await driver.press('Control+ArrowRight');
    await waitUntil('a word was accepted', () => doc.lineAt(1).text.trim().length > 0);
    const firstWord = doc.lineAt(1).text.slice(2);
    assert.ok(suggestion.startsWith(firstWord) && firstWord.length < suggestion.length, `accepted "${firstWord}"`);
    const start = doc.offsetAt(new vscode.Position(1, 2));
    assert.deepEqual(p.segments(doc.uri).map((s) => [s.start, s.end, s.state, s.originKind]), [[start, start + firstWord.length, 'ai', 'inline']]);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it(editSource ? 'maps the editor\'s own accept (no keybinding of ours) through the edit-source API' : 'without the edit-source API, an accept that bypasses our keybinding is not guessed as AI', async () => {
    const p = await api();
    const editor = await openFile('src/tab.ts');
    await resetFile(editor, original);
    const doc = editor.document;
    await placeCursor(editor, new vscode.Position(1, 2));
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    await waitUntil('ghost text shown', async () => !driver.driverAvailable() || (await driver.waitFor('.monaco-editor .ghost-text-decoration, .monaco-editor .ghost-text', 200)), 10_000);
    await vscode.commands.executeCommand('editor.action.inlineSuggest.commit');
    await waitUntil('accepted', () => doc.getText().includes(suggestion));
    if (editSource) {
      assert.equal(p.lastEditSource(), 'inlineCompletionAccept');
      assert.deepEqual(p.lines(doc.uri).map((l) => [l.line, l.kind]), [[1, 'ai']]);
    } else {
      assert.equal(p.lastEditSource(), undefined);
      assert.deepEqual(p.lines(doc.uri).filter((l) => l.kind === 'ai'), []);
    }
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
});
