/**
 * A rebase of 50 commits with AI notes gives every commit the same trailers and the same note
 * as the hooks did before they skipped node during rebases (issue #15): per-commit hooks now do
 * only sh work while git's sequencer picks, and post-rewrite rebuilds the notes once.
 *
 * The expected outcome, test/fixtures/rebase50.expected.json, was written by this same scenario
 * run with the hooks of the build before that change (`AIP_REBASE50_CLI=<old dist/cli.js>
 * AIP_REBASE50_WRITE=<file>` writes it instead of comparing). Ids, times and commit ids differ
 * from run to run, so both sides are normalised the same way: each uuid becomes its order of
 * first appearance, times are left out, and a note's revision becomes its commit's subject.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { NoteOutcome } from '../helpers/gitHooks';
import { gitOk, noteOutcomes, numbered } from '../helpers/gitHooks';
import { fixedEnv, runProcess, TempRepo } from '../helpers/tempRepo';

const expectedFile = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'rebase50.expected.json');

describe('a rebase of 50 commits with AI notes (integration)', function () {
  // 50 AI commits through the hooks and a rebase, on a machine shared with other work.
  this.timeout(900_000);
  let repo: TempRepo;
  afterEach(() => repo?.dispose());

  it('gives every commit the trailers and note it got before hooks skipped node in rebases', async () => {
    repo = TempRepo.create();
    const cwd = repo.root;
    const cli = process.env.AIP_REBASE50_CLI;
    const run = (args: string[]): Promise<{ code: number; stderr: string }> =>
      cli ? runProcess(process.execPath, [cli, ...args], { cwd, env: { ...process.env, ...fixedEnv } }) : repo.cli(args);
    assert.equal((await run(['install'])).code, 0);
    const shared = (k: number): string => `src/shared${k}.ts`;
    for (let k = 0; k < 5; k++) repo.write(shared(k), numbered(`shared ${k} line`, 40));
    gitOk(cwd, ['add', '-A']);
    gitOk(cwd, ['commit', '-m', 'base']);
    gitOk(cwd, ['checkout', '-q', '-b', 'feature']);
    for (let i = 0; i < 50; i++) {
      // Three AI lines in the middle of a shared file, below what main changes; every third
      // commit also adds a file of its own, partly AI-written; every tenth a human-only change.
      const file = shared(i % 5);
      const lines = fs.readFileSync(path.join(cwd, file), 'utf8').split('\n');
      lines.splice(20, 0, `ai ${i} a`, `ai ${i} b`, `ai ${i} c`);
      repo.write(file, lines.join('\n'));
      const spans = [`${file}:21-23`];
      if (i % 3 === 0) {
        repo.write(`src/own${i}.ts`, numbered(`own ${i} line`, 6));
        spans.push(`src/own${i}.ts:2-4`);
      }
      const rec = await run(['record', '--tool', i % 2 ? 'Claude Code' : 'GitHub Copilot', '--model', `model-${i % 4}`, ...spans]);
      assert.equal(rec.code, 0, rec.stderr);
      if (i % 10 === 9) repo.write('human.txt', numbered(`human ${i}`, 3));
      gitOk(cwd, ['add', '-A']);
      gitOk(cwd, ['commit', '-m', `feature ${i}`]);
    }
    gitOk(cwd, ['checkout', '-q', 'main']);
    // Main moves the lines the picks apply to (inserted at the top) without touching them.
    for (const k of [0, 3]) {
      repo.write(shared(k), numbered(`main ${k} top`, 5) + fs.readFileSync(path.join(cwd, shared(k)), 'utf8'));
      gitOk(cwd, ['commit', '-qam', `main ${k}`]);
    }
    gitOk(cwd, ['checkout', '-q', 'feature']);
    gitOk(cwd, ['rebase', 'main']);
    const revs = gitOk(cwd, ['rev-list', '--reverse', 'main..feature']).trim().split('\n');
    assert.equal(revs.length, 50);
    const got = noteOutcomes(cwd, revs);
    assert.equal(got.filter((o) => o.note !== null).length, 50, 'every rebased commit has a note');
    if (process.env.AIP_REBASE50_WRITE) {
      fs.writeFileSync(process.env.AIP_REBASE50_WRITE, JSON.stringify(got, null, 1) + '\n');
      return;
    }
    const expected = JSON.parse(fs.readFileSync(expectedFile, 'utf8')) as NoteOutcome[];
    for (let i = 0; i < 50; i++) assert.deepEqual(got[i], expected[i], `commit ${i} (${got[i]!.subject})`);
  });
});
