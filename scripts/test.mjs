#!/usr/bin/env node
// `npm test`: everything a change must pass, in the order that fails fastest.
//   1. build both bundles   2. type-check and compile tests   3. lint (layer fences included)
//   4. unit + integration tests (mocha, real git, the built CLI)
//   5. the extension's tests inside a real VS Code, with the edit-source API on and off
//   6. the packed .vsix installed into a real VS Code as a normal extension
// Prints one closing line "tests: N passed, N failed" and exits non-zero on any failure.
// Options: --no-vscode (skip steps 5 and 6), --grep <pattern> (passed to both mocha runs; skips 6).
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';

const args = process.argv.slice(2);
const skipVscode = args.includes('--no-vscode');
const grepAt = args.indexOf('--grep');
const grep = grepAt >= 0 ? args[grepAt + 1] : undefined;
if (args.includes('--help')) {
  console.log('usage: npm test [-- --no-vscode] [-- --grep <pattern>]');
  process.exit(0);
}

let passed = 0;
let failed = 0;
const t0 = Date.now();

/** Runs a command, streaming its output, and counts mocha's "N passing / N failing" lines. */
function step(name, cmd, cmdArgs, env = {}) {
  console.log(`\n=== ${name}: ${cmd} ${cmdArgs.join(' ')}`);
  return new Promise((resolve) => {
    const child = spawn(cmd, cmdArgs, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    const count = (chunk) => {
      const text = chunk.toString();
      for (const m of text.matchAll(/^\s*(\d+) passing/gm)) passed += Number(m[1]);
      for (const m of text.matchAll(/^\s*(\d+) failing/gm)) failed += Number(m[1]);
      return text;
    };
    child.stdout.on('data', (d) => process.stdout.write(count(d)));
    child.stderr.on('data', (d) => process.stderr.write(count(d)));
    child.on('close', (code) => resolve(code ?? 1));
  });
}

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
let code = await step('build', process.execPath, ['esbuild.config.mjs']);
if (code === 0) {
  rmSync('out', { recursive: true, force: true });
  code = await step('type-check and compile tests', npx, ['tsc', '-p', 'tsconfig.json', '--outDir', 'out']);
}
if (code === 0) code = await step('lint', npx, ['eslint', 'src', 'test', 'bench', 'scripts']);
if (code === 0) code = await step('unit and integration tests', npx, ['mocha', '--config', '.mocharc.json', ...(grep ? ['--grep', grep] : [])]);
if (code === 0 && !skipVscode) code = await step('real VS Code tests', process.execPath, ['scripts/runVscodeTests.mjs', '--edit-source', 'both', ...(grep ? ['--grep', grep] : [])]);

// 6. the .vsix as a team installs it (scripts/vsixTest.mjs prints its checks mocha-style).
if (code === 0 && !skipVscode && !grep) code = await step('the .vsix installed in a real VS Code', process.execPath, ['scripts/vsixTest.mjs']);

const secs = ((Date.now() - t0) / 1000).toFixed(0);
if (code !== 0 && failed === 0) failed = 1; // a step that failed before any test ran still fails the run
console.log(`\n(${secs} s)`);
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(code === 0 && failed === 0 ? 0 : 1);
