/**
 * The agent hook spool: `<git-path ai-provenance>/spool/`, where the shell front of the agent
 * hook (src/cli/agentHooks/agent-hook.sh) leaves each call's evidence for a background drain, because an
 * agent waits for its hooks and starting Node.js takes longer than a hook may.
 *
 * One call is `<stamp>-<pid>.json` (the payload as the agent sent it), `<stamp>-<pid>.manifest`
 * (agent, working directory, and the files copied: `path <n> <abs>` or `absent <n> <abs>`) and
 * `<stamp>-<pid>.<n>` (the copies, taken when the hook ran). The `.json` is renamed into place
 * last, so an entry is complete once it is listed. `stamp` is nanoseconds since the epoch:
 * names sort in arrival order. `spool.lock` beside the folder lets one drain run at a time.
 */
import { promises as fs, readdirSync } from 'node:fs';
import * as path from 'node:path';
import type { HeldLock } from './fileLock';
import { tryLock } from './fileLock';

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

/** Whether a complete entry waits in the spool; synchronous, for the git hooks' quick look. */
export function hasPendingSync(ledgerDir: string): boolean {
  try {
    return readdirSync(spoolDir(ledgerDir)).some((n) => entryName.test(n));
  } catch {
    return false;
  }
}

/** Reads one entry; undefined when it is gone (another drain took it) or unreadable. */
export async function readEntry(ledgerDir: string, name: string): Promise<SpoolEntry | undefined> {
  const base = path.join(spoolDir(ledgerDir), name);
  let payload: string;
  let manifest: string;
  try {
    [payload, manifest] = await Promise.all([fs.readFile(`${base}.json`, 'utf8'), fs.readFile(`${base}.manifest`, 'utf8')]);
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
      const m = /^(path|absent) (\d{1,3}) (\/.*)$/.exec(line);
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
  await Promise.all(names.filter((n) => n.startsWith(`${name}.`)).map((n) => fs.rm(path.join(dir, n), { force: true })));
}

/** Leftovers of a front killed half-way (a `.tmp` payload, copies without an entry) older than this go. */
const leftoverMs = 60 * 60_000;

/** Removes what fronts killed half-way left behind; call it holding the drain lock. */
export async function sweepLeftovers(ledgerDir: string, now: number): Promise<void> {
  const dir = spoolDir(ledgerDir);
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  const entries = new Set(names.filter((n) => entryName.test(n)).map((n) => n.slice(0, -'.json'.length)));
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
