/**
 * `git provenance export --format agent-trace [<range>...] [-o FILE]`: the notes of a range as
 * JSON Lines, one Agent Trace record per line, each valid against the Agent Trace schema.
 * Records are read as they are stored and brought to the schema where another writer left
 * them outside it (a `0.1.0` version, a tool without a version, fields the schema closes).
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { uuidFromHex } from '../../core/commit/gitAi';
import type { TraceConversation, TraceRecord } from '../../core/commit/notes';
import { traceVersion } from '../../core/commit/notes';
import { logCommits } from '../../git/historyCommands';
import { readNotes } from '../../git/notes';
import { GitError, runGit } from '../../git/runner';
import { parseArgs, UsageError } from '../args';
import type { Io } from '../io';
import { openHistory } from '../../node/repo';
import { checkRevs } from '../revs';

/** Usage text of `export`. */
export const exportUsage = `usage: git provenance export --format agent-trace [<range>...] [-o FILE]

Writes the AI provenance notes of RANGE (default HEAD: all of its history), oldest commit
first, as JSON Lines: one Agent Trace record (https://agent-trace.dev) per line, valid against
its schema. A note git concatenated from several commits gives one line per record.
  --format agent-trace   the only format so far
  -o, --output FILE      write to FILE instead of standard output`;

const contributorTypes = new Set(['human', 'ai', 'mixed', 'unknown']);
const vcsTypes = new Set(['git', 'jj', 'hg', 'svn']);
const uuidRe = /^([0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}|00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff)$/i;

function isRfc3339Utc(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$/.test(s) && Number.isFinite(Date.parse(s));
}

/**
 * A record as the schema wants it: `major.minor` version (an `x.y.z` one is cut to `x.y`), a
 * uuid id (else one derived from the record's text), a UTC RFC 3339 timestamp (else the
 * commit's time), a tool with a version, `vcs` of a known type (else this git commit), closed
 * objects holding only the schema's fields. `metadata` is kept as it is.
 */
export function schemaRecord(record: TraceRecord, commit: string, commitTimeMs: number): TraceRecord {
  const vm = /^(\d+)\.(\d+)(?:\.\d+)?$/.exec(record.version);
  const version = vm ? `${vm[1]}.${vm[2]}` : traceVersion;
  const id = uuidRe.test(record.id) ? record.id : uuidFromHex(createHash('sha256').update(`${commit}\0${JSON.stringify(record)}`).digest('hex'));
  const parsed = Date.parse(record.timestamp);
  const timestamp = isRfc3339Utc(record.timestamp) ? record.timestamp : new Date(Number.isFinite(parsed) ? parsed : commitTimeMs).toISOString();
  const vcs = record.vcs && vcsTypes.has(record.vcs.type) && typeof record.vcs.revision === 'string' ? { type: record.vcs.type, revision: record.vcs.revision } : { type: 'git', revision: commit };
  const tool = record.tool ? { name: String(record.tool.name), version: record.tool.version && record.tool.version !== 'undefined' ? String(record.tool.version) : 'unknown' } : undefined;
  const files = record.files.map((f) => ({
    path: f.path,
    conversations: f.conversations.map((c): TraceConversation => {
      const t = c.contributor?.type;
      const model = c.contributor?.model_id;
      const contributor = t !== undefined && contributorTypes.has(t) ? { type: t, ...(typeof model === 'string' ? { model_id: model.slice(0, 250) } : {}) } : undefined;
      return {
        ...(contributor ? { contributor } : {}),
        ranges: c.ranges.map((r) => ({ start_line: r.start_line, end_line: r.end_line, ...(typeof r.content_hash === 'string' ? { content_hash: r.content_hash } : {}) })),
      };
    }),
  }));
  return { version, id, timestamp, vcs, ...(tool ? { tool } : {}), files, ...(record.metadata ? { metadata: record.metadata } : {}) };
}

/** Runs `export`. */
export async function exportTrace(argv: readonly string[], io: Io): Promise<number> {
  const args = parseArgs(argv.map((a) => (a === '-o' ? '--output' : a)), ['format', 'output'], ['help']);
  if (args.flags.has('help')) {
    io.out(exportUsage);
    return 0;
  }
  const format = args.values.get('format');
  if (format === undefined) throw new UsageError('give --format agent-trace');
  if (format !== 'agent-trace') throw new UsageError(`unknown format "${format}" (known: agent-trace)`);
  // History only: works in a bare repository (a CI mirror, a server-side hook) too.
  const root = (await openHistory(io.cwd, io.err)).gitCwd;
  const revs = args.positionals;
  const lines: string[] = [];
  if ((await checkRevs(root, revs)) === 'ok') {
    let commits;
    try {
      commits = await runGit(root, logCommits(revs));
    } catch (e) {
      if (e instanceof GitError && e.exitCode === 128) throw new UsageError(`bad range ${revs.join(' ')}: ${e.stderr.trim().split('\n')[0] ?? ''}`);
      throw e;
    }
    const notes = await readNotes(root, commits.map((c) => c.commit));
    for (const c of commits) {
      for (const r of notes.get(c.commit) ?? []) lines.push(JSON.stringify(schemaRecord(r, c.commit, c.time * 1000)));
    }
  }
  const output = args.values.get('output');
  if (output !== undefined) {
    await fs.writeFile(path.resolve(io.cwd, output), lines.map((l) => l + '\n').join(''));
    io.err(`wrote ${lines.length} record(s) to ${output}`);
  } else {
    for (const l of lines) io.out(l);
  }
  return 0;
}
