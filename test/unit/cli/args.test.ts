/**
 * Unit tests of src/cli/args.ts: the CLI's argv parser.
 *
 * Covered: `--name value` and `--name=value`, boolean flags, positionals in any order, `--`
 * ending flag parsing, and the usage errors (unknown flag, a value flag without a value, a
 * boolean given a value). Hooks call the CLI unattended, so a typo must fail loudly as a
 * `UsageError` instead of silently changing what is recorded.
 */
import assert from 'node:assert/strict';
import type { ParsedArgs } from '../../../src/cli/args';
import { parseArgs, UsageError } from '../../../src/cli/args';

const withValue = ['tool', 'model'];
const booleans = ['json', 'help'];

/** Parses with the test's flag sets and returns plain data. */
function parse(...argv: string[]): { values: Record<string, string>; flags: string[]; positionals: readonly string[] } {
  const r: ParsedArgs = parseArgs(argv, withValue, booleans);
  return { values: Object.fromEntries(r.values), flags: [...r.flags].sort(), positionals: r.positionals };
}

/** Asserts `argv` is a UsageError with `message`. */
function usageError(argv: string[], message: string): void {
  assert.throws(
    () => parseArgs(argv, withValue, booleans),
    (e: unknown) => {
      assert.ok(e instanceof UsageError, `expected UsageError, got ${String(e)}`);
      assert.equal(e.name, 'UsageError');
      assert.equal(e.message, message);
      return true;
    },
  );
}

describe('cli args', () => {
  describe('parseArgs', () => {
    it('parses nothing', () => {
      assert.deepEqual(parse(), { values: {}, flags: [], positionals: [] });
    });

    it('reads --name value', () => {
      assert.deepEqual(parse('--tool', 'claude-code', 'a.ts:1'), { values: { tool: 'claude-code' }, flags: [], positionals: ['a.ts:1'] });
    });

    it('reads --name=value, keeping later "=" and empty values', () => {
      assert.deepEqual(parse('--tool=claude-code').values, { tool: 'claude-code' });
      assert.deepEqual(parse('--model=a=b').values, { model: 'a=b' });
      assert.deepEqual(parse('--model=').values, { model: '' });
    });

    it('takes a value that starts with dashes when given with "="', () => {
      assert.deepEqual(parse('--model=--json').values, { model: '--json' });
    });

    it('reads boolean flags', () => {
      assert.deepEqual(parse('--json', '--help'), { values: {}, flags: ['help', 'json'], positionals: [] });
    });

    it('keeps positionals in order around flags', () => {
      assert.deepEqual(parse('a.ts:1', '--tool', 't', 'b.ts:2', '--json', 'c.ts:3').positionals, ['a.ts:1', 'b.ts:2', 'c.ts:3']);
    });

    it('lets the last of a repeated value flag win', () => {
      assert.deepEqual(parse('--tool', 'a', '--tool=b').values, { tool: 'b' });
    });

    it('ends flags at "--"', () => {
      assert.deepEqual(parse('--json', '--', '--tool', 'x', '--'), { values: {}, flags: ['json'], positionals: ['--tool', 'x', '--'] });
    });

    it('treats a single dash argument as a positional', () => {
      assert.deepEqual(parse('-').positionals, ['-']);
    });

    it('rejects unknown flags', () => {
      usageError(['--nope'], 'unknown option --nope');
      usageError(['--Tool', 'x'], 'unknown option --Tool');
      usageError(['--nope=1'], 'unknown option --nope');
    });

    it('rejects a value flag without a value', () => {
      usageError(['--tool'], '--tool needs a value');
      usageError(['a.ts:1', '--model'], '--model needs a value');
    });

    it('rejects a value given to a boolean flag', () => {
      usageError(['--json=true'], 'unknown option --json');
    });
  });
});
