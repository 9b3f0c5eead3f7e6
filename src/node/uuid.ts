/**
 * Random (version 4) UUIDs for note record ids, made by the git hooks. node:crypto's
 * `randomUUID` would cost a commit hook ~3 ms of start-up just to load the module (see
 * src/node/hash.ts); the operating system's random device gives the same 122 random bits for
 * three system calls. Where there is none (Windows), node:crypto's is used.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { cryptoModule } from './hash';

/** 16 bytes of the system's random device; undefined when it cannot be read. */
function systemRandom(): Buffer | undefined {
  let fd: number | undefined;
  try {
    fd = openSync('/dev/urandom', 'r');
    const bytes = Buffer.alloc(16);
    for (let at = 0; at < bytes.length; ) {
      const n = readSync(fd, bytes, at, bytes.length - at, null);
      if (n <= 0) return undefined;
      at += n;
    }
    return bytes;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** A random version 4 UUID, lower-case, as `crypto.randomUUID` gives. */
export function randomUuid(): string {
  const bytes = systemRandom();
  if (!bytes) return cryptoModule().randomUUID();
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
