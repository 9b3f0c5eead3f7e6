/**
 * Commit friction: what a commit whose AI-written lines touch critical paths needs before it
 * may go in, decided from those lines, the policy, the commit message and the author. The
 * `commit-msg` hook and `git provenance check` (the CI gate) make the same decision here.
 *
 * - `warn`: the commit goes in with a one-line notice.
 * - `review`: refused unless the message has a `Reviewed-by:` trailer naming someone other than
 *   the author (one of the rule's reviewers when it names any, else one of the path's CODEOWNERS
 *   when there are some), or `AI-Critical-Override: <reason>`, which stays in the message. A
 *   review counts only from the trailer block as git parses it (src/core/commit/trailerBlock.ts):
 *   a `Reviewed-by:` in the body, a quoted one or prose is not a review; an
 *   `AI-Critical-Override:` in the body overrides nothing.
 * - `block`: refused.
 * Every commit with AI lines in a critical path is marked `AI-Critical: <path>[, <path>…]`.
 */
import type { Codeowners } from './codeowners';
import type { CriticalMatch } from './match';
import type { CriticalRule, Friction, Policy, ReviewSpec, Unattested } from './policy';
import { frictionRank, unattestedModes } from './policy';
import type { RejectedReviewer, ReviewContext, ReviewerIdentity, ReviewTally } from './reviewers';
import { rejectionText, resolveSource, reviewSpecOf, tallyReviews, trailerReviewer } from './reviewers';
import { matchCritical } from './match';
import type { Trailer } from '../commit/trailers';
import { parseTrailerBlock } from '../commit/trailerBlock';
import { lineNumbersText as spans } from '../lines/lines';
import { isNamedReviewer, parseIdent } from './ident';

/** The trailer keys of commit friction. Git compares trailer keys case-insensitively. */
export const frictionKeys = { critical: 'AI-Critical', tier: 'AI-Tier', override: 'AI-Critical-Override', reviewedBy: 'Reviewed-by' } as const;

/** One trailer-like line of a message. */
export interface MessageTrailer {
  readonly key: string;
  readonly value: string;
  /** 0-based line of the message. */
  readonly line: number;
}

const cutLine = ' ------------------------ >8 ------------------------';

/**
 * The `Key: value` lines of a message below its subject line, as the commit will keep them:
 * above git's scissors line, without comment lines (commit-msg sees the message before git
 * strips them). Keys are returned as written. These are trailer-like lines anywhere in the
 * message, not git's trailer block: reviews are read from {@link parseTrailerBlock} only.
 */
export function messageTrailers(message: string, commentChar = '#'): MessageTrailer[] {
  const out: MessageTrailer[] = [];
  let subjectSeen = false;
  const lines = message.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!.replace(/\r$/, '');
    if (l.length === cutLine.length + 1 && l.endsWith(cutLine)) break;
    if (l.startsWith(commentChar)) continue;
    if (!subjectSeen) {
      if (l.trim() !== '') subjectSeen = true;
      continue;
    }
    const m = /^([A-Za-z0-9][A-Za-z0-9-]*)[ \t]*:[ \t]*(.*)$/.exec(l);
    if (m) out.push({ key: m[1]!, value: m[2]!.trim(), line: i });
  }
  return out;
}

/** AI-written lines of one file of a change (1-based line numbers of the file as committed). */
export interface AiFile {
  readonly path: string;
  readonly lines: readonly number[];
}

/** What {@link decideFriction} needs. */
export interface FrictionInput {
  /** The change's AI-written lines per path (AI as written and AI edited by hand). */
  readonly files: readonly AiFile[];
  readonly policy: Policy;
  /** The commit message (as commit-msg sees it: comments and scissors are skipped). */
  readonly message: string;
  /** The author, `Name <email>` (git's ident form with a date is fine). */
  readonly author: string;
  /** The committer, who ran the agent (at commit: the one committing); never a reviewer. */
  readonly committer?: string;
  /** Reviewers from elsewhere than the message (a forge's approvals), counted like its trailers. */
  readonly external?: readonly ReviewerIdentity[];
  /**
   * Lines of the change with no provenance evidence (no record says who wrote them): they
   * count as AI where a matching rule says `unattested: "ai"`, and are mentioned under `warn`.
   */
  readonly unattested?: readonly AiFile[];
  /** The repository's CODEOWNERS, for review rules that name no reviewers. */
  readonly codeowners?: Codeowners;
  readonly commentChar?: string;
}

/** Who must review one rule's paths, and how the change's reviewers fare. */
export interface ReviewRequirement {
  readonly rule: CriticalRule;
  /** `review`: the rule's friction asks for it; `budget`: the change is over the rule's `maxAiLines`. */
  readonly kind: 'review' | 'budget';
  /** Who may review; empty: anyone but the author. */
  readonly reviewers: readonly string[];
  readonly from: 'rule' | 'group' | 'codeowners' | 'anyone';
  /** The `from` as the policy writes it (a group's name, `CODEOWNERS`, reviewers). */
  readonly label: string;
  /** Distinct reviewers needed. */
  readonly count: number;
  readonly tally: ReviewTally;
  readonly met: boolean;
}

/** One critical file of a change and how friction treats it. */
export interface CriticalFile {
  readonly path: string;
  /** Its AI lines, unattested lines that count as AI included. */
  readonly lines: readonly number[];
  /** Of {@link lines}, those with no provenance evidence (counted as AI: `unattested: "ai"`). */
  readonly unattestedLines: readonly number[];
  readonly match: CriticalMatch;
  readonly friction: Friction;
  /** Review rules that apply to the path and whether the message meets each. */
  readonly requirements: readonly ReviewRequirement[];
  readonly status: 'warned' | 'reviewed' | 'overridden' | 'unreviewed' | 'blocked';
  /** Why it is blocked: the rule's friction, or a budget whose `overBudget` is `block`. */
  readonly blockedBy?: 'friction' | 'budget';
}

/** One rule a change touches: its tier and its budget as spent. */
export interface RuleUse {
  readonly rule: CriticalRule;
  readonly tier: string | undefined;
  /** AI lines the change adds to the rule's paths. */
  readonly aiLines: number;
  readonly maxAiLines: number | undefined;
  readonly overBudget: boolean;
  readonly paths: readonly string[];
}

/** The decision on a commit. */
export interface FrictionDecision {
  /** `allow`: nothing to say or a review is in the message; `warn`: a notice; `refuse`: stop the commit. */
  readonly outcome: 'allow' | 'warn' | 'refuse';
  /** Critical paths with AI lines, in the order of the change. */
  readonly criticalPaths: readonly string[];
  readonly files: readonly CriticalFile[];
  /** The rules the change touches, with their budgets. */
  readonly rules: readonly RuleUse[];
  /** The tiers of the rules touched, each once. */
  readonly tiers: readonly string[];
  /** The `Reviewed-by` values that count as a review by someone else. */
  readonly reviewedBy: readonly string[];
  /** The `AI-Critical-Override` reason, when the message gives one. */
  readonly override: string | undefined;
  /** Review lines that do not count, each with why. */
  readonly rejectedReviews: readonly string[];
  /** `Reviewed-by:` lines standing in the body, outside the trailer block (values as written): not reviews. */
  readonly bodyReviews: readonly string[];
  /** `AI-Critical-Override:` lines standing in the body, outside the trailer block: not overrides. */
  readonly bodyOverrides: readonly string[];
  /** Files with lines of no provenance evidence under `unattested: "warn"`. */
  readonly unattestedWarned: readonly AiFile[];
  /**
   * What to tell the person committing: the first line says it all (VS Code's git dialog shows
   * only the first line of a hook's output); the rest are details. Empty when there is nothing.
   */
  readonly messageLines: readonly string[];
  /** `AI-Critical: <paths>` (and `AI-Tier: <tiers>`) when the change has AI lines in a critical path. */
  readonly trailersToAdd: readonly Trailer[];
}

function listPaths(paths: readonly string[], max = 3): string {
  const shown = paths.slice(0, max).join(', ');
  return paths.length > max ? `${shown} and ${paths.length - max} more` : shown;
}

/** A path as written into `AI-Critical`: quoted when a comma, a quote or a blank would make it ambiguous. */
function trailerPath(p: string): string {
  // eslint-disable-next-line no-control-regex
  return /[,"\u0000-\u001f\u007f]|^\s|\s$/.test(p) ? JSON.stringify(p) : p;
}

/** A reviewer as it would be written after `Reviewed-by: `. */
function suggestion(named: string): string {
  const spec = parseIdent(named);
  if (spec.email) return named.includes('<') ? named : `Name <${named}>`;
  return `Name <email> (${named})`;
}

/** What the refusal says of a `Reviewed-by:` outside the trailer block. */
export const bodyReviewHint = 'a Reviewed-by line in the body is not a trailer: put it in the last paragraph';

/** What the refusal says of an `AI-Critical-Override` outside the trailer block. */
export const bodyOverrideHint = 'an AI-Critical-Override line in the body is not a trailer: put it in the last paragraph';

/** The strictest `unattested` of the rules matching a path. */
export function unattestedOf(match: CriticalMatch): Unattested {
  let best: Unattested = 'allow';
  for (const r of match.rules) {
    const u = r.unattested ?? 'allow';
    if (unattestedModes.indexOf(u) > unattestedModes.indexOf(best)) best = u;
  }
  return best;
}

/** The trailers that mark a change: `AI-Critical: <paths>` and, when rules name tiers, `AI-Tier: <tiers>`. */
export function criticalTrailers(paths: readonly string[], tiers: readonly string[]): Trailer[] {
  if (paths.length === 0) return [];
  return [{ key: frictionKeys.critical, value: paths.map(trailerPath).join(', ') }, ...(tiers.length > 0 ? [{ key: frictionKeys.tier, value: tiers.join(', ') }] : [])];
}

/**
 * The reviewers of a message: its trailer block's `Reviewed-by:` lines (as git parses it), and
 * the trailer-like ones standing in the body (which are not reviews, but look like them).
 */
export function messageReviewers(
  message: string,
  commentChar?: string,
  commit?: string,
): { reviewers: ReviewerIdentity[]; bodyReviews: string[]; override: string | undefined; bodyOverrides: string[] } {
  const reviewKey = frictionKeys.reviewedBy.toLowerCase();
  const overrideKey = frictionKeys.override.toLowerCase();
  const block = parseTrailerBlock(message, commentChar !== undefined ? { commentChar } : {});
  const inBlock = new Set(block.lines);
  const bodyReviews: string[] = [];
  const bodyOverrides: string[] = [];
  for (const t of messageTrailers(message, commentChar)) {
    const key = t.key.toLowerCase();
    // Written like a review or an override but where git sees no trailer: say so, since it looks like one.
    if (key === reviewKey && !inBlock.has(t.line)) bodyReviews.push(t.value);
    if (key === overrideKey && !inBlock.has(t.line)) bodyOverrides.push(t.value);
  }
  // A review or an override is a trailer as git parses it, nothing else (a body line, a quote, prose).
  let override: string | undefined;
  for (const t of block.trailers) {
    // A placeholder copied from the refusal text is not a reason.
    if (t.key.toLowerCase() === overrideKey && t.value !== '' && !/^<.*>$/.test(t.value)) override = t.value;
  }
  const reviewers = block.trailers.filter((t) => t.key.toLowerCase() === reviewKey).map((t) => trailerReviewer(t.value, commit));
  return { reviewers, bodyReviews, override, bodyOverrides };
}

/**
 * The people behind a message: its author, its human co-authors (`Co-authored-by:` of the
 * trailer block that is not an agent's) and its committer, none of whom may review it.
 */
export function messageContext(policy: Policy, message: string, author: string, committer?: string, commentChar?: string): ReviewContext {
  const block = parseTrailerBlock(message, commentChar !== undefined ? { commentChar } : {});
  const coAuthors = block.trailers.filter((t) => t.key.toLowerCase() === 'co-authored-by').map((t) => parseIdent(t.value));
  return { authors: [parseIdent(author), ...coAuthors], committers: committer ? [parseIdent(committer)] : [], bots: policy.bots ?? [] };
}

/** The refusal text of one rejected reviewer (kept in the words earlier versions used for the author). */
function rejectedText(r: RejectedReviewer): string {
  if (r.reason === 'author' && r.reviewer.source === 'trailer') return `"Reviewed-by: ${r.reviewer.text}" is the author; a review must come from someone else`;
  return rejectionText(r);
}

/** Decides what a commit of AI-written lines needs under a policy (see the top of this file). */
export function decideFriction(input: FrictionInput): FrictionDecision {
  const { reviewers: trailerReviewers, bodyReviews, override, bodyOverrides } = messageReviewers(input.message, input.commentChar);
  const reviewers = [...trailerReviewers, ...(input.external ?? [])];
  const ctx = messageContext(input.policy, input.message, input.author, input.committer, input.commentChar);

  // AI lines per critical path, unattested lines added where a rule counts them as AI.
  const unattestedWarned: AiFile[] = [];
  const unattestedByPath = new Map<string, readonly number[]>();
  for (const u of input.unattested ?? []) {
    if (u.lines.length === 0) continue;
    const m = matchCritical(input.policy, u.path);
    if (!m) continue;
    const mode = unattestedOf(m);
    if (mode === 'ai') unattestedByPath.set(u.path, u.lines);
    else if (mode === 'warn') unattestedWarned.push({ path: u.path, lines: [...u.lines] });
  }
  const candidates: Array<{ path: string; lines: number[]; unattested: number[]; match: CriticalMatch }> = [];
  const seenPaths = new Set<string>();
  for (const f of [...input.files, ...[...unattestedByPath.keys()].map((path) => ({ path, lines: [] as number[] }))]) {
    if (seenPaths.has(f.path)) continue;
    const extra = unattestedByPath.get(f.path) ?? [];
    const ai = new Set(input.files.filter((x) => x.path === f.path).flatMap((x) => x.lines));
    const unattested = extra.filter((l) => !ai.has(l));
    const lines = [...new Set([...ai, ...unattested])].sort((a, b) => a - b);
    if (lines.length === 0) continue;
    const match = matchCritical(input.policy, f.path);
    if (!match) continue;
    seenPaths.add(f.path);
    candidates.push({ path: f.path, lines, unattested, match });
  }

  // The budget of each rule is spent by the AI lines of all the paths it matches.
  const used = new Map<CriticalRule, { lines: number; paths: string[] }>();
  for (const c of candidates) {
    for (const rule of c.match.rules) {
      const u = used.get(rule) ?? { lines: 0, paths: [] };
      u.lines += c.lines.length;
      u.paths.push(c.path);
      used.set(rule, u);
    }
  }
  const overBudget = (rule: CriticalRule): boolean => rule.maxAiLines !== undefined && (used.get(rule)?.lines ?? 0) > rule.maxAiLines;

  const requirement = (rule: CriticalRule, kind: ReviewRequirement['kind'], spec: ReviewSpec, path: string): ReviewRequirement => {
    const source = resolveSource(input.policy, spec, path, input.codeowners);
    const tally = tallyReviews(reviewers, spec.count, source, ctx);
    return { rule, kind, reviewers: source.members, from: source.kind, label: source.label, count: spec.count, tally, met: tally.met };
  };

  const files: CriticalFile[] = [];
  for (const c of candidates) {
    const requirements: ReviewRequirement[] = [];
    let budgetBlock = false;
    for (const rule of c.match.rules) {
      const spec = reviewSpecOf(rule);
      if (rule.friction === 'review') requirements.push(requirement(rule, 'review', spec, c.path));
      if (!overBudget(rule)) continue;
      const ob = rule.overBudget ?? 'review';
      if (ob === 'block') budgetBlock = true;
      else if (ob === 'review') {
        // The rule's own reviews, unless its friction already asks for exactly them.
        if (rule.friction !== 'review') requirements.push(requirement(rule, 'budget', spec, c.path));
      } else requirements.push(requirement(rule, 'budget', ob.reviews, c.path));
    }
    let status: CriticalFile['status'];
    let blockedBy: CriticalFile['blockedBy'];
    const unmet = requirements.filter((r) => !r.met);
    if (c.match.friction === 'block') [status, blockedBy] = ['blocked', 'friction'];
    else if (budgetBlock) [status, blockedBy] = ['blocked', 'budget'];
    else if (requirements.length === 0) status = c.match.friction === 'warn' ? 'warned' : 'reviewed';
    else if (unmet.length === 0) status = 'reviewed';
    else status = override !== undefined && unmet.every((r) => r.rule.allowOverride !== false) ? 'overridden' : 'unreviewed';
    files.push({ path: c.path, lines: c.lines, unattestedLines: c.unattested, match: c.match, friction: c.match.friction, requirements, status, ...(blockedBy ? { blockedBy } : {}) });
  }

  const rules: RuleUse[] = [...used].map(([rule, u]) => ({ rule, tier: rule.tier, aiLines: u.lines, maxAiLines: rule.maxAiLines, overBudget: overBudget(rule), paths: u.paths }));
  const tiers = [...new Set(rules.flatMap((r) => (r.tier !== undefined ? [r.tier] : [])))];
  const criticalPaths = files.map((f) => f.path);
  const trailersToAdd = criticalTrailers(criticalPaths, tiers);
  // Who counted and who did not, once each, over every requirement.
  const reviewedBy: string[] = [];
  const rejectedReviews: string[] = [];
  for (const r of files.flatMap((f) => f.requirements)) {
    for (const c of r.tally.counted) if (c.source === 'trailer' && !reviewedBy.includes(c.text)) reviewedBy.push(c.text);
    for (const x of r.tally.rejected) {
      const t = rejectedText(x);
      if (!rejectedReviews.includes(t)) rejectedReviews.push(t);
    }
  }
  if (files.every((f) => f.requirements.length === 0)) {
    // Nothing asked for a review, yet the message names some: say which of them could not count.
    for (const x of tallyReviews(reviewers, 0, { members: [], label: 'anyone', kind: 'anyone' }, ctx).rejected) rejectedReviews.push(rejectedText(x));
  }
  const refuse = files.some((f) => f.status === 'blocked' || f.status === 'unreviewed');
  const outcome: FrictionDecision['outcome'] = refuse ? 'refuse' : files.some((f) => f.status === 'warned') || unattestedWarned.length > 0 ? 'warn' : 'allow';
  const base = { outcome, criticalPaths, files, rules, tiers, reviewedBy, override, rejectedReviews, bodyReviews, bodyOverrides, unattestedWarned, trailersToAdd };
  return { ...base, messageLines: explain(base) };
}

/** `rule "moves money" (tier-1)`: a rule as messages name it. */
export function ruleName(rule: CriticalRule): string {
  return `rule "${rule.reason}"${rule.tier !== undefined ? ` (${rule.tier})` : ''}`;
}

/** What one unmet requirement asks for, as a phrase: `2 reviews from payments-seniors (1 more needed)`. */
export function requirementText(r: ReviewRequirement, used?: RuleUse): string {
  const who = r.from === 'anyone' ? 'someone other than the author' : r.label;
  const what = `${r.count} review${r.count > 1 ? 's' : ''} from ${who}`;
  const budget = r.kind === 'budget' && used ? `${used.aiLines} AI lines over its budget of ${used.maxAiLines ?? 0} need ` : '';
  return `${budget}${what}${r.tally.missing < r.count ? ` (${r.tally.missing} more needed)` : ''}`;
}

/** The text of a decision (see {@link FrictionDecision.messageLines}). */
function explain(d: Omit<FrictionDecision, 'messageLines'>): string[] {
  const unattestedNote = d.unattestedWarned.length > 0 ? [`ai-provenance: ${listPaths(d.unattestedWarned.map((f) => f.path))}: lines with no provenance record in a critical path (unattested: warn).`] : [];
  if (d.files.length === 0) return unattestedNote;
  const by = (s: CriticalFile['status']): CriticalFile[] => d.files.filter((f) => f.status === s);
  const blocked = by('blocked');
  const unreviewed = by('unreviewed');
  const useOf = (rule: CriticalRule): RuleUse | undefined => d.rules.find((u) => u.rule === rule);
  const detail = (f: CriticalFile): string =>
    `  ${f.path}  line${f.lines.length > 1 ? 's' : ''} ${spans(f.lines)}  (${f.match.reason}${f.match.rule.tier !== undefined ? `; ${f.match.rule.tier}` : ''}; friction: ${f.friction}${f.unattestedLines.length > 0 ? `; ${f.unattestedLines.length} with no provenance record count as AI` : ''})`;
  if (d.outcome === 'refuse') {
    const out: string[] = [];
    const byFriction = blocked.filter((f) => f.blockedBy === 'friction');
    const byBudget = blocked.filter((f) => f.blockedBy === 'budget');
    if (byFriction.length > 0) {
      const reasons = [...new Set(byFriction.map((f) => f.match.reason))].join('; ');
      out.push(
        `ai-provenance: commit refused: AI-written lines in ${listPaths(byFriction.map((f) => f.path))}, where the policy allows no AI-written code (${reasons}). Take those lines out of the commit; \`git provenance blame <file>\` shows which they are.`,
      );
    } else if (byBudget.length > 0) {
      const over = d.rules.filter((u) => u.overBudget && (u.rule.overBudget ?? 'review') === 'block');
      const u = over[0]!;
      out.push(
        `ai-provenance: commit refused: ${u.aiLines} AI-written lines in ${listPaths(u.paths)} are over the budget of ${u.maxAiLines ?? 0} for one commit of ${ruleName(u.rule)}, which blocks changes over budget. Split the change into smaller commits or take AI-written lines out; \`git provenance blame <file>\` shows which they are.`,
      );
    } else {
      const unmet = unreviewed.flatMap((f) => f.requirements.filter((r) => !r.met));
      const first = unmet[0]!;
      const named = unmet.filter((r) => r.reviewers.length > 0).flatMap((r) => r.reviewers);
      const more = Math.max(...unmet.map((r) => r.tally.missing));
      const who =
        named.length > 0
          ? more > 1
            ? `"Reviewed-by:" lines of ${more} more reviewers from ${first.label}`
            : `"Reviewed-by: ${suggestion(named.find((n) => !first.tally.counted.some((c) => isNamedReviewer(c.ident, n))) ?? named[0]!)}" (a reviewer the policy names)`
          : more > 1
            ? `"Reviewed-by:" lines of ${more} more reviewers other than you`
            : '"Reviewed-by: Name <email>" of a reviewer other than you';
      const forbidden = unmet.filter((r) => r.rule.allowOverride === false);
      const overrideHint = forbidden.length > 0 ? '' : ', or "AI-Critical-Override: <reason>",';
      const body = d.bodyReviews.length > 0 ? ` (${bodyReviewHint})` : d.bodyOverrides.length > 0 ? ` (${bodyOverrideHint})` : '';
      // The classic one-review case keeps its short text; governance rules say what they need.
      const plain = unmet.every((r) => r.kind === 'review' && r.count === 1 && r.rule.tier === undefined && r.from !== 'group');
      const needs = plain ? '' : ` (${[...new Set(unmet.map((r) => `${ruleName(r.rule)}: ${requirementText(r, useOf(r.rule))}`))].join('; ')})`;
      const noOverride = forbidden.length > 0 ? ` ${ruleName(forbidden[0]!.rule)} allows no AI-Critical-Override.` : '';
      out.push(
        `ai-provenance: commit refused: AI-written lines in critical path${unreviewed.length > 1 ? 's' : ''} ${listPaths(unreviewed.map((f) => f.path))} need review${needs}. Add ${who}${overrideHint} to the commit message${body}.${noOverride}`,
      );
    }
    for (const u of d.rules) {
      if (u.maxAiLines !== undefined && u.rule.source === 'policy') out.push(`  budget of ${ruleName(u.rule)}: ${u.aiLines} of ${u.maxAiLines} AI lines allowed for one commit${u.overBudget ? ' (over)' : ''}`);
    }
    for (const f of [...blocked, ...unreviewed]) {
      out.push(detail(f));
      for (const r of f.requirements) {
        if (r.met) continue;
        const counted = r.tally.counted.length > 0 ? `; counted: ${r.tally.counted.map((c) => c.text).join(', ')}` : '';
        if (r.kind === 'review' && r.count === 1 && (r.from === 'rule' || r.from === 'codeowners')) {
          out.push(`    reviewers${r.from === 'codeowners' ? ' (CODEOWNERS)' : ''}: ${r.reviewers.join(', ')}`);
        } else if (r.reviewers.length > 0 || r.count > 1 || r.kind === 'budget') {
          out.push(`    needs ${requirementText(r, useOf(r.rule))}${r.reviewers.length > 0 ? ` — reviewers${r.from === 'codeowners' ? ' (CODEOWNERS)' : ''}: ${r.reviewers.join(', ')}` : ''}${counted}`);
        }
      }
    }
    for (const r of d.rejectedReviews) out.push(`  not counted: ${r}`);
    for (const v of d.bodyReviews) out.push(`  not counted: "Reviewed-by: ${v}" stands in the body; ${bodyReviewHint}`);
    for (const v of d.bodyOverrides) out.push(`  not counted: "${frictionKeys.override}: ${v}" stands in the body; ${bodyOverrideHint}`);
    if (blocked.length === 0) out.push('  For example: git commit -m "<subject>" -m "Reviewed-by: Other Person <other@example.com>"');
    return [...out, ...unattestedNote];
  }
  const notes: string[] = [];
  const reviewed = by('reviewed');
  const overridden = by('overridden');
  const warned = by('warned');
  if (warned.length > 0) notes.push(`${listPaths(warned.map((f) => f.path))} (${[...new Set(warned.map((f) => f.match.reason))].join('; ')})`);
  if (reviewed.length > 0) notes.push(`${listPaths(reviewed.map((f) => f.path))} reviewed by ${d.reviewedBy.join(', ')}`);
  if (overridden.length > 0) notes.push(`${listPaths(overridden.map((f) => f.path))} overridden: ${d.override ?? ''}`);
  const budgets = d.rules.filter((u) => u.maxAiLines !== undefined && u.rule.source === 'policy').map((u) => `; budget of ${ruleName(u.rule)}: ${u.aiLines} of ${u.maxAiLines} AI lines`);
  return [`ai-provenance: AI-written lines in critical path${d.files.length > 1 ? 's' : ''} ${notes.join('; ')}${budgets.join('')}; marked ${frictionKeys.critical}.`, ...unattestedNote];
}

/** The strictest friction among a decision's files, for summaries. */
export function strictestFriction(d: FrictionDecision): Friction | undefined {
  let best: Friction | undefined;
  for (const f of d.files) if (!best || frictionRank(f.friction) > frictionRank(best)) best = f.friction;
  return best;
}

const outcomeRank: Readonly<Record<FrictionDecision['outcome'], number>> = { allow: 0, warn: 1, refuse: 2 };

/**
 * One decision from the decisions of the same change under several policies (a change that
 * weakens the policy is judged by the old one and the new one; CI may add the target branch's):
 * the strictest decision, marked with the critical paths of all of them.
 */
export function combineDecisions(decisions: readonly FrictionDecision[]): FrictionDecision {
  if (decisions.length === 1) return decisions[0]!;
  let worst = decisions[0]!;
  for (const d of decisions) if (outcomeRank[d.outcome] > outcomeRank[worst.outcome]) worst = d;
  const paths: string[] = [];
  for (const d of decisions) for (const p of d.criticalPaths) if (!paths.includes(p)) paths.push(p);
  const tiers = [...new Set(decisions.flatMap((d) => d.tiers))];
  return { ...worst, criticalPaths: paths, tiers, trailersToAdd: criticalTrailers(paths, tiers) };
}

/**
 * Removes `AI-Critical:` lines (not `AI-Critical-Override:`) from a message, above git's
 * scissors line: an amended commit that no longer touches a critical path must not keep the
 * mark of the one it replaces.
 */
export function stripCriticalTrailer(message: string): { message: string; removed: number } {
  const lines = message.split('\n');
  const out: string[] = [];
  let removed = 0;
  let below = false;
  for (const l of lines) {
    if (!below && l.length === cutLine.length + 1 && l.endsWith(cutLine)) below = true;
    if (!below && /^ai-(critical|tier)[ \t]*:/i.test(l)) {
      removed++;
      continue;
    }
    out.push(l);
  }
  return { message: out.join('\n'), removed };
}
