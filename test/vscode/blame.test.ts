/**
 * AI blame in the real editor: after an inline completion accepted with Tab is committed from a
 * terminal (hooks installed), blame mode `file` decorates exactly that line, and the hover names
 * the tool and the commit.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { acceptInNewFunction, api, git, literalTyping, registerBlankLineProvider, runCli, waitUntil } from './util';

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
});
