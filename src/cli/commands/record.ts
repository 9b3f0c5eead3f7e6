/**
 * `git provenance record --tool T [--model M] [--session S] [--kind K] FILE:START-END…`
 * Records whole lines of files on disk as AI-written: the API for tools without an editor.
 */
import { promises as fs } from 'node:fs';
import { v4 as uuid } from 'uuid';
import type { Mark } from '../../core/ledger/ledgerOps';
import { applyMarks, lineSpanOffsets, parseFileSpan } from '../../core/ledger/ledgerOps';
import { LineIndex } from '../../core/lines/lines';
import type { OriginKind } from '../../core/model';
import { originKinds } from '../../core/model';
import { contentHash } from '../../node/hash';
import { InputError, parseArgs, quoteName, UsageError } from '../args';
import { labelProblem } from '../../core/commit/trailers';
import { readRegularFile } from '../../node/regularFile';
import type { Io } from '../io';
import { openRepo } from '../../node/repo';
import { realWorktree, resolveWorktreePath } from '../../node/worktreePath';
import { canonicalToolName } from '../../core/agents/toolNames';
import { fsErrorAbout } from '../fsErrors';

/** Usage text of `record`. */
export const recordUsage = `usage: git provenance record --tool TOOL [--model MODEL] [--session ID] [--kind KIND] FILE:START-END...

Marks lines START..END (1-based, inclusive) of each FILE as written by TOOL.
  --tool TOOL      the tool that wrote the lines (e.g. claude-code); required
  --model MODEL    the model, when known (e.g. claude-sonnet-4-5)
  --session ID     the tool's session id (default: a new uuid)
  --kind KIND      ${originKinds.join(' | ')} (default: agent)`;

/** Runs `record`. */
export async function record(argv: readonly string[], io: Io): Promise<number> {
  const args = parseArgs(argv, ['tool', 'model', 'session', 'kind'], ['help']);
  if (args.flags.has('help')) {
    io.out(recordUsage);
    return 0;
  }
  const tool = args.values.get('tool');
  if (!tool || !tool.trim()) throw new UsageError('--tool is required');
  // Names end up in trailers and notes: one that would break a line is refused, not mangled.
  for (const name of ['tool', 'model'] as const) {
    const v = args.values.get(name);
    const problem = v === undefined ? undefined : labelProblem(v);
    if (problem) throw new InputError(`--${name} ${problem}; nothing recorded`);
  }
  const kind = (args.values.get('kind') ?? 'agent') as OriginKind;
  if (!originKinds.includes(kind)) throw new UsageError(`--kind must be one of ${originKinds.join(', ')}`);
  if (args.positionals.length === 0) throw new UsageError('give at least one FILE:START-END');
  let spans;
  try {
    spans = args.positionals.map(parseFileSpan);
  } catch (e) {
    throw new InputError((e as Error).message);
  }
  const repo = await openRepo(io.cwd, io.err);
  const origin = {
    id: uuid(),
    kind,
    tool: canonicalToolName(tool),
    ...(args.values.get('model') ? { model: args.values.get('model')!.trim() } : {}),
    session: args.values.get('session') ?? uuid(),
    time: io.now(),
  };
  // Read every file first, so a bad argument changes nothing at all.
  const byFile = new Map<string, { text: string; marks: Mark[] }>();
  const where = await realWorktree(repo.info);
  for (const span of spans) {
    // The rule every way in shares (src/node/worktreePath.ts): no symlink out, nothing in .git.
    const target = await resolveWorktreePath(where, io.cwd, span.file);
    if (!target.ok) throw new InputError(target.problem);
    const rel = target.rel;
    let entry = byFile.get(rel);
    if (!entry) {
      const text = await readRecordable(target.abs, span.file);
      entry = { text, marks: [] };
      byFile.set(rel, entry);
    }
    try {
      const { start, end } = lineSpanOffsets(new LineIndex(entry.text), span);
      entry.marks.push({ start, end, origin });
    } catch (e) {
      throw new InputError(`${quoteName(span.file)}: ${(e as Error).message}`);
    }
  }
  let droppedTotal = 0;
  await repo.store.update((ledger) => {
    const files = { ...ledger.files };
    for (const [rel, { text, marks }] of byFile) {
      const res = applyMarks(files[rel], text, marks, contentHash, io.now(), 'cli');
      droppedTotal += res.dropped.length;
      files[rel] = res.entry;
    }
    return { ...ledger, files };
  });
  const lines = spans.reduce((n, s) => n + s.endLine - s.startLine + 1, 0);
  io.out(`recorded ${lines} line${lines === 1 ? '' : 's'} in ${byFile.size} file${byFile.size === 1 ? '' : 's'} as ${origin.tool}${origin.model ? ':' + origin.model : ''}`);
  if (droppedTotal > 0) io.err(`note: ${droppedTotal} earlier range(s) no longer matched their files and were dropped`);
  return 0;
}

/** Largest file `record` takes, as the agent hooks do: attribution is for source, not data dumps. */
const maxRecordBytes = 5 * 1024 * 1024;

/** The text of a file to record lines of, or an {@link InputError} saying in one line why not. */
async function readRecordable(abs: string, given: string): Promise<string> {
  const name = quoteName(given);
  const r = await readRegularFile(abs, { maxBytes: maxRecordBytes });
  if (r.kind === 'missing') throw new InputError(`no such file: ${name}`);
  if (r.kind === 'not-regular') {
    const st = await fs.stat(abs).catch(() => undefined);
    throw new InputError(st?.isDirectory() ? `is a directory: ${name}` : `not a regular file: ${name}`);
  }
  if (r.kind === 'too-large') throw new InputError(`${name} is ${(r.size / 1024 / 1024).toFixed(1)} MB, larger than the ${maxRecordBytes / 1024 / 1024} MB record takes; nothing recorded`);
  if (r.kind === 'error') throw new InputError(fsErrorAbout(Object.assign(new Error(r.code), { code: r.code }), given) ?? `cannot read ${name} (${r.code})`);
  // A NUL byte is what git takes for binary, too: there are no lines to attribute.
  if (r.data.includes(0)) throw new InputError(`${name} is a binary file; nothing recorded`);
  return r.data.toString('utf8');
}
