/**
 * Unit tests of the pure helpers of the commit hooks: reading a rebase todo line and the
 * post-rewrite input.
 */
import assert from 'node:assert/strict';
import { parseSquashLine } from '../../../src/git/gitState';
import { parseRewrites } from '../../../src/cli/gitHooks/notes';

const a = 'a'.repeat(40);
const b = 'b'.repeat(40);
const c = 'c'.repeat(40);

describe('commit hook helpers', () => {
  it('finds the commit of a squash or fixup todo line', () => {
    assert.equal(parseSquashLine(`squash ${a} add g`), a);
    assert.equal(parseSquashLine(`f ${a}`), a);
    assert.equal(parseSquashLine(`fixup -C ${a} msg`), a);
    assert.equal(parseSquashLine(`pick ${a} msg`), undefined);
  });

  it('groups post-rewrite lines by new commit (a squash maps several onto one)', () => {
    const m = parseRewrites(`${a} ${c}\n${b} ${c}\n\ngarbage line\n${c} ${a} extra\n`);
    assert.deepEqual([...m], [[c, [a, b]], [a, [c]]]);
  });
});
