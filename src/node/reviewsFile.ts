/**
 * The reviews file of `git provenance check --reviews FILE`: the approvals of a pull or merge
 * request, written by any CI from its forge's API (`[{"login", "email"?, "state",
 * "submitted_at"}]`). Read whole and checked here; what counts is decided in
 * src/core/policy/externalReviews.ts.
 */
import { readFile } from 'node:fs/promises';
import type { ExternalReview } from '../core/policy/externalReviews';
import { parseReviews } from '../core/policy/externalReviews';

/** A reviews file that cannot be used, with what is wrong in words. */
export class ReviewsFileError extends Error {
  override readonly name = 'ReviewsFileError';
}

/** A reviews file is a list of a few hundred reviews at most; more is not one. */
const maxBytes = 16 * 1024 * 1024;

/** The reviews of `file` (a path, `-` is not accepted: stdin carries other input in hooks). */
export async function readReviewsFile(file: string): Promise<readonly ExternalReview[]> {
  let text: string;
  try {
    const bytes = await readFile(file);
    if (bytes.length > maxBytes) throw new ReviewsFileError(`reviews file ${file}: larger than ${maxBytes / 1024 / 1024} MiB`);
    text = bytes.toString('utf8');
  } catch (e) {
    if (e instanceof ReviewsFileError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (e as Error).message;
    throw new ReviewsFileError(`reviews file ${file}: ${why}`);
  }
  const r = parseReviews(text);
  if (!r.ok) throw new ReviewsFileError(`reviews file ${file}: ${r.error}`);
  return r.reviews;
}
