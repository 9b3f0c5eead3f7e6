/**
 * The commit-message trailers that say a commit contains AI-written lines:
 *
 *   Assisted-by: Claude Code:claude-sonnet-4-5     (the Linux kernel's AGENT:MODEL form)
 *   AI-Lines: 120/210 (14 edited by hand)
 *   AI-Provenance: 0b7f…                          (the id of the commit's note record)
 *
 * Pure text work: the values, their sanitising, and removing our own earlier trailers from a
 * message (amend, squash) before git's `interpret-trailers` adds the new ones.
 */
import type { ChangeCount } from './changeLines';
import { parseTrailerBlock } from './trailerBlock';

/** Trailer keys we write. Git compares trailer keys case-insensitively. */
export const trailerKeys = { assistedBy: 'Assisted-by', aiLines: 'AI-Lines', provenance: 'AI-Provenance' } as const;

/** One trailer to add. */
export interface Trailer {
  readonly key: string;
  readonly value: string;
}

/** A version-4 uuid, as the AI-Provenance value and the note's record id. */
export const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/**
 * Characters that must never reach a trailer value: C0/C1 controls (newline, CR, NUL, …), the
 * Unicode line and paragraph separators, zero-width and bidirectional controls (which can make
 * a value display as something it is not).
 */
// eslint-disable-next-line no-control-regex
const unsafe = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/g;

/** Longest tool or model name we write; longer names are cut (they are labels, not data). */
const maxTokenLength = 80;

/** Longest tool or model name `record` accepts as given. */
export const maxLabelLength = 200;

/**
 * Why a tool or model name given by a person or a script cannot be taken as it is (a line
 * break, a control, zero-width or bidirectional character, or more than {@link maxLabelLength}
 * characters), or undefined when it can. Such a name is refused rather than silently changed.
 */
export function labelProblem(value: string): string | undefined {
  if (value.length > maxLabelLength) return `is ${value.length} characters long (at most ${maxLabelLength})`;
  unsafe.lastIndex = 0;
  const m = unsafe.exec(value);
  unsafe.lastIndex = 0;
  if (m) return `holds ${JSON.stringify(m[0])} (U+${m[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}): a name is one line of visible text`;
  return undefined;
}

function clean(value: string): string {
  return value.replace(unsafe, ' ').replace(/\s+/g, ' ').trim().slice(0, maxTokenLength).trim();
}

/**
 * A tool name safe for `Assisted-by: TOOL:MODEL`: one line, no control characters, and no ':'
 * (the separator of the kernel form, and of trailer keys), so a name like
 * "x\nSigned-off-by: me" can never become a trailer or a sign-off of its own. Spaces stay
 * ("Claude Code"). Empty becomes `unknown`.
 */
export function sanitizeTool(tool: string): string {
  const t = clean(tool.replace(/:/g, ' ')).replace(/^[-\s]+/, '');
  return t || 'unknown';
}

/**
 * A model name safe for the MODEL part: one token (whitespace becomes '-'), no control
 * characters. ':' may stay (e.g. `llama3:8b`): the kernel form splits at the first ':' only.
 * Missing or empty becomes `unknown`.
 */
export function sanitizeModel(model: string | undefined): string {
  if (model === undefined) return 'unknown';
  const m = clean(model).replace(/\s/g, '-');
  return m || 'unknown';
}

/** `Tool:model`, sanitised. */
export function assistedByValue(tool: string, model: string | undefined): string {
  return `${sanitizeTool(tool)}:${sanitizeModel(model)}`;
}

/**
 * `120/210` or `120/210 (14 edited by hand)`: lines as the AI wrote them over all added lines,
 * and apart from them the AI lines a person edited afterwards.
 */
export function aiLinesValue(ai: number, mixed: number, added: number): string {
  return `${ai}/${added}${mixed > 0 ? ` (${mixed} edited by hand)` : ''}`;
}

/**
 * The trailers of a change: one Assisted-by per tool/model pair (most lines first), AI-Lines
 * and AI-Provenance. None when the change has no AI line, as written or edited.
 */
export function buildTrailers(count: ChangeCount, id: string): Trailer[] {
  if (count.ai + count.mixed === 0) return [];
  const seen = new Set<string>();
  const out: Trailer[] = [];
  for (const t of count.tools) {
    const value = assistedByValue(t.tool, t.model);
    if (seen.has(value)) continue;
    seen.add(value);
    out.push({ key: trailerKeys.assistedBy, value });
  }
  out.push({ key: trailerKeys.aiLines, value: aiLinesValue(count.ai, count.mixed, count.added) });
  out.push({ key: trailerKeys.provenance, value: id });
  return out;
}

/** git's scissors line, after the comment character: everything below it is dropped. */
const cutLine = ' ------------------------ >8 ------------------------';

/** Characters `core.commentChar=auto` picks from, in git's order. */
const autoCommentChars = '#;@!$%^&|:';

/**
 * The comment character a message file was written with, when it shows: the character before
 * git's scissors line, or the first character of the comment block git appends at the end.
 * Undefined when the message has no comment block (then git's configured one applies).
 */
export function detectCommentChar(message: string): string | undefined {
  const lines = message.split('\n');
  for (const l of lines) if (l.length === cutLine.length + 1 && l.endsWith(cutLine)) return l[0];
  for (let i = lines.length - 1; i >= 0; i--) {
    const l = lines[i]!.replace(/\r$/, '');
    if (l.trim() === '') continue;
    const c = l[0]!;
    return autoCommentChars.includes(c) && (l.length === 1 || l[1] === ' ') ? c : undefined;
  }
  return undefined;
}

/** The lines of a message above git's scissors line (the part git keeps). */
function keptPart(lines: readonly string[]): number {
  const cut = lines.findIndex((l) => l.length === cutLine.length + 1 && l.endsWith(cutLine));
  return cut < 0 ? lines.length : cut;
}

/** Whether a message says anything besides comments and blank lines. */
export function hasContent(message: string, commentChar = '#'): boolean {
  const lines = message.split('\n');
  return lines.slice(0, keptPart(lines)).some((l) => l.trim() !== '' && !l.startsWith(commentChar));
}

function keyOf(line: string): string | undefined {
  const m = /^([A-Za-z0-9-]+)\s*:/.exec(line);
  return m ? m[1]!.toLowerCase() : undefined;
}

/** AI-Provenance ids found in a message, in order (only well-formed uuids). */
export function provenanceIds(message: string): string[] {
  const lines = message.split('\n');
  const out: string[] = [];
  for (const l of lines.slice(0, keptPart(lines))) {
    if (keyOf(l) !== trailerKeys.provenance.toLowerCase()) continue;
    const v = l.slice(l.indexOf(':') + 1).trim();
    if (uuidPattern.test(v)) out.push(v.toLowerCase());
  }
  return out;
}

/**
 * AI-Provenance ids of a commit's trailer block as git parses it (well-formed uuids, in order):
 * what a committed message claims. A line in the body claims nothing.
 */
export function blockProvenanceIds(message: string): string[] {
  return parseTrailerBlock(message)
    .trailers.filter((t) => t.key.toLowerCase() === trailerKeys.provenance.toLowerCase() && uuidPattern.test(t.value))
    .map((t) => t.value.toLowerCase());
}

/**
 * Removes the trailers we wrote earlier from a message, wherever they are above the scissors
 * line (a squash message holds the trailer blocks of every squashed commit). AI-Lines and
 * AI-Provenance are always ours; Assisted-by lines are taken as ours only when the message
 * also has an AI-Provenance line — else they were written by someone else and stay.
 * Blank lines left doubled by a removal are collapsed.
 */
export function stripOwnTrailers(message: string): { message: string; removed: number } {
  const lines = message.split('\n');
  const end = keptPart(lines);
  const head = lines.slice(0, end);
  const ours = new Set([trailerKeys.aiLines.toLowerCase(), trailerKeys.provenance.toLowerCase()]);
  if (head.some((l) => keyOf(l) === trailerKeys.provenance.toLowerCase())) ours.add(trailerKeys.assistedBy.toLowerCase());
  const kept: string[] = [];
  let removed = 0;
  let dropping = false;
  let removedHere = false;
  for (const l of head) {
    const key = keyOf(l);
    if (key !== undefined && ours.has(key)) {
      removed++;
      dropping = true;
      removedHere = true;
      continue;
    }
    // A folded continuation line (leading whitespace) belongs to the trailer above it.
    if (dropping && /^[ \t]+\S/.test(l)) continue;
    dropping = false;
    const blank = l.trim() === '';
    if (blank && removedHere && (kept.length === 0 || kept[kept.length - 1]!.trim() === '')) continue;
    if (!blank) removedHere = false;
    kept.push(l);
  }
  if (removed > 0) {
    // A trailer block we emptied at the end of the message leaves one blank line too many.
    while (kept.length > 1 && kept[kept.length - 1] === '' && kept[kept.length - 2]!.trim() === '') kept.pop();
  }
  return { message: [...kept, ...lines.slice(end)].join('\n'), removed };
}

/**
 * The commits a `git merge --squash` message lists ("Squashed commit of the following:" and a
 * `commit <sha>` line per commit): their notes describe the lines the squash brings in.
 */
export function squashedCommits(message: string): string[] {
  if (!/^Squashed commit of the following:$/m.test(message)) return [];
  return [...message.matchAll(/^commit ([0-9a-f]{40}|[0-9a-f]{64})$/gm)].map((m) => m[1]!);
}
