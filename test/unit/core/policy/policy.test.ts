/**
 * Unit tests of src/core/policy/ (policy.ts, schema.ts, jsonPositions.ts, match.ts,
 * weakening.ts): parsing with positions (one clear error where the file is
 * broken), validation, matching (strictest rule, the policy file itself, personal patterns),
 * weakening, and the agreement of the parser with media/policy.schema.json on every policy
 * example in docs/ and every fixture in test/fixtures/policy.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import type { Policy } from '../../../../src/core/policy/policy';
import { formatProblem, parsePolicy } from '../../../../src/core/policy/schema';
import { isWeakening, weakenings } from '../../../../src/core/policy/weakening';
import { matchCritical } from '../../../../src/core/policy/match';
import { positionAt } from '../../../../src/core/policy/jsonPositions';
import { reviewerSyntax, withUserPatterns } from '../../../../src/core/policy/policy';

const repoRoot = path.resolve(__dirname, '..', '..', '..', '..', '..');
const fixtures = path.join(repoRoot, 'test', 'fixtures', 'policy');

function policyOf(text: string): Policy {
  const r = parsePolicy(text);
  assert.ok(r.ok, r.errors.map((e) => formatProblem(e)).join('\n'));
  return r.policy;
}

function rules(...rs: Array<Record<string, unknown>>): Policy {
  return policyOf(JSON.stringify({ critical: rs }));
}

describe('policy: parsing', () => {
  it('reads rules with their defaults', () => {
    const p = policyOf('{"critical":[{"paths":["src/payments/**"],"reason":"money"}]}');
    assert.equal(p.defaultFriction, 'review');
    assert.deepEqual(p.critical, [{ paths: ['src/payments/**'], reason: 'money', friction: 'review', reviewers: [], source: 'policy', index: 0 }]);
    assert.equal(policyOf('{"defaultFriction":"warn","critical":[{"paths":["a"],"reason":"r"}]}').critical[0]!.friction, 'warn');
  });

  it('points a syntax error at its line and column, once', () => {
    const text = '{\n  "critical": [\n    { "paths": ["src/**"], "reason": "money", },\n  ]\n}\n';
    const r = parsePolicy(text);
    assert.equal(r.ok, false);
    assert.equal(r.errors.length, 1);
    const e = r.errors[0]!;
    assert.match(e.message, /trailing comma/);
    assert.deepEqual([e.line, e.column], [3, 45]);
    assert.equal(text[e.offset], ',');
    assert.equal(formatProblem(e), '.ai-provenance.json:3:45: error: not valid JSON: a comma before "}" (JSON allows no trailing comma)');
  });

  const syntax: ReadonlyArray<readonly [string, string, RegExp, number, number]> = [
    ['empty file', '', /empty/, 1, 1],
    ['a comment', '{\n  // x\n}', /comment/, 2, 3],
    ['a missing comma', '{"critical": []\n "version": 1}', /comma is missing/, 2, 2],
    ['an unclosed string', '{"critical": [{"paths": ["src/**]}]}', /not closed/, 1, 26],
    ['a single-quoted key', "{'critical': []}", /double quotes/, 1, 2],
    ['text after the object', '{} x', /after the end/, 1, 4],
    ['a bad escape', '{"critical": [{"paths": ["a\\x"], "reason": "r"}]}', /invalid escape/, 1, 28],
    ['CRLF line ends', '{\r\n"critical": [\r\n  x\r\n]}', /expected a value/, 3, 3],
  ];
  for (const [name, text, message, line, column] of syntax) {
    it(`syntax: ${name} at ${line}:${column}`, () => {
      const r = parsePolicy(text);
      assert.equal(r.ok, false);
      assert.equal(r.errors.length, 1, JSON.stringify(r.errors));
      assert.match(r.errors[0]!.message, message);
      assert.deepEqual([r.errors[0]!.line, r.errors[0]!.column], [line, column]);
    });
  }

  it('points a schema error at the offending value or key', () => {
    const text = '{\n  "critical": [\n    { "paths": ["src/**"], "reason": "money", "friction": "sometimes" }\n  ]\n}';
    const r = parsePolicy(text);
    assert.equal(r.ok, false);
    const e = r.errors[0]!;
    assert.equal(e.at, 'critical[0].friction');
    assert.equal(text.slice(e.offset, e.offset + e.length), '"sometimes"');
    assert.deepEqual([e.line, e.column, e.endLine, e.endColumn], [3, 59, 3, 70]);
    const dup = parsePolicy('{"critical": [], "critical": []}');
    assert.equal(dup.ok, false);
    assert.equal(dup.errors[0]!.column, 18);
    assert.match(dup.errors[0]!.message, /twice/);
  });

  it('warns about unknown keys, with their position, and still gives the policy', () => {
    const r = parsePolicy('{\n  "critical": [],\n  "laterRule": {}\n}');
    assert.ok(r.ok);
    assert.equal(r.warnings.length, 1);
    assert.deepEqual([r.warnings[0]!.line, r.warnings[0]!.column, r.warnings[0]!.length], [3, 3, 11]);
    const rule = parsePolicy('{"critical": [{"paths": ["a"], "reason": "r", "minReviewers": 2}]}');
    assert.ok(rule.ok);
    assert.match(rule.warnings[0]!.message, /unknown key "minReviewers"/);
  });

  it('refuses what would silently protect less', () => {
    const cases: ReadonlyArray<readonly [string, RegExp]> = [
      ['{"critical": {"paths": ["a"]}}', /must be a list/],
      ['{"critical": [{"paths": "src/**", "reason": "r"}]}', /list of patterns/],
      ['{"critical": [{"paths": ["src/** "], "reason": "r"}]}', /blank/],
      ['{"critical": [{"paths": ["[abc"], "reason": "r"}]}', /not closed/],
      ['{"critical": [{"paths": ["a"], "reason": "  "}]}', /non-empty/],
      ['{"critical": [{"paths": ["a"], "reason": "r", "reviewers": ["bob"]}]}', /reviewer is/],
      ['{"version": 2}', /version/],
      ['[]', /JSON object/],
      ['{"defaultFriction": "maybe"}', /defaultFriction/],
    ];
    for (const [text, message] of cases) {
      const r = parsePolicy(text);
      assert.equal(r.ok, false, text);
      assert.match(r.errors.map((e) => e.message).join('\n'), message, text);
    }
  });

  it('counts columns in UTF-16 code units and lines across CR, LF and CRLF', () => {
    assert.deepEqual(positionAt('a\nb\r\nc\rd', 7), { line: 4, column: 1 });
    assert.deepEqual(positionAt('"é😀"x', 5), { line: 1, column: 6 });
    const r = parsePolicy('\ufeff{"critical": 1}');
    assert.equal(r.ok, false);
    assert.equal(r.errors[0]!.column, 15, 'a byte order mark is skipped but still counted');
  });

  it('does not overflow on deeply nested input', () => {
    const r = parsePolicy('['.repeat(100_000));
    assert.equal(r.ok, false);
    assert.match(r.errors[0]!.message, /nested deeper/);
  });
});

describe('policy: matching', () => {
  const policy = rules(
    { paths: ['src/payments/**', '!src/payments/**/*.test.ts'], reason: 'money', friction: 'review', reviewers: ['Alice <alice@example.com>'] },
    { paths: ['*.pem'], reason: 'keys', friction: 'block' },
    { paths: ['src/payments/refund.ts'], reason: 'refunds', friction: 'warn' },
    { paths: ['src/payments/webhook.ts'], reason: 'webhooks', friction: 'review', reviewers: ['@hooks'] },
  );

  it('matches with gitignore semantics and names the rule and pattern', () => {
    const m = matchCritical(policy, 'src/payments/charge.ts');
    assert.equal(m?.reason, 'money');
    assert.equal(m.friction, 'review');
    assert.equal(m.pattern, 'src/payments/**');
    assert.deepEqual(m.reviewers, ['Alice <alice@example.com>']);
    assert.equal(matchCritical(policy, 'src/payments/charge.test.ts'), undefined);
    assert.equal(matchCritical(policy, 'src/util.ts'), undefined);
    assert.equal(matchCritical(policy, 'deploy/keys/prod.pem')?.friction, 'block');
  });

  it('lets the strictest rule decide, and lists every matching rule', () => {
    const refund = matchCritical(policy, 'src/payments/refund.ts')!;
    assert.equal(refund.friction, 'review', 'a warn rule does not soften a review rule');
    assert.deepEqual(refund.rules.map((r) => r.reason), ['money', 'refunds']);
    const hook = matchCritical(policy, 'src/payments/webhook.ts')!;
    assert.deepEqual(hook.rules.map((r) => r.reason), ['money', 'webhooks'], 'equally strict: file order');
  });

  it('keeps the policy file itself critical whenever the policy protects anything', () => {
    const m = matchCritical(policy, '.ai-provenance.json');
    assert.equal(m?.rule.source, 'builtin');
    assert.equal(m.friction, 'review', 'the strongest friction of the policy, at most review');
    assert.equal(matchCritical(rules({ paths: ['a'], reason: 'r', friction: 'warn' }), '.ai-provenance.json')?.friction, 'warn');
    assert.equal(matchCritical(policyOf('{}'), '.ai-provenance.json'), undefined);
    assert.equal(matchCritical(policy, 'sub/.ai-provenance.json'), undefined, 'only the root file');
  });

  it('adds personal patterns as a warn rule that never softens the repository', () => {
    const mine = withUserPatterns(policy, ['notes/**', ' bad ']);
    assert.equal(matchCritical(mine, 'notes/todo.md')?.reason, 'personal pattern');
    assert.equal(matchCritical(mine, 'notes/todo.md')?.friction, 'warn');
    assert.equal(mine.critical.at(-1)!.source, 'user');
    assert.deepEqual(mine.critical.at(-1)!.paths, ['notes/**'], 'unusable patterns are left out');
    assert.equal(withUserPatterns(policy, []), policy);
    assert.equal(matchCritical(withUserPatterns(policyOf('{}'), ['x']), '.ai-provenance.json'), undefined, 'personal rules do not make the file critical');
  });
});

describe('policy: weakening', () => {
  const base = { paths: ['src/payments/**', '!src/payments/test/**'], reason: 'money', friction: 'review', reviewers: ['@leads'] };
  const old = rules(base, { paths: ['*.pem'], reason: 'keys', friction: 'block' });
  const table: ReadonlyArray<readonly [string, Policy, boolean]> = [
    ['the same policy', rules(base, { paths: ['*.pem'], reason: 'keys', friction: 'block' }), false],
    ['a rule added', rules(base, { paths: ['*.pem'], reason: 'keys', friction: 'block' }, { paths: ['x'], reason: 'x' }), false],
    ['rules reordered, reasons reworded', rules({ paths: ['*.pem'], reason: 'secrets', friction: 'block' }, base), false],
    ['a positive pattern added', rules({ ...base, paths: ['src/payments/**', 'lib/pay/**', '!src/payments/test/**'] }, { paths: ['*.pem'], reason: 'k', friction: 'block' }), false],
    ['a negation dropped', rules({ ...base, paths: ['src/payments/**'] }, { paths: ['*.pem'], reason: 'k', friction: 'block' }), false],
    ['friction raised', rules({ ...base, friction: 'block' }, { paths: ['*.pem'], reason: 'k', friction: 'block' }), false],
    ['reviewers narrowed', rules({ ...base, reviewers: ['@leads'] }, { paths: ['*.pem'], reason: 'k', friction: 'block' }), false],
    ['a rule removed', rules(base), true],
    ['friction lowered', rules(base, { paths: ['*.pem'], reason: 'keys', friction: 'review' }), true],
    ['friction lowered through defaultFriction', policyOf(JSON.stringify({ defaultFriction: 'warn', critical: [{ ...base, friction: undefined }, { paths: ['*.pem'], reason: 'k', friction: 'block' }] })), true],
    ['a pattern removed', rules({ ...base, paths: ['src/payments/api/**', '!src/payments/test/**'] }, { paths: ['*.pem'], reason: 'k', friction: 'block' }), true],
    ['a negation added', rules({ ...base, paths: ['src/payments/**', '!src/payments/test/**', '!src/payments/legacy/**'] }, { paths: ['*.pem'], reason: 'k', friction: 'block' }), true],
    ['a positive pattern added before a negation', rules({ ...base, paths: ['src/payments/**', 'src/payments/test/x', '!src/payments/test/**'] }, { paths: ['*.pem'], reason: 'k', friction: 'block' }), false],
    ['reviewers widened', rules({ ...base, reviewers: ['@leads', '@everyone'] }, { paths: ['*.pem'], reason: 'k', friction: 'block' }), true],
    ['reviewers removed', rules({ ...base, reviewers: [] }, { paths: ['*.pem'], reason: 'k', friction: 'block' }), true],
    ['everything removed', policyOf('{}'), true],
  ];
  for (const [name, next, weaker] of table) {
    it(`${name}: ${weaker ? 'weakens' : 'does not weaken'}`, () => {
      assert.equal(isWeakening(old, next), weaker, weakenings(old, next).join('\n'));
    });
  }

  it('sees a negation moved past the pattern it used to precede', () => {
    const before = rules({ paths: ['src/**', '!src/test/**', 'src/test/keep/**'], reason: 'r' });
    assert.equal(isWeakening(before, rules({ paths: ['src/**', 'src/test/keep/**', '!src/test/**'], reason: 'r' })), true);
    // Conservative: any other reordering of a negation is taken as weakening too (the old
    // policy then decides, which is safe).
    assert.equal(isWeakening(before, rules({ paths: ['!src/test/**', 'src/**', 'src/test/keep/**'], reason: 'r' })), true);
  });

  it('says which rule is weakened and how', () => {
    assert.deepEqual(weakenings(old, rules(base, { paths: ['*.pem'], reason: 'keys', friction: 'warn' })), ['rule "*.pem" (keys) lowers friction from block to warn']);
  });
});

describe('policy: the schema and the parser agree', () => {
  const schema = JSON.parse(fs.readFileSync(path.join(repoRoot, 'media', 'policy.schema.json'), 'utf8')) as { definitions: { reviewer: { pattern: string } } };
  const ajv = new Ajv({ allErrors: true });
  // VS Code's own schema keywords, which ajv does not know.
  for (const k of ['markdownDescription', 'enumDescriptions', 'markdownEnumDescriptions', 'defaultSnippets']) ajv.addKeyword(k);
  const validate = ajv.compile(schema);

  const examples = (): Array<[string, string]> => {
    const out: Array<[string, string]> = [];
    for (const doc of fs.readdirSync(path.join(repoRoot, 'docs')).filter((f) => f.endsWith('.md'))) {
      const text = fs.readFileSync(path.join(repoRoot, 'docs', doc), 'utf8');
      let n = 0;
      for (const m of text.matchAll(/```json\n([\s\S]*?)```/g)) {
        if (m[1]!.includes('"critical"')) out.push([`docs/${doc} example ${++n}`, m[1]!]);
      }
    }
    return out;
  };

  it('docs/ci.md has policy examples', () => {
    assert.ok(examples().filter(([n]) => n.startsWith('docs/ci.md')).length >= 2);
  });

  for (const [name, text] of [...examples(), ...fs.readdirSync(path.join(fixtures, 'valid')).map((f): [string, string] => [`valid/${f}`, fs.readFileSync(path.join(fixtures, 'valid', f), 'utf8')])]) {
    it(`${name} is valid for both, without a warning`, () => {
      const r = parsePolicy(text);
      assert.ok(r.ok, r.errors.map((e) => formatProblem(e)).join('\n'));
      assert.deepEqual(r.warnings, []);
      assert.ok(validate(JSON.parse(text)), ajv.errorsText(validate.errors));
    });
  }

  for (const f of fs.readdirSync(path.join(fixtures, 'invalid'))) {
    it(`invalid/${f} is refused by both`, () => {
      const text = fs.readFileSync(path.join(fixtures, 'invalid', f), 'utf8');
      const r = parsePolicy(text);
      assert.ok(r.errors.length + r.warnings.length > 0, 'the parser says something');
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        return; // not JSON at all: the schema never sees it
      }
      assert.equal(validate(json), false, 'the schema refuses it');
    });
  }

  it('the schema states the reviewer syntax the parser uses', () => {
    assert.equal(new RegExp(schema.definitions.reviewer.pattern).source, reviewerSyntax.source);
  });
});
