/**
 * Which git worktree (and so which ledger) a document belongs to. Resolved lazily, once per
 * folder, and never in an untrusted workspace: running git there could run the repo's hooks
 * or config, which trust exists to prevent.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { repoInfo } from '../../git/commands';
import type { RepoInfo } from '../../git/commands';
import { LedgerStore } from '../../node/ledgerStore';
import { runGit } from '../../git/runner';
import { realWorktree, resolveWorktreePath } from '../../node/worktreePath';

/** A worktree with its ledger. */
export interface RepoHandle {
  readonly info: RepoInfo;
  readonly store: LedgerStore;
}

/** Why a document is tracked in memory only. */
export type MemoryOnlyReason = 'untrusted' | 'not-a-file' | 'outside-git';

/** Where a document's provenance is kept. */
export type Placement =
  | { readonly kind: 'repo'; readonly repo: RepoHandle; readonly rel: string }
  | { readonly kind: 'memory'; readonly reason: MemoryOnlyReason };

/** Finds and caches the worktree of documents. */
export class RepoResolver {
  private readonly byDir = new Map<string, Promise<RepoInfo | undefined>>();
  private readonly stores = new Map<string, RepoHandle>();

  constructor(private readonly warn: (message: string) => void) {}

  /** Where `uri` belongs; never throws. */
  async place(uri: vscode.Uri): Promise<Placement> {
    if (!vscode.workspace.isTrusted) return { kind: 'memory', reason: 'untrusted' };
    if (uri.scheme !== 'file') return { kind: 'memory', reason: 'not-a-file' };
    const dir = path.dirname(uri.fsPath);
    let pending = this.byDir.get(dir);
    if (!pending) {
      pending = runGit(dir, repoInfo(dir), { timeoutMs: 10_000 }).catch(() => undefined);
      this.byDir.set(dir, pending);
    }
    const info = await pending;
    if (!info) return { kind: 'memory', reason: 'outside-git' };
    // The rule `record` and the agent hooks apply too (src/node/worktreePath.ts): a symlink to
    // outside the worktree, or a file in a git dir, is not a file of the repository.
    const target = await resolveWorktreePath(await realWorktree(info), dir, uri.fsPath).catch(() => undefined);
    if (!target?.ok) return { kind: 'memory', reason: 'outside-git' };
    const rel = target.rel;
    let handle = this.stores.get(info.ledgerDir);
    if (!handle) {
      handle = { info, store: new LedgerStore(info.ledgerDir, this.warn) };
      this.stores.set(info.ledgerDir, handle);
    }
    return { kind: 'repo', repo: handle, rel };
  }

  /** Forgets cached lookups (after trust is granted or folders change). */
  reset(): void {
    this.byDir.clear();
  }

  /** All worktrees seen so far. */
  repos(): RepoHandle[] {
    return [...this.stores.values()];
  }
}
