/**
 * Revision arguments of the commands that read a range of history (`stats`, `export`).
 */
import { resolveCommit } from '../git/commands';
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
