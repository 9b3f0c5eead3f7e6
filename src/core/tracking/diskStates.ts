/**
 * Texts a file held on disk, with their labels. A stash, a checkout or File: Revert of a dirty
 * document brings a text back that the editor knew: its labels come back with it, so AI lines
 * are AI again and a person's lines stay the person's, instead of every returning line being
 * guessed unknown. Only lines that none of the known texts explains are new to us.
 */
import { lineChanges } from '../lines/lineDiff';
import type { ContentChange, Segment } from '../model';

/** A text the file held on disk, and the labels it had then. */
export interface DiskState {
  readonly text: string;
  readonly segments: readonly Segment[];
}

/**
 * The line-level changes from `before` to `after` as the range engine applies them (offsets of
 * `before`, the last change first so earlier offsets stay valid).
 */
export function diskChanges(before: string, after: string): ContentChange[] {
  const none = { line: 0, character: 0 };
  return lineChanges(before, after)
    .reverse()
    .map((c) => ({ rangeOffset: c.preStart, rangeLength: c.preEnd - c.preStart, text: after.slice(c.postStart, c.postEnd), range: { start: none, end: none } }));
}

/** How many characters of `after` lie in lines that `before` does not have (what would be unknown). */
function unexplained(before: string, after: string): number {
  let n = 0;
  for (const c of lineChanges(before, after)) n += c.postEnd - c.postStart;
  return n;
}

/**
 * The state that explains most of `after`: the fewest characters of it in lines the state does
 * not have. The earlier of equally good states wins, so callers list the likeliest first (what
 * was on disk just before). Undefined for no states.
 */
export function closestState<T extends { readonly text: string }>(states: readonly T[], after: string): T | undefined {
  let best: T | undefined;
  let bestCost = Infinity;
  for (const s of states) {
    const cost = s.text === after ? 0 : unexplained(s.text, after);
    if (cost < bestCost) {
      best = s;
      bestCost = cost;
      if (cost === 0) break;
    }
  }
  return best;
}
