/**
 * `git provenance consolidate <base>..<head> --onto <merge-commit> [--dry-run] [--json]`: the
 * note of a squash or rebase merge made by a forge, from the notes of the pull request's
 * commits (src/node/consolidate.ts). Run after the merge, then push the notes.
 */
import { spansText, lineSpans } from '../../core/policy/verdicts';
import { ConsolidateError, consolidate as consolidateNotes } from '../../node/consolidate';
import { openHistory } from '../../node/repo';
import { parseArgs, UsageError } from '../args';
import type { Io } from '../io';

declare const AIP_VERSION: string | undefined;
const toolVersion = typeof AIP_VERSION === 'string' ? AIP_VERSION : '0.0.0-dev';

/** Usage text of `consolidate`. */
export const consolidateUsage = `usage: git provenance consolidate <base>..<head> --onto <merge-commit> [--dry-run] [--json]

Writes the note of a squash or rebase merge from the notes of the merged commits. <base>..<head>
are the pull request's commits (its target branch before the merge, and its last commit);
<merge-commit> is the squash commit, or the last of the rebased commits (then each rebased
commit gets its own note). Each line the merge added takes the attribution the same line has
at the pull request's commit (a line changed by a later commit takes the later attribution);
lines the merge resolution wrote are unknown. The squashed commits' trailers (Assisted-by,
Reviewed-by, ...) are kept in the note. A fast-forward or a merge commit keeps the commits
and their notes: nothing is written. Push the notes afterwards (git provenance sync, or git
push origin refs/notes/ai-provenance).
  --onto REV   the merge commit (required)
  --dry-run    compute and print, write no note
  --json       print the notes written, as Agent Trace records`;

/** Runs `consolidate`. */
export async function consolidate(argv: readonly string[], io: Io): Promise<number> {
  const args = parseArgs(argv, ['onto'], ['dry-run', 'json', 'help']);
  if (args.flags.has('help')) {
    io.out(consolidateUsage);
    return 0;
  }
  if (args.positionals.length !== 1) throw new UsageError('give one range: <base>..<head>');
  const onto = args.values.get('onto');
  if (onto === undefined) throw new UsageError('--onto <merge-commit> is required');
  const root = (await openHistory(io.cwd, io.err)).gitCwd;
  let result: Awaited<ReturnType<typeof consolidateNotes>>;
  try {
    result = await consolidateNotes({ cwd: root, range: args.positionals[0]!, onto, now: io.now(), toolVersion, dryRun: args.flags.has('dry-run') });
  } catch (e) {
    if (e instanceof ConsolidateError) throw new UsageError(e.message);
    throw e;
  }
  if (args.flags.has('json')) {
    io.out(JSON.stringify(result.commits.map((c) => c.record), null, 2));
    return 0;
  }
  if (result.mode === 'kept') {
    io.out(`git provenance consolidate: ${onto} keeps the merged commits (a fast-forward or a merge commit); their notes stand, nothing to write`);
    return 0;
  }
  const verb = args.flags.has('dry-run') ? 'would write' : 'wrote';
  for (const c of result.commits) {
    const files = c.record.files.length;
    io.out(`${c.commit.slice(0, 12)} (${result.mode}, from ${c.from.slice(0, 12)}): ${verb} a note of ${files} file${files === 1 ? '' : 's'}${c.replaced ? ', replacing the note it had' : ''}`);
    for (const f of c.record.files) {
      for (const conv of f.conversations) {
        const lines = conv.ranges.flatMap((r) => Array.from({ length: r.end_line - r.start_line + 1 }, (_, i) => r.start_line + i));
        io.out(`  ${f.path}:${spansText(lineSpans(lines))}  ${conv.contributor?.type ?? 'unknown'}${conv.contributor?.model_id ? ` (${conv.contributor.model_id})` : ''}`);
      }
    }
  }
  return 0;
}
