/**
 * Unit tests of src/core/report/stats.ts: parsing `git log -z --numstat` (renames, binary files,
 * merges, messages holding the separators), the counts of one commit from its note or its
 * message, and the groupings whose rows always add up to the total.
 */
import assert from 'node:assert/strict';
import type { AttributedLine } from '../../../../src/core/commit/changeLines';
import type { Origin } from '../../../../src/core/model';
import type { TraceRecord } from '../../../../src/core/commit/notes';
import { buildRecord, recordLines } from '../../../../src/core/commit/notes';
import type { CommitStat, LogCommit } from '../../../../src/core/report/stats';
import { messageTool } from '../../../../src/core/commit/agentTrailers';
import { aggregate, aiShare, commitStat, noteLineLabels, parseLogNumstat, statsDimensions, statsTable } from '../../../../src/core/report/stats';
import { canonicalToolName } from '../../../../src/core/agents/toolNames';

const h = (n: number): string => String(n).repeat(40).slice(0, 40);

/** One commit as git prints it with the stats format. */
function logEntry(commit: string, parents: string[], at: number, day: string, author: string, message: string, numstat: string[] = []): string {
  const head = `\x1e${commit}\x1f${parents.join(' ')}\x1f${at}\x1f${day}\x1f${author}\x1f${message}\x1f\0`;
  return numstat.length > 0 ? `${head}\n${numstat.join('')}` : head;
}

const claude: Origin = { id: 'o1', kind: 'agent', tool: 'Claude Code', model: 'claude-sonnet-4-5', session: 's1', time: 1_000 };
const copilot: Origin = { id: 'o2', kind: 'inline', tool: 'github.copilot', session: 's2', time: 2_000 };

function record(commit: string, files: Array<{ path: string; lines: AttributedLine[] }>): TraceRecord {
  return buildRecord(
    {
      id: '11111111-1111-4111-8111-111111111111',
      now: 0,
      revision: commit,
      toolVersion: 't',
      files: files.map((f) => ({ ...f, text: Array.from({ length: 100 }, (_, i) => `l${i + 1}`) })),
      count: { ai: 0, mixed: 0, unknown: 0, added: 0, tools: [] },
    },
    (t) => `h:${t.length}`,
  );
}

function lines(kind: AttributedLine['kind'], origin: Origin, from: number, to: number): AttributedLine[] {
  return Array.from({ length: to - from + 1 }, (_, i) => ({ line: from + i, kind, origin }));
}

function commit(overrides: Partial<LogCommit>): LogCommit {
  return { commit: h(1), parents: [h(9)], time: 0, day: '2026-01-01', author: 'A <a@x>', message: 'subject\n', files: [], ...overrides };
}

describe('stats', () => {
  describe('parseLogNumstat', () => {
    it('reads commits, added lines per file, renames, and skips binary files', () => {
      const out = parseLogNumstat(
        logEntry(h(2), [h(1)], 1767225600, '2026-01-01', 'Ann <ann@x>', 'second\n\nbody\n', ['3\t1\tsrc/a.ts\0', '2\t0\t\0old name.ts\0new name.ts\0', '-\t-\tlogo.png\0']) +
          logEntry(h(1), [], 1767139200, '2025-12-31', 'Bob <bob@x>', 'first\n', ['10\t0\tsrc/a.ts\0']),
      );
      assert.equal(out.length, 2);
      assert.deepEqual(out[0], {
        commit: h(2),
        parents: [h(1)],
        time: 1767225600000,
        day: '2026-01-01',
        author: 'Ann <ann@x>',
        message: 'second\n\nbody\n',
        files: [
          { path: 'src/a.ts', added: 3 },
          { path: 'new name.ts', oldPath: 'old name.ts', added: 2 },
        ],
      });
      assert.deepEqual(out[1]!.parents, []);
      assert.deepEqual(out[1]!.files, [{ path: 'src/a.ts', added: 10 }]);
    });

    it('keeps commits without files (empty, merges) and messages holding the separators', () => {
      const out = parseLogNumstat(
        logEntry(h(3), [h(1), h(2)], 10, '1970-01-01', 'M <m@x>', 'Merge\n') +
          logEntry(h(2), [h(1)], 10, 'bad', 'E <e@x>', 'odd \x1e and \x1f inside\n', ['1\t0\tx\0']),
      );
      assert.equal(out.length, 2);
      assert.deepEqual(out[0]!.files, []);
      assert.equal(out[1]!.message, 'odd \x1e and \x1f inside\n');
      assert.equal(out[1]!.day, '1970-01-01', 'a day git did not print comes from the time, in UTC');
      assert.deepEqual(out[1]!.files, [{ path: 'x', added: 1 }]);
    });
  });

  describe('messageTool', () => {
    it('takes Assisted-by as written, else the first agent named, else our own trailers; and names the evidence', () => {
      assert.deepEqual(messageTool('x\n\nAssisted-by: Claude Code:claude-sonnet-4-5\n'), { tool: 'Claude Code', model: 'claude-sonnet-4-5', evidence: 'Assisted-by: Claude Code:claude-sonnet-4-5' });
      assert.deepEqual(messageTool('x\n\nAssisted-by: Windsurf:unknown\n'), { tool: 'Windsurf', model: undefined, evidence: 'Assisted-by: Windsurf:unknown' });
      assert.deepEqual(messageTool('x\n\nCo-authored-by: Claude Opus 4.5 <noreply@anthropic.com>\n'), { tool: 'Claude Code', model: 'Claude Opus 4.5', evidence: 'Co-authored-by: Claude Opus 4.5 <noreply@anthropic.com>' });
      assert.deepEqual(messageTool('fix\n', 'Paul (aider) <p@x>'), { tool: 'Aider', model: undefined, evidence: 'author: Paul (aider) <p@x>' });
      assert.deepEqual(messageTool('x\n\nMade-with: Cursor\n'), { tool: 'Cursor', model: undefined, evidence: 'Made-with: Cursor' });
      assert.deepEqual(messageTool('x\n\nAI-Lines: 3/4\n'), { tool: 'unknown', model: undefined, evidence: 'AI-Lines: 3/4' });
      assert.equal(messageTool('plain message\n\nSigned-off-by: Me <me@x>\n'), undefined);
    });
    it('reads only the trailer block: the same lines in the body are prose', () => {
      assert.equal(messageTool('x\n\nAssisted-by: Claude Code:opus\n\nThat line above was a quote.\n'), undefined);
      assert.equal(messageTool('x\n\nWe dropped the\nCo-authored-by: Claude <noreply@anthropic.com>\nline from the template.\n'), undefined);
      assert.equal(messageTool('x\n\nAI-Provenance: 0b7f0000-0000-4000-8000-000000000000\n\nbody after\n'), undefined);
    });
  });

  describe('noteLineLabels', () => {
    it('reads every line as blame does (recordLines), ours and another writer\'s', () => {
      const ours = record(h(1), [
        { path: 'a.ts', lines: [...lines('ai', claude, 1, 5), ...lines('mixed', copilot, 4, 9), ...lines('unknown', { ...claude, kind: 'external' }, 12, 12)] },
        { path: 'b.ts', lines: lines('ai', copilot, 2, 3) },
      ]);
      const foreign: TraceRecord = {
        version: '0.1.0', id: 'x', timestamp: '2026-01-01T00:00:00Z', tool: { name: 'other', version: '1' },
        files: [{ path: 'a.ts', conversations: [{ contributor: { type: 'ai', model_id: 'openai/gpt-5' }, ranges: [{ start_line: 3, end_line: 14 }] }, { contributor: { type: 'human' }, ranges: [{ start_line: 20, end_line: 21 }] }, { ranges: [{ start_line: 30, end_line: 30 }] }] }],
      };
      for (const records of [[ours], [foreign], [ours, foreign], [foreign, ours]]) {
        const expected = new Map<string, string[]>();
        for (const r of records) {
          for (const [p, ls] of recordLines(r)) {
            const seen = expected.get(p) ?? [];
            for (const l of ls) if (!seen.some((x) => x.startsWith(`${l.line} `))) seen.push(`${l.line} ${l.kind} ${canonicalToolName(l.origin.tool)} ${l.origin.model ?? '-'}`);
            expected.set(p, seen);
          }
        }
        const got = new Map([...noteLineLabels(records)].map(([p, m]) => [p, [...m].map(([n, l]) => `${n} ${l.kind} ${l.tool} ${l.model ?? '-'}`)]));
        for (const [p, ls] of expected) assert.deepEqual([...(got.get(p) ?? [])].sort(), [...ls].sort(), p);
      }
    });
  });

  describe('commitStat', () => {
    it('counts a note\'s lines per file, kind, tool and model', () => {
      const c = commit({ files: [{ path: 'a.ts', added: 10 }, { path: 'b.ts', added: 4 }] });
      const r = record(c.commit, [
        { path: 'a.ts', lines: [...lines('ai', claude, 1, 5), ...lines('mixed', claude, 6, 7)] },
        { path: 'b.ts', lines: lines('ai', copilot, 2, 3) },
      ]);
      const s = commitStat(c, [r]);
      assert.equal(s.evidence, 'note');
      assert.equal(s.added, 14);
      assert.equal(s.subject, 'subject');
      const a = s.files.find((f) => f.path === 'a.ts')!;
      assert.deepEqual(
        [...a.cells].sort((x, y) => x.kind.localeCompare(y.kind)),
        [
          { kind: 'ai', tool: 'Claude Code', model: 'claude-sonnet-4-5', lines: 5 },
          { kind: 'mixed', tool: 'Claude Code', model: 'claude-sonnet-4-5', lines: 2 },
        ],
      );
      assert.deepEqual(s.files.find((f) => f.path === 'b.ts')!.cells, [{ kind: 'ai', tool: 'GitHub Copilot', model: undefined, lines: 2 }]);
    });

    it('counts a line once when two records name it, and never more lines than the file added', () => {
      const c = commit({ files: [{ path: 'a.ts', added: 3 }, { path: 'bin.dat', added: 0 }] });
      const first = record(c.commit, [{ path: 'a.ts', lines: lines('ai', claude, 1, 2) }]);
      const second = record(c.commit, [{ path: 'a.ts', lines: lines('mixed', copilot, 2, 6) }, { path: 'gone.ts', lines: lines('ai', claude, 1, 9) }]);
      const s = commitStat(c, [first, second]);
      const cells = s.files.find((f) => f.path === 'a.ts')!.cells;
      assert.equal(cells.reduce((n, x) => n + x.lines, 0), 3, 'clamped to the 3 added lines');
      assert.equal(cells.find((x) => x.kind === 'ai')!.lines, 2, 'line 2 is the first record\'s');
      assert.equal(s.files.some((f) => f.path === 'gone.ts'), false, 'a file the diff does not list counts nothing');
    });

    it('finds a renamed file\'s lines under its old name when the record used it', () => {
      const c = commit({ files: [{ path: 'new.ts', oldPath: 'old.ts', added: 2 }] });
      const s = commitStat(c, [record(c.commit, [{ path: 'old.ts', lines: lines('ai', claude, 1, 2) }])]);
      assert.equal(s.files[0]!.cells[0]!.lines, 2);
    });

    it('makes every added line unknown, with the tool, for a commit whose message names an agent', () => {
      const c = commit({ message: 'feat\n\nCo-authored-by: Claude <noreply@anthropic.com>\n', files: [{ path: 'a.ts', added: 4 }, { path: 'b.ts', added: 0 }] });
      const s = commitStat(c, undefined);
      assert.equal(s.evidence, 'trailer');
      assert.deepEqual(s.files[0]!.cells, [{ kind: 'unknown', tool: 'Claude Code', model: undefined, lines: 4 }]);
      assert.deepEqual(s.files[1]!.cells, []);
    });

    it('counts nothing for merges, and no attribution without note or agent line', () => {
      assert.deepEqual(commitStat(commit({ parents: [h(1), h(2)], files: [{ path: 'a', added: 5 }] }), undefined).files, []);
      const plain = commitStat(commit({ files: [{ path: 'a', added: 5 }] }), undefined);
      assert.equal(plain.evidence, 'none');
      assert.equal(plain.added, 5);
      assert.deepEqual(plain.files[0]!.cells, []);
    });
  });

  describe('aggregate', () => {
    const commits: CommitStat[] = [
      {
        commit: h(1), time: 0, day: '2026-01-02', author: 'Ann <a@x>', subject: 's', added: 10, evidence: 'note',
        files: [
          { path: 'src/a.ts', added: 6, cells: [{ kind: 'ai', tool: 'Claude Code', model: 'claude-sonnet-4-5', lines: 3 }, { kind: 'mixed', tool: 'Claude Code', model: 'claude-sonnet-4-5', lines: 1 }] },
          { path: 'src/b.ts', added: 4, cells: [{ kind: 'ai', tool: 'GitHub Copilot', model: undefined, lines: 4 }] },
        ],
      },
      {
        commit: h(2), time: 0, day: '2026-01-01', author: 'Bob <b@x>', subject: 's', added: 7, evidence: 'trailer',
        files: [{ path: 'src/a.ts', added: 7, cells: [{ kind: 'unknown', tool: 'Claude', model: undefined, lines: 7 }] }],
      },
      { commit: h(3), time: 0, day: '2026-01-01', author: 'Ann <a@x>', subject: 's', added: 5, evidence: 'none', files: [{ path: 'README', added: 5, cells: [] }] },
    ];

    it('totals every added line and the attributed kinds', () => {
      const r = aggregate(commits, 'tool');
      assert.deepEqual(r.total, { added: 22, ai: 7, mixed: 1, unknown: 7 });
      assert.equal(r.commits, 3);
      assert.equal(r.commitsWithNotes, 1);
      assert.equal(r.commitsWithTrailers, 1);
    });

    for (const by of statsDimensions) {
      it(`has rows by ${by} that add up to the total`, () => {
        const r = aggregate(commits, by);
        const sum = r.rows.reduce((s, x) => ({ added: s.added + x.added, ai: s.ai + x.ai, mixed: s.mixed + x.mixed, unknown: s.unknown + x.unknown }), { added: 0, ai: 0, mixed: 0, unknown: 0 });
        assert.deepEqual(sum, r.total);
      });
    }

    it('groups by tool with the unattributed lines under null, and by model with unknown models named so', () => {
      const byTool = aggregate(commits, 'tool').rows;
      assert.deepEqual(byTool.find((x) => x.key === 'Claude Code'), { key: 'Claude Code', added: 4, ai: 3, mixed: 1, unknown: 0 });
      assert.deepEqual(byTool.find((x) => x.key === null), { key: null, added: 7, ai: 0, mixed: 0, unknown: 0 });
      const byModel = aggregate(commits, 'model').rows;
      assert.deepEqual(byModel.find((x) => x.key === 'unknown'), { key: 'unknown', added: 11, ai: 4, mixed: 0, unknown: 7 });
    });

    it('sorts by added lines, days by date', () => {
      assert.deepEqual(aggregate(commits, 'path').rows.map((r) => r.key), ['src/a.ts', 'README', 'src/b.ts']);
      assert.deepEqual(aggregate(commits, 'day').rows.map((r) => r.key), ['2026-01-01', '2026-01-02']);
      assert.deepEqual(aggregate(commits, 'author').rows[0], { key: 'Ann <a@x>', added: 15, ai: 7, mixed: 1, unknown: 0 });
    });

    it('is all zeros for no commits', () => {
      assert.deepEqual(aggregate([], 'path'), { total: { added: 0, ai: 0, mixed: 0, unknown: 0 }, commits: 0, commitsWithNotes: 0, commitsWithTrailers: 0, rows: [] });
      assert.equal(aiShare({ added: 0, ai: 0, mixed: 0, unknown: 0 }), 0);
    });
  });

  describe('statsTable', () => {
    it('prints aligned rows, the share in percent and a total line', () => {
      const t = statsTable(aggregate([{ commit: h(1), time: 0, day: 'd', author: 'a', subject: '', added: 8, evidence: 'note', files: [{ path: 'x.ts', added: 8, cells: [{ kind: 'ai', tool: 'T', model: undefined, lines: 2 }] }] }], 'tool'), 'tool');
      assert.match(t[0]!, /^TOOL\s+ADDED\s+AI\s+MIXED\s+UNKNOWN\s+AI %$/);
      assert.match(t.find((l) => l.startsWith('T '))!, /^T\s+2\s+2\s+0\s+0\s+100\.0$/);
      assert.match(t.find((l) => l.startsWith('(not attributed)'))!, /6\s+0\s+0\s+0\s+0\.0$/);
      assert.match(t[t.length - 1]!, /^total\s+8\s+2\s+0\s+0\s+25\.0$/);
      const widths = new Set(t.filter((l) => !l.startsWith('-')).map((l) => l.length));
      assert.equal(widths.size, 1, 'columns line up');
    });
  });
});
