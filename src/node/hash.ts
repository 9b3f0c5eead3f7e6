/**
 * The content hash used in the ledger and in notes: the same function in the extension and
 * the CLI, so either can check what the other wrote; and git's blob ids of texts.
 *
 * node:crypto is loaded on the first hash: it costs a git hook about 3 ms of start-up (it
 * brings node's streams along), and a commit whose staged files match the ledger's blob ids
 * hashes nothing (src/node/attribution.ts).
 */
import type * as cryptoTypes from 'node:crypto';
import type { HashFn } from '../core/ledger/ledger';

let loaded: typeof cryptoTypes | undefined;

/** node:crypto, loaded on first use (see above). `require`, as `childProcessModule` does, for the same reason. */
export function cryptoModule(): typeof cryptoTypes {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy load, see above
  return (loaded ??= require('node:crypto') as typeof cryptoTypes);
}

/**
 * The git blob id of a text: the sha1 of `blob <bytes>\0` and the text, or the sha256 with
 * `algorithm` 'sha256' (a repository made with `--object-format=sha256`). Tells without asking
 * git whether a text is exactly what the index or a commit holds.
 */
export function gitBlobId(text: string, algorithm: 'sha1' | 'sha256' = 'sha1'): string {
  // Two updates rather than one hash of header + text: no copy of the text to join them.
  const h = cryptoModule().createHash(algorithm);
  h.update(`blob ${Buffer.byteLength(text, 'utf8')}\0`);
  h.update(text, 'utf8');
  return h.digest('hex');
}

/** `sha256:` and the first 32 hex digits (128 bits) of the SHA-256 of the UTF-8 text. */
function sha256Prefix(text: string): string {
  const crypto = cryptoModule();
  // Node's one-shot crypto.hash (20.12 and later) costs a fraction of a createHash object per
  // call, which counts in a commit hook that hashes every staged AI-touched file.
  const hex = typeof crypto.hash === 'function' ? crypto.hash('sha256', text, 'hex') : crypto.createHash('sha256').update(text, 'utf8').digest('hex');
  return 'sha256:' + hex.slice(0, 32);
}

/**
 * The ledger's and notes' content hash ({@link sha256Prefix}). As a {@link HashFn} it also
 * gives git blob ids (sha1), so every ledger entry written with it carries its blob.
 */
export const contentHash: HashFn = Object.assign((text: string): string => sha256Prefix(text), { gitBlob: (text: string): string => gitBlobId(text) });
