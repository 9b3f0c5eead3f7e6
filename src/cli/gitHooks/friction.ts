/**
 * Commit friction in the `commit-msg` hook. `prepare-commit-msg` has just attributed the staged
 * change (for its trailers); it leaves the AI lines per path in the git dir, and `commit-msg`
 * reads them back here, judges them by the policy being committed (and by the policy it
 * replaces, when the commit weakens it: src/core/policy/policy.ts), adds `AI-Critical:` through
 * `git interpret-trailers`, and prints what to do. Refusing is the caller's exit code.
 *
 * Nothing is read when the change has no AI line: most commits pay one small file read.
 */
import { promises as fs, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { LineRun } from '../../core/lines/lines';
import type { AiFile, FrictionDecision } from '../../core/policy/friction';
import { combineDecisions, decideFriction, stripCriticalTrailer } from '../../core/policy/friction';
import type { Policy } from '../../core/policy/policy';
import { matchCritical, parsePolicy, policyFileName, weakenings } from '../../core/policy/policy';
import { detectCommentChar, hasContent } from '../../core/commit/trailers';
import type { HookRepo, RepoInfo } from '../../git/commands';
import { addTrailers, authorIdent, catFileBatch } from '../../git/commands';
import { loadCodeowners, loadPolicy } from '../../node/policyFile';
import { removeFileSync } from '../../node/removeFile';
import { runGit } from '../../git/runner';
import { isAmend, sequencerState } from '../../git/gitState';
import type { HookEnv } from './commitMessage';
import type { Io } from '../io';

/**
 * What prepare-commit-msg leaves for commit-msg: each file's AI lines as runs `[first, last]`
 * (a commit of thousands of AI lines has a few runs per file; a number per line made this
 * file the largest write of a commit hook).
 */
interface StagedAiLines {
  readonly version: 2;
  /** The git process both hooks run under (our hook script passes its $PPID); a file of another commit is stale. */
  readonly gitPid: string | null;
  readonly files: ReadonlyArray<{ readonly path: string; readonly runs: ReadonlyArray<readonly [number, number]> }>;
}

function stagedFile(ledgerDir: string): string {
  return path.join(ledgerDir, 'staged-ai-lines.json');
}

/**
 * Leaves the staged change's AI lines (as written, and edited by hand) for commit-msg. Called
 * by prepare-commit-msg on every commit, with no files when the change has no AI line, so a
 * file from an earlier commit is never read for this one.
 */
export function saveStagedAiLines(ledgerDir: string, env: HookEnv, files: ReadonlyArray<{ readonly path: string; readonly runs: readonly LineRun[] }>): void {
  // Synchronous: prepare-commit-msg waits for it either way, and sync calls skip node's thread pool.
  const ai: Array<StagedAiLines['files'][number]> = [];
  for (const f of files) {
    // AI lines as written and as edited by hand; touching runs of both are one run here.
    const runs: Array<[number, number]> = [];
    for (const r of f.runs) {
      if (r.kind !== 'ai' && r.kind !== 'mixed') continue;
      const last = runs[runs.length - 1];
      if (last && r.startLine === last[1] + 1) last[1] = r.endLine;
      else runs.push([r.startLine, r.endLine]);
    }
    if (runs.length > 0) ai.push({ path: f.path, runs });
  }
  const file = stagedFile(ledgerDir);
  if (ai.length === 0) {
    removeFileSync(file);
    return;
  }
  const data: StagedAiLines = { version: 2, gitPid: env.AIP_GIT_PID ?? null, files: ai };
  mkdirSync(ledgerDir, { recursive: true });
  writeFileSync(file, JSON.stringify(data));
}

/** Whether `x` is a run of lines as {@link saveStagedAiLines} writes them (of a size a file can have: a damaged file must not hang the commit). */
function isRun(x: unknown): x is [number, number] {
  if (!Array.isArray(x) || x.length !== 2 || !Number.isSafeInteger(x[0]) || !Number.isSafeInteger(x[1])) return false;
  const [first, last] = x as [number, number];
  return first >= 1 && first <= last && last - first < 10_000_000;
}

/** Reads and removes what prepare-commit-msg left; empty when it left nothing for this commit. */
async function takeStagedAiLines(ledgerDir: string, env: HookEnv): Promise<AiFile[]> {
  const file = stagedFile(ledgerDir);
  let data: Partial<StagedAiLines>;
  try {
    data = JSON.parse(await fs.readFile(file, 'utf8')) as Partial<StagedAiLines>;
  } catch {
    return [];
  }
  await fs.rm(file, { force: true });
  if (data.version !== 2 || !Array.isArray(data.files)) return [];
  if ((data.gitPid ?? null) !== (env.AIP_GIT_PID ?? null)) return [];
  const out: AiFile[] = [];
  for (const f of data.files as unknown[]) {
    const x = f as { path?: unknown; runs?: unknown } | null;
    if (typeof x?.path !== 'string' || !Array.isArray(x.runs) || !(x.runs as unknown[]).every(isRun)) continue;
    const lines: number[] = [];
    for (const [first, last] of x.runs as Array<[number, number]>) for (let l = first; l <= last; l++) lines.push(l);
    out.push({ path: x.path, lines });
  }
  return out;
}

/** The decision on a change under the policies that apply to it, with the lines about the policy itself. */
export interface CommitFriction {
  readonly decision: FrictionDecision;
  /** Lines about the policy in force (broken file, weakening), printed after the decision. */
  readonly policyNotes: readonly string[];
}

/**
 * Decides friction for a change's AI lines, judged by the policy staged in the index (or the
 * last valid one when it is broken), and also by the policy of `base` when the staged one
 * weakens it. For the editor's preview of a commit: `base` is HEAD (HEAD's parent to preview
 * an amend); `author` is `Name <email>`.
 */
export async function frictionForStaged(repo: Pick<HookRepo, 'root' | 'ledgerDir'>, files: readonly AiFile[], message: string, author: string, base: string | undefined = 'HEAD'): Promise<CommitFriction> {
  const specs = [`:${policyFileName}`, ...(base ? [`${base}:${policyFileName}`] : [])];
  const texts = await runGit(repo.root, catFileBatch(specs));
  return decideStaged(repo, files, message, author, texts.get(specs[0]!), base ? texts.get(specs[1]!) : undefined);
}

/** {@link frictionForStaged} with the policy texts read: the staged one and the base's. */
async function decideStaged(repo: Pick<HookRepo, 'root' | 'ledgerDir'>, files: readonly AiFile[], message: string, author: string, staged: string | undefined, baseText: string | undefined): Promise<CommitFriction> {
  const root = repo.root;
  const loaded = await loadPolicy({ root, ledgerDir: repo.ledgerDir, source: { kind: 'index' }, text: staged ?? null });
  const policyNotes: string[] = loaded.notice ? loaded.notice.split('\n') : [];
  const policies: Policy[] = [loaded.policy];
  if (baseText !== undefined && baseText !== staged) {
    const old = parsePolicy(baseText);
    const weaker = old.ok ? weakenings(old.policy, loaded.policy) : [];
    if (old.ok && weaker.length > 0) {
      policies.unshift(old.policy);
      policyNotes.push(`ai-provenance: this commit weakens ${policyFileName} (${weaker.join('; ')}): it is judged by the policy it replaces as well.`);
    }
  }
  // CODEOWNERS only matter to review rules that name no reviewers.
  const needOwners = policies.some((p) => files.some((f) => matchCritical(p, f.path)?.rules.some((r) => r.friction === 'review' && r.reviewers.length === 0)));
  const codeowners = needOwners ? await loadCodeowners(root, { kind: 'index' }) : undefined;
  const commentChar = detectCommentChar(message);
  const decision = combineDecisions(policies.map((policy) => decideFriction({ files, policy, message, author, ...(codeowners ? { codeowners } : {}), ...(commentChar ? { commentChar } : {}) })));
  return { decision, policyNotes };
}

/**
 * `commit-msg`'s friction: `block` when the commit must not go in. The message file gets
 * `AI-Critical:` when it goes in with AI lines in a critical path. The text goes to stderr,
 * its first line self-contained (VS Code's git dialog shows only that line).
 */
export async function commitFriction(repo: RepoInfo, msgFile: string, io: Io, env: HookEnv): Promise<'allow' | 'block'> {
  const files = await takeStagedAiLines(repo.ledgerDir, env);
  if (files.length === 0) return 'allow';
  // Replayed commits (rebase picks, squashes) were judged when they were made; the CI gate
  // sees them again. Stopping a rebase halfway would help nobody.
  const state = await sequencerState(repo.gitDir, env.GIT_REFLOG_ACTION);
  if (state.automated) return 'allow';
  const message = await fs.readFile(msgFile, 'utf8');
  const commentChar = detectCommentChar(message);
  // An empty message: git aborts the commit anyway.
  if (!hasContent(message, commentChar ?? '#')) return 'allow';
  // The staged policy, HEAD's, and HEAD's parent's (the base of an amend), in one git call; on
  // a first commit the HEAD ones are missing (and an amend is impossible).
  const specs = [`:${policyFileName}`, `HEAD:${policyFileName}`, `HEAD^1:${policyFileName}`];
  const texts = await runGit(repo.root, catFileBatch(specs));
  // No policy staged and none replaced: nothing is critical (a broken file is a text, not this).
  if (texts.get(specs[0]!) === undefined && texts.get(specs[1]!) === undefined) return 'allow';
  const amend = await isAmend(undefined, undefined, env.AIP_GIT_PID ? Number(env.AIP_GIT_PID) : undefined);
  const author = await runGit(repo.root, authorIdent());
  const { decision, policyNotes } = await decideStaged(repo, files, message, author, texts.get(specs[0]!), texts.get(specs[amend ? 2 : 1]!));
  if (decision.outcome !== 'refuse') {
    const stripped = stripCriticalTrailer(message);
    if (stripped.removed > 0) await fs.writeFile(msgFile, stripped.message);
    if (decision.trailersToAdd.length > 0) await runGit(repo.root, addTrailers(msgFile, decision.trailersToAdd, commentChar));
  }
  for (const l of decision.messageLines) io.err(l);
  if (decision.outcome === 'refuse') {
    const rel = path.relative(repo.root, msgFile).split(path.sep).join('/');
    if (!rel.startsWith('..')) io.err(`  Your message is kept in ${rel}; to edit it and commit again: git commit -e -F ${rel}`);
  }
  for (const l of policyNotes) io.err(l);
  return decision.outcome === 'refuse' ? 'block' : 'allow';
}
