/**
 * Attribution through history rewrites, on real repositories with the installed hooks: amend,
 * interactive rebase (squash, fixup, reword), cherry-pick, pull --rebase between two clones,
 * stash/pop and branch switches. After each, trailers appear once, the new commits carry
 * valid notes whose lines are right at the new commit, and blame still finds the AI lines.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { traceRecordErrors } from '../helpers/agentTrace';
import { blameJson, gitOk, gitRun, kinds, noteOf, noteRanges, numbered, ourTrailers } from '../helpers/gitHooks';
import { cliPath, TempRepo } from '../helpers/tempRepo';

/** Each of our trailer keys appears exactly once. */
function assertTrailersOnce(cwd: string): void {
  const ours = ourTrailers(cwd);
  assert.equal(ours.filter((t) => t.startsWith('AI-Lines:')).length, 1, ours.join('\n'));
  assert.equal(ours.filter((t) => t.startsWith('AI-Provenance:')).length, 1, ours.join('\n'));
  const assisted = ours.filter((t) => t.startsWith('Assisted-by:'));
  assert.equal(new Set(assisted).size, assisted.length, ours.join('\n'));
}

function assertNoteValid(cwd: string, rev = 'HEAD'): Record<string, unknown> {
  const note = noteOf(cwd, rev);
  assert.ok(note, `no note on ${rev}`);
  assert.equal(traceRecordErrors(note), '');
  assert.equal((note.vcs as { revision: string }).revision, gitOk(cwd, ['rev-parse', rev]).trim(), 'the record names its own commit');
  return note;
}

interface StatusJson {
  files: Array<{ path: string; ai: number; dropped: number }>;
}

describe('attribution through rewrites (integration)', function () {
  this.timeout(240_000);
  let repo: TempRepo;
  let cwd: string;
  const record = (...args: string[]): Promise<void> => repo.record(...args);
  /** base commit, then f.ts with AI lines 1-10 of 12 committed as "x". */
  const aiCommit = async (): Promise<void> => {
    repo.write('base.txt', 'base\n');
    gitOk(cwd, ['add', 'base.txt']);
    gitOk(cwd, ['commit', '-m', 'base']);
    repo.write('f.ts', numbered('line', 12));
    await record('--tool', 'Claude Code', '--model', 'claude-sonnet-4-5', 'f.ts:1-10');
    gitOk(cwd, ['add', 'f.ts']);
    gitOk(cwd, ['commit', '-m', 'x']);
  };
  beforeEach(async () => {
    repo = TempRepo.create();
    cwd = repo.root;
    assert.equal((await repo.cli(['install'])).code, 0);
  });
  afterEach(() => repo.dispose());

  it('must-show: amend keeps one set of trailers, a note on the new commit, and blame', async () => {
    await aiCommit();
    const before = gitOk(cwd, ['rev-parse', 'HEAD']).trim();
    gitOk(cwd, ['commit', '--amend', '-m', 'x amended']);
    assert.notEqual(gitOk(cwd, ['rev-parse', 'HEAD']).trim(), before);
    assertTrailersOnce(cwd);
    assert.deepEqual(noteRanges(assertNoteValid(cwd), 'f.ts'), [[1, 10]]);
    assert.equal(kinds(await blameJson(repo, 'f.ts')), 'aaaaaaaaaann');
  });

  it('must-show: rebase -i squash merges notes and trailers; fixup and reword keep them', async () => {
    await aiCommit();
    repo.write('g.ts', 'g human\ng ai\n');
    await record('--tool', 'Copilot', '--model', 'gpt-4o', 'g.ts:2');
    gitOk(cwd, ['add', 'g.ts']);
    gitOk(cwd, ['commit', '-m', 'add g']);
    gitOk(cwd, ['rebase', '-i', 'HEAD~2'], { env: { GIT_SEQUENCE_EDITOR: `sed -i -e '2s/^pick/squash/'` } });
    assert.equal(gitOk(cwd, ['rev-list', '--count', 'HEAD']).trim(), '2');
    assertTrailersOnce(cwd);
    const ours = ourTrailers(cwd);
    assert.ok(ours.includes('Assisted-by: Claude Code:claude-sonnet-4-5') && ours.includes('Assisted-by: GitHub Copilot:gpt-4o'), ours.join('\n'));
    assert.ok(ours.includes('AI-Lines: 11/14'), ours.join('\n'));
    const note = assertNoteValid(cwd);
    assert.deepEqual(noteRanges(note, 'f.ts'), [[1, 10]]);
    assert.deepEqual(noteRanges(note, 'g.ts'), [[2, 2]]);
    assert.equal(kinds(await blameJson(repo, 'f.ts')), 'aaaaaaaaaann');
    assert.equal(kinds(await blameJson(repo, 'g.ts')), 'na');

    // fixup: the fixup's own message goes, its AI lines are counted in.
    fs.appendFileSync(path.join(cwd, 'g.ts'), 'g ai 2\n');
    await record('--tool', 'Copilot', '--model', 'gpt-4o', 'g.ts:3');
    gitOk(cwd, ['commit', '-a', '-m', 'fix g']);
    gitOk(cwd, ['rebase', '-i', 'HEAD~2'], { env: { GIT_SEQUENCE_EDITOR: `sed -i -e '2s/^pick/fixup/'` } });
    assertTrailersOnce(cwd);
    assert.ok(ourTrailers(cwd).includes('AI-Lines: 12/15'), ourTrailers(cwd).join('\n'));
    assert.deepEqual(noteRanges(assertNoteValid(cwd), 'g.ts'), [[2, 2], [3, 3]], 'two sessions: two conversations');

    // reword: a new message, the same trailers once, the note moved to the new commit.
    gitOk(cwd, ['rebase', '-i', 'HEAD~1'], { env: { GIT_SEQUENCE_EDITOR: `sed -i -e '1s/^pick/reword/'`, GIT_EDITOR: `sed -i -e '1s/^/reworded: /'` } });
    assert.match(gitOk(cwd, ['log', '-1', '--format=%s']), /^reworded: x/);
    assertTrailersOnce(cwd);
    assert.deepEqual(noteRanges(assertNoteValid(cwd), 'f.ts'), [[1, 10]]);
    assert.equal(kinds(await blameJson(repo, 'g.ts')), 'naa');
  });

  it('must-show: cherry-pick carries the note to the new commit with its own id', async () => {
    await aiCommit();
    const original = gitOk(cwd, ['rev-parse', 'HEAD']).trim();
    const originalId = (noteOf(cwd) as { id: string }).id;
    gitOk(cwd, ['checkout', '-q', '-b', 'other', 'HEAD~1']);
    repo.write('other.txt', 'o\n');
    gitOk(cwd, ['add', 'other.txt']);
    gitOk(cwd, ['commit', '-m', 'other']);
    gitOk(cwd, ['cherry-pick', original]);
    assertTrailersOnce(cwd);
    const note = assertNoteValid(cwd);
    assert.notEqual(note.id, originalId, 'a copy gets its own record');
    assert.ok(ourTrailers(cwd).includes(`AI-Provenance: ${String(note.id)}`));
    assert.deepEqual(noteRanges(note, 'f.ts'), [[1, 10]]);
    const blame = await blameJson(repo, 'f.ts');
    assert.equal(kinds(blame), 'aaaaaaaaaann');
    assert.equal(blame[0]!.commit, gitOk(cwd, ['rev-parse', 'HEAD']).trim());
  });

  it('pull --rebase between two clones moves the lines and brings the other clone\'s notes', async () => {
    const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'aip-clones-')));
    try {
      const bare = path.join(tmp, 'shared.git');
      gitOk(tmp, ['init', '-q', '--bare', '-b', 'main', bare]);
      gitOk(cwd, ['remote', 'add', 'origin', bare]);
      repo.write('f.ts', numbered('line', 5));
      gitOk(cwd, ['add', 'f.ts']);
      gitOk(cwd, ['commit', '-m', 'start']);
      gitOk(cwd, ['push', '-q', '-u', 'origin', 'main']);
      // Clone B: AI lines at the top of f.ts, pushed with notes.
      const b = path.join(tmp, 'b');
      gitOk(tmp, ['clone', '-q', bare, b]);
      for (const [k, v] of [['user.name', 'B'], ['user.email', 'b@example.com'], ['commit.gpgsign', 'false']]) gitOk(b, ['config', k!, v!]);
      await repo.cli(['install'], { cwd: b });
      fs.writeFileSync(path.join(b, 'f.ts'), 'b ai 1\nb ai 2\n' + numbered('line', 5));
      assert.equal((await repo.cli(['record', '--tool', 'Gemini CLI', '--model', 'gemini-2.5-pro', 'f.ts:1-2'], { cwd: b })).code, 0);
      gitOk(b, ['commit', '-qam', 'b work']);
      gitOk(b, ['push', '-q', 'origin', 'main', 'refs/notes/ai-provenance']);
      // This clone: AI lines at the end of f.ts, committed locally, then pull --rebase.
      assert.equal((await repo.cli(['install', '--remote', 'origin'])).code, 0);
      fs.appendFileSync(path.join(cwd, 'f.ts'), 'a ai 1\na ai 2\n');
      await record('--tool', 'Claude Code', '--model', 'claude-sonnet-4-5', 'f.ts:6-7');
      gitOk(cwd, ['commit', '-qam', 'a work']);
      gitOk(cwd, ['pull', '-q', '--rebase']);
      assert.equal(repo.read('f.ts'), 'b ai 1\nb ai 2\n' + numbered('line', 5) + 'a ai 1\na ai 2\n');
      assertTrailersOnce(cwd);
      assert.deepEqual(noteRanges(assertNoteValid(cwd), 'f.ts'), [[8, 9]], 'our lines moved down by the two lines B added');
      const blame = await blameJson(repo, 'f.ts');
      assert.equal(kinds(blame), 'aannnnnaa');
      assert.deepEqual([blame[0]!.tool, blame[8]!.tool], ['Gemini CLI', 'Claude Code'], 'B\'s notes were fetched and merged');
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('stash and pop: the ledger keeps the stashed lines, even across a commit meanwhile', async () => {
    await aiCommit();
    fs.appendFileSync(path.join(cwd, 'f.ts'), 'stashed ai line\n');
    await record('--tool', 'T', 'f.ts:13');
    gitOk(cwd, ['stash', '-q']);
    let status = JSON.parse((await repo.cli(['status', '--json'])).stdout) as StatusJson;
    assert.deepEqual(status.files.map((f) => [f.path, f.ai, f.dropped]), [['f.ts', 0, 1]], 'reported as not matching, not lost');
    repo.write('other.txt', 'meanwhile\n');
    gitOk(cwd, ['add', 'other.txt']);
    gitOk(cwd, ['commit', '-m', 'meanwhile']);
    gitOk(cwd, ['stash', 'pop', '-q']);
    status = JSON.parse((await repo.cli(['status', '--json'])).stdout) as StatusJson;
    assert.deepEqual(status.files.map((f) => [f.path, f.ai]), [['f.ts', 1]]);
    gitOk(cwd, ['commit', '-qam', 'stashed work']);
    assert.ok(ourTrailers(cwd).includes('AI-Lines: 1/1'));
  });

  it('branch switch: ranges whose text leaves with the branch are kept and come back', async () => {
    await aiCommit();
    gitOk(cwd, ['checkout', '-q', '-b', 'side']);
    repo.write('side.ts', 'side ai one\nside ai two\n');
    await record('--tool', 'T', 'side.ts:1-2');
    // Committed without our hooks: the ledger still holds the lines.
    gitOk(cwd, ['-c', `core.hooksPath=${path.join(cwd, 'no-hooks')}`, 'add', 'side.ts']);
    gitOk(cwd, ['-c', `core.hooksPath=${path.join(cwd, 'no-hooks')}`, 'commit', '-qm', 'side, no hooks']);
    const sw = gitRun(cwd, ['checkout', 'main']);
    assert.equal(sw.code, 0, sw.stderr);
    assert.match(sw.stderr, /ai-provenance: 2 recorded AI range\(s\)|ai-provenance: 1 recorded AI range\(s\)/);
    let status = JSON.parse((await repo.cli(['status', '--json'])).stdout) as StatusJson;
    assert.equal(status.files.find((f) => f.path === 'side.ts')?.ai ?? 0, 0);
    gitOk(cwd, ['checkout', '-q', 'side']);
    status = JSON.parse((await repo.cli(['status', '--json'])).stdout) as StatusJson;
    assert.deepEqual(status.files.map((f) => [f.path, f.ai]), [['side.ts', 2]]);
    assert.equal(kinds(await blameJson(repo, 'side.ts')), 'aa', 'committed without hooks: blame falls back to the ledger');
    assert.equal(kinds(await blameJson(repo, 'f.ts')), 'aaaaaaaaaann');
  });

  it('the hooks run the hook entry beside the CLI they were installed from', () => {
    const hook = fs.readFileSync(path.join(cwd, '.git', 'hooks', 'post-rewrite'), 'utf8');
    assert.ok(hook.includes(path.join(path.dirname(cliPath), 'hook.js').replace(/\\/g, '/')));
  });
});
