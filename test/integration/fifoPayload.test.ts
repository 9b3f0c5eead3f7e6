/**
 * Files an agent hook reads because a payload or the repository names them (Claude Code's
 * transcript, the agent's settings) may be FIFOs: opening one for reading waits for a writer
 * forever. Through the Node hook and through the shell front (which spools, and whose drain
 * holds the spool lock), a call whose transcript_path and project settings are FIFOs returns
 * promptly, records the edit, and later calls still record. No sleeps: the test waits for
 * conditions, and mocha's timeout catches a hang.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { agentHookFront, cliPath, runProcess, TempRepo } from '../helpers/tempRepo';

interface StatusJson {
  files: Array<{ path: string; ranges: Array<{ startLine: number; endLine: number; tool: string; model?: string }> }>;
}

describe('agent hooks and FIFOs (integration)', function () {
  this.timeout(240_000);
  let repo: TempRepo;
  let fifo: string;
  let transcript: string;

  beforeEach(() => {
    repo = TempRepo.create();
    repo.write('src/a.ts', 'one\ntwo\nthree\n');
    repo.git('add', '.');
    repo.git('commit', '-q', '-m', 'start');
    // Inside the git dir: within the repository (so the transcript may be read) and never seen by git status.
    fifo = path.join(repo.root, '.git', 'transcript.fifo');
    execFileSync('mkfifo', [fifo]);
    fs.mkdirSync(path.join(repo.root, '.claude'));
    execFileSync('mkfifo', [path.join(repo.root, '.claude', 'settings.local.json')]);
    transcript = path.join(repo.root, '.git', 'transcript.jsonl');
    fs.writeFileSync(transcript, JSON.stringify({ type: 'assistant', message: { role: 'assistant', model: 'claude-opus-4-1', content: [] } }) + '\n');
  });
  afterEach(() => repo.dispose());

  /** A Claude Code Write payload without a model, so the hook looks for it in the transcript and settings. */
  const write = (id: string, phase: 'PreToolUse' | 'PostToolUse', content: string, transcriptPath: string): string =>
    JSON.stringify({
      session_id: 'fifo-s1',
      transcript_path: transcriptPath,
      cwd: repo.root,
      hook_event_name: phase,
      tool_name: 'Write',
      tool_use_id: id,
      tool_input: { file_path: path.join(repo.root, 'src/a.ts'), content },
      ...(phase === 'PostToolUse' ? { tool_response: { filePath: path.join(repo.root, 'src/a.ts') } } : {}),
    });
  /** One Write through `program args`, as Claude Code runs its hook. */
  const agentWrite = async (program: string, args: string[], id: string, content: string, transcriptPath: string): Promise<void> => {
    for (const phase of ['PreToolUse', 'PostToolUse'] as const) {
      if (phase === 'PostToolUse') repo.write('src/a.ts', content);
      const r = await runProcess(program, args, { cwd: repo.root, input: write(id, phase, content, transcriptPath) });
      assert.equal(r.code, 0, r.stderr);
    }
  };
  const status = async (): Promise<StatusJson['files'][number]['ranges']> => {
    const r = await repo.cli(['status', '--json']);
    assert.equal(r.code, 0, r.stderr);
    return (JSON.parse(r.stdout) as StatusJson).files.find((f) => f.path === 'src/a.ts')?.ranges ?? [];
  };
  const lines = (ranges: StatusJson['files'][number]['ranges']): number[] => ranges.flatMap((r) => Array.from({ length: r.endLine - r.startLine + 1 }, (_, i) => r.startLine + i));

  it('the Node hook returns, records the edit, and records the next one', async () => {
    const node = [cliPath, 'hook', 'claude-code'];
    await agentWrite(process.execPath, node, 'w1', 'one\nTWO\nthree\n', fifo);
    assert.deepEqual(lines(await status()), [2]);
    await agentWrite(process.execPath, node, 'w2', 'one\nTWO\nTHREE\n', transcript);
    const ranges = await status();
    assert.deepEqual(lines(ranges), [2, 3]);
    assert.ok(ranges.some((r) => r.model === 'claude-opus-4-1'), JSON.stringify(ranges));
  });

  it('the shell front returns, its drain records the edit and releases the spool lock, and later calls record', async () => {
    const front = ['sh', [agentHookFront, 'hook', 'claude-code', process.execPath]] as const;
    await agentWrite(front[0], [...front[1]], 'w1', 'one\nTWO\nthree\n', fifo);
    // status drains what is spooled, after any drain still running: it returns only when the
    // drain that read the FIFO's payload let go of the spool lock.
    assert.deepEqual(lines(await status()), [2]);
    assert.equal(fs.existsSync(path.join(repo.root, '.git', 'ai-provenance', 'spool.lock')), false, 'the spool lock is released');
    await agentWrite(front[0], [...front[1]], 'w2', 'one\nTWO\nTHREE\n', fifo);
    assert.deepEqual(lines(await status()), [2, 3]);
  });
});
