/**
 * What a subcommand may touch of the process, passed in so tests can run it in-process.
 */

/** Bounds on reading standard input: agent hooks must never hang or swallow a huge payload. */
export interface StdinLimits {
  /** Stop reading past this many bytes; the text returned is then longer than the limit allows. */
  readonly maxBytes?: number;
  /**
   * Give up (returning what arrived) when the writer sends nothing for this long, or has not
   * finished after {@link stdinTotalFactor} times as long: a slow writer on a loaded machine
   * is still read to the end, one that stalls or trickles forever is not.
   */
  readonly timeoutMs?: number;
}

/** How many idle limits (StdinLimits.timeoutMs) a whole read of stdin may take. */
export const stdinTotalFactor = 12;

/** Process-facing services of the CLI. */
export interface Io {
  readonly cwd: string;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly now: () => number;
  readonly stdin: (limits?: StdinLimits) => Promise<string>;
}
