/**
 * `git provenance check`, the CI gate, on a real history made with the built CLI installed as
 * hooks: an unreviewed AI commit in a critical path (made with --no-verify, which skips the
 * commit-msg hook), a reviewed one, a commit whose trailers were edited away while its note
 * stayed, a commit known only by its trailers, a commit that weakens the policy, and one made
 * under a broken policy file. The history is built once; each test checks a range of it.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gitOk, noteOf, numbered } from '../helpers/gitHooks';
import { TempRepo } from '../helpers/tempRepo';

interface CheckJson {
  range: string[];
  commits: number;
  violations: Array<{ commit: string; kind: string; friction?: string; evidence: string; files: Array<{ path: string; lines: Array<[number, number]> }>; message: string }>;
  warnings: Array<{ commit?: string; message: string }>;
}

describe('git provenance check (integration)', function () {
  this.timeout(240_000);
  let repo: TempRepo;
  let cwd: string;
  const sha: Record<string, string> = {};
  const record = async (...spans: string[]): Promise<void> => {
    const r = await repo.cli(['record', '--tool', 'Claude Code', '--model', 'claude-sonnet-4-5', ...spans]);
    assert.equal(r.code, 0, r.stderr);
  };
  const append = (file: string, text: string): number => {
    const before = fs.existsSync(path.join(cwd, file)) ? repo.read(file).split('\n').length - 1 : 0;
    repo.write(file, (before > 0 ? repo.read(file) : '') + text);
    return before;
  };
  const commit = (name: string, args: string[]): void => {
    gitOk(cwd, ['add', '-A']);
    gitOk(cwd, ['commit', '-q', ...args]);
    sha[name] = gitOk(cwd, ['rev-parse', 'HEAD']).trim();
  };
  const noHooks = ['-c', 'core.hooksPath=/dev/null'];
  const check = (...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => repo.cli(['check', ...args]);

  before(async () => {
    repo = TempRepo.create();
    cwd = repo.root;
    const r = await repo.cli(['install']);
    assert.equal(r.code, 0, r.stderr);
    const policy = { critical: [{ paths: ['src/payments/**'], reason: 'payments code moves money', friction: 'review' }] };
    repo.write('.ai-provenance.json', JSON.stringify(policy, null, 2) + '\n');
    repo.write('src/util.ts', 'export {};\n');
    gitOk(cwd, ['add', '-A']);
    gitOk(cwd, [...noHooks, 'commit', '-q', '-m', 'policy']);
    sha.policy = gitOk(cwd, ['rev-parse', 'HEAD']).trim();

    // unreviewed: AI lines 1-10 of charge.ts, the hook skipped.
    append('src/payments/charge.ts', numbered('ai', 10) + numbered('human', 2));
    await record('src/payments/charge.ts:1-10');
    commit('unreviewed', ['--no-verify', '-m', 'Charge cards']);
    // reviewed: AI lines 13-14, reviewed by someone else.
    append('src/payments/charge.ts', numbered('ai refund', 2));
    await record('src/payments/charge.ts:13-14');
    commit('reviewed', ['-m', 'Refunds', '-m', 'Reviewed-by: Other Person <o@x>']);
    // tampered: reviewed, then its message rewritten without our trailers (hooks off; git copies the note).
    append('src/payments/charge.ts', numbered('ai fee', 3));
    await record('src/payments/charge.ts:15-17');
    commit('tamperedOriginal', ['-m', 'Fees', '-m', 'Reviewed-by: Other Person <o@x>']);
    gitOk(cwd, [...noHooks, 'commit', '-q', '--amend', '-m', 'Fees', '-m', 'Reviewed-by: Other Person <o@x>']);
    sha.tampered = gitOk(cwd, ['rev-parse', 'HEAD']).trim();
    // trailersOnly: made without our hooks, but says AI helped.
    append('src/payments/charge.ts', numbered('codex', 2));
    append('src/util.ts', numbered('codex util', 2));
    gitOk(cwd, ['add', '-A']);
    gitOk(cwd, [...noHooks, 'commit', '-q', '-m', 'Currency', '-m', 'Assisted-by: Codex:gpt-5']);
    sha.trailersOnly = gitOk(cwd, ['rev-parse', 'HEAD']).trim();
    // weakening: drops the payments rule and adds AI lines there in the same commit.
    repo.write('.ai-provenance.json', JSON.stringify({ critical: [{ paths: ['src/other/**'], reason: 'other' }] }) + '\n');
    append('src/payments/charge.ts', numbered('ai sneaky', 2));
    await record('src/payments/charge.ts:20-21');
    commit('weakening', ['--no-verify', '-m', 'Relax the policy']);
    // broken: the payments rule is back, then the file gets a syntax error (by hand), then an
    // unreviewed AI commit.
    repo.write('.ai-provenance.json', JSON.stringify(policy) + '\n');
    gitOk(cwd, ['add', '-A']);
    gitOk(cwd, [...noHooks, 'commit', '-q', '-m', 'Restore the policy']);
    repo.write('.ai-provenance.json', '{ "critical": [ { "paths": ["src/payments/**"], "reason": "money", } ] }\n');
    gitOk(cwd, ['add', '-A']);
    gitOk(cwd, [...noHooks, 'commit', '-q', '-m', 'Break the policy']);
    sha.broken = gitOk(cwd, ['rev-parse', 'HEAD']).trim();
    append('src/payments/charge.ts', numbered('ai late', 1));
    await record('src/payments/charge.ts:22');
    commit('underBroken', ['--no-verify', '-m', 'Late change']);
  });
  after(() => repo.dispose());

  /** Runs `check` with HEAD detached at `commit` (checkout without hooks), then goes back to main. */
  const checkAt = async (commit: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
    gitOk(cwd, [...noHooks, 'checkout', '-q', '--detach', commit]);
    try {
      return await check(...args);
    } finally {
      gitOk(cwd, [...noHooks, 'checkout', '-q', 'main']);
    }
  };

  it('must-show: HEAD~1..HEAD exits 1 on a commit with AI lines in a critical path and no review, naming the lines', async () => {
    const r = await checkAt(sha.unreviewed!, 'HEAD~1..HEAD');
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /critical: AI-written lines in critical path src\/payments\/charge\.ts \(payments code moves money\) without review/);
    assert.match(r.stdout, /^ {4}src\/payments\/charge\.ts:1-10$/m);
    assert.match(r.stdout, /1 of 1 commit with violations \(1 critical, 0 tampering\)/);
  });

  it('must-show: HEAD~1..HEAD exits 0 on a commit whose AI lines were reviewed', async () => {
    const r = await checkAt(sha.reviewed!, 'HEAD~1..HEAD');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /1 commit, no violation/);
  });

  it('must-show: exits 2 outside a repository and on a range git does not know', async () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'aip-norepo-'));
    try {
      const r = await repo.cli(['check', 'HEAD~1..HEAD'], { cwd: outside });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /not inside a git worktree/);
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
    assert.equal((await check('no-such-branch..HEAD')).code, 2);
    assert.equal((await check()).code, 2, 'no range');
    assert.equal((await check('HEAD', '--format', 'xml')).code, 2);
    assert.equal((await check('--output=x', 'HEAD')).code, 2, 'no option reaches git');
  });

  it('must-show: --format json lists the violating commits with paths and line ranges', async () => {
    const r = await check(`${sha.policy}..${sha.reviewed}`, '--format', 'json');
    assert.equal(r.code, 1);
    const out = JSON.parse(r.stdout) as CheckJson;
    assert.equal(out.commits, 2);
    assert.deepEqual(
      out.violations.map((v) => [v.commit, v.kind, v.friction, v.evidence, v.files]),
      [[sha.unreviewed, 'critical', 'review', 'note', [{ path: 'src/payments/charge.ts', lines: [[1, 10]] }]]],
    );
  });

  it('--format github prints workflow annotations on the violating lines', async () => {
    const r = await check(`${sha.policy}..${sha.unreviewed}`, '--format', 'github');
    assert.equal(r.code, 1);
    const errors = r.stdout.split('\n').filter((l) => l.startsWith('::error '));
    assert.equal(errors.length, 1, r.stdout);
    assert.match(
      errors[0]!,
      new RegExp(`^::error file=src/payments/charge\\.ts,line=1,endLine=10,title=AI-written critical change without review::commit ${sha.unreviewed!.slice(0, 12)} \\(Charge cards\\): AI-written lines in critical path src/payments/charge\\.ts`),
    );
  });

  it('detects tampering: Assisted-by removed with git commit --amend -m while the note stays', async () => {
    assert.ok(noteOf(cwd, sha.tampered), 'git copied the note to the amended commit');
    const r = await check(`${sha.reviewed}..${sha.tampered}`, '--format', 'json');
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const out = JSON.parse(r.stdout) as CheckJson;
    assert.equal(out.violations.length, 1, r.stdout);
    const v = out.violations[0]!;
    assert.equal(v.kind, 'tampering');
    assert.match(v.message, /the note names 3 AI-written line\(s\) but the message has no Assisted-by: trailer/);
    assert.deepEqual(v.files, [{ path: 'src/payments/charge.ts', lines: [[15, 17]] }]);
  });

  it('detects tampering: AI-Lines counts or the AI-Provenance id that disagree with the note', async () => {
    const message = gitOk(cwd, ['log', '-1', '--format=%B', sha.tamperedOriginal!]);
    const id = /^AI-Provenance: (\S+)$/m.exec(message)![1]!;
    const other = 'ffffffff-ffff-4fff-bfff-ffffffffffff';
    for (const [edit, expected] of [
      [(m: string) => m.replace('AI-Lines: 3/3', 'AI-Lines: 1/3'), /AI-Lines: 1\/3 disagrees with the note \(3\/3\)/],
      [(m: string) => m.replace(id, other), new RegExp(`AI-Provenance: ${other} is not the id of the commit's note`)],
    ] as const) {
      gitOk(cwd, [...noHooks, 'checkout', '-q', '--detach', sha.tamperedOriginal!]);
      gitOk(cwd, [...noHooks, 'commit', '-q', '--amend', '-F', '-'], { input: edit(message) });
      const r = await check('HEAD~1..HEAD');
      assert.equal(r.code, 1, r.stdout);
      assert.match(r.stdout, expected);
    }
    gitOk(cwd, [...noHooks, 'checkout', '-q', 'main']);
  });

  it('judges a commit without a note by its trailers: every line it added to a critical file', async () => {
    const r = await check(`${sha.tampered}..${sha.trailersOnly}`, '--format', 'json');
    assert.equal(r.code, 1);
    const out = JSON.parse(r.stdout) as CheckJson;
    assert.deepEqual(
      out.violations.map((v) => [v.kind, v.evidence, v.files]),
      [['critical', 'trailers', [{ path: 'src/payments/charge.ts', lines: [[18, 19]] }]]],
      'src/util.ts is not critical',
    );
  });

  it('judges a commit that weakens the policy by the policy it replaces', async () => {
    const r = await check(`${sha.trailersOnly}..${sha.weakening}`, '--format', 'json');
    assert.equal(r.code, 1, r.stdout);
    const out = JSON.parse(r.stdout) as CheckJson;
    assert.deepEqual(out.violations[0]!.files, [{ path: 'src/payments/charge.ts', lines: [[20, 21]] }]);
  });

  it('a policy with a syntax error keeps the last valid policy in force, and says so on stderr', async () => {
    const r = await check(`${sha.broken}..${sha.underBroken}`);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /src\/payments\/charge\.ts:22$/m);
    assert.match(r.stderr, /warning: [0-9a-f]{12}: \.ai-provenance\.json:1:66: error: not valid JSON: a comma before "}".*the last valid policy \(of [0-9a-f]{12}\) is used instead/);
  });

  it('a policy file that is not text (a NUL byte) is a broken policy, as the commit hook reads it: the last valid one stays in force', async () => {
    gitOk(cwd, [...noHooks, 'checkout', '-q', '-b', 'binary-policy', sha.underBroken!]);
    try {
      fs.writeFileSync(path.join(cwd, '.ai-provenance.json'), Buffer.from('{"critical": []}\u0000\n'));
      gitOk(cwd, ['add', '-A']);
      gitOk(cwd, [...noHooks, 'commit', '-q', '-m', 'A policy that is not text']);
      const binary = gitOk(cwd, ['rev-parse', 'HEAD']).trim();
      append('src/payments/charge.ts', numbered('ai under binary', 1));
      await record('src/payments/charge.ts:23');
      commit('underBinary', ['--no-verify', '-m', 'Under a binary policy']);
      // Only the commit after the binary one: read as no policy, it would pass.
      const r = await check(`${binary}..HEAD`);
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.match(r.stdout, /src\/payments\/charge\.ts:23$/m);
      assert.match(r.stderr, /warning: [0-9a-f]{12}: \.ai-provenance\.json: error: not a text file.*the last valid policy \(of [0-9a-f]{12}\) is used instead/);
      const rev = await check(`${binary}..HEAD`, '--policy-rev', binary);
      assert.equal(rev.code, 1, rev.stdout + rev.stderr);
      assert.match(rev.stderr, /not a text file \(a NUL byte, or not UTF-8\) \(at [0-9a-f]{40}\); using the policy of [0-9a-f]{12} instead/);
    } finally {
      gitOk(cwd, [...noHooks, 'checkout', '-q', '-f', 'main']);
      gitOk(cwd, ['branch', '-q', '-D', 'binary-policy']);
    }
  });

  it('--policy-rev adds the target branch policy to every commit', async () => {
    // Under its own (weakened) policy the last commit of the weakened stretch would pass…
    gitOk(cwd, [...noHooks, 'checkout', '-q', '--detach', sha.weakening!]);
    append('src/payments/charge.ts', 'ai one more\n');
    await record('src/payments/charge.ts:22');
    gitOk(cwd, ['add', '-A']);
    gitOk(cwd, ['commit', '-q', '-m', 'One more']);
    assert.equal((await check('HEAD~1..HEAD')).code, 0);
    // …but not under the policy of the branch it is meant for.
    const r = await check('HEAD~1..HEAD', '--policy-rev', sha.policy!);
    assert.equal(r.code, 1, r.stdout);
    gitOk(cwd, [...noHooks, 'checkout', '-q', 'main']);
  });
});
