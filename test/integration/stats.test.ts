/**
 * `git provenance stats` on a generated history, through the built CLI: 40-odd commits over
 * several folders, tools, models, authors and days, notes written by the real hooks and
 * notes written directly, commits whose only evidence is an agent's co-author line, a binary
 * file, a rename and a merge. The expected figures are computed here independently: added
 * lines from what the test appended, attributed lines by summing the ranges of the notes as
 * git stores them (raw JSON, not our parser).
 */
import assert from 'node:assert/strict';
import type { AttributedLine } from '../../src/core/commit/changeLines';
import type { Origin } from '../../src/core/model';
import { buildRecord, serializeRecord } from '../../src/core/commit/notes';
import { aggregate } from '../../src/core/report/stats';
import { ScanCancelled, scanStats } from '../../src/node/statsScan';
import { canonicalToolName } from '../../src/core/agents/toolNames';
import { gitOk, numbered } from '../helpers/gitHooks';
import { TempRepo } from '../helpers/tempRepo';

interface Totals {
  added: number;
  ai: number;
  mixed: number;
  unknown: number;
}

interface StatsJson {
  range: string;
  by: string;
  commits: number;
  commitsWithNotes: number;
  commitsWithTrailers: number;
  total: Totals;
  rows: Array<Totals & { key: string | null }>;
}

const zero = (): Totals => ({ added: 0, ai: 0, mixed: 0, unknown: 0 });

/** A small deterministic generator (mulberry32), so the history is the same on every run. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const tools: ReadonlyArray<{ tool: string; model?: string; kind: Origin['kind'] }> = [
  { tool: 'Claude Code', model: 'claude-sonnet-4-5', kind: 'agent' },
  { tool: 'github.copilot', kind: 'inline' },
  { tool: 'Cursor', model: 'gpt-5', kind: 'agent' },
  { tool: 'codex', model: 'gpt-5-codex', kind: 'agent' },
];
const folders = ['src/core', 'src/ui', 'critical/auth', 'docs'];
/** Agent lines of commits made without our hooks, and the tool each names. */
const coAuthors: ReadonlyArray<[string, string]> = [
  ['Co-authored-by: Claude <noreply@anthropic.com>', 'Claude'],
  ['Co-authored-by: aider (openai/gpt-4o) <noreply@aider.chat>', 'Aider'],
  ['Made-with: Cursor', 'Cursor'],
];

/**
 * The expected counts of one commit's note, read from the note's raw JSON: each range's
 * lines by its contributor type, and by the tool our metadata names for its conversation.
 */
function sumNote(json: string, byTool: Map<string, Totals>): Totals {
  const out = zero();
  const r = JSON.parse(json) as {
    files: Array<{ path: string; conversations: Array<{ contributor?: { type: string }; ranges: Array<{ start_line: number; end_line: number }> }> }>;
    metadata: { 'dev.ai-provenance': { files: Record<string, Array<{ tool: string }>> } };
  };
  for (const f of r.files) {
    f.conversations.forEach((c, j) => {
      const type = c.contributor?.type as 'ai' | 'mixed' | 'unknown';
      const n = c.ranges.reduce((s, x) => s + x.end_line - x.start_line + 1, 0);
      out[type] += n;
      out.added += n;
      // stats shows one name per tool, whatever spelling the note has.
      const tool = canonicalToolName(r.metadata['dev.ai-provenance'].files[f.path]![j]!.tool);
      const t = byTool.get(tool) ?? zero();
      t[type] += n;
      t.added += n;
      byTool.set(tool, t);
    });
  }
  return out;
}

describe('git provenance stats (integration)', function () {
  this.timeout(240_000);
  let repo: TempRepo;
  let cwd: string;
  /** Expected counts by commit (added = all lines the commit added). */
  const expected = new Map<string, Totals>();
  const expectedByTool = new Map<string, Totals>();
  let unattributed = 0;
  /** Commits given a note (by the hooks or directly). */
  let withNotes = 2;

  /** Lines of a commit whose message names `tool`: all unknown, all the tool's. */
  const addTool = (named: string, n: number): void => {
    const tool = canonicalToolName(named);
    const t = expectedByTool.get(tool) ?? zero();
    t.added += n;
    t.unknown += n;
    expectedByTool.set(tool, t);
  };
  const head = (): string => gitOk(cwd, ['rev-parse', 'HEAD']).trim();
  const commit = (message: string, date: string, author: string): string => {
    const [name, email] = author.split('|') as [string, string];
    gitOk(cwd, ['-c', 'core.hooksPath=/dev/null', 'commit', '-q', '-m', message], {
      env: { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date, GIT_AUTHOR_NAME: name, GIT_AUTHOR_EMAIL: email },
    });
    return head();
  };
  const cli = async (...args: string[]): Promise<StatsJson> => {
    const r = await repo.cli(['stats', ...args, '--json']);
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout) as StatsJson;
  };

  before(async () => {
    repo = TempRepo.create();
    cwd = repo.root;
    // Two commits through the real hooks: recorded lines become notes as in daily use.
    assert.equal((await repo.cli(['install'])).code, 0);
    repo.write('src/core/hooked.ts', numbered('hooked', 12));
    assert.equal((await repo.cli(['record', '--tool', 'Claude Code', '--model', 'claude-sonnet-4-5', 'src/core/hooked.ts:3-9'])).code, 0);
    gitOk(cwd, ['add', '-A']);
    gitOk(cwd, ['commit', '-q', '-m', 'hooked 1']);
    repo.write('src/ui/hooked.ts', numbered('ui', 6));
    assert.equal((await repo.cli(['record', '--tool', 'github.copilot', 'src/ui/hooked.ts:1-2'])).code, 0);
    gitOk(cwd, ['add', '-A']);
    gitOk(cwd, ['commit', '-q', '-m', 'hooked 2']);
    for (const rev of ['HEAD~1', 'HEAD']) {
      const sha = gitOk(cwd, ['rev-parse', rev]).trim();
      const note = gitOk(cwd, ['notes', '--ref', 'ai-provenance', 'show', sha]);
      const added = rev === 'HEAD' ? 6 : 12;
      const sum = sumNote(note, expectedByTool);
      unattributed += added - sum.added;
      expected.set(sha, { ...sum, added });
    }

    // Generated commits with notes written directly, agent lines, or nothing.
    const random = rng(6);
    let trailers = 0;
    const lengths = new Map<string, number>();
    for (let i = 0; i < 40; i++) {
      const folder = folders[Math.floor(random() * folders.length)]!;
      const file = `${folder}/f${i % 5}.ts`;
      const old = lengths.get(file) ?? 0;
      const n = 5 + Math.floor(random() * 20);
      repo.write(file, numbered(`${file} line`, old + n));
      lengths.set(file, old + n);
      gitOk(cwd, ['add', file]);
      const date = new Date(Date.UTC(2026, 0, 1 + i * 2, 12)).toISOString();
      const author = i % 3 === 0 ? 'Bob Builder|bob@example.com' : 'Ann Author|ann@example.com';
      if (i % 6 === 1) {
        const [line, tool] = coAuthors[trailers++ % coAuthors.length]!;
        const sha = commit(`generated ${i}\n\n${line}\n`, date, author);
        expected.set(sha, { added: n, ai: 0, mixed: 0, unknown: n });
        addTool(tool, n);
        continue;
      }
      const sha = commit(`generated ${i}`, date, author);
      if (i % 6 === 4) {
        expected.set(sha, { added: n, ai: 0, mixed: 0, unknown: 0 });
        unattributed += n;
        continue;
      }
      // 1-3 conversations over disjoint spans of the added lines (old+1 … old+n).
      const lines: AttributedLine[] = [];
      let at = old + 1;
      const parts = 1 + Math.floor(random() * 3);
      for (let p = 0; p < parts && at <= old + n; p++) {
        const t = tools[Math.floor(random() * tools.length)]!;
        const len = Math.min(old + n - at + 1, 1 + Math.floor(random() * 8));
        const kind = (['ai', 'ai', 'mixed', 'unknown'] as const)[Math.floor(random() * 4)]!;
        const origin: Origin = { id: `o${i}-${p}`, kind: kind === 'unknown' ? 'external' : t.kind, tool: t.tool, ...(t.model ? { model: t.model } : {}), session: `s${i}`, time: Date.parse(date) };
        for (let l = at; l < at + len; l++) lines.push({ line: l, kind, origin });
        at += len + Math.floor(random() * 3);
      }
      const record = buildRecord(
        { id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, now: Date.parse(date), revision: sha, toolVersion: 'test', files: [{ path: file, lines, text: repo.read(file).split('\n') }], count: { ai: 0, mixed: 0, unknown: 0, added: n, tools: [] } },
        (s) => `h${s.length}`,
      );
      const json = serializeRecord(record);
      gitOk(cwd, ['notes', '--ref', 'ai-provenance', 'add', '-F', '-', sha], { input: json });
      withNotes++;
      const sum = sumNote(json, expectedByTool);
      unattributed += n - sum.added;
      expected.set(sha, { ...sum, added: n });
    }
    // A binary file adds no line; a rename adds only its new lines.
    repo.write('assets/logo.png', '\x89PNG\r\n\x1a\n\0\0\0binary');
    gitOk(cwd, ['add', '-A']);
    expected.set(commit('binary', '2026-04-01T00:00:00Z', 'Ann Author|ann@example.com'), zero());
    const victim = [...lengths.keys()][0]!;
    gitOk(cwd, ['mv', victim, 'docs/renamed.ts']);
    repo.write('docs/renamed.ts', repo.read('docs/renamed.ts') + 'one more\ntwo more\n');
    gitOk(cwd, ['add', '-A']);
    expected.set(commit('rename', '2026-04-02T00:00:00Z', 'Ann Author|ann@example.com'), { added: 2, ai: 0, mixed: 0, unknown: 0 });
    unattributed += 2;
    // A side branch with an agent commit, merged: the branch commit counts, the merge not.
    gitOk(cwd, ['checkout', '-q', '-b', 'side']);
    repo.write('src/side.ts', numbered('side', 4));
    gitOk(cwd, ['add', '-A']);
    expected.set(commit('side work\n\nCo-authored-by: Claude <noreply@anthropic.com>', '2026-04-03T00:00:00Z', 'Bob Builder|bob@example.com'), { added: 4, ai: 0, mixed: 0, unknown: 4 });
    addTool('Claude', 4);
    gitOk(cwd, ['checkout', '-q', 'main']);
    gitOk(cwd, ['-c', 'core.hooksPath=/dev/null', 'merge', '-q', '--no-ff', '-m', 'merge side', 'side'], { env: { GIT_AUTHOR_DATE: '2026-04-04T00:00:00Z', GIT_COMMITTER_DATE: '2026-04-04T00:00:00Z' } });
    expected.set(head(), zero());
  });
  after(() => repo.dispose());

  const sumOf = (shas: Iterable<string>): Totals => {
    const t = zero();
    for (const s of shas) {
      const e = expected.get(s);
      assert.ok(e, `no expectation for ${s}`);
      t.added += e.added;
      t.ai += e.ai;
      t.mixed += e.mixed;
      t.unknown += e.unknown;
    }
    return t;
  };

  it('stats --json totals equal the sum of the notes computed independently', async () => {
    const all = gitOk(cwd, ['rev-list', 'HEAD']).trim().split('\n');
    assert.equal(all.length, expected.size);
    const s = await cli();
    assert.deepEqual(s.total, sumOf(all));
    assert.ok(s.total.ai > 50 && s.total.mixed > 5 && s.total.unknown > 20, `a history with every kind: ${JSON.stringify(s.total)}`);
    assert.equal(s.commits, all.length);
    assert.equal(s.commitsWithNotes, withNotes);
    assert.equal(s.commitsWithTrailers, 8, 'seven generated commits and the side branch\'s name an agent');
  });

  it('gives per-tool rows equal to the notes\' own tools, agents named in messages as unknown lines', async () => {
    const s = await cli('--by', 'tool');
    for (const [tool, t] of expectedByTool) assert.deepEqual(s.rows.find((r) => r.key === tool), { key: tool, ...t }, tool);
    const claude = s.rows.find((r) => r.key === 'Claude Code')!;
    assert.ok(claude.unknown > 0 && claude.ai > 0, 'Co-authored-by: Claude counts as unknown lines of Claude Code, in the row of its notes\' lines');
    for (const other of ['Claude', 'github.copilot', 'codex']) assert.equal(s.rows.find((r) => r.key === other), undefined, `${other} is not a row of its own`);
    assert.ok(s.rows.find((r) => r.key === 'Aider')!.unknown > 0, 'aider\'s co-author line');
    assert.equal(s.rows.find((r) => r.key === null)!.added, unattributed);
  });

  it('has rows by path, model, author and day that add up to the same total', async () => {
    const total = (await cli()).total;
    for (const by of ['path', 'model', 'author', 'day']) {
      const s = await cli('--by', by);
      const sum = s.rows.reduce((t, r) => ({ added: t.added + r.added, ai: t.ai + r.ai, mixed: t.mixed + r.mixed, unknown: t.unknown + r.unknown }), zero());
      assert.deepEqual(sum, total, by);
      assert.equal(s.by, by);
    }
    const byPath = await cli('--by', 'path');
    assert.equal(byPath.rows.some((r) => r.key === 'assets/logo.png'), false, 'binary files are not counted');
    assert.deepEqual(byPath.rows.find((r) => r.key === 'docs/renamed.ts'), { key: 'docs/renamed.ts', added: 2, ai: 0, mixed: 0, unknown: 0 });
    const byDay = await cli('--by', 'day');
    assert.deepEqual(byDay.rows.map((r) => r.key), [...byDay.rows.map((r) => r.key)].sort());
    const byAuthor = await cli('--by', 'author');
    assert.deepEqual(byAuthor.rows.map((r) => r.key).sort(), ['Ann Author <ann@example.com>', 'Bob Builder <bob@example.com>', 'Test User <test@example.com>']);
  });

  it('counts a range only', async () => {
    const shas = gitOk(cwd, ['rev-list', 'HEAD~12..HEAD']).trim().split('\n');
    const s = await cli('HEAD~12..HEAD');
    assert.equal(s.range, 'HEAD~12..HEAD');
    assert.deepEqual(s.total, sumOf(shas));
  });

  it('prints a readable table, and refuses bad ranges and groupings', async () => {
    const r = await repo.cli(['stats', '--by', 'tool']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^TOOL +ADDED +AI +MIXED +UNKNOWN +AI %$/m);
    assert.match(r.stdout, /^Claude Code +\d+ +\d+ +\d+ +\d+ +\d+\.\d$/m);
    assert.match(r.stdout, /^total +\d+/m);
    assert.equal((await repo.cli(['stats', 'no-such-rev'])).code, 2);
    assert.equal((await repo.cli(['stats', '--by', 'folder'])).code, 2);
    assert.equal((await repo.cli(['stats', '--output=x'])).code, 2);
  });

  it('scans in chunks with progress and stops when cancelled, in-process as the report runs it', async () => {
    const progress: number[] = [];
    const commits = await scanStats(cwd, [], { chunk: 10, onProgress: (done) => progress.push(done) });
    assert.equal(commits.length, expected.size);
    assert.deepEqual(aggregate(commits, 'tool').total, (await cli()).total);
    assert.deepEqual(progress, [10, 20, 30, 40, expected.size]);
    let checks = 0;
    await assert.rejects(scanStats(cwd, [], { chunk: 10, isCancelled: () => ++checks > 3 }), ScanCancelled);
    const range = await scanStats(cwd, ['HEAD~3..HEAD']);
    assert.equal(range.length, gitOk(cwd, ['rev-list', 'HEAD~3..HEAD']).trim().split('\n').length);
  });

  it('is all zeros on a repository without commits', async () => {
    const empty = TempRepo.create();
    try {
      const r = await empty.cli(['stats', '--json']);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual((JSON.parse(r.stdout) as StatsJson).total, zero());
    } finally {
      empty.dispose();
    }
  });
});
