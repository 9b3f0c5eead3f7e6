/**
 * CODEOWNERS, as GitHub and GitLab read it: who owns a path, so a critical rule that names no
 * reviewers asks for one of the path's owners. One line is a pattern and its owners
 * (`@user`, `@org/team`, `email`); `#` starts a comment; the last line that matches wins; a
 * line with a pattern and no owners leaves the path unowned. Patterns are gitignore-style,
 * except that `docs/*` owns only the files directly in `docs` (GitHub's documented rule).
 * GitLab's `[Section]` headers are skipped (their default owners are not used).
 */
import type { GlobPattern } from './globMatch';
import { compileGlob, GlobIndex } from './globMatch';

/** Where a repository's CODEOWNERS file may be; the first one present is used (GitHub's order). */
export const codeownersPaths: readonly string[] = ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS'];

/** One line of a CODEOWNERS file. */
export interface CodeownersEntry {
  readonly pattern: string;
  readonly owners: readonly string[];
  /** 1-based line in the file. */
  readonly line: number;
}

/** A parsed CODEOWNERS file. */
export interface Codeowners {
  /** The file it came from (one of {@link codeownersPaths}). */
  readonly file: string;
  readonly entries: readonly CodeownersEntry[];
}

const ownerSyntax = /^(?:@[A-Za-z0-9][A-Za-z0-9-]*(?:\/[A-Za-z0-9][A-Za-z0-9._-]*)?|[^\s@]+@[^\s@]+)$/;

/** Splits a line at unescaped blanks, dropping a trailing comment. */
function tokens(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '\\' && i + 1 < line.length) {
      cur += c + line[++i]!;
      continue;
    }
    if (c === '#') break;
    if (c === ' ' || c === '\t') {
      if (cur) out.push(cur);
      cur = '';
      continue;
    }
    cur += c;
  }
  if (cur) out.push(cur);
  return out;
}

/** Parses a CODEOWNERS file; lines that are not a usable pattern are skipped. */
export function parseCodeowners(text: string, file = 'CODEOWNERS'): Codeowners {
  const entries: CodeownersEntry[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    // GitLab section header: `[Name]`, `^[Optional]`, `[Name][2] @default-owner`.
    if (/^\^?\[/.test(line)) return;
    const [pattern, ...rest] = tokens(line);
    if (!pattern || pattern.startsWith('!')) return;
    entries.push({ pattern, owners: rest.filter((o) => ownerSyntax.test(o)), line: i + 1 });
  });
  return { file, entries };
}

interface CompiledOwners {
  readonly entries: readonly CodeownersEntry[];
  readonly index: GlobIndex;
}

const compiledOwners = new WeakMap<Codeowners, CompiledOwners>();

function compileOwners(c: Codeowners): CompiledOwners {
  let out = compiledOwners.get(c);
  if (out) return out;
  const usable: CodeownersEntry[] = [];
  const groups: GlobPattern[][] = [];
  for (const e of c.entries) {
    try {
      groups.push([compileGlob(e.pattern, { wildcardMatchesFolders: false })]);
      usable.push(e);
    } catch {
      // A pattern GitHub would also ignore.
    }
  }
  out = { entries: usable, index: new GlobIndex(groups) };
  compiledOwners.set(c, out);
  return out;
}

/**
 * The owners of `path`: those of the last line that matches it (none when that line names
 * none, or no line matches).
 */
export function ownersOf(codeowners: Codeowners, path: string): readonly string[] {
  const c = compileOwners(codeowners);
  const hits = c.index.match(path);
  const last = hits[hits.length - 1];
  return last ? c.entries[last.group]!.owners : [];
}
