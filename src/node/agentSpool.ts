/**
 * The agent hook spool: `<git-path ai-provenance>/spool/`, where the shell front of the agent
 * hook (src/cli/agentHooks/agent-hook.sh) leaves each call's evidence for a background drain, because an
 * agent waits for its hooks and starting Node.js takes longer than a hook may.
 *
 * One call is `<stamp>-<pid>.json` (the payload as the agent sent it), `<stamp>-<pid>.manifest`
 * (agent, working directory, and the files copied: `path <n> <abs>` or `absent <n> <abs>`) and
 * `<stamp>-<pid>.<n>` (the copies, taken when the hook ran). The `.json` is renamed into place
 * last, so an entry is complete once it is listed. `stamp` is nanoseconds since the epoch:
 * names sort in arrival order. The Node hook spools its calls the same way ({@link spoolCall}).
 *
 * A drain takes `spool.lock` (beside the folder) only to claim entries: it renames each
 * `.json` to `.claim-<its pid>` and lets go, then reads and records them without the lock, so a
 * slow user file (a transcript on a network disk) never stalls other drains or the hooks. A
 * claim whose drain died goes back to `.json`. An entry a drain gave up on (its per-item time
 * limit ran out) goes back too, counted in `<name>.tries`; after {@link maxTries} it is set aside
 * as `<name>.held`: kept, never recorded on its own, listed in hooks.log.
 */
import { promises as fs, readdirSync } from 'node:fs';
import * as path from 'node:path';
import type { HeldLock } from './fileLock';
import { tryLock } from './fileLock';

/** Attempts at an entry that ran out of time before it is set aside (`.held`). */
export const maxTries = 3;

/** One spooled hook call, read back. */
export interface SpoolEntry {
  readonly name: string;
  /** When the hook ran, in ms since the epoch (from the name). */
  readonly time: number;
  readonly agent: string;
  /** The working directory the agent ran the hook in. */
  readonly cwd: string;
  readonly payload: string;
  /** Absolute path as the payload spelled it → the copy taken then, or null: it did not exist. */
  readonly copies: ReadonlyMap<string, string | null>;
}

/** A drain that has not touched its lock for this long has hung or died. */
const staleDrainMs = 30_000;

/** The spool folder of a ledger folder. */
export function spoolDir(ledgerDir: string): string {
  return path.join(ledgerDir, 'spool');
}

function lockFile(ledgerDir: string): string {
  return path.join(ledgerDir, 'spool.lock');
}

const entryName = /^(\d{1,30})-(\d{1,10})\.json$/;
const claimName = /^(\d{1,30}-\d{1,10})\.claim-(\d{1,10})$/;

/** The complete entries waiting in the spool, oldest first. */
export async function pendingEntries(ledgerDir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.readdir(spoolDir(ledgerDir));
  } catch {
    return [];
  }
  const keyed: Array<{ name: string; stamp: bigint; pid: number }> = [];
  for (const n of names) {
    const m = entryName.exec(n);
    if (m) keyed.push({ name: n.slice(0, -'.json'.length), stamp: BigInt(m[1]!), pid: Number(m[2]) });
  }
  keyed.sort((a, b) => (a.stamp < b.stamp ? -1 : a.stamp > b.stamp ? 1 : a.pid - b.pid));
  return keyed.map((k) => k.name);
}

/** Whether a complete entry waits in the spool, or is being recorded; synchronous, for the git hooks' quick look. */
export function hasPendingSync(ledgerDir: string): boolean {
  try {
    return readdirSync(spoolDir(ledgerDir)).some((n) => entryName.test(n) || claimName.test(n));
  } catch {
    return false;
  }
}

/**
 * Reads one entry (claimed by this process when `claimed`); undefined when it is gone or
 * unreadable. Only the spool's own files are read here, never a user's.
 */
export async function readEntry(ledgerDir: string, name: string, claimed = false): Promise<SpoolEntry | undefined> {
  const base = path.join(spoolDir(ledgerDir), name);
  let payload: string;
  let manifest: string;
  try {
    [payload, manifest] = await Promise.all([fs.readFile(claimed ? `${base}.claim-${process.pid}` : `${base}.json`, 'utf8'), fs.readFile(`${base}.manifest`, 'utf8')]);
  } catch {
    return undefined;
  }
  let agent = '';
  let cwd = '';
  const copies = new Map<string, string | null>();
  for (const line of manifest.split('\n')) {
    if (line.startsWith('agent ')) agent = line.slice('agent '.length);
    else if (line.startsWith('cwd ')) cwd = line.slice('cwd '.length);
    else {
      // The shell front names absolute paths; the Node hook may name them as the payload did.
      const m = /^(path|absent) (\d{1,3}) (.+)$/.exec(line);
      if (m) copies.set(m[3]!, m[1] === 'path' ? `${base}.${m[2]!}` : null);
    }
  }
  const stamp = BigInt(name.split('-')[0]!);
  return { name, time: Number(stamp / 1_000_000n), agent, cwd, payload, copies };
}

/** Removes an entry and its copies. */
export async function removeEntry(ledgerDir: string, name: string): Promise<void> {
  const dir = spoolDir(ledgerDir);
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  // The payload first: a half-removed entry is then no longer listed.
  await fs.rm(path.join(dir, `${name}.json`), { force: true });
  await fs.rm(path.join(dir, `${name}.claim-${process.pid}`), { force: true });
  await Promise.all(names.filter((n) => n.startsWith(`${name}.`)).map((n) => fs.rm(path.join(dir, n), { force: true })));
}

/** Leftovers of a front killed half-way (a `.tmp` payload, copies without an entry) older than this go. */
const leftoverMs = 60 * 60_000;

/** Removes what fronts killed half-way left behind; call it holding the drain lock. */
export async function sweepLeftovers(ledgerDir: string, now: number): Promise<void> {
  const dir = spoolDir(ledgerDir);
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  // Entries waiting, claimed or held keep their files.
  const entries = new Set(names.filter((n) => entryName.test(n) || claimName.test(n) || n.endsWith('.held')).map((n) => n.slice(0, n.indexOf('.'))));
  await Promise.all(
    names
      .filter((n) => !entries.has(n.slice(0, n.indexOf('.') < 0 ? n.length : n.indexOf('.'))))
      .map(async (n) => {
        const f = path.join(dir, n);
        const st = await fs.stat(f).catch(() => undefined);
        if (st && now - st.mtimeMs > leftoverMs) await fs.rm(f, { force: true });
      }),
  );
}

/**
 * Takes the drain lock. `waitMs` 0: give up at once when a drain is running (it will see
 * what is spooled now, since it looks again after letting go).
 */
export function lockSpool(ledgerDir: string, waitMs: number): Promise<HeldLock | undefined> {
  return tryLock(lockFile(ledgerDir), { waitMs, staleMs: staleDrainMs });
}

/** One file a spooled call names: its text when the hook ran, or null when it did not exist. */
export interface SpoolCopy {
  /** The path as the payload spelled it. */
  readonly path: string;
  readonly data: Buffer | null;
}

/** What the Node hook spools of one call (the shell front writes the same files itself). */
export interface SpoolCall {
  readonly agent: string;
  readonly cwd: string;
  readonly payload: string;
  readonly copies: readonly SpoolCopy[];
  /** When the hook ran, ms since the epoch: the entry's place in the order. */
  readonly now: number;
}

let lastStamp = 0n;

/**
 * Spools one call, as the shell front does, and returns its entry name; throws when the
 * spool cannot be written (the caller then records the call at once instead).
 */
export async function spoolCall(ledgerDir: string, call: SpoolCall): Promise<string> {
  const dir = spoolDir(ledgerDir);
  await fs.mkdir(dir, { recursive: true });
  // Nanoseconds like the shell front's `date +%s%N`; strictly increasing within this process.
  let stamp = BigInt(Math.floor(call.now)) * 1_000_000n + (process.hrtime.bigint() % 1_000_000n);
  if (stamp <= lastStamp) stamp = lastStamp + 1n;
  lastStamp = stamp;
  const name = `${stamp}-${process.pid}`;
  const base = path.join(dir, name);
  const lines = [`agent ${call.agent}`, `cwd ${call.cwd}`];
  let n = 0;
  for (const c of call.copies) {
    // One line per file in the manifest: a path with a line break is read from disk later.
    if (/[\n\r]/.test(c.path) || n >= 100) continue;
    if (c.data === null) lines.push(`absent ${n} ${c.path}`);
    else {
      await fs.writeFile(`${base}.${n}`, c.data);
      lines.push(`path ${n} ${c.path}`);
    }
    n++;
  }
  await fs.writeFile(`${base}.manifest`, lines.join('\n') + '\n');
  await fs.writeFile(`${base}.tmp`, call.payload);
  // Complete once listed: the payload is renamed into place last.
  await fs.rename(`${base}.tmp`, `${base}.json`);
  return name;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists, as someone else's.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Entries claimed by drains that are still running (other than this process), oldest first. */
export async function liveClaims(ledgerDir: string): Promise<string[]> {
  const names = await fs.readdir(spoolDir(ledgerDir)).catch(() => [] as string[]);
  const out: string[] = [];
  for (const n of names) {
    const m = claimName.exec(n);
    if (m && Number(m[2]) !== process.pid && alive(Number(m[2]))) out.push(m[1]!);
  }
  return out.sort(compareNames);
}

/** Orders entry names by stamp, then pid. */
export function compareNames(a: string, b: string): number {
  const [sa, pa] = a.split('-');
  const x = BigInt(sa!);
  const y = BigInt(b.split('-')[0]!);
  return x < y ? -1 : x > y ? 1 : Number(pa) - Number(b.split('-')[1]);
}

/**
 * Claims entries for this process (call it holding the drain lock); returns those it got.
 * Claims of drains that died first go back to the spool.
 */
export async function claimEntries(ledgerDir: string, names: readonly string[]): Promise<string[]> {
  const dir = spoolDir(ledgerDir);
  for (const n of await fs.readdir(dir).catch(() => [] as string[])) {
    const m = claimName.exec(n);
    if (m && !alive(Number(m[2]))) await fs.rename(path.join(dir, n), path.join(dir, `${m[1]!}.json`)).catch(() => undefined);
  }
  const got: string[] = [];
  for (const name of names) {
    try {
      await fs.rename(path.join(dir, `${name}.json`), path.join(dir, `${name}.claim-${process.pid}`));
      got.push(name);
    } catch {
      // Gone: recorded by another drain meanwhile.
    }
  }
  return got;
}

/** Gives a claimed entry back to the spool, for a later drain. */
export async function unclaimEntry(ledgerDir: string, name: string): Promise<void> {
  const base = path.join(spoolDir(ledgerDir), name);
  await fs.rename(`${base}.claim-${process.pid}`, `${base}.json`).catch(() => undefined);
}

/**
 * Gives back a claimed entry that ran out of time, counting the attempt; after {@link maxTries}
 * attempts it is set aside as `<name>.held` instead (kept, not tried again). Returns which.
 */
export async function retryLater(ledgerDir: string, name: string): Promise<'retry' | 'held'> {
  const base = path.join(spoolDir(ledgerDir), name);
  const tries = Number((await fs.readFile(`${base}.tries`, 'utf8').catch(() => '0')).trim()) + 1;
  await fs.writeFile(`${base}.tries`, String(tries));
  if (tries >= maxTries) {
    await fs.rename(`${base}.claim-${process.pid}`, `${base}.held`).catch(() => undefined);
    return 'held';
  }
  await unclaimEntry(ledgerDir, name);
  return 'retry';
}

/** Whether an entry still waits in the spool, unclaimed. */
export async function isWaiting(ledgerDir: string, name: string): Promise<boolean> {
  return fs.access(path.join(spoolDir(ledgerDir), `${name}.json`)).then(
    () => true,
    () => false,
  );
}

/** Puts the entries kept aside (`.held`) back into the spool, their attempts forgotten. */
export async function releaseHeld(ledgerDir: string): Promise<void> {
  const dir = spoolDir(ledgerDir);
  for (const n of await fs.readdir(dir).catch(() => [] as string[])) {
    if (!/^\d{1,30}-\d{1,10}\.held$/.test(n)) continue;
    const name = n.slice(0, -'.held'.length);
    await fs.rm(path.join(dir, `${name}.tries`), { force: true });
    await fs.rename(path.join(dir, n), path.join(dir, `${name}.json`)).catch(() => undefined);
  }
}
