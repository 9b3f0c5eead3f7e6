/**
 * Unit tests of src/core/ledger/bufferEntry.ts: an unsaved buffer's entry waits while the
 * ledger holds another writer's entry of the file on disk as it is now, and only then.
 */
import assert from 'node:assert/strict';
import type { LedgerFile } from '../../../../src/core/ledger/ledger';
import type { BufferView } from '../../../../src/core/ledger/bufferEntry';
import { leavesDiskEntry } from '../../../../src/core/ledger/bufferEntry';

const editor = 'extension:1';
const agentEntry: LedgerFile = { basis: 'h:agent text', updated: 5, writer: 'cli', ranges: [] };

function buffer(over: Partial<{ writer: string; dirty: boolean; basis: string; disk: string | undefined }> = {}): BufferView {
  const v = { writer: editor, dirty: true, basis: 'h:person text', disk: 'h:agent text' as string | undefined, ...over };
  return { writer: v.writer, dirty: v.dirty, basis: () => v.basis, diskBasis: () => v.disk };
}

describe('bufferEntry', () => {
  const cases: Array<{ name: string; current: LedgerFile | undefined; buffer: BufferView; want: boolean }> = [
    { name: 'an agent wrote and recorded the file while a person typed in it: its entry stays', current: agentEntry, buffer: buffer(), want: true },
    { name: 'the buffer was saved (the person chose their text): the editor writes', current: agentEntry, buffer: buffer({ dirty: false }), want: false },
    { name: 'no entry yet: the editor writes', current: undefined, buffer: buffer(), want: false },
    { name: 'the entry is the editor\'s own: the editor writes', current: { ...agentEntry, writer: editor }, buffer: buffer(), want: false },
    { name: 'the entry describes the buffer (the agent wrote the text the buffer shows): the editor writes', current: agentEntry, buffer: buffer({ basis: 'h:agent text' }), want: false },
    { name: 'the entry is of a text no longer on disk (stale): the editor writes', current: agentEntry, buffer: buffer({ disk: 'h:another text' }), want: false },
    { name: 'the file cannot be read: the editor writes', current: agentEntry, buffer: buffer({ disk: undefined }), want: false },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(leavesDiskEntry(c.current, c.buffer), c.want);
    });
  }

  it('reads the disk only when the cheaper conditions hold', () => {
    let reads = 0;
    const counting = (b: BufferView): BufferView => ({ ...b, diskBasis: () => (reads++, b.diskBasis()) });
    leavesDiskEntry(agentEntry, counting(buffer({ dirty: false })));
    leavesDiskEntry({ ...agentEntry, writer: editor }, counting(buffer()));
    leavesDiskEntry(agentEntry, counting(buffer({ basis: 'h:agent text' })));
    assert.equal(reads, 0);
    leavesDiskEntry(agentEntry, counting(buffer()));
    assert.equal(reads, 1);
  });
});
