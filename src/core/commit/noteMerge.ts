/**
 * Combining the records of one note. A note holds one record per commit, but when two clones
 * each wrote a record for the same commit and their notes refs are merged, git's union merge
 * (`cat_sort_uniq`) leaves both records in the note, one a line. Readers would then see two
 * answers for one commit; here they become one record: every line either record attributes,
 * the newer record winning a line both claim.
 */
import type { AttributedLine } from './changeLines';
import type { TraceRecord } from './notes';
import { buildRecordOfLines, parseNote, recordLines, recordMeta, serializeRecord } from './notes';

/** A record's time for "newer wins": its timestamp, or 0 when it has none readable. */
function timeOf(r: TraceRecord): number {
  const t = Date.parse(r.timestamp);
  return Number.isFinite(t) ? t : 0;
}

/**
 * One record from several records of the same revision: the union of their attributed lines,
 * the newest record's line where they disagree, and its id, timestamp and tool version.
 * Ranges that come out as one of the inputs' ranges keep its `content_hash`; a range cut by
 * the union has none (the hash needs the file's text, and it is optional in Agent Trace).
 */
export function combineRecords(records: readonly TraceRecord[]): TraceRecord {
  const newestFirst = [...records].sort((a, b) => timeOf(b) - timeOf(a));
  const newest = newestFirst[0];
  if (!newest) throw new Error('combineRecords: no record');
  if (newestFirst.length === 1) return newest;
  const byFile = new Map<string, Map<number, AttributedLine>>();
  const hashes = new Map<string, string>();
  let added = 0;
  for (const r of newestFirst) {
    for (const [p, lines] of recordLines(r)) {
      const m = byFile.get(p) ?? new Map<number, AttributedLine>();
      for (const l of lines) if (!m.has(l.line)) m.set(l.line, l);
      byFile.set(p, m);
    }
    for (const f of r.files) for (const c of f.conversations) for (const g of c.ranges) if (g.content_hash) hashes.set(`${f.path}\u0000${g.start_line}\u0000${g.end_line}`, g.content_hash);
    added = Math.max(added, recordMeta(r)?.lines.added ?? 0);
  }
  let ai = 0;
  let mixed = 0;
  let unknown = 0;
  const files = [...byFile].map(([p, m]) => {
    const lines = [...m.values()];
    for (const l of lines) {
      if (l.kind === 'ai') ai++;
      else if (l.kind === 'mixed') mixed++;
      else unknown++;
    }
    return { path: p, lines };
  });
  // `added` counts every line the commit added; without our metadata, the union is all we know.
  const count = { ai, mixed, unknown, added: Math.max(added, ai + mixed + unknown), tools: [] };
  return buildRecordOfLines(
    { id: newest.id, now: timeOf(newest), revision: newest.vcs?.revision ?? '', toolVersion: newest.tool?.version ?? '0.0.0', files, count },
    (p, start, end) => hashes.get(`${p}\u0000${start}\u0000${end}`),
  );
}

/**
 * A note's text with its records of the same revision combined (see {@link combineRecords});
 * records of other revisions (copies git made on a rewrite, read from their own revision) and
 * records without one are kept as they are. Undefined when there is nothing to combine, so a
 * caller rewrites only the notes that need it.
 */
export function combineNote(text: string): string | undefined {
  const records = parseNote(text);
  const groups = new Map<string, TraceRecord[]>();
  const out: Array<TraceRecord | string> = [];
  for (const r of records) {
    const rev = r.vcs?.revision;
    if (rev === undefined) {
      out.push(r);
      continue;
    }
    const g = groups.get(rev);
    if (g) g.push(r);
    else {
      groups.set(rev, [r]);
      out.push(rev);
    }
  }
  if ([...groups.values()].every((g) => g.length === 1)) return undefined;
  return out.map((x) => serializeRecord(typeof x === 'string' ? combineRecords(groups.get(x)!) : x)).join('');
}
