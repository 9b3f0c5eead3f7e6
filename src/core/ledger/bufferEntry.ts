/**
 * When the editor may write its entry for a document over the one the ledger holds. The editor
 * writes what its buffer shows, saved or not; another writer (an agent's hook, `record`) writes
 * what it put on disk. Both are one entry per file, so one must wait.
 */
import type { LedgerFile } from './ledger';

/** What the editor knows of a document it is about to write the entry of. */
export interface BufferView {
  /** The editor's writer id (`extension:<uuid>`). */
  readonly writer: string;
  /** Whether the buffer has changes that are not on disk. */
  readonly dirty: boolean;
  /** The content hash of the buffer's text. */
  readonly basis: () => string;
  /** The content hash of the file on disk now; undefined when it cannot be read. */
  readonly diskBasis: () => string | undefined;
}

/**
 * Whether the ledger's entry must be left as it is: the buffer is unsaved, and the entry is
 * another writer's, of the file on disk as it is now, which the buffer does not show. That is
 * an agent that wrote and recorded the file while a person was typing in it. The agent's
 * records cannot be placed on the person's text, so the editor's entry would drop them; yet
 * nobody has chosen between the two texts. File: Revert takes the disk's text and then imports
 * the records (the editor writes its entry again after that); a save takes the person's text,
 * and the editor's entry replaces the agent's. Until then the buffer's own labels wait in memory.
 * Hashes are computed only when the cheaper conditions hold.
 */
export function leavesDiskEntry(current: LedgerFile | undefined, buffer: BufferView): boolean {
  if (!current || !buffer.dirty || current.writer === buffer.writer) return false;
  if (current.basis === buffer.basis()) return false;
  return current.basis === buffer.diskBasis();
}
