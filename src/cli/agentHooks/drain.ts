/**
 * `git-provenance hook-drain`: records the agent hook calls the shell front (agent-hook.sh)
 * spooled, oldest first, one drain at a time.
 */
import type { SpoolEntry } from '../../node/agentSpool';
import { lockSpool, pendingEntries, readEntry, removeEntry, sweepLeftovers } from '../../node/agentSpool';
import { findRepo } from './findRepo';
import type { Io } from '../io';
import type { Repo } from '../../node/repo';
import { processCall, Reporter } from './toolCall';

/** How long the Node hook and the commands that read the ledger wait for a running drain. */
export const drainWaitMs = 10_000;

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
