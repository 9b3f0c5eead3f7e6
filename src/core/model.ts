/**
 * The vocabulary of provenance, shared by every layer. Pure types and tiny helpers only.
 *
 * Glossary (one word, one meaning; CONTRIBUTING.md has the same list):
 * - *origin*: who wrote a piece of text, as one capture event ({@link Origin}).
 * - *segment*: a span of characters with a label (origin and state), the range engine's unit
 *   ({@link Segment}; the engine stores them as `StoredSegment`s, offsets relative to a block).
 * - *change*: one replacement of text as the editor reports it ({@link ContentChange});
 *   `CharChange` (lines/lineDiff.ts) is a replacement found by diffing two texts.
 * - *run*: a span of lines with a label (`LineRun`, lines/lines.ts).
 * - *span*: a span of lines without one, 1-based and inclusive ({@link LineSpan}); as a tuple
 *   `[first, last]` where many are kept (`LineSpanTuple`, commit/patch.ts).
 * - *entry*: one file's part of the ledger (`LedgerFile`); *ledger*: all entries of a worktree.
 * - *record*: one Agent Trace record (`TraceRecord`); its `TraceRange`s are the spec's name for
 *   spans. *note*: the git object on `refs/notes/ai-provenance` holding a commit's record.
 * - *git hook* vs *agent hook*: always say which (src/cli/gitHooks/, src/cli/agentHooks/).
 * - *tool*: the product that wrote (canonical id and display name); *model*: the model it used.
 * - *cause*: why an edit happened ({@link EditCause}), decided by tracking/editCause.ts.
 */

/** How an attributed piece of text came to be written. */
export type OriginKind = 'inline' | 'chat' | 'agent' | 'manual' | 'external';

/** All origin kinds, in the order the UI lists them. */
export const originKinds: readonly OriginKind[] = ['inline', 'chat', 'agent', 'manual', 'external'];

/**
 * Who wrote a piece of text, as captured at the moment it was written. One origin is one
 * capture event (an accepted completion, one agent tool call, one manual mark), so its `id`
 * identifies the record across the editor, the ledger and the CLI.
 */
export interface Origin {
  /** Unique id of this capture event (a uuid). */
  readonly id: string;
  readonly kind: OriginKind;
  /** The tool that wrote the text: an extension id, an agent name, `inline-completion`, … */
  readonly tool: string;
  /** The model, when the tool told us; `undefined` means unknown, never "none". */
  readonly model?: string;
  /** The tool's session (a uuid or the agent's own session id). */
  readonly session: string;
  /** When it was written, epoch milliseconds. */
  readonly time: number;
}

/**
 * `ai` while the text is as the tool wrote it; `mixed` once a person edited inside it.
 * Text that nobody attributed carries no label at all: it is not stored as "human".
 */
export type AttrState = 'ai' | 'mixed';

/** What a line or a character is, as projected for blame and counts. */
export type LineKind = 'ai' | 'mixed' | 'unknown' | 'none';

/** A zero-based position as the editor gives it. */
export interface Position {
  readonly line: number;
  readonly character: number;
}

/**
 * One content change as VS Code reports it (`TextDocumentContentChangeEvent`), converted to
 * core types at the editor edge. Changes of one event are applied in sequence, each against
 * the document as left by the previous one (that is how VS Code's own mirror applies them).
 */
export interface ContentChange {
  readonly rangeOffset: number;
  readonly rangeLength: number;
  readonly text: string;
  readonly range: { readonly start: Position; readonly end: Position };
}

/** A labelled part of text moved or copied inside the editor, relative to that text. */
export interface MovedPiece {
  readonly rel: number;
  readonly length: number;
  readonly origin: Origin;
  readonly state: AttrState;
}

/** Why an edit happened, as far as capture could tell. */
export type EditCause =
  | { readonly type: 'human' }
  | { readonly type: 'ai'; readonly origin: Origin }
  /**
   * Text cut or copied inside the editor, pasted: each change's inserted text keeps the labels
   * it had where it came from (`pieces`, relative to that text); the rest is the person's.
   */
  | { readonly type: 'moved'; readonly pieces: readonly MovedPiece[] }
  | { readonly type: 'undo' }
  | { readonly type: 'redo' };

/** A span of lines without a label: 1-based, end inclusive. */
export interface LineSpan {
  readonly startLine: number;
  readonly endLine: number;
}

/** A maximal run of characters with one label. Offsets are UTF-16 code units, end exclusive. */
export interface Segment {
  readonly start: number;
  readonly end: number;
  readonly origin: Origin;
  readonly state: AttrState;
  /** The document text of `[start, end)`; kept so hashes and line math need no document. */
  readonly text: string;
}

/** The line kind an origin projects to when its text is untouched. */
export function kindOf(origin: Origin, state: AttrState): LineKind {
  if (origin.kind === 'external') return 'unknown';
  return state;
}
