/**
 * Agent hook latency: the hook command `git provenance setup` writes (the shell front,
 * `sh dist/agent-hook.sh hook claude-code <node>`) spawned the way an agent spawns it, fed a
 * typical Claude Code Edit as PreToolUse then PostToolUse, N edits in a repository whose
 * ledger already holds a realistic amount of AI ranges. Between edits it waits (untimed) until
 * the background drain has recorded the call, as an agent's next call comes seconds later.
 *
 *   agent_hook_p50_ms / _p99_ms       what the agent waits for, per call (pre and post)
 *   agent_hook_settle_p50_ms / _p99   from the post call until the ledger has the lines
 *   agent_hook_node_p50_ms / _p99     the same post call through `node dist/cli.js hook`
 *                                     (what `setup --command` writes), for comparison
 *   node_startup_p50_ms / _p99        `node -e 0` spawned the same way, same stdin
 *
 * Prints JSON lines (scripts/bench.mjs); never asserted in tests.
 * Usage: node out/bench/agentHook.js [N]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const cli = path.resolve(__dirname, '..', '..', 'dist', 'cli.js');
const front = path.resolve(__dirname, '..', '..', 'dist', 'agent-hook.sh');
const n = Number(process.argv[2] ?? 200);
const fileLines = 400;
const otherFiles = 60;

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', args, { cwd, stdio: 'ignore', env: { ...process.env, GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@b', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@b' } });
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

function timeSpawn(args: readonly string[], cwd: string, input: string, program = process.execPath): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(program, args as string[], { cwd, input, stdio: ['pipe', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0 || (r.stderr && r.stderr.length > 0)) throw new Error(`${args.join(' ')} failed: ${r.stderr?.toString() ?? r.status}`);
  return ms;
}

function main(): void {
  if (!fs.existsSync(cli)) throw new Error(`build first: ${cli} is missing`);
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'aip-bench-hook-')));
  try {
    git(root, 'init', '-q', '-b', 'main');
    const line = (k: number, v: string): string => `export const value${k} = compute(${v}, options); // line ${k}`;
    let text = Array.from({ length: fileLines }, (_, k) => line(k, 'input')).join('\n') + '\n';
    fs.mkdirSync(path.join(root, 'src'), { recursive: true });
    fs.writeFileSync(path.join(root, 'src', 'target.ts'), text);
    for (let f = 0; f < otherFiles; f++) fs.writeFileSync(path.join(root, 'src', `other${f}.ts`), Array.from({ length: 200 }, (_, k) => line(k, `o${f}`)).join('\n') + '\n');
    git(root, 'add', '.');
    git(root, 'commit', '-q', '-m', 'start');
    // A realistic ledger: every other file has AI ranges from an earlier session.
    for (let f = 0; f < otherFiles; f++) {
      const r = spawnSync(process.execPath, [cli, 'record', '--tool', 'Claude Code', '--model', 'claude-sonnet-4-5', `src/other${f}.ts:10-30`, `src/other${f}.ts:80-95`], { cwd: root });
      if (r.status !== 0) throw new Error(r.stderr.toString());
    }
    // One typical Edit per run: a line rewritten and one added, as Claude Code reports it.
    const target = path.join(root, 'src', 'target.ts');
    const edits: Array<{ pre: string; post: string; next: string }> = [];
    for (let i = 0; i < n; i++) {
      const k = (i * 7) % fileLines;
      const oldLine = text.split('\n')[k]!;
      const newLines = `${line(k, `edited${i}`)}\n  // edited by run ${i}`;
      const next = text.replace(oldLine + '\n', newLines + '\n');
      const common = { session_id: 'bench-session', transcript_path: path.join(root, 'no-transcript.jsonl'), cwd: root, permission_mode: 'default', tool_name: 'Edit', tool_input: { file_path: target, old_string: oldLine, new_string: newLines, replace_all: false }, tool_use_id: `toolu_bench_${i}`, model: 'claude-sonnet-4-5' };
      edits.push({
        pre: JSON.stringify({ ...common, hook_event_name: 'PreToolUse' }),
        post: JSON.stringify({ ...common, hook_event_name: 'PostToolUse', tool_response: { filePath: target, oldString: oldLine, newString: newLines, originalFile: text, userModified: false, replaceAll: false } }),
        next,
      });
      text = next;
    }
    const ledger = path.join(root, '.git', 'ai-provenance', 'ledger.json');
    const spool = path.join(root, '.git', 'ai-provenance', 'spool');
    const settled = (): boolean => !fs.existsSync(spool) || fs.readdirSync(spool).length === 0;
    const waitSettled = (t0: bigint): number => {
      while (!settled()) {
        if (Number(process.hrtime.bigint() - t0) / 1e6 > 30_000) throw new Error('the drain did not finish within 30 s');
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2);
      }
      return Number(process.hrtime.bigint() - t0) / 1e6;
    };
    // Interleaved, so all series see the same machine load.
    const hook: number[] = [];
    const settle: number[] = [];
    const viaNode: number[] = [];
    const node: number[] = [];
    const frontArgs = [front, 'hook', 'claude-code', process.execPath];
    for (let i = 0; i < n; i++) {
      const e = edits[i]!;
      hook.push(timeSpawn(frontArgs, root, e.pre, 'sh'));
      waitSettled(process.hrtime.bigint());
      fs.writeFileSync(target, e.next);
      const t0 = process.hrtime.bigint();
      hook.push(timeSpawn(frontArgs, root, e.post, 'sh'));
      settle.push(waitSettled(t0));
      node.push(timeSpawn(['-e', '0'], root, e.post));
      // The same call once more through Node itself: recording it again changes nothing.
      viaNode.push(timeSpawn([cli, 'hook', 'claude-code'], root, e.post));
    }
    if (!fs.readFileSync(ledger, 'utf8').includes('src/target.ts')) throw new Error('the edits were not recorded');
    for (const series of [hook, settle, viaNode, node]) series.sort((a, b) => a - b);
    const log = path.join(root, '.git', 'ai-provenance', 'hooks.log');
    if (fs.existsSync(log)) throw new Error(`the hook logged problems:\n${fs.readFileSync(log, 'utf8')}`);
    const round = (x: number): number => Math.round(x * 100) / 100;
    const baseline = 'node -e 0 spawned the same way, same stdin';
    const emit = (metric: string, series: readonly number[], p: number, extra: Record<string, unknown> = {}): void => {
      const value = percentile(series, p);
      const base = percentile(node, p);
      console.log(JSON.stringify({ metric, value: round(value), unit: 'ms', ratio_to_node_startup: round(value / base), baseline, n: series.length, ...extra }));
    };
    emit('agent_hook_p50_ms', hook, 0.5, { calls: 'PreToolUse and PostToolUse, shell front' });
    emit('agent_hook_p99_ms', hook, 0.99, { calls: 'PreToolUse and PostToolUse, shell front', goal: 50 });
    emit('agent_hook_settle_p50_ms', settle, 0.5, { what: 'post call until the background drain has recorded it' });
    emit('agent_hook_settle_p99_ms', settle, 0.99, { what: 'post call until the background drain has recorded it' });
    emit('agent_hook_node_p50_ms', viaNode, 0.5, { what: 'node dist/cli.js hook (setup --command)' });
    emit('agent_hook_node_p99_ms', viaNode, 0.99, { what: 'node dist/cli.js hook (setup --command)' });
    console.log(JSON.stringify({ metric: 'node_startup_p50_ms', value: round(percentile(node, 0.5)), unit: 'ms', n }));
    console.log(JSON.stringify({ metric: 'node_startup_p99_ms', value: round(percentile(node, 0.99)), unit: 'ms', n }));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main();
