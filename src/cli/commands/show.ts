/**
 * `git provenance show [<rev>] [--json]`: the note of a commit, readable (or raw JSON).
 */
import type { TraceRecord } from '../../core/commit/notes';
import { recordLines, recordMeta } from '../../core/commit/notes';
import { toolLabel } from '../../core/report/summary';
import { resolveCommit } from '../../git/commands';
import { readNote } from '../../git/notes';
import { runGit } from '../../git/runner';
import { parseArgs, UsageError } from '../args';
import type { Io } from '../io';
import { openRepo } from '../../node/repo';

/** Usage text of `show`. */
export const showUsage = `usage: git provenance show [<rev>] [--json]

Shows the AI provenance note of a commit (default HEAD): which lines of which files AI wrote.
  --json   the note's Agent Trace record as stored (an array when git merged several)`;

function spans(numbers: readonly number[]): string {
  const out: string[] = [];
  for (let i = 0; i < numbers.length; ) {
    let j = i;
    while (j + 1 < numbers.length && numbers[j + 1] === numbers[j]! + 1) j++;
    out.push(i === j ? String(numbers[i]) : `${numbers[i]}-${numbers[j]}`);
    i = j + 1;
  }
  return out.join(', ');
}

/** The readable lines of one record. */
export function describeRecord(record: TraceRecord, commit: string): string[] {
  const out: string[] = [];
  const meta = recordMeta(record);
  out.push(`commit ${commit}`);
  out.push(`record ${record.id} (${record.tool ? `${record.tool.name} ${record.tool.version}, ` : ''}${record.timestamp})`);
  if (record.vcs && record.vcs.revision !== commit) out.push(`written for ${record.vcs.revision} and copied here by git`);
  if (meta) {
    const l = meta.lines;
    out.push(`AI lines: ${l.ai} of ${l.added} added${l.mixed ? `, ${l.mixed} more edited by hand` : ''}${l.unknown ? `, ${l.unknown} of unknown origin` : ''}`);
  }
  for (const [file, lines] of recordLines(record)) {
    out.push(`  ${file}`);
    const groups = new Map<string, number[]>();
    for (const l of lines) {
      const key = `${l.kind}\u0000${toolLabel(l.origin.tool, l.origin.model)}`;
      groups.set(key, [...(groups.get(key) ?? []), l.line]);
    }
    for (const [key, ns] of groups) {
      const [kind, label] = key.split('\u0000') as [string, string];
      out.push(`    lines ${spans(ns)}  ${kind}  ${label}`);
    }
  }
  return out;
}

/** Runs `show`. */
export async function show(argv: readonly string[], io: Io): Promise<number> {
  const args = parseArgs(argv, [], ['json', 'help']);
  if (args.flags.has('help')) {
    io.out(showUsage);
    return 0;
  }
  if (args.positionals.length > 1) throw new UsageError('give at most one revision');
  const repo = await openRepo(io.cwd, io.err);
  const rev = args.positionals[0] ?? 'HEAD';
  const commit = await runGit(repo.info.root, resolveCommit(rev));
  if (!commit) throw new UsageError(`${rev}: no such commit`);
  const records = await readNote(repo.info.root, commit);
  if (args.flags.has('json')) {
    io.out(JSON.stringify(records.length === 1 ? records[0] : records.length === 0 ? null : records, null, 2));
    return 0;
  }
  if (records.length === 0) {
    io.out(`No AI provenance note on ${commit}.`);
    return 0;
  }
  records.forEach((r, i) => {
    if (i > 0) io.out('');
    for (const l of describeRecord(r, commit)) io.out(l);
  });
  return 0;
}
