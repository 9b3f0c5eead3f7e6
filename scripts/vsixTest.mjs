#!/usr/bin/env node
// The .vsix as a team installs it: packed by `npm run package` (vsce), installed into a real
// VS Code as a normal extension (`--install-extension`, not an extension development path),
// then a workspace whose lines the installed extension's own CLI recorded as AI is opened, and
// the extension must activate and count those lines in its status bar.
//
// Runs on the VS Code server bundled in code-server (see scripts/vscodeEnv.mjs), driven from
// outside with playwright-core as scripts/demo.mjs does. Prints its checks mocha-style
// ("✔ …", then "N passing" / "N failing") so `npm test` counts them. Elsewhere (the Electron
// runner) it says it skipped and counts nothing.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  SetupError, ensureRealVscode, freePort, launchChromium, quietSettings, startServer, stopProcessGroup,
} from './vscodeEnv.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tag = '[vsix-test]';

const usage = `Usage: node scripts/vsixTest.mjs [options]

Packs the extension with vsce, installs the .vsix into a real VS Code as a normal extension and
checks that it activates and counts AI lines in a workspace.

Options:
  --vsix <file>          install this .vsix instead of packing one
  --timeout <duration>   limit for each wait (server start, workbench, status bar), e.g. 90s,
                         5m (default: 5m)
  --keep                 keep the temp folders (workspace, extensions, logs)
  -h, --help             print this help`;

const { values: opts } = parseArgs({
  options: {
    vsix: { type: 'string' },
    timeout: { type: 'string', default: '5m' },
    keep: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
  strict: true,
});
if (opts.help) {
  console.log(usage);
  process.exit(0);
}
const timeoutMatch = /^(\d+)(s|m)?$/.exec(opts.timeout);
if (!timeoutMatch) {
  console.error(`${tag} --timeout must look like 300, 90s or 5m, not "${opts.timeout}"\n\n${usage}`);
  process.exit(2);
}
const timeoutMs = Number(timeoutMatch[1]) * (timeoutMatch[2] === 'm' ? 60_000 : 1000);

const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const extensionId = `${manifest.publisher}.${manifest.name}`;

// The checks, in order; each later one needs the earlier ones, so the first failure ends the run.
const results = [];
let child; // the VS Code server
let browser;

/** Runs one check; records it passed or failed with its error. */
async function check(title, fn) {
  const t0 = Date.now();
  try {
    await fn();
    results.push({ title, ms: Date.now() - t0 });
    console.log(`    ✔ ${title} (${Date.now() - t0}ms)`);
    return true;
  } catch (e) {
    results.push({ title, error: e });
    console.log(`    ${results.filter((r) => r.error).length}) ${title}`);
    return false;
  }
}

function run(program, args, options = {}) {
  const r = spawnSync(program, args, { encoding: 'utf8', ...options });
  if (r.status !== 0) {
    throw new Error(`${path.basename(program)} ${args.join(' ')} failed (${r.status ?? r.signal}):\n${`${r.stdout ?? ''}${r.stderr ?? ''}`.trimEnd()}`);
  }
  return r.stdout;
}

async function main() {
  const vscode = await ensureRealVscode({ log: (line) => console.log(line) });
  if (vscode.kind !== 'code-server') {
    console.log(`${tag} skipped: installing a .vsix is tested on the code-server runner (Linux) only`);
    return 0;
  }
  const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'aip-vsix-')));
  const dirs = {
    userDataDir: path.join(tmp, 'user-data'),
    serverDataDir: path.join(tmp, 'server-data'),
    extensionsDir: path.join(tmp, 'extensions'),
  };
  const artifacts = path.join(root, 'test-results', 'vsix');
  fs.rmSync(artifacts, { recursive: true, force: true });
  const serverLog = path.join(tmp, 'server.log');
  let vsix = opts.vsix && path.resolve(opts.vsix);
  let installed;
  console.log(`\n  the .vsix installed as a normal extension (${extensionId})`);
  try {
    if (!vsix) {
      await check('npm run package packs a .vsix with the bundles, the icon and the docs, and no caches', async () => {
        vsix = path.join(tmp, `${manifest.name}-${manifest.version}.vsix`);
        // vsce runs the manifest's vscode:prepublish (the build) first, as `npm run package` does.
        run(process.platform === 'win32' ? 'npx.cmd' : 'npx', ['vsce', 'package', '--no-dependencies', '--out', vsix], { cwd: root });
        const files = run('unzip', ['-Z1', vsix]).trim().split('\n');
        for (const f of ['extension/package.json', 'extension/dist/extension.js', 'extension/dist/cli.js', 'extension/dist/hook.js', 'extension/dist/hook-impl.js', 'extension/media/icon.png']) {
          if (!files.includes(f)) throw new Error(`${f} is missing from the .vsix: ${files.join(', ')}`);
        }
        const unwanted = files.filter((f) => /^extension\/(src|test|out|node_modules|scripts|\.vscode-test)\/|\.cache$|\.map$/.test(f));
        if (unwanted.length > 0) throw new Error(`the .vsix holds ${unwanted.join(', ')}`);
        console.log(`      (${files.length} files, ${(fs.statSync(vsix).size / 1024).toFixed(0)} KB)`);
      });
    }
    if (results.some((r) => r.error)) return report();

    await check('the VS Code server installs it with --install-extension into an empty extensions folder', async () => {
      const out = run(vscode.node24, [
        path.join(vscode.codeServerDir, 'lib', 'vscode', 'out', 'server-main.js'),
        '--install-extension', vsix,
        '--extensions-dir', dirs.extensionsDir, '--user-data-dir', dirs.userDataDir, '--server-data-dir', dirs.serverDataDir,
        '--accept-server-license-terms',
      ], { timeout: timeoutMs });
      installed = path.join(dirs.extensionsDir, `${extensionId}-${manifest.version}`);
      if (!fs.existsSync(path.join(installed, 'dist', 'extension.js'))) {
        throw new Error(`${installed}/dist/extension.js is not there; the install said:\n${out}`);
      }
    });
    if (results.some((r) => r.error)) return report();

    // A workspace with a critical file whose lines 2-4 the installed extension's own CLI records.
    const workspace = path.join(tmp, 'workspace');
    const file = 'src/payments/pay.ts';
    fs.mkdirSync(path.join(workspace, 'src', 'payments'), { recursive: true });
    fs.writeFileSync(path.join(workspace, '.ai-provenance.json'), JSON.stringify({ critical: [{ paths: ['src/payments/**'], reason: 'Moves money' }] }));
    fs.writeFileSync(path.join(workspace, file), 'export const a = 1;\nexport const b = 2;\nexport const c = 3;\nexport const d = 4;\n');
    const gitEnv = { ...process.env, GIT_CONFIG_NOSYSTEM: '1' };
    for (const args of [['init', '-q', '-b', 'main'], ['config', 'user.name', 'Test User'], ['config', 'user.email', 'test@example.com'], ['config', 'commit.gpgsign', 'false'], ['add', '-A'], ['commit', '-q', '-m', 'Initial commit']]) {
      run('git', args, { cwd: workspace, env: gitEnv });
    }
    run(process.execPath, [path.join(installed, 'dist', 'cli.js'), 'record', '--tool', 'Claude Code', '--model', 'claude-sonnet-4-5', `${file}:2-4`], { cwd: workspace });

    fs.mkdirSync(path.join(dirs.userDataDir, 'User'), { recursive: true });
    fs.writeFileSync(path.join(dirs.userDataDir, 'User', 'settings.json'), JSON.stringify(quietSettings, null, 2));
    const port = await freePort();
    // No smoke-test driver and no payload with a development path: the extension must come from
    // the extensions folder alone. The `openFile` payload only opens the file.
    // The server's temp files (the git extension's vscode-git-*.sock, …) go into this run's
    // folder, removed with it, not into the machine's temp dir.
    const serverTmp = path.join(tmp, 't');
    fs.mkdirSync(serverTmp);
    const server = await startServer({ vscode, port, env: { ...process.env, TMPDIR: serverTmp }, logFile: serverLog, smokeTestDriver: false, startTimeoutMs: timeoutMs, ...dirs });
    child = server.child;
    const openFile = `vscode-remote://127.0.0.1:${port}${path.join(workspace, file)}`;
    const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify([['openFile', openFile]]))}`;
    browser = await launchChromium(vscode.chromium);
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    const waitFor = async (locator, what) => {
      try {
        await locator.first().waitFor({ timeout: timeoutMs });
      } catch (e) {
        if (e.name !== 'TimeoutError') throw e;
        fs.mkdirSync(artifacts, { recursive: true });
        await page.screenshot({ path: path.join(artifacts, 'failure.png') }).catch(() => {});
        fs.copyFileSync(serverLog, path.join(artifacts, 'server.log'));
        throw new Error(`${what} did not appear within ${timeoutMs / 1000} s (window: test-results/vsix/failure.png, server log: test-results/vsix/server.log)`, { cause: e });
      }
    };
    await check('it activates in a workspace and its status bar counts the 3 AI lines its CLI recorded', async () => {
      await page.goto(url, { timeout: timeoutMs });
      await waitFor(page.locator('.tabs-container .tab', { hasText: 'pay.ts' }), `the editor of ${file}`);
      // The item shows only once the extension has activated and read the ledger.
      await waitFor(page.locator('.statusbar-item', { hasText: /\b3 AI\b/ }), 'the status bar item "3 AI"');
    });
    await check('it marks the file critical as the repository policy says', async () => {
      await waitFor(page.locator('.statusbar-item', { hasText: /3 AI · critical/ }), 'the status bar item "3 AI · critical"');
    });
  } finally {
    await browser?.close().catch(() => {});
    await stopProcessGroup(child);
    if (opts.keep || results.some((r) => r.error)) console.log(`${tag} kept ${tmp}`);
    else fs.rmSync(tmp, { recursive: true, force: true });
  }
  return report();
}

/** Prints the tally as mocha does, with each failure's message; returns the exit code. */
function report() {
  const failures = results.filter((r) => r.error);
  console.log(`\n  ${results.length - failures.length} passing`);
  if (failures.length > 0) {
    console.log(`  ${failures.length} failing\n`);
    failures.forEach((f, i) => console.log(`  ${i + 1}) ${f.title}:\n     ${String(f.error.message).replace(/\n/g, '\n     ')}\n`));
  }
  return failures.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  async (e) => {
    await browser?.close().catch(() => {});
    await stopProcessGroup(child);
    // A step between the checks broke (the server did not start, …): one more failure.
    results.push({ title: 'setting up the workspace and the VS Code server', error: e });
    console.error(`${tag} ${e instanceof SetupError ? e.message : (e.stack ?? e.message)}`);
    report();
    process.exit(1);
  },
);
