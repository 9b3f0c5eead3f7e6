/**
 * The ledger on disk: `<git-path ai-provenance>/ledger.json`, one per worktree.
 *
 * Writers (the extension, the CLI from git and agent hooks, several at once) take an
 * exclusive lock file, read the current ledger, change only the entries they own, write a
 * temp file and rename it over the ledger. Readers never lock: rename is atomic, so they see
 * the old or the new file, never half of one.
 */
import { promises as fs, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { LedgerData } from '../core/ledger/ledger';
import { emptyLedger, LedgerFormatError, parseLedger, serializeLedger } from '../core/ledger/ledger';
import { tryLock } from './fileLock';

/** A lock older than this is taken to belong to a crashed writer (writes take milliseconds). */
const staleLockMs = 10_000;
/** How long a writer waits for the lock before giving up with an error. */
const lockWaitMs = 5_000;

/** Raised when the ledger lock cannot be taken in time. */
export class LedgerLockError extends Error {
  override readonly name = 'LedgerLockError';
}

/** Reads and writes one worktree's ledger. */
export class LedgerStore {
  /** Path of ledger.json. */
  readonly file: string;
  private readonly lockFile: string;

  /**
   * @param dir the ledger folder (`git rev-parse --git-path ai-provenance`)
   * @param onWarning told when a corrupt ledger is set aside
   */
  constructor(
    readonly dir: string,
    private readonly onWarning: (message: string) => void = () => undefined,
  ) {
    this.file = path.join(dir, 'ledger.json');
    this.lockFile = path.join(dir, 'ledger.lock');
  }

  /** The current ledger; empty when there is none. A corrupt file is kept aside, not lost. */
  async read(): Promise<LedgerData> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return emptyLedger();
      throw e;
    }
    try {
      return parseLedger(text);
    } catch (e) {
      if (!(e instanceof LedgerFormatError)) throw e;
      const aside = `${this.file}.corrupt-${Date.now()}`;
      await fs.rename(this.file, aside).catch(() => undefined);
      this.onWarning(`The AI Provenance ledger was unreadable (${e.message}); it was kept as ${aside} and a new one started.`);
      return emptyLedger();
    }
  }

  /**
   * {@link read}, synchronously when it can be: a git hook has nothing else to do while it
   * waits, and a 200 KB file through node's thread pool takes several round trips. Anything
   * but a missing or valid file goes through {@link read}, which sets a corrupt one aside.
   */
  readNow(): LedgerData | Promise<LedgerData> {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === 'ENOENT' ? emptyLedger() : this.read();
    }
    try {
      return parseLedger(text);
    } catch {
      return this.read();
    }
  }

  /**
   * Changes the ledger under the lock. `change` gets the current ledger and returns the new
   * one, or undefined to leave the file untouched. Returns the ledger as it now stands.
   */
  async update(change: (current: LedgerData) => LedgerData | undefined): Promise<LedgerData> {
    await fs.mkdir(this.dir, { recursive: true });
    const release = await this.lock();
    try {
      const current = await this.read();
      const next = change(current);
      if (!next) return current;
      const tmp = `${this.file}.${process.pid}.${Date.now()}.tmp`;
      await fs.writeFile(tmp, serializeLedger(next), 'utf8');
      await fs.rename(tmp, this.file);
      return next;
    } finally {
      await release();
    }
  }

  private async lock(): Promise<() => Promise<void>> {
    const held = await tryLock(this.lockFile, { waitMs: lockWaitMs, staleMs: staleLockMs });
    if (!held) throw new LedgerLockError(`could not lock ${this.lockFile} within ${lockWaitMs} ms`);
    return () => held.release();
  }
}
