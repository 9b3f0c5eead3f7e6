/**
 * Trailers written by the installed prepare-commit-msg / commit-msg hooks, on real
 * repositories, with git running the built CLI exactly as it does for users: every way of
 * giving a message, partial staging, amend, merge, first commit, detached HEAD, cleanup modes,
 * comment characters, hostile tool names.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gitOk, gitRun, messageOf, noteOf, noteRanges, numbered, ourTrailers, trailersOf } from '../helpers/gitHooks';
import { traceRecordErrors } from '../helpers/agentTrace';
import { TempRepo } from '../helpers/tempRepo';

interface StatusJson {
  files: Array<{ path: string; ai: number; ranges: Array<{ startLine: number; endLine: number }> }>;
}

describe('commit trailers (integration)', function () {
  this.timeout(240_000);
  let repo: TempRepo;
  let cwd: string;
  const record = (...args: string[]): Promise<void> => repo.record(...args);
  beforeEach(async () => {
    repo = TempRepo.create();
    cwd = repo.root;
    const r = await repo.cli(['install']);
    assert.equal(r.code, 0, r.stderr);
  });
  afterEach(() => repo.dispose());

  it('must-show: a terminal commit gets Assisted-by and AI-Lines, and a valid note naming lines 1-10', async () => {
    repo.write('f.ts', numbered('line', 12));
    await record('--tool', 'Claude Code', '--model', 'claude-sonnet-4-5', 'f.ts:1-10');
    gitOk(cwd, ['add', 'f.ts']);
    const commit = gitRun(cwd, ['commit', '-m', 'x']);
    assert.equal(commit.code, 0, commit.stderr);
    assert.equal(commit.stderr, '', 'the hooks print nothing on success');
    const trailers = trailersOf(cwd);
    assert.ok(trailers.includes('Assisted-by: Claude Code:claude-sonnet-4-5'), trailers.join('\n'));
    assert.ok(trailers.includes('AI-Lines: 10/12'), trailers.join('\n'));
    const id = trailers.find((t) => t.startsWith('AI-Provenance: '))!.slice('AI-Provenance: '.length);
    const note = noteOf(cwd)!;
    assert.equal(traceRecordErrors(note), '');
    assert.equal(note.id, id, 'the note id is the AI-Provenance trailer');
    assert.deepEqual(noteRanges(note, 'f.ts'), [[1, 10]]);
    const status = JSON.parse((await repo.cli(['status', '--json'])).stdout) as StatusJson;
    assert.deepEqual(status.files, [], 'committed lines left the ledger');
  });

  it('adds nothing to a commit without AI lines', () => {
    repo.write('h.ts', 'human\n');
    gitOk(cwd, ['add', 'h.ts']);
    gitOk(cwd, ['commit', '-m', 'human only']);
    assert.equal(messageOf(cwd), 'human only\n\n');
    assert.equal(noteOf(cwd), undefined);
  });

  it('works with -F, -a, the editor, and a message left empty aborts as before', async () => {
    repo.write('a.ts', 'one\n');
    gitOk(cwd, ['add', 'a.ts']);
    gitOk(cwd, ['commit', '-m', 'base']);
    repo.write('a.ts', 'one\nai two\nai three\n');
    await record('--tool', 'Codex', '--model', 'gpt-5', 'a.ts:2-3');
    // -a: the hook sees the index after git staged the tracked change.
    const msgFile = path.join(cwd, '..', `${path.basename(cwd)}-msg.txt`);
    fs.writeFileSync(msgFile, 'From a file\n\nCo-authored-by: Codex <noreply@openai.com>\n');
    try {
      gitOk(cwd, ['commit', '-a', '-F', msgFile]);
    } finally {
      fs.rmSync(msgFile, { force: true });
    }
    assert.deepEqual(trailersOf(cwd).slice(0, 3), ['Co-authored-by: Codex <noreply@openai.com>', 'Assisted-by: Codex:gpt-5', 'AI-Lines: 2/2']);

    // The editor, starting from an empty message: trailers come after the user's text.
    repo.write('a.ts', 'one\nai two\nai three\nai four\n');
    await record('--tool', 'Codex', '--model', 'gpt-5', 'a.ts:4');
    gitOk(cwd, ['add', 'a.ts']);
    const editor = `sh -c 'printf "Typed in the editor\\n" | cat - "$1" > "$1.tmp" && mv "$1.tmp" "$1"' -`;
    gitOk(cwd, ['commit'], { env: { GIT_EDITOR: editor } });
    assert.match(messageOf(cwd), /^Typed in the editor\n\nAssisted-by: Codex:gpt-5\nAI-Lines: 1\/1\nAI-Provenance: [0-9a-f-]{36}\n\n?$/);

    // Left empty in the editor: git aborts for the empty message, our trailers do not stop it.
    repo.write('a.ts', 'one\nai two\nai three\nai four\nai five\n');
    await record('--tool', 'Codex', 'a.ts:5');
    gitOk(cwd, ['add', 'a.ts']);
    const head = gitOk(cwd, ['rev-parse', 'HEAD']);
    const empty = gitRun(cwd, ['commit'], { env: { GIT_EDITOR: 'true' } });
    assert.notEqual(empty.code, 0);
    assert.match(empty.stderr, /empty commit message/);
    assert.equal(gitOk(cwd, ['rev-parse', 'HEAD']), head);
  });

  it('counts only the staged AI lines of a partially staged file', async () => {
    repo.write('p.ts', 'h1\nai one\nai two\nh2\nai three\n');
    await record('--tool', 'Claude Code', '--model', 'claude-sonnet-4-5', 'p.ts:2-3', 'p.ts:5');
    // Stage a version with only "ai one" of the AI lines (what `git add -p` would leave).
    const blob = gitOk(cwd, ['hash-object', '-w', '--stdin'], { input: 'h1\nai one\nh2\n' }).trim();
    gitOk(cwd, ['update-index', '--add', '--cacheinfo', `100644,${blob},p.ts`]);
    gitOk(cwd, ['commit', '-m', 'part']);
    assert.ok(ourTrailers(cwd).includes('AI-Lines: 1/3'), ourTrailers(cwd).join('\n'));
    assert.deepEqual(noteRanges(noteOf(cwd), 'p.ts'), [[2, 2]]);
    const status = JSON.parse((await repo.cli(['status', '--json'])).stdout) as StatusJson;
    assert.deepEqual(status.files.map((f) => [f.path, f.ai]), [['p.ts', 2]], 'the unstaged AI lines stay in the ledger');
    gitOk(cwd, ['commit', '-a', '-m', 'rest']);
    assert.ok(ourTrailers(cwd).includes('AI-Lines: 2/2'), ourTrailers(cwd).join('\n'));
    assert.deepEqual(noteRanges(noteOf(cwd), 'p.ts'), [[3, 3], [5, 5]]);
  });

  it('counts a file staged as recorded from the ledger, whatever the working copy became since', async () => {
    repo.write('f.ts', numbered('line', 12));
    await record('--tool', 'Claude Code', '--model', 'claude-sonnet-4-5', 'f.ts:1-10');
    gitOk(cwd, ['add', 'f.ts']);
    // After staging, the file is rewritten on disk: the ledger's ranges are not in it any more,
    // but the staged blob is the text they were recorded for (the entry's blob id).
    repo.write('f.ts', 'rewritten after staging\n');
    gitOk(cwd, ['commit', '-m', 'staged as recorded']);
    assert.ok(ourTrailers(cwd).includes('AI-Lines: 10/12'), ourTrailers(cwd).join('\n'));
    assert.deepEqual(noteRanges(noteOf(cwd), 'f.ts'), [[1, 10]]);
  });

  it('works in a sha256 repository, where the ledger\'s sha1 blob ids never match and files are read', async () => {
    fs.rmSync(path.join(cwd, '.git'), { recursive: true, force: true });
    repo.git('init', '-q', '--object-format=sha256', '-b', 'main');
    for (const [k, v] of [['user.name', 'Test User'], ['user.email', 'test@example.com'], ['commit.gpgsign', 'false']] as const) repo.git('config', k, v);
    assert.equal((await repo.cli(['install'])).code, 0);
    repo.write('f.ts', numbered('line', 12));
    await record('--tool', 'Claude Code', '--model', 'claude-sonnet-4-5', 'f.ts:1-10');
    gitOk(cwd, ['add', 'f.ts']);
    gitOk(cwd, ['commit', '-m', 'x']);
    assert.ok(ourTrailers(cwd).includes('AI-Lines: 10/12'), ourTrailers(cwd).join('\n'));
    assert.deepEqual(noteRanges(noteOf(cwd), 'f.ts'), [[1, 10]]);
    assert.match(gitOk(cwd, ['rev-parse', 'HEAD']).trim(), /^[0-9a-f]{64}$/);
  });

  it('amend recounts the whole commit, never duplicates, and removes stale trailers', async () => {
    repo.write('f.ts', numbered('line', 12));
    await record('--tool', 'Claude Code', '--model', 'claude-sonnet-4-5', 'f.ts:1-10');
    gitOk(cwd, ['add', 'f.ts']);
    gitOk(cwd, ['commit', '-m', 'x']);
    const id = ourTrailers(cwd)[2];
    gitOk(cwd, ['commit', '--amend', '-m', 'x reworded']);
    assert.deepEqual(ourTrailers(cwd), ['Assisted-by: Claude Code:claude-sonnet-4-5', 'AI-Lines: 10/12', id]);
    fs.appendFileSync(path.join(cwd, 'f.ts'), 'copilot line\n');
    await record('--tool', 'github.copilot', 'f.ts:13');
    gitOk(cwd, ['commit', '-a', '--amend', '--no-edit']);
    assert.deepEqual(ourTrailers(cwd), ['Assisted-by: Claude Code:claude-sonnet-4-5', 'Assisted-by: GitHub Copilot:unknown', 'AI-Lines: 11/13', id]);
    assert.deepEqual(noteRanges(noteOf(cwd), 'f.ts'), [[1, 10], [13, 13]]);
    // The amended commit no longer has AI lines: our trailers and its note go.
    repo.write('f.ts', 'all human now\n');
    gitOk(cwd, ['commit', '-a', '--amend', '--no-edit']);
    assert.deepEqual(ourTrailers(cwd), []);
    assert.equal(messageOf(cwd), 'x reworded\n\n');
    assert.equal(noteOf(cwd), undefined);
  });

  it('--no-verify still gets trailers and a note (commit-msg is skipped, not needed)', async () => {
    repo.write('f.ts', 'ai\n');
    await record('--tool', 't', 'f.ts:1');
    gitOk(cwd, ['add', 'f.ts']);
    gitOk(cwd, ['commit', '--no-verify', '-m', 'nv']);
    assert.ok(ourTrailers(cwd).includes('AI-Lines: 1/1'));
    assert.deepEqual(noteRanges(noteOf(cwd), 'f.ts'), [[1, 1]]);
  });

  it('puts trailers above the comment block in every cleanup mode and with a custom comment char', async () => {
    const editor = `sh -c 'printf "Subject line\\n" | cat - "$1" > "$1.tmp" && mv "$1.tmp" "$1"' -`;
    let n = 0;
    for (const [mode, commentChar] of [['strip', '#'], ['whitespace', '#'], ['verbatim', '#'], ['scissors', '#'], ['default', ';'], ['strip', 'auto']] as const) {
      n++;
      gitOk(cwd, ['config', 'core.commentChar', commentChar]);
      repo.write(`c${n}.ts`, `ai ${n}\n`);
      await record('--tool', 'T', '--model', 'm', `c${n}.ts:1`);
      gitOk(cwd, ['add', `c${n}.ts`]);
      gitOk(cwd, ['commit', '-v', `--cleanup=${mode}`], { env: { GIT_EDITOR: editor } });
      const ours = ourTrailers(cwd);
      assert.deepEqual(ours.slice(0, 2), ['Assisted-by: T:m', `AI-Lines: 1/1`], `${mode} ${commentChar}: ${messageOf(cwd)}`);
      assert.equal(ours.length, 3, `${mode}: trailers once`);
      assert.match(messageOf(cwd), /^Subject line\n\nAssisted-by: T:m\n/, mode);
      assert.doesNotMatch(messageOf(cwd), /^diff --git/m, `${mode}: the verbose diff never reaches the message`);
    }
  });

  it('handles a merge commit, the first commit and a detached HEAD', async () => {
    // First commit of the repository (no HEAD yet).
    repo.write('base.ts', 'b1\nb2\n');
    await record('--tool', 'A', 'base.ts:2');
    gitOk(cwd, ['add', 'base.ts']);
    gitOk(cwd, ['commit', '-m', 'root']);
    assert.ok(ourTrailers(cwd).includes('AI-Lines: 1/2'));

    gitOk(cwd, ['checkout', '-q', '-b', 'side']);
    repo.write('side.ts', 's\n');
    gitOk(cwd, ['add', 'side.ts']);
    gitOk(cwd, ['commit', '-m', 'side']);
    gitOk(cwd, ['checkout', '-q', 'main']);
    repo.write('main.ts', 'm\n');
    gitOk(cwd, ['add', 'main.ts']);
    gitOk(cwd, ['commit', '-m', 'main']);
    // A merge whose resolution an AI wrote: counted against the first parent.
    const merge = gitRun(cwd, ['merge', '--no-ff', '--no-commit', 'side']);
    assert.equal(merge.code, 0, merge.stderr);
    repo.write('resolution.ts', 'ai resolution\n');
    await record('--tool', 'A', '--model', 'claude-opus-4-5', 'resolution.ts:1');
    gitOk(cwd, ['add', 'resolution.ts']);
    gitOk(cwd, ['commit', '--no-edit']);
    assert.equal(gitOk(cwd, ['rev-list', '--parents', '-n1', 'HEAD']).trim().split(' ').length, 3, 'a merge commit');
    assert.ok(ourTrailers(cwd).includes('AI-Lines: 1/2'), ourTrailers(cwd).join('\n'));
    assert.deepEqual(noteRanges(noteOf(cwd), 'resolution.ts'), [[1, 1]]);

    gitOk(cwd, ['checkout', '-q', '--detach']);
    repo.write('det.ts', 'ai detached\n');
    await record('--tool', 'A', 'det.ts:1');
    gitOk(cwd, ['add', 'det.ts']);
    gitOk(cwd, ['commit', '-m', 'detached']);
    assert.ok(ourTrailers(cwd).includes('AI-Lines: 1/1'));
    assert.deepEqual(noteRanges(noteOf(cwd), 'det.ts'), [[1, 1]]);
  });

  it('carries the notes of the commits a merge --squash brings in', async () => {
    repo.write('base.ts', 'b\n');
    gitOk(cwd, ['add', 'base.ts']);
    gitOk(cwd, ['commit', '-m', 'base']);
    gitOk(cwd, ['checkout', '-q', '-b', 'feature']);
    repo.write('feat.ts', 'human\nai 1\nai 2\n');
    await record('--tool', 'Claude Code', '--model', 'claude-sonnet-4-5', 'feat.ts:2-3');
    gitOk(cwd, ['add', 'feat.ts']);
    gitOk(cwd, ['commit', '-m', 'feature work']);
    gitOk(cwd, ['checkout', '-q', 'main']);
    gitOk(cwd, ['merge', '--squash', 'feature']);
    gitOk(cwd, ['commit']);
    assert.ok(ourTrailers(cwd).includes('AI-Lines: 2/3'), messageOf(cwd));
    assert.equal(ourTrailers(cwd).filter((t) => t.startsWith('AI-Provenance')).length, 1);
    assert.deepEqual(noteRanges(noteOf(cwd), 'feat.ts'), [[2, 3]]);
  });

  it('never lets a hostile tool or model name forge a trailer or a sign-off', async () => {
    repo.write('x.ts', 'ai\n');
    await record('--tool', 'placeholder', 'x.ts:1');
    // The ledger stores each origin once (version 2): the range's origin is origins[0].
    const ledger = JSON.parse(fs.readFileSync(repo.ledgerFile, 'utf8')) as { origins: Array<{ tool: string; model?: string }> };
    ledger.origins[0]!.tool = 'Evil\nSigned-off-by: Mallory <m@evil>\r\n\u0000';
    ledger.origins[0]!.model = 'm\nCo-authored-by: Mallory <m@evil>';
    fs.writeFileSync(repo.ledgerFile, JSON.stringify(ledger));
    gitOk(cwd, ['add', 'x.ts']);
    gitOk(cwd, ['commit', '-m', 'hostile']);
    const trailers = trailersOf(cwd);
    assert.deepEqual(trailers.map((t) => t.slice(0, t.indexOf(':'))), ['Assisted-by', 'AI-Lines', 'AI-Provenance'], trailers.join('\n'));
    assert.equal(trailers[0], 'Assisted-by: Evil Signed-off-by Mallory <m@evil>:m-Co-authored-by:-Mallory-<m@evil>');
    assert.doesNotMatch(messageOf(cwd), /^Signed-off-by/m);
  });
});
