/**
 * Ledger operations both the CLI and the extension perform on a file's entry.
 */
import { AttributionTracker } from '../tracking/attributionTracker';
import type { HashFn, LedgerFile, LedgerRange } from './ledger';
import { reanchor, toLedgerFile } from './ledger';
import type { LineIndex } from '../lines/lines';
import type { LineSpan, Origin } from '../model';

/** A request to label `[start, end)` as written by `origin` (undefined: by a person). */
export interface Mark {
  readonly start: number;
  readonly end: number;
  readonly origin: Origin | undefined;
}

/** The result of applying marks to an entry. */
export interface MarkResult {
  readonly entry: LedgerFile;
  /** Stored ranges that no longer matched the file and were dropped. */
  readonly dropped: readonly LedgerRange[];
}

/** Applies marks to a file's entry, re-anchoring what was stored onto the current text. */
export function applyMarks(
  entry: LedgerFile | undefined,
  text: string,
  marks: readonly Mark[],
  hash: HashFn,
  now: number,
  writer: string,
): MarkResult {
  const anchored = entry ? reanchor(entry, text, hash) : { segments: [], dropped: [] };
  const tracker = new AttributionTracker(text.length, anchored.segments);
  for (const m of marks) tracker.mark(m.start, m.end, text.slice(m.start, m.end), m.origin);
  return { entry: toLedgerFile(tracker.segments(), text, hash, now, writer), dropped: anchored.dropped };
}

/**
 * Offsets of whole lines `startLine..endLine` (1-based, inclusive), including the last
 * line's break. Throws RangeError with a readable message when the span is not in the text.
 */
export function lineSpanOffsets(index: LineIndex, span: LineSpan): { start: number; end: number } {
  // An empty file has no line at all (not one empty line).
  const lastLine = index.text.length === 0 ? 0 : /[\r\n]$/.test(index.text) ? index.lineCount - 1 : index.lineCount;
  if (span.startLine < 1 || span.endLine < span.startLine) throw new RangeError(`line span ${span.startLine}-${span.endLine} is not a valid range`);
  if (span.endLine > lastLine) throw new RangeError(`line ${span.endLine} is past the end of the file (${lastLine} lines)`);
  return { start: index.startOf(span.startLine - 1), end: index.endOf(span.endLine - 1) };
}

/** Parses `FILE:START-END` or `FILE:LINE`; the file part may itself contain ':'. */
export function parseFileSpan(arg: string): { file: string } & LineSpan {
  // A file name may hold anything but NUL, a newline included.
  const m = /^([\s\S]+):(\d+)(?:-(\d+))?$/.exec(arg);
  if (!m) throw new RangeError(`${JSON.stringify(arg)} is not FILE:START-END (1-based line numbers)`);
  const startLine = Number(m[2]);
  const endLine = m[3] !== undefined ? Number(m[3]) : startLine;
  if (!Number.isSafeInteger(startLine) || !Number.isSafeInteger(endLine)) throw new RangeError(`${JSON.stringify(arg)}: line numbers too large`);
  if (startLine < 1) throw new RangeError(`${JSON.stringify(arg)}: lines must be 1-based and START <= END`);
  if (endLine < startLine) throw new RangeError(`${JSON.stringify(arg)}: lines must be 1-based and START <= END (reversed: write ${endLine}-${startLine})`);
  return { file: m[1]!, startLine, endLine };
}
