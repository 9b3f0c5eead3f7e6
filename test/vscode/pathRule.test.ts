/**
 * One path rule for every way in (#16), here the extension's: documents and the
 * `aiProvenance.recordEdit` API take the same table as `record` and the agent hooks
 * (test/helpers/pathRule.ts). A file of the worktree is recorded under its real path; a
 * symlink out of the worktree or a file in a git dir is tracked in memory only, never written
 * to the ledger.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { pathRuleTable } from '../helpers/pathRule';
import { api, runCli, workspaceRoot } from './util';

interface StatusJson {
  files: Array<{ path: string; ranges: Array<{ startLine: number; endLine: number; tool: string }> }>;
}

describe('one path rule: the extension (the table record and the agent hooks use)', function () {
  this.timeout(60_000);

  it('records files of the worktree under their real path, and nothing a symlink or the git dir leads to', async () => {
    const outside = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'aip-outside-')));
    const dir = 'pathrule';
    try {
      const table = pathRuleTable(workspaceRoot(), dir, outside);
      const p = await api();
      for (const c of table) {
        const uri = vscode.Uri.file(path.join(workspaceRoot(), c.path));
        const doc = await vscode.workspace.openTextDocument(uri);
        await p.ready(doc.uri);
        const n = await vscode.commands.executeCommand<number>('aiProvenance.recordEdit', { uri: doc.uri, range: new vscode.Range(0, 0, 1, 0), tool: `pathrule-${table.indexOf(c)}` });
        assert.ok(n > 0, `${c.name}: the edit is tracked (in memory at least)`);
      }
      await p.flush();
      const res = await runCli(['status', '--json']);
      assert.equal(res.code, 0, res.stderr);
      const ours = (JSON.parse(res.stdout) as StatusJson).files.filter((f) => f.ranges.some((r) => r.tool.startsWith('pathrule-')));
      const expected = [...new Set(table.flatMap((c) => (c.recordedAs ? [c.recordedAs] : [])))].sort();
      assert.deepEqual(ours.map((f) => f.path).sort(), expected, 'only the files of the worktree, under their real paths');
      const tools = ours.flatMap((f) => f.ranges.map((r) => r.tool));
      // (A file open twice, through a symlink and by its real path, shares one entry: only refusals are checked by tool.)
      for (const [i, c] of table.entries()) if (!c.recordedAs) assert.ok(!tools.includes(`pathrule-${i}`), `${c.name}: nothing recorded`);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });
});
