/**
 * Gitignore-style path patterns, compiled once to automata (see ./globAutomaton.ts) and matched
 * against repository-relative paths (`/`-separated, no leading `/`), as the critical-path
 * policy and CODEOWNERS name files. Matching takes time linear in the path's length (times the
 * pattern's), whatever the pattern: a policy comes with the repository, and a backtracking
 * RegExp let a few hostile patterns hang every commit.
 *
 * What a pattern means, as in `.gitignore`:
 * - `*` matches within one path segment, `?` one character but `/`, `[a-z]` / `[!a-z]` one
 *   character of a class; `\` makes the next character literal (`\#`, `\!`, `\*`);
 * - `**` as a whole segment matches any number of segments: `**` + `/x` anywhere, `a/**` +
 *   everything inside `a`, `a/**` + `/b` with zero or more segments between;
 * - a pattern with a `/` at its start or in its middle is anchored at the repository root
 *   (a leading `/` is dropped); one without matches a file or folder name at any depth;
 * - a trailing `/` matches folders only; a pattern that matches a folder matches every file
 *   below it;
 * - `!` negates: in a list, the last pattern that matches a path decides.
 *
 * One deliberate difference from `.gitignore`: git cannot re-include a file once a folder above
 * it is excluded (it never looks inside), but a policy names files, so `src/pay/**` followed by
 * `!src/pay/test/**` leaves the tests out as a reader expects.
 */

import type { CharTest, GlobRegex } from './globAutomaton';
import { GlobAutomaton } from './globAutomaton';

/** The longest pattern accepted, in UTF-16 code units: longer is refused with a reason. */
export const maxGlobLength = 1000;

/** The most patterns one policy may hold (all rules together); the policy parser refuses more. */
export const maxGlobPatterns = 5000;

/**
 * The most pattern characters one policy may hold (all patterns together); the policy parser
 * refuses more. Matching one path costs at most about (path length × this) automaton steps,
 * so this, not the count, is what bounds a commit's time: about half a second per
 * 1,000-character path against the worst policy allowed.
 */
export const maxGlobTotalLength = 100_000;

/** One compiled pattern. */
export interface GlobPattern {
  /** The pattern as written. */
  readonly source: string;
  /** Written with a leading `!`: a match excludes the path. */
  readonly negate: boolean;
  /** Written with a trailing `/`: matches folders (so only paths below one). */
  readonly dirOnly: boolean;
  /** Matches from the repository root only. */
  readonly anchored: boolean;
  /** Whether the pattern matches a whole repository-relative path (in linear time). */
  readonly matches: (path: string) => boolean;
  /**
   * A cheap necessary condition for a match, so a matcher can skip most patterns without
   * running their expression: the path's leading segments (`first`: `value` is one to three
   * segments joined by `/`), any segment (`segment`), or the extension of any segment
   * (`extension`) must equal `value`.
   */
  readonly key: { readonly kind: 'first' | 'segment' | 'extension'; readonly value: string } | undefined;
}

const globChars = /[*?[\\]/;

/**
 * Why a pattern cannot be used, or undefined when it can. Leading or trailing blanks and a
 * leading `#` are refused rather than guessed at (in `.gitignore` they would be trimmed or be a
 * comment; in a JSON list they are almost certainly a mistake).
 */
export function globProblem(pattern: string): string | undefined {
  try {
    compileGlob(pattern);
    return undefined;
  } catch (e) {
    return (e as GlobSyntaxError).reason;
  }
}

/** A pattern that cannot be used; `reason` says why, for a person. */
export class GlobSyntaxError extends RangeError {
  override readonly name = 'GlobSyntaxError';
  constructor(
    readonly pattern: string,
    readonly reason: string,
  ) {
    super(`${JSON.stringify(pattern)}: ${reason}`);
  }
}

function syntaxProblem(pattern: string): string | undefined {
  if (pattern.length === 0) return 'a pattern must not be empty';
  if (pattern.length > maxGlobLength) return `a pattern must be at most ${maxGlobLength.toLocaleString('en-US')} characters long, not ${pattern.length.toLocaleString('en-US')}`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(pattern)) return 'a pattern must not contain control characters or line breaks';
  if (/^\s|\s$/.test(pattern)) return 'a pattern must not start or end with a blank';
  if (pattern.startsWith('#')) return 'a pattern must not start with "#" (write "\\#" for a literal one)';
  const body = pattern.startsWith('!') ? pattern.slice(1) : pattern;
  if (/^\/*$/.test(body)) return 'a pattern must name something besides "!" and "/"';
  if (body.includes('//')) return 'a pattern must not contain "//"';
  return undefined;
}

/** Escapes a character for a character class's regular expression. */
function literal(ch: string): string {
  return /[.*+?^${}()|[\]\\/-]/.test(ch) ? `\\${ch}` : ch;
}

/**
 * A character class starting at `pattern[i] === '['`: its expression and the index after it,
 * or undefined when the class is not closed.
 */
function charClass(pattern: string, i: number): { re: string; next: number } | undefined {
  let j = i + 1;
  let negate = false;
  if (pattern[j] === '!' || pattern[j] === '^') {
    negate = true;
    j++;
  }
  let body = '';
  let first = true;
  for (; j < pattern.length; j++) {
    const ch = pattern[j]!;
    if (ch === ']' && !first) {
      if (body === '') return undefined;
      // A class never matches the separator, negated or not.
      return { re: negate ? `[^/${body}]` : `(?!/)[${body}]`, next: j + 1 };
    }
    first = false;
    if (ch === '\\' && j + 1 < pattern.length) {
      j++;
      body += literal(pattern[j]!);
    } else if (ch === '-' && body !== '' && pattern[j + 1] !== ']') {
      body += '-';
    } else {
      body += literal(ch);
    }
  }
  return undefined;
}

const anyChar: CharTest = { kind: 'any' };
const notSlash: CharTest = { kind: 'notSlash' };
const slash: GlobRegex = { kind: 'one', test: { kind: 'code', code: 0x2f } };
/** `(?:.*\/)?`: nothing, or anything that ends with a `/` (zero or more whole segments). */
const segments: GlobRegex = { kind: 'opt', inner: { kind: 'seq', parts: [{ kind: 'star', test: anyChar }, slash] } };
/** `\/.+`: a path below a folder. */
const below: GlobRegex = { kind: 'seq', parts: [slash, { kind: 'one', test: anyChar }, { kind: 'star', test: anyChar }] };
/** `(?:\/.*)?`: the folder itself or a path below it. */
const selfOrBelow: GlobRegex = { kind: 'opt', inner: { kind: 'seq', parts: [slash, { kind: 'star', test: anyChar }] } };

/** Collects a pattern's parts, joining runs of literal characters into one part. */
class Parts {
  readonly list: GlobRegex[] = [];
  private pending = '';

  text(t: string): void {
    this.pending += t;
  }

  atom(re: GlobRegex): void {
    this.flush();
    this.list.push(re);
  }

  flush(): void {
    if (this.pending !== '') this.list.push({ kind: 'text', text: this.pending });
    this.pending = '';
  }
}

/**
 * The expression of one path segment (no `/` in it, not `**`). A class whose range is out of
 * order is reported through `badRange` rather than thrown, so an unclosed class later in the
 * pattern is named first (as when the whole pattern was one RegExp).
 */
function segmentParts(seg: string, pattern: string, badRange: { found: boolean }, out: Parts): void {
  for (let i = 0; i < seg.length; i++) {
    const ch = seg[i]!;
    if (ch === '\\') {
      // A trailing lone backslash stands for itself.
      out.text(i + 1 < seg.length ? seg[++i]! : '\\');
    } else if (ch === '*') {
      out.atom({ kind: 'star', test: notSlash });
      while (seg[i + 1] === '*') i++;
    } else if (ch === '?') {
      out.atom({ kind: 'one', test: notSlash });
    } else if (ch === '[') {
      const cls = charClass(seg, i);
      if (!cls) {
        // git's wildmatch matches nothing with an unclosed class; say so instead.
        throw new GlobSyntaxError(pattern, 'a "[" is not closed (write "\\[" for a literal one)');
      }
      // RegExp decides class membership, so ranges, escapes and '-' keep their exact meaning;
      // a one-character expression without quantifiers tests in constant time.
      let re: RegExp | undefined;
      try {
        re = new RegExp(`^${cls.re}$`, 's');
      } catch {
        badRange.found = true;
      }
      if (re) {
        const test = re;
        out.atom({ kind: 'one', test: { kind: 'class', test: (c) => test.test(c) } });
      }
      i = cls.next - 1;
    } else {
      out.text(ch);
    }
  }
}

/** The literal text of a segment without glob characters (escapes resolved), else undefined. */
function literalSegment(seg: string): string | undefined {
  return globChars.test(seg) ? undefined : seg;
}

/** Options of {@link compileGlob}. */
export interface GlobOptions {
  /**
   * Whether a last segment with wildcards (`docs/*`) that matches a folder matches the files
   * below it, as in `.gitignore` (default). CODEOWNERS says no: there `docs/*` owns
   * `docs/a.md` but not `docs/sub/b.md`.
   */
  readonly wildcardMatchesFolders?: boolean;
}

/**
 * Compiles a pattern. Throws a {@link GlobSyntaxError} for a pattern that cannot be used;
 * {@link globProblem} gives the reason without throwing.
 */
export function compileGlob(pattern: string, options: GlobOptions = {}): GlobPattern {
  const problem = syntaxProblem(pattern);
  if (problem) throw new GlobSyntaxError(pattern, problem);
  let body = pattern;
  const negate = body.startsWith('!');
  if (negate) body = body.slice(1);
  if (body.startsWith('\\!') || body.startsWith('\\#')) body = body.slice(1);
  const dirOnly = body.endsWith('/') && !body.endsWith('\\/');
  if (dirOnly) body = body.slice(0, -1);
  const anchored = body.includes('/');
  if (body.startsWith('/')) body = body.slice(1);
  const segs = body.split('/');
  const parts = new Parts();
  // Unanchored: a name at any depth.
  if (!anchored) parts.atom(segments);
  const badRange = { found: false };
  segs.forEach((seg, i) => {
    const last = i === segs.length - 1;
    // A `**` that is not last ends in its own optional '/', so the next segment adds none.
    if (i > 0 && segs[i - 1] !== '**') parts.text('/');
    if (seg === '**') parts.atom(last ? { kind: 'star', test: anyChar } : segments);
    else segmentParts(seg, pattern, badRange, parts);
  });
  // The one way a translated pattern can be invalid: a class range out of order ([z-a]).
  if (badRange.found) throw new GlobSyntaxError(pattern, 'a character class has a range out of order');
  // A match of a folder is a match of every path below it.
  const lastSeg = segs[segs.length - 1]!;
  const fileOnly = options.wildcardMatchesFolders === false && !dirOnly && lastSeg !== '**' && literalSegment(lastSeg) === undefined;
  if (dirOnly) parts.atom(below);
  else if (!fileOnly) parts.atom(selfOrBelow);
  parts.flush();
  const re: GlobRegex = { kind: 'seq', parts: parts.list };
  // Built on first use: the index skips most patterns for most paths, and a commit hook
  // compiles the whole policy for a handful of paths.
  let automaton: GlobAutomaton | undefined;
  const matches = (path: string): boolean => (automaton ??= new GlobAutomaton(re)).matches(path);
  return { source: pattern, negate, dirOnly, anchored, matches, key: keyOf(segs, anchored) };
}

/** Deepest literal prefix a pattern is indexed by (`src/payments/api/**` → `src/payments/api`). */
const maxPrefixDepth = 3;

function keyOf(segs: readonly string[], anchored: boolean): GlobPattern['key'] {
  if (anchored) {
    // The leading literal segments: every path the pattern matches starts with them.
    const prefix: string[] = [];
    for (const seg of segs.slice(0, maxPrefixDepth)) {
      const lit = seg === '**' ? undefined : literalSegment(seg);
      if (lit === undefined) break;
      prefix.push(lit);
    }
    if (prefix.length > 0) return { kind: 'first', value: prefix.join('/') };
  }
  // Segments match whole segments (`**` spans whole ones), so a literal segment of the pattern
  // is a segment of every path it matches, at any depth.
  for (const seg of segs) {
    const lit = seg === '**' ? undefined : literalSegment(seg);
    if (lit !== undefined) return { kind: 'segment', value: lit };
  }
  // `*.ext`, `*.test.ts`: a segment that matches ends with the literal suffix, so its
  // extension is the suffix's.
  for (const seg of segs) {
    const m = /^\*+([^*?[\\]*)$/.exec(seg);
    if (m && m[1]!.includes('.')) {
      const ext = m[1]!.slice(m[1]!.lastIndexOf('.') + 1);
      if (ext !== '' && !ext.includes('/')) return { kind: 'extension', value: ext };
    }
  }
  return undefined;
}

/**
 * Whether `path` is matched by an ordered list of patterns: the last pattern that matches it
 * decides (`!` excludes). A path with no matching pattern is not matched.
 */
export function matchList(patterns: readonly GlobPattern[], path: string): boolean {
  for (let i = patterns.length - 1; i >= 0; i--) {
    const p = patterns[i]!;
    if (p.matches(path)) return !p.negate;
  }
  return false;
}

/** The extension of a path segment (text after its last '.'), or undefined. */
function extensionOf(segment: string): string | undefined {
  const dot = segment.lastIndexOf('.');
  return dot >= 0 && dot < segment.length - 1 ? segment.slice(dot + 1) : undefined;
}

/** An entry of a {@link GlobIndex}: a pattern and the group it belongs to. */
interface Entry {
  readonly pattern: GlobPattern;
  readonly group: number;
  /** Position of the pattern within its group (the last match in a group decides). */
  readonly order: number;
}

/**
 * Many ordered pattern lists ("groups": the `paths` of each policy rule, the lines of a
 * CODEOWNERS file) indexed so one path is tested only against patterns that can match it.
 * Built once per policy; matching 10,000 paths against 1,000 patterns stays in milliseconds.
 */
export class GlobIndex {
  private readonly byFirst = new Map<string, Entry[]>();
  private readonly bySegment = new Map<string, Entry[]>();
  private readonly byExtension = new Map<string, Entry[]>();
  private readonly general: Entry[] = [];

  /** `groups[g]` is the ordered pattern list of group `g`. */
  constructor(groups: ReadonlyArray<readonly GlobPattern[]>) {
    groups.forEach((patterns, group) => {
      patterns.forEach((pattern, order) => {
        const e: Entry = { pattern, group, order };
        const key = pattern.key;
        if (!key) this.general.push(e);
        else {
          const map = key.kind === 'first' ? this.byFirst : key.kind === 'segment' ? this.bySegment : this.byExtension;
          const list = map.get(key.value);
          if (list) list.push(e);
          else map.set(key.value, [e]);
        }
      });
    });
  }

  /**
   * The groups whose list matches `path` (the last matching pattern of each group is not
   * negated), in ascending order, and for each the index of the deciding pattern.
   */
  match(path: string): Array<{ group: number; pattern: number }> {
    // Per group: the highest-ordered matching pattern seen so far.
    const best = new Map<number, Entry>();
    const consider = (entries: readonly Entry[] | undefined): void => {
      if (!entries) return;
      for (const e of entries) {
        const seen = best.get(e.group);
        if (seen && seen.order >= e.order) continue;
        if (e.pattern.matches(path)) best.set(e.group, e);
      }
    };
    const segs = path.split('/');
    let prefix = '';
    for (let d = 0; d < Math.min(maxPrefixDepth, segs.length); d++) {
      prefix = d === 0 ? segs[0]! : `${prefix}/${segs[d]!}`;
      consider(this.byFirst.get(prefix));
    }
    for (const s of segs) {
      consider(this.bySegment.get(s));
      const ext = extensionOf(s);
      if (ext !== undefined) consider(this.byExtension.get(ext));
    }
    consider(this.general);
    const out: Array<{ group: number; pattern: number }> = [];
    for (const [group, e] of best) if (!e.pattern.negate) out.push({ group, pattern: e.order });
    return out.sort((a, b) => a.group - b.group);
  }
}
