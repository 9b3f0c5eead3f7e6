/**
 * The CI gate's verdicts (`git provenance check`): for one commit, its AI lines in critical
 * paths judged by the policies in force (the commit-msg hook's decision, friction.ts), and
 * trailers that disagree with the commit's note (tampering). Pure: the command gathers the
 * commits, notes, policies and CODEOWNERS with git and prints what this returns.
 */
import type { TraceRecord } from '../commit/notes';
import { recordLines, recordMeta } from '../commit/notes';
import { blockProvenanceIds, trailerKeys } from '../commit/trailers';
import { parseTrailerBlock } from '../commit/trailerBlock';
import { messageTool } from '../commit/agentTrailers';
import type { Codeowners } from './codeowners';
import type { AiFile, CriticalFile, FrictionDecision } from './friction';
import { bodyOverrideHint, bodyReviewHint, combineDecisions, decideFriction, frictionKeys } from './friction';
import type { Policy } from './policy';

/** One problem of one commit. */
export interface Violation {
  readonly commit: string;
  readonly subject: string;
  readonly author: string;
  readonly kind: 'critical' | 'tampering';
  /** For `critical`: the strictest friction and the reason of its rule. */
  readonly friction?: string;
  readonly reason?: string;
  /** Where the AI lines came from: the note, or only the trailers (every added line of the file). */
  readonly evidence: 'note' | 'trailers';
  readonly files: ReadonlyArray<{ readonly path: string; readonly lines: ReadonlyArray<readonly [number, number]> }>;
  readonly message: string;
}

/** Something to know that is not a violation (warn friction, a broken policy, a missing note). */
export interface CheckWarning {
  readonly commit?: string;
  readonly message: string;
  readonly files?: Violation['files'];
}

/** Contiguous spans of ascending line numbers. */
export function lineSpans(lines: readonly number[]): Array<[number, number]> {
  const sorted = [...new Set(lines)].sort((a, b) => a - b);
  const out: Array<[number, number]> = [];
  for (const n of sorted) {
    const last = out[out.length - 1];
    if (last && n === last[1] + 1) last[1] = n;
    else out.push([n, n]);
  }
  return out;
}

/** Spans as text: `3, 7-9`. */
export function spansText(spans: ReadonlyArray<readonly [number, number]>): string {
  return spans.map(([a, b]) => (a === b ? String(a) : `${a}-${b}`)).join(', ');
}

function subjectOf(message: string): string {
  return message.split('\n').find((l) => l.trim() !== '')?.trim() ?? '';
}

/** Our own records of a commit (written by the hooks: not imported from another tool). */
function ownRecords(records: readonly TraceRecord[]): TraceRecord[] {
  return records.filter((r) => r.tool?.name === 'ai-provenance' && (recordMeta(r) as { source?: unknown } | undefined)?.source === undefined);
}

function aiCounts(record: TraceRecord): { ai: number; mixed: number; added: number | undefined } {
  const meta = recordMeta(record);
  if (meta && Number.isSafeInteger(meta.lines.ai) && Number.isSafeInteger(meta.lines.mixed)) return { ai: meta.lines.ai, mixed: meta.lines.mixed, added: meta.lines.added };
  let ai = 0;
  let mixed = 0;
  for (const lines of recordLines(record).values()) {
    for (const l of lines) {
      if (l.kind === 'ai') ai++;
      else if (l.kind === 'mixed') mixed++;
    }
  }
  return { ai, mixed, added: undefined };
}

/**
 * How a commit's trailers disagree with its note (our own records only: a note imported from
 * another tool never came with trailers). Empty when they agree or there is no record. Only the
 * trailer block as git parses it counts: trailers moved into the body are trailers no more.
 */
export function trailerTampering(message: string, records: readonly TraceRecord[]): string[] {
  const own = ownRecords(records);
  if (own.length === 0) return [];
  const out: string[] = [];
  const trailers = parseTrailerBlock(message).trailers;
  const has = (key: string): boolean => trailers.some((t) => t.key.toLowerCase() === key.toLowerCase());
  const ids = blockProvenanceIds(message);
  const id = ids[ids.length - 1];
  const record = (id !== undefined ? own.find((r) => r.id.toLowerCase() === id) : undefined) ?? (own.length === 1 ? own[0] : undefined);
  const counts = own.map(aiCounts);
  const noteAi = counts.reduce((n, c) => n + c.ai + c.mixed, 0);
  if (noteAi > 0 && !has(trailerKeys.assistedBy)) out.push(`the note names ${noteAi} AI-written line(s) but the message has no ${trailerKeys.assistedBy}: trailer`);
  if (noteAi > 0 && id === undefined) out.push(`the note names AI-written lines but the message has no ${trailerKeys.provenance}: trailer`);
  if (id !== undefined && !own.some((r) => r.id.toLowerCase() === id)) out.push(`${trailerKeys.provenance}: ${id} is not the id of the commit's note (${own.map((r) => r.id).join(', ')})`);
  const aiLines = trailers.filter((t) => t.key.toLowerCase() === trailerKeys.aiLines.toLowerCase()).pop();
  if (aiLines && record) {
    const m = /^(\d+)\/(\d+)(?:\s+\((\d+) edited by hand\))?$/.exec(aiLines.value);
    const c = aiCounts(record);
    const says = m ? { ai: Number(m[1]), added: Number(m[2]), mixed: Number(m[3] ?? 0) } : undefined;
    if (!says || says.ai !== c.ai || says.mixed !== c.mixed || (c.added !== undefined && says.added !== c.added)) {
      out.push(`${trailerKeys.aiLines}: ${aiLines.value} disagrees with the note (${c.ai}/${c.added ?? '?'}${c.mixed > 0 ? ` (${c.mixed} edited by hand)` : ''})`);
    }
  } else if (noteAi > 0 && !aiLines) {
    out.push(`the note names AI-written lines but the message has no ${trailerKeys.aiLines}: trailer`);
  }
  return out;
}

/** Whether a message without a note says AI helped in its trailer block (our trailers, Assisted-by, an agent's own lines). */
export function saysAi(c: { readonly message: string; readonly author: string }): boolean {
  return messageTool(c.message, c.author) !== undefined;
}

/** The text of a critical violation for CI (the hook's text speaks to the person committing). */
function criticalText(d: FrictionDecision, evidence: Violation['evidence']): string {
  const bad = d.files.filter((f) => f.status === 'blocked' || f.status === 'unreviewed');
  const what = evidence === 'note' ? 'AI-written lines' : `lines of a commit whose message says AI helped (no note: every added line counts)`;
  return bad
    .map((f) => {
      if (f.status === 'blocked') return `${what} in ${f.path}, where the policy allows no AI-written code (${f.match.reason})`;
      const named = f.requirements.filter((r) => !r.met && r.reviewers.length > 0).flatMap((r) => r.reviewers);
      const who = named.length > 0 ? `one of ${named.join(', ')}` : 'someone other than the author';
      const body = d.bodyReviews.length > 0 ? ` (${bodyReviewHint})` : d.bodyOverrides.length > 0 ? ` (${bodyOverrideHint})` : '';
      return `${what} in critical path ${f.path} (${f.match.reason}) without review: no "${frictionKeys.reviewedBy}:" trailer naming ${who}, and no "${frictionKeys.override}: <reason>"${body}`;
    })
    .join('; ');
}

/** The AI and hand-edited AI lines of a note's records, by path (for tampering reports). */
function noteLinesAll(records: readonly TraceRecord[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const r of ownRecords(records)) {
    for (const [p, lines] of recordLines(r)) {
      const ai = lines.filter((l) => l.kind === 'ai' || l.kind === 'mixed').map((l) => l.line);
      if (ai.length > 0) out.set(p, [...(out.get(p) ?? []), ...ai]);
    }
  }
  return out;
}

/** One commit as the gate judges it. */
export interface CommitToJudge {
  readonly commit: string;
  readonly message: string;
  readonly author: string;
  /** The policies in force for it (its own, the one it weakens, `--policy-rev`'s). */
  readonly policies: readonly Policy[];
  /** Its AI lines in critical paths, and where they came from. */
  readonly ai?: { readonly files: readonly AiFile[]; readonly evidence: Violation['evidence'] };
  readonly codeowners?: Codeowners;
  /** Its note's records, when it has a note. */
  readonly records?: readonly TraceRecord[];
}

/** What the gate found in one commit. */
export interface CommitVerdicts {
  readonly violations: Violation[];
  readonly warnings: CheckWarning[];
}

/** Judges one commit: critical-path friction first, then trailers against the note. */
export function judgeCommit(c: CommitToJudge): CommitVerdicts {
  const violations: Violation[] = [];
  const warnings: CheckWarning[] = [];
  const subject = subjectOf(c.message);
  const base = { commit: c.commit, subject, author: c.author };
  const ai = c.ai;
  if (ai && ai.files.length > 0) {
    const codeowners = c.codeowners;
    const decision = combineDecisions(c.policies.map((policy) => decideFriction({ files: ai.files, policy, message: c.message, author: c.author, ...(codeowners ? { codeowners } : {}) })));
    const spansOf = (fs: readonly CriticalFile[]): Violation['files'] => fs.map((f) => ({ path: f.path, lines: lineSpans(f.lines) }));
    if (decision.outcome === 'refuse') {
      const bad = decision.files.filter((f) => f.status === 'blocked' || f.status === 'unreviewed');
      const top = bad.find((f) => f.status === 'blocked') ?? bad[0]!;
      violations.push({ ...base, kind: 'critical', friction: top.friction, reason: top.match.reason, evidence: ai.evidence, files: spansOf(bad), message: criticalText(decision, ai.evidence) });
    } else {
      const warned = decision.files.filter((f) => f.status === 'warned');
      if (warned.length > 0) warnings.push({ commit: c.commit, message: `AI-written lines in critical path${warned.length > 1 ? 's' : ''} (${[...new Set(warned.map((f) => f.match.reason))].join('; ')}; friction: warn)`, files: spansOf(warned) });
    }
  }
  const records = c.records;
  if (records) {
    const problems = trailerTampering(c.message, records);
    if (problems.length > 0) {
      const files = [...noteLinesAll(records)].map(([p, lines]) => ({ path: p, lines: lineSpans(lines) }));
      violations.push({ ...base, kind: 'tampering', evidence: 'note', files, message: problems.join('; ') });
    }
  }
  return { violations, warnings };
}
