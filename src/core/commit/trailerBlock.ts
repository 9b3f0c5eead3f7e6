/**
 * The trailer block of a commit message exactly as git finds it (`git interpret-trailers
 * --parse`, `git log --format=%(trailers)`): only the last paragraph can hold trailers, and only
 * when every line of it is a trailer (or a continuation of one), or when it has a trailer git
 * itself writes (`Signed-off-by: `, `(cherry picked from commit `) and at least 25% trailers.
 * A `Key: value` line anywhere else (the body, a quoted `> Reviewed-by:`) is not a trailer, and
 * whoever reads a message must not count it as one: a review is a trailer or it is nothing.
 *
 * Ported from git's trailer.c (`find_trailer_start`, `find_separator`, `unfold_value`) and
 * commit.c (`ignored_log_message_bytes`), with their byte-level rules kept (a line is a
 * continuation when it starts with whitespace; comment lines and a trailing comment or
 * `Conflicts:` block are skipped; nothing below the scissors line counts). Configured
 * `trailer.<token>.key` entries and `trailer.separators` are not read: the default `:` applies.
 */

/** One trailer as git parses it: key and value trimmed, continuation lines unfolded. */
export interface BlockTrailer {
  readonly key: string;
  readonly value: string;
  /** 0-based line of the message where the trailer starts. */
  readonly line: number;
}

/** What {@link parseTrailerBlock} found. */
export interface TrailerBlock {
  readonly trailers: readonly BlockTrailer[];
  /** 0-based line numbers of the message that belong to the trailer block (empty when none). */
  readonly lines: readonly number[];
}

/** Options of {@link parseTrailerBlock}. */
export interface TrailerBlockOptions {
  /** `core.commentChar` (default `#`): lines starting with it are comments. */
  readonly commentChar?: string;
  /**
   * Whether a line starting with `---` and a blank ends the message (the patch of `git
   * format-patch` output), as `git interpret-trailers` does by default. Git reads a commit's
   * own trailers without it (`%(trailers)`, `git commit --trailer`): default false.
   */
  readonly divider?: boolean;
}

/** Trailers git writes itself; a block holding one needs only 25% trailer lines (git's trailer.c). */
const gitGeneratedPrefixes = ['Signed-off-by: ', '(cherry picked from commit '];

/** git's scissors line (wt-status.c), after the comment character. */
const cutLine = ' ------------------------ >8 ------------------------\n';

/** C's isspace in the C locale, which git's ctype follows. */
function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\v' || c === '\f';
}

function isAlnum(c: string): boolean {
  return /^[A-Za-z0-9]$/.test(c);
}

/** Start of the line after the one starting at `i` (or the end of `s`). */
function nextLine(s: string, i: number): number {
  const nl = s.indexOf('\n', i);
  return nl < 0 ? s.length : nl + 1;
}

/** git's `is_blank_line`: only whitespace up to the end of the line (it reads past `len`, as git does). */
function isBlankLine(s: string, i: number): boolean {
  while (i < s.length && s[i] !== '\n' && isSpace(s[i])) i++;
  return i >= s.length || s[i] === '\n';
}

/** git's `last_line`: the start of the last line of `s[0, len)`; -1 when empty. */
function lastLine(s: string, len: number): number {
  if (len === 0) return -1;
  if (len === 1) return 0;
  for (let i = len - 2; i >= 0; i--) if (s[i] === '\n') return i + 1;
  return 0;
}

/**
 * git's `find_separator` with the default separators (`:`): the offset of the `:` after a
 * token of letters, digits and `-` (then only blanks), or -1.
 */
function findSeparator(s: string, from: number): number {
  let whitespaceFound = false;
  for (let c = from; c < s.length; c++) {
    const ch = s[c]!;
    if (ch === ':') return c - from;
    if (!whitespaceFound && (isAlnum(ch) || ch === '-')) continue;
    if (c !== from && (ch === ' ' || ch === '\t')) {
      whitespaceFound = true;
      continue;
    }
    break;
  }
  return -1;
}

/** git's `wt_status_locate_end`: where the scissors line starts, else `s.length`. */
function scissorsAt(s: string, commentChar: string): number {
  const pattern = '\n' + commentChar + cutLine;
  if (s.startsWith(pattern.slice(1))) return 0;
  const p = s.indexOf(pattern);
  return p < 0 ? s.length : p + 1;
}

/** git's `ignored_log_message_bytes`: how many bytes at the end of `s[0, len)` are comments, blank lines, a `Conflicts:` block or below the scissors. */
function ignoredTail(s: string, len: number, commentChar: string): number {
  let boc = 0;
  let bol = 0;
  let inConflicts = false;
  const cutoff = Math.min(len, scissorsAt(s, commentChar));
  while (bol < cutoff) {
    const nl = s.indexOf('\n', bol);
    const next = nl < 0 || nl >= cutoff ? cutoff : nl + 1;
    if (s[bol] === commentChar || s[bol] === '\n') {
      if (!boc) boc = bol;
    } else if (s.startsWith('Conflicts:\n', bol)) {
      inConflicts = true;
      if (!boc) boc = bol;
    } else if (inConflicts && s[bol] === '\t') {
      // A path of the old conflicts block.
    } else if (boc) {
      boc = 0;
      inConflicts = false;
    }
    bol = next;
  }
  return boc ? len - boc : len - cutoff;
}

/** git's `find_trailer_start`: the offset where the trailer block of `s[0, len)` starts, `len` when there is none. */
function findTrailerStart(s: string, len: number, commentChar: string): number {
  // The first paragraph is the title and cannot hold trailers.
  let endOfTitle = 0;
  for (; endOfTitle < len; endOfTitle = nextLine(s, endOfTitle)) {
    if (s[endOfTitle] === commentChar) continue;
    if (isBlankLine(s, endOfTitle)) break;
  }
  let onlySpaces = true;
  let recognizedPrefix = false;
  let trailerLines = 0;
  let nonTrailerLines = 0;
  // Lines starting with a blank, seen (from the end) before their trailer: continuations of a
  // trailer if one comes, else non-trailer lines.
  let possibleContinuations = 0;
  for (let l = lastLine(s, len); l >= endOfTitle; l = lastLine(s, l)) {
    if (s[l] === commentChar) {
      nonTrailerLines += possibleContinuations;
      possibleContinuations = 0;
      continue;
    }
    if (isBlankLine(s, l)) {
      if (onlySpaces) continue;
      nonTrailerLines += possibleContinuations;
      if (recognizedPrefix && trailerLines * 3 >= nonTrailerLines) return nextLine(s, l);
      if (trailerLines > 0 && nonTrailerLines === 0) return nextLine(s, l);
      return len;
    }
    onlySpaces = false;
    if (gitGeneratedPrefixes.some((p) => s.startsWith(p, l))) {
      trailerLines++;
      possibleContinuations = 0;
      recognizedPrefix = true;
      continue;
    }
    if (findSeparator(s, l) >= 1 && !isSpace(s[l])) {
      trailerLines++;
      possibleContinuations = 0;
    } else if (isSpace(s[l])) {
      possibleContinuations++;
    } else {
      nonTrailerLines += 1 + possibleContinuations;
      possibleContinuations = 0;
    }
  }
  return len;
}

/** git's `strbuf_trim`. */
function trim(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isSpace(s[a])) a++;
  while (b > a && isSpace(s[b - 1])) b--;
  return s.slice(a, b);
}

/** git's `unfold_value`: each line break and the blanks after it become one space. */
function unfold(v: string): string {
  let out = '';
  for (let i = 0; i < v.length; ) {
    const c = v[i++]!;
    if (c === '\n') {
      while (i < v.length && isSpace(v[i])) i++;
      out += ' ';
    } else out += c;
  }
  return trim(out);
}

/** The trailers of a message's trailer block, as `git interpret-trailers --parse` prints them. */
export function parseTrailerBlock(message: string, options: TrailerBlockOptions = {}): TrailerBlock {
  const commentChar = options.commentChar ?? '#';
  let patchStart = message.length;
  if (options.divider) {
    for (let s = 0; s < message.length; s = nextLine(message, s)) {
      if (message.startsWith('---', s) && isSpace(message[s + 3])) {
        patchStart = s;
        break;
      }
    }
  }
  const end = patchStart - ignoredTail(message, patchStart, commentChar);
  const start = findTrailerStart(message, end, commentChar);
  // Split the block into trailers, a line starting with a blank continuing the one before.
  const entries: Array<{ text: string; line: number; continuable: boolean }> = [];
  const lines: number[] = [];
  let lineNo = message.slice(0, start).split('\n').length - 1;
  for (let s = start; s < end; s = nextLine(message, s), lineNo++) {
    const text = message.slice(s, Math.min(nextLine(message, s), end));
    lines.push(lineNo);
    const last = entries[entries.length - 1];
    if (last && last.continuable && isSpace(text[0])) {
      last.text += text;
      continue;
    }
    entries.push({ text, line: lineNo, continuable: findSeparator(text, 0) >= 1 });
  }
  const trailers: BlockTrailer[] = [];
  for (const e of entries) {
    if (e.text.startsWith(commentChar)) continue;
    const sep = findSeparator(e.text, 0);
    if (sep < 1) continue;
    trailers.push({ key: trim(e.text.slice(0, sep)), value: unfold(trim(e.text.slice(sep + 1))), line: e.line });
  }
  return { trailers, lines };
}
