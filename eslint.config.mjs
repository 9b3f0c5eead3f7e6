// Flat config. The layer fences of HOUSE_STYLE.md live here: core is pure; git, node and cli
// are node-only; only src/vscode may import 'vscode'; each layer imports only the layers below
// it (core ← git ← node ← {cli, vscode}); cli and vscode never import each other; a CLI command
// never imports another command. A later block for the same files replaces an earlier one's
// no-restricted-imports, so each fence lists all of its folder's restrictions.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['fs', 'fs/promises', 'child_process', 'path', 'os', 'crypto', 'net', 'http', 'https', 'worker_threads', 'process'];
const noNode = nodeBuiltins.flatMap((m) => [m, `node:${m}`]);

/**
 * The layer rule of HOUSE_STYLE.md, `core ← git ← node ← {cli, vscode}`: an import pattern
 * forbidding the named layers of src/ (from any depth, relative or not).
 */
function layer(names, message) {
  return { group: names.flatMap((n) => [`**/${n}/**`, `../${n}/*`, `**/src/${n}/**`]), message };
}

/** A folder's fence: its forbidden import patterns, and no 'vscode' outside src/vscode. */
function fence(files, patterns, { allowVscode = false } = {}) {
  const paths = allowVscode ? [] : [{ name: 'vscode', message: "Only src/vscode may import 'vscode'." }];
  return { files, rules: { 'no-restricted-imports': ['error', { paths, patterns }] } };
}

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'test/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.mjs', 'scripts/*.mjs'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'No default exports (house style).' }],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ['vscode', ...noNode].map((name) => ({ name, message: 'src/core is pure: pass I/O in from git/, node/, cli/ or vscode/.' })),
        patterns: [layer(['git', 'node', 'cli', 'vscode'], 'core imports only core.')],
      }],
      'no-restricted-globals': ['error',
        { name: 'process', message: 'core is pure: no process.' },
        { name: 'require', message: 'core is pure.' }],
      'no-restricted-properties': ['error',
        { object: 'Date', property: 'now', message: 'core takes the clock as a parameter.' },
        { object: 'Math', property: 'random', message: 'core takes randomness as a parameter.' }],
    },
  },
  fence(['src/git/**/*.ts'], [layer(['node', 'cli', 'vscode'], 'git/ is git plumbing: it imports core only (node services live in node/).')]),
  fence(['src/node/**/*.ts'], [layer(['cli', 'vscode'], 'node/ is shared by the CLI and the editor: it imports core and git only.')]),
  fence(['src/cli/**/*.ts'], [layer(['vscode'], 'cli/ never imports vscode/: share through node/.')]),
  fence(['src/cli/commands/**/*.ts'], [
    layer(['vscode'], 'cli/ never imports vscode/: share through node/.'),
    { group: ['./*', '../commands/*'], message: 'A command never imports another command: share through node/ (or cli/args, io, revs, format/).' },
  ]),
  fence(['src/vscode/**/*.ts'], [layer(['cli'], "vscode/ never imports cli/: call the node/ function the command calls; a command's printed output is not an internal API.")], { allowVscode: true }),
  // In mocha's parallel workers a test file imported by another registers its suites again, so
  // they run once or twice by chance: what tests share lives in test/helpers/.
  fence(['test/**/*.ts'], [{ group: ['**/*.test', '**/*.test.js', '**/*.test.ts'], message: 'Share through test/helpers/, not by importing a test file.' }], { allowVscode: true }),
  { files: ['scripts/**/*.mjs', '*.mjs'], ...tseslint.configs.disableTypeChecked },
  {
    // Plain node scripts (the test runner, demo, bench): node's globals, no type information.
    files: ['scripts/**/*.mjs', '*.mjs'],
    languageOptions: {
      globals: Object.fromEntries(['process', 'console', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'URL', 'URLSearchParams', 'Buffer', 'fetch', 'AbortController', 'structuredClone', 'performance'].map((g) => [g, 'readonly'])),
    },
  },
);
