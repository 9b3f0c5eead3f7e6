/**
 * The pure trailer-block parser (src/core/commit/trailerBlock.ts) against real `git
 * interpret-trailers --parse` on a table of messages and on seeded random ones: the two must
 * agree, since a review counts only when git itself would call it a trailer.
 */
import assert from 'node:assert/strict';
import * as os from 'node:os';
import { parseTrailerBlock } from '../../src/core/commit/trailerBlock';
import { gitOk } from '../helpers/gitHooks';
import { prng } from '../helpers/prng';

/** What git prints for `message`, one trailer a line. */
function gitTrailers(message: string, divider: boolean): string[] {
  const args = ['-c', 'core.commentChar=#', '-c', 'trailer.separators=:', 'interpret-trailers', '--parse', ...(divider ? [] : ['--no-divider'])];
  return gitOk(os.tmpdir(), args, { input: message })
    .split('\n')
    .filter((l) => l !== '');
}

function ours(message: string, divider: boolean): string[] {
  return parseTrailerBlock(message, { divider }).trailers.map((t) => `${t.key}: ${t.value}`);
}

const table: readonly string[] = [
  'Subject\n',
  'Subject\n\nReviewed-by: A <a@x>\n',
  'Subject\n\nbody line\nReviewed-by: A <a@x>\n',
  'Subject\n\nReviewed-by: A <a@x>\n\nA paragraph after it.\n',
  'Subject\n\nReviewed-by: in the body <a@x>\n\nSigned-off-by: Me <me@x>\n',
  'Subject\n\n> Reviewed-by: quoted <q@x>\n',
  'Subject\n\nPlease review.\n\nrequested review from Other <o@x>\n',
  'Subject\nReviewed-by: second line of the title <a@x>\n',
  'Reviewed-by: a subject <a@x>\n',
  'Subject\n\nfoo\nSigned-off-by: a <a@x>\nReviewed-by: b <b@x>\n',
  'Subject\n\nfoo\nbar\nbaz\nqux\nSigned-off-by: a <a@x>\n',
  'Subject\n\nfoo\nbar\nbaz\nSigned-off-by: a <a@x>\n',
  'Subject\n\nReviewed-by: A <a@x>\n  continued here\nAcked-by: B\n',
  'Subject\n\n  leading blank: not a trailer\nReviewed-by: A <a@x>\n',
  'Subject\n\nKey :  spaced value  \nBad Key: x\n',
  'Subject\n\nReviewed-by: A <a@x>\n# a comment\n',
  'Subject\n\nReviewed-by: A <a@x>\n\n# Please enter the commit message\n# Lines starting with # are ignored\n',
  'Subject\n\n# Reviewed-by: commented <c@x>\n',
  'Subject\n\nReviewed-by: A <a@x>\n# ------------------------ >8 ------------------------\ndiff --git a/x b/x\nReviewed-by: below <b@x>\n',
  'Subject\n\nReviewed-by: A <a@x>\n---\nReviewed-by: after the divider <d@x>\n',
  'Subject\n\nbody\n--- not a divider without a blank? yes it is\nReviewed-by: B <b@x>\n',
  'Subject\n\nReviewed-by: A <a@x>\n\nConflicts:\n\tsrc/x.ts\n',
  'Subject\n\n(cherry picked from commit 0123456789abcdef0123456789abcdef01234567)\nnot a trailer\nnor this\n',
  'Subject\n\nReviewed-by: A <a@x>\r\nAcked-by: B <b@x>\r\n',
  'Subject\r\n\r\nReviewed-by: A <a@x>\r\n',
  'Subject\n\nReviewed-by:\nEmpty-Value:   \n',
  '\nReviewed-by: after a leading blank line <a@x>\n',
  'Subject\n\n\n\nReviewed-by: A <a@x>\n\n\n',
  'Subject\n\nReviewed-by: A <a@x>',
  'Subject\n\nnot: a trailer because of the space in the key? no\nReviewed-by: A <a@x>\n',
  'Subject\n\nhttps://example.com/x\nReviewed-by: A <a@x>\n',
  'Subject\n\nFixes: #12\n    more\n  and more\nSigned-off-by: S <s@x>\n',
  'Subject\n\n    indented only\n',
  'Subject\n\nRéviewed-by: accented <a@x>\nReviewed-by: A <a@x>\n',
];

describe('trailer block parser against git interpret-trailers --parse (integration)', function () {
  this.timeout(240_000);

  for (const divider of [false, true]) {
    it(`agrees with git on the table (${divider ? 'with' : 'without'} the --- divider)`, () => {
      for (const m of table) assert.deepEqual(ours(m, divider), gitTrailers(m, divider), JSON.stringify(m));
    });
  }

  it('agrees with git on random messages (seeded)', () => {
    const seed = Number(process.env.AIP_SEED ?? 1616);
    const rnd = prng(seed);
    const pieces = ['Reviewed-by: A <a@x>', 'Signed-off-by: S <s@x>', 'prose line', '> Reviewed-by: Q <q@x>', '  continued', '\tcontinued', '', '# comment', 'Key : v', 'Bad Key: v', '---', 'x: y', '(cherry picked from commit abc)', 'Conflicts:', '\tpath', ' ', 'Acked-by:'];
    // A single run of git for many messages would need a separator git cannot see; one run each keeps it plain.
    for (let n = 0; n < 60; n++) {
      const lines = ['Subject'];
      const count = 1 + Math.floor(rnd() * 8);
      for (let i = 0; i < count; i++) lines.push(pieces[Math.floor(rnd() * pieces.length)]!);
      const message = lines.join('\n') + (rnd() < 0.8 ? '\n' : '');
      const divider = rnd() < 0.5;
      assert.deepEqual(ours(message, divider), gitTrailers(message, divider), `seed ${seed}, message ${n}: ${JSON.stringify(message)} (divider ${divider})`);
    }
  });

  it('says which lines form the block', () => {
    assert.deepEqual(parseTrailerBlock('S\n\nbody\nReviewed-by: x\n\nAcked-by: y\n  more\n').lines, [5, 6]);
    assert.deepEqual(parseTrailerBlock('S\n\nReviewed-by: x\n\nprose\n').lines, []);
  });
});
