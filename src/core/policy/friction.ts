/**
 * Commit friction: what a commit whose AI-written lines touch critical paths needs before it
 * may go in, decided from those lines, the policy, the commit message and the author. The
 * `commit-msg` hook and `git provenance check` (the CI gate) make the same decision here.
 *
 * - `warn`: the commit goes in with a one-line notice.
 * - `review`: refused unless the message has a `Reviewed-by:` trailer naming someone other than
 *   the author (one of the rule's reviewers when it names any, else one of the path's CODEOWNERS
 *   when there are some), or `AI-Critical-Override: <reason>`, which stays in the message. A
 *   review or an override counts only from the trailer block as git parses it
 *   (src/core/commit/trailerBlock.ts): a `Reviewed-by:` in the body, a quoted one or prose is
 *   not a review, and an `AI-Critical-Override:` in the body overrides nothing.
 * - `block`: refused.
 * Every commit with AI lines in a critical path is marked `AI-Critical: <path>[, <path>…]`.
 */
import type { Codeowners } from './codeowners';
import { ownersOf } from './codeowners';
import type { CriticalMatch } from './match';
import type { CriticalRule, Friction, Policy } from './policy';
import { frictionRank } from './policy';
import { matchCritical } from './match';
import type { Trailer } from '../commit/trailers';
import { parseTrailerBlock } from '../commit/trailerBlock';
import { lineNumbersText as spans } from '../lines/lines';

/** The trailer keys of commit friction. Git compares trailer keys case-insensitively. */
export const frictionKeys = { critical: 'AI-Critical', override: 'AI-Critical-Override', reviewedBy: 'Reviewed-by' } as const;

/** A person as a trailer or git names them. */
export interface Ident {
  readonly name: string;
  /** Lower-cased; undefined when none is given. */
  readonly email: string | undefined;
  /** GitHub/GitLab handles (`alice`, `org/team`), lower-cased, without `@`. */
  readonly handles: readonly string[];
}

const handlePattern = /(?:^|[\s(,;])@([A-Za-z0-9][A-Za-z0-9-]*(?:\/[A-Za-z0-9][A-Za-z0-9._-]*)?)/g;
const noreply = /^(?:\d+\+)?([A-Za-z0-9][A-Za-z0-9-]*)@users\.noreply\.github\.com$/;

/**
 * Reads `Name <email>`, `Name <email> (@handle)`, `@handle`, a bare email, or git's ident
 * form `Name <email> 1700000000 +0000` (the date is dropped). A GitHub no-reply address also
 * gives its handle.
 */
export function parseIdent(text: string): Ident {
  const t = text.trim().replace(/\s+\d+\s+[+-]\d{4}$/, '');
  const angle = /<([^<>\s]*)>/.exec(t);
  let email: string | undefined;
  let rest = t;
  if (angle) {
    email = angle[1] ? angle[1].toLowerCase() : undefined;
    rest = t.slice(0, angle.index) + ' ' + t.slice(angle.index + angle[0].length);
  } else {
    const bare = /(?:^|\s)([^\s<>@()]+@[^\s<>@()]+\.[^\s<>@()]+)(?=$|\s)/.exec(t);
    if (bare) {
      email = bare[1]!.toLowerCase();
      rest = t.replace(bare[1]!, ' ');
    }
  }
  const handles = new Set<string>();
  for (const m of rest.matchAll(handlePattern)) handles.add(m[1]!.toLowerCase());
  const nr = email ? noreply.exec(email) : null;
  if (nr) handles.add(nr[1]!.toLowerCase());
  const name = rest.replace(handlePattern, ' ').replace(/[()]/g, ' ').replace(/\s+/g, ' ').trim();
  return { name, email, handles: [...handles] };
}

/** Whether two idents are the same person: the same email or handle, or the same name when one has neither. */
export function samePerson(a: Ident, b: Ident): boolean {
  if (a.email && b.email && a.email === b.email) return true;
  if (a.handles.some((h) => b.handles.includes(h))) return true;
  const bare = (i: Ident): boolean => !i.email && i.handles.length === 0;
  return (bare(a) || bare(b)) && a.name !== '' && a.name.toLowerCase() === b.name.toLowerCase();
}

/** Whether `reviewer` is the one a policy or CODEOWNERS entry names (`Name <email>`, email, `@user`, `@org/team`). */
export function isNamedReviewer(reviewer: Ident, named: string): boolean {
  const spec = parseIdent(named);
  if (spec.email) return reviewer.email === spec.email;
  return spec.handles.some((h) => reviewer.handles.includes(h));
}

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
  /** The repository's CODEOWNERS, for review rules that name no reviewers. */
  readonly codeowners?: Codeowners;
  readonly commentChar?: string;
}

/** Who may review one rule's paths. */
export interface ReviewRequirement {
  readonly rule: CriticalRule;
  /** Empty: anyone but the author. */
  readonly reviewers: readonly string[];
  readonly from: 'rule' | 'codeowners' | 'anyone';
  readonly met: boolean;
}

/** One critical file of a change and how friction treats it. */
export interface CriticalFile {
  readonly path: string;
  readonly lines: readonly number[];
  readonly match: CriticalMatch;
  readonly friction: Friction;
  /** Review rules that apply to the path and whether the message meets each. */
  readonly requirements: readonly ReviewRequirement[];
  readonly status: 'warned' | 'reviewed' | 'overridden' | 'unreviewed' | 'blocked';
}

/** The decision on a commit. */
export interface FrictionDecision {
  /** `allow`: nothing to say or a review is in the message; `warn`: a notice; `refuse`: stop the commit. */
  readonly outcome: 'allow' | 'warn' | 'refuse';
  /** Critical paths with AI lines, in the order of the change. */
  readonly criticalPaths: readonly string[];
  readonly files: readonly CriticalFile[];
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
  /**
   * What to tell the person committing: the first line says it all (VS Code's git dialog shows
   * only the first line of a hook's output); the rest are details. Empty when there is nothing.
   */
  readonly messageLines: readonly string[];
  /** `AI-Critical: <paths>` when the change has AI lines in a critical path. */
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

/** Decides what a commit of AI-written lines needs under a policy (see the top of this file). */
export function decideFriction(input: FrictionInput): FrictionDecision {
  const author = parseIdent(input.author);
  const reviewKey = frictionKeys.reviewedBy.toLowerCase();
  const block = parseTrailerBlock(input.message, input.commentChar !== undefined ? { commentChar: input.commentChar } : {});
  const inBlock = new Set(block.lines);
  const reviews: Ident[] = [];
  const reviewedBy: string[] = [];
  const rejectedReviews: string[] = [];
  const bodyReviews: string[] = [];
  const bodyOverrides: string[] = [];
  let override: string | undefined;
  const overrideKey = frictionKeys.override.toLowerCase();
  for (const t of messageTrailers(input.message, input.commentChar)) {
    const key = t.key.toLowerCase();
    // Written like a review or an override but where git sees no trailer: say so, since it looks like one.
    if (key === reviewKey && !inBlock.has(t.line)) bodyReviews.push(t.value);
    if (key === overrideKey && !inBlock.has(t.line)) bodyOverrides.push(t.value);
  }
  // A review or an override is a trailer as git parses it, nothing else (a body line, a quote, prose).
  for (const t of block.trailers) {
    // A placeholder copied from the refusal text is not a reason.
    if (t.key.toLowerCase() === overrideKey && t.value !== '' && !/^<.*>$/.test(t.value)) override = t.value;
  }
  for (const t of block.trailers) {
    if (t.key.toLowerCase() !== reviewKey) continue;
    const who = parseIdent(t.value);
    if (!who.email && who.handles.length === 0) rejectedReviews.push(`"Reviewed-by: ${t.value}" names no email or @handle`);
    else if (samePerson(who, author)) rejectedReviews.push(`"Reviewed-by: ${t.value}" is the author; a review must come from someone else`);
    else {
      reviews.push(who);
      reviewedBy.push(t.value);
    }
  }

  const files: CriticalFile[] = [];
  for (const f of input.files) {
    if (f.lines.length === 0) continue;
    const match = matchCritical(input.policy, f.path);
    if (!match) continue;
    const requirements: ReviewRequirement[] = match.rules
      .filter((r) => r.friction === 'review')
      .map((rule) => {
        const owners = rule.reviewers.length === 0 && input.codeowners ? ownersOf(input.codeowners, f.path) : [];
        const reviewers = rule.reviewers.length > 0 ? rule.reviewers : owners;
        const from = rule.reviewers.length > 0 ? 'rule' : owners.length > 0 ? 'codeowners' : 'anyone';
        const met = reviews.some((r) => reviewers.length === 0 || reviewers.some((n) => isNamedReviewer(r, n)));
        return { rule, reviewers, from, met };
      });
    let status: CriticalFile['status'];
    if (match.friction === 'block') status = 'blocked';
    else if (match.friction === 'warn') status = 'warned';
    else if (requirements.every((r) => r.met)) status = 'reviewed';
    else status = override !== undefined ? 'overridden' : 'unreviewed';
    files.push({ path: f.path, lines: [...f.lines], match, friction: match.friction, requirements, status });
  }

  const criticalPaths = files.map((f) => f.path);
  const trailersToAdd: Trailer[] = criticalPaths.length > 0 ? [{ key: frictionKeys.critical, value: criticalPaths.map(trailerPath).join(', ') }] : [];
  const blocked = files.filter((f) => f.status === 'blocked');
  const unreviewed = files.filter((f) => f.status === 'unreviewed');
  const outcome: FrictionDecision['outcome'] =
    blocked.length > 0 || unreviewed.length > 0 ? 'refuse' : files.some((f) => f.status === 'warned') ? 'warn' : 'allow';
  const base = { outcome, criticalPaths, files, reviewedBy, override, rejectedReviews, bodyReviews, bodyOverrides, trailersToAdd };
  return { ...base, messageLines: explain(base) };
}

/** The text of a decision (see {@link FrictionDecision.messageLines}). */
function explain(d: Omit<FrictionDecision, 'messageLines'>): string[] {
  if (d.files.length === 0) return [];
  const by = (s: CriticalFile['status']): CriticalFile[] => d.files.filter((f) => f.status === s);
  const blocked = by('blocked');
  const unreviewed = by('unreviewed');
  const detail = (f: CriticalFile): string => `  ${f.path}  line${f.lines.length > 1 ? 's' : ''} ${spans(f.lines)}  (${f.match.reason}; friction: ${f.friction})`;
  if (d.outcome === 'refuse') {
    const out: string[] = [];
    if (blocked.length > 0) {
      const reasons = [...new Set(blocked.map((f) => f.match.reason))].join('; ');
      out.push(
        `ai-provenance: commit refused: AI-written lines in ${listPaths(blocked.map((f) => f.path))}, where the policy allows no AI-written code (${reasons}). Take those lines out of the commit; \`git provenance blame <file>\` shows which they are.`,
      );
    } else {
      const named = unreviewed.flatMap((f) => f.requirements.filter((r) => !r.met && r.reviewers.length > 0).flatMap((r) => r.reviewers));
      const who = named.length > 0 ? `"Reviewed-by: ${suggestion(named[0]!)}" (a reviewer the policy names)` : '"Reviewed-by: Name <email>" of a reviewer other than you';
      const body = d.bodyReviews.length > 0 ? ` (${bodyReviewHint})` : d.bodyOverrides.length > 0 ? ` (${bodyOverrideHint})` : '';
      out.push(
        `ai-provenance: commit refused: AI-written lines in critical path${unreviewed.length > 1 ? 's' : ''} ${listPaths(unreviewed.map((f) => f.path))} need review. Add ${who}, or "AI-Critical-Override: <reason>", to the commit message${body}.`,
      );
    }
    for (const f of [...blocked, ...unreviewed]) {
      out.push(detail(f));
      for (const r of f.requirements) {
        if (!r.met && r.reviewers.length > 0) out.push(`    reviewers${r.from === 'codeowners' ? ' (CODEOWNERS)' : ''}: ${r.reviewers.join(', ')}`);
      }
    }
    for (const r of d.rejectedReviews) out.push(`  not counted: ${r}`);
    for (const v of d.bodyReviews) out.push(`  not counted: "Reviewed-by: ${v}" stands in the body; ${bodyReviewHint}`);
    for (const v of d.bodyOverrides) out.push(`  not counted: "${frictionKeys.override}: ${v}" stands in the body; ${bodyOverrideHint}`);
    if (blocked.length === 0) out.push('  For example: git commit -m "<subject>" -m "Reviewed-by: Other Person <other@example.com>"');
    return out;
  }
  const notes: string[] = [];
  const reviewed = by('reviewed');
  const overridden = by('overridden');
  const warned = by('warned');
  if (warned.length > 0) notes.push(`${listPaths(warned.map((f) => f.path))} (${[...new Set(warned.map((f) => f.match.reason))].join('; ')})`);
  if (reviewed.length > 0) notes.push(`${listPaths(reviewed.map((f) => f.path))} reviewed by ${d.reviewedBy.join(', ')}`);
  if (overridden.length > 0) notes.push(`${listPaths(overridden.map((f) => f.path))} overridden: ${d.override ?? ''}`);
  return [`ai-provenance: AI-written lines in critical path${d.files.length > 1 ? 's' : ''} ${notes.join('; ')}; marked ${frictionKeys.critical}.`];
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
  const trailersToAdd: Trailer[] = paths.length > 0 ? [{ key: frictionKeys.critical, value: paths.map(trailerPath).join(', ') }] : [];
  return { ...worst, criticalPaths: paths, trailersToAdd };
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
    if (!below && /^ai-critical[ \t]*:/i.test(l)) {
      removed++;
      continue;
    }
    out.push(l);
  }
  return { message: out.join('\n'), removed };
}
