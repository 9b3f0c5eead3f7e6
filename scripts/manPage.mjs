// Writes man/git-provenance.1 from the CLI's own usage texts (`git-provenance --help` and
// `<command> --help`), so `git provenance --help`, which git turns into `man git-provenance`,
// shows what `git provenance help` prints. Run after `npm run build`:
//   node scripts/manPage.mjs          write the page
//   node scripts/manPage.mjs --check  exit 1 when the page is out of date (the tests do this)
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'dist', 'cli.js');
const target = path.join(root, 'man', 'git-provenance.1');
const help = (...args) => execFileSync(process.execPath, [cli, ...args, '--help'], { encoding: 'utf8' }).trimEnd();

/** Escapes text for roff: backslashes, and a leading dot or quote that roff would read as a request. */
const roff = (line) => line.replace(/\\/g, '\\e').replace(/^([.'])/, '\\&$1');

const main = help();
const version = /^git provenance (\S+)/.exec(main)?.[1] ?? '0.0.0';
const commands = [];
let inCommands = false;
for (const line of main.split('\n')) {
  if (line === 'commands:') inCommands = true;
  else if (inCommands && /^ {2}(\S+)\s{2,}(.*)$/.test(line)) {
    const [, name, what] = /^ {2}(\S+)\s{2,}(.*)$/.exec(line);
    commands.push({ name, what });
  } else if (inCommands && line.trim() === '') inCommands = false;
}
// `install`'s line names uninstall too; it has its own usage.
const names = [...commands.map((c) => c.name), 'uninstall'].filter((n, i, all) => all.indexOf(n) === i);

const out = [
  `.TH GIT-PROVENANCE 1 "" "git-provenance ${version}" "AI Provenance"`,
  '.SH NAME',
  'git-provenance \\- which lines AI wrote, in git',
  '.SH SYNOPSIS',
  '.B git provenance',
  '.I command',
  '.RI [ options ]',
  '.SH DESCRIPTION',
  'Records which lines of a working tree AI tools wrote (tool, model, time), writes them into',
  'commits as Assisted-by trailers and Agent Trace notes on refs/notes/ai-provenance, and checks',
  'AI-written lines in critical paths in CI. The same text as',
  '.B git provenance help',
  'and',
  '.BR "git provenance " \\fIcommand\\fR " \\-\\-help" .',
  '.SH COMMANDS',
];
for (const c of commands) out.push('.TP', `.B ${c.name}`, roff(c.what));
for (const name of names) {
  out.push(`.SS ${name}`, '.nf');
  for (const line of help(name).split('\n')) out.push(roff(line));
  out.push('.fi');
}
out.push('.SH EXIT STATUS', '0 success, 1 failure, 2 usage or repository error.', '.SH SEE ALSO', '.BR git (1),', '.BR git-notes (1),', '.BR git-interpret-trailers (1)', '');
const text = out.join('\n');

if (process.argv.includes('--check')) {
  const current = (() => { try { return readFileSync(target, 'utf8'); } catch { return ''; } })();
  if (current !== text) {
    console.error('man/git-provenance.1 is out of date: run npm run build && node scripts/manPage.mjs');
    process.exit(1);
  }
} else {
  writeFileSync(target, text);
  console.log(`wrote ${path.relative(root, target)} (${names.length} commands)`);
}
