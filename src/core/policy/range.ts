/**
 * The range verdict of `git provenance check` (a pull request, a push): what no single commit
 * shows. A rule's blast-radius budget (`maxAiLines`) is spent by the AI lines of every commit
 * of the range, so three 20-line commits under a 50-line budget pass one by one and are over
 * budget together; the reviews that let a range over budget pass come from any commit's
 * trailer block in the range, and from reviewers brought from elsewhere (a forge's approvals).
 * Pure: the command gathers the commits, their AI lines and the policy with git.
 */
import type { Codeowners } from './codeowners';
import type { AiFile } from './friction';
import { messageContext, messageReviewers, ruleName, unattestedOf } from './friction';
import type { Ident } from './ident';
import { matchCritical } from './match';
import type { CriticalRule, Policy, ReviewSpec } from './policy';
import type { RejectReason, ReviewerIdentity, ReviewTally } from './reviewers';
import { rejectionText, resolveSource, reviewSpecOf, tallyReviews } from './reviewers';

/** One commit of the range as the range verdict needs it. */
export interface RangeCommit {
  readonly commit: string;
  readonly message: string;
  readonly author: string;
  /** The committer; a reviewer only when they did not run the agent ({@link ranAgent}). */
  readonly committer?: string;
  /** Whether the committer ran the agent (the commit has our hooks' own note). */
  readonly ranAgent?: boolean;
  /** Its AI lines in critical paths. */
  readonly files: readonly AiFile[];
  /** Its lines with no provenance evidence: AI where the path's rules say `unattested: "ai"`. */
  readonly unattested?: readonly AiFile[];
}

/** What {@link judgeRange} needs. */
export interface RangeInput {
  readonly commits: readonly RangeCommit[];
  /** The policy the range is judged by (the one at its tip). */
  readonly policy: Policy;
  /** Reviewers from elsewhere than the messages (a forge's approvals). */
  readonly external?: readonly ReviewerIdentity[];
  readonly codeowners?: Codeowners;
}

/** A reviewer the range verdict counted or rejected, as CI prints it. */
export interface ReviewerReport {
  readonly reviewer: string;
  readonly source: ReviewerIdentity['source'];
  readonly commit?: string;
}

/** A rejected reviewer as CI prints it. */
export interface RejectedReport extends ReviewerReport {
  readonly reason: RejectReason;
  readonly detail: string;
}

/** One rule's budget over the range. */
export interface RangeRuleVerdict {
  readonly rule: CriticalRule;
  readonly tier: string | undefined;
  /** AI lines the range's commits add to the rule's paths. */
  readonly aiLines: number;
  readonly maxAiLines: number;
  readonly commits: readonly string[];
  readonly files: readonly string[];
  /**
   * `within`: at or under budget; `reviewed`: over, with the reviews it needs; `overridden`: over,
   * passed by an `AI-Critical-Override:` of a commit of the range; `unreviewed`: over, reviews
   * missing; `blocked`: over a budget whose `overBudget` is `block`.
   */
  readonly status: 'within' | 'reviewed' | 'overridden' | 'unreviewed' | 'blocked';
  /** The reviews an over-budget range needs (none when within or blocked). */
  readonly reviews?: { readonly count: number; readonly from: string; readonly missing: number; readonly counted: readonly ReviewerReport[]; readonly rejected: readonly RejectedReport[] };
  /** The override that passed it. */
  readonly override?: { readonly commit: string; readonly reason: string };
  /** One sentence for people. */
  readonly message: string;
}

function report(r: ReviewerIdentity): ReviewerReport {
  return { reviewer: r.text, source: r.source, ...(r.commit !== undefined ? { commit: r.commit } : {}) };
}

/** The reviews of a tally as CI prints them. */
export function tallyReport(t: ReviewTally): NonNullable<RangeRuleVerdict['reviews']> {
  return {
    count: t.needed,
    from: t.source.label,
    missing: t.missing,
    counted: t.counted.map(report),
    rejected: t.rejected.map((x) => ({ ...report(x.reviewer), reason: x.reason, detail: rejectionText(x) })),
  };
}

/** Judges the budgets of a range: one verdict per rule with a budget that the range touches. */
export function judgeRange(input: RangeInput): RangeRuleVerdict[] {
  const used = new Map<CriticalRule, { lines: number; commits: Set<string>; files: Set<string> }>();
  for (const c of input.commits) {
    const ai = new Map<string, Set<number>>();
    for (const f of c.files) ai.set(f.path, new Set([...(ai.get(f.path) ?? []), ...f.lines]));
    for (const u of c.unattested ?? []) {
      const m = matchCritical(input.policy, u.path);
      if (m && unattestedOf(m) === 'ai') ai.set(u.path, new Set([...(ai.get(u.path) ?? []), ...u.lines]));
    }
    for (const [path, lines] of ai) {
      const f = { path, lines: [...lines] };
      const m = matchCritical(input.policy, f.path);
      if (!m || f.lines.length === 0) continue;
      for (const rule of m.rules) {
        if (rule.maxAiLines === undefined) continue;
        const u = used.get(rule) ?? { lines: 0, commits: new Set<string>(), files: new Set<string>() };
        u.lines += f.lines.length;
        u.commits.add(c.commit);
        u.files.add(f.path);
        used.set(rule, u);
      }
    }
  }
  if (used.size === 0) return [];
  // Reviews from any commit's trailer block, and the people behind every commit of the range.
  const reviewers: ReviewerIdentity[] = [];
  const authors: Ident[] = [];
  const committers: Ident[] = [];
  const overrides: Array<{ commit: string; reason: string }> = [];
  for (const c of input.commits) {
    const m = messageReviewers(c.message, undefined, c.commit);
    reviewers.push(...m.reviewers);
    if (m.override !== undefined) overrides.push({ commit: c.commit, reason: m.override });
    const ctx = messageContext(input.policy, c.message, c.author, c.ranAgent ? c.committer : undefined);
    authors.push(...ctx.authors);
    committers.push(...ctx.committers);
  }
  reviewers.push(...(input.external ?? []));
  const ctx = { authors, committers, bots: input.policy.bots ?? [] };

  const out: RangeRuleVerdict[] = [];
  for (const [rule, u] of used) {
    const max = rule.maxAiLines!;
    const base = { rule, tier: rule.tier, aiLines: u.lines, maxAiLines: max, commits: [...u.commits], files: [...u.files] };
    const spent = `${u.lines} AI lines in ${[...u.files].join(', ')} over ${u.commits.size} commit${u.commits.size === 1 ? '' : 's'} of ${max} allowed for ${ruleName(rule)}`;
    if (u.lines <= max) {
      out.push({ ...base, status: 'within', message: `range: ${spent}` });
      continue;
    }
    const ob = rule.overBudget ?? 'review';
    if (ob === 'block') {
      out.push({ ...base, status: 'blocked', message: `range over budget: ${spent}, and the rule blocks changes over budget; split the change` });
      continue;
    }
    const spec: ReviewSpec = ob === 'review' ? reviewSpecOf(rule) : ob.reviews;
    const source = resolveSource(input.policy, spec, [...u.files][0]!, input.codeowners);
    const tally = tallyReviews(reviewers, spec.count, source, ctx);
    const reviews = tallyReport(tally);
    const override = rule.allowOverride === false ? undefined : overrides[overrides.length - 1];
    if (tally.met) out.push({ ...base, status: 'reviewed', reviews, message: `range over budget, reviewed: ${spent}; reviewed by ${tally.counted.map((c) => c.text).join(', ')}` });
    else if (override) out.push({ ...base, status: 'overridden', reviews, override, message: `range over budget, overridden in ${override.commit.slice(0, 12)}: ${override.reason} (${spent})` });
    else {
      const who = source.kind === 'anyone' ? 'someone other than its authors' : source.label;
      out.push({
        ...base,
        status: 'unreviewed',
        reviews,
        message: `range over budget: ${spent}; it needs ${spec.count} review${spec.count > 1 ? 's' : ''} from ${who} in any commit's trailers${tally.missing < spec.count ? ` (${tally.missing} more needed)` : ''}${rule.allowOverride === false ? '' : ', or an AI-Critical-Override: <reason>'}`,
      });
    }
  }
  return out;
}
