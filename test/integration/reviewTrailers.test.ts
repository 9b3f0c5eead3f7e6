/**
 * Reviews count only from the trailer block as git parses it, at commit (the built CLI as the
 * commit-msg hook) and in `git provenance check`: a `Reviewed-by:` in the body, a quoted one or
 * "requested review from …" prose is no review, and the refusal says so for the body case.
 */
import assert from 'node:assert/strict';
import { gitOk, gitRun, numbered, trailersOf } from '../helpers/gitHooks';
import { TempRepo } from '../helpers/tempRepo';

const hint = 'a Reviewed-by line in the body is not a trailer: put it in the last paragraph';

/** Messages that carry something like a review, but no `Reviewed-by` trailer as git parses it. */
const notReviews: ReadonlyArray<{ name: string; message: string; inBody: boolean }> = [
  { name: 'a Reviewed-by paragraph followed by prose', message: 'Charge\n\nReviewed-by: Other Person <o@x>\n\nMore words after the review.\n', inBody: true },
  { name: 'a Reviewed-by line after prose in the last paragraph', message: 'Charge\n\nSome prose.\nReviewed-by: Other Person <o@x>\n', inBody: true },
  { name: 'a quoted Reviewed-by', message: 'Charge\n\nAs the thread said:\n\n> Reviewed-by: Other Person <o@x>\n', inBody: false },
  { name: 'prose about a review request', message: 'Charge\n\nrequested review from Other Person <o@x>\n', inBody: false },
];

describe('reviews are trailers as git parses them (integration)', function () {
  this.timeout(240_000);
  let repo: TempRepo;
  let cwd: string;
  let base: string;
  let line = 0;
  /** Stages AI-written lines in the critical file. */
  const stageAi = async (): Promise<void> => {
    const text = repo.read('src/payments/charge.ts');
    repo.write('src/payments/charge.ts', text + numbered(`ai ${line}`, 2));
    const from = text.split('\n').length;
    line++;
    const r = await repo.cli(['record', '--tool', 'Claude Code', '--model', 'claude-sonnet-4-5', `src/payments/charge.ts:${from}-${from + 1}`]);
    assert.equal(r.code, 0, r.stderr);
    gitOk(cwd, ['add', '-A']);
  };

  before(async () => {
    repo = TempRepo.create();
    cwd = repo.root;
    const r = await repo.cli(['install']);
    assert.equal(r.code, 0, r.stderr);
    repo.write('.ai-provenance.json', JSON.stringify({ critical: [{ paths: ['src/payments/**'], reason: 'payments code moves money', friction: 'review' }] }) + '\n');
    repo.write('src/payments/charge.ts', numbered('human', 2));
    gitOk(cwd, ['add', '-A']);
    gitOk(cwd, ['-c', 'core.hooksPath=/dev/null', 'commit', '-q', '-m', 'policy']);
    base = gitOk(cwd, ['rev-parse', 'HEAD']).trim();
  });
  after(() => repo.dispose());

  for (const c of notReviews) {
    it(`commit-msg refuses ${c.name}`, async () => {
      await stageAi();
      const before = gitOk(cwd, ['rev-parse', 'HEAD']);
      const r = gitRun(cwd, ['commit', '-F', '-'], { input: c.message });
      assert.notEqual(r.code, 0, `the commit is refused: ${r.stderr}`);
      assert.equal(gitOk(cwd, ['rev-parse', 'HEAD']), before);
      const first = r.stderr.split('\n')[0]!;
      assert.match(first, /^ai-provenance: commit refused: AI-written lines in critical path src\/payments\/charge\.ts need review\./);
      if (c.inBody) {
        assert.ok(first.includes(hint), `the first line says why: ${first}`);
        assert.match(r.stderr, /not counted: "Reviewed-by: Other Person <o@x>" stands in the body/);
      } else assert.ok(!r.stderr.includes(hint), r.stderr);
      gitOk(cwd, ['reset', '-q', '--hard']);
    });
  }

  it('commit-msg accepts the same review as a trailer', async () => {
    await stageAi();
    const r = gitRun(cwd, ['commit', '-F', '-'], { input: 'Charge\n\nSome prose.\n\nReviewed-by: Other Person <o@x>\n' });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(trailersOf(cwd).includes('Reviewed-by: Other Person <o@x>'));
  });

  it('check counts only trailer reviews, and says when a Reviewed-by stands in the body', async () => {
    const shas: Record<string, string> = {};
    for (const c of notReviews) {
      await stageAi();
      // The hook skipped, as a commit made elsewhere would be.
      gitOk(cwd, ['commit', '-q', '--no-verify', '-F', '-'], { input: c.message });
      shas[c.name] = gitOk(cwd, ['rev-parse', 'HEAD']).trim();
    }
    await stageAi();
    gitOk(cwd, ['commit', '-q', '--no-verify', '-F', '-'], { input: 'Charge\n\nReviewed-by: Other Person <o@x>\n' });
    const reviewed = gitOk(cwd, ['rev-parse', 'HEAD']).trim();
    const r = await repo.cli(['check', `${base}..HEAD`, '--format', 'json']);
    assert.equal(r.code, 1, r.stderr);
    const violations = (JSON.parse(r.stdout) as { violations: Array<{ commit: string; kind: string; message: string }> }).violations.filter((v) => v.kind === 'critical');
    for (const c of notReviews) {
      const v = violations.find((x) => x.commit === shas[c.name]);
      assert.ok(v, `${c.name} is a violation`);
      assert.equal(v.message.includes(hint), c.inBody, `${c.name}: ${v.message}`);
    }
    assert.ok(!violations.some((v) => v.commit === reviewed), 'the trailer review counts');
  });
});
