/**
 * "AI Provenance: Show Report": scans the repository's history in the extension host with the
 * CLI's own code (`scanStats`: one `git log --numstat`, the notes in one batch, counting in
 * chunks that yield to the event loop) under a cancellable progress notification, then shows
 * the report in a webview. Commit hashes in the page open the commit as a read-only document.
 *
 * The command resolves, once the page has painted, with a {@link ReportResult}: tests wait on
 * it, and the report's first-paint figure comes from it.
 */
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CommitStat, Counts } from '../../core/report/stats';
import { matchCritical } from '../../core/policy/match';
import { policyFileName, withUserPatterns } from '../../core/policy/policy';
import { buildReportModel } from '../../core/report/reportModel';
import { repoInfo } from '../../git/commands';
import type { RepoInfo } from '../../git/commands';
import { loadPolicy } from '../../node/policyFile';
import { runGit } from '../../git/runner';
import { ScanCancelled, scanStats } from '../../node/statsScan';
import { commitScheme, CommitDocuments, commitUri } from './commitDocument';
import type { ReportMessage } from './reportHtml';
import { renderReport } from './reportHtml';

/** The command's id. */
export const showReportCommand = 'aiProvenance.showReport';

/** What a run of the command did (the command's return value). */
export type ReportResult =
  | {
      readonly status: 'shown';
      /** From the command's start to the page's second animation frame, in ms. */
      readonly firstPaintMs: number;
      /** Time spent scanning history, in ms. */
      readonly scanMs: number;
      readonly commits: number;
      /** The report's totals (the same as `git provenance stats --json`). */
      readonly total: Counts;
      readonly charts: number;
      readonly root: string;
    }
  | { readonly status: 'cancelled' | 'no-repository' | 'untrusted' | 'failed'; readonly message?: string };

/** How long to wait for the page to say it painted before giving up on the figure. */
const paintTimeoutMs = 30_000;

/** Dependencies the extension hands in. */
export interface ReportDeps {
  readonly log: (m: string) => void;
}

interface Shown {
  panel: vscode.WebviewPanel;
  root: string;
  commits: ReadonlySet<string>;
  painted: ((charts: number) => void) | undefined;
}

function nonce(): string {
  return randomBytes(16).toString('base64').replace(/[^A-Za-z0-9]/g, '');
}

/** The repositories of the workspace folders (one per worktree). */
async function workspaceRepos(): Promise<RepoInfo[]> {
  const out = new Map<string, RepoInfo>();
  for (const f of vscode.workspace.workspaceFolders ?? []) {
    if (f.uri.scheme !== 'file') continue;
    const info = await runGit(f.uri.fsPath, repoInfo(f.uri.fsPath), { timeoutMs: 10_000 }).catch(() => undefined);
    if (info) out.set(info.root, info);
  }
  return [...out.values()];
}

async function pickRepo(): Promise<RepoInfo | undefined> {
  const repos = await workspaceRepos();
  if (repos.length <= 1) return repos[0];
  const pick = await vscode.window.showQuickPick(
    repos.map((r) => ({ label: path.basename(r.root), description: r.root, repo: r })),
    { placeHolder: 'Which repository should the report cover?' },
  );
  return pick?.repo;
}

/** Whether a path is critical in the repository (its policy file and the user's patterns). */
async function criticalPredicate(info: RepoInfo, log: (m: string) => void): Promise<((p: string) => boolean) | undefined> {
  const user = vscode.workspace.getConfiguration('aiProvenance', vscode.Uri.file(info.root)).get<unknown>('critical.paths');
  const patterns = Array.isArray(user) ? user.filter((p): p is string => typeof p === 'string') : [];
  try {
    const loaded = await loadPolicy({ root: info.root, ledgerDir: info.ledgerDir, save: false });
    if (loaded.notice) log(loaded.notice);
    const policy = withUserPatterns(loaded.policy, patterns);
    if (policy.critical.length === 0) return undefined;
    return (p) => matchCritical(policy, p) !== undefined;
  } catch (e) {
    log(`report: could not load ${policyFileName}: ${String(e)}`);
    return undefined;
  }
}

/**
 * Registers `aiProvenance.showReport` and the read-only commit documents it opens. One report
 * panel at a time: running the command again rescans and refreshes it.
 */
export function registerReport(_context: vscode.ExtensionContext, deps: ReportDeps): vscode.Disposable {
  const documents = new CommitDocuments(deps.log);
  let shown: Shown | undefined;

  const openCommit = async (root: string, commit: string): Promise<void> => {
    const doc = await vscode.workspace.openTextDocument(commitUri(root, commit));
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true });
  };

  const run = async (): Promise<ReportResult> => {
    const started = performance.now();
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage('AI Provenance: the report reads git history, which needs a trusted workspace.');
      return { status: 'untrusted' };
    }
    const info = await pickRepo();
    if (!info) {
      void vscode.window.showInformationMessage('AI Provenance: no git repository in this workspace to report on.');
      return { status: 'no-repository' };
    }
    let commits: CommitStat[];
    let scanMs: number;
    try {
      const t0 = performance.now();
      commits = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'AI Provenance: reading history', cancellable: true },
        async (progress, token) => {
          let reported = 0;
          return scanStats(info.root, [], {
            isCancelled: () => token.isCancellationRequested,
            onProgress: (done, total) => {
              const pct = total > 0 ? (done / total) * 100 : 100;
              progress.report({ message: `${done.toLocaleString()} of ${total.toLocaleString()} commits`, increment: pct - reported });
              reported = pct;
            },
          });
        },
      );
      scanMs = performance.now() - t0;
    } catch (e) {
      if (e instanceof ScanCancelled) return { status: 'cancelled' };
      const message = e instanceof Error ? e.message : String(e);
      deps.log(`report: scanning ${info.root} failed: ${message}`);
      void vscode.window.showErrorMessage(`AI Provenance: could not read the history: ${message}`);
      return { status: 'failed', message };
    }
    const isCritical = await criticalPredicate(info, deps.log);
    const model = buildReportModel(commits, isCritical ? { isCritical } : {});

    if (!shown || shown.root !== info.root) {
      shown?.panel.dispose();
      const panel = vscode.window.createWebviewPanel('aiProvenance.report', 'AI Provenance Report', vscode.ViewColumn.Active, {
        enableScripts: true,
        enableCommandUris: false,
        // The page loads nothing: no local or remote resources at all.
        localResourceRoots: [],
        retainContextWhenHidden: false,
      });
      const state: Shown = { panel, root: info.root, commits: new Set(), painted: undefined };
      shown = state;
      panel.onDidDispose(() => {
        if (shown === state) shown = undefined;
      });
      panel.webview.onDidReceiveMessage((m: ReportMessage) => {
        if (m?.type === 'painted') {
          state.painted?.(typeof m.charts === 'number' ? m.charts : 0);
          state.painted = undefined;
        } else if (m?.type === 'openCommit') {
          // Only commits the report listed: the page is not trusted to name anything else.
          if (typeof m.commit === 'string' && state.commits.has(m.commit)) void openCommit(state.root, m.commit).catch((e: unknown) => deps.log(`report: opening ${m.commit} failed: ${String(e)}`));
        } else if (m?.type === 'refresh') {
          void vscode.commands.executeCommand(showReportCommand);
        }
      });
    }
    const state = shown;
    state.commits = new Set([
      ...model.topCommits.map((c) => c.commit),
      ...(model.critical?.files.flatMap((f) => f.commits.map((c) => c.commit)) ?? []),
    ]);
    const painted = new Promise<number | undefined>((resolve) => {
      const timer = setTimeout(() => resolve(undefined), paintTimeoutMs);
      state.painted = (charts) => {
        clearTimeout(timer);
        resolve(charts);
      };
    });
    state.panel.webview.html = renderReport(model, {
      cspSource: state.panel.webview.cspSource,
      nonce: nonce(),
      repoName: path.basename(info.root),
      criticalSource: policyFileName,
    });
    state.panel.reveal(undefined, false);
    const charts = await painted;
    const firstPaintMs = performance.now() - started;
    if (charts === undefined) {
      deps.log(`report: the page did not report painting within ${paintTimeoutMs} ms`);
      return { status: 'failed', message: 'the report page did not paint' };
    }
    deps.log(`report: ${model.commits} commits scanned in ${Math.round(scanMs)} ms, first paint after ${Math.round(firstPaintMs)} ms`);
    return { status: 'shown', firstPaintMs, scanMs, commits: model.commits, total: model.total, charts, root: info.root };
  };

  return vscode.Disposable.from(
    vscode.workspace.registerTextDocumentContentProvider(commitScheme, documents),
    vscode.commands.registerCommand(showReportCommand, run),
    {
      dispose: (): void => {
        shown?.panel.dispose();
      },
    },
  );
}
