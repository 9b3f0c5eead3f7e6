/**
 * AI blame in the real editor: after an inline completion accepted with Tab is committed from a
 * terminal (hooks installed), blame mode `file` decorates exactly that line, and the hover names
 * the tool and the commit; a commit made while the file is open and blame is on shows at once.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { acceptInNewFunction, api, git, literalTyping, openFile, registerBlankLineProvider, runCli, waitUntil, workspaceRoot } from './util';

const suggestion = 'return 7;';

describe('AI blame in the editor', function () {
  this.timeout(90_000);
  let provider: vscode.Disposable;
  before(async () => {
    await literalTyping();
    provider = registerBlankLineProvider(suggestion);
  });
  after(async () => {
    provider.dispose();
    await vscode.workspace.getConfiguration('aiProvenance').update('blame.mode', undefined, vscode.ConfigurationTarget.Global);
  });

  it('decorates exactly the committed AI line in file mode, and the hover names tool and commit', async () => {
    const install = await runCli(['install']);
    assert.equal(install.code, 0, install.stderr);
    const p = await api();
    const { editor, line } = await acceptInNewFunction('src/blameDemo.ts', suggestion);
    const doc = editor.document;
    await doc.save();
    await p.flush();
    await git(['add', 'src/blameDemo.ts']);
    await git(['commit', '-q', '-m', 'Add blameDemo']);
    const head = (await git(['rev-parse', 'HEAD'])).trim();
    assert.match(await git(['log', '-1', '--format=%B']), /^Assisted-by: /m);

    await vscode.workspace.getConfiguration('aiProvenance').update('blame.mode', 'file', vscode.ConfigurationTarget.Global);
    await waitUntil('blame shows the committed line', async () => (await p.blameLines(doc.uri)).some((l) => l.commit === head), 10_000);
    const lines = await p.blameLines(doc.uri);
    assert.deepEqual(lines.map((l) => [l.line, l.kind, l.commit]), [[line, 'ai', head]]);
    const tool = lines[0]!.tool;
    assert.ok(tool);

    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(line, 4));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
    assert.ok(text.includes(tool), `hover does not name the tool: ${text}`);
    assert.ok(text.includes(head.slice(0, 12)), `hover does not name the commit: ${text}`);
  });

  it('shows the commit of a line committed while its file is open and blame is on, without an edit', async () => {
    const p = await api();
    const { editor, line } = await acceptInNewFunction('src/blameOpen.ts', suggestion);
    const doc = editor.document;
    await doc.save();
    await p.flush();
    await vscode.workspace.getConfiguration('aiProvenance').update('blame.mode', 'file', vscode.ConfigurationTarget.Global);
    await waitUntil('blame shows the uncommitted AI line', async () => (await p.blameLines(doc.uri)).some((l) => l.line === line && l.kind === 'ai' && l.commit === null), 10_000);

    // Committed from a terminal: the document does not change, HEAD and the notes do.
    await git(['add', 'src/blameOpen.ts']);
    await git(['commit', '-q', '-m', 'Add blameOpen']);
    const head = (await git(['rev-parse', 'HEAD'])).trim();
    await waitUntil('blame shows the new commit', async () => (await p.blameLines(doc.uri)).some((l) => l.commit === head), 10_000);
    assert.deepEqual((await p.blameLines(doc.uri)).map((l) => [l.line, l.kind, l.commit]), [[line, 'ai', head]]);
    await vscode.workspace.getConfiguration('aiProvenance').update('blame.mode', 'off', vscode.ConfigurationTarget.Global);
  });

  it('decorates a 10,000-line file with 500 AI ranges, only where it is visible (benchmark figure)', async () => {
    const p = await api();
    const rel = 'src/big.ts';
    const text = Array.from({ length: 10_000 }, (_, i) => `export const v${i} = ${i};`).join('\n') + '\n';
    fs.writeFileSync(path.join(workspaceRoot(), rel), text);
    const editor = await openFile(rel);
    const doc = editor.document;
    for (let r = 0; r < 500; r++) {
      await vscode.commands.executeCommand('aiProvenance.recordEdit', { uri: doc.uri, range: new vscode.Range(r * 20, 0, r * 20 + 3, 0), tool: `tool-${r % 5}`, model: 'm' });
    }
    await vscode.workspace.getConfiguration('aiProvenance').update('blame.mode', 'file', vscode.ConfigurationTarget.Global);
    await waitUntil('the first render', () => p.blameRender().count > 0, 10_000);
    const samples: number[] = [];
    for (const line of [2500, 5000, 7500, 9900, 100, 4000, 6000, 8000]) {
      const before = p.blameRender().count;
      editor.revealRange(new vscode.Range(line, 0, line, 0), vscode.TextEditorRevealType.AtTop);
      await waitUntil('the blame view rendered', () => p.blameRender().count > before, 5000);
      samples.push(p.blameRender().ms!);
    }
    assert.equal((await p.blameLines(doc.uri)).length, 1500);
    samples.sort((a, b) => a - b);
    const median = samples[Math.floor(samples.length / 2)]!;
    const out = process.env.AIP_BENCH_OUT;
    if (out) {
      const existing = fs.existsSync(out) ? (JSON.parse(fs.readFileSync(out, 'utf8')) as Record<string, unknown>) : {};
      fs.writeFileSync(out, JSON.stringify({ ...existing, blame_render_10k_ms: median, blame_render_lines: doc.lineCount, blame_render_ai_lines: 1500 }));
    }
    await vscode.workspace.getConfiguration('aiProvenance').update('blame.mode', 'off', vscode.ConfigurationTarget.Global);
  });
});
