/**
 * `git-provenance`: the CLI that git runs as a hook and coding agents run from theirs.
 * Users type `git provenance <verb>`. Kept small: it must start fast.
 */
import { UsageError } from './args';
import type { Io } from './io';
import { record, recordUsage } from './record';
import { NotARepoError } from './repo';
import { status, statusUsage } from './status';

declare const AIP_VERSION: string | undefined;

/** The CLI's version (from package.json at build time). */
export const version = typeof AIP_VERSION === 'string' ? AIP_VERSION : '0.0.0-dev';

const usage = `git provenance ${version} — which lines AI wrote, in git

usage: git provenance <command> [options]

commands:
  record    mark lines of files as written by an AI tool
  status    list uncommitted AI-written lines per file

options:
  --version   print the version
  --help      print this help (or: git provenance <command> --help)

Exit codes: 0 success, 1 failure, 2 usage or repository error.`;

const commands: Record<string, { run: (argv: readonly string[], io: Io) => Promise<number>; usage: string }> = {
  record: { run: record, usage: recordUsage },
  status: { run: status, usage: statusUsage },
};

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
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`git provenance ${cmd}: ${e.message}\n\n${command.usage}`);
      return 2;
    }
    if (e instanceof NotARepoError) {
      io.err(`git provenance ${cmd}: ${e.message}`);
      return 2;
    }
    io.err(`git provenance ${cmd}: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}

/** The process-bound Io. */
export function processIo(): Io {
  return {
    cwd: process.cwd(),
    out: (l) => process.stdout.write(l + '\n'),
    err: (l) => process.stderr.write(l + '\n'),
    now: () => Date.now(),
    stdin: async () => {
      const chunks: Buffer[] = [];
      for await (const c of process.stdin) chunks.push(c as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
  };
}

if (require.main === module) {
  void main(process.argv.slice(2), processIo()).then((code) => {
    process.exitCode = code;
  });
}
