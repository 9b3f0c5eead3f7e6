/**
 * The Io of a real process (its cwd, stdout, stderr, clock and stdin), shared by the CLI entry
 * (main.ts) and the git hook entry (gitHooks/main.ts).
 */
import type { Io, StdinLimits } from './io';
import { stdinTotalFactor } from './io';

/** The standard streams written to so far through {@link processIo}. */
const used = new Set<NodeJS.WriteStream>();

/**
 * A reader that stops early (`git provenance blame f | head`) closes the pipe: the next write
 * fails with EPIPE. That is the reader's choice, not our failure: end quietly with 0, as
 * git's own commands do, rather than with node's stack trace.
 */
function endQuietlyOnClosedPipe(stream: NodeJS.WriteStream): void {
  if (stream.listenerCount('error') > 0) return;
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
}

/** The process-bound Io. */
export function processIo(): Io {
  return {
    cwd: process.cwd(),
    out: (l) => {
      // On first use only: a hook that prints nothing never even creates process.stdout.
      if (!used.has(process.stdout)) endQuietlyOnClosedPipe(process.stdout);
      used.add(process.stdout);
      process.stdout.write(l + '\n');
    },
    err: (l) => {
      used.add(process.stderr);
      process.stderr.write(l + '\n');
    },
    now: () => Date.now(),
    stdin: (limits: StdinLimits = {}) => readStdin(limits),
  };
}

/**
 * Reads all of stdin within `limits`. A terminal gives no payload (an agent always pipes one),
 * so a hook run by hand does not wait for input.
 */
function readStdin(limits: StdinLimits): Promise<string> {
  return new Promise((resolve) => {
    const input = process.stdin;
    if (input.isTTY) {
      resolve('');
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    let timer: NodeJS.Timeout | undefined;
    let total: NodeJS.Timeout | undefined;
    const finish = (stop: boolean): void => {
      if (done) return;
      done = true;
      if (timer) clearTimeout(timer);
      if (total) clearTimeout(total);
      input.off('data', onData);
      // Stop reading a writer that sends too much or never closes; it gets EPIPE, not a hang.
      if (stop) input.destroy();
      resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const idle = limits.timeoutMs;
    const onData = (c: Buffer): void => {
      chunks.push(c);
      size += c.length;
      if (limits.maxBytes !== undefined && size > limits.maxBytes) finish(true);
      // Data came: the writer is alive, however slowly a loaded machine lets it write.
      else if (timer) timer.refresh();
    };
    if (idle !== undefined) {
      timer = setTimeout(() => finish(true), idle);
      total = setTimeout(() => finish(true), idle * stdinTotalFactor);
    }
    input.on('data', onData);
    input.once('end', () => finish(false));
    input.once('error', () => finish(false));
  });
}

/**
 * Ends the process with `code` now, when nothing written is still queued (writes to a pipe
 * are asynchronous on macOS and Windows), rather than when node has torn everything down:
 * `process.exit` skips freeing the heap, which a git hook would otherwise wait for on every
 * commit. Otherwise sets the exit code and lets node end on its own. Call it when all work is
 * done.
 */
export function exitWhenWritten(code: number): void {
  process.exitCode = code;
  for (const stream of used) if (stream.writableLength > 0) return;
  process.exit(code);
}
