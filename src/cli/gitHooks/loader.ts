/**
 * `dist/hook.js`, the program the installed git hooks run: `hook.js hook-git <hook> [args…]`,
 * the same arguments as `git-provenance hook-git`. It starts the hook bundle beside it
 * (`hook-impl.js`, from src/cli/gitHooks/main.ts) from V8's code cache: a commit hook runs once per
 * commit in a fresh node, where compiling the bundle and each function it calls costs several
 * milliseconds that the cache turns into a read. Node 22 keeps such a cache itself
 * (`module.enableCompileCache`); node 20, which we support, does not.
 *
 * The caches sit beside the bundle, one per hook (`hook-impl.js.<hook>.cache`: each holds the
 * functions its hook ran), written whole under a temporary name, synced, then renamed: by a run
 * that finds none or a stale one, and by a run that went through more steps than the one the
 * cache was made from (a commit with AI lines after one without: the functions it needed more
 * are added). A folder we cannot write to just means no cache.
 *
 * The first line of a cache says what it was made for, and is checked without node:crypto,
 * whose loading alone costs a commit hook ~3 ms: the bundle's id (the sha1 of its content,
 * which the build writes into its first line, {@link bundleIdLine}; a bundle without it is
 * hashed), its length, node's version and the architecture; then the steps, the data's length
 * and a checksum of every 64th byte of it. V8 checks its own version and flags, and the source's
 * length only, so the id keeps a rebuilt bundle of the same length from another's cache; the
 * length and the sampled checksum refuse data cut short or with blocks zeroed (a crash between
 * writing and syncing), before V8 sees it.
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { Script } from 'node:vm';
import { cryptoModule } from '../../node/hash';

/** What a bundle started by {@link startWithCodeCache} is. */
export interface StartedBundle {
  /** The bundle's `module.exports`. */
  readonly exports: unknown;
  /** Whether it was compiled from the cache. */
  readonly fromCache: boolean;
  /**
   * Writes the cache when it was missing, refused, or made by a run of fewer `steps` (a measure
   * of how much of the bundle a run used); call it once the work is done, so it holds every
   * function compiled meanwhile.
   */
  readonly saveCache: (steps: number) => void;
}

/** What the build writes as the first line of the hook bundle, before the sha1 of the rest (esbuild.config.mjs). */
export const bundleIdLine = '// ai-provenance hook bundle ';

/** The bundle's id: the sha1 its first line names, or, without one, the sha1 of its text. */
function bundleId(source: string): string {
  if (source.startsWith(bundleIdLine)) {
    const id = source.slice(bundleIdLine.length, source.indexOf('\n'));
    if (/^[0-9a-f]{40}$/.test(id)) return id;
  }
  return cryptoModule().createHash('sha1').update(source).digest('hex');
}

/** FNV-1a over every 64th byte of `data` and its length: cheap enough for each start, and it tells data cut short or zeroed by blocks. */
export function sampledChecksum(data: Uint8Array): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < data.length; i += 64) h = Math.imul(h ^ data[i]!, 0x01000193);
  return `${data.length}:${(h >>> 0).toString(16)}`;
}

/**
 * Runs the CommonJS file `file` (its top-level code, with its own `require`), compiled with the
 * code cache `cacheFile` when that was made for exactly this file by this node.
 */
export function startWithCodeCache(file: string, cacheFile: string): StartedBundle {
  const source = readFileSync(file, 'utf8');
  const made = `${bundleId(source)} ${source.length} ${process.version} ${process.arch} `;
  let cachedData: Buffer | undefined;
  let cachedSteps = 0;
  try {
    const cache = readFileSync(cacheFile);
    const end = cache.indexOf(10);
    const header = cache.subarray(0, end).toString('latin1');
    const data = cache.subarray(end + 1);
    const [steps, checksum] = header.slice(made.length).split(' ');
    if (end > 0 && header.startsWith(made) && checksum === sampledChecksum(data) && /^\d+$/.test(steps ?? '')) {
      cachedData = data;
      cachedSteps = Number(steps);
    }
  } catch {
    cachedData = undefined;
  }
  // The wrapper node's own CommonJS loader puts around a module.
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: file, ...(cachedData ? { cachedData } : {}) });
  const run = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: { exports: unknown }, filename: string, dirname: string) => void;
  const mod = { exports: {} as unknown };
  run.call(mod.exports, mod.exports, createRequire(file), mod, file, path.dirname(file));
  const fresh = cachedData !== undefined && !script.cachedDataRejected;
  return {
    exports: mod.exports,
    fromCache: fresh,
    saveCache: (steps: number) => {
      if (fresh && steps <= cachedSteps) return;
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      try {
        // Made after the run: it holds the functions read from the cache and those compiled since.
        const data = script.createCachedData();
        writeWhole(tmp, Buffer.concat([Buffer.from(`${made}${Math.max(steps, cachedSteps)} ${sampledChecksum(data)}\n`, 'latin1'), data]));
        renameSync(tmp, cacheFile);
      } catch {
        // A folder we cannot write to (a system-wide install): hooks run without the cache.
        try {
          rmSync(tmp, { force: true });
        } catch {
          // Nothing was written.
        }
      }
    },
  };
}

/** Writes `data` to a new `file` and syncs it, so that a rename after it never exposes a file whose blocks are not written yet. */
function writeWhole(file: string, data: Buffer): void {
  const fd = openSync(file, 'w');
  try {
    for (let at = 0; at < data.length; ) at += writeSync(fd, data, at);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The hook bundle's entry, as src/cli/gitHooks/main.ts exports it. */
interface HookBundle {
  readonly runHookProcess: (beforeExit: (steps: number) => void) => Promise<void>;
}

if (require.main === module) {
  const bundle = path.join(__dirname, 'hook-impl.js');
  // `hook-git <hook> …`: a cache per hook, so a checkout's hook does not make prepare-commit-msg's.
  const hook = process.argv[3] ?? '';
  let started: StartedBundle | undefined;
  try {
    started = startWithCodeCache(bundle, `${bundle}.${/^[a-z-]{1,40}$/.test(hook) ? hook : 'other'}.cache`);
  } catch (e) {
    // As the hook script does when the CLI is missing: one warning, and git goes on.
    process.stderr.write(`ai-provenance: cannot start ${bundle} (${e instanceof Error ? e.message : String(e)}); hook skipped (run: git provenance install)\n`);
  }
  if (started) void (started.exports as HookBundle).runHookProcess(started.saveCache);
}
