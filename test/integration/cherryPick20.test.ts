/**
 * A cherry-pick of a range of 20 commits with AI notes gives every new commit the same trailers
 * and the same note as the hooks gave before picks of a range were left to one node run (issue
 * #15), and starts node at most three times for the whole range.
 *
 * The expected outcome, test/fixtures/cherryPick20.expected.json, was written by this same
 * scenario run with the hooks of the build before that change (`AIP_PICK20_CLI=<old dist/cli.js>
 * AIP_PICK20_WRITE=<file>` writes it instead of comparing). As in rebase50.test.ts, uuids become
 * their order of first appearance, times are left out, and a note's revision becomes its
 * commit's subject.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { NoteOutcome } from '../helpers/gitHooks';
import { gitOk, noteOutcomes, numbered } from '../helpers/gitHooks';
import { fixedEnv, runProcess, TempRepo } from '../helpers/tempRepo';

const expectedFile = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'cherryPick20.expected.json');

describe('a cherry-pick of 20 commits with AI notes (integration)', function () {
  // 20 AI commits through the hooks and a cherry-pick, on a machine shared with other work.
  this.timeout(600_000);
  let repo: TempRepo;
  afterEach(() => repo?.dispose());

  it('gives every picked commit the trailers and note it got before, with at most three node starts', async () => {
    repo = TempRepo.create();
    const cwd = repo.root;
    const cli = process.env.AIP_PICK20_CLI;
    const run = (args: string[]): Promise<{ code: number; stderr: string }> =>
      cli ? runProcess(process.execPath, [cli, ...args], { cwd, env: { ...process.env, ...fixedEnv } }) : repo.cli(args);
    // Node counted as hookNodeStarts.test.ts counts it: the hooks run a wrapper that logs each start.
    const counter = path.join(cwd, '.git', 'node-starts');
    const wrapper = path.join(cwd, '.git', 'counting-node');
    fs.writeFileSync(wrapper, `#!/bin/sh\necho "$*" >> '${counter}'\nexec '${process.execPath}' "$@"\n`, { mode: 0o755 });
    assert.equal((await run(['install', '--node', wrapper])).code, 0);
    const shared = (k: number): string => `src/shared${k}.ts`;
    for (let k = 0; k < 4; k++) repo.write(shared(k), numbered(`shared ${k} line`, 30));
    gitOk(cwd, ['add', '-A']);
    gitOk(cwd, ['commit', '-m', 'base']);
    gitOk(cwd, ['checkout', '-q', '-b', 'feature']);
    for (let i = 0; i < 20; i++) {
      // AI lines in the middle of a shared file; every third commit also adds a file of its own.
      const file = shared(i % 4);
      const lines = fs.readFileSync(path.join(cwd, file), 'utf8').split('\n');
      lines.splice(15, 0, `ai ${i} a`, `ai ${i} b`);
      repo.write(file, lines.join('\n'));
      const spans = [`${file}:16-17`];
      if (i % 3 === 0) {
        repo.write(`src/own${i}.ts`, numbered(`own ${i} line`, 5));
        spans.push(`src/own${i}.ts:2-3`);
      }
      const rec = await run(['record', '--tool', i % 2 ? 'Claude Code' : 'GitHub Copilot', '--model', `model-${i % 3}`, ...spans]);
      assert.equal(rec.code, 0, rec.stderr);
      gitOk(cwd, ['add', '-A']);
      gitOk(cwd, ['commit', '-m', `feature ${i}`]);
    }
    gitOk(cwd, ['checkout', '-q', 'main']);
    // Main moves the lines the picks apply to (inserted at the top) without touching them.
    for (const k of [0, 2]) {
      repo.write(shared(k), numbered(`main ${k} top`, 4) + fs.readFileSync(path.join(cwd, shared(k)), 'utf8'));
      gitOk(cwd, ['commit', '-qam', `main ${k}`]);
    }
    fs.rmSync(counter, { force: true });
    gitOk(cwd, ['cherry-pick', 'main..feature']);
    const starts = fs.existsSync(counter) ? fs.readFileSync(counter, 'utf8').split('\n').filter((l) => l.length > 0) : [];
    const revs = gitOk(cwd, ['rev-list', '--reverse', 'feature..main']).trim().split('\n').slice(2);
    assert.equal(revs.length, 20);
    const got = noteOutcomes(cwd, revs);
    assert.equal(got.filter((o) => o.note !== null).length, 20, 'every picked commit has a note');
    if (process.env.AIP_PICK20_WRITE) {
      fs.writeFileSync(process.env.AIP_PICK20_WRITE, JSON.stringify(got, null, 1) + '\n');
      return;
    }
    const expected = JSON.parse(fs.readFileSync(expectedFile, 'utf8')) as NoteOutcome[];
    for (let i = 0; i < 20; i++) assert.deepEqual(got[i], expected[i], `commit ${i} (${got[i]!.subject})`);
    assert.ok(starts.length <= 3, `node started ${starts.length} times for the cherry-pick of 20:\n${starts.join('\n')}`);
  });
});
