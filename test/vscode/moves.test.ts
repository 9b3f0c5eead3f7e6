/**
 * Moves in the real editor (issue #17): AI lines cut or copied with real keys and pasted in
 * the same file or another keep their author; text put on the clipboard outside the editor
 * stays the person's.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import * as driver from '../helpers/driver';
import { acceptInNewFunction, api, openFile, placeCursor, useBlankLineProvider, waitUntil, workspaceRoot } from './util';

const editSource = process.env.AIP_EDIT_SOURCE !== 'off';
const suggestion = 'return 42;';

describe(`moving AI lines (edit-source API ${editSource ? 'on' : 'off'})`, function () {
  this.timeout(120_000);
  useBlankLineProvider(suggestion);

  it('keeps the author of an AI line cut and pasted lower, and of one copied into another file; outside text stays the person\'s', async function () {
    if (!driver.driverAvailable()) this.skip(); // needs real cut, copy and paste keys: desktop runs have no browser
    const p = await api();
    const { editor, line } = await acceptInNewFunction('src/moveFrom.ts', suggestion);
    const doc = editor.document;
    assert.deepEqual(p.lines(doc.uri).map((l) => [l.line, l.kind, l.originKind]), [[line, 'ai', 'inline']]);

    // Cut the AI line (nothing selected: Ctrl+X takes the whole line), paste it below the function.
    await placeCursor(editor, new vscode.Position(line, 4));
    await driver.press('Control+x');
    await waitUntil('the line was cut', () => doc.lineAt(line).text === '}');
    assert.deepEqual(p.lines(doc.uri), []);
    await placeCursor(editor, new vscode.Position(doc.lineCount - 1, 0));
    await driver.press('Control+v');
    await waitUntil('the line was pasted', () => doc.getText() === `export function fee(): number {\n}\n  ${suggestion}\n`, 10_000);
    assert.deepEqual(p.lines(doc.uri).map((l) => [l.line, l.kind, l.originKind]), [[2, 'ai', 'inline']]);

    // Copy it and paste it into another file.
    await placeCursor(editor, new vscode.Position(2, 3));
    await driver.press('Control+c');
    fs.writeFileSync(path.join(workspaceRoot(), 'src/moveTo.ts'), '// other\n');
    const other = await openFile('src/moveTo.ts');
    await driver.click('.monaco-editor .view-lines');
    await placeCursor(other, new vscode.Position(1, 0));
    await driver.press('Control+v');
    await waitUntil('the copy was pasted', () => other.document.getText() === `// other\n  ${suggestion}\n`, 10_000);
    assert.deepEqual(p.lines(other.document.uri).map((l) => [l.line, l.kind, l.originKind]), [[1, 'ai', 'inline']]);
    assert.deepEqual(p.lines(doc.uri).map((l) => [l.line, l.kind]), [[2, 'ai']], 'the copied line stays AI where it was');

    // Text from outside the editor is the person's.
    await driver.setClipboard('const outside = 1;\n');
    await placeCursor(other, new vscode.Position(2, 0));
    await driver.press('Control+v');
    await waitUntil('the outside text was pasted', () => other.document.getText().endsWith('const outside = 1;\n'), 10_000);
    assert.deepEqual(p.lines(other.document.uri).map((l) => [l.line, l.kind]), [[1, 'ai']]);

    for (const d of [doc, other.document]) {
      await vscode.window.showTextDocument(d);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  });
});
