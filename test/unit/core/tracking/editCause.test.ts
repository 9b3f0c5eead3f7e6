/**
 * Unit tests of src/core/tracking/editCause.ts: why a document changed, as a table. Each row is
 * a change event and a document state, and the decision capture must take.
 *
 * Rows that the extension-host tests (test/vscode) also reach: typing in the active editor,
 * undo and redo, the editor's own accept through the edit-source API (and without it, where
 * our keybinding relabels the edit afterwards: src/vscode/capture/inlineAccept.ts), a change on
 * disk behind a clean editor, the first character typed into a clean saved file, File: Revert
 * back to the disk text, File: Revert of a dirty document to a file an agent changed meanwhile.
 * Rows they cannot reach: chat and agent edits with a model, chat undo, an edit to a document
 * nobody is typing in, a reload whose disk text is unknown or no longer matches the tracker,
 * and capture switched off.
 */
import assert from 'node:assert/strict';
import type { DecidedCause, DocumentSnapshot, EditDecision, EditEvent } from '../../../../src/core/tracking/editCause';
import { decideEditCause } from '../../../../src/core/tracking/editCause';
import type { ContentChange } from '../../../../src/core/model';

const zero = { line: 0, character: 0 };

function change(rangeOffset: number, rangeLength: number, text: string): ContentChange {
  return { rangeOffset, rangeLength, text, range: { start: zero, end: zero } };
}

/** A change event: typing "x" at offset 0 of a dirty document in the active editor, unless told otherwise. */
function event(over: Partial<EditEvent> & { textNow?: string; onDisk?: boolean } = {}): EditEvent {
  const { textNow = 'x', onDisk = false, ...rest } = over;
  return { changes: [change(0, 0, 'x')], isDirty: true, inActiveEditor: true, text: () => textNow, showsDiskContent: () => onDisk, ...rest };
}

function doc(over: Partial<DocumentSnapshot> = {}): DocumentSnapshot {
  return { wasDirty: true, diskText: undefined, hasDiskSegments: false, trackedLength: 0, ...over };
}

const applied = (cause: DecidedCause, changes: readonly ContentChange[], diskText?: string): EditDecision => ({
  action: 'apply',
  cause,
  changes,
  ...(diskText !== undefined ? { diskText } : {}),
});

interface Row {
  readonly name: string;
  readonly event: EditEvent;
  readonly doc: DocumentSnapshot;
  readonly enabled?: boolean;
  readonly want: EditDecision;
}

const typed = [change(0, 0, 'x')];

const rows: Row[] = [
  // ---- reached by the extension-host tests ----
  { name: 'typing in the active editor is human', event: event(), doc: doc(), want: applied({ type: 'human' }, typed) },
  { name: 'undo (stable reason)', event: event({ reason: 'undo' }), doc: doc(), want: applied({ type: 'undo' }, typed) },
  { name: 'redo (stable reason)', event: event({ reason: 'redo' }), doc: doc(), want: applied({ type: 'redo' }, typed) },
  {
    name: 'the editor\'s own accept (no keybinding of ours) through the edit-source API is new inline AI',
    event: event({ detailed: { source: 'inlineCompletionAccept', metadata: { $$requestUuid: 'req-1' } } }),
    doc: doc(),
    want: applied({ type: 'newAi', kind: 'inline', tool: 'inline-completion', session: 'req-1' }, typed),
  },
  { name: 'without the edit-source API that accept is typing in the active editor', event: event(), doc: doc(), want: applied({ type: 'human' }, typed) },
  {
    name: 'a clean document that was clean and now shows the file on disk was reloaded: unknown, narrowed to the lines that differ',
    event: event({ changes: [change(0, 8, 'one\nTWO\n')], isDirty: false, textNow: 'one\nTWO\n', onDisk: true }),
    doc: doc({ wasDirty: false, diskText: 'one\ntwo\n', hasDiskSegments: true, trackedLength: 8 }),
    want: applied({ type: 'external', tool: 'file-change' }, [change(4, 4, 'TWO\n')], 'one\nTWO\n'),
  },
  {
    name: 'the first character typed into a clean saved file is the person\'s (the disk does not hold it)',
    event: event({ isDirty: false, textNow: 'xone\n', onDisk: false }),
    doc: doc({ wasDirty: false, diskText: 'one\n', hasDiskSegments: true, trackedLength: 4 }),
    want: applied({ type: 'human' }, typed),
  },
  {
    name: 'back to the text last seen on disk (File: Revert) restores the disk labels',
    event: event({ isDirty: false, textNow: 'one\n' }),
    doc: doc({ diskText: 'one\n', hasDiskSegments: true, trackedLength: 5 }),
    want: { action: 'revertToDisk' },
  },
  {
    name: 'File: Revert of a dirty document to a file an agent changed meanwhile (no edit source): unknown, not the person\'s',
    event: event({ changes: [change(0, 9, 'one\nagent\n')], isDirty: false, textNow: 'one\nagent\n', onDisk: true }),
    doc: doc({ wasDirty: true, diskText: 'one\n', hasDiskSegments: true, trackedLength: 9 }),
    want: applied({ type: 'external', tool: 'file-change' }, [change(0, 9, 'one\nagent\n')], 'one\nagent\n'),
  },
  {
    name: 'a dirty document turning clean without showing the disk (no undo) is judged as typing',
    event: event({ isDirty: false, textNow: 'xone\n', onDisk: false }),
    doc: doc({ wasDirty: true, diskText: 'one\n', hasDiskSegments: true, trackedLength: 4 }),
    want: applied({ type: 'human' }, typed),
  },
  // ---- not reachable from the extension-host tests ----
  {
    name: 'a chat edit names its model (VS Code writes / as |)',
    event: event({ detailed: { source: 'Chat.applyEdits', metadata: { $extensionId: 'github.copilot-chat', $modelId: 'copilot|gpt-4o', $$sessionId: 'chat-1' } } }),
    doc: doc(),
    want: applied({ type: 'newAi', kind: 'chat', tool: 'github.copilot-chat', model: 'copilot/gpt-4o', session: 'chat-1' }, typed),
  },
  {
    name: 'an agent-mode chat edit is an agent edit',
    event: event({ detailed: { source: 'Chat.applyEdits', metadata: { $$mode: 'agent' } }, inActiveEditor: false }),
    doc: doc(),
    want: applied({ type: 'newAi', kind: 'agent', tool: 'vscode-chat' }, typed),
  },
  {
    name: 'an inline chat edit',
    event: event({ detailed: { source: 'inlineChat.applyEdits' } }),
    doc: doc(),
    want: applied({ type: 'newAi', kind: 'chat', tool: 'vscode-inline-chat' }, typed),
  },
  { name: 'chat undoing its edits is an undo', event: event({ detailed: { source: 'Chat.undoEdits' } }), doc: doc(), want: applied({ type: 'undo' }, typed) },
  { name: 'a human edit source in a document nobody is typing in is still human', event: event({ detailed: { source: 'rename' }, inActiveEditor: false }), doc: doc(), want: applied({ type: 'human' }, typed) },
  {
    name: 'a rename refactor\'s edit of a file nobody is typing in (one identifier for a name, everywhere) is human',
    event: event({ inActiveEditor: false, changes: [change(20, 3, 'total'), change(4, 3, 'total')] }),
    doc: doc(),
    want: applied({ type: 'human' }, [change(20, 3, 'total'), change(4, 3, 'total')]),
  },
  {
    name: 'an edit nobody is typing in that inserts lines is not rename-shaped: unknown',
    event: event({ inActiveEditor: false, changes: [change(4, 3, 'total\nx')] }),
    doc: doc(),
    want: applied({ type: 'external', tool: 'workspace-edit' }, [change(4, 3, 'total\nx')]),
  },
  {
    name: 'an edit to a document nobody is typing in, with no other evidence, is unknown',
    event: event({ inActiveEditor: false }),
    doc: doc(),
    want: applied({ type: 'external', tool: 'workspace-edit' }, typed),
  },
  {
    name: 'reloadFromDisk with an unknown disk text: unknown, as the editor reported it',
    event: event({ detailed: { source: 'reloadFromDisk' }, isDirty: false, textNow: 'new\n' }),
    doc: doc({ wasDirty: false }),
    want: applied({ type: 'external', tool: 'file-change' }, typed, 'new\n'),
  },
  {
    name: 'a reload whose old disk text no longer matches the tracker is not narrowed',
    event: event({ changes: [change(0, 8, 'one\nTWO\n')], detailed: { source: 'reloadFromDisk' }, isDirty: false, textNow: 'one\nTWO\n' }),
    doc: doc({ diskText: 'one\ntwo\n', hasDiskSegments: true, trackedLength: 9 }),
    want: applied({ type: 'external', tool: 'file-change' }, [change(0, 8, 'one\nTWO\n')], 'one\nTWO\n'),
  },
  {
    name: 'a reload back to the disk text without known disk labels is a change on disk, not a revert',
    event: event({ detailed: { source: 'reloadFromDisk' }, isDirty: false, textNow: 'one\n' }),
    doc: doc({ diskText: 'one\n', hasDiskSegments: false, trackedLength: 4 }),
    want: applied({ type: 'external', tool: 'file-change' }, [], 'one\n'),
  },
  {
    name: 'capture off: a chat edit is not attributed',
    event: event({ detailed: { source: 'Chat.applyEdits' } }),
    doc: doc(),
    enabled: false,
    want: applied({ type: 'human' }, typed),
  },
  {
    name: 'capture off: a change on disk is not guessed unknown, but the disk text is still followed',
    event: event({ detailed: { source: 'reloadFromDisk' }, isDirty: false, textNow: 'new\n' }),
    doc: doc(),
    enabled: false,
    want: applied({ type: 'human' }, typed, 'new\n'),
  },
  { name: 'capture off: undo still moves what is recorded', event: event({ reason: 'undo' }), doc: doc(), enabled: false, want: applied({ type: 'undo' }, typed) },
];

describe('editCause', () => {
  describe('decideEditCause', () => {
    for (const row of rows) {
      it(row.name, () => {
        assert.deepEqual(decideEditCause(row.event, row.doc, row.enabled ?? true), row.want);
      });
    }

    it('reads neither the document text nor the disk for plain typing (they copy the whole document)', () => {
      const fail = (): never => assert.fail('read');
      decideEditCause(event({ text: fail, showsDiskContent: fail }), doc(), true);
    });
  });
});
