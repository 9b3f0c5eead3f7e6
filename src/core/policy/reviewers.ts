/**
 * Reviewer identities from any source → counted or rejected, each rejection with its reason.
 * One place decides who counts as a reviewer of AI-written lines, for the `commit-msg` hook,
 * the editor's preview and `git provenance check` (per commit and per range), whatever brought
 * the identity: a `Reviewed-by:` trailer of the trailer block (src/core/commit/trailerBlock.ts)
 * or an approval of a pull request (a forge's reviews, see {@link approvalReviewer}).
 *
 * Never counted: an author of the change (the commit's author, a human co-author), its
 * committer when the committer ran the agent, a bot or AI (`[bot]` accounts, agent co-author
 * addresses, anything the policy lists in `bots`), and the same person twice (matched by
 * email, case-insensitively, and by handle). A reviewer outside the requirement's `from` is
 * rejected as not in the group.
 */
import { toolOfIdentity } from '../commit/agentTrailers';
import type { Codeowners } from './codeowners';
import { ownersOf } from './codeowners';
import type { Ident } from './ident';
import { isNamedReviewer, parseIdent, samePerson } from './ident';
import type { CriticalRule, Policy, ReviewSpec } from './policy';
import { codeownersSource } from './policy';

/** One reviewer as some source names them. */
export interface ReviewerIdentity {
  /** `trailer`: a `Reviewed-by:` of a commit's trailer block; `approval`: a forge's approval. */
  readonly source: 'trailer' | 'approval';
  /** As written: the trailer's value, or the approval's login (with its email, when given). */
  readonly text: string;
  readonly ident: Ident;
  /** The commit whose trailer named them. */
  readonly commit?: string;
}

/** Why a reviewer does not count. */
export type RejectReason = 'no-identity' | 'author' | 'committer' | 'bot' | 'duplicate' | 'not-in-group';

/** A reviewer that does not count, and why. */
export interface RejectedReviewer {
  readonly reviewer: ReviewerIdentity;
  readonly reason: RejectReason;
  /** The reason as a sentence's end: "is the author", "is a bot or AI (policy bots)". */
  readonly detail: string;
}

/** The people and agents behind a change: none of them may review it. */
export interface ReviewContext {
  /** Authors (commit authors and human co-authors). */
  readonly authors: readonly Ident[];
  /** Committers who ran the agent (at commit: the one committing). */
  readonly committers: readonly Ident[];
  /** The policy's `bots`, as written. */
  readonly bots: readonly string[];
}

/** A requirement's reviewer set, resolved for one path. */
export interface ResolvedSource {
  /** Who may review (reviewer syntax); empty: anyone who may review at all. */
  readonly members: readonly string[];
  /** The requirement's `from` as the policy writes it ("payments-seniors", "CODEOWNERS", "@alice"). */
  readonly label: string;
  /** `rule`: named in the rule; `group`: a group of the policy; `codeowners`; `anyone`. */
  readonly kind: 'rule' | 'group' | 'codeowners' | 'anyone';
}

/** How a requirement of `count` reviewers from a source fares with a list of reviewers. */
export interface ReviewTally {
  readonly needed: number;
  readonly source: ResolvedSource;
  readonly counted: readonly ReviewerIdentity[];
  readonly rejected: readonly RejectedReviewer[];
  /** How many more distinct reviewers are needed (0 when met). */
  readonly missing: number;
  readonly met: boolean;
}

/** A `Reviewed-by:` value as a reviewer (from `commit`, when known). */
export function trailerReviewer(value: string, commit?: string): ReviewerIdentity {
  return { source: 'trailer', text: value, ident: parseIdent(value), ...(commit !== undefined ? { commit } : {}) };
}

/**
 * A forge approval as a reviewer: its login is a handle, its email (when the forge gives one)
 * an email. `[bot]` logins stay recognisable as bots through `text`.
 */
export function approvalReviewer(a: { readonly login: string; readonly email?: string; readonly name?: string }): ReviewerIdentity {
  const login = a.login.trim().replace(/^@/, '');
  const email = a.email?.trim().toLowerCase() || undefined;
  const handle = login.replace(/\[bot\]$/i, '').toLowerCase();
  const text = `@${login}${email ? ` <${email}>` : ''}`;
  return { source: 'approval', text, ident: { name: a.name?.trim() ?? '', email, handles: handle ? [handle] : [] } };
}

/** The spec of the reviews a rule asks for: its `reviews`, else one from its `reviewers`. */
export function reviewSpecOf(rule: CriticalRule): ReviewSpec {
  return rule.reviews ?? { count: 1, from: rule.reviewers };
}

/**
 * Resolves a spec's `from` for `path`: groups to their members, `CODEOWNERS` to the path's
 * owners. A rule with neither `reviews` nor `reviewers` asks for the path's CODEOWNERS when
 * there are any (as before governance existed). A `from` that resolves to nobody (an empty
 * group, a path without owners) asks for anyone who may review.
 */
export function resolveSource(policy: Policy, spec: ReviewSpec, path: string, codeowners?: Codeowners): ResolvedSource {
  const from = spec.from.length === 0 && codeowners ? [codeownersSource] : spec.from;
  const members: string[] = [];
  let kind: ResolvedSource['kind'] = 'rule';
  for (const f of from) {
    if (f === codeownersSource) {
      if (codeowners) members.push(...ownersOf(codeowners, path));
      kind = from.length === 1 ? 'codeowners' : kind;
    } else if (policy.groups && Object.prototype.hasOwnProperty.call(policy.groups, f)) {
      members.push(...policy.groups[f]!);
      kind = from.length === 1 ? 'group' : kind;
    } else members.push(f);
  }
  const unique = [...new Set(members)];
  if (unique.length === 0) return { members: [], label: from.length > 0 && spec.from.length > 0 ? from.join(', ') : 'anyone but the author', kind: 'anyone' };
  return { members: unique, label: from.join(', '), kind };
}

/** Why `who` is a bot or an AI, or undefined when they are neither. */
export function botReason(who: ReviewerIdentity, bots: readonly string[]): string | undefined {
  if (/\[bot\]/i.test(who.text) || /\[bot\]/i.test(who.ident.name) || (who.ident.email !== undefined && /\[bot\]@/i.test(who.ident.email))) return 'is a [bot] account';
  const tool = toolOfIdentity(who.ident.name, who.ident.email ?? '');
  if (tool) return `is an AI (${tool})`;
  for (const b of bots) {
    const spec = parseIdent(b);
    if (isNamedReviewer(who.ident, b) || samePerson(who.ident, spec)) return `is listed in the policy's bots (${b})`;
  }
  return undefined;
}

/**
 * Tallies `reviewers` against a requirement: each either counts or is rejected with why, in
 * order (the first of two spellings of one person counts, the second is the duplicate).
 */
export function tallyReviews(reviewers: readonly ReviewerIdentity[], needed: number, source: ResolvedSource, ctx: ReviewContext): ReviewTally {
  const counted: ReviewerIdentity[] = [];
  const rejected: RejectedReviewer[] = [];
  // People already seen (counted or not in the group): a later spelling of one is a duplicate.
  const seen: Ident[] = [];
  for (const r of reviewers) {
    const reject = (reason: RejectReason, detail: string): void => void rejected.push({ reviewer: r, reason, detail });
    if (!r.ident.email && r.ident.handles.length === 0) {
      reject('no-identity', 'names no email or @handle');
      continue;
    }
    if (ctx.authors.some((a) => samePerson(r.ident, a))) {
      reject('author', 'is an author of the change; a review must come from someone else');
      continue;
    }
    if (ctx.committers.some((c) => samePerson(r.ident, c))) {
      reject('committer', 'is the committer, who ran the agent; a review must come from someone else');
      continue;
    }
    const bot = botReason(r, ctx.bots);
    if (bot) {
      reject('bot', `${bot}; only a human review counts`);
      continue;
    }
    if (seen.some((s) => samePerson(r.ident, s))) {
      reject('duplicate', 'is a reviewer already named (the same email or handle)');
      continue;
    }
    seen.push(r.ident);
    if (source.members.length > 0 && !source.members.some((m) => isNamedReviewer(r.ident, m))) {
      reject('not-in-group', `is not in ${source.label}`);
      continue;
    }
    counted.push(r);
  }
  const missing = Math.max(0, needed - counted.length);
  return { needed, source, counted, rejected, missing, met: missing === 0 };
}

/** A rejected reviewer as one line: `"Reviewed-by: X" is the author; …`. */
export function rejectionText(r: RejectedReviewer): string {
  const what = r.reviewer.source === 'trailer' ? `"Reviewed-by: ${r.reviewer.text}"` : `approval by ${r.reviewer.text}`;
  return `${what} ${r.detail}`;
}

/** Whether a rule may ask for the path's CODEOWNERS (in its reviews, or those it needs over budget): then they are worth reading. */
export function needsCodeowners(r: CriticalRule): boolean {
  const specs = [...(r.friction === 'review' || r.maxAiLines !== undefined ? [reviewSpecOf(r)] : []), ...(typeof r.overBudget === 'object' ? [r.overBudget.reviews] : [])];
  return specs.some((s) => s.from.length === 0 || s.from.includes(codeownersSource));
}
