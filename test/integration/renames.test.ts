/**
 * Renames carry attribution (#16): a `git mv` of a file whose AI lines were never committed, a
 * rename git finds by similarity at commit (`-M`), and a file an agent moved (apply_patch's
 * `Move to`, or a delete and a create of the same text). The built CLI runs as the installed
 * git hooks and as the agent hook; the ledger, the commit's trailers, its note and blame must
 * all name the new path.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { blameJson, gitOk, kinds, noteOf, noteRanges, numbered, ourTrailers, repoWithoutSampleHooks } from '../helpers/gitHooks';
import type { TempRepo } from '../helpers/tempRepo';

interface StatusJson {
  files: Array<{ path: string; ranges: Array<{ startLine: number; endLine: number; tool: string }> }>;
}

describe('renames carry attribution to the new path (integration)', function () {
  this.timeout(240_000);
  let repo: TempRepo;

  beforeEach(async () => {
    repo = repoWithoutSampleHooks();
    repo.write('README.md', 'start\n');
    repo.git('add', '.');
    repo.git('commit', '-q', '-m', 'start');
    const r = await repo.cli(['install']);
    assert.equal(r.code, 0, r.stderr);
  });
  afterEach(() => repo.dispose());

  const ledgerPaths = async (): Promise<Map<string, number[]>> => {
    const r = await repo.cli(['status', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const out = new Map<string, number[]>();
    for (const f of (JSON.parse(r.stdout) as StatusJson).files) {
      const lines: number[] = [];
      for (const range of f.ranges) for (let l = range.startLine; l <= range.endLine; l++) lines.push(l);
      out.set(f.path, lines);
    }
    return out;
  };

  /** Commits, then checks trailers, note and blame of `file`: lines `ai` (1-based) are AI, of `total`. */
  const assertCommitted = async (file: string, ai: readonly number[], total: number): Promise<void> => {
    gitOk(repo.root, ['commit', '-q', '-m', 'move']);
    const trailers = ourTrailers(repo.root);
    assert.ok(trailers.some((t) => t.startsWith('AI-Lines:')), `the commit carries AI-Lines: ${trailers.join(' | ')}`);
    const note = noteOf(repo.root);
    assert.ok(note, 'the commit has a note');
    const lines = noteRanges(note, file).flatMap(([a, b]) => Array.from({ length: b - a + 1 }, (_, i) => a + i));
    assert.deepEqual(lines, [...ai], `the note names ${file} and its AI lines`);
    const blame = await blameJson(repo, file);
    const expected = Array.from({ length: total }, (_, i) => (ai.includes(i + 1) ? 'a' : 'n')).join('');
    assert.equal(kinds(blame), expected, 'blame follows the file');
  };

  it('git mv of a file whose AI lines were never committed', async () => {
    repo.write('src/old.ts', `${numbered('human', 2)}${numbered('ai', 3)}`);
    await repo.record('--tool', 'claude-code', '--model', 'm', 'src/old.ts:3-5');
    repo.git('add', 'src/old.ts');
    repo.git('mv', 'src/old.ts', 'src/new.ts');
    await assertCommitted('src/new.ts', [3, 4, 5], 5);
    const ledger = await ledgerPaths();
    assert.ok(!ledger.has('src/old.ts') && !ledger.has('src/new.ts'), `the committed lines left the ledger: ${[...ledger.keys()].join(', ')}`);
  });

  it('git mv then an edit before the commit: the uncommitted AI lines stay AI under the new path', async () => {
    repo.write('src/old.ts', `${numbered('human', 2)}${numbered('ai', 3)}`);
    await repo.record('--tool', 'claude-code', 'src/old.ts:3-5');
    repo.git('add', 'src/old.ts');
    repo.git('mv', 'src/old.ts', 'src/new.ts');
    // Only the first two lines are staged; the AI lines wait in the working tree.
    repo.write('src/new.ts', numbered('human', 2));
    repo.git('add', 'src/new.ts');
    repo.write('src/new.ts', `${numbered('human', 2)}${numbered('ai', 3)}`);
    gitOk(repo.root, ['commit', '-q', '-m', 'move the human part']);
    const ledger = await ledgerPaths();
    assert.deepEqual(ledger.get('src/new.ts'), [3, 4, 5], 'the entry followed the file');
    assert.ok(!ledger.has('src/old.ts'));
  });

  it('a rename git finds by similarity at commit (-M): the AI lines added before it count under the new name', async () => {
    repo.write('src/lib.ts', numbered('base', 10));
    repo.git('add', '.');
    repo.git('commit', '-q', '-m', 'lib');
    repo.write('src/lib.ts', `${numbered('base', 10)}${numbered('ai', 2)}`);
    await repo.record('--tool', 'claude-code', 'src/lib.ts:11-12');
    // Moved without git mv: git sees the rename only by comparing contents.
    repo.git('rm', '-q', '--cached', 'src/lib.ts');
    const fs = await import('node:fs');
    fs.renameSync(path.join(repo.root, 'src/lib.ts'), path.join(repo.root, 'src/core.ts'));
    repo.git('add', '-A', 'src');
    assert.match(repo.git('diff', '--cached', '-M', '--name-status'), /^R\d+\tsrc\/lib\.ts\tsrc\/core\.ts$/m, 'git sees a rename');
    await assertCommitted('src/core.ts', [11, 12], 12);
  });

  it('an agent moves a file with apply_patch (Move to) and edits it: its earlier lines and the new ones follow', async () => {
    repo.write('src/a.ts', `${numbered('human', 2)}${numbered('copilot', 2)}`);
    await repo.record('--tool', 'copilot', 'src/a.ts:3-4');
    const fs = await import('node:fs');
    // What Codex's apply_patch did: src/a.ts is now src/b.ts, with one more line.
    fs.renameSync(path.join(repo.root, 'src/a.ts'), path.join(repo.root, 'src/b.ts'));
    repo.write('src/b.ts', `${numbered('human', 2)}${numbered('copilot', 2)}codex 1\n`);
    const patch = ['*** Begin Patch', '*** Update File: src/a.ts', '*** Move to: src/b.ts', '@@', ' copilot 2', '+codex 1', '*** End Patch'].join('\n');
    const payload = { session_id: 'c1', cwd: repo.root, hook_event_name: 'PostToolUse', tool_name: 'apply_patch', model: 'gpt-5-codex', tool_input: { command: patch + '\n' }, tool_response: { output: 'Success.', metadata: { exit_code: 0 } } };
    const r = await repo.cli(['hook', 'codex'], { input: JSON.stringify(payload) });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    const ledger = await ledgerPaths();
    assert.deepEqual(ledger.get('src/b.ts'), [3, 4, 5], 'the earlier lines and the new one, under the new path');
    assert.ok(!ledger.has('src/a.ts'));
    repo.git('add', '-A', 'src');
    await assertCommitted('src/b.ts', [3, 4, 5], 5);
  });

  it('an agent deletes a file and creates it again elsewhere with the same text: nothing becomes the agent\'s, the earlier lines follow', async () => {
    repo.write('src/a.ts', `${numbered('human', 2)}${numbered('copilot', 2)}`);
    await repo.record('--tool', 'copilot', 'src/a.ts:3-4');
    const text = repo.read('src/a.ts');
    const fs = await import('node:fs');
    fs.rmSync(path.join(repo.root, 'src/a.ts'));
    repo.write('src/c.ts', text);
    const patch = ['*** Begin Patch', '*** Delete File: src/a.ts', '*** Add File: src/c.ts', ...text.trimEnd().split('\n').map((l) => `+${l}`), '*** End Patch'].join('\n');
    const payload = { session_id: 'c2', cwd: repo.root, hook_event_name: 'PostToolUse', tool_name: 'apply_patch', model: 'gpt-5-codex', tool_input: { command: patch + '\n' }, tool_response: { output: 'Success.', metadata: { exit_code: 0 } } };
    const r = await repo.cli(['hook', 'codex'], { input: JSON.stringify(payload) });
    assert.equal(r.code, 0, r.stderr);
    const r2 = await repo.cli(['status', '--json']);
    const c = (JSON.parse(r2.stdout) as StatusJson).files.find((f) => f.path === 'src/c.ts');
    assert.deepEqual(
      c?.ranges.map((x) => [x.startLine, x.endLine, x.tool]),
      [[3, 4, 'GitHub Copilot']],
      'the human lines stay human, the Copilot lines stay Copilot\'s',
    );
    repo.git('add', '-A', 'src');
    await assertCommitted('src/c.ts', [3, 4], 4);
  });
});
