/**
 * "Mark Selection as AI-Written" and "Mark Selection as Written by Me": the manual override
 * for what capture could not know (code pasted from a chat in a browser, say).
 */
import * as vscode from 'vscode';
import type { Origin } from '../../core/model';
import type { DocumentRegistry } from '../documents/registry';

/** Expands selections to whole lines when empty, so a bare cursor marks its line. */
function selectedOffsets(editor: vscode.TextEditor): Array<{ start: number; end: number }> {
  return editor.selections.map((sel) => {
    const range = sel.isEmpty ? editor.document.lineAt(sel.active.line).rangeIncludingLineBreak : sel;
    return { start: editor.document.offsetAt(range.start), end: editor.document.offsetAt(range.end) };
  });
}

/** Registers both commands. */
export function registerMarkSelection(registry: DocumentRegistry, makeOrigin: (tool: string, model?: string) => Origin): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('aiProvenance.markSelectionAsAi', async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor) return;
      const tool = await vscode.window.showInputBox({
        title: 'Mark Selection as AI-Written',
        prompt: 'Which tool wrote it? (e.g. chatgpt, claude-code)',
        value: 'manual',
        validateInput: (v) => (v.trim() ? undefined : 'Name the tool'),
      });
      if (tool === undefined) return;
      const model = await vscode.window.showInputBox({ title: 'Mark Selection as AI-Written', prompt: 'Which model? (leave empty if unknown)' });
      if (model === undefined) return;
      const origin = { ...makeOrigin(tool.trim(), model.trim() || undefined), kind: 'manual' as const };
      for (const { start, end } of selectedOffsets(editor)) registry.mark(editor.document, start, end, origin);
    }),
    vscode.commands.registerCommand('aiProvenance.markSelectionAsHuman', () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor) return;
      for (const { start, end } of selectedOffsets(editor)) registry.mark(editor.document, start, end, undefined);
    }),
  ];
}
