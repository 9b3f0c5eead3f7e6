/**
 * `git provenance hook <agent>`: run by a coding agent around each file-editing tool call,
 * with the agent's hook JSON on stdin. Before the call it snapshots the files the call will
 * touch; after it, it records exactly the lines the call wrote in the ledger.
 *
 * It must never be in the agent's way: it always exits 0 (exit 2 would block the tool call
 * in most agents), prints nothing on stdout except the `{}` Cursor expects, bounds what it
 * reads, ignores paths outside the repository, and writes only inside the git dir. A
 * problem costs one line on stderr and one line in `<git-path ai-provenance>/hooks.log`.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { v4 as uuid } from 'uuid';
import type { CharChange } from '../../core/agents/agentEdits';
import { applyAgentChanges, choosePreText, lineChanges } from '../../core/agents/agentEdits';
import type { AgentHookEvent, FileTouch } from '../../core/agents/agentPayloads';
import { agentIds, agentToolName, isAgentId, maxPathLength, parseAgentPayload } from '../../core/agents/agentPayloads';
import type { Origin } from '../../core/model';
import { showFile } from '../../git/commands';
import { contentHash } from '../../node/hash';
import { runGit } from '../../git/runner';
import type { SpoolEntry } from '../../node/agentSpool';
import { lockSpool, pendingEntries, readEntry, removeEntry, sweepLeftovers } from '../../node/agentSpool';
import { SnapshotStore } from '../../node/snapshots';
import { findRepo } from './findRepo';
import { modelFromSettings, modelFromTranscript } from './model';
import type { Io } from '../io';
import type { Repo } from '../../node/repo';

/** Usage text of `hook`. */
export const hookUsage = `usage: git provenance hook <agent>

Reads the hook JSON that <agent> sends on stdin around a file-editing tool call and records
the lines the call wrote as AI (tool, model, session). Set it up with \`git provenance setup\`.
  agents: ${agentIds.join(', ')}

Always exits 0 so it never blocks the agent; problems go to stderr and to
<git-path ai-provenance>/hooks.log.`;

/** Largest payload read; Claude Code's Write payloads carry the whole file twice. */
export const maxPayloadBytes = 5 * 1024 * 1024;
/** Largest file attributed; bigger ones are generated or data, and diffing them costs too much. */
const maxFileBytes = 5 * 1024 * 1024;
/** An agent that neither writes nor closes stdin this long is not going to. */
const stdinTimeoutMs = 5_000;
/** More files than this in one call is not an edit we can attribute quickly. */
const maxFilesPerCall = 100;
/** hooks.log is rotated once past this size, keeping one old file. */
const maxLogBytes = 1024 * 1024;

/** Collects the (at most one) problem line of a run and writes it at the end. */
class Reporter {
  private problems: string[] = [];

  constructor(
    private readonly err: (line: string) => void,
    private readonly agent: string,
  ) {}

  problem(message: string): void {
    this.problems.push(message);
  }

  get count(): number {
    return this.problems.length;
  }

  /** Writes the problems as one line to stderr and, when the repository is known, to hooks.log. */
  async flush(repo: Repo | undefined, eventName: string | undefined, now: number): Promise<void> {
    if (this.problems.length === 0) return;
    // One line, whatever the payload put into the message.
    // eslint-disable-next-line no-control-regex
    const message = this.problems.join('; ').replace(/[\u0000-\u001f\u007f]+/g, ' ').slice(0, 2000);
    this.err(`git provenance hook ${this.agent}: ${message}`);
    if (!repo) return;
    const line = `${new Date(now).toISOString()} ${this.agent} ${eventName ?? '-'}: ${message}\n`;
    const log = path.join(repo.info.ledgerDir, 'hooks.log');
    try {
      await fs.mkdir(repo.info.ledgerDir, { recursive: true });
      const st = await fs.stat(log).catch(() => undefined);
      if (st && st.size > maxLogBytes) await fs.rename(log, `${log}.1`);
      await fs.appendFile(log, line, 'utf8');
    } catch {
      // The log is a convenience; failing to write it must not fail the hook.
    }
  }
}

function isWithin(dir: string, p: string): boolean {
  const rel = path.relative(dir, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** realpath for a file that may not exist yet: the nearest existing ancestor is resolved. */
async function realpathLoose(abs: string): Promise<string> {
  try {
    return await fs.realpath(abs);
  } catch (e) {
    const parent = path.dirname(abs);
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || parent === abs) throw e;
    return path.join(await realpathLoose(parent), path.basename(abs));
  }
}

interface Target {
  readonly abs: string;
  /** Worktree-relative, '/'-separated. */
  readonly rel: string;
}

/**
 * Resolves a payload path to a file of the repository, following symlinks, or says why not.
 * Paths outside the worktree, inside the git dir, or with NUL bytes are refused.
 */
async function resolveTarget(repo: Repo, realRoot: string, base: string, p: string): Promise<Target | string> {
  if (p.includes('\u0000')) return 'a path contains a NUL byte';
  if (p.length > maxPathLength) return 'a path is too long';
  const abs = path.resolve(base, p);
  let real: string;
  try {
    real = await realpathLoose(abs);
  } catch (e) {
    return `cannot resolve ${JSON.stringify(p.slice(0, 200))} (${(e as NodeJS.ErrnoException).code ?? 'error'})`;
  }
  if (!isWithin(realRoot, real) || real === realRoot) return `${JSON.stringify(p.slice(0, 200))} is outside the repository`;
  if (isWithin(repo.info.gitDir, real)) return `${JSON.stringify(p.slice(0, 200))} is inside the git directory`;
  const rel = path.relative(realRoot, real).split(path.sep).join('/');
  if (rel.split('/').includes('.git')) return `${JSON.stringify(p.slice(0, 200))} is inside a .git folder`;
  return { abs: real, rel };
}

/** A file's text, `null` when it does not exist, or why it cannot be used. */
async function readText(abs: string): Promise<string | null | { problem: string }> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(abs, 'r');
    const st = await handle.stat();
    if (!st.isFile()) return { problem: 'is not a regular file' };
    if (st.size > maxFileBytes) return { problem: `is larger than ${maxFileBytes / 1024 / 1024} MB` };
    const buf = Buffer.alloc(st.size);
    await handle.read(buf, 0, st.size, 0);
    if (buf.includes(0)) return { problem: 'is binary' };
    return buf.toString('utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    return { problem: `cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})` };
  } finally {
    await handle?.close();
  }
}

/** The repository when the hook does not run inside one (Cursor runs user hooks from ~/.cursor). */
async function repoFromPayload(event: AgentHookEvent): Promise<Repo | undefined> {
  const candidates = [event.cwd, ...event.workspaceRoots, ...event.files.map((f) => (path.isAbsolute(f.path) ? path.dirname(f.path) : undefined))];
  for (const c of candidates) {
    if (c === undefined || !path.isAbsolute(c)) continue;
    const st = await fs.stat(c).catch(() => undefined);
    if (!st?.isDirectory()) continue;
    const repo = await findRepo(c);
    if (repo) return repo;
  }
  return undefined;
}

async function headText(root: string, rel: string): Promise<string | null> {
  try {
    return await runGit(root, showFile('HEAD', rel), { timeoutMs: 2_000 });
  } catch {
    return null;
  }
}

async function resolveModel(event: AgentHookEvent, root: string): Promise<string | undefined> {
  if (event.model) return event.model;
  if (event.agent === 'claude-code' && event.transcriptPath) {
    const m = await modelFromTranscript(event.transcriptPath, root);
    if (m) return m;
  }
  return modelFromSettings(event.agent, root);
}

/**
 * Where and when one hook call happened. The shell front (agent-hook.sh) spools calls and a
 * drain records them later: then `now` is when the hook ran and `copies` the files as they
 * were at that moment.
 */
interface CallContext {
  readonly cwd: string;
  readonly now: number;
  /** Absolute path as the payload spelled it → a copy taken when the hook ran; null: absent. */
  readonly copies?: ReadonlyMap<string, string | null>;
}

/** How long the Node hook and the commands that read the ledger wait for a running drain. */
export const drainWaitMs = 10_000;

/** Runs `hook`; always returns 0. */
export async function hook(argv: readonly string[], io: Io): Promise<number> {
  const agentArg = argv[0];
  if (agentArg === '--help' || agentArg === '-h') {
    io.out(hookUsage);
    return 0;
  }
  const reporter = new Reporter(io.err, agentArg ?? '?');
  let repo: Repo | undefined;
  let eventName: string | undefined;
  try {
    // Finding the repository and reading stdin overlap: the hook's latency is the agent's.
    const repoFromCwd = findRepo(io.cwd);
    const input = await io.stdin({ maxBytes: maxPayloadBytes + 1, timeoutMs: stdinTimeoutMs });
    repo = await repoFromCwd;
    if (isAgentId(agentArg) && argv.length > 1) reporter.problem(`ignored extra arguments ${JSON.stringify(argv.slice(1).join(' ').slice(0, 100))}`);
    // Calls the shell front spooled before this one are recorded first: order matters.
    if (repo) await drainSpool(repo, drainWaitMs);
    const done = await processCall(agentArg, input, repo, { cwd: io.cwd, now: io.now() }, reporter);
    repo = done.repo;
    eventName = done.eventName;
  } catch (e) {
    reporter.problem(`internal error: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    await reporter.flush(repo, eventName, io.now());
    // Cursor reads every hook's stdout as JSON; the others want silence.
    if (agentArg === 'cursor') io.out('{}');
  }
  return 0;
}

/** Usage text of `hook-drain`. */
export const hookDrainUsage = `usage: git-provenance hook-drain [--wait]

Records the agent hook calls that the shell front (agent-hook.sh) left in
<git-path ai-provenance>/spool/, in the order they came. Started by that script in the
background; every command that reads the ledger also drains first. Not meant to be typed.
  --wait   when another drain is running, wait for it (up to 10 s) and drain after it`;

/** Runs `hook-drain`: records what is spooled, unless another drain is at it. Always 0. */
export async function hookDrain(argv: readonly string[], io: Io): Promise<number> {
  if (argv[0] === '--help' || argv[0] === '-h') {
    io.out(hookDrainUsage);
    return 0;
  }
  const repo = await findRepo(io.cwd);
  if (repo) await drainSpool(repo, argv.includes('--wait') ? drainWaitMs : 0);
  return 0;
}

/**
 * Records the spooled agent hook calls of `repo`, oldest first, one drain at a time. Waits up
 * to `waitMs` for a running drain (0: leave the work to it). Problems go to hooks.log as the
 * Node hook's do; the agent that caused them is long gone.
 */
export async function drainSpool(repo: Repo, waitMs: number): Promise<void> {
  const ledgerDir = repo.info.ledgerDir;
  const seen = new Set<string>();
  for (;;) {
    // Looked at again after each round: an entry may arrive while the lock is held and its
    // shell front then starts no drain of its own.
    if ((await pendingEntries(ledgerDir)).every((n) => seen.has(n))) return;
    const lock = await lockSpool(ledgerDir, waitMs);
    if (!lock) return;
    try {
      for (const name of await pendingEntries(ledgerDir)) {
        if (seen.has(name)) continue;
        seen.add(name);
        await lock.touch();
        const entry = await readEntry(ledgerDir, name);
        if (entry) await processEntry(repo, entry);
        await removeEntry(ledgerDir, name);
      }
      await sweepLeftovers(ledgerDir, Date.now());
    } finally {
      await lock.release();
    }
  }
}

async function processEntry(repo: Repo, entry: SpoolEntry): Promise<void> {
  const reporter = new Reporter(() => undefined, entry.agent || '?');
  let eventName: string | undefined;
  try {
    ({ eventName } = await processCall(entry.agent, entry.payload, repo, { cwd: entry.cwd, now: entry.time, copies: entry.copies }, reporter));
  } catch (e) {
    reporter.problem(`internal error: ${e instanceof Error ? e.message : String(e)}`);
  }
  await reporter.flush(repo, eventName, entry.time);
}

/** Parses one call's payload and snapshots or records its files. */
async function processCall(agentArg: string | undefined, input: string, repoIn: Repo | undefined, ctx: CallContext, reporter: Reporter): Promise<{ repo?: Repo; eventName?: string }> {
  let repo = repoIn;
  if (!isAgentId(agentArg)) {
    reporter.problem(`unknown agent ${JSON.stringify((agentArg ?? '').slice(0, 40))}; expected one of ${agentIds.join(', ')}`);
    return { repo };
  }
  if (Buffer.byteLength(input, 'utf8') > maxPayloadBytes) {
    reporter.problem(`the payload is larger than ${maxPayloadBytes / 1024 / 1024} MB; nothing recorded`);
    return { repo };
  }
  if (input.trim().length === 0) {
    reporter.problem('no payload on stdin; nothing recorded');
    return { repo };
  }
  let payload: unknown;
  try {
    payload = JSON.parse(input);
  } catch (e) {
    reporter.problem(`the payload is not JSON (${e instanceof Error ? e.message.slice(0, 120) : 'parse error'}); nothing recorded`);
    return { repo };
  }
  const result = parseAgentPayload(agentArg, payload);
  if (result.type === 'ignore') return { repo };
  if (result.type === 'error') {
    reporter.problem(`malformed payload: ${result.reason}; nothing recorded`);
    return { repo };
  }
  const event = result.event;
  repo ??= await repoFromPayload(event);
  if (!repo) {
    reporter.problem(`not inside a git repository (${ctx.cwd}); nothing recorded`);
    return { eventName: event.eventName };
  }
  if (event.files.length > maxFilesPerCall) {
    reporter.problem(`the call touches ${event.files.length} files (more than ${maxFilesPerCall}); nothing recorded`);
    return { repo, eventName: event.eventName };
  }
  if (event.phase === 'pre') await snapshotFiles(event, repo, ctx, reporter);
  else await recordFiles(event, repo, ctx, reporter);
  return { repo, eventName: event.eventName };
}

/** A file's text for this call: the copy the shell front took, else the file now. */
function callText(ctx: CallContext, touch: FileTouch, abs: string): Promise<string | null | { problem: string }> {
  const copy = ctx.copies?.get(touch.path);
  if (copy === null) return Promise.resolve(null);
  return readText(copy ?? abs);
}

interface Resolved {
  readonly touch: FileTouch;
  readonly target: Target;
}

async function resolveAll(event: AgentHookEvent, repo: Repo, ctx: CallContext, reporter: Reporter): Promise<Resolved[]> {
  const realRoot = await fs.realpath(repo.info.root);
  const base = event.cwd !== undefined && path.isAbsolute(event.cwd) ? event.cwd : ctx.cwd;
  const out: Resolved[] = [];
  for (const touch of event.files) {
    const target = await resolveTarget(repo, realRoot, base, touch.path);
    if (typeof target === 'string') reporter.problem(`${target}; ignored`);
    else out.push({ touch, target });
  }
  return out;
}

async function snapshotFiles(event: AgentHookEvent, repo: Repo, ctx: CallContext, reporter: Reporter): Promise<void> {
  const store = new SnapshotStore(path.join(repo.info.ledgerDir, 'snapshots'));
  const session = event.session ?? 'unknown';
  for (const { touch, target } of await resolveAll(event, repo, ctx, reporter)) {
    const text = await callText(ctx, touch, target.abs);
    if (text !== null && typeof text !== 'string') {
      reporter.problem(`${target.rel} ${text.problem}; not snapshotted`);
      continue;
    }
    await store.save(target.rel, session, event.toolUseId, ctx.now, text);
  }
}

interface FileRecord {
  readonly rel: string;
  readonly pre: string;
  readonly post: string;
  readonly changes: readonly CharChange[];
}

async function recordFiles(event: AgentHookEvent, repo: Repo, ctx: CallContext, reporter: Reporter): Promise<void> {
  const store = new SnapshotStore(path.join(repo.info.ledgerDir, 'snapshots'));
  const session = event.session ?? 'unknown';
  const tool = agentToolName[event.agent];
  const records: FileRecord[] = [];
  for (const { touch, target } of await resolveAll(event, repo, ctx, reporter)) {
    const post = await callText(ctx, touch, target.abs);
    if (post === null) continue; // deleted again by the call: no line to record
    if (typeof post !== 'string') {
      reporter.problem(`${target.rel} ${post.problem}; nothing recorded for it`);
      continue;
    }
    const snapshot = await store.take(target.rel, session, event.toolUseId, ctx.now, post);
    let choice = choosePreText(post, touch, snapshot);
    if (!choice.ok && choice.needHead) choice = choosePreText(post, touch, undefined, await headText(repo.info.root, target.rel));
    if (!choice.ok) {
      const why = choice.reason === 'ambiguous' ? 'the edited text occurs more than once and no pre-edit snapshot was taken' : choice.reason === 'not-found' ? 'the file does not contain what the payload says was written' : 'the payload does not say what changed and no pre-edit snapshot was taken';
      reporter.problem(`${target.rel}: cannot tell which lines ${tool} wrote (${why}); nothing recorded for it`);
      continue;
    }
    const changes = lineChanges(choice.pre, post);
    if (changes.length > 0) records.push({ rel: target.rel, pre: choice.pre, post, changes });
  }
  if (records.length === 0) return;
  const now = ctx.now;
  const model = await resolveModel(event, repo.info.root);
  const origin: Origin = { id: uuid(), kind: event.kind, tool, ...(model ? { model } : {}), session: event.session ?? 'unknown', time: now };
  await repo.store.update((ledger) => {
    const files = { ...ledger.files };
    for (const r of records) {
      try {
        const res = applyAgentChanges(files[r.rel], r.pre, r.post, r.changes, origin, contentHash, now, 'cli');
        if (res.entry.ranges.length > 0) files[r.rel] = res.entry;
        else delete files[r.rel];
      } catch (e) {
        reporter.problem(`${r.rel}: ${e instanceof Error ? e.message : String(e)}; nothing recorded for it`);
      }
    }
    return { ...ledger, files };
  });
}

