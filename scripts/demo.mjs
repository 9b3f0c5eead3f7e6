#!/usr/bin/env node
// `npm run demo`: the extension in a real VS Code on a small demo repository, in a minute.
//
// Builds if needed, creates .vscode-test/demo-repo (a payments file under a "critical" policy,
// with lines recorded as written by an AI tool through the project's own CLI), installs the
// built extension into a fresh extensions folder as a normal extension, and serves VS Code on
// 127.0.0.1 for a browser. On Linux that is the VS Code server bundled in code-server (see
// scripts/vscodeEnv.mjs); elsewhere it opens desktop VS Code through @vscode/test-electron.
// With --screenshot (by default on CI or without a display) it also opens the window headless,
// opens the payments file and saves a picture showing the status bar item.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  SetupError, ensureRealVscode, launchChromium, portIsFree, quietSettings, startServer, stopProcessGroup,
} from './vscodeEnv.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tag = '[demo]';

const usage = `Usage: npm run demo -- [options]    (or: node scripts/demo.mjs [options])

Serves VS Code with AI Provenance on a demo repository at http://127.0.0.1:<port>/.

Options:
  --port <n>                 first port to try (default: 8080; the next free one is used)
  --screenshot <file.png>    open the window headless and save a picture of it
                             (default on CI or without DISPLAY: test-results/demo.png)
  --exit-after-screenshot    stop once the picture is saved (a smoke test for CI)
  --no-build                 do not rebuild dist/ even if src/ is newer
  -h, --help                 print this help`;

class UsageError extends Error {}

function parseOptions(argv) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string', default: '8080' },
        screenshot: { type: 'string' },
        'exit-after-screenshot': { type: 'boolean', default: false },
        'no-build': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      allowPositionals: false,
      strict: true,
    }));
  } catch (e) {
    throw new UsageError(e.message);
  }
  if (values.help) return { help: true };
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 1024 || port > 65_000) {
    throw new UsageError(`--port must be a whole number from 1024 to 65000, not "${values.port}"`);
  }
  if (values.screenshot !== undefined && !values.screenshot.endsWith('.png')) {
    throw new UsageError('--screenshot needs a file name ending in .png');
  }
  const headless = Boolean(process.env.CI) || !process.env.DISPLAY;
  const screenshot = values.screenshot ?? (headless ? path.join('test-results', 'demo.png') : undefined);
  if (values['exit-after-screenshot'] && !screenshot) {
    throw new UsageError('--exit-after-screenshot needs --screenshot <file.png>');
  }
  return {
    help: false,
    port,
    screenshot: screenshot && path.resolve(screenshot),
    exitAfterScreenshot: values['exit-after-screenshot'],
    build: !values['no-build'],
  };
}

/** Newest modification time of the files under `dir` (0 when it does not exist). */
function newestMtime(dir) {
  if (!fs.existsSync(dir)) return 0;
  let newest = fs.statSync(dir).mtimeMs;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/** Runs `npm run build` when dist/ is missing or older than the sources it is built from. */
function buildIfStale() {
  const outputs = ['dist/extension.js', 'dist/cli.js'].map((f) => path.join(root, f));
  const oldestOutput = Math.min(...outputs.map((f) => fs.statSync(f, { throwIfNoEntry: false })?.mtimeMs ?? 0));
  const newestInput = Math.max(
    newestMtime(path.join(root, 'src')),
    ...['package.json', 'esbuild.config.mjs'].map((f) => fs.statSync(path.join(root, f), { throwIfNoEntry: false })?.mtimeMs ?? 0),
  );
  if (oldestOutput >= newestInput) return;
  console.log(`${tag} building (dist/ is ${oldestOutput ? 'older than src/' : 'missing'})…`);
  const r = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new SetupError('npm run build failed; fix the build and run the demo again');
}

const demoFiles = {
  'README.md': `# Demo shop

A tiny repository for trying AI Provenance. \`src/payments/\` is marked critical in
\`.ai-provenance.json\`; some lines of \`src/payments/charge.ts\` were written by an AI tool.
`,
  '.ai-provenance.json': `${JSON.stringify({ critical: [{ paths: ['src/payments/**'], reason: 'Moves money', friction: 'review' }] }, null, 2)}\n`,
  'src/util.ts': `/** Rounds an amount of money to whole cents. */
export function roundCents(amount: number): number {
  return Math.round(amount * 100) / 100;
}
`,
  'src/payments/charge.ts': `import { roundCents } from '../util';

export interface Charge { customerId: string; amount: number; currency: string }

export function createCharge(customerId: string, amount: number, currency = 'EUR'): Charge {
  if (amount <= 0) throw new Error('amount must be positive');
  return { customerId, amount: roundCents(amount), currency };
}

export function refund(charge: Charge): Charge {
  return { ...charge, amount: -charge.amount };
}
`,
};

/** Recreates the demo repository: its files, one commit, then AI-written lines via the CLI. */
function createDemoRepo(dir) {
  fs.rmSync(dir, { recursive: true, force: true });
  for (const [file, text] of Object.entries(demoFiles)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  const git = (...args) => {
    const r = spawnSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' } });
    if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${r.stderr}`);
  };
  git('init', '-q', '-b', 'main');
  git('config', 'user.name', 'Demo User');
  git('config', 'user.email', 'demo@example.com');
  git('config', 'commit.gpgsign', 'false');
  git('add', '-A');
  git('commit', '-q', '-m', 'Initial commit');

  const cli = path.join(root, 'dist', 'cli.js');
  const argv = ['record', '--tool', 'claude-code', '--model', 'claude-sonnet-4-5', 'src/payments/charge.ts:3-7'];
  const r = spawnSync(process.execPath, [cli, ...argv], { cwd: dir, encoding: 'utf8' });
  if (r.status === 0) {
    console.log(`${tag} recorded src/payments/charge.ts lines 3-7 as written by claude-code`);
  } else {
    console.log(`${tag} could not record AI lines (git-provenance ${argv.join(' ')} exited ${r.status ?? r.signal}); continuing without them`);
    if (r.stderr?.trim()) console.log(r.stderr.trimEnd().replace(/^/gm, '  '));
  }
}

/** Copies what the packaged extension ships (see .vscodeignore) into an extensions folder. */
function installExtension(extensionsDir) {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const dest = path.join(extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`);
  fs.mkdirSync(dest, { recursive: true });
  for (const item of ['package.json', 'dist', 'media', 'README.md', 'LICENSE', 'CHANGELOG.md']) {
    const src = path.join(root, item);
    if (fs.existsSync(src)) fs.cpSync(src, path.join(dest, item), { recursive: true });
  }
  return `${manifest.publisher}.${manifest.name}`;
}

async function firstFreePort(from) {
  for (let port = from; port < from + 100; port++) {
    if (await portIsFree(port)) return port;
  }
  throw new SetupError(`no free port on 127.0.0.1 from ${from} to ${from + 99}`);
}

/**
 * Opens the workbench headless, opens the payments file through Quick Open (a URL cannot open
 * a file in the web workbench) and saves a picture once the extension's status bar item shows.
 * Returns whether the item was seen.
 */
async function takeScreenshot(vscode, url, file) {
  const browser = await launchChromium(vscode.chromium);
  try {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await page.goto(url);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    // The explorer lists the folder once the remote connection and file service are up.
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'src' }).first().waitFor({ timeout: 60_000 });
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 10_000 });
    await input.pressSequentially('charge.ts', { delay: 20 });
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'charge.ts' }).first().waitFor({ timeout: 20_000 });
    await page.keyboard.press('Enter');
    await page.locator('.tabs-container .tab', { hasText: 'charge.ts' }).first().waitFor({ timeout: 10_000 });
    let seen = true;
    try {
      await page.locator('.statusbar-item', { hasText: /\bAI\b/ }).first().waitFor({ timeout: 30_000 });
      await page.waitForTimeout(500); // let decorations and hovers settle for the picture
    } catch {
      seen = false;
    }
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await page.screenshot({ path: file });
    return seen;
  } finally {
    await browser.close().catch(() => {});
  }
}

async function runInServer(vscode, opts) {
  const demoRoot = path.join(root, '.vscode-test');
  const repo = path.join(demoRoot, 'demo-repo');
  createDemoRepo(repo);
  const serverRoot = path.join(demoRoot, 'demo-server');
  fs.rmSync(serverRoot, { recursive: true, force: true });
  const dirs = {
    userDataDir: path.join(serverRoot, 'user-data'),
    serverDataDir: path.join(serverRoot, 'server-data'),
    extensionsDir: path.join(serverRoot, 'extensions'),
  };
  fs.mkdirSync(path.join(dirs.userDataDir, 'User'), { recursive: true });
  fs.writeFileSync(path.join(dirs.userDataDir, 'User', 'settings.json'), JSON.stringify(quietSettings, null, 2));
  const extensionId = installExtension(dirs.extensionsDir);
  console.log(`${tag} installed ${extensionId} into ${path.relative(root, dirs.extensionsDir)}`);

  const port = await firstFreePort(opts.port);
  const logFile = path.join(serverRoot, 'server.log');
  const server = await startServer({ vscode, port, env: process.env, logFile, smokeTestDriver: false, ...dirs });
  let stopping = false;
  const stop = async (code) => {
    if (stopping) return;
    stopping = true;
    await stopProcessGroup(server.child);
    console.log(`${tag} server stopped`);
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  void server.exited.then((how) => {
    if (stopping) return;
    console.error(`${tag} the VS Code server exited (${how}); its log: ${path.relative(process.cwd(), logFile)}`);
    process.exit(1);
  });

  // Slashes stay readable in the printed address; everything else is escaped.
  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(repo).replace(/%2F/g, '/')}`;
  const rule = '='.repeat(Math.min(100, url.length + 7));
  const { version } = JSON.parse(fs.readFileSync(path.join(vscode.codeServerDir, 'lib', 'vscode', 'package.json'), 'utf8'));
  console.log(`\n${rule}\n  Open ${url}\n${rule}\n  (VS Code ${version} in your browser; Ctrl-C stops the server)\n`);

  if (opts.screenshot) {
    console.log(`${tag} opening the window headless for a screenshot…`);
    let seen = false;
    try {
      seen = await takeScreenshot(vscode, url, opts.screenshot);
      console.log(`${tag} screenshot saved to ${path.relative(process.cwd(), opts.screenshot)}` +
        (seen ? ' (status bar shows the AI item)' : ' — but no "AI" status bar item appeared within 30 s'));
    } catch (e) {
      console.error(`${tag} screenshot failed: ${e.message.split('\n')[0]}`);
    }
    if (opts.exitAfterScreenshot) await stop(seen ? 0 : 1);
  }
}

/** Without the server stack: desktop VS Code (downloaded by @vscode/test-electron) on the demo repo. */
async function runInElectron() {
  const demoRoot = path.join(root, '.vscode-test');
  const repo = path.join(demoRoot, 'demo-repo');
  createDemoRepo(repo);
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const { downloadAndUnzipVSCode } = await import('@vscode/test-electron');
  const executable = await downloadAndUnzipVSCode();
  const userData = path.join(demoRoot, 'demo-user-data');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(quietSettings, null, 2));
  console.log(`${tag} opening VS Code on ${repo}`);
  const child = spawn(executable, [
    `--extensionDevelopmentPath=${root}`,
    '--enable-proposed-api', `${manifest.publisher}.${manifest.name}`,
    '--user-data-dir', userData, '--extensions-dir', path.join(demoRoot, 'demo-extensions'),
    '--disable-workspace-trust', '--skip-welcome', '--new-window', repo,
  ], { stdio: 'inherit' });
  await new Promise((resolve) => child.on('exit', resolve));
}

async function main() {
  let opts;
  try {
    opts = parseOptions(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`${tag} ${e.message}\n\n${usage}`);
    return 2;
  }
  if (opts.help) {
    console.log(usage);
    return 0;
  }
  const vscode = await ensureRealVscode({ log: (line) => console.log(line) });
  if (opts.build) buildIfStale();
  if (!fs.existsSync(path.join(root, 'dist', 'extension.js'))) {
    throw new SetupError('dist/extension.js is missing; run npm run build');
  }
  if (vscode.kind === 'electron') {
    if (opts.screenshot) console.log(`${tag} --screenshot needs the code-server runner (Linux); skipping it`);
    await runInElectron();
    return 0;
  }
  await runInServer(vscode, opts);
  return undefined; // keep serving until Ctrl-C
}

main().then(
  (code) => { if (code !== undefined) process.exit(code); },
  (e) => {
    console.error(`${tag} ${e instanceof SetupError ? e.message : (e.stack ?? e.message)}`);
    process.exit(1);
  },
);
