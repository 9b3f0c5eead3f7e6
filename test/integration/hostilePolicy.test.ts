/**
 * A hostile `.ai-provenance.json` must never hang a commit or `check` (issue #16): the policy
 * comes with the repository, so cloning one is enough. Real git, the built CLI installed as
 * hooks; the policy holds the worst patterns we know for a backtracking matcher (stacked `**`,
 * many `*` around literals, runs of classes, brace groups, which are literal here), and an
 * AI-recorded file sits 100 folders deep. With globs compiled to RegExp the commit ran for
 * hours; a hang shows as mocha's timeout, and the processes it left are killed afterwards.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { parsePolicy } from '../../src/core/policy/schema';
import { numbered, trailersOf } from '../helpers/gitHooks';
import type { ProcessRun } from '../helpers/tempRepo';
import { cliPath, fixedEnv, TempRepo } from '../helpers/tempRepo';

/** 100 folders of 20 `a`s: deep, long, and made of what `*a*a…` backtracks over. */
const deepDir = Array.from({ length: 100 }, () => 'a'.repeat(20)).join('/');
const deepFile = `${deepDir}/file.ts`;

const hostile = [
  // Eight stacked `**/` before a segment without a literal (so no index key skips it).
  `${'**/'.repeat(8)}[x]`,
  `**/${'*a'.repeat(12)}*b`,
  `${'[a-z]*'.repeat(30)}!`,
  `**/{a,b}/${'**/'.repeat(6)}{c,d}`,
];

const policy = {
  critical: [
    { paths: hostile, reason: 'hostile patterns that match nothing here', friction: 'block' },
    { paths: ['**/file.ts'], reason: 'deep files', friction: 'warn' },
  ],
};

describe('a hostile policy never hangs a commit or check (integration)', function () {
  this.timeout(240_000);
  let repo: TempRepo;
  /** Processes started here that may still run when a test times out (their groups). */
  const running = new Set<ChildProcess>();

  /** Runs a program in its own process group, so what a timed-out run left can be killed. */
  const run = (program: string, args: readonly string[]): Promise<ProcessRun> =>
    new Promise((resolve) => {
      const child = spawn(program, args, { cwd: repo.root, env: { ...process.env, ...fixedEnv, GIT_EDITOR: 'true' }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
      running.add(child);
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (code) => {
        running.delete(child);
        resolve({ code: code ?? 1, stdout, stderr });
      });
    });

  before(async () => {
    repo = TempRepo.create();
    const r = await repo.cli(['install']);
    assert.equal(r.code, 0, r.stderr);
    repo.write('.ai-provenance.json', JSON.stringify(policy, null, 2) + '\n');
    repo.git('add', '-A');
    repo.git('-c', 'core.hooksPath=/dev/null', 'commit', '-q', '-m', 'hostile policy');
  });
  afterEach(() => {
    for (const child of running) {
      // Only the groups this file started (git and the hooks it ran), never anything else.
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
    }
  });
  after(() => repo.dispose());

  it('the policy is valid: every hostile pattern is accepted, so only matching could hang', () => {
    const parsed = parsePolicy(JSON.stringify(policy));
    assert.deepEqual(parsed.errors, []);
  });

  it('commits an AI-recorded file 100 folders deep, judged by the policy (warn), in time', async () => {
    repo.write(deepFile, numbered('ai', 3));
    await repo.record('--tool', 'Claude Code', '--model', 'claude-sonnet-4-5', `${deepFile}:1-3`);
    repo.git('add', '-A');
    const r = await run('git', ['commit', '-m', 'deep AI file']);
    assert.equal(r.code, 0, r.stderr);
    const trailers = trailersOf(repo.root);
    assert.ok(trailers.includes('AI-Lines: 3/3'), trailers.join('\n'));
    assert.ok(trailers.includes(`AI-Critical: ${deepFile}`), trailers.join('\n'));
  });

  it('git provenance check HEAD~1..HEAD completes on a commit whose message says AI wrote a deep file', async () => {
    // Made without the hooks, so this test stands on its own: check counts every added line of
    // a critical file as AI when the message says AI helped and there is no note.
    const other = `${deepDir}/other/file.ts`;
    repo.write(other, numbered('ai', 2));
    repo.git('add', '-A');
    repo.git('-c', 'core.hooksPath=/dev/null', 'commit', '-q', '-m', 'another deep file', '-m', 'Assisted-by: Claude Code:claude-sonnet-4-5');
    const r = await run(process.execPath, [cliPath, 'check', 'HEAD~1..HEAD', '--format', 'json']);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const result = JSON.parse(r.stdout) as { commits: number; violations: unknown[] };
    assert.equal(result.commits, 1);
    assert.deepEqual(result.violations, []);
  });
});
