// The bundles, as the house style asks: the extension (vscode external), the
// `git-provenance` CLI that coding agents run as a hook, and the git hooks' own. They must start
// fast, so it is a single self-contained file with a shebang and no lazy requires
// of node_modules at run time.
import * as esbuild from 'esbuild';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

const watch = process.argv.includes('--watch');
const production = !process.argv.includes('--dev');

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  // engines.node is >=20.
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  legalComments: 'none',
  logLevel: 'info',
  define: { AIP_VERSION: JSON.stringify(pkg.version) },
};

const builds = [
  { ...common, entryPoints: ['src/vscode/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  {
    ...common,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    banner: { js: '#!/usr/bin/env node' },
    // A `vscode` import in the CLI is a layering bug; failing the build makes it loud.
    external: [],
  },
  // The GitHub Action (action.yml): runs dist/cli.js beside it with the runner's node.
  { ...common, entryPoints: ['src/cli/githubAction/main.ts'], outfile: 'dist/action.js', external: [] },
  // What installed git hooks run: dist/hook.js (src/cli/gitHooks/loader.ts) starts dist/hook-impl.js
  // (src/cli/gitHooks/main.ts, the git hooks only) from a V8 code cache. The banner is
  // `hookEntryMarker` of src/git/hooks.ts, by which `install` recognises the file beside the CLI.
  { ...common, entryPoints: ['src/cli/gitHooks/loader.ts'], outfile: 'dist/hook.js', banner: { js: '// ai-provenance hook entry v1' }, external: [] },
  { ...common, entryPoints: ['src/cli/gitHooks/main.ts'], outfile: 'dist/hook-impl.js', external: [] },
];

if (watch) {
  for (const b of builds) {
    const ctx = await esbuild.context(b);
    await ctx.watch();
  }
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
  // The hook bundle's first line names the sha1 of the rest: its code caches are keyed by it
  // (`bundleIdLine` in src/cli/gitHooks/loader.ts), so a start need not hash the bundle.
  const hookImpl = readFileSync('dist/hook-impl.js', 'utf8');
  writeFileSync('dist/hook-impl.js', `// ai-provenance hook bundle ${createHash('sha1').update(hookImpl).digest('hex')}\n${hookImpl}`);
}

// The agent hook's shell front goes beside the CLI it hands the work to (setup points agents at it).
mkdirSync('dist', { recursive: true });
copyFileSync('src/cli/agentHooks/agent-hook.sh', 'dist/agent-hook.sh');
