/**
 * Unit tests of src/cli/gitHooks/prePush.ts: a push that names our notes ref itself is left to
 * git (a second push of the same ref beside it would make one of them fail).
 */
import assert from 'node:assert/strict';
import { pushesNotesRef } from '../../../../src/cli/gitHooks/prePush';

describe('pre-push git hook', () => {
  const sha = 'a'.repeat(40);
  const zero = '0'.repeat(40);
  it('tells a push of our notes ref from a push of branches', () => {
    assert.equal(pushesNotesRef(`refs/heads/main ${sha} refs/heads/main ${zero}\n`), false);
    assert.equal(pushesNotesRef(`refs/heads/main ${sha} refs/heads/main ${zero}\nrefs/notes/ai-provenance ${sha} refs/notes/ai-provenance ${zero}\n`), true);
    assert.equal(pushesNotesRef(''), false);
  });
});
