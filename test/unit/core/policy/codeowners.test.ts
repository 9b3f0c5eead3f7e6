/**
 * Unit tests of src/core/policy/codeowners.ts: CODEOWNERS as GitHub reads it (last matching line wins,
 * a line without owners unowns, `docs/*` does not reach into subfolders), comments, GitLab
 * sections, escaped blanks.
 */
import assert from 'node:assert/strict';
import { codeownersPaths, ownersOf, parseCodeowners } from '../../../../src/core/policy/codeowners';

const file = `# Default owners
*                       @acme/everyone

# Payments
/src/payments/          @acme/payments alice@example.com   # inline comment
/src/payments/README.md
*.sql                   @dba
docs/*                  @writers
apps/                   @apps-team
src/my\\ file.ts         @spaces

[Section with default owners] @acme/section
^[Optional section]
/generated/             not-an-owner @gen
`;

describe('CODEOWNERS', () => {
  const co = parseCodeowners(file, '.github/CODEOWNERS');

  it('reads patterns and owners, skipping comments, blanks and section headers', () => {
    assert.equal(co.file, '.github/CODEOWNERS');
    assert.deepEqual(
      co.entries.map((e) => [e.pattern, e.owners, e.line]),
      [
        ['*', ['@acme/everyone'], 2],
        ['/src/payments/', ['@acme/payments', 'alice@example.com'], 5],
        ['/src/payments/README.md', [], 6],
        ['*.sql', ['@dba'], 7],
        ['docs/*', ['@writers'], 8],
        ['apps/', ['@apps-team'], 9],
        ['src/my\\ file.ts', ['@spaces'], 10],
        ['/generated/', ['@gen'], 14],
      ],
    );
  });

  const table: ReadonlyArray<readonly [string, readonly string[]]> = [
    ['src/util.ts', ['@acme/everyone']],
    ['src/payments/charge.ts', ['@acme/payments', 'alice@example.com']],
    ['src/payments/deep/x.ts', ['@acme/payments', 'alice@example.com']],
    ['src/payments/README.md', []],
    ['src/payments/db/001.sql', ['@dba']],
    ['docs/guide.md', ['@writers']],
    ['docs/sub/page.md', ['@acme/everyone']],
    ['x/apps/a.ts', ['@apps-team']],
    ['src/my file.ts', ['@spaces']],
    ['generated/a.ts', ['@gen']],
  ];
  for (const [p, owners] of table) {
    it(`${p} is owned by ${owners.join(', ') || 'nobody'}`, () => {
      assert.deepEqual(ownersOf(co, p), owners);
    });
  }

  it('gives no owners for an empty file or no matching line', () => {
    assert.deepEqual(ownersOf(parseCodeowners(''), 'a.ts'), []);
    assert.deepEqual(ownersOf(parseCodeowners('/lib/ @x\n'), 'src/a.ts'), []);
  });

  it('looks where GitHub looks, in its order', () => {
    assert.deepEqual(codeownersPaths, ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS']);
  });
});
