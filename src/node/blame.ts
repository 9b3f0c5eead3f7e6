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
import { blamePorcelain } from '../git/commands';
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
  const paths = new Map<string, Set<string>>();
  for (const l of lines) {
    if (zeros.test(l.commit)) continue;
    const s = paths.get(l.commit) ?? new Set<string>();
    s.add(l.path);
    paths.set(l.commit, s);
  }
  const [notes, ledger] = await Promise.all([readNotes(root, paths.keys()), rev === undefined ? store?.read() : undefined]);
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
