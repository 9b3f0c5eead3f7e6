/**
 * Recording never drops evidence (#16): many agent hook calls at once, through the built CLI as
 * agents run it, on this small machine with its cores kept busy by a CPU hog the test starts and
 * ends; a writer that holds the ledger for longer than any hook may wait; and writers of every
 * kind (agent hooks through Node and through the shell front, `record`, a commit) at random
 * moments. Every call that returned success must end up in the ledger or in a commit's note.
 */
import * as assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gitRun, noteOf, noteRanges, repoWithoutSampleHooks } from '../helpers/gitHooks';
import { prng } from '../helpers/prng';
import type { ProcessRun , TempRepo } from '../helpers/tempRepo';
import { agentHookFront, cliPath, fixedEnv, runProcess } from '../helpers/tempRepo';

interface StatusJson {
  files: Array<{ path: string; ranges: Array<{ startLine: number; endLine: number }> }>;
}

/** Busy-loop children, one per core, so that the hooks compete for CPU as on a loaded laptop. */
function startHogs(n = 2): ChildProcess[] {
  return Array.from({ length: n }, () => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
}

function stopHogs(hogs: readonly ChildProcess[]): void {
  // By its own pid, once: ChildProcess.kill remembers that it was sent.
  for (const h of hogs) if (!h.killed && h.exitCode === null) h.kill('SIGKILL');
}

/** Claude Code's PostToolUse payload for an Edit of `file` that replaced `oldS` by `newS`. */
function editPayload(root: string, id: string, file: string, oldS: string, newS: string): string {
  const abs = path.join(root, file);
  return JSON.stringify({
    session_id: `s-${id}`,
    cwd: root,
    hook_event_name: 'PostToolUse',
    tool_name: 'Edit',
    model: 'claude-sonnet-4-5',
    tool_use_id: id,
    tool_input: { file_path: abs, old_string: oldS, new_string: newS },
    tool_response: { filePath: abs },
  });
}

/** Claude Code's payload for a Write of `file` (PostToolUse unless `pre`). */
function writePayload(root: string, id: string, file: string, content: string, pre = false): string {
  const abs = path.join(root, file);
  return JSON.stringify({
    session_id: `s-${id}`,
    cwd: root,
    hook_event_name: pre ? 'PreToolUse' : 'PostToolUse',
    tool_name: 'Write',
    model: 'claude-sonnet-4-5',
    tool_use_id: id,
    tool_input: { file_path: abs, content },
    ...(pre ? {} : { tool_response: { filePath: abs } }),
  });
}

describe('recording under concurrency never drops evidence (integration)', function () {
  // Fifty node processes on two busy cores take a while; the waits inside are all conditions.
  this.timeout(240_000);
  let repo: TempRepo;
  let hogs: ChildProcess[] = [];

  beforeEach(() => {
    repo = repoWithoutSampleHooks();
    repo.write('README.md', 'start\n');
    repo.git('add', '.');
    repo.git('commit', '-q', '-m', 'start');
  });
  afterEach(() => {
    stopHogs(hogs);
    hogs = [];
    repo.dispose();
  });

  const nodeHook = (payload: string): Promise<ProcessRun> =>
    runProcess(process.execPath, [cliPath, 'hook', 'claude-code'], { cwd: repo.root, env: { ...process.env, ...fixedEnv }, input: payload });
  const frontHook = (payload: string): Promise<ProcessRun> =>
    runProcess('sh', [agentHookFront, 'hook', 'claude-code', process.execPath], { cwd: repo.root, env: { ...process.env, ...fixedEnv }, input: payload });

  /** The AI lines of every ledger file, after the commands' own drain of the spool. */
  const ledgerLines = async (): Promise<Map<string, number[]>> => {
    const r = await repo.cli(['status', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const out = new Map<string, number[]>();
    for (const f of (JSON.parse(r.stdout) as StatusJson).files) {
      const lines: number[] = [];
      for (const range of f.ranges) for (let l = range.startLine; l <= range.endLine; l++) lines.push(l);
      out.set(f.path, lines);
    }
    return out;
  };

  it('50 agent hook calls at once on 50 files, under a CPU hog: all 50 are recorded', async () => {
    const files = Array.from({ length: 50 }, (_, i) => `src/f${i}.ts`);
    files.forEach((f, i) => repo.write(f, `export const v${i} = ${i};\n`));
    hogs = startHogs();
    const runs = await Promise.all(files.map((f, i) => nodeHook(writePayload(repo.root, `w${i}`, f, `export const v${i} = ${i};\n`))));
    stopHogs(hogs);
    runs.forEach((r, i) => assert.equal(r.code, 0, `call ${i}: ${r.stderr}`));
    const lines = await ledgerLines();
    const missing = files.filter((f) => (lines.get(f) ?? []).join() !== '1');
    assert.deepEqual(missing, [], `calls lost: ${missing.join(', ')}\nstderr: ${runs.map((r) => r.stderr).join('')}`);
  });

  it('50 agent hook calls at once on one file, under a CPU hog: every call\'s line is recorded', async () => {
    const n = 50;
    // Each agent replaced its own line; the file holds all fifty edits when the hooks run.
    repo.write('src/one.ts', Array.from({ length: n }, (_, i) => `const agent${i} = 'edited';\n`).join(''));
    hogs = startHogs();
    const runs = await Promise.all(Array.from({ length: n }, (_, i) => nodeHook(editPayload(repo.root, `e${i}`, 'src/one.ts', `const base${i} = 0;`, `const agent${i} = 'edited';`))));
    stopHogs(hogs);
    runs.forEach((r, i) => assert.equal(r.code, 0, `call ${i}: ${r.stderr}`));
    assert.deepEqual((await ledgerLines()).get('src/one.ts'), Array.from({ length: n }, (_, i) => i + 1), runs.map((r) => r.stderr).join(''));
  });

  it('a writer holding the ledger past every wait: the calls stay in the spool and are recorded once it lets go', async () => {
    // Another live process holds the ledger lock and keeps it fresh: no call can record now.
    const ledgerDir = path.join(repo.root, '.git', 'ai-provenance');
    fs.mkdirSync(ledgerDir, { recursive: true });
    const lock = path.join(ledgerDir, 'ledger.lock');
    fs.writeFileSync(lock, `${process.pid} ${Date.now()}\n`);
    const keepFresh = setInterval(() => {
      const now = new Date();
      if (fs.existsSync(lock)) fs.utimesSync(lock, now, now);
    }, 500);
    try {
      const files = Array.from({ length: 5 }, (_, i) => `src/held${i}.ts`);
      files.forEach((f, i) => repo.write(f, `export const h${i} = ${i};\n`));
      const runs = await Promise.all(files.map((f, i) => nodeHook(writePayload(repo.root, `h${i}`, f, `export const h${i} = ${i};\n`))));
      runs.forEach((r, i) => assert.equal(r.code, 0, `call ${i}: ${r.stderr}`));
      // Nothing could be written: the evidence waits in the spool.
      const spool = path.join(ledgerDir, 'spool');
      assert.ok(fs.existsSync(spool) && fs.readdirSync(spool).filter((n) => /^\d+-\d+\.(json|claim-\d+)$/.test(n)).length === 5, `the spool holds the five calls: ${fs.existsSync(spool) ? fs.readdirSync(spool).join(' ') : '(none)'}`);
    } finally {
      clearInterval(keepFresh);
      fs.rmSync(lock, { force: true });
    }
    const r = await repo.cli(['hook-drain', '--wait']);
    assert.equal(r.code, 0, r.stderr);
    const status = await repo.cli(['status', '--json']);
    const files = (JSON.parse(status.stdout) as { files: Array<{ path: string; ranges: Array<{ tool: string }> }> }).files;
    for (let i = 0; i < 5; i++) {
      const f = files.find((x) => x.path === `src/held${i}.ts`);
      assert.equal(f?.ranges[0]?.tool, 'Claude Code', `src/held${i}.ts was recorded from the spool: ${status.stdout}`);
    }
  });

  it('random writers on one repository (agent hooks, record, a commit): every success is in the ledger or a note, and the ledger parses', async () => {
    const seed = Number(process.env.AIP_TEST_SEED ?? Date.now() % 1_000_000);
    const rand = prng(seed);
    const install = await repo.cli(['install']);
    assert.equal(install.code, 0, install.stderr);
    interface Call {
      readonly kind: 'node' | 'front' | 'record';
      readonly file: string;
      ok?: boolean;
    }
    const calls: Call[] = Array.from({ length: 24 }, (_, i) => ({ kind: (['node', 'front', 'record'] as const)[Math.floor(rand() * 3)]!, file: `src/r${i}.ts` }));
    const commitAt = Math.floor(rand() * calls.length);
    hogs = startHogs(1);
    let committed: string[] = [];
    await Promise.all([
      ...calls.map(async (c, i) => {
        // At a random moment within about two seconds.
        await new Promise((res) => setTimeout(res, Math.floor(rand() * 2000)));
        const text = `export const r${i} = ${i};\n`;
        if (c.kind === 'record') {
          repo.write(c.file, text);
          c.ok = (await repo.cli(['record', '--tool', 'claude-code', `${c.file}:1-1`])).code === 0;
          return;
        }
        // As an agent runs it: the pre-tool hook, the tool writing the file, the post-tool hook.
        const hook = c.kind === 'node' ? nodeHook : frontHook;
        const pre = await hook(writePayload(repo.root, `r${i}`, c.file, text, true));
        repo.write(c.file, text);
        const post = await hook(writePayload(repo.root, `r${i}`, c.file, text));
        c.ok = pre.code === 0 && post.code === 0;
      }),
      (async () => {
        await new Promise((res) => setTimeout(res, Math.floor((commitAt / calls.length) * 2000)));
        // Whatever is there at that moment goes into one commit, its hooks running meanwhile.
        gitRun(repo.root, ['add', 'src']);
        const c = gitRun(repo.root, ['commit', '-q', '-m', 'midway']);
        if (c.code === 0) committed = gitRun(repo.root, ['show', '--name-only', '--format=', 'HEAD']).stdout.split('\n').filter((l) => l.startsWith('src/'));
      })(),
    ]);
    stopHogs(hogs);
    const where = `(seed ${seed}: rerun with AIP_TEST_SEED=${seed})`;
    const lines = await ledgerLines();
    const ledgerText = fs.readFileSync(repo.ledgerFile, 'utf8');
    assert.doesNotThrow(() => JSON.parse(ledgerText), `the ledger parses ${where}`);
    const note = committed.length > 0 ? noteOf(repo.root) : undefined;
    const lost = calls.filter((c) => c.ok && (lines.get(c.file) ?? []).join() !== '1' && noteRanges(note, c.file).length === 0);
    assert.deepEqual(
      lost.map((c) => `${c.kind} ${c.file}`),
      [],
      `successful calls found neither in the ledger nor in the note ${where}`,
    );
    assert.ok(calls.some((c) => c.ok), `some calls succeeded ${where}`);
  });
});
