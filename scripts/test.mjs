#!/usr/bin/env node
// `npm test`: everything a change must pass.
//   1. build the bundles   2. type-check and compile tests (the tests run the compiled code)
//   3. lint (layer fences included) in parallel with 4. unit + integration tests (mocha, real
//      git, the built CLI)   5. the extension's tests inside a real VS Code, with the
//      edit-source API on and off   6. the packed .vsix installed into a real VS Code as a
//      normal extension
// Every step runs even when an earlier one failed (the tests need only steps 1 and 2), so one
// run reports everything that is wrong. Prints one closing line "tests: N passed, N failed" and
// exits non-zero on any failure.
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

/**
 * Runs a command and counts mocha's "N passing / N failing" lines. Its output streams through,
 * or, with `buffered`, is printed in one piece when it ends (a step running beside another).
 */
function step(name, cmd, cmdArgs, { env = {}, buffered = false } = {}) {
  const title = `\n=== ${name}: ${cmd} ${cmdArgs.join(' ')}`;
  if (!buffered) console.log(title);
  return new Promise((resolve) => {
    const child = spawn(cmd, cmdArgs, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    const held = [];
    const count = (chunk) => {
      const text = chunk.toString();
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
      console.log(`=== ${name}: ${code === 0 ? 'ok' : `failed (exit ${code})`}`);
      resolve(code ?? 1);
    });
  });
}

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const codes = [];
const build = await step('build', process.execPath, ['esbuild.config.mjs']);
codes.push(build);
rmSync('out', { recursive: true, force: true });
const compiled = await step('type-check and compile tests', npx, ['tsc', '-p', 'tsconfig.json', '--outDir', 'out']);
codes.push(compiled);
const canTest = build === 0 && compiled === 0;
// Lint needs no build; it runs beside the mocha suite, which spends most of its time waiting on git.
const lint = step('lint', npx, ['eslint', 'src', 'test', 'bench', 'scripts'], { buffered: true });
if (canTest) codes.push(await step('unit and integration tests', npx, ['mocha', '--config', '.mocharc.json', ...(grep ? ['--grep', grep] : [])]));
codes.push(await lint);
if (canTest && !skipVscode) codes.push(await step('real VS Code tests', process.execPath, ['scripts/runVscodeTests.mjs', '--edit-source', 'both', ...(grep ? ['--grep', grep] : [])]));
// The .vsix as a team installs it (scripts/vsixTest.mjs prints its checks mocha-style).
if (canTest && !skipVscode && !grep) codes.push(await step('the .vsix installed in a real VS Code', process.execPath, ['scripts/vsixTest.mjs']));
const code = codes.find((c) => c !== 0) ?? 0;

const secs = ((Date.now() - t0) / 1000).toFixed(0);
if (code !== 0 && failed === 0) failed = 1; // a step that failed before any test ran still fails the run
console.log(`\n(${secs} s)`);
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(code === 0 && failed === 0 ? 0 : 1);
