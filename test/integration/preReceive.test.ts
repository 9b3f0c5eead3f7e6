/**
 * `git provenance pre-receive` and `update` as real server-side hooks of real bare
 * repositories, fed by real `git push`: an unreviewed AI commit into a critical path is refused
 * with commit, file, lines and what is missing; the same commit with a review passes; a push of
 * notes alone passes; a commit whose trailers say AI helped but whose note is missing is judged
 * by its trailers; the notes pushed with the commits are the evidence.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gitOk, gitRun, numbered } from '../helpers/gitHooks';
import { cliPath, TempRepo } from '../helpers/tempRepo';

/** A bare repository whose `hook` runs the built CLI as git runs any hook. */
function bareWithHook(hook: 'pre-receive' | 'update'): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'aip-server-')));
  gitOk(dir, ['init', '-q', '--bare', '-b', 'main']);
  const file = path.join(dir, 'hooks', hook);
  const args = hook === 'update' ? ' "$@"' : '';
  fs.writeFileSync(file, `#!/bin/sh\nexec "${process.execPath}" "${cliPath}" ${hook}${args}\n`, { mode: 0o755 });
  return dir;
}

const noHooks = ['-c', 'core.hooksPath=/dev/null'];

describe('server-side hooks: pre-receive and update (integration, real pushes)', function () {
  this.timeout(240_000);
  let server: string;
  let repo: TempRepo;
  let cwd: string;

  const push = (...refs: string[]): { code: number; stderr: string } => {
    const r = gitRun(cwd, ['push', 'origin', ...refs]);
    return { code: r.code, stderr: r.stderr };
  };
  const serverHas = (commit: string): boolean => gitRun(server, ['merge-base', '--is-ancestor', commit, 'main']).code === 0;
  const head = (): string => gitOk(cwd, ['rev-parse', 'HEAD']).trim();

  /** Commits `n` AI-written lines (recorded, hooks writing the note) to the payments file, skipping commit-msg's friction. */
  const aiCommit = async (n: number, subject: string, extra: string[] = []): Promise<string> => {
    const file = 'src/payments/charge.ts';
    const before = fs.existsSync(path.join(cwd, file)) ? repo.read(file) : '';
    const start = before === '' ? 1 : before.split('\n').length;
    repo.write(file, before + numbered(`ai ${subject}`, n));
    const r = await repo.cli(['record', '--tool', 'Claude Code', '--model', 'claude-sonnet-4-5', `${file}:${start}-${start + n - 1}`]);
    assert.equal(r.code, 0, r.stderr);
    gitOk(cwd, ['add', '-A']);
    gitOk(cwd, ['commit', '-q', '--no-verify', '-m', subject, ...extra]);
    return head();
  };

  beforeEach(async () => {
    server = bareWithHook('pre-receive');
    repo = TempRepo.create();
    cwd = repo.root;
    const r = await repo.cli(['install']);
    assert.equal(r.code, 0, r.stderr);
    gitOk(cwd, ['remote', 'add', 'origin', server]);
    repo.write('.ai-provenance.json', JSON.stringify({ critical: [{ paths: ['src/payments/**'], reason: 'payments code moves money', friction: 'review' }] }, null, 2) + '\n');
    repo.write('README.md', 'shop\n');
    gitOk(cwd, ['add', '-A']);
    gitOk(cwd, [...noHooks, 'commit', '-q', '-m', 'Policy']);
    const first = push('main');
    assert.equal(first.code, 0, first.stderr);
  });
  afterEach(() => {
    repo.dispose();
    fs.rmSync(server, { recursive: true, force: true });
  });

  it('must-show: refuses an unreviewed AI commit into a critical path, naming commit, file, lines and what is missing', async () => {
    const c = await aiCommit(10, 'Charge cards');
    const r = push('main', 'refs/notes/ai-provenance');
    assert.notEqual(r.code, 0, 'the push must be refused');
    assert.match(r.stderr, /remote: ai-provenance: push to refs\/heads\/main refused: 1 of 1 new commit does not meet the policy of main/);
    assert.match(r.stderr, new RegExp(`remote:   commit ${c.slice(0, 12)} Charge cards`));
    assert.match(r.stderr, /remote: {5}src\/payments\/charge\.ts lines 1-10/);
    // Judged by the note pushed in the same push (the server had no notes before).
    assert.match(r.stderr, /missing: AI-written lines in critical path src\/payments\/charge\.ts \(payments code moves money\) without review: no "Reviewed-by:" trailer naming someone other than the author/);
    assert.equal(serverHas(c), false);
    assert.equal(gitRun(server, ['rev-parse', '-q', '--verify', 'refs/notes/ai-provenance']).code, 1, 'a refused push updates no ref, the notes neither');
  });

  it('must-show: the same push passes once the commit carries a qualifying review', async () => {
    await aiCommit(10, 'Charge cards');
    assert.notEqual(push('main', 'refs/notes/ai-provenance').code, 0);
    // The review goes into the trailers; our post-rewrite hook carries the note to the amended commit.
    gitOk(cwd, ['commit', '-q', '--amend', '--no-verify', '-m', 'Charge cards', '-m', 'Reviewed-by: Other Person <other@example.com>']);
    const reviewed = head();
    const r = push('main', 'refs/notes/ai-provenance');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(serverHas(reviewed), true);
    assert.equal(gitOk(server, ['notes', '--ref', 'ai-provenance', 'list', reviewed]).trim().length > 0, true, 'the note arrived with it');
  });

  it('must-show: a push of notes alone is never refused, even notes of commits that would be', async () => {
    await aiCommit(10, 'Charge cards');
    const r = push('refs/notes/ai-provenance');
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /refused/);
  });

  it('must-show: a commit whose trailers say AI helped but whose note is missing is judged by its trailers', () => {
    repo.write('src/payments/refund.ts', numbered('codex', 4));
    gitOk(cwd, ['add', '-A']);
    gitOk(cwd, [...noHooks, 'commit', '-q', '-m', 'Refunds', '-m', 'Assisted-by: Codex:gpt-5']);
    const c = head();
    const r = push('main');
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, new RegExp(`commit ${c.slice(0, 12)} Refunds`));
    assert.match(r.stderr, /src\/payments\/refund\.ts lines 1-4/);
    assert.match(r.stderr, /missing: lines of a commit whose message says AI helped \(no note: every added line counts\) in critical path src\/payments\/refund\.ts/);
    // Reviewed, the same kind of commit passes.
    gitOk(cwd, [...noHooks, 'commit', '-q', '--amend', '-m', 'Refunds', '-m', 'Assisted-by: Codex:gpt-5\nReviewed-by: Other Person <other@example.com>']);
    assert.equal(push('main').code, 0);
  });

  it('a commit without AI lines and a new branch pass; a new branch is judged by the default branch policy', async () => {
    repo.write('src/payments/notes.md', 'human text\n');
    gitOk(cwd, ['add', '-A']);
    gitOk(cwd, [...noHooks, 'commit', '-q', '-m', 'Human change']);
    assert.equal(push('main').code, 0);
    gitOk(cwd, [...noHooks, 'checkout', '-q', '-b', 'feature']);
    // The branch drops the rule in the same commit as its AI lines: the default branch's policy still applies.
    repo.write('.ai-provenance.json', '{ "critical": [] }\n');
    const c = await aiCommit(3, 'Sneaky');
    const r = push('feature', 'refs/notes/ai-provenance');
    assert.notEqual(r.code, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`commit ${c.slice(0, 12)} Sneaky`));
  });

  it('the update hook form refuses the same commit, judging by notes already on the server', async () => {
    const update = bareWithHook('update');
    try {
      gitOk(cwd, ['remote', 'add', 'upd', update]);
      assert.equal(gitRun(cwd, ['push', 'upd', 'main']).code, 0);
      const c = await aiCommit(5, 'Charge cards');
      assert.equal(gitRun(cwd, ['push', 'upd', 'refs/notes/ai-provenance']).code, 0, 'notes alone pass');
      const r = gitRun(cwd, ['push', 'upd', 'main']);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, new RegExp(`commit ${c.slice(0, 12)} Charge cards`));
      assert.match(r.stderr, /src\/payments\/charge\.ts lines 1-5/);
      assert.match(r.stderr, /missing: AI-written lines in critical path/);
    } finally {
      fs.rmSync(update, { recursive: true, force: true });
    }
  });
});
