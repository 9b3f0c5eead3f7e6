/**
 * Why a document changed: the decision at the heart of capture, as a pure function of a plain
 * snapshot of the change event and of what we know about the document. The editor adapter
 * (src/vscode/capture/changeCapture.ts) takes the snapshot, mints origins and applies the
 * result; everything in between is decided here, so every case is a line of a table test.
 *
 * Evidence, strongest first:
 * 1. VS Code's own undo/redo reason (stable API).
 * 2. The proposed `detailedReason` edit source, when VS Code grants it: names inline accepts,
 *    chat and agent edits.
 * 3. A clean document whose new text is what the file on disk holds was reloaded from disk:
 *    the lines that differ are unknown (external), never human, never silently AI. Agent hook
 *    records arriving through the ledger replace the guess.
 * 4. Typing in the active editor is human, and so is a rename refactor's edit of other files
 *    (every change puts one identifier in place of a name); an edit to a document nobody is
 *    typing in, with no other evidence, is unknown (external).
 * An accept through our keybinding reports itself after its edit was applied as typing, and
 * relabels it (src/vscode/capture/inlineAccept.ts); that is not decided here.
 */
import type { ContentChange, OriginKind } from '../model';
import type { DetailedReason } from './editSource';
import { classifySource } from './editSource';
import { diskChanges } from './diskStates';

/**
 * One change event, as plain data. The document's text and the file on disk are read only by
 * the rules that need them (both cost a copy of the document), so they are functions.
 */
export interface EditEvent {
  /** VS Code's stable reason, when it gave one. */
  readonly reason?: 'undo' | 'redo';
  /** The content changes (at least one). */
  readonly changes: readonly ContentChange[];
  /** The proposed edit source, when granted and read. */
  readonly detailed?: DetailedReason;
  /** Whether the document is dirty after the change. */
  readonly isDirty: boolean;
  /** Whether the document is the active editor's (someone is typing in it). */
  readonly inActiveEditor: boolean;
  /** The document's text after the change. */
  readonly text: () => string;
  /** Whether the file on disk holds exactly the document's text now. */
  readonly showsDiskContent: () => boolean;
}

/** What capture knows about the document before the change. */
export interface DocumentSnapshot {
  /** Whether the document was dirty before this change. */
  readonly wasDirty: boolean;
  /** The text on disk as of the last open, save or reload, while known. */
  readonly diskText: string | undefined;
  /** Whether the labels of the text on disk are known (for File: Revert). */
  readonly hasDiskSegments: boolean;
  /** The length of the text the tracker describes. */
  readonly trackedLength: number;
}

/** The cause decided, before origins are minted (the adapter owns ids and the clock). */
export type DecidedCause =
  | { readonly type: 'undo' }
  | { readonly type: 'redo' }
  | { readonly type: 'human' }
  /** The edit source names an AI tool: a new origin of this kind and tool. */
  | { readonly type: 'newAi'; readonly kind: OriginKind; readonly tool: string; readonly model?: string; readonly session?: string }
  /** No evidence of who: unknown, from a change on disk or another writer's workspace edit. */
  | { readonly type: 'external'; readonly tool: 'file-change' | 'workspace-edit' };

/** What to do with a change. */
export type EditDecision =
  | {
      readonly action: 'apply';
      readonly cause: DecidedCause;
      /** The changes to apply: the event's, or narrowed to what really changed. */
      readonly changes: readonly ContentChange[];
      /** The text on disk from now on, when this change was a reload from disk. */
      readonly diskText?: string;
    }
  /** Back to the text last seen on disk: the labels go back to what they were then. */
  | { readonly action: 'revertToDisk' };

/** One identifier (letters, digits, `_`, `$`; not starting with a digit). */
const identifier = /^[\p{L}_$][\p{L}\p{N}_$]*$/u;

/**
 * Whether an edit has the shape of a rename refactor (F2) and nothing else: every change
 * replaces something within one line by the same identifier. Without the edit source, a
 * rename reaches the files nobody is typing in as a workspace edit with no author; this shape
 * is the person's rename, not new text from an unknown writer (which inserts or replaces
 * lines, not one name everywhere).
 */
export function isRenameShaped(changes: readonly ContentChange[]): boolean {
  const first = changes[0];
  if (!first || !identifier.test(first.text)) return false;
  return changes.every((c) => c.text === first.text && c.rangeLength > 0 && c.range.start.line === c.range.end.line);
}

/** Decides why a document changed. `captureEnabled` false: nothing new is attributed. */
export function decideEditCause(event: EditEvent, doc: DocumentSnapshot, captureEnabled: boolean): EditDecision {
  const changes = event.changes;
  let cause: DecidedCause;
  let narrowed: readonly ContentChange[] = changes;
  let diskText: string | undefined;

  if (event.reason === 'undo') {
    cause = { type: 'undo' };
  } else if (event.reason === 'redo') {
    cause = { type: 'redo' };
  } else {
    const verdict = classifySource(event.detailed);
    if (verdict.type === 'ai') {
      cause = { type: 'newAi', kind: verdict.kind, tool: verdict.tool, ...(verdict.model !== undefined ? { model: verdict.model } : {}), ...(verdict.session !== undefined ? { session: verdict.session } : {}) };
    } else if (verdict.type === 'human') {
      cause = { type: 'human' };
    } else if (verdict.type === 'revert') {
      cause = { type: 'undo' };
    } else if ((verdict.type === 'external' || !event.isDirty) && doc.diskText !== undefined && doc.hasDiskSegments && event.text() === doc.diskText) {
      // Back to the text last seen on disk (File: Revert, or a reload that changed nothing we
      // knew): not new authorship.
      return { action: 'revertToDisk' };
    } else if (verdict.type === 'external' || (!event.isDirty && event.showsDiskContent())) {
      // Clean before and after: a reload of a file changed on disk. Dirty before and clean
      // after, not by undo: File: Revert to a file changed on disk meanwhile (an agent wrote
      // it while a person typed), which is not the person's typing either.
      cause = { type: 'external', tool: 'file-change' };
      // Attribute only the lines that really differ from what was on disk before.
      const now = event.text();
      if (doc.diskText !== undefined && doc.diskText.length === doc.trackedLength) {
        const before = doc.diskText;
        narrowed = diskChanges(before, now);
      }
      diskText = now;
    } else if (event.inActiveEditor || isRenameShaped(changes)) {
      cause = { type: 'human' };
    } else {
      cause = { type: 'external', tool: 'workspace-edit' };
    }
  }
  // With capture off, edits still move what is recorded, but nothing new is attributed.
  if (!captureEnabled && (cause.type === 'newAi' || cause.type === 'external')) cause = { type: 'human' };
  return { action: 'apply', cause, changes: narrowed, ...(diskText !== undefined ? { diskText } : {}) };
}
