/**
 * Helpers for the git-hook integration tests: git with extra environment (editors, sequence
 * editors), the trailers and note of a commit, and blame as a compact string.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixedEnv, TempRepo } from './tempRepo';

/** The tests' fixed git environment, with an editor that accepts any message as it is. */
const hookEnv = { ...fixedEnv, GIT_EDITOR: 'true' };

/** The outcome of a git run that may fail. */
export interface GitRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs git in `cwd` with extra environment; never throws (check `code`). */
export function gitRun(cwd: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv; input?: string } = {}): GitRun {
  const r = spawnSync('git', args, { cwd, env: { ...process.env, ...hookEnv, ...options.env }, input: options.input ?? '', encoding: 'utf8' });
  return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

/** Runs git and throws with argv and stderr when it fails. */
export function gitOk(cwd: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv; input?: string } = {}): string {
  const r = gitRun(cwd, args, options);
  if (r.code !== 0) throw new Error(`git ${args.join(' ')} failed (${r.code}) in ${cwd}:\n${r.stderr}${r.stdout}`);
  return r.stdout;
}

/** A commit's message. */
export function messageOf(cwd: string, rev = 'HEAD'): string {
  return gitOk(cwd, ['log', '-1', '--format=%B', rev]);
}

/** A commit's trailers as `git interpret-trailers --parse` prints them, one per entry. */
export function trailersOf(cwd: string, rev = 'HEAD'): string[] {
  return gitOk(cwd, ['interpret-trailers', '--parse'], { input: messageOf(cwd, rev) }).split('\n').filter((l) => l.length > 0);
}

/** Our trailers of a commit (Assisted-by, AI-Lines, AI-Provenance). */
export function ourTrailers(cwd: string, rev = 'HEAD'): string[] {
  return trailersOf(cwd, rev).filter((l) => /^(Assisted-by|AI-Lines|AI-Provenance):/.test(l));
}

/** The parsed note of a commit on refs/notes/ai-provenance, or undefined. */
export function noteOf(cwd: string, rev = 'HEAD'): Record<string, unknown> | undefined {
  const r = gitRun(cwd, ['notes', '--ref', 'ai-provenance', 'show', rev]);
  return r.code === 0 ? (JSON.parse(r.stdout) as Record<string, unknown>) : undefined;
}

/** The line spans of a note's file, as [start, end] pairs. */
export function noteRanges(note: Record<string, unknown> | undefined, file: string): Array<[number, number]> {
  const files = (note?.files ?? []) as Array<{ path: string; conversations: Array<{ ranges: Array<{ start_line: number; end_line: number }> }> }>;
  const f = files.find((x) => x.path === file);
  return (f?.conversations ?? []).flatMap((c) => c.ranges.map((r): [number, number] => [r.start_line, r.end_line])).sort((a, b) => a[0] - b[0]);
}

/** One line of `git provenance blame --json`. */
export interface BlameJson {
  line: number;
  kind: string;
  tool: string | null;
  model: string | null;
  commit: string | null;
}

/** `git provenance blame --json` through the built CLI. */
export async function blameJson(repo: TempRepo, file: string, extra: string[] = [], cwd?: string): Promise<BlameJson[]> {
  const r = await repo.cli(['blame', '--json', ...extra, file], cwd ? { cwd } : {});
  if (r.code !== 0) throw new Error(`blame failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as BlameJson[];
}

/** Blame kinds as one letter per line: a(i), m(ixed), u(nknown), n(one). */
export function kinds(lines: readonly BlameJson[]): string {
  return lines.map((l) => l.kind[0]).join('');
}

/** `n` lines `<prefix> 1` … `<prefix> n`, each with its break. */
export function numbered(prefix: string, n: number, from = 1): string {
  return Array.from({ length: n }, (_, i) => `${prefix} ${from + i}\n`).join('');
}

/** A fresh repository whose `.git/hooks` holds none of git's samples: only what a test or `install` puts there. */
export function repoWithoutSampleHooks(): TempRepo {
  const repo = TempRepo.create();
  const hooks = path.join(repo.root, '.git', 'hooks');
  for (const f of fs.readdirSync(hooks)) fs.rmSync(path.join(hooks, f));
  return repo;
}

/** Writes `file` with `lines` lines, records them all as AI (tool T, model m) and stages it. */
export async function stageAiLines(repo: TempRepo, file: string, lines = 1): Promise<void> {
  repo.write(file, Array.from({ length: lines }, (_, i) => `ai ${i}\n`).join(''));
  await repo.record('--tool', 'T', '--model', 'm', `${file}:1-${lines}`);
  gitOk(repo.root, ['add', file]);
}

/** What a commit carries, normalised for comparing two runs (see {@link noteOutcomes}). */
export interface NoteOutcome {
  readonly subject: string;
  readonly trailers: readonly string[];
  readonly note: unknown;
}

const uuidPattern = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/**
 * The subject, our trailers and the note of the commits `revs` (oldest first) of `cwd`,
 * normalised so that two runs of one scenario compare equal: each uuid becomes its order of
 * first appearance across all of them, times are left out, and a note's revision becomes its
 * commit's subject.
 */
export function noteOutcomes(cwd: string, revs: readonly string[]): NoteOutcome[] {
  const ids = new Map<string, string>();
  const id = (u: string): string => {
    const k = u.toLowerCase();
    if (!ids.has(k)) ids.set(k, `<uuid ${ids.size}>`);
    return ids.get(k)!;
  };
  const subjects = new Map(revs.map((r) => [r, gitOk(cwd, ['log', '-1', '--format=%s', r]).trim()]));
  const listed = gitOk(cwd, ['notes', '--ref', 'ai-provenance', 'list']);
  return revs.map((rev) => {
    const trailers = ourTrailers(cwd, rev).map((t) => t.replace(uuidPattern, id));
    const raw = listed.includes(` ${rev}`) ? gitOk(cwd, ['notes', '--ref', 'ai-provenance', 'show', rev]) : '';
    const note = raw
      ? (JSON.parse(raw, (key, value: unknown) => {
          if (key === 'timestamp' || key === 'time') return undefined;
          if (key === 'revision' && typeof value === 'string') return `<${subjects.get(value) ?? 'another commit'}>`;
          return typeof value === 'string' ? value.replace(uuidPattern, id) : value;
        }) as unknown)
      : null;
    return { subject: subjects.get(rev)!, trailers, note };
  });
}
