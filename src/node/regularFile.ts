/**
 * Reading a file whose path someone else gave us (an agent hook payload's transcript, a file it
 * says it edited, an agent's settings) without ever blocking on it: the file is opened with
 * O_NONBLOCK, so a FIFO, a socket or a device returns at once instead of waiting for a writer
 * forever, and it is read only when `fstat` of the opened descriptor says it is a regular file
 * (checked on what was opened, so nothing can swap the path in between) and within a size cap.
 */
import { constants, promises as fs } from 'node:fs';

/** What {@link readRegularFile} found. */
export type RegularFileRead =
  | { readonly kind: 'ok'; readonly data: Buffer; readonly size: number }
  | { readonly kind: 'missing' }
  | { readonly kind: 'not-regular' }
  | { readonly kind: 'too-large'; readonly size: number }
  | { readonly kind: 'error'; readonly code: string };

/** Options of {@link readRegularFile}. */
export interface RegularFileOptions {
  /** The most bytes read. */
  readonly maxBytes: number;
  /** Larger files: read their last `maxBytes` (a log's end) instead of refusing them. */
  readonly tail?: boolean;
}

// O_NONBLOCK is what keeps open(2) of a FIFO from waiting for a writer; O_NOCTTY keeps a
// terminal from becoming ours. Both are 0 where the platform lacks them (Windows has no FIFOs).
const openFlags = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);

/** Reads `file` when it is a regular file of at most `maxBytes` (or its tail, see the options). */
export async function readRegularFile(file: string, options: RegularFileOptions): Promise<RegularFileRead> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(file, openFlags);
    const st = await handle.stat();
    if (!st.isFile()) return { kind: 'not-regular' };
    if (st.size > options.maxBytes && !options.tail) return { kind: 'too-large', size: st.size };
    const len = Math.min(st.size, options.maxBytes);
    const data = Buffer.alloc(len);
    let got = 0;
    // read(2) may return less than asked; a file that shrinks meanwhile ends the loop early.
    while (got < len) {
      const { bytesRead } = await handle.read(data, got, len - got, st.size - len + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return { kind: 'ok', data: got === len ? data : data.subarray(0, got), size: st.size };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    return code === 'ENOENT' ? { kind: 'missing' } : { kind: 'error', code };
  } finally {
    await handle?.close();
  }
}
