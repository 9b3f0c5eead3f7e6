/**
 * What the editor knows about one tracked document: its range engine, where it lives, what
 * capture expects next, the text and labels last seen on disk, and the ledger sync's
 * bookkeeping. Capture, the accept commands and the registry change it only through its
 * methods, so each rule about it is in one place.
 */
import type * as vscode from 'vscode';
import { AttributionTracker } from '../../core/tracking/attributionTracker';
import type { DocumentSnapshot, Expectation } from '../../core/tracking/editCause';
import type { Segment } from '../../core/model';
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

/** Per-document state. */
export class DocState {
  private trackerNow: AttributionTracker;
  private placementNow: Placement | undefined;
  private readyNow: Promise<void> = Promise.resolve();
  private wasDirty: boolean;
  private expectation: Expectation | undefined;
  /**
   * The text on disk as of the last open, save or reload, while known. VS Code may report a
   * reload from disk as one coarse replacement; diffing against this finds what changed.
   */
  private diskText: string | undefined;
  /** The labels the text on disk had (at the last open, save or reload), for File: Revert. */
  private diskSegments: Segment[] | undefined;
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

  /** Settles once the document's ledger entry was loaded (or failed to load). */
  get ready(): Promise<void> {
    return this.readyNow;
  }

  /** Starts tracking the text anew with `segments` (a reload, a revert, a resync). */
  retrack(length: number, segments: readonly Segment[]): void {
    this.trackerNow = new AttributionTracker(length, segments);
  }

  /** Records where the document lives. */
  place(placement: Placement): void {
    this.placementNow = placement;
  }

  /** Records the loading of the document's ledger entry, which {@link ready} waits for. */
  loading(done: Promise<void>): void {
    this.readyNow = done;
  }

  /** What capture's decision needs to know (src/core/tracking/editCause.ts). */
  snapshot(): DocumentSnapshot {
    return { expectation: this.expectation, wasDirty: this.wasDirty, diskText: this.diskText, hasDiskSegments: this.diskSegments !== undefined, trackedLength: this.trackerNow.docLength };
  }

  /** An accept of ours is about to change the document: its next version is that accept. */
  expect(expectation: Expectation): void {
    this.expectation = expectation;
  }

  /** The expectation is spent (its edit came) or stale. */
  clearExpectation(): void {
    this.expectation = undefined;
  }

  /** The accept resolved without changing the document from `version`: expect nothing more. */
  acceptEndedAt(version: number): void {
    if (this.expectation?.version === version) this.expectation = undefined;
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

  /** The labels the text on disk had, still lying on `text` (File: Revert brings them back). */
  diskLabelsOn(text: string): Segment[] {
    return (this.diskSegments ?? []).filter((s) => s.end <= text.length && text.slice(s.start, s.end) === s.text);
  }
}
