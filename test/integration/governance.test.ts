/**
 * Governance with real git and the built CLI installed as hooks (`git provenance install`):
 * for each rule a commit that passes and one that is refused with a message naming what is
 * missing (two reviews from a group, a blast-radius budget, a forbidden override, a tier), the
 * reviewers that never count (the author, a bot, an AI co-author, one person under two
 * spellings), and `git provenance check` per commit and over a range: three 20-line commits
 * under a 50-line budget pass one by one and are caught together, a commit with its hooks
 * bypassed fails under `unattested: "ai"` and passes under `allow`, and an override is
 * listed as an override. One repository, built once; the tests run in order on it.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gitOk, gitRun, numbered, trailersOf } from '../helpers/gitHooks';
import { TempRepo } from '../helpers/tempRepo';

const policy = {
  groups: { 'payments-seniors': ['Alice Senior <alice@example.com>', '@bob-senior'] },
  bots: ['@release-robot'],
  critical: [
    { paths: ['src/payments/**'], reason: 'moves money', tier: 'tier-1', reviews: { count: 2, from: ['payments-seniors'] }, maxAiLines: 50, overBudget: 'block', allowOverride: false },
    { paths: ['src/ledger/**'], reason: 'the books', friction: 'warn', maxAiLines: 50, overBudget: 'block' },
    { paths: ['src/billing/**'], reason: 'invoices', friction: 'review', unattested: 'ai' },
    { paths: ['src/auth/**'], reason: 'sign-in', friction: 'warn', maxAiLines: 10 },
  ],
};

interface CheckJson {
  violations: Array<{ commit: string; kind: string; evidence: string; message: string; rules?: Array<{ rule: string; tier?: string; aiLines: number; maxAiLines?: number; reviews: Array<{ count: number; from: string; counted: Array<{ reviewer: string }>; rejected: Array<{ reviewer: string; reason: string }> }> }> }>;
  overrides: Array<{ commit: string; reason: string; rules: Array<{ rule: string }> }>;
  budgets: Array<{ rule: string; tier?: string; aiLines: number; maxAiLines: number; status: string; commits: string[]; message: string }>;
}

describe('governance (integration)', function () {
  this.timeout(240_000);
  let repo: TempRepo;
  let cwd: string;
  const sha: Record<string, string> = {};
  const record = async (...spans: string[]): Promise<void> => {
    const r = await repo.cli(['record', '--tool', 'Claude Code', '--model', 'claude-sonnet-4-5', ...spans]);
    assert.equal(r.code, 0, r.stderr);
  };
  const head = (): string => gitOk(cwd, ['rev-parse', 'HEAD']).trim();
  const noHooks = ['-c', 'core.hooksPath=/dev/null'];
  /** Stages `n` AI lines appended to `file` (recorded as AI in the ledger). */
  const stageAi = async (file: string, n: number): Promise<void> => {
    const before = fs.existsSync(path.join(cwd, file)) ? repo.read(file).split('\n').length - 1 : 0;
    repo.write(file, (before > 0 ? repo.read(file) : '') + numbered(`ai ${file}`, n, before + 1));
    await record(`${file}:${before + 1}-${before + n}`);
    gitOk(cwd, ['add', file]);
  };
  /** A commit with the hooks: `trailers` form the last paragraph, the trailer block. */
  const commit = (subject: string, ...trailers: string[]): ReturnType<typeof gitRun> => gitRun(cwd, ['commit', '-m', subject, ...(trailers.length > 0 ? ['-m', trailers.join('\n')] : [])]);
  const check = async (...args: string[]): Promise<{ code: number; json: CheckJson; stderr: string }> => {
    const r = await repo.cli(['check', '--format', 'json', ...args]);
    return { code: r.code, json: JSON.parse(r.stdout) as CheckJson, stderr: r.stderr };
  };
  const seniors = ['Reviewed-by: Alice Senior <alice@example.com>', 'Reviewed-by: Bob <bob@example.com> (@bob-senior)'];

  before(async () => {
    repo = TempRepo.create();
    cwd = repo.root;
    const r = await repo.cli(['install']);
    assert.equal(r.code, 0, r.stderr);
    repo.write('.ai-provenance.json', JSON.stringify(policy, null, 2) + '\n');
    repo.write('README.md', 'x\n');
    gitOk(cwd, ['add', '-A']);
    gitOk(cwd, [...noHooks, 'commit', '-q', '-m', 'policy']);
    sha.policy = head();
  });
  after(() => repo.dispose());

  it('reviews: one senior is refused, naming the rule, tier, group and how many more', async () => {
    await stageAi('src/payments/charge.ts', 10);
    const r = commit('Charge in the customer currency', seniors[0]!);
    assert.notEqual(r.code, 0);
    const first = r.stderr.split('\n')[0]!;
    assert.match(first, /^ai-provenance: commit refused: AI-written lines in critical path src\/payments\/charge\.ts need review \(rule "moves money" \(tier-1\): 2 reviews from payments-seniors \(1 more needed\)\)\./);
    assert.match(first, /rule "moves money" \(tier-1\) allows no AI-Critical-Override\.$/);
    assert.match(r.stderr, / {2}src\/payments\/charge\.ts {2}lines 1-10 {2}\(moves money; tier-1; friction: review\)/);
    assert.match(r.stderr, /budget of rule "moves money" \(tier-1\): 10 of 50 AI lines allowed for one commit/);
  });

  const refusedReviewers: ReadonlyArray<readonly [string, string, RegExp]> = [
    ["the author's own review", 'Reviewed-by: Test User <test@example.com>', /not counted: "Reviewed-by: Test User <test@example\.com>" is the author/],
    ["a bot's review", 'Reviewed-by: Release Robot <robot@example.com> (@release-robot)', /not counted: "Reviewed-by: Release Robot <robot@example\.com> \(@release-robot\)" is listed in the policy's bots/],
    ["a [bot] account's review", 'Reviewed-by: renovate[bot] <29139614+renovate[bot]@users.noreply.github.com>', /is a \[bot\] account; only a human review counts/],
    ["an AI co-author's review", 'Reviewed-by: Claude <noreply@anthropic.com>', /is an AI \(Claude\); only a human review counts/],
    ['the same senior twice under two spellings', 'Reviewed-by: alice <ALICE@example.com>', /"Reviewed-by: alice <ALICE@example\.com>" is a reviewer already named/],
  ];
  for (const [what, second, why] of refusedReviewers) {
    it(`reviews: a senior plus ${what} is refused, saying why`, () => {
      const before = head();
      const r = commit('Charge', seniors[0]!, second);
      assert.notEqual(r.code, 0, r.stderr);
      assert.equal(head(), before);
      assert.match(r.stderr, /1 more needed/);
      assert.match(r.stderr, why);
    });
  }

  it('overrides: a forbidden override does not pass', () => {
    const r = commit('Charge', 'AI-Critical-Override: hotfix for incident 12');
    assert.notEqual(r.code, 0);
    assert.match(r.stderr.split('\n')[0]!, /allows no AI-Critical-Override/);
  });

  it('reviews: two distinct listed seniors pass; AI-Critical and AI-Tier mark it', () => {
    const r = commit('Charge in the customer currency', ...seniors);
    assert.equal(r.code, 0, r.stderr);
    sha.reviewed = head();
    const t = trailersOf(cwd);
    assert.ok(t.includes('AI-Critical: src/payments/charge.ts'), t.join('\n'));
    assert.ok(t.includes('AI-Tier: tier-1'), t.join('\n'));
    assert.match(r.stderr, /reviewed by Alice Senior <alice@example\.com>, Bob <bob@example\.com> \(@bob-senior\); budget of rule "moves money" \(tier-1\): 10 of 50 AI lines/);
  });

  it('maxAiLines: a 60-line AI change under a 50-line budget is refused at commit, even reviewed', async () => {
    await stageAi('src/payments/refund.ts', 60);
    const r = commit('Refunds', ...seniors);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr.split('\n')[0]!, /^ai-provenance: commit refused: 60 AI-written lines in src\/payments\/refund\.ts are over the budget of 50 for one commit of rule "moves money" \(tier-1\), which blocks changes over budget\. Split the change/);
    // Made anyway, with the hook skipped: check catches it.
    gitOk(cwd, ['commit', '-q', '--no-verify', '-m', 'Refunds', '-m', seniors.join('\n')]);
    sha.overBudget = head();
  });

  it('maxAiLines: check refuses the 60-line commit, naming rule, tier and budget used', async () => {
    const { code, json } = await check(`${sha.reviewed}..${sha.overBudget}`);
    assert.equal(code, 1);
    const v = json.violations.find((x) => x.commit === sha.overBudget)!;
    assert.match(v.message, /60 AI lines over the budget of 50 for one commit of rule "moves money" \(tier-1\), which blocks changes over budget/);
    assert.deepEqual(v.rules?.map((x) => [x.rule, x.tier, x.aiLines, x.maxAiLines]), [['moves money', 'tier-1', 60, 50]]);
    gitOk(cwd, ['reset', '-q', '--hard', sha.reviewed!]);
  });

  it('maxAiLines over a range: three 20-line commits pass one by one and are caught by check over the range', async () => {
    for (const n of [1, 2, 3]) {
      await stageAi('src/ledger/books.ts', 20);
      const r = commit(`Books part ${n}`);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /budget of rule "the books": 20 of 50 AI lines/);
      sha[`books${n}`] = head();
    }
    const one = await check(`${sha.reviewed}..${sha.books2}`);
    assert.equal(one.code, 0, JSON.stringify(one.json));
    assert.deepEqual(one.json.budgets.map((b) => [b.rule, b.aiLines, b.status]), [['the books', 40, 'within']]);
    const all = await check(`${sha.reviewed}..${sha.books3}`);
    assert.equal(all.code, 1);
    assert.deepEqual(all.json.violations, [], 'no single commit is at fault');
    const b = all.json.budgets.find((x) => x.rule === 'the books')!;
    assert.deepEqual([b.aiLines, b.maxAiLines, b.status, b.commits], [60, 50, 'blocked', [sha.books1, sha.books2, sha.books3]]);
    assert.match(b.message, /range over budget: 60 AI lines in src\/ledger\/books\.ts over 3 commits of 50 allowed for rule "the books"/);
    const text = await repo.cli(['check', `${sha.reviewed}..${sha.books3}`]);
    assert.match(text.stdout, /^budget: range over budget: 60 AI lines/m);
    const gh = await repo.cli(['check', '--format', 'github', `${sha.reviewed}..${sha.books3}`]);
    assert.match(gh.stdout, /^::error file=src\/ledger\/books\.ts,title=AI-written lines over the budget of the books::range over budget/m);
  });

  it('overBudget "review" on a warn rule: over budget, an override passes and check lists it as an override', async () => {
    await stageAi('src/auth/login.ts', 12);
    const refused = commit('Login');
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr.split('\n')[0]!, /need review \(rule "sign-in": 12 AI lines over its budget of 10 need 1 review from someone other than the author\)\. Add "Reviewed-by: Name <email>" of a reviewer other than you, or "AI-Critical-Override: <reason>", to the commit message\./);
    const r = commit('Login', 'AI-Critical-Override: incident 4711, reviewed after the fact');
    assert.equal(r.code, 0, r.stderr);
    sha.overridden = head();
    const { json } = await check(`${sha.books3}..${sha.overridden}`);
    assert.deepEqual(json.violations, []);
    assert.deepEqual(json.overrides.map((o) => [o.commit, o.reason, o.rules.map((x) => x.rule)]), [[sha.overridden, 'incident 4711, reviewed after the fact', ['sign-in']]]);
    const text = await repo.cli(['check', `${sha.books3}..${sha.overridden}`]);
    assert.match(text.stdout, /^override: [0-9a-f]{12} Login {2}\(Test User <test@example\.com>\): incident 4711, reviewed after the fact \[src\/auth\/login\.ts:1-12\]$/m);
    assert.match(text.stdout, /1 override$/m);
  });

  it('check reports reviewers counted and rejected with the reason', async () => {
    // A senior and the author, hook skipped: check names who counted and who did not.
    await stageAi('src/payments/charge.ts', 5);
    gitOk(cwd, ['commit', '-q', '--no-verify', '-m', 'Charge more', '-m', `${seniors[0]}\nReviewed-by: Test User <test@example.com>\nReviewed-by: Claude <noreply@anthropic.com>`]);
    sha.halfReviewed = head();
    const { code, json } = await check(`${sha.overridden}..${sha.halfReviewed}`);
    assert.equal(code, 1);
    const reviews = json.violations[0]!.rules![0]!.reviews[0]!;
    assert.deepEqual([reviews.count, reviews.from, reviews.counted.map((c) => c.reviewer)], [2, 'payments-seniors', ['Alice Senior <alice@example.com>']]);
    assert.deepEqual(reviews.rejected.map((x) => [x.reviewer, x.reason]), [
      ['Test User <test@example.com>', 'author'],
      ['Claude <noreply@anthropic.com>', 'bot'],
    ]);
    assert.match(json.violations[0]!.message, /without the reviews it needs: rule "moves money" \(tier-1\): 2 reviews from payments-seniors \(1 more needed\) \(the rule allows no override\)/);
    gitOk(cwd, ['reset', '-q', '--hard', sha.overridden!]);
  });

  it('unattested: a bypassed commit of unrecorded lines fails check under "ai" and passes under "allow"', async () => {
    repo.write('src/billing/invoice.ts', numbered('typed somewhere', 8));
    gitOk(cwd, ['add', '-A']);
    gitOk(cwd, [...noHooks, 'commit', '-q', '-m', 'Invoices']);
    sha.unattested = head();
    const failed = await check(`${sha.overridden}..${sha.unattested}`);
    assert.equal(failed.code, 1);
    const v = failed.json.violations[0]!;
    assert.deepEqual([v.commit, v.evidence], [sha.unattested, 'unattested']);
    assert.match(v.message, /lines with no provenance evidence \(unattested: counted as AI\) in critical path src\/billing\/invoice\.ts/);
    // The same commit on a branch whose policy says allow.
    gitOk(cwd, ['checkout', '-q', '-b', 'allow', sha.overridden!]);
    const allow = { ...policy, critical: policy.critical.map((r) => (r.reason === 'invoices' ? { ...r, unattested: 'allow' } : r)) };
    repo.write('.ai-provenance.json', JSON.stringify(allow, null, 2) + '\n');
    gitOk(cwd, ['add', '-A']);
    gitOk(cwd, [...noHooks, 'commit', '-q', '-m', 'Policy: unattested lines allowed in billing']);
    const policyCommit = head();
    repo.write('src/billing/invoice.ts', numbered('typed somewhere', 8));
    gitOk(cwd, ['add', '-A']);
    gitOk(cwd, [...noHooks, 'commit', '-q', '-m', 'Invoices']);
    const passed = await check(`${policyCommit}..HEAD`);
    assert.deepEqual(passed.json.violations, []);
    assert.equal(passed.code, 0);
  });

  it('weakening: switching unattested to allow, in the same commit as the lines, is judged by the policy it replaces', async () => {
    gitOk(cwd, ['checkout', '-q', '-b', 'weaken', sha.overridden!]);
    const allow = { ...policy, critical: policy.critical.map((r) => (r.reason === 'invoices' ? { ...r, unattested: 'allow' } : r)) };
    repo.write('.ai-provenance.json', JSON.stringify(allow, null, 2) + '\n');
    repo.write('src/billing/invoice.ts', numbered('typed somewhere', 8));
    gitOk(cwd, ['add', '-A']);
    gitOk(cwd, [...noHooks, 'commit', '-q', '-m', 'Invoices, and a policy that lets them in']);
    const r = await check(`${sha.overridden}..HEAD`);
    assert.equal(r.code, 1);
    assert.equal(r.json.violations[0]!.evidence, 'unattested');
  });
});
