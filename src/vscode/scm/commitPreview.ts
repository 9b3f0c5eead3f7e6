/**
 * What the next commit will say about AI, shown before it is made: a status bar item
 * ("AI: 120 of 210 lines · Claude Code, Copilot") for the staged change of the repository
 * the active file belongs to, and, with `aiProvenance.commit.trailers` set to `messageBox`,
 * the trailers themselves in the Source Control message box. The `prepare-commit-msg` hook
 * replaces our own trailers rather than adding them again, so the two never duplicate.
 *
 * It reads the same ledger and runs the same computation as the hook, in-process.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ChangeCount } from '../../core/commit/changeLines';
import { buildTrailers, provenanceIds, stripOwnTrailers } from '../../core/commit/trailers';
import { attributeChange } from '../../node/attribution';
import { stagedPatch } from '../../git/commands';
import { LedgerStore } from '../../node/ledgerStore';
import { runGit } from '../../git/runner';
import { repoInfo } from '../../git/commands';

/** The parts of the built-in git extension's API (v1) we use. */
interface GitInputBox {
  value: string;
}
interface GitRepositoryState {
  readonly onDidChange: vscode.Event<void>;
}
/** A repository of the built-in git extension. */
export interface GitRepository {
  readonly rootUri: vscode.Uri;
  readonly inputBox: GitInputBox;
  readonly state: GitRepositoryState;
}
/** The built-in git extension's API. */
export interface GitApi {
  readonly repositories: readonly GitRepository[];
  /** A URI of a file's content at `ref` (`HEAD`, or `''` for the index). */
  toGitUri(uri: vscode.Uri, ref: string): vscode.Uri;
  readonly onDidOpenRepository: vscode.Event<GitRepository>;
}
interface GitExtensionExports {
  getAPI(version: 1): GitApi;
}

/** How trailers reach a commit made in VS Code. */
export type TrailerMode = 'hook' | 'messageBox' | 'off';

/** Recomputing on every index change of a busy repository is wasted work. */
const refreshDelayMs = 300;

/** The text of the preview, or undefined when the staged change has no AI lines. */
export function previewText(count: ChangeCount): string | undefined {
  const ai = count.ai + count.mixed;
  if (ai === 0) return undefined;
  const tools = [...new Set(count.tools.map((t) => t.tool))].join(', ');
  return `$(sparkle) AI: ${ai} of ${count.added} lines${tools ? ` · ${tools}` : ''}`;
}

/** The message box value with our trailer block replaced by `count`'s (keeping its id). */
export function withTrailers(message: string, count: ChangeCount, newId: () => string): string {
  const id = provenanceIds(message).pop() ?? newId();
  const base = stripOwnTrailers(message).message.replace(/\s+$/, '');
  const trailers = buildTrailers(count, id);
  if (trailers.length === 0) return base;
  return `${base}${base ? '\n\n' : ''}${trailers.map((t) => `${t.key}: ${t.value}`).join('\n')}`;
}

/** Computes the AI lines of the staged change of the repository at `root`. */
export async function stagedCount(root: string, warn: (m: string) => void): Promise<ChangeCount> {
  const info = await runGit(root, repoInfo(root));
  const [patches, ledger] = await Promise.all([runGit(root, stagedPatch()), new LedgerStore(info.ledgerDir, warn).read()]);
  const result = await attributeChange({ cwd: root, root: info.root, patches, target: { spec: (p) => `:${p}` }, ledger, notes: [], linesOnly: true });
  return result.count;
}

/** Owns the preview item and the message-box trailers. */
export class CommitPreview implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];
  private api: GitApi | undefined;
  private timer: NodeJS.Timeout | undefined;
  private mode: TrailerMode = 'hook';
  private lastText: string | undefined;

  constructor(
    private readonly deps: { log: (m: string) => void; newId: () => string; onLedgerChanged: vscode.Event<vscode.Uri> },
  ) {
    this.item = vscode.window.createStatusBarItem('aiProvenance.commitPreview', vscode.StatusBarAlignment.Left, 10);
    this.item.name = 'AI Provenance: next commit';
    this.item.command = 'workbench.view.scm';
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => this.onConfigurationChanged(e)),
      vscode.window.onDidChangeActiveTextEditor(() => this.schedule()),
      deps.onLedgerChanged(() => this.schedule()),
    );
    this.onConfigurationChanged();
  }

  /** The built-in git extension's API, once connected. */
  get gitApi(): GitApi | undefined {
    return this.api;
  }

  /** The preview's text (undefined while hidden), for tests. */
  get text(): string | undefined {
    return this.lastText;
  }

  /** Connects to the built-in git extension once it is there; without it there is no preview. */
  async start(): Promise<void> {
    const ext = vscode.extensions.getExtension<GitExtensionExports>('vscode.git');
    if (!ext) return;
    const exports = ext.isActive ? ext.exports : await ext.activate();
    this.api = exports.getAPI(1);
    const watch = (repo: GitRepository): void => {
      this.disposables.push(repo.state.onDidChange(() => this.schedule()));
    };
    this.api.repositories.forEach(watch);
    this.disposables.push(this.api.onDidOpenRepository((r) => {
      watch(r);
      this.schedule();
    }));
    this.schedule();
  }

  private onConfigurationChanged(e?: vscode.ConfigurationChangeEvent): void {
    if (e && !e.affectsConfiguration('aiProvenance.commit')) return;
    this.mode = vscode.workspace.getConfiguration('aiProvenance').get<TrailerMode>('commit.trailers', 'hook');
    this.schedule();
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.refresh().catch((err: unknown) => this.deps.log(`commit preview failed: ${String(err)}`));
    }, refreshDelayMs);
  }

  /** The repository of the active file, else the only one. */
  private currentRepo(): GitRepository | undefined {
    const repos = this.api?.repositories ?? [];
    const file = vscode.window.activeTextEditor?.document.uri;
    if (file?.scheme === 'file') {
      const inside = repos.filter((r) => !path.relative(r.rootUri.fsPath, file.fsPath).startsWith('..'));
      inside.sort((a, b) => b.rootUri.fsPath.length - a.rootUri.fsPath.length);
      if (inside[0]) return inside[0];
    }
    return repos.length === 1 ? repos[0] : undefined;
  }

  /** Recomputes now (also used by tests). */
  async refresh(): Promise<void> {
    const repo = this.currentRepo();
    if (!repo || this.mode === 'off' || !vscode.workspace.isTrusted) {
      this.hide();
      return;
    }
    const count = await stagedCount(repo.rootUri.fsPath, this.deps.log);
    const text = previewText(count);
    if (this.mode === 'messageBox') {
      const next = withTrailers(repo.inputBox.value, count, this.deps.newId);
      if (next !== repo.inputBox.value.replace(/\s+$/, '')) repo.inputBox.value = next;
    }
    if (!text) {
      this.hide();
      return;
    }
    this.lastText = text;
    this.item.text = text;
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**Next commit** (staged): ${count.ai} AI line(s)${count.mixed ? `, ${count.mixed} edited by hand` : ''} of ${count.added} added.\n\n`);
    for (const t of count.tools) md.appendMarkdown(`- \`${t.tool}:${t.model ?? 'unknown'}\`: ${t.lines}\n`);
    md.appendMarkdown(
      this.mode === 'messageBox'
        ? '\nThe trailers are in the commit message box.'
        : '\nThe `prepare-commit-msg` hook adds `Assisted-by` and `AI-Lines` trailers (run `git provenance install` once per repository).',
    );
    this.item.tooltip = md;
    this.item.show();
  }

  private hide(): void {
    this.lastText = undefined;
    this.item.hide();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
    this.item.dispose();
  }
}
