/**
 * The ledger sync of open documents: each document's entry is loaded when it opens, written
 * off the keystroke path after edits, and merged with what other writers (the CLI, agent
 * hooks, another window) put in the ledger, which is watched for that.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LedgerData, LedgerFile } from '../../core/ledger/ledger';
import { reanchor, toLedgerFile } from '../../core/ledger/ledger';
import type { MoveWorld } from '../../core/ledger/ledgerRename';
import { findMoves, renameLedgerPaths } from '../../core/ledger/ledgerRename';
import { leavesDiskEntry } from '../../core/ledger/bufferEntry';
import { objectExists } from '../../git/commands';
import { runGit } from '../../git/runner';
import { contentHash } from '../../node/hash';
import type { DocState } from './docState';
import type { RepoHandle, RepoResolver } from './repos';

/** Delay between the last edit and the ledger write: persistence stays off the keystroke path. */
const persistDelayMs = 400;
/** Delay that coalesces bursts of ledger file events (rename = several events). */
const ledgerEventDelayMs = 100;

/** What the ledger sync needs from the registry and the outside. */
export interface LedgerSyncDeps {
  readonly resolver: RepoResolver;
  readonly log: (message: string) => void;
  readonly now: () => number;
  readonly writerId: string;
  /** The tracked documents' states. */
  readonly states: () => Iterable<DocState>;
  /** Whether a document is still tracked (not closed). */
  readonly isOpen: (uri: vscode.Uri) => boolean;
  /** Tells the registry a document's attribution changed. */
  readonly changed: (uri: vscode.Uri) => void;
}

/** The content hash of the document's file on disk, or undefined when it cannot be read. */
function diskBasisOf(doc: vscode.TextDocument): string | undefined {
  if (doc.uri.scheme !== 'file') return undefined;
  try {
    return contentHash(fs.readFileSync(doc.uri.fsPath, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Loads, writes, watches and merges the ledger entries of open documents. */
export class LedgerSync implements vscode.Disposable {
  private readonly watchers = new Map<string, { watcher: fs.FSWatcher | undefined; timer: NodeJS.Timeout | undefined }>();
  private readonly ledgerChangedEmitter = new vscode.EventEmitter<RepoHandle>();
  /** Fires when a worktree's ledger was written (by us or by another writer). */
  readonly onDidChangeLedger = this.ledgerChangedEmitter.event;

  constructor(private readonly deps: LedgerSyncDeps) {}

  /** Resolves where a newly opened document lives and merges its ledger entry. */
  async load(doc: vscode.TextDocument, st: DocState): Promise<void> {
    st.place(await this.deps.resolver.place(doc.uri));
    if (st.placement?.kind !== 'repo') return;
    const { repo, rel } = st.placement;
    this.watch(repo);
    const ledger = await repo.store.read();
    const entry = ledger.files[rel] ?? (await this.followMove(doc, repo, rel, ledger));
    if (entry) this.merge(doc, st, entry);
  }

  /**
   * A file without an entry may be one that moved with uncommitted AI lines (`git mv`, a
   * rename in the explorer, a move and edit git pairs by similarity): the entry of a file gone
   * from the worktree whose ranges land on this text moves to this path, as the git hooks move
   * it at commit (src/core/ledger/ledgerRename.ts). Only for a file HEAD does not have: a
   * committed file is not a moved one. Returns the moved entry.
   */
  private async followMove(doc: vscode.TextDocument, repo: RepoHandle, rel: string, ledger: LedgerData): Promise<LedgerFile | undefined> {
    const text = doc.getText();
    const world: MoveWorld = {
      exists: (p) => fs.existsSync(path.join(repo.info.root, p)),
      textOf: (p) => (p === rel ? text : undefined),
      hash: contentHash,
    };
    const newFile = [{ path: rel, removed: 0 }];
    // Cheap first: most files have no entry and no vanished file's ranges land on them.
    if (findMoves(ledger, newFile, world).length === 0) return undefined;
    const inHead = await runGit(repo.info.root, objectExists(`HEAD:${rel}`), { timeoutMs: 10_000 }).catch(() => true);
    if (inHead) return undefined;
    let moved: LedgerFile | undefined;
    await repo.store.update((current) => {
      if (Object.hasOwn(current.files, rel)) {
        moved = current.files[rel];
        return undefined;
      }
      const moves = findMoves(current, newFile, world);
      const next = renameLedgerPaths(current, moves);
      moved = next?.files[rel];
      for (const m of moves) this.deps.log(`the AI lines recorded for ${m.from} follow the file to ${m.to}`);
      return next;
    });
    return moved;
  }

  /**
   * Folds another writer's entry for this file into the tracker. When the document is clean
   * and the entry describes exactly its text, the entry is the truth. Otherwise only whole
   * records are exchanged: new ones are imported, and records the ledger dropped (committed
   * or cleared) are dropped here too, but only while the buffer matches the disk.
   */
  merge(doc: vscode.TextDocument, st: DocState, entry: LedgerFile | undefined): void {
    const text = doc.getText();
    const anchored = entry ? reanchor(entry, text, contentHash) : undefined;
    if (anchored && anchored.dropped.length > 0) {
      this.deps.log(`${anchored.dropped.length} recorded AI range(s) of ${doc.uri.fsPath} no longer match the file and were dropped`);
    }
    const theirs = anchored?.segments ?? [];
    const theirOrigins = new Set(entry?.ranges.map((r) => r.origin.id) ?? []);
    const clean = !doc.isDirty && !st.sync.persistTimer;
    if (clean && entry && entry.basis === contentHash(text)) {
      st.retrack(text.length, theirs);
    } else {
      const ours = st.tracker.segments();
      if (clean) {
        for (const seg of ours) {
          if (st.sync.synced.has(seg.origin.id) && !theirOrigins.has(seg.origin.id)) st.tracker.mark(seg.start, seg.end, seg.text, undefined);
        }
      }
      const known = new Set(ours.map((s) => s.origin.id));
      for (const seg of theirs) {
        if (!known.has(seg.origin.id) && !st.sync.synced.has(seg.origin.id)) st.tracker.mark(seg.start, seg.end, seg.text, seg.origin, seg.state);
      }
    }
    // Only records that could be placed on this text count as seen: one written for text the
    // editor has not reloaded yet must still be imported after the reload.
    st.sync.synced = new Set(theirs.map((s) => s.origin.id));
    st.sync.lastSeenUpdated = entry?.updated;
    if (!doc.isDirty && st.textOnDisk === text) st.rememberDiskLabels();
    else if (entry && st.textOnDisk !== undefined && entry.basis === contentHash(st.textOnDisk)) {
      // The entry describes the text on disk, not the buffer (an agent's record that arrived
      // after the person started typing): it is the truth for that text, which File: Revert
      // brings back. Without this, the revert would restore the labels of before the record.
      st.diskLabelsAre(reanchor(entry, st.textOnDisk, contentHash).segments);
    }
    this.deps.changed(doc.uri);
  }

  /** After a reload from disk, once the entry was loaded: the ledger may already hold what an agent wrote. */
  async reloadedFromDisk(doc: vscode.TextDocument, st: DocState): Promise<void> {
    if (st.placement?.kind !== 'repo') return;
    const ledger = await st.placement.repo.store.read();
    const entry = ledger.files[st.placement.rel];
    if (entry) this.merge(doc, st, entry);
  }

  /** Writes the document's entry after `delay` without further edits. */
  schedulePersist(doc: vscode.TextDocument, st: DocState, delay = persistDelayMs): void {
    if (st.placement?.kind === 'memory') return;
    if (st.sync.persistTimer) clearTimeout(st.sync.persistTimer);
    st.sync.persistTimer = setTimeout(() => {
      st.sync.persistTimer = undefined;
      void this.persist(doc, st);
    }, delay);
  }

  /** Writes the document's entry now, merging first what another writer put there. */
  async persist(doc: vscode.TextDocument, st: DocState): Promise<void> {
    await st.ready;
    const placement = st.placement;
    if (!placement || placement.kind !== 'repo' || doc.isClosed && !this.deps.isOpen(doc.uri)) return;
    const { repo, rel } = placement;
    try {
      let written: LedgerFile | undefined;
      await repo.store.update((ledger) => {
        const current = ledger.files[rel];
        if (current && current.writer !== this.deps.writerId && current.updated !== st.sync.lastSeenUpdated) this.merge(doc, st, current);
        const text = doc.getText();
        // An agent wrote and recorded the file while it was dirty here: its records stay
        // until File: Revert imports them or a save replaces them (src/core/ledger/bufferEntry.ts).
        if (leavesDiskEntry(current, { writer: this.deps.writerId, dirty: doc.isDirty, basis: () => contentHash(text), diskBasis: () => diskBasisOf(doc) })) return undefined;
        const entry = toLedgerFile(st.tracker.segments(), text, contentHash, this.deps.now(), this.deps.writerId);
        if (!current && entry.ranges.length === 0) return undefined;
        // The file is gone (moved, and its entry with it: see followMove): an editor still
        // showing the old path must not write the entry back there.
        if (!current && doc.uri.scheme === 'file' && !fs.existsSync(doc.uri.fsPath)) return undefined;
        written = entry;
        const files = { ...ledger.files };
        if (entry.ranges.length === 0) delete files[rel];
        else files[rel] = entry;
        return { ...ledger, files };
      });
      if (written) {
        st.sync.synced = new Set(written.ranges.map((r) => r.origin.id));
        st.sync.lastSeenUpdated = written.updated;
      }
    } catch (e) {
      this.deps.log(`writing the ledger for ${rel} failed: ${String(e)}`);
    }
  }

  /** Writes every pending document now (deactivation, tests, before a commit). */
  async flush(): Promise<void> {
    const work: Array<Promise<void>> = [];
    for (const st of this.deps.states()) {
      await st.ready;
      if (!st.sync.persistTimer) continue;
      clearTimeout(st.sync.persistTimer);
      st.sync.persistTimer = undefined;
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === st.uri.toString());
      if (doc) work.push(this.persist(doc, st));
    }
    await Promise.all(work);
  }

  /** Re-resolves where documents live (after workspace trust is granted) and persists them. */
  async replaceAll(stateOf: (uri: vscode.Uri) => DocState | undefined): Promise<void> {
    this.deps.resolver.reset();
    for (const doc of vscode.workspace.textDocuments) {
      const st = stateOf(doc.uri);
      if (!st) continue;
      const placement = await this.deps.resolver.place(doc.uri);
      st.place(placement);
      if (placement.kind === 'repo') {
        this.watch(placement.repo);
        this.schedulePersist(doc, st, 0);
      }
    }
  }

  dispose(): void {
    for (const w of this.watchers.values()) {
      w.watcher?.close();
      if (w.timer) clearTimeout(w.timer);
    }
    for (const st of this.deps.states()) if (st.sync.persistTimer) clearTimeout(st.sync.persistTimer);
    this.ledgerChangedEmitter.dispose();
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
    for (const st of this.deps.states()) {
      if (st.placement?.kind !== 'repo' || st.placement.repo !== repo) continue;
      const entry = ledger.files[st.placement.rel];
      if (entry && entry.writer === this.deps.writerId && entry.updated === st.sync.lastSeenUpdated) continue;
      if (!entry && st.sync.synced.size === 0) continue;
      if (entry && entry.updated === st.sync.lastSeenUpdated) continue;
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === st.uri.toString());
      if (doc) this.merge(doc, st, entry);
    }
  }
}
