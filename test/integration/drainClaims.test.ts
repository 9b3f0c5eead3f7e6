/**
 * The drain of the agent hook spool (#16): it holds `spool.lock` only to claim calls and reads
 * what they name without it, so a drain stuck on a slow file stalls neither the hooks nor the
 * next drain; and a call that runs out of its time limit is kept (tried again, then set aside),
 * never dropped. Real git, the built CLI and the shell front, a real process stopped with
 * SIGSTOP to stand for a drain stuck in a read.
 */
import * as assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ProcessRun } from '../helpers/tempRepo';
import { agentHookFront, cliPath, fixedEnv, runProcess, TempRepo } from '../helpers/tempRepo';

describe('agent hook drain: claims, time limit, nothing dropped (integration)', function () {
  this.timeout(240_000);
  let repo: TempRepo;
  let ledgerDir: string;
  let spool: string;
  let lock: string;
  let stopped: ChildProcess | undefined;

  beforeEach(() => {
    repo = TempRepo.create();
    repo.write('README.md', 'start\n');
    repo.git('add', '.');
    repo.git('commit', '-q', '-m', 'start');
    ledgerDir = path.join(repo.root, '.git', 'ai-provenance');
    spool = path.join(ledgerDir, 'spool');
    lock = path.join(ledgerDir, 'spool.lock');
  });
  afterEach(() => {
    // A drain this test stopped is let go and ended, by its pid.
    if (stopped && stopped.exitCode === null && !stopped.killed) {
      stopped.kill('SIGCONT');
      stopped.kill('SIGKILL');
    }
    stopped = undefined;
    repo.dispose();
  });

  const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({ ...process.env, ...fixedEnv, ...extra });
  const payload = (file: string, content: string): string => {
    const abs = path.join(repo.root, file);
    return JSON.stringify({ session_id: `s-${file}`, cwd: repo.root, hook_event_name: 'PostToolUse', tool_name: 'Write', tool_use_id: file, model: 'm', tool_input: { file_path: abs, content }, tool_response: { filePath: abs } });
  };
  /** Spools `n` calls through the shell front while this test holds the drain lock. */
  const spoolCalls = async (n: number, prefix: string): Promise<string[]> => {
    fs.mkdirSync(ledgerDir, { recursive: true });
    fs.writeFileSync(lock, `${process.pid} ${Date.now()}\n`);
    const files: string[] = [];
    for (let i = 0; i < n; i++) {
      const file = `src/${prefix}${i}.ts`;
      repo.write(file, `export const ${prefix}${i} = ${i};\n`);
      const r = await runProcess('sh', [agentHookFront, 'hook', 'claude-code', process.execPath], { cwd: repo.root, env: env(), input: payload(file, `export const ${prefix}${i} = ${i};\n`) });
      assert.equal(r.code, 0, r.stderr);
      files.push(file);
    }
    fs.rmSync(lock, { force: true });
    return files;
  };
  const spoolNames = (re: RegExp): string[] => (fs.existsSync(spool) ? fs.readdirSync(spool).filter((n) => re.test(n)) : []);
  const ledgerFiles = (): string[] => (fs.existsSync(repo.ledgerFile) ? Object.keys((JSON.parse(fs.readFileSync(repo.ledgerFile, 'utf8')) as { files: object }).files).sort() : []);
  const drain = (args: string[], extra: Record<string, string> = {}): Promise<ProcessRun> => runProcess(process.execPath, [cliPath, 'hook-drain', ...args], { cwd: repo.root, env: env(extra) });
  const waitFor = async (what: string, check: () => boolean, ms = 60_000): Promise<void> => {
    const deadline = Date.now() + ms;
    while (!check()) {
      assert.ok(Date.now() < deadline, `timed out waiting: ${what}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  };

  it('a call that runs out of its time limit stays in the spool, is set aside after three tries, and is recorded when put back', async () => {
    const files = await spoolCalls(3, 'slow');
    for (let attempt = 1; attempt <= 3; attempt++) {
      const r = await drain([], { AIP_DRAIN_ITEM_LIMIT_MS: '0' });
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(ledgerFiles(), [], `attempt ${attempt}: nothing recorded`);
      const waiting = spoolNames(/^\d+-\d+\.json$/).length;
      const held = spoolNames(/^\d+-\d+\.held$/).length;
      assert.deepEqual([waiting, held], attempt < 3 ? [3, 0] : [0, 3], `attempt ${attempt}: every call kept (waiting, held)`);
    }
    const log = fs.readFileSync(path.join(ledgerDir, 'hooks.log'), 'utf8');
    assert.match(log, /took longer than 0 ms; left in the spool for a later drain/);
    assert.match(log, /kept aside as spool\/\d+-\d+\.held/);
    // Kept aside, a call is not tried on its own again; nor is it lost.
    assert.equal((await drain([])).code, 0);
    assert.deepEqual(ledgerFiles(), []);
    assert.equal((await drain(['--retry-held'])).code, 0);
    assert.deepEqual(ledgerFiles(), files.sort());
    assert.deepEqual(spoolNames(/\.(json|held|tries)$/), []);
  });

  it('holds the spool lock only to claim: a drain stopped while recording stalls neither the next hook nor its own calls', async () => {
    const files = await spoolCalls(60, 'many');
    const child = spawn(process.execPath, [cliPath, 'hook-drain'], { cwd: repo.root, env: env(), stdio: 'ignore' });
    stopped = child;
    const claim = new RegExp(`^\\d+-\\d+\\.claim-${child.pid}$`);
    // Caught between claiming and finishing: its calls claimed, the lock let go.
    for (;;) {
      await waitFor('the drain has claimed calls and let go of the lock', () => spoolNames(claim).length > 0 && !fs.existsSync(lock));
      child.kill('SIGSTOP');
      if (spoolNames(claim).length > 0 && !fs.existsSync(lock)) break;
      child.kill('SIGCONT');
    }
    const claimed = spoolNames(claim).length;
    // A new agent call: spooled, claimed and recorded by its own hook while the first drain is stuck.
    repo.write('src/late.ts', 'export const late = 1;\n');
    const r = await runProcess(process.execPath, [cliPath, 'hook', 'claude-code'], { cwd: repo.root, env: env(), input: payload('src/late.ts', 'export const late = 1;\n') });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(ledgerFiles().includes('src/late.ts'), 'the late call was recorded while the first drain was stopped');
    assert.equal(spoolNames(claim).length, claimed, 'the stopped drain\'s calls were left to it');
    child.kill('SIGCONT');
    await waitFor('the first drain finished', () => child.exitCode !== null);
    stopped = undefined;
    // A call whose read the stop interrupted ran out of its time limit (wall time went on): it
    // went back to the spool, and the next drain records it.
    assert.equal((await drain(['--wait'])).code, 0);
    assert.deepEqual(ledgerFiles(), [...files, 'src/late.ts'].sort(), 'every call recorded');
    assert.deepEqual(spoolNames(/\.(json|claim-\d+)$/), []);
  });
});
