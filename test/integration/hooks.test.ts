/**
 * `git provenance install` / `uninstall` on real repositories: the hooks folder git really
 * uses (core.hooksPath, a husky-style layout, linked worktrees), chaining to hooks already
 * there (arguments, stdin and failures passed through; restored byte for byte), the notes
 * configuration, idempotence, dry runs, and commits that go on when node or the CLI is gone.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gitHookNames as hookNames } from '../../src/git/hooks';
import { gitOk, gitRun, noteOf, ourTrailers, repoWithoutSampleHooks, stageAiLines } from '../helpers/gitHooks';
import type { TempRepo } from '../helpers/tempRepo';

describe('git provenance install / uninstall (integration)', function () {
  this.timeout(240_000);
  let repo: TempRepo;
  let cwd: string;
  const hooksDir = (): string => path.join(cwd, '.git', 'hooks');
  const aiChange = (file: string): Promise<void> => stageAiLines(repo, file);
  beforeEach(() => {
    repo = repoWithoutSampleHooks();
    cwd = repo.root;
  });
  afterEach(() => repo.dispose());

  it('installs every hook and the notes config, idempotently; uninstall undoes exactly that', async () => {
    gitOk(cwd, ['config', '--add', 'notes.rewriteRef', 'refs/notes/commits']);
    const dry = await repo.cli(['install', '--dry-run']);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /would: installed/);
    assert.deepEqual(fs.readdirSync(hooksDir()), [], 'a dry run writes nothing');
    assert.deepEqual(gitOk(cwd, ['config', '--get-all', 'notes.rewriteRef']).trim().split('\n'), ['refs/notes/commits']);

    assert.equal((await repo.cli(['install'])).code, 0);
    const again = await repo.cli(['install']);
    assert.equal(again.code, 0);
    assert.equal(again.stdout.split('\n').filter((l) => l.startsWith('up to date')).length, hookNames.length);
    assert.deepEqual(fs.readdirSync(hooksDir()).sort(), [...hookNames].sort());
    for (const h of hookNames) assert.ok(fs.statSync(path.join(hooksDir(), h)).mode & 0o100, `${h} is executable`);
    assert.deepEqual(gitOk(cwd, ['config', '--get-all', 'notes.rewriteRef']).trim().split('\n'), ['refs/notes/commits', 'refs/notes/ai-provenance'], 'added once, the other value kept');
    assert.equal(gitOk(cwd, ['config', 'notes.rewrite.rebase']).trim(), 'true');

    const un = await repo.cli(['uninstall']);
    assert.equal(un.code, 0, un.stderr);
    assert.deepEqual(fs.readdirSync(hooksDir()), []);
    assert.deepEqual(gitOk(cwd, ['config', '--get-all', 'notes.rewriteRef']).trim().split('\n'), ['refs/notes/commits']);
    assert.equal(gitRun(cwd, ['config', 'notes.rewrite.rebase']).code, 1, 'what we set is unset again');
  });

  it('chains to existing hooks: arguments, stdin and failures pass through; uninstall restores them byte for byte', async () => {
    const log = path.join(cwd, '.git', 'user-hooks.log');
    const userHooks: Record<string, string> = {
      'prepare-commit-msg': `#!/bin/sh\necho "user prepare-commit-msg $2" >> "${log}"\n`,
      'commit-msg': `#!/bin/sh\ngrep -q BLOCKME "$1" && exit 7\necho "user commit-msg" >> "${log}"\n`,
      'post-rewrite': `#!/usr/bin/env bash\nwhile read -r old new rest; do echo "user post-rewrite $1 \${#old} \${#new}" >> "${log}"; done\n`,
    };
    for (const [name, text] of Object.entries(userHooks)) fs.writeFileSync(path.join(hooksDir(), name), text, { mode: 0o750 });
    const install = await repo.cli(['install']);
    assert.match(install.stdout, /the hook that was there runs first/);

    await aiChange('a.ts');
    gitOk(cwd, ['commit', '-m', 'first']);
    assert.ok(ourTrailers(cwd).includes('AI-Lines: 1/1'));
    gitOk(cwd, ['commit', '--amend', '-m', 'first, amended']);
    assert.deepEqual(fs.readFileSync(log, 'utf8').trim().split('\n'), [
      'user prepare-commit-msg message',
      'user commit-msg',
      'user prepare-commit-msg message',
      'user commit-msg',
      'user post-rewrite amend 40 40',
    ]);
    await aiChange('b.ts');
    const blocked = gitRun(cwd, ['commit', '-m', 'BLOCKME']);
    assert.notEqual(blocked.code, 0, 'a failing chained commit-msg still stops the commit');

    assert.equal((await repo.cli(['uninstall'])).code, 0);
    for (const [name, text] of Object.entries(userHooks)) {
      assert.equal(fs.readFileSync(path.join(hooksDir(), name), 'utf8'), text);
      assert.equal(fs.statSync(path.join(hooksDir(), name)).mode & 0o777, 0o750);
    }
    assert.deepEqual(fs.readdirSync(hooksDir()).sort(), Object.keys(userHooks).sort());
  });

  it('installs where core.hooksPath points, and chains into a husky-style layout', async () => {
    // A husky-like layout: core.hooksPath=.husky/_, each hook there sources a helper that runs
    // .husky/<name> (the helper finds the name through $0).
    const husky = path.join(cwd, '.husky');
    fs.mkdirSync(path.join(husky, '_'), { recursive: true });
    fs.writeFileSync(path.join(husky, '_', 'h'), '#!/usr/bin/env sh\nn=$(basename "$0")\ns=$(dirname "$(dirname "$0")")/$n\n[ -f "$s" ] || exit 0\nsh -e "$s" "$@"\n', { mode: 0o755 });
    for (const name of ['prepare-commit-msg', 'post-commit']) fs.writeFileSync(path.join(husky, '_', name), '#!/usr/bin/env sh\n. "$(dirname "$0")/h"\n', { mode: 0o755 });
    fs.writeFileSync(path.join(husky, 'prepare-commit-msg'), 'echo "husky hook ran: $2" >> .git/husky.log\n');
    gitOk(cwd, ['config', 'core.hooksPath', '.husky/_']);
    const install = await repo.cli(['install']);
    assert.match(install.stdout, /\.husky\/_\/prepare-commit-msg \(the hook that was there runs first\)/);
    assert.match(install.stdout, /inside the work tree/);
    assert.deepEqual(fs.readdirSync(hooksDir()), [], 'nothing in .git/hooks, which git does not use here');
    await aiChange('a.ts');
    gitOk(cwd, ['commit', '-m', 'with husky']);
    assert.equal(fs.readFileSync(path.join(cwd, '.git', 'husky.log'), 'utf8'), 'husky hook ran: message\n');
    assert.ok(ourTrailers(cwd).includes('AI-Lines: 1/1'));
    assert.ok(noteOf(cwd));
  });

  it('serves linked worktrees from the shared hooks, each with its own ledger', async () => {
    repo.write('base.txt', 'b\n');
    gitOk(cwd, ['add', 'base.txt']);
    gitOk(cwd, ['commit', '-m', 'base']);
    const wt = path.join(fs.realpathSync(os.tmpdir()), `aip-wt-${path.basename(cwd)}`);
    gitOk(cwd, ['worktree', 'add', '-q', '-b', 'wt', wt]);
    try {
      assert.equal((await repo.cli(['install'], { cwd: wt })).code, 0);
      assert.ok(fs.existsSync(path.join(hooksDir(), 'post-commit')), 'installed in the common hooks folder');
      fs.writeFileSync(path.join(wt, 'w.ts'), 'ai in worktree\n');
      assert.equal((await repo.cli(['record', '--tool', 'T', 'w.ts:1'], { cwd: wt })).code, 0);
      assert.ok(fs.existsSync(path.join(cwd, '.git', 'worktrees', path.basename(wt), 'ai-provenance', 'ledger.json')));
      gitOk(wt, ['add', 'w.ts']);
      gitOk(wt, ['commit', '-m', 'in worktree']);
      assert.ok(ourTrailers(wt).includes('AI-Lines: 1/1'));
      assert.ok(noteOf(cwd, 'wt'), 'notes are shared');
    } finally {
      gitRun(cwd, ['worktree', 'remove', '--force', wt]);
      fs.rmSync(wt, { recursive: true, force: true });
    }
  });

  it('never blocks a commit when node or the CLI is missing: one warning, exit 0', async () => {
    assert.equal((await repo.cli(['install', '--node', '/nonexistent/node'])).code, 0);
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'aip-bin-'));
    try {
      fs.symlinkSync('/usr/bin/git', path.join(bin, 'git'));
      await aiChange('a.ts');
      const r = gitRun(cwd, ['commit', '-m', 'no node'], { env: { PATH: bin } });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /ai-provenance: node not found; prepare-commit-msg hook skipped, commit not blocked/);
      assert.equal(r.stderr.split('\n').filter((l) => l.includes('prepare-commit-msg')).length, 1);
    } finally {
      fs.rmSync(bin, { recursive: true, force: true });
    }
    // The CLI moved away (an extension update): the same.
    assert.equal((await repo.cli(['install', '--cli', path.join(cwd, 'fake-cli.js')].concat([]))).code, 2, 'a missing --cli is a usage error');
    fs.writeFileSync(path.join(cwd, 'fake-cli.js'), '');
    assert.equal((await repo.cli(['install', '--cli', path.join(cwd, 'fake-cli.js')])).code, 0);
    fs.rmSync(path.join(cwd, 'fake-cli.js'));
    await aiChange('b.ts');
    const r = gitRun(cwd, ['commit', '-m', 'no cli']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /fake-cli\.js is missing; prepare-commit-msg hook skipped/);
  });

  it('adds a fetch refspec for a remote\'s notes with --remote, and removes it on uninstall', async () => {
    gitOk(cwd, ['remote', 'add', 'origin', 'https://example.invalid/repo.git']);
    const r = await repo.cli(['install', '--remote', 'origin']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /git push origin refs\/notes\/ai-provenance/);
    const fetch = gitOk(cwd, ['config', '--get-all', 'remote.origin.fetch']).trim().split('\n');
    assert.ok(fetch.includes('+refs/notes/ai-provenance:refs/notes/remotes/origin/ai-provenance'), fetch.join('\n'));
    assert.equal(gitRun(cwd, ['config', '--get-all', 'remote.origin.push']).code, 1, 'no push refspec: plain git push is unchanged');
    assert.equal((await repo.cli(['install', '--remote', 'nope'])).code, 2);
    await repo.cli(['uninstall']);
    assert.ok(!gitOk(cwd, ['config', '--get-all', 'remote.origin.fetch']).includes('notes'));
  });
});
