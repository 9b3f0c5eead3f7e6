/**
 * The editor adapter of capture: takes a plain snapshot of each document change and of the
 * document's state, asks the pure decision (src/core/tracking/editCause.ts) why it happened,
 * mints origins for new AI text and hands the result to the registry.
 */
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { EditEvent } from '../../core/tracking/editCause';
import { decideEditCause } from '../../core/tracking/editCause';
import type { DetailedReason } from '../../core/tracking/editSource';
import type { EditCause, Origin } from '../../core/model';
import type { DocumentRegistry } from '../documents/registry';
import type { MoveSources } from './moves';
import { toCoreChange } from '../documents/registry';
import { canonicalToolName } from '../../core/agents/toolNames';

/**
 * Whether the document now shows exactly what is on disk. VS Code raises the dirty flag only
 * after the first keystroke's change event, so "clean before and after" alone cannot tell a
 * reload from disk from the first character typed after a save; the file content can. Read
 * only for the first change of a clean document, so at most once per save.
 */
function showsDiskContent(doc: vscode.TextDocument): boolean {
  if (doc.uri.scheme !== 'file') return false;
  try {
    return fs.readFileSync(doc.uri.fsPath, 'utf8') === doc.getText();
  } catch {
    return false;
  }
}

/** Whether to read the proposed edit-source API (tests switch it off to prove the fallback). */
export function editSourceEnabled(): boolean {
  return process.env.AIP_EDIT_SOURCE !== 'off';
}

/** Reads the proposed `detailedReason` without depending on its typings. */
function detailedReasonOf(e: vscode.TextDocumentChangeEvent): DetailedReason | undefined {
  const raw = (e as unknown as { detailedReason?: unknown }).detailedReason;
  if (typeof raw !== 'object' || raw === null) return undefined;
  const source = (raw as { source?: unknown }).source;
  if (typeof source !== 'string') return undefined;
  const metadata = (raw as { metadata?: unknown }).metadata;
  return { source, ...(typeof metadata === 'object' && metadata !== null ? { metadata: metadata as Record<string, unknown> } : {}) };
}

/** Services capture needs. */
export interface CaptureDeps {
  readonly registry: DocumentRegistry;
  readonly now: () => number;
  readonly newId: () => string;
  /** Labels of text selected in the editor, for a paste of it (a move). */
  readonly moves?: MoveSources;
  /** Checks, off the edit path, whether a reloaded file is just what HEAD holds. */
  readonly isCommittedContent?: (doc: vscode.TextDocument) => Promise<boolean>;
  readonly log: (message: string) => void;
}

/** Listens to document changes and attributes them. */
export class ChangeCapture implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[];
  private readonly useEditSource = editSourceEnabled();
  private lastEditSource: string | undefined;
  private enabled = true;

  constructor(private readonly deps: CaptureDeps) {
    this.subscriptions = [
      vscode.workspace.onDidChangeTextDocument((e) => this.onChange(e)),
      vscode.workspace.onDidChangeConfiguration((e) => this.onConfigurationChanged(e)),
    ];
    this.onConfigurationChanged();
  }

  /** Startup and every relevant change share this path (house style). */
  private onConfigurationChanged(e?: vscode.ConfigurationChangeEvent): void {
    if (e && !e.affectsConfiguration('aiProvenance.capture')) return;
    this.enabled = vscode.workspace.getConfiguration('aiProvenance').get<boolean>('capture.enabled', true);
  }

  /** The source name of the last edit (for tests and the debug log). */
  get lastSource(): string | undefined {
    return this.lastEditSource;
  }

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
  }

  private origin(kind: Origin['kind'], tool: string, model?: string, session?: string): Origin {
    return { id: this.deps.newId(), kind, tool: canonicalToolName(tool), ...(model ? { model } : {}), session: session ?? this.deps.newId(), time: this.deps.now() };
  }

  private onChange(e: vscode.TextDocumentChangeEvent): void {
    const doc = e.document;
    const registry = this.deps.registry;
    const st = registry.get(doc.uri);
    if (!st) {
      // Opened before we were active: start tracking from the text as it is now.
      registry.open(doc);
      return;
    }
    if (e.contentChanges.length === 0) {
      st.sawDirty(doc.isDirty);
      return;
    }
    const detailed = this.useEditSource ? detailedReasonOf(e) : undefined;
    this.lastEditSource = detailed?.source;
    const reason = e.reason === vscode.TextDocumentChangeReason.Undo ? 'undo' : e.reason === vscode.TextDocumentChangeReason.Redo ? 'redo' : undefined;
    const event: EditEvent = {
      ...(reason ? { reason } : {}),
      changes: e.contentChanges.map(toCoreChange),
      ...(detailed ? { detailed } : {}),
      isDirty: doc.isDirty,
      inActiveEditor: vscode.window.activeTextEditor?.document === doc,
      text: () => doc.getText(),
      showsDiskContent: () => showsDiskContent(doc),
    };
    const before = st.snapshot();
    const decision = decideEditCause(event, before, this.enabled);
    if (decision.action === 'revertToDisk') {
      registry.revertedToDisk(doc);
      return;
    }
    const decided = decision.cause;
    // A person's paste of text they cut or copied in the editor keeps the labels it had.
    const typed = detailed?.source === 'cursor' && detailed.metadata?.['kind'] === 'type';
    const moved = decided.type === 'human' && !typed ? this.deps.moves?.piecesFor(decision.changes) : undefined;
    if (moved) {
      registry.apply(doc, decision.changes, { type: 'moved', pieces: moved });
      if (decision.diskText !== undefined) st.seenOnDisk(decision.diskText);
      return;
    }
    const cause: EditCause =
      decided.type === 'newAi'
        ? { type: 'ai', origin: this.origin(decided.kind, decided.tool, decided.model, decided.session) }
        : decided.type === 'external'
          ? this.external(decided.tool)
          : decided;
    const reload = cause.type === 'ai' && cause.origin.kind === 'external' && cause.origin.tool === 'file-change';
    // A reload takes its labels from the text on disk it is closest to (before the disk text moves on).
    if (reload) {
      registry.reloaded(doc, decision.changes, cause.origin, !before.wasDirty);
      this.withdrawIfCommitted(doc, cause.origin.id);
    } else {
      registry.apply(doc, decision.changes, cause);
    }
    if (decision.diskText !== undefined) st.seenOnDisk(decision.diskText);
    if (reload) {
      st.rememberDiskLabels();
      void registry.reloadedFromDisk(doc).catch((e: unknown) => this.deps.log(`reading the ledger after a reload failed: ${String(e)}`));
    }
  }

  /** An edit with no evidence of who made it: unknown. */
  private external(tool: string): EditCause {
    return { type: 'ai', origin: this.origin('external', tool) };
  }

  /**
   * A reload's unknown guess is withdrawn when the file turns out to be what HEAD holds (a
   * checkout): committed text is not new authorship. Only the guess: labels the ledger holds
   * for the file (written by a tool, perhaps for lines committed without our git hooks) stay.
   */
  private withdrawIfCommitted(doc: vscode.TextDocument, originId: string): void {
    if (!this.deps.isCommittedContent) return;
    void this.deps.isCommittedContent(doc).then(
      (committed) => {
        if (committed) this.deps.registry.clearOrigin(doc, originId);
      },
      () => undefined,
    );
  }
}
