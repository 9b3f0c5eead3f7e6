/**
 * Unit tests of src/core/commit/trailers.ts: trailer values, sanitising (a hostile tool or model name
 * must never forge a trailer or a sign-off), and removing our earlier trailers on amend and
 * squash without touching anyone else's lines.
 */
import assert from 'node:assert/strict';
import type { ChangeCount } from '../../../../src/core/commit/changeLines';
import {
  aiLinesValue,
  assistedByValue,
  buildTrailers,
  detectCommentChar,
  hasContent,
  provenanceIds,
  sanitizeModel,
  squashedCommits,
  sanitizeTool,
  stripOwnTrailers,
} from '../../../../src/core/commit/trailers';

const id = '0b7f3c2e-9a1d-4c55-8e2f-1234567890ab';

describe('trailer values', () => {
  it('writes the kernel form Tool:model, unknown for a missing model', () => {
    assert.equal(assistedByValue('Claude Code', 'claude-sonnet-4-5'), 'Claude Code:claude-sonnet-4-5');
    assert.equal(assistedByValue('github.copilot', undefined), 'github.copilot:unknown');
    assert.equal(assistedByValue('ollama', 'llama3:8b'), 'ollama:llama3:8b');
  });

  it('counts hand-edited AI lines apart', () => {
    assert.equal(aiLinesValue(120, 14, 210), '120/210 (14 edited by hand)');
    assert.equal(aiLinesValue(10, 0, 12), '10/12');
  });

  it('never lets a name carry a line break, a NUL or a key of its own', () => {
    const hostile = ['x\nSigned-off-by: Mallory <m@evil>', 'x\r\nCo-authored-by: y', 'a\u0000b', 'a\u2028Signed-off-by: z', 'Signed-off-by: me', '\u202etxt.exe'];
    for (const h of hostile) {
      for (const v of [sanitizeTool(h), sanitizeModel(h), assistedByValue(h, h)]) {
        // eslint-disable-next-line no-control-regex
        assert.doesNotMatch(v, /[\u0000-\u001f\u007f\u2028\u2029\u202e]/, JSON.stringify(v));
      }
      assert.doesNotMatch(sanitizeTool(h), /:/, 'a tool name keeps no ":"');
      assert.doesNotMatch(sanitizeModel(h), /\s/, 'a model is one token');
    }
    assert.equal(sanitizeTool('x\nSigned-off-by: Mallory'), 'x Signed-off-by Mallory');
    assert.equal(sanitizeTool('  \n '), 'unknown');
    assert.equal(sanitizeModel(''), 'unknown');
    assert.ok(sanitizeTool('t'.repeat(500)).length <= 80);
  });
});

describe('buildTrailers', () => {
  const count = (over: Partial<ChangeCount>): ChangeCount => ({ ai: 0, mixed: 0, unknown: 0, added: 0, tools: [], ...over });

  it('adds nothing to a change without AI lines', () => {
    assert.deepEqual(buildTrailers(count({ added: 40, unknown: 3 }), id), []);
  });

  it('writes one Assisted-by per tool/model, then AI-Lines and AI-Provenance', () => {
    const t = buildTrailers(
      count({ ai: 12, mixed: 2, added: 30, tools: [{ tool: 'Claude Code', model: 'claude-sonnet-4-5', lines: 10 }, { tool: 'Copilot', model: undefined, lines: 4 }] }),
      id,
    );
    assert.deepEqual(t.map((x) => `${x.key}: ${x.value}`), [
      'Assisted-by: Claude Code:claude-sonnet-4-5',
      'Assisted-by: Copilot:unknown',
      'AI-Lines: 12/30 (2 edited by hand)',
      `AI-Provenance: ${id}`,
    ]);
  });
});

describe('stripOwnTrailers', () => {
  it('removes our trailers, keeps agents\' lines and sign-offs', () => {
    const msg = `Subject\n\nBody.\n\nCo-authored-by: Claude <noreply@anthropic.com>\nSigned-off-by: A <a@x>\nAssisted-by: Claude Code:claude-sonnet-4-5\nAI-Lines: 10/12\nAI-Provenance: ${id}\n`;
    const r = stripOwnTrailers(msg);
    assert.equal(r.removed, 3);
    assert.equal(r.message, 'Subject\n\nBody.\n\nCo-authored-by: Claude <noreply@anthropic.com>\nSigned-off-by: A <a@x>\n');
  });

  it('keeps an Assisted-by line someone else wrote (no AI-Provenance beside it)', () => {
    const msg = 'Subject\n\nAssisted-by: Aider:gpt-4o\n';
    assert.deepEqual(stripOwnTrailers(msg), { message: msg, removed: 0 });
  });

  it('removes every block of a squash message and leaves no doubled blank lines', () => {
    const msg = `# This is a combination of 2 commits.\nFirst\n\nAssisted-by: A:x\nAI-Lines: 1/2\nAI-Provenance: ${id}\n\n# The commit message #2 will be skipped:\n\nSecond\n\nAI-Lines: 3/3\nAI-Provenance: ${id}\n`;
    const r = stripOwnTrailers(msg);
    assert.equal(r.removed, 5);
    assert.doesNotMatch(r.message, /AI-|Assisted-by/);
    assert.doesNotMatch(r.message, /\n\n\n/);
    assert.match(r.message, /First\n\n# The commit/);
  });

  it('leaves everything below the scissors line alone', () => {
    const msg = `S\n\nAI-Lines: 1/1\n# ------------------------ >8 ------------------------\n+AI-Lines: 3/4\n`;
    assert.equal(stripOwnTrailers(msg).message, 'S\n\n# ------------------------ >8 ------------------------\n+AI-Lines: 3/4\n');
  });
});

describe('message helpers', () => {
  it('lists the commits of a merge --squash message', () => {
    const a = 'a'.repeat(40);
    const msg = `Squashed commit of the following:\n\ncommit ${a}\nAuthor: X <x@y>\n\n    work\n\n    AI-Lines: 1/1\n`;
    assert.deepEqual(squashedCommits(msg), [a]);
    assert.deepEqual(squashedCommits(`Subject\n\ncommit ${a}\n`), [], 'only in a squash message');
  });

  it('finds AI-Provenance ids, well-formed only', () => {
    assert.deepEqual(provenanceIds(`S\n\nAI-Provenance: ${id}\nAI-Provenance: not-a-uuid\n`), [id]);
  });

  it('tells the comment character from the scissors line or the comment block', () => {
    assert.equal(detectCommentChar('S\n\n; Please enter the commit message\n; Lines starting\n'), ';');
    assert.equal(detectCommentChar('S\n% ------------------------ >8 ------------------------\ndiff --git a/x b/x\n'), '%');
    assert.equal(detectCommentChar('S\n\nbody text\n'), undefined);
  });

  it('sees an empty message as empty, comments and blank lines aside', () => {
    assert.equal(hasContent('\n\n# Please enter\n# x\n'), false);
    assert.equal(hasContent('\n; c\n', ';'), false);
    assert.equal(hasContent('Subject\n# c\n'), true);
  });
});
