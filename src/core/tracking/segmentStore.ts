/**
 * Sorted, non-overlapping segments with cheap local replacement and cheap shifting of
 * everything after an edit: the storage under the range engine.
 *
 * A flat array costs O(segments) per edit twice over: every later offset shifts, and a splice
 * moves every later element. Here segments sit in blocks of at most `blockSize`; a segment's
 * real offset is its stored offset plus its block's `base`, plus `lazyDelta` for blocks at or
 * after `lazyFrom`. An edit rewrites a few segments of one block, and shifts the blocks after
 * it by moving the lazy boundary: O(block size + blocks moved past), O(1) while typing in one
 * place. With 20,000 segments that is a few hundred operations at worst, not 20,000.
 */
import type { AttrState, Origin } from '../model';

/** A stored segment. Offsets are relative to its block; see the module comment. */
export interface StoredSegment {
  start: number;
  end: number;
  origin: Origin;
  state: AttrState;
  text: string;
}

/** Block size where it is not given: small enough to rewrite, large enough to keep few blocks. */
export const defaultBlockSize = 64;

/** Block-structured segment storage with global indices. */
export class SegmentStore {
  private blocks: StoredSegment[][] = [[]];
  private base: number[] = [0];
  /** Global index of each block's first segment. */
  private first: number[] = [0];
  private lazyFrom = 0;
  private lazyDelta = 0;
  private count = 0;
  private readonly maxBlock: number;

  /**
   * Builds the store from segments with real offsets (sorted, non-overlapping).
   * @param blockSize most segments per block (tests use tiny blocks to exercise splits)
   */
  constructor(segments: readonly StoredSegment[] = [], blockSize = defaultBlockSize) {
    this.maxBlock = Math.max(2, blockSize);
    const maxBlock = this.maxBlock;
    if (segments.length > 0) {
      this.blocks = [];
      this.base = [];
      for (let i = 0; i < segments.length; i += maxBlock / 2) {
        this.blocks.push(segments.slice(i, i + maxBlock / 2).map((s) => ({ ...s })));
        this.base.push(0);
      }
      this.count = segments.length;
      this.reindex(0);
    }
  }

  /** Number of segments. */
  get length(): number {
    return this.count;
  }

  private offsetOf(k: number): number {
    return this.base[k]! + (k >= this.lazyFrom ? this.lazyDelta : 0);
  }

  /** Block and position of global index `i` (0 <= i < length). */
  private locate(i: number): [number, number] {
    let lo = 0;
    let hi = this.blocks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.first[mid]! <= i) lo = mid;
      else hi = mid - 1;
    }
    // Skip empty blocks that share the same first index.
    while (lo < this.blocks.length - 1 && i - this.first[lo]! >= this.blocks[lo]!.length) lo++;
    return [lo, i - this.first[lo]!];
  }

  /** Real start offset of segment `i`. */
  start(i: number): number {
    const [k, j] = this.locate(i);
    return this.blocks[k]![j]!.start + this.offsetOf(k);
  }

  /** Real end offset of segment `i`. */
  end(i: number): number {
    const [k, j] = this.locate(i);
    return this.blocks[k]![j]!.end + this.offsetOf(k);
  }

  /** The stored segment `i`; read its origin, state and text only (offsets are relative). */
  raw(i: number): StoredSegment {
    const [k, j] = this.locate(i);
    return this.blocks[k]![j]!;
  }

  /** A copy of segment `i` with real offsets. */
  get(i: number): StoredSegment {
    const [k, j] = this.locate(i);
    const s = this.blocks[k]![j]!;
    const d = this.offsetOf(k);
    return { start: s.start + d, end: s.end + d, origin: s.origin, state: s.state, text: s.text };
  }

  /** First index whose segment ends after `offset` (or `length`). */
  firstEndAfter(offset: number): number {
    // Blocks are never empty except a lone block in an empty store.
    let lo = 0;
    let hi = this.blocks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const blk = this.blocks[mid]!;
      if (blk.length === 0 || blk[blk.length - 1]!.end + this.offsetOf(mid) > offset) hi = mid;
      else lo = mid + 1;
    }
    if (lo >= this.blocks.length) return this.count;
    const block = this.blocks[lo]!;
    const d = this.offsetOf(lo);
    let a = 0;
    let b = block.length;
    while (a < b) {
      const mid = (a + b) >>> 1;
      if (block[mid]!.end + d > offset) b = mid;
      else a = mid + 1;
    }
    return this.first[lo]! + a;
  }

  /**
   * Replaces segments `[a, b)` with `out` (real offsets) and shifts every segment after them
   * by `delta`.
   */
  replace(a: number, b: number, out: readonly StoredSegment[], delta: number): void {
    // Where the window starts: the block holding index a (or the end of the block before).
    let k: number;
    let j: number;
    if (a < this.count) {
      [k, j] = this.locate(a);
    } else {
      k = this.blocks.length - 1;
      j = this.blocks[k]!.length;
    }
    // Remove [a, b), possibly across blocks; the segments after the window in the last
    // touched block shift individually, later blocks through the lazy boundary.
    let remaining = b - a;
    let kk = k;
    let jj = j;
    while (remaining > 0) {
      const block = this.blocks[kk]!;
      const take = Math.min(remaining, block.length - jj);
      block.splice(jj, take);
      remaining -= take;
      if (remaining > 0) {
        kk++;
        jj = 0;
      }
    }
    // Shift what follows the window inside block kk.
    const blockK = this.blocks[kk]!;
    if (delta !== 0) for (let x = jj; x < blockK.length; x++) {
      blockK[x]!.start += delta;
      blockK[x]!.end += delta;
    }
    this.shiftBlocksFrom(kk + 1, delta);
    // Insert `out` into block k at j, relative to its offset.
    const d = this.offsetOf(k);
    const rel = out.map((s) => ({ start: s.start - d, end: s.end - d, origin: s.origin, state: s.state, text: s.text }));
    this.blocks[k]!.splice(j, 0, ...rel);
    this.count += out.length - (b - a);
    this.normalizeBlocks(k, kk);
  }

  /** Adds `delta` to every block from `from` on, by moving the lazy boundary there. */
  private shiftBlocksFrom(from: number, delta: number): void {
    if (delta === 0) return;
    if (from > this.lazyFrom) {
      for (let x = this.lazyFrom; x < from && x < this.base.length; x++) this.base[x]! += this.lazyDelta;
    } else {
      for (let x = from; x < this.lazyFrom && x < this.base.length; x++) this.base[x]! -= this.lazyDelta;
    }
    this.lazyFrom = from;
    this.lazyDelta += delta;
    // Nothing is lazy past the last block; dropping the delta keeps new blocks exact.
    if (this.lazyFrom >= this.blocks.length) {
      this.lazyFrom = this.blocks.length;
      this.lazyDelta = 0;
    }
  }

  /** Splits oversized blocks and drops emptied ones among blocks k..kk, then reindexes. */
  private normalizeBlocks(k: number, kk: number): void {
    // Drop empty blocks in (k, kk] (their segments were all in the window).
    for (let x = kk; x > k; x--) {
      if (this.blocks[x]!.length === 0 && this.blocks.length > 1) this.removeBlock(x);
    }
    if (this.blocks[k]!.length === 0 && this.blocks.length > 1) {
      this.removeBlock(k);
    } else if (this.blocks[k]!.length > this.maxBlock) {
      const block = this.blocks[k]!;
      const pieces: StoredSegment[][] = [];
      const half = this.maxBlock >>> 1;
      for (let i = 0; i < block.length; i += half) pieces.push(block.slice(i, i + half));
      this.blocks.splice(k, 1, ...pieces);
      this.base.splice(k, 1, ...pieces.map(() => this.base[k]!));
      // New blocks keep block k's lazy status: inside the lazy region or before it.
      if (k < this.lazyFrom) this.lazyFrom += pieces.length - 1;
    }
    this.reindex(Math.max(0, k));
  }

  private removeBlock(x: number): void {
    this.blocks.splice(x, 1);
    this.base.splice(x, 1);
    if (x < this.lazyFrom) this.lazyFrom--;
  }

  private reindex(from: number): void {
    this.first.length = this.blocks.length;
    let idx = from === 0 ? 0 : this.first[from - 1]! + this.blocks[from - 1]!.length;
    for (let x = from; x < this.blocks.length; x++) {
      this.first[x] = idx;
      idx += this.blocks[x]!.length;
    }
    if (this.lazyFrom > this.blocks.length) this.lazyFrom = this.blocks.length;
  }

  /** All segments with real offsets. */
  toArray(): StoredSegment[] {
    const out: StoredSegment[] = [];
    for (let k = 0; k < this.blocks.length; k++) {
      const d = this.offsetOf(k);
      for (const s of this.blocks[k]!) out.push({ start: s.start + d, end: s.end + d, origin: s.origin, state: s.state, text: s.text });
    }
    return out;
  }
}
