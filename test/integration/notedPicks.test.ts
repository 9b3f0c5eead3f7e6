/**
 * While git's sequencer picks (a rebase, a cherry-pick of a range), prepare-commit-msg's
 * script tells whether a picked commit has a note from a set it makes once for the whole
 * operation, not with a git call a pick (issue #15). A picked commit that has a note but none
 * of our trailers (its note imported, or its message rewritten without our hooks) must still
 * get its trailers from the note, as when the script asked git for each pick; a commit without
 * a note stays as it was.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gitOk, noteOf, numbered, ourTrailers } from '../helpers/gitHooks';
import { TempRepo } from '../helpers/tempRepo';

describe('picks of commits with a note but none of our trailers (integration)', function () {
  this.timeout(300_000);
  let repo: TempRepo;
  afterEach(() => repo?.dispose());

  /** A feature branch of three commits: human, AI with its trailers taken out of the message, human. */
  async function branch(): Promise<{ cwd: string; noted: string }> {
    repo = TempRepo.create();
    const cwd = repo.root;
    // A hook of the user's, which ours chains to: after each pick it lists the set of noted
    // commits the script made for the operation (in git's folder for it).
    const log = path.join(cwd, '.git', 'noted-sets.log');
    fs.writeFileSync(path.join(cwd, '.git', 'hooks', 'post-commit'), `#!/bin/sh\nls .git/rebase-merge/aip-noted .git/sequencer/aip-noted 2>/dev/null >> '${log}'\nexit 0\n`, { mode: 0o755 });
    assert.equal((await repo.cli(['install'])).code, 0);
    repo.write('src/a.ts', numbered('a line', 10));
    gitOk(cwd, ['add', '-A']);
    gitOk(cwd, ['commit', '-m', 'base']);
    gitOk(cwd, ['checkout', '-q', '-b', 'feature']);
    repo.write('src/h1.ts', numbered('human one', 3));
    gitOk(cwd, ['add', '-A']);
    gitOk(cwd, ['commit', '-m', 'human one']);
    repo.write('src/ai.ts', numbered('ai line', 4));
    const rec = await repo.cli(['record', '--tool', 'Claude Code', '--model', 'm-1', 'src/ai.ts:1-4']);
    assert.equal(rec.code, 0, rec.stderr);
    gitOk(cwd, ['add', '-A']);
    gitOk(cwd, ['commit', '-m', 'ai work']);
    assert.equal(ourTrailers(cwd).length, 3, 'the AI commit got its trailers');
    // The message rewritten without our hooks; the note copied over by hand.
    const withTrailers = gitOk(cwd, ['rev-parse', 'HEAD']).trim();
    const emptyHooks = path.join(cwd, '.git', 'no-hooks');
    fs.mkdirSync(emptyHooks);
    gitOk(cwd, ['-c', `core.hooksPath=${emptyHooks}`, 'commit', '-q', '--amend', '-m', 'ai work, message rewritten']);
    gitOk(cwd, ['notes', '--ref', 'ai-provenance', 'copy', '-f', withTrailers, 'HEAD']);
    assert.deepEqual(ourTrailers(cwd), []);
    const noted = gitOk(cwd, ['rev-parse', 'HEAD']).trim();
    repo.write('src/h2.ts', numbered('human two', 3));
    gitOk(cwd, ['add', '-A']);
    gitOk(cwd, ['commit', '-m', 'human two']);
    gitOk(cwd, ['checkout', '-q', 'main']);
    repo.write('src/main.ts', numbered('main line', 2));
    gitOk(cwd, ['add', '-A']);
    gitOk(cwd, ['commit', '-m', 'main moves']);
    fs.rmSync(log, { force: true });
    return { cwd, noted };
  }

  /** Asserts that each pick found the set, and that it named the noted commit alone. */
  function assertSetUsed(cwd: string, noted: string): void {
    const names = fs.readFileSync(path.join(cwd, '.git', 'noted-sets.log'), 'utf8').split('\n').filter((l) => /^[0-9a-f]{40}$/.test(l));
    assert.deepEqual([...new Set(names)], [noted], 'the set of noted picks');
    assert.equal(names.length, 3, 'seen after each of the three picks');
  }

  /** The commits of `range`, oldest first, with their subject, trailers and note's tool. */
  function outcome(cwd: string, range: string): Array<{ subject: string; trailers: string[]; noted: boolean }> {
    return gitOk(cwd, ['rev-list', '--reverse', range])
      .trim()
      .split('\n')
      .map((c) => ({ subject: gitOk(cwd, ['log', '-1', '--format=%s', c]).trim(), trailers: ourTrailers(cwd, c).map((t) => t.replace(/:.*/, '')), noted: noteOf(cwd, c) !== undefined }));
  }

  const expected = [
    { subject: 'human one', trailers: [], noted: false },
    { subject: 'ai work, message rewritten', trailers: ['Assisted-by', 'AI-Lines', 'AI-Provenance'], noted: true },
    { subject: 'human two', trailers: [], noted: false },
  ];

  it('a rebase gives the picked commit its trailers from its note', async () => {
    const { cwd, noted } = await branch();
    gitOk(cwd, ['checkout', '-q', 'feature']);
    gitOk(cwd, ['rebase', 'main']);
    assert.deepEqual(outcome(cwd, 'main..feature'), expected);
    assertSetUsed(cwd, noted);
    const ai = gitOk(cwd, ['rev-parse', 'feature~1']).trim();
    const id = ourTrailers(cwd, ai).find((t) => t.startsWith('AI-Provenance:'))!.slice('AI-Provenance:'.length).trim();
    assert.equal(noteOf(cwd, ai)?.id, id, "the note's id is the trailer's");
  });

  it('a cherry-pick of the range gives the picked commit its trailers from its note', async () => {
    const { cwd, noted } = await branch();
    gitOk(cwd, ['cherry-pick', 'main..feature']);
    assert.deepEqual(outcome(cwd, 'HEAD~3..HEAD'), expected);
    assertSetUsed(cwd, noted);
    assert.ok(!fs.existsSync(path.join(cwd, '.git', 'sequencer')), 'the cherry-pick ended');
  });
});
