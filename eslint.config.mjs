// Flat config. The layer fences of HOUSE_STYLE.md live here: core is pure, git and cli
// are node-only, and only src/vscode may import 'vscode'.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['fs', 'fs/promises', 'child_process', 'path', 'os', 'crypto', 'net', 'http', 'https', 'worker_threads', 'process'];
const noNode = nodeBuiltins.flatMap((m) => [m, `node:${m}`]);

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
        paths: ['vscode', ...noNode].map((name) => ({ name, message: 'src/core is pure: pass I/O in from git/, cli/ or vscode/.' })),
        patterns: [{ group: ['../git/*', '../cli/*', '../vscode/*', '**/src/git/**', '**/src/cli/**', '**/src/vscode/**'], message: 'core imports only core.' }],
      }],
      'no-restricted-globals': ['error',
        { name: 'process', message: 'core is pure: no process.' },
        { name: 'require', message: 'core is pure.' }],
      'no-restricted-properties': ['error',
        { object: 'Date', property: 'now', message: 'core takes the clock as a parameter.' },
        { object: 'Math', property: 'random', message: 'core takes randomness as a parameter.' }],
    },
  },
  {
    files: ['src/git/**/*.ts', 'src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: "Only src/vscode may import 'vscode'." }],
        patterns: [{ group: ['../vscode/*', '**/src/vscode/**'], message: 'git/ and cli/ import core and node only.' }],
      }],
    },
  },
  { files: ['scripts/**/*.mjs', '*.mjs'], ...tseslint.configs.disableTypeChecked },
  {
    // Plain node scripts (the test runner, demo, bench): node's globals, no type information.
    files: ['scripts/**/*.mjs', '*.mjs'],
    languageOptions: {
      globals: Object.fromEntries(['process', 'console', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'URL', 'URLSearchParams', 'Buffer', 'fetch', 'AbortController', 'structuredClone', 'performance'].map((g) => [g, 'readonly'])),
    },
  },
);
