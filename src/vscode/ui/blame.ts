/**
 * AI blame in the editor (`aiProvenance.blame.mode`: off | line | file): in `file` mode a
 * gutter colour per tool on every AI line, in both modes the current line's tool, model, time
 * and commit at its end, and a hover with kind, commit and whether the file is critical.
 * Committed lines come from the notes (src/node/blame.ts, which `git provenance blame` prints), uncommitted
 * ones live from the editor. Only the visible lines are decorated, so a 10,000-line file
 * costs what the screen shows.
 */
import * as vscode from 'vscode';
import type { BlameEntry } from '../../node/blame';
import { blameFile } from '../../node/blame';
import { openRepo, repoRelative } from '../../node/repo';
import { refsStamp } from '../../git/gitDir';
import type { DocumentRegistry } from '../documents/registry';
import { canonicalToolName } from '../../core/agents/toolNames';

/** The blame modes. */
export type BlameMode = 'off' | 'line' | 'file';
const modes: readonly BlameMode[] = ['off', 'line', 'file'];

/** One line's provenance as the blame view shows it (zero-based line). */
export interface BlameLine {
  readonly line: number;
  readonly kind: 'ai' | 'mixed' | 'unknown';
  readonly tool: string | null;
  readonly model: string | null;
  readonly commit: string | null;
  readonly time?: number;
}

const palette = ['#3794ff', '#c586c0', '#4ec9b0', '#d7ba7d', '#f14c4c', '#89d185', '#cca700', '#b180d7'];

function gutterIcon(color: string): vscode.Uri {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="4" height="16"><rect width="4" height="16" fill="${color}"/></svg>`;
  return vscode.Uri.parse(`data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`);
}

/** The blame of a file on disk, as `git provenance blame` computes it (src/node/blame.ts). */
async function committedBlame(root: string, fsPath: string): Promise<BlameEntry[]> {
  try {
    const repo = await openRepo(root, () => undefined);
    const top = repo.info.root;
    return await blameFile(top, repo.store, repoRelative(top, root, fsPath));
  } catch {
    // Not committed yet (git blame refuses untracked files), outside the repository, …:
    // nothing committed to show; the live lines still are.
    return [];
  }
}

/** Owns the blame decorations and hover. */
export class BlameView implements vscode.Disposable {
  private mode: BlameMode = 'off';
  private readonly disposables: vscode.Disposable[] = [];
  private readonly gutters = new Map<string, vscode.TextEditorDecorationType>();
  private readonly eol = vscode.window.createTextEditorDecorationType({ after: { color: new vscode.ThemeColor('editorCodeLens.foreground'), margin: '0 0 0 2em' } });
  /**
   * Committed blame per document, while the document matches the file it was computed on and
   * HEAD and the notes are where they were (a commit from a terminal changes neither the
   * document nor its version).
   */
  private readonly committed = new Map<string, { version: number; refs: string; lines: Map<number, BlameEntry> }>();
  private readonly item: vscode.StatusBarItem;
  private timer: NodeJS.Timeout | undefined;
  private lastRender: number | undefined;
  private renders = 0;

  constructor(
    private readonly registry: DocumentRegistry,
    private readonly isCritical: (uri: vscode.Uri) => string | undefined,
    private readonly log: (m: string) => void,
  ) {
    this.item = vscode.window.createStatusBarItem('aiProvenance.blame', vscode.StatusBarAlignment.Right, 99);
    this.item.name = 'AI Provenance: blame';
    this.item.command = 'aiProvenance.toggleBlame';
    this.disposables.push(
      this.eol,
      this.item,
      vscode.workspace.onDidChangeConfiguration((e) => this.onConfigurationChanged(e)),
      vscode.window.onDidChangeActiveTextEditor(() => this.schedule()),
      vscode.window.onDidChangeTextEditorSelection(() => this.schedule()),
      vscode.window.onDidChangeTextEditorVisibleRanges(() => this.schedule()),
      vscode.workspace.onDidSaveTextDocument((d) => {
        this.committed.delete(d.uri.toString());
        this.schedule();
      }),
      registry.onDidChange(() => this.schedule()),
      vscode.languages.registerHoverProvider({ scheme: 'file' }, { provideHover: (doc, pos) => this.hover(doc, pos) }),
      vscode.commands.registerCommand('aiProvenance.toggleBlame', async () => {
        const next = modes[(modes.indexOf(this.mode) + 1) % modes.length]!;
        await vscode.workspace.getConfiguration('aiProvenance').update('blame.mode', next, vscode.ConfigurationTarget.Global);
      }),
    );
    this.onConfigurationChanged();
  }

  private onConfigurationChanged(e?: vscode.ConfigurationChangeEvent): void {
    if (e && !e.affectsConfiguration('aiProvenance.blame')) return;
    this.mode = vscode.workspace.getConfiguration('aiProvenance').get<BlameMode>('blame.mode', 'off');
    this.item.text = this.mode === 'off' ? '$(eye-closed) AI blame' : `$(eye) AI blame: ${this.mode}`;
    this.item.tooltip = 'AI Provenance blame: click to switch off → line → file';
    this.item.show();
    this.schedule();
  }

  /** Current mode (for tests). */
  get currentMode(): BlameMode {
    return this.mode;
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.render().catch((err: unknown) => this.log(`blame failed: ${String(err)}`));
    }, 100);
  }

  /** The provenance of every attributed line of a document: committed from notes, the rest live. */
  async linesOf(doc: vscode.TextDocument): Promise<BlameLine[]> {
    const out = new Map<number, BlameLine>();
    const st = this.registry.get(doc.uri);
    if (st?.placement?.kind === 'repo' && !doc.isDirty) {
      const key = doc.uri.toString();
      let cached = this.committed.get(key);
      const refs = refsStamp(st.placement.repo.info.gitDir);
      if (!cached || cached.version !== doc.version || cached.refs !== refs) {
        const entries = await committedBlame(st.placement.repo.info.root, doc.uri.fsPath);
        cached = { version: doc.version, refs, lines: new Map(entries.filter((e) => e.commit && e.kind !== 'none').map((e) => [e.line - 1, e])) };
        this.committed.set(key, cached);
      }
      for (const [line, e] of cached.lines) out.set(line, { line, kind: e.kind as BlameLine['kind'], tool: e.tool === null ? null : canonicalToolName(e.tool), model: e.model, commit: e.commit });
    }
    for (const l of this.registry.lines(doc)) {
      out.set(l.line, { line: l.line, kind: l.kind, tool: canonicalToolName(l.origin.tool), model: l.origin.model ?? null, commit: null, time: l.origin.time });
    }
    return [...out.values()].sort((a, b) => a.line - b.line);
  }

  private gutterFor(tool: string): vscode.TextEditorDecorationType {
    let t = this.gutters.get(tool);
    if (!t) {
      t = vscode.window.createTextEditorDecorationType({ gutterIconPath: gutterIcon(palette[this.gutters.size % palette.length]!), gutterIconSize: 'contain' });
      this.gutters.set(tool, t);
    }
    return t;
  }

  /** How many renders ran and how long the last one took, in ms (for the benchmark). */
  get lastRenderInfo(): { count: number; ms: number | undefined } {
    return { count: this.renders, ms: this.lastRender };
  }

  private async render(): Promise<void> {
    const started = performance.now();
    await this.renderEditors();
    this.lastRender = performance.now() - started;
    this.renders++;
  }

  private async renderEditors(): Promise<void> {
    for (const editor of vscode.window.visibleTextEditors) {
      if (this.mode === 'off') {
        for (const t of this.gutters.values()) editor.setDecorations(t, []);
        editor.setDecorations(this.eol, []);
        continue;
      }
      const lines = await this.linesOf(editor.document);
      const visible = (l: number): boolean => editor.visibleRanges.some((r) => l >= r.start.line - 20 && l <= r.end.line + 20);
      if (this.mode === 'file') {
        const byTool = new Map<string, vscode.Range[]>();
        for (const l of lines) {
          if (!visible(l.line)) continue;
          const key = l.tool ?? 'unknown';
          const list = byTool.get(key) ?? [];
          list.push(new vscode.Range(l.line, 0, l.line, 0));
          byTool.set(key, list);
        }
        for (const [tool, t] of this.gutters) if (!byTool.has(tool)) editor.setDecorations(t, []);
        for (const [tool, ranges] of byTool) editor.setDecorations(this.gutterFor(tool), ranges);
      } else {
        for (const t of this.gutters.values()) editor.setDecorations(t, []);
      }
      const current = editor === vscode.window.activeTextEditor ? lines.find((l) => l.line === editor.selection.active.line) : undefined;
      editor.setDecorations(this.eol, current ? [{ range: new vscode.Range(current.line, Number.MAX_SAFE_INTEGER, current.line, Number.MAX_SAFE_INTEGER), renderOptions: { after: { contentText: describe(current) } } }] : []);
    }
  }

  /** Decorated lines of an editor in `file` mode, per tool (for tests). */
  async decoratedLines(doc: vscode.TextDocument): Promise<BlameLine[]> {
    return this.mode === 'file' ? this.linesOf(doc) : [];
  }

  private async hover(doc: vscode.TextDocument, pos: vscode.Position): Promise<vscode.Hover | undefined> {
    if (this.mode === 'off') return undefined;
    const line = (await this.linesOf(doc)).find((l) => l.line === pos.line);
    if (!line) return undefined;
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`**AI blame** — ${line.kind === 'mixed' ? 'AI-written, edited by hand' : line.kind === 'unknown' ? 'unknown origin' : 'AI-written'}\n\n`);
    md.appendMarkdown(`- tool: \`${line.tool ?? 'unknown'}\`\n- model: \`${line.model ?? 'unknown'}\`\n`);
    if (line.time) md.appendMarkdown(`- written: ${new Date(line.time).toLocaleString()}\n`);
    md.appendMarkdown(`- commit: ${line.commit ? `\`${line.commit.slice(0, 12)}\`` : 'not committed yet'}\n`);
    const critical = this.isCritical(doc.uri);
    if (critical) md.appendMarkdown(`- critical path: ${critical}\n`);
    return new vscode.Hover(md);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const t of this.gutters.values()) t.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

function describe(l: BlameLine): string {
  const who = `${l.tool ?? 'unknown'}${l.model ? ` · ${l.model}` : ''}`;
  return `${l.kind === 'mixed' ? 'AI (edited)' : l.kind === 'unknown' ? 'unknown' : 'AI'}: ${who} · ${l.commit ? l.commit.slice(0, 7) : 'uncommitted'}`;
}
