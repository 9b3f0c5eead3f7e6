/**
 * Blame of one file: for each line, whether AI wrote it, by which tool and model, in which
 * commit. Committed lines are followed the way `git blame` follows them (one `git blame
 * --porcelain` gives each line's commit and its line number there), then looked up in that
 * commit's note; notes are read in one batch. Lines not committed yet come from the ledger. A
 * commit without a note whose trailers say AI helped (`git am` of a patch with `Assisted-by:`,
 * an agent's `Co-authored-by:`) makes its lines `unknown` with that tool, the evidence named.
 * `git provenance blame` prints it; the editor's blame view shows it.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { AttributedLine } from '../core/commit/changeLines';
import { ledgerLines } from '../core/commit/changeLines';
import type { LineKind } from '../core/model';
import type { BlameLine } from '../git/commands';
import { blamePorcelain, blobTails, catFileBatch } from '../git/commands';
import { finalNewlineTwin } from '../core/lines/lineMap';
import { canonicalToolName } from '../core/agents/toolNames';
import type { MessageTool } from '../core/commit/agentTrailers';
import { messageTool } from '../core/commit/agentTrailers';
import { commitMessages } from '../git/historyCommands';
import { readNotes } from '../git/notes';
import { runGit } from '../git/runner';
import { linesAtCommits } from './attribution';
import { contentHash } from './hash';
import type { LedgerStore } from './ledgerStore';

/** One line of `blame --json`. */
export interface BlameEntry {
  readonly line: number;
  readonly kind: LineKind;
  readonly tool: string | null;
  readonly model: string | null;
  /** The commit that last changed the line; null while it is not committed. */
  readonly commit: string | null;
  /**
   * Only for a line of a commit without a note whose message says AI helped: the line that says
   * so, as `commit-level: Assisted-by: Claude Code:opus` (the line is `unknown`, with that tool).
   */
  readonly evidence?: string;
}

const zeros = /^0+$/;

/**
 * The entries of lines git blame gave for `rel` (relative to the worktree `root`) as of `rev`,
 * or in the working tree with the ledger of `store` for uncommitted lines (no store: a bare
 * repository, where only a revision is blamed).
 */
export async function attributeBlame(root: string, store: LedgerStore | undefined, rel: string, lines: readonly BlameLine[], rev?: string): Promise<BlameEntry[]> {
  const ledger = rev === undefined ? await store?.read() : undefined;
  // The working tree's own lines: the ledger over the file as it is on disk.
  let uncommitted = new Map<number, AttributedLine>();
  const worktree = rev === undefined ? fs.readFile(path.join(root, rel), 'utf8').catch(() => undefined) : Promise.resolve(undefined);
  const entry = ledger?.files[rel];
  if (entry) {
    const text = await worktree;
    if (text !== undefined) uncommitted = new Map(ledgerLines(entry, text, contentHash).lines.map((l) => [l.line, l]));
  }
  let look = await lookups(root, lines);
  const unattributed = (l: BlameLine): boolean => (zeros.test(l.commit) ? !uncommitted.has(l.line) : !look.find(l.commit, l.path, l.origLine));
  const followed = await followFinalNewline(root, lines, unattributed, () => worktree);
  if (followed !== lines) {
    lines = followed;
    look = await lookups(root, lines);
  }
  const { find, levels } = look;
  const out: BlameEntry[] = lines.map((l) => {
    const committed = !zeros.test(l.commit);
    // A committed line without a note but still in the ledger was committed without our hooks.
    const a = (committed ? find(l.commit, l.path, l.origLine) : undefined) ?? uncommitted.get(l.line);
    const level = !a && committed ? levels.get(l.commit) : undefined;
    // No note, but the message says AI helped: every line of the commit is AI at commit level,
    // of unknown kind (which lines the agent wrote is not known), never a plain "none".
    if (level) return { line: l.line, kind: 'unknown', tool: level.tool, model: level.model ?? null, commit: l.commit, evidence: `commit-level: ${level.evidence}` };
    return {
      line: l.line,
      kind: a ? a.kind : 'none',
      // Notes and ledgers written before names were normalised: one name per tool.
      tool: a ? canonicalToolName(a.origin.tool) : null,
      model: a ? a.origin.model ?? null : null,
      commit: committed ? l.commit : null,
    };
  });
  return out;
}

/** What the commits of blamed lines say: their notes' lines, and commit-level evidence where they have no note. */
interface Lookups {
  readonly find: (commit: string, p: string, line: number) => AttributedLine | undefined;
  readonly levels: ReadonlyMap<string, MessageTool>;
}

async function lookups(root: string, lines: readonly BlameLine[]): Promise<Lookups> {
  const paths = new Map<string, Set<string>>();
  for (const l of lines) {
    if (zeros.test(l.commit)) continue;
    const s = paths.get(l.commit) ?? new Set<string>();
    s.add(l.path);
    paths.set(l.commit, s);
  }
  const notes = await readNotes(root, paths.keys());
  const levels = await commitLevelEvidence(root, [...paths.keys()].filter((c) => !notes.has(c)));
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
  return { find, levels };
}

/**
 * How many commits back one line is followed across final-newline changes: an AI line whose
 * break was added, taken away and added again is still found; a history that keeps doing it
 * stops here.
 */
const maxNewlineHops = 8;

/**
 * Lines that git blames on a commit (or on the working tree) that changed only their final
 * line break, followed to where they really come from: a line that differs only by the
 * missing newline at the end of the file is the same line (`finalNewlineTwin` in
 * src/core/lines/lineMap.ts), as the commit hooks count it. git shows such a line removed and
 * added again, so `git blame` names the commit that added a line below it.
 *
 * Only lines nothing attributes where git put them are looked at, and for each of their
 * commits only the version before it is read first: such a line must be that version's last
 * line. Both versions are compared only where it is, and the line is then blamed in the
 * older version (`git blame -L`). Returns `lines` itself when nothing was followed.
 */
async function followFinalNewline(root: string, lines: readonly BlameLine[], unattributed: (l: BlameLine) => boolean, worktree: () => Promise<string | undefined>): Promise<readonly BlameLine[]> {
  let current = lines;
  // An empty line is never one: a last line without its break has text.
  let todo = lines.filter((l) => l.previous !== undefined && l.text !== '' && unattributed(l));
  for (let hop = 0; hop < maxNewlineHops && todo.length > 0; hop++) {
    const specOf = (l: BlameLine): string => `${l.commit}:${l.path}`;
    const before = (l: BlameLine): string => `${l.previous!.commit}:${l.previous!.path}`;
    const tails = await runGit(root, blobTails([...new Set(todo.map(before))]));
    // The version before must end with the line, as it reads here.
    const near = todo.filter((l) => tails.get(before(l))?.lastLine === l.text);
    if (near.length === 0) break;
    const committed = near.filter((l) => !zeros.test(l.commit));
    // Rare from here on (the version before ends with this very line): both versions are read.
    const texts = await runGit(root, catFileBatch([...new Set([...near.map(before), ...committed.map(specOf)])]));
    const moved = new Map<number, { rev: string; path: string; line: number }>();
    for (const l of near) {
      const to = zeros.test(l.commit) ? await worktree() : texts.get(specOf(l));
      const from = texts.get(before(l));
      if (to === undefined || from === undefined) continue;
      const twin = finalNewlineTwin(from, to);
      if (twin && twin.to === l.origLine) moved.set(l.line, { rev: l.previous!.commit, path: l.previous!.path, line: twin.from });
    }
    if (moved.size === 0) break;
    const next = new Map<number, BlameLine>();
    for (const [line, m] of moved) {
      const found = (await runGit(root, blamePorcelain(m.path, m.rev, [m.line, m.line])))[0];
      if (found) next.set(line, { ...found, line });
    }
    current = current.map((l) => next.get(l.line) ?? l);
    // A followed line may have lost its break in an older commit too.
    todo = [...next.values()].filter((l) => l.previous !== undefined);
  }
  return current;
}

/**
 * What the messages of commits without a note say of AI help (see `messageTool`), by commit;
 * one git call. Merge commits are left out, as stats leaves them out: their lines were
 * counted on their branch.
 */
export async function commitLevelEvidence(root: string, commits: readonly string[]): Promise<Map<string, MessageTool>> {
  const out = new Map<string, MessageTool>();
  if (commits.length === 0) return out;
  for (const c of await runGit(root, commitMessages(commits))) {
    if (c.parents.length > 1) continue;
    const tool = messageTool(c.message, c.author);
    if (tool) out.set(c.commit, tool);
  }
  return out;
}

/** Blame lines of a file git has no history of: all uncommitted (git's all-zero commit). */
export function uncommittedLines(text: string, rel: string): BlameLine[] {
  const texts = text.split('\n');
  if (texts[texts.length - 1] === '') texts.pop();
  return texts.map((t, i) => ({ line: i + 1, commit: '0'.repeat(40), origLine: i + 1, path: rel, text: t }));
}

/**
 * The blame of `rel` in the working tree (see {@link attributeBlame}). A file not in HEAD yet
 * (a new file an agent wrote) is all uncommitted lines. Throws GitError when git cannot blame
 * it and it cannot be read either.
 */
export async function blameFile(root: string, store: LedgerStore, rel: string): Promise<BlameEntry[]> {
  let lines: BlameLine[];
  try {
    lines = await runGit(root, blamePorcelain(rel));
  } catch (e) {
    const text = await fs.readFile(path.join(root, rel), 'utf8').catch(() => undefined);
    if (text === undefined) throw e;
    lines = uncommittedLines(text, rel);
  }
  return attributeBlame(root, store, rel, lines);
}
