/**
 * `AIP_TRACE=1`: hooks print when each step ends, in milliseconds since node started, to
 * find where a slow commit spends its time. Off, it costs one comparison.
 */
const on = process.env.AIP_TRACE === '1';

/** Prints `label` with the time since the process started, when tracing is on. */
export function trace(label: string): void {
  if (on) process.stderr.write(`ai-provenance trace ${performance.now().toFixed(1)} ms ${label}\n`);
}
