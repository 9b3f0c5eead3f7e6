/**
 * `git provenance check --format markdown`: a job summary or review comment of a check — per
 * critical-path rule the AI-written lines, the budget, the reviews needed and given, and the
 * verdict; then a table per file. The numbers come from the same friction decisions as the
 * verdicts (friction.ts), made again per commit here only to read what they counted. Pure.
 */
import type { CriticalFile } from '../policy/friction';
import type { CriticalRule } from '../policy/policy';
import type { RangeRuleVerdict } from '../policy/range';
import { rejectionText } from '../policy/reviewers';
import type { CommitToJudge, CheckWarning, Violation } from '../policy/verdicts';
import { commitDecision, lineSpans, spansText } from '../policy/verdicts';

/** One critical-path rule of a check, over every commit of the range. */
export interface RuleSummary {
  readonly reason: string;
  readonly tier?: string;
  readonly friction: string;
  readonly patterns: readonly string[];
  /** AI-written lines (as written, edited by hand, unattested counted as AI) the range added to the rule's paths. */
  readonly aiLines: number;
  /** The budget as spent: over the range when the rule has a budget, else undefined. */
  readonly budget?: { readonly used: number; readonly max: number; readonly status: RangeRuleVerdict['status'] };
  /** What the reviews must be: `2 from payments-seniors`, `1 from anyone`; `none` (warn/block). */
  readonly reviewsNeeded: string;
  /** The reviewers that counted, as written (`Reviewed-by:` values, `@login` approvals). */
  readonly reviewsGiven: readonly string[];
  /** Reviewers that did not count, each with why. */
  readonly reviewsRejected: readonly string[];
  readonly verdict: Verdict;
}

/** A rule's or file's verdict over the range. */
export type Verdict = 'passed' | 'warned' | 'overridden' | 'unreviewed' | 'blocked';

/** One file of a check with AI lines in a critical path. */
export interface FileSummary {
  readonly path: string;
  readonly reason: string;
  readonly commits: ReadonlyArray<{ readonly commit: string; readonly lines: ReadonlyArray<readonly [number, number]>; readonly status: CriticalFile['status'] }>;
  readonly aiLines: number;
  readonly verdict: Verdict;
}

/** What a check found, for summaries. */
export interface CheckSummary {
  readonly revs: readonly string[];
  readonly commits: number;
  readonly rules: readonly RuleSummary[];
  readonly files: readonly FileSummary[];
  readonly violations: readonly Violation[];
  readonly warnings: readonly CheckWarning[];
  /** Whether the check fails (a violation, or a range over budget without its reviews). */
  readonly failed: boolean;
  /** What each range over budget without its reviews lacks, in words. */
  readonly rangeFailures: readonly string[];
}

const verdictRank: Readonly<Record<Verdict, number>> = { passed: 0, warned: 1, overridden: 2, unreviewed: 3, blocked: 4 };

function verdictOf(status: CriticalFile['status'] | RangeRuleVerdict['status']): Verdict {
  return status === 'reviewed' || status === 'within' ? 'passed' : status;
}

function worse(a: Verdict, b: Verdict): Verdict {
  return verdictRank[b] > verdictRank[a] ? b : a;
}

/** Summarises a check from the commits it judged, what it found, and the range's budgets. */
export function summarizeCheck(revs: readonly string[], judged: readonly CommitToJudge[], violations: readonly Violation[], warnings: readonly CheckWarning[], range: readonly RangeRuleVerdict[] = []): CheckSummary {
  interface Acc {
    rule: CriticalRule;
    tier: string | undefined;
    patterns: Set<string>;
    aiLines: number;
    needed: Set<string>;
    given: Set<string>;
    rejected: Set<string>;
    verdict: Verdict;
  }
  const rules = new Map<CriticalRule, Acc>();
  const files = new Map<string, { path: string; reason: string; commits: Array<FileSummary['commits'][number]>; aiLines: number; verdict: Verdict }>();
  const ruleAcc = (rule: CriticalRule, tier: string | undefined): Acc => {
    let r = rules.get(rule);
    if (!r) {
      r = { rule, tier, patterns: new Set(), aiLines: 0, needed: new Set(), given: new Set(), rejected: new Set(), verdict: 'passed' };
      rules.set(rule, r);
    }
    return r;
  };
  for (const c of judged) {
    const ai = c.ai?.files ?? [];
    const unattested = c.unattested ?? [];
    if (ai.length === 0 && unattested.length === 0) continue;
    const d = commitDecision(c, ai, unattested);
    for (const u of d.rules) {
      if (u.rule.source === 'user') continue;
      const r = ruleAcc(u.rule, u.tier);
      r.aiLines += u.aiLines;
    }
    for (const f of d.files) {
      const r = ruleAcc(f.match.rule, d.rules.find((u) => u.rule === f.match.rule)?.tier);
      r.patterns.add(f.match.pattern);
      for (const q of f.requirements) {
        r.needed.add(`${q.count} from ${q.label || 'anyone'}${q.kind === 'budget' ? ' (over budget)' : ''}`);
        for (const who of q.tally.counted) r.given.add(who.text);
        for (const x of q.tally.rejected) r.rejected.add(`${x.reviewer.text} (${rejectionText(x)})`);
      }
      if (f.status === 'overridden' && d.override !== undefined) r.given.add(`override: ${d.override}`);
      r.verdict = worse(r.verdict, verdictOf(f.status));
      const file = files.get(f.path) ?? { path: f.path, reason: f.match.reason, commits: [], aiLines: 0, verdict: 'passed' as const };
      file.commits.push({ commit: c.commit, lines: lineSpans(f.lines), status: f.status });
      file.aiLines += f.lines.length;
      file.verdict = worse(file.verdict, verdictOf(f.status));
      files.set(f.path, file);
    }
  }
  for (const v of range) {
    const r = ruleAcc(v.rule, v.tier);
    r.verdict = worse(r.verdict, verdictOf(v.status));
    if (v.reviews) {
      r.needed.add(`${v.reviews.count} from ${v.reviews.from || 'anyone'} (range over budget)`);
      for (const who of v.reviews.counted) r.given.add(who.reviewer);
      for (const x of v.reviews.rejected) r.rejected.add(`${x.reviewer} (${x.detail})`);
    }
  }
  const budgetOf = (rule: CriticalRule): RuleSummary['budget'] => {
    const v = range.find((x) => x.rule === rule);
    return v ? { used: v.aiLines, max: v.maxAiLines, status: v.status } : undefined;
  };
  return {
    revs,
    commits: judged.length,
    rules: [...rules.values()].map((r) => {
      const budget = budgetOf(r.rule);
      return {
        reason: r.rule.reason,
        ...(r.tier !== undefined ? { tier: r.tier } : {}),
        friction: r.rule.friction,
        patterns: [...r.patterns],
        aiLines: r.aiLines,
        ...(budget ? { budget } : {}),
        reviewsNeeded: r.needed.size > 0 ? [...r.needed].join('; ') : 'none',
        reviewsGiven: [...r.given],
        reviewsRejected: [...r.rejected],
        verdict: r.verdict,
      };
    }),
    files: [...files.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    violations,
    warnings,
    failed: violations.length > 0 || range.some((v) => v.status === 'unreviewed' || v.status === 'blocked'),
    rangeFailures: range.filter((v) => v.status === 'unreviewed' || v.status === 'blocked').map((v) => v.message),
  };
}

/** Text for a Markdown table cell: no line breaks, pipes escaped, HTML's angle brackets kept literal. */
function cell(s: string): string {
  return s.replace(/\r?\n/g, ' ').replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const verdictText: Readonly<Record<Verdict, string>> = {
  passed: '✅ reviewed',
  warned: '⚠️ warn',
  overridden: '⚠️ overridden',
  unreviewed: '❌ needs review',
  blocked: '⛔ not allowed',
};

/** The Markdown of a check summary (GitHub-flavoured: tables). */
export function checkMarkdown(s: CheckSummary): string {
  const out: string[] = [];
  const failed = s.failed;
  out.push(`## AI provenance: ${failed ? '❌ policy not met' : '✅ policy met'}`);
  out.push('');
  out.push(`${s.commits} commit${s.commits === 1 ? '' : 's'} checked (\`${cell(s.revs.join(' '))}\`): ${s.violations.length} violation${s.violations.length === 1 ? '' : 's'}, ${s.files.length} critical file${s.files.length === 1 ? '' : 's'} with AI-written lines.`);
  out.push('');
  if (s.rules.length > 0) {
    out.push('### Critical paths');
    out.push('');
    out.push('| Critical path | Friction | AI lines | Budget used | Reviews needed | Reviews given | Verdict |');
    out.push('|---|---|--:|---|---|---|---|');
    for (const r of s.rules) {
      const budget = r.budget !== undefined ? `${r.budget.used} of ${r.budget.max} (range)` : '— (no budget set)';
      const given = r.reviewsGiven.length > 0 ? r.reviewsGiven.join(', ') : 'none';
      const rejected = r.reviewsRejected.length > 0 ? `; not counted: ${r.reviewsRejected.join(', ')}` : '';
      const name = `${r.tier !== undefined ? `[${r.tier}] ` : ''}${r.reason}${r.patterns.length > 0 ? ` (\`${r.patterns.join(', ')}\`)` : ''}`;
      out.push(`| ${cell(name)} | ${r.friction} | ${r.aiLines} | ${cell(budget)} | ${cell(r.reviewsNeeded)} | ${cell(given + rejected)} | ${verdictText[r.verdict]} |`);
    }
    out.push('');
    out.push('### Files');
    out.push('');
    out.push('| File | AI lines | Lines (per commit) | Critical because | Verdict |');
    out.push('|---|--:|---|---|---|');
    for (const f of s.files) {
      const where = f.commits.map((c) => `\`${c.commit.slice(0, 12)}\`: ${spansText(c.lines)}`).join('<br>');
      out.push(`| \`${cell(f.path)}\` | ${f.aiLines} | ${where} | ${cell(f.reason)} | ${verdictText[f.verdict]} |`);
    }
    out.push('');
  } else {
    out.push('No AI-written lines in critical paths.');
    out.push('');
  }
  const tampering = s.violations.filter((v) => v.kind === 'tampering');
  if (tampering.length > 0) {
    out.push('### Trailers that disagree with the notes');
    out.push('');
    for (const v of tampering) out.push(`- \`${v.commit.slice(0, 12)}\` ${cell(v.subject)}: ${cell(v.message)}`);
    out.push('');
  }
  const critical = s.violations.filter((v) => v.kind === 'critical');
  if (critical.length > 0 || s.rangeFailures.length > 0) {
    out.push('### What is missing');
    out.push('');
    for (const v of critical) out.push(`- \`${v.commit.slice(0, 12)}\` ${cell(v.subject)}: ${cell(v.message)}`);
    for (const m of s.rangeFailures) out.push(`- the whole range: ${cell(m)}`);
    out.push('');
  }
  const notes = s.warnings.filter((w) => !w.files || w.files.length === 0);
  if (notes.length > 0) {
    out.push('<details><summary>Warnings</summary>');
    out.push('');
    for (const w of notes) out.push(`- ${w.commit ? `\`${w.commit.slice(0, 12)}\`: ` : ''}${cell(w.message)}`);
    out.push('');
    out.push('</details>');
    out.push('');
  }
  return out.join('\n');
}
