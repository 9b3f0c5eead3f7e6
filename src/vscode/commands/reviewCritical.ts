/**
 * "AI Provenance: Review AI Changes in Critical Files": the staged files of critical paths
 * that hold AI-written lines, each opened as a diff of HEAD against the index, so the person
 * who must review them sees exactly what will be committed.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { attributeChange } from '../../node/attribution';
import { matchCritical } from '../../core/policy/match';
import { repoInfo, stagedPatch } from '../../git/commands';
import { LedgerStore } from '../../node/ledgerStore';
import { loadPolicy } from '../../node/policyFile';
import { runGit } from '../../git/runner';
import type { GitApi } from '../scm/commitPreview';


/** Staged critical files with AI lines in the repository at `root`. */
export async function stagedCriticalFiles(root: string, log: (m: string) => void): Promise<Array<{ path: string; lines: number; reason: string }>> {
  const info = await runGit(root, repoInfo(root));
  const [patches, ledger, loaded] = await Promise.all([
    runGit(root, stagedPatch()),
    new LedgerStore(info.ledgerDir, log).read(),
    loadPolicy({ root: info.root, ledgerDir: info.ledgerDir, source: { kind: 'index' }, save: false }),
  ]);
  const result = await attributeChange({ cwd: root, root: info.root, patches, target: { spec: (p) => `:${p}` }, ledger, notes: [], linesOnly: true });
  const out: Array<{ path: string; lines: number; reason: string }> = [];
  for (const f of result.files) {
    const match = matchCritical(loaded.policy, f.path);
    const lines = f.runs.reduce((n, r) => (r.kind === 'unknown' ? n : n + r.endLine - r.startLine + 1), 0);
    if (match && lines > 0) out.push({ path: f.path, lines, reason: match.reason });
  }
  return out;
}

/** Registers the command. */
export function registerReviewCritical(getGit: () => GitApi | undefined, log: (m: string) => void): vscode.Disposable {
  return vscode.commands.registerCommand('aiProvenance.reviewCritical', async () => {
    const git = getGit();
    const repo = git?.repositories[0];
    if (!git || !repo) {
      void vscode.window.showInformationMessage('AI Provenance: no git repository is open.');
      return;
    }
    const files = await stagedCriticalFiles(repo.rootUri.fsPath, log);
    if (files.length === 0) {
      void vscode.window.showInformationMessage('AI Provenance: no staged AI-written lines in critical files.');
      return;
    }
    const picks = files.length === 1 ? files : await vscode.window.showQuickPick(
      files.map((f) => ({ label: f.path, description: `${f.lines} AI line(s) · ${f.reason}`, file: f })),
      { canPickMany: true, placeHolder: 'Staged AI-written changes in critical files' },
    ).then((sel) => sel?.map((s) => s.file));
    for (const f of picks ?? []) {
      const uri = vscode.Uri.file(path.join(repo.rootUri.fsPath, f.path));
      await vscode.commands.executeCommand('vscode.diff', git.toGitUri(uri, 'HEAD'), git.toGitUri(uri, ''), `${f.path} (AI, critical: HEAD ↔ staged)`);
    }
  });
}
