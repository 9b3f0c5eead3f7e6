/**
 * The agent hook's shell front (dist/agent-hook.sh) with real git, real files and the built
 * CLI: what it keeps at hook time, the background drain it starts, the order in which spooled
 * calls are recorded, and when it hands a call to Node at once instead.
 *
 * To see what the front kept before any drain ran, a test holds the drain lock itself (a
 * lock file naming this live process): the front then starts no drain and calls wait.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ProcessRun } from '../helpers/tempRepo';
import { agentHookFront, cliPath, runProcess, TempRepo } from '../helpers/tempRepo';

const front = agentHookFront;
type Run = ProcessRun;

function run(program: string, args: readonly string[], cwd: string, input: string): Promise<Run> {
  return runProcess(program, args, { cwd, input });
}

interface StatusJson {
  files: Array<{ path: string; ranges: Array<{ startLine: number; endLine: number; kind: string; tool: string }> }>;
}

describe('agent hook shell front and spool (integration)', function () {
  this.timeout(240_000);
  let repo: TempRepo;
  let ledgerDir: string;
  let spool: string;
  let lock: string;

  beforeEach(() => {
    repo = TempRepo.create();
    repo.write('src/a.ts', 'one\ntwo\nthree\n');
    repo.git('add', '.');
    repo.git('commit', '-q', '-m', 'start');
    ledgerDir = path.join(repo.root, '.git', 'ai-provenance');
    spool = path.join(ledgerDir, 'spool');
    lock = path.join(ledgerDir, 'spool.lock');
  });
  afterEach(() => repo.dispose());

  const hook = async (agent: string, payload: unknown, cwd = repo.root): Promise<Run> => {
    const r = await run('sh', [front, 'hook', agent, process.execPath], cwd, typeof payload === 'string' ? payload : JSON.stringify(payload));
    assert.equal(r.code, 0, r.stderr);
    return r;
  };
  const holdDrains = (): void => {
    fs.mkdirSync(ledgerDir, { recursive: true });
    fs.writeFileSync(lock, `${process.pid} ${Date.now()}\n`);
  };
  const releaseDrains = (): void => fs.rmSync(lock, { force: true });
  const spooled = (): string[] => (fs.existsSync(spool) ? fs.readdirSync(spool).filter((n) => n.endsWith('.json')).sort() : []);
  const aiLines = async (file = 'src/a.ts'): Promise<number[]> => {
    const r = await run(process.execPath, [cliPath, 'status', '--json'], repo.root, '');
    assert.equal(r.code, 0, r.stderr);
    const entry = (JSON.parse(r.stdout) as StatusJson).files.find((f) => f.path === file);
    const out: number[] = [];
    for (const range of entry?.ranges ?? []) for (let l = range.startLine; l <= range.endLine; l++) out.push(l);
    return out;
  };
  const edit = (id: string, phase: 'PreToolUse' | 'PostToolUse', oldS: string, newS: string, file = 'src/a.ts'): object => ({
    session_id: 'spool-s1',
    cwd: repo.root,
    hook_event_name: phase,
    tool_name: 'Edit',
    model: 'claude-sonnet-4-5',
    tool_use_id: id,
    tool_input: { file_path: path.join(repo.root, file), old_string: oldS, new_string: newS },
    ...(phase === 'PostToolUse' ? { tool_response: { filePath: path.join(repo.root, file) } } : {}),
  });
  const write = (id: string, phase: 'PreToolUse' | 'PostToolUse', content: string, file = 'src/a.ts'): object => ({
    session_id: 'spool-s1',
    cwd: repo.root,
    hook_event_name: phase,
    tool_name: 'Write',
    model: 'claude-sonnet-4-5',
    tool_use_id: id,
    tool_input: { file_path: path.join(repo.root, file), content },
    ...(phase === 'PostToolUse' ? { tool_response: { filePath: path.join(repo.root, file) } } : {}),
  });

  it('starts a drain of its own: the call is recorded with no other command run', async () => {
    await hook('claude-code', write('w1', 'PreToolUse', 'one\nTWO\nthree\n'));
    repo.write('src/a.ts', 'one\nTWO\nthree\n');
    const r = await hook('claude-code', write('w1', 'PostToolUse', 'one\nTWO\nthree\n'));
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, '');
    const ledger = path.join(ledgerDir, 'ledger.json');
    const deadline = Date.now() + 15_000;
    while (!(fs.existsSync(ledger) && fs.readFileSync(ledger, 'utf8').includes('src/a.ts') && spooled().length === 0)) {
      assert.ok(Date.now() < deadline, `the background drain did not record the call; spool: ${spooled().join(', ')}`);
      await new Promise((res) => setTimeout(res, 50));
    }
    assert.deepEqual(await aiLines(), [2]);
  });

  it('keeps the file as it was at hook time: a person\'s edit before the drain runs stays theirs', async () => {
    holdDrains();
    const agentText = 'one\nconst total = price * quantity;\nthree\n';
    await hook('claude-code', write('w1', 'PreToolUse', agentText));
    repo.write('src/a.ts', agentText);
    await hook('claude-code', write('w1', 'PostToolUse', agentText));
    assert.equal(spooled().length, 2, 'both calls wait in the spool');
    // A person adds lines above and below, before anything is recorded. Read from disk now,
    // the whole-file Write would take them for the agent's.
    repo.write('src/a.ts', `// mine\n${agentText}// mine too\n`);
    releaseDrains();
    assert.deepEqual(await aiLines(), [3], 'only the agent\'s line, where it is now');
    assert.deepEqual(spooled(), []);
  });

  it('records twenty spooled calls in the order they came, against the copies taken then', async () => {
    holdDrains();
    let text = repo.read('src/a.ts');
    for (let i = 0; i < 20; i++) {
      const next = `${text}line ${i}\n`;
      await hook('claude-code', edit(`e${i}`, 'PreToolUse', text, next));
      repo.write('src/a.ts', next);
      await hook('claude-code', edit(`e${i}`, 'PostToolUse', text, next));
      text = next;
    }
    assert.equal(spooled().length, 40);
    releaseDrains();
    assert.deepEqual(await aiLines(), Array.from({ length: 20 }, (_, i) => i + 4));
    assert.ok(!fs.existsSync(path.join(ledgerDir, 'hooks.log')), 'nothing went wrong');
  });

  it('many agents at once: every call is recorded, one drain at a time', async () => {
    for (let f = 0; f < 8; f++) repo.write(`src/f${f}.ts`, 'a\nb\n');
    repo.git('add', '.');
    repo.git('commit', '-q', '-m', 'files');
    await Promise.all(
      Array.from({ length: 8 }, async (_, f) => {
        const file = `src/f${f}.ts`;
        await hook('claude-code', write(`p${f}`, 'PreToolUse', 'a\nB\n', file));
        repo.write(file, 'a\nB\n');
        await hook('claude-code', write(`p${f}`, 'PostToolUse', 'a\nB\n', file));
      }),
    );
    for (let f = 0; f < 8; f++) assert.deepEqual(await aiLines(`src/f${f}.ts`), [2], `src/f${f}.ts`);
    assert.deepEqual(spooled(), []);
    assert.ok(!fs.existsSync(path.join(ledgerDir, 'hooks.log')), 'nothing went wrong');
  });

  it('a drain removes what a front killed half-way left, once it is an hour old', async () => {
    fs.mkdirSync(spool, { recursive: true });
    const old = new Date(Date.now() - 2 * 3_600_000);
    for (const n of ['1-1.tmp', '1-1.0', '2-2.manifest']) {
      fs.writeFileSync(path.join(spool, n), 'left over');
      fs.utimesSync(path.join(spool, n), old, old);
    }
    fs.writeFileSync(path.join(spool, '3-3.tmp'), 'being written now');
    repo.write('src/a.ts', 'one\ntwo\nthree\nfour\n');
    await hook('cursor', { conversation_id: 'c', hook_event_name: 'afterFileEdit', workspace_roots: [repo.root], file_path: path.join(repo.root, 'src/a.ts'), edits: [{ old_string: 'three\n', new_string: 'three\nfour\n' }] });
    assert.deepEqual(await aiLines(), [4]);
    assert.deepEqual(fs.readdirSync(spool), ['3-3.tmp'], 'only what a running front may still be writing stays');
  });

  it('takes over a drain lock left by a process that died', async () => {
    fs.mkdirSync(ledgerDir, { recursive: true });
    // A pid that cannot be alive (above the kernel's limit), and an hour old.
    fs.writeFileSync(lock, '4194305 0\n');
    const old = new Date(Date.now() - 3_600_000);
    fs.utimesSync(lock, old, old);
    repo.write('src/a.ts', 'one\ntwo\nthree\nfour\n');
    await hook('cursor', { conversation_id: 'c', hook_event_name: 'afterFileEdit', workspace_roots: [repo.root], file_path: path.join(repo.root, 'src/a.ts'), edits: [{ old_string: 'three\n', new_string: 'three\nfour\n' }] });
    const deadline = Date.now() + 15_000;
    while (spooled().length > 0) {
      assert.ok(Date.now() < deadline, 'no drain took the stale lock over');
      await new Promise((res) => setTimeout(res, 50));
    }
    assert.deepEqual(await aiLines(), [4]);
  });

  it('a commit right after an agent edit carries it: the git hook records the spool first', async () => {
    const install = await repo.cli(['install']);
    assert.equal(install.code, 0, install.stderr);
    holdDrains();
    const agentText = 'one\ntwo\nthree\nconst fee = amount * rate;\n';
    repo.write('src/a.ts', agentText);
    await hook('cursor', { conversation_id: 'c', model: 'gpt-5', hook_event_name: 'afterFileEdit', workspace_roots: [repo.root], file_path: path.join(repo.root, 'src/a.ts'), edits: [{ old_string: 'three\n', new_string: 'three\nconst fee = amount * rate;\n' }] });
    assert.equal(spooled().length, 1, 'the call waits in the spool, no drain started');
    releaseDrains();
    repo.git('add', 'src/a.ts');
    repo.git('commit', '-q', '-m', 'fee');
    const trailers = repo.git('log', '-1', '--format=%(trailers:only)');
    assert.match(trailers, /^Assisted-by: Cursor:gpt-5$/m);
    assert.match(trailers, /^AI-Lines: 1\/1$/m);
    assert.deepEqual(spooled(), []);
    assert.deepEqual(await aiLines(), [], 'committed: the line left the ledger for the note');
  });

  it('runs Node at once for a pre-tool event whose path it cannot copy exactly', async () => {
    // A quote in the name: JSON escapes it, and the front does not unescape.
    const odd = 'src/say "hi".ts';
    repo.write(odd, 'x\n');
    repo.git('add', '.');
    repo.git('commit', '-q', '-m', 'odd');
    await hook('claude-code', write('q1', 'PreToolUse', 'x\ny\n', odd));
    assert.deepEqual(spooled(), [], 'not spooled: Node took the snapshot before returning');
    const snapshots = path.join(ledgerDir, 'snapshots');
    assert.equal(fs.readdirSync(snapshots).filter((n) => n.endsWith('.json')).length, 1);
    repo.write(odd, 'x\ny\n');
    await hook('claude-code', write('q1', 'PostToolUse', 'x\ny\n', odd));
    assert.deepEqual(await aiLines(odd), [2]);
  });

  it('spools into a linked worktree\'s own git dir and records there', async () => {
    const linked = `${repo.root}-linked`;
    repo.git('worktree', 'add', '-q', linked);
    try {
      fs.writeFileSync(path.join(linked, 'src/a.ts'), 'one\ntwo\nthree\nfour\n');
      await run('sh', [front, 'hook', 'cursor', process.execPath], path.join(linked, 'src'), JSON.stringify({ conversation_id: 'c', hook_event_name: 'afterFileEdit', workspace_roots: [linked], file_path: path.join(linked, 'src/a.ts'), edits: [{ old_string: 'three\n', new_string: 'three\nfour\n' }] }));
      const r = await run(process.execPath, [cliPath, 'status', '--json'], linked, '');
      const ranges = (JSON.parse(r.stdout) as StatusJson).files.find((f) => f.path === 'src/a.ts')?.ranges ?? [];
      assert.deepEqual(ranges.map((x) => [x.startLine, x.endLine, x.tool]), [[4, 4, 'Cursor']]);
      assert.deepEqual(await aiLines(), [], 'the main worktree\'s ledger is not touched');
    } finally {
      repo.git('worktree', 'remove', '--force', linked);
    }
  });

  it('without the CLI beside it, says so on stderr and keeps nothing', async () => {
    const lonely = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'aip-front-')));
    try {
      fs.copyFileSync(front, path.join(lonely, 'agent-hook.sh'));
      const r = await run('sh', [path.join(lonely, 'agent-hook.sh'), 'hook', 'cursor', process.execPath], repo.root, '{}');
      assert.equal(r.code, 0);
      assert.equal(r.stdout, '{}\n');
      assert.match(r.stderr, /git-provenance\.js is missing; nothing recorded/);
      assert.deepEqual(spooled(), []);
    } finally {
      fs.rmSync(lonely, { recursive: true, force: true });
    }
  });

  it('runs Node at once outside a repository (Cursor\'s user hooks run from ~/.cursor)', async () => {
    const elsewhere = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'aip-cursor-home-')));
    try {
      repo.write('src/a.ts', 'one\ntwo\nthree\nfour\n');
      const r = await hook('cursor', { conversation_id: 'c', hook_event_name: 'afterFileEdit', workspace_roots: [repo.root], file_path: path.join(repo.root, 'src/a.ts'), edits: [{ old_string: 'three\n', new_string: 'three\nfour\n' }] }, elsewhere);
      assert.equal(r.stdout, '{}\n', 'Cursor gets its JSON answer');
      assert.deepEqual(spooled(), []);
      assert.deepEqual(await aiLines(), [4]);
    } finally {
      fs.rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('hostile payloads: exit 0, nothing on stdout or stderr, nothing recorded, one log line each, nothing copied from outside', async () => {
    const secret = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'aip-secret-')));
    try {
      fs.writeFileSync(path.join(secret, 'key'), 'SECRET\n');
      // Paths outside the repository or into the git dir, held in the spool to look at it.
      const outside = [
        JSON.stringify({ session_id: 's', hook_event_name: 'PostToolUse', tool_name: 'Write', tool_input: { file_path: path.join(secret, 'key'), content: 'SECRET\n' }, tool_response: {} }),
        JSON.stringify({ session_id: 's', hook_event_name: 'PostToolUse', tool_name: 'Write', tool_input: { file_path: `${repo.root}/../${path.basename(secret)}/key`, content: 'SECRET\n' }, tool_response: {} }),
        JSON.stringify({ session_id: 's', hook_event_name: 'PostToolUse', tool_name: 'Write', tool_input: { file_path: path.join(repo.root, '.git', 'config'), content: 'x' }, tool_response: {} }),
      ];
      holdDrains();
      for (const p of outside) {
        const r = await hook('claude-code', p);
        assert.equal(r.stdout, '');
        assert.equal(r.stderr, '');
      }
      for (const n of fs.readdirSync(spool)) {
        if (/\.\d+$/.test(n)) assert.notEqual(fs.readFileSync(path.join(spool, n), 'utf8'), 'SECRET\n', `${n}: a file outside the repository was copied`);
      }
      releaseDrains();
      // Broken payloads; those that look like pre-tool events without a path go to Node at once.
      const broken = [
        '{"session_id": "s", "tool_input": {"file_path": "',
        'not json at all',
        '',
        JSON.stringify({ session_id: 's', hook_event_name: 'PostToolUse', tool_name: 'Edit', tool_input: { file_path: 42, old_string: [], new_string: null }, tool_response: {} }),
        JSON.stringify({ session_id: 's', hook_event_name: 'PreToolUse', tool_name: 'Edit', tool_input: { file_path: 'relative/../../x', old_string: 'a', new_string: 'b' } }),
      ];
      for (const p of broken) {
        const r = await hook('claude-code', p);
        assert.equal(r.stdout, '');
      }
      const payloads = [...outside, ...broken];
      assert.deepEqual(await aiLines(), []);
      assert.deepEqual(fs.readdirSync(spool), [], 'the spool is empty again');
      const log = fs.readFileSync(path.join(ledgerDir, 'hooks.log'), 'utf8').trim().split('\n');
      assert.equal(log.length, payloads.length, log.join('\n'));
      assert.equal(repo.git('status', '--porcelain'), '', 'no file of the repository changed');
    } finally {
      fs.rmSync(secret, { recursive: true, force: true });
    }
  });
});
