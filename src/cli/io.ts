/**
 * What a subcommand may touch of the process, passed in so tests can run it in-process.
 */

/** Process-facing services of the CLI. */
export interface Io {
  readonly cwd: string;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly now: () => number;
  readonly stdin: () => Promise<string>;
}
