/**
 * Unit tests of src/node/uuid.ts: the record ids the git hooks make without loading node:crypto
 * are version 4 UUIDs in crypto.randomUUID's form, and not repeated.
 */
import assert from 'node:assert/strict';
import { randomUuid } from '../../../src/node/uuid';

describe('randomUuid', () => {
  it('gives distinct version 4 UUIDs', () => {
    const ids = Array.from({ length: 1000 }, () => randomUuid());
    for (const id of ids) assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(new Set(ids).size, ids.length);
  });
});
