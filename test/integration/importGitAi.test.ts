/**
 * `git provenance import git-ai` through the built CLI, on git-ai notes (refs/notes/ai,
 * authorship/3.0.0) written the way git-ai writes them: the import writes our notes for the
 * commits without one, so `stats`, `blame` and `export` see git-ai's lines; it never copies a
 * prompt, leaves our own notes alone, does nothing with --dry-run or when run again, and
 * updates what it imported when git-ai's note changes.
 */
import assert from 'node:assert/strict';
import { traceRecordErrors } from '../helpers/agentTrace';
import { blameJson, gitOk, gitRun, noteOf, numbered } from '../helpers/gitHooks';
import { TempRepo } from '../helpers/tempRepo';

const secret = 'the secret prompt text';

function gitAiNote(files: Array<[string, Array<[string, string]>]>, prompts: Record<string, { tool: string; model?: string; id?: string }>): string {
  const attest = files.map(([p, entries]) => `${p.includes(' ') ? `"${p}"` : p}\n${entries.map(([h, spec]) => `  ${h} ${spec}\n`).join('')}`).join('');
  const meta = {
    schema_version: 'authorship/3.0.0',
    git_ai_version: '1.0.23',
    base_commit_sha: '0'.repeat(40),
    prompts: Object.fromEntries(
      Object.entries(prompts).map(([h, a]) => [
        h,
        {
          agent_id: { tool: a.tool, id: a.id ?? `${h}-session`, ...(a.model ? { model: a.model } : {}) },
          human_author: 'Dev <dev@example.com>',
          messages: [{ type: 'user', text: secret, timestamp: '2026-01-01T08:00:00Z' }, { type: 'assistant', text: `answer to ${secret}` }],
          total_additions: 1,
          total_deletions: 0,
          accepted_lines: 1,
          overriden_lines: 0,
        },
      ]),
    ),
  };
  return `${attest}---\n${JSON.stringify(meta, null, 2)}`;
}

describe('git provenance import git-ai (integration)', function () {
  this.timeout(240_000);
  let repo: TempRepo;
  let cwd: string;
  const sha: Record<string, string> = {};
  const addGitAi = (commit: string, text: string): void => {
    gitOk(cwd, ['notes', '--ref', 'refs/notes/ai', 'add', '-f', '-F', '-', commit], { input: text });
  };
  const commitFile = (name: string, file: string, text: string): void => {
    repo.write(file, text);
    gitOk(cwd, ['add', '-A']);
    gitOk(cwd, ['-c', 'core.hooksPath=/dev/null', 'commit', '-q', '-m', name]);
    sha[name] = gitOk(cwd, ['rev-parse', 'HEAD']).trim();
  };
  const ourTip = (): string => gitRun(cwd, ['rev-parse', '-q', '--verify', 'refs/notes/ai-provenance']).stdout.trim();
  const cli = async (...args: string[]): Promise<string> => {
    const r = await repo.cli(args);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout;
  };

  before(async () => {
    repo = TempRepo.create();
    cwd = repo.root;
    assert.equal((await repo.cli(['install'])).code, 0);
    commitFile('A', 'src/a.ts', numbered('a', 10));
    addGitAi(sha.A!, gitAiNote([['src/a.ts', [['abcd1234abcd1234', '1-4,7']]]], { abcd1234abcd1234: { tool: 'cursor', model: 'claude-4.5-opus' } }));
    commitFile('B', 'lib/my file.ts', numbered('b', 6));
    addGitAi(sha.B!, gitAiNote([['lib/my file.ts', [['efab5678efab5678', '2-3'], ['1111222233334444', '5-6']]]], { efab5678efab5678: { tool: 'claude', model: 'claude-sonnet-4-5' }, '1111222233334444': { tool: 'copilot' } }));
    // C: our own note, written by the hooks; git-ai also claims lines of it.
    repo.write('src/c.ts', numbered('c', 5));
    assert.equal((await repo.cli(['record', '--tool', 'Claude Code', '--model', 'claude-opus-4-1', 'src/c.ts:1-2'])).code, 0);
    gitOk(cwd, ['add', '-A']);
    gitOk(cwd, ['commit', '-q', '-m', 'C']);
    sha.C = gitOk(cwd, ['rev-parse', 'HEAD']).trim();
    addGitAi(sha.C, gitAiNote([['src/c.ts', [['abcd1234abcd1234', '1-5']]]], { abcd1234abcd1234: { tool: 'cursor' } }));
    commitFile('D', 'src/d.ts', numbered('d', 2));
    addGitAi(sha.D!, '---\n{"schema_version":"authorship/3.0.0","base_commit_sha":"x","prompts":{}}');
    commitFile('E', 'src/e.ts', numbered('e', 2));
    addGitAi(sha.E!, 'not an authorship log at all');
  });
  after(() => repo.dispose());

  it('--dry-run says what it would write and writes nothing', async () => {
    const before = ourTip();
    const out = await cli('import', 'git-ai', '--dry-run');
    assert.match(out, new RegExp(`^would import ${sha.A!.slice(0, 12)}  5 AI line\\(s\\) in 1 file\\(s\\)  cursor:claude-4\\.5-opus$`, 'm'));
    assert.match(out, /^Would import 2 and update 0 note\(s\); 0 already imported, 1 kept \(our own note\), 1 without AI lines, 1 unreadable\.$/m);
    assert.equal(ourTip(), before);
    assert.equal(noteOf(cwd, sha.A), undefined);
  });

  it('writes our notes for the commits without one, marked as imported, without prompt text', async () => {
    const ownC = gitOk(cwd, ['notes', '--ref', 'ai-provenance', 'show', sha.C!]);
    const out = await cli('import', 'git-ai');
    assert.match(out, /^Imported 2 and updated 0 note\(s\); 0 already imported, 1 kept \(our own note\), 1 without AI lines, 1 unreadable\.$/m);
    for (const c of ['A', 'B']) {
      const note = noteOf(cwd, sha[c])!;
      assert.equal(traceRecordErrors(note), '');
      assert.equal((note.metadata as Record<string, { source: string }>)['dev.ai-provenance']!.source, 'git-ai');
    }
    assert.equal(gitOk(cwd, ['notes', '--ref', 'ai-provenance', 'show', sha.C!]), ownC, 'our own note is left alone');
    assert.equal(noteOf(cwd, sha.D), undefined);
    const all = gitOk(cwd, ['log', '--notes=ai-provenance', '--format=%N']);
    assert.equal(all.includes(secret), false, 'no prompt text in any of our notes');
  });

  it('makes blame and stats see the imported lines', async () => {
    const lines = await blameJson(repo, 'src/a.ts');
    assert.deepEqual(lines.map((l) => l.kind[0]).join(''), 'aaaannannn');
    assert.deepEqual({ tool: lines[0]!.tool, model: lines[0]!.model, commit: lines[0]!.commit }, { tool: 'Cursor', model: 'claude-4.5-opus', commit: sha.A });
    const b = await blameJson(repo, 'lib/my file.ts');
    assert.deepEqual(b.map((l) => l.tool), [null, 'Claude Code', 'Claude Code', null, 'GitHub Copilot', 'GitHub Copilot']);
    const stats = JSON.parse(await cli('stats', '--by', 'tool', '--json')) as { total: { ai: number }; rows: Array<{ key: string | null; ai: number }> };
    assert.equal(stats.rows.find((r) => r.key === 'Cursor')!.ai, 5);
    assert.equal(stats.rows.find((r) => r.key === 'GitHub Copilot')!.ai, 2);
    // git-ai's "claude" lines (B) and our note's "Claude Code" lines (C) are one tool; commit C
    // counts by our note, not git-ai's (whose Cursor lines would make Cursor 10).
    assert.equal(stats.rows.find((r) => r.key === 'Claude Code')!.ai, 4, 'commit C counts by our note, not git-ai\'s; one row for Claude');
    assert.equal(stats.total.ai, 5 + 4 + 2);
  });

  it('is idempotent: a second run writes nothing', async () => {
    const before = ourTip();
    const out = await cli('import', 'git-ai');
    assert.match(out, /^Imported 0 and updated 0 note\(s\); 2 already imported, 1 kept/m);
    assert.equal(ourTip(), before, 'the notes ref did not move');
  });

  it('updates an imported note when git-ai\'s note changed, and exports it valid', async () => {
    addGitAi(sha.A!, gitAiNote([['src/a.ts', [['abcd1234abcd1234', '1-2']]]], { abcd1234abcd1234: { tool: 'cursor', model: 'claude-4.5-opus' } }));
    const out = await cli('import', 'git-ai');
    assert.match(out, /^update [0-9a-f]{12} {2}2 AI line\(s\)/m);
    assert.match(out, /^Imported 0 and updated 1 note\(s\); 1 already imported/m);
    assert.equal((await blameJson(repo, 'src/a.ts')).filter((l) => l.kind === 'ai').length, 2);
    const exported = (await cli('export', '--format', 'agent-trace')).trim().split('\n');
    assert.equal(exported.length, 3);
    for (const l of exported) assert.equal(traceRecordErrors(JSON.parse(l)), '');
  });

  it('says so when there is nothing to import, and refuses unknown sources', async () => {
    const empty = TempRepo.create();
    try {
      empty.write('x', 'x\n');
      empty.git('add', 'x');
      empty.git('commit', '-q', '-m', 'x');
      const r = await empty.cli(['import', 'git-ai']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^Imported 0 and updated 0 note\(s\)/m);
      assert.equal((await empty.cli(['import', 'whogitit'])).code, 2);
      assert.equal((await empty.cli(['import'])).code, 2);
    } finally {
      empty.dispose();
    }
  });
});
