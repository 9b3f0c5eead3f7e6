/**
 * Line correspondence between two versions of a file: which line of the new text each line of
 * the old text became, if it survived unchanged. Trailers use it to carry ledger lines from
 * the working tree to the index (partial staging), notes use it to carry a commit's lines to
 * the commit that rewrote it (amend, rebase, squash, cherry-pick).
 */
import { diffArrays } from 'diff';
import { endsWithBreak } from './lines';

/**
 * Lines of a text without their breaks ("\n", "\r\n" or "\r", as {@link LineIndex} counts
 * them). A final break ends the last line; it does not start an empty one, which is how git
 * numbers lines.
 */
export function splitLines(text: string): string[] {
  if (text.length === 0) return [];
  const lines = text.split(/\r\n|\n|\r/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * Past this many inserted plus deleted lines the exact diff costs too much for a hook (Myers
 * is O((N+M)·D)); the mapping then falls back to lines that occur once in each text.
 */
const maxEditLength = 4000;

/**
 * For each line of `from` (zero-based), the zero-based line of `to` it is unchanged in, or -1
 * when it was changed or deleted. The result is monotonic: matched lines keep their order,
 * as a diff's common lines do. Lines compare exactly (a change of line ending alone is a
 * change only when the caller passes lines with their endings; {@link splitLines} drops them).
 */
export function mapLines(from: readonly string[], to: readonly string[]): Int32Array {
  const map = new Int32Array(from.length).fill(-1);
  let pre = 0;
  while (pre < from.length && pre < to.length && from[pre] === to[pre]) {
    map[pre] = pre;
    pre++;
  }
  let suf = 0;
  while (suf < from.length - pre && suf < to.length - pre && from[from.length - 1 - suf] === to[to.length - 1 - suf]) {
    map[from.length - 1 - suf] = to.length - 1 - suf;
    suf++;
  }
  const a = from.slice(pre, from.length - suf);
  const b = to.slice(pre, to.length - suf);
  if (a.length === 0 || b.length === 0) return map;
  const changes = diffArrays(a, b, { maxEditLength });
  if (changes) {
    let i = 0;
    let j = 0;
    for (const c of changes) {
      if (c.added) j += c.count;
      else if (c.removed) i += c.count;
      else {
        for (let k = 0; k < c.count; k++) map[pre + i + k] = pre + j + k;
        i += c.count;
        j += c.count;
      }
    }
    return map;
  }
  for (const [ai, bj] of uniqueMatches(a, b)) map[pre + ai] = pre + bj;
  return map;
}

/**
 * Pairs of lines that occur exactly once in each text, reduced to the longest run that keeps
 * its order in both (the anchors of a patience diff). Used when the texts are too far apart
 * for an exact diff: fewer lines are matched, but none is matched wrongly out of order.
 */
function uniqueMatches(a: readonly string[], b: readonly string[]): Array<[number, number]> {
  const count = (lines: readonly string[]): Map<string, number> => {
    const m = new Map<string, number>();
    lines.forEach((l, i) => m.set(l, m.has(l) ? -1 : i));
    return m;
  };
  const inA = count(a);
  const inB = count(b);
  const pairs: Array<[number, number]> = [];
  for (const [line, ai] of inA) {
    const bj = inB.get(line);
    if (ai >= 0 && bj !== undefined && bj >= 0) pairs.push([ai, bj]);
  }
  pairs.sort((x, y) => x[0] - y[0]);
  // Longest increasing subsequence of the b indexes, O(n log n).
  const tails: number[] = [];
  const prev = new Int32Array(pairs.length).fill(-1);
  for (let p = 0; p < pairs.length; p++) {
    const bj = pairs[p]![1];
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (pairs[tails[mid]!]![1] < bj) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) prev[p] = tails[lo - 1]!;
    tails[lo] = p;
  }
  const out: Array<[number, number]> = [];
  for (let p = tails.length > 0 ? tails[tails.length - 1]! : -1; p >= 0; p = prev[p]!) out.push(pairs[p]!);
  return out.reverse();
}

/**
 * The last line of `from` and the line of `to` it is, when the two differ only by the final
 * line break: `from` had none and `to` has one after that line (a line was added below it, or
 * just the break), or the reverse (the break after the last line was deleted). git shows such
 * a line removed and added again ("\ No newline at end of file"); it is the same line, and
 * keeps its author. Lines are 1-based; undefined when the last line of `from` did not survive
 * or its break did not change.
 */
export function finalNewlineTwin(from: string, to: string): { readonly from: number; readonly to: number } | undefined {
  const a = splitLines(from);
  if (a.length === 0) return undefined;
  const b = splitLines(to);
  const j = mapLines(a, b)[a.length - 1]!;
  if (j < 0) return undefined;
  const hadBreak = endsWithBreak(from);
  const hasBreak = j < b.length - 1 || endsWithBreak(to);
  return hadBreak === hasBreak ? undefined : { from: a.length, to: j + 1 };
}

/** The last line of a text without its break, and whether a break ends the text. */
export function lastLine(text: string): { readonly text: string; readonly broken: boolean } {
  const broken = endsWithBreak(text);
  let end = text.length;
  if (broken) end -= text.endsWith('\r\n') ? 2 : 1;
  const start = Math.max(text.lastIndexOf('\n', end - 1), text.lastIndexOf('\r', end - 1)) + 1;
  return { text: text.slice(start, end), broken };
}
