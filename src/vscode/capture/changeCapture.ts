/**
 * Decides why each document change happened and hands it to the registry.
 *
 * Evidence, strongest first:
 * 1. VS Code's own undo/redo reason (stable API).
 * 2. An accept we are running ourselves (our Tab / accept-word / accept-line commands),
 *    matched by document and version + 1: the accepted text arrives as the next event,
 *    before the accept command resolves.
 * 3. The proposed `detailedReason` edit source, when this VS Code grants it to us (and the
 *    test switch AIP_EDIT_SOURCE is not "off"): names inline accepts, chat and agent edits.
 * 4. A clean document whose new text is what the file on disk holds was reloaded from disk:
 *    the lines that differ are unknown (external), never human, never silently AI. Agent hook
 *    records arriving through the ledger replace the guess.
 * 5. Typing in the active editor is human; an edit to a document nobody is typing in, with
 *    no other evidence, is unknown (external).
 */
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { lineChanges } from '../../core/agentEdits';
import { trimUnchanged } from '../../core/changes';
import type { DetailedReason } from '../../core/editSource';
import { classifySource } from '../../core/editSource';
import type { ContentChange, EditCause, Origin } from '../../core/model';
import type { DocumentRegistry } from '../documents';
import { toCoreChange } from '../documents';
import { canonicalToolName } from '../../core/toolNames';

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
      st.wasDirty = doc.isDirty;
      return;
    }
    const changes = e.contentChanges.map(toCoreChange);
    const detailed = this.useEditSource ? detailedReasonOf(e) : undefined;
    this.lastEditSource = detailed?.source;
    let cause: EditCause;
    let narrowed: readonly ContentChange[] = changes;
    const expectation = st.expectation;
    if (expectation && doc.version !== expectation.version + 1) st.expectation = undefined;

    if (e.reason === vscode.TextDocumentChangeReason.Undo) {
      cause = { type: 'undo' };
    } else if (e.reason === vscode.TextDocumentChangeReason.Redo) {
      cause = { type: 'redo' };
    } else if (expectation && doc.version === expectation.version + 1) {
      st.expectation = undefined;
      // Our keybinding knows an accept happened; the edit source, when granted, also names
      // the provider's extension, which is the better tool name.
      const verdict = classifySource(detailed);
      const named = verdict.type === 'ai' && verdict.tool !== 'inline-completion' && expectation.origin.tool === 'inline-completion';
      cause = { type: 'ai', origin: named ? { ...expectation.origin, tool: canonicalToolName(verdict.tool) } : expectation.origin };
      if (expectation.before !== undefined && changes.length === 1) {
        const c = changes[0]!;
        narrowed = [trimUnchanged(c, expectation.before.slice(c.rangeOffset, c.rangeOffset + c.rangeLength))];
      }
    } else {
      const verdict = classifySource(detailed);
      if (verdict.type === 'ai') {
        cause = { type: 'ai', origin: this.origin(verdict.kind, verdict.tool, verdict.model, verdict.session) };
      } else if (verdict.type === 'human') {
        cause = { type: 'human' };
      } else if (verdict.type === 'revert') {
        cause = { type: 'undo' };
      } else if ((verdict.type === 'external' || !doc.isDirty) && st.diskText !== undefined && st.diskSegments !== undefined && doc.getText() === st.diskText) {
        // Back to the text last seen on disk (File: Revert, or a reload that changed nothing we
        // knew): not new authorship. The labels go back to what they were on disk.
        registry.revertedToDisk(doc);
        return;
      } else if (verdict.type === 'external' || (!doc.isDirty && !st.wasDirty && showsDiskContent(doc))) {
        cause = this.external(doc, 'file-change');
        // Attribute only the lines that really differ from what was on disk before.
        const now = doc.getText();
        if (st.diskText !== undefined && st.diskText.length === st.tracker.docLength) {
          const before = st.diskText;
          narrowed = lineChanges(before, now)
            .reverse()
            .map((c) => ({ rangeOffset: c.preStart, rangeLength: c.preEnd - c.preStart, text: now.slice(c.postStart, c.postEnd), range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }));
        }
        st.diskText = now;
      } else if (vscode.window.activeTextEditor?.document === doc) {
        cause = { type: 'human' };
      } else {
        cause = this.external(doc, 'workspace-edit');
      }
    }
    // With capture off, edits still move what is recorded, but nothing new is attributed.
    if (!this.enabled && cause.type === 'ai') cause = { type: 'human' };
    registry.apply(doc, narrowed, cause);
    if (cause.type === 'ai' && cause.origin.kind === 'external' && cause.origin.tool === 'file-change') {
      st.diskSegments = st.tracker.segments();
      void registry.reloadedFromDisk(doc).catch((e: unknown) => this.deps.log(`reading the ledger after a reload failed: ${String(e)}`));
    }
  }

  /**
   * An edit with no evidence of who made it. Labelled unknown at once; when it turns out to
   * be a checkout (the file now equals HEAD's), the guess is withdrawn: committed text is not
   * new authorship.
   */
  private external(doc: vscode.TextDocument, tool: string): EditCause {
    const origin = this.origin('external', tool);
    if (tool === 'file-change' && this.deps.isCommittedContent) {
      void this.deps.isCommittedContent(doc).then(
        (committed) => {
          if (committed) this.deps.registry.clearOrigin(doc, origin.id);
        },
        () => undefined,
      );
    }
    return { type: 'ai', origin };
  }
}
