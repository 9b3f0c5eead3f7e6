/**
 * Git with our hooks against git without them (issue #15): each figure is the median time of
 * an operation in a repository with the hooks installed, divided by the same operation in an
 * identical repository without hooks, the two run alternately in one process so that bursts of
 * load hit both alike. Prints JSON lines (see scripts/bench.mjs); never asserted in tests.
 *
 *   commit_human_vs_git_ratio        a 1-file commit, nothing recorded
 *   commit_ai_vs_git_plus_node_ratio a 1-file commit with AI lines recorded, against a bare
 *                                    `git commit` plus one `node -e 0`
 *   commit_200_files_vs_git_ratio    a commit of 200 changed files, nothing recorded
 *   rebase_200_vs_git_ratio          `git rebase` of 200 commits, 50 of them with AI notes
 *   cherry_pick_100_vs_git_ratio     `git cherry-pick` of a range of 100 commits without notes
 *   cherry_pick_200_notes_vs_git_ratio  `git cherry-pick` of the 200 commits of which 50 have AI notes
 *
 *   checkout_vs_git_ratio            `git checkout` between branches where 500 files differ,
 *                                    nothing recorded
 *   node_starts_*                    node processes the hooks started for one such operation,
 *                                    counted by installing the hooks with a `node` that is a
 *                                    sh wrapper appending a line to a file before it execs node
 *                                    (the hooks run the node path recorded at install)
 *   ledger_bytes_per_range           the ledger file of 10,000 ranges (100 files of 100 ranges,
 *                                    40 origins), as `record`/the editor write it
 *
 * Beside each timed operation runs a third, identical repository whose hooks are all `exit 0`
 * sh scripts under our hook names: what git itself costs for running hooks at all (a fork and
 * exec per hook per commit, which on a slow-to-fork machine outweighs a sequencer's pick). Each
 * figure `X_vs_git_ratio` then has `X_noop_hooks_vs_git_ratio` (that floor: no hook script can
 * do better) and `X_vs_noop_hooks_ratio` (what our scripts and node add above it).
 *
 * AIP_GITOPS_SKIP=commits,rebase (a comma list of commits, rebase, pick, checkout) leaves parts out.
 *
 * Run after `npm run build` and the project's tsc: node out/bench/gitOps.js
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { LedgerData, LedgerFile } from '../src/core/ledger/ledger';
import { serializeLedger, toLedgerFile } from '../src/core/ledger/ledger';
import type { Origin, Segment } from '../src/core/model';
import { gitHookNames } from '../src/git/hooks';
import { contentHash } from '../src/node/hash';
import { cli, emit, env, git, median, newRepo, round } from './benchUtil';

/** Parts left out (AIP_GITOPS_SKIP, see the top of this file). */
const skip = new Set((process.env.AIP_GITOPS_SKIP ?? '').split(',').filter((x) => x.length > 0));

/** Runs a program and throws with its stderr when it fails. */
function run(cwd: string, program: string, args: string[]): void {
  const r = spawnSync(program, args, { cwd, env, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`${program} ${args.join(' ')} failed in ${cwd}: ${r.stderr}`);
}

/** Milliseconds of one call. */
function msOf(f: () => void): number {
  const t0 = process.hrtime.bigint();
  f();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

/** One side of an interleaved measurement: `prepare` runs untimed before each timed `op`. */
interface Side {
  readonly prepare: () => void;
  readonly op: () => void;
}

/** Medians of `n` rounds in which every side runs once, in turn (one warm-up round first). */
function interleaved(n: number, ...sides: Side[]): number[] {
  const samples = sides.map((): number[] => []);
  for (let i = 0; i <= n; i++) {
    sides.forEach((side, k) => {
      side.prepare();
      const t = msOf(side.op);
      if (i > 0) samples[k]!.push(t);
    });
  }
  return samples.map(median);
}

/**
 * Emits the floor and our cost above it for one operation (see the top of this file): the
 * no-op hooks' time against bare git, and ours against the no-op hooks'.
 */
function emitFloor(metric: string, hooked: number, noop: number, bare: number, extra: Record<string, unknown>): void {
  emit(`${metric}_noop_hooks_vs_git_ratio`, round(noop / bare), 'ratio', { noop_hooks_ms: round(noop, 1), git_ms: round(bare, 1), ...extra });
  emit(`${metric}_vs_noop_hooks_ratio`, round(hooked / noop), 'ratio', { hooked_ms: round(hooked, 1), noop_hooks_ms: round(noop, 1), ...extra });
}

/** A `node` that counts its starts: a line in `counter` per start, then the real node. */
function countingNode(dir: string, counter: string): string {
  const file = path.join(dir, 'node');
  fs.writeFileSync(file, `#!/bin/sh\necho "$*" >> '${counter}'\nexec '${process.execPath}' "$@"\n`, { mode: 0o755 });
  return file;
}

/** Installs our hooks in `root`, run by `node`. */
function install(root: string, node: string): void {
  run(root, process.execPath, [cli, 'install', '--node', node]);
}

/** How many node starts `op` caused in `root` (hooks reinstalled with the counting node for it, then back). */
function nodeStarts(root: string, tools: string, op: () => void): number {
  const counter = path.join(tools, 'count');
  fs.rmSync(counter, { force: true });
  install(root, countingNode(tools, counter));
  // install runs the node it is given once, to ask its version: not a hook's start.
  fs.rmSync(counter, { force: true });
  try {
    op();
  } finally {
    install(root, process.execPath);
  }
  return fs.existsSync(counter) ? fs.readFileSync(counter, 'utf8').split('\n').filter((l) => l.length > 0).length : 0;
}

const write = (root: string, rel: string, text: string): void => {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  fs.writeFileSync(path.join(root, rel), text);
};

/** A hooked, a plain and a no-op-hooks repository, the same base commit in each. */
function trio(name: string, files: number): { hooked: string; plain: string; noop: string } {
  const hooked = newRepo(`${name}-hooked`);
  const plain = newRepo(`${name}-plain`);
  const noop = newRepo(`${name}-noop`);
  // No hooks at all on the plain side, whatever the machine's git config says.
  fs.mkdirSync(path.join(plain, '.git', 'no-hooks'));
  git(plain, ['config', 'core.hooksPath', path.join(plain, '.git', 'no-hooks')]);
  // Our hook names, each doing nothing: git's own price for running a hook.
  const noopHooks = path.join(noop, '.git', 'noop-hooks');
  fs.mkdirSync(noopHooks);
  for (const name of gitHookNames) fs.writeFileSync(path.join(noopHooks, name), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  git(noop, ['config', 'core.hooksPath', noopHooks]);
  install(hooked, process.execPath);
  for (const root of [hooked, plain, noop]) {
    for (let f = 0; f < files; f++) write(root, `src/f${f}.ts`, `export const f${f} = ${f};\n`.repeat(20));
    git(root, ['add', '-A']);
    git(root, ['commit', '-qm', 'base']);
  }
  return { hooked, plain, noop };
}

function commits(tools: string): void {
  const { hooked, plain, noop } = trio('commit', 200);
  let k = 0;
  const edit = (root: string, files: number): void => {
    k++;
    for (let f = 0; f < files; f++) fs.appendFileSync(path.join(root, `src/f${f}.ts`), `// edit ${k}\n`);
    git(root, ['add', '-A']);
  };
  const commit = (root: string) => () => run(root, 'git', ['commit', '-qm', `change ${k}`]);
  const n = 25;

  const [human, bare, noopHuman] = interleaved(
    n,
    { prepare: () => edit(hooked, 1), op: commit(hooked) },
    { prepare: () => edit(plain, 1), op: commit(plain) },
    { prepare: () => edit(noop, 1), op: commit(noop) },
  ) as [number, number, number];
  const humanStarts = nodeStarts(hooked, tools, () => {
    edit(hooked, 1);
    commit(hooked)();
  });
  emit('commit_human_vs_git_ratio', round(human / bare), 'ratio', { hooked_ms: round(human, 1), git_ms: round(bare, 1), runs: n, goal: 1.5 });
  emitFloor('commit_human', human, noopHuman, bare, { runs: n });
  emit('node_starts_commit_human', humanStarts, 'count', { goal: 0 });

  // AI lines recorded before each commit (the record is not timed).
  const recordAi = (): void => {
    k++;
    fs.appendFileSync(path.join(hooked, 'src/f0.ts'), `export const ai${k} = ${k};\n`);
    const lines = fs.readFileSync(path.join(hooked, 'src/f0.ts'), 'utf8').split('\n').length - 1;
    run(hooked, process.execPath, [cli, 'record', '--tool', 'Claude Code', '--model', 'claude-sonnet-4-5', `src/f0.ts:${lines}`]);
    git(hooked, ['add', '-A']);
  };
  const [ai, bareNode, noopNode] = interleaved(
    n,
    { prepare: recordAi, op: commit(hooked) },
    {
      prepare: () => edit(plain, 1),
      op: () => {
        commit(plain)();
        run(plain, process.execPath, ['-e', '0']);
      },
    },
    {
      prepare: () => edit(noop, 1),
      op: () => {
        commit(noop)();
        run(noop, process.execPath, ['-e', '0']);
      },
    },
  ) as [number, number, number];
  const aiStarts = nodeStarts(hooked, tools, () => {
    recordAi();
    commit(hooked)();
  });
  const note = spawnSync('git', ['notes', '--ref=ai-provenance', 'show', 'HEAD'], { cwd: hooked, env, encoding: 'utf8' });
  if (note.status !== 0) throw new Error('the AI commit got no note');
  emit('commit_ai_vs_git_plus_node_ratio', round(ai / bareNode), 'ratio', { hooked_ms: round(ai, 1), git_plus_node_ms: round(bareNode, 1), runs: n, goal: 1.3 });
  emitFloor('commit_ai_plus_node', ai, noopNode, bareNode, { runs: n });
  emit('node_starts_commit_ai', aiStarts, 'count', { goal: 1 });

  const m = 11;
  const [many, bareMany, noopMany] = interleaved(
    m,
    { prepare: () => edit(hooked, 200), op: commit(hooked) },
    { prepare: () => edit(plain, 200), op: commit(plain) },
    { prepare: () => edit(noop, 200), op: commit(noop) },
  ) as [number, number, number];
  emit('commit_200_files_vs_git_ratio', round(many / bareMany), 'ratio', { hooked_ms: round(many, 1), git_ms: round(bareMany, 1), files: 200, runs: m, goal: 1.5 });
  emitFloor('commit_200_files', many, noopMany, bareMany, { files: 200, runs: m });
  for (const root of [hooked, plain, noop]) fs.rmSync(root, { recursive: true, force: true });
}

function history(tools: string): void {
  const { hooked, plain, noop } = trio('history', 20);
  // A branch of 200 commits: the first 100 human-only, then 100 of which every other one has
  // AI lines recorded (so 50 get notes through the hooks). The plain repository gets the same
  // changes without hooks.
  for (const root of [hooked, plain, noop]) {
    git(root, ['checkout', '-q', '-b', 'feature']);
    for (let i = 0; i < 200; i++) {
      const rel = `src/c${i % 40}.ts`;
      fs.mkdirSync(path.join(root, 'src'), { recursive: true });
      fs.appendFileSync(path.join(root, rel), `export const c${i} = ${i};\n`);
      if (root === hooked && i >= 100 && i % 2 === 0) {
        const lines = fs.readFileSync(path.join(root, rel), 'utf8').split('\n').length - 1;
        run(root, process.execPath, [cli, 'record', '--tool', 'Claude Code', '--model', 'claude-sonnet-4-5', `${rel}:${lines}`]);
      }
      git(root, ['add', '-A']);
      git(root, ['commit', '-qm', `commit ${i}`]);
    }
    // Main moves on, so the branch has something to be rebased onto.
    git(root, ['checkout', '-q', 'main']);
    write(root, 'src/f0.ts', 'export const moved = true;\n');
    git(root, ['commit', '-qam', 'main moves']);
  }
  const notes = git(hooked, ['notes', '--ref=ai-provenance', 'list']).trim().split('\n').length;
  if (notes !== 50) throw new Error(`expected 50 notes, found ${notes}`);
  const tip = (root: string): string => git(root, ['rev-parse', 'feature']).trim();
  const tips = { [hooked]: tip(hooked), [plain]: tip(plain), [noop]: tip(noop) };
  const side = (prepare: () => void, op: () => void): Side => ({ prepare, op });
  const reset = (root: string, to: string) => () => git(root, ['checkout', '-q', '-B', 'work', to]);
  const rebase = (root: string) => () => run(root, 'git', ['rebase', '-q', 'main']);
  const n = 5;
  if (!skip.has('rebase')) rebaseFigures();
  if (!skip.has('pick')) pickFigures();
  function rebaseFigures(): void {
    const [hr, pr, nr] = interleaved(
      n,
      side(reset(hooked, tips[hooked]!), rebase(hooked)),
      side(reset(plain, tips[plain]!), rebase(plain)),
      side(reset(noop, tips[noop]!), rebase(noop)),
    ) as [number, number, number];
    const rebaseStarts = nodeStarts(hooked, tools, () => {
      reset(hooked, tips[hooked]!)();
      git(hooked, ['reset', '-q', '--hard']);
      fs.rmSync(path.join(tools, 'count'), { force: true });
      rebase(hooked)();
    });
    const rebased = git(hooked, ['rev-list', 'main..work']).trim().split('\n');
    const noted = rebased.filter((c) => spawnSync('git', ['notes', '--ref=ai-provenance', 'list', c], { cwd: hooked, env }).status === 0).length;
    if (noted !== 50) throw new Error(`after the rebase ${noted} of the 200 commits have notes, not 50`);
    emit('rebase_200_vs_git_ratio', round(hr / pr), 'ratio', { hooked_ms: round(hr, 1), git_ms: round(pr, 1), commits: 200, with_notes: 50, runs: n, goal: 1.5 });
    emitFloor('rebase_200', hr, nr, pr, { commits: 200, with_notes: 50, runs: n });
    emit('node_starts_rebase_200', rebaseStarts, 'count', { goal: 3 });
  }
  function pickFigures(): void {

    // The first 100 commits of the branch (none has a note) picked onto main.
    const pick = (root: string) => () => run(root, 'git', ['cherry-pick', 'feature~200..feature~100']);
    const [hc, pc, nc] = interleaved(n, side(reset(hooked, 'main'), pick(hooked)), side(reset(plain, 'main'), pick(plain)), side(reset(noop, 'main'), pick(noop))) as [number, number, number];
    const pickStarts = nodeStarts(hooked, tools, () => {
      reset(hooked, 'main')();
      fs.rmSync(path.join(tools, 'count'), { force: true });
      pick(hooked)();
    });
    emit('cherry_pick_100_vs_git_ratio', round(hc / pc), 'ratio', { hooked_ms: round(hc, 1), git_ms: round(pc, 1), commits: 100, with_notes: 0, node_starts: pickStarts, runs: n, goal: 1.5 });
    emitFloor('cherry_pick_100', hc, nc, pc, { commits: 100, with_notes: 0, runs: n });
    emit('node_starts_cherry_pick_100', pickStarts, 'count', { commits: 100, with_notes: 0, goal: 0 });

    // The whole branch (200 commits, 50 with notes) picked onto main: one node run notes them all.
    const pickNoted = (root: string) => () => run(root, 'git', ['cherry-pick', 'feature~200..feature']);
    const [hn, pn, nn] = interleaved(
      n,
      side(reset(hooked, 'main'), pickNoted(hooked)),
      side(reset(plain, 'main'), pickNoted(plain)),
      side(reset(noop, 'main'), pickNoted(noop)),
    ) as [number, number, number];
    const notedStarts = nodeStarts(hooked, tools, () => {
      reset(hooked, 'main')();
      fs.rmSync(path.join(tools, 'count'), { force: true });
      pickNoted(hooked)();
    });
    const picked = git(hooked, ['rev-list', 'main..work']).trim().split('\n');
    const pickedNotes = picked.filter((c) => spawnSync('git', ['notes', '--ref=ai-provenance', 'list', c], { cwd: hooked, env }).status === 0).length;
    if (pickedNotes !== 50) throw new Error(`after the cherry-pick ${pickedNotes} of the 200 commits have notes, not 50`);
    emit('cherry_pick_200_notes_vs_git_ratio', round(hn / pn), 'ratio', { hooked_ms: round(hn, 1), git_ms: round(pn, 1), commits: 200, with_notes: 50, node_starts: notedStarts, runs: n, goal: 1.5 });
    emitFloor('cherry_pick_200_notes', hn, nn, pn, { commits: 200, with_notes: 50, runs: n });
    emit('node_starts_cherry_pick_200_notes', notedStarts, 'count', { commits: 200, with_notes: 50, goal: 3 });
  }
  for (const root of [hooked, plain, noop]) fs.rmSync(root, { recursive: true, force: true });
}

function checkout(tools: string): void {
  const { hooked, plain, noop } = trio('checkout', 500);
  for (const root of [hooked, plain, noop]) {
    git(root, ['checkout', '-q', '-b', 'other']);
    for (let f = 0; f < 500; f++) fs.appendFileSync(path.join(root, `src/f${f}.ts`), 'export const other = 1;\n');
    git(root, ['commit', '-qam', 'other']);
  }
  let at = 'other';
  const flip = (root: string) => () => run(root, 'git', ['checkout', '-q', at === 'main' ? 'other' : 'main']);
  const n = 15;
  const sa: number[] = [];
  const sb: number[] = [];
  const sc: number[] = [];
  for (let i = 0; i <= n; i++) {
    const a = msOf(flip(hooked));
    const b = msOf(flip(plain));
    const c = msOf(flip(noop));
    at = at === 'main' ? 'other' : 'main';
    if (i > 0) {
      sa.push(a);
      sb.push(b);
      sc.push(c);
    }
  }
  const starts = nodeStarts(hooked, tools, () => run(hooked, 'git', ['checkout', '-q', at === 'main' ? 'other' : 'main']));
  emit('checkout_vs_git_ratio', round(median(sa) / median(sb)), 'ratio', { hooked_ms: round(median(sa), 1), git_ms: round(median(sb), 1), files_differing: 500, node_starts: starts, runs: n, goal: 1.5 });
  emitFloor('checkout', median(sa), median(sc), median(sb), { files_differing: 500, runs: n });
  for (const root of [hooked, plain, noop]) fs.rmSync(root, { recursive: true, force: true });
}

function ledgerSize(): void {
  const origins = Array.from({ length: 40 }, (_, i): Origin => ({ id: `0c5e7b4e-9a1f-4d2b-8c3e-${String(i).padStart(12, '0')}`, kind: i % 3 ? 'agent' : 'inline', tool: i % 3 ? 'Claude Code' : 'GitHub Copilot', model: 'claude-sonnet-4-5', session: `5d1b2c3a-4e5f-4a6b-9c8d-${String(i).padStart(12, '0')}`, time: 1_764_800_000_000 + i * 1000 }));
  const files: Record<string, LedgerFile> = {};
  let ranges = 0;
  for (let f = 0; f < 100; f++) {
    // A 3,000-line file; every 30 lines, a 4-line AI block (100 ranges).
    const lines = Array.from({ length: 3000 }, (_, i) => `    const value${i} = compute(${f}, ${i}); // line ${i + 1} of module ${f}`);
    const text = lines.join('\n') + '\n';
    const segments: Segment[] = [];
    let offset = 0;
    const starts: number[] = [];
    for (const l of lines) {
      starts.push(offset);
      offset += l.length + 1;
    }
    for (let r = 0; r < 100; r++) {
      const first = r * 30 + 5;
      const start = starts[first]! + 4;
      const end = starts[first + 4]!;
      segments.push({ start, end, origin: origins[(f * 7 + r) % origins.length]!, state: r % 9 === 0 ? 'mixed' : 'ai', text: text.slice(start, end) });
    }
    ranges += segments.length;
    files[`src/module${f % 10}/file${f}.ts`] = toLedgerFile(segments, text, contentHash, 1_764_800_000_000 + f, 'extension:0c5e7b4e-9a1f-4d2b-8c3e-0123456789ab');
  }
  const data: LedgerData = { version: 1, files };
  const bytes = Buffer.byteLength(serializeLedger(data));
  const before = Buffer.byteLength(JSON.stringify(data, null, 1) + '\n');
  emit('ledger_bytes_per_range', round(bytes / ranges, 1), 'bytes', { ranges, files: 100, origins: origins.length, bytes, version1_bytes_per_range: round(before / ranges, 1), goal: 100 });
}

const tools = fs.mkdtempSync(path.join(os.tmpdir(), 'aip-bench-tools-'));
try {
  ledgerSize();
  if (!skip.has('commits')) commits(tools);
  if (!skip.has('rebase') || !skip.has('pick')) history(tools);
  if (!skip.has('checkout')) checkout(tools);
} finally {
  fs.rmSync(tools, { recursive: true, force: true });
}
emit('git_ops_load_average', round(os.loadavg()[0]!), 'load', { note: '1-minute load average at the end of the git operation figures' });
