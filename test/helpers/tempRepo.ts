/**
 * Deterministic temporary git repositories for integration tests (house style: fixed user
 * and dates, no signing, no auto-gc), and a runner for the built CLI exactly as git or an
 * agent runs it.
 */
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Absolute path of the built CLI bundle. */
export const cliPath = path.resolve(__dirname, '..', '..', '..', 'dist', 'cli.js');

/** Absolute path of the agent hook's shell front, built beside the CLI. */
export const agentHookFront = path.join(path.dirname(cliPath), 'agent-hook.sh');

/** What a finished process printed, and its exit code. */
export interface ProcessRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `program` as git or an agent would: `input` on stdin, stdout and stderr collected. A
 * process that exits without reading its stdin is not an error here (EPIPE is ignored).
 */
export function runProcess(program: string, args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv; input?: string }): Promise<ProcessRun> {
  // Encoded before the process starts, as an agent has its payload ready: encoded after spawn,
  // a 100 MB payload can still be in the making when the hook's 5 s stdin silence limit ends
  // (badInput's 50 MB row got "no payload on stdin" with the suite in parallel at load 11-14).
  const input = Buffer.from(options.input ?? '');
  return new Promise((resolve) => {
    const child = spawn(program, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdin.on('error', () => undefined);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.end(input);
  });
}

/** Fixed identity and dates for git in tests, and no system configuration. */
export const fixedEnv = {
  GIT_AUTHOR_NAME: 'Test User',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test User',
  GIT_COMMITTER_EMAIL: 'test@example.com',
  GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z',
  GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z',
  GIT_CONFIG_NOSYSTEM: '1',
};

/** Each new repository's own settings: the test identity, no signing, no auto-gc. */
const repoConfig = '[user]\n\tname = Test User\n\temail = test@example.com\n[commit]\n\tgpgsign = false\n[tag]\n\tgpgsign = false\n[gc]\n\tauto = 0\n';

/** A temporary repository; call `dispose()` in teardown. */
export class TempRepo {
  readonly root: string;

  private constructor(root: string) {
    this.root = root;
  }

  /** Creates an empty repository on branch main. */
  static create(): TempRepo {
    const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'aip-repo-')));
    const repo = new TempRepo(root);
    repo.git('init', '-q', '-b', 'main');
    // What `git config <key> <value>` would write for each, in one write instead of five git
    // processes: most integration tests start with a new repository, and on two busy cores
    // the five took longer than the init.
    fs.appendFileSync(path.join(root, '.git', 'config'), repoConfig);
    return repo;
  }

  /** Runs git; a failure throws with the argv and stderr. */
  git(...args: string[]): string {
    try {
      return execFileSync('git', args, { cwd: this.root, env: { ...process.env, ...fixedEnv }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      const err = e as { stderr?: string };
      throw new Error(`git ${args.join(' ')} failed in ${this.root}: ${err.stderr ?? String(e)}`, { cause: e });
    }
  }

  /** Writes a file (creating folders). */
  write(rel: string, text: string): void {
    const abs = path.join(this.root, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, text);
  }

  /** Reads a file. */
  read(rel: string): string {
    return fs.readFileSync(path.join(this.root, rel), 'utf8');
  }

  /** Path of the ledger file. */
  get ledgerFile(): string {
    return path.join(this.root, '.git', 'ai-provenance', 'ledger.json');
  }

  /** Runs the built CLI with node, as git and agents do. */
  cli(args: readonly string[], options: { cwd?: string; input?: string } = {}): Promise<ProcessRun> {
    return runProcess(process.execPath, [cliPath, ...args], { cwd: options.cwd ?? this.root, env: { ...process.env, ...fixedEnv }, ...(options.input !== undefined ? { input: options.input } : {}) });
  }

  /** Runs `git provenance record …` and fails the test if it does not succeed. */
  async record(...args: string[]): Promise<void> {
    const r = await this.cli(['record', ...args]);
    if (r.code !== 0) throw new Error(`git provenance record ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  }

  /** Removes the repository. */
  dispose(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}
