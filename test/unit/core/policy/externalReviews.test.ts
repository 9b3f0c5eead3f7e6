/**
 * Unit tests of src/core/policy/externalReviews.ts: the reviews file, which approvals stand
 * (latest deciding review per reviewer, no authors, no bots), how they join the review rule
 * of friction.ts, and the squashed commits' trailers in git's and GitHub's squash messages.
 */
import assert from 'node:assert/strict';
import { parseReviews, squashedCommits, squashedReviews, standingApprovals } from '../../../../src/core/policy/externalReviews';
import { approvalReviewer } from '../../../../src/core/policy/reviewers';
import { decideFriction } from '../../../../src/core/policy/friction';
import { parsePolicy } from '../../../../src/core/policy/schema';

const review = (login: string, state: string, at?: string, email?: string): Record<string, unknown> => ({ login, state, ...(at ? { submitted_at: at } : {}), ...(email ? { email } : {}) });

describe('external reviews: the reviews file', () => {
  it('reads the documented shape and the GitHub API shape (user.login)', () => {
    const r = parseReviews(JSON.stringify([review('alice', 'APPROVED', '2026-01-02T10:00:00Z', 'alice@example.com'), { user: { login: 'bob' }, state: 'COMMENTED', submitted_at: '2026-01-02T11:00:00Z', body: 'nit' }]));
    assert.deepEqual(r, { ok: true, reviews: [{ login: 'alice', state: 'APPROVED', email: 'alice@example.com', submittedAt: '2026-01-02T10:00:00Z' }, { login: 'bob', state: 'COMMENTED', submittedAt: '2026-01-02T11:00:00Z' }] });
  });

  it('says what is wrong, never an empty list in silence', () => {
    const bad = (text: string): string => {
      const r = parseReviews(text);
      assert.equal(r.ok, false, text);
      return r.ok ? '' : r.error;
    };
    assert.match(bad('{'), /^not JSON/);
    assert.match(bad('{"login":"a"}'), /expected a JSON array/);
    assert.match(bad('[1]'), /review 1: expected an object/);
    assert.match(bad('[{"state":"APPROVED"}]'), /review 1: "login" is missing/);
    assert.match(bad('[{"login":"a b","state":"APPROVED"}]'), /is not a user name/);
    assert.match(bad('[{"login":"a"}]'), /review 1 \(a\): "state" is missing/);
    assert.match(bad('[{"login":"a","state":"APPROVED","email":"nope"}]'), /"email" is not an email address/);
    assert.match(bad('[{"login":"a","state":"APPROVED","submitted_at":"yesterday"}]'), /"submitted_at" is not a date/);
  });
});

describe('external reviews: approvals that stand', () => {
  const parse = (list: unknown[]): ReturnType<typeof standingApprovals> => {
    const r = parseReviews(JSON.stringify(list));
    assert.ok(r.ok);
    return standingApprovals(r.reviews, ['pr-author']);
  };

  it('takes each reviewer’s latest deciding review; a later comment leaves an approval standing', () => {
    const out = parse([
      review('alice', 'APPROVED', '2026-01-02T10:00:00Z'),
      review('alice', 'COMMENTED', '2026-01-02T12:00:00Z'),
      review('bob', 'APPROVED', '2026-01-02T10:00:00Z'),
      review('bob', 'CHANGES_REQUESTED', '2026-01-02T11:00:00Z'),
      review('carol', 'CHANGES_REQUESTED', '2026-01-02T09:00:00Z'),
      review('Carol', 'approved', '2026-01-02T13:00:00Z'),
      review('dave', 'APPROVED', '2026-01-02T10:00:00Z'),
      review('dave', 'DISMISSED', '2026-01-02T14:00:00Z'),
    ]);
    assert.deepEqual(out.map((a) => a.login), ['alice', 'Carol']);
  });

  it('order decides among reviews with the same time, or none; submitted_at decides otherwise', () => {
    assert.deepEqual(parse([review('e', 'APPROVED', '2026-01-02T10:00:00Z'), review('e', 'CHANGES_REQUESTED', '2026-01-01T10:00:00Z')]).map((a) => a.login), ['e']);
    assert.deepEqual(parse([review('e', 'APPROVED'), review('e', 'CHANGES_REQUESTED')]), []);
  });

  it('leaves out the pull request’s author (bots are for the reviewer tally to reject, with the reason)', () => {
    assert.deepEqual(parse([review('PR-Author', 'APPROVED'), review('dependabot[bot]', 'APPROVED'), review('alice', 'APPROVED')]).map((a) => a.login), ['dependabot[bot]', 'alice']);
  });
});

describe('external reviews: counted by the reviewer tally (governance)', () => {
  const policy = (rule: Record<string, unknown>): ReturnType<typeof parsePolicy> => parsePolicy(JSON.stringify({ critical: [{ paths: ['src/payments/**'], reason: 'money', friction: 'review', ...rule }] }));
  const decide = (logins: Array<{ login: string; email?: string }>, rule: Record<string, unknown> = {}): string => {
    const p = policy(rule);
    assert.ok(p.ok);
    return decideFriction({ files: [{ path: 'src/payments/a.ts', lines: [1, 2] }], policy: p.policy, message: 'Subject\n', author: 'Ann Author <ann@example.com>', external: logins.map(approvalReviewer) }).outcome;
  };

  it('an approval meets a review, and only one the rule names when it names reviewers', () => {
    assert.equal(decide([]), 'refuse');
    assert.equal(decide([{ login: 'bob' }]), 'allow');
    assert.equal(decide([{ login: 'bob' }], { reviewers: ['@payments-leads'] }), 'refuse');
    assert.equal(decide([{ login: 'alice', email: 'alice@example.com' }], { reviewers: ['alice@example.com'] }), 'allow');
    assert.equal(decide([{ login: 'alice' }], { reviewers: ['@alice'] }), 'allow');
  });

  it('the commit’s author, a bot, or one person twice does not count', () => {
    assert.equal(decide([{ login: 'ann', email: 'ann@example.com' }]), 'refuse');
    assert.equal(decide([{ login: 'copilot-pull-request-reviewer[bot]' }]), 'refuse');
    assert.equal(decide([{ login: 'bob' }, { login: 'BOB' }], { reviews: { count: 2 } }), 'refuse');
    assert.equal(decide([{ login: 'bob' }, { login: 'carol' }], { reviews: { count: 2 } }), 'allow');
  });
});

describe('external reviews: squash messages', () => {
  const gitSquash = [
    'Squashed commit of the following:',
    '',
    'commit 1111111111111111111111111111111111111111',
    'Author: Ann Author <ann@example.com>',
    'Date:   Thu Jan 1 00:00:00 2026 +0000',
    '',
    '    Helpers',
    '    ',
    '    Assisted-by: Codex:gpt-5',
    '',
    'commit 2222222222222222222222222222222222222222',
    'Author: Ann Author <ann@example.com>',
    'Date:   Thu Jan 1 00:00:00 2026 +0000',
    '',
    '    Add the handler',
    '    ',
    '    Reviewed-by: Rita Reviewer <rita@example.com>',
    '    not a trailer: prose below it',
    '',
  ].join('\n');
  const github = ['Feature (#12)', '', '* Add the handler', '', 'Reviewed-by: Rita Reviewer <rita@example.com>', '', '* Helpers', '', 'Body text.', '', 'Assisted-by: Codex:gpt-5', 'Reviewed-by: Sam <sam@example.com>', ''].join('\n');

  it('reads each squashed commit of git merge --squash’s message with its own trailer block', () => {
    const c = squashedCommits(gitSquash);
    assert.deepEqual(c.map((x) => [x.commit?.slice(0, 4), x.subject, x.trailers.map((t) => t.key)]), [
      ['1111', 'Helpers', ['Assisted-by']],
      // Its last paragraph is not all trailers: git would not read it as a trailer block either.
      ['2222', 'Add the handler', []],
    ]);
  });

  it('reads GitHub’s squash message, one bullet per commit', () => {
    assert.deepEqual(squashedCommits(github).map((x) => [x.subject, x.trailers.map((t) => t.value)]), [
      ['Add the handler', ['Rita Reviewer <rita@example.com>']],
      ['Helpers', ['Codex:gpt-5', 'Sam <sam@example.com>']],
    ]);
    assert.deepEqual(squashedReviews(github), ['Rita Reviewer <rita@example.com>', 'Sam <sam@example.com>']);
    assert.deepEqual(squashedReviews('Plain subject\n\nReviewed-by: X <x@example.com>\n'), []);
  });
});
