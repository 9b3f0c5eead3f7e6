/**
 * Unit tests of src/core/policy/globMatch.ts: gitignore pattern semantics as a table, the same table
 * checked against real `git check-ignore` (so "gitignore semantics" means git's, not ours),
 * patterns refused with a reason, the index giving exactly what testing every pattern
 * in order gives, and the automaton matcher agreeing with the RegExp translation it replaced
 * (kept below as the oracle) while taking linear time on patterns that made RegExp hang.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { GlobOptions, GlobPattern } from '../../../../src/core/policy/globMatch';
import { compileGlob, GlobIndex, globProblem, matchList, maxGlobLength, maxGlobPatterns, maxGlobTotalLength } from '../../../../src/core/policy/globMatch';
import { parsePolicy } from '../../../../src/core/policy/schema';
import { prng } from '../../../helpers/prng';

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
    this.timeout(120_000);
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

/**
 * The RegExp the matcher compiled to before it became an automaton, verbatim but for the
 * checks compileGlob still makes: the oracle of the differential test (exponential in the
 * worst case, so only ever given small patterns and paths).
 */
function legacyRegex(pattern: string, options: GlobOptions = {}): RegExp {
  const literal = (ch: string): string => (/[.*+?^${}()|[\]\\/-]/.test(ch) ? `\\${ch}` : ch);
  const charClass = (pat: string, i: number): { re: string; next: number } | undefined => {
    let j = i + 1;
    let negate = false;
    if (pat[j] === '!' || pat[j] === '^') {
      negate = true;
      j++;
    }
    let body = '';
    let first = true;
    for (; j < pat.length; j++) {
      const ch = pat[j]!;
      if (ch === ']' && !first) {
        if (body === '') return undefined;
        return { re: negate ? `[^/${body}]` : `(?!/)[${body}]`, next: j + 1 };
      }
      first = false;
      if (ch === '\\' && j + 1 < pat.length) {
        j++;
        body += literal(pat[j]!);
      } else if (ch === '-' && body !== '' && pat[j + 1] !== ']') {
        body += '-';
      } else {
        body += literal(ch);
      }
    }
    return undefined;
  };
  const segmentRegex = (seg: string): string => {
    let re = '';
    for (let i = 0; i < seg.length; i++) {
      const ch = seg[i]!;
      if (ch === '\\') re += literal(i + 1 < seg.length ? seg[++i]! : '\\');
      else if (ch === '*') {
        re += '[^/]*';
        while (seg[i + 1] === '*') i++;
      } else if (ch === '?') re += '[^/]';
      else if (ch === '[') {
        const cls = charClass(seg, i);
        if (!cls) throw new Error('not closed');
        re += cls.re;
        i = cls.next - 1;
      } else re += literal(ch);
    }
    return re;
  };
  let body = pattern;
  if (body.startsWith('!')) body = body.slice(1);
  if (body.startsWith('\\!') || body.startsWith('\\#')) body = body.slice(1);
  const dirOnly = body.endsWith('/') && !body.endsWith('\\/');
  if (dirOnly) body = body.slice(0, -1);
  const anchored = body.includes('/');
  if (body.startsWith('/')) body = body.slice(1);
  const segs = body.split('/');
  let re = '';
  segs.forEach((seg, i) => {
    const last = i === segs.length - 1;
    if (i > 0 && segs[i - 1] !== '**') re += '/';
    if (seg === '**') re += last ? '.*' : '(?:.*/)?';
    else re += segmentRegex(seg);
  });
  const prefix = anchored ? '^' : '^(?:.*/)?';
  const lastSeg = segs[segs.length - 1]!;
  const fileOnly = options.wildcardMatchesFolders === false && !dirOnly && lastSeg !== '**' && /[*?[\\]/.test(lastSeg);
  const suffix = dirOnly ? '/.+$' : fileOnly ? '$' : '(?:/.*)?$';
  return new RegExp(prefix + re + suffix, 's');
}

describe('globMatch: the automaton against the RegExp it replaced', () => {
  // Pieces chosen to hit every construct and its corners: stars next to literals and slashes,
  // `**` in every position, classes with ranges, negation, escapes, '-' and ']', brackets that
  // do not close, the characters RegExp treats specially, and a surrogate half.
  const patternPieces = ['a', 'b', '.', '/', '*', '**', '**/', '/**', '?', '[ab]', '[!a]', '[a-c]', '[]a]', '[a-]', '[-b]', '[\\]]', '[^/]', '\\*', '\\', '!', '#', '-', '(', '$', '[', 'é', '\ud83d'];
  const pathPieces = ['a', 'b', 'c', '/', '.', '*', '-', ']', '\\', '!', 'ab', 'é', '\ud83d', '\ude00', '\n'];

  function randomCase(r: () => number): { pattern: string; paths: string[]; options: GlobOptions } {
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
    let pattern = '';
    const n = 1 + Math.floor(r() * 6);
    for (let i = 0; i < n; i++) pattern += pick(patternPieces);
    const paths: string[] = [];
    for (let k = 0; k < 8; k++) {
      let p = '';
      const m = Math.floor(r() * 8);
      for (let i = 0; i < m; i++) p += pick(pathPieces);
      paths.push(p);
    }
    // Paths the pattern's own literal text spells, so matches are common, not rare.
    paths.push(pattern.replace(/[*?[\]\\!]/g, ''), `x/${pattern.replace(/[*?[\]\\!]/g, 'a')}/y`);
    return { pattern, paths, options: r() < 0.3 ? { wildcardMatchesFolders: false } : {} };
  }

  it('gives the same answer on 20,000 random patterns and paths (seeded)', () => {
    let compared = 0;
    for (let seed = 1; seed <= 2500; seed++) {
      const r = prng(seed);
      const { pattern, paths, options } = randomCase(r);
      let compiled: GlobPattern;
      try {
        compiled = compileGlob(pattern, options);
      } catch {
        // Refused patterns must be ones the old translation refused too or that fail a check.
        continue;
      }
      const oracle = legacyRegex(pattern, options);
      for (const p of paths) {
        assert.equal(compiled.matches(p), oracle.test(p), `seed ${seed}: pattern ${JSON.stringify(pattern)} ${JSON.stringify(options)} on path ${JSON.stringify(p)}`);
        compared++;
      }
    }
    assert.ok(compared > 10_000, `only ${compared} comparisons`);
  });

  it('agrees where the DFA cache overflows and is rebuilt (a pattern whose DFA is exponential)', () => {
    // `*a` then 14 `?`: the DFA must remember which of the last 15 characters were `a`.
    const pattern = `**/*a${'?'.repeat(14)}`;
    const compiled = compileGlob(pattern);
    const oracle = legacyRegex(pattern);
    const r = prng(16);
    for (let k = 0; k < 40; k++) {
      let p = '';
      for (let i = 0; i < 2000; i++) p += r() < 0.01 ? '/' : r() < 0.5 ? 'a' : 'b';
      for (const q of [p, `${p}/x`, p.slice(0, 15 + k)]) assert.equal(compiled.matches(q), oracle.test(q), `seed 16, path ${k}: ${q.slice(-40)}`);
    }
  });

  it('refuses exactly the patterns whose translation failed or that a check refuses', () => {
    for (let seed = 1; seed <= 2500; seed++) {
      const { pattern } = randomCase(prng(seed));
      const problem = globProblem(pattern);
      let legacyThrew = false;
      try {
        legacyRegex(pattern);
      } catch {
        legacyThrew = true;
      }
      if (legacyThrew) assert.notEqual(problem, undefined, `seed ${seed}: ${JSON.stringify(pattern)}`);
      else if (problem !== undefined) assert.doesNotMatch(problem, /not closed|range/, `seed ${seed}: ${JSON.stringify(pattern)}`);
    }
  });
});

describe('globMatch: hostile patterns', () => {
  const deep = Array.from({ length: 100 }, (_, i) => `d${i % 10}`).join('/') + '/file.ts';
  const aaa = Array.from({ length: 100 }, () => 'aaaaaaaaaa').join('/');
  const hostile = [
    Array.from({ length: 300 }, () => '**').join('/') + '/x',
    '**/' + Array.from({ length: 60 }, () => '*a').join('') + '*b',
    Array.from({ length: 60 }, () => '*a').join('') + '*b',
    Array.from({ length: 40 }, () => '**/*a*').join('/') + '/b',
    Array.from({ length: 80 }, () => '[a-z]*').join('') + '!',
    `**/${'?'.repeat(9)}*${'?'.repeat(9)}/**/q/`,
  ];

  it('matches each against 100-level-deep paths quickly, and as the semantics say', function () {
    // Each case ran for minutes (or longer) as a RegExp; an automaton needs milliseconds, so a
    // regression shows as mocha's timeout.
    this.timeout(20_000);
    for (const pattern of hostile) {
      assert.equal(globProblem(pattern), undefined, pattern);
      const p = compileGlob(pattern);
      for (const path of [deep, aaa, `${aaa}/b`, `${aaa}a`]) p.matches(path);
    }
    assert.equal(compileGlob(hostile[0]!).matches(`${deep}/x`), true);
    assert.equal(compileGlob(hostile[0]!).matches(deep), false);
    assert.equal(compileGlob(hostile[1]!).matches(aaa), false);
    assert.equal(compileGlob(hostile[1]!).matches(`x/${'a'.repeat(60)}b`), true);
    assert.equal(compileGlob(hostile[2]!).matches(`${aaa}/${'ab'.repeat(60)}`), true);
  });

  it('refuses a pattern longer than the limit, with the limit in the reason', () => {
    const long = 'a/'.repeat(maxGlobLength / 2) + 'b';
    assert.match(globProblem(long) ?? '', /at most 1,000 characters/);
    assert.throws(() => compileGlob(long), /at most 1,000 characters/);
    assert.equal(globProblem('a'.repeat(maxGlobLength)), undefined);
  });

  it('a policy with more patterns than the limit is refused with a diagnostic; one at the limit is not', () => {
    const policy = (n: number): string => JSON.stringify({ critical: [{ paths: Array.from({ length: n }, (_, i) => `src/m${i}/**`), reason: 'many' }] });
    const over = parsePolicy(policy(maxGlobPatterns + 1));
    assert.equal(over.ok, false);
    assert.match(over.errors.map((e) => e.message).join('\n'), /5,001 patterns; at most 5,000/);
    assert.equal(parsePolicy(policy(maxGlobPatterns)).ok, true);
  });

  it('a policy whose patterns have more characters in all than the limit is refused with a diagnostic', () => {
    const pattern = (i: number): string => `src/${String(i).padStart(4, '0')}/${'*a'.repeat(495)}`;
    const policy = (n: number): string => JSON.stringify({ critical: [{ paths: Array.from({ length: n }, (_, i) => pattern(i)), reason: 'long' }] });
    const n = Math.floor(maxGlobTotalLength / pattern(0).length);
    assert.equal(parsePolicy(policy(n)).ok, true);
    const over = parsePolicy(policy(n + 1));
    assert.equal(over.ok, false);
    assert.match(over.errors.map((e) => e.message).join('\n'), /characters in all; at most 100,000/);
  });
});
