/**
 * The editor side of the engine: one tracker per open document, fed by capture, persisted to
 * the worktree's ledger off the keystroke path (ledgerSync.ts), and merged with what other
 * writers (the CLI, agent hooks, another window) put in the ledger.
 */
import * as vscode from 'vscode';
import type { LineAttribution } from '../../core/lines/lines';
import { attributeLines } from '../../core/lines/lines';
import type { AttrState, ContentChange, EditCause, Origin, Segment } from '../../core/model';
import { closestState, diskChanges } from '../../core/tracking/diskStates';
import { DocState } from './docState';
import { LedgerSync } from './ledgerSync';
import type { RepoHandle, RepoResolver } from './repos';

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
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  /** Fires (per document) when attribution changed, after the edit was applied. */
  readonly onDidChange = this.changed.event;
  private readonly sync: LedgerSync;
  /** Fires when a worktree's ledger was written (by us or by another writer). */
  readonly onDidChangeLedger: vscode.Event<RepoHandle>;

  constructor(private readonly deps: RegistryDeps) {
    this.sync = new LedgerSync({
      ...deps,
      states: () => this.docs.values(),
      isOpen: (uri) => this.docs.has(uri.toString()),
      changed: (uri) => this.changed.fire(uri),
    });
    this.onDidChangeLedger = this.sync.onDidChangeLedger;
  }

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
    const st = new DocState(doc.uri, doc.getText(), doc.isDirty);
    this.docs.set(key, st);
    st.loading(this.sync.load(doc, st).catch((e: unknown) => this.deps.log(`loading provenance of ${doc.uri.fsPath} failed: ${String(e)}`)));
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
      st.applied(doc.version, changes, cause.type === 'human');
    } catch (e) {
      this.deps.log(`attribution of ${doc.uri.toString()} lost sync (${String(e)}); rebuilding from the document`);
    }
    if (st.tracker.docLength !== documentLength(doc)) this.resync(doc, st);
    st.sawDirty(doc.isDirty);
    this.sync.schedulePersist(doc, st);
    this.changed.fire(doc.uri);
  }

  /**
   * The document's latest change turned out to be `cause` (an inline accept that reported
   * itself after its edit): it is applied again as `changes` with that cause. False when the
   * latest change is not the one the caller saw or was not applied as a person's.
   */
  relabelLast(doc: vscode.TextDocument, applied: readonly ContentChange[], changes: readonly ContentChange[], cause: EditCause): boolean {
    const st = this.get(doc.uri);
    if (!st || !st.tracker.relabelLast(applied, changes, cause)) return false;
    st.applied(doc.version, changes, false);
    this.sync.schedulePersist(doc, st);
    this.changed.fire(doc.uri);
    return true;
  }

  /**
   * The document went back to the text last seen on disk (File: Revert): its labels go back to
   * what they were then, exactly, instead of being guessed from the change.
   */
  revertedToDisk(doc: vscode.TextDocument): void {
    const st = this.get(doc.uri);
    if (!st) return;
    const text = doc.getText();
    st.retrack(text.length, st.diskLabelsOn(text));
    st.sawDirty(false);
    this.sync.schedulePersist(doc, st);
    this.changed.fire(doc.uri);
  }

  /**
   * The document reloaded a new text from disk (a checkout, a stash or its pop, an agent's
   * write, File: Revert of a dirty document to a file changed meanwhile). Its labels come from
   * the text we knew on disk that explains most of it (what the disk held just before, or an
   * earlier text the operation brings back, with the labels it had then), so AI lines come back
   * AI and a person's lines stay theirs; only lines none of them holds are labelled `origin`
   * (unknown). `changes` (the event's, narrowed) are used when no text on disk was known.
   * `wasClean`: the document showed the disk's text before, so its tracker labels that text.
   */
  reloaded(doc: vscode.TextDocument, changes: readonly ContentChange[], origin: Origin, wasClean: boolean): void {
    const st = this.get(doc.uri);
    if (!st) return;
    const cause: EditCause = { type: 'ai', origin };
    const onDisk = st.diskState();
    const current = onDisk && wasClean && st.tracker.docLength === onDisk.text.length ? { text: onDisk.text, segments: st.tracker.segments() } : onDisk;
    const now = doc.getText();
    const base = closestState([...(current ? [current] : []), ...st.earlierOnDisk], now);
    if (base) {
      st.retrack(base.text.length, base.segments);
      this.apply(doc, diskChanges(base.text, now), cause);
    } else {
      this.apply(doc, changes, cause);
    }
    if (current && current.text !== now) st.leftDisk(current);
  }

  /** Labels a range of an open document (manual marks, records from other extensions). */
  mark(doc: vscode.TextDocument, start: number, end: number, origin: Origin | undefined, state: AttrState = 'ai'): void {
    const st = this.open(doc);
    if (!st) throw new Error(`AI Provenance does not track ${doc.uri.scheme} documents`);
    st.tracker.mark(start, end, doc.getText().slice(start, end), origin, state);
    this.sync.schedulePersist(doc, st);
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
      this.sync.schedulePersist(doc, st);
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
    st.savedAs(doc.getText());
    this.sync.schedulePersist(doc, st, 0);
  }

  /** Called on close: write what we know, then forget the document. */
  async closed(doc: vscode.TextDocument): Promise<void> {
    const st = this.get(doc.uri);
    if (!st) return;
    if (st.sync.persistTimer) clearTimeout(st.sync.persistTimer);
    await this.sync.persist(doc, st);
    this.docs.delete(doc.uri.toString());
  }

  /** Writes every pending document now (deactivation, tests, before a commit). */
  flush(): Promise<void> {
    return this.sync.flush();
  }

  /** Re-resolves where documents live (after workspace trust is granted) and persists them. */
  replaceAll(): Promise<void> {
    return this.sync.replaceAll((uri) => this.get(uri));
  }

  /**
   * Called after a document reloaded from disk: an agent's hook may already have recorded what
   * it wrote, before the editor saw the new text. Its record replaces the unknown guess.
   */
  reloadedFromDisk(doc: vscode.TextDocument): Promise<void> {
    const st = this.get(doc.uri);
    if (!st) return Promise.resolve();
    // The reload scheduled a write of the entry; it waits for this read (persist awaits
    // `ready`), or it could write the unknown guess over the agent's record before we read it.
    const imported = st.ready.then(() => this.sync.reloadedFromDisk(doc, st));
    st.loading(imported.catch(() => undefined));
    return imported;
  }

  dispose(): void {
    this.sync.dispose();
    this.changed.dispose();
  }

  private resync(doc: vscode.TextDocument, st: DocState): void {
    const text = doc.getText();
    const keep = st.tracker.segments().filter((s) => s.end <= text.length && text.slice(s.start, s.end) === s.text);
    st.retrack(text.length, keep);
  }
}

/** The document's length without copying its text. */
export function documentLength(doc: vscode.TextDocument): number {
  const last = doc.lineAt(doc.lineCount - 1);
  return doc.offsetAt(last.rangeIncludingLineBreak.end);
}
