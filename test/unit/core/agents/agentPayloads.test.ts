import * as assert from 'node:assert/strict';
import { cleanModel } from '../../../../src/core/agents/payloadFields';
import { parseAgentPayload } from '../../../../src/core/agents/agentPayloads';

describe('parseAgentPayload', () => {
  it('reads a Claude Code PostToolUse Edit with its original file and structured patch', () => {
    const r = parseAgentPayload('claude-code', {
      session_id: 's1', hook_event_name: 'PostToolUse', tool_name: 'Edit', tool_use_id: 'toolu_1', cwd: '/r',
      tool_input: { file_path: '/r/a.ts', old_string: 'a', new_string: 'b', replace_all: false },
      tool_response: { originalFile: 'a\n', structuredPatch: [{ oldStart: 1, oldLines: 1, newStart: 1, newLines: 1, lines: ['-a', '+b'] }] },
    });
    assert.equal(r.type, 'event');
    if (r.type !== 'event') return;
    assert.equal(r.event.phase, 'post');
    assert.equal(r.event.session, 's1');
    assert.deepEqual(r.event.files, [{ path: '/r/a.ts', original: 'a\n', numberedHunks: [{ newStart: 1, oldLines: ['a'], newLines: ['b'] }], edits: [{ oldText: 'a', newText: 'b', replaceAll: false }] }]);
  });
  it('ignores tools that do not edit files and failed calls, quietly', () => {
    assert.equal(parseAgentPayload('claude-code', { tool_name: 'Bash', tool_input: { command: 'ls' } }).type, 'ignore');
    assert.equal(parseAgentPayload('gemini', { hook_event_name: 'AfterTool', tool_name: 'replace', tool_input: { file_path: 'a', old_string: 'x', new_string: 'y' }, tool_response: { error: { message: 'no match' } } }).type, 'ignore');
    assert.equal(parseAgentPayload('copilot', { toolName: 'bash', toolArgs: '{"command":"ls"}' }).type, 'ignore');
    assert.equal(parseAgentPayload('cursor', { hook_event_name: 'beforeReadFile', file_path: 'a' }).type, 'ignore');
  });
  it('reports wrong types, NUL bytes and oversized fields as errors', () => {
    const bad = [
      parseAgentPayload('claude-code', { tool_name: 'Edit', tool_input: { file_path: 5, old_string: 'a', new_string: 'b' } }),
      parseAgentPayload('claude-code', { tool_name: 'Edit', tool_input: { file_path: 'a\u0000b', old_string: 'a', new_string: 'b' } }),
      parseAgentPayload('cursor', { hook_event_name: 'afterFileEdit', file_path: 'a', edits: 'x' }),
      parseAgentPayload('codex', { tool_name: 'apply_patch', tool_input: 7 }),
      parseAgentPayload('kiro', { tool_name: 'fs_write', tool_input: { path: 'x'.repeat(5000) } }),
      parseAgentPayload('gemini', []),
    ];
    for (const r of bad) assert.equal(r.type, 'error', JSON.stringify(r));
  });
  it('reads a VS Code payload that arrives through Claude Code settings as Copilot', () => {
    const r = parseAgentPayload('claude-code', { sessionId: 'v', hookEventName: 'PostToolUse', tool_name: 'replace_string_in_file', tool_input: { filePath: '/r/a', oldString: 'x', newString: 'y' } });
    assert.equal(r.type === 'event' && r.event.agent, 'copilot');
  });
  it('reads Copilot CLI camelCase payloads whose toolArgs is a JSON string', () => {
    const r = parseAgentPayload('copilot', { sessionId: 'c', toolName: 'create', toolArgs: JSON.stringify({ path: 'n.ts', file_text: 'x' }), toolResult: { resultType: 'success' } });
    assert.equal(r.type, 'event');
    if (r.type === 'event') assert.deepEqual(r.event.files, [{ path: 'n.ts', created: true }]);
  });
  it('reads every file of a Codex patch; a Cursor Tab edit is inline with its line', () => {
    const codex = parseAgentPayload('codex', { hook_event_name: 'PreToolUse', tool_name: 'apply_patch', model: 'gpt-5-codex', tool_input: { command: '*** Begin Patch\n*** Add File: a\n+x\n*** Update File: b\n@@\n-1\n+2\n*** End Patch' } });
    assert.ok(codex.type === 'event' && codex.event.phase === 'pre' && codex.event.model === 'gpt-5-codex');
    if (codex.type === 'event') assert.deepEqual(codex.event.files.map((f) => f.path), ['a', 'b']);
    const tab = parseAgentPayload('cursor', { hook_event_name: 'afterTabFileEdit', file_path: 'a', edits: [{ old_string: 'x', new_string: 'y', range: { start_line_number: 4 } }] });
    assert.ok(tab.type === 'event' && tab.event.kind === 'inline');
    if (tab.type === 'event') assert.equal(tab.event.files[0]!.edits![0]!.line, 4);
  });
  it('keeps only printable, short model ids', () => {
    assert.equal(cleanModel('claude-opus-4-5-20251101'), 'claude-opus-4-5-20251101');
    assert.equal(cleanModel('<synthetic>'), undefined);
    assert.equal(cleanModel('gpt\n5'), undefined);
    assert.equal(cleanModel('x'.repeat(200)), undefined);
  });
});
