/**
 * Removing a file that may be absent, synchronously, for the git hooks. `rmSync(f, { force:
 * true })` does the same but loads node's rimraf module on its first call, which costs a commit
 * hook half a millisecond of start-up for a file that is usually not there.
 */
import { unlinkSync } from 'node:fs';

/** Removes `file`; a missing file is not an error, any other failure is thrown. */
export function removeFileSync(file: string): void {
  try {
    unlinkSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}
