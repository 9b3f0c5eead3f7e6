#!/usr/bin/env node
// `npm run pack:cli`: the npm package of the CLI, `git-provenance-<version>.tgz`.
//
// Why not `npm pack` of this folder: its package.json is the extension's manifest, named
// `ai-provenance` (the extension id is `publisher.name`, so the name stays), and that name
// belongs to someone else on npm. The CLI is published as `git-provenance`, its bin's name, so
// `npx git-provenance` finds it. This script writes a package.json for it from the manifest
// (same version, licence, repository; no dependencies, as the bundles are self-contained) into a
// staging folder, copies the files below, and runs `npm pack` there. (The list is not the
// manifest's `files`: vsce refuses a manifest that has both `files` and a .vscodeignore.)
// Nothing else gets in: not sources, tests, `out/`, nor the hook loader's V8 code caches
// (dist/hook-impl.js.<hook>.cache), which are machine-specific.
//
// Options: --out <dir> (default: the project root), --no-build (pack dist/ as it is).
// Prints the tarball's path as its last line.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// The CLI package's name on npm: the name of its bin.
const cliPackageName = 'git-provenance';

// What the CLI needs at run time: the CLI, the git hooks' entry and bundle beside it (`install`
// points hooks at them), the agent hook's shell front (`setup`), the docs, and the man page
// that `git provenance --help` opens (git turns it into `man git-provenance`).
const files = ['dist/cli.js', 'dist/hook.js', 'dist/hook-impl.js', 'dist/agent-hook.sh', 'man/git-provenance.1', 'README.md', 'LICENSE', 'CHANGELOG.md'];

const { values } = parseArgs({
  options: { out: { type: 'string' }, 'no-build': { type: 'boolean', default: false } },
  strict: true,
});
const outDir = path.resolve(values.out ?? root);
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) {
    console.error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal})`);
    process.exit(1);
  }
  return r.stdout;
}

if (!values['no-build']) run(process.execPath, ['esbuild.config.mjs'], root);

const cliPackage = {
  name: cliPackageName,
  version: manifest.version,
  description: 'git provenance: which lines AI wrote (tool, model), as git trailers and notes, with a CI gate for critical paths. The CLI of the AI Provenance VS Code extension.',
  license: manifest.license,
  repository: manifest.repository,
  homepage: manifest.homepage,
  bugs: manifest.bugs,
  keywords: [...manifest.keywords, 'cli', 'git-hooks', 'trailers'],
  engines: { node: manifest.engines.node },
  bin: manifest.bin,
  man: manifest.man,
  files,
};

const missing = files.filter((file) => !fs.existsSync(path.join(root, file)));
if (missing.length > 0) {
  console.error(`missing: ${missing.join(', ')}${missing.some((f) => f.startsWith('dist/')) ? ' (build first: npm run build)' : ''}`);
  process.exit(1);
}

const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'aip-pack-cli-'));
try {
  fs.writeFileSync(path.join(stage, 'package.json'), `${JSON.stringify(cliPackage, null, 2)}\n`);
  for (const file of files) {
    fs.mkdirSync(path.dirname(path.join(stage, file)), { recursive: true });
    fs.copyFileSync(path.join(root, file), path.join(stage, file));
  }
  fs.mkdirSync(outDir, { recursive: true });
  // --ignore-scripts: the staging folder has none, and the user's npmrc must not add any.
  const out = run(npm, ['pack', '--ignore-scripts', '--pack-destination', outDir, '--json'], stage);
  const [{ filename, files: packed, size }] = JSON.parse(out);
  console.log(`${packed.length} files, ${(size / 1024).toFixed(1)} KB packed:`);
  for (const f of packed) console.log(`  ${f.path}`);
  console.log(path.join(outDir, filename));
} finally {
  fs.rmSync(stage, { recursive: true, force: true });
}
