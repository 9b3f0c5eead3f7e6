/**
 * `git provenance setup` through the built CLI: merging into agents' own config files without
 * disturbing them, idempotence, --dry-run, --remove, and a refusal to touch broken JSON.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ProcessRun } from '../helpers/tempRepo';
import { cliPath, runProcess, TempRepo } from '../helpers/tempRepo';

function run(cmd: string, args: readonly string[], cwd: string, home: string, input = ''): Promise<ProcessRun> {
  return runProcess(cmd, args, { cwd, env: { ...process.env, HOME: home, USERPROFILE: home, CODEX_HOME: '' }, input });
}

/** Claude Code settings a user already has: other hooks and other keys. */
const userSettings = {
  permissions: { allow: ['Bash(npm run test:*)'], deny: ['Read(./.env)'] },
  model: 'opus',
  hooks: {
    PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: '"$CLAUDE_PROJECT_DIR"/.claude/hooks/check-bash.sh' }] }],
    PostToolUse: [{ matcher: 'Edit|Write', hooks: [{ type: 'command', command: 'npx prettier --write "$(jq -r .tool_input.file_path)"', timeout: 30 }] }],
    Stop: [{ hooks: [{ type: 'command', command: 'notify-send done' }] }],
  },
};

describe('git provenance setup (integration)', function () {
  this.timeout(240_000);
  let repo: TempRepo;
  let home: string;
  const cli = (args: readonly string[], cwd?: string): Promise<ProcessRun> => run(process.execPath, [cliPath, ...args], cwd ?? repo.root, home);
  beforeEach(() => {
    repo = TempRepo.create();
    home = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'aip-home-')));
  });
  afterEach(() => {
    repo.dispose();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('setup claude-code --project keeps the other hooks; a second run changes nothing; --remove restores the file', async () => {
    const original = JSON.stringify(userSettings, null, 2) + '\n';
    repo.write('.claude/settings.json', original);
    const settingsFile = path.join(repo.root, '.claude', 'settings.json');

    const dry = await cli(['setup', 'claude-code', '--project', '--dry-run']);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /^\+\+\+ b\/\.claude\/settings\.json/m);
    assert.match(dry.stdout, /^\+.*hook claude-code/m);
    assert.equal(fs.readFileSync(settingsFile, 'utf8'), original, '--dry-run writes nothing');

    const first = await cli(['setup', 'claude-code', '--project']);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /added the AI Provenance hook to \.claude\/settings\.json/);
    const merged = JSON.parse(fs.readFileSync(settingsFile, 'utf8')) as { permissions: unknown; model: string; hooks: Record<string, Array<{ matcher?: string; hooks: Array<{ command: string }> }>> };
    assert.deepEqual(merged.permissions, userSettings.permissions);
    assert.equal(merged.model, 'opus');
    assert.deepEqual(merged.hooks.Stop, userSettings.hooks.Stop);
    assert.deepEqual(merged.hooks.PreToolUse![0], userSettings.hooks.PreToolUse[0], 'the user\'s PreToolUse hook is kept');
    assert.deepEqual(merged.hooks.PostToolUse![0], userSettings.hooks.PostToolUse[0], 'the user\'s PostToolUse hook is kept');
    for (const event of ['PreToolUse', 'PostToolUse']) {
      const ours = merged.hooks[event]!.filter((g) => g.hooks.some((h) => / hook claude-code( |;|$)/.test(h.command)));
      assert.equal(ours.length, 1, `one group of ours in ${event}`);
      assert.equal(ours[0]!.matcher, 'Edit|MultiEdit|Write|NotebookEdit');
    }
    const afterFirst = fs.readFileSync(settingsFile, 'utf8');

    const second = await cli(['setup', 'claude-code', '--project']);
    assert.equal(second.code, 0);
    assert.match(second.stdout, /already has the AI Provenance hook; nothing changed/);
    assert.equal(fs.readFileSync(settingsFile, 'utf8'), afterFirst, 'a second run changes nothing');

    // The command written into the file a team commits holds no path of this machine: it runs
    // this clone's launcher in the git dir (the shell front with this machine's paths), else
    // git-provenance from PATH. It works from any folder of the repository.
    const command = merged.hooks.PostToolUse!.at(-1)!.hooks[0]!.command;
    for (const machinePath of [repo.root, path.dirname(cliPath), process.execPath, home, fs.realpathSync(os.tmpdir())]) assert.ok(!afterFirst.includes(machinePath), `${machinePath} is not in .claude/settings.json`);
    const ourEntries = JSON.stringify(['PreToolUse', 'PostToolUse'].map((e) => merged.hooks[e]!.at(-1)));
    assert.doesNotMatch(ourEntries, /"(\/|[A-Za-z]:\\)/, `no absolute path at all in our entries: ${ourEntries}`);
    assert.doesNotMatch(command, /(^|[\s"'=])\//, `no absolute path in the command: ${command}`);
    assert.match(command, /git-provenance hook claude-code/);
    const launcher = path.join(repo.root, '.git', 'ai-provenance', 'agent-hook');
    assert.match(first.stdout, /wrote .*ai-provenance\/agent-hook: this machine's way to run the hook/);
    assert.match(fs.readFileSync(launcher, 'utf8'), /agent-hook\.sh' hook "\$1" '/, 'the launcher runs the shell front by this machine\'s paths');
    assert.doesNotMatch(second.stdout, /wrote/, 'the launcher is rewritten only when it changes');
    repo.write('src/deep/a.ts', 'one\n');
    fs.writeFileSync(path.join(repo.root, 'src', 'deep', 'a.ts'), 'one\ntwo\n');
    const payload = JSON.stringify({ session_id: 's', hook_event_name: 'PostToolUse', tool_name: 'Edit', tool_input: { file_path: path.join(repo.root, 'src/deep/a.ts'), old_string: 'one\n', new_string: 'one\ntwo\n' }, tool_response: { originalFile: 'one\n' } });
    const hookRun = await run('sh', ['-c', command], path.join(repo.root, 'src', 'deep'), home, payload);
    assert.equal(hookRun.code, 0, hookRun.stderr);
    assert.equal(hookRun.stderr, '');
    const status = JSON.parse((await cli(['status', '--json'])).stdout) as { files: Array<{ path: string; ai: number }> };
    assert.deepEqual(status.files.map((f) => [f.path, f.ai]), [['src/deep/a.ts', 1]]);

    // A teammate's fresh clone: no launcher yet, git-provenance installed on PATH. The same
    // command, run the way Claude Code runs it (sh -c, project root as cwd, payload on stdin).
    fs.rmSync(launcher);
    const bin = path.join(home, 'bin');
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, 'git-provenance'), `#!/bin/sh\nexec '${process.execPath}' '${cliPath}' "$@"\n`, { mode: 0o755 });
    fs.writeFileSync(path.join(repo.root, 'b.ts'), 'x\ny\nz\n');
    const writePayload = JSON.stringify({ session_id: 's2', hook_event_name: 'PostToolUse', tool_name: 'Write', tool_input: { file_path: path.join(repo.root, 'b.ts'), content: 'x\ny\nz\n' }, tool_response: { type: 'create', filePath: path.join(repo.root, 'b.ts') } });
    const viaPath = await runProcess('sh', ['-c', command], { cwd: repo.root, env: { ...process.env, HOME: home, PATH: `${bin}:${process.env.PATH ?? ''}` }, input: writePayload });
    assert.equal(viaPath.code, 0, viaPath.stderr);
    const status2 = JSON.parse((await cli(['status', '--json'])).stdout) as { files: Array<{ path: string; ai: number }> };
    assert.deepEqual(status2.files.map((f) => [f.path, f.ai]), [['b.ts', 3], ['src/deep/a.ts', 1]]);

    const removed = await cli(['setup', 'claude-code', '--project', '--remove']);
    assert.equal(removed.code, 0, removed.stderr);
    assert.equal(fs.readFileSync(settingsFile, 'utf8'), original, '--remove takes out exactly our entries');
    const again = await cli(['setup', 'claude-code', '--remove']);
    assert.match(again.stdout, /no AI Provenance hook in \.claude\/settings\.json; nothing changed/);
  });

  it('refuses (exit 2) a config file that is not valid JSON, and leaves it as it was', async () => {
    const broken = '{\n  // my comment\n  "hooks": {\n';
    repo.write('.claude/settings.json', broken);
    const r = await cli(['setup', 'claude-code']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /\.claude\/settings\.json is not valid JSON .*Nothing was changed/);
    assert.equal(repo.read('.claude/settings.json'), broken);
    repo.write('.cursor/hooks.json', '{"version": 1, "hooks": []}\n');
    const shape = await cli(['setup', 'cursor']);
    assert.equal(shape.code, 2);
    assert.match(shape.stderr, /"hooks" is not an object/);
  });

  const files: Record<string, string> = {
    'claude-code': '.claude/settings.json',
    codex: '.codex/hooks.json',
    gemini: '.gemini/settings.json',
    cursor: '.cursor/hooks.json',
    copilot: '.github/hooks/ai-provenance.json',
    kiro: '.kiro/hooks/ai-provenance.json',
  };

  it('sets up every agent in its own file, idempotently, and --remove leaves no trace', async () => {
    const all = await cli(['setup', 'all']);
    assert.equal(all.code, 0, all.stderr);
    for (const [agent, rel] of Object.entries(files)) {
      const text = repo.read(rel);
      assert.match(text, new RegExp(`hook ${agent}`), `${rel} has our hook`);
      assert.match(text, /^\{\n {2}"/, `${rel} is 2-space JSON`);
    }
    const cursor = JSON.parse(repo.read('.cursor/hooks.json')) as { version: number; hooks: Record<string, unknown[]> };
    assert.equal(cursor.version, 1);
    assert.deepEqual(Object.keys(cursor.hooks), ['afterFileEdit', 'afterTabFileEdit']);
    const gemini = JSON.parse(repo.read('.gemini/settings.json')) as { hooks: Record<string, Array<{ matcher: string; hooks: Array<{ timeout: number; name: string }> }>> };
    assert.equal(gemini.hooks.AfterTool![0]!.matcher, 'write_file|replace');
    assert.equal(gemini.hooks.AfterTool![0]!.hooks[0]!.timeout, 10_000, 'Gemini timeouts are milliseconds');
    const kiro = JSON.parse(repo.read('.kiro/hooks/ai-provenance.json')) as { version: string; hooks: Array<{ trigger: string; action: { type: string } }> };
    assert.equal(kiro.version, 'v1');
    assert.deepEqual(kiro.hooks.map((h) => [h.trigger, h.action.type]), [['PreToolUse', 'command'], ['PostToolUse', 'command']]);

    const again = await cli(['setup', 'all']);
    assert.equal(again.stdout.match(/nothing changed/g)?.length, 6, again.stdout);

    const removed = await cli(['setup', 'all', '--remove']);
    assert.equal(removed.code, 0, removed.stderr);
    for (const rel of Object.values(files)) assert.equal(fs.existsSync(path.join(repo.root, rel)), false, `${rel} held only our hooks and is gone`);
    const none = await cli(['setup', 'all', '--remove']);
    assert.equal(none.stdout.match(/nothing changed/g)?.length, 6, none.stdout);
  });

  it('--user writes under the home folder (Codex: ~/.codex/hooks.json) and needs no repository', async () => {
    const outside = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'aip-norepo-')));
    try {
      const r = await cli(['setup', 'codex', '--user'], outside);
      assert.equal(r.code, 0, r.stderr);
      const cfg = JSON.parse(fs.readFileSync(path.join(home, '.codex', 'hooks.json'), 'utf8')) as { hooks: Record<string, Array<{ matcher: string }>> };
      assert.deepEqual(Object.keys(cfg), ['hooks'], 'Codex rejects unknown top-level keys');
      assert.equal(cfg.hooks.PostToolUse![0]!.matcher, 'apply_patch|Edit|Write');
      const p = await cli(['setup', 'codex', '--project'], outside);
      assert.equal(p.code, 2);
      assert.match(p.stderr, /not inside a git worktree/);
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  it('rejects unknown agents and conflicting scopes with usage (exit 2)', async () => {
    const r = await cli(['setup', 'windsurf']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown agent "windsurf"/);
    const s = await cli(['setup', 'cursor', '--user', '--project']);
    assert.equal(s.code, 2);
  });
});
