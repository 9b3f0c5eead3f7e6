/**
 * The content hash used in the ledger and in notes: the same function in the extension and
 * the CLI, so either can check what the other wrote.
 */
import * as crypto from 'node:crypto';

/** `sha256:` and the first 32 hex digits (128 bits) of the SHA-256 of the UTF-8 text. */
export function contentHash(text: string): string {
  // Node's one-shot crypto.hash (20.12 and later) costs a fraction of a createHash object per
  // call, which counts in a commit hook that hashes every staged AI-touched file.
  const hex = typeof crypto.hash === 'function' ? crypto.hash('sha256', text, 'hex') : crypto.createHash('sha256').update(text, 'utf8').digest('hex');
  return 'sha256:' + hex.slice(0, 32);
}
