/**
 * Which git operations start node through our hooks (issue #15), counted for real: the hooks
 * are installed with `--node` pointing at a sh wrapper that appends a line to a file, then execs
 * node, so every node the hook scripts start is seen, whatever hook started it.
 *
 * Covered: a commit with nothing recorded, a checkout, a merge, and a cherry-pick of a range of
 * commits without notes start none; a rebase of commits with notes starts one (post-rewrite),
 * and the notes still come out on every rebased commit; a commit with AI lines still gets its
 * trailers and note.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gitOk, noteOf, numbered, ourTrailers } from '../helpers/gitHooks';
import { TempRepo } from '../helpers/tempRepo';

describe('node starts of the git hooks (integration)', function () {
  this.timeout(300_000);
  let repo: TempRepo;
  let cwd: string;
  let counter: string;
  /** The hooks' node starts since the last call, one `hook.js hook-git <hook> …` line each. */
  const starts = (): string[] => {
    const lines = fs.existsSync(counter) ? fs.readFileSync(counter, 'utf8').split('\n').filter((l) => l.length > 0) : [];
    fs.rmSync(counter, { force: true });
    return lines.map((l) => l.replace(/^.*hook-git /, ''));
  };
  beforeEach(async () => {
    repo = TempRepo.create();
    cwd = repo.root;
    counter = path.join(cwd, '.git', 'node-starts');
    const wrapper = path.join(cwd, '.git', 'counting-node');
    fs.writeFileSync(wrapper, `#!/bin/sh\necho "$*" >> '${counter}'\nexec '${process.execPath}' "$@"\n`, { mode: 0o755 });
    assert.equal((await repo.cli(['install', '--node', wrapper])).code, 0);
    repo.write('a.txt', numbered('a', 5));
    gitOk(cwd, ['add', '-A']);
    gitOk(cwd, ['commit', '-m', 'base']);
    starts();
  });
  afterEach(() => repo.dispose());

  it('a commit, a checkout and a merge with nothing recorded start no node', () => {
    repo.write('a.txt', numbered('a', 6));
    gitOk(cwd, ['commit', '-qam', 'human']);
    assert.deepEqual(starts(), [], 'commit');
    gitOk(cwd, ['checkout', '-q', '-b', 'side', 'HEAD~1']);
    repo.write('b.txt', 'b\n');
    gitOk(cwd, ['add', 'b.txt']);
    gitOk(cwd, ['commit', '-qm', 'side']);
    gitOk(cwd, ['checkout', '-q', 'main']);
    gitOk(cwd, ['merge', '-q', '--no-edit', 'side']);
    assert.deepEqual(starts(), [], 'checkout, commit and merge');
  });

  it('a commit with AI lines still gets its trailers and note; a cherry-pick of commits without notes starts no node', async () => {
    repo.write('ai.ts', numbered('ai', 4));
    await repo.record('--tool', 'Claude Code', 'ai.ts:1-3');
    starts();
    gitOk(cwd, ['add', 'ai.ts']);
    gitOk(cwd, ['commit', '-qm', 'ai']);
    assert.ok(ourTrailers(cwd).includes('AI-Lines: 3/4'), ourTrailers(cwd).join('\n'));
    assert.ok(noteOf(cwd));
    assert.ok(starts().length <= 2, 'prepare-commit-msg and post-commit at most (no policy: commit-msg has nothing to judge)');
    gitOk(cwd, ['checkout', '-q', '-b', 'humans', 'HEAD~1']);
    for (let i = 0; i < 5; i++) {
      repo.write(`h${i}.txt`, `${i}\n`);
      gitOk(cwd, ['add', '-A']);
      gitOk(cwd, ['commit', '-qm', `human ${i}`]);
    }
    gitOk(cwd, ['checkout', '-q', 'main']);
    starts();
    gitOk(cwd, ['cherry-pick', 'main..humans']);
    assert.deepEqual(starts(), [], 'cherry-pick of 5 commits without notes');
  });

  it('a rebase of commits with notes starts node once, and every rebased commit keeps its note', async () => {
    gitOk(cwd, ['checkout', '-q', '-b', 'feature']);
    for (let i = 0; i < 6; i++) {
      repo.write(`f${i}.ts`, numbered(`f${i}`, 3));
      if (i % 2 === 0) await repo.record('--tool', 'Claude Code', `f${i}.ts:1-2`);
      gitOk(cwd, ['add', '-A']);
      gitOk(cwd, ['commit', '-qm', `feature ${i}`]);
    }
    gitOk(cwd, ['checkout', '-q', 'main']);
    repo.write('a.txt', numbered('a', 7));
    gitOk(cwd, ['commit', '-qam', 'main moves']);
    gitOk(cwd, ['checkout', '-q', 'feature']);
    starts();
    gitOk(cwd, ['rebase', '-q', 'main']);
    assert.deepEqual(starts(), ['post-rewrite rebase']);
    const rebased = gitOk(cwd, ['rev-list', '--reverse', 'main..feature']).trim().split('\n');
    rebased.forEach((c, i) => {
      const note = noteOf(cwd, c);
      if (i % 2 === 0) {
        assert.ok(note, `feature ${i} has a note`);
        assert.equal((note.vcs as { revision: string }).revision, c, 'the note names the rebased commit');
      } else assert.equal(note, undefined, `feature ${i} has none`);
    });
  });
});
