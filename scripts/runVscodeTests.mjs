#!/usr/bin/env node
// Runs the extension-host test suites (mocha, inside a real VS Code) once per edit-source mode.
//
// On Linux the VS Code server bundled in code-server runs under Node 24 and a headless chromium
// opens its workbench; the workbench's smoke-test driver takes the extension under test and the
// tests from the URL's `payload` and reports mocha's exit code back to the page. Elsewhere, or with
// AIP_VSCODE_RUNNER=electron, the same suites run through @vscode/test-electron. See
// scripts/vscodeEnv.mjs for how the server stack is found or installed.
//
// Why two modes: stable VS Code gives the proposed `textDocumentChangeReason` API (the editor's
// own "this edit was an inline-completion accept") only to extensions started with
// --enable-proposed-api, and never to Marketplace installs, while code-server hands every
// extension all proposed APIs. The extension therefore must work with the edit source on and
// off; AIP_EDIT_SOURCE=off makes it ignore `detailedReason`, so the keybinding path is tested alone.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { format, parseArgs } from 'node:util';
import {
  SetupError, downloadElectronVscode, ensureRealVscode, freePort, launchChromium, quietSettings, sleep, startServer, stopProcessGroup,
} from './vscodeEnv.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tag = '[vscode-tests]';

const usage = `Usage: node scripts/runVscodeTests.mjs [options]

Runs the extension-host tests (mocha inside a real VS Code) once per edit-source mode.
Build first: npm run build && npm run compile-tests.

Options:
  --grep <pattern>              run only tests whose full title matches (sets AIP_TEST_GREP)
  --edit-source <on|off|both>   with or without the editor's edit-source API (default: both)
  --timeout <duration>          per mode, e.g. 360, 90s, 6m, 1500ms (default: 6m)
  --ext <dir>                   extension under test (default: the project root)
  --tests <file>                tests entry exporting run() (default: out/test/vscode/index.js)
  --keep                        keep the temp workspace and server folders even on success
  --verbose                     print every workbench and extension host log line
  -h, --help                    print this help

Environment:
  AIP_VSCODE_RUNNER=electron|code-server   force a runner (default: code-server on linux-x64)
  AIP_CHROMIUM=<path>                      chromium binary (default: /usr/bin/chromium)

Artifacts: test-results/<on|off>/ (screenshots from tests, and on failure a screenshot of the
window, the extension host log and the server log).`;

/** Thrown for bad command-line input; printed with the usage, exit code 2. */
class UsageError extends Error {}

function parseDuration(text) {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text ?? '');
  if (!m) throw new UsageError(`--timeout must look like 360, 90s, 6m or 1500ms, not "${text}"`);
  const ms = Number(m[1]) * ({ ms: 1, s: 1000, m: 60_000 }[m[2] ?? 's']);
  if (ms < 1000) throw new UsageError('--timeout must be at least 1 s');
  return ms;
}

function parseOptions(argv) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        grep: { type: 'string' },
        'edit-source': { type: 'string', default: 'both' },
        timeout: { type: 'string', default: '6m' },
        ext: { type: 'string' },
        tests: { type: 'string' },
        keep: { type: 'boolean', default: false },
        verbose: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      allowPositionals: false,
      strict: true,
    }));
  } catch (e) {
    throw new UsageError(e.message);
  }
  if (values.help) return { help: true };
  const modeArg = values['edit-source'];
  if (!['on', 'off', 'both'].includes(modeArg)) {
    throw new UsageError(`--edit-source must be on, off or both, not "${modeArg}"`);
  }
  if (values.grep !== undefined) {
    if (values.grep === '') throw new UsageError('--grep needs a pattern');
    try { new RegExp(values.grep); } catch (e) { throw new UsageError(`--grep is not a valid pattern: ${e.message}`); }
  }
  const ext = path.resolve(values.ext ?? root);
  const tests = path.resolve(values.tests ?? path.join(root, 'out', 'test', 'vscode', 'index.js'));
  if (!fs.existsSync(path.join(ext, 'package.json'))) throw new UsageError(`--ext ${ext} has no package.json`);
  if (!fs.existsSync(tests)) {
    throw new UsageError(`tests entry ${tests} does not exist` +
      (values.tests ? '' : ' (compile the tests first: npm run compile-tests)'));
  }
  const manifest = JSON.parse(fs.readFileSync(path.join(ext, 'package.json'), 'utf8'));
  if (manifest.main && !fs.existsSync(path.join(ext, manifest.main))) {
    throw new UsageError(`${path.join(ext, manifest.main)} does not exist (build first: npm run build)`);
  }
  return {
    help: false,
    grep: values.grep,
    modes: modeArg === 'both' ? ['on', 'off'] : [modeArg],
    timeoutMs: parseDuration(values.timeout),
    ext,
    tests,
    extensionId: `${manifest.publisher}.${manifest.name}`,
    keep: values.keep,
    verbose: values.verbose,
  };
}

// Cleanups of the mode that is running, so Ctrl-C or a SIGTERM from CI still ends the server's
// process group and the browser instead of leaving them behind.
const cleanups = new Set();
let stopping = false;
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]]) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log(`${tag} ${signal}: stopping`);
    void Promise.allSettled([...cleanups].map((fn) => fn())).then(() => process.exit(code));
  });
}

/** A fresh git repository for the test window: the fixture files, one commit, fixed identity. */
function createWorkspace(dir) {
  const fixture = path.join(root, 'test', 'fixtures', 'workspace');
  if (fs.existsSync(fixture)) fs.cpSync(fixture, dir, { recursive: true });
  else fs.mkdirSync(dir, { recursive: true });
  const date = '2026-01-01T00:00:00Z';
  const env = {
    ...process.env,
    GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date,
    GIT_CONFIG_NOSYSTEM: '1',
  };
  const git = (...args) => {
    try {
      execFileSync('git', args, { cwd: dir, env, stdio: 'pipe' });
    } catch (e) {
      throw new Error(`git ${args.join(' ')} failed: ${e.stderr?.toString() ?? e.message}`, { cause: e });
    }
  };
  git('init', '-q', '-b', 'main');
  git('config', 'user.name', 'Test User');
  git('config', 'user.email', 'test@example.com');
  git('config', 'commit.gpgsign', 'false');
  git('config', 'tag.gpgsign', 'false');
  git('config', 'gc.auto', '0');
  git('add', '-A');
  git('commit', '-q', '--allow-empty', '-m', 'Initial commit');
  return dir;
}

/**
 * The loopback endpoint that lets tests inside the extension host drive the real browser:
 * key presses and typing go through VS Code's real keybinding resolution, which is what the
 * inline-accept capture depends on and what the extension API cannot simulate.
 */
async function startDriver(artifactsDir) {
  let page;
  /** Keys `/pressThenType` scheduled for later, if any. */
  let pendingKeys = Promise.resolve();
  const routes = {
    '/press': async ({ key }) => {
      needString(key, 'key');
      await page.keyboard.press(key);
      return { ok: true };
    },
    '/type': async ({ text, delay }) => {
      needString(text, 'text', true);
      if (delay !== undefined && !(Number.isFinite(delay) && delay >= 0 && delay <= 1000)) {
        throw new BadRequest('delay must be a number of ms between 0 and 1000');
      }
      await page.keyboard.type(text, { delay: delay ?? 0 });
      return { ok: true };
    },
    // A key and the text typed right after it, back to back (no round trip in between), as
    // a fast typist does: what a Tab followed at once by typing must survive.
    // With `afterMs`, the keys are pressed that long after the reply, so the caller can be
    // busy meanwhile (an extension host that cannot answer at once); `/keysDone` waits for them.
    '/pressThenType': async ({ key, text, afterMs }) => {
      needString(key, 'key');
      needString(text, 'text');
      const keys = async () => {
        await page.keyboard.press(key);
        await page.keyboard.type(text);
      };
      if (afterMs === undefined) {
        await keys();
        return { ok: true };
      }
      if (!(Number.isFinite(afterMs) && afterMs >= 0 && afterMs <= 10_000)) throw new BadRequest('afterMs must be a number of ms between 0 and 10000');
      pendingKeys = new Promise((resolve) => setTimeout(resolve, afterMs)).then(keys);
      pendingKeys.catch(() => undefined);
      return { scheduled: true };
    },
    /* global window, document, navigator, MutationObserver -- the page functions below run in the browser */
    // Time from the key's keydown to the editor showing `text` with no ghost text left, in the
    // page's own clock (the benchmark's accept latency; no round trip to the caller inside).
    '/measureKey': async ({ key, text, timeout }) => {
      needString(key, 'key');
      needString(text, 'text');
      if (timeout !== undefined && !(Number.isFinite(timeout) && timeout >= 0 && timeout <= 60_000)) {
        throw new BadRequest('timeout must be a number of ms between 0 and 60000');
      }
      await page.evaluate(([want, limit]) => {
        window.__aipMeasure = new Promise((resolve) => {
          let t0;
          const ghostSelector = '.monaco-editor .ghost-text-decoration, .monaco-editor .ghost-text';
          const shown = () => {
            const lines = document.querySelector('.monaco-editor .view-lines');
            return !document.querySelector(ghostSelector) && !!lines && (lines.textContent ?? '').replace(/\u00a0/g, ' ').includes(want);
          };
          const observer = new MutationObserver(() => {
            if (t0 !== undefined && shown()) finish(performance.now() - t0);
          });
          const onKey = () => {
            if (t0 === undefined) t0 = performance.now();
          };
          const finish = (ms) => {
            observer.disconnect();
            window.removeEventListener('keydown', onKey, true);
            clearTimeout(timer);
            resolve(ms);
          };
          const timer = setTimeout(() => finish(null), limit);
          window.addEventListener('keydown', onKey, true);
          observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
        });
      }, [text, timeout ?? 10_000]);
      await page.keyboard.press(key);
      return { ms: await page.evaluate(() => window.__aipMeasure) };
    },
    // Puts text on the browser's clipboard as another application would (outside the editor).
    '/setClipboard': async ({ text }) => {
      needString(text, 'text');
      const back = await page.evaluate(async (t) => {
        await navigator.clipboard.writeText(t);
        return navigator.clipboard.readText();
      }, text);
      if (back !== text) throw new Error('the clipboard did not take the text');
      return { ok: true };
    },
    '/keysDone': async () => {
      await pendingKeys;
      return { ok: true };
    },
    '/click': async ({ selector }) => {
      needString(selector, 'selector');
      try {
        await page.locator(selector).first().click({ timeout: 5000 });
      } catch (e) {
        if (e.name === 'TimeoutError') throw new NotFound(`no clickable element matches ${selector} after 5 s`);
        throw e;
      }
      return { ok: true };
    },
    '/waitFor': async ({ selector, timeout }) => {
      needString(selector, 'selector');
      if (timeout !== undefined && !(Number.isFinite(timeout) && timeout >= 0 && timeout <= 120_000)) {
        throw new BadRequest('timeout must be a number of ms between 0 and 120000');
      }
      try {
        await page.locator(selector).first().waitFor({ state: 'visible', timeout: timeout ?? 5000 });
        return { found: true };
      } catch (e) {
        if (e.name === 'TimeoutError') return { found: false };
        throw e;
      }
    },
    '/text': async ({ selector }) => {
      needString(selector, 'selector');
      return { texts: await page.locator(selector).allInnerTexts() };
    },
    '/screenshot': async ({ name }) => {
      if (typeof name !== 'string' || !/^[\w.-]{1,80}$/.test(name) || name.startsWith('.')) {
        throw new BadRequest('name must be 1-80 letters, digits, "_", "-" or "." (no path)');
      }
      const file = path.join(artifactsDir, name.endsWith('.png') ? name : `${name}.png`);
      await page.screenshot({ path: file });
      return { path: file };
    },
  };

  const server = http.createServer((req, res) => {
    const reply = (status, body) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const route = routes[new URL(req.url ?? '/', 'http://127.0.0.1').pathname];
    if (!route) return reply(404, { error: `no route ${req.url}; routes: ${Object.keys(routes).join(' ')}` });
    if (req.method !== 'POST') return reply(405, { error: 'use POST with a JSON body' });
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => {
      body += chunk;
      if (body.length > 64 * 1024) req.destroy();
    });
    req.on('end', () => {
      let input;
      try {
        input = body ? JSON.parse(body) : {};
        if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new Error('not an object');
      } catch (e) {
        return reply(400, { error: `body must be a JSON object: ${e.message}` });
      }
      if (!page) return reply(503, { error: 'the browser page is not open yet' });
      route(input).then(
        (out) => reply(200, out),
        (e) => reply(e instanceof BadRequest ? 400 : e instanceof NotFound ? 404 : 500, { error: stripAnsi(e.message) }),
      );
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    setPage: (p) => { page = p; },
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** Drops terminal colours (mocha's and Playwright's) where text is matched or sent as JSON. */
function stripAnsi(text) {
  // eslint-disable-next-line no-control-regex -- ESC is exactly what is being removed
  return text.replace(/\u001b\[[\d;]*m/g, '');
}

class BadRequest extends Error {}
class NotFound extends Error {}

function needString(value, name, allowEmpty = false) {
  if (typeof value !== 'string' || (!allowEmpty && value === '')) {
    throw new BadRequest(`${name} must be a${allowEmpty ? '' : ' non-empty'} string`);
  }
}

// The workbench forwards its own log and the extension host's console through codeAutomationLog,
// one message per call and with nothing that tells them apart. Workbench lines are
// "[Category] …"-prefixed or among a few known startup messages, and offline lookups (open-vsx,
// GitHub, Copilot) fail harmlessly and loudly. Drop those; keep everything else (mocha's output,
// the extension's own logging, whose "[aip…]" prefix is let through).
const noise = [
  /ENOTFOUND|ERR_NAME_NOT_RESOLVED|ERR_INTERNET_DISCONNECTED|EAI_AGAIN|getaddrinfo/,
  /^(Resolving|Resolved) connection token|^Creating a socket|^Updating additional builtin extensions cache/,
  /^Timed out waiting for authentication provider|^Canceled/,
];
const workbenchCategory = /^\[(?!aip|ai-provenance)[A-Za-z][\w :./-]*\]/i;

function isNoise(text) {
  return workbenchCategory.test(text) || noise.some((re) => re.test(text));
}

async function runModeInServer(vscode, opts, mode) {
  const t0 = Date.now();
  const say = (line) => console.log(`${tag} edit-source=${mode} +${((Date.now() - t0) / 1000).toFixed(1)}s ${line}`);
  const artifacts = path.join(root, 'test-results', mode);
  fs.rmSync(artifacts, { recursive: true, force: true });
  fs.mkdirSync(artifacts, { recursive: true });
  // realpath: on macOS /tmp is a symlink, and tests compare AIP_TEST_WORKSPACE with workspace URIs.
  const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `aip-vscode-${mode}-`)));
  const dirs = {
    userData: path.join(tmp, 'user-data'),
    serverData: path.join(tmp, 'server-data'),
    extensions: path.join(tmp, 'extensions'),
  };
  const workspace = createWorkspace(path.join(tmp, 'workspace'));
  // The web workbench reads user settings from the server's user-data dir (User/settings.json).
  fs.mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
  fs.writeFileSync(path.join(dirs.userData, 'User', 'settings.json'), JSON.stringify(quietSettings, null, 2));
  const serverLog = path.join(tmp, 'server.log');
  const browserLog = fs.createWriteStream(path.join(tmp, 'browser.log'));

  let server;
  let browser;
  let page;
  const pending = new Set(); // screenshots in flight
  const driver = await startDriver(artifacts);
  const cleanup = async () => {
    await browser?.close().catch(() => {});
    await stopProcessGroup(server?.child);
    await driver.close();
    browserLog.end();
  };
  cleanups.add(cleanup);

  let code;
  let failure;
  try {
    const port = await freePort();
    // The server's own temp files go into this run's folder, removed with it: VS Code's git
    // extension leaves a vscode-git-*.sock in the temp dir at every start, and the test repos
    // the extension-host tests make go there too.
    const serverTmp = path.join(tmp, 't');
    fs.mkdirSync(serverTmp);
    const env = {
      ...process.env,
      TMPDIR: serverTmp,
      AIP_EDIT_SOURCE: mode,
      AIP_TEST_WORKSPACE: workspace,
      AIP_TEST_DRIVER: driver.url,
      AIP_TEST_ARTIFACTS: artifacts,
      ...(opts.grep !== undefined ? { AIP_TEST_GREP: opts.grep } : {}),
    };
    server = await startServer({
      vscode, port, env, logFile: serverLog,
      userDataDir: dirs.userData, serverDataDir: dirs.serverData, extensionsDir: dirs.extensions,
    });
    say(`server listening on 127.0.0.1:${port}`);

    browser = await launchChromium(vscode.chromium);
    // Clipboard permissions: cut, copy and paste with real keys must work as they do for a user.
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, permissions: ['clipboard-read', 'clipboard-write'] })).newPage();
    driver.setPage(page);
    page.on('console', (msg) => browserLog.write(`[console.${msg.type()}] ${msg.text()}\n`));
    page.on('pageerror', (e) => browserLog.write(`[pageerror] ${e.message}\n`));

    let reportExit;
    const exitReported = new Promise((resolve) => { reportExit = resolve; });
    await page.exposeFunction('codeAutomationExit', (exitCode) => reportExit(Number.isInteger(exitCode) ? exitCode : 1));
    // The workbench stops the extension host before it reports the exit code, so a screenshot
    // taken at the end no longer shows what the extension showed. Take one as mocha reports each
    // failure ("  1) title" from the spec reporter, before its "N passing" summary) instead.
    let summarySeen = false;
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const text = format(...(Array.isArray(args) ? args : [args]));
      browserLog.write(`[${type}] ${text}\n`);
      if (opts.verbose || !isNoise(text)) console.log(text);
      const plain = stripAnsi(text);
      if (summarySeen || /^\s*\d+ (passing|failing|pending)\b/.test(plain)) {
        summarySeen = true;
        return;
      }
      const failed = /^\s+(\d+)\) \S/.exec(plain);
      if (failed) {
        const file = path.join(artifacts, `failure-${failed[1]}.png`);
        pending.add(page.screenshot({ path: file }).then(() => say(`screenshot at failure ${failed[1]}: ${path.relative(process.cwd(), file)}`), () => {}));
      }
    });

    const authority = `127.0.0.1:${port}`;
    const remote = (p) => `vscode-remote://${authority}${p}`;
    // vscode-remote:// URIs make the tests run in the server's Node extension host, not in the browser.
    const payload = [
      ['skipWelcome', 'true'],
      ['extensionDevelopmentPath', remote(opts.ext)],
      ['extensionTestsPath', remote(opts.tests)],
    ];
    const url = `http://${authority}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    say('opening the workbench');
    await page.goto(url);

    let timer;
    const outcome = await Promise.race([
      exitReported.then((c) => ({ code: c })),
      server.exited.then((how) => ({ failure: `the VS Code server exited (${how})` })),
      new Promise((resolve) => {
        timer = setTimeout(() => resolve({ failure: `timed out after ${opts.timeoutMs / 1000} s` }), opts.timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    ({ code, failure } = outcome);
    if (stopping) failure = 'interrupted';
    if (failure) code = 1;
    else await sleep(300); // the last console lines travel separately from the exit code
    await Promise.allSettled(pending);
  } catch (e) {
    failure = stopping ? 'interrupted' : e.message;
    code = 1;
  }

  if (code !== 0 && !stopping) await keepEvidence({ page, tmp, artifacts, say });
  await cleanup();
  cleanups.delete(cleanup);
  if (code === 0 && !opts.keep) fs.rmSync(tmp, { recursive: true, force: true });
  else say(`kept ${tmp} (workspace, server and user data)`);
  if (failure) say(`FAILED: ${failure}`);
  console.log(`${tag} edit-source=${mode}: mocha exit ${failure ? `- (${failure})` : code} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return code;
}

/** On failure: a screenshot of the window and the extension host and server logs, in artifacts. */
async function keepEvidence({ page, tmp, artifacts, say }) {
  const kept = [];
  if (page) {
    const shot = path.join(artifacts, 'failure.png');
    try {
      await page.screenshot({ path: shot, timeout: 10_000 });
      kept.push(shot);
    } catch (e) {
      say(`could not take a screenshot: ${e.message}`);
    }
  }
  for (const file of findFiles(tmp, (name) => /exthost\d*\.log$/.test(name))) {
    // e.g. server-data/data/logs/<time>/exthost1/remoteexthost.log
    const dest = path.join(artifacts, `${path.basename(path.dirname(file))}-${path.basename(file)}`);
    fs.copyFileSync(file, dest);
    kept.push(dest);
  }
  for (const name of ['server.log', 'browser.log']) {
    const src = path.join(tmp, name);
    if (fs.existsSync(src)) {
      fs.copyFileSync(src, path.join(artifacts, name));
      kept.push(path.join(artifacts, name));
    }
  }
  if (!kept.some((f) => /exthost/.test(f))) say('no extension host log was written (did the window connect?)');
  say(`evidence kept:\n${kept.map((f) => `  ${path.relative(process.cwd(), f)}`).join('\n')}`);
}

function findFiles(dir, match, out = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'workspace' && entry.name !== 'extensions') findFiles(full, match, out);
    else if (entry.isFile() && match(entry.name)) out.push(full);
  }
  return out;
}

/**
 * For contributors whose machines can download VS Code: the usual @vscode/test-electron run.
 * The runner's loopback driver needs the browser, so AIP_TEST_DRIVER is not set here and the
 * tests that need real key presses skip themselves.
 */
async function runModeInElectron(opts, mode) {
  const t0 = Date.now();
  const artifacts = path.join(root, 'test-results', mode);
  fs.rmSync(artifacts, { recursive: true, force: true });
  fs.mkdirSync(artifacts, { recursive: true });
  // realpath: on macOS /tmp is a symlink, and tests compare AIP_TEST_WORKSPACE with workspace URIs.
  const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `aip-vscode-${mode}-`)));
  const workspace = createWorkspace(path.join(tmp, 'workspace'));
  const userData = path.join(tmp, 'user-data');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(quietSettings, null, 2));
  // No browser here: a driver address inherited from the shell would make tests try to use one.
  delete process.env.AIP_TEST_DRIVER;
  const env = {
    AIP_EDIT_SOURCE: mode,
    AIP_TEST_WORKSPACE: workspace,
    AIP_TEST_ARTIFACTS: artifacts,
    ...(opts.grep !== undefined ? { AIP_TEST_GREP: opts.grep } : {}),
  };
  const { runTests, TestRunFailedError } = await import('@vscode/test-electron');
  let code;
  let failure;
  try {
    code = await runTests({
      extensionDevelopmentPath: opts.ext,
      extensionTestsPath: opts.tests,
      extensionTestsEnv: env,
      launchArgs: [
        workspace,
        '--user-data-dir', userData,
        '--extensions-dir', path.join(tmp, 'extensions'),
        '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes',
        // Stable VS Code hands the proposed edit-source API only to extensions named here.
        ...(mode === 'on' ? ['--enable-proposed-api', opts.extensionId] : []),
      ],
    });
  } catch (e) {
    // A non-zero exit of the test window is mocha's failure; anything else (no download, no
    // display) means the tests never ran.
    if (e instanceof TestRunFailedError) code = e.code ?? 1;
    else failure = `could not run VS Code: ${e.message}`;
  }
  if (failure || code !== 0) {
    for (const file of findFiles(userData, (name) => /exthost\d*\.log$/.test(name))) {
      fs.copyFileSync(file, path.join(artifacts, path.basename(file)));
    }
    console.log(`${tag} edit-source=${mode}: kept ${tmp}; logs in ${path.relative(process.cwd(), artifacts)}`);
  } else if (!opts.keep) {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  console.log(`${tag} edit-source=${mode}: mocha exit ${failure ? `- (${failure})` : code} in ${((Date.now() - t0) / 1000).toFixed(1)} s (electron)`);
  return failure ? 1 : code;
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
  // Offline, the Electron download fails the same way for both modes: say it once, clearly.
  if (vscode.kind === 'electron') await downloadElectronVscode(vscode.why);
  const codes = [];
  for (const mode of opts.modes) {
    if (stopping) break;
    codes.push(vscode.kind === 'code-server' ? await runModeInServer(vscode, opts, mode) : await runModeInElectron(opts, mode));
  }
  return codes.find((c) => c !== 0) ?? 0;
}

main().then(
  (code) => { if (!stopping) process.exit(code); },
  (e) => {
    console.error(`${tag} ${e instanceof SetupError ? e.message : (e.stack ?? e.message)}`);
    process.exit(1);
  },
);
