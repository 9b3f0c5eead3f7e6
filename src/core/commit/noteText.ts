/**
 * A note in words: the readable lines of one Agent Trace record, as `git provenance show`
 * prints it and the editor's commit documents show it.
 */
import type { TraceRecord } from './notes';
import { recordLines, recordMeta } from './notes';
import { lineNumbersText as spans } from '../lines/lines';
import { toolLabel } from '../report/summary';

/** The readable lines of one record. */
export function describeRecord(record: TraceRecord, commit: string): string[] {
  const out: string[] = [];
  const meta = recordMeta(record);
  out.push(`commit ${commit}`);
  out.push(`record ${record.id} (${record.tool ? `${record.tool.name} ${record.tool.version}, ` : ''}${record.timestamp})`);
  if (record.vcs && record.vcs.revision !== commit) out.push(`written for ${record.vcs.revision} and copied here by git`);
  if (meta) {
    const l = meta.lines;
    out.push(`AI lines: ${l.ai} of ${l.added} added${l.mixed ? `, ${l.mixed} more edited by hand` : ''}${l.unknown ? `, ${l.unknown} of unknown origin` : ''}`);
  }
  for (const [file, lines] of recordLines(record)) {
    out.push(`  ${file}`);
    const groups = new Map<string, number[]>();
    for (const l of lines) {
      const key = `${l.kind}\u0000${toolLabel(l.origin.tool, l.origin.model)}`;
      groups.set(key, [...(groups.get(key) ?? []), l.line]);
    }
    for (const [key, ns] of groups) {
      const [kind, label] = key.split('\u0000') as [string, string];
      out.push(`    lines ${spans(ns)}  ${kind}  ${label}`);
    }
  }
  return out;
}
