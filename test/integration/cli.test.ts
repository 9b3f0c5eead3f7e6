/**
 * The built CLI against real git repositories: record, status, errors, concurrent writers.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { TempRepo } from '../helpers/tempRepo';

interface StatusJson {
  files: Array<{ path: string; ai: number; mixed: number; unknown: number; ranges: Array<{ startLine: number; endLine: number; kind: string; tool: string; model: string | null }> }>;
}

const tenLines = Array.from({ length: 10 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';

describe('git provenance CLI (integration)', function () {
  this.timeout(240_000);
  let repo: TempRepo;
  beforeEach(() => {
    repo = TempRepo.create();
    repo.write('src/a.ts', tenLines);
  });
  afterEach(() => repo.dispose());

  it('prints its version and help', async () => {
    const v = await repo.cli(['--version']);
    assert.equal(v.code, 0);
    assert.match(v.stdout.trim(), /^\d+\.\d+\.\d+/);
    const h = await repo.cli(['--help']);
    assert.equal(h.code, 0);
    assert.match(h.stdout, /record/);
    assert.match(h.stdout, /status/);
  });

  it('records lines and lists them in status', async () => {
    const r = await repo.cli(['record', '--tool', 'claude-code', '--model', 'claude-sonnet-4-5', 'src/a.ts:3-7']);
    assert.equal(r.code, 0, r.stderr);
    const s = await repo.cli(['status', '--json']);
    const status = JSON.parse(s.stdout) as StatusJson;
    assert.deepEqual(status.files.map((f) => [f.path, f.ai, f.ranges]), [
      ['src/a.ts', 5, [{ startLine: 3, endLine: 7, kind: 'ai', tool: 'Claude Code', model: 'claude-sonnet-4-5' }]],
    ]);
    const text = await repo.cli(['status']);
    assert.match(text.stdout, /src\/a\.ts: 5 AI \(Claude Code:claude-sonnet-4-5 5\)/);
  });

  it('works from a subdirectory with paths relative to it', async () => {
    const r = await repo.cli(['record', '--tool', 't', 'a.ts:1'], { cwd: `${repo.root}/src` });
    assert.equal(r.code, 0, r.stderr);
    const status = JSON.parse((await repo.cli(['status', '--json'])).stdout) as StatusJson;
    assert.equal(status.files[0]!.path, 'src/a.ts');
  });

  it('exits 2 with a clear message for bad input, and changes nothing', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['record', 'src/a.ts:1-2'], /--tool is required/],
      [['record', '--tool', 't', 'src/a.ts'], /not FILE:START-END/],
      [['record', '--tool', 't', 'src/a.ts:5-3'], /START <= END/],
      [['record', '--tool', 't', 'src/a.ts:9-11'], /past the end of the file/],
      [['record', '--tool', 't', 'src/missing.ts:1'], /no such file: src\/missing\.ts/],
      [['record', '--tool', 't', '../outside.ts:1'], /outside the repository/],
      [['record', '--tool', 't', '--bogus', 'src/a.ts:1'], /unknown option --bogus/],
      [['frobnicate'], /unknown command/],
    ];
    for (const [args, message] of cases) {
      const r = await repo.cli(args);
      assert.equal(r.code, 2, `${args.join(' ')} exited ${r.code}`);
      assert.match(r.stderr, message, args.join(' '));
    }
    assert.equal(fs.existsSync(repo.ledgerFile), false, 'a failed record must not write the ledger');
  });

  it('exits 2 outside a git repository', async () => {
    const dir = fs.mkdtempSync(`${os.tmpdir()}/aip-norepo-`);
    try {
      const r = await repo.cli(['status'], { cwd: dir });
      assert.equal(r.code, 2);
      assert.match(r.stderr, /not inside a git worktree/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('loses nothing when many writers record at once', async () => {
    const runs = await Promise.all(Array.from({ length: 10 }, (_, i) => repo.cli(['record', '--tool', `tool-${i}`, `src/a.ts:${i + 1}`])));
    for (const r of runs) assert.equal(r.code, 0, r.stderr);
    const status = JSON.parse((await repo.cli(['status', '--json'])).stdout) as StatusJson;
    assert.equal(status.files[0]!.ai, 10);
    assert.deepEqual(status.files[0]!.ranges.map((r) => r.tool).sort(), Array.from({ length: 10 }, (_, i) => `tool-${i}`).sort());
  });

  it('re-anchors recorded lines when the file changes, never shifting them blindly', async () => {
    await repo.cli(['record', '--tool', 't', 'src/a.ts:3-7']);
    repo.write('src/a.ts', 'inserted above\n' + tenLines);
    let status = JSON.parse((await repo.cli(['status', '--json'])).stdout) as StatusJson;
    assert.deepEqual(status.files[0]!.ranges.map((r) => [r.startLine, r.endLine]), [[4, 8]]);
    repo.write('src/a.ts', tenLines.replace('line 5', 'line five'));
    status = JSON.parse((await repo.cli(['status', '--json'])).stdout) as StatusJson;
    assert.equal(status.files[0]!.ai, 0, 'a range whose text changed must not be counted somewhere else');
  });

  it('keeps a corrupt ledger aside instead of losing it', async () => {
    fs.mkdirSync(`${repo.root}/.git/ai-provenance`, { recursive: true });
    fs.writeFileSync(repo.ledgerFile, '{ not json');
    const r = await repo.cli(['record', '--tool', 't', 'src/a.ts:1']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /kept as .*ledger\.json\.corrupt-/);
    assert.ok(fs.readdirSync(`${repo.root}/.git/ai-provenance`).some((f) => f.startsWith('ledger.json.corrupt-')));
  });
});
