/**
 * What the CLI benchmarks share: the built CLI's path, a fixed git identity, temporary
 * repositories, timing and the JSON-lines output of `npm run bench`.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The built CLI (`dist/cli.js`), from the compiled `out/bench/` folder. */
export const cli = path.resolve(__dirname, '..', '..', 'dist', 'cli.js');

/** The environment benchmarks run git and the CLI with: a fixed identity, no system config. */
export const env = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Bench',
  GIT_AUTHOR_EMAIL: 'bench@example.com',
  GIT_COMMITTER_NAME: 'Bench',
  GIT_COMMITTER_EMAIL: 'bench@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
};

/** Runs git and returns its output; throws on failure. */
export function git(cwd: string, args: string[], input?: string): string {
  return execFileSync('git', args, { cwd, env, input, encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** A fresh repository on branch main in the temp folder. */
export function newRepo(name: string): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `aip-bench-${name}-`)));
  git(root, ['init', '-q', '-b', 'main']);
  for (const [k, v] of [['user.name', 'Bench'], ['user.email', 'bench@example.com'], ['commit.gpgsign', 'false'], ['gc.auto', '0']] as const) git(root, ['config', k, v]);
  return root;
}

/** The median of a sample. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Milliseconds of `run` over `n` runs after one warm-up, median. */
export function timeMs(n: number, run: () => void): number {
  run();
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    run();
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return median(samples);
}

/**
 * Medians of `a` and `b` run alternately `n` times each (after one warm-up of each), so a burst
 * of load on a noisy machine hits both sides alike rather than one.
 */
export function timeMsInterleaved(n: number, a: () => void, b: () => void): [number, number] {
  a();
  b();
  const sa: number[] = [];
  const sb: number[] = [];
  const time = (run: () => void, into: number[]): void => {
    const t0 = process.hrtime.bigint();
    run();
    into.push(Number(process.hrtime.bigint() - t0) / 1e6);
  };
  for (let i = 0; i < n; i++) {
    time(a, sa);
    time(b, sb);
  }
  return [median(sa), median(sb)];
}

/** Rounds for printing. */
export const round = (x: number, digits = 2): number => Math.round(x * 10 ** digits) / 10 ** digits;

/** Prints one figure as a JSON line. */
export function emit(metric: string, value: number, unit: string, extra: Record<string, unknown> = {}): void {
  console.log(JSON.stringify({ metric, value, unit, ...extra }));
}
