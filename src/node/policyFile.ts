/**
 * Loading the critical-path policy (`.ai-provenance.json`) from the working tree, the index or
 * a revision, for the commit hook, `git provenance check` and the editor (no `vscode` import
 * here). A file that is broken never turns protection off: the last valid policy this worktree
 * has seen stays in force, kept in `<git dir>/ai-provenance/policy-last-good.json`, and the
 * errors are returned beside it so the caller can show them.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Codeowners } from '../core/policy/codeowners';
import { codeownersPaths, parseCodeowners } from '../core/policy/codeowners';
import type { Policy, PolicyProblem } from '../core/policy/policy';
import { emptyPolicy, policyFileName } from '../core/policy/policy';
import { formatProblem, parsePolicy } from '../core/policy/schema';
import { catFileBatch } from '../git/commands';
import { pathHistory } from '../git/historyCommands';
import { runGit } from '../git/runner';

/** Which version of a file to read: on disk, staged, or committed in a revision. */
export type PolicySource = { readonly kind: 'worktree' } | { readonly kind: 'index' } | { readonly kind: 'rev'; readonly rev: string };

/** The policy in force, where it came from, and what is wrong with the file read. */
export interface LoadedPolicy {
  readonly policy: Policy;
  /**
   * `file`: the file read is valid; `absent`: there is no policy file (nothing is critical);
   * `last-good`: the file is broken and the last valid policy is in force; `none`: the file is
   * broken and no valid policy is known (nothing but what the caller adds is critical).
   */
  readonly from: 'file' | 'absent' | 'last-good' | 'none';
  /** Errors of the file read; non-empty exactly when `from` is `last-good` or `none`. */
  readonly errors: readonly PolicyProblem[];
  readonly warnings: readonly PolicyProblem[];
  /** The text of the file read, when there is one (for positions of the problems). */
  readonly text: string | undefined;
  /** When `from` is `last-good`: where that policy was read (`worktree`, `index`, a commit). */
  readonly lastGoodFrom?: string;
  /** One line for a terminal when the policy in force is not the file read; else undefined. */
  readonly notice: string | undefined;
}

/** What the cache file holds. */
interface LastGood {
  readonly version: 1;
  readonly text: string;
  /** Where it was read: `worktree`, `index` or a commit id. */
  readonly from: string;
}

/** The cache file of the last valid policy, under the worktree's `ai-provenance` folder. */
export function lastGoodFile(ledgerDir: string): string {
  return path.join(ledgerDir, 'policy-last-good.json');
}

/** Reads the last valid policy saved in `ledgerDir`; undefined when none is (or it no longer parses). */
export async function readLastGood(ledgerDir: string): Promise<{ policy: Policy; from: string; text: string } | undefined> {
  try {
    const saved = JSON.parse(await fs.readFile(lastGoodFile(ledgerDir), 'utf8')) as Partial<LastGood>;
    if (saved.version !== 1 || typeof saved.text !== 'string') return undefined;
    const r = parsePolicy(saved.text);
    return r.ok ? { policy: r.policy, from: typeof saved.from === 'string' ? saved.from : 'unknown', text: saved.text } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Saves a valid policy's text as the last good one (when it differs from what is saved).
 * Best effort: a read-only git dir must not fail a hook or the editor.
 */
export async function saveLastGood(ledgerDir: string, text: string, from: string): Promise<void> {
  try {
    const file = lastGoodFile(ledgerDir);
    const current = await fs.readFile(file, 'utf8').catch(() => undefined);
    if (current !== undefined) {
      try {
        if ((JSON.parse(current) as Partial<LastGood>).text === text) return;
      } catch {
        // a damaged cache is replaced
      }
    }
    await fs.mkdir(ledgerDir, { recursive: true });
    const data: LastGood = { version: 1, text, from };
    const tmp = `${file}.${process.pid}.tmp`;
    await fs.writeFile(tmp, JSON.stringify(data) + '\n');
    await fs.rename(tmp, file);
  } catch {
    // see above
  }
}

/** The cat-file name of a repository file in a source. */
function spec(source: PolicySource, relPath: string): string {
  return source.kind === 'index' ? `:${relPath}` : `${source.kind === 'rev' ? source.rev : 'HEAD'}:${relPath}`;
}

/** The text of a repository file in a source; undefined when it is not there. */
export async function readRepoFile(root: string, source: PolicySource, relPath: string): Promise<string | undefined> {
  if (source.kind === 'worktree') return fs.readFile(path.join(root, relPath), 'utf8').catch(() => undefined);
  const s = spec(source, relPath);
  return (await runGit(root, catFileBatch([s]))).get(s);
}

/** Options of {@link loadPolicy}. */
export interface LoadOptions {
  /** The worktree root. */
  readonly root: string;
  /** The worktree's `ai-provenance` folder in the git dir (the ledger's), for the cache. */
  readonly ledgerDir: string;
  /** Default: the working tree. */
  readonly source?: PolicySource;
  /** The file's text when the caller already has it (an editor's unsaved buffer): not read again. */
  readonly text?: string | null;
  /** Save a valid policy as the last good one (default true). */
  readonly save?: boolean;
}

/** How far back {@link lastValidInHistory} looks: commits that changed the policy file. */
const historyDepth = 50;

/**
 * The newest valid policy committed in `rev`'s history (`rev` itself included), among the last
 * {@link historyDepth} commits that changed the file; undefined when there is none.
 */
export async function lastValidInHistory(root: string, rev: string): Promise<{ policy: Policy; from: string; text: string } | undefined> {
  const commits = await runGit(root, pathHistory(rev, policyFileName, historyDepth));
  if (commits.length === 0) return undefined;
  const texts = await runGit(root, catFileBatch(commits.map((c) => `${c}:${policyFileName}`)));
  for (const c of commits) {
    const text = texts.get(`${c}:${policyFileName}`);
    if (text === undefined) continue;
    const r = parsePolicy(text);
    if (r.ok) return { policy: r.policy, from: c, text };
  }
  return undefined;
}

/**
 * Loads the policy in force for `source`. Valid file: that policy (saved as the last good one).
 * No file: the empty policy. Broken file: the last good policy saved in the git dir; failing
 * that, the newest valid one committed in the history of the revision (HEAD for the working
 * tree and the index); failing that, none, and `notice` says so.
 */
export async function loadPolicy(opts: LoadOptions): Promise<LoadedPolicy> {
  const source = opts.source ?? { kind: 'worktree' };
  const text = opts.text === undefined ? await readRepoFile(opts.root, source, policyFileName) : (opts.text ?? undefined);
  if (text === undefined) return { policy: emptyPolicy, from: 'absent', errors: [], warnings: [], text, notice: undefined };
  const parsed = parsePolicy(text);
  const from = source.kind === 'rev' ? source.rev : source.kind;
  if (parsed.ok) {
    if (opts.save !== false) await saveLastGood(opts.ledgerDir, text, from);
    return { policy: parsed.policy, from: 'file', errors: [], warnings: parsed.warnings, text, notice: undefined };
  }
  const first = formatProblem(parsed.errors[0]!);
  const fallback: { policy: Policy; from: string } | undefined =
    (await readLastGood(opts.ledgerDir)) ?? (await lastValidInHistory(opts.root, source.kind === 'rev' ? source.rev : 'HEAD').catch(() => undefined));
  if (fallback) {
    return {
      policy: fallback.policy,
      from: 'last-good',
      errors: parsed.errors,
      warnings: parsed.warnings,
      text,
      lastGoodFrom: fallback.from,
      notice: `${first}\nai-provenance: ${policyFileName} is broken; the last valid policy (read from ${describeFrom(fallback.from)}) stays in force.`,
    };
  }
  return {
    policy: emptyPolicy,
    from: 'none',
    errors: parsed.errors,
    warnings: parsed.warnings,
    text,
    notice: `${first}\nai-provenance: ${policyFileName} is broken and no earlier valid policy is known: no path is critical until it is fixed.`,
  };
}

function describeFrom(from: string): string {
  if (from === 'worktree') return 'the working tree';
  if (from === 'index') return 'the index';
  if (from === 'HEAD') return 'HEAD';
  return /^[0-9a-f]{40,64}$/.test(from) ? `commit ${from.slice(0, 12)}` : from;
}

/**
 * The repository's CODEOWNERS in a source: the first of `.github/CODEOWNERS`, `CODEOWNERS`,
 * `docs/CODEOWNERS` that exists (GitHub's order), or undefined.
 */
export async function loadCodeowners(root: string, source: PolicySource): Promise<Codeowners | undefined> {
  if (source.kind === 'worktree') {
    for (const p of codeownersPaths) {
      const text = await fs.readFile(path.join(root, p), 'utf8').catch(() => undefined);
      if (text !== undefined) return parseCodeowners(text, p);
    }
    return undefined;
  }
  const specs = codeownersPaths.map((p) => spec(source, p));
  const texts = await runGit(root, catFileBatch(specs));
  for (let i = 0; i < codeownersPaths.length; i++) {
    const text = texts.get(specs[i]!);
    if (text !== undefined) return parseCodeowners(text, codeownersPaths[i]);
  }
  return undefined;
}
