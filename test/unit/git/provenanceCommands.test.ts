/**
 * Unit tests of the commit-hook, notes and blame commands of src/git/commands.ts: argv as
 * data (asserted without spawning git) and parsers fed literal git output.
 */
import assert from 'node:assert/strict';
import {
  aiTrailerCommits,
  catFileBatch,
  commitsNotIn,
  fetchNotes,
  pushNotes,
  configUnsetValue,
  interpretTrailers,
  parseBlamePorcelain,
  parseBlobTails,
  parseCatFileBatch,
  parseCommitObject,
  parseHookRepo,
  parseNotesList,
  stagedPatch,
} from '../../../src/git/commands';

const a = 'a'.repeat(40);
const b = 'b'.repeat(40);

describe('commit hook commands', () => {
  it('reads repo paths and HEAD, and an unborn HEAD', () => {
    const born = parseHookRepo(`/r\n.git/ai-provenance\n/r/.git\n${a}\n`, '/r');
    assert.equal(born.head, a);
    assert.equal(born.ledgerDir, '/r/.git/ai-provenance');
    assert.equal(parseHookRepo('/r\n.git/ai-provenance\n/r/.git\n', '/r').head, undefined);
  });

  it('diffs the index with fixed prefixes and no user diff settings', () => {
    const args = stagedPatch('HEAD^1').args;
    for (const opt of ['--cached', '-U0', '--src-prefix=a/', '--dst-prefix=b/', '--no-ext-diff', '--no-textconv']) assert.ok(args.includes(opt), opt);
    assert.equal(args[args.length - 2], 'HEAD^1');
  });

  it('adds Assisted-by only when different, replaces AI-Lines and AI-Provenance', () => {
    const cmd = interpretTrailers('/m', [
      { key: 'Assisted-by', value: 'A:x' },
      { key: 'Assisted-by', value: 'B:y' },
      { key: 'AI-Lines', value: '1/2' },
      { key: 'AI-Provenance', value: 'id' },
    ], ';');
    assert.deepEqual(cmd.args, [
      '-c', 'core.commentChar=;', 'interpret-trailers', '--in-place', '--no-divider', '--where', 'end',
      '--if-exists', 'addIfDifferent', '--trailer', 'Assisted-by: A:x', '--trailer', 'Assisted-by: B:y',
      '--if-exists', 'replace', '--trailer', 'AI-Lines: 1/2', '--trailer', 'AI-Provenance: id', '/m',
    ]);
  });

  it('unsets only the exact config value', () => {
    assert.deepEqual(configUnsetValue('notes.rewriteRef', 'refs/notes/ai-provenance').args, ['config', '--unset-all', 'notes.rewriteRef', '^refs/notes/ai-provenance$']);
  });

  it('parses a commit object', () => {
    const c = parseCommitObject(`tree ${a}\nparent ${a}\nparent ${b}\nauthor x <x> 1 +0000\ncommitter x <x> 1 +0000\n\nSubject\n\nBody\n`);
    assert.deepEqual(c.parents, [a, b]);
    assert.equal(c.message, 'Subject\n\nBody\n');
  });
});

describe('cat-file --batch', () => {
  it('cuts contents by byte size, multi-byte text included', () => {
    const specs = [':x', ':missing', ':y'];
    const out = parseCatFileBatch(`${a} blob 5\nhé!\n\n:missing missing\n${b} blob 2\nok\n`, specs);
    assert.deepEqual([...out], [[':x', 'hé!\n'], [':missing', undefined], [':y', 'ok']]);
  });

  it('skips a blob that is not UTF-8 and resumes at the next one', () => {
    // 4 bytes of binary became 4 U+FFFD (12 bytes) when decoded.
    const out = parseCatFileBatch(`${a} blob 4\n\ufffd\ufffd\ufffd\ufffd\n${b} blob 3\nabc\n`, [':bin', ':txt']);
    assert.deepEqual([...out], [[':bin', undefined], [':txt', 'abc']]);
  });

  it('never sends a spec with a newline to git', () => {
    assert.equal(catFileBatch([':ok', ':bad\nname']).input, ':ok\n');
  });
});

describe('notes and blame parsers', () => {
  it('parses git notes list', () => {
    assert.deepEqual([...parseNotesList(`${b} ${a}\n`)], [[a, b]]);
  });

  it('parses blame --porcelain, with file names given once per commit', () => {
    const out = parseBlamePorcelain(
      [
        `${a} 1 1 2`, 'author X', 'filename old.ts', '\tfirst',
        `${a} 2 2`, '\tsecond',
        `${'0'.repeat(40)} 3 3 1`, 'author Not Committed Yet', 'filename new.ts', '\tthird',
        `${a} 5 4 1`, '\tfourth',
      ].join('\n') + '\n',
    );
    assert.deepEqual(out.map((l) => [l.line, l.commit.slice(0, 1), l.origLine, l.path, l.text]), [
      [1, 'a', 1, 'old.ts', 'first'],
      [2, 'a', 2, 'old.ts', 'second'],
      [3, '0', 3, 'new.ts', 'third'],
      [4, 'a', 5, 'old.ts', 'fourth'],
    ]);
  });

  it('keeps each commit\'s previous version, for following a line past a final-newline change', () => {
    const out = parseBlamePorcelain([`${b} 4 4 1`, `previous ${a} "old name.ts"`, 'filename f.ts', '\tx', `${a} 1 5 1`, 'boundary', 'filename f.ts', '\ty'].join('\n') + '\n');
    assert.deepEqual(out[0]!.previous, { commit: a, path: 'old name.ts' });
    assert.equal(out[1]!.previous, undefined);
  });

  it('reads only the last line of each blob, and whether a line break ends it', () => {
    const blob = (t: string): string => `${a} blob ${Buffer.byteLength(t)}\n${t}\n`;
    const out = parseBlobTails(Buffer.from(blob('one\ntwo') + 'x:f missing\n' + blob('é\r\nlast é\r\n') + blob('')), ['p:f', 'x:f', 'q:f', 'e:f']);
    assert.deepEqual([...out], [
      ['p:f', { lastLine: 'two', broken: false }],
      ['x:f', undefined],
      ['q:f', { lastLine: 'last é', broken: true }],
      ['e:f', { lastLine: '', broken: false }],
    ]);
  });
});

describe('notes sharing commands', () => {
  it('fetches a remote\'s notes into their tracking ref only, and pushes ours as a fast-forward without hooks', () => {
    assert.deepEqual(fetchNotes('origin', 'refs/notes/remotes/origin/ai-provenance').args, ['fetch', '-q', '--no-write-fetch-head', 'origin', '+refs/notes/ai-provenance:refs/notes/remotes/origin/ai-provenance']);
    const push = pushNotes('origin').args;
    assert.ok(push.includes('--no-verify'), 'the pre-push hook must not run itself again');
    assert.ok(!push.some((x) => x.startsWith('+') || x === '--force' || x === '-f'), 'never forced: a notes ref that moved is merged, not overwritten');
    assert.equal(push[push.length - 1], 'refs/notes/ai-provenance:refs/notes/ai-provenance');
  });

  it('counts unmerged notes commits, and finds commits whose trailers name AI', () => {
    assert.deepEqual(commitsNotIn('refs/notes/remotes/o/ai-provenance', ['refs/notes/ai-provenance']).args, ['rev-list', '--count', 'refs/notes/remotes/o/ai-provenance', '--not', 'refs/notes/ai-provenance', '--']);
    assert.equal(commitsNotIn('x', ['y']).parse('3\n'), 3);
    const cmd = aiTrailerCommits([a, b]);
    assert.equal(cmd.input, `${a}\n${b}\n`);
    assert.deepEqual(cmd.parse(`${a} Claude Code:claude-sonnet-4-5,0b7f3c2e-9a1d-4c55-8e2f-1234567890ab\n${b} \n`), [a]);
  });
});
