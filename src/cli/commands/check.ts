/**
 * `git provenance check <rev-range>... [--format text|json|github] [--policy-rev <rev>]`: the
 * CI gate. For every commit of the range, the AI-written lines in critical paths must meet the
 * policy as it stood in that commit (the commit-msg hook's decision, src/core/policy/friction.ts),
 * and the trailers must agree with the note. A handful of git calls whatever the size of the
 * range: the log, the notes (two), the policy files (one batch), the note lines carried from
 * copied records, the patches of commits known only by their trailers, CODEOWNERS.
 */
import type { AttributedLine } from '../../core/commit/changeLines';
import type { Codeowners } from '../../core/policy/codeowners';
import { codeownersPaths, parseCodeowners } from '../../core/policy/codeowners';
import type { AiFile, CriticalFile, FrictionDecision } from '../../core/policy/friction';
import { combineDecisions, decideFriction, frictionKeys, messageTrailers } from '../../core/policy/friction';
import type { TraceRecord } from '../../core/commit/notes';
import { recordLines, recordMeta } from '../../core/commit/notes';
import { runLines } from '../../core/commit/patch';
import type { Policy } from '../../core/policy/policy';
import { emptyPolicy, formatProblem, matchCritical, parsePolicy, policyFileName, weakenings } from '../../core/policy/policy';
import { messageTool } from '../../core/report/stats';
import { provenanceIds, trailerKeys } from '../../core/commit/trailers';
import type { CheckCommit } from '../../git/commands';
import { catFileBatch, checkLog, commitPatches, resolveCommit } from '../../git/commands';
import { readNotes } from '../../git/notes';
import { lastValidInHistory } from '../../node/policyFile';
import { GitError, runGit } from '../../git/runner';
import { parseArgs, UsageError } from '../args';
import { linesAtCommits } from '../../node/attribution';
import type { Io } from '../io';
import { openRepo } from '../../node/repo';

/** Usage text of `check`. */
export const checkUsage = `usage: git provenance check <rev-range>... [--format text|json|github] [--policy-rev <rev>]

The CI gate. For every commit of the range (as git rev-list takes it: A..B, ^A B, -<n> B):
AI-written lines in critical paths (from the commit's note; where there is none but the message
says AI helped, every line it added to a critical file) must meet .ai-provenance.json as it
stood in that commit (its parent's too when the commit weakens it); the trailers must agree
with the note (Assisted-by present, AI-Lines counts, AI-Provenance id).
  --format F        text (default), json, or github (workflow annotations)
  --policy-rev REV  also judge every commit by the policy at REV (the target branch)
Exit codes: 0 clean, 1 violations, 2 usage or repository error. See docs/ci.md.`;

const formats = ['text', 'json', 'github'] as const;
type Format = (typeof formats)[number];

/** One problem of one commit. */
export interface Violation {
  readonly commit: string;
  readonly subject: string;
  readonly author: string;
  readonly kind: 'critical' | 'tampering';
  /** For `critical`: the strictest friction and the reason of its rule. */
  readonly friction?: string;
  readonly reason?: string;
  /** Where the AI lines came from: the note, or only the trailers (every added line of the file). */
  readonly evidence: 'note' | 'trailers';
  readonly files: ReadonlyArray<{ readonly path: string; readonly lines: ReadonlyArray<readonly [number, number]> }>;
  readonly message: string;
}

/** Something to know that is not a violation (warn friction, a broken policy, a missing note). */
export interface CheckWarning {
  readonly commit?: string;
  readonly message: string;
  readonly files?: Violation['files'];
}

/** Contiguous spans of ascending line numbers. */
export function lineSpans(lines: readonly number[]): Array<[number, number]> {
  const sorted = [...new Set(lines)].sort((a, b) => a - b);
  const out: Array<[number, number]> = [];
  for (const n of sorted) {
    const last = out[out.length - 1];
    if (last && n === last[1] + 1) last[1] = n;
    else out.push([n, n]);
  }
  return out;
}

function spansText(spans: ReadonlyArray<readonly [number, number]>): string {
  return spans.map(([a, b]) => (a === b ? String(a) : `${a}-${b}`)).join(', ');
}

function subjectOf(message: string): string {
  return message.split('\n').find((l) => l.trim() !== '')?.trim() ?? '';
}

/** Our own records of a commit (written by the hooks: not imported from another tool). */
function ownRecords(records: readonly TraceRecord[]): TraceRecord[] {
  return records.filter((r) => r.tool?.name === 'ai-provenance' && (recordMeta(r) as { source?: unknown } | undefined)?.source === undefined);
}

function aiCounts(record: TraceRecord): { ai: number; mixed: number; added: number | undefined } {
  const meta = recordMeta(record);
  if (meta && Number.isSafeInteger(meta.lines.ai) && Number.isSafeInteger(meta.lines.mixed)) return { ai: meta.lines.ai, mixed: meta.lines.mixed, added: meta.lines.added };
  let ai = 0;
  let mixed = 0;
  for (const lines of recordLines(record).values()) {
    for (const l of lines) {
      if (l.kind === 'ai') ai++;
      else if (l.kind === 'mixed') mixed++;
    }
  }
  return { ai, mixed, added: undefined };
}

/**
 * How a commit's trailers disagree with its note (our own records only: a note imported from
 * another tool never came with trailers). Empty when they agree or there is no record.
 */
export function trailerTampering(message: string, records: readonly TraceRecord[]): string[] {
  const own = ownRecords(records);
  if (own.length === 0) return [];
  const out: string[] = [];
  const trailers = messageTrailers(message);
  const has = (key: string): boolean => trailers.some((t) => t.key.toLowerCase() === key.toLowerCase());
  const ids = provenanceIds(message);
  const id = ids[ids.length - 1];
  const record = (id !== undefined ? own.find((r) => r.id.toLowerCase() === id) : undefined) ?? (own.length === 1 ? own[0] : undefined);
  const counts = own.map(aiCounts);
  const noteAi = counts.reduce((n, c) => n + c.ai + c.mixed, 0);
  if (noteAi > 0 && !has(trailerKeys.assistedBy)) out.push(`the note names ${noteAi} AI-written line(s) but the message has no ${trailerKeys.assistedBy}: trailer`);
  if (noteAi > 0 && id === undefined) out.push(`the note names AI-written lines but the message has no ${trailerKeys.provenance}: trailer`);
  if (id !== undefined && !own.some((r) => r.id.toLowerCase() === id)) out.push(`${trailerKeys.provenance}: ${id} is not the id of the commit's note (${own.map((r) => r.id).join(', ')})`);
  const aiLines = trailers.filter((t) => t.key.toLowerCase() === trailerKeys.aiLines.toLowerCase()).pop();
  if (aiLines && record) {
    const m = /^(\d+)\/(\d+)(?:\s+\((\d+) edited by hand\))?$/.exec(aiLines.value);
    const c = aiCounts(record);
    const says = m ? { ai: Number(m[1]), added: Number(m[2]), mixed: Number(m[3] ?? 0) } : undefined;
    if (!says || says.ai !== c.ai || says.mixed !== c.mixed || (c.added !== undefined && says.added !== c.added)) {
      out.push(`${trailerKeys.aiLines}: ${aiLines.value} disagrees with the note (${c.ai}/${c.added ?? '?'}${c.mixed > 0 ? ` (${c.mixed} edited by hand)` : ''})`);
    }
  } else if (noteAi > 0 && !aiLines) {
    out.push(`the note names AI-written lines but the message has no ${trailerKeys.aiLines}: trailer`);
  }
  return out;
}

/** Whether a message without a note says AI helped (our trailers, Assisted-by, an agent's own lines). */
function saysAi(c: CheckCommit): boolean {
  if (/^(ai-lines|ai-provenance)\s*:/im.test(c.message)) return true;
  return messageTool(c.message, c.author) !== undefined;
}

/** The text of a critical violation for CI (the hook's text speaks to the person committing). */
function criticalText(d: FrictionDecision, evidence: Violation['evidence']): string {
  const bad = d.files.filter((f) => f.status === 'blocked' || f.status === 'unreviewed');
  const what = evidence === 'note' ? 'AI-written lines' : `lines of a commit whose message says AI helped (no note: every added line counts)`;
  return bad
    .map((f) => {
      if (f.status === 'blocked') return `${what} in ${f.path}, where the policy allows no AI-written code (${f.match.reason})`;
      const named = f.requirements.filter((r) => !r.met && r.reviewers.length > 0).flatMap((r) => r.reviewers);
      const who = named.length > 0 ? `one of ${named.join(', ')}` : 'someone other than the author';
      return `${what} in critical path ${f.path} (${f.match.reason}) without review: no "${frictionKeys.reviewedBy}:" naming ${who}, and no "${frictionKeys.override}: <reason>"`;
    })
    .join('; ');
}

/** Escapes a workflow command's message (GitHub: %, CR, LF). */
function ghData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a workflow command's property value (also : and ,). */
function ghProp(s: string): string {
  return ghData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** Most annotations GitHub shows per step are few; more than this is noise. */
const maxAnnotations = 50;

/** The workflow commands of a check, one per line range (at most {@link maxAnnotations}). */
export function githubAnnotations(violations: readonly Violation[], warnings: readonly CheckWarning[]): string[] {
  const out: string[] = [];
  const add = (level: 'error' | 'warning', title: string, text: string, file?: string, span?: readonly [number, number]): void => {
    if (out.length >= maxAnnotations) return;
    const props = [file ? `file=${ghProp(file)}` : '', span ? `line=${span[0]},endLine=${span[1]}` : '', `title=${ghProp(title)}`].filter((p) => p !== '');
    out.push(`::${level} ${props.join(',')}::${ghData(text)}`);
  };
  for (const v of violations) {
    const title = v.kind === 'tampering' ? 'AI provenance: trailers disagree with the note' : v.friction === 'block' ? 'AI-written code where the policy blocks it' : 'AI-written critical change without review';
    const text = `commit ${v.commit.slice(0, 12)} (${v.subject}): ${v.message}`;
    if (v.files.length === 0) add('error', title, text);
    for (const f of v.files) for (const span of f.lines) add('error', title, text, f.path, span);
  }
  for (const w of warnings) {
    const text = w.commit ? `commit ${w.commit.slice(0, 12)}: ${w.message}` : w.message;
    if (!w.files || w.files.length === 0) add('warning', 'AI provenance', text);
    else for (const f of w.files) for (const span of f.lines) add('warning', 'AI-written code in a critical path', text, f.path, span);
  }
  const total = violations.reduce((n, v) => n + Math.max(1, v.files.reduce((m, f) => m + f.lines.length, 0)), 0);
  if (out.length >= maxAnnotations && total > maxAnnotations) out.push(`::notice title=AI provenance::only the first ${maxAnnotations} annotations are shown; run git provenance check locally for all`);
  return out;
}

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
  const args = parseArgs(argv, ['format', 'policy-rev'], ['help']);
  if (args.flags.has('help')) {
    io.out(checkUsage);
    return 0;
  }
  const format = (args.values.get('format') ?? 'text') as Format;
  if (!formats.includes(format)) throw new UsageError(`--format must be one of ${formats.join(', ')}`);
  let maxCount: number | undefined;
  const revs: string[] = [];
  for (const a of args.positionals) {
    if (/^-\d+$/.test(a)) maxCount = Number(a.slice(1));
    else if (a === '' || a.startsWith('-')) throw new UsageError(`not a revision or range: ${a}`);
    else revs.push(a);
  }
  if (revs.length === 0) throw new UsageError('give a revision range, for example origin/main..HEAD');
  const repo = await openRepo(io.cwd, io.err);
  const root = repo.info.root;

  let commits: CheckCommit[];
  try {
    commits = await runGit(root, checkLog(revs, maxCount));
  } catch (e) {
    if (e instanceof GitError) throw new UsageError(`not a revision range git knows: ${revs.join(' ')} (${e.stderr.trim().split('\n').pop() ?? ''})`);
    throw e;
  }
  const warnings: CheckWarning[] = [];
  const cache = new PolicyCache();

  // --policy-rev: the policy at another revision applies to every commit as well.
  let extra: Policy | undefined;
  const policyRev = args.values.get('policy-rev');
  if (policyRev !== undefined) {
    const commit = await runGit(root, resolveCommit(policyRev));
    if (!commit) throw new UsageError(`--policy-rev ${policyRev}: no such commit`);
    const text = (await runGit(root, catFileBatch([`${commit}:${policyFileName}`]))).get(`${commit}:${policyFileName}`);
    if (text === undefined) extra = emptyPolicy;
    else {
      const r = cache.parse(text);
      if (r.ok) extra = r.policy;
      else {
        const last = await lastValidInHistory(root, commit);
        extra = last?.policy ?? emptyPolicy;
        warnings.push({ message: `${formatProblem(r.errors[0]!)} (at ${policyRev}); using ${last ? `the policy of ${last.from.slice(0, 12)}` : 'no policy'} instead` });
      }
    }
  }

  const ids = commits.map((c) => c.commit);
  const firstParent = (c: CheckCommit): string | undefined => c.parents[0];
  const [notes, policyTexts] = await Promise.all([
    readNotes(root, ids),
    runGit(root, catFileBatch([...new Set(commits.flatMap((c) => [c.commit, ...(firstParent(c) ? [firstParent(c)!] : [])]))].map((c) => `${c}:${policyFileName}`))),
  ]);

  // The policy in force at a commit: its own file, or the newest valid one before it.
  const effective = new Map<string, Policy>();
  const policyAt = async (commit: string, forCommit: string): Promise<Policy> => {
    const known = effective.get(commit);
    if (known) return known;
    const text = policyTexts.get(`${commit}:${policyFileName}`);
    let policy = emptyPolicy;
    if (text !== undefined) {
      const r = cache.parse(text);
      if (r.ok) policy = r.policy;
      else {
        const last = await lastValidInHistory(root, commit);
        policy = last?.policy ?? emptyPolicy;
        warnings.push({
          commit: forCommit,
          message: `${formatProblem(r.errors[0]!)} (at ${commit.slice(0, 12)}); the last valid policy ${last ? `(of ${last.from.slice(0, 12)})` : '(none: nothing is critical)'} is used instead`,
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
  // …and, for commits without a note whose message says AI helped, every added line.
  const byTrailers = commits.filter((c) => !withNotes.has(c.commit) && saysAi(c));
  if (byTrailers.length > 0) {
    for (const c of byTrailers) {
      if (provenanceIds(c.message).length > 0) warnings.push({ commit: c.commit, message: `${trailerKeys.provenance}: says there is a note, but it is not here (fetch refs/notes/ai-provenance); judged by its trailers` });
    }
    const patches = await runGit(root, commitPatches(byTrailers.map((c) => c.commit)));
    for (const p of patches) {
      const files = p.files.filter((f) => f.addedRuns.length > 0 && isCritical(p.commit, f.path)).map((f) => ({ path: f.path, lines: runLines(f.addedRuns) }));
      aiFiles.set(p.commit, { files, evidence: 'trailers' });
    }
  }

  // CODEOWNERS, read only for commits with a review rule that names no reviewers.
  const needOwners = commits.filter((c) => {
    const files = aiFiles.get(c.commit)?.files ?? [];
    return policiesOf.get(c.commit)!.some((pol) => files.some((f) => matchCritical(pol, f.path)?.rules.some((r) => r.friction === 'review' && r.reviewers.length === 0)));
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
  for (const c of commits) {
    const subject = subjectOf(c.message);
    const base = { commit: c.commit, subject, author: c.author };
    const ai = aiFiles.get(c.commit);
    if (ai && ai.files.length > 0) {
      const codeowners = owners.get(c.commit);
      const decision = combineDecisions(
        policiesOf.get(c.commit)!.map((policy) => decideFriction({ files: ai.files, policy, message: c.message, author: c.author, ...(codeowners ? { codeowners } : {}) })),
      );
      const spansOf = (fs: readonly CriticalFile[]): Violation['files'] => fs.map((f) => ({ path: f.path, lines: lineSpans(f.lines) }));
      if (decision.outcome === 'refuse') {
        const bad = decision.files.filter((f) => f.status === 'blocked' || f.status === 'unreviewed');
        const top = bad.find((f) => f.status === 'blocked') ?? bad[0]!;
        violations.push({ ...base, kind: 'critical', friction: top.friction, reason: top.match.reason, evidence: ai.evidence, files: spansOf(bad), message: criticalText(decision, ai.evidence) });
      } else {
        const warned = decision.files.filter((f) => f.status === 'warned');
        if (warned.length > 0) warnings.push({ commit: c.commit, message: `AI-written lines in critical path${warned.length > 1 ? 's' : ''} (${[...new Set(warned.map((f) => f.match.reason))].join('; ')}; friction: warn)`, files: spansOf(warned) });
      }
    }
    const records = withNotes.get(c.commit);
    if (records) {
      const problems = trailerTampering(c.message, records);
      if (problems.length > 0) {
        const files = [...(noteLinesAll(records))].map(([p, lines]) => ({ path: p, lines: lineSpans(lines) }));
        violations.push({ ...base, kind: 'tampering', evidence: 'note', files, message: problems.join('; ') });
      }
    }
  }

  report(io, format, revs, commits.length, violations, warnings);
  return violations.length > 0 ? 1 : 0;
}

/** The AI and hand-edited AI lines of a note's records, by path (for tampering reports). */
function noteLinesAll(records: readonly TraceRecord[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const r of ownRecords(records)) {
    for (const [p, lines] of recordLines(r)) {
      const ai = lines.filter((l) => l.kind === 'ai' || l.kind === 'mixed').map((l) => l.line);
      if (ai.length > 0) out.set(p, [...(out.get(p) ?? []), ...ai]);
    }
  }
  return out;
}

function report(io: Io, format: Format, revs: readonly string[], commits: number, violations: readonly Violation[], warnings: readonly CheckWarning[]): void {
  if (format === 'json') {
    io.out(JSON.stringify({ range: revs, commits, violations, warnings }, null, 2));
    return;
  }
  if (format === 'github') {
    for (const l of githubAnnotations(violations, warnings)) io.out(l);
  }
  // Text (also the readable log under the annotations).
  const bad = new Set(violations.map((v) => v.commit));
  for (const w of warnings) io.err(`warning: ${w.commit ? `${w.commit.slice(0, 12)}: ` : ''}${w.message}${w.files ? ` [${w.files.map((f) => `${f.path}:${spansText(f.lines)}`).join(', ')}]` : ''}`);
  let current = '';
  for (const v of violations) {
    if (v.commit !== current) {
      current = v.commit;
      io.out(`${v.commit.slice(0, 12)} ${v.subject}  (${v.author})`);
    }
    io.out(`  ${v.kind}: ${v.message}`);
    for (const f of v.files) io.out(`    ${f.path}:${spansText(f.lines)}`);
  }
  io.out(
    violations.length === 0
      ? `git provenance check: ${commits} commit${commits === 1 ? '' : 's'}, no violation`
      : `git provenance check: ${bad.size} of ${commits} commit${commits === 1 ? '' : 's'} with violations (${violations.filter((v) => v.kind === 'critical').length} critical, ${violations.filter((v) => v.kind === 'tampering').length} tampering)`,
  );
}
