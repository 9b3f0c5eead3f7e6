#!/usr/bin/env node
// `npm run bench`: prints one JSON line per figure, {"metric", "value", "unit", ...}, with a
// machine-independent ratio beside each absolute number. Figures are never asserted in tests.
//   edit path   out/bench/edit.js (100,000-line document, 10,000 AI ranges, vs a no-op handler)
//   bundles     dist/extension.js and dist/cli.js sizes, vs their 150 KB budget
//   activation  activate() in a real VS Code (scripts/runVscodeTests.mjs), vs a fixed JSON task
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const quiet = { stdio: ['ignore', 'ignore', 'inherit'] };
const emit = (metric, value, unit, extra = {}) => console.log(JSON.stringify({ metric, value, unit, ...extra }));
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

if (spawnSync(process.execPath, ['esbuild.config.mjs'], quiet).status !== 0) throw new Error('build failed');
if (spawnSync(npx, ['tsc', '-p', 'tsconfig.json', '--outDir', 'out'], quiet).status !== 0) throw new Error('tsc failed');

// 1. Edit path.
const edit = spawnSync(process.execPath, ['out/bench/edit.js'], { encoding: 'utf8' });
if (edit.status !== 0) throw new Error(`edit bench failed: ${edit.stderr}`);
process.stdout.write(edit.stdout);

// 2. Bundle sizes.
const budgetKb = 150;
for (const [name, file] of [['bundle_extension_kb', 'dist/extension.js'], ['bundle_cli_kb', 'dist/cli.js']]) {
  const kb = Math.round((statSync(file).size / 1024) * 10) / 10;
  emit(name, kb, 'KB', { ratio_to_budget: Math.round((kb / budgetKb) * 100) / 100 });
}

// 3. Activation in the real editor (skipped with a reason where no real VS Code can run).
if (process.argv.includes('--no-vscode')) {
  emit('activation_ms', null, 'ms', { skipped: '--no-vscode' });
} else {
  const dir = mkdtempSync(join(tmpdir(), 'aip-bench-'));
  const out = join(dir, 'activation.json');
  const run = spawnSync(process.execPath, ['scripts/runVscodeTests.mjs', '--edit-source', 'on', '--grep', 'activation'], {
    env: { ...process.env, AIP_BENCH_OUT: out },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (run.status === 0 && existsSync(out)) {
    const { activation_ms: ms, baseline_ms: base } = JSON.parse(readFileSync(out, 'utf8'));
    emit('activation_ms', Math.round(ms * 100) / 100, 'ms', { ratio_to_baseline: Math.round((ms / base) * 100) / 100, baseline: 'JSON round trip of 2,000 records in the same host' });
  } else {
    emit('activation_ms', null, 'ms', { skipped: `real VS Code run exited ${run.status}` });
  }
  rmSync(dir, { recursive: true, force: true });
}
