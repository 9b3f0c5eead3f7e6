/**
 * `dist/hook.js`, the program the installed git hooks run: `hook.js hook-git <hook> [args…]`,
 * the same arguments as `git-provenance hook-git`. It starts the hook bundle beside it
 * (`hook-impl.js`, from src/cli/hookMain.ts) from V8's code cache: a commit hook runs once per
 * commit in a fresh node, where compiling the bundle and each function it calls costs several
 * milliseconds that the cache turns into a read. Node 22 keeps such a cache itself
 * (`module.enableCompileCache`); node 20, which we support, does not.
 *
 * The caches sit beside the bundle, one per hook (`hook-impl.js.<hook>.cache`: each holds the
 * functions its hook ran), written whole under a temporary name, then renamed: by a run that
 * finds none or a stale one, and by a run that went through more steps than the one the cache
 * was made from (a commit with AI lines after one without: the functions it needed more are
 * added). The first line names the bundle's content (sha1), node's version, the architecture,
 * the steps and the sha1 of the data; V8 refuses data of another V8 or flags on its own. A
 * folder we cannot write to just means no cache.
 */
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { Script } from 'node:vm';

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

/**
 * Runs the CommonJS file `file` (its top-level code, with its own `require`), compiled with the
 * code cache `cacheFile` when that was made for exactly this file by this node.
 */
export function startWithCodeCache(file: string, cacheFile: string): StartedBundle {
  const source = readFileSync(file, 'utf8');
  const sha1 = (data: string | Buffer): string => createHash('sha1').update(data).digest('hex');
  // What the cache was made for, then the sha1 of the data itself: V8 does not check that
  // in release builds, and damaged data must never reach it.
  const made = `${sha1(source)} ${process.version} ${process.arch} `;
  let cachedData: Buffer | undefined;
  let cachedSteps = 0;
  try {
    const cache = readFileSync(cacheFile);
    const end = cache.indexOf(10);
    const header = cache.subarray(0, end).toString('latin1');
    const data = cache.subarray(end + 1);
    const [steps, dataSha1] = header.slice(made.length).split(' ');
    if (end > 0 && header.startsWith(made) && dataSha1 === sha1(data) && /^\d+$/.test(steps ?? '')) {
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
        writeFileSync(tmp, Buffer.concat([Buffer.from(`${made}${Math.max(steps, cachedSteps)} ${sha1(data)}\n`, 'latin1'), data]));
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

/** The hook bundle's entry, as src/cli/hookMain.ts exports it. */
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
