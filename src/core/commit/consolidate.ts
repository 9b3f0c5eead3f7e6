/**
 * The note of a squash or rebase merge (`git provenance consolidate`): a forge writes new
 * commits for a pull request's changes, with no note; their lines are attributed from the
 * pull request's own commits. For each file the new commit added lines to, the per-line truth
 * of the pull request's version of the file (each line as the last commit that changed it left
 * it: a line a later commit changed takes that commit's attribution) is carried onto the new
 * commit's version by the line diff of the two; an added line with no counterpart there was
 * written by the merge resolution, and is `unknown`. The record says where it came from
 * (`source: "consolidate"`, the range) and carries the squashed commits' trailers
 * (`Assisted-by`, `Reviewed-by`, …), so the evidence stays when the forge strips them from the
 * message. Pure.
 */
import type { AttributedLine } from './changeLines';
import { attributeVersion, countChange, restrictTo } from './changeLines';
import type { LineSpanTuple } from './patch';
import type { TraceRecord } from './notes';
import { metadataKey } from './notes';
import type { BlockTrailer } from './trailerBlock';
import { mapLines, splitLines } from '../lines/lineMap';
import { toRuns } from '../lines/lines';
import type { Origin } from '../model';

/** One file of a merge commit to attribute. */
export interface MergedFile {
  readonly path: string;
  /** The file in the merge commit. */
  readonly text: string;
  /** The lines the merge commit added to it (ascending runs, 1-based). */
  readonly added: readonly LineSpanTuple[];
  /** The file in the pull request's commit it corresponds to, with that version's per-line truth; undefined when it has none there. */
  readonly source?: { readonly text: string; readonly lines: readonly AttributedLine[] };
}

/** The attributed lines of the lines a merge commit added to one file (see the top of this file). */
export function mergedLines(f: MergedFile, resolution: Origin): AttributedLine[] {
  const addedLines: number[] = [];
  for (const [a, b] of f.added) for (let n = a; n <= b; n++) addedLines.push(n);
  if (addedLines.length === 0) return [];
  if (!f.source) return addedLines.map((line) => ({ line, kind: 'unknown' as const, origin: resolution }));
  const carried = attributeVersion(f.text, [{ text: f.source.text, lines: f.source.lines }], f.added);
  // Which lines of the merge commit's file have a counterpart in the pull request's version.
  const from = splitLines(f.source.text);
  const to = splitLines(f.text);
  const known = new Uint8Array(to.length + 1);
  if (f.source.text === f.text) known.fill(1);
  else for (const target of mapLines(from, to)) if (target >= 0) known[target + 1] = 1;
  const byLine = new Map(carried.map((l) => [l.line, l]));
  const out: AttributedLine[] = [];
  for (const n of addedLines) {
    const l = byLine.get(n);
    if (l) out.push(l);
    else if (known[n] !== 1) out.push({ line: n, kind: 'unknown', origin: resolution });
  }
  return restrictTo(out, f.added);
}

/** A commit the merge folded in, as the consolidated record remembers it. */
export interface SquashedCommitInfo {
  readonly commit: string;
  readonly subject: string;
  readonly author: string;
  /** Its trailers as git parses them (its review and AI trailers among them). */
  readonly trailers: readonly BlockTrailer[];
}

/** What the consolidated record adds under `metadata["dev.ai-provenance"]`. */
export interface ConsolidatedMeta {
  readonly source: 'consolidate';
  /** The range the merge was made from: `base..head`, as resolved commits. */
  readonly range: { readonly base: readonly string[]; readonly head: string };
  readonly mode: 'squash' | 'rebase';
  readonly squashed: readonly SquashedCommitInfo[];
}

/** Our metadata of a consolidated record, when it is one. */
export function consolidatedMeta(record: TraceRecord): ConsolidatedMeta | undefined {
  const m = record.metadata?.[metadataKey] as Partial<ConsolidatedMeta> | undefined;
  if (!m || m.source !== 'consolidate' || !Array.isArray(m.squashed)) return undefined;
  return m as ConsolidatedMeta;
}

/** The `Reviewed-by:` values a consolidated note carries from the commits it folded in. */
export function carriedReviews(records: readonly TraceRecord[]): string[] {
  const out: string[] = [];
  for (const r of records) {
    for (const c of consolidatedMeta(r)?.squashed ?? []) {
      if (typeof c !== 'object' || c === null) continue;
      // Read from a note, which anyone can write: check every field's type.
      const trailers: readonly unknown[] = Array.isArray(c.trailers) ? c.trailers : [];
      for (const t of trailers) {
        const { key, value } = (typeof t === 'object' && t !== null ? t : {}) as { key?: unknown; value?: unknown };
        if (typeof key === 'string' && typeof value === 'string' && key.toLowerCase() === 'reviewed-by') out.push(value);
      }
    }
  }
  return out;
}

/** The counts of a consolidated record: its lines, over all lines the merge commit added. */
export function consolidatedCount(files: ReadonlyArray<{ readonly lines: readonly AttributedLine[]; readonly added: readonly LineSpanTuple[] }>): ReturnType<typeof countChange> {
  return countChange(files.map((f) => ({ runs: toRuns(f.lines), added: f.added.reduce((n, [a, b]) => n + b - a + 1, 0) })));
}

/** `record` with the consolidation's metadata added beside its counts and conversations. */
export function withConsolidatedMeta(record: TraceRecord, meta: ConsolidatedMeta): TraceRecord {
  const ours = (record.metadata?.[metadataKey] ?? {}) as Record<string, unknown>;
  return { ...record, metadata: { ...record.metadata, [metadataKey]: { ...ours, ...meta } } };
}
