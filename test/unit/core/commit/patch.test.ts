/**
 * Unit tests of src/core/commit/patch.ts, fed literal `git diff -U0` and `git diff-tree --stdin`
 * output: the added line numbers per file are what AI-Lines divides by and what a note may name.
 */
import assert from 'node:assert/strict';
import { parseCommitPatches, parseZeroContextPatch, runLength, runLines, unquote } from '../../../../src/core/commit/patch';

const patch = `diff --git a/src/a.ts b/src/a.ts
index 1111111..2222222 100644
--- a/src/a.ts
+++ b/src/a.ts
@@ -1,0 +2,4 @@ header
+added two
+added three
+@@ -1 +1 @@ content that looks like a hunk header
+diff --git a/content b/content
@@ -10 +12 @@
-old
+++ this line starts with pluses and is content
\\ No newline at end of file
diff --git a/new.txt b/new.txt
new file mode 100644
index 0000000..3333333
--- /dev/null
+++ b/new.txt
@@ -0,0 +1,3 @@
+x
+y
+z
diff --git a/gone.txt b/gone.txt
deleted file mode 100644
index 4444444..0000000
--- a/gone.txt
+++ /dev/null
@@ -1,2 +0,0 @@
-a
-b
diff --git a/img.png b/img.png
index 5555555..6666666 100644
Binary files a/img.png and b/img.png differ
diff --git a/old name.ts b/new name.ts
similarity index 90%
rename from old name.ts
rename to new name.ts
index 7777777..8888888 100644
--- a/old name.ts\t
+++ b/new name.ts\t
@@ -3 +3 @@
-before
+after
diff --git "a/caf\\303\\251.ts" "b/caf\\303\\251.ts"
--- "a/caf\\303\\251.ts"
+++ "b/caf\\303\\251.ts"
@@ -0,0 +1 @@
+x
`;

describe('parseZeroContextPatch', () => {
  it('reads the added lines of each file from the hunk headers', () => {
    const files = parseZeroContextPatch(patch);
    assert.deepEqual(
      files.map((f) => [f.path, runLines(f.addedRuns), f.oldPath ?? null]),
      [
        ['src/a.ts', [2, 3, 4, 5, 12], null],
        ['new.txt', [1, 2, 3], null],
        ['new name.ts', [3], 'old name.ts'],
        ['café.ts', [1], null],
      ],
    );
  });

  it('gives a run per hunk, and the helpers count and list them', () => {
    const [a] = parseZeroContextPatch(patch);
    assert.deepEqual(a!.addedRuns, [[2, 5], [12, 12]]);
    assert.equal(runLength(a!.addedRuns), 5);
    assert.deepEqual(runLines([]), []);
  });

  it('returns nothing for an empty diff', () => {
    assert.deepEqual(parseZeroContextPatch(''), []);
  });
});

describe('parseCommitPatches', () => {
  it('splits diff-tree --stdin output by commit', () => {
    const a = 'a'.repeat(40);
    const b = 'b'.repeat(40);
    const text = `${a}\ndiff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1,0 +2 @@\n+x\n${b} (from ${a})\ndiff --git a/g b/g\n--- /dev/null\n+++ b/g\n@@ -0,0 +1,2 @@\n+1\n+2\n`;
    assert.deepEqual(
      parseCommitPatches(text).map((c) => [c.commit, c.files.map((f) => [f.path, f.addedRuns])]),
      [
        [a, [['f', [[2, 2]]]]],
        [b, [['g', [[1, 2]]]]],
      ],
    );
  });
});

describe('unquote', () => {
  it('undoes C-style quoting, octal bytes as UTF-8', () => {
    assert.equal(unquote('"a\\tb\\"c\\\\d"'), 'a\tb"c\\d');
    assert.equal(unquote('"\\360\\237\\244\\226.md"'), '🤖.md');
    assert.equal(unquote('plain name'), 'plain name');
  });
});

describe('a line that differs only by the final line break is the same line', () => {
  const header = 'diff --git a/f.ts b/f.ts\nindex 1111111..2222222 100644\n--- a/f.ts\n+++ b/f.ts\n';

  it('a line added below a last line that had no line break leaves that line out of the added ones', () => {
    const patch = `${header}@@ -3 +3,2 @@\n-  return 42;\n\\ No newline at end of file\n+  return 42;\n+}\n`;
    assert.deepEqual(parseZeroContextPatch(patch)[0]?.addedRuns, [[4, 4]]);
    const commits = parseCommitPatches(`${'a'.repeat(40)}\n${patch}`);
    assert.deepEqual(commits[0]?.files[0]?.addedRuns, [[4, 4]]);
  });

  it('taking the final line break away is not a new line either', () => {
    const patch = `${header}@@ -2,2 +2,2 @@\n-a\n-b\n+c\n+b\n\\ No newline at end of file\n`;
    assert.deepEqual(parseZeroContextPatch(patch)[0]?.addedRuns, [[2, 2]]);
  });

  it('a changed last line is still added', () => {
    const patch = `${header}@@ -3 +3,2 @@\n-  return 42;\n\\ No newline at end of file\n+  return 43;\n+}\n`;
    assert.deepEqual(parseZeroContextPatch(patch)[0]?.addedRuns, [[3, 4]]);
  });
});
