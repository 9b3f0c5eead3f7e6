/**
 * The patch language of Codex's `apply_patch` tool (also used by VS Code's agent), parsed into
 * per-file operations so a hook can tell which lines a call added.
 *
 * ```
 * *** Begin Patch
 * *** Add File: path        then every line starts with "+"
 * *** Update File: path     optionally "*** Move to: other", then hunks:
 * @@ optional context line
 *  context / -removed / +added
 * *** End of File           optional, pins the hunk to the end of the file
 * *** Delete File: path
 * *** End Patch
 * ```
 * The parser is lenient the way Codex's own is (missing envelope, CRLF, a bare empty line as
 * empty context) and never throws: text it cannot read yields fewer operations, not an error.
 */

/** One line of a hunk: context (' '), removed ('-') or added ('+'). */
export interface PatchLine {
  readonly op: ' ' | '-' | '+';
  readonly text: string;
}

/** One `@@` hunk of an update. */
export interface PatchHunk {
  /** The text after `@@ `, a line that occurs above the hunk (Codex seeks to it first). */
  readonly header: string | undefined;
  readonly lines: readonly PatchLine[];
  /** `*** End of File` followed the hunk: it sits at the very end of the file. */
  readonly endOfFile: boolean;
}

/** What a patch does to one file. */
export type PatchFileOp =
  | { readonly kind: 'add'; readonly path: string; readonly lines: readonly string[] }
  | { readonly kind: 'update'; readonly path: string; readonly moveTo: string | undefined; readonly hunks: readonly PatchHunk[] }
  | { readonly kind: 'delete'; readonly path: string };

/** Hostile input guard: more lines than this are not read (a real patch is far smaller). */
const maxPatchLines = 200_000;

const fileHeader = /^\*\*\* (Add|Update|Delete) File: (.+)$/;

/** Parses `apply_patch` text; unknown or malformed parts are skipped. */
export function parseApplyPatch(text: string): PatchFileOp[] {
  const lines = text.split('\n', maxPatchLines).map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  // The newline that ends the text does not start one more (empty) context line.
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const ops: PatchFileOp[] = [];
  let i = 0;
  while (i < lines.length) {
    const m = fileHeader.exec(lines[i]!);
    if (!m) {
      i++;
      continue;
    }
    const kind = m[1]!;
    const path = m[2]!.trim();
    i++;
    if (kind === 'Delete') {
      ops.push({ kind: 'delete', path });
      continue;
    }
    if (kind === 'Add') {
      const added: string[] = [];
      while (i < lines.length && !lines[i]!.startsWith('*** ')) {
        const l = lines[i]!;
        if (l.startsWith('+')) added.push(l.slice(1));
        i++;
      }
      ops.push({ kind: 'add', path, lines: added });
      continue;
    }
    let moveTo: string | undefined;
    if (i < lines.length && lines[i]!.startsWith('*** Move to: ')) {
      moveTo = lines[i]!.slice('*** Move to: '.length).trim();
      i++;
    }
    const hunks: PatchHunk[] = [];
    let current: { header: string | undefined; lines: PatchLine[]; endOfFile: boolean } | undefined;
    const flush = (): void => {
      if (current && current.lines.length > 0) hunks.push(current);
      current = undefined;
    };
    while (i < lines.length) {
      const l = lines[i]!;
      if (l === '*** End of File') {
        if (current) current.endOfFile = true;
        flush();
        i++;
        continue;
      }
      if (l.startsWith('*** ')) break;
      if (l.startsWith('@@')) {
        flush();
        const header = l.slice(2).trim();
        current = { header: header.length > 0 ? header : undefined, lines: [], endOfFile: false };
        i++;
        continue;
      }
      current ??= { header: undefined, lines: [], endOfFile: false };
      const op = l[0];
      if (op === '+' || op === '-' || op === ' ') current.lines.push({ op, text: l.slice(1) });
      else if (l === '') current.lines.push({ op: ' ', text: '' });
      i++;
    }
    flush();
    ops.push({ kind: 'update', path, moveTo, hunks });
  }
  return ops;
}
