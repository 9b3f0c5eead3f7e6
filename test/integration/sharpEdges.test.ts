/**
 * Small sharp edges of the CLI, each as a user meets it: `git provenance --help` (git opens the
 * man page), output piped into `head`, a file that is missing or a folder, and blame of a new
 * file that is not in HEAD yet.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findOnPath } from '../../src/git/hookRuntime';
import { blameJson, kinds } from '../helpers/gitHooks';
import { cliPath, fixedEnv, TempRepo } from '../helpers/tempRepo';

const projectRoot = path.resolve(path.dirname(cliPath), '..');

describe('CLI sharp edges (integration)', function () {
  this.timeout(240_000);
  let repo: TempRepo;
  beforeEach(() => {
    repo = TempRepo.create();
    repo.write('old.ts', 'a\n');
    repo.git('add', 'old.ts');
    repo.git('-c', 'core.hooksPath=/dev/null', 'commit', '-q', '-m', 'first');
  });
  afterEach(() => repo.dispose());

  it('ships a man page made from the usage texts, which `git provenance --help` opens through git', function () {
    const check = spawnSync(process.execPath, [path.join(projectRoot, 'scripts', 'manPage.mjs'), '--check'], { encoding: 'utf8' });
    assert.equal(check.status, 0, check.stderr);
    const pkg = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { man?: string };
    assert.equal(pkg.man, './man/git-provenance.1', 'npm installs the page with the package');
    if (!findOnPath('man', process.env.PATH)) this.skip();
    // Installed as npm installs it: git-provenance on PATH, its page on MANPATH.
    const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'aip-man-')));
    try {
      fs.mkdirSync(path.join(tmp, 'bin'));
      fs.writeFileSync(path.join(tmp, 'bin', 'git-provenance'), `#!/bin/sh\nexec '${process.execPath}' '${cliPath}' "$@"\n`, { mode: 0o755 });
      fs.mkdirSync(path.join(tmp, 'man', 'man1'), { recursive: true });
      fs.copyFileSync(path.join(projectRoot, 'man', 'git-provenance.1'), path.join(tmp, 'man', 'man1', 'git-provenance.1'));
      const env = { ...process.env, PATH: `${path.join(tmp, 'bin')}:${process.env.PATH ?? ''}`, MANPATH: path.join(tmp, 'man'), MANPAGER: 'cat', PAGER: 'cat', MANWIDTH: '100', GIT_CONFIG_NOSYSTEM: '1' };
      const viaGit = spawnSync('git', ['provenance', '--help'], { cwd: repo.root, env, encoding: 'utf8' });
      assert.equal(viaGit.status, 0, viaGit.stderr);
      assert.match(viaGit.stdout, /GIT-PROVENANCE\(1\)/);
      assert.match(viaGit.stdout, /usage: git provenance blame <file>/);
      const viaHelp = spawnSync('git', ['provenance', 'help'], { cwd: repo.root, env, encoding: 'utf8' });
      assert.match(viaHelp.stdout, /^git provenance .* which lines AI wrote, in git/, 'git provenance help prints the usage');
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('ends quietly with 0 when the reader of its output stops early (| head)', async () => {
    repo.write('big.ts', Array.from({ length: 30_000 }, (_, i) => `line ${i}\n`).join(''));
    const result = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [cliPath, 'blame', 'big.ts'], { cwd: repo.root, env: { ...process.env, ...fixedEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      // As `head -1` does: read the first chunk, then close the pipe.
      child.stdout.once('data', () => child.stdout.destroy());
      child.on('close', (code, signal) => resolve({ code, signal, stderr }));
    });
    assert.deepEqual(result, { code: 0, signal: null, stderr: '' });
    // And through a real shell pipeline.
    const sh = spawnSync('sh', ['-c', `'${process.execPath}' '${cliPath}' blame big.ts | head -n 1; echo "status $?"`], { cwd: repo.root, encoding: 'utf8' });
    assert.match(sh.stdout, /^ {4}1 none +working +line 0\nstatus 0\n$/);
    assert.equal(sh.stderr, '');
  });

  it('says "no such file: X" and "is a directory: X", not ENOENT or EISDIR', async () => {
    fs.mkdirSync(path.join(repo.root, 'dir'));
    const cases: Array<[string[], RegExp]> = [
      [['record', '--tool', 'T', 'nope.ts:1'], /^git provenance record: no such file: nope\.ts$/m],
      [['record', '--tool', 'T', 'dir:1'], /^git provenance record: is a directory: dir$/m],
      [['blame', 'nope.ts'], /^git provenance blame: no such file: nope\.ts$/m],
      [['blame', 'dir'], /^git provenance blame: is a directory: dir$/m],
      [['export', '--format', 'agent-trace', '-o', 'dir'], /^git provenance export: is a directory: dir$/m],
      [['export', '--format', 'agent-trace', '-o', 'no/such/folder/out.jsonl'], /^git provenance export: no such file: no\/such\/folder\/out\.jsonl$/m],
    ];
    for (const [args, message] of cases) {
      const r = await repo.cli(args);
      assert.notEqual(r.code, 0, args.join(' '));
      assert.match(r.stderr, message, args.join(' '));
      assert.doesNotMatch(r.stderr, /ENOENT|EISDIR|\n\s+at /, `${args.join(' ')}: no raw code, no stack`);
    }
  });

  it('blames a new file not in HEAD yet: its AI lines from the ledger, all uncommitted', async () => {
    repo.write('src/new.ts', 'mine\nai 1\nai 2\n');
    await repo.record('--tool', 'claude', '--model', 'm', 'src/new.ts:2-3');
    const lines = await blameJson(repo, 'src/new.ts');
    assert.equal(kinds(lines), 'naa');
    assert.deepEqual(lines[1], { line: 2, kind: 'ai', tool: 'Claude Code', model: 'm', commit: null });
    const text = await repo.cli(['blame', 'src/new.ts']);
    assert.match(text.stdout, /^2 ai +Claude Code:m working +ai 1$/m);
    // Staged but not committed: the same.
    repo.git('add', 'src/new.ts');
    assert.equal(kinds(await blameJson(repo, 'src/new.ts')), 'naa');
  });
});
