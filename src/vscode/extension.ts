/**
 * Activation and wiring only. Nothing here runs git or reads files: the first git call
 * happens when a document is first looked at, off the activation path.
 */
import * as vscode from 'vscode';
import { v4 as uuid } from 'uuid';
import type { Origin } from '../core/model';
import { showFile } from '../git/commands';
import { runGit } from '../git/runner';
import type { ProvenanceApi } from './api';
import type { AcceptStats } from './capture/inlineAccept';
import { registerAcceptCommands } from './capture/inlineAccept';
import { ChangeCapture } from './capture/changeCapture';
import { MoveSources } from './capture/moves';
import { registerMarkSelection } from './commands/markSelection';
import { registerRecordEdit } from './commands/recordEdit';
import { registerReviewCritical } from './commands/reviewCritical';
import { registerShowRanges } from './commands/showRanges';
import { DocumentRegistry } from './documents/registry';
import { registerReport } from './report/reportPanel';
import { RepoResolver } from './documents/repos';
import { CommitPreview } from './scm/commitPreview';
import { registerAgentOffer } from './scm/agentOffer';
import { registerInstallOffer } from './scm/installOffer';
import { BlameView } from './ui/blame';
import { CriticalPaths } from './ui/critical';
import { FileBadges } from './ui/fileBadges';
import { ProvenanceStatusBar } from './ui/statusBar';
import { canonicalToolName } from '../core/agents/toolNames';

let registry: DocumentRegistry | undefined;

/** Starts the extension. */
export function activate(context: vscode.ExtensionContext): ProvenanceApi {
  const started = performance.now();
  const output = vscode.window.createOutputChannel('AI Provenance', { log: true });
  const log = (m: string): void => output.info(m);
  const resolver = new RepoResolver((m) => {
    output.warn(m);
    void vscode.window.showWarningMessage(m);
  });
  const now = (): number => Date.now();
  const reg = new DocumentRegistry({ resolver, log, now, newId: uuid, writerId: `extension:${uuid()}` });
  registry = reg;
  const makeOrigin = (tool: string, model?: string, session?: string): Origin => ({
    id: uuid(), kind: 'inline', tool: canonicalToolName(tool), ...(model ? { model } : {}), session: session ?? uuid(), time: now(),
  });
  const moves = new MoveSources(reg);
  const capture = new ChangeCapture({
    registry: reg, now, newId: uuid, log, moves,
    isCommittedContent: async (doc) => {
      const st = reg.get(doc.uri);
      if (st?.placement?.kind !== 'repo') return false;
      const head = await runGit(st.placement.repo.info.root, showFile('HEAD', st.placement.rel), { timeoutMs: 10_000 });
      return head === doc.getText();
    },
  });
  const acceptStats: AcceptStats = { reported: 0, recorded: 0 };
  const critical = new CriticalPaths(reg, context, log);
  const status = new ProvenanceStatusBar(reg, critical);
  const blameView = new BlameView(reg, (uri) => critical.match(uri)?.reason, log);
  const preview = new CommitPreview({ log, newId: uuid, onLedgerChanged: reg.onDidChange });
  // The git extension activates on its own schedule; the preview attaches when it is ready.
  void preview.start().catch((e: unknown) => log(`git extension not available: ${String(e)}`));
  context.subscriptions.push(
    output, reg, moves, capture, critical, status, blameView, new FileBadges(reg, resolver, critical),
    vscode.workspace.onDidOpenTextDocument((d) => void reg.open(d)),
    vscode.workspace.onDidSaveTextDocument((d) => reg.saved(d)),
    vscode.workspace.onDidCloseTextDocument((d) => void reg.closed(d)),
    vscode.workspace.onDidGrantWorkspaceTrust(() => void reg.replaceAll()),
    ...registerAcceptCommands(reg, (tool) => makeOrigin(tool), acceptStats),
    ...registerMarkSelection(reg, makeOrigin),
    registerRecordEdit(reg, makeOrigin),
    registerShowRanges(reg),
    preview,
    ...registerInstallOffer(context, () => preview.gitApi, log),
    ...registerAgentOffer(context, () => preview.gitApi, log),
    registerReviewCritical(() => preview.gitApi, log),
  );
  context.subscriptions.push(registerReport(context, { log }));
  for (const d of vscode.workspace.textDocuments) reg.open(d);
  log(`activated; workspace trusted: ${String(vscode.workspace.isTrusted)}; edit-source API ${process.env.AIP_EDIT_SOURCE === 'off' ? 'switched off' : 'used when granted'}`);

  const activationMs = performance.now() - started;
  return {
    activationMs: () => activationMs,
    lines: (uri) => {
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      return doc ? reg.lines(doc).map((l) => ({ line: l.line, kind: l.kind, tool: l.origin.tool, model: l.origin.model, originKind: l.origin.kind, time: l.origin.time })) : [];
    },
    segments: (uri) => reg.segments(uri).map((s) => ({ start: s.start, end: s.end, state: s.state, tool: s.origin.tool, model: s.origin.model, originKind: s.origin.kind })),
    ready: async (uri) => {
      await reg.get(uri)?.ready;
    },
    flush: () => reg.flush(),
    statusText: () => status.text,
    blameRender: () => blameView.lastRenderInfo,
    blameLines: async (uri) => {
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      return doc ? blameView.decoratedLines(doc) : [];
    },
    commitPreviewText: async () => {
      await preview.refresh();
      return preview.text;
    },
    lastEditSource: () => capture.lastSource,
    acceptStats: () => ({ ...acceptStats }),
  };
}

/** Writes what is pending before the window goes away. */
export async function deactivate(): Promise<void> {
  await registry?.flush();
}
