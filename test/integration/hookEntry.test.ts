/**
 * The program the git hooks run (`dist/hook.js`, which starts `dist/hook-impl.js`), and how
 * prepare-commit-msg's script shares its git work with it, on real repositories: hooks that an
 * earlier version installed (running `cli.js hook-git`) keep working until `install` updates
 * them; the script's diff and its hand-back of `git interpret-trailers` are used when whole,
 * and node does the work itself when they are missing, failed or cut short.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gitHookNames as hookNames, scriptProtocol, stagedDiffFile } from '../../src/git/hooks';
import { gitOk, messageOf, noteOf, ourTrailers, repoWithoutSampleHooks, stageAiLines } from '../helpers/gitHooks';
import type { TempRepo } from '../helpers/tempRepo';
import { cliPath, fixedEnv } from '../helpers/tempRepo';
const hookJs = path.join(path.dirname(cliPath), 'hook.js');

/** The hook script an earlier version wrote: node runs `cli.js hook-git` and does all the work. */
function earlierHook(name: string): string {
  const stdin = name === 'post-rewrite' ? 'input=$(cat)\nprintf \'%s\\n\' "$input" | ' : '';
  return `#!/bin/sh\n# ai-provenance-hook v1\nhook='${name}'\ncli='${cliPath}'\nnode_bin='${process.execPath}'\nAIP_GIT_PID=$PPID\nexport AIP_GIT_PID\n${stdin}"$node_bin" "$cli" hook-git "$hook" "$@"${stdin ? '' : ' </dev/null'}\nexit 0\n`;
}

interface Run {
  readonly code: number;
  readonly stderr: string;
  /** What node wrote on file descriptor 3, when it had one. */
  readonly fd3: string;
}

/** Runs `dist/hook.js hook-git prepare-commit-msg <msg> message` as the script does, stdin and fd 3 given. */
function runPrepare(cwd: string, env: Record<string, string>, stdin: string, withFd3: boolean): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [hookJs, 'hook-git', 'prepare-commit-msg', '.git/COMMIT_EDITMSG', 'message'], {
      cwd,
      env: { ...process.env, ...fixedEnv, ...env },
      stdio: withFd3 ? ['pipe', 'pipe', 'pipe', 'pipe'] : ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    let fd3 = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    if (withFd3) (child.stdio[3] as NodeJS.ReadableStream).on('data', (d: Buffer) => (fd3 += d.toString()));
    child.on('close', (code) => resolve({ code: code ?? 1, stderr, fd3 }));
    child.stdin.end(stdin);
  });
}

describe('the hook entry and prepare-commit-msg\'s script (integration)', function () {
  this.timeout(240_000);
  let repo: TempRepo;
  let cwd: string;
  const hooksDir = (): string => path.join(cwd, '.git', 'hooks');
  const aiChange = (file: string, lines = 3): Promise<void> => stageAiLines(repo, file, lines);
  beforeEach(() => {
    repo = repoWithoutSampleHooks();
    cwd = repo.root;
  });
  afterEach(() => repo.dispose());

  it('installs hooks that run dist/hook.js; it starts the hook bundle and keeps its code cache beside it', async () => {
    assert.equal((await repo.cli(['install'])).code, 0);
    for (const h of hookNames) assert.ok(fs.readFileSync(path.join(hooksDir(), h), 'utf8').includes(`cli='${hookJs.replace(/\\/g, '/')}'`), h);
    await aiChange('a.ts');
    gitOk(cwd, ['commit', '-m', 'through hook.js']);
    assert.deepEqual(ourTrailers(cwd).slice(0, 2), ['Assisted-by: T:m', 'AI-Lines: 3/3']);
    assert.ok(noteOf(cwd));
    for (const h of ['prepare-commit-msg', 'commit-msg', 'post-commit']) assert.ok(fs.existsSync(path.join(path.dirname(cliPath), `hook-impl.js.${h}.cache`)), `${h} made its code cache`);
    assert.ok(!fs.existsSync(path.join(cwd, stagedDiffFile)), 'the script\'s diff file is gone');
  });

  it('keeps hooks an earlier version installed working; install updates them, uninstall removes them', async () => {
    for (const h of hookNames) fs.writeFileSync(path.join(hooksDir(), h), earlierHook(h), { mode: 0o755 });
    await aiChange('a.ts');
    gitOk(cwd, ['commit', '-m', 'through cli.js']);
    assert.deepEqual(ourTrailers(cwd).slice(0, 2), ['Assisted-by: T:m', 'AI-Lines: 3/3']);
    assert.ok(noteOf(cwd));
    const install = await repo.cli(['install']);
    assert.equal(install.stdout.split('\n').filter((l) => l.startsWith('updated')).length, hookNames.length, install.stdout);
    for (const h of hookNames) assert.ok(fs.readFileSync(path.join(hooksDir(), h), 'utf8').includes('/hook.js'), h);
    await aiChange('b.ts', 2);
    gitOk(cwd, ['commit', '-m', 'through hook.js']);
    assert.ok(ourTrailers(cwd).includes('AI-Lines: 2/2'));
    for (const h of hookNames) fs.writeFileSync(path.join(hooksDir(), h), earlierHook(h), { mode: 0o755 });
    assert.equal((await repo.cli(['uninstall'])).code, 0);
    assert.deepEqual(fs.readdirSync(hooksDir()), []);
  });

  it('uses the script\'s diff and hands back the interpret-trailers arguments, ended and on fd 3', async () => {
    assert.equal((await repo.cli(['install'])).code, 0);
    await aiChange('a.ts');
    const msg = path.join(cwd, '.git', 'COMMIT_EDITMSG');
    fs.writeFileSync(msg, 'subject\n');
    // A diff that names another file than the index holds: proof that node used it.
    const diff = 'diff --git a/a.ts b/a.ts\nnew file mode 100644\n--- /dev/null\n+++ b/a.ts\n@@ -0,0 +1,2 @@\n+ai 0\n+ai 1\n';
    fs.writeFileSync(path.join(cwd, stagedDiffFile), diff);
    const r = await runPrepare(cwd, { [scriptProtocol.stagedDiff]: stagedDiffFile, [scriptProtocol.trailersFd]: '3' }, `${scriptProtocol.statusLine} 0\n`, true);
    assert.equal(r.code, 0, r.stderr);
    const args = r.fd3.split('\n');
    assert.equal(args.at(-2), scriptProtocol.trailersEnd, r.fd3);
    assert.ok(args.includes('interpret-trailers') && args.includes('AI-Lines: 2/2') && args.includes(msg), r.fd3);
    assert.equal(fs.readFileSync(msg, 'utf8'), 'subject\n', 'the script adds them, not node');
    assert.ok(!fs.existsSync(path.join(cwd, stagedDiffFile)), 'node removed the diff file');
  });

  it('does the work itself when the script\'s diff failed or is missing, or there is no fd 3', async () => {
    assert.equal((await repo.cli(['install'])).code, 0);
    await aiChange('a.ts');
    const msg = path.join(cwd, '.git', 'COMMIT_EDITMSG');
    // Status, diff file, fd for the arguments (fds 0-2 are never taken for it).
    const cases = [
      [`${scriptProtocol.statusLine} 128\n`, stagedDiffFile, '2'],
      [`${scriptProtocol.statusLine} 0\n`, 'no-such.diff', undefined],
      ['', stagedDiffFile, 'x'],
    ] as const;
    for (const [stdin, file, fd] of cases) {
      fs.writeFileSync(path.join(cwd, stagedDiffFile), 'diff --git a/x b/x\n--- /dev/null\n+++ b/x\n@@ -0,0 +1,9 @@\n');
      fs.writeFileSync(msg, 'subject\n');
      const r = await runPrepare(cwd, { [scriptProtocol.stagedDiff]: file, ...(fd ? { [scriptProtocol.trailersFd]: fd } : {}) }, stdin, false);
      assert.equal(r.code, 0, r.stderr);
      assert.match(fs.readFileSync(msg, 'utf8'), /^subject\n\nAssisted-by: T:m\nAI-Lines: 3\/3\nAI-Provenance: /, `${JSON.stringify(stdin)} ${file}`);
    }
  });

  it('runs nothing when node hands back arguments without the end line (node failed half-way)', async () => {
    const fakeNode = path.join(cwd, '.git', 'fake-node');
    const log = path.join(cwd, '.git', 'fake-node.log');
    assert.equal((await repo.cli(['install', '--node', fakeNode])).code, 0);
    await aiChange('a.ts');
    for (const end of ['', `${scriptProtocol.trailersEnd}\\n`]) {
      // Node as far as the script can tell: reads the diff status, hands back a trailer.
      fs.writeFileSync(fakeNode, `#!/bin/sh\n[ "$3" = prepare-commit-msg ] || exit 0\ncat > '${log}'\nprintf 'interpret-trailers\\n--in-place\\n--trailer\\nX-Test: handed back\\n%s\\n${end}' "$PWD/$4" >&3\n`, { mode: 0o755 });
      fs.writeFileSync(path.join(cwd, 'a.ts'), `ai 0\nai 1\nai 2${end ? ' again' : ''}\n`);
      gitOk(cwd, ['add', 'a.ts']);
      // --no-verify: a plain commit leaves node's work to commit-msg (issue #15), so the
      // script's hand-back protocol runs where commit-msg will not.
      gitOk(cwd, ['commit', '--no-verify', '-m', 'fake node']);
      assert.equal(fs.readFileSync(log, 'utf8'), `${scriptProtocol.statusLine} 0\n`, 'the diff ran beside node');
      assert.equal(messageOf(cwd).includes('X-Test: handed back'), end !== '', end ? 'ended: added' : 'not ended: nothing run');
    }
  });
});
