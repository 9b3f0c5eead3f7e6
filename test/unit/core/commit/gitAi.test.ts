/**
 * Unit tests of src/core/commit/gitAi.ts: git-ai's authorship logs (authorship/3.0.0) as the
 * standard writes them (prompt hashes, quoted paths) and as later git-ai versions do
 * (session::turn keys, human lines), and the note we make of one: valid Agent Trace, marked as
 * imported, the later entry winning a line, and never a word of a prompt.
 */
import assert from 'node:assert/strict';
import { agentForHash, gitAiRecord, isImported, parseGitAiNote, parseLineSpec, uuidFromHex } from '../../../../src/core/commit/gitAi';
import { recordLines, recordMeta } from '../../../../src/core/commit/notes';
import { traceRecordErrors } from '../../../helpers/agentTrace';

const secret = 'PLEASE NEVER COPY THIS PROMPT';

const standard = [
  'src/main.rs',
  '  abcd1234abcd1234 1-10,15-20',
  '  efab5678efab5678 25,30-35',
  '"src/my file.rs"',
  '  abcd1234abcd1234 1-3',
  '---',
  JSON.stringify(
    {
      schema_version: 'authorship/3.0.0',
      git_ai_version: '1.0.23',
      base_commit_sha: '7734793b756b3921c88db5375a8c156e9532447b',
      prompts: {
        abcd1234abcd1234: {
          agent_id: { tool: 'cursor', id: '6ef2299e-a67f-432b-aa80-3d2fb4d28999', model: 'claude-4.5-opus' },
          human_author: 'Developer <dev@example.com>',
          messages: [
            { type: 'user', text: secret, timestamp: '2025-12-05T01:22:13.211Z' },
            { type: 'assistant', text: 'sure', timestamp: '2025-12-05T01:22:38.724Z' },
          ],
          total_additions: 25,
          total_deletions: 5,
          accepted_lines: 20,
          overriden_lines: 0,
        },
        efab5678efab5678: { agent_id: { tool: 'claude', id: 'sess-2', model: 'claude-sonnet-4-5' }, messages: [], total_additions: 6, total_deletions: 0, accepted_lines: 6, overriden_lines: 0 },
      },
    },
    null,
    2,
  ),
].join('\n');

const input = { commit: 'c'.repeat(40), id: uuidFromHex('ab'.repeat(16)), time: Date.parse('2026-01-02T03:04:05Z'), toolVersion: '9.9.9', added: 60, sourceNote: 'f'.repeat(40) };

describe('gitAi', () => {
  describe('parseLineSpec', () => {
    it('reads singles and ranges, and refuses anything else', () => {
      assert.deepEqual(parseLineSpec('1-4,9-10,12'), [[1, 4], [9, 10], [12, 12]]);
      for (const bad of ['', '0', '5-3', '1,,2', '1-2-3', 'a', '1 -2', '1-2000000']) assert.equal(parseLineSpec(bad), undefined, bad);
    });
  });

  describe('parseGitAiNote', () => {
    it('reads the attestation section and each prompt\'s agent, and no prompt text', () => {
      const log = parseGitAiNote(standard)!;
      assert.equal(log.schemaVersion, 'authorship/3.0.0');
      assert.deepEqual(log.files.map((f) => f.path), ['src/main.rs', 'src/my file.rs']);
      assert.deepEqual(log.files[0]!.entries[1], { hash: 'efab5678efab5678', ranges: [[25, 25], [30, 35]] });
      assert.deepEqual(log.agents.get('abcd1234abcd1234'), { tool: 'cursor', model: 'claude-4.5-opus', session: '6ef2299e-a67f-432b-aa80-3d2fb4d28999', time: Date.parse('2025-12-05T01:22:13.211Z') });
      assert.equal(JSON.stringify([...log.agents.values()]).includes(secret), false);
    });

    it('reads session::turn keys through their session and skips a person\'s lines', () => {
      const text = [
        'a.ts',
        '  s_c9883b05a2487d::t_9f8e7d6c5b4a32 1-3',
        '  h_31dce776f88375 4-5',
        '  zzzzzzz 6',
        '---',
        JSON.stringify({ schema_version: 'authorship/3.0.0', prompts: {}, humans: { h_31dce776f88375: { author: 'D <d@x>' } }, sessions: { s_c9883b05a2487d: { agent_id: { tool: 'codex', model: 'gpt-5' } } } }),
      ].join('\n');
      const log = parseGitAiNote(text)!;
      assert.equal(agentForHash(log, 's_c9883b05a2487d::t_9f8e7d6c5b4a32')!.tool, 'codex');
      assert.equal(agentForHash(log, 'h_31dce776f88375'), undefined);
      assert.equal(agentForHash(log, 'zzzzzzz')!.tool, 'unknown', 'an AI line whose prompt is elsewhere still counts, tool unknown');
      const r = gitAiRecord(log, input)!;
      assert.deepEqual(recordLines(r).get('a.ts')!.map((l) => [l.line, l.origin.tool]), [[1, 'codex'], [2, 'codex'], [3, 'codex'], [6, 'unknown']]);
    });

    it('is undefined for what is not an authorship log, and skips malformed entries', () => {
      assert.equal(parseGitAiNote('{"version":"1.0"}'), undefined);
      assert.equal(parseGitAiNote('a.ts\n  abc 1-2\n---\nnot json'), undefined);
      const log = parseGitAiNote('a.ts\n  abc 1-x\n  def 3\n---\n{"prompts":{}}')!;
      assert.deepEqual(log.files[0]!.entries, [{ hash: 'def', ranges: [[3, 3]] }]);
      assert.equal(parseGitAiNote('---\n{"schema_version":"authorship/3.0.0","prompts":{}}')!.files.length, 0);
    });
  });

  describe('gitAiRecord', () => {
    it('makes a schema-valid record of our kind, marked as imported, with tools and models', () => {
      const r = gitAiRecord(parseGitAiNote(standard)!, input)!;
      assert.equal(traceRecordErrors(r), '');
      assert.equal(isImported(r), true);
      assert.equal(r.timestamp, '2026-01-02T03:04:05.000Z');
      assert.deepEqual(r.vcs, { type: 'git', revision: input.commit });
      const meta = recordMeta(r)! as ReturnType<typeof recordMeta> & { source: string; sourceNote: string };
      assert.equal(meta.source, 'git-ai');
      assert.equal(meta.sourceNote, input.sourceNote);
      assert.deepEqual(meta.lines, { ai: 10 + 6 + 1 + 6 + 3, mixed: 0, unknown: 0, added: 60 });
      const main = recordLines(r).get('src/main.rs')!;
      assert.equal(main.length, 23);
      assert.deepEqual({ tool: main[0]!.origin.tool, model: main[0]!.origin.model, kind: main[0]!.kind }, { tool: 'cursor', model: 'claude-4.5-opus', kind: 'ai' });
      assert.equal(main.find((l) => l.line === 25)!.origin.tool, 'claude');
      assert.equal(r.files.find((f) => f.path === 'src/main.rs')!.conversations[1]!.contributor!.model_id, 'anthropic/claude-sonnet-4-5');
      assert.equal(JSON.stringify(r).includes(secret), false, 'no prompt text in the note');
    });

    it('lets the later entry win a line two entries claim', () => {
      const log = parseGitAiNote('a.ts\n  aaaaaaa 1-4\n  bbbbbbb 3-5\n---\n{"prompts":{"aaaaaaa":{"agent_id":{"tool":"one"}},"bbbbbbb":{"agent_id":{"tool":"two"}}}}')!;
      const lines = recordLines(gitAiRecord(log, input)!).get('a.ts')!;
      assert.deepEqual(lines.map((l) => `${l.line}${l.origin.tool}`), ['1one', '2one', '3two', '4two', '5two']);
    });

    it('is undefined when no AI line is named', () => {
      assert.equal(gitAiRecord(parseGitAiNote('a.ts\n  h_1234567 1-3\n---\n{"prompts":{}}')!, input), undefined);
    });
  });

  describe('uuidFromHex', () => {
    it('gives a version-4-shaped uuid, the same for the same digits', () => {
      const u = uuidFromHex('0123456789abcdef0123456789abcdef0123');
      assert.match(u, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.equal(u, uuidFromHex('0123456789abcdef0123456789abcdef0123'));
      assert.notEqual(u, uuidFromHex('1123456789abcdef0123456789abcdef0123'));
    });
  });
});
