/**
 * Unit tests of the governance rules (src/core/policy/reviewers.ts, friction.ts, weakening.ts,
 * schema.ts): who counts as a reviewer and why not, review counts from groups, blast-radius
 * budgets, unattested lines, tiers, forbidden overrides, policy-wide defaults, and weakening
 * through the new keys. Table-tested: each row is a case a lead would write down.
 */
import assert from 'node:assert/strict';
import { parseCodeowners } from '../../../../src/core/policy/codeowners';
import type { AiFile, FrictionInput } from '../../../../src/core/policy/friction';
import { decideFriction } from '../../../../src/core/policy/friction';
import type { Policy } from '../../../../src/core/policy/policy';
import type { RangeCommit } from '../../../../src/core/policy/range';
import { judgeRange } from '../../../../src/core/policy/range';
import type { RejectReason, ReviewerIdentity } from '../../../../src/core/policy/reviewers';
import { approvalReviewer, resolveSource, tallyReviews, trailerReviewer } from '../../../../src/core/policy/reviewers';
import { parsePolicy } from '../../../../src/core/policy/schema';
import { weakenings } from '../../../../src/core/policy/weakening';

function policyOf(doc: Record<string, unknown>): Policy {
  const r = parsePolicy(JSON.stringify(doc));
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'));
  return r.policy;
}

const seniors = ['Alice Senior <alice@example.com>', '@bob-senior', 'carol@example.com'];
const tier1 = policyOf({
  groups: { 'payments-seniors': seniors },
  bots: ['@release-robot'],
  critical: [{ paths: ['src/payments/**'], reason: 'moves money', tier: 'tier-1', reviews: { count: 2, from: ['payments-seniors'] }, maxAiLines: 50, overBudget: 'block', allowOverride: false }],
});
const author = 'Dana Dev <dana@example.com>';
const lines = (n: number, from = 1): number[] => Array.from({ length: n }, (_, i) => from + i);
const pay = (n: number): AiFile => ({ path: 'src/payments/charge.ts', lines: lines(n) });
const msg = (...trailers: string[]): string => `Change\n\nBody.\n${trailers.length > 0 ? `\n${trailers.join('\n')}\n` : ''}`;

function decide(over: Partial<FrictionInput>): ReturnType<typeof decideFriction> {
  return decideFriction({ files: [pay(10)], policy: tier1, message: msg(), author, committer: author, ...over });
}

describe('governance: who counts as a reviewer', () => {
  const anyone = { members: [], label: 'anyone but the author', kind: 'anyone' } as const;
  const group = resolveSource(tier1, { count: 2, from: ['payments-seniors'] }, 'src/payments/a.ts');
  const ctx = { authors: [{ name: 'Dana Dev', email: 'dana@example.com', handles: [] }], committers: [{ name: 'Cy Committer', email: 'cy@example.com', handles: [] }], bots: ['@release-robot', 'ci@example.com'] };
  const rows: ReadonlyArray<readonly [string, string, RejectReason | 'counted', typeof anyone | typeof group]> = [
    ['the author', 'Dana <DANA@example.com>', 'author', anyone],
    ['the committer who ran the agent', 'Cy <cy@example.com>', 'committer', anyone],
    ['a [bot] account', 'dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>', 'bot', anyone],
    ['an agent co-author address', 'Claude <noreply@anthropic.com>', 'bot', anyone],
    ['Copilot', 'Copilot <copilot@github.com>', 'bot', anyone],
    ['a bot the policy lists by handle', 'Robot <robot@example.com> (@release-robot)', 'bot', anyone],
    ['a bot the policy lists by email', 'CI <CI@example.com>', 'bot', anyone],
    ['no email or handle', 'Somebody', 'no-identity', anyone],
    ['someone outside the group', 'Eve <eve@example.com>', 'not-in-group', group],
    ['a senior by email', 'Alice <alice@example.com>', 'counted', group],
    ['a senior by handle', 'Bob (@bob-senior)', 'counted', group],
    ['a senior by no-reply address', 'Bob <1234+bob-senior@users.noreply.github.com>', 'counted', group],
    ['anyone else where anyone may review', 'Eve <eve@example.com>', 'counted', anyone],
  ];
  for (const [what, value, expected, source] of rows) {
    it(`${what}: ${expected}`, () => {
      const t = tallyReviews([trailerReviewer(value)], 1, source, ctx);
      if (expected === 'counted') assert.deepEqual(t.counted.map((c) => c.text), [value]);
      else assert.deepEqual(t.rejected.map((r) => r.reason), [expected]);
    });
  }

  it('the same person twice under two spellings counts once', () => {
    for (const [a, b] of [
      ['Alice Senior <alice@example.com>', 'alice <ALICE@EXAMPLE.COM>'],
      ['Bob (@bob-senior)', 'Bob B <1234+bob-senior@users.noreply.github.com>'],
    ] as const) {
      const t = tallyReviews([trailerReviewer(a), trailerReviewer(b)], 2, group, ctx);
      assert.equal(t.counted.length, 1, `${a} / ${b}`);
      assert.deepEqual(t.rejected.map((r) => r.reason), ['duplicate']);
      assert.equal(t.missing, 1);
    }
  });

  it('approvals from a forge count like trailers, and a trailer and an approval of one person once', () => {
    const t = tallyReviews([trailerReviewer('Bob (@bob-senior)'), approvalReviewer({ login: 'bob-senior' }), approvalReviewer({ login: 'carol', email: 'Carol@example.com' }), approvalReviewer({ login: 'renovate[bot]' })], 2, group, ctx);
    assert.deepEqual(t.counted.map((c) => c.text), ['Bob (@bob-senior)', '@carol <carol@example.com>']);
    assert.deepEqual(t.rejected.map((r) => r.reason), ['duplicate', 'bot']);
    assert.ok(t.met);
  });

  it('CODEOWNERS in from resolves to the path owners; an empty group to anyone', () => {
    const owners = parseCodeowners('src/payments/ @pay-owners\n');
    const p = policyOf({ groups: { empty: [] }, critical: [{ paths: ['src/**'], reason: 'r', reviews: { count: 1, from: ['CODEOWNERS'] } }] });
    assert.deepEqual(resolveSource(p, { count: 1, from: ['CODEOWNERS'] }, 'src/payments/a.ts', owners), { members: ['@pay-owners'], label: 'CODEOWNERS', kind: 'codeowners' });
    assert.equal(resolveSource(p, { count: 1, from: ['empty'] }, 'src/a.ts').kind, 'anyone');
  });
});

describe('governance: the decision at commit', () => {
  const two = ['Reviewed-by: Alice Senior <alice@example.com>', 'Reviewed-by: Bob <bob@example.com> (@bob-senior)'];
  const rows: ReadonlyArray<{ what: string; over: Partial<FrictionInput>; outcome: 'allow' | 'warn' | 'refuse'; first?: RegExp }> = [
    { what: 'two distinct seniors pass', over: { message: msg(...two) }, outcome: 'allow' },
    { what: 'one senior is not enough', over: { message: msg(two[0]!) }, outcome: 'refuse', first: /need review \(rule "moves money" \(tier-1\): 2 reviews from payments-seniors \(1 more needed\)\)\. Add "Reviewed-by: Name <email> \(@bob-senior\)" \(a reviewer the policy names\) to the commit message\. rule "moves money" \(tier-1\) allows no AI-Critical-Override\./ },
    { what: "the author's own review does not count", over: { message: msg(two[0]!, 'Reviewed-by: Dana Dev <dana@example.com>') }, outcome: 'refuse' },
    { what: "a bot's review does not count", over: { message: msg(two[0]!, 'Reviewed-by: dependabot[bot] <support@github.com>') }, outcome: 'refuse' },
    { what: "an AI co-author's review does not count", over: { message: msg(two[0]!, 'Reviewed-by: Claude <noreply@anthropic.com>') }, outcome: 'refuse' },
    { what: 'the same senior twice does not count twice', over: { message: msg(two[0]!, 'Reviewed-by: alice <ALICE@example.com>') }, outcome: 'refuse' },
    { what: 'a review in the body does not count', over: { message: `Change\n\n${two[0]}\n${two[1]}\n\nSigned-off-by: Dana Dev <dana@example.com>\n` }, outcome: 'refuse', first: /a Reviewed-by line in the body is not a trailer/ },
    { what: 'a review quoted in prose does not count', over: { message: `Change\n\n> ${two[0]}\n> ${two[1]}\n` }, outcome: 'refuse' },
    { what: 'a forbidden override does not pass', over: { message: msg('AI-Critical-Override: hotfix') }, outcome: 'refuse', first: /allows no AI-Critical-Override/ },
    { what: '50 lines: at the budget', over: { files: [pay(50)], message: msg(...two) }, outcome: 'allow' },
    { what: '60 lines: over the budget, blocked even with reviews', over: { files: [pay(60)], message: msg(...two) }, outcome: 'refuse', first: /^ai-provenance: commit refused: 60 AI-written lines in src\/payments\/charge\.ts are over the budget of 50 for one commit of rule "moves money" \(tier-1\), which blocks changes over budget\./ },
    { what: 'the budget is spent over all files of the rule', over: { files: [{ path: 'src/payments/a.ts', lines: lines(30) }, { path: 'src/payments/b.ts', lines: lines(30) }], message: msg(...two) }, outcome: 'refuse', first: /60 AI-written lines in src\/payments\/a\.ts, src\/payments\/b\.ts are over the budget of 50/ },
  ];
  for (const r of rows) {
    it(r.what, () => {
      const d = decide(r.over);
      assert.equal(d.outcome, r.outcome, d.messageLines.join('\n'));
      if (r.first) assert.match(d.messageLines[0]!, r.first);
    });
  }

  it('reviews above the trailer block are named as body reviews, not counted', () => {
    // Signed-off-by makes the last paragraph the trailer block; the reviews stand above it.
    const d = decide({ message: `Change\n\n${two[0]}\n${two[1]}\n\nSigned-off-by: Dana Dev <dana@example.com>\n` });
    assert.deepEqual(d.reviewedBy, []);
    assert.deepEqual(d.bodyReviews, two.map((t) => t.slice('Reviewed-by: '.length)));
  });

  it('names the rejected reviewers with their reasons', () => {
    const d = decide({ message: msg(two[0]!, 'Reviewed-by: Dana Dev <dana@example.com>', 'Reviewed-by: Claude <noreply@anthropic.com>', 'Reviewed-by: alice <ALICE@example.com>', 'Reviewed-by: Eve <eve@example.com>') });
    const text = d.messageLines.join('\n');
    assert.match(text, /not counted: "Reviewed-by: Dana Dev <dana@example\.com>" is the author/);
    assert.match(text, /not counted: "Reviewed-by: Claude <noreply@anthropic\.com>" is an AI \(Claude\)/);
    assert.match(text, /not counted: "Reviewed-by: alice <ALICE@example\.com>" is a reviewer already named/);
    assert.match(text, /not counted: "Reviewed-by: Eve <eve@example\.com>" is not in payments-seniors/);
    assert.match(text, /src\/payments\/charge\.ts {2}lines 1-10 {2}\(moves money; tier-1; friction: review\)/);
    assert.match(text, /budget of rule "moves money" \(tier-1\): 10 of 50 AI lines allowed for one commit/);
  });

  it('marks the tier: AI-Critical and AI-Tier trailers', () => {
    const d = decide({ message: msg(...two) });
    assert.deepEqual(d.trailersToAdd, [
      { key: 'AI-Critical', value: 'src/payments/charge.ts' },
      { key: 'AI-Tier', value: 'tier-1' },
    ]);
    assert.match(d.messageLines[0]!, /budget of rule "moves money" \(tier-1\): 10 of 50 AI lines/);
  });

  it('overBudget "review": a warn rule over its budget needs its reviews; its own reviews when it names them', () => {
    const p = policyOf({
      groups: { leads: ['@lead'] },
      critical: [
        { paths: ['src/auth/**'], reason: 'sign-in', friction: 'warn', maxAiLines: 20 },
        { paths: ['src/infra/**'], reason: 'infra', friction: 'warn', maxAiLines: 20, overBudget: { reviews: { count: 1, from: ['leads'] } } },
      ],
    });
    const auth = (n: number): AiFile => ({ path: 'src/auth/login.ts', lines: lines(n) });
    assert.equal(decideFriction({ files: [auth(20)], policy: p, message: msg(), author }).outcome, 'warn');
    const over = decideFriction({ files: [auth(21)], policy: p, message: msg(), author });
    assert.equal(over.outcome, 'refuse');
    assert.match(over.messageLines[0]!, /rule "sign-in": 21 AI lines over its budget of 20 need 1 review from someone other than the author/);
    assert.equal(decideFriction({ files: [auth(21)], policy: p, message: msg('Reviewed-by: Eve <eve@example.com>'), author }).outcome, 'allow');
    assert.equal(decideFriction({ files: [auth(21)], policy: p, message: msg('AI-Critical-Override: incident 12'), author }).outcome, 'allow', 'overrides are allowed by default');
    const infra = { path: 'src/infra/main.tf', lines: lines(25) };
    assert.equal(decideFriction({ files: [infra], policy: p, message: msg('Reviewed-by: Eve <eve@example.com>'), author }).outcome, 'refuse');
    assert.equal(decideFriction({ files: [infra], policy: p, message: msg('Reviewed-by: L <l@example.com> (@lead)'), author }).outcome, 'allow');
  });

  it('unattested lines: ai counts them (and spends the budget), warn names them, allow ignores them', () => {
    const base = { paths: ['src/payments/**'], reason: 'moves money', maxAiLines: 50, overBudget: 'block' };
    const mk = (unattested: string): Policy => policyOf({ critical: [{ ...base, unattested }] });
    const un = [{ path: 'src/payments/charge.ts', lines: lines(40, 11) }];
    const ai = decideFriction({ files: [pay(10)], unattested: un, policy: mk('ai'), message: msg('Reviewed-by: Eve <eve@example.com>'), author });
    assert.equal(ai.outcome, 'allow');
    assert.equal(ai.rules[0]!.aiLines, 50);
    const overAi = decideFriction({ files: [pay(11)], unattested: [{ path: 'src/payments/charge.ts', lines: lines(40, 12) }], policy: mk('ai'), message: msg('Reviewed-by: Eve <eve@example.com>'), author });
    assert.equal(overAi.outcome, 'refuse');
    assert.match(overAi.messageLines.join('\n'), /40 with no provenance record count as AI/);
    const onlyUnattested = decideFriction({ files: [], unattested: un, policy: mk('ai'), message: msg(), author });
    assert.equal(onlyUnattested.outcome, 'refuse', 'fail closed: unrecorded lines alone need the review');
    const warn = decideFriction({ files: [], unattested: un, policy: mk('warn'), message: msg(), author });
    assert.equal(warn.outcome, 'warn');
    assert.match(warn.messageLines[0]!, /no provenance record in a critical path \(unattested: warn\)/);
    assert.equal(decideFriction({ files: [], unattested: un, policy: mk('allow'), message: msg(), author }).outcome, 'allow');
  });

  it('policy-wide defaults apply to rules that name none, and a rule overrides them', () => {
    const p = policyOf({ defaults: { maxAiLines: 5, tier: 'tier-2', reviews: { count: 2, from: [] } }, critical: [{ paths: ['a/**'], reason: 'a' }, { paths: ['b/**'], reason: 'b', maxAiLines: 100, tier: 'tier-1' }] });
    assert.deepEqual([p.critical[0]!.maxAiLines, p.critical[0]!.tier, p.critical[0]!.reviews?.count], [5, 'tier-2', 2]);
    assert.deepEqual([p.critical[1]!.maxAiLines, p.critical[1]!.tier], [100, 'tier-1']);
  });

  it('external approvals meet a requirement the message does not', () => {
    const d = decide({ message: msg(two[0]!), external: [approvalReviewer({ login: 'bob-senior' })] });
    assert.equal(d.outcome, 'allow');
  });
});

describe('governance: parsing and weakening', () => {
  const errs: ReadonlyArray<readonly [Record<string, unknown>, RegExp]> = [
    [{ critical: [{ paths: ['a'], reason: 'r', reviews: { count: 0 } }] }, /"count" must be a whole number from 1 to 100/],
    [{ critical: [{ paths: ['a'], reason: 'r', reviews: { count: 1, from: ['seniors'] } }] }, /a reviewer source is .*the name of a group in "groups"/],
    [{ critical: [{ paths: ['a'], reason: 'r', maxAiLines: 1.5 }] }, /"maxAiLines" must be a whole number/],
    [{ critical: [{ paths: ['a'], reason: 'r', overBudget: 'warn' }] }, /"overBudget" must be "review"/],
    [{ critical: [{ paths: ['a'], reason: 'r', unattested: 'yes' }] }, /"unattested" must be one of "allow", "warn", "ai"/],
    [{ critical: [{ paths: ['a'], reason: 'r', tier: 'tier 1\n' }] }, /"tier" must be a short name/],
    [{ critical: [{ paths: ['a'], reason: 'r', allowOverride: 'no' }] }, /"allowOverride" must be true or false/],
    [{ groups: { '@x': [] }, critical: [] }, /a group's name/],
    [{ groups: { x: ['bob'] }, critical: [] }, /a group member is/],
    [{ bots: 'ci', critical: [] }, /"bots" must be a list/],
    [{ critical: [{ paths: ['a'], reason: 'r', reviewers: ['@a'], reviews: { count: 1, from: [] } }] }, /names its reviewers once/],
  ];
  for (const [doc, re] of errs) {
    it(`refuses ${JSON.stringify(doc)}`, () => {
      const r = parsePolicy(JSON.stringify(doc));
      assert.equal(r.ok, false);
      assert.match(r.errors.map((e) => e.message).join('\n'), re);
    });
  }

  const old = {
    groups: { seniors: ['@alice', '@bob'] },
    bots: ['@robot'],
    critical: [{ paths: ['src/payments/**'], reason: 'money', reviews: { count: 2, from: ['seniors'] }, maxAiLines: 50, overBudget: 'block', unattested: 'ai', allowOverride: false }],
  };
  const change = (f: (d: typeof old & Record<string, unknown>) => void): Policy => {
    const d = JSON.parse(JSON.stringify(old)) as typeof old & Record<string, unknown>;
    f(d);
    return policyOf(d);
  };
  const r0 = (d: typeof old): Record<string, unknown> => d.critical[0] as unknown as Record<string, unknown>;
  const rows: ReadonlyArray<readonly [string, Policy, RegExp | undefined]> = [
    ['raising the budget', change((d) => void (r0(d).maxAiLines = 80)), /raises its budget from 50 to 80 AI lines/],
    ['dropping the budget', change((d) => void delete r0(d).maxAiLines), /drops its budget of 50/],
    ['lowering the budget', change((d) => void (r0(d).maxAiLines = 20)), undefined],
    ['lowering the review count', change((d) => void (r0(d).reviews = { count: 1, from: ['seniors'] })), /lowers its review count from 2 to 1/],
    ['raising the review count', change((d) => void (r0(d).reviews = { count: 3, from: ['seniors'] })), undefined],
    ['emptying the group', change((d) => void (d.groups.seniors = [])), /lets anyone review/],
    ['adding to the group', change((d) => void d.groups.seniors.push('@mallory')), /widens its reviewers \(adds @mallory\)/],
    ['removing from the group', change((d) => void d.groups.seniors.pop()), undefined],
    ['unattested to allow', change((d) => void (r0(d).unattested = 'allow')), /switches unattested from ai to allow/],
    ['over budget from block to review', change((d) => void (r0(d).overBudget = 'review')), /no longer blocks changes over budget/],
    ['overrides allowed again', change((d) => void delete r0(d).allowOverride), /allows overrides again/],
    ['a bot removed', change((d) => void (d.bots = [])), /"bots" no longer lists @robot/],
    ['a tier renamed', change((d) => void (r0(d).tier = 'tier-0')), undefined],
  ];
  for (const [what, next, re] of rows) {
    it(`${what} ${re ? 'weakens' : 'does not weaken'} the policy`, () => {
      const w = weakenings(policyOf(old), next);
      if (re) assert.match(w.join('\n'), re);
      else assert.deepEqual(w, []);
    });
  }
});

describe('governance: the range verdict (judgeRange)', () => {
  const books = policyOf({
    groups: { seniors: ['@alice', '@bob'] },
    critical: [
      { paths: ['src/ledger/**'], reason: 'the books', friction: 'warn', maxAiLines: 50, overBudget: 'block' },
      { paths: ['src/auth/**'], reason: 'sign-in', friction: 'warn', tier: 'tier-2', maxAiLines: 50, overBudget: { reviews: { count: 2, from: ['seniors'] } } },
    ],
  });
  const commit = (id: string, path: string, n: number, ...trailers: string[]): RangeCommit => ({ commit: id.repeat(40), message: msg(...trailers), author, files: [{ path, lines: lines(n) }] });
  const rows: ReadonlyArray<{ what: string; commits: RangeCommit[]; external?: ReviewerIdentity[]; status: string; aiLines: number }> = [
    { what: 'two 20-line commits: within', commits: [commit('a', 'src/ledger/a.ts', 20), commit('b', 'src/ledger/a.ts', 20)], status: 'within', aiLines: 40 },
    { what: 'three 20-line commits: over a blocking budget', commits: [commit('a', 'src/ledger/a.ts', 20), commit('b', 'src/ledger/b.ts', 20), commit('c', 'src/ledger/a.ts', 20)], status: 'blocked', aiLines: 60 },
    { what: 'over, no review', commits: [commit('a', 'src/auth/a.ts', 30), commit('b', 'src/auth/a.ts', 30)], status: 'unreviewed', aiLines: 60 },
    { what: 'over, reviews from two commits of the range', commits: [commit('a', 'src/auth/a.ts', 30, 'Reviewed-by: A <a@x.example> (@alice)'), commit('b', 'src/auth/a.ts', 30, 'Reviewed-by: B <b@x.example> (@bob)')], status: 'reviewed', aiLines: 60 },
    { what: 'over, one review twice', commits: [commit('a', 'src/auth/a.ts', 30, 'Reviewed-by: A <a@x.example> (@alice)'), commit('b', 'src/auth/a.ts', 30, 'Reviewed-by: Alice <A@X.example>')], status: 'unreviewed', aiLines: 60 },
    { what: 'over, a review and an approval', commits: [commit('a', 'src/auth/a.ts', 30, 'Reviewed-by: A <a@x.example> (@alice)'), commit('b', 'src/auth/a.ts', 30)], external: [approvalReviewer({ login: 'bob' })], status: 'reviewed', aiLines: 60 },
    { what: 'over, overridden in one commit', commits: [commit('a', 'src/auth/a.ts', 30), commit('b', 'src/auth/a.ts', 30, 'AI-Critical-Override: incident 9')], status: 'overridden', aiLines: 60 },
  ];
  for (const r of rows) {
    it(r.what, () => {
      const [v] = judgeRange({ commits: r.commits, policy: books, ...(r.external ? { external: r.external } : {}) });
      assert.deepEqual([v?.status, v?.aiLines], [r.status, r.aiLines], v?.message);
    });
  }

  it('an author of one commit of the range may not review it', () => {
    const other = { ...commit('b', 'src/auth/a.ts', 30, 'Reviewed-by: A <a@x.example> (@alice)', 'Reviewed-by: B <b@x.example> (@bob)'), author: 'Bob <b@x.example>' };
    const [v] = judgeRange({ commits: [commit('a', 'src/auth/a.ts', 30), other], policy: books });
    assert.equal(v!.status, 'unreviewed');
    assert.deepEqual(v!.reviews!.rejected.map((x) => [x.reviewer, x.reason]), [['B <b@x.example> (@bob)', 'author']]);
    assert.match(v!.message, /it needs 2 reviews from seniors in any commit's trailers \(1 more needed\)/);
  });

  it('unattested lines spend the budget where the rule counts them as AI', () => {
    const p = policyOf({ critical: [{ paths: ['src/**'], reason: 'r', friction: 'warn', maxAiLines: 10, overBudget: 'block', unattested: 'ai' }] });
    const c: RangeCommit = { commit: 'c'.repeat(40), message: msg(), author, files: [], unattested: [{ path: 'src/a.ts', lines: lines(11) }] };
    assert.equal(judgeRange({ commits: [c], policy: p })[0]!.status, 'blocked');
  });
});
