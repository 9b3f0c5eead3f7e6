/**
 * `git provenance consolidate` on real squash and rebase merges: a 5-commit branch (AI lines in
 * 3 commits, one of those lines later rewritten by a person) is merged the way a forge does it
 * (no hooks, no notes carried), and the consolidated notes make `blame --json` of the merged
 * files equal, line by line, to the per-line truth of the branch tip.
 */
import assert from 'node:assert/strict';
import { gitOk, numbered } from '../helpers/gitHooks';
import type { BlameJson } from '../helpers/gitHooks';
import { TempRepo } from '../helpers/tempRepo';

const noHooks = ['-c', 'core.hooksPath=/dev/null', '-c', 'notes.rewrite.rebase=false', '-c', 'notes.rewrite.amend=false'];
const files = ['src/app.ts', 'src/payments/charge.ts', 'src/util.ts'];

describe('git provenance consolidate (integration, real squash and rebase merges)', function () {
  this.timeout(240_000);
  let repo: TempRepo;
  let cwd: string;
  let base: string;
  let tip: string;

  const rev = (r: string): string => gitOk(cwd, ['rev-parse', r]).trim();
  const record = async (tool: string, model: string, span: string): Promise<void> => {
    const r = await repo.cli(['record', '--tool', tool, '--model', model, span]);
    assert.equal(r.code, 0, r.stderr);
  };
  const commit = (subject: string, ...more: string[]): void => {
    gitOk(cwd, ['add', '-A']);
    gitOk(cwd, ['commit', '-q', '-m', subject, ...more]);
  };
  /** Blame of a file at a revision, without the commit column (the merge makes new commits). */
  const truth = async (file: string, at: string): Promise<Array<Omit<BlameJson, 'commit'>>> => {
    const r = await repo.cli(['blame', '--json', '--rev', at, file]);
    assert.equal(r.code, 0, r.stderr);
    return (JSON.parse(r.stdout) as BlameJson[]).map(({ line, kind, tool, model }) => ({ line, kind, tool, model }));
  };

  before(async () => {
    repo = TempRepo.create();
    cwd = repo.root;
    const r = await repo.cli(['install']);
    assert.equal(r.code, 0, r.stderr);
    repo.write('src/app.ts', numbered('app', 4));
    repo.write('src/util.ts', numbered('util', 3));
    gitOk(cwd, ['add', '-A']);
    gitOk(cwd, [...noHooks, 'commit', '-q', '-m', 'Start']);
    gitOk(cwd, ['checkout', '-q', '-b', 'feature']);
    // 1: Claude Code writes six lines of app.ts.
    repo.write('src/app.ts', numbered('app', 4) + numbered('claude', 6));
    await record('Claude Code', 'claude-sonnet-4-5', 'src/app.ts:5-10');
    commit('Add the handler', '-m', 'Reviewed-by: Rita Reviewer <rita@example.com>');
    // 2: a person writes the payments file.
    repo.write('src/payments/charge.ts', numbered('human charge', 5));
    commit('Charge by hand');
    // 3: Copilot adds lines in the middle of it.
    repo.write('src/payments/charge.ts', numbered('human charge', 2) + numbered('copilot', 3) + numbered('human charge', 3, 3));
    await record('copilot', 'gpt-4o', 'src/payments/charge.ts:3-5');
    commit('Validate amounts');
    // 4: a person rewrites two of Claude's lines (7 and 8 of app.ts).
    const app = repo.read('src/app.ts').split('\n');
    app[6] = 'rewritten by a person 7';
    app[7] = 'rewritten by a person 8';
    repo.write('src/app.ts', app.join('\n'));
    commit('Fix the handler');
    // 5: Codex writes util lines.
    repo.write('src/util.ts', numbered('util', 3) + numbered('codex', 2));
    await record('Codex', 'gpt-5', 'src/util.ts:4-5');
    commit('Helpers');
    tip = rev('HEAD');
    // Meanwhile the target branch moved on.
    gitOk(cwd, [...noHooks, 'checkout', '-q', 'main']);
    repo.write('README.md', 'readme\n');
    gitOk(cwd, ['add', '-A']);
    gitOk(cwd, [...noHooks, 'commit', '-q', '-m', 'Readme on main']);
    base = rev('main');
  });
  after(() => repo.dispose());

  it('the branch has the truth to compare with: AI lines of three tools, two lines rewritten by a person', async () => {
    const app = await truth('src/app.ts', tip);
    assert.deepEqual(app.map((l) => l.kind[0]).join(''), 'nnnnaannaa');
    assert.deepEqual((await truth('src/payments/charge.ts', tip)).map((l) => l.tool), [null, null, 'GitHub Copilot', 'GitHub Copilot', 'GitHub Copilot', null, null, null]);
    assert.deepEqual((await truth('src/util.ts', tip)).map((l) => l.tool), [null, null, null, 'Codex', 'Codex']);
  });

  it('must-show: a squash merge (git merge --squash) gets a note whose blame equals the branch tip line by line', async () => {
    gitOk(cwd, [...noHooks, 'checkout', '-q', '-b', 'squashed', base]);
    gitOk(cwd, [...noHooks, 'merge', '--squash', 'feature']);
    // git's own squash message (SQUASH_MSG: each commit, its message indented), as a forge would write one.
    gitOk(cwd, [...noHooks, 'commit', '-q', '--no-edit']);
    const squash = rev('HEAD');
    // Before: the squash commit has no note, so blame loses every AI line.
    assert.ok((await truth('src/app.ts', squash)).every((l) => l.kind === 'none'));

    const r = await repo.cli(['consolidate', `${base}..feature`, '--onto', squash]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^${squash.slice(0, 12)} \\(squash, from ${tip.slice(0, 12)}\\): wrote a note of 3 files`, 'm'));
    for (const f of files) assert.deepEqual(await truth(f, squash), await truth(f, tip), f);

    const note = JSON.parse((await repo.cli(['show', '--json', squash])).stdout) as { metadata: { 'dev.ai-provenance': { source: string; mode: string; squashed: Array<{ subject: string; trailers: Array<{ key: string; value: string }> }> } } };
    const meta = note.metadata['dev.ai-provenance'];
    assert.equal(meta.source, 'consolidate');
    assert.equal(meta.mode, 'squash');
    assert.deepEqual(meta.squashed.map((s) => s.subject), ['Add the handler', 'Charge by hand', 'Validate amounts', 'Fix the handler', 'Helpers']);
    // The squashed commits' trailers travel in the note, whatever the message keeps.
    assert.ok(meta.squashed[0]!.trailers.some((t) => t.key === 'Reviewed-by' && t.value === 'Rita Reviewer <rita@example.com>'));
    assert.ok(meta.squashed[4]!.trailers.some((t) => t.key === 'Assisted-by' && /^Codex/.test(t.value)));
  });

  it('must-show: a rebase merge gets a note per rebased commit, and blame equals the branch tip line by line', async () => {
    gitOk(cwd, [...noHooks, 'checkout', '-q', '-b', 'rebased', 'feature']);
    gitOk(cwd, [...noHooks, 'rebase', '-q', base]);
    const rebasedTip = rev('HEAD');
    assert.notEqual(rebasedTip, tip);
    // No note came with the rebase: at most the commits' trailers speak (commit-level unknown), never a line's note.
    assert.ok((await truth('src/util.ts', rebasedTip)).every((l) => l.kind === 'none' || l.kind === 'unknown'), 'the forge carried no note');

    const r = await repo.cli(['consolidate', `${base}..${tip}`, '--onto', rebasedTip]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.split('\n').filter((l) => / \(rebase, from [0-9a-f]{12}\): wrote a note/.test(l)).length, 5, r.stdout);
    for (const f of files) assert.deepEqual(await truth(f, rebasedTip), await truth(f, tip), f);
  });

  it('lines the merge resolution wrote are unknown; a fast-forward keeps the notes and writes nothing', async () => {
    gitOk(cwd, [...noHooks, 'checkout', '-q', '-b', 'resolved', base]);
    gitOk(cwd, [...noHooks, 'merge', '--squash', 'feature']);
    // The person merging changes one of Codex's lines while resolving.
    repo.write('src/util.ts', numbered('util', 3) + 'codex 1\nresolved by the merge\n');
    gitOk(cwd, ['add', '-A']);
    gitOk(cwd, [...noHooks, 'commit', '-q', '-m', 'Feature (#2)']);
    const squash = rev('HEAD');
    assert.equal((await repo.cli(['consolidate', `${base}..feature`, '--onto', squash])).code, 0);
    assert.deepEqual((await truth('src/util.ts', squash)).map((l) => l.kind[0]).join(''), 'nnnau');

    const ff = await repo.cli(['consolidate', `${base}..feature`, '--onto', 'feature']);
    assert.equal(ff.code, 0, ff.stderr);
    assert.match(ff.stdout, /keeps the merged commits/);
  });

  it('says what is wrong with a range or a merge commit it cannot use', async () => {
    assert.equal((await repo.cli(['consolidate', 'nope..feature', '--onto', 'HEAD'])).code, 2);
    assert.equal((await repo.cli(['consolidate', `${base}..feature`])).code, 2);
    const empty = await repo.cli(['consolidate', 'feature..feature', '--onto', 'HEAD']);
    assert.equal(empty.code, 2);
    assert.match(empty.stderr, /holds no commits/);
  });
});
