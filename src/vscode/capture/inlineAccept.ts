/**
 * Recording inline-suggestion accepts without getting between the key and the editor.
 *
 * Keybindings in package.json bind Tab and Ctrl/Cmd+Right, with the built-in commands' exact
 * `when` clauses (read from VS Code 1.139), to `runCommands`: first the editor's own accept
 * command, then `aiProvenance.inlineAccepted`. Both run in the window, in the key's own task:
 * the accept edits the document before the key handler returns, so keys typed after Tab can
 * never overtake it, and the built-in accept is never lost to a slow extension host. Our
 * command then reaches the extension host after the accept's change event (one channel, in
 * order) and before any later key's, so the document's latest change is the accept: it was
 * recorded as the person's (nothing else said otherwise) and is now re-attributed to AI.
 * `aiProvenance.inlineAccepted` is deliberately not a contributed command: a contributed one
 * gets an implicit activation event, and the window would wait for the extension host to
 * resolve it before running it the first time, letting typed keys in between. And the edit
 * must still be fresh (same event-loop task as its change event), so a report that comes late
 * for any other reason records nothing rather than call a later keystroke AI.
 *
 * With the proposed edit-source API the accept's change event already names it; then the
 * latest change is not a person's and the report changes nothing.
 */
import * as vscode from 'vscode';
import type { ContentChange, Origin } from '../../core/model';
import { trimUnchanged } from '../../core/tracking/changes';
import type { DocumentRegistry } from '../documents/registry';

/** What the keybinding accepted. */
export type AcceptKind = 'full' | 'word' | 'line';

/** The built-in accept commands, by kind (what our palette commands run). */
const builtinAccept: Readonly<Record<AcceptKind, string>> = {
  full: 'editor.action.inlineSuggest.commit',
  word: 'editor.action.inlineSuggest.acceptNextWord',
  line: 'editor.action.inlineSuggest.acceptNextLine',
};

/** Our commands that run a built-in accept and record it (palette and API callers). */
export const acceptCommands: Readonly<Record<string, AcceptKind>> = {
  'aiProvenance.acceptInlineSuggestion': 'full',
  'aiProvenance.acceptInlineEdit': 'full',
  'aiProvenance.acceptNextWord': 'word',
  'aiProvenance.acceptNextLine': 'line',
};

/**
 * Extensions known to provide inline completions. When exactly one of them is active, an
 * accept is attributed to it; otherwise to the generic `inline-completion`.
 */
const knownProviders = [
  'github.copilot',
  'github.copilot-chat',
  'codeium.codeium',
  'supermaven.supermaven',
  'tabnine.tabnine-vscode',
  'continue.continue',
  'amazonwebservices.amazon-q-vscode',
  'sourcegraph.cody-ai',
];

/** The tool name for an inline accept whose provider the editor does not name. */
export function guessInlineTool(configured: string | undefined): string {
  if (configured && configured.trim()) return configured.trim();
  const active = knownProviders.filter((id) => vscode.extensions.getExtension(id)?.isActive);
  return active.length === 1 ? active[0]! : 'inline-completion';
}

/** Counts of accept reports, for tests and the benchmark (which path ran). */
export interface AcceptStats {
  /** Reports received from the keybinding or our commands. */
  reported: number;
  /** Reports that re-attributed the latest change. */
  recorded: number;
}

/**
 * Re-attributes the active document's latest change as an inline accept of `kind`. Only the
 * full accept may replace text the person typed; where the replaced text is known, what the
 * accept left as it was stays the person's.
 */
function recordAccept(registry: DocumentRegistry, makeOrigin: (tool: string) => Origin, kind: AcceptKind, stats: AcceptStats): void {
  stats.reported++;
  const editor = vscode.window.activeTextEditor;
  if (!editor) return;
  const doc = editor.document;
  const st = registry.get(doc.uri);
  const last = st?.lastEdit;
  // The accept changed nothing (no ghost text after all), or its event was already attributed
  // by the edit source, or an edit that is not the accept came since: nothing to re-attribute.
  if (!st || !last || !last.human || !last.fresh || last.version !== doc.version) return;
  if (!vscode.workspace.getConfiguration('aiProvenance').get<boolean>('capture.enabled', true)) return;
  const configured = vscode.workspace.getConfiguration('aiProvenance', doc.uri).get<string>('capture.inlineTool');
  const changes: ContentChange[] = last.changes.map((c, i) => {
    const replaced = last.replaced[i];
    return kind === 'full' && replaced !== undefined ? trimUnchanged(c, replaced) : c;
  });
  if (registry.relabelLast(doc, last.changes, changes, { type: 'ai', origin: makeOrigin(guessInlineTool(configured)) })) stats.recorded++;
}

/**
 * Registers `aiProvenance.inlineAccepted` (the keybindings' second step), the palette accept
 * commands, and the cursor-line reader that lets a full accept keep the typed prefix human.
 */
export function registerAcceptCommands(
  registry: DocumentRegistry,
  makeOrigin: (tool: string) => Origin,
  stats: AcceptStats,
): vscode.Disposable[] {
  const toKind = (arg: unknown): AcceptKind => (arg === 'word' || arg === 'line' ? arg : 'full');
  return [
    vscode.commands.registerCommand('aiProvenance.inlineAccepted', (arg: unknown) => recordAccept(registry, makeOrigin, toKind(arg), stats)),
    ...Object.entries(acceptCommands).map(([ours, kind]) =>
      vscode.commands.registerCommand(ours, async (...args: unknown[]) => {
        await vscode.commands.executeCommand(builtinAccept[kind], ...args);
        recordAccept(registry, makeOrigin, kind, stats);
      }),
    ),
    vscode.window.onDidChangeTextEditorSelection((e) => {
      const doc = e.textEditor.document;
      const st = registry.get(doc.uri);
      if (!st || e.selections.length !== 1) return;
      const line = e.selections[0]!.active.line;
      st.lineSeen(doc.version, line, doc.lineAt(line).text);
    }),
  ];
}
