/**
 * Unit tests of src/git/hooks.ts: the hook script's text, and install/uninstall on a plain
 * folder (no git): chaining, idempotence, byte-for-byte restore.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stagedPatch } from '../../../src/git/commands';
import { chainedSuffix, hookScript, installHook, isOurHook, scriptProtocol, shQuote, stagedDiffFile, uninstallHook } from '../../../src/git/hooks';

describe('git hook scripts', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aip-hooks-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('quotes paths for sh, quotes included', () => {
    assert.equal(shQuote(`/a b/it's`), `'/a b/it'\\''s'`);
    const out = execFileSync('sh', ['-c', `printf %s ${shQuote(`/a b/it's $HOME`)}`], { encoding: 'utf8' });
    assert.equal(out, `/a b/it's $HOME`);
  });

  it('writes a POSIX sh script that names itself and runs the CLI', () => {
    const s = hookScript('post-rewrite', 'C:\\tools\\cli.js', '/usr/bin/node');
    assert.ok(s.startsWith('#!/bin/sh\n'));
    assert.ok(isOurHook(s));
    assert.match(s, /cli='C:\/tools\/cli\.js'/);
    assert.match(s, /input=\$\(cat\)/, 'post-rewrite keeps its stdin for both hooks');
    execFileSync('sh', ['-n', '-c', s]);
    execFileSync('sh', ['-n', '-c', hookScript('commit-msg', '/x/cli.js', '')]);
  });

  it('has prepare-commit-msg run the staged diff as the CLI would, beside node, and nothing else does', () => {
    const s = hookScript('prepare-commit-msg', '/x/hook.js', '/usr/bin/node');
    execFileSync('sh', ['-n', '-c', s]);
    assert.ok(s.includes(`git ${stagedPatch().args.map(shQuote).join(' ')} >"$staged"`), 'the same argv as stagedPatch()');
    assert.ok(s.includes(`staged=${stagedDiffFile}\n`));
    for (const v of [scriptProtocol.stagedDiff, scriptProtocol.trailersFd, scriptProtocol.statusLine, scriptProtocol.trailersEnd]) assert.ok(s.includes(v), v);
    assert.match(s, /"\$\{2-\}:\$\{3-\}" != commit:HEAD/, 'an amend compares with another base: node runs that diff');
    for (const other of ['commit-msg', 'post-commit', 'post-rewrite']) assert.ok(!hookScript(other, '/x/hook.js', '').includes(scriptProtocol.stagedDiff), other);
  });

  it('chains an existing hook, is idempotent, and restores it byte for byte', async () => {
    const user = '#!/bin/sh\necho mine\n';
    fs.writeFileSync(path.join(dir, 'post-commit'), user, { mode: 0o700 });
    const script = hookScript('post-commit', '/x/cli.js', '');
    assert.equal((await installHook(dir, 'post-commit', script, false)).action, 'chained');
    assert.equal(fs.readFileSync(path.join(dir, 'post-commit' + chainedSuffix), 'utf8'), user);
    assert.equal((await installHook(dir, 'post-commit', script, false)).action, 'unchanged');
    assert.equal((await installHook(dir, 'post-commit', hookScript('post-commit', '/y/cli.js', ''), false)).action, 'updated');
    assert.equal((await uninstallHook(dir, 'post-commit', false)).action, 'restored');
    assert.equal(fs.readFileSync(path.join(dir, 'post-commit'), 'utf8'), user);
    assert.equal(fs.statSync(path.join(dir, 'post-commit')).mode & 0o777, 0o700);
    assert.deepEqual(fs.readdirSync(dir), ['post-commit']);
    assert.equal((await uninstallHook(dir, 'post-commit', false)).action, 'foreign', 'never removes a hook that is not ours');
  });

  it('changes nothing in a dry run', async () => {
    assert.equal((await installHook(dir, 'commit-msg', hookScript('commit-msg', '/x', ''), true)).action, 'installed');
    assert.deepEqual(fs.readdirSync(dir), []);
  });
});
