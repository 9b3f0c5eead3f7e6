/**
 * `git provenance check <rev-range>... [--format text|json|github] [--policy-rev <rev>]`: the
 * CI gate. For every commit of the range, the AI-written lines in critical paths must meet the
 * policy as it stood in that commit (the commit-msg hook's decision, src/core/policy/friction.ts),
 * and the trailers must agree with the note. A handful of git calls whatever the size of the
 * range: the log, the notes (two), the policy files (one batch), the note lines carried from
 * copied records, the patches of commits known only by their trailers, CODEOWNERS. The
 * verdicts are src/core/policy/verdicts.ts; the printing is src/cli/format/checkReport.ts.
 */
import type { AttributedLine } from '../../core/commit/changeLines';
import type { TraceRecord } from '../../core/commit/notes';
import { runLines } from '../../core/commit/patch';
import { blockProvenanceIds, trailerKeys } from '../../core/commit/trailers';
import type { Codeowners } from '../../core/policy/codeowners';
import { codeownersPaths, parseCodeowners } from '../../core/policy/codeowners';
import type { AiFile } from '../../core/policy/friction';
import { matchCritical } from '../../core/policy/match';
import type { Policy } from '../../core/policy/policy';
import { emptyPolicy, policyFileName } from '../../core/policy/policy';
import { formatProblem, parsePolicy } from '../../core/policy/schema';
import type { RangeCommit } from '../../core/policy/range';
import { judgeRange } from '../../core/policy/range';
import { needsCodeowners } from '../../core/policy/reviewers';
import type { CheckWarning, OverrideReport, Violation } from '../../core/policy/verdicts';
import { judgeCommit, saysAi } from '../../core/policy/verdicts';
import { weakenings } from '../../core/policy/weakening';
import type { CheckCommit } from '../../git/historyCommands';
import { catFileBatch, commitPatches, objectsExist, resolveCommit } from '../../git/commands';
import { checkLog } from '../../git/historyCommands';
import { readNotes } from '../../git/notes';
import { readNotesAt } from '../../git/notesAt';
import { carriedReviews } from '../../core/commit/consolidate';
import type { CommitToJudge } from '../../core/policy/verdicts';
import type { ReviewerIdentity } from '../../core/policy/reviewers';
import { approvalReviewer, trailerReviewer } from '../../core/policy/reviewers';
import { squashedReviews, standingApprovals } from '../../core/policy/externalReviews';
import { readReviewsFile, ReviewsFileError } from '../../node/reviewsFile';
import * as path from 'node:path';
import { missingNotesHint } from '../../node/notesHint';
import { GitError, runGit } from '../../git/runner';
import { linesAtCommits } from '../../node/attribution';
import { lastValidInHistory } from '../../node/policyFile';
import { openHistory } from '../../node/repo';
import { InputError, parseArgs, UsageError } from '../args';
import { reversedRangeNote } from '../revs';
import type { CheckFormat } from '../format/checkReport';
import { checkFormats, printCheck } from '../format/checkReport';
import type { Io } from '../io';

/** Usage text of `check`. */
export const checkUsage = `usage: git provenance check <rev-range>... [--format text|json|github|sarif|markdown] [--policy-rev <rev>] [--reviews FILE]

The CI gate. For every commit of the range (as git rev-list takes it: A..B, ^A B, -<n> B):
AI-written lines in critical paths (from the commit's note; where there is none but the message
says AI helped, every line it added to a critical file; under "unattested": "ai", every line
with no provenance evidence) must meet .ai-provenance.json as it stood in that commit (its
parent's too when the commit weakens it); the trailers must agree with the note (Assisted-by
present, AI-Lines counts, AI-Provenance id). Over the whole range, each rule's maxAiLines
budget counts the AI lines of all its commits; reviews for a range over budget come from any
commit's trailer block. Overrides (AI-Critical-Override:) are listed as overrides.
  --format F        text (default), json, github (workflow annotations), sarif (SARIF 2.1.0,
                    for code scanning) or markdown (a job summary or review comment)
  --policy-rev REV  also judge every commit by the policy at REV (the target branch)
  --reviews FILE    the pull request's reviews, [{"login","email"?,"state","submitted_at"}]:
                    each reviewer's latest approval counts as a review of every commit
  --notes-from REV  also read notes from this notes commit (a server hook: the pushed notes)
Exit codes: 0 clean, 1 violations, 2 usage or repository error. See docs/ci.md.`;

/** What a warning says of a policy file that is there but not text. */
const notText = `${policyFileName}: error: not a text file (a NUL byte, or not UTF-8)`;

/** Policies by their text, each parsed once (and so compiled once). */
class PolicyCache {
  private readonly parsed = new Map<string, ReturnType<typeof parsePolicy>>();
  parse(text: string): ReturnType<typeof parsePolicy> {
    let r = this.parsed.get(text);
    if (!r) {
      r = parsePolicy(text);
      this.parsed.set(text, r);
    }
    return r;
  }
}

/** Runs `check`. */
export async function check(argv: readonly string[], io: Io): Promise<number> {
  const args = parseArgs(argv, ['format', 'policy-rev', 'reviews', 'notes-from'], ['help']);
  if (args.flags.has('help')) {
    io.out(checkUsage);
    return 0;
  }
  const format = (args.values.get('format') ?? 'text') as CheckFormat;
  if (!checkFormats.includes(format)) throw new UsageError(`--format must be one of ${checkFormats.join(', ')}`);
  let maxCount: number | undefined;
  const revs: string[] = [];
  for (const a of args.positionals) {
    if (/^-\d+$/.test(a)) maxCount = Number(a.slice(1));
    else if (a === '' || a.startsWith('-')) throw new UsageError(`not a revision or range: ${a}`);
    else revs.push(a);
  }
  if (revs.length === 0) throw new UsageError('give a revision range, for example origin/main..HEAD');
  // History only: works in a bare repository (a CI mirror, a server-side hook) too.
  const root = (await openHistory(io.cwd, io.err)).gitCwd;
  // A forge's approvals count as reviewers of every commit of the range (src/core/policy/externalReviews.ts).
  const reviewsFile = args.values.get('reviews');
  let approvals: ReviewerIdentity[] = [];
  if (reviewsFile !== undefined) {
    try {
      approvals = standingApprovals(await readReviewsFile(path.resolve(io.cwd, reviewsFile))).map(approvalReviewer);
    } catch (e) {
      if (e instanceof ReviewsFileError) throw new UsageError(e.message);
      throw e;
    }
  }

  let commits: CheckCommit[];
  try {
    commits = await runGit(root, checkLog(revs, maxCount));
  } catch (e) {
    if (e instanceof GitError) throw new InputError(`not a revision range git knows: ${revs.join(' ')} (${e.stderr.trim().split('\n').pop() ?? ''})`);
    throw e;
  }
  if (commits.length === 0) {
    const note = await reversedRangeNote(root, revs);
    if (note) io.err(note);
  }
  const warnings: CheckWarning[] = [];
  const cache = new PolicyCache();

  // --policy-rev: the policy at another revision applies to every commit as well.
  let extra: Policy | undefined;
  const policyRev = args.values.get('policy-rev');
  if (policyRev !== undefined) {
    const commit = await runGit(root, resolveCommit(policyRev));
    if (!commit) throw new UsageError(`--policy-rev ${policyRev}: no such commit`);
    const spec = `${commit}:${policyFileName}`;
    const text = (await runGit(root, catFileBatch([spec]))).get(spec);
    if (text === undefined && !(await runGit(root, objectsExist([spec]))).has(spec)) extra = emptyPolicy;
    else {
      const r = text !== undefined ? cache.parse(text) : undefined;
      if (r?.ok) extra = r.policy;
      else {
        const last = await lastValidInHistory(root, commit);
        extra = last?.policy ?? emptyPolicy;
        warnings.push({ message: `${r ? formatProblem(r.errors[0]!) : notText} (at ${policyRev}); using ${last ? `the policy of ${last.from.slice(0, 12)}` : 'no policy'} instead` });
      }
    }
  }

  const ids = commits.map((c) => c.commit);
  const firstParent = (c: CheckCommit): string | undefined => c.parents[0];
  const notesFrom = args.values.get('notes-from');
  const [notes, policyTexts, pushedNotes] = await Promise.all([
    readNotes(root, ids),
    runGit(root, catFileBatch([...new Set(commits.flatMap((c) => [c.commit, ...(firstParent(c) ? [firstParent(c)!] : [])]))].map((c) => `${c}:${policyFileName}`))),
    notesFrom !== undefined ? readNotesAt(root, notesFrom, ids) : undefined,
  ]);
  // Notes pushed with the commits are the newest evidence.
  for (const [c, records] of pushedNotes ?? []) notes.set(c, records);
  // A policy file that is there but not text (a NUL byte, not UTF-8) is a broken policy, as the
  // commit hook reads it (src/cli/gitHooks/friction.ts), not a missing one: read as missing it
  // would turn protection off for every commit after it.
  const unread = [...policyTexts].filter(([, t]) => t === undefined).map(([s]) => s);
  const binary = unread.length > 0 ? await runGit(root, objectsExist(unread)) : new Set<string>();

  // The policy in force at a commit: its own file, or the newest valid one before it.
  const effective = new Map<string, Policy>();
  const policyAt = async (commit: string, forCommit: string): Promise<Policy> => {
    const known = effective.get(commit);
    if (known) return known;
    const spec = `${commit}:${policyFileName}`;
    const text = policyTexts.get(spec);
    let policy = emptyPolicy;
    if (text !== undefined || binary.has(spec)) {
      const r = text !== undefined ? cache.parse(text) : undefined;
      if (r?.ok) policy = r.policy;
      else {
        const last = await lastValidInHistory(root, commit);
        policy = last?.policy ?? emptyPolicy;
        warnings.push({
          commit: forCommit,
          message: `${r ? formatProblem(r.errors[0]!) : notText} (at ${commit.slice(0, 12)}); the last valid policy ${last ? `(of ${last.from.slice(0, 12)})` : '(none: nothing is critical)'} is used instead`,
        });
      }
    }
    effective.set(commit, policy);
    return policy;
  };
  const policiesOf = new Map<string, Policy[]>();
  for (const c of commits) {
    const own = await policyAt(c.commit, c.commit);
    const list = [own];
    const p = firstParent(c);
    if (p && policyTexts.get(`${p}:${policyFileName}`) !== policyTexts.get(`${c.commit}:${policyFileName}`)) {
      const old = await policyAt(p, c.commit);
      if (weakenings(old, own).length > 0) list.unshift(old);
    }
    if (extra) list.push(extra);
    policiesOf.set(c.commit, list);
  }
  const isCritical = (commit: string, p: string): boolean => policiesOf.get(commit)!.some((pol) => matchCritical(pol, p) !== undefined);

  // AI lines in critical paths: from notes…
  const withNotes = new Map<string, TraceRecord[]>();
  for (const c of commits) {
    const records = notes.get(c.commit);
    if (records && records.length > 0) withNotes.set(c.commit, records);
  }
  const noteLines = await linesAtCommits(root, withNotes, (commit) => new Set(withNotes.get(commit)!.flatMap((r) => r.files.map((f) => f.path)).filter((p) => isCritical(commit, p))));
  const aiFiles = new Map<string, { files: AiFile[]; evidence: Violation['evidence'] }>();
  for (const [commit, files] of noteLines) {
    const list: AiFile[] = [];
    for (const [p, lines] of files) {
      const ai = lines.filter((l: AttributedLine) => l.kind === 'ai' || l.kind === 'mixed').map((l) => l.line);
      if (ai.length > 0) list.push({ path: p, lines: ai });
    }
    aiFiles.set(commit, { files: list, evidence: 'note' });
  }
  // …and, for commits without a note whose message says AI helped, every added line. Commits
  // with neither, under a rule whose `unattested` is not `allow`: every added line is
  // unattested (made without our hooks, or with them bypassed); in a note, lines of unknown origin are.
  const guarded = (commit: string, p: string): boolean => policiesOf.get(commit)!.some((pol) => matchCritical(pol, p)?.rules.some((r) => (r.unattested ?? 'allow') !== 'allow') === true);
  const unattested = new Map<string, AiFile[]>();
  for (const [commit, files] of noteLines) {
    const list: AiFile[] = [];
    for (const [p, lines] of files) {
      const unknown = lines.filter((l: AttributedLine) => l.kind === 'unknown').map((l) => l.line);
      if (unknown.length > 0 && guarded(commit, p)) list.push({ path: p, lines: unknown });
    }
    if (list.length > 0) unattested.set(commit, list);
  }
  const byTrailers = commits.filter((c) => !withNotes.has(c.commit) && saysAi(c));
  const bare = commits.filter((c) => !withNotes.has(c.commit) && !saysAi(c) && policiesOf.get(c.commit)!.some((pol) => pol.critical.some((r) => (r.unattested ?? 'allow') !== 'allow')));
  if (byTrailers.length > 0 || bare.length > 0) {
    for (const c of byTrailers) {
      if (blockProvenanceIds(c.message).length > 0) warnings.push({ commit: c.commit, message: `${trailerKeys.provenance}: says there is a note, but it is not here (fetch refs/notes/ai-provenance); judged by its trailers` });
    }
    const trailerOnly = new Set(byTrailers.map((c) => c.commit));
    const patches = await runGit(root, commitPatches([...byTrailers, ...bare].map((c) => c.commit)));
    for (const p of patches) {
      if (trailerOnly.has(p.commit)) {
        const files = p.files.filter((f) => f.addedRuns.length > 0 && isCritical(p.commit, f.path)).map((f) => ({ path: f.path, lines: runLines(f.addedRuns) }));
        aiFiles.set(p.commit, { files, evidence: 'trailers' });
      } else {
        const files = p.files.filter((f) => f.addedRuns.length > 0 && guarded(p.commit, f.path)).map((f) => ({ path: f.path, lines: runLines(f.addedRuns) }));
        if (files.length > 0) unattested.set(p.commit, files);
      }
    }
  }

  const hint = await missingNotesHint(root, commits.filter((c) => !withNotes.has(c.commit)).map((c) => c.commit));
  if (hint) io.err(hint);

  // CODEOWNERS, read only for commits with a review rule that names no reviewers.
  const needOwners = commits.filter((c) => {
    const files = aiFiles.get(c.commit)?.files ?? [];
    return policiesOf.get(c.commit)!.some((pol) => files.some((f) => matchCritical(pol, f.path)?.rules.some(needsCodeowners)));
  });
  const owners = new Map<string, Codeowners | undefined>();
  if (needOwners.length > 0) {
    const specs = needOwners.flatMap((c) => codeownersPaths.map((p) => `${c.commit}:${p}`));
    const texts = await runGit(root, catFileBatch(specs));
    for (const c of needOwners) {
      const at = codeownersPaths.find((p) => texts.get(`${c.commit}:${p}`) !== undefined);
      owners.set(c.commit, at ? parseCodeowners(texts.get(`${c.commit}:${at}`)!, at) : undefined);
    }
  }

  const violations: Violation[] = [];
  const overrides: OverrideReport[] = [];
  const judged: CommitToJudge[] = [];
  const elsewhere: ReviewerIdentity[] = [];
  for (const c of commits) {
    const ai = aiFiles.get(c.commit);
    const codeowners = owners.get(c.commit);
    const records = withNotes.get(c.commit);
    const un = unattested.get(c.commit);
    // Reviewers named elsewhere than the trailer block: a squash message's squashed commits, a consolidated note's.
    const folded = [...squashedReviews(c.message), ...carriedReviews(records ?? [])].map((v) => trailerReviewer(v, c.commit));
    elsewhere.push(...folded);
    const external = [...approvals, ...folded];
    const toJudge: CommitToJudge = {
      commit: c.commit,
      message: c.message,
      author: c.author,
      committer: c.committer,
      policies: policiesOf.get(c.commit)!,
      ...(ai ? { ai } : {}),
      ...(un ? { unattested: un } : {}),
      ...(codeowners ? { codeowners } : {}),
      ...(records ? { records } : {}),
      ...(external.length > 0 ? { external } : {}),
    };
    judged.push(toJudge);
    const verdicts = judgeCommit(toJudge);
    violations.push(...verdicts.violations);
    warnings.push(...verdicts.warnings);
    overrides.push(...verdicts.overrides);
  }

  // The range as one change: budgets over all its commits, by the policies at its tip.
  const tip = commits[commits.length - 1];
  const rangeCommits: RangeCommit[] = commits.map((c) => ({
    commit: c.commit,
    message: c.message,
    author: c.author,
    committer: c.committer,
    ranAgent: withNotes.has(c.commit),
    files: aiFiles.get(c.commit)?.files ?? [],
    unattested: unattested.get(c.commit) ?? [],
  }));
  const range = tip ? policiesOf.get(tip.commit)!.flatMap((policy) => judgeRange({ commits: rangeCommits, policy, ...(approvals.length + elsewhere.length > 0 ? { external: [...approvals, ...elsewhere] } : {}), ...(owners.get(tip.commit) ? { codeowners: owners.get(tip.commit)! } : {}) })) : [];

  printCheck(io, format, revs, commits.length, violations, warnings, { overrides, range, judged });
  return violations.length > 0 || range.some((r) => r.status === 'unreviewed' || r.status === 'blocked') ? 1 : 0;
}
