/**
 * How `git provenance check` prints its verdicts: text for people, JSON for scripts, and
 * GitHub workflow commands (annotations on the lines) for CI.
 */
import type { RangeRuleVerdict } from '../../core/policy/range';
import type { CheckWarning, CommitToJudge, OverrideReport, Violation } from '../../core/policy/verdicts';
import { spansText } from '../../core/policy/verdicts';
import { checkMarkdown, summarizeCheck } from '../../core/report/checkSummary';
import { sarifLog } from '../../core/report/sarif';
import type { Io } from '../io';

declare const AIP_VERSION: string | undefined;

/** The output formats of `check`. */
export const checkFormats = ['text', 'json', 'github', 'sarif', 'markdown'] as const;
/** One output format of `check`. */
export type CheckFormat = (typeof checkFormats)[number];

/** Escapes a workflow command's message (GitHub: %, CR, LF). */
function ghData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a workflow command's property value (also : and ,). */
function ghProp(s: string): string {
  return ghData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** Most annotations GitHub shows per step are few; more than this is noise. */
const maxAnnotations = 50;

/** What `check` found beyond each commit's violations: overrides, and the range's budgets. */
export interface CheckExtras {
  readonly overrides: readonly OverrideReport[];
  readonly range: readonly RangeRuleVerdict[];
  /** The commits as they were judged (for the Markdown summary's tallies). */
  readonly judged?: readonly CommitToJudge[];
}

const noExtras: CheckExtras = { overrides: [], range: [] };

/** A range verdict as JSON: the rule by its reason (the rule object is the policy's). */
function rangeJson(r: RangeRuleVerdict): Record<string, unknown> {
  const { rule, ...rest } = r;
  return { rule: rule.reason, ...rest };
}

/** Whether a range verdict fails the check. */
function failing(r: RangeRuleVerdict): boolean {
  return r.status === 'unreviewed' || r.status === 'blocked';
}

/** The workflow commands of a check, one per line range (at most {@link maxAnnotations}). */
export function githubAnnotations(violations: readonly Violation[], warnings: readonly CheckWarning[], extras: CheckExtras = noExtras): string[] {
  const out: string[] = [];
  const add = (level: 'error' | 'warning', title: string, text: string, file?: string, span?: readonly [number, number]): void => {
    if (out.length >= maxAnnotations) return;
    const props = [file ? `file=${ghProp(file)}` : '', span ? `line=${span[0]},endLine=${span[1]}` : '', `title=${ghProp(title)}`].filter((p) => p !== '');
    out.push(`::${level} ${props.join(',')}::${ghData(text)}`);
  };
  for (const v of violations) {
    const title = v.kind === 'tampering' ? 'AI provenance: trailers disagree with the note' : v.friction === 'block' ? 'AI-written code where the policy blocks it' : 'AI-written critical change without review';
    const text = `commit ${v.commit.slice(0, 12)} (${v.subject}): ${v.message}`;
    if (v.files.length === 0) add('error', title, text);
    for (const f of v.files) for (const span of f.lines) add('error', title, text, f.path, span);
  }
  for (const r of extras.range) {
    if (!failing(r)) continue;
    const title = `AI-written lines over the budget of ${r.rule.reason}${r.tier !== undefined ? ` (${r.tier})` : ''}`;
    for (const f of r.files) add('error', title, r.message, f);
  }
  for (const o of extras.overrides) {
    const title = `AI-Critical-Override${o.rules.some((x) => x.tier !== undefined) ? ` (${[...new Set(o.rules.flatMap((x) => (x.tier !== undefined ? [x.tier] : [])))].join(', ')})` : ''}`;
    for (const f of o.files) add('warning', title, `commit ${o.commit.slice(0, 12)} (${o.subject}) overrides the review of ${f.path}: ${o.reason}`, f.path);
  }
  for (const w of warnings) {
    const text = w.commit ? `commit ${w.commit.slice(0, 12)}: ${w.message}` : w.message;
    if (!w.files || w.files.length === 0) add('warning', 'AI provenance', text);
    else for (const f of w.files) for (const span of f.lines) add('warning', 'AI-written code in a critical path', text, f.path, span);
  }
  const total = violations.reduce((n, v) => n + Math.max(1, v.files.reduce((m, f) => m + f.lines.length, 0)), 0);
  if (out.length >= maxAnnotations && total > maxAnnotations) out.push(`::notice title=AI provenance::only the first ${maxAnnotations} annotations are shown; run git provenance check locally for all`);
  return out;
}

/** Prints a check's verdicts in `format`. */
export function printCheck(io: Io, format: CheckFormat, revs: readonly string[], commits: number, violations: readonly Violation[], warnings: readonly CheckWarning[], extras: CheckExtras = noExtras): void {
  if (format === 'sarif') {
    io.out(JSON.stringify(sarifLog({ version: typeof AIP_VERSION === 'string' ? AIP_VERSION : '0.0.0-dev', violations, warnings, range: extras.range, revs, commits }), null, 2));
    return;
  }
  if (format === 'markdown') {
    io.out(checkMarkdown(summarizeCheck(revs, extras.judged ?? [], violations, warnings, extras.range)));
    return;
  }
  if (format === 'json') {
    io.out(JSON.stringify({ range: revs, commits, violations, warnings, overrides: extras.overrides, budgets: extras.range.map(rangeJson) }, null, 2));
    return;
  }
  if (format === 'github') {
    for (const l of githubAnnotations(violations, warnings, extras)) io.out(l);
  }
  // Text (also the readable log under the annotations).
  const bad = new Set(violations.map((v) => v.commit));
  for (const w of warnings) io.err(`warning: ${w.commit ? `${w.commit.slice(0, 12)}: ` : ''}${w.message}${w.files ? ` [${w.files.map((f) => `${f.path}:${spansText(f.lines)}`).join(', ')}]` : ''}`);
  let current = '';
  for (const v of violations) {
    if (v.commit !== current) {
      current = v.commit;
      io.out(`${v.commit.slice(0, 12)} ${v.subject}  (${v.author})`);
    }
    io.out(`  ${v.kind}: ${v.message}`);
    for (const f of v.files) io.out(`    ${f.path}:${spansText(f.lines)}`);
    for (const r of v.rules ?? []) {
      for (const q of r.reviews) {
        if (q.met) continue;
        io.out(`    reviews of "${r.rule}"${r.tier !== undefined ? ` (${r.tier})` : ''}: ${q.counted.length} of ${q.count} from ${q.from}${q.counted.length > 0 ? ` (counted: ${q.counted.map((c) => c.reviewer).join(', ')})` : ''}`);
        for (const x of q.rejected) io.out(`      not counted (${x.reason}): ${x.detail}`);
      }
    }
  }
  for (const o of extras.overrides) io.out(`override: ${o.commit.slice(0, 12)} ${o.subject}  (${o.author}): ${o.reason} [${o.files.map((f) => `${f.path}:${spansText(f.lines)}`).join(', ')}]`);
  for (const r of extras.range) {
    io.out(`${failing(r) ? 'budget' : 'budget ok'}: ${r.message}`);
    for (const x of r.reviews?.rejected ?? []) io.out(`  not counted (${x.reason}): ${x.detail}`);
  }
  const rangeBad = extras.range.filter(failing).length;
  const summary =
    violations.length === 0
      ? `git provenance check: ${commits} commit${commits === 1 ? '' : 's'}, no violation`
      : `git provenance check: ${bad.size} of ${commits} commit${commits === 1 ? '' : 's'} with violations (${violations.filter((v) => v.kind === 'critical').length} critical, ${violations.filter((v) => v.kind === 'tampering').length} tampering)`;
  const extra = [rangeBad > 0 ? `range over budget for ${rangeBad} rule${rangeBad === 1 ? '' : 's'}` : '', extras.overrides.length > 0 ? `${extras.overrides.length} override${extras.overrides.length === 1 ? '' : 's'}` : ''].filter((x) => x !== '');
  io.out(`${summary}${extra.length > 0 ? `; ${extra.join('; ')}` : ''}`);
}
