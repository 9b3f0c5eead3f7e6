/**
 * One name per tool: every spelling of a known agent or completion tool maps to one canonical
 * id and display name; unknown names pass through, trimmed.
 */
import assert from 'node:assert/strict';
import { canonicalToolName, knownTool, knownTools, toolId } from '../../../../src/core/agents/toolNames';

describe('toolNames', () => {
  const table: ReadonlyArray<readonly [string, string, string]> = [
    // spelling, canonical id, display name
    ['claude-code', 'claude-code', 'Claude Code'],
    ['Claude Code', 'claude-code', 'Claude Code'],
    ['claude', 'claude-code', 'Claude Code'],
    ['  CLAUDE_CODE ', 'claude-code', 'Claude Code'],
    ['codex', 'codex', 'Codex'],
    ['OpenAI Codex', 'codex', 'Codex'],
    ['gemini', 'gemini-cli', 'Gemini CLI'],
    ['gemini-cli', 'gemini-cli', 'Gemini CLI'],
    ['Gemini CLI', 'gemini-cli', 'Gemini CLI'],
    ['cursor', 'cursor', 'Cursor'],
    ['Cursor', 'cursor', 'Cursor'],
    ['copilot', 'copilot', 'GitHub Copilot'],
    ['Copilot', 'copilot', 'GitHub Copilot'],
    ['github.copilot', 'copilot', 'GitHub Copilot'],
    ['github.copilot-chat', 'copilot', 'GitHub Copilot'],
    ['GitHub Copilot', 'copilot', 'GitHub Copilot'],
    ['kiro', 'kiro', 'Kiro'],
    ['Kiro', 'kiro', 'Kiro'],
    ['aider', 'aider', 'Aider'],
  ];
  for (const [spelling, id, display] of table) {
    it(`${JSON.stringify(spelling)} → ${id} (${display})`, () => {
      assert.equal(toolId(spelling), id);
      assert.equal(canonicalToolName(spelling), display);
    });
  }

  it('passes unknown names through, trimmed, and leaves our internal labels alone', () => {
    assert.equal(canonicalToolName('  zed-ai '), 'zed-ai');
    assert.equal(toolId('T'), 'T');
    for (const internal of ['inline-completion', 'vscode-chat', 'vscode-inline-chat', 'file-change', 'unknown']) assert.equal(canonicalToolName(internal), internal);
    assert.equal(knownTool('claudette'), undefined, 'a prefix is not a match');
  });

  it('is idempotent, and no spelling means two tools', () => {
    for (const t of knownTools) assert.equal(canonicalToolName(t.display), t.display);
    const seen = new Map<string, string>();
    for (const t of knownTools) {
      for (const n of [t.id, t.display, ...t.aliases]) {
        const k = n.toLowerCase().replace(/[\s._-]+/g, '');
        assert.ok(!seen.has(k) || seen.get(k) === t.id, `${n} names ${seen.get(k)} and ${t.id}`);
        seen.set(k, t.id);
      }
    }
  });
});
