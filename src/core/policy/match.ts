/**
 * Matching paths against the policy: compiled once per policy (gitignore-style, globMatch.ts),
 * with the policy file itself critical whenever the policy protects anything.
 */
import type { GlobPattern } from './globMatch';
import { compileGlob, GlobIndex } from './globMatch';
import type { CriticalRule, Friction, Policy } from './policy';
import { frictionRank, frictions, policyFileName } from './policy';

/** Why a path is critical: the rule that decides, and every rule that matches it. */
export interface CriticalMatch {
  /** The strictest matching rule (the first of equally strict ones). */
  readonly rule: CriticalRule;
  readonly reason: string;
  readonly friction: Friction;
  readonly reviewers: readonly string[];
  /** The pattern of `rule` that matched. */
  readonly pattern: string;
  /** Every matching rule, strictest first: at commit, each one's reviewers must be met. */
  readonly rules: readonly CriticalRule[];
}

interface CompiledPolicy {
  readonly rules: readonly CriticalRule[];
  readonly index: GlobIndex;
  readonly builtin: CriticalRule | undefined;
}

const compiled = new WeakMap<Policy, CompiledPolicy>();

/**
 * The rule that keeps the policy file critical in a policy that protects anything: a change
 * to it needs the strongest friction the policy uses, but at most `review` (a reviewed change
 * of the policy must stay possible).
 */
function builtinRule(policy: Policy): CriticalRule | undefined {
  const own = policy.critical.filter((r) => r.source === 'policy');
  if (own.length === 0) return undefined;
  const strongest = Math.max(...own.map((r) => frictionRank(r.friction)));
  const friction = frictions[Math.min(strongest, frictionRank('review'))]!;
  return { paths: [`/${policyFileName}`], reason: 'the AI Provenance policy file: changing it changes what is protected', friction, reviewers: [], source: 'builtin' };
}

function compile(policy: Policy): CompiledPolicy {
  let c = compiled.get(policy);
  if (c) return c;
  const builtin = builtinRule(policy);
  const rules = builtin ? [builtin, ...policy.critical] : [...policy.critical];
  const groups = rules.map((r) =>
    r.paths.flatMap((p): GlobPattern[] => {
      try {
        return [compileGlob(p)];
      } catch {
        // A Policy built by hand may hold a pattern parsePolicy would refuse: it matches nothing.
        return [];
      }
    }),
  );
  c = { rules, index: new GlobIndex(groups), builtin };
  compiled.set(policy, c);
  return c;
}

/**
 * Whether `path` (repository-relative, `/`-separated) is critical under `policy`, and why.
 * The policy file itself is critical whenever the policy protects anything.
 */
export function matchCritical(policy: Policy, path: string): CriticalMatch | undefined {
  const c = compile(policy);
  const hits = c.index.match(path.startsWith('./') ? path.slice(2) : path);
  if (hits.length === 0) return undefined;
  const matched = hits.map((h) => ({ rule: c.rules[h.group]!, pattern: c.rules[h.group]!.paths[h.pattern]! }));
  // Stable: among equally strict rules the earlier one leads.
  matched.sort((a, b) => frictionRank(b.rule.friction) - frictionRank(a.rule.friction));
  const first = matched[0]!;
  return { rule: first.rule, reason: first.rule.reason, friction: first.rule.friction, reviewers: first.rule.reviewers, pattern: first.pattern, rules: matched.map((m) => m.rule) };
}
