/**
 * Critical-path benchmarks. Prints JSON lines (see scripts/bench.mjs); never asserted in tests.
 *
 *   policy_match_10k_ms     matching 10,000 repository paths against a policy of 1,000 patterns
 *                           (200 rules: anchored folders, names, extensions, negations, a few
 *                           `**` patterns), the policy compiled beforehand (once per policy, as
 *                           the editor and the CLI do). Baseline: the same 10,000 paths tested
 *                           with String.prototype.includes against each pattern's literal text
 *                           (10,000,000 calls: the cost of the naive substring scan).
 *   policy_worst_case_ms    the worst policy the parser accepts, as far as we can construct it: 100
 *                           patterns of about 1,000 characters (the 100,000-character limit) made
 *                           of what made the old RegExp translation exponential (stacked `**` +
 *                           `/`, `*a` runs, runs of classes, `?` runs that blow up a DFA, brace
 *                           groups), parsed, compiled and matched against 10 paths 100 folders
 *                           deep, cold (a new policy each run, as in a commit hook's process).
 *                           Baseline: the same with 100 plain patterns (`src/module7/**`, `*.pem`).
 *                           Before the automaton, one stacked pattern of eight `**` + `/` against
 *                           one such path did not finish in minutes.
 *   check_1000_commits_ms   `git provenance check` of a 1,000-commit history that carries a note
 *                           per commit, half of them in critical paths. Baseline: `git rev-list`
 *                           plus `git log` (hash and message) over the same range.
 *
 * Run after `npm run build` and the project's tsc: node out/bench/policy.js
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AttributedLine } from '../src/core/commit/changeLines';
import type { Origin } from '../src/core/model';
import { buildRecord, serializeRecord } from '../src/core/commit/notes';
import type { Policy } from '../src/core/policy/policy';
import { matchCritical } from '../src/core/policy/match';
import { parsePolicy } from '../src/core/policy/schema';
import { contentHash } from '../src/node/hash';
import { cli, emit, env, git, round, timeMs, timeMsInterleaved } from './benchUtil';

/** A deterministic pseudo-random sequence (the bench must be the same on every run). */
function lcg(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}

/** 1,000 patterns in 200 rules of five, of the kinds policies use. */
function benchPolicy(): { text: string; patterns: string[] } {
  const rules: Array<{ paths: string[]; reason: string; friction: string }> = [];
  const patterns: string[] = [];
  for (let r = 0; r < 200; r++) {
    const paths = [
      `src/module${r}/**`,
      `services/svc${r}/handlers/*.ts`,
      r % 10 === 0 ? `**/gen${r}/**` : `/config/env${r}.yaml`,
      r % 4 === 0 ? `*.ext${r}` : `secret${r}.key`,
      `!src/module${r}/test/**`,
    ];
    patterns.push(...paths);
    rules.push({ paths, reason: `rule ${r}`, friction: ['warn', 'review', 'block'][r % 3]! });
  }
  return { text: JSON.stringify({ critical: rules }), patterns };
}

/** 10,000 paths: about a third critical. */
function benchPaths(): string[] {
  const rnd = lcg(42);
  const out: string[] = [];
  for (let i = 0; i < 10_000; i++) {
    const m = Math.floor(rnd() * 400);
    const k = Math.floor(rnd() * 8);
    if (k === 0) out.push(`src/module${m}/sub/file${i}.ts`);
    else if (k === 1) out.push(`src/module${m}/test/file${i}.test.ts`);
    else if (k === 2) out.push(`services/svc${m}/handlers/h${i}.ts`);
    else if (k === 3) out.push(`deploy/keys/secret${m}.key`);
    else if (k === 4) out.push(`lib/gen${m}/out${i}.js`);
    else out.push(`packages/p${m}/src/components/c${i}.tsx`);
  }
  return out;
}

function matchBench(): void {
  const { text, patterns } = benchPolicy();
  const parsed = parsePolicy(text);
  if (!parsed.ok) throw new Error(parsed.errors[0]!.message);
  const paths = benchPaths();
  let policy: Policy = parsed.policy;
  let critical = 0;
  // A new policy object per run, so compiling is measured apart from matching.
  const compileMs = timeMs(9, () => {
    policy = { ...parsed.policy };
    matchCritical(policy, 'warm');
  });
  const matchMs = timeMs(9, () => {
    critical = 0;
    for (const p of paths) if (matchCritical(policy, p)) critical++;
  });
  const literals = patterns.map((p) => p.replace(/[*?![\]]/g, '').replace(/^\/+|\/+$/g, ''));
  let hits = 0;
  const baseMs = timeMs(9, () => {
    hits = 0;
    for (const p of paths) for (const l of literals) if (p.includes(l)) hits++;
  });
  if (critical < 1000 || critical > 9000 || hits === 0) throw new Error(`unexpected match counts: ${critical} critical, ${hits} hits`);
  emit('policy_match_10k_ms', round(matchMs), 'ms', {
    ratio_to_baseline: round(matchMs / baseMs, 3),
    baseline_ms: round(baseMs),
    baseline: '10,000 paths x 1,000 pattern literals with String.prototype.includes (10M calls)',
    compile_ms: round(compileMs),
    paths: paths.length,
    patterns: patterns.length,
    critical_paths: critical,
  });
}

/** Patterns of about `length` characters that made backtracking exponential, varied by `i`. */
function hostilePattern(i: number, length: number): string {
  const tag = String(i);
  const fill = (unit: string, fixed: number): string => unit.repeat(Math.max(1, Math.floor((length - fixed - tag.length) / unit.length)));
  switch (i % 7) {
    case 0:
      return `${fill('**/', 4)}[x]${tag}`;
    case 1:
      return `**/${fill('*a', 6)}*b${tag}`;
    case 2:
      return `${fill('**/*a*/', 2)}b${tag}`;
    case 3:
      return `${fill('[a-z]*', 2)}!${tag}`;
    case 4:
      return `**/*a${fill('?', 6)}${tag}`;
    case 5:
      return `**/${fill('[!x][a-c][^x]', 4)}${tag}`;
    default:
      return `**/{a,b}/${fill('**/{c,d}*/', 10)}${tag}`;
  }
}

/** 10 paths 100 folders deep, of the letters the hostile patterns are made of. */
function deepPaths(): string[] {
  const rnd = lcg(7);
  return Array.from({ length: 10 }, (_, k) => {
    const segs = Array.from({ length: 100 }, (_, d) => (k % 2 === 0 ? 'a'.repeat(10) : `${'abc'[Math.floor(rnd() * 3)]!.repeat(1 + (d % 9))}${d}`));
    return `${segs.join('/')}/file${k}.ts`;
  });
}

function worstCaseBench(): void {
  const count = 100;
  const hostile = Array.from({ length: count }, (_, i) => hostilePattern(i, 1000));
  const plain = Array.from({ length: count }, (_, i) => [`src/module${i}/**`, `*.pem${i}`, `**/gen${i}/**`, `/config/env${i}.yaml`][i % 4]!);
  const text = (patterns: string[]): string => JSON.stringify({ critical: [{ paths: patterns, reason: 'bench', friction: 'warn' }] });
  const paths = deepPaths();
  const run = (policyText: string): number => {
    const parsed = parsePolicy(policyText);
    if (!parsed.ok) throw new Error(parsed.errors[0]!.message);
    let critical = 0;
    for (const p of paths) if (matchCritical(parsed.policy, p)) critical++;
    return critical;
  };
  const hostileText = text(hostile);
  const plainText = text(plain);
  const [worstMs, plainMs] = timeMsInterleaved(5, () => void run(hostileText), () => void run(plainText));
  emit('policy_worst_case_ms', round(worstMs), 'ms', {
    ratio_to_plain: round(worstMs / plainMs, 1),
    plain_ms: round(plainMs, 3),
    baseline: `${count} plain patterns (src/module7/**, *.pem7, ...) against the same paths`,
    per_path_ms: round(worstMs / paths.length),
    patterns: count,
    pattern_chars: hostile.reduce((n, p) => n + p.length, 0),
    paths: paths.length,
    depth: 100,
    path_chars: paths.reduce((n, p) => n + p.length, 0) / paths.length,
  });
}

function checkBench(): void {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'aip-bench-check-')));
  try {
    git(root, ['init', '-q', '-b', 'main']);
    for (const [k, v] of [['user.name', 'Bench'], ['user.email', 'bench@example.com'], ['commit.gpgsign', 'false'], ['gc.auto', '0']] as const) git(root, ['config', k, v]);
    const commits = 1000;
    const perCommit = 10;
    const aiPerCommit = 6;
    const policy = JSON.stringify({ critical: [{ paths: ['src/payments/**'], reason: 'payments code moves money', friction: 'review' }] });
    const texts = new Map<string, string>();
    const records: Array<{ mark: number; file: string; lines: AttributedLine[]; text: string; id: string }> = [];
    const origin: Origin = { id: 'o', kind: 'agent', tool: 'Claude Code', model: 'claude-sonnet-4-5', session: 'bench', time: 1_700_000_000_000 };
    let stream = `commit refs/heads/main\nmark :1\ncommitter Bench <bench@example.com> 1700000000 +0000\ndata 7\npolicy\nM 100644 inline .ai-provenance.json\ndata ${Buffer.byteLength(policy)}\n${policy}\n`;
    for (let i = 0; i < commits; i++) {
      // Half the commits write into critical files, half elsewhere; 20 files of each.
      const critical = i % 2 === 0;
      const file = critical ? `src/payments/f${i % 20}.ts` : `src/util/u${i % 20}.ts`;
      const before = texts.get(file) ?? '';
      const start = before === '' ? 1 : before.split('\n').length;
      let added = '';
      for (let j = 0; j < perCommit; j++) added += `export const v${i}_${j} = ${i * j}; // commit ${i}\n`;
      const text = before + added;
      texts.set(file, text);
      const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
      const lines: AttributedLine[] = Array.from({ length: aiPerCommit }, (_, j) => ({ line: start + j, kind: 'ai' as const, origin }));
      records.push({ mark: i + 2, file, lines, text, id });
      const message = `commit ${i}\n\n${critical ? 'Reviewed-by: Other Person <other@example.com>\n' : ''}Assisted-by: Claude Code:claude-sonnet-4-5\nAI-Lines: ${aiPerCommit}/${perCommit}\nAI-Provenance: ${id}\n${critical ? `AI-Critical: ${file}\n` : ''}`;
      stream += `commit refs/heads/main\nmark :${i + 2}\ncommitter Bench <bench@example.com> ${1_700_000_001 + i} +0000\ndata ${Buffer.byteLength(message)}\n${message}from :${i + 1}\n`;
      stream += `M 100644 inline ${file}\ndata ${Buffer.byteLength(text)}\n${text}\n`;
    }
    const marksFile = path.join(root, '.git', 'bench-marks');
    git(root, ['fast-import', '--quiet', `--export-marks=${marksFile}`], stream);
    git(root, ['reset', '-q', '--hard', 'main']);
    const shaOf = new Map<number, string>();
    for (const line of fs.readFileSync(marksFile, 'utf8').split('\n')) {
      const m = /^:(\d+) ([0-9a-f]+)$/.exec(line);
      if (m) shaOf.set(Number(m[1]), m[2]!);
    }
    let notes = 'commit refs/notes/ai-provenance\ncommitter Bench <bench@example.com> 1700002000 +0000\ndata 6\nnotes\n';
    for (const r of records) {
      const sha = shaOf.get(r.mark)!;
      const record = buildRecord(
        {
          id: r.id,
          now: 1_700_000_000_000,
          revision: sha,
          toolVersion: 'bench',
          count: { ai: aiPerCommit, mixed: 0, unknown: 0, added: perCommit, tools: [{ tool: 'Claude Code', model: 'claude-sonnet-4-5', lines: aiPerCommit }] },
          files: [{ path: r.file, lines: r.lines, text: r.text.split('\n').slice(0, -1) }],
        },
        contentHash,
      );
      const text = serializeRecord(record);
      notes += `N inline ${sha}\ndata ${Buffer.byteLength(text)}\n${text}\n`;
    }
    git(root, ['fast-import', '--quiet'], notes);
    const range = `${shaOf.get(1)!}..HEAD`;
    const n = 5;
    let out = '';
    const checkMs = timeMs(n, () => {
      const r = spawnSync(process.execPath, [cli, 'check', range, '--format', 'json'], { cwd: root, env, encoding: 'utf8', maxBuffer: 1 << 28 });
      if (r.status !== 0) throw new Error(`check exited ${r.status}: ${r.stderr}${r.stdout.slice(0, 2000)}`);
      out = r.stdout;
    });
    const result = JSON.parse(out) as { commits: number; violations: unknown[] };
    if (result.commits !== commits || result.violations.length !== 0) throw new Error(`unexpected check result: ${result.commits} commits, ${result.violations.length} violations`);
    const gitMs = timeMs(n, () => {
      for (const args of [['rev-list', range], ['log', '--format=%H%x00%B', range]]) {
        const r = spawnSync('git', args, { cwd: root, env, encoding: 'utf8', maxBuffer: 1 << 28 });
        if (r.status !== 0) throw new Error(`git ${args[0]} failed: ${r.stderr}`);
      }
    });
    emit('check_1000_commits_ms', round(checkMs, 1), 'ms', {
      ratio_to_baseline: round(checkMs / gitMs),
      baseline_ms: round(gitMs, 1),
      baseline: 'git rev-list + git log --format=%H%x00%B over the same range',
      commits,
      critical_commits: commits / 2,
      runs: n,
    });
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

matchBench();
worstCaseBench();
checkBench();
