/**
 * `git-provenance hook-drain`: records the agent hook calls spooled by the shell front
 * (agent-hook.sh) and by the Node hook, oldest first.
 *
 * Nothing spooled is ever dropped (#16). A drain holds the spool lock only to claim entries
 * (src/node/agentSpool.ts); it reads each call's files, transcript and settings without it,
 * within {@link itemLimitMs}, so a slow or hanging user file delays that one call, not the
 * spool. An entry that runs out of time goes back for a later drain (after a few attempts it
 * is set aside, kept). When the ledger stays locked (a writer holding it for longer than the
 * store waits), the entry and those after it go back to the spool, in order: a later drain,
 * the next hook or the next git provenance command records them.
 */
import type { SpoolEntry } from '../../node/agentSpool';
import { claimEntries, compareNames, liveClaims, lockSpool, pendingEntries, readEntry, releaseHeld, removeEntry, retryLater, sweepLeftovers, unclaimEntry } from '../../node/agentSpool';
import { LedgerLockError } from '../../node/ledgerStore';
import { findRepo } from './findRepo';
import type { Io } from '../io';
import type { Repo } from '../../node/repo';
import { prepareCall, Reporter } from './toolCall';

/** How long the Node hook and the commands that read the ledger wait for a running drain. */
export const drainWaitMs = 10_000;

/**
 * How long one spooled call may take to read what it names (its files when the spool has no
 * copy, its transcript, the agent's settings) before the drain leaves it for later.
 * `AIP_DRAIN_ITEM_LIMIT_MS` sets another limit (a network home directory; tests use 0 to see
 * what happens to a call that runs out of time).
 */
export const itemLimitMs = 5_000;

function itemLimit(env: NodeJS.ProcessEnv): number {
  const v = Number(env.AIP_DRAIN_ITEM_LIMIT_MS);
  return env.AIP_DRAIN_ITEM_LIMIT_MS !== undefined && env.AIP_DRAIN_ITEM_LIMIT_MS !== '' && Number.isSafeInteger(v) && v >= 0 ? v : itemLimitMs;
}

/** Times a background drain retries a call while the ledger stays locked (each wait is the store's own). */
const ledgerRetries = 4;

/** Usage text of `hook-drain`. */
export const hookDrainUsage = `usage: git-provenance hook-drain [--wait] [--retry-held]

Records the agent hook calls that the shell front (agent-hook.sh) or the Node hook left in
<git-path ai-provenance>/spool/, in the order they came. Started by those in the
background; every command that reads the ledger also drains first. Not meant to be typed.
  --wait         when another drain is running, wait for it (up to 10 s) and drain after it
  --retry-held   first put back the calls kept aside after running out of time 3 times`;

/** Runs `hook-drain`: records what is spooled, unless another drain is at it. Always 0. */
export async function hookDrain(argv: readonly string[], io: Io): Promise<number> {
  if (argv[0] === '--help' || argv[0] === '-h') {
    io.out(hookDrainUsage);
    return 0;
  }
  const repo = await findRepo(io.cwd);
  if (!repo) return 0;
  if (argv.includes('--retry-held')) await releaseHeld(repo.info.ledgerDir);
  // In the background nobody waits for it: it may retry a locked ledger for a while.
  await drainSpool(repo, argv.includes('--wait') ? drainWaitMs : 0, { ledgerRetries });
  return 0;
}

/** Options of {@link drainSpool}. */
export interface DrainOptions {
  /** The entry the calling Node hook spooled: its problems go to that hook's reporter. */
  readonly own?: { readonly name: string; readonly reporter: Reporter; eventName?: string | undefined };
  /** Retries of a call while the ledger stays locked; 0: give it back to the spool at once. */
  readonly ledgerRetries?: number;
}

/** What a drain did with the calls it claimed. */
export type DrainEnd = 'done' | 'ledger-locked';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Records the spooled agent hook calls of `repo`, oldest first. Waits up to `waitMs` for other
 * drains (their lock, and the calls they claimed; 0: leave the work to them). Problems go to
 * hooks.log as the Node hook's do; the agent that caused them is long gone.
 */
export async function drainSpool(repo: Repo, waitMs: number, options: DrainOptions = {}): Promise<DrainEnd> {
  const ledgerDir = repo.info.ledgerDir;
  const seen = new Set<string>();
  const deadline = Date.now() + waitMs;
  for (;;) {
    // Looked at again after each round: an entry may arrive meanwhile and its shell front then
    // starts no drain of its own.
    if ((await pendingEntries(ledgerDir)).every((n) => seen.has(n))) {
      // Another drain's calls count as waiting too: a caller that waits wants them recorded.
      if (Date.now() < deadline && (await liveClaims(ledgerDir)).length > 0) {
        await sleep(20);
        continue;
      }
      return 'done';
    }
    const lock = await lockSpool(ledgerDir, Math.max(0, deadline - Date.now()));
    if (!lock) return 'done';
    let claimed: string[];
    try {
      claimed = await claimEntries(
        ledgerDir,
        (await pendingEntries(ledgerDir)).filter((n) => !seen.has(n)),
      );
      await sweepLeftovers(ledgerDir, Date.now());
    } finally {
      await lock.release();
    }
    for (const name of claimed) seen.add(name);
    for (let i = 0; i < claimed.length; i++) {
      if ((await drainOne(repo, claimed[i]!, options)) === 'ledger-locked') {
        // In order: this call and the later ones wait for the next drain.
        for (const rest of claimed.slice(i)) await unclaimEntry(ledgerDir, rest);
        return 'ledger-locked';
      }
    }
  }
}

/** Resolves with `work`, or with undefined once `ms` have passed (at once for 0: no time at all). */
async function within<T>(work: () => Promise<T>, ms: number): Promise<T | undefined> {
  if (ms <= 0) return undefined;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([work(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Records one claimed entry; 'ledger-locked' when it was given back unrecorded. */
async function drainOne(repo: Repo, name: string, options: DrainOptions): Promise<'recorded' | 'later' | 'ledger-locked'> {
  const ledgerDir = repo.info.ledgerDir;
  const entry = await readEntry(ledgerDir, name, true);
  if (!entry) {
    await removeEntry(ledgerDir, name);
    return 'recorded';
  }
  const own = options.own?.name === name ? options.own : undefined;
  const reporter = own?.reporter ?? new Reporter(() => undefined, entry.agent || '?');
  const limit = itemLimit(process.env);
  const prepared = await within(() => prepare(repo, entry, reporter), limit);
  if (!prepared) {
    const next = await retryLater(ledgerDir, name);
    reporter.problem(
      next === 'held'
        ? `reading what the call names took longer than ${limit} ms again; kept aside as spool/${name}.held (git provenance hook-drain --retry-held tries it again)`
        : `reading what the call names took longer than ${limit} ms; left in the spool for a later drain`,
    );
    if (!own) await reporter.flush(repo, undefined, entry.time);
    return 'later';
  }
  if (own) own.eventName = prepared.eventName;
  // Calls claimed earlier by another drain are recorded first (bounded: theirs have a limit too).
  const waitUntil = Date.now() + limit;
  while (Date.now() < waitUntil && (await liveClaims(ledgerDir)).some((n) => compareNames(n, name) < 0)) await sleep(20);
  for (let attempt = 0; ; attempt++) {
    try {
      await prepared.apply?.();
      break;
    } catch (e) {
      if (e instanceof LedgerLockError) {
        if (attempt < (options.ledgerRetries ?? 0)) continue;
        reporter.problem('the ledger stayed locked; the call waits in the spool for the next drain');
        if (!own) await reporter.flush(repo, prepared.eventName, entry.time);
        return 'ledger-locked';
      }
      reporter.problem(`internal error: ${e instanceof Error ? e.message : String(e)}`);
      break;
    }
  }
  if (!own) await reporter.flush(repo, prepared.eventName, entry.time);
  await removeEntry(ledgerDir, name);
  return 'recorded';
}

async function prepare(repo: Repo, entry: SpoolEntry, reporter: Reporter): Promise<{ eventName?: string | undefined; apply?: () => Promise<void> }> {
  try {
    return await prepareCall(entry.agent, entry.payload, repo, { cwd: entry.cwd, now: entry.time, copies: entry.copies }, reporter);
  } catch (e) {
    reporter.problem(`internal error: ${e instanceof Error ? e.message : String(e)}`);
    return {};
  }
}
