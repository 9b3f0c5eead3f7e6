/**
 * Revision arguments of the commands that read a range of history (`stats`, `export`).
 */
import { commitsNotIn, resolveCommit } from '../git/commands';
import { runGit } from '../git/runner';
import { UsageError } from './args';

/**
 * Checks revision arguments: nothing that looks like an option, and, when HEAD is unborn and
 * no range is given, an empty history rather than an error.
 */
export async function checkRevs(root: string, revs: readonly string[]): Promise<'empty' | 'ok'> {
  for (const r of revs) if (r.startsWith('-') || r.length === 0) throw new UsageError(`not a revision or range: ${r}`);
  if (revs.length === 0 && !(await runGit(root, resolveCommit('HEAD')))) return 'empty';
  return 'ok';
}

/**
 * A one-line note for a range that holds no commit while its reverse does (`HEAD..HEAD~3`
 * written for `HEAD~3..HEAD`): an empty range is fine (a push with nothing new), a reversed one
 * is a mistake worth a line. Undefined when no range given looks reversed.
 */
export async function reversedRangeNote(root: string, revs: readonly string[]): Promise<string | undefined> {
  for (const r of revs) {
    const m = /^(.+?)\.\.(?!\.)(.+)$/.exec(r);
    if (!m || m[1]!.endsWith('.')) continue;
    const reverse = await runGit(root, commitsNotIn(m[1]!, [m[2]!])).catch(() => 0);
    if (reverse > 0) return `note: ${r} holds no commit, but ${m[2]}..${m[1]} holds ${reverse}: is the range reversed?`;
  }
  return undefined;
}
