/**
 * Unit tests of src/core/policy/friction.ts: the decision the commit-msg hook and the CI gate share
 * (warn, review with reviewers from the rule or CODEOWNERS, override, block), identities and
 * trailers as commit messages write them, and the refusal text a person reads.
 */
import assert from 'node:assert/strict';
import { parseCodeowners } from '../../../../src/core/policy/codeowners';
import type { AiFile, FrictionInput } from '../../../../src/core/policy/friction';
import { decideFriction, messageTrailers } from '../../../../src/core/policy/friction';
import { isNamedReviewer, parseIdent, samePerson } from '../../../../src/core/policy/ident';
import type { Policy } from '../../../../src/core/policy/policy';
import { parsePolicy } from '../../../../src/core/policy/schema';

function policy(critical: unknown[]): Policy {
  const r = parsePolicy(JSON.stringify({ critical }));
  if (!r.ok) throw new Error(r.errors[0]!.message);
  return r.policy;
}

const author = 'Test User <test@example.com>';
const charge: AiFile = { path: 'src/payments/charge.ts', lines: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] };
const review = policy([{ paths: ['src/payments/**'], reason: 'payments code moves money', friction: 'review' }]);

function decide(over: Partial<FrictionInput>): ReturnType<typeof decideFriction> {
  return decideFriction({ files: [charge], policy: review, message: 'x\n', author, ...over });
}

describe('friction: identities and trailers', () => {
  it('reads the forms people and git write', () => {
    assert.deepEqual(parseIdent('Other Person <O@X.example>'), { name: 'Other Person', email: 'o@x.example', handles: [] });
    assert.deepEqual(parseIdent('Alice <alice@example.com> (@Alice)'), { name: 'Alice', email: 'alice@example.com', handles: ['alice'] });
    assert.deepEqual(parseIdent('@acme/payments'), { name: '', email: undefined, handles: ['acme/payments'] });
    assert.deepEqual(parseIdent('bob@example.com'), { name: '', email: 'bob@example.com', handles: [] });
    assert.deepEqual(parseIdent('Test User <test@example.com> 1767225600 +0000'), { name: 'Test User', email: 'test@example.com', handles: [] });
    assert.deepEqual(parseIdent('Carol <12345+carol-x@users.noreply.github.com>').handles, ['carol-x']);
  });

  it('tells people apart by email, handle, or name when nothing else is given', () => {
    assert.ok(samePerson(parseIdent('T <TEST@example.com>'), parseIdent(author)));
    assert.ok(!samePerson(parseIdent('Test User <other@example.com>'), parseIdent(author)), 'a namesake with another email');
    assert.ok(samePerson(parseIdent('test user'), parseIdent(author)));
    assert.ok(isNamedReviewer(parseIdent('A <alice@example.com>'), 'Alice Example <ALICE@example.com>'));
    assert.ok(isNamedReviewer(parseIdent('A <a@x.example> (@payments-leads)'), '@payments-leads'));
    assert.ok(!isNamedReviewer(parseIdent('A <a@x.example>'), '@payments-leads'));
  });

  it('reads Key: value lines below the subject, skipping comments and what is below the scissors', () => {
    const message = 'Reviewed-by: not the subject\n\nbody\nReviewed-by: A <a@x>\n# Reviewed-by: commented <c@x>\nAI-Critical-Override:  why \n# ------------------------ >8 ------------------------\nReviewed-by: below <b@x>\n';
    assert.deepEqual(messageTrailers(message).map((t) => `${t.key}=${t.value}`), ['Reviewed-by=A <a@x>', 'AI-Critical-Override=why']);
    assert.deepEqual(messageTrailers('x\n\n; Reviewed-by: c <c@x>\nReviewed-by: d <d@x>\n', ';').map((t) => t.value), ['d <d@x>']);
  });
});

describe('friction: decisions', () => {
  it('allows, silently and unmarked, a change with no AI line in a critical path', () => {
    const d = decide({ files: [{ path: 'src/util.ts', lines: [1] }, { path: 'src/payments/charge.ts', lines: [] }] });
    assert.equal(d.outcome, 'allow');
    assert.deepEqual(d.messageLines, []);
    assert.deepEqual(d.trailersToAdd, []);
  });

  it('review: refuses without Reviewed-by, naming the file and exactly what to add, on the first line', () => {
    const d = decide({});
    assert.equal(d.outcome, 'refuse');
    assert.deepEqual(d.criticalPaths, ['src/payments/charge.ts']);
    const first = d.messageLines[0]!;
    assert.match(first, /^ai-provenance: commit refused: AI-written lines in critical path src\/payments\/charge\.ts need review\./);
    assert.match(first, /Add "Reviewed-by: Name <email>" of a reviewer other than you, or "AI-Critical-Override: <reason>", to the commit message\.$/);
    assert.ok(d.messageLines.some((l) => l.includes('src/payments/charge.ts  lines 1-10  (payments code moves money; friction: review)')));
    assert.ok(d.messageLines.every((l) => l.length < 300 && !l.includes('\n')));
  });

  it('review: only a Reviewed-by in the trailer block counts; one in the body is named in the refusal', () => {
    for (const message of ['x\n\nReviewed-by: Other Person <o@x>\n\nprose after it\n', 'x\n\nprose\nReviewed-by: Other Person <o@x>\n']) {
      const d = decide({ message });
      assert.equal(d.outcome, 'refuse', message);
      assert.deepEqual(d.bodyReviews, ['Other Person <o@x>']);
      assert.match(d.messageLines[0]!, /\(a Reviewed-by line in the body is not a trailer: put it in the last paragraph\)\.$/);
    }
    for (const message of ['x\n\n> Reviewed-by: Other Person <o@x>\n', 'x\n\nrequested review from Other Person <o@x>\n']) {
      const d = decide({ message });
      assert.equal(d.outcome, 'refuse', message);
      assert.deepEqual(d.bodyReviews, []);
    }
    // The 25% rule: a git-written trailer makes a mostly-prose last paragraph a trailer block.
    assert.equal(decide({ message: 'x\n\nprose\nSigned-off-by: A <a@x>\nReviewed-by: Other Person <o@x>\n' }).outcome, 'allow');
    assert.equal(decide({ message: 'x\n\nReviewed-by: Other Person <o@x>\n\n# Please enter the commit message\n' }).outcome, 'allow');
  });

  it('review: allows with Reviewed-by of someone else, and marks the commit AI-Critical', () => {
    const d = decide({ message: 'x\n\nReviewed-by: Other Person <o@x>\n' });
    assert.equal(d.outcome, 'allow');
    assert.deepEqual(d.trailersToAdd, [{ key: 'AI-Critical', value: 'src/payments/charge.ts' }]);
    assert.deepEqual(d.reviewedBy, ['Other Person <o@x>']);
    assert.equal(d.messageLines.length, 1);
    assert.match(d.messageLines[0]!, /reviewed by Other Person <o@x>/);
  });

  it('review: a Reviewed-by naming the author, or nobody identifiable, does not count', () => {
    for (const r of ['Test User <test@example.com>', 'Test User <TEST@example.com> (@tu)', 'Someone']) {
      const d = decide({ message: `x\n\nReviewed-by: ${r}\n` });
      assert.equal(d.outcome, 'refuse', r);
      assert.equal(d.rejectedReviews.length, 1, r);
      assert.ok(d.messageLines.some((l) => l.startsWith('  not counted: ')), r);
    }
  });

  it('review: the rule names its reviewers, by email or @handle', () => {
    const named = policy([{ paths: ['src/payments/**'], reason: 'money', reviewers: ['Alice <alice@example.com>', '@pay-leads'] }]);
    const refused = decide({ policy: named, message: 'x\n\nReviewed-by: Other Person <o@x>\n' });
    assert.equal(refused.outcome, 'refuse');
    assert.match(refused.messageLines[0]!, /Add "Reviewed-by: Alice <alice@example\.com>" \(a reviewer the policy names\)/);
    assert.ok(refused.messageLines.includes('    reviewers: Alice <alice@example.com>, @pay-leads'));
    assert.equal(decide({ policy: named, message: 'x\n\nReviewed-by: A. <ALICE@example.com>\n' }).outcome, 'allow');
    assert.equal(decide({ policy: named, message: 'x\n\nReviewed-by: Bob <bob@x> (@pay-leads)\n' }).outcome, 'allow');
  });

  it('review: CODEOWNERS name the reviewers of a rule that names none', () => {
    const codeowners = parseCodeowners('/src/payments/ @acme/payments carol@example.com\n');
    assert.equal(decide({ codeowners, message: 'x\n\nReviewed-by: Other <o@x>\n' }).outcome, 'refuse');
    const ok = decide({ codeowners, message: 'x\n\nReviewed-by: Carol <carol@example.com>\n' });
    assert.equal(ok.outcome, 'allow');
    assert.equal(ok.files[0]!.requirements[0]!.from, 'codeowners');
    assert.equal(decide({ codeowners: parseCodeowners('/lib/ @x\n'), message: 'x\n\nReviewed-by: Other <o@x>\n' }).outcome, 'allow', 'unowned path: anyone but the author');
  });

  it('review: every matching review rule must be met', () => {
    const two = policy([
      { paths: ['src/payments/**'], reason: 'money', reviewers: ['@pay'] },
      { paths: ['**/charge.ts'], reason: 'charging', reviewers: ['@risk'] },
    ]);
    assert.equal(decide({ policy: two, message: 'x\n\nReviewed-by: P <p@x> (@pay)\n' }).outcome, 'refuse');
    assert.equal(decide({ policy: two, message: 'x\n\nReviewed-by: P <p@x> (@pay)\nReviewed-by: R <r@x> (@risk)\n' }).outcome, 'allow');
  });

  it('review: an override with a reason is accepted and reported; an empty or placeholder one is not', () => {
    const d = decide({ message: 'x\n\nAI-Critical-Override: incident 4711, reviewed after\n' });
    assert.equal(d.outcome, 'allow');
    assert.equal(d.override, 'incident 4711, reviewed after');
    assert.equal(d.files[0]!.status, 'overridden');
    assert.match(d.messageLines[0]!, /overridden: incident 4711/);
    assert.equal(decide({ message: 'x\n\nAI-Critical-Override:\n' }).outcome, 'refuse');
    assert.equal(decide({ message: 'x\n\nAI-Critical-Override: <reason>\n' }).outcome, 'refuse');
  });

  it('block: refuses whatever the message says', () => {
    const block = policy([{ paths: ['src/payments/**'], reason: 'no AI here', friction: 'block' }]);
    const d = decide({ policy: block, message: 'x\n\nReviewed-by: Other Person <o@x>\nAI-Critical-Override: please\n' });
    assert.equal(d.outcome, 'refuse');
    assert.match(d.messageLines[0]!, /^ai-provenance: commit refused: AI-written lines in src\/payments\/charge\.ts, where the policy allows no AI-written code \(no AI here\)\. Take those lines out/);
  });

  it('warn: goes ahead with one line', () => {
    const warn = policy([{ paths: ['src/payments/**'], reason: 'money', friction: 'warn' }]);
    const d = decide({ policy: warn });
    assert.equal(d.outcome, 'warn');
    assert.deepEqual(d.messageLines, ['ai-provenance: AI-written lines in critical path src/payments/charge.ts (money); marked AI-Critical.']);
    assert.deepEqual(d.trailersToAdd, [{ key: 'AI-Critical', value: 'src/payments/charge.ts' }]);
  });

  it('lists every critical path in AI-Critical, quoting the ambiguous ones', () => {
    const all = policy([{ paths: ['**'], reason: 'all', friction: 'warn' }]);
    const d = decide({ policy: all, files: [charge, { path: 'a, b.ts', lines: [1] }, { path: 'z.ts', lines: [2] }] });
    assert.deepEqual(d.trailersToAdd, [{ key: 'AI-Critical', value: 'src/payments/charge.ts, "a, b.ts", z.ts' }]);
  });
});
