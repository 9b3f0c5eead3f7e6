/**
 * Unit tests of src/core/policy/globMatch.ts: gitignore pattern semantics as a table, the same table
 * checked against real `git check-ignore` (so "gitignore semantics" means git's, not ours),
 * patterns refused with a reason, and the index giving exactly what testing every pattern
 * in order gives.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { GlobPattern } from '../../../../src/core/policy/globMatch';
import { compileGlob, GlobIndex, globProblem, matchList } from '../../../../src/core/policy/globMatch';

/** [pattern, path, matches] */
const table: ReadonlyArray<readonly [string, string, boolean]> = [
  // No slash: a name at any depth, file or folder (then everything below it).
  ['charge.ts', 'charge.ts', true],
  ['charge.ts', 'src/payments/charge.ts', true],
  ['charge.ts', 'src/payments/charge.tsx', false],
  ['payments', 'src/payments/charge.ts', true],
  ['payments', 'other/payments', true],
  ['payments', 'src/paymentsX/a.ts', false],
  ['*.pem', 'keys/prod/server.pem', true],
  ['*.pem', 'server.pem.bak', false],
  ['*.test.ts', 'src/a.test.ts', true],
  ['*.test.ts', 'src/a.ts', false],
  ['?.ts', 'src/a.ts', true],
  ['?.ts', 'src/ab.ts', false],
  ['[abc].ts', 'x/b.ts', true],
  ['[abc].ts', 'x/d.ts', false],
  ['[!abc].ts', 'x/d.ts', true],
  ['[!abc].ts', 'x/a.ts', false],
  ['[a-c]*.ts', 'x/charge.ts', true],
  ['[a-c]*.ts', 'x/refund.ts', false],
  // A slash at the start or in the middle: anchored at the root.
  ['/charge.ts', 'charge.ts', true],
  ['/charge.ts', 'src/charge.ts', false],
  ['src/payments', 'src/payments/charge.ts', true],
  ['src/payments', 'lib/src/payments/charge.ts', false],
  ['src/*.ts', 'src/a.ts', true],
  ['src/*.ts', 'src/deep/a.ts', false],
  ['src/*', 'src/deep/a.ts', true],
  ['src/pay*', 'src/payments/charge.ts', true],
  // A trailing slash: folders only.
  ['payments/', 'src/payments/charge.ts', true],
  ['payments/', 'other/payments', false],
  ['charge.ts/', 'src/charge.ts', false],
  ['/src/payments/', 'src/payments/a/b.ts', true],
  // `**`.
  ['**/charge.ts', 'charge.ts', true],
  ['**/charge.ts', 'a/b/c/charge.ts', true],
  ['**/payments/*.ts', 'x/y/payments/a.ts', true],
  ['**/payments/*.ts', 'payments/a.ts', true],
  ['src/**', 'src/a.ts', true],
  ['src/**', 'src/a/b/c.ts', true],
  ['src/**', 'src', false],
  ['src/**', 'srcx/a.ts', false],
  ['src/**/charge.ts', 'src/charge.ts', true],
  ['src/**/charge.ts', 'src/a/b/charge.ts', true],
  ['src/**/charge.ts', 'lib/src/a/charge.ts', false],
  ['src/**/*.sql', 'src/db/m/001.sql', true],
  ['**', 'anything/at/all.ts', true],
  ['a**b', 'axxb', true],
  ['a**b', 'ax/xb', false],
  // Escapes.
  ['\\#notes', '#notes', true],
  ['\\!important', '!important', true],
  ['a\\*b', 'a*b', true],
  ['a\\*b', 'axb', false],
  ['a[*]b', 'a*b', true],
  // Dots and regex characters are literal.
  ['a.ts', 'abts', false],
  ['(x)+.ts', 'src/(x)+.ts', true],
];

describe('globMatch: gitignore semantics', () => {
  for (const [pattern, p, expected] of table) {
    it(`${JSON.stringify(pattern)} ${expected ? 'matches' : 'does not match'} ${p}`, () => {
      assert.equal(matchList([compileGlob(pattern)], p), expected);
    });
  }

  it('agrees with git check-ignore on every row of the table', function () {
    this.timeout(30_000);
    if (spawnSync('git', ['--version']).status !== 0) this.skip();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aip-glob-'));
    try {
      spawnSync('git', ['init', '-q'], { cwd: dir });
      // Real files and folders, so git knows which paths are folders.
      const rows = table.filter(([, p]) => !p.endsWith('/'));
      const files = new Set(rows.map(([, p]) => p));
      const dirs = new Set([...files].flatMap((f) => f.split('/').slice(0, -1).map((_, i, a) => a.slice(0, i + 1).join('/'))));
      for (const f of files) {
        if (dirs.has(f)) continue;
        fs.mkdirSync(path.join(dir, path.dirname(f)), { recursive: true });
        fs.writeFileSync(path.join(dir, f), '');
      }
      const disagree: string[] = [];
      for (const [pattern, p, expected] of rows) {
        fs.writeFileSync(path.join(dir, '.gitignore'), pattern + '\n');
        const r = spawnSync('git', ['check-ignore', '-q', '--no-index', '--', p], { cwd: dir });
        const gitSays = r.status === 0;
        if (gitSays !== expected) disagree.push(`${pattern} ${p}: git ${gitSays}, table ${expected}`);
      }
      assert.deepEqual(disagree, []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the last matching pattern decides; "!" excludes, even below a matched folder', () => {
    const list = ['src/payments/**', '!src/payments/test/**', 'src/payments/test/fixtures/live.json'].map((p) => compileGlob(p));
    assert.equal(matchList(list, 'src/payments/charge.ts'), true);
    assert.equal(matchList(list, 'src/payments/test/charge.test.ts'), false);
    assert.equal(matchList(list, 'src/payments/test/fixtures/live.json'), true);
    assert.equal(matchList([compileGlob('!*.md')], 'README.md'), false, 'a lone negation matches nothing');
  });

  it('CODEOWNERS mode: a wildcard last segment does not reach into folders', () => {
    const p = compileGlob('docs/*', { wildcardMatchesFolders: false });
    assert.equal(matchList([p], 'docs/a.md'), true);
    assert.equal(matchList([p], 'docs/sub/b.md'), false);
    assert.equal(matchList([compileGlob('apps/', { wildcardMatchesFolders: false })], 'x/apps/a.ts'), true);
    assert.equal(matchList([compileGlob('docs/**', { wildcardMatchesFolders: false })], 'docs/sub/b.md'), true);
  });
});

describe('globMatch: patterns that cannot be used', () => {
  const bad: ReadonlyArray<readonly [string, RegExp]> = [
    ['', /empty/],
    [' src/**', /blank/],
    ['src/** ', /blank/],
    ['#comment', /"#"/],
    ['!', /besides/],
    ['/', /besides/],
    ['!/', /besides/],
    ['src//a', /"\/\/"/],
    ['a\nb', /control/],
    ['[z-a].ts', /range/],
    ['[unclosed', /not closed/],
  ];
  for (const [pattern, reason] of bad) {
    it(`refuses ${JSON.stringify(pattern)}`, () => {
      assert.match(globProblem(pattern) ?? '', reason);
      assert.throws(() => compileGlob(pattern), /./);
    });
  }
  it('accepts ordinary patterns', () => {
    for (const p of ['src/**', '!src/x', '*.ts', '/a', 'a/', '\\#x']) assert.equal(globProblem(p), undefined, p);
  });
});

describe('GlobIndex', () => {
  it('gives what testing every list in order gives, for a mixed set of patterns and paths', () => {
    const lists: string[][] = [
      ['src/payments/**', '!src/payments/test/**'],
      ['*.pem', '**/secrets/**'],
      ['migrations/', 'db/*.sql'],
      ['Makefile', '/build/**', '!build/cache/'],
      ['[a-c]*/x.ts', '**', '!**/*.md'],
      ['payments'],
      ['x/y/z/w/**', 'x/y/q.ts', '!x/y/z/w/skip/'],
    ];
    const compiled: GlobPattern[][] = lists.map((l) => l.map((p) => compileGlob(p)));
    const index = new GlobIndex(compiled);
    const paths = [
      'src/payments/charge.ts',
      'src/payments/test/a.ts',
      'x/secrets/k.txt',
      'keys/a.pem',
      'db/001.sql',
      'db/sub/001.sql',
      'a/migrations/1.sql',
      'Makefile',
      'tools/Makefile',
      'build/out.js',
      'build/cache/x',
      'README.md',
      'abc/x.ts',
      'lib/payments/x.ts',
      'plain.ts',
      'x/y/z/w/v.ts',
      'x/y/z/w/skip/v.ts',
      'x/y/q.ts',
      'x/y/z/q.ts',
    ];
    for (const p of paths) {
      const expected = compiled.map((l, g) => (matchList(l, p) ? g : -1)).filter((g) => g >= 0);
      assert.deepEqual(
        index.match(p).map((h) => h.group),
        expected,
        p,
      );
    }
  });

  it('reports the deciding pattern of each group', () => {
    const index = new GlobIndex([['src/**', 'src/pay/**'].map((p) => compileGlob(p))]);
    assert.deepEqual(index.match('src/pay/a.ts'), [{ group: 0, pattern: 1 }]);
    assert.deepEqual(index.match('src/a.ts'), [{ group: 0, pattern: 0 }]);
  });
});
