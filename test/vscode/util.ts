/**
 * Helpers for tests inside the real extension host.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ProvenanceApi } from '../../src/vscode/api';
import * as driver from '../helpers/driver';

/** Our extension's id (publisher.name). */
export const extensionId = 'ai-provenance.ai-provenance';

/** The activated extension's API. */
export async function api(): Promise<ProvenanceApi> {
  const ext = vscode.extensions.getExtension<ProvenanceApi>(extensionId);
  if (!ext) throw new Error(`extension ${extensionId} is not loaded`);
  return ext.activate();
}

/** The folder the test window opened (a fresh git repository made by the runner). */
export function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the test window has no folder open');
  return folder.uri.fsPath;
}

/** Opens a workspace file in an editor and waits until its stored provenance is loaded. */
export async function openFile(rel: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(workspaceRoot(), rel)));
  const editor = await vscode.window.showTextDocument(doc, { preview: false });
  await (await api()).ready(doc.uri);
  return editor;
}

/** Polls `check` until it returns true or `timeoutMs` passes; then fails with `what`. */
export async function waitUntil(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Runs the built CLI (`dist/cli.js`) in the workspace with the extension host's node. */
export function runCli(args: readonly string[], cwd = workspaceRoot(), input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const ext = vscode.extensions.getExtension(extensionId);
  if (!ext) throw new Error('extension not loaded');
  const cli = path.join(ext.extensionPath, 'dist', 'cli.js');
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [cli, ...args], { cwd }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
    child.stdin?.end(input ?? '');
  });
}

/** Runs git in the workspace. */
export function git(args: readonly string[], cwd = workspaceRoot()): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd }, (err, stdout, stderr) => (err ? reject(new Error(`git ${args.join(' ')}: ${stderr}`)) : resolve(stdout)));
  });
}

/**
 * Puts the cursor at `pos` so that real key presses land there. With a browser it goes there as
 * a user would (Go to Line, "line:column"): a selection set from the extension host reaches
 * the window asynchronously and can land after keys typed meanwhile, moving the cursor back.
 */
export async function placeCursor(editor: vscode.TextEditor, pos: vscode.Position): Promise<void> {
  if (!driver.driverAvailable()) {
    editor.selection = new vscode.Selection(pos, pos);
    return;
  }
  await driver.press('Control+g');
  const input = await driver.waitFor('.quick-input-widget input', 5000);
  if (!input) throw new Error('Go to Line did not open');
  await driver.type(`${pos.line + 1}:${pos.character + 1}`);
  await driver.press('Enter');
  // Generous: on a loaded machine the first Go to Line of a window can take seconds.
  await waitUntil(`the cursor is at ${pos.line + 1}:${pos.character + 1}`, () => editor.selection.isEmpty && editor.selection.active.isEqual(pos), 20_000);
}

/**
 * Settings that keep real typing literal: no suggest widget, no auto-closing, so a key press
 * inserts exactly its character.
 */
export async function literalTyping(): Promise<void> {
  const cfg = vscode.workspace.getConfiguration();
  const set = async (key: string, value: unknown): Promise<void> => cfg.update(key, value, vscode.ConfigurationTarget.Global);
  await set('editor.quickSuggestions', { other: 'off', comments: 'off', strings: 'off' });
  await set('editor.suggestOnTriggerCharacters', false);
  await set('editor.acceptSuggestionOnCommitCharacter', false);
  await set('editor.autoClosingBrackets', 'never');
  await set('editor.autoClosingQuotes', 'never');
  await set('editor.autoIndent', 'keep');
  await set('editor.formatOnType', false);
}

/** Reverts every dirty document to its file on disk, so a suite leaves nothing behind. */
export async function revertAll(): Promise<void> {
  for (const doc of vscode.workspace.textDocuments.filter((d) => d.isDirty && d.uri.scheme === 'file')) {
    await vscode.window.showTextDocument(doc, { preview: false });
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await waitUntil(`${doc.uri.fsPath} is reverted`, () => !doc.isDirty);
  }
  await (await api()).flush();
}

/**
 * An inline completion provider for `**\/*.ts` that suggests `suggestion` on an empty line, only
 * when asked (ghost text popping up while a test types would race the typing).
 */
export function registerBlankLineProvider(suggestion: string): vscode.Disposable {
  return vscode.languages.registerInlineCompletionItemProvider({ pattern: '**/*.ts' }, {
    provideInlineCompletionItems(doc, pos, context) {
      if (context.triggerKind !== vscode.InlineCompletionTriggerKind.Invoke) return [];
      const text = doc.lineAt(pos.line).text;
      if (text.trim() !== '' || pos.character !== text.length) return [];
      return [new vscode.InlineCompletionItem(suggestion, new vscode.Range(pos, pos))];
    },
  });
}

/**
 * Creates `rel` with a function whose body line is empty, and accepts `suggestion` there with a
 * real Tab (or, without a browser, the command Tab is bound to). Needs
 * {@link registerBlankLineProvider} for the same suggestion.
 */
export async function acceptInNewFunction(rel: string, suggestion: string): Promise<{ editor: vscode.TextEditor; line: number }> {
  fs.mkdirSync(path.dirname(path.join(workspaceRoot(), rel)), { recursive: true });
  fs.writeFileSync(path.join(workspaceRoot(), rel), 'export function fee(): number {\n  \n}\n');
  const editor = await openFile(rel);
  const doc = editor.document;
  const line = 1;
  if (driver.driverAvailable()) await driver.click('.monaco-editor .view-lines');
  await placeCursor(editor, new vscode.Position(line, 2));
  await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
  if (driver.driverAvailable()) {
    if (!(await driver.waitFor('.monaco-editor .ghost-text-decoration, .monaco-editor .ghost-text', 10_000))) throw new Error('no ghost text');
    await driver.press('Tab');
  } else {
    await sleep(500);
    await vscode.commands.executeCommand('aiProvenance.acceptInlineSuggestion');
  }
  await waitUntil('accepted', () => doc.lineAt(line).text.includes(suggestion));
  return { editor, line };
}

/** Sleeps; only for letting the editor settle where there is nothing to poll. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * For the enclosing suite: literal typing (no auto-closing) and a provider offering `suggestion`
 * on blank lines, removed after the suite. The suites that press real keys share this set-up.
 */
export function useBlankLineProvider(suggestion: string): void {
  let provider: vscode.Disposable | undefined;
  before(async () => {
    await literalTyping();
    provider = registerBlankLineProvider(suggestion);
  });
  after(() => {
    provider?.dispose();
  });
}
