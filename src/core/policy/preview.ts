/**
 * What the editor shows of governance before a commit is made: for a file, each rule's budget
 * as it is being spent ("AI lines in the books (tier-1): 38 of 50 allowed for one commit") and
 * what the commit will need ("needs 2 reviews from payments-seniors"). It is the commit-msg
 * hook's decision (friction.ts) on the AI lines the editor knows, with the message the commit
 * would have (none yet: then every review is still needed), so the two cannot disagree.
 */
import type { AiFile, FrictionDecision, RuleUse } from './friction';
import { decideFriction, requirementText } from './friction';
import type { Policy } from './policy';

/** The editor's view of one file. */
export interface GovernancePreview {
  /** The tiers of the rules the file falls under. */
  readonly tiers: readonly string[];
  /** One phrase per rule with a budget: `AI lines in moves money (tier-1): 38 of 50 allowed for one commit`. */
  readonly budgets: readonly string[];
  /** One phrase per review still missing: `needs 2 reviews from payments-seniors`. */
  readonly needs: readonly string[];
  /** Whether the commit would be refused as things stand (blocked, over a blocking budget, or reviews missing). */
  readonly refused: boolean;
  /** The rules of the file (its own policy's), with their budgets as spent. */
  readonly rules: readonly RuleUse[];
  /** Whether the file's rules use a governance key (budget, tier, counted reviews): else the editor says no more than its critical-path warning. */
  readonly governed: boolean;
  /** The decision it was read from. */
  readonly decision: FrictionDecision;
}

/**
 * The preview of `path` when the next commit holds `files` (AI lines per path) under `policy`.
 * Undefined when `path` has no AI line in a critical path.
 */
export function previewGovernance(policy: Policy, files: readonly AiFile[], path: string, message = '', author = ''): GovernancePreview | undefined {
  const decision = decideFriction({ files, policy, message, author });
  const file = decision.files.find((f) => f.path === path);
  if (!file) return undefined;
  const rules = decision.rules.filter((u) => u.paths.includes(path) && u.rule.source === 'policy');
  const governed = rules.some((u) => u.maxAiLines !== undefined || u.tier !== undefined || (u.rule.reviews !== undefined && (u.rule.reviews.count > 1 || u.rule.reviews.from.length > 0)));
  const tiers = [...new Set(rules.flatMap((u) => (u.tier !== undefined ? [u.tier] : [])))];
  const budgets = rules
    .filter((u) => u.maxAiLines !== undefined)
    .map((u) => `AI lines in ${u.rule.reason}${u.tier !== undefined ? ` (${u.tier})` : ''}: ${u.aiLines} of ${u.maxAiLines!} allowed for one commit${u.overBudget ? (u.rule.overBudget === 'block' ? ' — over budget: the commit will be refused' : ' — over budget') : ''}`);
  const needs = [...new Set(file.requirements.filter((r) => !r.met).map((r) => `needs ${requirementText(r, decision.rules.find((u) => u.rule === r.rule))}`))];
  return { tiers, budgets, needs, rules, governed, refused: file.status === 'blocked' || file.status === 'unreviewed', decision };
}
