/**
 * The repository's critical-path policy, `.ai-provenance.json` at the root:
 *
 *   {
 *     "defaultFriction": "review",
 *     "critical": [
 *       { "paths": ["src/payments/**"], "reason": "moves money", "friction": "review",
 *         "reviewers": ["Alice <alice@example.com>", "@payments-team"] }
 *     ]
 *   }
 *
 * This file is the policy's model. Parsing reports every problem with its line and column (a broken file gets one clear
 * diagnostic where it is broken, and the previous valid policy stays in force: see
 * src/node/policyFile.ts; the checks are schema.ts over jsonPositions.ts). Matching is
 * gitignore-style (match.ts over globMatch.ts), compiled once per policy; weakening.ts tells
 * when a new policy protects less than the one it replaces. The JSON schema media/policy.schema.json describes the same format for the editor;
 * test/unit/core/policy/policy.test.ts keeps the two in agreement.
 */
import { globProblem } from './globMatch';

/** The policy file's name, at the repository root. */
export const policyFileName = '.ai-provenance.json';

/** How hard a commit of AI-written lines in a critical path is made. */
export type Friction = 'warn' | 'review' | 'block';

/** Frictions from the mildest to the strictest. */
export const frictions: readonly Friction[] = ['warn', 'review', 'block'];

/** The friction of a rule that names none, when the policy names no `defaultFriction` either. */
export const builtinDefaultFriction: Friction = 'review';

/** The reason of the rules made from the user's own `aiProvenance.critical.paths`. */
export const personalReason = 'personal pattern';

/** A rank for comparing frictions: a higher rank is stricter. */
export function frictionRank(f: Friction): number {
  return frictions.indexOf(f);
}

/** One rule of the policy: paths that are critical, why, and what a commit there needs. */
export interface CriticalRule {
  /** Gitignore-style patterns; the last one that matches a path decides (`!` excludes). */
  readonly paths: readonly string[];
  readonly reason: string;
  /** The rule's friction, or the policy's default when the rule names none. */
  readonly friction: Friction;
  /**
   * Who may review: `Name <email>`, `email`, `@user` or `@org/team`. Empty: anyone but the
   * author (or the path's CODEOWNERS, when the repository has them).
   */
  readonly reviewers: readonly string[];
  /**
   * How many distinct human reviewers AI lines here need, and from whom (the rule's
   * `reviews`, else the policy's `defaults.reviews`, else one from {@link reviewers}).
   */
  readonly reviews?: ReviewSpec;
  /** The blast-radius budget: the most AI lines one commit (or, in `check`, one range) may add here. */
  readonly maxAiLines?: number;
  /** What a change over {@link maxAiLines} needs: reviews (the rule's, or its own) or nothing at all. */
  readonly overBudget?: OverBudget;
  /** What lines here with no provenance evidence count as (default `allow`: not AI). */
  readonly unattested?: Unattested;
  /** The system class the paths belong to (`tier-1`), named in messages, trailers and CI. */
  readonly tier?: string;
  /** False: `AI-Critical-Override:` does not pass this rule (default true). */
  readonly allowOverride?: boolean;
  /**
   * `policy`: the repository's file (`index` is its place in `critical`); `user`: the user's
   * own setting; `builtin`: the rule that keeps the policy file itself critical.
   */
  readonly source: 'policy' | 'user' | 'builtin';
  readonly index?: number;
}

/**
 * Who must review: `count` distinct people, each named by `from` (reviewer syntax, a group of
 * the policy, or `CODEOWNERS`: the path's owners). An empty `from`: anyone who may review.
 */
export interface ReviewSpec {
  readonly count: number;
  readonly from: readonly string[];
}

/** Over budget: the rule's reviews (`review`), reviews of its own, or refused (`block`). */
export type OverBudget = 'review' | 'block' | { readonly reviews: ReviewSpec };

/** What lines with no provenance evidence count as in a critical path. */
export type Unattested = 'ai' | 'warn' | 'allow';

/** The values of {@link Unattested}, from the mildest to the strictest. */
export const unattestedModes: readonly Unattested[] = ['allow', 'warn', 'ai'];

/** The `from` entry that stands for the path's CODEOWNERS. */
export const codeownersSource = 'CODEOWNERS';

/** Policy-wide defaults of the governance keys, for rules that name none. */
export interface PolicyDefaults {
  readonly reviews?: ReviewSpec;
  readonly maxAiLines?: number;
  readonly overBudget?: OverBudget;
  readonly unattested?: Unattested;
  readonly tier?: string;
  readonly allowOverride?: boolean;
}

/** A parsed, valid policy. */
export interface Policy {
  readonly defaultFriction: Friction;
  readonly critical: readonly CriticalRule[];
  /** Named groups of reviewers (`"payments-seniors": ["@alice", "bob@example.com"]`). */
  readonly groups?: Readonly<Record<string, readonly string[]>>;
  /** Identities that never count as reviewers (besides `[bot]` accounts and agent addresses). */
  readonly bots?: readonly string[];
}

/** A policy that protects nothing: no file, or a file with no rules. */
export const emptyPolicy: Policy = { defaultFriction: builtinDefaultFriction, critical: [] };

/** A problem found in a policy file, with where it is (offsets in UTF-16 code units). */
export interface PolicyProblem {
  readonly severity: 'error' | 'warning';
  readonly message: string;
  /** Where in the JSON, as `critical[0].friction`; empty for the whole document. */
  readonly at: string;
  readonly offset: number;
  readonly length: number;
  /** 1-based line and column of `offset` (columns count UTF-16 code units, as editors do). */
  readonly line: number;
  readonly column: number;
  /** 1-based line and column of `offset + length`. */
  readonly endLine: number;
  readonly endColumn: number;
}

/** What `parsePolicy` (schema.ts) found: a policy, or the errors that keep it from being one. */
export type PolicyParse =
  | { readonly ok: true; readonly policy: Policy; readonly errors: readonly []; readonly warnings: readonly PolicyProblem[] }
  | { readonly ok: false; readonly policy: undefined; readonly errors: readonly PolicyProblem[]; readonly warnings: readonly PolicyProblem[] };

/**
 * A reviewer: `@user`, `@org/team`, `Name <email>` or a bare `email`. The schema's
 * `definitions.reviewer.pattern` is this expression's source (a unit test compares them).
 */
export const reviewerSyntax = /^(?:@[A-Za-z0-9][A-Za-z0-9-]*(?:\/[A-Za-z0-9][A-Za-z0-9._-]*)?|[^\s<>@][^<>]*\s<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/;

/**
 * The policy with the user's own patterns (`aiProvenance.critical.paths`) added as one rule
 * with friction `warn` and reason "personal pattern". Patterns that cannot be used are left
 * out (see {@link globProblem} to report them).
 */
export function withUserPatterns(policy: Policy, patterns: readonly string[]): Policy {
  const usable = patterns.filter((p) => globProblem(p) === undefined);
  if (usable.length === 0) return policy;
  return { ...policy, critical: [...policy.critical, { paths: usable, reason: personalReason, friction: 'warn', reviewers: [], source: 'user' }] };
}
