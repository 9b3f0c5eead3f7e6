/**
 * The npm package of the CLI as a team installs it: `npm run pack:cli` (scripts/packCli.mjs)
 * packs the built bundles, the tarball is installed globally into a temp prefix with real npm
 * (offline: the package has no dependencies), and the installed `git-provenance` puts its hooks
 * into a real repository whose commit then gets its trailer. Also `npx` from the tarball.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cliPath, runProcess, TempRepo } from '../helpers/tempRepo';

const root = path.resolve(path.dirname(cliPath), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

/**
 * The environment without what an outer `npm test` hands its scripts (npm_config_*, the user
 * agent, …), so the nested npm reads only the user's own configuration and what we set here.
 */
function cleanEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^npm_/i.test(k) || k === 'INIT_CWD' || k === 'NODE') continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

describe('the npm package of the CLI (npm pack, npm i -g, npx)', function () {
  // Packing and two installs take a few seconds; the machine may be busy with other tests.
  this.timeout(240_000);
  let scratch: string;
  let tarball: string;
  let files: string[];
  let env: NodeJS.ProcessEnv;
  const probeCache = path.join(path.dirname(cliPath), 'hook-impl.js.npm-pack-probe.cache');

  before(async () => {
    scratch = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'aip-npm-package-')));
    // A code cache beside the hook bundle, as every hook run leaves: it must not be packed.
    fs.writeFileSync(probeCache, 'machine-specific\n');
    // Its own npm cache: nothing is fetched (--offline below), and npx's cache stays ours.
    env = cleanEnv({ npm_config_cache: path.join(scratch, 'npm-cache'), npm_config_update_notifier: 'false' });
    try {
      // --no-build: pack the bundles `npm test` has just built, while other tests run them.
      const r = await runProcess(process.execPath, [path.join(root, 'scripts', 'packCli.mjs'), '--out', scratch, '--no-build'], { cwd: root, env });
      assert.equal(r.code, 0, r.stderr);
      tarball = r.stdout.trim().split('\n').pop()!;
    } finally {
      fs.rmSync(probeCache, { force: true });
    }
    files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trim().split('\n').map((f) => f.replace(/^package\//, '')).sort();
  });

  after(() => {
    fs.rmSync(probeCache, { force: true });
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('is git-provenance-<version>.tgz holding only the CLI bundles and the docs', () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
    assert.equal(path.basename(tarball), `git-provenance-${version}.tgz`);
    assert.deepEqual(files, [
      'CHANGELOG.md', 'LICENSE', 'README.md',
      'dist/agent-hook.sh', 'dist/cli.js', 'dist/hook-impl.js', 'dist/hook.js', 'man/git-provenance.1',
      'package.json',
    ]);
    // Said separately so a failure names the rule that broke, should the list above grow.
    for (const f of files) {
      assert.doesNotMatch(f, /^(src|test|out|bench|scripts|node_modules|\.vscode-test)\//, f);
      assert.doesNotMatch(f, /\.(cache|map|ts|vsix|tgz)$/, f);
    }
  });

  it('declares no dependencies, and its CLI bundle needs nothing from vscode', () => {
    const manifest = JSON.parse(execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' })) as Record<string, unknown>;
    assert.equal(manifest.name, 'git-provenance');
    assert.deepEqual(manifest.bin, { 'git-provenance': './dist/cli.js' });
    assert.equal(manifest.dependencies, undefined);
    assert.equal(manifest.contributes, undefined, 'the extension manifest is not the CLI package');
    const cli = execFileSync('tar', ['-xzOf', tarball, 'package/dist/cli.js'], { encoding: 'utf8' });
    assert.doesNotMatch(cli, /require\(["']vscode["']\)/);
  });

  it('installs globally from the tarball; its hooks give a commit its Assisted-by trailer', async () => {
    const prefix = path.join(scratch, 'prefix');
    const install = await runProcess(npm, ['i', '-g', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', tarball], { cwd: scratch, env });
    assert.equal(install.code, 0, install.stderr);
    const bin = path.join(prefix, 'bin');
    const withBin = { ...env, PATH: `${bin}${path.delimiter}${env.PATH ?? ''}` };

    const version = await runProcess(path.join(bin, 'git-provenance'), ['--version'], { cwd: scratch, env: withBin });
    assert.equal(version.code, 0, version.stderr);
    assert.match(version.stdout.trim(), /^\d+\.\d+\.\d+/);

    const repo = TempRepo.create();
    try {
      repo.write('src/a.ts', 'one\n');
      repo.git('add', '-A');
      repo.git('commit', '-q', '-m', 'Initial commit');
      // `git provenance` as users type it: git finds git-provenance on PATH.
      const gitEnv = { ...withBin, GIT_CONFIG_NOSYSTEM: '1' };
      const installed = await runProcess('git', ['provenance', 'install'], { cwd: repo.root, env: gitEnv });
      assert.equal(installed.code, 0, installed.stderr);
      const hook = repo.read('.git/hooks/prepare-commit-msg');
      assert.ok(hook.includes(path.join(prefix, 'lib', 'node_modules', 'git-provenance', 'dist')), 'the hook runs the installed copy');

      repo.write('src/a.ts', 'one\ntwo\nthree\n');
      const recorded = await runProcess('git', ['provenance', 'record', '--tool', 'claude-code', '--model', 'claude-sonnet-4-5', 'src/a.ts:2-3'], { cwd: repo.root, env: gitEnv });
      assert.equal(recorded.code, 0, recorded.stderr);
      repo.git('add', '-A');
      const commit = await runProcess('git', ['commit', '-q', '-m', 'Two more lines'], { cwd: repo.root, env: gitEnv });
      assert.equal(commit.code, 0, commit.stderr);
      const message = repo.git('log', '-1', '--format=%B');
      assert.match(message, /^Assisted-by: Claude Code:claude-sonnet-4-5$/m);
      assert.match(message, /^AI-Lines: 2\/2$/m);
    } finally {
      repo.dispose();
    }
  });

  it('runs with npx from the tarball', async () => {
    const r = await runProcess(npx, ['--yes', '--offline', '--package', tarball, 'git-provenance', '--version'], { cwd: scratch, env });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout.trim(), /^\d+\.\d+\.\d+$/);
  });
});
