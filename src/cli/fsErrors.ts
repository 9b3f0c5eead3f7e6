/**
 * File-system errors in words: `no such file: src/a.ts` rather than node's
 * `ENOENT: no such file or directory, open '/home/…/src/a.ts'`.
 */
import * as path from 'node:path';

const phrases: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EISDIR: 'is a directory',
  ENOTDIR: 'not a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EEXIST: 'already exists',
  ENOSPC: 'no space left on the device for',
  EROFS: 'read-only file system for',
};

/** The message for a file-system error (`no such file: X`), or undefined for any other error. */
export function fsErrorMessage(e: unknown, cwd: string): string | undefined {
  if (!(e instanceof Error)) return undefined;
  const { code, path: file } = e as NodeJS.ErrnoException;
  const phrase = code ? phrases[code] : undefined;
  if (!phrase || typeof file !== 'string') return undefined;
  // The path as the user would type it from here, when it is below the current folder.
  const rel = path.relative(cwd, file);
  const shown = rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
  return `${phrase}: ${shown}`;
}

/** `phrase: shown` for a file-system error of a file the user named as `shown` (node leaves `path` out of some, such as reading a directory). */
export function fsErrorAbout(e: unknown, shown: string): string | undefined {
  const code = e instanceof Error ? (e as NodeJS.ErrnoException).code : undefined;
  const phrase = code ? phrases[code] : undefined;
  return phrase ? `${phrase}: ${shown}` : undefined;
}
