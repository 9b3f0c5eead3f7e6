/**
 * The ledger: the durable record of uncommitted AI ranges of one worktree, shared by the
 * extension and the CLI. This module is its model and (de)serialisation; the file I/O with
 * locking lives in src/node/ledgerStore.ts.
 *
 * Each file entry says which text its offsets describe (`basis`, a hash of the whole file).
 * A reader whose file has other content re-anchors every range by its own content hash and
 * drops the ones it cannot find: a range is never shifted blindly.
 */
import type { AttrState, Origin, OriginKind, Segment } from '../model';
import { originKinds } from '../model';
import { endsWithBreak, LineIndex, toRuns } from '../lines/lines';
import { lineLookup, projectSegmentLines, projectWholeLines } from '../lines/lineProjection';

/**
 * Hashes text; injected so core stays pure (node's sha256 in practice). It may also give the
 * git blob id of a text (`gitBlob`): entries written with it carry a {@link LedgerBlob}.
 */
export type HashFn = ((text: string) => string) & { readonly gitBlob?: (text: string) => string };

/** One attributed range of a file as stored. Lines are 1-based and inclusive. */
export interface LedgerRange {
  readonly start: number;
  readonly end: number;
  readonly startLine: number;
  readonly endLine: number;
  /** Column (UTF-16 units) where the range starts on `startLine`, for re-anchoring mid-line ranges. */
  readonly startColumn?: number;
  readonly state: AttrState;
  readonly origin: Origin;
  /** Hash of the range's text. */
  readonly hash: string;
}

/** The ranges of one file. */
export interface LedgerFile {
  /** Hash of the whole file text the offsets refer to. */
  readonly basis: string;
  /** When this entry was last written, epoch ms. */
  readonly updated: number;
  /** Who wrote it last (`extension:<uuid>` or `cli`), so a reader can tell others' writes. */
  readonly writer: string;
  readonly ranges: readonly LedgerRange[];
  /** The entry as git sees its text; absent in entries written without a git blob id. */
  readonly blob?: LedgerBlob;
}

/**
 * What a reader without the text needs to know of an entry: the git blob id of the text the
 * offsets refer to, and the lines the entry gives that text. A commit hook whose staged file
 * is that blob takes the lines as they are, without reading, hashing or re-anchoring anything
 * (src/node/attribution.ts). Valid only while `of` is the entry's `basis`: an entry copied
 * under another basis (ranges kept unverified) does not keep it.
 */
export interface LedgerBlob {
  /** The `basis` the blob was computed with. */
  readonly of: string;
  /** Git's blob id (sha1) of the text. */
  readonly sha1: string;
  /**
   * The attributed lines over the text, as runs `first-last kind range` (1-based, inclusive;
   * `range` is the index of a range written by the line's origin), separated by ";". Decoded
   * and checked by `blobRuns` in src/core/commit/changeLines.ts.
   */
  readonly lines: string;
}

/** The whole ledger of a worktree, keyed by path relative to the worktree root ('/'-separated). */
export interface LedgerData {
  readonly version: 1;
  readonly files: Readonly<Record<string, LedgerFile>>;
}

/** The version of the ledger model ({@link LedgerData.version}), and of the oldest ledger file format. */
export const ledgerVersion = 1;

/** Thrown when a ledger file cannot be read as a ledger. */
export class LedgerFormatError extends Error {
  override readonly name = 'LedgerFormatError';
}

/** An empty ledger. */
export function emptyLedger(): LedgerData {
  return { version: 1, files: {} };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown, what: string): string {
  if (typeof v !== 'string') throw new LedgerFormatError(`${what} must be a string`);
  return v;
}

function int(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new LedgerFormatError(`${what} must be a non-negative integer`);
  return v;
}

/** Validates an origin read from disk or from another tool. */
export function parseOrigin(v: unknown, what = 'origin'): Origin {
  return quickOrigin(v) ?? checkedOrigin(v, what);
}

function checkedOrigin(v: unknown, what: string): Origin {
  if (!isObject(v)) throw new LedgerFormatError(`${what} must be an object`);
  const kind = str(v.kind, `${what}.kind`);
  if (!originKinds.includes(kind as OriginKind)) throw new LedgerFormatError(`${what}.kind "${kind}" is not one of ${originKinds.join(', ')}`);
  const model = v.model === undefined || v.model === null ? undefined : str(v.model, `${what}.model`);
  return {
    id: str(v.id, `${what}.id`),
    kind: kind as OriginKind,
    tool: str(v.tool, `${what}.tool`),
    ...(model !== undefined ? { model } : {}),
    session: str(v.session, `${what}.session`),
    time: int(v.time, `${what}.time`),
  };
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

/*
 * The quick* readers accept exactly what the checked* ones accept, and return undefined for
 * anything else, which then goes through checked* for its precise error. A commit hook parses
 * every range of the ledger: the quick path builds no field name and copies no spread.
 */

function quickOrigin(v: unknown): Origin | undefined {
  if (!isObject(v)) return undefined;
  const { id, kind, tool, model, session, time } = v;
  if (typeof id !== 'string' || typeof kind !== 'string' || !originKinds.includes(kind as OriginKind) || typeof tool !== 'string') return undefined;
  if (typeof session !== 'string' || !isCount(time) || (model !== undefined && model !== null && typeof model !== 'string')) return undefined;
  const k = kind as OriginKind;
  return typeof model === 'string' ? { id, kind: k, tool, model, session, time } : { id, kind: k, tool, session, time };
}

function quickRange(r: unknown): LedgerRange | undefined {
  if (!isObject(r)) return undefined;
  const { start, end, startLine, startColumn, endLine, state, hash } = r;
  if (state !== 'ai' && state !== 'mixed') return undefined;
  if (!isCount(start) || !isCount(end) || end < start || !isCount(startLine) || !isCount(endLine) || typeof hash !== 'string') return undefined;
  if (startColumn !== undefined && !isCount(startColumn)) return undefined;
  const origin = quickOrigin(r.origin);
  if (!origin) return undefined;
  return startColumn !== undefined ? { start, end, startLine, startColumn, endLine, state, origin, hash } : { start, end, startLine, endLine, state, origin, hash };
}

function checkedRange(r: unknown, what: string): LedgerRange {
  if (!isObject(r)) throw new LedgerFormatError(`${what} must be an object`);
  const state = r.state;
  if (state !== 'ai' && state !== 'mixed') throw new LedgerFormatError(`${what}.state must be ai or mixed`);
  const start = int(r.start, `${what}.start`);
  const end = int(r.end, `${what}.end`);
  if (end < start) throw new LedgerFormatError(`${what} ends before it starts`);
  return {
    start, end,
    startLine: int(r.startLine, `${what}.startLine`),
    ...(r.startColumn !== undefined ? { startColumn: int(r.startColumn, `${what}.startColumn`) } : {}),
    endLine: int(r.endLine, `${what}.endLine`),
    state,
    origin: checkedOrigin(r.origin, `${what}.origin`),
    hash: str(r.hash, `${what}.hash`),
  };
}

/**
 * The version of the ledger file this code writes ({@link serializeLedger}); {@link parseLedger}
 * reads it and version 1 (the model's shape as pretty-printed JSON, every range carrying its
 * whole origin: ~480 bytes a range).
 *
 * Version 2 is compact JSON, still one JSON value, laid out on lines for readers that are not
 * JSON parsers:
 *
 * ```
 * {"version":2,"ranges":<count>,
 * "origins":[<origin>,...],
 * "files":{
 * "<path>":{"basis":…,"updated":…,"writer":…,["blob":{…},]"ranges":[[start,length,startLine,lineSpan,startColumn,origin,"hash"(,1)],…]},
 * …}}
 * ```
 *
 * Each distinct origin is stored once and ranges name it by index; a range is an array of its
 * offset, length, first line, lines spanned after the first, column (null when unknown), origin
 * index, hash (`sha256:` left out when the hash has that form), and a trailing 1 when its state
 * is `mixed`. The first line alone says whether the ledger holds any range: the git hook
 * scripts read it in sh to start no node for a commit with nothing recorded (src/git/hooks.ts).
 */
export const ledgerFileVersion = 2;

/** Parses a ledger file (version 2, or the older version 1), checking every field; throws {@link LedgerFormatError}. */
export function parseLedger(json: string): LedgerData {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (e) {
    throw new LedgerFormatError(`not JSON: ${(e as Error).message}`);
  }
  if (!isObject(raw)) throw new LedgerFormatError('ledger must be an object');
  if (raw.version === ledgerFileVersion) return parseCompact(raw);
  if (raw.version !== ledgerVersion) throw new LedgerFormatError(`unsupported ledger version ${String(raw.version)}`);
  if (!isObject(raw.files)) throw new LedgerFormatError('files must be an object');
  const files: Record<string, LedgerFile> = {};
  for (const [path, f] of Object.entries(raw.files)) {
    if (!isObject(f) || !Array.isArray(f.ranges)) throw new LedgerFormatError(`files["${path}"] is malformed`);
    const ranges = f.ranges.map((r: unknown, i): LedgerRange => quickRange(r) ?? checkedRange(r, `files["${path}"].ranges[${i}]`));
    files[path] = fileEntry(f, path, ranges);
  }
  return { version: 1, files };
}

/** An entry's fields besides its ranges, as both versions store them. */
function fileEntry(f: Record<string, unknown>, path: string, ranges: LedgerRange[]): LedgerFile {
  const entry = { basis: str(f.basis, `files["${path}"].basis`), updated: int(f.updated, `files["${path}"].updated`), writer: str(f.writer, `files["${path}"].writer`), ranges };
  // A blob that is not of this shape is left out rather than refused: it only saves work.
  const b = f.blob;
  return isObject(b) && typeof b.of === 'string' && typeof b.sha1 === 'string' && typeof b.lines === 'string' ? { ...entry, blob: { of: b.of, sha1: b.sha1, lines: b.lines } } : entry;
}

/** The prefix of our content hashes, left out of version 2's ranges. */
const hashPrefix = 'sha256:';
const shortHash = /^[0-9a-f]{32}$/;

/** A range's hash as version 2 stores it: without {@link hashPrefix}, or `=` and the hash when that could be misread. */
function packHash(hash: string): string {
  if (hash.startsWith(hashPrefix) && shortHash.test(hash.slice(hashPrefix.length))) return hash.slice(hashPrefix.length);
  return shortHash.test(hash) || hash.startsWith('=') ? '=' + hash : hash;
}

function unpackHash(stored: string): string {
  if (stored.startsWith('=')) return stored.slice(1);
  return shortHash.test(stored) ? hashPrefix + stored : stored;
}

function parseCompact(raw: Record<string, unknown>): LedgerData {
  if (!Array.isArray(raw.origins)) throw new LedgerFormatError('origins must be an array');
  const origins = raw.origins.map((o: unknown, i) => parseOrigin(o, `origins[${i}]`));
  if (!isObject(raw.files)) throw new LedgerFormatError('files must be an object');
  const files: Record<string, LedgerFile> = {};
  for (const [path, f] of Object.entries(raw.files)) {
    if (!isObject(f) || !Array.isArray(f.ranges)) throw new LedgerFormatError(`files["${path}"] is malformed`);
    const ranges = f.ranges.map((r: unknown, i): LedgerRange => compactRange(r, origins, `files["${path}"].ranges[${i}]`));
    files[path] = fileEntry(f, path, ranges);
  }
  return { version: 1, files };
}

function compactRange(r: unknown, origins: readonly Origin[], what: string): LedgerRange {
  if (!Array.isArray(r) || r.length < 7 || r.length > 8) throw new LedgerFormatError(`${what} must be an array of 7 or 8 values`);
  const [start, length, startLine, span, column, o, hash, mixed] = r as unknown[];
  if (!isCount(start) || !isCount(length) || !isCount(startLine) || !isCount(span)) throw new LedgerFormatError(`${what}: offset, length and lines must be non-negative integers`);
  if (column !== null && !isCount(column)) throw new LedgerFormatError(`${what}: column must be a non-negative integer or null`);
  if (!isCount(o) || o >= origins.length) throw new LedgerFormatError(`${what}: origin ${String(o)} is not in origins`);
  if (typeof hash !== 'string') throw new LedgerFormatError(`${what}: hash must be a string`);
  if (mixed !== undefined && mixed !== 1) throw new LedgerFormatError(`${what}: the state flag must be 1 (mixed) or absent`);
  const state: AttrState = mixed === 1 ? 'mixed' : 'ai';
  const end = start + length;
  const endLine = startLine + span;
  if (!Number.isSafeInteger(end) || !Number.isSafeInteger(endLine)) throw new LedgerFormatError(`${what} is out of range`);
  const origin = origins[o]!;
  const h = unpackHash(hash);
  return column !== null ? { start, end, startLine, startColumn: column, endLine, state, origin, hash: h } : { start, end, startLine, endLine, state, origin, hash: h };
}

/**
 * Serialises a ledger as version 2 (see {@link ledgerFileVersion}): origins once, ranges as
 * arrays, paths in sorted order so that diffs of the file stay readable; files without ranges
 * are left out.
 */
export function serializeLedger(data: LedgerData): string {
  const origins: Origin[] = [];
  const originIndex = new Map<string, number>();
  // Origins are told apart by value: two equal origins read from a version 1 file are one.
  const indexOf = (o: Origin): number => {
    const key = JSON.stringify([o.id, o.kind, o.tool, o.model ?? null, o.session, o.time]);
    let i = originIndex.get(key);
    if (i === undefined) {
      i = origins.length;
      originIndex.set(key, i);
      origins.push(o.model !== undefined ? { id: o.id, kind: o.kind, tool: o.tool, model: o.model, session: o.session, time: o.time } : { id: o.id, kind: o.kind, tool: o.tool, session: o.session, time: o.time });
    }
    return i;
  };
  const lines: string[] = [];
  let count = 0;
  for (const path of Object.keys(data.files).sort()) {
    const f = data.files[path]!;
    if (f.ranges.length === 0) continue;
    count += f.ranges.length;
    const ranges = f.ranges.map((r) => {
      const packed: Array<number | string | null> = [r.start, r.end - r.start, r.startLine, r.endLine - r.startLine, r.startColumn ?? null, indexOf(r.origin), packHash(r.hash)];
      if (r.state === 'mixed') packed.push(1);
      return packed;
    });
    const head = { basis: f.basis, updated: f.updated, writer: f.writer, ...(f.blob ? { blob: { of: f.blob.of, sha1: f.blob.sha1, lines: f.blob.lines } } : {}) };
    lines.push(`${JSON.stringify(path)}:${JSON.stringify(head).slice(0, -1)},"ranges":${JSON.stringify(ranges)}}`);
  }
  return `{"version":${ledgerFileVersion},"ranges":${count},\n"origins":${JSON.stringify(origins)},\n"files":{${lines.length > 0 ? '\n' + lines.join(',\n') + '\n' : ''}}}\n`;
}

/** Builds the stored entry of a file from the tracker's segments over `text`. */
export function toLedgerFile(segments: readonly Segment[], text: string, hash: HashFn, now: number, writer: string): LedgerFile {
  const index = new LineIndex(text);
  const ranges = segments.map((s): LedgerRange => ({
    start: s.start,
    end: s.end,
    startLine: index.lineOf(s.start) + 1,
    startColumn: s.start - index.startOf(index.lineOf(s.start)),
    endLine: index.lineOf(Math.max(s.start, s.end - 1)) + 1,
    state: s.state,
    origin: s.origin,
    hash: hash(s.text),
  }));
  const basis = hash(text);
  if (!hash.gitBlob) return { basis, updated: now, writer, ranges };
  return { basis, updated: now, writer, ranges, blob: { of: basis, sha1: hash.gitBlob(text), lines: encodeLines(segments, text) } };
}

/**
 * The lines of `segments` over `text` as {@link LedgerBlob.lines} runs: what `ledgerLines`
 * (src/core/commit/changeLines.ts) gives the entry over the same text, computed once by the writer.
 */
function encodeLines(segments: readonly Segment[], text: string): string {
  const lines = projectWholeLines(segments, text, 1) ?? projectSegmentLines(segments, lineLookup(text), 1);
  // Ranges are the segments in order: a run names the first range its origin wrote.
  const rangeOf = new Map<string, number>();
  segments.forEach((s, i) => {
    if (!rangeOf.has(s.origin.id)) rangeOf.set(s.origin.id, i);
  });
  return toRuns(lines)
    .map((r) => `${r.startLine}-${r.endLine} ${r.kind} ${rangeOf.get(r.origin.id)!}`)
    .join(';');
}

/** What re-anchoring a stored entry onto the current text found. */
export interface Reanchored {
  readonly segments: Segment[];
  /** Whether the text is the one the entry was written for (every range then exact). */
  readonly sameBasis: boolean;
  /** Ranges found at their stored offsets. */
  readonly exact: number;
  /** Ranges whose text was found once elsewhere (the file changed while nobody watched). */
  readonly relocated: number;
  /** Ranges whose text is gone or ambiguous: dropped, never guessed. */
  readonly dropped: readonly LedgerRange[];
}

/**
 * Maps a stored entry onto the file's current `text`. With the same basis every range is
 * exact; otherwise each range is kept where its text still hashes the same, or moved to the
 * single other place its text occurs, or dropped.
 */
export function reanchor(file: LedgerFile, text: string, hash: HashFn): Reanchored {
  const sameBasis = file.basis === hash(text);
  const placed: Array<{ at: number; r: LedgerRange; len: number; exact: boolean }> = [];
  const dropped: LedgerRange[] = [];
  // Each range is placed on its own (a block moved above another must not drop the other);
  // overlaps are resolved afterwards, and overlapping ranges are dropped, never merged.
  const index = sameBasis ? undefined : new LineIndex(text);
  for (const r of file.ranges) {
    if (r.end <= text.length && (sameBasis || hash(text.slice(r.start, r.end)) === r.hash)) {
      placed.push({ at: r.start, r, len: r.end - r.start, exact: true });
      continue;
    }
    // A range that ended with the file's last line break, which is gone now: the same line
    // (a line that differs only by the missing newline at the end is the same line).
    const short = !sameBasis ? withoutFinalBreak(text, r.start, r.end - r.start, r.hash, hash) : -1;
    if (short >= 0) {
      placed.push({ at: r.start, r, len: short, exact: true });
      continue;
    }
    // Relocate only text long enough to be distinctive, and only when it occurs once.
    const found = !sameBasis && r.end - r.start >= 8 && index ? findUnique(text, index, r, hash) : undefined;
    if (found) placed.push({ at: found.at, r, len: found.len, exact: false });
    else dropped.push(r);
  }
  // Ranges are stored in order, so they are usually placed in order: sorted only if not.
  if (placed.some((p, i) => i > 0 && p.at < placed[i - 1]!.at)) placed.sort((a, b) => a.at - b.at);
  const segments: Segment[] = [];
  let exact = 0;
  let relocated = 0;
  let lastEnd = 0;
  for (const p of placed) {
    const len = p.len;
    if (p.at < lastEnd) {
      dropped.push(p.r);
      continue;
    }
    segments.push({ start: p.at, end: p.at + len, origin: p.r.origin, state: p.r.state, text: text.slice(p.at, p.at + len) });
    lastEnd = p.at + len;
    if (p.exact) exact++;
    else relocated++;
  }
  return { segments, sameBasis, exact, relocated, dropped };
}

/**
 * The length a range of `len` characters at `at` has in `text` when its text ended with the
 * file's final line break and the file now ends without it (its hash is that of the part
 * still there plus the break); -1 otherwise.
 */
function withoutFinalBreak(text: string, at: number, len: number, rangeHash: string, hash: HashFn): number {
  const missing = at + len - text.length;
  if (missing < 1 || missing > 2 || at > text.length || endsWithBreak(text)) return -1;
  const rest = text.slice(at);
  for (const eol of missing === 1 ? ['\n', '\r'] : ['\r\n']) {
    if (hash(rest + eol) === rangeHash) return rest.length;
  }
  return -1;
}

/**
 * The single place where a range's text now is, or undefined. Only the hash is stored, so
 * candidates are the positions a moved range most likely starts at: every line start, and the
 * stored column on every line (an inline completion starts mid-line, after the typed prefix).
 * A range that ended with the final line break may be found at the end without it.
 */
function findUnique(text: string, index: LineIndex, r: LedgerRange, hash: HashFn): { at: number; len: number } | undefined {
  const len = r.end - r.start;
  const candidates = new Set<number>();
  for (let line = 0; line < index.lineCount; line++) {
    const start = index.startOf(line);
    candidates.add(start);
    if (r.startColumn && start + r.startColumn <= index.contentEndOf(line)) candidates.add(start + r.startColumn);
  }
  let found: { at: number; len: number } | undefined;
  for (const at of candidates) {
    let n = len;
    if (at + len > text.length) {
      n = withoutFinalBreak(text, at, len, r.hash, hash);
      if (n < 0) continue;
    } else if (hash(text.slice(at, at + len)) !== r.hash) {
      continue;
    }
    if (found) return undefined;
    found = { at, len: n };
  }
  return found;
}
