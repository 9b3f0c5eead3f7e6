/**
 * `aiProvenance.recordEdit`: the API for other extensions. They call
 *   vscode.commands.executeCommand('aiProvenance.recordEdit', { uri, range, tool, model, session })
 * (or the same as positional arguments) after writing text, and those characters are recorded
 * as written by `tool`.
 */
import * as vscode from 'vscode';
import type { Origin, OriginKind } from '../../core/model';
import { originKinds } from '../../core/model';
import type { DocumentRegistry } from '../documents/registry';

/** The argument object of recordEdit. */
export interface RecordEditArgs {
  readonly uri: vscode.Uri | string;
  readonly range: vscode.Range | { start: { line: number; character: number }; end: { line: number; character: number } };
  readonly tool: string;
  readonly model?: string;
  readonly session?: string;
  readonly kind?: OriginKind;
}

function isPos(v: unknown): v is { line: number; character: number } {
  return typeof v === 'object' && v !== null && Number.isInteger((v as { line?: unknown }).line) && Number.isInteger((v as { character?: unknown }).character);
}

/** Validates the loose arguments other extensions pass; throws a readable Error. */
export function parseRecordArgs(args: readonly unknown[]): RecordEditArgs {
  const first = args[0];
  const obj: Record<string, unknown> =
    args.length === 1 && typeof first === 'object' && first !== null && !(first instanceof vscode.Uri)
      ? (first as Record<string, unknown>)
      : { uri: args[0], range: args[1], tool: args[2], model: args[3], session: args[4] };
  const uri = obj.uri;
  if (!(uri instanceof vscode.Uri) && typeof uri !== 'string') throw new Error('recordEdit: uri must be a Uri or a string');
  const range = obj.range as { start?: unknown; end?: unknown } | undefined;
  if (!range || !isPos(range.start) || !isPos(range.end)) throw new Error('recordEdit: range must have start and end positions {line, character}');
  if (typeof obj.tool !== 'string' || !obj.tool.trim()) throw new Error('recordEdit: tool must be a non-empty string');
  if (obj.model !== undefined && obj.model !== null && typeof obj.model !== 'string') throw new Error('recordEdit: model must be a string');
  if (obj.session !== undefined && obj.session !== null && typeof obj.session !== 'string') throw new Error('recordEdit: session must be a string');
  if (obj.kind !== undefined && !originKinds.includes(obj.kind as OriginKind)) throw new Error(`recordEdit: kind must be one of ${originKinds.join(', ')}`);
  return {
    uri,
    range: { start: range.start, end: range.end },
    tool: obj.tool.trim(),
    ...(typeof obj.model === 'string' && obj.model ? { model: obj.model } : {}),
    ...(typeof obj.session === 'string' && obj.session ? { session: obj.session } : {}),
    ...(obj.kind ? { kind: obj.kind as OriginKind } : {}),
  };
}

/** Registers the command; it resolves to the number of characters recorded. */
export function registerRecordEdit(registry: DocumentRegistry, makeOrigin: (tool: string, model?: string, session?: string) => Origin): vscode.Disposable {
  return vscode.commands.registerCommand('aiProvenance.recordEdit', async (...raw: unknown[]) => {
    const args = parseRecordArgs(raw);
    const uri = typeof args.uri === 'string' ? vscode.Uri.parse(args.uri) : args.uri;
    const doc = await vscode.workspace.openTextDocument(uri);
    const start = doc.validatePosition(new vscode.Position(args.range.start.line, args.range.start.character));
    const end = doc.validatePosition(new vscode.Position(args.range.end.line, args.range.end.character));
    if (end.isBefore(start)) throw new Error('recordEdit: range end is before its start');
    const origin = { ...makeOrigin(args.tool, args.model, args.session), kind: args.kind ?? 'agent' };
    const s = doc.offsetAt(start);
    const e = doc.offsetAt(end);
    registry.mark(doc, s, e, origin);
    return e - s;
  });
}
