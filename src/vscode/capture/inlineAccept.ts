/**
 * Our own accept commands for inline suggestions. Keybindings in package.json bind Tab and
 * Ctrl/Cmd+Right to them with the built-in commands' exact `when` clauses (read from VS Code
 * 1.139), so the keypress runs us first; we mark the document as expecting an AI edit and run
 * the built-in command, whose edit arrives as the very next change event.
 */
import * as vscode from 'vscode';
import type { Origin } from '../../core/model';
import type { DocumentRegistry } from '../documents/registry';

/** The built-in accept commands we wrap, by our command id. */
export const acceptCommands = {
  'aiProvenance.acceptInlineSuggestion': 'editor.action.inlineSuggest.commit',
  'aiProvenance.acceptInlineEdit': 'editor.action.inlineSuggest.commit',
  'aiProvenance.acceptNextWord': 'editor.action.inlineSuggest.acceptNextWord',
  'aiProvenance.acceptNextLine': 'editor.action.inlineSuggest.acceptNextLine',
} as const;

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

/** Registers the accept wrappers. */
export function registerAcceptCommands(
  registry: DocumentRegistry,
  makeOrigin: (tool: string) => Origin,
): vscode.Disposable[] {
  return Object.entries(acceptCommands).map(([ours, builtin]) =>
    vscode.commands.registerCommand(ours, async (...args: unknown[]) => {
      const editor = vscode.window.activeTextEditor;
      const st = editor ? registry.open(editor.document) : undefined;
      if (editor && st) {
        const configured = vscode.workspace.getConfiguration('aiProvenance', editor.document.uri).get<string>('capture.inlineTool');
        st.expect({
          version: editor.document.version,
          origin: makeOrigin(guessInlineTool(configured)),
          // Only the full accept may replace typed text; the snapshot lets us keep the
          // person's prefix theirs. Word and line accepts only insert.
          ...(builtin === 'editor.action.inlineSuggest.commit' ? { before: editor.document.getText() } : {}),
        });
      }
      try {
        await vscode.commands.executeCommand(builtin, ...args);
      } finally {
        // The accepted text arrived before the command resolved; a later edit is not it.
        if (st && editor) st.acceptEndedAt(editor.document.version);
      }
    }),
  );
}
