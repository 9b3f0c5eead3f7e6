/**
 * Unit tests of src/core/commit/noteMerge.ts: two records of one commit (as a union merge of
 * two clones' notes leaves them) become one record that is valid Agent Trace, holds every line
 * either attributes, gives a line both claim to the newer record, and keeps the range hashes
 * it can; records of other revisions are left as they are.
 */
import assert from 'node:assert/strict';
import type { AttributedLine } from '../../../../src/core/commit/changeLines';
import type { Origin } from '../../../../src/core/model';
import type { TraceRecord } from '../../../../src/core/commit/notes';
import { buildRecord, parseNote, recordLines, recordMeta, serializeRecord } from '../../../../src/core/commit/notes';
import { combineNote, combineRecords } from '../../../../src/core/commit/noteMerge';
import { traceRecordErrors } from '../../../helpers/agentTrace';

const hash = (t: string): string => `sha256:${t.length.toString(16).padStart(32, '0')}`;
const claude: Origin = { id: 'o1', kind: 'agent', tool: 'Claude Code', model: 'claude-sonnet-4-5', session: 's1', time: Date.UTC(2026, 0, 1) };
const copilot: Origin = { id: 'o2', kind: 'inline', tool: 'github.copilot', model: 'gpt-4o', session: 's2', time: Date.UTC(2026, 0, 2) };
const text = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`);
const revision = 'c'.repeat(40);

function lines(origin: Origin, from: number, to: number): AttributedLine[] {
  return Array.from({ length: to - from + 1 }, (_, i) => ({ line: from + i, kind: 'ai' as const, origin }));
}

function record(id: string, day: number, files: Array<{ path: string; lines: AttributedLine[] }>, rev = revision): TraceRecord {
  const ai = files.reduce((n, f) => n + f.lines.length, 0);
  return buildRecord({ id, now: Date.UTC(2026, 0, day), revision: rev, toolVersion: '0.1.0', count: { ai, mixed: 0, unknown: 0, added: 20, tools: [] }, files: files.map((f) => ({ ...f, text })) }, hash);
}

/** A file's lines of a record as `line:tool` strings. */
function owners(r: TraceRecord, path: string): string[] {
  return (recordLines(r).get(path) ?? []).map((l) => `${l.line}:${l.origin.tool}`);
}

describe('noteMerge', () => {
  const older = record('11111111-1111-4111-8111-111111111111', 1, [{ path: 'a.ts', lines: lines(claude, 1, 5) }, { path: 'b.ts', lines: lines(claude, 1, 2) }]);
  const newer = record('22222222-2222-4222-8222-222222222222', 2, [{ path: 'a.ts', lines: lines(copilot, 4, 8) }]);

  it('combines two records of one commit into one valid record: the union, the newer winning shared lines', () => {
    const r = combineRecords([older, newer]);
    assert.equal(traceRecordErrors(r), '');
    assert.equal(r.id, newer.id);
    assert.equal(r.vcs?.revision, revision);
    assert.deepEqual(owners(r, 'a.ts'), ['1:Claude Code', '2:Claude Code', '3:Claude Code', '4:github.copilot', '5:github.copilot', '6:github.copilot', '7:github.copilot', '8:github.copilot']);
    assert.deepEqual(owners(r, 'b.ts'), ['1:Claude Code', '2:Claude Code']);
    assert.deepEqual(recordMeta(r)?.lines, { ai: 10, mixed: 0, unknown: 0, added: 20 });
    // Ranges that are one of the inputs' keep its hash; the one the union cut has none.
    const ranges = r.files.flatMap((f) => f.conversations.flatMap((c) => c.ranges.map((g) => [f.path, g.start_line, g.end_line, g.content_hash !== undefined])));
    assert.deepEqual(ranges.sort(), [['a.ts', 1, 3, false], ['a.ts', 4, 8, true], ['b.ts', 1, 2, true]].sort());
    assert.deepEqual(combineRecords([newer, older]), r, 'order of the inputs does not matter');
  });

  it('one record stays as it is', () => {
    assert.equal(combineRecords([older]), older);
    assert.throws(() => combineRecords([]));
  });

  it('combineNote rewrites a note with two records of one revision as one line, and leaves other notes alone', () => {
    const both = serializeRecord(older) + serializeRecord(newer);
    const combined = combineNote(both);
    assert.ok(combined);
    assert.equal(combined.split('\n').filter((l) => l).length, 1);
    assert.deepEqual(parseNote(combined), [combineRecords([older, newer])]);
    assert.equal(combineNote(serializeRecord(older)), undefined, 'one record: nothing to do');
    // A copy git made on a rewrite names its own revision: read from there, not combined.
    const copied = record('33333333-3333-4333-8333-333333333333', 3, [{ path: 'a.ts', lines: lines(claude, 9, 9) }], 'd'.repeat(40));
    assert.equal(combineNote(serializeRecord(older) + serializeRecord(copied)), undefined);
    const three = combineNote(serializeRecord(copied) + both);
    assert.deepEqual(parseNote(three ?? '').map((x) => x.vcs?.revision), ['d'.repeat(40), revision]);
  });
});
