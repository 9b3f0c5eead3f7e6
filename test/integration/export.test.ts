/**
 * `git provenance export --format agent-trace` through the built CLI: notes written by the real
 * hooks, a note another writer left outside the schema (a `0.1.0` version, a tool without a
 * version, fields the schema closes, a local timestamp) and a note git concatenated from two
 * records. Every line written validates against the vendored Agent Trace schema (ajv, draft
 * 2020-12).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { traceRecordErrors } from '../helpers/agentTrace';
import { gitOk, numbered } from '../helpers/gitHooks';
import { TempRepo } from '../helpers/tempRepo';

interface Line {
  id: string;
  version: string;
  timestamp: string;
  vcs: { type: string; revision: string };
  tool?: { name: string; version: string };
  files: Array<{ path: string; conversations: Array<{ contributor?: Record<string, unknown>; ranges: Array<Record<string, unknown>> }> }>;
}

describe('git provenance export (integration)', function () {
  this.timeout(240_000);
  let repo: TempRepo;
  let cwd: string;
  const shas: string[] = [];

  before(async () => {
    repo = TempRepo.create();
    cwd = repo.root;
    assert.equal((await repo.cli(['install'])).code, 0);
    // 1: through the hooks.
    repo.write('src/a.ts', numbered('a', 10));
    assert.equal((await repo.cli(['record', '--tool', 'Claude Code', '--model', 'claude-sonnet-4-5', 'src/a.ts:2-6'])).code, 0);
    gitOk(cwd, ['add', '-A']);
    gitOk(cwd, ['commit', '-q', '-m', 'hooked']);
    shas.push(gitOk(cwd, ['rev-parse', 'HEAD']).trim());
    // 2: no note at all.
    repo.write('README.md', 'hello\n');
    gitOk(cwd, ['add', '-A']);
    gitOk(cwd, ['commit', '-q', '-m', 'plain']);
    shas.push(gitOk(cwd, ['rev-parse', 'HEAD']).trim());
    // 3: another writer's note, pretty-printed and outside the schema in several ways.
    repo.write('src/b.ts', numbered('b', 4));
    gitOk(cwd, ['add', '-A']);
    gitOk(cwd, ['-c', 'core.hooksPath=/dev/null', 'commit', '-q', '-m', 'foreign']);
    const foreign = gitOk(cwd, ['rev-parse', 'HEAD']).trim();
    shas.push(foreign);
    const other = {
      version: '0.1.0',
      id: 'not-a-uuid',
      timestamp: '2026-01-05T10:00:00+02:00',
      vcs: { type: 'git', revision: foreign, extra: true },
      tool: { name: 'other-tool' },
      files: [{ path: 'src/b.ts', conversations: [{ url: 'https://example.com/c/1', contributor: { type: 'ai', model_id: 'x/y', note: 'closed' }, ranges: [{ start_line: 1, end_line: 2, extra: 1 }] }] }],
      metadata: { 'com.example': { any: ['thing'] } },
    };
    gitOk(cwd, ['notes', '--ref', 'ai-provenance', 'add', '-F', '-', foreign], { input: JSON.stringify(other, null, 2) + '\n' });
    // 4: two records in one note, as git leaves them after a squash maps two notes onto one commit.
    repo.write('src/c.ts', numbered('c', 3));
    gitOk(cwd, ['add', '-A']);
    gitOk(cwd, ['-c', 'core.hooksPath=/dev/null', 'commit', '-q', '-m', 'squashed']);
    const squashed = gitOk(cwd, ['rev-parse', 'HEAD']).trim();
    shas.push(squashed);
    const rec = (id: string, line: number): string =>
      JSON.stringify({ version: '1.0', id, timestamp: '2026-01-06T00:00:00Z', vcs: { type: 'git', revision: squashed }, files: [{ path: 'src/c.ts', conversations: [{ contributor: { type: 'mixed' }, ranges: [{ start_line: line, end_line: line }] }] }] });
    gitOk(cwd, ['notes', '--ref', 'ai-provenance', 'add', '-F', '-', squashed], {
      input: rec('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 1) + '\n\n' + rec('bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', 3) + '\n',
    });
  });
  after(() => repo.dispose());

  const exported = async (...args: string[]): Promise<Line[]> => {
    const r = await repo.cli(['export', '--format', 'agent-trace', ...args]);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout.split('\n').filter((l) => l.length > 0).map((l) => JSON.parse(l) as Line);
  };

  it('export --format agent-trace output validates against the Agent Trace schema', async () => {
    const lines = await exported();
    assert.equal(lines.length, 4, 'one record per note record: hooked, foreign, and the two of the squash');
    for (const l of lines) assert.equal(traceRecordErrors(l), '', JSON.stringify(l));
    assert.deepEqual(lines.map((l) => l.vcs.revision), [shas[0], shas[2], shas[3], shas[3]], 'oldest first; the commit without a note gives nothing');
  });

  it('keeps our records as stored and brings another writer\'s to the schema', async () => {
    const lines = await exported();
    const ours = lines[0]!;
    const stored = JSON.parse(gitOk(cwd, ['notes', '--ref', 'ai-provenance', 'show', shas[0]!])) as Line;
    assert.deepEqual(ours, stored, 'a record of ours is already valid and is written as it is');
    const foreign = lines[1]!;
    assert.equal(foreign.version, '0.1');
    assert.match(foreign.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(foreign.timestamp, '2026-01-05T08:00:00.000Z');
    assert.deepEqual(foreign.tool, { name: 'other-tool', version: 'unknown' });
    assert.deepEqual(foreign.files[0]!.conversations[0], { contributor: { type: 'ai', model_id: 'x/y' }, ranges: [{ start_line: 1, end_line: 2 }] });
    assert.deepEqual((foreign as unknown as { metadata: unknown }).metadata, { 'com.example': { any: ['thing'] } });
    assert.deepEqual((await exported()).map((l) => l.id), lines.map((l) => l.id), 'the same ids on every export');
  });

  it('exports a range, and writes a file with -o', async () => {
    const lines = await exported('HEAD~1..HEAD');
    assert.deepEqual(lines.map((l) => l.id), ['aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb']);
    const out = path.join(cwd, 'out', 'trace.jsonl');
    fs.mkdirSync(path.dirname(out));
    const r = await repo.cli(['export', '--format', 'agent-trace', '-o', 'out/trace.jsonl']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
    const text = fs.readFileSync(out, 'utf8');
    assert.equal(text.split('\n').filter((l) => l).length, 4);
    for (const l of text.trim().split('\n')) assert.equal(traceRecordErrors(JSON.parse(l)), '');
  });

  it('refuses a missing or unknown format and a bad range', async () => {
    assert.equal((await repo.cli(['export'])).code, 2);
    assert.equal((await repo.cli(['export', '--format', 'csv'])).code, 2);
    assert.equal((await repo.cli(['export', '--format', 'agent-trace', 'nope..HEAD'])).code, 2);
    assert.equal((await repo.cli(['export', '--format', 'agent-trace', '--', '--all'])).code, 2);
  });
});
