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
import { drainSpool, drainWaitMs } from './drain';
import { maxPayloadBytes, processCall, Reporter } from './toolCall';

/** Usage text of `hook`. */
export const hookUsage = `usage: git provenance hook <agent>

Reads the hook JSON that <agent> sends on stdin around a file-editing tool call and records
the lines the call wrote as AI (tool, model, session). Set it up with \`git provenance setup\`.
  agents: ${agentIds.join(', ')}

Always exits 0 so it never blocks the agent; problems go to stderr and to
<git-path ai-provenance>/hooks.log.`;

/** An agent that neither writes nor closes stdin this long is not going to. */
const stdinTimeoutMs = 5_000;

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
