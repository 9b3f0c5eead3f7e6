/**
 * The git hooks' bundle, `dist/hook-impl.js`, started by `dist/hook.js` (src/cli/gitHooks/loader.ts)
 * with `hook-git <hook> [args…]`, the same arguments as `git-provenance hook-git`. Git runs it on
 * every commit, checkout and rebase, so it is its own bundle holding only the git hooks (house
 * style: helper executables as their own bundle): node parses a fraction of the whole CLI.
 */
import { UsageError } from '../args';
import { hookGit, hookGitUsage } from './dispatch';
import type { Io } from '../io';
import { exitWhenWritten, processIo } from '../processIo';
import { stepsTaken, trace } from './trace';

/** Runs the hook entry with `argv` (without node and script) and returns the exit code. */
export async function hookMain(argv: readonly string[], io: Io): Promise<number> {
  trace('hook entry');
  const [cmd, ...rest] = argv;
  if (cmd !== 'hook-git') {
    io.err(`git provenance: this is the git hook entry; it runs "hook-git <hook> [args...]" only (every other command: git provenance ${cmd ?? '--help'})`);
    return 2;
  }
  // As main.ts reports a failing command; hookGit itself turns a failing hook into a warning.
  try {
    return await hookGit(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`git provenance hook-git: ${e.message}\n\n${hookGitUsage}`);
      return 2;
    }
    io.err(`git provenance hook-git: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}

/**
 * Runs the hook this process was started for, calls `beforeExit` with the number of steps it
 * went through (the loader saves its code cache there), and ends the process.
 */
export async function runHookProcess(beforeExit: (steps: number) => void): Promise<void> {
  const code = await hookMain(process.argv.slice(2), processIo());
  trace('hook done');
  beforeExit(stepsTaken());
  exitWhenWritten(code);
}

if (require.main === module) void runHookProcess(() => undefined);
