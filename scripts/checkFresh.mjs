#!/usr/bin/env node
// `npm run check:fresh`: the README's two commands as a newcomer runs them, on this machine.
//
// Each command gets a fresh clone of the committed HEAD and an empty tool cache
// (XDG_CACHE_HOME pointing at a new folder), so the VS Code server and Node 24 are installed from
// scratch exactly as on a new machine. A green CI run cannot show that: CI reuses the cache that
// earlier runs filled. The outer node is this machine's node (or --node), and npm's own
// environment is removed first, so the clone sees what a person typing the command would give it.
//
// Not part of `npm test`: it compiles code-server's native modules twice, 5-10 minutes in all.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cleanNpmEnv } from './vscodeEnv.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tag = '[check:fresh]';

const usage = `Usage: npm run check:fresh -- [options]    (or: node scripts/checkFresh.mjs [options])

Clones the committed HEAD into a temp folder and runs the README's commands there with an empty
XDG_CACHE_HOME, each in its own clone and cache:
  demo:  npm ci && npm run demo -- --exit-after-screenshot
  test:  npm ci && npm test
Uncommitted changes are not part of the clone. Prints each command's time; exits 1 if any failed.

Options:
  --only <demo|test>    run one of the two
  --node <path>         the outer node (default: the node running this script)
  --shared-cache        one empty cache for both (the second command then finds it warm)
  --empty-npm-cache     also give npm an empty cache (every package is downloaded again)
  --keep                keep the clones and caches (default: removed when all passed)
  -h, --help            print this help`;

function parseOptions(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      only: { type: 'string' },
      node: { type: 'string' },
      'shared-cache': { type: 'boolean', default: false },
      'empty-npm-cache': { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.only !== undefined && !['demo', 'test'].includes(values.only)) {
    throw new Error(`--only must be demo or test, not "${values.only}"`);
  }
  const node = path.resolve(values.node ?? process.execPath);
  if (!fs.existsSync(node)) throw new Error(`--node ${node} does not exist`);
  return { ...values, node };
}

/** Runs `sh -c script` in `cwd`, prefixing its output, and resolves to its exit code. */
function run(script, { cwd, env, prefix }) {
  return new Promise((resolve) => {
    // Its own process group, so stopping this script ends npm, the demo and the tests with it.
    const child = spawn('sh', ['-c', script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const relay = (stream, out) => {
      let rest = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk) => {
        const lines = (rest + chunk).split('\n');
        rest = lines.pop() ?? '';
        for (const line of lines) out.write(`${prefix} ${line}\n`);
      });
      stream.on('end', () => { if (rest) out.write(`${prefix} ${rest}\n`); });
    };
    relay(child.stdout, process.stdout);
    relay(child.stderr, process.stderr);
    const stop = () => { try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ } };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    child.on('close', (code, signal) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(code ?? (signal ? 128 : 1));
    });
  });
}

/** What a short command prints (git rev-parse, node --version); throws with its stderr on failure. */
function capture(cmd, args, cwd) {
  try {
    return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch (e) {
    throw new Error(`${cmd} ${args.join(' ')} failed: ${(e.stderr ?? e.message).toString().trim()}`, { cause: e });
  }
}

async function main() {
  let opts;
  try {
    opts = parseOptions(process.argv.slice(2));
  } catch (e) {
    console.error(`${tag} ${e.message}\n\n${usage}`);
    return 2;
  }
  if (opts.help) {
    console.log(usage);
    return 0;
  }
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'aip-fresh-'));
  const head = capture('git', ['rev-parse', '--short', 'HEAD'], root);
  const version = capture(opts.node, ['--version'], root);
  console.log(`${tag} HEAD ${head}, outer node ${version} (${opts.node}), work folder ${base}`);

  const commands = [
    { name: 'demo', script: 'npm ci && npm run demo -- --exit-after-screenshot' },
    { name: 'test', script: 'npm ci && npm test' },
  ].filter((c) => !opts.only || c.name === opts.only);

  const sharedCache = path.join(base, 'cache');
  const results = [];
  for (const { name, script } of commands) {
    const clone = path.join(base, `clone-${name}`);
    capture('git', ['clone', '-q', '--no-local', root, clone], base);
    const cache = opts['shared-cache'] ? sharedCache : path.join(base, `cache-${name}`);
    fs.mkdirSync(cache, { recursive: true });
    const env = {
      ...cleanNpmEnv(process.env),
      XDG_CACHE_HOME: cache,
      PATH: `${path.dirname(opts.node)}${path.delimiter}${process.env.PATH ?? ''}`,
      ...(opts['empty-npm-cache'] ? { npm_config_cache: path.join(base, `npm-cache-${name}`) } : {}),
    };
    delete env.CI; // a newcomer's terminal, not CI (the demo would behave the same, but say so)
    console.log(`\n${tag} ${name}: ${script}   (in ${clone}, XDG_CACHE_HOME=${cache})`);
    const t0 = Date.now();
    const code = await run(script, { cwd: clone, env, prefix: `[${name}]` });
    const secs = Math.round((Date.now() - t0) / 1000);
    results.push({ name, script, code, secs });
    console.log(`${tag} ${name}: exit ${code} after ${Math.floor(secs / 60)} min ${secs % 60} s`);
  }

  console.log(`\n${tag} summary (HEAD ${head}, outer node ${version}, empty XDG_CACHE_HOME${opts['shared-cache'] ? ' shared' : ' each'}):`);
  for (const r of results) {
    console.log(`  ${r.code === 0 ? 'ok  ' : 'FAIL'} ${r.script}  — ${Math.floor(r.secs / 60)} min ${r.secs % 60} s${r.code === 0 ? '' : ` (exit ${r.code})`}`);
  }
  const ok = results.every((r) => r.code === 0);
  if (ok && !opts.keep) fs.rmSync(base, { recursive: true, force: true });
  else console.log(`${tag} kept ${base}`);
  return ok ? 0 : 1;
}

main().then((code) => process.exit(code), (e) => {
  console.error(`${tag} ${e.message}`);
  process.exit(1);
});
