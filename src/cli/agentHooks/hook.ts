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
import { agentIds, isAgentId } from '../../core/agents/agentPayloads';
import { findRepo } from './findRepo';
import type { Io } from '../io';
import type { Repo } from '../../node/repo';
import { spawn } from 'node:child_process';
import { isWaiting, spoolCall } from '../../node/agentSpool';
import { drainSpool, drainWaitMs } from './drain';
import { callCopies, maxPayloadBytes, processCall, Reporter } from './toolCall';

/** Usage text of `hook`. */
export const hookUsage = `usage: git provenance hook <agent>

Reads the hook JSON that <agent> sends on stdin around a file-editing tool call and records
the lines the call wrote as AI (tool, model, session). Set it up with \`git provenance setup\`.
  agents: ${agentIds.join(', ')}

Always exits 0 so it never blocks the agent; problems go to stderr and to
<git-path ai-provenance>/hooks.log.`;

/** An agent that neither writes nor closes stdin this long is not going to. */
const stdinTimeoutMs = 5_000;

/** Spools this call with copies of its files; undefined when the spool cannot be written. */
async function spoolOwn(repo: Repo, agent: string | undefined, input: string, io: Io): Promise<string | undefined> {
  try {
    const copies = await callCopies(agent, input, repo, io.cwd);
    return await spoolCall(repo.info.ledgerDir, { agent: agent ?? '', cwd: io.cwd, payload: input, copies, now: io.now() });
  } catch {
    return undefined;
  }
}

/**
 * Starts a drain that outlives this hook, for a call still waiting in the spool: the agent is
 * not kept waiting, and the call is recorded as soon as the ledger can be written.
 */
function startBackgroundDrain(repo: Repo, io: Io): void {
  const cli = process.argv[1];
  if (!cli) return;
  try {
    const child = spawn(process.execPath, [cli, 'hook-drain', '--wait'], { cwd: repo.info.root, detached: true, stdio: 'ignore' });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // The next hook or git provenance command drains the spool.
    io.err('git provenance hook: could not start a background drain; the call waits in the spool');
  }
}

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
    const own = repo ? await spoolOwn(repo, agentArg, input, io) : undefined;
    if (repo && own) {
      // Spooled first, then recorded in order with what others spooled: however many agents run
      // at once, the call is kept until it is recorded (#16), by this drain or a later one.
      const holder = { name: own, reporter, eventName: undefined as string | undefined };
      const end = await drainSpool(repo, drainWaitMs, { own: holder });
      eventName = holder.eventName;
      if (end === 'ledger-locked' || (await isWaiting(repo.info.ledgerDir, own))) startBackgroundDrain(repo, io);
    } else {
      // No repository here, or no spool: record at once, as the only way left.
      if (repo) await drainSpool(repo, drainWaitMs);
      const done = await processCall(agentArg, input, repo, { cwd: io.cwd, now: io.now() }, reporter);
      repo = done.repo;
      eventName = done.eventName;
    }
  } catch (e) {
    reporter.problem(`internal error: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    await reporter.flush(repo, eventName, io.now());
    // Cursor reads every hook's stdout as JSON; the others want silence.
    if (agentArg === 'cursor') io.out('{}');
  }
  return 0;
}
