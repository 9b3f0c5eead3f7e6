/**
 * What `activate` returns: a small API for other extensions and for our own tests in the
 * real editor. It reads; it never lets a caller bypass capture.
 */
import type * as vscode from 'vscode';
import type { LineKind } from '../core/model';

/** One attributed line as the API reports it (zero-based line). */
export interface ApiLine {
  readonly line: number;
  readonly kind: Exclude<LineKind, 'none'>;
  readonly tool: string;
  readonly model: string | undefined;
  readonly originKind: string;
  readonly time: number;
}

/** One attributed character range (offsets, end exclusive). */
export interface ApiSegment {
  readonly start: number;
  readonly end: number;
  readonly state: 'ai' | 'mixed';
  readonly tool: string;
  readonly model: string | undefined;
  readonly originKind: string;
}

/** The extension's exported API. */
export interface ProvenanceApi {
  /** Attributed lines of an open document. */
  lines(uri: vscode.Uri): ApiLine[];
  /** Attributed character ranges of an open document. */
  segments(uri: vscode.Uri): ApiSegment[];
  /** Resolves once the document's stored provenance has been loaded. */
  ready(uri: vscode.Uri): Promise<void>;
  /** Writes pending ledger changes now. */
  flush(): Promise<void>;
  /** How many times the blame view rendered, and how long the last render took (ms). */
  blameRender(): { count: number; ms: number | undefined };
  /** Lines the blame view decorates in `file` mode (zero-based), with tool and commit. */
  blameLines(uri: vscode.Uri): Promise<ReadonlyArray<{ line: number; kind: string; tool: string | null; model: string | null; commit: string | null }>>;
  /** The status bar item's text, or undefined while hidden. */
  statusText(): string | undefined;
  /** Recomputes and returns the next-commit preview ("AI: 12 of 40 lines · …"), if shown. */
  commitPreviewText(): Promise<string | undefined>;
  /** Source name of the last edit, from the proposed edit-source API (undefined without it). */
  lastEditSource(): string | undefined;
  /** How many inline accepts were reported by our keybindings, and how many re-attributed an edit. */
  acceptStats(): { reported: number; recorded: number };
  /** How long `activate` took, in milliseconds (for the benchmark). */
  activationMs(): number;
}
