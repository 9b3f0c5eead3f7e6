/**
 * What one agent tool call changed in a file, and how that becomes ledger ranges.
 *
 * An agent hook sees the file only after the tool ran. To record exactly the lines this call
 * wrote (and not lines a person typed before it), we need the text as it was just before the
 * call: from a snapshot taken at the pre-tool event, from the payload itself (an original
 * file, numbered hunks, a patch, old/new strings to undo), or, for a whole-file write with no
 * other evidence, from the last commit. The line diff of that text against the file now is
 * this call's change; it is applied to the stored ranges as one AI edit, so ranges written
 * earlier move with the text instead of being re-found by hash.
 */
import { AttributionTracker } from '../tracking/attributionTracker';
import type { HashFn, LedgerFile, LedgerRange } from '../ledger/ledger';
import { reanchor, toLedgerFile } from '../ledger/ledger';
import { LineIndex } from '../lines/lines';
import type { ContentChange, Origin, Segment } from '../model';
import type { PatchHunk } from './applyPatch';
import type { CharChange } from '../lines/lineDiff';
import { lineTable } from '../lines/lineDiff';

/** One replacement of old text by new text, as Edit/replace tools describe it. */
export interface StringEdit {
  readonly oldText: string;
  readonly newText: string;
  /** Every occurrence was replaced. */
  readonly replaceAll: boolean;
  /** 1-based line where the edit landed, when the agent said (Cursor Tab). */
  readonly line?: number;
}

/** A unified-diff hunk with line numbers (Claude Code's `structuredPatch`). */
export interface NumberedHunk {
  /** 1-based first line of the hunk in the new text. */
  readonly newStart: number;
  /** Context and removed lines, without their line breaks. */
  readonly oldLines: readonly string[];
  /** Context and added lines, without their line breaks. */
  readonly newLines: readonly string[];
}

/** Why the text before a call could not be worked out. */
export type PreTextFailure = 'ambiguous' | 'not-found' | 'no-evidence';

/** The text before a call, or why it is unknown. */
export type PreTextResult = { readonly ok: true; readonly pre: string } | { readonly ok: false; readonly reason: PreTextFailure };

/** The line break a text mostly uses, for lines we rebuild. */
function eolOf(text: string): string {
  const i = text.indexOf('\n');
  return i > 0 && text[i - 1] === '\r' ? '\r\n' : '\n';
}

/** Offsets where `needle` occurs in `text` (not overlapping), at most `limit` of them. */
function occurrences(text: string, needle: string, limit: number): number[] {
  const out: number[] = [];
  if (needle.length === 0) return out;
  let at = text.indexOf(needle);
  while (at >= 0 && out.length < limit) {
    out.push(at);
    at = text.indexOf(needle, at + needle.length);
  }
  return out;
}

/**
 * The text before a sequence of old/new replacements, worked back from the text after them:
 * each new string must be found exactly once (or once on the line the agent named). An edit
 * that only deletes cannot be located afterwards; it is treated as already applied, which
 * costs nothing in attribution (it wrote no line).
 */
export function undoStringEdits(post: string, edits: readonly StringEdit[]): PreTextResult {
  let text = post;
  for (let k = edits.length - 1; k >= 0; k--) {
    const e = edits[k]!;
    if (e.newText.length === 0 || e.newText === e.oldText) continue;
    const found = occurrences(text, e.newText, e.line !== undefined ? 10_000 : 2);
    let at: number | undefined;
    if (found.length === 1) at = found[0];
    else if (found.length === 0) return { ok: false, reason: 'not-found' };
    else if (e.line !== undefined) {
      const index = new LineIndex(text);
      const onLine = found.filter((o) => index.lineOf(o) + 1 === e.line);
      if (onLine.length === 1) at = onLine[0];
    }
    // Two or more places (or replace-all, which may also have met text that was already
    // there): only a snapshot can tell which lines the call wrote.
    if (at === undefined || (e.replaceAll && found.length !== 1)) return { ok: false, reason: 'ambiguous' };
    text = text.slice(0, at) + e.oldText + text.slice(at + e.newText.length);
  }
  return { ok: true, pre: text };
}

function splitKeep(text: string): { lines: string[]; eols: string[] } {
  const table = lineTable(text);
  return { lines: table.map((l) => text.slice(l.start, l.contentEnd)), eols: table.map((l) => text.slice(l.contentEnd, l.end)) };
}

function join(lines: readonly string[], eols: readonly string[]): string {
  let out = '';
  for (let i = 0; i < lines.length; i++) out += lines[i]! + eols[i]!;
  return out;
}

/** Replaces lines `[at, at+count)` by `repl`, giving the new lines the file's usual break. */
function spliceLines(lines: string[], eols: string[], at: number, count: number, repl: readonly string[], eol: string): void {
  const endsFile = at + count >= lines.length;
  // Whether the file ends with a break stays as it was.
  const finalEol = !endsFile ? eol : count > 0 ? eols[at + count - 1]! : at > 0 ? eols[at - 1]! : eol;
  if (endsFile && count === 0 && at > 0 && repl.length > 0) eols[at - 1] = eol;
  lines.splice(at, count, ...repl);
  eols.splice(at, count, ...repl.map((_, n) => (n === repl.length - 1 ? finalEol : eol)));
}

/**
 * The text before numbered hunks (Claude Code's `structuredPatch`) were applied. Every hunk's
 * new side must be found at its line number in `post`, or the payload does not describe this
 * file and the result is `not-found`.
 */
export function undoNumberedHunks(post: string, hunks: readonly NumberedHunk[]): PreTextResult {
  const { lines, eols } = splitKeep(post);
  const eol = eolOf(post);
  const sorted = [...hunks].sort((a, b) => b.newStart - a.newStart);
  for (const h of sorted) {
    const at = h.newLines.length === 0 ? h.newStart : h.newStart - 1;
    if (at < 0 || at + h.newLines.length > lines.length) return { ok: false, reason: 'not-found' };
    for (let n = 0; n < h.newLines.length; n++) if (lines[at + n] !== h.newLines[n]) return { ok: false, reason: 'not-found' };
    spliceLines(lines, eols, at, h.newLines.length, h.oldLines, eol);
  }
  return { ok: true, pre: join(lines, eols) };
}

/** Where `seq` starts in `lines` at or after `from`: exact, then ignoring trailing, then all outer blanks (as apply_patch matches). */
function seek(lines: readonly string[], seq: readonly string[], from: number, atEnd: boolean): number {
  const norms: Array<(s: string) => string> = [(s) => s, (s) => s.trimEnd(), (s) => s.trim()];
  for (const norm of norms) {
    const first = atEnd ? Math.max(from, lines.length - seq.length) : from;
    for (let at = first; at + seq.length <= lines.length; at++) {
      let ok = true;
      for (let n = 0; n < seq.length && ok; n++) ok = norm(lines[at + n]!) === norm(seq[n]!);
      if (ok) return at;
    }
  }
  return -1;
}

/**
 * The text before an `apply_patch` update was applied: each hunk's new side (context and
 * added lines) is sought forward in `post` the way apply_patch seeks its old side, and
 * replaced by its old side (context and removed lines).
 */
export function undoPatchHunks(post: string, hunks: readonly PatchHunk[]): PreTextResult {
  const { lines, eols } = splitKeep(post);
  const eol = eolOf(post);
  const found: Array<{ at: number; count: number; old: string[] }> = [];
  let cursor = 0;
  for (const h of hunks) {
    const newSide = h.lines.filter((l) => l.op !== '-').map((l) => l.text);
    const oldSide = h.lines.filter((l) => l.op !== '+').map((l) => l.text);
    if (h.header !== undefined) {
      const hdr = seek(lines, [h.header], cursor, false);
      if (hdr >= 0) cursor = hdr + 1;
    }
    if (newSide.length === 0) continue; // a pure removal without context: nothing was written
    const at = seek(lines, newSide, cursor, h.endOfFile);
    if (at < 0) return { ok: false, reason: 'not-found' };
    found.push({ at, count: newSide.length, old: oldSide });
    cursor = at + newSide.length;
  }
  for (const f of found.reverse()) spliceLines(lines, eols, f.at, f.count, f.old, eol);
  return { ok: true, pre: join(lines, eols) };
}

/** What an agent said about one file, already normalised from its payload. */
export interface FileEvidence {
  /** The whole text before the call, when the payload carries it; `null`: the file did not exist. */
  readonly original?: string | null;
  /** The file was created by this call. */
  readonly created?: boolean;
  readonly edits?: readonly StringEdit[];
  readonly numberedHunks?: readonly NumberedHunk[] | undefined;
  readonly patchHunks?: readonly PatchHunk[];
  /** The call wrote the whole file (Write, write_file, create): without other evidence, diff against the last commit. */
  readonly wholeFile?: boolean;
}

/** Where the text before a call came from, for logs and tests. */
export type PreTextSource = 'snapshot' | 'original' | 'created' | 'hunks' | 'patch' | 'edits' | 'head';

/** The text before a call from the best evidence at hand, or what is still needed. */
export type PreTextChoice =
  | { readonly ok: true; readonly pre: string; readonly source: PreTextSource }
  | { readonly ok: false; readonly reason: PreTextFailure; readonly needHead: boolean };

/**
 * Picks the text before the call: a snapshot first (taken on this machine just before the
 * call), then what the payload carries, from the most to the least exact. `head` is the
 * file as last committed (`null`: not in the last commit), asked for only when a whole-file
 * write leaves nothing better.
 */
export function choosePreText(post: string, ev: FileEvidence, snapshot: string | null | undefined, head?: string | null): PreTextChoice {
  if (snapshot !== undefined) return { ok: true, pre: snapshot ?? '', source: 'snapshot' };
  if (typeof ev.original === 'string') return { ok: true, pre: ev.original, source: 'original' };
  if (ev.created || ev.original === null) return { ok: true, pre: '', source: 'created' };
  let failure: PreTextFailure = 'no-evidence';
  if (ev.numberedHunks && ev.numberedHunks.length > 0) {
    const r = undoNumberedHunks(post, ev.numberedHunks);
    if (r.ok) return { ok: true, pre: r.pre, source: 'hunks' };
    failure = r.reason;
  }
  if (ev.patchHunks && ev.patchHunks.length > 0) {
    const r = undoPatchHunks(post, ev.patchHunks);
    if (r.ok) return { ok: true, pre: r.pre, source: 'patch' };
    failure = r.reason;
  }
  if (ev.edits && ev.edits.length > 0) {
    const r = undoStringEdits(post, ev.edits);
    if (r.ok) return { ok: true, pre: r.pre, source: 'edits' };
    failure = r.reason;
  }
  if (ev.wholeFile) {
    if (head === undefined) return { ok: false, reason: failure, needHead: true };
    return { ok: true, pre: head ?? '', source: 'head' };
  }
  return { ok: false, reason: failure, needHead: false };
}

/** The new ledger entry of a file after an agent call, and the lines the call wrote. */
export interface AgentChangeResult {
  readonly entry: LedgerFile;
  /** 1-based lines of `post` that hold text this call wrote (break-only changes excluded). */
  readonly lines: readonly number[];
  /** Stored ranges that no longer matched the file before the call and were dropped. */
  readonly dropped: readonly LedgerRange[];
}

/**
 * Applies one agent call to a file's entry: the stored ranges are anchored on the text before
 * the call and moved through `changes`, and the text each change inserts is labelled
 * `origin`. When the entry already describes `post` (the same call recorded twice, e.g. by two
 * hook configurations), the changed spans are labelled in place instead.
 */
export function applyAgentChanges(
  entry: LedgerFile | undefined,
  pre: string,
  post: string,
  changes: readonly CharChange[],
  origin: Origin,
  hash: HashFn,
  now: number,
  writer: string,
): AgentChangeResult {
  let segments: Segment[];
  let dropped: readonly LedgerRange[];
  const postIndex = new LineIndex(post);
  if (entry && entry.basis === hash(post) && entry.basis !== hash(pre)) {
    const anchored = reanchor(entry, post, hash);
    const tracker = new AttributionTracker(post.length, anchored.segments);
    for (const c of changes) if (c.postEnd > c.postStart) tracker.mark(c.postStart, c.postEnd, post.slice(c.postStart, c.postEnd), origin);
    segments = tracker.segments();
    dropped = anchored.dropped;
  } else {
    const anchored = entry ? reanchor(entry, pre, hash) : { segments: [], dropped: [] };
    const tracker = new AttributionTracker(pre.length, anchored.segments);
    const preIndex = new LineIndex(pre);
    const pos = (offset: number): { line: number; character: number } => {
      const line = preIndex.lineOf(offset);
      return { line, character: offset - preIndex.startOf(line) };
    };
    // Bottom-up, so each change's offsets still hold when it is applied.
    const edits: ContentChange[] = [...changes]
      .sort((a, b) => b.preStart - a.preStart)
      .map((c) => ({ rangeOffset: c.preStart, rangeLength: c.preEnd - c.preStart, text: post.slice(c.postStart, c.postEnd), range: { start: pos(c.preStart), end: pos(c.preEnd) } }));
    if (edits.length > 0) tracker.applyEdit(edits, { type: 'ai', origin });
    if (tracker.docLength !== post.length) throw new RangeError(`changes do not turn the old text (${pre.length}) into the new (${post.length})`);
    segments = tracker.segments();
    dropped = anchored.dropped;
  }
  const lines: number[] = [];
  for (const c of changes) {
    if (c.postEnd <= c.postStart) continue;
    const last = postIndex.lineOf(c.postEnd - 1);
    for (let line = postIndex.lineOf(c.postStart); line <= last; line++) {
      // A line counts when the change covers some of its content, not only its break.
      const from = Math.max(c.postStart, postIndex.startOf(line));
      const to = Math.min(c.postEnd, postIndex.contentEndOf(line));
      if (to > from && lines[lines.length - 1] !== line + 1) lines.push(line + 1);
    }
  }
  return { entry: toLedgerFile(segments, post, hash, now, writer), lines, dropped };
}
