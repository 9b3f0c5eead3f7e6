/**
 * An exclusive lock file shared by processes that do not know each other (the extension, git
 * hooks, agent hooks, background drains): created with O_EXCL, holding the owner's pid and
 * the time. A lock whose owner is gone, or that nobody has touched for `staleMs`, is taken
 * over, so a crashed process never wedges the others.
 */
import { promises as fs, constants as fsConstants } from 'node:fs';

/** A lock that is held. */
export interface HeldLock {
  /** Marks the lock as alive, for owners that hold it longer than `staleMs` in all. */
  touch(): Promise<void>;
  release(): Promise<void>;
}

/** How a lock is taken. */
export interface LockOptions {
  /** How long to wait for another owner to let go; 0: do not wait. */
  readonly waitMs: number;
  /** A lock untouched this long belongs to a process that hung or crashed. */
  readonly staleMs: number;
}

async function isStale(file: string, staleMs: number): Promise<boolean> {
  try {
    const [stat, text] = await Promise.all([fs.stat(file), fs.readFile(file, 'utf8')]);
    if (Date.now() - stat.mtimeMs > staleMs) return true;
    const pid = Number(text.split(' ')[0]);
    if (Number.isInteger(pid) && pid > 0) {
      try {
        process.kill(pid, 0);
      } catch (e) {
        // ESRCH: no such process, so its lock is left over from a crash.
        return (e as NodeJS.ErrnoException).code === 'ESRCH';
      }
    }
    return false;
  } catch {
    return false;
  }
}

/** Takes the lock `file`, or returns undefined when another owner held it for all of `waitMs`. */
export async function tryLock(file: string, options: LockOptions): Promise<HeldLock | undefined> {
  const deadline = Date.now() + options.waitMs;
  let wait = 2;
  for (;;) {
    try {
      const handle = await fs.open(file, fsConstants.O_CREAT | fsConstants.O_EXCL | fsConstants.O_WRONLY);
      await handle.writeFile(`${process.pid} ${Date.now()}\n`);
      await handle.close();
      return {
        touch: async () => {
          const now = new Date();
          await fs.utimes(file, now, now).catch(() => undefined);
        },
        release: async () => {
          await fs.rm(file, { force: true });
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    if (await isStale(file, options.staleMs)) {
      await fs.rm(file, { force: true });
      continue;
    }
    if (Date.now() >= deadline) return undefined;
    await new Promise((r) => setTimeout(r, wait));
    wait = Math.min(wait * 2, 50);
  }
}
