/**
 * `git provenance check --format markdown`: a job summary or review comment of a check — per
 * critical-path rule the AI-written lines, the budget, the reviews needed and given, and the
 * verdict; then a table per file. The numbers come from the same friction decisions as the
 * verdicts (friction.ts), made again per commit here only to read what they counted. Pure.
 */
import type { CriticalFile, FrictionDecision } from '../policy/friction';
import { combineDecisions, decideFriction } from '../policy/friction';
import type { CommitToJudge, CheckWarning, Violation } from '../policy/verdicts';
import { lineSpans, spansText } from '../policy/verdicts';

/** One critical-path rule of a check, over every commit of the range. */
export interface RuleSummary {
  readonly reason: string;
  readonly friction: string;
  readonly patterns: readonly string[];
  /** AI-written lines (as written and edited by hand) the range added to the rule's paths. */
  readonly aiLines: number;
  /** The most AI lines the policy allows; undefined when it sets no budget. */
  readonly budget?: number;
  /** What a review must be: `1 from anyone but the author`, `1 from @payments-leads`, or `none` (warn/block). */
  readonly reviewsNeeded: string;
  /** The reviews that counted, as written (`Reviewed-by:` values, approvals). */
  readonly reviewsGiven: readonly string[];
  readonly verdict: 'passed' | 'warned' | 'overridden' | 'unreviewed' | 'blocked';
}

/** One file of a check with AI lines in a critical path. */
export interface FileSummary {
  readonly path: string;
  readonly reason: string;
  readonly commits: ReadonlyArray<{ readonly commit: string; readonly lines: ReadonlyArray<readonly [number, number]>; readonly status: CriticalFile['status'] }>;
  readonly aiLines: number;
  readonly verdict: RuleSummary['verdict'];
}

/** What a check found, for summaries. */
export interface CheckSummary {
  readonly revs: readonly string[];
  readonly commits: number;
  readonly rules: readonly RuleSummary[];
  readonly files: readonly FileSummary[];
  readonly violations: readonly Violation[];
  readonly warnings: readonly CheckWarning[];
}

const verdictRank: Readonly<Record<RuleSummary['verdict'], number>> = { passed: 0, warned: 1, overridden: 2, unreviewed: 3, blocked: 4 };

function verdictOf(status: CriticalFile['status']): RuleSummary['verdict'] {
  return status === 'reviewed' ? 'passed' : status;
}

function worse(a: RuleSummary['verdict'], b: RuleSummary['verdict']): RuleSummary['verdict'] {
  return verdictRank[b] > verdictRank[a] ? b : a;
}

/** The decision of one commit (the strictest over its policies), or undefined without AI lines in critical paths. */
function decisionOf(c: CommitToJudge): FrictionDecision | undefined {
  const ai = c.ai;
  if (!ai || ai.files.length === 0) return undefined;
  const codeowners = c.codeowners;
  return combineDecisions(c.policies.map((policy) => decideFriction({ files: ai.files, policy, message: c.message, author: c.author, ...(codeowners ? { codeowners } : {}) })));
}

/** Summarises a check from the commits it judged and what it found. */
export function summarizeCheck(revs: readonly string[], judged: readonly CommitToJudge[], violations: readonly Violation[], warnings: readonly CheckWarning[]): CheckSummary {
  const rules = new Map<string, { reason: string; friction: string; patterns: Set<string>; aiLines: number; needed: Set<string>; given: Set<string>; verdict: RuleSummary['verdict'] }>();
  const files = new Map<string, { path: string; reason: string; commits: Array<FileSummary['commits'][number]>; aiLines: number; verdict: RuleSummary['verdict'] }>();
  for (const c of judged) {
    const d = decisionOf(c);
    if (!d) continue;
    for (const f of d.files) {
      const key = `${f.match.reason}\u0000${f.friction}`;
      const r = rules.get(key) ?? { reason: f.match.reason, friction: f.friction, patterns: new Set<string>(), aiLines: 0, needed: new Set<string>(), given: new Set<string>(), verdict: 'passed' as const };
      r.patterns.add(f.match.pattern);
      r.aiLines += f.lines.length;
      for (const q of f.requirements) r.needed.add(q.reviewers.length > 0 ? `1 from ${q.reviewers.join(' or ')}${q.from === 'codeowners' ? ' (CODEOWNERS)' : ''}` : '1 from anyone but the author');
      if (f.status === 'reviewed') for (const g of d.reviewedBy) r.given.add(g);
      if (f.status === 'overridden' && d.override !== undefined) r.given.add(`override: ${d.override}`);
      r.verdict = worse(r.verdict, verdictOf(f.status));
      rules.set(key, r);
      const file = files.get(f.path) ?? { path: f.path, reason: f.match.reason, commits: [], aiLines: 0, verdict: 'passed' as const };
      file.commits.push({ commit: c.commit, lines: lineSpans(f.lines), status: f.status });
      file.aiLines += f.lines.length;
      file.verdict = worse(file.verdict, verdictOf(f.status));
      files.set(f.path, file);
    }
  }
  return {
    revs,
    commits: judged.length,
    rules: [...rules.values()].map((r) => ({ reason: r.reason, friction: r.friction, patterns: [...r.patterns], aiLines: r.aiLines, reviewsNeeded: r.needed.size > 0 ? [...r.needed].join('; ') : 'none', reviewsGiven: [...r.given], verdict: r.verdict })),
    files: [...files.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    violations,
    warnings,
  };
}

/** Text for a Markdown table cell: no line breaks, pipes escaped, HTML's angle brackets kept literal. */
function cell(s: string): string {
  return s.replace(/\r?\n/g, ' ').replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const verdictText: Readonly<Record<RuleSummary['verdict'], string>> = {
  passed: '✅ reviewed',
  warned: '⚠️ warn',
  overridden: '⚠️ overridden',
  unreviewed: '❌ needs review',
  blocked: '⛔ not allowed',
};

/** The Markdown of a check summary (GitHub-flavoured: tables). */
export function checkMarkdown(s: CheckSummary): string {
  const out: string[] = [];
  const failed = s.violations.length > 0;
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
      const budget = r.budget !== undefined ? `${r.aiLines} of ${r.budget}` : '— (no budget set)';
      out.push(`| ${cell(r.reason)} (\`${cell(r.patterns.join(', '))}\`) | ${r.friction} | ${r.aiLines} | ${cell(budget)} | ${cell(r.reviewsNeeded)} | ${r.reviewsGiven.length > 0 ? cell(r.reviewsGiven.join(', ')) : 'none'} | ${verdictText[r.verdict]} |`);
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
  if (critical.length > 0) {
    out.push('### What is missing');
    out.push('');
    for (const v of critical) out.push(`- \`${v.commit.slice(0, 12)}\` ${cell(v.subject)}: ${cell(v.message)}`);
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
