/**
 * `git provenance blame` and `show` on real repositories: committed lines found through the
 * commits git blame names (also after later commits moved them and after a rename),
 * uncommitted lines from the ledger, `--rev`, and the readable and JSON forms of a note.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { blameJson, gitOk, kinds, noteOf, numbered } from '../helpers/gitHooks';
import { TempRepo } from '../helpers/tempRepo';

describe('git provenance blame and show (integration)', function () {
  this.timeout(240_000);
  let repo: TempRepo;
  let cwd: string;
  const record = (...args: string[]): Promise<void> => repo.record(...args);
  before(async () => {
    repo = TempRepo.create();
    cwd = repo.root;
    assert.equal((await repo.cli(['install'])).code, 0);
    repo.write('f.ts', numbered('line', 6));
    await record('--tool', 'Claude Code', '--model', 'claude-sonnet-4-5', 'f.ts:2-4');
    gitOk(cwd, ['add', 'f.ts']);
    gitOk(cwd, ['commit', '-m', 'ai lines']);
    // A person inserts two lines at the top and edits line 3 (an AI line) in a later commit.
    repo.write('f.ts', 'top 1\ntop 2\n' + numbered('line', 6).replace('line 3\n', 'line 3 edited\n'));
    gitOk(cwd, ['commit', '-qam', 'human edits']);
    gitOk(cwd, ['mv', 'f.ts', 'g.ts']);
    gitOk(cwd, ['commit', '-qm', 'rename']);
    // Not committed: an AI line appended, recorded in the ledger.
    fs.appendFileSync(path.join(cwd, 'g.ts'), 'uncommitted ai\n');
    await record('--tool', 'github.copilot', 'g.ts:9');
  });
  after(() => repo.dispose());

  it('follows committed lines through later commits and a rename, and adds the ledger\'s', async () => {
    const lines = await blameJson(repo, 'g.ts');
    assert.equal(kinds(lines), 'nnnananna');
    const first = gitOk(cwd, ['rev-parse', 'HEAD~2']).trim();
    assert.deepEqual(lines[3], { line: 4, kind: 'ai', tool: 'Claude Code', model: 'claude-sonnet-4-5', commit: first });
    assert.equal(lines[4]!.commit, gitOk(cwd, ['rev-parse', 'HEAD~1']).trim(), 'the edited line belongs to the later commit');
    assert.deepEqual(lines[8], { line: 9, kind: 'ai', tool: 'GitHub Copilot', model: null, commit: null });
    assert.equal(lines[0]!.kind, 'none');
  });

  it('blames an older revision with --rev, without the ledger', async () => {
    const lines = await blameJson(repo, 'f.ts', ['--rev', 'HEAD~2']);
    assert.equal(kinds(lines), 'naaann');
  });

  it('prints a readable table, and usage errors exit 2', async () => {
    const r = await repo.cli(['blame', 'g.ts']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^4 ai +Claude Code:claude-sonnet-4-5 [0-9a-f]{8} line 2$/m);
    assert.match(r.stdout, /^9 ai +GitHub Copilot:unknown +working +uncommitted ai$/m);
    assert.equal((await repo.cli(['blame', 'missing.ts'])).code, 2);
    assert.equal((await repo.cli(['blame', 'g.ts', '--rev', 'nope'])).code, 2);
  });

  it('shows a note readably and as JSON', async () => {
    const rev = gitOk(cwd, ['rev-parse', 'HEAD~2']).trim();
    const text = await repo.cli(['show', 'HEAD~2']);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /AI lines: 3 of 6 added/);
    assert.match(text.stdout, /f\.ts\n +lines 2-4 +ai +Claude Code:claude-sonnet-4-5/);
    const json = await repo.cli(['show', '--json', rev]);
    assert.deepEqual(JSON.parse(json.stdout), noteOf(cwd, rev));
    const none = await repo.cli(['show']);
    assert.match(none.stdout, /No AI provenance note/);
  });
});
