/**
 * Helpers over content changes.
 */
import type { ContentChange } from '../model';

/**
 * Narrows a replacement to what it really changed. An inline completion that replaces the
 * typed prefix "ret" with "return x;" inserts only "urn x;": only that is AI-written.
 * `removed` is the text the change replaced (from a snapshot taken before the accept).
 * The returned change keeps the caller's range positions, which AI edits do not use.
 */
export function trimUnchanged(change: ContentChange, removed: string): ContentChange {
  if (removed.length !== change.rangeLength) return change;
  const text = change.text;
  let p = 0;
  while (p < removed.length && p < text.length && removed[p] === text[p]) p++;
  let q = 0;
  while (q < removed.length - p && q < text.length - p && removed[removed.length - 1 - q] === text[text.length - 1 - q]) q++;
  if (p === 0 && q === 0) return change;
  return { ...change, rangeOffset: change.rangeOffset + p, rangeLength: change.rangeLength - p - q, text: text.slice(p, text.length - q) };
}
