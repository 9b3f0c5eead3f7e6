/**
 * The line diff of two texts: which spans of lines changed, as character offsets of both. Agent
 * hooks use it to find what one tool call wrote; the editor uses it to find what a reload from
 * disk changed.
 */
import { diffArrays } from 'diff';

/** A replaced span: `[preStart, preEnd)` of the old text became `[postStart, postEnd)` of the new. */
export interface CharChange {
  readonly preStart: number;
  readonly preEnd: number;
  readonly postStart: number;
  readonly postEnd: number;
}

/** One line of a text: where it starts, where its content ends, where its break ends. */
export interface Line {
  readonly start: number;
  readonly contentEnd: number;
  readonly end: number;
}

/** Lines of a text with their offsets; a text ending in a break has no empty last line here. */
export function lineTable(text: string): Line[] {
  const out: Line[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 10 || ch === 13) {
      const contentEnd = i;
      if (ch === 13 && text.charCodeAt(i + 1) === 10) i++;
      out.push({ start, contentEnd, end: i + 1 });
      start = i + 1;
    }
  }
  if (start < text.length) out.push({ start, contentEnd: text.length, end: text.length });
  return out;
}

/**
 * Edit distance past which two versions count as rewritten rather than edited: Myers' diff
 * costs O(lines × distance), and a hook must answer in milliseconds.
 */
export const maxDiffEditLength = 2000;

/** Lines `[i, i+r)` of the old text became lines `[j, j+a)` of the new. */
interface LineHunk {
  i: number;
  r: number;
  j: number;
  a: number;
}

/** The differing line runs of two line lists, by content. */
function lineHunks(pc: readonly string[], qc: readonly string[], maxEditLength: number): LineHunk[] {
  let head = 0;
  while (head < pc.length && head < qc.length && pc[head] === qc[head]) head++;
  let tail = 0;
  while (tail < pc.length - head && tail < qc.length - head && pc[pc.length - 1 - tail] === qc[qc.length - 1 - tail]) tail++;
  const midP = pc.slice(head, pc.length - tail);
  const midQ = qc.slice(head, qc.length - tail);
  if (midP.length === 0 && midQ.length === 0) return [];
  const parts = midP.length === 0 || midQ.length === 0 ? undefined : diffArrays(midP, midQ, { maxEditLength });
  if (!parts) {
    // One side is empty (pure insertion or removal), or the versions are too different to
    // diff cheaply: the whole middle counts as replaced.
    return [{ i: head, r: midP.length, j: head, a: midQ.length }];
  }
  const hunks: LineHunk[] = [];
  let i = head;
  let j = head;
  for (let k = 0; k < parts.length; k++) {
    const part = parts[k]!;
    if (!part.added && !part.removed) {
      i += part.count;
      j += part.count;
      continue;
    }
    const h: LineHunk = { i, r: 0, j, a: 0 };
    if (part.removed) {
      h.r = part.count;
      const next = parts[k + 1];
      if (next?.added) {
        h.a = next.count;
        k++;
      }
    } else {
      h.a = part.count;
    }
    hunks.push(h);
    i += h.r;
    j += h.a;
  }
  return hunks;
}

/**
 * Moves pure insertions and removals down while the block could equally sit one line lower
 * (as git does): an inserted function after another one then starts at its own blank line
 * instead of at the other's closing brace.
 */
function slideDown(hunks: LineHunk[], pc: readonly string[], qc: readonly string[]): void {
  for (let k = 0; k < hunks.length; k++) {
    const h = hunks[k]!;
    const next = hunks[k + 1];
    if (h.r === 0 && h.a > 0) {
      while (h.i < pc.length && h.j + h.a < qc.length && (!next || h.i < next.i) && qc[h.j] === qc[h.j + h.a]) {
        h.i++;
        h.j++;
      }
    } else if (h.a === 0 && h.r > 0) {
      while (h.j < qc.length && h.i + h.r < pc.length && (!next || h.j < next.j) && pc[h.i] === pc[h.i + h.r]) {
        h.i++;
        h.j++;
      }
    }
  }
}

/**
 * The line-level changes from `pre` to `post`. Lines compare by content; a line whose only
 * change is its line break yields a change of just the break, which never makes the line AI
 * (see lines.ts). Touching changes are merged.
 */
export function lineChanges(pre: string, post: string, maxEditLength = maxDiffEditLength): CharChange[] {
  if (pre === post) return [];
  const P = lineTable(pre);
  const Q = lineTable(post);
  const pc = P.map((l) => pre.slice(l.start, l.contentEnd));
  const qc = Q.map((l) => post.slice(l.start, l.contentEnd));
  const hunks = lineHunks(pc, qc, maxEditLength);
  slideDown(hunks, pc, qc);
  const raw: CharChange[] = [];
  const eolChange = (i: number, j: number): void => {
    const a = P[i]!;
    const b = Q[j]!;
    if (pre.slice(a.contentEnd, a.end) !== post.slice(b.contentEnd, b.end)) {
      raw.push({ preStart: a.contentEnd, preEnd: a.end, postStart: b.contentEnd, postEnd: b.end });
    }
  };
  let i = 0;
  let j = 0;
  for (const h of [...hunks, { i: P.length, r: 0, j: Q.length, a: 0 }]) {
    // Lines between hunks are equal in content; only their breaks may differ.
    while (i < h.i && j < h.j) eolChange(i++, j++);
    if (h.r === 0 && h.a === 0) break;
    const preStart = h.i < P.length ? P[h.i]!.start : pre.length;
    const preEnd = h.r > 0 ? P[h.i + h.r - 1]!.end : preStart;
    const postStart = h.j < Q.length ? Q[h.j]!.start : post.length;
    const postEnd = h.a > 0 ? Q[h.j + h.a - 1]!.end : postStart;
    raw.push({ preStart, preEnd, postStart, postEnd });
    i = h.i + h.r;
    j = h.j + h.a;
  }
  raw.sort((x, y) => x.preStart - y.preStart || x.postStart - y.postStart);
  const merged: CharChange[] = [];
  for (const c of raw) {
    const last = merged[merged.length - 1];
    if (last && last.preEnd >= c.preStart && last.postEnd >= c.postStart) {
      merged[merged.length - 1] = { preStart: last.preStart, preEnd: Math.max(last.preEnd, c.preEnd), postStart: last.postStart, postEnd: Math.max(last.postEnd, c.postEnd) };
    } else {
      merged.push(c);
    }
  }
  return merged;
}
