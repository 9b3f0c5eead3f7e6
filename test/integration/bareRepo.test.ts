/**
 * The commands that read only history (`check`, `show`, `blame --rev`, `stats`, `export`) in a
 * bare repository, as CI mirrors and server-side hooks have: a real history made with the built
 * CLI installed as hooks is cloned bare with its notes, and each command gives in the bare clone
 * exactly what it gives in the worktree. Commands that need a worktree say so.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gitOk, noteOf, numbered } from '../helpers/gitHooks';
import type { ProcessRun } from '../helpers/tempRepo';
import { TempRepo } from '../helpers/tempRepo';

describe('commands in a bare repository (integration)', function () {
  this.timeout(240_000);
  let repo: TempRepo;
  let bare: string;
  let first: string;
  const inBoth = async (args: string[]): Promise<{ work: ProcessRun; bare: ProcessRun }> => ({
    work: await repo.cli(args),
    bare: await repo.cli(args, { cwd: bare }),
  });
  const same = async (args: string[]): Promise<ProcessRun> => {
    const r = await inBoth(args);
    assert.equal(r.bare.stderr, r.work.stderr, `stderr of ${args.join(' ')}`);
    assert.equal(r.bare.code, r.work.code, `exit code of ${args.join(' ')}`);
    assert.equal(r.bare.stdout, r.work.stdout, `stdout of ${args.join(' ')}`);
    return r.bare;
  };

  before(async () => {
    repo = TempRepo.create();
    const cwd = repo.root;
    const installed = await repo.cli(['install']);
    assert.equal(installed.code, 0, installed.stderr);
    repo.write('.ai-provenance.json', JSON.stringify({ critical: [{ paths: ['src/payments/**'], reason: 'payments code moves money', friction: 'review' }] }) + '\n');
    repo.write('src/util.ts', numbered('human', 3));
    gitOk(cwd, ['add', '-A']);
    gitOk(cwd, ['commit', '-q', '-m', 'policy']);
    first = gitOk(cwd, ['rev-parse', 'HEAD']).trim();
    // An AI commit in a critical path, unreviewed (the commit-msg hook skipped): a violation.
    repo.write('src/payments/charge.ts', numbered('ai', 6) + numbered('human', 2));
    await repo.record('--tool', 'Claude Code', '--model', 'claude-sonnet-4-5', 'src/payments/charge.ts:1-6');
    gitOk(cwd, ['add', '-A']);
    gitOk(cwd, ['commit', '-q', '--no-verify', '-m', 'Charge cards']);
    // An AI commit outside critical paths.
    repo.write('src/util.ts', numbered('human', 3) + numbered('codex', 2));
    await repo.record('--tool', 'Codex', '--model', 'gpt-5', 'src/util.ts:4-5');
    gitOk(cwd, ['add', '-A']);
    gitOk(cwd, ['commit', '-q', '-m', 'Util']);
    assert.ok(noteOf(cwd), 'the history has notes');

    bare = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'aip-bare-'))) + '/mirror.git';
    gitOk(os.tmpdir(), ['clone', '-q', '--bare', cwd, bare]);
    gitOk(bare, ['fetch', '-q', 'origin', 'refs/notes/*:refs/notes/*']);
  });

  after(() => {
    repo.dispose();
    fs.rmSync(path.dirname(bare), { recursive: true, force: true });
  });

  it('check gives the same verdicts (and exit code) in the bare clone', async () => {
    const r = await same(['check', `${first}..HEAD`, '--format', 'json']);
    assert.equal(r.code, 1, 'the unreviewed AI commit is a violation');
    assert.equal((JSON.parse(r.stdout) as { violations: unknown[] }).violations.length, 1);
    await same(['check', `${first}..HEAD`]);
  });

  it('show gives the same note, as JSON and as text', async () => {
    const r = await same(['show', 'HEAD', '--json']);
    assert.match(r.stdout, /gpt-5/);
    await same(['show', 'HEAD~1']);
  });

  it('blame --rev gives the same lines', async () => {
    const r = await same(['blame', 'src/payments/charge.ts', '--rev', 'HEAD', '--json']);
    assert.equal((JSON.parse(r.stdout) as Array<{ kind: string }>).map((l) => l.kind[0]).join(''), 'aaaaaann');
    await same(['blame', 'src/util.ts', '--rev', 'HEAD~1']);
  });

  it('stats gives the same figures', async () => {
    const r = await same(['stats', '--json']);
    assert.match(r.stdout, /Codex/);
    await same(['stats', `${first}..HEAD`, '--by', 'path', '--json']);
  });

  it('export gives the same records', async () => {
    const r = await same(['export', '--format', 'agent-trace']);
    assert.equal(r.stdout.trim().split('\n').length, 2);
  });

  it('commands that need a worktree say so', async () => {
    for (const args of [['status'], ['record', '--tool', 'x', 'src/util.ts:1-1'], ['install'], ['blame', 'src/util.ts']]) {
      const r = await repo.cli(args, { cwd: bare });
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /bare repository/, args.join(' '));
    }
  });
});
