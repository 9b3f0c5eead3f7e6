/**
 * How long an agent hook reads its payload: the limit is on silence, not on the whole read.
 * On a loaded machine an agent (or the test above it) may take longer than the limit to write a
 * large payload while writing all along; that payload must still be read and recorded. A writer
 * that falls silent without closing stdin must not hold the hook: it ends after the limit with
 * one line saying nothing was recorded.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { cliPath, fixedEnv, TempRepo } from '../helpers/tempRepo';

/** Runs the Claude Code hook, writing `parts` of its stdin `gapMs` apart; closes stdin after the last unless `stall`. */
function slowHook(cwd: string, parts: readonly string[], gapMs: number, stall: boolean): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, 'hook', 'claude-code'], { cwd, env: { ...process.env, ...fixedEnv }, stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdin.on('error', () => undefined); // the hook may stop reading a stalled writer
    let i = 0;
    const next = (): void => {
      if (i < parts.length) {
        child.stdin.write(parts[i++]!);
        setTimeout(next, gapMs);
      } else if (!stall) child.stdin.end();
    };
    next();
    child.on('error', reject);
    child.on('close', (code) => {
      child.stdin.destroy();
      resolve({ code, stderr });
    });
  });
}

describe('an agent hook reading a slow payload (integration)', function () {
  this.timeout(240_000);
  let repo: TempRepo;
  afterEach(() => repo?.dispose());

  function payload(cwd: string, rel: string, text: string): string {
    const file = path.join(cwd, rel);
    return JSON.stringify({ session_id: 's-slow', cwd, hook_event_name: 'PostToolUse', tool_name: 'Write', tool_input: { file_path: file, content: text }, tool_response: { type: 'create', filePath: file, content: text }, tool_use_id: 'toolu_slow' });
  }

  it('records a payload written in pieces over longer than the silence limit (5 s)', async () => {
    repo = TempRepo.create();
    repo.write('src/slow.ts', 'a\nb\n');
    const text = payload(repo.root, 'src/slow.ts', 'a\nb\n');
    const pieces = Array.from({ length: 8 }, (_, k) => text.slice(Math.floor((k * text.length) / 8), Math.floor(((k + 1) * text.length) / 8)));
    const r = await slowHook(repo.root, pieces, 1_000, false);
    assert.equal(r.code, 0, r.stderr);
    const blame = JSON.parse((await repo.cli(['blame', '--json', '--', 'src/slow.ts'])).stdout) as Array<{ kind: string }>;
    assert.deepEqual(blame.map((l) => l.kind), ['ai', 'ai']);
  });

  it('ends after the silence limit when the writer stalls without closing stdin, recording nothing', async () => {
    repo = TempRepo.create();
    repo.write('src/stall.ts', 'a\n');
    const text = payload(repo.root, 'src/stall.ts', 'a\n');
    const r = await slowHook(repo.root, [text.slice(0, 20)], 0, true);
    assert.equal(r.code, 0, 'an agent hook never fails the agent');
    assert.match(r.stderr, /nothing recorded/);
    const blame = JSON.parse((await repo.cli(['blame', '--json', '--', 'src/stall.ts'])).stdout) as Array<{ kind: string }>;
    assert.ok(blame.every((l) => l.kind !== 'ai'), JSON.stringify(blame));
  });
});
