/**
 * The CI gate's verdicts (`git provenance check`): for one commit, its AI lines in critical
 * paths judged by the policies in force (the commit-msg hook's decision, friction.ts), and
 * trailers that disagree with the commit's note (tampering). Pure: the command gathers the
 * commits, notes, policies and CODEOWNERS with git and prints what this returns.
 */
import type { TraceRecord } from '../commit/notes';
import { recordLines, recordMeta } from '../commit/notes';
import { blockProvenanceIds, trailerKeys } from '../commit/trailers';
import { parseTrailerBlock } from '../commit/trailerBlock';
import { messageTool } from '../commit/agentTrailers';
import type { Codeowners } from './codeowners';
import type { AiFile, CriticalFile, FrictionDecision } from './friction';
import { bodyOverrideHint, bodyReviewHint, combineDecisions, decideFriction, frictionKeys, requirementText, ruleName } from './friction';
import type { Policy } from './policy';
import type { RangeRuleVerdict } from './range';
import { tallyReport } from './range';
import type { ReviewerIdentity } from './reviewers';

/** One problem of one commit. */
export interface Violation {
  readonly commit: string;
  readonly subject: string;
  readonly author: string;
  readonly kind: 'critical' | 'tampering';
  /** For `critical`: the strictest friction and the reason of its rule. */
  readonly friction?: string;
  readonly reason?: string;
  /**
   * Where the AI lines came from: the note, only the trailers (every added line of the file),
   * or nothing (`unattested`: lines with no provenance evidence, counted as AI by the rule).
   */
  readonly evidence: 'note' | 'trailers' | 'unattested';
  readonly files: ReadonlyArray<{ readonly path: string; readonly lines: ReadonlyArray<readonly [number, number]> }>;
  readonly message: string;
  /** For `critical`: each rule the commit touches, its tier, budget and reviewers counted and rejected. */
  readonly rules?: readonly RuleReport[];
}

/** One rule as `check` reports it for one commit. */
export interface RuleReport {
  readonly rule: string;
  readonly tier?: string;
  readonly friction: string;
  readonly aiLines: number;
  readonly maxAiLines?: number;
  readonly overBudget: boolean;
  /** Each review requirement of the rule: how many from whom, who counted and who did not, and why. */
  readonly reviews: ReadonlyArray<{ readonly kind: 'review' | 'budget'; readonly met: boolean } & NonNullable<RangeRuleVerdict['reviews']>>;
}

/** A commit that went in by `AI-Critical-Override:`: listed as an override, never as a pass. */
export interface OverrideReport {
  readonly commit: string;
  readonly subject: string;
  readonly author: string;
  readonly reason: string;
  readonly rules: readonly RuleReport[];
  readonly files: Violation['files'];
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

/** Spans as text: `3, 7-9`. */
export function spansText(spans: ReadonlyArray<readonly [number, number]>): string {
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
 * another tool never came with trailers). Empty when they agree or there is no record. Only the
 * trailer block as git parses it counts: trailers moved into the body are trailers no more.
 */
export function trailerTampering(message: string, records: readonly TraceRecord[]): string[] {
  const own = ownRecords(records);
  if (own.length === 0) return [];
  const out: string[] = [];
  const trailers = parseTrailerBlock(message).trailers;
  const has = (key: string): boolean => trailers.some((t) => t.key.toLowerCase() === key.toLowerCase());
  const ids = blockProvenanceIds(message);
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

/** Whether a message without a note says AI helped in its trailer block (our trailers, Assisted-by, an agent's own lines). */
export function saysAi(c: { readonly message: string; readonly author: string }): boolean {
  return messageTool(c.message, c.author) !== undefined;
}

/** The text of a critical violation for CI (the hook's text speaks to the person committing). */
function criticalText(d: FrictionDecision, evidence: Violation['evidence']): string {
  const bad = d.files.filter((f) => f.status === 'blocked' || f.status === 'unreviewed');
  const what =
    evidence === 'note' ? 'AI-written lines' : evidence === 'trailers' ? `lines of a commit whose message says AI helped (no note: every added line counts)` : 'lines with no provenance evidence (unattested: counted as AI)';
  return bad
    .map((f) => {
      if (f.status === 'blocked' && f.blockedBy === 'budget') {
        const u = d.rules.find((x) => x.overBudget && x.rule.overBudget === 'block' && x.paths.includes(f.path));
        return `${what} in ${f.path}: ${u ? `${u.aiLines} AI lines over the budget of ${u.maxAiLines ?? 0} for one commit of ${ruleName(u.rule)}, which blocks changes over budget` : 'over budget'}`;
      }
      if (f.status === 'blocked') return `${what} in ${f.path}, where the policy allows no AI-written code (${f.match.reason})`;
      const governed = f.requirements.some((r) => !r.met && (r.count > 1 || r.kind === 'budget' || r.from === 'group' || r.rule.tier !== undefined));
      if (governed) {
        const forbidden = f.requirements.some((r) => !r.met && r.rule.allowOverride === false);
        return `${what} in critical path ${f.path} (${f.match.reason}) without the reviews it needs: ${missingText(f, d).join('; ')}${forbidden ? ' (the rule allows no override)' : `; or "${frictionKeys.override}: <reason>"`}`;
      }
      const named = f.requirements.filter((r) => !r.met && r.reviewers.length > 0).flatMap((r) => r.reviewers);
      const who = named.length > 0 ? `one of ${named.join(', ')}` : 'someone other than the author';
      const body = d.bodyReviews.length > 0 ? ` (${bodyReviewHint})` : d.bodyOverrides.length > 0 ? ` (${bodyOverrideHint})` : '';
      return `${what} in critical path ${f.path} (${f.match.reason}) without review: no "${frictionKeys.reviewedBy}:" trailer naming ${who}, and no "${frictionKeys.override}: <reason>"${body}`;
    })
    .join('; ');
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

/** One commit as the gate judges it. */
export interface CommitToJudge {
  readonly commit: string;
  readonly message: string;
  readonly author: string;
  /** The policies in force for it (its own, the one it weakens, `--policy-rev`'s). */
  readonly policies: readonly Policy[];
  /** Its AI lines in critical paths, and where they came from. */
  readonly ai?: { readonly files: readonly AiFile[]; readonly evidence: Violation['evidence'] };
  readonly codeowners?: Codeowners;
  /** Its note's records, when it has a note. */
  readonly records?: readonly TraceRecord[];
  /** The committer, never a reviewer when they ran the agent (the commit has our own note). */
  readonly committer?: string;
  /** Lines it adds to critical paths with no provenance evidence (see `unattested`). */
  readonly unattested?: readonly AiFile[];
  /** Reviewers from elsewhere than its message (a forge's approvals). */
  readonly external?: readonly ReviewerIdentity[];
}

/** What the gate found in one commit. */
export interface CommitVerdicts {
  readonly violations: Violation[];
  readonly warnings: CheckWarning[];
  readonly overrides: OverrideReport[];
}

/** The rules of a decision as `check` reports them. */
export function ruleReports(d: FrictionDecision): RuleReport[] {
  return d.rules
    .filter((u) => u.rule.source !== 'user')
    .map((u) => {
      const reqs = d.files.flatMap((f) => f.requirements.filter((r) => r.rule === u.rule));
      // One requirement per kind: the first file's (they differ only by CODEOWNERS per path).
      const byKind = new Map(reqs.map((r) => [r.kind, r] as const));
      return {
        rule: u.rule.reason,
        ...(u.tier !== undefined ? { tier: u.tier } : {}),
        friction: u.rule.friction,
        aiLines: u.aiLines,
        ...(u.maxAiLines !== undefined ? { maxAiLines: u.maxAiLines } : {}),
        overBudget: u.overBudget,
        reviews: [...byKind.values()].map((r) => ({ kind: r.kind, met: r.met, ...tallyReport(r.tally) })),
      };
    });
}

/** What is missing for one unmet requirement, as CI prints it. */
function missingText(f: CriticalFile, d: FrictionDecision): string[] {
  return f.requirements.filter((r) => !r.met).map((r) => `${ruleName(r.rule)}: ${requirementText(r, d.rules.find((u) => u.rule === r.rule))}`);
}

/**
 * The friction decision on one commit's AI lines (`files`) and unattested lines under all its
 * policies: what {@link judgeCommit} judges by, and what summaries of a check read their tallies from.
 */
export function commitDecision(c: CommitToJudge, files: readonly AiFile[], unattested: readonly AiFile[]): FrictionDecision {
  const codeowners = c.codeowners;
  // The committer ran the agent when our hooks wrote the note at commit time.
  const ranAgent = c.records !== undefined && ownRecords(c.records).length > 0;
  return combineDecisions(
    c.policies.map((policy) =>
      decideFriction({
        files,
        policy,
        message: c.message,
        author: c.author,
        ...(ranAgent && c.committer ? { committer: c.committer } : {}),
        ...(unattested.length > 0 ? { unattested } : {}),
        ...(c.external ? { external: c.external } : {}),
        ...(codeowners ? { codeowners } : {}),
      }),
    ),
  );
}

/** Judges one commit: critical-path friction first, then trailers against the note. */
export function judgeCommit(c: CommitToJudge): CommitVerdicts {
  const violations: Violation[] = [];
  const warnings: CheckWarning[] = [];
  const overrides: OverrideReport[] = [];
  const subject = subjectOf(c.message);
  const base = { commit: c.commit, subject, author: c.author };
  const unattested = c.unattested ?? [];
  const ai = c.ai ?? (unattested.length > 0 ? { files: [], evidence: 'unattested' as const } : undefined);
  if (ai && (ai.files.length > 0 || unattested.length > 0)) {
    const decision = commitDecision(c, ai.files, unattested);
    const spansOf = (fs: readonly CriticalFile[]): Violation['files'] => fs.map((f) => ({ path: f.path, lines: lineSpans(f.lines) }));
    if (decision.outcome === 'refuse') {
      const bad = decision.files.filter((f) => f.status === 'blocked' || f.status === 'unreviewed');
      const top = bad.find((f) => f.status === 'blocked') ?? bad[0]!;
      // Evidence: unattested when every line of the bad files came without any.
      const evidence = bad.every((f) => f.unattestedLines.length === f.lines.length) ? 'unattested' : ai.evidence;
      violations.push({ ...base, kind: 'critical', friction: top.friction, reason: top.match.reason, evidence, files: spansOf(bad), message: criticalText(decision, evidence), rules: ruleReports(decision) });
    } else {
      const warned = decision.files.filter((f) => f.status === 'warned');
      if (warned.length > 0) warnings.push({ commit: c.commit, message: `AI-written lines in critical path${warned.length > 1 ? 's' : ''} (${[...new Set(warned.map((f) => f.match.reason))].join('; ')}; friction: warn)`, files: spansOf(warned) });
      for (const w of decision.unattestedWarned) warnings.push({ commit: c.commit, message: `lines with no provenance evidence in critical path ${w.path} (unattested: warn)`, files: [{ path: w.path, lines: lineSpans(w.lines) }] });
      const overridden = decision.files.filter((f) => f.status === 'overridden');
      if (overridden.length > 0) overrides.push({ ...base, reason: decision.override ?? '', rules: ruleReports(decision), files: spansOf(overridden) });
    }
  }
  const records = c.records;
  if (records) {
    const problems = trailerTampering(c.message, records);
    if (problems.length > 0) {
      const files = [...noteLinesAll(records)].map(([p, lines]) => ({ path: p, lines: lineSpans(lines) }));
      violations.push({ ...base, kind: 'tampering', evidence: 'note', files, message: problems.join('; ') });
    }
  }
  return { violations, warnings, overrides };
}
