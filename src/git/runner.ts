/**
 * The one place that spawns git. Commands are data (argv + parser), so tests can assert the
 * argv without spawning and parsers are pure functions fed literal git output.
 */
import type * as childProcess from 'node:child_process';

/** A git invocation described as data. */
export interface GitCommand<T> {
  readonly args: readonly string[];
  readonly parse: (stdout: string) => T;
  /** Text written to git's stdin. */
  readonly input?: string;
  /** Exit codes that are not failures (e.g. `git diff --quiet` uses 1). */
  readonly okExitCodes?: readonly number[];
  /**
   * Parses the output as bytes, instead of `parse`: for large outputs of which little is kept
   * (whole blobs read for their last line), where decoding all of it would cost more than git.
   */
  readonly parseBytes?: (stdout: Buffer) => T;
}

/** A git command that failed; prints its argv so a failing call can be replayed. */
export class GitError extends Error {
  override readonly name = 'GitError';
  constructor(
    readonly argv: readonly string[],
    readonly exitCode: number | null,
    readonly stderr: string,
    readonly cwd: string,
  ) {
    super(`git ${argv.join(' ')} failed (exit ${String(exitCode)}) in ${cwd}: ${stderr.trim() || 'no output'}`);
  }
}

/** Options of one run. */
export interface RunOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** Milliseconds before the process is killed; hooks must not hang an editor or an agent. */
  readonly timeoutMs?: number;
  /**
   * Kills the process when aborted (the run then fails): a hook that starts a command before
   * it knows the result is wanted stops it rather than waiting for it to finish.
   */
  readonly signal?: AbortSignal;
}

let loaded: typeof childProcess | undefined;

/**
 * node:child_process, loaded on the first run: loading it costs a git hook a few milliseconds
 * at start-up, and a commit hook whose script ran git for it starts none. `require`, not
 * `import()`: a dynamic import would start node's ES module loader, which costs more.
 */
export function childProcessModule(): typeof childProcess {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy load, see above
  return (loaded ??= require('node:child_process') as typeof childProcess);
}

/** Runs a git command in `cwd` and parses its output. */
export function runGit<T>(cwd: string, cmd: GitCommand<T>, options: RunOptions = {}): Promise<T> {
  const { spawn } = childProcessModule();
  return new Promise<T>((resolve, reject) => {
    // GIT_OPTIONAL_LOCKS=0: our reads must never take index.lock while the user commits.
    const child = spawn('git', cmd.args as string[], {
      cwd,
      env: { ...process.env, GIT_OPTIONAL_LOCKS: '0', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
      windowsHide: true,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timer: NodeJS.Timeout | undefined;
    if (options.timeoutMs) {
      timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    }
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', (e) => {
      if (timer) clearTimeout(timer);
      reject(new GitError(cmd.args, null, e.message, cwd));
    });
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      const stderr = Buffer.concat(err).toString('utf8');
      if (code === 0 || (code !== null && cmd.okExitCodes?.includes(code))) {
        try {
          resolve(cmd.parseBytes ? cmd.parseBytes(Buffer.concat(out)) : cmd.parse(Buffer.concat(out).toString('utf8')));
        } catch (e) {
          reject(e instanceof Error ? e : new Error(String(e)));
        }
      } else {
        reject(new GitError(cmd.args, code, stderr, cwd));
      }
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(cmd.input ?? '');
  });
}
