/**
 * Which git operations start node through our hooks (issue #15), counted for real: the hooks
 * are installed with `--node` pointing at a sh wrapper that appends a line to a file, then execs
 * node, so every node the hook scripts start is seen, whatever hook started it.
 *
 * Covered: a commit with nothing recorded, a checkout, a merge, and a cherry-pick of a range of
 * commits without notes start none; a rebase of commits with notes starts one (post-rewrite),
 * and the notes still come out on every rebased commit; a commit with AI lines still gets its
 * trailers and note, and starts one node in all (commit-msg's), with or without a policy file,
 * from `-m`, `-F` or the editor, with `--no-verify` (prepare-commit-msg's instead) and in a
 * linked worktree; a cherry-pick of a range of commits with notes starts one.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gitOk, gitRun, noteOf, numbered, ourTrailers, trailersOf } from '../helpers/gitHooks';
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

  /** Records AI lines in a new file `name` and stages it. */
  const aiChange = async (name: string): Promise<void> => {
    repo.write(name, numbered(name, 4));
    await repo.record('--tool', 'Claude Code', `${name}:1-3`);
    gitOk(cwd, ['add', name]);
    starts();
  };
  /** What a commit of {@link aiChange} must carry: trailers, a note naming it with the trailers' id, an emptied ledger. */
  const assertAiCommit = (what: string): void => {
    const trailers = ourTrailers(cwd);
    assert.ok(trailers.includes('AI-Lines: 3/4'), `${what}: ${trailers.join('\n')}`);
    const note = noteOf(cwd);
    assert.ok(note, `${what}: a note`);
    assert.equal((note.vcs as { revision: string }).revision, gitOk(cwd, ['rev-parse', 'HEAD']).trim(), `${what}: the note names the commit`);
    assert.equal(`AI-Provenance: ${String(note.id)}`, trailers.find((t) => t.startsWith('AI-Provenance:')), `${what}: the note's id is the trailer's`);
    const ledger = fs.readFileSync(path.join(cwd, '.git', 'ai-provenance', 'ledger.json'), 'utf8');
    assert.ok(ledger.startsWith('{"version":2,"ranges":0,'), `${what}: the committed lines left the ledger: ${ledger.slice(0, 200)}`);
  };

  it('a commit with AI lines starts node once in all, from -m, -F, the editor and with --no-verify', async () => {
    await aiChange('m.ts');
    gitOk(cwd, ['commit', '-qm', 'ai with -m']);
    assert.deepEqual(starts(), ['commit-msg .git/COMMIT_EDITMSG']);
    assertAiCommit('-m');
    await aiChange('f.ts');
    gitOk(cwd, ['commit', '-q', '-F', '-'], { input: 'ai with -F\n\nBody.\n' });
    assert.equal(starts().length, 1, '-F');
    assertAiCommit('-F');
    await aiChange('e.ts');
    gitOk(cwd, ['commit', '-q'], { env: { GIT_EDITOR: `sh -c 'printf "ai from the editor\\n" > "$1"' -` } });
    assert.equal(starts().length, 1, 'editor');
    assertAiCommit('editor');
    await aiChange('n.ts');
    gitOk(cwd, ['commit', '-q', '--no-verify', '-m', 'ai with --no-verify']);
    assert.deepEqual(starts(), ['prepare-commit-msg .git/COMMIT_EDITMSG message'], 'commit-msg does not run: prepare-commit-msg does the work');
    assertAiCommit('--no-verify');
  });

  it('with a policy file, a commit with AI lines still starts node once, and friction judges the final message', async () => {
    const policy = { critical: [{ paths: ['src/pay/**'], reason: 'payments', friction: 'review' }] };
    repo.write('.ai-provenance.json', JSON.stringify(policy) + '\n');
    gitOk(cwd, ['add', '.ai-provenance.json']);
    gitOk(cwd, ['commit', '-qm', 'policy']);
    await aiChange('src/pay/charge.ts');
    const refused = gitRun(cwd, ['commit', '-q', '-m', 'unreviewed']);
    assert.notEqual(refused.code, 0, 'friction refuses AI lines in a critical path without a review');
    assert.equal(starts().length, 1, 'the refused commit');
    // Reviewed-by typed in the editor: friction sees the message as the editor left it.
    gitOk(cwd, ['commit', '-q'], { env: { GIT_EDITOR: `sh -c 'printf "reviewed\\n\\nReviewed-by: Other Person <o@x>\\n" > "$1"' -` } });
    assert.equal(starts().length, 1, 'the reviewed commit');
    assertAiCommit('reviewed');
    assert.ok(trailersOf(cwd).includes('AI-Critical: src/pay/charge.ts'), trailersOf(cwd).join('\n'));
    await aiChange('other.ts');
    gitOk(cwd, ['commit', '-qm', 'ai outside the critical paths']);
    assert.equal(starts().length, 1, 'a commit outside the critical paths');
    assertAiCommit('outside');
  });

  it('an aborted commit leaves nothing that a later commit picks up', async () => {
    await aiChange('a1.ts');
    // Signing fails: git aborts after commit-msg prepared the commit's note.
    const aborted = gitRun(cwd, ['-c', 'commit.gpgsign=true', '-c', 'gpg.program=false', 'commit', '-q', '-m', 'signed']);
    assert.notEqual(aborted.code, 0);
    assert.ok(fs.existsSync(path.join(cwd, '.git', 'ai-provenance', 'prepared-commit')), 'the aborted commit left its prepared note');
    starts();
    gitOk(cwd, ['reset', '-q']);
    repo.write('human.txt', 'by hand\n');
    gitOk(cwd, ['add', 'human.txt']);
    gitOk(cwd, ['commit', '-qm', 'human']);
    assert.deepEqual(ourTrailers(cwd), []);
    assert.equal(noteOf(cwd), undefined, 'the human commit gets no note');
    gitOk(cwd, ['add', 'a1.ts']);
    gitOk(cwd, ['commit', '-qm', 'ai at last']);
    assertAiCommit('after an aborted commit');
  });

  it('a cherry-pick of a range of commits with notes starts node once', async () => {
    gitOk(cwd, ['checkout', '-q', '-b', 'picks']);
    for (let i = 0; i < 5; i++) {
      await aiChange(`p${i}.ts`);
      gitOk(cwd, ['commit', '-qm', `pick ${i}`]);
    }
    gitOk(cwd, ['checkout', '-q', 'main']);
    starts();
    gitOk(cwd, ['cherry-pick', 'main..picks']);
    assert.deepEqual(starts(), ['post-commit']);
    const picked = gitOk(cwd, ['rev-list', '--reverse', 'picks..main']).trim().split('\n');
    const originals = gitOk(cwd, ['rev-list', '--reverse', 'main..picks']).trim().split('\n');
    assert.equal(picked.length, 5);
    picked.forEach((c, i) => {
      const note = noteOf(cwd, c);
      assert.ok(note, `pick ${i} has a note`);
      assert.equal((note.vcs as { revision: string }).revision, c);
      assert.notEqual(note.id, noteOf(cwd, originals[i])?.id, 'a copy gets its own id');
      assert.ok(ourTrailers(cwd, c).includes(`AI-Provenance: ${String(note.id)}`));
    });
  });

  it('in a linked worktree too, a commit with AI lines starts node once', async () => {
    const linked = path.join(path.dirname(cwd), `${path.basename(cwd)}-linked`);
    gitOk(cwd, ['worktree', 'add', '-q', linked, '-b', 'linked']);
    fs.writeFileSync(path.join(linked, 'w.ts'), numbered('w', 4));
    const rec = await repo.cli(['record', '--tool', 'Claude Code', 'w.ts:1-3'], { cwd: linked });
    assert.equal(rec.code, 0, rec.stderr);
    gitOk(linked, ['add', 'w.ts']);
    starts();
    gitOk(linked, ['commit', '-qm', 'ai in a linked worktree']);
    assert.equal(starts().length, 1, 'one node start');
    assert.ok(ourTrailers(linked).includes('AI-Lines: 3/4'), ourTrailers(linked).join('\n'));
    const note = noteOf(linked);
    assert.ok(note);
    assert.equal((note.vcs as { revision: string }).revision, gitOk(linked, ['rev-parse', 'HEAD']).trim());
    gitOk(cwd, ['worktree', 'remove', '--force', linked]);
  });
});
