/**
 * Commit friction in the `commit-msg` hook. `prepare-commit-msg` has just attributed the staged
 * change (for its trailers); it leaves the AI lines per path in the git dir, and `commit-msg`
 * reads them back here, judges them by the policy being committed (and by the policy it
 * replaces, when the commit weakens it: src/core/policy/policy.ts), adds `AI-Critical:` through
 * `git interpret-trailers`, and prints what to do. Refusing is the caller's exit code.
 *
 * Nothing is read when the change has no AI line: most commits pay one small file read.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { AiFile, FrictionDecision } from '../../core/policy/friction';
import { combineDecisions, decideFriction, stripCriticalTrailer } from '../../core/policy/friction';
import type { Policy } from '../../core/policy/policy';
import { matchCritical } from '../../core/policy/match';
import { parsePolicy } from '../../core/policy/schema';
import { policyFileName } from '../../core/policy/policy';
import { needsCodeowners } from '../../core/policy/reviewers';
import { weakenings } from '../../core/policy/weakening';
import { detectCommentChar, hasContent } from '../../core/commit/trailers';
import type { HookRepo, RepoInfo } from '../../git/commands';
import { addTrailers, authorIdent, committerIdent } from '../../git/historyCommands';
import { catFileBatch } from '../../git/commands';
import { loadCodeowners, loadPolicy } from '../../node/policyFile';
import { runGit } from '../../git/runner';
import { isAmend, sequencerState } from '../../git/gitState';
import type { HookEnv } from '../../node/handoff';
import { takeStagedAiLines } from '../../node/handoff';
import type { Io } from '../io';

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
export async function frictionForStaged(repo: Pick<HookRepo, 'root' | 'ledgerDir'>, files: readonly AiFile[], message: string, author: string, base: string | undefined = 'HEAD', committer?: string): Promise<CommitFriction> {
  const specs = [`:${policyFileName}`, ...(base ? [`${base}:${policyFileName}`] : [])];
  const texts = await runGit(repo.root, catFileBatch(specs));
  return decideStaged(repo, files, [], message, author, committer, texts.get(specs[0]!), base ? texts.get(specs[1]!) : undefined);
}

/** {@link frictionForStaged} with the policy texts read: the staged one and the base's. */
async function decideStaged(repo: Pick<HookRepo, 'root' | 'ledgerDir'>, files: readonly AiFile[], unattested: readonly AiFile[], message: string, author: string, committer: string | undefined, staged: string | undefined, baseText: string | undefined): Promise<CommitFriction> {
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
  const needOwners = policies.some((p) => [...files, ...unattested].some((f) => matchCritical(p, f.path)?.rules.some(needsCodeowners)));
  const codeowners = needOwners ? await loadCodeowners(root, { kind: 'index' }) : undefined;
  const commentChar = detectCommentChar(message);
  const decision = combineDecisions(policies.map((policy) => decideFriction({ files, policy, message, author, ...(committer ? { committer } : {}), ...(unattested.length > 0 ? { unattested } : {}), ...(codeowners ? { codeowners } : {}), ...(commentChar ? { commentChar } : {}) })));
  return { decision, policyNotes };
}

/**
 * `commit-msg`'s friction: `block` when the commit must not go in. The message file gets
 * `AI-Critical:` when it goes in with AI lines in a critical path. The text goes to stderr,
 * its first line self-contained (VS Code's git dialog shows only that line).
 */
export async function commitFriction(repo: RepoInfo, msgFile: string, io: Io, env: HookEnv): Promise<'allow' | 'block'> {
  const { ai: files, unknown } = await takeStagedAiLines(repo.ledgerDir, env);
  if (files.length === 0 && unknown.length === 0) return 'allow';
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
  // The one committing ran the agent (the ledger that holds the AI lines is theirs): never a reviewer.
  const [author, committer] = await Promise.all([runGit(repo.root, authorIdent()), runGit(repo.root, committerIdent())]);
  const { decision, policyNotes } = await decideStaged(repo, files, unknown, message, author, committer, texts.get(specs[0]!), texts.get(specs[amend ? 2 : 1]!));
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
