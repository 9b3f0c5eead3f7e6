/**
 * A line that differs only by the missing newline at the end of the file is the same line,
 * through real commits with the built CLI as the git hooks: an AI last line committed without
 * a final newline keeps its author when a person adds a line below it (and when a person
 * deletes the final newline of an AI last line), in the trailers, the notes and
 * `git provenance blame --json`, before and after the next commit. A person's last line stays
 * theirs.
 */
import assert from 'node:assert/strict';
import { blameJson, gitOk, noteOf, ourTrailers } from '../helpers/gitHooks';
import { TempRepo } from '../helpers/tempRepo';

describe('a line across the final-newline boundary (integration)', function () {
  this.timeout(240_000);
  let repo: TempRepo;
  let cwd: string;
  const head = (): string => gitOk(cwd, ['rev-parse', 'HEAD']).trim();
  /** `[kind, tool, commit]` per line of `blame --json`. */
  const blame = async (file: string): Promise<Array<[string, string | null, string | null]>> => (await blameJson(repo, file)).map((l) => [l.kind, l.tool, l.commit]);

  beforeEach(async () => {
    repo = TempRepo.create();
    cwd = repo.root;
    assert.equal((await repo.cli(['install'])).code, 0);
  });
  afterEach(() => repo.dispose());

  it('an AI last line without a newline stays AI when a person adds a line below it, before and after the next commit', async () => {
    repo.write('f.ts', 'function f() {\n  return 1;\n}\n');
    gitOk(cwd, ['add', 'f.ts']);
    gitOk(cwd, ['commit', '-qm', 'base']);
    const base = head();
    // An accepted completion at the end of the file, without a final newline.
    repo.write('f.ts', 'function f() {\n  return 1;\n}\nconst x = 42;');
    await repo.record('--tool', 'copilot', 'f.ts:4');
    gitOk(cwd, ['commit', '-qam', 'ai line']);
    const ai = head();
    assert.deepEqual(ourTrailers(cwd).filter((t) => t.startsWith('AI-Lines')), ['AI-Lines: 1/1']);
    // The person adds a line below it: git shows the AI line changed ("\ No newline at end of file").
    repo.write('f.ts', 'function f() {\n  return 1;\n}\nconst x = 42;\nconst y = 1;\n');
    assert.match(gitOk(cwd, ['diff']), /\\ No newline at end of file/);
    assert.deepEqual(await blame('f.ts'), [
      ['none', null, base],
      ['none', null, base],
      ['none', null, base],
      ['ai', 'GitHub Copilot', ai],
      ['none', null, null],
    ]);
    gitOk(cwd, ['commit', '-qam', 'a line below']);
    const below = head();
    // Nothing AI in that commit: no trailers, no note, and the AI line is not counted as the person's.
    assert.deepEqual(ourTrailers(cwd), []);
    assert.equal(noteOf(cwd), undefined);
    assert.deepEqual(await blame('f.ts'), [
      ['none', null, base],
      ['none', null, base],
      ['none', null, base],
      ['ai', 'GitHub Copilot', ai],
      ['none', null, below],
    ]);
    // An AI line added below it later counts alone: AI-Lines says 1 of 1 added, not 1 of 2.
    repo.write('f.ts', 'function f() {\n  return 1;\n}\nconst x = 42;\nconst y = 1;\nconst z = 2;');
    await repo.record('--tool', 'copilot', 'f.ts:6');
    gitOk(cwd, ['commit', '-qam', 'another ai line']);
    repo.write('f.ts', 'function f() {\n  return 1;\n}\nconst x = 42;\nconst y = 1;\nconst z = 2;\nconst w = 3;');
    await repo.record('--tool', 'claude-code', 'f.ts:7');
    gitOk(cwd, ['commit', '-qam', 'and another']);
    assert.deepEqual(ourTrailers(cwd).filter((t) => t.startsWith('AI-Lines')), ['AI-Lines: 1/1']);
    const kinds = (await blame('f.ts')).map((l) => `${l[0]}:${l[1] ?? ''}`);
    assert.deepEqual(kinds, ['none:', 'none:', 'none:', 'ai:GitHub Copilot', 'none:', 'ai:GitHub Copilot', 'ai:Claude Code']);
  });

  it('the reverse: a person deletes the final newline of an AI last line, committed or not', async () => {
    repo.write('f.ts', 'a\nb\n');
    gitOk(cwd, ['add', 'f.ts']);
    gitOk(cwd, ['commit', '-qm', 'base']);
    repo.write('f.ts', 'a\nb\nconst x = 42;\n');
    await repo.record('--tool', 'claude-code', '--model', 'claude-sonnet-4-5', 'f.ts:3');
    gitOk(cwd, ['commit', '-qam', 'ai line']);
    const ai = head();
    repo.write('f.ts', 'a\nb\nconst x = 42;');
    assert.deepEqual((await blame('f.ts'))[2], ['ai', 'Claude Code', ai]);
    gitOk(cwd, ['commit', '-qam', 'no final newline']);
    assert.deepEqual(ourTrailers(cwd), []);
    assert.deepEqual((await blame('f.ts'))[2], ['ai', 'Claude Code', ai]);
    // Recorded but not committed yet, its final newline deleted outside the editor: the
    // ledger still finds it, so the commit that takes it counts it.
    repo.write('g.ts', 'a\n');
    gitOk(cwd, ['add', 'g.ts']);
    gitOk(cwd, ['commit', '-qm', 'g']);
    repo.write('g.ts', 'a\nconst y = 1;\n');
    await repo.record('--tool', 'copilot', 'g.ts:2');
    repo.write('g.ts', 'a\nconst y = 1;');
    gitOk(cwd, ['commit', '-qam', 'g ai']);
    assert.deepEqual(ourTrailers(cwd).filter((t) => t.startsWith('AI-Lines')), ['AI-Lines: 1/1']);
    assert.deepEqual((await blame('g.ts'))[1], ['ai', 'GitHub Copilot', head()]);
  });

  it('a person\'s last line stays theirs: never AI, never unknown, when a line is added below it', async () => {
    repo.write('f.ts', 'function f() {\n}');
    gitOk(cwd, ['add', 'f.ts']);
    gitOk(cwd, ['commit', '-qm', 'base']);
    const base = head();
    // An AI line below it, through the hooks: the closing brace is not one of the added lines.
    repo.write('f.ts', 'function f() {\n}\nf();');
    await repo.record('--tool', 'copilot', 'f.ts:3');
    gitOk(cwd, ['commit', '-qam', 'call it']);
    const call = head();
    assert.deepEqual(ourTrailers(cwd).filter((t) => t.startsWith('AI-Lines')), ['AI-Lines: 1/1']);
    assert.deepEqual(await blame('f.ts'), [
      ['none', null, base],
      ['none', null, base],
      ['ai', 'GitHub Copilot', call],
    ]);
    // A commit made elsewhere without a note, whose message says an agent helped (commit
    // level): its own lines are unknown, the person's line above is still the person's.
    repo.write('f.ts', 'function f() {\n}\nf();\nf();\n');
    gitOk(cwd, ['-c', 'core.hooksPath=/dev/null', 'commit', '-qam', 'again\n\nAssisted-by: Claude Code:claude-opus-4-5']);
    const level = head();
    assert.deepEqual(await blame('f.ts'), [
      ['none', null, base],
      ['none', null, base],
      ['ai', 'GitHub Copilot', call],
      ['unknown', 'Claude Code', level],
    ]);
  });
});
