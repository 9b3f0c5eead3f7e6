/**
 * Unit tests of src/core/commit/notes.ts: the record a commit's note holds is valid against the Agent
 * Trace schema (vendored in test/fixtures/agent-trace), names the right lines, and reads back
 * into the same attributed lines — also after git concatenated several notes.
 */
import assert from 'node:assert/strict';
import type { AttributedLine } from '../../../../src/core/commit/changeLines';
import type { Origin } from '../../../../src/core/model';
import { buildRecord, modelId, parseNote, recordLines, serializeRecord } from '../../../../src/core/commit/notes';
import { traceRecordErrors } from '../../../helpers/agentTrace';

const hash = (t: string): string => `sha256:${t.length.toString(16).padStart(32, '0')}`;
const claude: Origin = { id: 'o1', kind: 'agent', tool: 'Claude Code', model: 'claude-sonnet-4-5', session: 'sess-1', time: Date.UTC(2026, 0, 1) };
const copilot: Origin = { id: 'o2', kind: 'inline', tool: 'github.copilot', session: 'sess-2', time: Date.UTC(2026, 0, 2) };
const pasted: Origin = { id: 'o3', kind: 'external', tool: 'external', session: 'sess-3', time: Date.UTC(2026, 0, 3) };

function lines(origin: Origin, kind: AttributedLine['kind'], from: number, to: number): AttributedLine[] {
  return Array.from({ length: to - from + 1 }, (_, i) => ({ line: from + i, kind, origin }));
}

const text = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`);
const id = '0b7f3c2e-9a1d-4c55-8e2f-1234567890ab';
const revision = 'a'.repeat(40);

function sample() {
  return buildRecord(
    {
      id,
      now: Date.UTC(2026, 0, 5, 12, 0, 0),
      revision,
      toolVersion: '0.1.0',
      count: { ai: 12, mixed: 2, unknown: 1, added: 20, tools: [] },
      files: [
        { path: 'src/b.ts', lines: lines(copilot, 'ai', 3, 4), text },
        { path: 'src/a.ts', lines: [...lines(claude, 'ai', 1, 10), ...lines(claude, 'mixed', 11, 12), ...lines(pasted, 'unknown', 15, 15)], text },
        { path: 'src/empty.ts', lines: [], text },
      ],
    },
    hash,
  );
}

describe('buildRecord', () => {
  it('is valid against the Agent Trace schema', () => {
    assert.equal(traceRecordErrors(sample()), '');
    assert.equal(traceRecordErrors(JSON.parse(serializeRecord(sample()))), '');
  });

  it('names the lines by file and conversation, with models.dev model ids', () => {
    const r = sample();
    assert.equal(r.version, '1.0');
    assert.equal(r.id, id);
    assert.deepEqual(r.vcs, { type: 'git', revision });
    assert.deepEqual(r.files.map((f) => f.path), ['src/a.ts', 'src/b.ts'], 'sorted, files without lines left out');
    const a = r.files[0]!;
    assert.deepEqual(
      a.conversations.map((c) => [c.contributor?.type, c.contributor?.model_id ?? null, c.ranges.map((x) => [x.start_line, x.end_line])]),
      [
        ['ai', 'anthropic/claude-sonnet-4-5', [[1, 10]]],
        ['mixed', 'anthropic/claude-sonnet-4-5', [[11, 12]]],
        ['unknown', null, [[15, 15]]],
      ],
    );
    assert.match(a.conversations[0]!.ranges[0]!.content_hash!, /^sha256:/);
  });

  it('keeps no prompt, transcript or file text', () => {
    const s = serializeRecord(sample());
    assert.doesNotMatch(s, /line 1\b/);
    assert.equal(s.split('\n').length, 2, 'one line per record');
  });
});

describe('modelId', () => {
  it('adds the provider when the name tells it', () => {
    assert.equal(modelId('claude-opus-4-5'), 'anthropic/claude-opus-4-5');
    assert.equal(modelId('gpt-4o'), 'openai/gpt-4o');
    assert.equal(modelId('o3-mini'), 'openai/o3-mini');
    assert.equal(modelId('gemini-2.5-pro'), 'google/gemini-2.5-pro');
    assert.equal(modelId('openrouter/qwen'), 'openrouter/qwen');
    assert.equal(modelId('llama3:8b'), 'llama3:8b');
  });
});

describe('reading notes back', () => {
  it('gives back the same lines, tools, models and kinds', () => {
    const back = recordLines(sample());
    const a = back.get('src/a.ts')!;
    assert.deepEqual(a.map((l) => l.line), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 15]);
    assert.deepEqual([a[0]!.kind, a[0]!.origin.tool, a[0]!.origin.model, a[0]!.origin.kind, a[0]!.origin.session], ['ai', 'Claude Code', 'claude-sonnet-4-5', 'agent', 'sess-1']);
    assert.equal(a[10]!.kind, 'mixed');
    assert.deepEqual([a[12]!.kind, a[12]!.origin.kind], ['unknown', 'external']);
    assert.deepEqual(back.get('src/b.ts')!.map((l) => [l.line, l.origin.tool, l.origin.model ?? null]), [[3, 'github.copilot', null], [4, 'github.copilot', null]]);
  });

  it('reads every record of a note git concatenated, and skips garbage', () => {
    const one = serializeRecord(sample());
    const pretty = JSON.stringify({ ...sample(), id: '11111111-1111-4111-8111-111111111111' }, null, 2);
    const records = parseNote(`${one}\n${pretty}\nnot json {"broken": \n${one}`);
    assert.deepEqual(records.map((r) => r.id).sort(), [id, id, '11111111-1111-4111-8111-111111111111'].sort());
  });

  it('reads a record another tool wrote, without our metadata', () => {
    const foreign = { version: '1.0', id, timestamp: '2026-01-01T00:00:00Z', tool: { name: 'cursor', version: '1' }, files: [{ path: 'x.ts', conversations: [{ contributor: { type: 'ai', model_id: 'openai/gpt-4o' }, ranges: [{ start_line: 2, end_line: 3 }] }] }] };
    const l = recordLines(parseNote(JSON.stringify(foreign))[0]!).get('x.ts')!;
    assert.deepEqual(l.map((x) => [x.line, x.origin.tool, x.origin.model]), [[2, 'cursor', 'gpt-4o'], [3, 'cursor', 'gpt-4o']]);
  });

  it('does not believe absurd ranges', () => {
    const evil = { version: '1.0', id, timestamp: '', files: [{ path: 'x', conversations: [{ contributor: { type: 'ai' }, ranges: [{ start_line: 1, end_line: 9e15 }] }] }] };
    assert.deepEqual(recordLines(parseNote(JSON.stringify(evil))[0]!).get('x'), []);
  });
});
