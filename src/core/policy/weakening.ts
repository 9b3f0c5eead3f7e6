/**
 * Weakening: whether a new policy protects less than the one it replaces, so a commit that
 * weakens the policy is judged by the old one too. Besides paths and friction, the governance
 * keys count: raising or dropping a budget, lowering a review count, widening who may review
 * (a group that grows or is emptied: an empty `from` means anyone), a milder `overBudget` or
 * `unattested`, allowing overrides a rule forbade, and removing an identity from `bots`.
 */
import type { CriticalRule, OverBudget, Policy, ReviewSpec } from './policy';
import { codeownersSource, frictionRank, unattestedModes } from './policy';
import { reviewSpecOf } from './reviewers';

/** A spec's reviewers with groups replaced by their members (`CODEOWNERS` stays as it is). */
function members(policy: Policy, spec: ReviewSpec): Set<string> {
  const out = new Set<string>();
  for (const f of spec.from) {
    if (f !== codeownersSource && policy.groups && Object.prototype.hasOwnProperty.call(policy.groups, f)) for (const m of policy.groups[f]!) out.add(m.toLowerCase());
    else out.add(f.toLowerCase());
  }
  return out;
}

/** Why spec `next` asks less than `old`, or undefined when it asks at least as much. */
function specWeaker(nextPolicy: Policy, next: ReviewSpec, oldPolicy: Policy, old: ReviewSpec): string | undefined {
  if (next.count < old.count) return `lowers its review count from ${old.count} to ${next.count}`;
  const a = members(oldPolicy, old);
  if (a.size === 0) return undefined;
  const b = members(nextPolicy, next);
  if (b.size === 0) return 'lets anyone review (its reviewers or group are now empty)';
  const added = [...b].filter((m) => !a.has(m));
  return added.length > 0 ? `widens its reviewers (adds ${added.join(', ')})` : undefined;
}

function overBudgetRank(o: OverBudget | undefined): number {
  return o === 'block' ? 1 : 0;
}

/** Why rule `next` protects less than `old` (with the same paths), one phrase each; empty when it keeps it. */
function ruleWeakenings(nextPolicy: Policy, next: CriticalRule, oldPolicy: Policy, old: CriticalRule): string[] {
  const out: string[] = [];
  if (frictionRank(next.friction) < frictionRank(old.friction)) out.push(`lowers friction from ${old.friction} to ${next.friction}`);
  const reviews = specWeaker(nextPolicy, reviewSpecOf(next), oldPolicy, reviewSpecOf(old));
  if (reviews) out.push(reviews);
  if (old.maxAiLines !== undefined) {
    if (next.maxAiLines === undefined) out.push(`drops its budget of ${old.maxAiLines} AI lines`);
    else if (next.maxAiLines > old.maxAiLines) out.push(`raises its budget from ${old.maxAiLines} to ${next.maxAiLines} AI lines`);
    const ob = old.overBudget ?? 'review';
    const nb = next.overBudget ?? 'review';
    if (overBudgetRank(nb) < overBudgetRank(ob)) out.push('no longer blocks changes over budget');
    else if (nb !== 'block') {
      const w = specWeaker(nextPolicy, nb === 'review' ? reviewSpecOf(next) : nb.reviews, oldPolicy, ob === 'review' ? reviewSpecOf(old) : (ob as { reviews: ReviewSpec }).reviews);
      if (w) out.push(`over budget ${w}`);
    }
  }
  const nu = unattestedModes.indexOf(next.unattested ?? 'allow');
  const ou = unattestedModes.indexOf(old.unattested ?? 'allow');
  if (nu < ou) out.push(`switches unattested from ${old.unattested ?? 'allow'} to ${next.unattested ?? 'allow'}`);
  if (old.allowOverride === false && next.allowOverride !== false) out.push('allows overrides again');
  return out;
}

/** Whether `next`'s paths cover `old`'s: `next` may add positive patterns and drop negations, nothing else. */
function keepsPaths(next: CriticalRule, old: CriticalRule): boolean {
  // With "last match wins", those two edits can only widen what a list matches; anything else
  // is taken as narrowing, which is safe: a weakening is only checked against the policy it replaces.
  const oldPos = new Set(old.paths.filter((p) => !p.startsWith('!')));
  const nextNeg = new Set(next.paths.filter((p) => p.startsWith('!')));
  const a = old.paths.filter((p) => !p.startsWith('!') || nextNeg.has(p));
  const b = next.paths.filter((p) => p.startsWith('!') || oldPos.has(p));
  return a.length === b.length && a.every((p, i) => p === b[i]);
}

/**
 * How `next` weakens `old`, one sentence per rule of `old` that no rule of `next` keeps (a
 * rule removed, its paths narrowed, its friction lowered, its reviewers widened, its budget
 * raised, …), and one for identities removed from `bots`. Empty when `next` protects at least
 * what `old` did. Personal and built-in rules are not compared.
 */
export function weakenings(old: Policy, next: Policy): string[] {
  const out: string[] = [];
  const nextRules = next.critical.filter((r) => r.source === 'policy');
  for (const r of old.critical) {
    if (r.source !== 'policy') continue;
    if (nextRules.some((n) => keepsPaths(n, r) && ruleWeakenings(next, n, old, r).length === 0)) continue;
    const same = nextRules.find((n) => n.paths.join('\n') === r.paths.join('\n'));
    const what = same ? ruleWeakenings(next, same, old, r).join(', ') || 'is weakened' : 'is removed or its paths are narrowed';
    out.push(`rule ${JSON.stringify(r.paths.join(', '))} (${r.reason}) ${what}`);
  }
  const nextBots = new Set((next.bots ?? []).map((b) => b.toLowerCase()));
  const gone = (old.bots ?? []).filter((b) => !nextBots.has(b.toLowerCase()));
  if (gone.length > 0) out.push(`"bots" no longer lists ${gone.join(', ')} (their reviews would count)`);
  return out;
}

/**
 * Whether changing the policy from `old` to `next` protects less (see {@link weakenings});
 * such a change is checked against `old`, the policy it replaces.
 */
export function isWeakening(old: Policy, next: Policy): boolean {
  return weakenings(old, next).length > 0;
}
