/**
 * `git provenance stats` benchmark, on a temporary repository built for the purpose. Prints
 * JSON lines (see scripts/bench.mjs); never asserted in tests.
 *
 *   stats_10k_commits_ms   `git provenance stats --json` over 10,000 commits that all carry
 *                          notes (each commit adds a 20-line file, 15 lines AI-written by one
 *                          of four tools), beside `git log --numstat` over the same commits
 *   stats_10k_max_block_ms the longest the event loop was held during the same scan run
 *                          in-process (as the report runs it in the editor's extension host),
 *                          measured by a 5 ms timer; the editor stays responsive when it is small
 *
 * The repository and its notes are written by two `git fast-import` runs, so building it
 * takes seconds. Run after `npm run build` and the project's tsc: node out/bench/stats.js
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AttributedLine } from '../src/core/commit/changeLines';
import type { Origin } from '../src/core/model';
import { buildRecord, serializeRecord } from '../src/core/commit/notes';
import { scanStats } from '../src/node/statsScan';
import { contentHash } from '../src/node/hash';
import { cli, emit, env, git, round, timeMs } from './benchUtil';

const commits = 10_000;
const perCommit = 20;
const aiPerCommit = 15;
const tools: ReadonlyArray<Pick<Origin, 'tool' | 'model' | 'kind'>> = [
  { tool: 'Claude Code', model: 'claude-sonnet-4-5', kind: 'agent' },
  { tool: 'github.copilot', kind: 'inline' },
  { tool: 'Cursor', model: 'gpt-5', kind: 'agent' },
  { tool: 'codex', model: 'gpt-5-codex', kind: 'agent' },
];

/** A repository of `commits` commits, commit i adding src/m<i % 100>/f<i>.ts, each with a note. */
function buildRepo(root: string): void {
  git(root, ['init', '-q', '-b', 'main']);
  for (const [k, v] of [['user.name', 'Bench'], ['user.email', 'bench@example.com'], ['commit.gpgsign', 'false'], ['gc.auto', '0']] as const) git(root, ['config', k, v]);
  const parts: string[] = [];
  const texts: string[][] = [];
  for (let i = 0; i < commits; i++) {
    const lines = Array.from({ length: perCommit }, (_, j) => `export const v${i}_${j} = compute(${i}, ${j});`);
    texts.push(lines);
    const content = lines.map((l) => l + '\n').join('');
    const message = `commit ${i}\n`;
    // One commit every ~50 minutes: the history spans about a year.
    parts.push(`commit refs/heads/main\nmark :${i + 1}\nauthor Dev ${i % 7} <dev${i % 7}@example.com> ${1_700_000_000 + i * 3000} +0000\ncommitter Bench <bench@example.com> ${1_700_000_000 + i * 3000} +0000\ndata ${Buffer.byteLength(message)}\n${message}`);
    parts.push(`M 100644 inline src/m${i % 100}/f${i}.ts\ndata ${Buffer.byteLength(content)}\n${content}\n`);
  }
  const marks = path.join(root, '.git', 'bench-marks');
  git(root, ['fast-import', '--quiet', `--export-marks=${marks}`], parts.join(''));
  git(root, ['reset', '-q', '--hard', 'main']);
  const shaOf = new Map<number, string>();
  for (const line of fs.readFileSync(marks, 'utf8').split('\n')) {
    const m = /^:(\d+) ([0-9a-f]+)$/.exec(line);
    if (m) shaOf.set(Number(m[1]) - 1, m[2]!);
  }
  const notes: string[] = [`commit refs/notes/ai-provenance\ncommitter Bench <bench@example.com> 1800000000 +0000\ndata 6\nnotes\n`];
  for (let i = 0; i < commits; i++) {
    const t = tools[i % tools.length]!;
    const origin: Origin = { id: `o${i}`, kind: t.kind, tool: t.tool, ...(t.model ? { model: t.model } : {}), session: `s${i % 50}`, time: (1_700_000_000 + i * 3000) * 1000 };
    const lines: AttributedLine[] = Array.from({ length: aiPerCommit }, (_, j) => ({ line: j + 1, kind: j < 12 ? 'ai' : 'mixed', origin }));
    const record = buildRecord(
      {
        id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        now: origin.time,
        revision: shaOf.get(i)!,
        toolVersion: 'bench',
        count: { ai: 12, mixed: 3, unknown: 0, added: perCommit, tools: [] },
        files: [{ path: `src/m${i % 100}/f${i}.ts`, lines, text: texts[i]! }],
      },
      contentHash,
    );
    const text = serializeRecord(record);
    notes.push(`N inline ${shaOf.get(i)!}\ndata ${Buffer.byteLength(text)}\n${text}\n`);
  }
  git(root, ['fast-import', '--quiet'], notes.join(''));
}

/** The longest gap between ticks of a 5 ms timer while `run` goes on, in ms (the event loop held). */
async function maxBlockMs(run: () => Promise<unknown>): Promise<{ maxBlock: number; total: number }> {
  let last = performance.now();
  let maxBlock = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    maxBlock = Math.max(maxBlock, now - last - 5);
    last = now;
  }, 5);
  const t0 = performance.now();
  try {
    await run();
  } finally {
    clearInterval(timer);
  }
  const now = performance.now();
  return { maxBlock: Math.max(maxBlock, now - last - 5), total: now - t0 };
}

async function statsBench(): Promise<void> {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'aip-bench-stats-')));
  try {
    const t0 = process.hrtime.bigint();
    buildRepo(root);
    const buildMs = Number(process.hrtime.bigint() - t0) / 1e6;
    const n = 5;
    let out = '';
    const statsMs = timeMs(n, () => {
      const r = spawnSync(process.execPath, [cli, 'stats', '--json', '--by', 'tool'], { cwd: root, env, encoding: 'utf8', maxBuffer: 1 << 28 });
      if (r.status !== 0) throw new Error(`stats failed: ${r.stderr}`);
      out = r.stdout;
    });
    const s = JSON.parse(out) as { total: { added: number; ai: number; mixed: number }; commitsWithNotes: number };
    if (s.total.added !== commits * perCommit || s.total.ai !== commits * 12 || s.total.mixed !== commits * 3 || s.commitsWithNotes !== commits) {
      throw new Error(`unexpected stats: ${JSON.stringify(s)}`);
    }
    const gitMs = timeMs(n, () => {
      const r = spawnSync('git', ['log', '--numstat', '--format=%H %s', 'HEAD'], { cwd: root, env, encoding: 'utf8', maxBuffer: 1 << 28 });
      if (r.status !== 0) throw new Error(`git log failed: ${r.stderr}`);
    });
    emit('stats_10k_commits_ms', round(statsMs, 1), 'ms', {
      ratio_to_git_log_numstat: round(statsMs / gitMs),
      git_log_numstat_ms: round(gitMs, 1),
      commits,
      commits_with_notes: commits,
      added_lines: commits * perCommit,
      runs: n,
      repo_build_ms: round(buildMs, 0),
    });
    await scanStats(root, []);
    const samples: Array<{ maxBlock: number; total: number }> = [];
    for (let i = 0; i < 3; i++) samples.push(await maxBlockMs(() => scanStats(root, [])));
    const mid = samples.sort((a, b) => a.maxBlock - b.maxBlock)[1]!;
    emit('stats_10k_max_block_ms', round(mid.maxBlock, 1), 'ms', { scan_ms: round(mid.total, 1), ratio_to_scan: round(mid.maxBlock / mid.total), commits, runs: 3, goal: 'under 100 ms: no visible freeze' });
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

void statsBench().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
