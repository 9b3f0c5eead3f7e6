/**
 * Commits from the Source Control view: with the hooks installed, a commit made with VS Code's
 * own git extension gets the same trailers as one from a terminal, and the status bar previews
 * them for the staged change before the commit.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { GitApi } from '../../src/vscode/scm/commitPreview';
import { api, git, openFile, runCli, waitUntil } from './util';

interface GitRepo {
  readonly rootUri: vscode.Uri;
  readonly inputBox: { value: string };
  add(paths: string[]): Promise<void>;
}

async function gitRepo(): Promise<GitRepo> {
  const ext = vscode.extensions.getExtension<{ getAPI(v: 1): GitApi }>('vscode.git');
  assert.ok(ext, 'the built-in git extension is missing');
  const gitApi = (ext.isActive ? ext.exports : await ext.activate()).getAPI(1);
  await waitUntil('the git extension sees the workspace repository', () => gitApi.repositories.length > 0, 20_000);
  return gitApi.repositories[0] as unknown as GitRepo;
}

describe('commits from the Source Control view', function () {
  this.timeout(90_000);

  it('get Assisted-by and AI-Lines trailers, previewed in the status bar first', async () => {
    const install = await runCli(['install']);
    assert.equal(install.code, 0, install.stderr);
    const p = await api();
    const editor = await openFile('src/util.ts');
    const doc = editor.document;
    // New lines, then recorded as written by an agent through the extension API.
    const end = doc.lineAt(doc.lineCount - 1).range.end;
    await editor.edit((b) => b.insert(end, 'export function twice(x: number): number {\n  return 2 * x;\n}\n'));
    const first = doc.lineCount - 4;
    await vscode.commands.executeCommand('aiProvenance.recordEdit', {
      uri: doc.uri,
      range: new vscode.Range(first, 0, first + 3, 0),
      tool: 'Claude Code',
      model: 'claude-sonnet-4-5',
    });
    await doc.save();
    await p.flush();

    const repo = await gitRepo();
    await repo.add([doc.uri.fsPath]);
    await waitUntil('the preview shows the staged AI lines', async () => (await p.commitPreviewText())?.includes('AI: 3 of 3 lines · Claude Code') === true, 10_000);

    repo.inputBox.value = 'Add twice()';
    await vscode.commands.executeCommand('git.commit');
    await waitUntil('the commit exists', async () => (await git(['log', '-1', '--format=%s'])).trim() === 'Add twice()', 20_000);
    const trailers = await git(['log', '-1', '--format=%(trailers:only,unfold)']);
    assert.match(trailers, /^Assisted-by: Claude Code:claude-sonnet-4-5$/m);
    assert.match(trailers, /^AI-Lines: 3\/3$/m);
    assert.match(trailers, /^AI-Provenance: [0-9a-f-]{36}$/m);
    assert.equal(trailers.match(/^Assisted-by:/gm)?.length, 1, 'trailers once');
    const note = await git(['notes', '--ref', 'ai-provenance', 'show', 'HEAD']);
    assert.match(note, /"start_line":\s*4/);
  });
});
