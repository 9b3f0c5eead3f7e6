/**
 * Reading git's zero-context patches (`git diff -U0`, `git diff-tree -p -U0`): which lines of
 * each file a change added. Only hunk headers are needed: with no context, every new-side line
 * of a hunk is an added line, so `+c,d` says "lines c..c+d-1 were added".
 */

/** Consecutive lines `[first, last]`, 1-based and inclusive. */
export type LineSpanTuple = readonly [first: number, last: number];

/** What a patch says about one file's new side. */
export interface FilePatch {
  /** Path on the new side, relative to the repository root, '/'-separated. */
  readonly path: string;
  /** Path on the old side when git saw a rename or copy. */
  readonly oldPath?: string;
  /**
   * The lines of the new side that the change added, as ascending runs (a hunk's new side).
   * Runs, not line numbers: a commit hook meets thousands of added lines in a few hundred hunks.
   */
  readonly addedRuns: readonly LineSpanTuple[];
  /** Lines the change removed from the old side. */
  readonly removed: number;
  readonly binary: boolean;
  /** The blob id of the new side, when the patch has full ids (`--full-index`). */
  readonly newOid?: string;
}

/** How many lines `runs` hold. */
export function runLength(runs: readonly LineSpanTuple[]): number {
  let n = 0;
  for (const [first, last] of runs) n += last - first + 1;
  return n;
}

/** The line numbers of `runs`, ascending when the runs are. */
export function runLines(runs: readonly LineSpanTuple[]): number[] {
  const out: number[] = [];
  for (const [first, last] of runs) for (let l = first; l <= last; l++) out.push(l);
  return out;
}

/** The file patches of one commit, as `git diff-tree --stdin` prints them. */
export interface CommitPatch {
  readonly commit: string;
  readonly files: FilePatch[];
}

const hunkHeader = /^@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;
const commitLine = /^([0-9a-f]{40}|[0-9a-f]{64})(?: .*)?$/;

/**
 * Parses a zero-context patch into its files (deleted files are left out: they add nothing).
 * Expects the `a/` and `b/` prefixes (pass `--src-prefix=a/ --dst-prefix=b/`, so a user's
 * `diff.noprefix` or `diff.mnemonicPrefix` cannot change the output).
 */
export function parseZeroContextPatch(text: string): FilePatch[] {
  return parseSections(text, false)[0]?.files ?? [];
}

/**
 * Parses the output of `git diff-tree --stdin -p -U0`: each commit id line starts the patch
 * of that commit.
 */
export function parseCommitPatches(text: string): CommitPatch[] {
  return parseSections(text, true);
}

function parseSections(text: string, withCommits: boolean): CommitPatch[] {
  const sections: CommitPatch[] = withCommits ? [] : [{ commit: '', files: [] }];
  let current: { path?: string; oldPath?: string; renameFrom?: string; addedRuns: LineSpanTuple[]; removed: number; binary: boolean; deleted: boolean; newOid?: string | undefined } | undefined;
  const flush = (): void => {
    if (current && !current.deleted && current.path !== undefined) {
      const section = sections[sections.length - 1];
      const oldPath = current.oldPath ?? current.renameFrom;
      section?.files.push({
        path: current.path,
        ...(oldPath !== undefined && oldPath !== current.path ? { oldPath } : {}),
        addedRuns: current.addedRuns,
        removed: current.removed,
        binary: current.binary,
        ...(current.newOid ? { newOid: current.newOid } : {}),
      });
    }
    current = undefined;
  };
  // Walked with indexOf rather than split: a patch of thousands of added lines is mostly hunk
  // bodies, which are skipped without making a string of each line.
  const lineEnd = (at: number): number => {
    const nl = text.indexOf('\n', at);
    return nl < 0 ? text.length : nl;
  };
  // Where the next "diff --git" line starts (its "\n"), found at most once per file; -1: none.
  let nextFile = text.indexOf('\ndiff --git ');
  for (let pos = 0; pos < text.length; ) {
    const end = lineEnd(pos);
    const line = text.slice(pos, end);
    pos = end + 1;
    if (line.startsWith('diff --git ')) {
      flush();
      current = { addedRuns: [], removed: 0, binary: false, deleted: false };
      continue;
    }
    if (withCommits && commitLine.test(line)) {
      flush();
      sections.push({ commit: line.slice(0, line.indexOf(' ') < 0 ? undefined : line.indexOf(' ')), files: [] });
      continue;
    }
    if (!current) continue;
    if (line.startsWith('--- ')) {
      const p = headerPath(line.slice(4), 'a/');
      if (p !== undefined) current.oldPath = p;
    } else if (line.startsWith('+++ ')) {
      const p = headerPath(line.slice(4), 'b/');
      if (p === undefined) current.deleted = true;
      else current.path = p;
    } else if (line.startsWith('index ')) {
      const m = /^index [0-9a-f]+\.\.([0-9a-f]{40}|[0-9a-f]{64})(?: |$)/.exec(line);
      if (m) current.newOid = m[1];
    } else if (line.startsWith('rename from ')) {
      current.renameFrom = unquote(line.slice('rename from '.length));
    } else if (line.startsWith('Binary files ')) {
      current.binary = true;
      // A binary file has no ---/+++ lines; its path is not needed, only that it adds no line.
      current.deleted = true;
    } else {
      const m = hunkHeader.exec(line);
      if (!m) continue;
      const removed = m[1] === undefined ? 1 : Number(m[1]);
      const start = Number(m[2]);
      const count = m[3] === undefined ? 1 : Number(m[3]);
      current.removed += removed;
      const bodyStart = pos;
      const runs = current.addedRuns;
      // A hunk at the end of a file with "\ No newline at end of file" may re-add the old last
      // line only because a line break was added or taken away: that line is not new.
      const addRuns = (bodyEnd: number): void => {
        if (count === 0) return;
        const marker = removed > 0 ? text.lastIndexOf('\n\\', bodyEnd - 1) : -1;
        const same = marker >= bodyStart - 1 ? sameAcrossFinalNewline(text.slice(bodyStart, bodyEnd)) : undefined;
        if (same === undefined) {
          runs.push([start, start + count - 1]);
          return;
        }
        if (same > 0) runs.push([start, start + same - 1]);
        if (same < count - 1) runs.push([start + same + 1, start + count - 1]);
      };
      if (!withCommits) {
        // Skip the hunk body in one native search: with no context lines every body line
        // starts with '+', '-' or '\\', so the body ends where a line starting "@@ " (the next
        // hunk) or "diff --git " (the next file) begins. A commit hook meets a body line for
        // each added line; a loop over them costs more than the rest of the parse.
        if (nextFile >= 0 && nextFile < pos - 1) nextFile = text.indexOf('\ndiff --git ', pos - 1);
        const nextHunk = text.indexOf('\n@@ ', pos - 1);
        const next = nextHunk < 0 ? nextFile : nextFile < 0 ? nextHunk : Math.min(nextHunk, nextFile);
        pos = next < 0 ? text.length : next + 1;
        addRuns(pos);
        continue;
      }
      // Skip the hunk body: exactly `removed` '-' lines and `count` '+' lines, and the
      // "\ No newline at end of file" markers; a '+++' inside it is content, not a header.
      // (diff-tree output can also go on with a commit line, so it is counted here.)
      let body = removed + count;
      while (pos < text.length && (body > 0 || text.charCodeAt(pos) === 92)) {
        if (text.charCodeAt(pos) !== 92) body--;
        pos = lineEnd(pos) + 1;
      }
      addRuns(Math.min(pos, text.length));
    }
  }
  flush();
  return sections;
}

/**
 * In a zero-context hunk body with a "\\ No newline at end of file" marker: the index, among
 * the added lines, of the one that is the old last line again, differing only by its line
 * break (git shows it removed and added). Undefined when there is none.
 */
export function sameAcrossFinalNewline(body: string): number | undefined {
  const removed: string[] = [];
  const added: string[] = [];
  let markAfter: '-' | '+' | undefined;
  let last: '-' | '+' | undefined;
  for (const line of body.split('\n')) {
    if (line.startsWith('-')) {
      removed.push(line.slice(1));
      last = '-';
    } else if (line.startsWith('+')) {
      added.push(line.slice(1));
      last = '+';
    } else if (line.startsWith('\\') && last) {
      if (last === '-' || markAfter === undefined) markAfter = last;
    }
  }
  const old = removed[removed.length - 1];
  if (old === undefined || markAfter === undefined) return undefined;
  if (markAfter === '-') {
    // The old last line had no line break; it is now followed by one (and maybe more lines).
    const j = added.indexOf(old);
    return j < 0 ? undefined : j;
  }
  // The new last line has no line break where the old one had it.
  return added[added.length - 1] === old ? added.length - 1 : undefined;
}

/** The path in a ---/+++ header without its prefix; undefined for /dev/null. */
function headerPath(raw: string, prefix: string): string | undefined {
  // git ends the name with a tab when it contains a space, so a patch tool can find its end.
  let name = raw.endsWith('\t') ? raw.slice(0, -1) : raw;
  if (name === '/dev/null') return undefined;
  name = unquote(name);
  return name.startsWith(prefix) ? name.slice(prefix.length) : name;
}

const escapes: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };

/**
 * Undoes git's C-style quoting of a path ("quote_c_style"): `"a\tb\303\251"` is `a<TAB>bé`.
 * Octal escapes are bytes of UTF-8. A name that does not start with a quote is returned as is.
 */
export function unquote(name: string): string {
  if (!name.startsWith('"') || !name.endsWith('"') || name.length < 2) return name;
  // Escaped bytes are collected and decoded together: one character may span several.
  let out = '';
  let bytes: number[] = [];
  const flushBytes = (): void => {
    if (bytes.length > 0) out += new TextDecoder().decode(new Uint8Array(bytes));
    bytes = [];
  };
  const body = name.slice(1, -1);
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch !== '\\') {
      flushBytes();
      out += ch;
      continue;
    }
    const next = body[i + 1] ?? '';
    if (/[0-7]/.test(next)) {
      bytes.push(parseInt(body.slice(i + 1, i + 4), 8));
      i += 3;
    } else {
      bytes.push(escapes[next] ?? next.charCodeAt(0));
      i += 1;
    }
  }
  flushBytes();
  return out;
}
