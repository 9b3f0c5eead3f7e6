/**
 * Commit friction with real git and the built CLI installed as hooks (`git provenance
 * install`): a policy marks src/payments/** for review, src/secrets/** as blocked and infra/**
 * as warn; commits of recorded AI lines there are refused or let through as the policy says,
 * with the text a person needs, and marked `AI-Critical:`. One repository, built once, and
 * the tests run in order on it (each hook run starts node, so commits are few). Then
 * loadPolicy's fallbacks, which the hook, `check` and the editor share.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LoadedPolicy, LoadOptions } from '../../src/node/policyFile';
import { lastGoodFile, loadPolicy } from '../../src/node/policyFile';
import { gitOk, gitRun, messageOf, noteOf, numbered, trailersOf } from '../helpers/gitHooks';
import { TempRepo } from '../helpers/tempRepo';

const policy = {
  critical: [
    { paths: ['src/payments/**'], reason: 'payments code moves money', friction: 'review' },
    { paths: ['src/secrets/**'], reason: 'no AI near key material', friction: 'block' },
    { paths: ['infra/**'], reason: 'production infrastructure', friction: 'warn' },
  ],
};

describe('commit friction (integration)', function () {
  this.timeout(240_000);
  let repo: TempRepo;
  let cwd: string;
  const record = async (...spans: string[]): Promise<void> => {
    const r = await repo.cli(['record', '--tool', 'Claude Code', '--model', 'claude-sonnet-4-5', ...spans]);
    assert.equal(r.code, 0, r.stderr);
  };
  const head = (): string => gitOk(cwd, ['rev-parse', 'HEAD']).trim();
  /** Commits without our hooks (setup that must not itself meet friction). */
  const plainCommit = (message: string): void => void gitOk(cwd, ['-c', 'core.hooksPath=/dev/null', 'commit', '-q', '-m', message]);

  before(async () => {
    repo = TempRepo.create();
    cwd = repo.root;
    const r = await repo.cli(['install']);
    assert.equal(r.code, 0, r.stderr);
    repo.write('.ai-provenance.json', JSON.stringify(policy, null, 2) + '\n');
    repo.write('src/payments/charge.ts', numbered('human', 2));
    gitOk(cwd, ['add', '-A']);
    plainCommit('policy');
  });
  after(() => repo.dispose());

  it('must-show: review refuses AI lines in src/payments/charge.ts, naming the file and what to add', async () => {
    repo.write('src/payments/charge.ts', numbered('human', 2) + numbered('ai', 10));
    await record('src/payments/charge.ts:3-12');
    gitOk(cwd, ['add', 'src/payments/charge.ts']);
    const before = head();
    const r = gitRun(cwd, ['commit', '-m', 'Charge in the customer currency']);
    assert.notEqual(r.code, 0, 'the commit is refused');
    assert.equal(head(), before);
    const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
    // The first line is what VS Code's git dialog shows: it must say it all.
    assert.equal(
      lines[0],
      'ai-provenance: commit refused: AI-written lines in critical path src/payments/charge.ts need review. Add "Reviewed-by: Name <email>" of a reviewer other than you, or "AI-Critical-Override: <reason>", to the commit message.',
    );
    assert.ok(lines.includes('  src/payments/charge.ts  lines 3-12  (payments code moves money; friction: review)'), r.stderr);
  });

  it('review: a Reviewed-by naming the author is refused and says why', () => {
    const r = gitRun(cwd, ['commit', '-m', 'x', '-m', 'Reviewed-by: Test User <test@example.com>']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /not counted: "Reviewed-by: Test User <test@example\.com>" is the author; a review must come from someone else/);
  });

  it('must-show: with Reviewed-by: Other Person <o@x> it succeeds and is marked AI-Critical', () => {
    const before = head();
    const r = gitRun(cwd, ['commit', '-m', 'x', '-m', 'Reviewed-by: Other Person <o@x>']);
    assert.equal(r.code, 0, r.stderr);
    assert.notEqual(head(), before);
    const trailers = trailersOf(cwd);
    assert.ok(trailers.includes('AI-Critical: src/payments/charge.ts'), trailers.join('\n'));
    assert.ok(trailers.includes('Reviewed-by: Other Person <o@x>'));
    assert.ok(trailers.includes('AI-Lines: 10/10'), 'the trailers of the git hooks are there too');
    assert.ok(noteOf(cwd), 'post-commit still writes the note');
    assert.match(r.stderr, /^ai-provenance: AI-written lines in critical path src\/payments\/charge\.ts reviewed by Other Person <o@x>; marked AI-Critical\.\n$/);
  });

  it('review: an override with a reason is accepted and stays in the message', async () => {
    repo.write('src/payments/charge.ts', repo.read('src/payments/charge.ts') + numbered('hotfix', 2));
    await record('src/payments/charge.ts:13-14');
    gitOk(cwd, ['add', 'src/payments/charge.ts']);
    const r = gitRun(cwd, ['commit', '-m', 'Hotfix', '-m', 'AI-Critical-Override: incident 4711, reviewed after the fact']);
    assert.equal(r.code, 0, r.stderr);
    const message = messageOf(cwd);
    assert.match(message, /^AI-Critical-Override: incident 4711, reviewed after the fact$/m);
    assert.match(message, /^AI-Critical: src\/payments\/charge\.ts$/m);
    assert.match(r.stderr, /overridden: incident 4711/);
  });

  it('block: refuses even with a review and an override', async () => {
    repo.write('src/secrets/keys.ts', numbered('ai key', 3));
    await record('src/secrets/keys.ts:1-3');
    gitOk(cwd, ['add', 'src/secrets/keys.ts']);
    const r = gitRun(cwd, ['commit', '-m', 'keys', '-m', 'Reviewed-by: Other Person <o@x>\nAI-Critical-Override: please']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr.split('\n')[0]!, /^ai-provenance: commit refused: AI-written lines in src\/secrets\/keys\.ts, where the policy allows no AI-written code \(no AI near key material\)\./);
    gitOk(cwd, ['rm', '-q', '-f', 'src/secrets/keys.ts']);
  });

  it('warn: goes ahead with one line and the mark', async () => {
    repo.write('infra/main.tf', numbered('ai resource', 2));
    await record('infra/main.tf:1-2');
    gitOk(cwd, ['add', 'infra/main.tf']);
    const r = gitRun(cwd, ['commit', '-m', 'infra']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, 'ai-provenance: AI-written lines in critical path infra/main.tf (production infrastructure); marked AI-Critical.\n');
    assert.ok(trailersOf(cwd).includes('AI-Critical: infra/main.tf'));
  });

  it('leaves a commit without AI lines in a critical path alone', () => {
    repo.write('src/payments/charge.ts', repo.read('src/payments/charge.ts') + 'typed by hand\n');
    gitOk(cwd, ['add', 'src/payments/charge.ts']);
    const r = gitRun(cwd, ['commit', '-m', 'by hand']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.equal(messageOf(cwd), 'by hand\n\n');
  });

  it('a policy with a syntax error keeps the last valid policy in force, and says so', async () => {
    repo.write('.ai-provenance.json', '{\n  "critical": [\n    { "paths": ["src/payments/**"], "reason": "money", }\n  ]\n}\n');
    repo.write('src/payments/charge.ts', repo.read('src/payments/charge.ts') + numbered('ai again', 2));
    await record('src/payments/charge.ts:16-17');
    gitOk(cwd, ['add', '-A']);
    const r = gitRun(cwd, ['commit', '-m', 'x']);
    assert.notEqual(r.code, 0, 'still refused: protection did not turn off');
    assert.match(r.stderr.split('\n')[0]!, /^ai-provenance: commit refused: AI-written lines in critical path src\/payments\/charge\.ts need review/);
    assert.match(r.stderr, /^\.ai-provenance\.json:3:54: error: not valid JSON: a comma before "}"/m);
    assert.match(r.stderr, /ai-provenance: \.ai-provenance\.json is broken; the last valid policy \(read from [^)]+\) stays in force\./);
  });

  it('a commit that weakens the policy is judged by the policy it replaces', () => {
    repo.write('.ai-provenance.json', JSON.stringify({ critical: policy.critical.filter((r) => !r.paths[0]!.startsWith('src/payments')) }) + '\n');
    gitOk(cwd, ['add', '.ai-provenance.json']);
    const r = gitRun(cwd, ['commit', '-m', 'relax the policy and add AI code']);
    assert.notEqual(r.code, 0, r.stderr);
    assert.match(r.stderr.split('\n')[0]!, /src\/payments\/charge\.ts need review/);
    assert.match(r.stderr, /this commit weakens \.ai-provenance\.json \(rule "src\/payments\/\*\*" \(payments code moves money\) is removed or its paths are narrowed\)/);
  });

  it('judges the first commit of a repository by the policy it stages', async () => {
    const first = TempRepo.create();
    try {
      assert.equal((await first.cli(['install'])).code, 0);
      first.write('.ai-provenance.json', JSON.stringify(policy, null, 2) + '\n');
      first.write('src/payments/refund.ts', numbered('ai', 4));
      const rec = await first.cli(['record', '--tool', 'Claude Code', '--model', 'claude-sonnet-4-5', 'src/payments/refund.ts:1-4']);
      assert.equal(rec.code, 0, rec.stderr);
      gitOk(first.root, ['add', '-A']);
      const refused = gitRun(first.root, ['commit', '-m', 'first']);
      assert.notEqual(refused.code, 0, 'no HEAD yet, and still refused');
      assert.match(refused.stderr.split('\n')[0]!, /src\/payments\/refund\.ts need review/);
      const r = gitRun(first.root, ['commit', '-m', 'first', '-m', 'Reviewed-by: Other Person <o@x>']);
      assert.equal(r.code, 0, r.stderr);
      assert.ok(trailersOf(first.root).includes('AI-Critical: src/payments/refund.ts'));
    } finally {
      first.dispose();
    }
  });
});

describe('loadPolicy: the last valid policy stays in force (integration)', function () {
  this.timeout(240_000);
  let repo: TempRepo;
  let ledgerDir: string;
  const broken = '{ "critical": [ { "paths": ["src/**"], "reason": "r" ] }\n';
  const valid = (reason: string): string => JSON.stringify({ critical: [{ paths: ['src/**'], reason }] });
  const load = (over: Partial<LoadOptions> = {}): Promise<LoadedPolicy> => loadPolicy({ root: repo.root, ledgerDir, ...over });

  before(() => {
    repo = TempRepo.create();
    ledgerDir = path.join(repo.root, '.git', 'ai-provenance');
  });
  after(() => repo.dispose());

  it('reads no file as no policy, and a valid file as itself (kept as the last good one)', async () => {
    const none = await load();
    assert.equal(none.from, 'absent');
    assert.deepEqual(none.policy.critical, []);
    repo.write('.ai-provenance.json', valid('committed'));
    gitOk(repo.root, ['add', '-A']);
    gitOk(repo.root, ['commit', '-q', '-m', 'policy']);
    repo.write('.ai-provenance.json', valid('edited'));
    const ok = await load();
    assert.equal(ok.from, 'file');
    assert.equal(ok.policy.critical[0]!.reason, 'edited');
    assert.equal(ok.notice, undefined);
    assert.ok(fs.existsSync(lastGoodFile(ledgerDir)));
  });

  it('a broken file: the last good policy, the errors with positions, and a notice', async () => {
    repo.write('.ai-provenance.json', broken);
    const r = await load();
    assert.equal(r.from, 'last-good');
    assert.equal(r.policy.critical[0]!.reason, 'edited');
    assert.equal(r.lastGoodFrom, 'worktree');
    assert.equal(r.errors.length, 1);
    assert.deepEqual([r.errors[0]!.line, r.errors[0]!.column], [1, 54], 'at the "]" that should close the rule');
    assert.match(r.notice!, /is broken; the last valid policy \(read from the working tree\) stays in force/);
    // An editor's unsaved buffer is judged without reading the file.
    assert.equal((await load({ text: valid('buffer'), save: false })).policy.critical[0]!.reason, 'buffer');
  });

  it('without a saved copy, the newest valid policy committed; without one, none, and says so', async () => {
    fs.rmSync(lastGoodFile(ledgerDir));
    const r = await load();
    assert.equal(r.from, 'last-good');
    assert.equal(r.policy.critical[0]!.reason, 'committed');
    assert.equal(r.lastGoodFrom, gitOk(repo.root, ['rev-parse', 'HEAD']).trim());
    gitOk(repo.root, ['add', '-A']);
    gitOk(repo.root, ['commit', '-q', '-m', 'broken']);
    assert.equal((await load({ source: { kind: 'rev', rev: 'HEAD' } })).policy.critical[0]!.reason, 'committed', 'a broken commit falls back on its history');
    const bare = TempRepo.create();
    try {
      bare.write('.ai-provenance.json', broken);
      const nothing = await loadPolicy({ root: bare.root, ledgerDir: path.join(bare.root, '.git', 'ai-provenance') });
      assert.equal(nothing.from, 'none');
      assert.match(nothing.notice!, /no earlier valid policy is known: no path is critical until it is fixed/);
    } finally {
      bare.dispose();
    }
  });
});
