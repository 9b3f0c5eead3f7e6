/**
 * The built CLI run as each agent runs it: the documented hook payloads of a real edit to a
 * real file (test/fixtures/agent-hooks), then `git provenance status --json` line by line.
 * Every case runs through both ways an agent can start the hook: the Node CLI itself
 * (`node cli.js hook <agent>`, what `setup --command` writes) and the shell front that `setup`
 * writes by default (`sh agent-hook.sh hook <agent> <node>`), which spools the call and
 * leaves the recording to a background drain.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findRepo } from '../../src/cli/agentHooks/findRepo';
import { openRepo } from '../../src/node/repo';
import type { ProcessRun } from '../helpers/tempRepo';
import { agentHookFront, cliPath, runProcess, TempRepo } from '../helpers/tempRepo';

/** How the agent starts the hook. */
type Front = 'node' | 'sh';

const fixtures = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'agent-hooks');
const file = 'src/calc.ts';

interface StatusJson {
  files: Array<{ path: string; ranges: Array<{ startLine: number; endLine: number; kind: string; tool: string; model: string | null }> }>;
}

type Run = ProcessRun;

/** A repository with the fixture file committed, and a home folder of its own for agent settings. */
class AgentWorld {
  readonly repo = TempRepo.create();
  readonly home = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'aip-home-')));

  constructor(readonly front: Front = 'node') {
    this.repo.write(file, fs.readFileSync(path.join(fixtures, 'before.ts'), 'utf8'));
    this.repo.git('add', '.');
    this.repo.git('commit', '-q', '-m', 'start');
  }

  /** A fixture payload with its placeholders filled in for this repository and home. */
  payload(agent: string, name: string): string {
    const esc = (s: string): string => JSON.stringify(s).slice(1, -1);
    return fs.readFileSync(path.join(fixtures, agent, name), 'utf8').replaceAll('${REPO}', esc(this.repo.root)).replaceAll('${HOME}', esc(this.home));
  }

  /** Runs the built CLI the way an agent runs a hook command. */
  cli(args: readonly string[], input = ''): Promise<Run> {
    return this.spawn(process.execPath, [cliPath, ...args], input);
  }

  /** Runs the hook for `agent` through this world's front. */
  runHook(agent: string, input: string): Promise<Run> {
    return this.front === 'node' ? this.cli(['hook', agent], input) : this.spawn('sh', [agentHookFront, 'hook', agent, process.execPath], input);
  }

  private spawn(program: string, args: readonly string[], input: string): Promise<Run> {
    return runProcess(program, args, { cwd: this.repo.root, env: { ...process.env, HOME: this.home, USERPROFILE: this.home, CODEX_HOME: '' }, input });
  }

  async hook(agent: string, fixture: string): Promise<Run> {
    const r = await this.runHook(agent, this.payload(agent, fixture));
    assert.equal(r.code, 0, `hook ${agent} ${fixture} exited ${r.code}: ${r.stderr}`);
    assert.equal(r.stderr, '', `hook ${agent} ${fixture} complained: ${r.stderr}`);
    assert.equal(r.stdout, agent === 'cursor' ? '{}\n' : '', `hook ${agent} ${fixture} printed on stdout`);
    return r;
  }

  /** Every AI line of `file` with its tool and model, from `status --json`. */
  async aiLines(): Promise<Array<{ line: number; tool: string; model: string | null; kind: string }>> {
    const r = await this.cli(['status', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const status = JSON.parse(r.stdout) as StatusJson;
    const entry = status.files.find((f) => f.path === file);
    const out: Array<{ line: number; tool: string; model: string | null; kind: string }> = [];
    for (const range of entry?.ranges ?? []) for (let l = range.startLine; l <= range.endLine; l++) out.push({ line: l, tool: range.tool, model: range.model, kind: range.kind });
    return out;
  }

  /** `blame --json` of `file`: every line with its kind, tool and model. */
  async blame(): Promise<Array<{ line: number; kind: string; tool: string | null; model: string | null }>> {
    const r = await this.cli(['blame', file, '--json']);
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout) as Array<{ line: number; kind: string; tool: string | null; model: string | null }>;
  }

  dispose(): void {
    this.repo.dispose();
    fs.rmSync(this.home, { recursive: true, force: true });
  }
}

interface Expected {
  file: string;
  aiLines: number[];
  tool: string;
  model: string | null;
}

/** One documented edit: optional pre event, the agent's write, the post event. */
async function replay(world: AgentWorld, agent: string, name: string): Promise<void> {
  if (fs.existsSync(path.join(fixtures, agent, `${name}.pre.json`))) await world.hook(agent, `${name}.pre.json`);
  world.repo.write(file, fs.readFileSync(path.join(fixtures, agent, `${name}.after.ts`), 'utf8'));
  await world.hook(agent, `${name}.post.json`);
}

async function expectExactly(world: AgentWorld, expected: Expected): Promise<void> {
  const lines = await world.aiLines();
  assert.deepEqual(
    lines.map((l) => l.line),
    expected.aiLines,
    'exactly the edited lines are AI, every other line untouched',
  );
  for (const l of lines) {
    assert.equal(l.kind, 'ai');
    assert.equal(l.tool, expected.tool);
    assert.equal(l.model, expected.model);
  }
  // The same, line by line, as `git provenance blame --json` shows it.
  const blame = await world.blame();
  assert.equal(blame.length, world.repo.read(file).split('\n').length - 1, 'blame covers every line');
  for (const b of blame) {
    if (expected.aiLines.includes(b.line)) assert.deepEqual([b.line, b.kind, b.tool, b.model], [b.line, 'ai', expected.tool, expected.model]);
    else assert.deepEqual([b.line, b.kind, b.tool], [b.line, 'none', null], `line ${b.line} is untouched`);
  }
}

const cases: Array<{ agent: string; name: string; setup?: (w: AgentWorld) => void; title: string }> = [
  {
    agent: 'claude-code',
    name: 'edit',
    title: 'Claude Code Edit (PreToolUse + PostToolUse); model from the transcript tail',
    setup: (w) => {
      const dir = path.join(w.home, '.claude', 'projects', '-repo');
      fs.mkdirSync(dir, { recursive: true });
      fs.copyFileSync(path.join(fixtures, 'claude-code', 'transcript.jsonl'), path.join(dir, '8a5f3c1e-2b4d-4e6f-9a1b-3c5d7e9f1a2b.jsonl'));
    },
  },
  {
    agent: 'claude-code',
    name: 'write',
    title: 'Claude Code Write of a whole existing file: only the new lines, by the pre-tool snapshot',
    setup: (w) => {
      const dir = path.join(w.home, '.claude', 'projects', '-repo');
      fs.mkdirSync(dir, { recursive: true });
      fs.copyFileSync(path.join(fixtures, 'claude-code', 'transcript.jsonl'), path.join(dir, '8a5f3c1e-2b4d-4e6f-9a1b-3c5d7e9f1a2b.jsonl'));
    },
  },
  { agent: 'codex', name: 'apply-patch', title: 'Codex apply_patch (PostToolUse with the patch in tool_input.command)' },
  {
    agent: 'gemini',
    name: 'replace',
    title: 'Gemini CLI replace (AfterTool); context lines inside old/new strings stay untouched; model from .gemini/settings.json',
    setup: (w) => w.repo.write('.gemini/settings.json', fs.readFileSync(path.join(fixtures, 'gemini', 'settings.json'), 'utf8')),
  },
  { agent: 'cursor', name: 'after-file-edit', title: 'Cursor afterFileEdit (no pre event: the edits locate the change)' },
  { agent: 'cursor', name: 'after-tab-file-edit', title: 'Cursor afterTabFileEdit (Tab completion, range given)' },
  { agent: 'copilot', name: 'vscode-replace', title: 'Copilot in VS Code: PostToolUse replace_string_in_file' },
  { agent: 'copilot', name: 'cli-edit', title: 'Copilot CLI: camelCase preToolUse/postToolUse edit with toolArgs as a JSON string' },
  {
    agent: 'kiro',
    name: 'fs-write',
    title: 'Kiro fs_write str_replace (preToolUse + postToolUse); model from ~/.kiro/settings/cli.json',
    setup: (w) => {
      fs.mkdirSync(path.join(w.home, '.kiro', 'settings'), { recursive: true });
      fs.copyFileSync(path.join(fixtures, 'kiro', 'cli-settings.json'), path.join(w.home, '.kiro', 'settings', 'cli.json'));
    },
  },
];

for (const front of ['node', 'sh'] as const) describe(`agent hooks: documented payloads through the built CLI, ${front === 'node' ? 'node cli.js hook' : 'the shell front'} (integration)`, function () {
  this.timeout(240_000);
  let world: AgentWorld;
  beforeEach(() => {
    world = new AgentWorld(front);
  });
  afterEach(() => world.dispose());

  for (const c of cases) {
    it(`${c.agent}: ${c.title}`, async () => {
      c.setup?.(world);
      await replay(world, c.agent, c.name);
      const expected = JSON.parse(fs.readFileSync(path.join(fixtures, c.agent, `${c.name}.expected.json`), 'utf8')) as Expected;
      await expectExactly(world, expected);
    });
  }

  it('agent edit → a person edits the file → agent edit: the person\'s lines stay theirs (Claude Code, snapshots)', async () => {
    const root = world.repo.root;
    const session = 'seq-session-1';
    const edit = (toolUseId: string, phase: 'PreToolUse' | 'PostToolUse', oldS: string, newS: string): string =>
      JSON.stringify({ session_id: session, cwd: root, hook_event_name: phase, tool_name: 'Edit', model: 'claude-sonnet-4-5', tool_use_id: toolUseId, tool_input: { file_path: path.join(root, file), old_string: oldS, new_string: newS }, ...(phase === 'PostToolUse' ? { tool_response: { filePath: path.join(root, file) } } : {}) });
    const run = async (payload: string): Promise<void> => {
      const r = await world.runHook('claude-code', payload);
      assert.equal(r.code, 0);
      assert.equal(r.stderr, '');
    };
    // 1. The agent rewrites add's body.
    await run(edit('t1', 'PreToolUse', '  return a + b;', '  const sum = a + b;\n  return sum;'));
    world.repo.write(file, world.repo.read(file).replace('  return a + b;', '  const sum = a + b;\n  return sum;'));
    await run(edit('t1', 'PostToolUse', '  return a + b;', '  const sum = a + b;\n  return sum;'));
    // 2. A person types in the editor and saves: a comment above sub, and a change to mul.
    world.repo.write(file, world.repo.read(file).replace('export function sub', '// subtracts\nexport function sub').replace('  return a * b;', '  return b * a;'));
    // 3. The agent edits sub; the same text ("return") occurs elsewhere, so nothing but this call counts.
    await run(edit('t2', 'PreToolUse', '  return a - b;', '  return a - b; // checked'));
    world.repo.write(file, world.repo.read(file).replace('  return a - b;', '  return a - b; // checked'));
    await run(edit('t2', 'PostToolUse', '  return a - b;', '  return a - b; // checked'));
    const text = world.repo.read(file).split('\n');
    const ai = (await world.aiLines()).map((l) => l.line);
    const lineOf = (s: string): number => text.indexOf(s) + 1;
    assert.deepEqual(ai, [lineOf('  const sum = a + b;'), lineOf('  return sum;'), lineOf('  return a - b; // checked')]);
    assert.ok(!ai.includes(lineOf('// subtracts')), "the person's comment is not AI");
    assert.ok(!ai.includes(lineOf('  return b * a;')), "the person's change is not AI");
  });

  it('agent edit → person → agent edit without pre events (Cursor): only each call\'s own lines', async () => {
    const root = world.repo.root;
    const post = (oldS: string, newS: string): string => JSON.stringify({ conversation_id: 'c1', generation_id: 'g', model: 'gpt-5', hook_event_name: 'afterFileEdit', workspace_roots: [root], file_path: path.join(root, file), edits: [{ old_string: oldS, new_string: newS }] });
    world.repo.write(file, world.repo.read(file).replace('  return a + b;', '  return a + b; // A1'));
    assert.equal((await world.runHook('cursor', post('  return a + b;', '  return a + b; // A1'))).stderr, '');
    world.repo.write(file, world.repo.read(file).replace('export function mul', '// human\nexport function mul'));
    world.repo.write(file, world.repo.read(file).replace('  return a * b;', '  return a * b; // A2'));
    assert.equal((await world.runHook('cursor', post('  return a * b;', '  return a * b; // A2'))).stderr, '');
    const text = world.repo.read(file).split('\n');
    assert.deepEqual((await world.aiLines()).map((l) => l.line), [text.indexOf('  return a + b; // A1') + 1, text.indexOf('  return a * b; // A2') + 1]);
  });

  it('a VS Code payload arriving through Claude Code\'s settings is recorded as Copilot, not Claude', async () => {
    world.repo.write(file, fs.readFileSync(path.join(fixtures, 'copilot', 'vscode-replace.after.ts'), 'utf8'));
    const r = await world.runHook('claude-code', world.payload('copilot', 'vscode-replace.post.json'));
    assert.equal(r.code, 0);
    assert.equal(r.stderr, '');
    const lines = await world.aiLines();
    assert.deepEqual(lines.map((l) => [l.line, l.tool]), [[6, 'GitHub Copilot']]);
  });

  it('an ambiguous edit without a snapshot records nothing and says so in hooks.log', async () => {
    // The new text also occurs elsewhere, so where it landed cannot be told afterwards.
    world.repo.write(file, world.repo.read(file).replace('  return a - b;', '  return 1;').replace('  return a * b;', '  return 0;'));
    world.repo.git('commit', '-qam', 'constants');
    world.repo.write(file, world.repo.read(file).replace('  return 0;', '  return 1;'));
    const payload = JSON.stringify({ conversation_id: 'c', hook_event_name: 'afterFileEdit', workspace_roots: [world.repo.root], file_path: path.join(world.repo.root, file), edits: [{ old_string: '  return 0;', new_string: '  return 1;' }] });
    const r = await world.runHook('cursor', payload);
    assert.equal(r.code, 0);
    // The shell front has returned before anything is known; its drain only writes the log.
    if (front === 'node') assert.match(r.stderr, /cannot tell which lines Cursor wrote/);
    else assert.equal(r.stderr, '');
    assert.deepEqual(await world.aiLines(), []);
    const log = fs.readFileSync(path.join(world.repo.root, '.git', 'ai-provenance', 'hooks.log'), 'utf8').trim().split('\n');
    assert.equal(log.length, 1);
    assert.match(log[0]!, /cannot tell which lines Cursor wrote/);
  });

  it('finds the repository without git exactly where git does, in the main and a linked worktree', async () => {
    const linked = `${world.repo.root}-linked`;
    world.repo.git('worktree', 'add', '-q', linked);
    try {
      fs.mkdirSync(path.join(linked, 'src', 'deep'), { recursive: true });
      for (const dir of [path.join(world.repo.root, 'src'), path.join(linked, 'src', 'deep')]) {
        const fast = await findRepo(dir, {});
        const git = await openRepo(dir, () => undefined);
        assert.deepEqual(fast?.info, git.info, dir);
      }
    } finally {
      world.repo.git('worktree', 'remove', '--force', linked);
    }
  });
});
