/**
 * How `git provenance check` prints its verdicts: text for people, JSON for scripts, and
 * GitHub workflow commands (annotations on the lines) for CI.
 */
import type { CheckWarning, CommitToJudge, Violation } from '../../core/policy/verdicts';
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

/** The workflow commands of a check, one per line range (at most {@link maxAnnotations}). */
export function githubAnnotations(violations: readonly Violation[], warnings: readonly CheckWarning[]): string[] {
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
export function printCheck(io: Io, format: CheckFormat, revs: readonly string[], commits: number, violations: readonly Violation[], warnings: readonly CheckWarning[], judged: readonly CommitToJudge[] = []): void {
  if (format === 'sarif') {
    io.out(JSON.stringify(sarifLog({ version: typeof AIP_VERSION === 'string' ? AIP_VERSION : '0.0.0-dev', violations, warnings, revs, commits }), null, 2));
    return;
  }
  if (format === 'markdown') {
    io.out(checkMarkdown(summarizeCheck(revs, judged, violations, warnings)));
    return;
  }
  if (format === 'json') {
    io.out(JSON.stringify({ range: revs, commits, violations, warnings }, null, 2));
    return;
  }
  if (format === 'github') {
    for (const l of githubAnnotations(violations, warnings)) io.out(l);
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
  }
  io.out(
    violations.length === 0
      ? `git provenance check: ${commits} commit${commits === 1 ? '' : 's'}, no violation`
      : `git provenance check: ${bad.size} of ${commits} commit${commits === 1 ? '' : 's'} with violations (${violations.filter((v) => v.kind === 'critical').length} critical, ${violations.filter((v) => v.kind === 'tampering').length} tampering)`,
  );
}
