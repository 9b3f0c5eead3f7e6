/**
 * `git provenance blame <file> [--json] [--rev REV]`: for each line, whether AI wrote it, by
 * which tool and model, in which commit. Committed lines are followed the way `git blame`
 * follows them (one `git blame --porcelain` gives each line's commit and its line number
 * there), then looked up in that commit's note; notes are read in one batch. Lines not
 * committed yet come from the ledger.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { AttributedLine } from '../core/changeLines';
import { ledgerLines } from '../core/changeLines';
import type { LineKind } from '../core/model';
import { toolLabel } from '../core/summary';
import type { BlameLine } from '../git/commands';
import { blamePorcelain, resolveCommit } from '../git/commands';
import { contentHash } from '../git/hash';
import { readNotes } from '../git/notes';
import { GitError, runGit } from '../git/runner';
import { parseArgs, UsageError } from './args';
import { linesAtCommits } from './attribution';
import type { Io } from './io';
import { openRepo, repoRelative } from './repo';
import { canonicalToolName } from '../core/toolNames';
import { fsErrorAbout } from './fsErrors';

/** Usage text of `blame`. */
export const blameUsage = `usage: git provenance blame <file> [--json] [--rev REV]

Which lines of FILE AI wrote: committed lines from the notes of the commits that last changed
them (as git blame finds them), uncommitted lines from the ledger.
  --json      an array, one object per line:
              {"line": n, "kind": "ai"|"mixed"|"unknown"|"none", "tool": s|null, "model": s|null, "commit": sha|null}
  --rev REV   blame the file as of REV instead of the working tree`;

/** One line of `blame --json`. */
export interface BlameEntry {
  readonly line: number;
  readonly kind: LineKind;
  readonly tool: string | null;
  readonly model: string | null;
  /** The commit that last changed the line; null while it is not committed. */
  readonly commit: string | null;
}

const zeros = /^0+$/;

/** Blame lines of a file git has no history of: all uncommitted (git's all-zero commit). */
function uncommittedLines(text: string, rel: string): BlameLine[] {
  const texts = text.split('\n');
  if (texts[texts.length - 1] === '') texts.pop();
  return texts.map((t, i) => ({ line: i + 1, commit: '0'.repeat(40), origLine: i + 1, path: rel, text: t }));
}

/** Runs `blame`. */
export async function blame(argv: readonly string[], io: Io): Promise<number> {
  const args = parseArgs(argv, ['rev'], ['json', 'help']);
  if (args.flags.has('help')) {
    io.out(blameUsage);
    return 0;
  }
  if (args.positionals.length !== 1) throw new UsageError('give one file');
  const repo = await openRepo(io.cwd, io.err);
  const root = repo.info.root;
  let rel: string;
  try {
    rel = repoRelative(root, io.cwd, args.positionals[0]!);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const rev = args.values.get('rev');
  if (rev !== undefined && !(await runGit(root, resolveCommit(rev)))) throw new UsageError(`--rev ${rev}: no such commit`);
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
            throw new UsageError(fsErrorAbout(err, args.positionals[0]!) ?? String(err));
          })
        : undefined;
    if (text === undefined) throw new UsageError(`cannot blame ${args.positionals[0]}: ${e.stderr.trim().split('\n').pop() ?? ''}`);
    lines = uncommittedLines(text, rel);
  }
  const paths = new Map<string, Set<string>>();
  for (const l of lines) {
    if (zeros.test(l.commit)) continue;
    const s = paths.get(l.commit) ?? new Set<string>();
    s.add(l.path);
    paths.set(l.commit, s);
  }
  const [notes, ledger] = await Promise.all([readNotes(root, paths.keys()), rev === undefined ? repo.store.read() : undefined]);
  const byCommit = await linesAtCommits(root, notes, (c) => paths.get(c) ?? new Set());
  const lookup = new Map<string, Map<number, AttributedLine>>();
  const find = (commit: string, p: string, n: number): AttributedLine | undefined => {
    const key = `${commit}:${p}`;
    let m = lookup.get(key);
    if (!m) {
      m = new Map((byCommit.get(commit)?.get(p) ?? []).map((l) => [l.line, l]));
      lookup.set(key, m);
    }
    return m.get(n);
  };
  // The working tree's own lines: the ledger over the file as it is on disk.
  let uncommitted = new Map<number, AttributedLine>();
  const entry = ledger?.files[rel];
  if (entry) {
    const text = await fs.readFile(path.join(root, rel), 'utf8').catch(() => undefined);
    if (text !== undefined) uncommitted = new Map(ledgerLines(entry, text, contentHash).lines.map((l) => [l.line, l]));
  }
  const out: BlameEntry[] = lines.map((l) => {
    const committed = !zeros.test(l.commit);
    // A committed line without a note but still in the ledger was committed without our hooks.
    const a = (committed ? find(l.commit, l.path, l.origLine) : undefined) ?? uncommitted.get(l.line);
    return {
      line: l.line,
      kind: a ? a.kind : 'none',
      // Notes and ledgers written before names were normalised: one name per tool.
      tool: a ? canonicalToolName(a.origin.tool) : null,
      model: a ? a.origin.model ?? null : null,
      commit: committed ? l.commit : null,
    };
  });
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
