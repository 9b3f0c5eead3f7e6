/**
 * `git provenance check --format sarif`: the gate's verdicts as a SARIF 2.1.0 log
 * (https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html), so code-scanning views
 * (GitHub code scanning, GitLab, IDE viewers) show AI-written lines in critical paths as alerts
 * on those lines. One result per file of a violation, its regions the line spans; messages that
 * name no file (a broken policy, a missing note) are tool notifications, not results, since a
 * result without a location cannot be shown on code. Pure.
 */
import type { RangeRuleVerdict } from '../policy/range';
import type { CheckWarning, Violation } from '../policy/verdicts';
import { spansText } from '../policy/verdicts';

/** The rules a result can name. */
export const sarifRules = {
  unreviewed: { id: 'AIP001', name: 'AiCriticalUnreviewed', short: 'AI-written code in a critical path without the review the policy asks for' },
  blocked: { id: 'AIP002', name: 'AiCriticalBlocked', short: 'AI-written code where the policy allows none' },
  tampering: { id: 'AIP003', name: 'TrailersDisagreeWithNote', short: "A commit's trailers disagree with its AI provenance note" },
  warned: { id: 'AIP004', name: 'AiCriticalWarn', short: 'AI-written code in a critical path (friction: warn)' },
  budget: { id: 'AIP005', name: 'AiBudgetExceeded', short: "AI-written lines of a range over a critical path's budget (maxAiLines) without the reviews it needs" },
} as const;

type RuleKey = keyof typeof sarifRules;

/** A SARIF region: lines of the file, 1-based and inclusive (absent: the whole file). */
interface Region {
  readonly startLine: number;
  readonly endLine: number;
}

/** One SARIF result as we write it. */
export interface SarifResult {
  readonly ruleId: string;
  readonly ruleIndex: number;
  readonly level: 'error' | 'warning';
  readonly message: { readonly text: string };
  readonly locations: ReadonlyArray<{ readonly physicalLocation: { readonly artifactLocation: { readonly uri: string; readonly uriBaseId: 'SRCROOT' }; readonly region?: Region } }>;
  readonly partialFingerprints: Readonly<Record<string, string>>;
  readonly properties: Readonly<Record<string, unknown>>;
}

/** What {@link sarifLog} needs besides the verdicts. */
export interface SarifInput {
  readonly version: string;
  readonly violations: readonly Violation[];
  readonly warnings: readonly CheckWarning[];
  /** The range's budgets (`maxAiLines` over all its commits); those unreviewed or blocked fail the check. */
  readonly range?: readonly RangeRuleVerdict[];
  /** The revisions checked, for the log's invocation. */
  readonly revs: readonly string[];
  /** How many commits were checked. */
  readonly commits: number;
}

/** A path as a relative URI reference (RFC 3986): each segment percent-encoded. */
function pathUri(p: string): string {
  return p.split('/').map(encodeURIComponent).join('/');
}

function ruleOf(v: Violation): RuleKey {
  if (v.kind === 'tampering') return 'tampering';
  return v.friction === 'block' ? 'blocked' : 'unreviewed';
}

/** The SARIF 2.1.0 log of a check. */
export function sarifLog(input: SarifInput): Record<string, unknown> {
  const keys = Object.keys(sarifRules) as RuleKey[];
  const results: SarifResult[] = [];
  const add = (rule: RuleKey, level: SarifResult['level'], text: string, commit: string | undefined, path: string, spans: ReadonlyArray<readonly [number, number]>, properties: Record<string, unknown>): void => {
    const r = sarifRules[rule];
    results.push({
      ruleId: r.id,
      ruleIndex: keys.indexOf(rule),
      level,
      message: { text },
      locations: spans.map(([startLine, endLine]) => ({ physicalLocation: { artifactLocation: { uri: pathUri(path), uriBaseId: 'SRCROOT' }, region: { startLine, endLine } } })),
      // Stable across runs of the same history, so a viewer does not open the alert twice.
      partialFingerprints: { 'aiProvenance/v1': `${commit ?? ''}:${path}:${spansText(spans)}:${r.id}` },
      properties,
    });
  };
  for (const v of input.violations) {
    const rule = ruleOf(v);
    const props = { commit: v.commit, subject: v.subject, author: v.author, evidence: v.evidence, ...(v.friction !== undefined ? { friction: v.friction } : {}), ...(v.reason !== undefined ? { reason: v.reason } : {}) };
    for (const f of v.files) if (f.lines.length > 0) add(rule, 'error', `commit ${v.commit.slice(0, 12)} (${v.subject}): ${v.message}`, v.commit, f.path, f.lines, props);
  }
  const notifications: Array<Record<string, unknown>> = [];
  for (const w of input.warnings) {
    const text = w.commit ? `commit ${w.commit.slice(0, 12)}: ${w.message}` : w.message;
    const files = (w.files ?? []).filter((f) => f.lines.length > 0);
    if (files.length === 0) notifications.push({ level: 'warning', message: { text } });
    for (const f of files) add('warned', 'warning', text, w.commit, f.path, f.lines, w.commit ? { commit: w.commit } : {});
  }
  // Violations without lines (a tampering whose note names none) still fail the check: say so where no location is needed.
  for (const r of input.range ?? []) {
    if (r.status !== 'unreviewed' && r.status !== 'blocked') continue;
    const rule = sarifRules.budget;
    results.push({
      ruleId: rule.id,
      ruleIndex: keys.indexOf('budget'),
      level: 'error',
      message: { text: r.message },
      locations: r.files.map((f) => ({ physicalLocation: { artifactLocation: { uri: pathUri(f), uriBaseId: 'SRCROOT' } } })),
      partialFingerprints: { 'aiProvenance/v1': `${r.commits.join(',')}:${r.rule.reason}:${rule.id}` },
      properties: { rule: r.rule.reason, aiLines: r.aiLines, maxAiLines: r.maxAiLines, commits: [...r.commits], status: r.status, ...(r.tier !== undefined ? { tier: r.tier } : {}) },
    });
  }
  for (const v of input.violations) if (!v.files.some((f) => f.lines.length > 0)) notifications.push({ level: 'error', message: { text: `commit ${v.commit.slice(0, 12)} (${v.subject}): ${v.message}` } });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'git-provenance',
            semanticVersion: input.version,
            informationUri: 'https://github.com/ai-provenance/ai-provenance',
            rules: keys.map((k) => ({
              id: sarifRules[k].id,
              name: sarifRules[k].name,
              shortDescription: { text: sarifRules[k].short },
              helpUri: 'https://github.com/ai-provenance/ai-provenance/blob/main/docs/ci.md',
              defaultConfiguration: { level: k === 'warned' ? 'warning' : 'error' },
            })),
          },
        },
        invocations: [
          {
            executionSuccessful: true,
            arguments: ['check', ...input.revs],
            toolExecutionNotifications: notifications,
            properties: { commits: input.commits, violations: input.violations.length },
          },
        ],
        originalUriBaseIds: { SRCROOT: { description: { text: 'The root of the repository checked.' } } },
        results,
      },
    ],
  };
}
