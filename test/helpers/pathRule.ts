/**
 * The one table of the path rule (src/node/worktreePath.ts), used by every way in: `git
 * provenance record` and the agent hooks (test/integration/pathRule.test.ts) and the
 * extension's recordEdit API (test/vscode/pathRule.test.ts). Each case is a path as a caller
 * gives it, with the ledger path it must be recorded under, or the refusal it must get.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** One row of the table. */
export interface PathRuleCase {
  /** What the row is about. */
  readonly name: string;
  /** The path as given, relative to the worktree root (it may climb out with `..`). */
  readonly path: string;
  /** The worktree-relative path it is recorded under; undefined: it is refused. */
  readonly recordedAs: string | undefined;
  /** What the refusal says (record and the agent hooks print it). */
  readonly refusal?: RegExp;
}

/**
 * Lays out the files and symlinks the table names, under `dir` (a folder of the worktree at
 * `root`, '' for its top) and `outside` (a folder outside it), and returns the table. Every
 * file it names has exactly one line, not committed.
 */
export function pathRuleTable(root: string, dir: string, outside: string): PathRuleCase[] {
  const at = (rel: string): string => path.join(root, dir, rel);
  const put = (abs: string, text: string): void => {
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, text);
  };
  put(at('src/plain.ts'), 'export const plain = 1;\n');
  put(path.join(outside, 'secret.ts'), 'export const secret = 1;\n');
  put(at('nested/.git/stray.ts'), 'export const stray = 1;\n');
  // git init writes it from its templates; a system without them gets it here.
  const description = path.join(root, '.git', 'description');
  if (!fs.existsSync(description)) put(description, 'Unnamed repository\n');
  fs.symlinkSync(path.join(outside, 'secret.ts'), at('link-out.ts'));
  fs.symlinkSync(outside, at('dir-out'));
  fs.symlinkSync(path.join('src', 'plain.ts'), at('link-in.ts'));
  fs.symlinkSync(path.join(root, '.git', 'description'), at('link-git.ts'));
  const rel = (p: string): string => path.posix.join(dir.split(path.sep).join('/'), p);
  const toOutside = path.relative(path.join(root, dir), path.join(outside, 'secret.ts')).split(path.sep).join('/');
  return [
    { name: 'a file of the worktree', path: rel('src/plain.ts'), recordedAs: rel('src/plain.ts') },
    { name: 'a symlink to a file of the worktree: recorded under the file', path: rel('link-in.ts'), recordedAs: rel('src/plain.ts') },
    { name: 'a symlink to a file outside the worktree', path: rel('link-out.ts'), recordedAs: undefined, refusal: /outside the repository/ },
    { name: 'a file under a symlinked folder outside the worktree', path: rel('dir-out/secret.ts'), recordedAs: undefined, refusal: /outside the repository/ },
    { name: 'a path climbing out with ..', path: rel(toOutside), recordedAs: undefined, refusal: /outside the repository/ },
    { name: 'a file in the git dir', path: '.git/description', recordedAs: undefined, refusal: /inside the git directory/ },
    { name: 'a symlink into the git dir', path: rel('link-git.ts'), recordedAs: undefined, refusal: /inside the git directory/ },
    { name: 'a file in a nested .git folder', path: rel('nested/.git/stray.ts'), recordedAs: undefined, refusal: /inside a \.git folder/ },
  ];
}
