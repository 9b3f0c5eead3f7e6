/**
 * Git hook and blame benchmarks, on temporary repositories built for the purpose. Prints JSON
 * lines (see scripts/bench.mjs); never asserted in tests.
 *
 *   hook_vs_node_ratio   the installed prepare-commit-msg hook on a staged change of 200 files /
 *                        10,000 added lines (half of them AI-recorded), against a hook script
 *                        that runs `node -e 0`, both spawned the same way (as git spawns hooks)
 *   commit_msg_vs_node_ratio, post_checkout_vs_node_ratio
 *                        the commit-msg hook after it (friction, no policy), and post-checkout
 *                        with those 200 files in the ledger, against the same script
 *   blame_vs_git_ratio   `git provenance blame --json` of a 10,000-line file written by 500
 *                        commits that all carry notes, against `git blame` of the same file
 *
 * Run after `npm run build` and the project's tsc: node out/bench/hooks.js
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AttributedLine } from '../src/core/commit/changeLines';
import type { Origin } from '../src/core/model';
import { buildRecord, serializeRecord } from '../src/core/commit/notes';
import { contentHash } from '../src/node/hash';
import { cli, emit, env, git, median, newRepo, round, timeMs, timeMsInterleaved } from './benchUtil';

function hookBench(): void {
  const root = newRepo('hook');
  try {
    const r = spawnSync(process.execPath, [cli, 'install'], { cwd: root, env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`install failed: ${r.stderr}`);
    fs.writeFileSync(path.join(root, 'README'), 'bench\n');
    git(root, ['add', 'README']);
    git(root, ['-c', 'core.hooksPath=/dev/null', 'commit', '-qm', 'base']);
    const files = 200;
    const linesPerFile = 50;
    const spans: string[] = [];
    for (let f = 0; f < files; f++) {
      const dir = path.join(root, 'src', `m${f % 10}`);
      fs.mkdirSync(dir, { recursive: true });
      const text = Array.from({ length: linesPerFile }, (_, i) => `export const v${f}_${i} = compute(${f}, ${i}); // line ${i + 1}\n`).join('');
      fs.writeFileSync(path.join(dir, `f${f}.ts`), text);
      // Half of the lines of every file are AI-written, in two runs.
      spans.push(`src/m${f % 10}/f${f}.ts:1-15`, `src/m${f % 10}/f${f}.ts:31-40`);
    }
    const rec = spawnSync(process.execPath, [cli, 'record', '--tool', 'Claude Code', '--model', 'claude-sonnet-4-5', ...spans], { cwd: root, env, encoding: 'utf8' });
    if (rec.status !== 0) throw new Error(`record failed: ${rec.stderr}`);
    git(root, ['add', '-A']);
    const msg = path.join(root, '.git', 'BENCH_MSG');
    const hook = path.join(root, '.git', 'hooks', 'prepare-commit-msg');
    const baseline = path.join(root, '.git', 'baseline-hook');
    // The same shape of script as our hook, minus its work: sh starting node.
    fs.writeFileSync(baseline, `#!/bin/sh\n${JSON.stringify(process.execPath)} -e 0 </dev/null\nexit 0\n`, { mode: 0o755 });
    let stderr = '';
    const runHook = (file: string): void => {
      fs.writeFileSync(msg, 'bench commit\n');
      const res = spawnSync(file, [msg, 'message'], { cwd: root, env, encoding: 'utf8' });
      if (res.status !== 0) throw new Error(`${file} failed: ${res.stderr}`);
      stderr = res.stderr;
    };
    const n = 31;
    // Alternating, so the VM's bursts of load hit both series alike.
    let out = '';
    const [hookMs, nodeMs] = timeMsInterleaved(
      n,
      () => {
        runHook(hook);
        out = fs.readFileSync(msg, 'utf8');
      },
      () => runHook(baseline),
    );
    if (!/AI-Lines: 5000\/10000/.test(out)) throw new Error(`unexpected trailers:\n${out}\n${stderr}`);
    emit('hook_vs_node_ratio', round(hookMs / nodeMs), 'ratio', { hook_ms: round(hookMs, 1), node_ms: round(nodeMs, 1), files, added_lines: files * linesPerFile, ai_lines: 5000, runs: n, goal: 1.5 });

    // commit-msg after that prepare-commit-msg (which leaves the staged AI lines for it each
    // time), with no policy: what every commit with AI lines pays for friction.
    const commitMsg = path.join(root, '.git', 'hooks', 'commit-msg');
    const samples: number[][] = [[], []];
    for (let i = 0; i <= n; i++) {
      runHook(hook);
      const cm = process.hrtime.bigint();
      const res = spawnSync(commitMsg, [msg], { cwd: root, env, encoding: 'utf8' });
      if (res.status !== 0) throw new Error(`commit-msg failed: ${res.stderr}`);
      const took = Number(process.hrtime.bigint() - cm) / 1e6;
      const b = process.hrtime.bigint();
      runHook(baseline);
      // The first round warms both up.
      if (i > 0) {
        samples[0]!.push(took);
        samples[1]!.push(Number(process.hrtime.bigint() - b) / 1e6);
      }
    }
    const [cmMs, cmNodeMs] = [median(samples[0]!), median(samples[1]!)];
    emit('commit_msg_vs_node_ratio', round(cmMs / cmNodeMs), 'ratio', { hook_ms: round(cmMs, 1), node_ms: round(cmNodeMs, 1), files, ai_lines: 5000, runs: n });

    // post-checkout re-anchoring the 200 ledger entries (nothing moved): every checkout pays it.
    const postCheckout = path.join(root, '.git', 'hooks', 'post-checkout');
    const head = git(root, ['rev-parse', 'HEAD']).trim();
    const [coMs, coNodeMs] = timeMsInterleaved(
      n,
      () => {
        const res = spawnSync(postCheckout, [head, head, '1'], { cwd: root, env, encoding: 'utf8' });
        if (res.status !== 0) throw new Error(`post-checkout failed: ${res.stderr}`);
      },
      () => runHook(baseline),
    );
    emit('post_checkout_vs_node_ratio', round(coMs / coNodeMs), 'ratio', { hook_ms: round(coMs, 1), node_ms: round(coNodeMs, 1), ledger_files: files, runs: n });
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

function blameBench(): void {
  const root = newRepo('blame');
  try {
    const commits = 500;
    const perCommit = 20;
    // Commits built with fast-import: commit i appends 20 lines to f.txt.
    let stream = '';
    let content = '';
    for (let i = 0; i < commits; i++) {
      for (let j = 0; j < perCommit; j++) content += `commit ${i} line ${j} of the benchmark file\n`;
      const message = `commit ${i}\n`;
      stream += `commit refs/heads/main\nmark :${i + 1}\ncommitter Bench <bench@example.com> ${1_700_000_000 + i} +0000\ndata ${Buffer.byteLength(message)}\n${message}`;
      if (i > 0) stream += `from :${i}\n`;
      stream += `M 100644 inline f.txt\ndata ${Buffer.byteLength(content)}\n${content}\n`;
    }
    const marks = path.join(root, '.git', 'bench-marks');
    git(root, ['fast-import', '--quiet', `--export-marks=${marks}`], stream);
    git(root, ['reset', '-q', '--hard', 'main']);
    const shaOf = new Map<number, string>();
    for (const line of fs.readFileSync(marks, 'utf8').split('\n')) {
      const m = /^:(\d+) ([0-9a-f]+)$/.exec(line);
      if (m) shaOf.set(Number(m[1]) - 1, m[2]!);
    }
    // One note per commit: the first 15 of its 20 lines are AI-written.
    const origin: Origin = { id: 'o', kind: 'agent', tool: 'Claude Code', model: 'claude-sonnet-4-5', session: 'bench', time: 1_700_000_000_000 };
    let notes = `commit refs/notes/ai-provenance\ncommitter Bench <bench@example.com> 1700001000 +0000\ndata 6\nnotes\n`;
    const allLines = content.split('\n');
    allLines.pop();
    for (let i = 0; i < commits; i++) {
      const lines: AttributedLine[] = Array.from({ length: 15 }, (_, j) => ({ line: i * perCommit + j + 1, kind: 'ai' as const, origin }));
      const record = buildRecord(
        {
          id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
          now: 1_700_000_000_000,
          revision: shaOf.get(i)!,
          toolVersion: 'bench',
          count: { ai: 15, mixed: 0, unknown: 0, added: perCommit, tools: [] },
          files: [{ path: 'f.txt', lines, text: allLines.slice(0, (i + 1) * perCommit) }],
        },
        contentHash,
      );
      const text = serializeRecord(record);
      notes += `N inline ${shaOf.get(i)!}\ndata ${Buffer.byteLength(text)}\n${text}\n`;
    }
    git(root, ['fast-import', '--quiet'], notes);
    const n = 7;
    let check = '';
    const oursMs = timeMs(n, () => {
      const r = spawnSync(process.execPath, [cli, 'blame', '--json', 'f.txt'], { cwd: root, env, encoding: 'utf8', maxBuffer: 1 << 28 });
      if (r.status !== 0) throw new Error(`blame failed: ${r.stderr}`);
      check = r.stdout;
    });
    const parsed = JSON.parse(check) as Array<{ kind: string }>;
    const ai = parsed.filter((l) => l.kind === 'ai').length;
    if (parsed.length !== commits * perCommit || ai !== commits * 15) throw new Error(`unexpected blame: ${parsed.length} lines, ${ai} ai`);
    const gitMs = timeMs(n, () => {
      const r = spawnSync('git', ['blame', 'f.txt'], { cwd: root, env, encoding: 'utf8', maxBuffer: 1 << 28 });
      if (r.status !== 0) throw new Error(`git blame failed: ${r.stderr}`);
    });
    emit('blame_vs_git_ratio', round(oursMs / gitMs), 'ratio', { blame_ms: round(oursMs, 1), git_blame_ms: round(gitMs, 1), lines: commits * perCommit, commits_with_notes: commits, runs: n, goal: 2 });
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

hookBench();
blameBench();
