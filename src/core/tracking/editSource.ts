/**
 * What VS Code says about why a document changed (the proposed `textDocumentChangeReason`
 * API's `detailedReason`), mapped to our causes. Pure, so the mapping is unit-tested without
 * an editor; the editor edge only hands the raw object in.
 *
 * Source names as VS Code 1.139 writes them (src/vs/editor/common/textModelEditSource.ts).
 */
import type { OriginKind } from '../model';

/** `detailedReason` as the editor hands it over (shape checked here, not trusted). */
export interface DetailedReason {
  readonly source: string;
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/** Our reading of an edit source. */
export type SourceVerdict =
  | { readonly type: 'ai'; readonly kind: OriginKind; readonly tool: string; readonly model?: string; readonly session?: string }
  | { readonly type: 'human' }
  | { readonly type: 'external' }
  | { readonly type: 'revert' }
  | { readonly type: 'unknown' };

function meta(reason: DetailedReason, key: string): string | undefined {
  const v = reason.metadata?.[key];
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

/** Maps a detailed reason to a verdict; `unknown` leaves the decision to other evidence. */
export function classifySource(reason: DetailedReason | undefined): SourceVerdict {
  if (!reason || typeof reason.source !== 'string') return { type: 'unknown' };
  switch (reason.source) {
    case 'inlineCompletionAccept':
    case 'inlineCompletionPartialAccept': {
      const session = meta(reason, '$$requestUuid');
      return { type: 'ai', kind: 'inline', tool: meta(reason, '$extensionId') ?? 'inline-completion', ...(session ? { session } : {}) };
    }
    case 'Chat.applyEdits':
    case 'inlineChat.applyEdits': {
      // VS Code replaces '/' in model ids with '|' to dodge its telemetry path redaction.
      const model = meta(reason, '$modelId')?.replaceAll('|', '/');
      const session = meta(reason, '$$sessionId');
      const mode = meta(reason, '$$mode');
      return {
        type: 'ai',
        kind: mode === 'agent' ? 'agent' : 'chat',
        tool: meta(reason, '$extensionId') ?? (reason.source === 'Chat.applyEdits' ? 'vscode-chat' : 'vscode-inline-chat'),
        ...(model ? { model } : {}),
        ...(session ? { session } : {}),
      };
    }
    case 'Chat.undoEdits':
    case 'Chat.reset':
      return { type: 'revert' };
    case 'reloadFromDisk':
      return { type: 'external' };
    case 'cursor':
    case 'suggest':
    case 'snippet':
    case 'codeAction':
    case 'rename':
      return { type: 'human' };
    default:
      return { type: 'unknown' };
  }
}
