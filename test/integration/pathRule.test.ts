/**
 * One path rule for every way in (#16): `git provenance record`, the Node agent hook and its
 * shell front take the same table of paths (test/helpers/pathRule.ts; the extension's API takes
 * it in test/vscode/pathRule.test.ts). A path is recorded under its real worktree path, or
 * refused with the same reason, and nothing outside the worktree is ever read into the spool.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { PathRuleCase } from '../helpers/pathRule';
import { pathRuleTable } from '../helpers/pathRule';
import { agentHookFront, cliPath, fixedEnv, runProcess, TempRepo } from '../helpers/tempRepo';

interface StatusJson {
  files: Array<{ path: string; ranges: Array<{ startLine: number; endLine: number }> }>;
}

describe('one path rule for record and the agent hooks (integration)', function () {
  this.timeout(240_000);
  let repo: TempRepo;
  let outside: string;
  let table: PathRuleCase[];

  beforeEach(() => {
    repo = TempRepo.create();
    repo.write('README.md', 'start\n');
    repo.git('add', '.');
    repo.git('commit', '-q', '-m', 'start');
    outside = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'aip-outside-')));
    table = pathRuleTable(repo.root, '', outside);
  });
  afterEach(() => {
    repo.dispose();
    fs.rmSync(outside, { recursive: true, force: true });
  });

  const ledgerFiles = async (): Promise<string[]> => {
    const r = await repo.cli(['status', '--json']);
    assert.equal(r.code, 0, r.stderr);
    return (JSON.parse(r.stdout) as StatusJson).files.map((f) => f.path).sort();
  };
  const writePayload = (c: PathRuleCase, i: number): string => {
    const abs = path.join(repo.root, c.path);
    const content = fs.readFileSync(abs, 'utf8');
    return JSON.stringify({ session_id: `p${i}`, cwd: repo.root, hook_event_name: 'PostToolUse', tool_name: 'Write', tool_use_id: `w${i}`, model: 'm', tool_input: { file_path: abs, content }, tool_response: { filePath: abs } });
  };

  it('git provenance record', async () => {
    for (const c of table) {
      const r = await repo.cli(['record', '--tool', 'claude-code', `${c.path}:1-1`]);
      if (c.recordedAs) assert.equal(r.code, 0, `${c.name}: ${r.stderr}`);
      else {
        assert.equal(r.code, 2, `${c.name}: refused as a usage error (${r.stdout}${r.stderr})`);
        assert.match(r.stderr, c.refusal!, c.name);
      }
    }
    assert.deepEqual(await ledgerFiles(), [...new Set(table.flatMap((c) => (c.recordedAs ? [c.recordedAs] : [])))].sort());
  });

  for (const via of ['node', 'front'] as const) {
    it(`the agent hook (${via === 'node' ? 'node cli.js hook' : 'the shell front'})`, async () => {
      for (const [i, c] of table.entries()) {
        const program = via === 'node' ? process.execPath : 'sh';
        const args = via === 'node' ? [cliPath, 'hook', 'claude-code'] : [agentHookFront, 'hook', 'claude-code', process.execPath];
        const r = await runProcess(program, args, { cwd: repo.root, env: { ...process.env, ...fixedEnv }, input: writePayload(c, i) });
        assert.equal(r.code, 0, `${c.name}: ${r.stderr}`);
        if (via === 'node' && !c.recordedAs) assert.match(r.stderr, c.refusal!, c.name);
        // Listed only once recorded: status drains what the front spooled.
        const files = await ledgerFiles();
        if (c.recordedAs) assert.ok(files.includes(c.recordedAs), `${c.name}: recorded as ${c.recordedAs} (${files.join(', ')})`);
        else assert.ok(files.every((f) => table.some((t) => t.recordedAs === f)), `${c.name}: nothing else recorded (${files.join(', ')})`);
      }
      const log = path.join(repo.root, '.git', 'ai-provenance', 'hooks.log');
      const logged = fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '';
      for (const c of table) if (c.refusal) assert.match(logged, c.refusal, `hooks.log says why (${c.name})`);
      assert.equal(fs.readFileSync(path.join(outside, 'secret.ts'), 'utf8'), 'export const secret = 1;\n');
    });
  }
});
