#!/usr/bin/env node
// `npm test`: everything a change must pass.
//   1. build the bundles
//   2. type-check and compile tests (the tests run the compiled code), beside
//      3. lint (layer fences included) and 4. the packed .vsix installed into a real VS Code as
//      a normal extension (it needs the bundles only, and packing rebuilds them: it must not
//      run while tests run them)
//   5. unit + integration tests (mocha, real git, the built CLI) in parallel workers
//      (.mocharc.parallel.cjs), then the files that load the machine on purpose, alone
//      (.mocharc.serial.json)
//   6. the extension's tests inside a real VS Code, with the edit-source API on and off
// Every step runs even when an earlier one failed (the tests need only steps 1 and 2), so one
// run reports everything that is wrong. Prints one closing line "tests: N passed, N failed" and
// exits non-zero on any failure. Each step's failures (mocha's "N failing" section) are repeated
// just above that line: CI keeps only the end of a long log, and the failure must be in it.
// How the suite runs and why: CONTRIBUTING.md.
// Options: --no-vscode (skip steps 4 and 6), --grep <pattern> (passed to the mocha runs and step
// 6; skips 4). AIP_TEST_JOBS=<n> sets mocha's parallel workers (default 3).
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
/** Each failed step's "N failing" section, repeated at the end. */
const failures = [];
// Mocha colours its output when it thinks it writes to a terminal; the repeat is plain text.
// eslint-disable-next-line no-control-regex -- ESC is exactly what an ANSI colour code starts with
const plain = (text) => text.replace(/\u001b\[[0-9;]*m/g, '');

/**
 * Runs a command and counts mocha's "N passing / N failing" lines. Its output streams through,
 * or, with `buffered`, is printed in one piece when it ends (a step running beside another).
 */
function step(name, cmd, cmdArgs, { env = {}, buffered = false } = {}) {
  const title = `\n=== ${name}: ${cmd} ${cmdArgs.join(' ')}`;
  const started = Date.now();
  if (!buffered) console.log(title);
  return new Promise((resolve) => {
    const child = spawn(cmd, cmdArgs, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    const held = [];
    const all = [];
    const count = (chunk) => {
      const text = chunk.toString();
      all.push(text);
      for (const m of text.matchAll(/^\s*(\d+) passing/gm)) passed += Number(m[1]);
      for (const m of text.matchAll(/^\s*(\d+) failing/gm)) failed += Number(m[1]);
      return text;
    };
    const out = (stream) => (d) => (buffered ? held.push([stream, count(d)]) : stream.write(count(d)));
    child.stdout.on('data', out(process.stdout));
    child.stderr.on('data', out(process.stderr));
    child.on('close', (code) => {
      if (buffered) {
        console.log(title);
        for (const [stream, text] of held) stream.write(text);
      }
      console.log(`=== ${name}: ${code === 0 ? 'ok' : `failed (exit ${code})`} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
      if (code !== 0) {
        const text = plain(all.join(''));
        const at = text.search(/^\s*\d+ failing/m);
        // A step that failed without mocha's section (lint, a crash): its last lines say why.
        failures.push({ name, text: at >= 0 ? text.slice(at) : text.split('\n').slice(-30).join('\n') });
      }
      resolve(code ?? 1);
    });
  });
}

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const grepArgs = grep ? ['--grep', grep] : [];
const codes = [];
const build = await step('build', process.execPath, ['esbuild.config.mjs']);
codes.push(build);
rmSync('out', { recursive: true, force: true });
// Lint needs no build, and the .vsix check needs the bundles only: both run beside the compile.
const lint = step('lint', npx, ['eslint', 'src', 'test', 'bench', 'scripts'], { buffered: true });
const vsix = build === 0 && !skipVscode && !grep
  ? step('the .vsix installed in a real VS Code', process.execPath, ['scripts/vsixTest.mjs'], { buffered: true })
  : undefined;
const compiled = await step('type-check and compile tests', npx, ['tsc', '-p', 'tsconfig.json', '--outDir', 'out']);
codes.push(compiled);
const canTest = build === 0 && compiled === 0;
// vsce rebuilds dist/ while it packs: the tests, which run dist/, start once it is done.
if (vsix) codes.push(await vsix);
if (canTest) {
  codes.push(await step('unit and integration tests, in parallel', npx, ['mocha', '--config', '.mocharc.parallel.cjs', ...grepArgs]));
  codes.push(await step('integration tests that load the machine on purpose, alone', npx, ['mocha', '--config', '.mocharc.serial.json', ...grepArgs]));
}
codes.push(await lint);
if (canTest && !skipVscode) codes.push(await step('real VS Code tests', process.execPath, ['scripts/runVscodeTests.mjs', '--edit-source', 'both', ...grepArgs]));
const code = codes.find((c) => c !== 0) ?? 0;

const secs = ((Date.now() - t0) / 1000).toFixed(0);
if (code !== 0 && failed === 0) failed = 1; // a step that failed before any test ran still fails the run
for (const f of failures) {
  const lines = f.text.trim().split('\n');
  const shown = lines.length > 80 ? [...lines.slice(0, 80), `… (${lines.length - 80} more lines, in the step's output above)`] : lines;
  console.log(`\n=== failed in "${f.name}" (repeated from above):\n${shown.join('\n')}`);
}
console.log(`\n(${secs} s)`);
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(code === 0 && failed === 0 ? 0 : 1);
