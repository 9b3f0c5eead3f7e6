/**
 * A small argv parser: flags with values, boolean flags, positionals. Unknown flags are
 * usage errors, so a typo never silently changes what a hook records.
 */

/** Thrown for bad command lines; the CLI prints it with usage and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * Thrown when the command line is well formed but what it names cannot be used (a range past
 * the end of a file, a binary file, a revision git does not know): the CLI prints the one line
 * and exits 2, without the usage, which would bury the line and says nothing about it.
 */
export class InputError extends Error {
  override readonly name = 'InputError';
}

/** Quotes a name for a one-line message when it holds what would break the line (a newline, a control character). */
export function quoteName(name: string): string {
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u001f\u007f-\u009f\u2028\u2029"]/.test(name) ? JSON.stringify(name) : name;
}

/** Parsed arguments. */
export interface ParsedArgs {
  readonly values: ReadonlyMap<string, string>;
  readonly flags: ReadonlySet<string>;
  readonly positionals: readonly string[];
}

/**
 * Parses `argv` given the flags that take a value and the boolean flags (names without
 * leading dashes). Supports `--name value`, `--name=value` and `--` to end flags.
 */
export function parseArgs(argv: readonly string[], withValue: readonly string[], booleans: readonly string[]): ParsedArgs {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = a.slice(2, eq < 0 ? undefined : eq);
      if (withValue.includes(name)) {
        const v = eq >= 0 ? a.slice(eq + 1) : argv[++i];
        // `--tool --json` is a forgotten value, not a tool named "--json".
        if (v === undefined || (eq < 0 && v.startsWith('--'))) throw new UsageError(`--${name} needs a value`);
        values.set(name, v);
      } else if (booleans.includes(name) && eq < 0) {
        flags.add(name);
      } else {
        throw new UsageError(`unknown option --${name}`);
      }
    } else {
      positionals.push(a);
    }
  }
  return { values, flags, positionals };
}
