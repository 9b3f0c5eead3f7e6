/**
 * Unit tests of src/core/tracking/editSource.ts: how VS Code's `detailedReason` of a document change
 * maps to a capture verdict.
 *
 * Covered: every source name the module maps (inline completion accepts, chat and inline-chat
 * edits with model ids and agent mode, chat undo/reset, reload from disk, the human sources),
 * unknown names, a missing reason, and hostile or malformed metadata. The reason comes from
 * outside our code, so non-string metadata must be ignored rather than recorded as a tool or
 * model, and exact result shapes are asserted (no `undefined`-valued keys leak into origins).
 */
import assert from 'node:assert/strict';
import type { DetailedReason } from '../../../../src/core/tracking/editSource';
import { classifySource } from '../../../../src/core/tracking/editSource';

describe('editSource', () => {
  describe('classifySource', () => {
    it('reads an inline completion accept with its extension and request', () => {
      assert.deepEqual(
        classifySource({ source: 'inlineCompletionAccept', metadata: { $extensionId: 'github.copilot', $$requestUuid: 'req-1' } }),
        { type: 'ai', kind: 'inline', tool: 'github.copilot', session: 'req-1' },
      );
    });

    it('falls back to a generic tool when the completion names no extension', () => {
      assert.deepEqual(classifySource({ source: 'inlineCompletionAccept' }), { type: 'ai', kind: 'inline', tool: 'inline-completion' });
      assert.deepEqual(classifySource({ source: 'inlineCompletionAccept', metadata: {} }), { type: 'ai', kind: 'inline', tool: 'inline-completion' });
    });

    it('reads a partial accept (next word, next line) as inline', () => {
      assert.deepEqual(
        classifySource({ source: 'inlineCompletionPartialAccept', metadata: { $extensionId: 'github.copilot' } }),
        { type: 'ai', kind: 'inline', tool: 'github.copilot' },
      );
    });

    it('reads chat edits in agent mode, restoring "/" in the model id', () => {
      assert.deepEqual(
        classifySource({ source: 'Chat.applyEdits', metadata: { $modelId: 'anthropic|claude-sonnet-4-5', $$mode: 'agent', $$sessionId: 'chat-1' } }),
        { type: 'ai', kind: 'agent', tool: 'vscode-chat', model: 'anthropic/claude-sonnet-4-5', session: 'chat-1' },
      );
    });

    it('replaces every "|" in a model id', () => {
      const v = classifySource({ source: 'Chat.applyEdits', metadata: { $modelId: 'a|b|c' } });
      assert.deepEqual(v, { type: 'ai', kind: 'chat', tool: 'vscode-chat', model: 'a/b/c' });
    });

    it('reads chat edits outside agent mode as chat, preferring the extension id as tool', () => {
      assert.deepEqual(
        classifySource({ source: 'Chat.applyEdits', metadata: { $extensionId: 'github.copilot-chat', $$mode: 'edit' } }),
        { type: 'ai', kind: 'chat', tool: 'github.copilot-chat' },
      );
      assert.deepEqual(classifySource({ source: 'Chat.applyEdits' }), { type: 'ai', kind: 'chat', tool: 'vscode-chat' });
    });

    it('reads inline chat edits', () => {
      assert.deepEqual(
        classifySource({ source: 'inlineChat.applyEdits', metadata: { $modelId: 'openai|gpt-5' } }),
        { type: 'ai', kind: 'chat', tool: 'vscode-inline-chat', model: 'openai/gpt-5' },
      );
      assert.deepEqual(
        classifySource({ source: 'inlineChat.applyEdits', metadata: { $$mode: 'agent' } }),
        { type: 'ai', kind: 'agent', tool: 'vscode-inline-chat' },
      );
    });

    it('reads chat undo and reset as reverts', () => {
      assert.deepEqual(classifySource({ source: 'Chat.undoEdits' }), { type: 'revert' });
      assert.deepEqual(classifySource({ source: 'Chat.reset' }), { type: 'revert' });
    });

    it('reads a reload from disk as external', () => {
      assert.deepEqual(classifySource({ source: 'reloadFromDisk' }), { type: 'external' });
    });

    it('reads typing, suggestions, snippets, code actions and renames as human', () => {
      for (const source of ['cursor', 'suggest', 'snippet', 'codeAction', 'rename']) {
        assert.deepEqual(classifySource({ source }), { type: 'human' }, source);
      }
    });

    it('leaves unknown sources, and names that differ only in case, to other evidence', () => {
      for (const source of ['formatEditsCommand', 'unknown', '', 'Cursor', 'chat.applyEdits', 'toString', '__proto__']) {
        assert.deepEqual(classifySource({ source }), { type: 'unknown' }, source);
      }
    });

    it('returns unknown without a reason', () => {
      assert.deepEqual(classifySource(undefined), { type: 'unknown' });
    });

    it('returns unknown for a reason whose source is not a string', () => {
      for (const bad of [{ source: 42 }, { source: null }, {}, { source: ['cursor'] }]) {
        assert.deepEqual(classifySource(bad as unknown as DetailedReason), { type: 'unknown' });
      }
    });

    it('ignores metadata values that are not non-empty strings', () => {
      const hostile = { $extensionId: 42, $modelId: { toString: () => 'evil' }, $$mode: ['agent'], $$sessionId: null, $$requestUuid: '' };
      assert.deepEqual(classifySource({ source: 'Chat.applyEdits', metadata: hostile }), { type: 'ai', kind: 'chat', tool: 'vscode-chat' });
      assert.deepEqual(classifySource({ source: 'inlineCompletionAccept', metadata: hostile }), { type: 'ai', kind: 'inline', tool: 'inline-completion' });
      assert.deepEqual(classifySource({ source: 'Chat.applyEdits', metadata: { $extensionId: '', $modelId: '' } }), { type: 'ai', kind: 'chat', tool: 'vscode-chat' });
    });

    it('ignores metadata that is not an object', () => {
      for (const metadata of [null, 'agent', 7]) {
        const reason = { source: 'Chat.applyEdits', metadata } as unknown as DetailedReason;
        assert.deepEqual(classifySource(reason), { type: 'ai', kind: 'chat', tool: 'vscode-chat' });
      }
    });
  });
});
