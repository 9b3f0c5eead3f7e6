/**
 * The vocabulary of provenance, shared by every layer. Pure types and tiny helpers only.
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

/** Why an edit happened, as far as capture could tell. */
export type EditCause =
  | { readonly type: 'human' }
  | { readonly type: 'ai'; readonly origin: Origin }
  | { readonly type: 'undo' }
  | { readonly type: 'redo' };

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
