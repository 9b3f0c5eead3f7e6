#!/usr/bin/env node
// `npm run demo`: the extension in a real VS Code on a small demo repository, in a minute.
//
// Builds if needed, creates .vscode-test/demo-repo (a short history in which Claude Code, Copilot
// and Cursor wrote part of the code, committed through the project's own git hooks, and a staged
// AI change in the critical src/payments/charge.ts), installs the built extension into a fresh
// extensions folder as a normal extension, and serves VS Code on 127.0.0.1 for a browser, opened
// on that file. On Linux that is the VS Code server bundled in code-server (see
// scripts/vscodeEnv.mjs); elsewhere it opens desktop VS Code through @vscode/test-electron.
// With --screenshot (by default on CI or without a display) it also opens the window headless
// and saves a picture once the warning, the status bar items and Source Control show.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  SetupError, downloadElectronVscode, ensureRealVscode, launchChromium, portIsFree, quietSettings, startServer, stopProcessGroup,
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
  --timeout <duration>       how long the server may take to start, and the window to show all
                             the screenshot needs, e.g. 90s, 5m (default: 5m, or AIP_DEMO_TIMEOUT)
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
        timeout: { type: 'string', default: process.env.AIP_DEMO_TIMEOUT || '5m' },
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
    timeoutMs: parseDuration(values.timeout),
    build: !values['no-build'],
  };
}

/** Milliseconds of a duration written as 360, 90s, 5m or 1500ms (seconds without a unit). */
function parseDuration(text) {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text);
  if (!m) throw new UsageError(`--timeout must look like 300, 90s, 5m or 1500ms, not "${text}"`);
  const ms = Number(m[1]) * { ms: 1, s: 1000, m: 60_000 }[m[2] ?? 's'];
  if (ms < 1000) throw new UsageError('--timeout must be at least 1 s');
  return ms;
}

/** A duration as people say it: "5 min", "90 s". */
function formatDuration(ms) {
  return ms >= 60_000 && ms % 60_000 === 0 ? `${ms / 60_000} min` : `${Math.round(ms / 1000)} s`;
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

// The demo shop's story: a few weeks of history in which three AI tools wrote part of the code
// (one of them in the critical payments folder, reviewed as the policy asks), and today's
// uncommitted, staged AI change to the critical payments file. Every AI line is recorded through
// the built CLI, and every commit goes through the project's own git hooks, exactly as in a
// team's repository: the report then shows real shares and critical-path lines, and Source
// Control shows the staged change's friction and its commit preview.
const policy = { critical: [{ paths: ['src/payments/**'], reason: 'Moves money', friction: 'review' }] };

const initialFiles = {
  'README.md': `# Demo shop

A tiny repository for trying AI Provenance. \`src/payments/\` is marked critical in
\`.ai-provenance.json\`: AI-written lines there are flagged in the editor and need a
\`Reviewed-by:\` at commit. Claude Code, Copilot and Cursor wrote parts of this history;
\`src/payments/charge.ts\` has an AI change staged and not yet committed.
`,
  '.ai-provenance.json': `${JSON.stringify(policy, null, 2)}\n`,
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
`,
};

/**
 * The history after the first commit, oldest first: each step inserts lines into a file (after
 * line `after`, or a new file), records them as `ai` says, and commits `daysAgo` days ago.
 */
const history = [
  {
    daysAgo: 27, message: 'Cart with line items and totals',
    ai: { tool: 'Claude Code', model: 'claude-sonnet-4-5' },
    file: 'src/cart.ts', after: 0, lines: [
      "import { roundCents } from './util';",
      '',
      'export interface LineItem { sku: string; unitPrice: number; quantity: number }',
      '',
      'export class Cart {',
      '  private readonly items: LineItem[] = [];',
      '',
      '  add(item: LineItem): void {',
      "    if (item.quantity <= 0) throw new Error('quantity must be positive');",
      '    this.items.push(item);',
      '  }',
      '',
      '  total(): number {',
      '    return roundCents(this.items.reduce((sum, i) => sum + i.unitPrice * i.quantity, 0));',
      '  }',
      '}',
    ],
  },
  {
    daysAgo: 22, message: 'Format amounts for receipts',
    ai: { tool: 'Copilot', model: 'gpt-4.1', kind: 'inline' },
    file: 'src/util.ts', after: 4, lines: [
      '',
      '/** An amount as the receipt prints it, e.g. "12.50 EUR". */',
      'export function formatMoney(amount: number, currency: string): string {',
      '  return `${roundCents(amount).toFixed(2)} ${currency}`;',
      '}',
    ],
  },
  {
    daysAgo: 18, message: 'Refunds, partial or whole', reviewedBy: 'Alex Reviewer <alex@example.com>',
    ai: { tool: 'Cursor', model: 'gpt-5' },
    file: 'src/payments/refund.ts', after: 0, lines: [
      "import type { Charge } from './charge';",
      "import { roundCents } from '../util';",
      '',
      '/** A refund of `amount` (default: all) of a charge, as a negative charge. */',
      'export function refund(charge: Charge, amount = charge.amount): Charge {',
      "  if (amount <= 0 || amount > charge.amount) throw new Error('refund must be within the charge');",
      '  return { ...charge, amount: -roundCents(amount) };',
      '}',
    ],
  },
  {
    daysAgo: 12, message: 'Discount codes in the cart',
    file: 'src/cart.ts', after: 12, lines: [
      '  private discount = 0;',
      '',
      '  applyDiscount(percent: number): void {',
      '    this.discount = Math.min(Math.max(percent, 0), 100) / 100;',
      '  }',
      '',
    ],
  },
  {
    daysAgo: 6, message: 'Capture a charge once it is authorised', reviewedBy: 'Alex Reviewer <alex@example.com>',
    ai: { tool: 'Claude Code', model: 'claude-opus-4-1' },
    file: 'src/payments/charge.ts', after: 8, lines: [
      '',
      "export type ChargeState = 'authorised' | 'captured';",
      '',
      '/** Marks an authorised charge captured; capturing twice is a bug in the caller. */',
      'export function capture(state: ChargeState): ChargeState {',
      "  if (state === 'captured') throw new Error('charge already captured');",
      "  return 'captured';",
      '}',
    ],
  },
];

/** Today's change: staged, not committed, in the critical file the editor opens on. */
const stagedChange = {
  ai: { tool: 'Claude Code', model: 'claude-sonnet-4-5' },
  file: 'src/payments/charge.ts', after: 8, lines: [
    '',
    '/** Exchange rates to EUR; a real shop would fetch them. */',
    'const ratesToEur: Record<string, number> = { EUR: 1, USD: 0.92, GBP: 1.17 };',
    '',
    '/** A charge in another currency, converted to EUR at today\'s rate. */',
    'export function createChargeIn(customerId: string, amount: number, currency: string): Charge {',
    '  const rate = ratesToEur[currency];',
    '  if (rate === undefined) throw new Error(`no rate for ${currency}`);',
    '  return createCharge(customerId, amount * rate);',
    '}',
  ],
};

/** The file the editor opens on, and the first line of the staged AI change in it. */
const demoFile = stagedChange.file;
const demoLine = stagedChange.after + 1;

/**
 * Recreates the demo repository: the project's git hooks installed with the built CLI, a short
 * history with AI-assisted commits from several tools, and a staged AI change in a critical file.
 */
function createDemoRepo(dir) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const baseEnv = { ...process.env, GIT_CONFIG_NOSYSTEM: '1' };
  const run = (program, args, env = baseEnv) => {
    const r = spawnSync(program, args, { cwd: dir, encoding: 'utf8', env });
    if (r.status !== 0) {
      throw new SetupError(`could not create the demo repository: ${path.basename(program)} ${args.join(' ')} failed (${r.status ?? r.signal}):\n${`${r.stdout ?? ''}${r.stderr ?? ''}`.trimEnd()}`);
    }
    return r.stdout;
  };
  const git = (...args) => run('git', args);
  const cli = (...args) => run(process.execPath, [path.join(root, 'dist', 'cli.js'), ...args]);
  const write = (file, text) => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  };
  // Inserts lines after line `after` (0: at the top; a new file is created) and returns their span.
  const insert = ({ file, after, lines }) => {
    const old = fs.existsSync(path.join(dir, file)) ? fs.readFileSync(path.join(dir, file), 'utf8').split('\n') : [''];
    write(file, [...old.slice(0, after), ...lines, ...old.slice(after)].join('\n'));
    return `${file}:${after + 1}-${after + lines.length}`;
  };
  const record = ({ tool, model, kind }, span) => cli('record', '--tool', tool, '--model', model, ...(kind ? ['--kind', kind] : []), span);
  const day = 86_400_000;
  // Commits at 10:00 UTC a given number of days ago, so the report's time axis ends about now.
  const commitAt = (daysAgo, message) => {
    const when = new Date(Math.floor(Date.now() / day) * day - daysAgo * day + 10 * 3_600_000).toISOString();
    run('git', ['commit', '-q', ...message.flatMap((m) => ['-m', m])], { ...baseEnv, GIT_AUTHOR_DATE: when, GIT_COMMITTER_DATE: when });
  };

  git('init', '-q', '-b', 'main');
  for (const [key, value] of [['user.name', 'Dana Developer'], ['user.email', 'dana@example.com'], ['commit.gpgsign', 'false'], ['gc.auto', '0']]) {
    git('config', key, value);
  }
  for (const [file, text] of Object.entries(initialFiles)) write(file, text);
  cli('install');
  git('add', '-A');
  commitAt(32, ['Initial commit']);
  for (const step of history) {
    const span = insert(step);
    if (step.ai) record(step.ai, span);
    git('add', '-A');
    // The policy asks for a review of AI lines in src/payments/: the commit names the reviewer.
    commitAt(step.daysAgo, [step.message, ...(step.reviewedBy ? [`Reviewed-by: ${step.reviewedBy}`] : [])]);
  }
  record(stagedChange.ai, insert(stagedChange));
  git('add', '-A');

  const commits = git('log', '--format=%s').trim().split('\n').length;
  const trailers = git('log', '--format=%(trailers:key=Assisted-by,valueonly,separator=%x2C )').trim().split('\n').filter(Boolean);
  console.log(`${tag} demo repository: ${commits} commits, ${trailers.length} of them AI-assisted (${[...new Set(trailers.join(', ').split(', '))].join(', ')}); ` +
    `an AI change of ${stagedChange.ai.tool} (${stagedChange.lines.length} lines) staged in ${demoFile}`);
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

/** A wait of the screenshot that ran out of time; its message says what did not appear. */
class NotSeenError extends Error {}

/**
 * Opens the workbench headless on the demo file and saves a picture of the whole story: the
 * critical-path warning in the editor and the Problems panel, the status bar's AI item and
 * commit preview, and the staged change in Source Control. Every step waits for what the user
 * would see, within one overall limit (`timeoutMs`, from --timeout): a busy machine just takes
 * longer. When something does not appear, the picture is still saved and the error names it.
 */
async function takeScreenshot(vscode, url, file, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  const limit = formatDuration(timeoutMs);
  const waitFor = async (locator, what) => {
    try {
      await locator.first().waitFor({ timeout: Math.max(1000, deadline - Date.now()) });
    } catch (e) {
      if (e.name !== 'TimeoutError') throw e;
      throw new NotSeenError(`${what} did not appear within ${limit} (raise it with --timeout or AIP_DEMO_TIMEOUT)`);
    }
  };
  const browser = await launchChromium(vscode.chromium);
  try {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    try {
      try {
        await page.goto(url, { timeout: Math.max(1000, deadline - Date.now()) });
      } catch (e) {
        if (e.name !== 'TimeoutError') throw e;
        throw new NotSeenError(`the VS Code page did not load within ${limit} (raise it with --timeout or AIP_DEMO_TIMEOUT)`);
      }
      await waitFor(page.locator('.monaco-workbench'), 'the VS Code workbench');
      // The URL's payload opens the file (see demoUrl).
      await waitFor(page.locator('.tabs-container .tab', { hasText: path.basename(demoFile) }), `the editor of ${demoFile}`);
      await waitFor(page.locator('.statusbar-item', { hasText: /AI · critical/ }), 'the status bar item "N AI · critical"');
      await page.keyboard.press('Control+Shift+M');
      await waitFor(page.locator('.markers-panel .monaco-list-row', { hasText: 'critical path' }), 'the critical-path warning in the Problems panel');
      await page.keyboard.press('Control+Shift+G');
      await waitFor(page.locator('.scm-view .monaco-list-row', { hasText: path.basename(demoFile) }), `the staged ${demoFile} in Source Control`);
      await waitFor(page.locator('.statusbar-item', { hasText: /AI: \d+ of \d+ lines/ }), 'the commit preview "AI: N of M lines" in the status bar');
      await waitFor(page.locator('.monaco-list-row', { hasText: history[0].message }), 'the history in the Source Control graph');
      // Focus back on the editor (its first group), where the URL put the cursor on the AI change.
      await page.keyboard.press('Control+1');
      // Decorations and the notification slide in over a few frames; nothing to wait for but paint.
      await page.evaluate(() => new Promise((resolve) => globalThis.requestAnimationFrame(() => globalThis.requestAnimationFrame(resolve))));
    } finally {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      await page.screenshot({ path: file }).catch(() => {});
    }
  } finally {
    await browser.close().catch(() => {});
  }
}

/**
 * The address that opens the demo repository with the demo file at the staged change. The
 * workbench honours the `openFile` payload without the smoke-test driver (only the extension
 * development entries need it); `gotoLineMode` reads `:line` from the path.
 */
function demoUrl(port, repo) {
  const file = `vscode-remote://127.0.0.1:${port}${path.join(repo, demoFile).split(path.sep).join('/')}:${demoLine}`;
  const payload = JSON.stringify([['openFile', file], ['gotoLineMode', 'true']]);
  // Slashes stay readable in the printed address; everything else is escaped.
  return `http://127.0.0.1:${port}/?folder=${encodeURIComponent(repo).replace(/%2F/g, '/')}&payload=${encodeURIComponent(payload)}`;
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
  const server = await startServer({ vscode, port, env: process.env, logFile, smokeTestDriver: false, startTimeoutMs: opts.timeoutMs, ...dirs });
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

  const url = demoUrl(port, repo);
  const rule = '='.repeat(Math.min(100, url.length + 7));
  const { version } = JSON.parse(fs.readFileSync(path.join(vscode.codeServerDir, 'lib', 'vscode', 'package.json'), 'utf8'));
  console.log(`\n${rule}\n  Open ${url}\n${rule}\n  (VS Code ${version} in your browser; Ctrl-C stops the server)\n`);

  if (opts.screenshot) {
    console.log(`${tag} opening the window headless for a screenshot…`);
    let ok = false;
    try {
      await takeScreenshot(vscode, url, opts.screenshot, opts.timeoutMs);
      ok = true;
      console.log(`${tag} screenshot saved to ${path.relative(process.cwd(), opts.screenshot)} ` +
        '(the critical-path warning, the status bar AI item, the commit preview and Source Control)');
    } catch (e) {
      const saved = fs.existsSync(opts.screenshot) ? `; the window as it was: ${path.relative(process.cwd(), opts.screenshot)}` : '';
      console.error(`${tag} screenshot incomplete: ${e instanceof NotSeenError ? e.message : e.message.split('\n')[0]}${saved}`);
    }
    if (opts.exitAfterScreenshot) await stop(ok ? 0 : 1);
  }
}

/** Without the server stack: desktop VS Code (downloaded by @vscode/test-electron) on the demo repo. */
async function runInElectron(why) {
  const demoRoot = path.join(root, '.vscode-test');
  const repo = path.join(demoRoot, 'demo-repo');
  createDemoRepo(repo);
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  // Offline this ends with one line saying what could not be fetched, not a stack trace.
  const executable = await downloadElectronVscode(why);
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
    await runInElectron(vscode.why);
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
