/**
 * Unit tests of src/core/tracking/diskStates.ts: which text the file held before explains a
 * reloaded text best, and the line changes from it.
 */
import assert from 'node:assert/strict';
import { closestState, diskChanges } from '../../../../src/core/tracking/diskStates';
import { AttributionTracker } from '../../../../src/core/tracking/attributionTracker';
import type { Origin } from '../../../../src/core/model';

const ai: Origin = { id: 'ai', kind: 'inline', tool: 'Claude Code', session: 's', time: 1 };
const unknown: Origin = { id: 'u', kind: 'external', tool: 'file-change', session: 's', time: 2 };

describe('diskStates', () => {
  const head = 'one\ntwo\n';
  const stashed = 'one\ntwo\nmine\nai\n';

  it('a stash pop brings back a text known before: that text explains all of it', () => {
    const states = [{ name: 'head', text: head }, { name: 'stashed', text: stashed }];
    assert.equal(closestState(states, stashed)?.name, 'stashed');
  });

  it('the earlier of equally good states wins (what was on disk just before)', () => {
    const states = [{ name: 'now', text: stashed }, { name: 'older', text: stashed }];
    assert.equal(closestState(states, head)?.name, 'now');
  });

  it('a text partly new is explained best by the state sharing most of its lines', () => {
    const states = [{ name: 'head', text: head }, { name: 'stashed', text: stashed }];
    assert.equal(closestState(states, 'one\ntwo\nmine\nai\nnew\n')?.name, 'stashed');
    assert.equal(closestState([], head), undefined);
  });

  it('applied to the state\'s labels, the changes keep known lines and mark only new ones', () => {
    const t = new AttributionTracker(stashed.length, [{ start: 13, end: 16, text: 'ai\n', origin: ai, state: 'ai' }]);
    const now = 'zero\none\ntwo\nmine\nai\n';
    t.applyEdit(diskChanges(stashed, now), { type: 'ai', origin: unknown });
    assert.deepEqual(
      t.segments().map((s) => [s.text, s.origin.id]),
      [['zero\n', 'u'], ['ai\n', 'ai']],
    );
  });
});
