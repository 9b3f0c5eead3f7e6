/**
 * Agent hook latency: the built CLI (`node dist/cli.js hook claude-code`) spawned the way an
 * agent spawns it, fed a typical Claude Code PostToolUse Edit payload, N times in a repository
 * whose ledger already holds a realistic amount of AI ranges; against spawning `node -e 0`
 * the same way (the floor no Node hook can go under). Prints JSON lines (scripts/bench.mjs);
 * never asserted in tests. Usage: node out/bench/agentHook.js [N]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const cli = path.resolve(__dirname, '..', '..', 'dist', 'cli.js');
const n = Number(process.argv[2] ?? 200);
const fileLines = 400;
const otherFiles = 60;

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', args, { cwd, stdio: 'ignore', env: { ...process.env, GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@b', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@b' } });
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

function timeSpawn(args: readonly string[], cwd: string, input: string): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args as string[], { cwd, input, stdio: ['pipe', 'ignore', 'pipe'] });
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
    const payloads: string[] = [];
    const texts: string[] = [];
    for (let i = 0; i < n; i++) {
      const k = (i * 7) % fileLines;
      const oldLine = text.split('\n')[k]!;
      const newLines = `${line(k, `edited${i}`)}\n  // edited by run ${i}`;
      const next = text.replace(oldLine + '\n', newLines + '\n');
      const file = path.join(root, 'src', 'target.ts');
      payloads.push(
        JSON.stringify({
          session_id: 'bench-session',
          transcript_path: path.join(root, 'no-transcript.jsonl'),
          cwd: root,
          permission_mode: 'default',
          hook_event_name: 'PostToolUse',
          tool_name: 'Edit',
          tool_input: { file_path: file, old_string: oldLine, new_string: newLines, replace_all: false },
          tool_response: { filePath: file, oldString: oldLine, newString: newLines, originalFile: text, userModified: false, replaceAll: false },
          tool_use_id: `toolu_bench_${i}`,
          model: 'claude-sonnet-4-5',
        }),
      );
      texts.push(next);
      text = next;
    }
    const target = path.join(root, 'src', 'target.ts');
    // Interleaved, so both series see the same machine load.
    const hook: number[] = [];
    const node: number[] = [];
    for (let i = 0; i < n; i++) {
      fs.writeFileSync(target, texts[i]!);
      hook.push(timeSpawn([cli, 'hook', 'claude-code'], root, payloads[i]!));
      node.push(timeSpawn(['-e', '0'], root, payloads[i]!));
    }
    hook.sort((a, b) => a - b);
    node.sort((a, b) => a - b);
    const log = path.join(root, '.git', 'ai-provenance', 'hooks.log');
    if (fs.existsSync(log)) throw new Error(`the hook logged problems:\n${fs.readFileSync(log, 'utf8')}`);
    const round = (x: number): number => Math.round(x * 100) / 100;
    const baseline = 'node -e 0 spawned the same way, same stdin';
    const emit = (metric: string, value: number, base: number): void => {
      console.log(JSON.stringify({ metric, value: round(value), unit: 'ms', ratio_to_node_startup: round(value / base), baseline, n }));
    };
    emit('agent_hook_p50_ms', percentile(hook, 0.5), percentile(node, 0.5));
    emit('agent_hook_p99_ms', percentile(hook, 0.99), percentile(node, 0.99));
    console.log(JSON.stringify({ metric: 'node_startup_p50_ms', value: round(percentile(node, 0.5)), unit: 'ms', n }));
    console.log(JSON.stringify({ metric: 'node_startup_p99_ms', value: round(percentile(node, 0.99)), unit: 'ms', n }));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main();
