/**
 * src/git/gitDir.ts on real repositories: the git hooks find a worktree's git dir without
 * starting git (a main worktree's `.git` folder, a linked worktree's `.git` file), leave
 * redirected or stray layouts to git, and tell when a checkout has no remote notes to merge
 * (loose refs, packed refs and linked worktrees looked at; reftable left to git), and stamp
 * where HEAD and the notes point so the editor's blame knows when to read again.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gitRedirected, mayHaveRemoteNotes, plainGitDir, refsStamp } from '../../src/git/gitDir';
import { TempRepo } from '../helpers/tempRepo';

describe('finding the git dir without git (integration)', () => {
  let repo: TempRepo;
  beforeEach(() => {
    repo = TempRepo.create();
    repo.write('a.txt', 'a\n');
    repo.git('add', 'a.txt');
    repo.git('commit', '-q', '-m', 'a');
  });
  afterEach(() => repo.dispose());

  it('finds a main worktree and a linked one, and nothing else', () => {
    assert.deepEqual(plainGitDir(repo.root), { gitDir: path.join(repo.root, '.git'), linked: false });
    const linked = `${repo.root}-linked`;
    repo.git('worktree', 'add', '-q', linked);
    try {
      const found = plainGitDir(linked);
      assert.equal(found?.linked, true);
      assert.equal(fs.realpathSync(found.gitDir), fs.realpathSync(repo.git('-C', linked, 'rev-parse', '--absolute-git-dir').trim()));
    } finally {
      repo.git('worktree', 'remove', '--force', linked);
    }
    assert.equal(plainGitDir(path.join(repo.root, 'no-such-folder')), undefined);
    // A stray ".git" folder without HEAD is not a repository.
    const stray = path.join(repo.root, 'stray');
    fs.mkdirSync(path.join(stray, '.git'), { recursive: true });
    assert.equal(plainGitDir(stray), undefined);
    assert.equal(gitRedirected({ GIT_DIR: '/x' }), true);
    assert.equal(gitRedirected({ GIT_WORK_TREE: '/x', HOME: '/h' }), true);
    assert.equal(gitRedirected({ HOME: '/h', GIT_INDEX_FILE: '/i' }), false);
  });

  it('says there are no remote notes only when neither loose nor packed refs have one', () => {
    const main = plainGitDir(repo.root)!.gitDir;
    assert.equal(mayHaveRemoteNotes(main), false);
    const head = repo.git('rev-parse', 'HEAD').trim();
    repo.git('update-ref', 'refs/notes/remotes/origin/ai-provenance', head);
    assert.equal(mayHaveRemoteNotes(main), true, 'a loose ref');
    repo.git('pack-refs', '--all', '--prune');
    fs.rmSync(path.join(repo.root, '.git', 'refs', 'notes'), { recursive: true, force: true });
    assert.match(fs.readFileSync(path.join(repo.root, '.git', 'packed-refs'), 'utf8'), / refs\/notes\/remotes\/origin\/ai-provenance/);
    assert.equal(mayHaveRemoteNotes(main), true, 'a packed ref');
    const linked = `${repo.root}-linked`;
    repo.git('worktree', 'add', '-q', linked);
    try {
      assert.equal(mayHaveRemoteNotes(plainGitDir(linked)!.gitDir), true, 'a linked worktree reads the common dir');
      repo.git('update-ref', '-d', 'refs/notes/remotes/origin/ai-provenance');
      assert.equal(mayHaveRemoteNotes(plainGitDir(linked)!.gitDir), false);
    } finally {
      repo.git('worktree', 'remove', '--force', linked);
    }
    assert.equal(mayHaveRemoteNotes(main), false);
    fs.mkdirSync(path.join(repo.root, '.git', 'reftable'));
    assert.equal(mayHaveRemoteNotes(main), true, 'refs git stores another way: ask git');
  });

  it('stamps HEAD and the notes: the stamp moves with every commit, notes write, checkout and pack-refs, and only then', () => {
    const main = plainGitDir(repo.root)!.gitDir;
    const stamps = [refsStamp(main)];
    const moved = (what: string): void => {
      const now = refsStamp(main);
      assert.ok(!stamps.includes(now), `${what} did not move the stamp`);
      stamps.push(now);
    };
    assert.equal(refsStamp(main), stamps[0], 'nothing moved');
    repo.write('b.txt', 'b\n');
    repo.git('add', 'b.txt');
    repo.git('commit', '-q', '-m', 'b');
    moved('a commit');
    repo.git('notes', '--ref', 'refs/notes/ai-provenance', 'add', '-m', '{}', 'HEAD');
    moved('a notes write');
    repo.git('checkout', '-q', '--detach', 'HEAD~1');
    moved('a checkout');
    repo.git('checkout', '-q', 'main');
    assert.equal(refsStamp(main), stamps[2], 'a checkout back: where it was after the notes write');
    repo.git('pack-refs', '--all', '--prune');
    moved('pack-refs');
    assert.equal(refsStamp(main), stamps.at(-1), 'nothing moved since');
    const linked = `${repo.root}-linked`;
    repo.git('worktree', 'add', '-q', '-b', 'side', linked);
    try {
      const other = plainGitDir(linked)!.gitDir;
      const before = refsStamp(other);
      repo.git('notes', '--ref', 'refs/notes/ai-provenance', 'add', '-f', '-m', '{"a":1}', 'HEAD');
      assert.notEqual(refsStamp(other), before, 'a linked worktree sees the notes of the common dir');
    } finally {
      repo.git('worktree', 'remove', '--force', linked);
    }
  });
});
