/**
 * What people do to AI lines in the real editor (issue #17): commenting an AI line out makes
 * it mixed; a rename refactor (F2) that reaches a file nobody is typing in keeps each line's
 * owner — the human line stays the person's, the AI line becomes mixed, nothing turns unknown.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import * as driver from '../helpers/driver';
import { acceptInNewFunction, api, openFile, placeCursor, useBlankLineProvider, waitUntil, workspaceRoot } from './util';

const editSource = process.env.AIP_EDIT_SOURCE !== 'off';
const suggestion = 'return 42;';

describe(`hand edits of AI lines (edit-source API ${editSource ? 'on' : 'off'})`, function () {
  this.timeout(120_000);
  useBlankLineProvider(suggestion);

  it('makes an AI line commented out by hand mixed', async function () {
    if (!driver.driverAvailable()) this.skip(); // needs real typing: desktop runs have no browser
    const p = await api();
    const { editor, line } = await acceptInNewFunction('src/commentDemo.ts', suggestion);
    const doc = editor.document;
    assert.deepEqual(p.lines(doc.uri).map((l) => [l.line, l.kind]), [[line, 'ai']]);
    // Typed before the AI text, as a person comments a line out by hand (a headless Ctrl+/
    // did not reach the workbench's Toggle Line Comment here).
    await placeCursor(editor, new vscode.Position(line, 2));
    await driver.type('// ');
    await waitUntil('the line is commented out', () => doc.lineAt(line).text === `  // ${suggestion}`, 10_000);
    assert.deepEqual(p.lines(doc.uri).map((l) => [l.line, l.kind, l.originKind]), [[line, 'mixed', 'inline']]);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('a rename (F2) reaching a file nobody is typing in keeps the human line human and makes the AI line mixed', async function () {
    if (!driver.driverAvailable()) this.skip(); // needs real F2 and typing: desktop runs have no browser
    const p = await api();
    const root = workspaceRoot();
    fs.writeFileSync(path.join(root, 'src/renameDef.txt'), 'value = compute(total)\n');
    fs.writeFileSync(path.join(root, 'src/renameUse.txt'), 'let a = total + 1\nlet b = total * 2\n');
    // A rename provider for these plain-text files (the language's own would answer for .ts):
    // every `total` in both files becomes the new name, as a real refactor's workspace edit.
    const renames = vscode.languages.registerRenameProvider({ pattern: '**/rename*.txt' }, {
      async provideRenameEdits(_doc, _pos, newName) {
        const edit = new vscode.WorkspaceEdit();
        for (const name of ['renameDef.txt', 'renameUse.txt']) {
          const d = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(root, 'src', name)));
          const text = d.getText();
          for (let i = text.indexOf('total'); i >= 0; i = text.indexOf('total', i + 1)) {
            edit.replace(d.uri, new vscode.Range(d.positionAt(i), d.positionAt(i + 'total'.length)), newName);
          }
        }
        return edit;
      },
    });
    try {
      const use = await openFile('src/renameUse.txt');
      const useDoc = use.document;
      const recorded = await vscode.commands.executeCommand<number>('aiProvenance.recordEdit', { uri: useDoc.uri, range: useDoc.lineAt(0).range, tool: 'claude-code', kind: 'agent' });
      assert.ok(recorded > 0);
      assert.deepEqual(p.lines(useDoc.uri).map((l) => [l.line, l.kind]), [[0, 'ai']]);
      const def = await openFile('src/renameDef.txt');
      await driver.click('.monaco-editor .view-lines');
      await placeCursor(def, new vscode.Position(0, 'value = compute(to'.length));
      await driver.press('F2');
      // Wait for the box to have focus, not just to exist: on a loaded machine it appears a moment
      // before it takes the keys, and Ctrl+A would then select the whole file instead.
      assert.ok(await driver.waitFor('.monaco-editor .rename-box input:focus, .monaco-editor .rename-input:focus', 10_000), 'the rename box did not open');
      await driver.press('Control+a');
      await driver.type('sum');
      await driver.press('Enter');
      await waitUntil('the rename reached the other file', () => useDoc.getText() === 'let a = sum + 1\nlet b = sum * 2\n', 15_000);
      assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), def.document.uri.toString(), 'the renamed file was not the one being typed in');
      assert.deepEqual(p.lines(useDoc.uri).map((l) => [l.line, l.kind]), [[0, 'mixed']]);
      for (const d of [useDoc, def.document]) {
        await vscode.window.showTextDocument(d);
        await vscode.commands.executeCommand('workbench.action.files.revert');
      }
    } finally {
      renames.dispose();
    }
  });
});
