/**
 * "AI Provenance: Show AI Ranges in This File": pick a range, reveal and select it.
 */
import * as vscode from 'vscode';
import { toRuns } from '../../core/lines/lines';
import { toolLabel } from '../../core/report/summary';
import type { DocumentRegistry } from '../documents/registry';

/** Registers the command. */
export function registerShowRanges(registry: DocumentRegistry): vscode.Disposable {
  return vscode.commands.registerCommand('aiProvenance.showRanges', async () => {
    const editor = vscode.window.activeTextEditor;
    if (!editor) return;
    const runs = toRuns(registry.lines(editor.document));
    if (runs.length === 0) {
      void vscode.window.showInformationMessage('AI Provenance: no AI-written lines in this file.');
      return;
    }
    const items = runs.map((r) => ({
      label: r.startLine === r.endLine ? `Line ${r.startLine + 1}` : `Lines ${r.startLine + 1}–${r.endLine + 1}`,
      description: `${r.kind} · ${r.kind === 'unknown' ? 'changed outside the editor' : toolLabel(r.origin.tool, r.origin.model)}`,
      detail: new Date(r.origin.time).toLocaleString(),
      run: r,
    }));
    const pick = await vscode.window.showQuickPick(items, { placeHolder: 'AI-written ranges in this file' });
    if (!pick) return;
    const range = new vscode.Range(pick.run.startLine, 0, pick.run.endLine, editor.document.lineAt(pick.run.endLine).text.length);
    editor.selection = new vscode.Selection(range.start, range.end);
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  });
}
