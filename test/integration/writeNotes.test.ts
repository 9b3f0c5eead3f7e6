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

/**
 * The note text of each of `commits` that has one, as `git notes show` prints it, in two git
 * processes (`notes list`, `cat-file --batch`) rather than one per commit. Two notes of one
 * commit (the bug this file guards against) would show as two entries of `notes list`.
 */
function notesOf(cwd: string, commits: readonly string[]): Map<string, string> {
  const wanted = new Set(commits);
  const listed = gitOk(cwd, ['notes', '--ref', ref, 'list']).trim().split('\n').map((l) => l.split(' ') as [string, string]).filter(([, c]) => wanted.has(c));
  assert.equal(new Set(listed.map(([, c]) => c)).size, listed.length, 'one note per commit');
  const out = Buffer.from(gitOk(cwd, ['cat-file', '--batch'], { input: listed.map(([blob]) => blob).join('\n') + '\n' }));
  const texts = new Map<string, string>();
  let at = 0;
  for (const [, commit] of listed) {
    const eol = out.indexOf(10, at);
    const size = Number(out.subarray(at, eol).toString().split(' ')[2]);
    texts.set(commit, out.subarray(eol + 1, eol + 1 + size).toString());
    at = eol + 1 + size + 1;
  }
  return texts;
}

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
    // 123 empty commits in one fast-import (one process, not 246), then 120 notes through git's
    // own notes code: git splits its tree into ab/cdef… paths by then, while fast-import's own
    // rule would still write flat paths.
    const head = gitOk(cwd, ['rev-parse', 'HEAD']).trim();
    const stream = Array.from({ length: 123 }, (_, i) => {
      const message = `empty ${i}\n`;
      return `commit refs/heads/main\ncommitter Test User <test@example.com> 1767225600 +0000\ndata ${message.length}\n${message}${i === 0 ? `from ${head}\n` : ''}\n`;
    }).join('');
    gitOk(cwd, ['fast-import', '--quiet'], { input: stream });
    const made = gitOk(cwd, ['rev-list', '--reverse', `${head}..main`]).trim().split('\n');
    assert.equal(made.length, 123);
    const more = made.slice(0, 120);
    const fresh = made.slice(120);
    gitOk(cwd, ['notes', '--ref', ref, 'add', '-m', '{"old":0}', more[0]!]);
    gitOk(cwd, ['notes', '--ref', ref, 'copy', '--stdin'], { input: more.slice(1).map((c) => `${more[0]} ${c}\n`).join('') });
    assert.ok(gitOk(cwd, ['ls-tree', '--name-only', ref]).split('\n').some((p) => p.length === 2), 'git made a fanout');
    const targets = [...more.slice(0, 60), ...fresh];
    await writeNotes(cwd, new Map(targets.map((c) => [c, rec])));
    const notes = notesOf(cwd, made);
    for (const c of targets) assert.equal(notes.get(c), serializeRecord(rec), c);
    for (const c of more.slice(60)) assert.equal(notes.get(c), '{"old":0}\n', c);
    assert.equal(gitOk(cwd, ['notes', '--ref', ref, 'list']).trim().split('\n').length, 4 + 120 + 3);
  });

  it('normalises a note as git notes add -F does (comments kept)', () => {
    assert.equal(noteText('{"a":1}'), '{"a":1}\n');
    assert.equal(noteText('\n\n# kept  \nx \t\n\n\n y\n\n'), '# kept\nx\n\n y\n');
    assert.equal(noteText(''), '');
  });
});
