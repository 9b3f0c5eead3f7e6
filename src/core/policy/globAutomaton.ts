/**
 * A tiny regular-expression engine for compiled globs that runs in time linear in the input:
 * a Thompson NFA (one state per atom, at most one character edge per state) simulated with a
 * state set, its subsets cached as a lazily built DFA under a fixed budget.
 *
 * Why not RegExp: V8's backtracking engine takes exponential time on `(?:.*\/)?` stacked with
 * `[^/]*` runs, and a policy comes with the repository, so one hostile pattern could hang every
 * commit and editor. Here each input character costs at most one pass over the NFA's states
 * (O(path length × pattern size)), and on a cached transition one array or map lookup.
 */

/** Which characters (UTF-16 code units, as RegExp without the `u` flag sees them) one step takes. */
export type CharTest =
  | { readonly kind: 'any' }
  | { readonly kind: 'notSlash' }
  | { readonly kind: 'code'; readonly code: number }
  /** A character class; `test` gets one code unit as a string and must take constant time. */
  | { readonly kind: 'class'; readonly test: (ch: string) => boolean };

/** A regular expression over the atoms globs need; the whole input must match it. */
export type GlobRegex =
  /** Exactly one character passing the test. */
  | { readonly kind: 'one'; readonly test: CharTest }
  /** Exactly this text (one object for a run of literal characters keeps compiled policies small). */
  | { readonly kind: 'text'; readonly text: string }
  /** Zero or more characters passing the test. */
  | { readonly kind: 'star'; readonly test: CharTest }
  /** The parts one after the other. */
  | { readonly kind: 'seq'; readonly parts: readonly GlobRegex[] }
  /** The inner expression or nothing. */
  | { readonly kind: 'opt'; readonly inner: GlobRegex };

const slash = 0x2f;

function passes(t: CharTest, code: number): boolean {
  switch (t.kind) {
    case 'any':
      return true;
    case 'notSlash':
      return code !== slash;
    case 'code':
      return code === t.code;
    case 'class':
      return t.test(String.fromCharCode(code));
  }
}

/** A DFA state: a set of NFA states (in no particular order), and its transitions found so far. */
interface DState {
  readonly states: Int32Array;
  readonly accept: boolean;
  /** Holds a state that matches whatever follows (`**` at the end): the match is decided. */
  readonly sure: boolean;
  /** Transitions on ASCII, by code: an array index is much cheaper than a map lookup. */
  ascii: Array<DState | undefined>;
  /** Transitions on other code units. */
  next: Map<number, DState>;
}

function newState(states: Int32Array, accept: boolean, sure: boolean): DState {
  return { states, accept, sure, ascii: [], next: new Map() };
}

/**
 * How many cached NFA-state entries (plus transitions) one automaton may hold before its DFA
 * cache is dropped and rebuilt as needed: bounds memory for patterns whose DFA would be
 * exponential, at the cost of recomputing their transitions (still linear in the input).
 */
const cacheBudget = 4096;
/** Budget added per NFA state: a large pattern's DFA states are large too. */
const cachePerState = 32;

/** A compiled {@link GlobRegex}; `matches` tells whether a whole string matches it. */
export class GlobAutomaton {
  /** Per NFA state: the test of its one character edge, or undefined. */
  private readonly edgeTest: Array<CharTest | undefined> = [];
  /** Per NFA state: where its character edge goes (-1: none). */
  private readonly edgeTo: number[] = [];
  /** Per NFA state: its epsilon edges; the construction never needs more than two (-1: none). */
  private readonly eps1: number[] = [];
  private readonly eps2: number[] = [];
  private readonly accepting: number;
  /** Visit marks of the closure walk, by generation, so no clearing is needed per step. */
  private marks: Int32Array = new Int32Array(0);
  /** Scratch space of the closure walk and of a step, one slot per NFA state. */
  private stack: Int32Array = new Int32Array(0);
  private found: Int32Array = new Int32Array(0);
  private targets: Int32Array = new Int32Array(0);
  private bits: Uint16Array = new Uint16Array(0);
  /** Cache size allowed, in NFA-state entries and transitions (see {@link cacheBudget}). */
  private budget = cacheBudget;
  private generation = 0;
  private cache = new Map<string, DState>();
  private cached = 0;
  private readonly dead: DState = newState(new Int32Array(0), false, false);
  /**
   * Per NFA state: a loop on any character from which the accepting state is one epsilon walk
   * away, so once it is reached every longer input matches too.
   */
  private acceptsAll: Uint8Array = new Uint8Array(0);
  /** The start state (the dead one only while the constructor builds the real one). */
  private start: DState = this.dead;

  constructor(re: GlobRegex) {
    const entry = this.state();
    this.accepting = this.build(re, entry);
    const size = this.edgeTo.length;
    this.marks = new Int32Array(size);
    this.stack = new Int32Array(size);
    this.found = new Int32Array(size);
    this.targets = new Int32Array(size);
    this.bits = new Uint16Array((size + 15) >> 4);
    this.budget = cacheBudget + cachePerState * size;
    this.acceptsAll = new Uint8Array(size);
    for (let s = 0; s < size; s++) {
      const t = this.edgeTest[s];
      if (t?.kind === 'any' && this.edgeTo[s] === s && this.closure([s], 1).includes(this.accepting)) this.acceptsAll[s] = 1;
    }
    this.start = this.intern(this.closure([entry], 1));
  }

  /** Whether the whole of `input` matches. */
  matches(input: string): boolean {
    let d = this.start;
    for (let i = 0; i < input.length; i++) {
      const code = input.charCodeAt(i);
      d = (code < 128 ? d.ascii[code] : d.next.get(code)) ?? this.step(d, code);
      if (d === this.dead) return false;
      if (d.sure) return true;
    }
    return d.accept;
  }

  /** Number of NFA states (for tests: it grows linearly with the pattern). */
  get size(): number {
    return this.edgeTo.length;
  }

  private state(): number {
    this.edgeTest.push(undefined);
    this.edgeTo.push(-1);
    this.eps1.push(-1);
    this.eps2.push(-1);
    return this.edgeTo.length - 1;
  }

  private epsilon(from: number, to: number): void {
    if (this.eps1[from] === -1) this.eps1[from] = to;
    else if (this.eps2[from] === -1) this.eps2[from] = to;
    else throw new Error('internal: a state with three epsilon edges');
  }

  /**
   * Adds the states of `re` starting at `from`; returns the state where a match of it ends.
   * `from` is always a state with no edge yet, and so is the returned one: parts of a sequence
   * chain without linking states, keeping the NFA at about one state per pattern character.
   */
  private build(re: GlobRegex, from: number): number {
    switch (re.kind) {
      case 'one': {
        const to = this.state();
        this.edgeTest[from] = re.test;
        this.edgeTo[from] = to;
        return to;
      }
      case 'text': {
        let at = from;
        for (let i = 0; i < re.text.length; i++) at = this.build({ kind: 'one', test: { kind: 'code', code: re.text.charCodeAt(i) } }, at);
        return at;
      }
      case 'star': {
        // A loop state of its own: `from` may be reached by other edges that must not loop.
        const loop = this.state();
        const to = this.state();
        this.epsilon(from, loop);
        this.edgeTest[loop] = re.test;
        this.edgeTo[loop] = loop;
        this.epsilon(loop, to);
        return to;
      }
      case 'seq': {
        let at = from;
        for (const p of re.parts) at = this.build(p, at);
        return at;
      }
      case 'opt': {
        const inner = this.state();
        const to = this.state();
        this.epsilon(from, inner);
        this.epsilon(from, to);
        this.epsilon(this.build(re.inner, inner), to);
        return to;
      }
    }
  }

  /**
   * The states reachable from `seeds` through epsilon edges that matter for a match: those with
   * a character edge, and the accepting state (in no particular order).
   */
  private closure(seeds: ArrayLike<number>, count: number): Int32Array {
    const gen = ++this.generation;
    const stack = this.stack;
    const out = this.found;
    let top = 0;
    let n = 0;
    for (let i = 0; i < count; i++) {
      const s = seeds[i]!;
      if (this.marks[s] !== gen) {
        this.marks[s] = gen;
        stack[top++] = s;
      }
    }
    while (top > 0) {
      const s = stack[--top]!;
      if (this.edgeTo[s] !== -1 || s === this.accepting) out[n++] = s;
      const a = this.eps1[s]!;
      if (a !== -1 && this.marks[a] !== gen) {
        this.marks[a] = gen;
        stack[top++] = a;
      }
      const b = this.eps2[s]!;
      if (b !== -1 && this.marks[b] !== gen) {
        this.marks[b] = gen;
        stack[top++] = b;
      }
    }
    return out.slice(0, n);
  }

  /**
   * A set's key: its bitset, 16 states to a code unit, so equal sets have equal keys whatever
   * order the walk found them in, at a cost of one pass over the set plus one per 16 states.
   */
  private keyOf(states: Int32Array): string {
    const bits = this.bits;
    bits.fill(0);
    for (const s of states) bits[s >> 4]! |= 1 << (s & 15);
    let key = '';
    // In chunks: fromCharCode takes its code units as arguments, and arguments are limited.
    for (let i = 0; i < bits.length; i += 4096) key += String.fromCharCode(...bits.subarray(i, i + 4096));
    return key;
  }

  /** The DFA state of a set of NFA states: the cached one, or a new one (within the budget). */
  private intern(states: Int32Array): DState {
    if (states.length === 0) return this.dead;
    const key = this.keyOf(states);
    let d = this.cache.get(key);
    if (d) return d;
    if (this.cached + states.length > this.budget) {
      // Over budget: forget every cached state but the start (those still referenced by a
      // running match stay valid; they are only no longer shared).
      this.cache = new Map([[this.keyOf(this.start.states), this.start]]);
      this.start.ascii = [];
      this.start.next = new Map();
      this.cached = this.start.states.length;
    }
    d = newState(states, states.includes(this.accepting), states.some((s) => this.acceptsAll[s] === 1));
    this.cache.set(key, d);
    this.cached += states.length;
    return d;
  }

  /** The DFA state after `d` reads `code`, computed from the NFA and cached. */
  private step(d: DState, code: number): DState {
    const targets = this.targets;
    let n = 0;
    for (const s of d.states) {
      const t = this.edgeTest[s];
      if (t !== undefined && passes(t, code)) targets[n++] = this.edgeTo[s]!;
    }
    const next = n === 0 ? this.dead : this.intern(this.closure(targets, n));
    if (code < 128) d.ascii[code] = next;
    else d.next.set(code, next);
    this.cached++;
    return next;
  }
}
