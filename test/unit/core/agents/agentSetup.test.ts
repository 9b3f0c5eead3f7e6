import * as assert from 'node:assert/strict';
import { addOurHooks, ConfigShapeError, configDiff, detectIndent, isOurCommand, removeOurHooks, shellQuote } from '../../../../src/core/agents/agentSetup';

const cmd = 'git-provenance hook claude-code';

describe('agentSetup', () => {
  it('recognises our command in any launcher, and only ours', () => {
    assert.ok(isOurCommand('claude-code', '"/usr/bin/node" "/opt/x/dist/cli.js" hook claude-code'));
    assert.ok(isOurCommand('claude-code', 'git provenance hook claude-code'));
    assert.ok(!isOurCommand('claude-code', 'git-provenance hook claude-code-x'));
    assert.ok(!isOurCommand('codex', cmd));
    assert.ok(!isOurCommand('claude-code', 'my-hook claude-code'));
  });
  it('adds once, then reports no change; replaces an old command of ours instead of adding a second', () => {
    const first = addOurHooks('claude-code', { hooks: { Stop: [] } }, cmd, 'f');
    assert.ok(first.changed);
    assert.equal(addOurHooks('claude-code', first.config, cmd, 'f').changed, false);
    const moved = addOurHooks('claude-code', first.config, 'node /new/cli.js hook claude-code', 'f');
    assert.ok(moved.changed);
    const pre = (moved.config!.hooks as Record<string, Array<{ hooks: Array<{ command: string }> }>>).PreToolUse!;
    assert.deepEqual(pre.map((g) => g.hooks[0]!.command), ['node /new/cli.js hook claude-code']);
  });
  it('removes exactly our entries from a group it shares with the user', () => {
    const cfg = { hooks: { PostToolUse: [{ matcher: 'Edit', hooks: [{ type: 'command', command: 'fmt' }, { type: 'command', command: cmd }] }] } };
    const r = removeOurHooks('claude-code', cfg, false, 'f');
    assert.deepEqual(r.config, { hooks: { PostToolUse: [{ matcher: 'Edit', hooks: [{ type: 'command', command: 'fmt' }] }] } });
  });
  it('refuses configs whose hooks are not in the agent\'s shape', () => {
    assert.throws(() => addOurHooks('claude-code', { hooks: [] }, cmd, 'f'), ConfigShapeError);
    assert.throws(() => addOurHooks('gemini', { hooks: { AfterTool: {} } }, cmd, 'f'), ConfigShapeError);
    assert.throws(() => addOurHooks('kiro', [], cmd, 'f'), ConfigShapeError);
  });
  it('quotes for the shell, keeps indentation, and diffs for --dry-run', () => {
    assert.equal(shellQuote('/usr/bin/node'), '/usr/bin/node');
    assert.equal(shellQuote('/a b/$x"'), '"/a b/\\$x\\""');
    assert.equal(detectIndent('{\n    "a": 1\n}'), 4);
    assert.equal(detectIndent('{\n\t"a": 1\n}'), '\t');
    assert.match(configDiff('x.json', undefined, '{}\n'), /^\+\{\}$/m);
  });
});
