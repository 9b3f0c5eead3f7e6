import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { applyAgentChanges, choosePreText, undoNumberedHunks, undoPatchHunks, undoStringEdits } from '../../../../src/core/agents/agentEdits';
import { lineChanges } from '../../../../src/core/lines/lineDiff';
import type { Origin } from '../../../../src/core/model';
import { parseApplyPatch } from '../../../../src/core/agents/applyPatch';

const hash = (t: string): string => 'sha256:' + createHash('sha256').update(t).digest('hex').slice(0, 32);
const origin = (id: string): Origin => ({ id, kind: 'agent', tool: 'Claude Code', model: 'm', session: 's', time: 0 });

/** The 1-based post lines a change list writes (content, not just breaks). */
function written(pre: string, post: string): number[] {
  return applyAgentChanges(undefined, pre, post, lineChanges(pre, post), origin('o'), hash, 0, 'test').lines.slice();
}

describe('agentEdits', () => {
  describe('lineChanges', () => {
    it('finds a changed line and inserted lines, nothing else', () => {
      assert.deepEqual(written('a\nb\nc\n', 'a\nB\nc\nd\n'), [2, 4]);
    });
    it('a break added to a last line without one does not make that line AI', () => {
      assert.deepEqual(written('a\nb', 'a\nb\nc'), [3]);
    });
    it('slides an inserted block down, as git does: a new function after another starts at its own line', () => {
      const pre = 'f() {\n  x;\n}\n';
      const post = 'f() {\n  x;\n}\n\ng() {\n  y;\n}\n';
      assert.deepEqual(written(pre, post), [5, 6, 7]);
    });
    it('keeps CRLF files exact', () => {
      assert.deepEqual(written('a\r\nb\r\n', 'a\r\nX\r\nb\r\n'), [2]);
    });
    it('a whole rewrite too different to diff counts as replaced, but only the differing middle', () => {
      const pre = 'head\n' + Array.from({ length: 50 }, (_, i) => `old ${i}`).join('\n') + '\ntail\n';
      const post = 'head\n' + Array.from({ length: 50 }, (_, i) => `new ${i}`).join('\n') + '\ntail\n';
      const lines = applyAgentChanges(undefined, pre, post, lineChanges(pre, post, 5), origin('o'), hash, 0, 't').lines;
      assert.equal(lines[0], 2);
      assert.equal(lines.length, 50);
    });
  });

  describe('undoing what a payload describes', () => {
    it('undoes old/new strings when the new text occurs once', () => {
      assert.deepEqual(undoStringEdits('x\nnew\ny\n', [{ oldText: 'old', newText: 'new', replaceAll: false }]), { ok: true, pre: 'x\nold\ny\n' });
    });
    it('refuses to guess when the new text occurs twice, unless the agent named the line', () => {
      const post = 'a = 1;\nb = 2;\na = 1;\n';
      assert.deepEqual(undoStringEdits(post, [{ oldText: 'a = 0;', newText: 'a = 1;', replaceAll: false }]), { ok: false, reason: 'ambiguous' });
      assert.deepEqual(undoStringEdits(post, [{ oldText: 'a = 0;', newText: 'a = 1;', replaceAll: false, line: 3 }]), { ok: true, pre: 'a = 1;\nb = 2;\na = 0;\n' });
    });
    it('undoes a sequence of edits (MultiEdit) from the last to the first', () => {
      const edits = [
        { oldText: 'one', newText: 'ONE', replaceAll: false },
        { oldText: 'ONE two', newText: 'ONE TWO', replaceAll: false },
      ];
      assert.deepEqual(undoStringEdits('ONE TWO three', edits), { ok: true, pre: 'one two three' });
    });
    it('says not-found when the file lacks the new text', () => {
      assert.deepEqual(undoStringEdits('abc', [{ oldText: 'x', newText: 'zzz', replaceAll: false }]), { ok: false, reason: 'not-found' });
    });
    it('undoes numbered hunks only where their new side really is', () => {
      const post = 'a\nB\nC\nd\n';
      const hunks = [{ newStart: 1, oldLines: ['a', 'b', 'd'], newLines: ['a', 'B', 'C', 'd'] }];
      assert.deepEqual(undoNumberedHunks(post, hunks), { ok: true, pre: 'a\nb\nd\n' });
      assert.deepEqual(undoNumberedHunks('a\nX\n', hunks), { ok: false, reason: 'not-found' });
    });
    it('undoes an apply_patch update, seeking each hunk after its @@ context line', () => {
      const patch = '*** Begin Patch\n*** Update File: f.ts\n@@ function b() {\n-  return 1;\n+  return 2;\n }\n*** End Patch\n';
      const op = parseApplyPatch(patch)[0]!;
      assert.equal(op.kind, 'update');
      const post = 'function a() {\n  return 2;\n}\nfunction b() {\n  return 2;\n}\n';
      const r = undoPatchHunks(post, op.kind === 'update' ? op.hunks : []);
      assert.deepEqual(r, { ok: true, pre: 'function a() {\n  return 2;\n}\nfunction b() {\n  return 1;\n}\n' });
    });
  });

  describe('choosePreText', () => {
    it('prefers a snapshot, then the original file, then the payload, and asks for HEAD last', () => {
      assert.deepEqual(choosePreText('n', { original: 'o' }, 's'), { ok: true, pre: 's', source: 'snapshot' });
      assert.deepEqual(choosePreText('n', { original: 'o' }, undefined), { ok: true, pre: 'o', source: 'original' });
      assert.deepEqual(choosePreText('n', { created: true }, undefined), { ok: true, pre: '', source: 'created' });
      assert.deepEqual(choosePreText('n', { wholeFile: true }, undefined), { ok: false, reason: 'no-evidence', needHead: true });
      assert.deepEqual(choosePreText('n', { wholeFile: true }, undefined, null), { ok: true, pre: '', source: 'head' });
      assert.deepEqual(choosePreText('n', {}, undefined), { ok: false, reason: 'no-evidence', needHead: false });
    });
  });

  describe('applyAgentChanges', () => {
    it('moves earlier AI ranges with the text instead of re-finding them', () => {
      const pre = 'ai line one\nhuman\n';
      const first = applyAgentChanges(undefined, '', pre.slice(0, 12), lineChanges('', pre.slice(0, 12)), origin('first'), hash, 0, 't').entry;
      // A person added "human\n"; the entry is re-anchored by hash on the text before the next call.
      const post = 'new top\nai line one\nhuman\n';
      const res = applyAgentChanges(first, pre, post, lineChanges(pre, post), origin('second'), hash, 1, 't');
      assert.deepEqual(res.entry.ranges.map((r) => [r.startLine, r.endLine, r.origin.id]), [[1, 1, 'second'], [2, 2, 'first']]);
      assert.deepEqual(res.lines, [1]);
    });
    it('recording the same call twice (two hook configs) labels the same lines once more, nothing else', () => {
      const pre = 'a\n';
      const post = 'a\nb\n';
      const once = applyAgentChanges(undefined, pre, post, lineChanges(pre, post), origin('x'), hash, 0, 't').entry;
      const twice = applyAgentChanges(once, pre, post, lineChanges(pre, post), origin('y'), hash, 0, 't').entry;
      assert.deepEqual(twice.ranges.map((r) => [r.startLine, r.endLine]), [[2, 2]]);
    });
  });
});
