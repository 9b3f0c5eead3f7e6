/**
 * The ledger shared by the CLI and the editor, in a real window: what the CLI records the
 * editor shows (also live, while the file is open), what the editor records the CLI lists,
 * and a file changed on disk behind the editor's back is unknown, not human and not AI.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import * as driver from '../helpers/driver';
import { api, git, literalTyping, openFile, placeCursor, runCli, waitUntil, workspaceRoot } from './util';

interface StatusJson {
  files: Array<{ path: string; ai: number; mixed: number; unknown: number; ranges: Array<{ startLine: number; endLine: number; kind: string; tool: string; model: string | null }> }>;
}

describe('ledger shared by the CLI and the editor', function () {
  this.timeout(60_000);

  it('shows lines recorded by `git provenance record` when the file is opened', async () => {
    const res = await runCli(['record', '--tool', 'claude-code', '--model', 'claude-sonnet-4-5', 'src/a.ts:3-7']);
    assert.equal(res.code, 0, res.stderr);
    const p = await api();
    const editor = await openFile('src/a.ts');
    const lines = p.lines(editor.document.uri);
    assert.deepEqual(lines.map((l) => [l.line + 1, l.kind, l.tool, l.model]), [3, 4, 5, 6, 7].map((n) => [n, 'ai', 'Claude Code', 'claude-sonnet-4-5']));
    await waitUntil('status bar shows 5 AI', () => p.statusText() === '$(sparkle) 5 AI');
  });

  it('picks up a record made while the file is open, within a second', async () => {
    const p = await api();
    const editor = await openFile('src/a.ts');
    const res = await runCli(['record', '--tool', 'codex', '--model', 'gpt-5-codex', 'src/a.ts:10-12']);
    assert.equal(res.code, 0, res.stderr);
    await waitUntil('lines 10-12 appear as codex', () => p.lines(editor.document.uri).filter((l) => l.tool === 'Codex').length === 3, 1000);
    assert.deepEqual(p.lines(editor.document.uri).filter((l) => l.tool === 'Codex').map((l) => l.line + 1), [10, 11, 12]);
  });

  it('lists in `git provenance status` what the editor recorded', async () => {
    const p = await api();
    const editor = await openFile('src/util.ts');
    const n = await vscode.commands.executeCommand<number>('aiProvenance.recordEdit', {
      uri: editor.document.uri,
      range: new vscode.Range(1, 0, 2, 0),
      tool: 'test-extension',
      model: 'test-model-1',
    });
    assert.equal(n, editor.document.offsetAt(new vscode.Position(2, 0)) - editor.document.offsetAt(new vscode.Position(1, 0)));
    await p.flush();
    const res = await runCli(['status', '--json']);
    assert.equal(res.code, 0, res.stderr);
    const status = JSON.parse(res.stdout) as StatusJson;
    const util = status.files.find((f) => f.path === 'src/util.ts');
    assert.ok(util, `status does not list src/util.ts: ${res.stdout}`);
    assert.deepEqual(util.ranges, [{ startLine: 2, endLine: 2, kind: 'ai', tool: 'test-extension', model: 'test-model-1' }]);
  });

  it('rejects bad arguments to aiProvenance.recordEdit with a clear error', async () => {
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('aiProvenance.recordEdit', { uri: 'file:///x', range: { start: 1 }, tool: 't' })),
      /range must have start and end/,
    );
  });

  it('keeps the record when the file is closed and opened again', async () => {
    const p = await api();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const editor = await openFile('src/a.ts');
    assert.equal(p.lines(editor.document.uri).filter((l) => l.tool === 'Claude Code').length, 5);
  });

  it('labels a change made on disk behind the editor as unknown, and a checkout back to HEAD as nothing', async () => {
    const p = await api();
    const editor = await openFile('src/payments/charge.ts');
    const doc = editor.document;
    assert.equal(doc.isDirty, false);
    const file = path.join(workspaceRoot(), 'src/payments/charge.ts');
    fs.writeFileSync(file, doc.getText() + '\nexport const fee = 30;\n');
    await waitUntil('the editor reloaded the file', () => doc.getText().includes('fee = 30'), 5000);
    await waitUntil('the new line is unknown', () => p.lines(doc.uri).some((l) => l.kind === 'unknown'));
    assert.deepEqual(p.lines(doc.uri).map((l) => [doc.lineAt(l.line).text, l.kind]), [['export const fee = 30;', 'unknown']]);
    await git(['checkout', '--', 'src/payments/charge.ts']);
    await waitUntil('the editor reloaded HEAD', () => !doc.getText().includes('fee = 30'), 5000);
    await waitUntil('nothing is attributed after the checkout', () => p.lines(doc.uri).length === 0);
  });

  it('counts the first character typed into a clean, saved file as the person\'s, not unknown', async function () {
    if (!driver.driverAvailable()) this.skip(); // needs real typing
    await literalTyping();
    const p = await api();
    const editor = await openFile('README.md');
    const doc = editor.document;
    assert.equal(doc.isDirty, false);
    await driver.click('.monaco-editor .view-lines');
    await placeCursor(editor, new vscode.Position(0, 0));
    await driver.type('Z');
    await waitUntil('typed', () => doc.getText().startsWith('Z'));
    assert.deepEqual(p.lines(doc.uri), []);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
});
