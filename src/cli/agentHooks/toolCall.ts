/**
 * One agent tool call: its payload parsed, its files resolved inside the repository, and
 * either snapshotted (before the call) or recorded (after it: exactly the lines it wrote).
 * The Node hook runs it at once; a drain runs it for calls the shell front spooled.
 */
import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { v4 as uuid } from 'uuid';
import type { CharChange } from '../../core/lines/lineDiff';
import { applyAgentChanges, choosePreText } from '../../core/agents/agentEdits';
import { lineChanges } from '../../core/lines/lineDiff';
import type { AgentHookEvent, FileTouch } from '../../core/agents/agentPayloads';
import { agentIds, agentToolName, isAgentId, parseAgentPayload } from '../../core/agents/agentPayloads';
import type { Origin } from '../../core/model';
import { showFile } from '../../git/commands';
import { contentHash } from '../../node/hash';
import { runGit } from '../../git/runner';
import { readRegularFile } from '../../node/regularFile';
import { SnapshotStore } from '../../node/snapshots';
import { realWorktree, resolveWorktreePath } from '../../node/worktreePath';
import type { LedgerFile } from '../../core/ledger/ledger';
import { renameLedgerPaths } from '../../core/ledger/ledgerRename';
import { findRepo } from './findRepo';
import { modelFromSettings, modelFromTranscript } from './model';
import type { Repo } from '../../node/repo';

/** Largest payload read; Claude Code's Write payloads carry the whole file twice. */
export const maxPayloadBytes = 5 * 1024 * 1024;
/** Largest file attributed; bigger ones are generated or data, and diffing them costs too much. */
const maxFileBytes = 5 * 1024 * 1024;
/** More files than this in one call is not an edit we can attribute quickly. */
const maxFilesPerCall = 100;
/** hooks.log is rotated once past this size, keeping one old file. */
const maxLogBytes = 1024 * 1024;

/** Collects the (at most one) problem line of a run and writes it at the end. */
export class Reporter {
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
    const oneLine = (s: string): string => s.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ');
    const message = oneLine(this.problems.join('; ')).slice(0, 2000);
    // The agent's name (argv) and the event's (the payload) may hold line breaks too.
    const agent = oneLine(this.agent).slice(0, 100);
    this.err(`git provenance hook ${agent}: ${message}`);
    if (!repo) return;
    const line = `${new Date(now).toISOString()} ${agent} ${oneLine(eventName ?? '-').slice(0, 100)}: ${message}\n`;
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

interface Target {
  readonly abs: string;
  /** Worktree-relative, '/'-separated. */
  readonly rel: string;
}

/** A file's text, `null` when it does not exist, or why it cannot be used. */
async function readText(abs: string): Promise<string | null | { problem: string }> {
  // The payload names the file: a FIFO there must not block the hook (src/node/regularFile.ts).
  const r = await readRegularFile(abs, { maxBytes: maxFileBytes });
  if (r.kind === 'missing') return null;
  if (r.kind === 'not-regular') return { problem: 'is not a regular file' };
  if (r.kind === 'too-large') return { problem: `is larger than ${maxFileBytes / 1024 / 1024} MB` };
  if (r.kind === 'error') return { problem: `cannot be read (${r.code})` };
  if (r.data.includes(0)) return { problem: 'is binary' };
  return r.data.toString('utf8');
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
export interface CallContext {
  readonly cwd: string;
  readonly now: number;
  /** Absolute path as the payload spelled it → a copy taken when the hook ran; null: absent. */
  readonly copies?: ReadonlyMap<string, string | null>;
}

/** A call read and resolved, with what it will write. */
export interface PreparedCall {
  readonly repo?: Repo | undefined;
  readonly eventName?: string | undefined;
  /**
   * Writes what the call did: its snapshots, or its lines into the ledger. It reads nothing
   * a user gave (every such file was read before), only the git dir and git's objects; it
   * throws LedgerLockError when the ledger stays locked.
   */
  readonly apply?: () => Promise<void>;
}

/** Parses one call's payload and snapshots or records its files. */
export async function processCall(agentArg: string | undefined, input: string, repoIn: Repo | undefined, ctx: CallContext, reporter: Reporter): Promise<{ repo?: Repo | undefined; eventName?: string | undefined }> {
  const prepared = await prepareCall(agentArg, input, repoIn, ctx, reporter);
  await prepared.apply?.();
  return { repo: prepared.repo, eventName: prepared.eventName };
}

/** The parsed event of a payload, or a problem already reported. */
function parseCall(agentArg: string | undefined, input: string, reporter: Reporter): AgentHookEvent | undefined {
  if (!isAgentId(agentArg)) {
    reporter.problem(`unknown agent ${JSON.stringify((agentArg ?? '').slice(0, 40))}; expected one of ${agentIds.join(', ')}`);
    return undefined;
  }
  if (Buffer.byteLength(input, 'utf8') > maxPayloadBytes) {
    reporter.problem(`the payload is larger than ${maxPayloadBytes / 1024 / 1024} MB; nothing recorded`);
    return undefined;
  }
  if (input.trim().length === 0) {
    reporter.problem('no payload on stdin; nothing recorded');
    return undefined;
  }
  let payload: unknown;
  try {
    payload = JSON.parse(input);
  } catch (e) {
    reporter.problem(`the payload is not JSON (${e instanceof Error ? e.message.slice(0, 120) : 'parse error'}); nothing recorded`);
    return undefined;
  }
  const result = parseAgentPayload(agentArg, payload);
  if (result.type === 'ignore') return undefined;
  if (result.type === 'error') {
    reporter.problem(`malformed payload: ${result.reason}; nothing recorded`);
    return undefined;
  }
  return result.event;
}

/**
 * Reads everything one call needs that lies outside the git dir (the files it names, its
 * transcript, the agent's settings) and returns the write still to do. A drain runs this part
 * without its lock and within a time limit (src/cli/agentHooks/drain.ts).
 */
export async function prepareCall(agentArg: string | undefined, input: string, repoIn: Repo | undefined, ctx: CallContext, reporter: Reporter): Promise<PreparedCall> {
  let repo = repoIn;
  const event = parseCall(agentArg, input, reporter);
  if (!event) return { repo };
  repo ??= await repoFromPayload(event);
  if (!repo) {
    reporter.problem(`not inside a git repository (${ctx.cwd}); nothing recorded`);
    return { eventName: event.eventName };
  }
  if (event.files.length > maxFilesPerCall) {
    reporter.problem(`the call touches ${event.files.length} files (more than ${maxFilesPerCall}); nothing recorded`);
    return { repo, eventName: event.eventName };
  }
  const apply = event.phase === 'pre' ? await prepareSnapshots(event, repo, ctx, reporter) : await prepareRecord(event, repo, ctx, reporter);
  return { repo, eventName: event.eventName, apply };
}

/**
 * The files a call names, as they are now, for the spool: those the path rule accepts and that
 * are regular files within the size limit (null: absent). Others are left out, and the drain
 * reads and judges them itself. Nothing when the payload cannot be parsed.
 */
export async function callCopies(agentArg: string | undefined, input: string, repo: Repo, cwd: string): Promise<Array<{ path: string; data: Buffer | null }>> {
  const event = parseCall(agentArg, input, new Reporter(() => undefined, '?'));
  if (!event || event.files.length > maxFilesPerCall) return [];
  const where = await realWorktree(repo.info);
  const base = event.cwd !== undefined && path.isAbsolute(event.cwd) ? event.cwd : cwd;
  const out: Array<{ path: string; data: Buffer | null }> = [];
  for (const touch of event.files) {
    const target = await resolveWorktreePath(where, base, touch.path);
    if (!target.ok) continue;
    const r = await readRegularFile(target.abs, { maxBytes: maxFileBytes });
    if (r.kind === 'missing') out.push({ path: touch.path, data: null });
    else if (r.kind === 'ok') out.push({ path: touch.path, data: r.data });
  }
  return out;
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
  const where = await realWorktree(repo.info);
  const base = event.cwd !== undefined && path.isAbsolute(event.cwd) ? event.cwd : ctx.cwd;
  const out: Resolved[] = [];
  for (const touch of event.files) {
    const target = await resolveWorktreePath(where, base, touch.path);
    if (!target.ok) reporter.problem(`${target.problem}; ignored`);
    else out.push({ touch, target });
  }
  return out;
}

async function prepareSnapshots(event: AgentHookEvent, repo: Repo, ctx: CallContext, reporter: Reporter): Promise<() => Promise<void>> {
  const texts: Array<{ rel: string; text: string | null }> = [];
  for (const { touch, target } of await resolveAll(event, repo, ctx, reporter)) {
    const text = await callText(ctx, touch, target.abs);
    if (text !== null && typeof text !== 'string') {
      reporter.problem(`${target.rel} ${text.problem}; not snapshotted`);
      continue;
    }
    texts.push({ rel: target.rel, text });
  }
  return async () => {
    const store = new SnapshotStore(path.join(repo.info.ledgerDir, 'snapshots'));
    for (const t of texts) await store.save(t.rel, event.session ?? 'unknown', event.toolUseId, ctx.now, t.text);
  };
}

interface FileRecord {
  readonly rel: string;
  readonly pre: string;
  readonly post: string;
  readonly changes: readonly CharChange[];
  /** The file did not exist before the call. */
  readonly created: boolean;
  /** Where the call moved the file from (worktree-relative). */
  readonly fromRel: string | undefined;
}

/**
 * The path an entry moves from when a call wrote `post` into a new file: a ledger file gone
 * from the worktree whose entry describes exactly this text (an agent that deleted a file and
 * wrote it anew elsewhere moved it; it wrote none of its lines).
 */
function vanishedTwin(files: Readonly<Record<string, LedgerFile>>, post: string, root: string): string | undefined {
  const basis = contentHash(post);
  return Object.keys(files).find((p) => files[p]!.basis === basis && !existsSync(path.join(root, p)));
}

async function prepareRecord(event: AgentHookEvent, repo: Repo, ctx: CallContext, reporter: Reporter): Promise<() => Promise<void>> {
  const posts: Post[] = [];
  const where = await realWorktree(repo.info);
  const base = event.cwd !== undefined && path.isAbsolute(event.cwd) ? event.cwd : ctx.cwd;
  for (const { touch, target } of await resolveAll(event, repo, ctx, reporter)) {
    const post = await callText(ctx, touch, target.abs);
    if (post === null) continue; // deleted again by the call: no line to record
    if (typeof post !== 'string') {
      reporter.problem(`${target.rel} ${post.problem}; nothing recorded for it`);
      continue;
    }
    const from = touch.movedFrom !== undefined ? await resolveWorktreePath(where, base, touch.movedFrom) : undefined;
    posts.push({ touch, rel: target.rel, post, fromRel: from?.ok ? from.rel : undefined });
  }
  const model = posts.length > 0 ? await resolveModel(event, repo.info.root) : undefined;
  return () => recordPosts(event, repo, ctx, reporter, posts, model);
}

interface Post {
  readonly touch: FileTouch;
  readonly rel: string;
  readonly post: string;
  readonly fromRel: string | undefined;
}

async function recordPosts(event: AgentHookEvent, repo: Repo, ctx: CallContext, reporter: Reporter, posts: readonly Post[], model: string | undefined): Promise<void> {
  const store = new SnapshotStore(path.join(repo.info.ledgerDir, 'snapshots'));
  const session = event.session ?? 'unknown';
  const tool = agentToolName[event.agent];
  const records: FileRecord[] = [];
  for (const { touch, rel, post, fromRel } of posts) {
    const snapshot = await store.take(rel, session, event.toolUseId, ctx.now, post);
    let choice = choosePreText(post, touch, snapshot);
    if (!choice.ok && choice.needHead) choice = choosePreText(post, touch, undefined, await headText(repo.info.root, rel));
    if (!choice.ok) {
      const why = choice.reason === 'ambiguous' ? 'the edited text occurs more than once and no pre-edit snapshot was taken' : choice.reason === 'not-found' ? 'the file does not contain what the payload says was written' : 'the payload does not say what changed and no pre-edit snapshot was taken';
      reporter.problem(`${rel}: cannot tell which lines ${tool} wrote (${why}); nothing recorded for it`);
      continue;
    }
    const changes = lineChanges(choice.pre, post);
    if (changes.length > 0 || fromRel !== undefined) records.push({ rel, pre: choice.pre, post, changes, created: choice.pre === '', fromRel });
  }
  if (records.length === 0) return;
  const now = ctx.now;
  const origin: Origin = { id: uuid(), kind: event.kind, tool, ...(model ? { model } : {}), session: event.session ?? 'unknown', time: now };
  await repo.store.update((current) => {
    let ledger = current;
    for (const r of records) {
      if (Object.hasOwn(ledger.files, r.rel)) continue;
      // A file the call moved takes its ranges along (src/core/ledger/ledgerRename.ts).
      const from = r.fromRel ?? (r.created ? vanishedTwin(ledger.files, r.post, repo.info.root) : undefined);
      if (from !== undefined) ledger = renameLedgerPaths(ledger, [{ from, to: r.rel }]) ?? ledger;
    }
    const files = { ...ledger.files };
    for (const r of records) {
      // Moved as it was: the call wrote none of its lines.
      if (r.created && files[r.rel]?.basis === contentHash(r.post)) continue;
      if (r.changes.length === 0) continue;
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
