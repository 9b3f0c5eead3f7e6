/**
 * `git provenance blame <file> [--json] [--rev REV]`: for each line, whether AI wrote it, by
 * which tool and model, in which commit. The blame itself is src/node/blame.ts, which the
 * editor's blame view calls too.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { toolLabel } from '../../core/report/summary';
import { blamePorcelain, resolveCommit } from '../../git/commands';
import { GitError, runGit } from '../../git/runner';
import type { BlameLine } from '../../git/commands';
import { attributeBlame, uncommittedLines } from '../../node/blame';
import { openHistory, treePath } from '../../node/repo';
import { InputError, parseArgs, quoteName, UsageError } from '../args';
import { fsErrorAbout } from '../fsErrors';
import type { Io } from '../io';
import { listNotes } from '../../git/notes';
import { missingNotesHint } from '../../node/notesHint';

/** Usage text of `blame`. */
export const blameUsage = `usage: git provenance blame <file> [--json] [--rev REV]

Which lines of FILE AI wrote: committed lines from the notes of the commits that last changed
them (as git blame finds them), uncommitted lines from the ledger.
  --json      an array, one object per line:
              {"line": n, "kind": "ai"|"mixed"|"unknown"|"none", "tool": s|null, "model": s|null, "commit": sha|null}
              and "evidence": "commit-level: <trailer>" on lines of a commit without a note
              whose trailers say AI helped (those lines are "unknown", with that tool)
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
  if (rev !== undefined && !(await runGit(root, resolveCommit(rev)))) throw new InputError(`--rev ${quoteName(rev)}: no such commit`);
  let lines: BlameLine[];
  try {
    lines = await runGit(root, blamePorcelain(rel, rev));
  } catch (e) {
    if (!(e instanceof GitError)) throw e;
    // A file not in HEAD yet (a new file an agent wrote) has no history to follow: every line
    // is uncommitted, and the ledger says which are AI. Read it, so a missing file is said so.
    const text =
      rev === undefined
        ? await fs.readFile(path.join(root, rel), 'utf8').catch((err: unknown) => {
            throw new InputError(fsErrorAbout(err, quoteName(args.positionals[0]!)) ?? String(err));
          })
        : undefined;
    if (text === undefined) throw new InputError(`cannot blame ${quoteName(args.positionals[0]!)}: ${e.stderr.trim().split('\n').pop() ?? ''}`);
    lines = uncommittedLines(text, rel);
  }
  // git takes a file with a NUL byte for binary: it has no lines to attribute, and printing
  // them would put raw bytes on the terminal.
  if (lines.some((l) => l.text.includes('\0'))) throw new InputError(`${quoteName(args.positionals[0]!)} is a binary file: no lines to blame`);
  const out = await attributeBlame(root, history.worktree?.store, rel, lines, rev);
  // Lines of no AI in commits that have no note here may be AI lines whose note is elsewhere.
  const unexplained = new Set(out.filter((e) => (e.kind === 'none' || e.evidence !== undefined) && e.commit !== null).map((e) => e.commit!));
  if (unexplained.size > 0) {
    const listed = await listNotes(root);
    const hint = await missingNotesHint(root, [...unexplained].filter((c) => !listed.has(c)));
    if (hint) io.err(hint);
  }
  // Lines known only from a commit's message: say which line of which commit says so, once.
  const levels = new Map<string, { evidence: string; lines: number }>();
  for (const e of out) {
    if (e.evidence === undefined || e.commit === null) continue;
    const l = levels.get(e.commit) ?? { evidence: e.evidence, lines: 0 };
    l.lines++;
    levels.set(e.commit, l);
  }
  for (const [commit, l] of levels) {
    io.err(`${commit.slice(0, 8)} has no note, but its message says AI helped (${l.evidence}): its ${l.lines} line${l.lines === 1 ? '' : 's'} here show as unknown`);
  }
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
