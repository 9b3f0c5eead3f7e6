/**
 * `AIP_TRACE=1`: hooks print when each step ends, in milliseconds since node started, to
 * find where a slow commit spends its time. Off, it costs one comparison and a count: the
 * number of steps a hook got through tells the hook entry when a run went further than the one
 * its code cache was made from (src/cli/gitHooks/loader.ts).
 */
import { writeSync } from 'node:fs';

const on = process.env.AIP_TRACE === '1';
let steps = 0;

/** Prints `label` with the time since the process started, when tracing is on. */
export function trace(label: string): void {
  steps++;
  // Written at once to descriptor 2: process.stderr would load node's stream modules (a pipe
  // is a socket), which the hooks otherwise never do, and so distort what is measured.
  if (on) writeSync(2, `ai-provenance trace ${performance.now().toFixed(1)} ms ${label}\n`);
}

/** How many steps (calls of {@link trace}) this process has been through. */
export function stepsTaken(): number {
  return steps;
}
