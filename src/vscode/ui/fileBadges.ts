/**
 * File badges in the Explorer and Source Control views: "AI" on files holding uncommitted
 * AI-written lines, "AI!" (warning colour) when such a file is in a critical path.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DocumentRegistry } from '../documents/registry';
import type { RepoHandle, RepoResolver } from '../documents/repos';
import type { CriticalPaths } from './critical';

/** Provides the badges from the ledgers of the worktrees seen so far. */
export class FileBadges implements vscode.FileDecorationProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<vscode.Uri[] | undefined>();
  readonly onDidChangeFileDecorations = this.emitter.event;
  /** Per worktree root: repository paths with uncommitted AI lines. */
  private readonly files = new Map<string, Set<string>>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly registry: DocumentRegistry,
    private readonly resolver: RepoResolver,
    private readonly critical: CriticalPaths,
  ) {
    this.disposables.push(
      this.emitter,
      vscode.window.registerFileDecorationProvider(this),
      registry.onDidChangeLedger((repo) => void this.reload(repo)),
      registry.onDidChange((uri) => this.emitter.fire([uri])),
      critical.onDidChange((uri) => this.emitter.fire([uri])),
    );
  }

  private async reload(repo: RepoHandle): Promise<void> {
    const ledger = await repo.store.read();
    const before = this.files.get(repo.info.root) ?? new Set<string>();
    const now = new Set(Object.entries(ledger.files).filter(([, f]) => f.ranges.length > 0).map(([p]) => p));
    this.files.set(repo.info.root, now);
    const changed = [...new Set([...before, ...now])].map((p) => vscode.Uri.file(path.join(repo.info.root, p)));
    this.emitter.fire(changed);
  }

  provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
    if (uri.scheme !== 'file') return undefined;
    for (const repo of this.resolver.repos()) {
      if (!this.files.has(repo.info.root)) void this.reload(repo);
      const rel = path.relative(repo.info.root, uri.fsPath).split(path.sep).join('/');
      if (rel.startsWith('..')) continue;
      const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      const hasAi = open ? this.registry.lines(open).some((l) => l.kind !== 'unknown') : (this.files.get(repo.info.root)?.has(rel) ?? false);
      if (!hasAi) return undefined;
      const critical = this.critical.matchPath(repo.info.root, rel);
      return critical
        ? new vscode.FileDecoration('AI!', `Uncommitted AI-written lines in a critical path: ${critical.reason}`, new vscode.ThemeColor('list.warningForeground'))
        : new vscode.FileDecoration('AI', 'Uncommitted AI-written lines');
    }
    return undefined;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
