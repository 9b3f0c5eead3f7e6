/**
 * Notes travel both ways between clones of one bare repository, with the hooks `install
 * --remote origin` writes: a plain `git push` also shares the notes (pre-push git hook: fetch,
 * union merge, push), so two clones adding notes both get theirs to the remote; a plain
 * `git pull` brings the other clone's notes and merges them (post-merge git hook); blame, stats
 * and check say when a commit's note is not in this clone rather than reporting no AI.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { traceRecordErrors } from '../helpers/agentTrace';
import { blameJson, gitOk, gitRun, kinds, noteOf } from '../helpers/gitHooks';
import { TempRepo } from '../helpers/tempRepo';

describe('notes shared between clones (integration)', function () {
  this.timeout(240_000);
  let tmp: string;
  let bare: string;
  // The CLI is run through a TempRepo whose own folder is unused: each call names its clone.
  let cli: TempRepo;

  const clone = async (name: string): Promise<string> => {
    const dir = path.join(tmp, name);
    gitOk(tmp, ['clone', '-q', bare, dir]);
    for (const [k, v] of [['user.name', name], ['user.email', `${name}@example.com`], ['commit.gpgsign', 'false'], ['gc.auto', '0'], ['pull.rebase', 'false']]) gitOk(dir, ['config', k!, v!]);
    const r = await cli.cli(['install', '--remote', 'origin'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    return dir;
  };
  const aiCommit = async (dir: string, file: string, tool: string, model: string): Promise<string> => {
    fs.writeFileSync(path.join(dir, file), `${file} ai 1\n${file} ai 2\n${file} ai 3\n${file} by hand\n`);
    const r = await cli.cli(['record', '--tool', tool, '--model', model, `${file}:1-3`], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    gitOk(dir, ['add', file]);
    gitOk(dir, ['commit', '-q', '-m', `${file} by ${tool}`]);
    return gitOk(dir, ['rev-parse', 'HEAD']).trim();
  };
  /** The commits the bare repository has notes for. */
  const remoteNoted = (): string[] => gitOk(bare, ['notes', '--ref', 'ai-provenance', 'list']).split('\n').filter((l) => l).map((l) => l.split(' ')[1]!).sort();

  beforeEach(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'aip-share-')));
    bare = path.join(tmp, 'shared.git');
    gitOk(tmp, ['init', '-q', '--bare', '-b', 'main', bare]);
    cli = TempRepo.create();
  });
  afterEach(() => {
    cli.dispose();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('must-show: two clones commit AI lines and push; after a pull both blame all AI lines, and both notes pushes landed', async () => {
    const a = await clone('a');
    fs.writeFileSync(path.join(a, 'README'), 'shared\n');
    gitOk(a, ['add', 'README']);
    gitOk(a, ['commit', '-q', '-m', 'start']);
    gitOk(a, ['push', '-q', '-u', 'origin', 'main']);
    const b = await clone('b');

    const ca = await aiCommit(a, 'a.ts', 'Claude Code', 'claude-sonnet-4-5');
    const cb = await aiCommit(b, 'b.ts', 'Copilot', 'gpt-4o');
    const pa = gitRun(a, ['push']);
    assert.equal(pa.code, 0, pa.stderr);
    assert.deepEqual(remoteNoted(), [ca], 'a plain git push took the note along');

    // B is behind: its branch push is refused, as git does; its notes are shared all the same.
    const refused = gitRun(b, ['push']);
    assert.notEqual(refused.code, 0);
    assert.doesNotMatch(refused.stderr, /ai-provenance:/, refused.stderr);
    assert.deepEqual(remoteNoted(), [ca, cb].sort(), 'B fetched and merged A\'s notes, then pushed both as a fast-forward');

    const pull = gitRun(b, ['pull', '-q']);
    assert.equal(pull.code, 0, pull.stderr);
    const pb = gitRun(b, ['push']);
    assert.equal(pb.code, 0, pb.stderr);
    assert.doesNotMatch(pb.stderr, /ai-provenance:/, pb.stderr);
    // A plain fetch runs no git hook: the fetched notes count before anything merges them.
    gitOk(a, ['fetch', '-q']);
    assert.equal(kinds(await blameJson(cli, 'b.ts', ['--rev', 'origin/main'], a)), 'aaan', 'fetched notes count at once');
    const pullA = gitRun(a, ['pull', '-q']);
    assert.equal(pullA.code, 0, pullA.stderr);

    for (const dir of [a, b]) {
      const ba = await blameJson(cli, 'a.ts', [], dir);
      const bb = await blameJson(cli, 'b.ts', [], dir);
      assert.equal(kinds(ba), 'aaan', `a.ts in ${dir}`);
      assert.equal(kinds(bb), 'aaan', `b.ts in ${dir}`);
      assert.deepEqual([ba[0]!.tool, ba[0]!.commit, bb[0]!.tool, bb[0]!.commit], ['Claude Code', ca, 'GitHub Copilot', cb]);
      for (const c of [ca, cb]) assert.equal(traceRecordErrors(noteOf(dir, c)), '', `the note of ${c} in ${dir} is one valid record`);
    }
    assert.equal(gitOk(a, ['rev-parse', 'refs/notes/ai-provenance']), gitOk(b, ['rev-parse', 'refs/notes/ai-provenance']), 'both clones hold the same notes');
  });

  it('a notes push that loses a race with another clone is merged and pushed again', async () => {
    const a = await clone('a');
    fs.writeFileSync(path.join(a, 'README'), 'shared\n');
    gitOk(a, ['add', 'README']);
    gitOk(a, ['commit', '-q', '-m', 'start']);
    gitOk(a, ['push', '-q', '-u', 'origin', 'main']);
    const base = gitOk(a, ['rev-parse', 'HEAD']).trim();
    // The server: the first time notes arrive, another clone's notes land first (written by
    // the server itself, outside the quarantine git keeps a push's objects in), so ours are
    // no longer a fast-forward.
    const racer = { version: '1.0', id: 'cccccccc-cccc-4ccc-8ccc-cccccccccccc', timestamp: '2026-01-01T00:00:00.000Z', vcs: { type: 'git', revision: base }, files: [] };
    const hook = path.join(bare, 'hooks', 'pre-receive');
    fs.writeFileSync(
      hook,
      `#!/bin/sh
while read old new ref; do
  if [ "$ref" = refs/notes/ai-provenance ] && [ ! -f "$GIT_DIR/raced" ]; then
    touch "$GIT_DIR/raced"
    (unset GIT_QUARANTINE_PATH GIT_OBJECT_DIRECTORY GIT_ALTERNATE_OBJECT_DIRECTORIES; git notes --ref ai-provenance add -m '${JSON.stringify(racer)}' ${base}) >&2
  fi
done
exit 0
`,
      { mode: 0o755 },
    );
    const ca = await aiCommit(a, 'a.ts', 'Claude Code', 'claude-sonnet-4-5');
    const p = gitRun(a, ['push']);
    assert.equal(p.code, 0, p.stderr);
    assert.ok(fs.existsSync(path.join(bare, 'raced')), 'the race happened');
    assert.doesNotMatch(p.stderr, /ai-provenance: could not/, p.stderr);
    assert.deepEqual(remoteNoted(), [base, ca].sort(), 'both the other clone\'s note and ours are on the remote');
  });

  it('two records of one commit from two clones become one valid record', async () => {
    const a = await clone('a');
    const ca = await aiCommit(a, 'a.ts', 'Claude Code', 'claude-sonnet-4-5');
    gitOk(a, ['push', '-q', '-u', 'origin', 'main']);
    const b = await clone('b');
    // Each clone writes its own record of the same commit (as a re-run import would): A marks
    // line 4 as well, B's record is A's original one with another id.
    const aAgain = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
    const original = noteOf(a, ca)!;
    const files = original.files as Array<{ path: string; conversations: Array<{ ranges: Array<{ start_line: number; end_line: number }> }> }>;
    const widened = { ...original, id: aAgain, timestamp: '2026-02-01T00:00:00.000Z', files: files.map((f) => ({ ...f, conversations: f.conversations.map((c) => ({ ...c, ranges: [{ start_line: 1, end_line: 4 }] })) })) };
    gitOk(a, ['notes', '--ref', 'ai-provenance', 'add', '-f', '-m', JSON.stringify(widened), ca]);
    gitOk(b, ['notes', '--ref', 'ai-provenance', 'add', '-f', '-m', JSON.stringify({ ...original, id: 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', timestamp: '2026-01-15T00:00:00.000Z' }), ca]);
    gitOk(a, ['push', '-q', 'origin', 'refs/notes/ai-provenance']);
    fs.writeFileSync(path.join(b, 'other.txt'), 'x\n');
    gitOk(b, ['add', 'other.txt']);
    gitOk(b, ['commit', '-q', '-m', 'other']);
    const pb = gitRun(b, ['push']);
    assert.equal(pb.code, 0, pb.stderr);
    const merged = noteOf(b, ca);
    assert.ok(merged, 'one record, parsed as one JSON value');
    assert.equal(traceRecordErrors(merged), '');
    assert.equal(merged.id, aAgain, 'the newer record leads');
    assert.equal(kinds(await blameJson(cli, 'a.ts', [], b)), 'aaaa');
  });

  it('sync shares notes both ways with a remote install did not set up', async () => {
    const a = await clone('a');
    const ca = await aiCommit(a, 'a.ts', 'Claude Code', 'claude-sonnet-4-5');
    gitOk(a, ['push', '-q', '-u', 'origin', 'main']);
    const c = path.join(tmp, 'c');
    gitOk(tmp, ['clone', '-q', bare, c]);
    for (const [k, v] of [['user.name', 'c'], ['user.email', 'c@example.com'], ['commit.gpgsign', 'false']]) gitOk(c, ['config', k!, v!]);
    assert.equal((await cli.cli(['install'], { cwd: c })).code, 0);
    const cc = await aiCommit(c, 'c.ts', 'Cursor', 'gpt-4o');
    gitOk(c, ['push', '-q']);
    assert.deepEqual(remoteNoted(), [ca], 'without --remote, a push leaves the notes alone');
    const r = await cli.cli(['sync'], { cwd: c });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(remoteNoted(), [ca, cc].sort());
    assert.equal(kinds(await blameJson(cli, 'a.ts', [], c)), 'aaan');
    assert.equal((await cli.cli(['sync', 'nope'], { cwd: c })).code, 2);
  });

  it('blame, stats and check say when notes are missing locally', async () => {
    const a = await clone('a');
    const ca = await aiCommit(a, 'a.ts', 'Claude Code', 'claude-sonnet-4-5');
    gitOk(a, ['push', '-q', '-u', 'origin', 'main']);
    // A clone without our setup: the commit and its trailers arrive, its note does not.
    const c = path.join(tmp, 'c');
    gitOk(tmp, ['clone', '-q', bare, c]);
    const hint = /notes missing locally for 1 commit.*git fetch origin '\+refs\/notes\/ai-provenance:refs\/notes\/remotes\/origin\/ai-provenance'/;
    const blame = await cli.cli(['blame', '--json', 'a.ts'], { cwd: c });
    assert.equal(blame.code, 0, blame.stderr);
    // The commit's own trailers say AI helped, so its lines are unknown at commit level (#16), never none.
    assert.equal(kinds(JSON.parse(blame.stdout) as Array<{ kind: string }> as never), 'uuuu');
    assert.match(blame.stderr, hint);
    const stats = await cli.cli(['stats', '--json'], { cwd: c });
    assert.match(stats.stderr, hint);
    const check = await cli.cli(['check', 'HEAD'], { cwd: c });
    assert.match(check.stderr, hint);
    // Fetched but not merged (no hook runs on a fetch): the fetched notes count.
    gitOk(c, ['fetch', '-q', 'origin', '+refs/notes/ai-provenance:refs/notes/remotes/origin/ai-provenance']);
    const fetched = await cli.cli(['blame', '--json', 'a.ts'], { cwd: c });
    assert.equal(kinds(JSON.parse(fetched.stdout) as never), 'aaan', 'fetched notes count');
    assert.doesNotMatch(fetched.stderr, /missing/);
    // And with the notes, nothing is said.
    gitOk(c, ['fetch', '-q', 'origin', 'refs/notes/ai-provenance:refs/notes/ai-provenance']);
    const whole = await cli.cli(['blame', '--json', 'a.ts'], { cwd: c });
    assert.equal(kinds(JSON.parse(whole.stdout) as never), 'aaan');
    assert.equal(whole.stderr, '');
    assert.ok(ca);
  });
});
