/**
 * Unit tests of src/core/report/summary.ts: the counts behind the status bar, `git provenance status`
 * and commit trailers.
 *
 * Covered: `summarize` (counts per kind; tools grouped by tool and model, mixed lines credited
 * to their tool, unknown/external lines never listed as a tool, most lines first with ties by
 * tool name) and `toolLabel` (the `tool:model` trailer form, `unknown` when the model is not
 * known).
 */
import assert from 'node:assert/strict';
import type { LineAttribution } from '../../../../src/core/lines/lines';
import type { Origin } from '../../../../src/core/model';
import { summarize, toolLabel } from '../../../../src/core/report/summary';

const sonnet: Origin = { id: 'a', kind: 'agent', tool: 'claude-code', model: 'claude-sonnet-4-5', session: 's', time: 1 };
const opus: Origin = { id: 'b', kind: 'agent', tool: 'claude-code', model: 'claude-opus-4-1', session: 's', time: 2 };
const copilot: Origin = { id: 'c', kind: 'inline', tool: 'github.copilot', session: 's', time: 3 };
const copilotAgain: Origin = { ...copilot, id: 'c2' };
const disk: Origin = { id: 'd', kind: 'external', tool: 'external', session: 's', time: 4 };

/** One attribution per line, numbered from 0. */
function attributions(...rows: Array<[LineAttribution['kind'], Origin]>): LineAttribution[] {
  return rows.map(([kind, origin], line) => ({ line, kind, origin }));
}

describe('summary', () => {
  describe('summarize', () => {
    it('is all zeros for no lines', () => {
      assert.deepEqual(summarize([]), { ai: 0, mixed: 0, unknown: 0, tools: [] });
    });

    it('counts lines by kind and by tool and model, most lines first', () => {
      const s = summarize(attributions(
        ['ai', copilot],
        ['ai', sonnet],
        ['mixed', sonnet],
        ['ai', copilotAgain],
        ['ai', copilot],
        ['unknown', disk],
        ['ai', opus],
      ));
      assert.equal(s.ai, 5);
      assert.equal(s.mixed, 1);
      assert.equal(s.unknown, 1);
      assert.deepEqual(s.tools, [
        { tool: 'GitHub Copilot', model: undefined, lines: 3 },
        { tool: 'Claude Code', model: 'claude-sonnet-4-5', lines: 2 },
        { tool: 'Claude Code', model: 'claude-opus-4-1', lines: 1 },
      ]);
    });

    it('never lists unknown (external) lines as a tool', () => {
      const s = summarize(attributions(['unknown', disk], ['unknown', disk]));
      assert.deepEqual(s, { ai: 0, mixed: 0, unknown: 2, tools: [] });
    });

    it('orders tools with equal counts by tool name', () => {
      const zed: Origin = { ...copilot, id: 'z', tool: 'zed-ai' };
      const aider: Origin = { ...copilot, id: 'y', tool: 'aider' };
      const s = summarize(attributions(['ai', zed], ['ai', aider], ['mixed', copilot]));
      assert.deepEqual(s.tools.map((t) => t.tool), ['Aider', 'GitHub Copilot', 'zed-ai']);
    });

    it('counts a ledger\'s older spellings of one tool as that tool: one Assisted-by, not two', () => {
      const old: Origin = { ...sonnet, id: 'o', tool: 'claude' };
      const display: Origin = { ...sonnet, id: 'd', tool: 'Claude Code' };
      const s = summarize(attributions(['ai', sonnet], ['ai', old], ['ai', display]));
      assert.deepEqual(s.tools, [{ tool: 'Claude Code', model: 'claude-sonnet-4-5', lines: 3 }]);
    });
  });

  describe('toolLabel', () => {
    it('joins tool and model', () => {
      assert.equal(toolLabel('claude-code', 'claude-sonnet-4-5'), 'claude-code:claude-sonnet-4-5');
    });

    it('says unknown when the model is not known', () => {
      assert.equal(toolLabel('github.copilot', undefined), 'github.copilot:unknown');
    });
  });
});
