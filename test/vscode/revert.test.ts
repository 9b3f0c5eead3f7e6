/**
 * File: Revert in the real editor: going back to the text on disk is not new authorship. AI
 * lines saved to disk come back as AI, and nothing is guessed "unknown".
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { acceptInNewFunction, api, literalTyping, registerBlankLineProvider, waitUntil } from './util';

const suggestion = 'return 42;';

describe('reverting a file', function () {
  this.timeout(60_000);
  let provider: vscode.Disposable;
  before(async () => {
    await literalTyping();
    provider = registerBlankLineProvider(suggestion);
  });
  after(() => {
    provider.dispose();
  });

  it('restores the saved AI lines as AI and guesses nothing unknown', async () => {
    const p = await api();
    const { editor, line } = await acceptInNewFunction('src/revertDemo.ts', suggestion);
    const doc = editor.document;
    await doc.save();
    await editor.edit((b) => b.insert(new vscode.Position(line, 2 + 'return 4'.length), '0'));
    await waitUntil('the edited line is mixed', () => p.lines(doc.uri).some((l) => l.line === line && l.kind === 'mixed'));
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await waitUntil('reverted', () => !doc.isDirty && doc.lineAt(line).text.includes(suggestion), 20_000);
    await waitUntil('the line is AI again', () => p.lines(doc.uri).some((l) => l.line === line && l.kind === 'ai'), 3000);
    assert.deepEqual(p.lines(doc.uri).map((l) => [l.line, l.kind]), [[line, 'ai']]);
  });
});
