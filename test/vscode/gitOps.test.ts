/**
 * Git operations that take a file's text away and bring it back, in the real editor: stash and
 * pop or apply, `git mv`, a rename git finds by similarity, a checkout round trip, and File:
 * Revert after an agent's edit. The text that returns exactly gets its labels back: AI lines are
 * AI again, and a person's line stays the person's (not unknown).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api, git, openFile, runCli, waitUntil, workspaceRoot } from './util';

/** The committed text of every file these tests use: enough lines for git's rename detection. */
const base = ['export const one = 1;', 'export const two = 2;', 'export const three = 3;', 'export const four = 4;', 'export const five = 5;', 'export const six = 6;', ''].join('\n');
const humanLine = 'export const typedByHand = 7;';
const aiLine = 'export const writtenByAi = 8;';
const aiTool = 'gitops-test-tool';

/** [line text, kind, tool] of each attributed line of an open document. */
function labelled(doc: vscode.TextDocument): Array<[string, string, string]> {
  return (vscodeApi?.lines(doc.uri) ?? []).map((l) => [doc.lineAt(l.line).text, l.kind, l.tool]);
}

let vscodeApi: Awaited<ReturnType<typeof api>> | undefined;

/** Waits until the document's attributed lines are `expected`; fails showing what they are. */
async function expectLabels(doc: vscode.TextDocument, expected: Array<[string, string, string]>, what: string): Promise<void> {
  try {
    await waitUntil(what, () => JSON.stringify(labelled(doc)) === JSON.stringify(expected), 10_000);
  } catch {
    assert.deepEqual(labelled(doc), expected, what);
  }
}

/** Waits for the document to reach a state; fails showing where it is. */
async function reaches(doc: vscode.TextDocument, what: string, check: () => boolean): Promise<void> {
  try {
    await waitUntil(what, check, 30_000);
  } catch (e) {
    throw new Error(`${String(e)}; the document is ${doc.isDirty ? 'dirty' : 'clean'} and reads ${JSON.stringify(doc.getText())}; on disk ${JSON.stringify(fs.readFileSync(doc.uri.fsPath, 'utf8'))}`, { cause: e });
  }
}

function abs(rel: string): string {
  return path.join(workspaceRoot(), rel);
}

/** Writes `rel` with the base text and commits it (only that path). */
async function committed(rel: string, text = base): Promise<void> {
  fs.mkdirSync(path.dirname(abs(rel)), { recursive: true });
  fs.writeFileSync(abs(rel), text);
  await git(['add', '--', rel]);
  await git(['commit', '-q', '-m', `add ${rel}`, '--', rel]);
}

/** [line, kind, tool] of each run `git provenance status` shows for `rel` (the ledger over the file on disk). */
async function statusRanges(rel: string): Promise<Array<[number, string, string]>> {
  const res = await runCli(['status', '--json']);
  assert.equal(res.code, 0, res.stderr);
  const file = (JSON.parse(res.stdout) as { files: Array<{ path: string; ranges: Array<{ startLine: number; kind: string; tool: string }> }> }).files.find((f) => f.path === rel);
  return (file?.ranges ?? []).map((r) => [r.startLine, r.kind, r.tool]);
}

/** The agent's version of a file in the File: Revert tests: the base text and one line it wrote. */
const agentText = `${base}${aiLine}\n`;
/** The agent's line in {@link agentText} (1-based). */
const aiLineNo = base.split('\n').length;

/**
 * Runs `body` with auto save off. The browser workbench saves a dirty file a second after the
 * last keystroke (its default; desktop VS Code's is off): a save in flight makes File: Revert
 * keep the buffer, and a save would decide for the person's text, while these tests are about
 * a document left dirty.
 */
async function withAutoSaveOff(body: () => Promise<void>): Promise<void> {
  const files = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('files');
  // The runner's user settings turn it off already; whatever they say is put back afterwards.
  const before = files().inspect<string>('autoSave')?.globalValue;
  await files().update('autoSave', 'off', vscode.ConfigurationTarget.Global);
  try {
    await waitUntil('auto save is off', () => files().get('autoSave') === 'off');
    await body();
  } finally {
    await files().update('autoSave', before, vscode.ConfigurationTarget.Global);
  }
}

/** Runs File: Revert on the dirty `doc` whose file holds {@link agentText}; the agent's line must be the agent's, in the editor and the ledger. */
async function revertToAgent(doc: vscode.TextDocument): Promise<void> {
  await vscode.window.showTextDocument(doc);
  await vscode.commands.executeCommand('workbench.action.files.revert');
  await reaches(doc, 'reverted to the agent\'s text', () => !doc.isDirty && doc.getText() === agentText);
  await expectLabels(doc, [[aiLine, 'ai', 'Claude Code']], 'after File: Revert, the agent\'s line is the agent\'s');
  await (await api()).flush();
  const rel = path.relative(workspaceRoot(), doc.uri.fsPath).split(path.sep).join('/');
  assert.deepEqual(await statusRanges(rel), [[aiLineNo, 'ai', 'Claude Code']], 'after File: Revert, the ledger has the agent\'s line');
}

/**
 * Opens the committed `rel`, types a line as a person would (an edit in the active editor) and
 * adds a line an AI tool reports (`aiProvenance.recordEdit`), saves, and waits until the ledger
 * holds it: a file with uncommitted AI lines and a human line beside them.
 */
async function withUncommittedAiLines(rel: string): Promise<vscode.TextDocument> {
  const p = await api();
  const editor = await openFile(rel);
  const doc = editor.document;
  const end = doc.lineCount - 1;
  await editor.edit((b) => b.insert(new vscode.Position(end, 0), `${humanLine}\n${aiLine}\n`));
  await vscode.commands.executeCommand('aiProvenance.recordEdit', { uri: doc.uri, range: new vscode.Range(end + 1, 0, end + 2, 0), tool: aiTool, model: 'gitops-model' });
  // On a loaded machine the first save of a fresh window can come back unsaved (its save
  // participants time out): save again until the disk holds the text.
  const onDisk = (): boolean => !doc.isDirty && fs.readFileSync(doc.uri.fsPath, 'utf8') === doc.getText();
  for (let attempt = 0; attempt < 5 && !onDisk(); attempt++) await doc.save();
  await reaches(doc, 'the disk holds the saved text', onDisk);
  await p.flush();
  await expectLabels(doc, [[aiLine, 'ai', aiTool]], 'before the git operation, only the AI line is labelled');
  return doc;
}

describe('git operations keep attribution', function () {
  this.timeout(90_000);
  before(async () => {
    vscodeApi = await api();
  });
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('stash and pop of an open file: the AI line comes back AI, the human line stays human', async () => {
    const rel = 'src/gitops/stashPop.ts';
    await committed(rel);
    const doc = await withUncommittedAiLines(rel);
    await git(['stash', 'push', '-q', '--', rel]);
    await reaches(doc, 'the editor reloaded the stashed-away file', () => !doc.getText().includes(aiLine));
    await expectLabels(doc, [], 'after the stash, the committed text has no labels');
    await git(['stash', 'pop', '-q']);
    await reaches(doc, 'the editor reloaded the popped file', () => doc.getText().includes(aiLine));
    await expectLabels(doc, [[aiLine, 'ai', aiTool]], 'after the pop, the AI line is AI and the human line is nobody\'s guess');
  });

  it('stash and apply of an open file: the labels come back exactly', async () => {
    const rel = 'src/gitops/stashApply.ts';
    await committed(rel);
    const doc = await withUncommittedAiLines(rel);
    await git(['stash', 'push', '-q', '--', rel]);
    await reaches(doc, 'the editor reloaded the stashed-away file', () => !doc.getText().includes(aiLine));
    await git(['stash', 'apply', '-q']);
    await git(['stash', 'drop', '-q']);
    await reaches(doc, 'the editor reloaded the applied file', () => doc.getText().includes(aiLine));
    await expectLabels(doc, [[aiLine, 'ai', aiTool]], 'after the apply, the AI line is AI and the human line stays human');
  });

  it('stash with the file closed, pop, then open: the recorded AI line is AI', async () => {
    const rel = 'src/gitops/stashClosed.ts';
    await committed(rel);
    // Written by a CLI agent, never opened in the editor: the ledger alone knows the AI line.
    fs.writeFileSync(abs(rel), `${base}${humanLine}\n${aiLine}\n`);
    const aiLineNo = base.split('\n').length + 1;
    const res = await runCli(['record', '--tool', 'claude-code', '--model', 'claude-sonnet-4-5', `${rel}:${aiLineNo}`]);
    assert.equal(res.code, 0, res.stderr);
    await git(['stash', 'push', '-q', '--', rel]);
    assert.equal(fs.readFileSync(abs(rel), 'utf8'), base);
    await git(['stash', 'pop', '-q']);
    const doc = (await openFile(rel)).document;
    await expectLabels(doc, [[aiLine, 'ai', 'Claude Code']], 'the popped file opens with its AI line');
  });

  it('`git mv` of an open file with uncommitted AI lines: the new path opens with them', async () => {
    const from = 'src/gitops/moveFrom.ts';
    const to = 'src/gitops/moveTo.ts';
    await committed(from);
    await withUncommittedAiLines(from);
    await git(['mv', from, to]);
    try {
      const doc = (await openFile(to)).document;
      await expectLabels(doc, [[aiLine, 'ai', aiTool]], 'the moved file keeps its AI line');
      await (await api()).flush();
      const status = await runCli(['status', '--json']);
      assert.equal(status.code, 0, status.stderr);
      const paths = (JSON.parse(status.stdout) as { files: Array<{ path: string }> }).files.map((f) => f.path);
      assert.ok(paths.includes(to) && !paths.includes(from), `the ledger follows the move: ${paths.join(', ')}`);
    } finally {
      // Nothing staged is left for the tests after (a checkout -m refuses staged changes).
      await git(['commit', '-q', '-m', 'move', '--', from, to]);
    }
  });

  it('a rename in the editor (Explorer, WorkspaceEdit.renameFile) of a file with uncommitted AI lines: the AI line follows it', async () => {
    const from = 'src/gitops/explorerFrom.ts';
    const to = 'src/gitops/explorerTo.ts';
    await committed(from);
    await withUncommittedAiLines(from);
    const edit = new vscode.WorkspaceEdit();
    edit.renameFile(vscode.Uri.file(abs(from)), vscode.Uri.file(abs(to)));
    assert.ok(await vscode.workspace.applyEdit(edit), 'renamed');
    try {
      const doc = (await openFile(to)).document;
      await expectLabels(doc, [[aiLine, 'ai', aiTool]], 'the renamed file keeps its AI line');
      await (await api()).flush();
      const status = await runCli(['status', '--json']);
      const paths = (JSON.parse(status.stdout) as { files: Array<{ path: string }> }).files.map((f) => f.path);
      assert.ok(paths.includes(to) && !paths.includes(from), `the ledger follows the rename: ${paths.join(', ')}`);
    } finally {
      await git(['add', '-A', '--', from, to]);
      await git(['commit', '-q', '-m', 'rename in the editor', '--', from, to]);
    }
  });

  it('a rename git finds by similarity (moved and edited): the new path opens with the AI line', async () => {
    const from = 'src/gitops/similarFrom.ts';
    const to = 'src/gitops/similarTo.ts';
    await committed(from);
    const old = await withUncommittedAiLines(from);
    const text = old.getText();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.renameSync(abs(from), abs(to));
    fs.writeFileSync(abs(to), text.replace('export const two = 2;', 'export const two = 22;'));
    await git(['add', '-A', '--', from, to]);
    try {
      const seen = await git(['status', '--porcelain', '--', from, to]);
      assert.match(seen, /^R/m, `git sees a rename: ${seen}`);
      const doc = (await openFile(to)).document;
      await expectLabels(doc, [[aiLine, 'ai', aiTool]], 'the renamed and edited file keeps its AI line');
    } finally {
      await git(['commit', '-q', '-m', 'rename', '--', from, to]);
    }
  });

  it('checkout of another branch and back: the AI line is AI, the human line the branch changed stays human', async () => {
    const rel = 'src/gitops/checkout.ts';
    await committed(rel);
    // Another branch whose version changes the first line (a person's committed line).
    await git(['checkout', '-q', '-b', 'gitops-other']);
    fs.writeFileSync(abs(rel), base.replace('export const one = 1;', 'export const one = 100;'));
    await git(['commit', '-q', '-m', 'change one', '--', rel]);
    await git(['checkout', '-q', 'main']);
    const doc = await withUncommittedAiLines(rel);
    const before = doc.getText();
    await git(['checkout', '-q', '-m', 'gitops-other']);
    await reaches(doc, 'the editor reloaded the other branch\'s version', () => doc.getText().includes('one = 100'));
    await git(['checkout', '-q', '-m', 'main']);
    await reaches(doc, 'the editor reloaded the first version', () => doc.getText() === before);
    await expectLabels(doc, [[aiLine, 'ai', aiTool]], 'after the round trip, only the AI line is labelled');
  });

  it('File: Revert after an agent wrote the file while a person was typing in it: the agent\'s line is the agent\'s', async () => {
    await withAutoSaveOff(async () => {
      const rel = 'src/gitops/revertAgent.ts';
      await committed(rel);
      const editor = await openFile(rel);
      const doc = editor.document;
      await editor.edit((b) => b.insert(new vscode.Position(0, 0), '// typed\n'));
      await waitUntil('the document is dirty', () => doc.isDirty);
      // A CLI agent writes the file on disk and records what it wrote; the dirty editor keeps
      // the person's text, who types on, until File: Revert.
      fs.writeFileSync(abs(rel), agentText);
      const res = await runCli(['record', '--tool', 'claude-code', '--model', 'claude-sonnet-4-5', `${rel}:${aiLineNo}`]);
      assert.equal(res.code, 0, res.stderr);
      await editor.edit((b) => b.insert(new vscode.Position(1, 0), '// and more\n'));
      // The editor writes its entry after each edit: it must not drop the agent's record,
      // which describes the file on disk (what a commit from the terminal would take).
      await (await api()).flush();
      assert.deepEqual(await statusRanges(rel), [[aiLineNo, 'ai', 'Claude Code']], 'while the person types, the ledger keeps the agent\'s line');
      await revertToAgent(doc);
    });
  });

  it('File: Revert after an agent rewrote the open file and the person typed before its record arrived: the agent\'s line is the agent\'s', async () => {
    await withAutoSaveOff(async () => {
      const rel = 'src/gitops/revertAgentLate.ts';
      await committed(rel);
      const editor = await openFile(rel);
      const doc = editor.document;
      // The agent writes the file; the clean editor reloads it (the line is unknown until the
      // record comes), and the person starts typing before the agent's hook records it.
      fs.writeFileSync(abs(rel), agentText);
      await reaches(doc, 'the editor reloaded the agent\'s text', () => doc.getText() === agentText);
      await editor.edit((b) => b.insert(new vscode.Position(0, 0), '// typed\n'));
      await waitUntil('the document is dirty', () => doc.isDirty);
      const res = await runCli(['record', '--tool', 'claude-code', '--model', 'claude-sonnet-4-5', `${rel}:${aiLineNo}`]);
      assert.equal(res.code, 0, res.stderr);
      await expectLabels(doc, [[aiLine, 'ai', 'Claude Code']], 'the record reaches the dirty document');
      await revertToAgent(doc);
    });
  });

});
