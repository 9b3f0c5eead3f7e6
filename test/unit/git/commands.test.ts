/**
 * Unit tests of src/git/commands.ts: git commands as data.
 *
 * Covered: the argv of `repoInfo` and `showFile`, asserted without spawning git, and
 * `parseRepoInfo` fed literal `git rev-parse` output: a relative `--git-path` (what git prints
 * from the worktree root) is resolved against the cwd git ran in, absolute paths are kept,
 * Windows line endings and blank lines are tolerated, and too little output throws. Paths are
 * built at run time with `path.resolve` so the tests hold on any machine and platform.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { parseRepoInfo, repoInfo, showFile } from '../../../src/git/commands';

const root = path.resolve('provenance-test-repo');
const gitDir = path.join(root, '.git');

describe('git commands', () => {
  describe('repoInfo', () => {
    it('asks rev-parse for the top level, the ledger path and the git dir, in that order', () => {
      assert.deepEqual(repoInfo(root).args, ['rev-parse', '--show-toplevel', '--git-path', 'ai-provenance', '--absolute-git-dir']);
    });

    it('parses with the cwd it was made for', () => {
      const cwd = path.join(root, 'src');
      const info = repoInfo(cwd).parse(`${root}\n../.git/ai-provenance\n${gitDir}\n`);
      assert.equal(info.ledgerDir, path.join(gitDir, 'ai-provenance'));
    });
  });

  describe('parseRepoInfo', () => {
    it('resolves a relative --git-path against the cwd', () => {
      assert.deepEqual(parseRepoInfo(`${root}\n.git/ai-provenance\n${gitDir}\n`, root), {
        root,
        ledgerDir: path.join(gitDir, 'ai-provenance'),
        gitDir,
      });
    });

    it('keeps an absolute --git-path (a linked worktree)', () => {
      const worktreeGitDir = path.join(gitDir, 'worktrees', 'feature');
      const ledgerDir = path.join(worktreeGitDir, 'ai-provenance');
      const worktree = path.resolve('provenance-test-feature');
      assert.deepEqual(parseRepoInfo(`${worktree}\n${ledgerDir}\n${worktreeGitDir}\n`, worktree), { root: worktree, ledgerDir, gitDir: worktreeGitDir });
    });

    it('tolerates CRLF line endings and blank lines', () => {
      assert.deepEqual(parseRepoInfo(`${root}\r\n.git/ai-provenance\r\n\r\n${gitDir}\r\n\r\n`, root), {
        root,
        ledgerDir: path.join(gitDir, 'ai-provenance'),
        gitDir,
      });
    });

    it('throws on too few lines, quoting the output', () => {
      assert.throws(() => parseRepoInfo(`${root}\n.git/ai-provenance\n`, root), /^Error: unexpected rev-parse output: ".*ai-provenance\\n"$/);
      assert.throws(() => parseRepoInfo('', root), /unexpected rev-parse output: ""/);
    });
  });

  describe('showFile', () => {
    it('shows REV:PATH and returns stdout unchanged', () => {
      const cmd = showFile('HEAD', 'src/a b.ts');
      assert.deepEqual(cmd.args, ['show', 'HEAD:src/a b.ts']);
      assert.equal(cmd.parse('line 1\r\nline 2\n'), 'line 1\r\nline 2\n');
    });

    it('passes other revisions through', () => {
      assert.deepEqual(showFile('abc123', 'x.ts').args, ['show', 'abc123:x.ts']);
    });
  });
});
