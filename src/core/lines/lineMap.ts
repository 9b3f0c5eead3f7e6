/**
 * Line correspondence between two versions of a file: which line of the new text each line of
 * the old text became, if it survived unchanged. Trailers use it to carry ledger lines from
 * the working tree to the index (partial staging), notes use it to carry a commit's lines to
 * the commit that rewrote it (amend, rebase, squash, cherry-pick).
 */
import { diffArrays } from 'diff';

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
