/**
 * The hand-off files between git hooks of one commit: `prepare-commit-msg` has just attributed
 * the staged change (for its trailers) and leaves its AI lines per path in the git dir, where
 * `commit-msg` reads them back for commit friction instead of attributing the change again.
 */
import { promises as fs, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { LineRun } from '../core/lines/lines';
import type { AiFile } from '../core/policy/friction';
import { removeFileSync } from './removeFile';

/** The environment a git hook runs with (the process's, or a test's). */
export type HookEnv = Readonly<Record<string, string | undefined>>;

/**
 * What prepare-commit-msg leaves for commit-msg: each file's AI lines as runs `[first, last]`
 * (a commit of thousands of AI lines has a few runs per file; a number per line made this
 * file the largest write of a commit hook).
 */
interface StagedAiLines {
  readonly version: 2;
  /** The git process both hooks run under (our hook script passes its $PPID); a file of another commit is stale. */
  readonly gitPid: string | null;
  readonly files: ReadonlyArray<{ readonly path: string; readonly runs: ReadonlyArray<readonly [number, number]>; readonly unknown?: ReadonlyArray<readonly [number, number]> }>;
}

/** The staged change's lines commit friction judges: AI lines, and lines of unknown origin (unattested). */
export interface StagedLines {
  readonly ai: AiFile[];
  /** Lines the ledger knows of but not who wrote them (changed outside the editor): unattested. */
  readonly unknown: AiFile[];
}

function stagedFile(ledgerDir: string): string {
  return path.join(ledgerDir, 'staged-ai-lines.json');
}

/**
 * Leaves the staged change's AI lines (as written, and edited by hand) for commit-msg. Called
 * by prepare-commit-msg on every commit, with no files when the change has no AI line, so a
 * file from an earlier commit is never read for this one.
 */
export function saveStagedAiLines(ledgerDir: string, env: HookEnv, files: ReadonlyArray<{ readonly path: string; readonly runs: readonly LineRun[] }>): void {
  // Synchronous: prepare-commit-msg waits for it either way, and sync calls skip node's thread pool.
  const out: Array<StagedAiLines['files'][number]> = [];
  const join = (runs: Array<[number, number]>, r: LineRun): void => {
    const last = runs[runs.length - 1];
    if (last && r.startLine === last[1] + 1) last[1] = r.endLine;
    else runs.push([r.startLine, r.endLine]);
  };
  for (const f of files) {
    // AI lines as written and as edited by hand; touching runs of both are one run here.
    const runs: Array<[number, number]> = [];
    const unknown: Array<[number, number]> = [];
    for (const r of f.runs) {
      if (r.kind === 'ai' || r.kind === 'mixed') join(runs, r);
      else if (r.kind === 'unknown') join(unknown, r);
    }
    if (runs.length > 0 || unknown.length > 0) out.push({ path: f.path, runs, ...(unknown.length > 0 ? { unknown } : {}) });
  }
  const file = stagedFile(ledgerDir);
  if (out.length === 0) {
    removeFileSync(file);
    return;
  }
  const data: StagedAiLines = { version: 2, gitPid: env.AIP_GIT_PID ?? null, files: out };
  mkdirSync(ledgerDir, { recursive: true });
  writeFileSync(file, JSON.stringify(data));
}

/** Whether `x` is a run of lines as {@link saveStagedAiLines} writes them (of a size a file can have: a damaged file must not hang the commit). */
function isRun(x: unknown): x is [number, number] {
  if (!Array.isArray(x) || x.length !== 2 || !Number.isSafeInteger(x[0]) || !Number.isSafeInteger(x[1])) return false;
  const [first, last] = x as [number, number];
  return first >= 1 && first <= last && last - first < 10_000_000;
}

/** Reads and removes what prepare-commit-msg left; empty when it left nothing for this commit. */
export async function takeStagedAiLines(ledgerDir: string, env: HookEnv): Promise<StagedLines> {
  const none: StagedLines = { ai: [], unknown: [] };
  const file = stagedFile(ledgerDir);
  let data: Partial<StagedAiLines>;
  try {
    data = JSON.parse(await fs.readFile(file, 'utf8')) as Partial<StagedAiLines>;
  } catch {
    return none;
  }
  await fs.rm(file, { force: true });
  if (data.version !== 2 || !Array.isArray(data.files)) return none;
  if ((data.gitPid ?? null) !== (env.AIP_GIT_PID ?? null)) return none;
  const out: StagedLines = { ai: [], unknown: [] };
  const linesOf = (runs: Array<[number, number]>): number[] => {
    const lines: number[] = [];
    for (const [first, last] of runs) for (let l = first; l <= last; l++) lines.push(l);
    return lines;
  };
  for (const f of data.files as unknown[]) {
    const x = f as { path?: unknown; runs?: unknown; unknown?: unknown } | null;
    if (typeof x?.path !== 'string' || !Array.isArray(x.runs) || !(x.runs as unknown[]).every(isRun)) continue;
    const ai = linesOf(x.runs as Array<[number, number]>);
    if (ai.length > 0) out.ai.push({ path: x.path, lines: ai });
    if (Array.isArray(x.unknown) && (x.unknown as unknown[]).every(isRun)) {
      const unknown = linesOf(x.unknown as Array<[number, number]>);
      if (unknown.length > 0) out.unknown.push({ path: x.path, lines: unknown });
    }
  }
  return out;
}
