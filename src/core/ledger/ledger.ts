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
import { LineIndex, toRuns } from '../lines/lines';
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

/** The ledger's format version this code writes and reads. */
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

/** Parses ledger JSON, checking every field; throws {@link LedgerFormatError}. */
export function parseLedger(json: string): LedgerData {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (e) {
    throw new LedgerFormatError(`not JSON: ${(e as Error).message}`);
  }
  if (!isObject(raw)) throw new LedgerFormatError('ledger must be an object');
  if (raw.version !== ledgerVersion) throw new LedgerFormatError(`unsupported ledger version ${String(raw.version)}`);
  if (!isObject(raw.files)) throw new LedgerFormatError('files must be an object');
  const files: Record<string, LedgerFile> = {};
  for (const [path, f] of Object.entries(raw.files)) {
    if (!isObject(f) || !Array.isArray(f.ranges)) throw new LedgerFormatError(`files["${path}"] is malformed`);
    const ranges = f.ranges.map((r: unknown, i): LedgerRange => quickRange(r) ?? checkedRange(r, `files["${path}"].ranges[${i}]`));
    const entry = { basis: str(f.basis, `files["${path}"].basis`), updated: int(f.updated, `files["${path}"].updated`), writer: str(f.writer, `files["${path}"].writer`), ranges };
    // A blob that is not of this shape is left out rather than refused: it only saves work.
    const b = f.blob;
    files[path] = isObject(b) && typeof b.of === 'string' && typeof b.sha1 === 'string' && typeof b.lines === 'string' ? { ...entry, blob: { of: b.of, sha1: b.sha1, lines: b.lines } } : entry;
  }
  return { version: 1, files };
}

/** Serialises a ledger; stable key order so diffs of the file stay readable. */
export function serializeLedger(data: LedgerData): string {
  const files: Record<string, LedgerFile> = {};
  for (const path of Object.keys(data.files).sort()) {
    const f = data.files[path]!;
    if (f.ranges.length > 0) files[path] = f;
  }
  return JSON.stringify({ version: data.version, files }, null, 1) + '\n';
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
  const placed: Array<{ at: number; r: LedgerRange; exact: boolean }> = [];
  const dropped: LedgerRange[] = [];
  // Each range is placed on its own (a block moved above another must not drop the other);
  // overlaps are resolved afterwards, and overlapping ranges are dropped, never merged.
  const index = sameBasis ? undefined : new LineIndex(text);
  for (const r of file.ranges) {
    if (r.end <= text.length && (sameBasis || hash(text.slice(r.start, r.end)) === r.hash)) {
      placed.push({ at: r.start, r, exact: true });
      continue;
    }
    // Relocate only text long enough to be distinctive, and only when it occurs once.
    const at = !sameBasis && r.end - r.start >= 8 && index ? findUnique(text, index, r, hash) : -1;
    if (at >= 0) placed.push({ at, r, exact: false });
    else dropped.push(r);
  }
  // Ranges are stored in order, so they are usually placed in order: sorted only if not.
  if (placed.some((p, i) => i > 0 && p.at < placed[i - 1]!.at)) placed.sort((a, b) => a.at - b.at);
  const segments: Segment[] = [];
  let exact = 0;
  let relocated = 0;
  let lastEnd = 0;
  for (const p of placed) {
    const len = p.r.end - p.r.start;
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
 * The single place where a range's text now is, or -1. Only the hash is stored, so candidates
 * are the positions a moved range most likely starts at: every line start, and the stored
 * column on every line (an inline completion starts mid-line, after the typed prefix).
 */
function findUnique(text: string, index: LineIndex, r: LedgerRange, hash: HashFn): number {
  const len = r.end - r.start;
  const candidates = new Set<number>();
  for (let line = 0; line < index.lineCount; line++) {
    const start = index.startOf(line);
    candidates.add(start);
    if (r.startColumn && start + r.startColumn <= index.contentEndOf(line)) candidates.add(start + r.startColumn);
  }
  let found = -1;
  for (const at of candidates) {
    if (at + len > text.length) continue;
    if (hash(text.slice(at, at + len)) === r.hash) {
      if (found >= 0) return -1;
      found = at;
    }
  }
  return found;
}
