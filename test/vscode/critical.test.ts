/**
 * Critical paths in the real editor: the workspace policy marks `src/payments/**` critical. An
 * inline completion accepted with Tab in `src/payments/charge.ts` gets a Warning on exactly its
 * line and turns the status bar item to a warning; the same completion in `src/util.ts` gets
 * none. A policy file with a syntax error shows one diagnostic and the last valid policy stays
 * in force.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import * as driver from '../helpers/driver';
import { acceptInNewFunction, api, literalTyping, openFile, registerBlankLineProvider, sleep, waitUntil, workspaceRoot } from './util';

const suggestion = 'return 30;';

function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'AI Provenance');
}

describe('critical paths in the editor', function () {
  this.timeout(90_000);
  let provider: vscode.Disposable;

  before(async () => {
    await literalTyping();
    provider = registerBlankLineProvider(suggestion);
  });
  after(async () => {
    provider.dispose();
    await vscode.commands.executeCommand('workbench.action.files.saveAll');
  });

  it('warns on exactly the AI lines in a critical file, with the status bar turned to a warning', async () => {
    const p = await api();
    const { editor, line } = await acceptInNewFunction('src/payments/fee.ts', suggestion);
    const uri = editor.document.uri;
    await waitUntil('a diagnostic appears', () => ours(uri).length > 0, 5000);
    const diags = ours(uri);
    assert.equal(diags.length, 1);
    assert.equal(diags[0]!.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(diags[0]!.message, 'AI-written code in a critical path: Moves money');
    assert.equal(diags[0]!.range.start.line, line);
    assert.equal(diags[0]!.range.end.line, line);
    await waitUntil('the status bar warns', () => p.statusText() === '$(warning) 1 AI · critical');
    if (driver.driverAvailable()) {
      await waitUntil('the warning shows in the workbench', async () => (await driver.domText('.statusbar-item')).some((t) => t.includes('1 AI · critical')));
    }
    // Acknowledge is offered as a quick fix and records who looked, without counting as review.
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diags[0]!.range);
    const ack = actions.find((a) => a.title.startsWith('Acknowledge'));
    assert.ok(ack?.command, 'no Acknowledge quick fix');
    await vscode.commands.executeCommand(ack.command.command, ...((ack.command.arguments ?? []) as unknown[]));
    await waitUntil('acknowledged', () => ours(uri)[0]?.severity === vscode.DiagnosticSeverity.Information);
    assert.match(ours(uri)[0]!.message, /\(acknowledged\)$/);
    const log = fs.readFileSync(path.join(workspaceRoot(), '.git', 'ai-provenance', 'acknowledgements.jsonl'), 'utf8');
    assert.match(log, /"path":"src\/payments\/fee\.ts".*"by":"Test User <test@example\.com>"/);
    await vscode.window.showTextDocument(editor.document);
    await vscode.commands.executeCommand('undo');
    await waitUntil('the warning goes with the undone text', () => ours(uri).length === 0, 5000);
  });

  it('governance: in a critical file with a budget, the diagnostic, status bar and hover show the budget used and the reviews the commit will need', async () => {
    const p = await api();
    const { editor, line } = await acceptInNewFunction('src/ledger/books.ts', suggestion);
    const uri = editor.document.uri;
    const expected = 'AI-written code in a critical path: The books (tier-1) — AI lines in The books (tier-1): 1 of 50 allowed for one commit; the commit needs 2 reviews from ledger-seniors';
    await waitUntil('the diagnostic shows the budget', () => ours(uri)[0]?.message === expected, 10_000);
    assert.equal(ours(uri)[0]!.range.start.line, line);
    const status = '$(warning) 1 AI · critical · tier-1 · 1 of 50 AI lines · needs 2 reviews from ledger-seniors';
    await waitUntil('the status bar shows the budget and the reviews needed', () => p.statusText() === status);
    if (driver.driverAvailable()) {
      await waitUntil('the workbench shows it', async () => (await driver.domText('.statusbar-item')).some((t) => t.includes('1 of 50 AI lines')));
    }
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(line, 4));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
    assert.match(text, /tier \*\*tier-1\*\*/);
    assert.match(text, /budget: AI lines in The books \(tier-1\): 1 of 50 allowed for one commit/);
    assert.match(text, /the commit needs 2 reviews from ledger-seniors/);
    await vscode.window.showTextDocument(editor.document);
    await vscode.commands.executeCommand('undo');
    await waitUntil('the warning goes with the undone text', () => ours(uri).length === 0, 5000);
  });

  it('does not warn for the same completion in a file that is not critical', async () => {
    const p = await api();
    const { editor } = await acceptInNewFunction('src/fees.ts', suggestion);
    await waitUntil('the status bar counts the line', () => p.statusText() === '$(sparkle) 1 AI');
    await sleep(400);
    assert.deepEqual(ours(editor.document.uri), []);
  });

  it('keeps the last valid policy in force when the policy file is broken, with one diagnostic', async () => {
    const policy = await openFile('.ai-provenance.json');
    const doc = policy.document;
    await policy.edit((b) => b.insert(new vscode.Position(1, 0), '  "critical": [ oops\n'));
    await waitUntil('the policy file gets one error', () => ours(doc.uri).length === 1, 5000);
    assert.equal(ours(doc.uri)[0]!.severity, vscode.DiagnosticSeverity.Error);
    assert.match(ours(doc.uri)[0]!.message, /last valid policy stays in force/);
    // The last valid policy still marks src/payments critical: a new AI line there still warns.
    const { editor } = await acceptInNewFunction('src/payments/refund.ts', suggestion);
    await waitUntil('the critical warning still appears', () => ours(editor.document.uri).length === 1, 5000);
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('undo');
    await waitUntil('the policy text is whole again', () => !doc.getText().includes('oops'));
    await waitUntil('the error goes away once the file is fixed', () => ours(doc.uri).length === 0, 5000);
  });
});
