/**
 * The final-newline boundary in the real editor (issue #17): an inline completion accepted as
 * the last line of a file, without a final newline, is committed; the person then types a line
 * below it (git now shows the AI line changed, "\ No newline at end of file"). The AI line must
 * keep its author in the editor's AI blame, before and after the next commit, and that commit
 * must not count it. The reverse too: deleting the final newline of a committed AI last line.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import * as driver from '../helpers/driver';
import { api, git, openFile, placeCursor, runCli, useBlankLineProvider, waitUntil, workspaceRoot } from './util';

const editSource = process.env.AIP_EDIT_SOURCE !== 'off';
const suggestion = 'export const answer = 42;';

/** Commits `rel` with the installed hooks; the new commit's id. */
async function commit(rel: string, message: string): Promise<string> {
  await git(['add', rel]);
  await git(['commit', '-q', '-m', message]);
  return (await git(['rev-parse', 'HEAD'])).trim();
}

/**
 * Commits `rel` holding `text` (a person's file), opens it and accepts the suggestion with a
 * real Tab on (empty) line `line`.
 */
async function acceptOnLine(rel: string, text: string, line: number): Promise<vscode.TextEditor> {
  fs.mkdirSync(path.dirname(path.join(workspaceRoot(), rel)), { recursive: true });
  fs.writeFileSync(path.join(workspaceRoot(), rel), text);
  await commit(rel, `add ${rel}`);
  const editor = await openFile(rel);
  const doc = editor.document;
  await driver.click('.monaco-editor .view-lines');
  await placeCursor(editor, new vscode.Position(line, 0));
  await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
  if (!(await driver.waitFor('.monaco-editor .ghost-text-decoration, .monaco-editor .ghost-text', 10_000))) throw new Error('no ghost text');
  await driver.press('Tab');
  await waitUntil('accepted', () => doc.lineAt(line).text === suggestion, 10_000);
  return editor;
}

/**
 * Makes the AI blame view compute the committed blame again: it keeps one per document version
 * (a commit does not change the document), so a space is typed on the first (a person's) line,
 * taken back, and the file saved.
 */
async function reblame(editor: vscode.TextEditor): Promise<void> {
  const doc = editor.document;
  const first = doc.lineAt(0).text;
  await placeCursor(editor, new vscode.Position(0, first.length));
  await driver.type(' ');
  await waitUntil('the space is typed', () => doc.lineAt(0).text === `${first} `, 10_000);
  await driver.press('Backspace');
  await waitUntil('the space is taken back', () => doc.lineAt(0).text === first, 10_000);
  await doc.save();
  await (await api()).flush();
}

describe(`the final-newline boundary in the editor (edit-source API ${editSource ? 'on' : 'off'})`, function () {
  this.timeout(180_000);
  useBlankLineProvider(suggestion);
  before(async () => {
    const install = await runCli(['install']);
    assert.equal(install.code, 0, install.stderr);
    await vscode.workspace.getConfiguration('aiProvenance').update('blame.mode', 'file', vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    await vscode.workspace.getConfiguration('aiProvenance').update('blame.mode', undefined, vscode.ConfigurationTarget.Global);
  });

  /** The editor's AI blame of `doc` as `[line, kind, commit]`, once `ready` holds. */
  const blameOf = async (doc: vscode.TextDocument, what: string, ready: (lines: ReadonlyArray<{ line: number; commit: string | null }>) => boolean): Promise<Array<[number, string, string | null]>> => {
    const p = await api();
    let last: ReadonlyArray<{ line: number; kind: string; commit: string | null }> = [];
    try {
      await waitUntil(what, async () => ready((last = await p.blameLines(doc.uri))), 20_000);
    } catch (e) {
      throw new Error(`${(e as Error).message}; blame shows ${JSON.stringify(last)}`, { cause: e });
    }
    return last.map((l) => [l.line, l.kind, l.commit]);
  };

  it('an AI last line without a newline stays AI (same commit) after a person types a line below it, and after the next commit', async function () {
    if (!driver.driverAvailable()) this.skip(); // needs real keys: desktop runs have no browser
    const p = await api();
    const rel = `src/eofBelow${editSource ? 'On' : 'Off'}.ts`;
    // The completion lands on the empty last line: the file then ends without a newline.
    const editor = await acceptOnLine(rel, 'export const first = 1;\n', 1);
    const doc = editor.document;
    assert.equal(doc.getText(), `export const first = 1;\n${suggestion}`);
    await doc.save();
    await p.flush();
    const ai = await commit(rel, 'an answer');
    assert.match(await git(['log', '-1', '--format=%B']), /^AI-Lines: 1\/1$/m);
    await reblame(editor);
    assert.deepEqual(await blameOf(doc, 'blame shows the committed AI line', (ls) => ls.some((l) => l.commit === ai)), [[1, 'ai', ai]]);

    // The person types a line below it: Enter at its end, then the line.
    await placeCursor(editor, new vscode.Position(1, suggestion.length));
    // A suggestion left open would take Enter instead of the line break (seen on loaded runs).
    await driver.press('Escape');
    await driver.press('Enter');
    await waitUntil('the line break arrived', () => doc.lineCount === 3, 10_000);
    await driver.type('export const below = 2;');
    await waitUntil('the line below is typed', () => doc.lineCount === 3 && doc.lineAt(2).text === 'export const below = 2;', 10_000);
    await doc.save();
    await p.flush();
    assert.match(await git(['diff']), /\\ No newline at end of file/);
    assert.deepEqual(await blameOf(doc, 'blame after the line below', (ls) => ls.some((l) => l.line === 1 && l.commit !== null)), [[1, 'ai', ai]]);

    await commit(rel, 'a line below');
    // Nothing AI in that commit: no AI-Lines trailer.
    assert.doesNotMatch(await git(['log', '-1', '--format=%B']), /^(AI-Lines|Assisted-by):/m);
    await reblame(editor);
    assert.deepEqual(await blameOf(doc, 'blame after the next commit', (ls) => ls.some((l) => l.line === 1)), [[1, 'ai', ai]]);
  });

  it('the reverse: deleting the final newline of a committed AI last line keeps it AI', async function () {
    if (!driver.driverAvailable()) this.skip(); // needs real keys: desktop runs have no browser
    const p = await api();
    const rel = `src/eofDelete${editSource ? 'On' : 'Off'}.ts`;
    // The completion lands on an empty line that has a line break: the file ends with one.
    const editor = await acceptOnLine(rel, 'export const first = 1;\n\n', 1);
    const doc = editor.document;
    assert.equal(doc.getText(), `export const first = 1;\n${suggestion}\n`);
    await doc.save();
    await p.flush();
    const ai = await commit(rel, 'an answer with a final newline');
    await reblame(editor);
    assert.deepEqual(await blameOf(doc, 'blame shows the committed AI line', (ls) => ls.some((l) => l.commit === ai)), [[1, 'ai', ai]]);

    // Backspace on the empty last line deletes the final newline.
    await placeCursor(editor, new vscode.Position(2, 0));
    await driver.press('Backspace');
    await waitUntil('the final newline is gone', () => doc.getText() === `export const first = 1;\n${suggestion}`, 10_000);
    await doc.save();
    await p.flush();
    assert.deepEqual(await blameOf(doc, 'blame after deleting the final newline', (ls) => ls.some((l) => l.line === 1 && l.commit !== null)), [[1, 'ai', ai]]);
    await commit(rel, 'no final newline');
    assert.doesNotMatch(await git(['log', '-1', '--format=%B']), /^(AI-Lines|Assisted-by):/m);
    await reblame(editor);
    assert.deepEqual(await blameOf(doc, 'blame after the next commit', (ls) => ls.some((l) => l.line === 1)), [[1, 'ai', ai]]);
  });
});
