/**
 * What the editor knows about one tracked document: its range engine, where it lives, the last
 * change applied (for an accept that reports itself after it), the text and labels last seen
 * on disk, and the ledger sync's bookkeeping. Capture, the accept commands and the registry
 * change it only through its methods, so each rule about it is in one place.
 */
import type * as vscode from 'vscode';
import { AttributionTracker } from '../../core/tracking/attributionTracker';
import type { DocumentSnapshot } from '../../core/tracking/editCause';
import type { ContentChange, Segment } from '../../core/model';
import type { DiskState } from '../../core/tracking/diskStates';
import type { Placement } from './repos';

/** The ledger sync's bookkeeping of a document (src/vscode/documents/ledgerSync.ts). */
export interface SyncState {
  /** Origin ids the ledger held for this file when we last read or wrote it. */
  synced: Set<string>;
  /** The `updated` time of the entry we last read or wrote. */
  lastSeenUpdated: number | undefined;
  /** The pending ledger write, if any. */
  persistTimer: NodeJS.Timeout | undefined;
}

/** The last change event applied to a document, as the accept keybinding needs it. */
export interface LastEdit {
  /** The document's version after the change. */
  readonly version: number;
  /** The changes as applied. */
  readonly changes: readonly ContentChange[];
  /** Whether it was applied as a person's edit (no stronger evidence said otherwise). */
  readonly human: boolean;
  /** The text each change replaced, where it was known (see {@link DocState.lineSeen}). */
  readonly replaced: ReadonlyArray<string | undefined>;
  /**
   * True until the event loop moves on from the task that applied it. The window sends an
   * accept's edit and the keybinding's report in one go, so the report finds its edit still
   * fresh; a report that comes later (a slow start) finds it stale and records nothing rather
   * than call a person's later keystroke AI.
   */
  fresh: boolean;
}

/**
 * How many texts that left the disk a document remembers: enough for a stash and its pop, a
 * checkout and its way back, with room for a few reloads in between; each is one copy of the file.
 */
const earlierDiskStates = 8;

/** Per-document state. */
export class DocState {
  private trackerNow: AttributionTracker;
  private placementNow: Placement | undefined;
  private readyNow: Promise<void> = Promise.resolve();
  private wasDirty: boolean;
  /**
   * The text on disk as of the last open, save or reload, while known. VS Code may report a
   * reload from disk as one coarse replacement; diffing against this finds what changed.
   */
  private diskText: string | undefined;
  /** The labels the text on disk had (at the last open, save or reload), for File: Revert. */
  private diskSegments: Segment[] | undefined;
  /** Texts that left the disk (newest first), with their labels: a stash pop may bring one back. */
  private earlier: DiskState[] = [];
  /** The last change event applied, for an accept that reports itself after its edit. */
  private lastEditNow: LastEdit | undefined;
  /** One line's text at one version: the replaced text of a change within it can be read back. */
  private lineNow: { version: number; line: number; text: string } | undefined;
  /** The ledger sync's bookkeeping. */
  readonly sync: SyncState = { synced: new Set(), lastSeenUpdated: undefined, persistTimer: undefined };

  constructor(
    readonly uri: vscode.Uri,
    text: string,
    isDirty: boolean,
  ) {
    this.trackerNow = new AttributionTracker(text.length);
    this.wasDirty = isDirty;
    this.diskText = isDirty ? undefined : text;
    this.diskSegments = isDirty ? undefined : [];
  }

  /** The range engine of the document. */
  get tracker(): AttributionTracker {
    return this.trackerNow;
  }

  /** Where the document lives (a worktree, or memory only); undefined until resolved. */
  get placement(): Placement | undefined {
    return this.placementNow;
  }

  /**
   * Settles once the document's ledger entry was loaded (or failed to load): at open, and again
   * after each reload from disk. Writes of the entry wait for it.
   */
  get ready(): Promise<void> {
    return this.readyNow;
  }

  /** The last change event applied, while it is the document's latest. */
  get lastEdit(): LastEdit | undefined {
    return this.lastEditNow;
  }

  /**
   * The text of `line` at `version` (the cursor's line, read on every cursor move). A change
   * of the next version inside that line can then say what it replaced without a copy of the
   * document per keystroke.
   */
  lineSeen(version: number, line: number, text: string): void {
    this.lineNow = { version, line, text };
  }

  /** Records a change event just applied to the tracker. */
  applied(version: number, changes: readonly ContentChange[], human: boolean): void {
    const seen = this.lineNow;
    const replaced = changes.map((c) =>
      seen && seen.version === version - 1 && c.range.start.line === seen.line && c.range.end.line === seen.line && c.range.end.character <= seen.text.length
        ? seen.text.slice(c.range.start.character, c.range.end.character)
        : c.rangeLength === 0 ? '' : undefined);
    const edit: LastEdit = { version, changes, human, replaced, fresh: true };
    this.lastEditNow = edit;
    setImmediate(() => {
      edit.fresh = false;
    });
  }

  /** Starts tracking the text anew with `segments` (a reload, a revert, a resync). */
  retrack(length: number, segments: readonly Segment[]): void {
    this.trackerNow = new AttributionTracker(length, segments);
    this.lastEditNow = undefined;
  }

  /** Records where the document lives. */
  place(placement: Placement): void {
    this.placementNow = placement;
  }

  /** Records a load of the document's ledger entry, which {@link ready} waits for. */
  loading(done: Promise<void>): void {
    this.readyNow = done;
  }

  /** What capture's decision needs to know (src/core/tracking/editCause.ts). */
  snapshot(): DocumentSnapshot {
    return { wasDirty: this.wasDirty, diskText: this.diskText, hasDiskSegments: this.diskSegments !== undefined, trackedLength: this.trackerNow.docLength };
  }

  /** The document's dirty flag as of its latest change event. */
  sawDirty(isDirty: boolean): void {
    this.wasDirty = isDirty;
  }

  /** The file on disk now holds `text` (a reload from disk was seen). */
  seenOnDisk(text: string): void {
    this.diskText = text;
  }

  /** The labels the tracker has now are those of the text on disk. */
  rememberDiskLabels(): void {
    this.diskSegments = this.trackerNow.segments();
  }

  /**
   * The labels of the text on disk are `segments`: an entry written for exactly that text (an
   * agent's record that arrived while the document was dirty), which File: Revert must bring back.
   */
  diskLabelsAre(segments: Segment[]): void {
    this.diskSegments = segments;
  }

  /** Saved: the disk holds `text`, labelled as the tracker says. */
  savedAs(text: string): void {
    this.wasDirty = false;
    this.diskText = text;
    this.diskSegments = this.trackerNow.segments();
  }

  /** The text last seen on disk, while known. */
  get textOnDisk(): string | undefined {
    return this.diskText;
  }

  /** The text on disk with the labels it had, while both are known. */
  diskState(): DiskState | undefined {
    if (this.diskText === undefined || this.diskSegments === undefined) return undefined;
    return { text: this.diskText, segments: this.diskLabelsOn(this.diskText) };
  }

  /** Texts that left the disk, newest first, with the labels they had. */
  get earlierOnDisk(): readonly DiskState[] {
    return this.earlier;
  }

  /** `state` left the disk (a checkout, a stash, an agent replaced it): a later reload may bring it back. */
  leftDisk(state: DiskState): void {
    this.earlier = [state, ...this.earlier.filter((s) => s.text !== state.text)].slice(0, earlierDiskStates);
  }

  /** The labels the text on disk had, still lying on `text` (File: Revert brings them back). */
  diskLabelsOn(text: string): Segment[] {
    return (this.diskSegments ?? []).filter((s) => s.end <= text.length && text.slice(s.start, s.end) === s.text);
  }
}
