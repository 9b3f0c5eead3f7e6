import * as assert from 'node:assert/strict';
import { parseApplyPatch } from '../../../../src/core/agents/applyPatch';

describe('parseApplyPatch', () => {
  it('reads add, update (with move) and delete operations', () => {
    const ops = parseApplyPatch(
      ['*** Begin Patch', '*** Add File: docs/new.md', '+# New', '+', '+text', '*** Update File: src/a.ts', '*** Move to: src/b.ts', '@@ class A {', ' keep', '-old', '+new', '*** End of File', '*** Delete File: gone.txt', '*** End Patch', ''].join('\n'),
    );
    assert.deepEqual(ops, [
      { kind: 'add', path: 'docs/new.md', lines: ['# New', '', 'text'] },
      { kind: 'update', path: 'src/a.ts', moveTo: 'src/b.ts', hunks: [{ header: 'class A {', endOfFile: true, lines: [{ op: ' ', text: 'keep' }, { op: '-', text: 'old' }, { op: '+', text: 'new' }] }] },
      { kind: 'delete', path: 'gone.txt' },
    ]);
  });
  it('is lenient: CRLF, no envelope, a bare empty line as empty context', () => {
    const ops = parseApplyPatch('*** Update File: a\r\n@@\r\n x\r\n\r\n+y\r\n');
    assert.deepEqual(ops, [{ kind: 'update', path: 'a', moveTo: undefined, hunks: [{ header: undefined, endOfFile: false, lines: [{ op: ' ', text: 'x' }, { op: ' ', text: '' }, { op: '+', text: 'y' }] }] }]);
  });
  it('yields nothing for text that is not a patch', () => {
    assert.deepEqual(parseApplyPatch('rm -rf /\n@@\n+x'), []);
  });
});
