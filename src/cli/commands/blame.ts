/**
 * `git provenance blame <file> [--json] [--rev REV]`: for each line, whether AI wrote it, by
 * which tool and model, in which commit. The blame itself is src/node/blame.ts, which the
 * editor's blame view calls too.
 */
import { toolLabel } from '../../core/report/summary';
import { blamePorcelain, resolveCommit } from '../../git/commands';
import { GitError, runGit } from '../../git/runner';
import { attributeBlame } from '../../node/blame';
import { openHistory, treePath } from '../../node/repo';
import { parseArgs, UsageError } from '../args';
import type { Io } from '../io';

/** Usage text of `blame`. */
export const blameUsage = `usage: git provenance blame <file> [--json] [--rev REV]

Which lines of FILE AI wrote: committed lines from the notes of the commits that last changed
them (as git blame finds them), uncommitted lines from the ledger.
  --json      an array, one object per line:
              {"line": n, "kind": "ai"|"mixed"|"unknown"|"none", "tool": s|null, "model": s|null, "commit": sha|null}
  --rev REV   blame the file as of REV instead of the working tree`;

/** Runs `blame`. */
export async function blame(argv: readonly string[], io: Io): Promise<number> {
  const args = parseArgs(argv, ['rev'], ['json', 'help']);
  if (args.flags.has('help')) {
    io.out(blameUsage);
    return 0;
  }
  if (args.positionals.length !== 1) throw new UsageError('give one file');
  const history = await openHistory(io.cwd, io.err);
  const rev = args.values.get('rev');
  // Without a worktree there is no working-tree file and no ledger: only a revision can be blamed.
  if (!history.worktree && rev === undefined) {
    throw new UsageError('this repository has no worktree (a bare repository): give --rev REV to blame the file as of a commit');
  }
  const root = history.gitCwd;
  let rel: string;
  try {
    rel = treePath(history, io.cwd, args.positionals[0]!);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (rev !== undefined && !(await runGit(root, resolveCommit(rev)))) throw new UsageError(`--rev ${rev}: no such commit`);
  let lines;
  try {
    lines = await runGit(root, blamePorcelain(rel, rev));
  } catch (e) {
    if (e instanceof GitError) throw new UsageError(`cannot blame ${args.positionals[0]}: ${e.stderr.trim().split('\n').pop() ?? ''}`);
    throw e;
  }
  const out = await attributeBlame(root, history.worktree?.store, rel, lines, rev);
  if (args.flags.has('json')) {
    io.out(JSON.stringify(out));
    return 0;
  }
  const width = String(out.length).length;
  const labels = out.map((e) => (e.tool ? toolLabel(e.tool, e.model ?? undefined) : ''));
  const labelWidth = Math.min(40, Math.max(0, ...labels.map((l) => l.length)));
  out.forEach((e, i) => {
    const commit = e.commit ? e.commit.slice(0, 8) : 'working ';
    io.out(`${String(e.line).padStart(width)} ${e.kind.padEnd(7)} ${labels[i]!.slice(0, 40).padEnd(labelWidth)} ${commit} ${lines[i]!.text}`);
  });
  return 0;
}
