/**
 * writeNotes (src/git/notes.ts) sets many notes as one notes commit through `git fast-import`
 * (issue #15): each note must read back exactly as `git notes add` stored it, removals must
 * remove, and a notes ref that moved since its tip was read must never be overwritten.
 */
import assert from 'node:assert/strict';
import { committerIdent, notesImport, refCommit } from '../../src/git/commands';
import { noteText, readNotes, writeNotes } from '../../src/git/notes';
import type { TraceRecord } from '../../src/core/commit/notes';
import { serializeRecord } from '../../src/core/commit/notes';
import { runGit } from '../../src/git/runner';
import { gitOk, gitRun, numbered } from '../helpers/gitHooks';
import { TempRepo } from '../helpers/tempRepo';

const ref = 'refs/notes/ai-provenance';

describe('writing many notes at once (integration)', function () {
  this.timeout(240_000);
  let repo: TempRepo;
  afterEach(() => repo?.dispose());

  /** Four AI commits, noted by the hooks with `git notes add`; their notes' texts and records. */
  async function noted(): Promise<{ cwd: string; commits: string[]; texts: Map<string, string>; records: Map<string, TraceRecord[]> }> {
    repo = TempRepo.create();
    const cwd = repo.root;
    assert.equal((await repo.cli(['install'])).code, 0);
    const commits: string[] = [];
    for (let i = 0; i < 4; i++) {
      repo.write(`src/f${i}.ts`, numbered(`file ${i} line`, 5));
      const rec = await repo.cli(['record', '--tool', 'Claude Code', '--model', `m-${i}`, `src/f${i}.ts:2-4`]);
      assert.equal(rec.code, 0, rec.stderr);
      gitOk(cwd, ['add', '-A']);
      gitOk(cwd, ['commit', '-m', `ai ${i}`]);
      commits.push(gitOk(cwd, ['rev-parse', 'HEAD']).trim());
    }
    const texts = new Map(commits.map((c) => [c, gitOk(cwd, ['notes', '--ref', ref, 'show', c])]));
    return { cwd, commits, texts, records: await readNotes(cwd, commits) };
  }

  it('stores each note as git notes add did, in one commit on top of the tip', async () => {
    const { cwd, commits, texts, records } = await noted();
    for (const c of commits) gitOk(cwd, ['notes', '--ref', ref, 'remove', c]);
    const tip = gitOk(cwd, ['rev-parse', ref]).trim();
    await writeNotes(cwd, new Map(commits.map((c) => [c, records.get(c)![0]!])));
    for (const c of commits) assert.equal(gitOk(cwd, ['notes', '--ref', ref, 'show', c]), texts.get(c), c);
    assert.equal(gitOk(cwd, ['rev-parse', `${ref}^`]).trim(), tip, 'one commit, on the tip');
  });

  it('replaces and removes notes in one call', async () => {
    const { cwd, commits, records } = await noted();
    const [a, b, c, d] = commits as [string, string, string, string];
    // a's record onto b, c and d; a's note removed.
    const rec = records.get(a)![0]!;
    await writeNotes(cwd, new Map<string, TraceRecord | undefined>([[a, undefined], [b, rec], [c, rec], [d, rec]]));
    assert.notEqual(gitRun(cwd, ['notes', '--ref', ref, 'show', a]).code, 0, 'removed');
    for (const x of [b, c, d]) assert.equal(gitOk(cwd, ['notes', '--ref', ref, 'show', x]), serializeRecord(rec));
  });

  it('fails, changing nothing, when the notes ref moved since its tip was read', async () => {
    const { cwd, commits, records } = await noted();
    const stale = gitOk(cwd, ['rev-parse', `${ref}~1`]).trim();
    const before = gitOk(cwd, ['rev-parse', ref]).trim();
    const notes = new Map(commits.map((c) => [c, serializeRecord(records.get(commits[0]!)![0]!)]));
    await assert.rejects(runGit(cwd, notesImport(notes, await runGit(cwd, committerIdent()), stale)));
    assert.equal(gitOk(cwd, ['rev-parse', ref]).trim(), before);
    assert.equal(await runGit(cwd, refCommit('refs/notes/none')), undefined);
  });

  it('replaces notes where git put them in a tree with fanout, never leaving two notes of one commit', async () => {
    const { cwd, commits, records } = await noted();
    const rec = records.get(commits[0]!)![0]!;
    // 120 more notes through git notes add: git splits its tree into ab/cdef… paths by then,
    // while fast-import's own rule would still write flat paths.
    const more: string[] = [];
    for (let i = 0; i < 120; i++) {
      gitOk(cwd, ['commit', '-q', '--allow-empty', '--no-verify', '-m', `empty ${i}`]);
      const c = gitOk(cwd, ['rev-parse', 'HEAD']).trim();
      gitOk(cwd, ['notes', '--ref', ref, 'add', '-m', `{"old":${i}}`, c]);
      more.push(c);
    }
    assert.ok(gitOk(cwd, ['ls-tree', '--name-only', ref]).split('\n').some((p) => p.length === 2), 'git made a fanout');
    const fresh: string[] = [];
    for (let i = 0; i < 3; i++) {
      gitOk(cwd, ['commit', '-q', '--allow-empty', '--no-verify', '-m', `fresh ${i}`]);
      fresh.push(gitOk(cwd, ['rev-parse', 'HEAD']).trim());
    }
    const targets = [...more.slice(0, 60), ...fresh];
    await writeNotes(cwd, new Map(targets.map((c) => [c, rec])));
    for (const c of targets) assert.equal(gitOk(cwd, ['notes', '--ref', ref, 'show', c]), serializeRecord(rec), c);
    for (const c of more.slice(60)) assert.match(gitOk(cwd, ['notes', '--ref', ref, 'show', c]), /^\{"old":\d+\}\n$/);
    assert.equal(gitOk(cwd, ['notes', '--ref', ref, 'list']).trim().split('\n').length, 4 + 120 + 3);
  });

  it('normalises a note as git notes add -F does (comments kept)', () => {
    assert.equal(noteText('{"a":1}'), '{"a":1}\n');
    assert.equal(noteText('\n\n# kept  \nx \t\n\n\n y\n\n'), '# kept\nx\n\n y\n');
    assert.equal(noteText(''), '');
  });
});
