/**
 * `git provenance consolidate <base>..<head> --onto <merge-commit>`: writes the notes of the
 * commits a forge made for a pull request (one squash commit, or the rebased copies of its
 * commits) from the notes of the pull request's own commits. The per-line truth of a version
 * of the pull request is read the way blame reads it (`git blame` of that version, then each
 * line's commit's note), so a line a later commit changed takes that commit's attribution; the
 * carrying itself is src/core/commit/consolidate.ts. Works in a bare repository too.
 */
import type { AttributedLine } from '../core/commit/changeLines';
import type { ConsolidatedMeta, MergedFile, SquashedCommitInfo } from '../core/commit/consolidate';
import { consolidatedCount, mergedLines, withConsolidatedMeta } from '../core/commit/consolidate';
import type { TraceRecord } from '../core/commit/notes';
import { buildRecordOfLines, rangeHash } from '../core/commit/notes';
import { parseTrailerBlock } from '../core/commit/trailerBlock';
import { splitLines } from '../core/lines/lineMap';
import type { Origin } from '../core/model';
import type { CheckCommit } from '../git/historyCommands';
import { checkLog } from '../git/historyCommands';
import { firstParentLog, mergeBase } from '../git/forgeCommands';
import { blamePorcelain, catFileBatch, commitPatches, resolveCommit } from '../git/commands';
import { readNotes, writeNote } from '../git/notes';
import { GitError, runGit } from '../git/runner';
import { linesAtCommits } from './attribution';
import { contentHash } from './hash';
import { randomUuid } from './uuid';

/** A range or revision consolidate cannot use, in words. */
export class ConsolidateError extends Error {
  override readonly name = 'ConsolidateError';
}

/** One commit consolidate wrote (or would write) a note for. */
export interface ConsolidatedCommit {
  readonly commit: string;
  /** The pull request's commit whose version it was attributed from (the head for a squash). */
  readonly from: string;
  readonly record: TraceRecord;
  /** Whether a note was there before (it is replaced). */
  readonly replaced: boolean;
}

/** What {@link consolidate} needs. */
export interface ConsolidateOptions {
  /** The repository (worktree or bare). */
  readonly cwd: string;
  /** `base..head` (or `^base head` parts): the pull request's commits. */
  readonly range: string;
  /** The merge commit: the squash commit, or the last of the rebased commits. */
  readonly onto: string;
  readonly now: number;
  readonly toolVersion: string;
  /** Compute without writing notes. */
  readonly dryRun?: boolean;
}

/** The per-line truth of `rev`'s version of each of `paths` (lines as blame attributes them through the notes). */
async function truthAt(cwd: string, rev: string, paths: readonly string[]): Promise<Map<string, AttributedLine[]>> {
  const blamed = new Map<string, Array<{ line: number; commit: string; path: string; origLine: number }>>();
  for (const p of paths) {
    try {
      blamed.set(p, await runGit(cwd, blamePorcelain(p, rev)));
    } catch (e) {
      // Not in that version: nothing to carry from it.
      if (!(e instanceof GitError)) throw e;
    }
  }
  const wanted = new Map<string, Set<string>>();
  for (const lines of blamed.values()) {
    for (const l of lines) {
      if (/^0+$/.test(l.commit)) continue;
      const s = wanted.get(l.commit) ?? new Set<string>();
      s.add(l.path);
      wanted.set(l.commit, s);
    }
  }
  const notes = await readNotes(cwd, wanted.keys());
  const byCommit = await linesAtCommits(cwd, notes, (c) => wanted.get(c) ?? new Set());
  const out = new Map<string, AttributedLine[]>();
  for (const [p, lines] of blamed) {
    const attributed: AttributedLine[] = [];
    for (const l of lines) {
      const a = byCommit.get(l.commit)?.get(l.path)?.find((x) => x.line === l.origLine);
      if (a) attributed.push({ ...a, line: l.line });
    }
    out.set(p, attributed);
  }
  return out;
}

/** How the pull request was merged: squashed, rebased, or its own commits kept (a fast-forward or a merge commit: nothing to write). */
export type MergeMode = ConsolidatedMeta['mode'] | 'kept';

/** The commits of the forge's merge that correspond to the range's commits, oldest first, paired. */
async function pairsOf(cwd: string, commits: readonly CheckCommit[], onto: string): Promise<{ mode: MergeMode; pairs: Array<{ target: CheckCommit; from: CheckCommit }> }> {
  const head = commits[commits.length - 1]!;
  // The commits themselves are in the target (a fast-forward or a merge commit): their notes
  // are already the truth, and nothing is to be written.
  if ((await runGit(cwd, mergeBase(head.commit, onto))) === head.commit) return { mode: 'kept', pairs: [] };
  const ontoCommits = await runGit(cwd, firstParentLog(onto, commits.length));
  const target = ontoCommits[ontoCommits.length - 1]!;
  // A rebase merge keeps each commit's message: the last N first-parent commits of the target
  // carry the N messages of the range, in order. Anything else is one commit for all of them.
  if (commits.length > 1 && ontoCommits.length === commits.length && ontoCommits.every((c, i) => c.message === commits[i]!.message && c.commit !== commits[i]!.commit)) {
    return { mode: 'rebase', pairs: ontoCommits.map((c, i) => ({ target: c, from: commits[i]! })) };
  }
  return { mode: 'squash', pairs: [{ target, from: head }] };
}

const keptTrailers = /^(assisted-by|reviewed-by|co-authored-by|ai-lines|ai-provenance|ai-critical|ai-critical-override|signed-off-by|acked-by|tested-by)$/i;

/** Consolidates the notes of a range onto the merge commit(s); see the top of this file. */
export async function consolidate(opts: ConsolidateOptions): Promise<{ mode: MergeMode; commits: ConsolidatedCommit[] }> {
  const { cwd } = opts;
  const revs = opts.range.includes('..') ? [opts.range] : opts.range.split(/\s+/).filter((r) => r !== '');
  let commits: CheckCommit[];
  try {
    commits = (await runGit(cwd, checkLog(revs))).filter((c) => c.parents.length <= 1);
  } catch (e) {
    if (e instanceof GitError) throw new ConsolidateError(`not a revision range git knows: ${opts.range}`);
    throw e;
  }
  if (commits.length === 0) throw new ConsolidateError(`${opts.range} holds no commits: give the pull request's base..head`);
  const onto = await runGit(cwd, resolveCommit(opts.onto));
  if (!onto) throw new ConsolidateError(`--onto ${opts.onto}: no such commit`);
  const dots = /^(.*?)\.\.\.?(.*)$/.exec(opts.range);
  const headRev = dots ? dots[2] || 'HEAD' : revs[revs.length - 1]!;
  const head = (await runGit(cwd, resolveCommit(headRev))) ?? commits[commits.length - 1]!.commit;
  const bases = dots ? [dots[1] || 'HEAD'] : revs.filter((r) => r.startsWith('^')).map((r) => r.slice(1));
  const base: string[] = [];
  for (const b of bases) base.push((await runGit(cwd, resolveCommit(b))) ?? b);

  const { mode, pairs } = await pairsOf(cwd, commits, onto);
  const squashed: SquashedCommitInfo[] = commits.map((c) => ({
    commit: c.commit,
    subject: c.message.split('\n')[0] ?? '',
    author: c.author,
    trailers: parseTrailerBlock(c.message).trailers.filter((t) => keptTrailers.test(t.key)),
  }));
  const patches = await runGit(cwd, commitPatches(pairs.map((p) => p.target.commit)));
  const existing = await readNotes(cwd, pairs.map((p) => p.target.commit));
  const out: ConsolidatedCommit[] = [];
  for (const { target, from } of pairs) {
    const files = (patches.find((p) => p.commit === target.commit)?.files ?? []).filter((f) => f.addedRuns.length > 0);
    const truth = await truthAt(cwd, from.commit, files.map((f) => f.path));
    const texts = await runGit(cwd, catFileBatch(files.flatMap((f) => [`${target.commit}:${f.path}`, `${from.commit}:${f.path}`])));
    const resolution: Origin = { id: `consolidate/${target.commit}`, kind: 'external', tool: 'merge resolution', session: `consolidate/${target.commit}`, time: opts.now };
    const attributed: Array<{ path: string; lines: AttributedLine[]; added: MergedFile['added']; text: string }> = [];
    for (const f of files) {
      const text = texts.get(`${target.commit}:${f.path}`);
      if (text === undefined) continue; // binary, or a submodule
      const sourceText = texts.get(`${from.commit}:${f.path}`);
      const source = sourceText !== undefined ? { text: sourceText, lines: truth.get(f.path) ?? [] } : undefined;
      const lines = mergedLines({ path: f.path, text, added: f.addedRuns, ...(source ? { source } : {}) }, resolution);
      attributed.push({ path: f.path, lines, added: f.addedRuns, text });
    }
    const count = consolidatedCount(attributed);
    const textOf = new Map(attributed.map((a) => [a.path, splitLines(a.text)]));
    const record = buildRecordOfLines(
      { id: randomUuid(), now: opts.now, revision: target.commit, toolVersion: opts.toolVersion, count, files: attributed.map((a) => ({ path: a.path, lines: a.lines })) },
      (p, start, end) => rangeHash(textOf.get(p) ?? [], start, end, contentHash),
    );
    const meta: ConsolidatedMeta = { source: 'consolidate', range: { base, head }, mode: mode === 'rebase' ? 'rebase' : 'squash', squashed: mode === 'squash' ? squashed : squashed.filter((s) => s.commit === from.commit) };
    const full = withConsolidatedMeta(record, meta);
    if (!opts.dryRun) await writeNote(cwd, target.commit, full);
    out.push({ commit: target.commit, from: from.commit, record: full, replaced: (existing.get(target.commit)?.length ?? 0) > 0 });
  }
  return { mode, commits: out };
}
