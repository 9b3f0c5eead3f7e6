/**
 * The editor side of the engine: one tracker per open document, fed by capture, persisted to
 * the worktree's ledger off the keystroke path, and merged with what other writers (the CLI,
 * agent hooks, another window) put in the ledger.
 */
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { AttributionTracker } from '../../core/tracking/attributionTracker';
import type { LedgerFile } from '../../core/ledger/ledger';
import { reanchor, toLedgerFile } from '../../core/ledger/ledger';
import type { LineAttribution } from '../../core/lines/lines';
import { attributeLines } from '../../core/lines/lines';
import type { AttrState, ContentChange, EditCause, Origin, Segment } from '../../core/model';
import { contentHash } from '../../node/hash';
import type { Placement, RepoHandle, RepoResolver } from './repos';

/** Delay between the last edit and the ledger write: persistence stays off the keystroke path. */
const persistDelayMs = 400;
/** Delay that coalesces bursts of ledger file events (rename = several events). */
const ledgerEventDelayMs = 100;

/** What a capture expects the next edit of a document to be (an inline accept in flight). */
export interface Expectation {
  readonly version: number;
  readonly origin: Origin;
  /** The document text before the accept, to attribute only what really changed. */
  readonly before?: string;
}

/** Per-document state. */
export interface DocState {
  readonly uri: vscode.Uri;
  tracker: AttributionTracker;
  placement: Placement | undefined;
  wasDirty: boolean;
  expectation: Expectation | undefined;
  /** Origin ids the ledger held for this file when we last read or wrote it. */
  synced: Set<string>;
  lastSeenUpdated: number | undefined;
  persistTimer: NodeJS.Timeout | undefined;
  ready: Promise<void>;
  /**
   * The text on disk as of the last open, save or reload, while known. VS Code may report a
   * reload from disk as one coarse replacement; diffing against this finds what changed.
   */
  diskText: string | undefined;
  /** The labels the text on disk had (at the last open, save or reload), for File: Revert. */
  diskSegments: Segment[] | undefined;
}

/** Converts an editor change to the core's form (the editor edge of the layer rule). */
export function toCoreChange(c: vscode.TextDocumentContentChangeEvent): ContentChange {
  return {
    rangeOffset: c.rangeOffset,
    rangeLength: c.rangeLength,
    text: c.text,
    range: {
      start: { line: c.range.start.line, character: c.range.start.character },
      end: { line: c.range.end.line, character: c.range.end.character },
    },
  };
}

/** Services the registry needs from the outside. */
export interface RegistryDeps {
  readonly resolver: RepoResolver;
  readonly log: (message: string) => void;
  readonly now: () => number;
  readonly newId: () => string;
  readonly writerId: string;
}

/** All tracked documents. */
export class DocumentRegistry implements vscode.Disposable {
  private readonly docs = new Map<string, DocState>();
  private readonly watchers = new Map<string, { watcher: fs.FSWatcher | undefined; timer: NodeJS.Timeout | undefined }>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  /** Fires (per document) when attribution changed, after the edit was applied. */
  readonly onDidChange = this.changed.event;
  private readonly ledgerChangedEmitter = new vscode.EventEmitter<RepoHandle>();
  /** Fires when a worktree's ledger was written (by us or by another writer). */
  readonly onDidChangeLedger = this.ledgerChangedEmitter.event;

  constructor(private readonly deps: RegistryDeps) {}

  /** Whether a document is one we track (files and untitled buffers, not output panes). */
  static tracks(doc: vscode.TextDocument): boolean {
    return doc.uri.scheme === 'file' || doc.uri.scheme === 'untitled' || doc.uri.scheme === 'vscode-remote';
  }

  /** The state of a document, creating it (and starting its ledger load) when new. */
  open(doc: vscode.TextDocument): DocState | undefined {
    if (!DocumentRegistry.tracks(doc)) return undefined;
    const key = doc.uri.toString();
    const existing = this.docs.get(key);
    if (existing) return existing;
    const st: DocState = {
      uri: doc.uri,
      tracker: new AttributionTracker(doc.getText().length),
      placement: undefined,
      wasDirty: doc.isDirty,
      expectation: undefined,
      synced: new Set(),
      lastSeenUpdated: undefined,
      persistTimer: undefined,
      ready: Promise.resolve(),
      diskText: doc.isDirty ? undefined : doc.getText(),
      diskSegments: doc.isDirty ? undefined : [],
    };
    this.docs.set(key, st);
    st.ready = this.load(doc, st).catch((e: unknown) => this.deps.log(`loading provenance of ${doc.uri.fsPath} failed: ${String(e)}`));
    return st;
  }

  /** The state of an open document, if tracked. */
  get(uri: vscode.Uri): DocState | undefined {
    return this.docs.get(uri.toString());
  }

  /** Applies an edit whose cause capture decided. */
  apply(doc: vscode.TextDocument, changes: readonly ContentChange[], cause: EditCause): void {
    const st = this.get(doc.uri);
    if (!st) return;
    try {
      st.tracker.applyEdit(changes, cause);
    } catch (e) {
      this.deps.log(`attribution of ${doc.uri.toString()} lost sync (${String(e)}); rebuilding from the document`);
    }
    if (st.tracker.docLength !== documentLength(doc)) this.resync(doc, st);
    st.wasDirty = doc.isDirty;
    this.schedulePersist(doc, st);
    this.changed.fire(doc.uri);
  }

  /**
   * The document went back to the text last seen on disk (File: Revert): its labels go back to
   * what they were then, exactly, instead of being guessed from the change.
   */
  revertedToDisk(doc: vscode.TextDocument): void {
    const st = this.get(doc.uri);
    if (!st) return;
    const text = doc.getText();
    const saved = (st.diskSegments ?? []).filter((s) => s.end <= text.length && text.slice(s.start, s.end) === s.text);
    st.tracker = new AttributionTracker(text.length, saved);
    st.wasDirty = false;
    this.schedulePersist(doc, st);
    this.changed.fire(doc.uri);
  }

  /** Labels a range of an open document (manual marks, records from other extensions). */
  mark(doc: vscode.TextDocument, start: number, end: number, origin: Origin | undefined, state: AttrState = 'ai'): void {
    const st = this.open(doc);
    if (!st) throw new Error(`AI Provenance does not track ${doc.uri.scheme} documents`);
    st.tracker.mark(start, end, doc.getText().slice(start, end), origin, state);
    this.schedulePersist(doc, st);
    this.changed.fire(doc.uri);
  }

  /** Removes every segment of one origin (a guess that turned out wrong). */
  clearOrigin(doc: vscode.TextDocument, originId: string): void {
    const st = this.get(doc.uri);
    if (!st) return;
    let touched = false;
    for (const seg of st.tracker.segments()) {
      if (seg.origin.id !== originId) continue;
      st.tracker.mark(seg.start, seg.end, seg.text, undefined);
      touched = true;
    }
    if (touched) {
      this.schedulePersist(doc, st);
      this.changed.fire(doc.uri);
    }
  }

  /** Attributed lines of an open document. */
  lines(doc: vscode.TextDocument): LineAttribution[] {
    const st = this.get(doc.uri);
    if (!st) return [];
    return attributeLines(st.tracker.segments(), (o) => doc.positionAt(o).line, (l) => doc.lineAt(l).text.length);
  }

  /** Segments of an open document. */
  segments(uri: vscode.Uri): Segment[] {
    return this.get(uri)?.tracker.segments() ?? [];
  }

  /** Called on save: the disk now holds what the tracker describes. */
  saved(doc: vscode.TextDocument): void {
    const st = this.get(doc.uri);
    if (!st) return;
    st.wasDirty = false;
    st.diskText = doc.getText();
    st.diskSegments = st.tracker.segments();
    this.schedulePersist(doc, st, 0);
  }

  /** Called on close: write what we know, then forget the document. */
  async closed(doc: vscode.TextDocument): Promise<void> {
    const st = this.get(doc.uri);
    if (!st) return;
    if (st.persistTimer) clearTimeout(st.persistTimer);
    await this.persist(doc, st);
    this.docs.delete(doc.uri.toString());
  }

  /** Writes every pending document now (deactivation, tests, before a commit). */
  async flush(): Promise<void> {
    const work: Array<Promise<void>> = [];
    for (const st of this.docs.values()) {
      await st.ready;
      if (!st.persistTimer) continue;
      clearTimeout(st.persistTimer);
      st.persistTimer = undefined;
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === st.uri.toString());
      if (doc) work.push(this.persist(doc, st));
    }
    await Promise.all(work);
  }

  /** Re-resolves where documents live (after workspace trust is granted) and persists them. */
  async replaceAll(): Promise<void> {
    this.deps.resolver.reset();
    for (const doc of vscode.workspace.textDocuments) {
      const st = this.get(doc.uri);
      if (!st) continue;
      st.placement = await this.deps.resolver.place(doc.uri);
      if (st.placement.kind === 'repo') {
        this.watch(st.placement.repo);
        this.schedulePersist(doc, st, 0);
      }
    }
  }

  dispose(): void {
    for (const w of this.watchers.values()) {
      w.watcher?.close();
      if (w.timer) clearTimeout(w.timer);
    }
    for (const st of this.docs.values()) if (st.persistTimer) clearTimeout(st.persistTimer);
    this.changed.dispose();
    this.ledgerChangedEmitter.dispose();
  }

  // ---- internals -------------------------------------------------------------------------

  private async load(doc: vscode.TextDocument, st: DocState): Promise<void> {
    st.placement = await this.deps.resolver.place(doc.uri);
    if (st.placement.kind !== 'repo') return;
    const { repo, rel } = st.placement;
    this.watch(repo);
    const ledger = await repo.store.read();
    const entry = ledger.files[rel];
    if (entry) this.merge(doc, st, entry);
  }

  /**
   * Folds another writer's entry for this file into the tracker. When the document is clean
   * and the entry describes exactly its text, the entry is the truth. Otherwise only whole
   * records are exchanged: new ones are imported, and records the ledger dropped (committed
   * or cleared) are dropped here too, but only while the buffer matches the disk.
   */
  private merge(doc: vscode.TextDocument, st: DocState, entry: LedgerFile | undefined): void {
    const text = doc.getText();
    const anchored = entry ? reanchor(entry, text, contentHash) : undefined;
    if (anchored && anchored.dropped.length > 0) {
      this.deps.log(`${anchored.dropped.length} recorded AI range(s) of ${doc.uri.fsPath} no longer match the file and were dropped`);
    }
    const theirs = anchored?.segments ?? [];
    const theirOrigins = new Set(entry?.ranges.map((r) => r.origin.id) ?? []);
    const clean = !doc.isDirty && !st.persistTimer;
    if (clean && entry && entry.basis === contentHash(text)) {
      st.tracker = new AttributionTracker(text.length, theirs);
    } else {
      const ours = st.tracker.segments();
      if (clean) {
        for (const seg of ours) {
          if (st.synced.has(seg.origin.id) && !theirOrigins.has(seg.origin.id)) st.tracker.mark(seg.start, seg.end, seg.text, undefined);
        }
      }
      const known = new Set(ours.map((s) => s.origin.id));
      for (const seg of theirs) {
        if (!known.has(seg.origin.id) && !st.synced.has(seg.origin.id)) st.tracker.mark(seg.start, seg.end, seg.text, seg.origin, seg.state);
      }
    }
    // Only records that could be placed on this text count as seen: one written for text the
    // editor has not reloaded yet must still be imported after the reload.
    st.synced = new Set(theirs.map((s) => s.origin.id));
    st.lastSeenUpdated = entry?.updated;
    if (!doc.isDirty && st.diskText === text) st.diskSegments = st.tracker.segments();
    this.changed.fire(doc.uri);
  }

  /**
   * Called after a document reloaded from disk: an agent's hook may already have recorded what
   * it wrote, before the editor saw the new text. Its record replaces the unknown guess.
   */
  async reloadedFromDisk(doc: vscode.TextDocument): Promise<void> {
    const st = this.get(doc.uri);
    if (!st) return;
    await st.ready;
    if (st.placement?.kind !== 'repo') return;
    const ledger = await st.placement.repo.store.read();
    const entry = ledger.files[st.placement.rel];
    if (entry) this.merge(doc, st, entry);
  }

  private resync(doc: vscode.TextDocument, st: DocState): void {
    const text = doc.getText();
    const keep = st.tracker.segments().filter((s) => s.end <= text.length && text.slice(s.start, s.end) === s.text);
    st.tracker = new AttributionTracker(text.length, keep);
  }

  private schedulePersist(doc: vscode.TextDocument, st: DocState, delay = persistDelayMs): void {
    if (st.placement?.kind === 'memory') return;
    if (st.persistTimer) clearTimeout(st.persistTimer);
    st.persistTimer = setTimeout(() => {
      st.persistTimer = undefined;
      void this.persist(doc, st);
    }, delay);
  }

  private async persist(doc: vscode.TextDocument, st: DocState): Promise<void> {
    await st.ready;
    const placement = st.placement;
    if (!placement || placement.kind !== 'repo' || doc.isClosed && !this.docs.has(doc.uri.toString())) return;
    const { repo, rel } = placement;
    try {
      let written: LedgerFile | undefined;
      await repo.store.update((ledger) => {
        const current = ledger.files[rel];
        if (current && current.writer !== this.deps.writerId && current.updated !== st.lastSeenUpdated) this.merge(doc, st, current);
        const entry = toLedgerFile(st.tracker.segments(), doc.getText(), contentHash, this.deps.now(), this.deps.writerId);
        if (!current && entry.ranges.length === 0) return undefined;
        written = entry;
        const files = { ...ledger.files };
        if (entry.ranges.length === 0) delete files[rel];
        else files[rel] = entry;
        return { ...ledger, files };
      });
      if (written) {
        st.synced = new Set(written.ranges.map((r) => r.origin.id));
        st.lastSeenUpdated = written.updated;
      }
    } catch (e) {
      this.deps.log(`writing the ledger for ${rel} failed: ${String(e)}`);
    }
  }

  private watch(repo: RepoHandle): void {
    if (this.watchers.has(repo.store.dir)) return;
    const slot: { watcher: fs.FSWatcher | undefined; timer: NodeJS.Timeout | undefined } = { watcher: undefined, timer: undefined };
    this.watchers.set(repo.store.dir, slot);
    try {
      fs.mkdirSync(repo.store.dir, { recursive: true });
      slot.watcher = fs.watch(repo.store.dir, (_event, name) => {
        if (name && !String(name).startsWith('ledger.json')) return;
        if (slot.timer) clearTimeout(slot.timer);
        slot.timer = setTimeout(() => void this.ledgerChanged(repo), ledgerEventDelayMs);
      });
      slot.watcher.on('error', () => undefined);
    } catch (e) {
      this.deps.log(`cannot watch ${repo.store.dir}: ${String(e)}`);
    }
  }

  private async ledgerChanged(repo: RepoHandle): Promise<void> {
    const ledger = await repo.store.read();
    this.ledgerChangedEmitter.fire(repo);
    for (const st of this.docs.values()) {
      if (st.placement?.kind !== 'repo' || st.placement.repo !== repo) continue;
      const entry = ledger.files[st.placement.rel];
      if (entry && entry.writer === this.deps.writerId && entry.updated === st.lastSeenUpdated) continue;
      if (!entry && st.synced.size === 0) continue;
      if (entry && entry.updated === st.lastSeenUpdated) continue;
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === st.uri.toString());
      if (doc) this.merge(doc, st, entry);
    }
  }
}

/** The document's length without copying its text. */
export function documentLength(doc: vscode.TextDocument): number {
  const last = doc.lineAt(doc.lineCount - 1);
  return doc.offsetAt(last.rangeIncludingLineBreak.end);
}
