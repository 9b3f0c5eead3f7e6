/**
 * Moves inside the editor: a cut or copy takes what is selected (or, with nothing selected,
 * the cursor's whole line), and a paste of exactly that text keeps the labels it had there, in
 * the same file or another. The editor does not tell an extension what was copied, so we
 * remember the labels of what a person selects, as they select it; a paste whose text is one
 * of those texts is that text moved. Text from outside the editor matches nothing we remember
 * and stays the person's.
 *
 * Limits (documented in the README): the match is by text, so pasting text that equals
 * something just selected in the editor counts as a move of it even when it came from
 * elsewhere (it is the same text); a clipboard history manager that pastes an older entry
 * works while that text is among the last few selections; text whose line breaks change on
 * the way (a CRLF file pasted into an LF file) is not recognised.
 */
import * as vscode from 'vscode';
import type { ContentChange, MovedPiece } from '../../core/model';
import type { DocumentRegistry } from '../documents/registry';

/** How many recent selections are remembered (a clipboard holds one; history managers a few). */
const rememberedClips = 8;
/** Longest selection remembered: a whole-file selection of a huge file is not a move worth a copy. */
const maxClipLength = 1_000_000;

interface Clip {
  readonly uri: string;
  readonly start: number;
  readonly text: string;
  readonly pieces: readonly MovedPiece[];
}

/** Remembers the labels of selected text, and finds them again for a paste. */
export class MoveSources implements vscode.Disposable {
  private clips: Clip[] = [];
  private readonly subscription: vscode.Disposable;

  constructor(private readonly registry: DocumentRegistry) {
    this.subscription = vscode.window.onDidChangeTextEditorSelection((e) => this.selected(e.textEditor, e.selections));
  }

  dispose(): void {
    this.subscription.dispose();
  }

  /**
   * The labels for an edit that pastes text a person selected in the editor: every change that
   * inserts text inserts the same text, and it is a remembered selection with labels.
   */
  piecesFor(changes: readonly ContentChange[]): readonly MovedPiece[] | undefined {
    const texts = new Set(changes.filter((c) => c.text.length > 0).map((c) => c.text));
    if (texts.size !== 1) return undefined;
    const [text] = texts;
    // One character is typing, not a move.
    if (text === undefined || text.length < 2) return undefined;
    return this.clips.find((c) => c.text === text)?.pieces;
  }

  private selected(editor: vscode.TextEditor, selections: readonly vscode.Selection[]): void {
    if (selections.length !== 1) return;
    const doc = editor.document;
    const st = this.registry.get(doc.uri);
    if (!st) return;
    const sel = selections[0]!;
    let start: number;
    let end: number;
    if (sel.isEmpty) {
      // Cut or copy with nothing selected takes the whole line, with its line break.
      const line = doc.lineAt(sel.active.line);
      start = doc.offsetAt(line.range.start);
      end = doc.offsetAt(line.rangeIncludingLineBreak.end);
    } else {
      start = doc.offsetAt(sel.start);
      end = doc.offsetAt(sel.end);
    }
    if (end - start > maxClipLength || end <= start) return;
    const segs = st.tracker.segmentsIn(start, end);
    if (segs.length === 0) return;
    const text = doc.getText(new vscode.Range(doc.positionAt(start), doc.positionAt(end)));
    const clip: Clip = { uri: doc.uri.toString(), start, text, pieces: segs.map((s) => ({ rel: s.start - start, length: s.end - s.start, origin: s.origin, state: s.state })) };
    // A selection growing from one place (Shift+arrows) is one clip, not many.
    this.clips = [clip, ...this.clips.filter((c) => c.text !== text && !(c.uri === clip.uri && c.start === start))].slice(0, rememberedClips);
  }
}
