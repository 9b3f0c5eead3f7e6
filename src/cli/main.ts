/**
 * `git-provenance`: the CLI that git runs as a hook and coding agents run from theirs.
 * Users type `git provenance <verb>`. Kept small: it must start fast.
 */
import { InputError, UsageError } from './args';
import { blame, blameUsage } from './commands/blame';
import { check, checkUsage } from './commands/check';
import { consolidate, consolidateUsage } from './commands/consolidate';
import { preReceive, preReceiveUsage, updateHook, updateHookUsage } from './commands/preReceive';
import { exportTrace, exportUsage } from './commands/export';
import { hookGit, hookGitUsage } from './gitHooks/dispatch';
import { install, installUsage, uninstall, uninstallUsage } from './commands/install';
import { show, showUsage } from './commands/show';
import { findRepo } from './agentHooks/findRepo';
import { fsErrorMessage } from './fsErrors';
import { drainSpool, drainWaitMs, hookDrain, hookDrainUsage } from './agentHooks/drain';
import { hook, hookUsage } from './agentHooks/hook';
import { importNotes, importUsage } from './commands/importGitAi';
import type { Io } from './io';
import { exitWhenWritten, processIo } from './processIo';
import { record, recordUsage } from './commands/record';
import { NotARepoError } from '../node/repo';
import { setup, setupUsage } from './commands/setup';
import { stats, statsUsage } from './commands/stats';
import { status, statusUsage } from './commands/status';
import { sync, syncUsage } from './commands/sync';

declare const AIP_VERSION: string | undefined;

/** The CLI's version (from package.json at build time). */
export const version = typeof AIP_VERSION === 'string' ? AIP_VERSION : '0.0.0-dev';

const usage = `git provenance ${version} — which lines AI wrote, in git

usage: git provenance <command> [options]

commands:
  record    mark lines of files as written by an AI tool
  status    list uncommitted AI-written lines per file
  install   add the git hooks that write trailers and notes (uninstall: remove them)
  show      the AI provenance note of a commit
  blame     which lines of a file AI wrote, committed or not
  check     the CI gate: AI-written lines in critical paths reviewed as the policy asks
  pre-receive  the same gate as a server-side git hook (and: update <ref> <old> <new>)
  consolidate  the note of a squash or rebase merge, from the notes of the merged commits
  hook      run by a coding agent after each edit: records the lines it wrote
  setup     add (or --remove) that hook in an agent's own config
  stats     how many added lines of a range AI wrote, by path, tool, model, author or day
  export    the notes of a range as Agent Trace JSON Lines (--format agent-trace)
  import    read another tool's notes into ours (git-ai)
  sync      share notes with a remote both ways: fetch, merge, push (git push does it after install --remote)

options:
  --version   print the version
  help        print this help (or: git provenance <command> --help); from git,
              \`git provenance --help\` opens the man page git-provenance(1) instead

Exit codes: 0 success, 1 failure, 2 usage or repository error.`;

const commands: Record<string, { run: (argv: readonly string[], io: Io) => Promise<number>; usage: string }> = {
  record: { run: record, usage: recordUsage },
  status: { run: status, usage: statusUsage },
  install: { run: install, usage: installUsage },
  uninstall: { run: uninstall, usage: uninstallUsage },
  show: { run: show, usage: showUsage },
  blame: { run: blame, usage: blameUsage },
  check: { run: check, usage: checkUsage },
  'pre-receive': { run: preReceive, usage: preReceiveUsage },
  update: { run: updateHook, usage: updateHookUsage },
  consolidate: { run: consolidate, usage: consolidateUsage },
  'hook-git': { run: (argv, io) => hookGit(argv, io), usage: hookGitUsage },
  hook: { run: hook, usage: hookUsage },
  'hook-drain': { run: hookDrain, usage: hookDrainUsage },
  setup: { run: setup, usage: setupUsage },
  stats: { run: stats, usage: statsUsage },
  export: { run: exportTrace, usage: exportUsage },
  import: { run: importNotes, usage: importUsage },
  sync: { run: sync, usage: syncUsage },
};

/**
 * Commands that read or write the ledger. Agent hook calls still in the spool (see hook.ts)
 * happened before them, so they are recorded first.
 */
const drainFirst = new Set(['status', 'blame', 'record']);

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    io.out(usage);
    return cmd === undefined ? 2 : 0;
  }
  if (cmd === '--version' || cmd === '-v' || cmd === 'version') {
    io.out(version);
    return 0;
  }
  const command = commands[cmd];
  if (!command) {
    io.err(`git provenance: unknown command "${cmd}"\n\n${usage}`);
    return 2;
  }
  try {
    if (drainFirst.has(cmd) && !rest.includes('--help')) {
      const repo = await findRepo(io.cwd);
      if (repo) await drainSpool(repo, drainWaitMs);
    }
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof InputError) {
      io.err(`git provenance ${cmd}: ${oneLine(e.message)}`);
      return 2;
    }
    if (e instanceof UsageError) {
      io.err(`git provenance ${cmd}: ${e.message}\n\n${command.usage}`);
      return 2;
    }
    if (e instanceof NotARepoError) {
      io.err(`git provenance ${cmd}: ${e.message}`);
      return 2;
    }
    io.err(`git provenance ${cmd}: ${fsErrorMessage(e, io.cwd) ?? (e instanceof Error ? e.message : String(e))}`);
    return 1;
  }
}

/**
 * Commands that end as soon as their work is done, even with a read still pending: a drain
 * gives up on a call whose file hangs (a network disk) after its time limit, and the agent
 * waiting for its hook must not wait for that read too.
 */
const endNow = new Set(['hook', 'hook-drain']);

if (require.main === module) {
  const argv = process.argv.slice(2);
  void main(argv, processIo()).then((code) => {
    if (endNow.has(argv[0] ?? '')) exitWhenWritten(code);
    else process.exitCode = code;
  });
}

/** A message as one line: whatever a name in it held, a line break never splits the message. */
function oneLine(message: string): string {
  return message.replace(/\r?\n|\r|\u2028|\u2029/g, ' ');
}
