/**
 * Git commands of the forge side: consolidating a squash or rebase merge's notes and the
 * server-side hooks (`pre-receive`, `update`). Each is data with a pure parser, as in
 * commands.ts.
 */
import type { CheckCommit } from './historyCommands';
import { checkLog } from './historyCommands';
import type { GitCommand } from './runner';

/**
 * The newest `n` commits of `rev`'s first-parent history, oldest first, with parents, author
 * and message: {@link checkLog} with `--first-parent`, so both always read the same format.
 */
export function firstParentLog(rev: string, n: number): GitCommand<CheckCommit[]> {
  const log = checkLog([rev], n);
  return { ...log, args: [log.args[0]!, '--first-parent', ...log.args.slice(1)] };
}

/** `git merge-base <a> <b>`: their best common ancestor, undefined when they have none. */
export function mergeBase(a: string, b: string): GitCommand<string | undefined> {
  return { args: ['merge-base', '--end-of-options', a, b], okExitCodes: [1], parse: (stdout) => stdout.trim() || undefined };
}

/** One ref of `git for-each-ref`: its name and the object it points to. */
export interface RefTip {
  readonly ref: string;
  readonly object: string;
}

/** `git for-each-ref` of the given patterns (`refs/heads/`, `refs/tags/`): the refs there now. */
export function refTips(patterns: readonly string[]): GitCommand<RefTip[]> {
  return {
    args: ['for-each-ref', '--format=%(objectname) %(refname)', ...patterns],
    parse: (stdout) =>
      stdout.split('\n').flatMap((l) => {
        const at = l.indexOf(' ');
        return at > 0 ? [{ object: l.slice(0, at), ref: l.slice(at + 1) }] : [];
      }),
  };
}

/** `git symbolic-ref -q HEAD`: the branch HEAD names (a bare repository's default branch), undefined when detached. */
export function headBranch(): GitCommand<string | undefined> {
  return { args: ['symbolic-ref', '-q', 'HEAD'], okExitCodes: [1], parse: (stdout) => stdout.trim() || undefined };
}

