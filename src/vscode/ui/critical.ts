/**
 * Critical paths in the editor, at write time: for every AI or mixed line in a file the
 * repository's policy (`.ai-provenance.json`, plus `aiProvenance.critical.paths`) marks
 * critical, a Warning in the Problems view, a gutter mark, a hover with tool, model, time and
 * the rule; the first AI edit into a critical file in a session raises one notification; an
 * "Acknowledge" code action records who looked and when. A broken policy file gets one
 * diagnostic and the last valid policy stays in force.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LineAttribution } from '../../core/lines/lines';
import { toRuns } from '../../core/lines/lines';
import type { CriticalMatch } from '../../core/policy/match';
import type { Policy } from '../../core/policy/policy';
import { formatProblem } from '../../core/policy/schema';
import { matchCritical } from '../../core/policy/match';
import { policyFileName, withUserPatterns } from '../../core/policy/policy';
import type { AiFile } from '../../core/policy/friction';
import type { GovernancePreview } from '../../core/policy/preview';
import { previewGovernance } from '../../core/policy/preview';
import { authorIdent } from '../../git/historyCommands';
import type { LoadedPolicy } from '../../node/policyFile';
import { loadPolicy } from '../../node/policyFile';
import { runGit } from '../../git/runner';
import type { DocumentRegistry } from '../documents/registry';

/** Diagnostic code of the critical-path warning (code actions key on it). */
export const criticalCode = 'ai-critical';

/** Recomputing diagnostics per keystroke is wasted work; they lag edits by this much. */
const refreshDelayMs = 200;

interface RepoPolicy {
  readonly ledgerDir: string;
  /** Loads can finish out of order (a broken file takes longer); only the newest one counts. */
  generation: number;
  loaded: LoadedPolicy | undefined;
  policy: Policy | undefined;
  pending: Promise<void> | undefined;
}

/** An acknowledgement: someone looked at AI lines in a critical file (not a review by another). */
interface Acknowledgement {
  readonly path: string;
  readonly startLine: number;
  readonly endLine: number;
  readonly by: string;
  readonly at: string;
}

/** Owns policies, diagnostics, gutter marks, hovers and the notification. */
export class CriticalPaths implements vscode.Disposable {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('aiProvenance');
  private readonly gutter: vscode.TextEditorDecorationType;
  private readonly repos = new Map<string, RepoPolicy>();
  private readonly notified = new Set<string>();
  private readonly acknowledged = new Map<string, Acknowledgement[]>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private userPatterns: string[] = [];
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  /** Fires when a document's critical diagnostics were recomputed. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly registry: DocumentRegistry,
    private readonly context: vscode.ExtensionContext,
    private readonly log: (m: string) => void,
  ) {
    this.gutter = vscode.window.createTextEditorDecorationType({
      gutterIconPath: vscode.Uri.file(path.join(context.extensionPath, 'media', 'ai-critical.svg')),
      gutterIconSize: 'contain',
      overviewRulerColor: new vscode.ThemeColor('editorWarning.foreground'),
      overviewRulerLane: vscode.OverviewRulerLane.Left,
    });
    this.disposables.push(
      this.diagnostics,
      this.gutter,
      this.changed,
      registry.onDidChange((uri) => this.schedule(uri)),
      vscode.window.onDidChangeVisibleTextEditors(() => this.decorateVisible()),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (path.basename(e.document.uri.fsPath) === policyFileName) this.policyChanged(e.document.uri);
      }),
      vscode.workspace.onDidSaveTextDocument((d) => {
        if (path.basename(d.uri.fsPath) === policyFileName) this.policyChanged(d.uri);
      }),
      vscode.workspace.onDidChangeConfiguration((e) => this.onConfigurationChanged(e)),
      vscode.languages.registerHoverProvider({ scheme: 'file' }, { provideHover: (doc, pos) => this.hover(doc, pos) }),
      vscode.languages.registerCodeActionsProvider({ scheme: 'file' }, { provideCodeActions: (doc, _range, ctx) => this.codeActions(doc, ctx) }, {
        providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
      }),
      vscode.commands.registerCommand('aiProvenance.acknowledge', (uri: vscode.Uri, startLine: number, endLine: number) => this.acknowledge(uri, startLine, endLine)),
      vscode.commands.registerCommand('aiProvenance.openPolicy', () => this.openPolicy()),
    );
    const watcher = vscode.workspace.createFileSystemWatcher(`**/${policyFileName}`);
    this.disposables.push(watcher, watcher.onDidChange((u) => this.policyChanged(u)), watcher.onDidCreate((u) => this.policyChanged(u)), watcher.onDidDelete((u) => this.policyChanged(u)));
    this.onConfigurationChanged();
  }

  /** Startup and every change of our settings share this path (house style). */
  private onConfigurationChanged(e?: vscode.ConfigurationChangeEvent): void {
    if (e && !e.affectsConfiguration('aiProvenance.critical')) return;
    this.userPatterns = vscode.workspace.getConfiguration('aiProvenance').get<string[]>('critical.paths', []).filter((p) => typeof p === 'string');
    for (const r of this.repos.values()) r.policy = r.loaded ? withUserPatterns(r.loaded.policy, this.userPatterns) : undefined;
    for (const doc of vscode.workspace.textDocuments) this.schedule(doc.uri);
  }

  /** Whether an open document is critical, and by which rule (undefined while unknown). */
  match(uri: vscode.Uri): CriticalMatch | undefined {
    const st = this.registry.get(uri);
    if (st?.placement?.kind !== 'repo') return undefined;
    const repo = this.repos.get(st.placement.repo.info.root);
    if (!repo?.policy) {
      void this.ensurePolicy(st.placement.repo.info.root, st.placement.repo.info.ledgerDir).then(() => this.schedule(uri));
      return undefined;
    }
    return matchCritical(repo.policy, st.placement.rel);
  }

  /**
   * The governance of an open document as the next commit would meet it: its rules' budgets as
   * spent by the AI lines of every open document of its repository, and the reviews the commit
   * will need (the commit-msg hook's decision, src/core/policy/preview.ts). Undefined when the
   * file has no AI line in a critical path or its rules use no governance key (the warning says it all).
   */
  governance(uri: vscode.Uri): GovernancePreview | undefined {
    const st = this.registry.get(uri);
    if (st?.placement?.kind !== 'repo') return undefined;
    const root = st.placement.repo.info.root;
    const policy = this.repos.get(root)?.policy;
    if (!policy) return undefined;
    const files: AiFile[] = [];
    for (const d of vscode.workspace.textDocuments) {
      const other = this.registry.get(d.uri);
      if (other?.placement?.kind !== 'repo' || other.placement.repo.info.root !== root) continue;
      // Git and the hook count lines from 1; the editor from 0.
      const lines = this.registry.lines(d).filter((l) => l.kind === 'ai' || l.kind === 'mixed').map((l) => l.line + 1);
      if (lines.length > 0) files.push({ path: other.placement.rel, lines });
    }
    const preview = previewGovernance(policy, files, st.placement.rel);
    return preview?.governed ? preview : undefined;
  }

  /** Whether a repository path is critical, when that repository's policy is loaded. */
  matchPath(root: string, rel: string): CriticalMatch | undefined {
    const policy = this.repos.get(root)?.policy;
    return policy ? matchCritical(policy, rel) : undefined;
  }

  private ensurePolicy(root: string, ledgerDir: string, text?: string): Promise<void> {
    let repo = this.repos.get(root);
    if (!repo) {
      repo = { ledgerDir, generation: 0, loaded: undefined, policy: undefined, pending: undefined };
      this.repos.set(root, repo);
    }
    if (repo.pending && text === undefined) return repo.pending;
    const r = repo;
    const generation = ++r.generation;
    r.pending = loadPolicy({ root, ledgerDir, ...(text !== undefined ? { text } : {}) })
      .then((loaded) => {
        if (generation !== r.generation) return;
        r.loaded = loaded;
        r.policy = withUserPatterns(loaded.policy, this.userPatterns);
        this.showPolicyProblems(root, loaded);
        if (loaded.notice) this.log(loaded.notice);
      })
      .catch((e: unknown) => this.log(`loading the policy of ${root} failed: ${String(e)}`));
    return r.pending;
  }

  private policyChanged(uri: vscode.Uri): void {
    void (async () => {
      // An open policy document is read from its buffer: errors show while typing.
      const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      let root: string | undefined;
      let ledgerDir: string | undefined;
      const st = open ? this.registry.open(open) : undefined;
      await st?.ready;
      if (st?.placement?.kind === 'repo') {
        root = st.placement.repo.info.root;
        ledgerDir = st.placement.repo.info.ledgerDir;
      } else {
        for (const [r, repo] of this.repos) {
          if (path.join(r, policyFileName) === uri.fsPath) {
            root = r;
            ledgerDir = repo.ledgerDir;
          }
        }
      }
      if (!root || !ledgerDir) return;
      await this.ensurePolicy(root, ledgerDir, open ? open.getText() : undefined);
      for (const doc of vscode.workspace.textDocuments) this.schedule(doc.uri);
    })().catch((e: unknown) => this.log(`policy reload failed: ${String(e)}`));
  }

  private showPolicyProblems(root: string, loaded: LoadedPolicy): void {
    const uri = vscode.Uri.file(path.join(root, policyFileName));
    if (loaded.errors.length === 0) {
      this.diagnostics.delete(uri);
      return;
    }
    // One clear diagnostic, on the first error: the rest usually follow from it.
    const p = loaded.errors[0]!;
    const range = new vscode.Range(p.line - 1, p.column - 1, p.endLine - 1, Math.max(p.endColumn - 1, p.column));
    const inForce = loaded.from === 'last-good' ? 'the last valid policy stays in force until it is fixed' : 'no earlier valid policy is known: nothing is critical until it is fixed';
    const d = new vscode.Diagnostic(range, `${p.message} — ${inForce}.`, vscode.DiagnosticSeverity.Error);
    d.source = 'AI Provenance';
    this.diagnostics.set(uri, [d]);
  }

  private schedule(uri: vscode.Uri): void {
    const key = uri.toString();
    if (this.timers.has(key)) return;
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      this.refresh(uri);
    }, refreshDelayMs));
  }

  /** Critical AI line runs of an open document. */
  criticalRuns(doc: vscode.TextDocument): { match: CriticalMatch; lines: LineAttribution[] } | undefined {
    const match = this.match(doc.uri);
    if (!match) return undefined;
    // Unknown lines (changed outside the editor, no record) are not AI-written code.
    return { match, lines: this.registry.lines(doc).filter((l) => l.kind !== 'unknown') };
  }

  private refresh(uri: vscode.Uri): void {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (!doc || path.basename(doc.uri.fsPath) === policyFileName && this.diagnostics.get(uri)?.some((d) => d.severity === vscode.DiagnosticSeverity.Error)) {
      this.decorateVisible();
      return;
    }
    const found = this.criticalRuns(doc);
    const rel = this.relPath(doc.uri);
    const acks = rel ? this.acknowledged.get(rel) ?? [] : [];
    const diags: vscode.Diagnostic[] = [];
    const gov = found ? this.governance(doc.uri) : undefined;
    const govText = gov ? ` — ${[...gov.budgets, ...gov.needs.map((n) => `the commit ${n}`)].join('; ')}` : '';
    if (found) {
      for (const run of toRuns(found.lines)) {
        const range = new vscode.Range(run.startLine, 0, run.endLine, doc.lineAt(run.endLine).text.length);
        const acked = acks.some((a) => a.startLine <= run.startLine && run.endLine <= a.endLine);
        const d = new vscode.Diagnostic(
          range,
          `AI-written code in a critical path: ${found.match.reason}${found.match.rule.tier !== undefined ? ` (${found.match.rule.tier})` : ''}${govText}${acked ? ' (acknowledged)' : ''}`,
          acked ? vscode.DiagnosticSeverity.Information : vscode.DiagnosticSeverity.Warning,
        );
        d.source = 'AI Provenance';
        d.code = criticalCode;
        diags.push(d);
      }
      if (diags.length > 0) this.notifyOnce(doc, found.match);
    }
    this.diagnostics.set(uri, diags);
    this.decorateVisible();
    this.changed.fire(uri);
  }

  private relPath(uri: vscode.Uri): string | undefined {
    const st = this.registry.get(uri);
    return st?.placement?.kind === 'repo' ? st.placement.rel : undefined;
  }

  private decorateVisible(): void {
    for (const editor of vscode.window.visibleTextEditors) {
      const diags = this.diagnostics.get(editor.document.uri) ?? [];
      editor.setDecorations(this.gutter, diags.filter((d) => d.code === criticalCode).map((d) => d.range));
    }
  }

  private notifyOnce(doc: vscode.TextDocument, match: CriticalMatch): void {
    const key = doc.uri.toString();
    if (this.notified.has(key)) return;
    this.notified.add(key);
    const rel = this.relPath(doc.uri) ?? path.basename(doc.uri.fsPath);
    void vscode.window
      .showWarningMessage(`AI wrote into a critical file: ${rel} (${match.reason}). Commits there need: ${match.friction}.`, 'Show', 'Open Policy')
      .then((pick) => {
        if (pick === 'Show') void vscode.commands.executeCommand('workbench.actions.view.problems');
        else if (pick === 'Open Policy') void this.openPolicy();
      });
  }

  private hover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    const found = this.criticalRuns(doc);
    const line = found?.lines.find((l) => l.line === pos.line);
    if (!found || !line) return undefined;
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`**AI Provenance** — ${line.kind === 'mixed' ? 'AI-written, edited by hand' : line.kind === 'unknown' ? 'changed outside the editor (unknown)' : 'AI-written'}\n\n`);
    md.appendMarkdown(`- tool: \`${line.origin.tool}\`\n- model: \`${line.origin.model ?? 'unknown'}\`\n- written: ${new Date(line.origin.time).toLocaleString()}\n`);
    md.appendMarkdown(`- critical: ${found.match.reason} (rule \`${found.match.pattern}\`, friction **${found.match.friction}**${found.match.rule.tier !== undefined ? `, tier **${found.match.rule.tier}**` : ''})\n`);
    const gov = this.governance(doc.uri);
    for (const b of gov?.budgets ?? []) md.appendMarkdown(`- budget: ${b}\n`);
    for (const n of gov?.needs ?? []) md.appendMarkdown(`- the commit ${n}\n`);
    return new vscode.Hover(md);
  }

  private codeActions(doc: vscode.TextDocument, ctx: vscode.CodeActionContext): vscode.CodeAction[] {
    return ctx.diagnostics
      .filter((d) => d.code === criticalCode && d.severity === vscode.DiagnosticSeverity.Warning)
      .map((d) => {
        const action = new vscode.CodeAction('Acknowledge AI-written code in this critical path', vscode.CodeActionKind.QuickFix);
        action.diagnostics = [d];
        action.command = { command: 'aiProvenance.acknowledge', title: 'Acknowledge', arguments: [doc.uri, d.range.start.line, d.range.end.line] };
        return action;
      });
  }

  /** Records who acknowledged the lines and when, in the git dir (not a review by someone else). */
  private async acknowledge(uri: vscode.Uri, startLine: number, endLine: number): Promise<void> {
    const st = this.registry.get(uri);
    if (st?.placement?.kind !== 'repo') return;
    const { repo, rel } = st.placement;
    // `Name <email> 1700000000 +0100`: who, without the time git appends.
    const ident = (await runGit(repo.info.root, authorIdent()).catch(() => 'unknown')).replace(/\s+\d+\s+[+-]\d{4}$/, '');
    const ack: Acknowledgement = { path: rel, startLine, endLine, by: ident, at: new Date().toISOString() };
    const list = this.acknowledged.get(rel) ?? [];
    list.push(ack);
    this.acknowledged.set(rel, list);
    const file = path.join(repo.info.ledgerDir, 'acknowledgements.jsonl');
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.appendFile(file, JSON.stringify(ack) + '\n');
    this.refresh(uri);
  }

  private async openPolicy(): Promise<void> {
    const root = [...this.repos.keys()][0] ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    if (!root) return;
    await vscode.window.showTextDocument(vscode.Uri.file(path.join(root, policyFileName)));
  }

  /** The first problem of the policy in force for a root, formatted (for the status bar tooltip). */
  policyNotice(root: string): string | undefined {
    const loaded = this.repos.get(root)?.loaded;
    return loaded?.errors[0] ? formatProblem(loaded.errors[0]) : undefined;
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const d of this.disposables) d.dispose();
  }
}
