#!/usr/bin/env node
// `npm run watch`: the developer loop's rebuild. esbuild rebuilds the bundles (dist/) and tsc
// re-checks and recompiles src and test into out/ incrementally, both on every save, so
// `npm run test:unit` (or a narrower `npx mocha --config .mocharc.unit.json --grep …`) runs on
// fresh code. Stop with Ctrl+C; both children stop with it.
import { spawn } from 'node:child_process';

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const children = [
  spawn(process.execPath, ['esbuild.config.mjs', '--watch', '--dev'], { stdio: 'inherit' }),
  spawn(npx, ['tsc', '-p', 'tsconfig.json', '--outDir', 'out', '--watch', '--preserveWatchOutput'], { stdio: 'inherit' }),
];
const stop = () => {
  for (const c of children) c.kill('SIGTERM');
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
for (const c of children) c.on('exit', (code) => {
  if (code !== null && code !== 0) process.exitCode = code;
  stop();
});
