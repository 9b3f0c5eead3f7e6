import * as assert from 'node:assert/strict';
import { agentToolsInMessage, findAgentTrailers } from '../../../../src/core/commit/agentTrailers';

describe('agentTrailers', () => {
  it('Claude Code: the robot line and the co-author, once each', () => {
    const msg = 'Fix race in ledger lock\n\nRetry with backoff.\n\n🤖 Generated with [Claude Code](https://claude.com/claude-code)\n\nCo-Authored-By: Claude <noreply@anthropic.com>\n';
    assert.deepEqual(findAgentTrailers(msg).map((t) => [t.tool, t.kind, t.line]), [['Claude', 'generated-with', 4], ['Claude', 'co-author', 6]]);
    assert.deepEqual(agentToolsInMessage(msg), ['Claude']);
  });
  it('newer Claude co-authors name the model; Claude-Session counts too', () => {
    const t = findAgentTrailers('x\n\nCo-Authored-By: Claude Opus 4.5 <noreply@anthropic.com>\nClaude-Session: https://claude.ai/code/session_01abc');
    assert.deepEqual(t.map((x) => [x.tool, x.kind, x.model]), [['Claude', 'co-author', 'Claude Opus 4.5'], ['Claude', 'session', undefined]]);
  });
  it('Codex, Cursor, Copilot and Gemini trailers', () => {
    const msg = ['Add parser', '', 'Co-authored-by: Codex <noreply@openai.com>', 'Made-with: Cursor', 'Co-authored-by: Cursor Agent <cursoragent@cursor.com>', 'Co-authored-by: Copilot <copilot@github.com>', 'Co-authored-by: copilot-swe-agent[bot] <198982749+Copilot@users.noreply.github.com>', 'Agent-Logs-Url: https://github.com/o/r/tasks/1', 'Co-authored-by: Gemini <gemini-cli@google.com>'].join('\n');
    assert.deepEqual(agentToolsInMessage(msg), ['Codex', 'Cursor', 'Copilot', 'Gemini']);
  });
  it("aider: the co-author with its model, and '(aider)' in the author name", () => {
    const t = findAgentTrailers('feat: add x\n\nCo-authored-by: aider (openai/gpt-4o) <noreply@aider.chat>');
    assert.deepEqual(t.map((x) => [x.tool, x.model]), [['Aider', 'openai/gpt-4o']]);
    assert.deepEqual(agentToolsInMessage('fix: y', 'Jane Doe (aider) <jane@example.com>'), ['Aider']);
    assert.deepEqual(agentToolsInMessage('Initial plan', 'copilot-swe-agent[bot] <198982749+Copilot@users.noreply.github.com>'), ['Copilot']);
  });
  it('the kernel Assisted-by form, with and without a known model', () => {
    const t = findAgentTrailers('x\n\nAssisted-by: Claude:claude-3-opus coccinelle sparse\nAssisted-by: Copilot:unknown');
    assert.deepEqual(t.map((x) => [x.tool, x.model]), [['Claude', 'claude-3-opus'], ['Copilot', undefined]]);
  });
  it('ignores people, other bots, and mentions in prose', () => {
    const msg = 'Mention Claude and Cursor in prose\n\nCo-authored-by: Claudette Smith <claudette@example.com>\nCo-authored-by: dependabot[bot] <support@github.com>\nSigned-off-by: Ann <ann@example.com>';
    assert.deepEqual(findAgentTrailers(msg), []);
  });
});
