/**
 * `git provenance status [--json]`: uncommitted AI lines per file, from the ledger mapped
 * onto the files as they are on disk now.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { reanchor } from '../../core/ledger/ledger';
import { attributeLines, LineIndex, toRuns } from '../../core/lines/lines';
import type { LineSummary } from '../../core/report/summary';
import { summarize, toolLabel } from '../../core/report/summary';
import { contentHash } from '../../node/hash';
import { parseArgs } from '../args';
import type { Io } from '../io';
import { openRepo } from '../../node/repo';
import { canonicalToolName } from '../../core/agents/toolNames';

/** Usage text of `status`. */
export const statusUsage = `usage: git provenance status [--json]

Lists the uncommitted AI-written lines of each file, as the ledger and the files on disk say now.
  --json   one JSON object: {"files":[{"path","ai","mixed","unknown","tools","ranges"}]}`;

interface FileStatus extends LineSummary {
  readonly path: string;
  readonly missing: boolean;
  readonly dropped: number;
  readonly ranges: ReadonlyArray<{ startLine: number; endLine: number; kind: string; tool: string; model: string | null }>;
}

/** Runs `status`. */
export async function status(argv: readonly string[], io: Io): Promise<number> {
  const args = parseArgs(argv, [], ['json', 'help']);
  if (args.flags.has('help')) {
    io.out(statusUsage);
    return 0;
  }
  const repo = await openRepo(io.cwd, io.err);
  const ledger = await repo.store.read();
  const files: FileStatus[] = [];
  for (const rel of Object.keys(ledger.files).sort()) {
    const entry = ledger.files[rel]!;
    let text: string;
    try {
      text = await fs.readFile(path.join(repo.info.root, rel), 'utf8');
    } catch {
      files.push({ path: rel, missing: true, dropped: entry.ranges.length, ai: 0, mixed: 0, unknown: 0, tools: [], ranges: [] });
      continue;
    }
    const anchored = reanchor(entry, text, contentHash);
    const index = new LineIndex(text);
    const lines = attributeLines(anchored.segments, (o) => index.lineOf(o), (l) => index.lengthOf(l));
    const ranges = toRuns(lines).map((r) => ({ startLine: r.startLine + 1, endLine: r.endLine + 1, kind: r.kind, tool: canonicalToolName(r.origin.tool), model: r.origin.model ?? null }));
    files.push({ path: rel, missing: false, dropped: anchored.dropped.length, ...summarize(lines), ranges });
  }
  const shown = files.filter((f) => f.ai + f.mixed + f.unknown > 0 || f.missing || f.dropped > 0);
  if (args.flags.has('json')) {
    io.out(JSON.stringify({ files: shown }, null, 2));
    return 0;
  }
  if (shown.length === 0) {
    io.out('No uncommitted AI-written lines.');
    return 0;
  }
  for (const f of shown) {
    if (f.missing) {
      io.out(`${f.path}: file is gone (${f.dropped} recorded range(s) not counted)`);
      continue;
    }
    const parts = [`${f.ai} AI`];
    if (f.mixed) parts.push(`${f.mixed} edited by hand`);
    if (f.unknown) parts.push(`${f.unknown} unknown`);
    const tools = f.tools.map((t) => `${toolLabel(t.tool, t.model)} ${t.lines}`).join(', ');
    io.out(`${f.path}: ${parts.join(', ')}${tools ? ` (${tools})` : ''}`);
    for (const r of f.ranges) io.out(`  ${r.startLine === r.endLine ? r.startLine : `${r.startLine}-${r.endLine}`}  ${r.kind}  ${toolLabel(r.tool, r.model ?? undefined)}`);
    if (f.dropped) io.out(`  (${f.dropped} recorded range(s) no longer match the file and are not counted)`);
  }
  return 0;
}
