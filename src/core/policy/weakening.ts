/**
 * Weakening: whether a new policy protects less than the one it replaces, so a commit that
 * weakens the policy is judged by the old one too.
 */
import type { CriticalRule, Policy } from './policy';
import { frictionRank } from './policy';

/**
 * Whether rule `next` protects at least what `old` protects, as strictly. Paths: `next` may
 * add positive patterns anywhere and drop negations, nothing else (with "last match wins",
 * those two edits can only widen what a list matches); anything else is taken as narrowing,
 * which is safe: a weakening is only checked against the policy it replaces.
 */
function keeps(next: CriticalRule, old: CriticalRule): boolean {
  if (frictionRank(next.friction) < frictionRank(old.friction)) return false;
  if (old.reviewers.length > 0) {
    const allowed = new Set(old.reviewers.map((r) => r.toLowerCase()));
    if (next.reviewers.length === 0 || next.reviewers.some((r) => !allowed.has(r.toLowerCase()))) return false;
  }
  const oldPos = new Set(old.paths.filter((p) => !p.startsWith('!')));
  const nextNeg = new Set(next.paths.filter((p) => p.startsWith('!')));
  const a = old.paths.filter((p) => !p.startsWith('!') || nextNeg.has(p));
  const b = next.paths.filter((p) => p.startsWith('!') || oldPos.has(p));
  return a.length === b.length && a.every((p, i) => p === b[i]);
}

/**
 * How `next` weakens `old`, one sentence per rule of `old` that no rule of `next` keeps (a
 * rule removed, its paths narrowed, its friction lowered, its reviewers widened). Empty when
 * `next` protects at least what `old` did. Personal and built-in rules are not compared.
 */
export function weakenings(old: Policy, next: Policy): string[] {
  const out: string[] = [];
  const nextRules = next.critical.filter((r) => r.source === 'policy');
  for (const r of old.critical) {
    if (r.source !== 'policy') continue;
    if (nextRules.some((n) => keeps(n, r))) continue;
    const same = nextRules.find((n) => n.paths.join('\n') === r.paths.join('\n'));
    const what = same
      ? frictionRank(same.friction) < frictionRank(r.friction)
        ? `lowers friction from ${r.friction} to ${same.friction}`
        : 'widens or drops its reviewers'
      : 'is removed or its paths are narrowed';
    out.push(`rule ${JSON.stringify(r.paths.join(', '))} (${r.reason}) ${what}`);
  }
  return out;
}

/**
 * Whether changing the policy from `old` to `next` removes or narrows a rule or lowers its
 * friction; such a change is checked against `old`, the policy it replaces.
 */
export function isWeakening(old: Policy, next: Policy): boolean {
  return weakenings(old, next).length > 0;
}
