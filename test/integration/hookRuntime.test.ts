/**
 * Git hooks on a machine without node on PATH: the runtime `install` chooses (node on PATH,
 * the node given, or an editor's Electron run as node), commits that get their trailers with
 * `PATH` lacking node, and the one-time warning when no runtime is left at all.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chooseHookRuntime, describeRuntime, findOnPath } from '../../src/git/hookRuntime';
import { gitOk, gitRun, ourTrailers, repoWithoutSampleHooks, stageAiLines } from '../helpers/gitHooks';
import { cliPath, fixedEnv, runProcess } from '../helpers/tempRepo';
import type { TempRepo } from '../helpers/tempRepo';

/** The git binary the tests run, found on the test's own PATH. */
const gitBinary = findOnPath('git', process.env.PATH) ?? '/usr/bin/git';

describe('git hooks without node on PATH (integration)', function () {
  this.timeout(240_000);
  let repo: TempRepo;
  let tmp: string;
  /** A PATH of one folder holding only git: no node, as in a desktop session that never installed Node.js. */
  let noNodePath: string;
  beforeEach(() => {
    repo = repoWithoutSampleHooks();
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'aip-runtime-')));
    const bin = path.join(tmp, 'bin');
    fs.mkdirSync(bin);
    fs.symlinkSync(gitBinary, path.join(bin, 'git'));
    noNodePath = bin;
  });
  afterEach(() => {
    repo.dispose();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  /**
   * A stand-in for an editor's Electron binary: it runs JavaScript only with
   * ELECTRON_RUN_AS_NODE=1 (else it fails, as Electron would open a window), and reports an
   * Electron version and itself as the running binary, as Electron does.
   */
  function fakeElectron(): string {
    const preload = path.join(tmp, 'electron-preload.js');
    fs.writeFileSync(preload, "Object.defineProperty(process.versions, 'electron', { value: '99.0.0', enumerable: true });\nprocess.execPath = process.env.AIP_FAKE_ELECTRON;\n");
    const exe = path.join(tmp, 'editor', 'code');
    fs.mkdirSync(path.dirname(exe));
    fs.writeFileSync(exe, `#!/bin/sh\n[ "$ELECTRON_RUN_AS_NODE" = 1 ] || { echo "fake electron: ELECTRON_RUN_AS_NODE is not set" >&2; exit 9; }\nAIP_FAKE_ELECTRON="$0" exec '${process.execPath}' -r '${preload}' "$@"\n`, { mode: 0o755 });
    return exe;
  }

  it('chooses node on PATH from an editor when it is 20+, else the editor itself as node', async () => {
    const electronCtx = { execPath: '/opt/editor/code', electron: '34.0.0', nodeVersion: '20.18.0' };
    const withNode = await chooseHookRuntime({ ...electronCtx, pathEnv: `${noNodePath}:${path.dirname(process.execPath)}` });
    assert.equal(withNode.path, path.join(path.dirname(process.execPath), 'node'));
    assert.deepEqual([withNode.electron, withNode.source, withNode.nodeVersion], [false, 'path', process.versions.node]);
    assert.match(describeRuntime(withNode), /found on PATH/);

    const without = await chooseHookRuntime({ ...electronCtx, pathEnv: noNodePath });
    assert.deepEqual(without, { path: '/opt/editor/code', electron: true, nodeVersion: '20.18.0', source: 'self' });
    assert.match(describeRuntime(without), /editor's own runtime as node.*ELECTRON_RUN_AS_NODE=1; no Node\.js 20\+ on PATH/);

    // Too old a node on PATH counts as none.
    const oldNode = await chooseHookRuntime({ ...electronCtx, pathEnv: `${path.dirname(process.execPath)}`, probe: () => Promise.resolve({ node: '18.20.0' }) });
    assert.equal(oldNode.electron, true);
    // From a terminal, the node running install.
    const plain = await chooseHookRuntime({ execPath: process.execPath, nodeVersion: process.versions.node, pathEnv: noNodePath });
    assert.deepEqual([plain.path, plain.electron], [process.execPath, false]);
  });

  it('commits get their trailers with PATH lacking node: install --node <abs node>', async () => {
    const r = await repo.cli(['install', '--node', process.execPath]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`hooks run: ${process.execPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(Node\\.js ${process.versions.node}, given with --node\\)`));
    await stageAiLines(repo, 'a.ts', 2);
    const c = gitRun(repo.root, ['commit', '-m', 'no node on PATH'], { env: { PATH: noNodePath } });
    assert.equal(c.code, 0, c.stderr);
    assert.equal(c.stderr, '', 'nothing to warn about');
    assert.ok(ourTrailers(repo.root).includes('AI-Lines: 2/2'), ourTrailers(repo.root).join('\n'));
  });

  it('installed from an editor without node on PATH, the hooks run the editor as node and commits get their trailers', async () => {
    const editor = fakeElectron();
    const env = { ...process.env, ...fixedEnv, PATH: noNodePath, ELECTRON_RUN_AS_NODE: '1' };
    const r = await runProcess(editor, [cliPath, 'install', '--cli', cliPath], { cwd: repo.root, env });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /hooks run: .*\/editor\/code \(the editor's own runtime as node, Node\.js [\d.]+, with ELECTRON_RUN_AS_NODE=1; no Node\.js 20\+ on PATH\)/);
    await stageAiLines(repo, 'a.ts', 3);
    // git and the hooks run without ELECTRON_RUN_AS_NODE: the hook must set it for the editor binary.
    const c = gitRun(repo.root, ['commit', '-m', 'from the editor'], { env: { PATH: noNodePath, ELECTRON_RUN_AS_NODE: '' } });
    assert.equal(c.code, 0, c.stderr);
    assert.doesNotMatch(c.stderr, /fake electron|ai-provenance/);
    assert.ok(ourTrailers(repo.root).includes('AI-Lines: 3/3'), `${ourTrailers(repo.root).join('\n')}\n${c.stderr}`);
    assert.ok(gitOk(repo.root, ['notes', '--ref', 'ai-provenance', 'list']).trim().length > 0, 'post-commit wrote the note');
  });

  it('with no runtime left, says so once with the fix over two commits, never blocking them; install resets it', async () => {
    assert.equal((await repo.cli(['install', '--node', path.join(tmp, 'gone', 'code')])).code, 0);
    const warnings = (stderr: string): string[] => stderr.split('\n').filter((l) => l.startsWith('ai-provenance:'));
    await stageAiLines(repo, 'a.ts');
    const first = gitRun(repo.root, ['commit', '-m', 'one'], { env: { PATH: noNodePath } });
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(warnings(first.stderr).length, 2, first.stderr);
    assert.match(first.stderr, /node not found; prepare-commit-msg hook skipped, commit not blocked/);
    assert.match(first.stderr, /fix: install Node\.js 20\+ on PATH .*git provenance install --node PATH.*this is said once/);
    await stageAiLines(repo, 'b.ts');
    const second = gitRun(repo.root, ['commit', '-m', 'two'], { env: { PATH: noNodePath } });
    assert.equal(second.code, 0, second.stderr);
    assert.deepEqual(warnings(second.stderr), [], 'said once, not on every commit');
    assert.equal(gitOk(repo.root, ['rev-list', '--count', 'HEAD']).trim(), '2', 'both commits made');

    assert.equal((await repo.cli(['install', '--node', path.join(tmp, 'gone', 'code')])).code, 0);
    await stageAiLines(repo, 'c.ts');
    const third = gitRun(repo.root, ['commit', '-m', 'three'], { env: { PATH: noNodePath } });
    assert.equal(warnings(third.stderr).length, 2, 'a new install lets the hooks say it again');
  });
});
