/**
 * The content hash used in the ledger and in notes: the same function in the extension and
 * the CLI, so either can check what the other wrote.
 */
import { createHash } from 'node:crypto';

/** `sha256:` and the first 32 hex digits (128 bits) of the SHA-256 of the UTF-8 text. */
export function contentHash(text: string): string {
  return 'sha256:' + createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 32);
}
