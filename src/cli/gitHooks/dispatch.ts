/**
 * `git-provenance hook-git <hook> [args…]`: what the hook scripts `git provenance install`
 * writes run. A hook never stops a commit because of us: any failure is one warning line and
 * exit 0. The one exception is `commit-msg`, whose exit code is the friction decision.
 */
import { gitHookNames } from '../../git/hooks';
import { UsageError } from '../args';
import { commitMsg, prepareCommitMsg } from './commitMessage';
import type { HookEnv } from '../../node/handoff';
import { afterCheckout, postCommit, postRewrite } from './notes';
import type { Io } from '../io';
import { prePush } from './prePush';
import { drainSpoolForGitHook } from './spoolGate';

/** Usage text of `hook-git`. */
export const hookGitUsage = `usage: git-provenance hook-git <hook> [args...]

Run by the git hooks that \`git provenance install\` writes; not meant to be typed.
  prepare-commit-msg <file> [<source> [<sha>]]   add Assisted-by / AI-Lines / AI-Provenance trailers
  commit-msg <file>                              add trailers left pending; commit friction
  post-commit                                    write the commit's note; update the ledger
  post-rewrite amend|rebase                      carry notes to rewritten commits (stdin: old new)
  post-checkout <old> <new> <flag>               re-anchor the ledger; merge fetched notes
  post-merge <squash>                            the same after a merge or pull
  pre-push <remote> <url>                        share notes with a remote set up by install --remote`;

/** Runs `hook-git`. */
export async function hookGit(argv: readonly string[], io: Io, env: HookEnv = process.env): Promise<number> {
  const [name, ...args] = argv;
  if (name === '--help') {
    io.out(hookGitUsage);
    return 0;
  }
  if (!name || !(gitHookNames as readonly string[]).includes(name)) throw new UsageError(`unknown git hook "${name ?? ''}"`);
  try {
    // Agent edits still in the spool happened before this commit, checkout or rewrite.
    drainSpoolForGitHook(io.cwd, env, io.err);
    switch (name) {
      case 'prepare-commit-msg':
        return await prepareCommitMsg(args, io, env);
      case 'commit-msg':
        return await commitMsg(args, io, env);
      case 'post-commit':
        return await postCommit(io, env);
      case 'post-rewrite':
        return await postRewrite(args, io);
      case 'pre-push':
        return await prePush(args, io, env);
      default:
        return await afterCheckout(io, env);
    }
  } catch (e) {
    io.err(`ai-provenance: ${name} hook skipped: ${e instanceof Error ? e.message : String(e)}`);
    return 0;
  }
}
