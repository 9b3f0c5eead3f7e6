/**
 * Unit tests of the pure parts of `git provenance check` (src/core/policy/verdicts.ts,
 * src/cli/format/checkReport.ts) and its git commands (src/git/historyCommands.ts): trailers
 * that disagree with the note, workflow annotations with GitHub's escaping, line spans, the log
 * parser and argv as data.
 */
import assert from 'node:assert/strict';
import type { TraceRecord } from '../../../../src/core/commit/notes';
import type { Violation } from '../../../../src/core/policy/verdicts';
import { githubAnnotations } from '../../../../src/cli/format/checkReport';
import { lineSpans, trailerTampering } from '../../../../src/core/policy/verdicts';
import { addTrailers, checkLog, parseCheckLog } from '../../../../src/git/historyCommands';

const id = '0b7f3c2e-9a1d-4c55-8e2f-1234567890ab';
const a = 'a'.repeat(40);
const b = 'b'.repeat(40);

function record(over: Partial<TraceRecord> = {}, lines = { ai: 3, mixed: 1, unknown: 0, added: 10 }, source?: string): TraceRecord {
  return {
    version: '1.0',
    id,
    timestamp: '2026-01-01T00:00:00.000Z',
    vcs: { type: 'git', revision: a },
    tool: { name: 'ai-provenance', version: '0.1.0' },
    files: [{ path: 'src/a.ts', conversations: [{ contributor: { type: 'ai' }, ranges: [{ start_line: 1, end_line: 3 }] }] }],
    metadata: { 'dev.ai-provenance': { format: 1, lines, files: {}, ...(source ? { source } : {}) } },
    ...over,
  };
}

const good = `Subject\n\nAssisted-by: Claude Code:claude-sonnet-4-5\nAI-Lines: 3/10 (1 edited by hand)\nAI-Provenance: ${id}\n`;

describe('check: trailers against the note', () => {
  it('accepts trailers that agree with the note', () => {
    assert.deepEqual(trailerTampering(good, [record()]), []);
  });

  it('reports each disagreement', () => {
    assert.deepEqual(trailerTampering('Subject\n', [record()]), [
      'the note names 4 AI-written line(s) but the message has no Assisted-by: trailer',
      'the note names AI-written lines but the message has no AI-Provenance: trailer',
      'the note names AI-written lines but the message has no AI-Lines: trailer',
    ]);
    assert.deepEqual(trailerTampering(good.replace('3/10', '2/10'), [record()]), ['AI-Lines: 2/10 (1 edited by hand) disagrees with the note (3/10 (1 edited by hand))']);
    assert.deepEqual(trailerTampering(good.replace(' (1 edited by hand)', ''), [record()]), ['AI-Lines: 3/10 disagrees with the note (3/10 (1 edited by hand))']);
    const other = 'ffffffff-ffff-4fff-bfff-ffffffffffff';
    assert.match(trailerTampering(good.replace(id, other), [record()]).join('\n'), new RegExp(`AI-Provenance: ${other} is not the id of the commit's note \\(${id}\\)`));
  });

  it('ignores notes imported from other tools and notes of other writers', () => {
    assert.deepEqual(trailerTampering('Subject\n', [record({}, undefined, 'git-ai')]), []);
    assert.deepEqual(trailerTampering('Subject\n', [record({ tool: { name: 'other-tool', version: '1' } })]), []);
    assert.deepEqual(trailerTampering('Subject\n', [record({}, { ai: 0, mixed: 0, unknown: 5, added: 5 })]), [], 'unknown lines get no trailers');
  });
});

describe('check: output', () => {
  it('groups line numbers into spans', () => {
    assert.deepEqual(lineSpans([5, 1, 2, 3, 9, 10, 2]), [[1, 3], [5, 5], [9, 10]]);
    assert.deepEqual(lineSpans([]), []);
  });

  it('writes GitHub workflow commands, escaping properties and data', () => {
    const v: Violation = {
      commit: b,
      subject: 'Fix: 100% done',
      author: 'T <t@x>',
      kind: 'critical',
      friction: 'review',
      reason: 'money',
      evidence: 'note',
      files: [{ path: 'src/a,b:c.ts', lines: [[1, 3], [7, 7]] }],
      message: 'line one\nline two',
    };
    assert.deepEqual(githubAnnotations([v], [{ commit: a, message: 'policy broken' }]), [
      `::error file=src/a%2Cb%3Ac.ts,line=1,endLine=3,title=AI-written critical change without review::commit ${b.slice(0, 12)} (Fix: 100%25 done): line one%0Aline two`,
      `::error file=src/a%2Cb%3Ac.ts,line=7,endLine=7,title=AI-written critical change without review::commit ${b.slice(0, 12)} (Fix: 100%25 done): line one%0Aline two`,
      `::warning title=AI provenance::commit ${a.slice(0, 12)}: policy broken`,
    ]);
    const tamper: Violation = { ...v, kind: 'tampering', files: [] };
    assert.match(githubAnnotations([tamper], [])[0]!, /^::error title=AI provenance%3A trailers disagree with the note::/);
  });

  it('caps the number of annotations', () => {
    const many: Violation = { commit: b, subject: 's', author: 'T <t@x>', kind: 'critical', evidence: 'note', files: [{ path: 'a.ts', lines: Array.from({ length: 80 }, (_, i): [number, number] => [i * 2 + 1, i * 2 + 1]) }], message: 'm' };
    const out = githubAnnotations([many], []);
    assert.equal(out.filter((l) => l.startsWith('::error')).length, 50);
    assert.match(out.at(-1)!, /^::notice title=AI provenance::only the first 50 annotations/);
  });
});

describe('check: git commands', () => {
  it('logs the range oldest first, never taking a revision for an option', () => {
    assert.deepEqual(checkLog(['main..HEAD'], 3).args, ['log', '--reverse', '--no-show-signature', '--no-color', '--format=%x1e%H%x00%P%x00%an <%ae>%x00%cn <%ce>%x00%B', '-n3', '--end-of-options', 'main..HEAD', '--']);
  });

  it('parses commits, parents, authors and messages (a message may hold anything)', () => {
    const out = `\x1e${a}\x00\x00A <a@x>\x00C <c@x>\x00root\n\n\x1e${b}\x00${a}\x00B <b@x>\x00B <b@x>\x00Subject\n\nbody\nwith lines\n\n`;
    assert.deepEqual(parseCheckLog(out), [
      { commit: a, parents: [], author: 'A <a@x>', committer: 'C <c@x>', message: 'root\n' },
      { commit: b, parents: [a], author: 'B <b@x>', committer: 'B <b@x>', message: 'Subject\n\nbody\nwith lines\n' },
    ]);
  });

  it('adds AI-Critical with --if-exists add (git matches keys by prefix: replace would eat AI-Critical-Override)', () => {
    assert.deepEqual(addTrailers('MSG', [{ key: 'AI-Critical', value: 'src/a.ts' }], ';').args, [
      '-c',
      'core.commentChar=;',
      'interpret-trailers',
      '--in-place',
      '--no-divider',
      '--where',
      'end',
      '--if-exists',
      'add',
      '--trailer',
      'AI-Critical: src/a.ts',
      'MSG',
    ]);
  });
});
