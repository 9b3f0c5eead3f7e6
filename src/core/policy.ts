/**
 * The repository's critical-path policy, `.ai-provenance.json` at the root:
 *
 *   {
 *     "defaultFriction": "review",
 *     "critical": [
 *       { "paths": ["src/payments/**"], "reason": "moves money", "friction": "review",
 *         "reviewers": ["Alice <alice@example.com>", "@payments-team"] }
 *     ]
 *   }
 *
 * Parsing reports every problem with its line and column (a broken file gets one clear
 * diagnostic where it is broken, and the previous valid policy stays in force: see
 * src/git/policyFile.ts). Matching is gitignore-style (src/core/globMatch.ts), compiled once per
 * policy. The JSON schema media/policy.schema.json describes the same format for the editor;
 * test/unit/core/policy.test.ts keeps the two in agreement.
 */
import type { GlobPattern } from './globMatch';
import { compileGlob, GlobIndex, globProblem, maxGlobPatterns, maxGlobTotalLength } from './globMatch';

/** The policy file's name, at the repository root. */
export const policyFileName = '.ai-provenance.json';

/** How hard a commit of AI-written lines in a critical path is made. */
export type Friction = 'warn' | 'review' | 'block';

/** Frictions from the mildest to the strictest. */
export const frictions: readonly Friction[] = ['warn', 'review', 'block'];

/** The friction of a rule that names none, when the policy names no `defaultFriction` either. */
export const builtinDefaultFriction: Friction = 'review';

/** The reason of the rules made from the user's own `aiProvenance.critical.paths`. */
export const personalReason = 'personal pattern';

/** A rank for comparing frictions: a higher rank is stricter. */
export function frictionRank(f: Friction): number {
  return frictions.indexOf(f);
}

/** One rule of the policy: paths that are critical, why, and what a commit there needs. */
export interface CriticalRule {
  /** Gitignore-style patterns; the last one that matches a path decides (`!` excludes). */
  readonly paths: readonly string[];
  readonly reason: string;
  /** The rule's friction, or the policy's default when the rule names none. */
  readonly friction: Friction;
  /**
   * Who may review: `Name <email>`, `email`, `@user` or `@org/team`. Empty: anyone but the
   * author (or the path's CODEOWNERS, when the repository has them).
   */
  readonly reviewers: readonly string[];
  /**
   * `policy`: the repository's file (`index` is its place in `critical`); `user`: the user's
   * own setting; `builtin`: the rule that keeps the policy file itself critical.
   */
  readonly source: 'policy' | 'user' | 'builtin';
  readonly index?: number;
}

/** A parsed, valid policy. */
export interface Policy {
  readonly defaultFriction: Friction;
  readonly critical: readonly CriticalRule[];
}

/** A policy that protects nothing: no file, or a file with no rules. */
export const emptyPolicy: Policy = { defaultFriction: builtinDefaultFriction, critical: [] };

/** A problem found in a policy file, with where it is (offsets in UTF-16 code units). */
export interface PolicyProblem {
  readonly severity: 'error' | 'warning';
  readonly message: string;
  /** Where in the JSON, as `critical[0].friction`; empty for the whole document. */
  readonly at: string;
  readonly offset: number;
  readonly length: number;
  /** 1-based line and column of `offset` (columns count UTF-16 code units, as editors do). */
  readonly line: number;
  readonly column: number;
  /** 1-based line and column of `offset + length`. */
  readonly endLine: number;
  readonly endColumn: number;
}

/** What {@link parsePolicy} found: a policy, or the errors that keep it from being one. */
export type PolicyParse =
  | { readonly ok: true; readonly policy: Policy; readonly errors: readonly []; readonly warnings: readonly PolicyProblem[] }
  | { readonly ok: false; readonly policy: undefined; readonly errors: readonly PolicyProblem[]; readonly warnings: readonly PolicyProblem[] };

/**
 * A reviewer: `@user`, `@org/team`, `Name <email>` or a bare `email`. The schema's
 * `definitions.reviewer.pattern` is this expression's source (a unit test compares them).
 */
export const reviewerSyntax = /^(?:@[A-Za-z0-9][A-Za-z0-9-]*(?:\/[A-Za-z0-9][A-Za-z0-9._-]*)?|[^\s<>@][^<>]*\s<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/;

// ---- JSON with positions ---------------------------------------------------------------------

type JsonNode =
  | { readonly type: 'object'; readonly offset: number; readonly length: number; readonly props: readonly JsonProp[] }
  | { readonly type: 'array'; readonly offset: number; readonly length: number; readonly items: readonly JsonNode[] }
  | { readonly type: 'string'; readonly offset: number; readonly length: number; readonly value: string }
  | { readonly type: 'number'; readonly offset: number; readonly length: number; readonly value: number }
  | { readonly type: 'boolean'; readonly offset: number; readonly length: number; readonly value: boolean }
  | { readonly type: 'null'; readonly offset: number; readonly length: number };

interface JsonProp {
  readonly key: string;
  readonly keyOffset: number;
  readonly keyLength: number;
  readonly value: JsonNode;
}

class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
    readonly length: number,
  ) {
    super(message);
  }
}

/** Nesting deeper than this is not a policy; refusing it keeps the parser's stack bounded. */
const maxDepth = 64;

/**
 * A strict JSON parser (RFC 8259: no comments, no trailing commas) that keeps each value's
 * offset, so problems can be shown where they are. `JSON.parse` reports neither positions
 * that all runtimes agree on nor where a valid value sits.
 */
class JsonParser {
  private pos = 0;

  constructor(private readonly text: string) {}

  parseDocument(): JsonNode {
    // A byte order mark is whitespace here: editors on Windows write one.
    if (this.text.charCodeAt(0) === 0xfeff) this.pos = 1;
    this.skipWs();
    if (this.pos >= this.text.length) throw new JsonSyntaxError('the file is empty; a policy is a JSON object: { "critical": [] }', 0, 0);
    const node = this.value(0);
    this.skipWs();
    if (this.pos < this.text.length) throw new JsonSyntaxError('unexpected text after the end of the JSON object', this.pos, 1);
    return node;
  }

  private skipWs(): void {
    while (this.pos < this.text.length) {
      const c = this.text.charCodeAt(this.pos);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) this.pos++;
      else break;
    }
  }

  private describe(at: number): string {
    if (at >= this.text.length) return 'the end of the file';
    const ch = this.text[at]!;
    if (ch === '/' && (this.text[at + 1] === '/' || this.text[at + 1] === '*')) return 'a comment (JSON has none)';
    return JSON.stringify(ch);
  }

  private value(depth: number): JsonNode {
    if (depth > maxDepth) throw new JsonSyntaxError(`nested deeper than ${maxDepth} levels`, this.pos, 1);
    const start = this.pos;
    const ch = this.text[this.pos];
    if (ch === '{') return this.object(depth);
    if (ch === '[') return this.array(depth);
    if (ch === '"') {
      const value = this.string();
      return { type: 'string', offset: start, length: this.pos - start, value };
    }
    if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) return this.number();
    for (const [word, node] of [
      ['true', { type: 'boolean', value: true }],
      ['false', { type: 'boolean', value: false }],
      ['null', { type: 'null' }],
    ] as const) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return { ...node, offset: start, length: word.length };
      }
    }
    throw new JsonSyntaxError(`expected a value but found ${this.describe(this.pos)}`, this.pos, 1);
  }

  private object(depth: number): JsonNode {
    const start = this.pos++;
    const props: JsonProp[] = [];
    this.skipWs();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return { type: 'object', offset: start, length: this.pos - start, props };
    }
    for (;;) {
      this.skipWs();
      if (this.text[this.pos] !== '"') {
        const trailing = this.text[this.pos] === '}' && props.length > 0;
        throw new JsonSyntaxError(trailing ? 'a comma before "}" (JSON allows no trailing comma)' : `expected a key in double quotes but found ${this.describe(this.pos)}`, trailing ? this.lastComma : this.pos, 1);
      }
      const keyOffset = this.pos;
      const key = this.string();
      const keyLength = this.pos - keyOffset;
      this.skipWs();
      if (this.text[this.pos] !== ':') throw new JsonSyntaxError(`expected ":" after the key "${key}" but found ${this.describe(this.pos)}`, this.pos, 1);
      this.pos++;
      this.skipWs();
      props.push({ key, keyOffset, keyLength, value: this.value(depth + 1) });
      this.skipWs();
      const c = this.text[this.pos];
      if (c === ',') {
        this.lastComma = this.pos++;
        continue;
      }
      if (c === '}') {
        this.pos++;
        return { type: 'object', offset: start, length: this.pos - start, props };
      }
      throw new JsonSyntaxError(c === '"' ? 'a comma is missing between two members' : `expected "," or "}" but found ${this.describe(this.pos)}`, this.pos, 1);
    }
  }

  private lastComma = 0;

  private array(depth: number): JsonNode {
    const start = this.pos++;
    const items: JsonNode[] = [];
    this.skipWs();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return { type: 'array', offset: start, length: this.pos - start, items };
    }
    for (;;) {
      this.skipWs();
      if (this.text[this.pos] === ']' && items.length > 0) throw new JsonSyntaxError('a comma before "]" (JSON allows no trailing comma)', this.lastComma, 1);
      items.push(this.value(depth + 1));
      this.skipWs();
      const c = this.text[this.pos];
      if (c === ',') {
        this.lastComma = this.pos++;
        continue;
      }
      if (c === ']') {
        this.pos++;
        return { type: 'array', offset: start, length: this.pos - start, items };
      }
      throw new JsonSyntaxError(c === '"' || c === '{' ? 'a comma is missing between two items' : `expected "," or "]" but found ${this.describe(this.pos)}`, this.pos, 1);
    }
  }

  private string(): string {
    const start = this.pos++;
    let out = '';
    for (;;) {
      if (this.pos >= this.text.length) throw new JsonSyntaxError('a string is not closed', start, 1);
      const c = this.text[this.pos]!;
      if (c === '"') {
        this.pos++;
        return out;
      }
      if (c === '\n' || c === '\r') throw new JsonSyntaxError('a string is not closed before the end of the line', start, this.pos - start);
      if (c.charCodeAt(0) < 0x20) throw new JsonSyntaxError('a control character in a string (write it escaped)', this.pos, 1);
      if (c === '\\') {
        const e = this.text[this.pos + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e !== undefined && simple[e] !== undefined) {
          out += simple[e];
          this.pos += 2;
          continue;
        }
        if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(this.text.slice(this.pos + 2, this.pos + 6))) {
          out += String.fromCharCode(parseInt(this.text.slice(this.pos + 2, this.pos + 6), 16));
          this.pos += 6;
          continue;
        }
        throw new JsonSyntaxError(`an invalid escape "\\${e ?? ''}" (a backslash in a pattern is written "\\\\")`, this.pos, 2);
      }
      out += c;
      this.pos++;
    }
  }

  private number(): JsonNode {
    const start = this.pos;
    const m = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/.exec(this.text.slice(this.pos, this.pos + 400));
    if (!m) throw new JsonSyntaxError('an invalid number', this.pos, 1);
    this.pos += m[0].length;
    return { type: 'number', offset: start, length: m[0].length, value: Number(m[0]) };
  }
}

// ---- Positions ---------------------------------------------------------------------------------

/** 1-based line and column of an offset of `text` (a CRLF counts as one line break). */
export function positionAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a || (c === 0x0d && text.charCodeAt(i + 1) !== 0x0a)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

function problem(text: string, severity: PolicyProblem['severity'], message: string, at: string, offset: number, length: number): PolicyProblem {
  const start = positionAt(text, offset);
  const end = positionAt(text, offset + length);
  return { severity, message, at, offset, length, line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
}

/**
 * A problem as one terminal line, in the compiler form editors and CI logs link:
 * `.ai-provenance.json:3:17: error: …`.
 */
export function formatProblem(p: PolicyProblem, file = policyFileName): string {
  return `${file}:${p.line}:${p.column}: ${p.severity}: ${p.message}${p.at ? ` (at ${p.at})` : ''}`;
}

// ---- Validation ----------------------------------------------------------------------------------

const topKeys = ['$schema', 'version', 'defaultFriction', 'critical'];
const ruleKeys = ['paths', 'reason', 'friction', 'reviewers'];

function typeName(n: JsonNode): string {
  return n.type === 'object' ? 'an object' : n.type === 'array' ? 'a list' : n.type === 'null' ? 'null' : `a ${n.type}`;
}

/**
 * Parses and validates a policy file's text. Unknown top-level keys and unknown keys of a
 * rule are warnings (room for later rules: an older CLI must not drop a newer policy); all
 * else that is wrong is an error, and a policy with errors is no policy.
 */
export function parsePolicy(text: string): PolicyParse {
  const errors: PolicyProblem[] = [];
  const warnings: PolicyProblem[] = [];
  const err = (message: string, at: string, offset: number, length: number): void => void errors.push(problem(text, 'error', message, at, offset, length));
  const warn = (message: string, at: string, offset: number, length: number): void => void warnings.push(problem(text, 'warning', message, at, offset, length));
  let root: JsonNode;
  try {
    root = new JsonParser(text).parseDocument();
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e;
    err(`not valid JSON: ${e.message}`, '', e.offset, e.length);
    return { ok: false, policy: undefined, errors, warnings };
  }
  if (root.type !== 'object') {
    err(`a policy is a JSON object ({ "critical": [...] }), not ${typeName(root)}`, '', root.offset, root.length);
    return { ok: false, policy: undefined, errors, warnings };
  }
  const props = uniqueProps(root, '', err);
  for (const p of root.props) {
    if (!topKeys.includes(p.key)) warn(`unknown key "${p.key}" is ignored (this version reads ${topKeys.filter((k) => k !== '$schema').join(', ')})`, p.key, p.keyOffset, p.keyLength);
  }
  const version = props.get('version');
  if (version && !(version.type === 'number' && version.value === 1)) {
    err('"version" must be 1 (a newer policy format needs a newer AI Provenance)', 'version', version.offset, version.length);
  }
  const schema = props.get('$schema');
  if (schema && schema.type !== 'string') err('"$schema" must be a string', '$schema', schema.offset, schema.length);
  let defaultFriction = builtinDefaultFriction;
  const df = props.get('defaultFriction');
  if (df) {
    const f = frictionOf(df);
    if (f) defaultFriction = f;
    else err(`"defaultFriction" must be one of ${frictions.map((x) => `"${x}"`).join(', ')}`, 'defaultFriction', df.offset, df.length);
  }
  const critical: CriticalRule[] = [];
  const list = props.get('critical');
  if (list && list.type !== 'array') err(`"critical" must be a list of rules, not ${typeName(list)}`, 'critical', list.offset, list.length);
  if (list?.type === 'array') {
    list.items.forEach((item, index) => {
      const at = `critical[${index}]`;
      if (item.type !== 'object') {
        err(`a rule is an object { "paths": [...], "reason": "..." }, not ${typeName(item)}`, at, item.offset, item.length);
        return;
      }
      const rp = uniqueProps(item, at, err);
      for (const p of item.props) {
        if (!ruleKeys.includes(p.key)) warn(`unknown key "${p.key}" of a rule is ignored (a rule has ${ruleKeys.join(', ')})`, `${at}.${p.key}`, p.keyOffset, p.keyLength);
      }
      const before = errors.length;
      const paths: string[] = [];
      const pathsNode = rp.get('paths');
      if (!pathsNode) err('a rule needs "paths": a list of gitignore-style patterns', at, item.offset, 1);
      else if (pathsNode.type !== 'array') err(`"paths" must be a list of patterns, not ${typeName(pathsNode)}`, `${at}.paths`, pathsNode.offset, pathsNode.length);
      else if (pathsNode.items.length === 0) err('"paths" must name at least one pattern', `${at}.paths`, pathsNode.offset, pathsNode.length);
      else {
        pathsNode.items.forEach((p, j) => {
          if (p.type !== 'string') return err(`a pattern must be a string, not ${typeName(p)}`, `${at}.paths[${j}]`, p.offset, p.length);
          const why = globProblem(p.value);
          if (why) return err(`pattern ${JSON.stringify(p.value)}: ${why}`, `${at}.paths[${j}]`, p.offset, p.length);
          paths.push(p.value);
        });
        if (paths.length > 0 && paths.every((p) => p.startsWith('!'))) {
          warn('every pattern of this rule starts with "!": it matches no path', `${at}.paths`, pathsNode.offset, pathsNode.length);
        }
      }
      const reasonNode = rp.get('reason');
      let reason = '';
      if (!reasonNode) err('a rule needs "reason": why these paths are critical (shown in the editor and at commit)', at, item.offset, 1);
      else if (reasonNode.type !== 'string' || reasonNode.value.trim() === '') err('"reason" must be a non-empty string', `${at}.reason`, reasonNode.offset, reasonNode.length);
      else reason = reasonNode.value.trim();
      let friction = defaultFriction;
      const fr = rp.get('friction');
      if (fr) {
        const f = frictionOf(fr);
        if (f) friction = f;
        else err(`"friction" must be one of ${frictions.map((x) => `"${x}"`).join(', ')}`, `${at}.friction`, fr.offset, fr.length);
      }
      const reviewers: string[] = [];
      const rv = rp.get('reviewers');
      if (rv && rv.type !== 'array') err(`"reviewers" must be a list, not ${typeName(rv)}`, `${at}.reviewers`, rv.offset, rv.length);
      if (rv?.type === 'array') {
        rv.items.forEach((r, j) => {
          if (r.type !== 'string' || !reviewerSyntax.test(r.value)) {
            return err('a reviewer is "Name <email>", "email", "@user" or "@org/team"', `${at}.reviewers[${j}]`, r.offset, r.length);
          }
          reviewers.push(r.value);
        });
      }
      if (errors.length === before) critical.push({ paths, reason, friction, reviewers, source: 'policy', index });
    });
  }
  // Bounds the work of matching a path, as maxGlobLength bounds each pattern's.
  const patternCount = critical.reduce((n, r) => n + r.paths.length, 0);
  const patternChars = critical.reduce((n, r) => r.paths.reduce((m, p) => m + p.length, n), 0);
  if (list && patternCount > maxGlobPatterns) {
    err(`the policy has ${patternCount.toLocaleString('en-US')} patterns; at most ${maxGlobPatterns.toLocaleString('en-US')} are allowed`, 'critical', list.offset, list.length);
  } else if (list && patternChars > maxGlobTotalLength) {
    err(`the policy's patterns have ${patternChars.toLocaleString('en-US')} characters in all; at most ${maxGlobTotalLength.toLocaleString('en-US')} are allowed`, 'critical', list.offset, list.length);
  }
  if (errors.length > 0) return { ok: false, policy: undefined, errors, warnings };
  return { ok: true, policy: { defaultFriction, critical }, errors: [], warnings };
}

function frictionOf(n: JsonNode): Friction | undefined {
  return n.type === 'string' && (frictions as readonly string[]).includes(n.value) ? (n.value as Friction) : undefined;
}

/** An object's members by key; a key given twice is an error (JSON.parse would keep the last). */
function uniqueProps(node: Extract<JsonNode, { type: 'object' }>, at: string, err: (m: string, at: string, o: number, l: number) => void): Map<string, JsonNode> {
  const out = new Map<string, JsonNode>();
  for (const p of node.props) {
    if (out.has(p.key)) err(`the key "${p.key}" is given twice`, at ? `${at}.${p.key}` : p.key, p.keyOffset, p.keyLength);
    else out.set(p.key, p.value);
  }
  return out;
}

// ---- Personal patterns -----------------------------------------------------------------------------

/**
 * The policy with the user's own patterns (`aiProvenance.critical.paths`) added as one rule
 * with friction `warn` and reason "personal pattern". Patterns that cannot be used are left
 * out (see {@link globProblem} to report them).
 */
export function withUserPatterns(policy: Policy, patterns: readonly string[]): Policy {
  const usable = patterns.filter((p) => globProblem(p) === undefined);
  if (usable.length === 0) return policy;
  return { ...policy, critical: [...policy.critical, { paths: usable, reason: personalReason, friction: 'warn', reviewers: [], source: 'user' }] };
}

// ---- Matching ------------------------------------------------------------------------------------

/** Why a path is critical: the rule that decides, and every rule that matches it. */
export interface CriticalMatch {
  /** The strictest matching rule (the first of equally strict ones). */
  readonly rule: CriticalRule;
  readonly reason: string;
  readonly friction: Friction;
  readonly reviewers: readonly string[];
  /** The pattern of `rule` that matched. */
  readonly pattern: string;
  /** Every matching rule, strictest first: at commit, each one's reviewers must be met. */
  readonly rules: readonly CriticalRule[];
}

interface CompiledPolicy {
  readonly rules: readonly CriticalRule[];
  readonly index: GlobIndex;
  readonly builtin: CriticalRule | undefined;
}

const compiled = new WeakMap<Policy, CompiledPolicy>();

/**
 * The rule that keeps the policy file critical in a policy that protects anything: a change
 * to it needs the strongest friction the policy uses, but at most `review` (a reviewed change
 * of the policy must stay possible).
 */
function builtinRule(policy: Policy): CriticalRule | undefined {
  const own = policy.critical.filter((r) => r.source === 'policy');
  if (own.length === 0) return undefined;
  const strongest = Math.max(...own.map((r) => frictionRank(r.friction)));
  const friction = frictions[Math.min(strongest, frictionRank('review'))]!;
  return { paths: [`/${policyFileName}`], reason: 'the AI Provenance policy file: changing it changes what is protected', friction, reviewers: [], source: 'builtin' };
}

function compile(policy: Policy): CompiledPolicy {
  let c = compiled.get(policy);
  if (c) return c;
  const builtin = builtinRule(policy);
  const rules = builtin ? [builtin, ...policy.critical] : [...policy.critical];
  const groups = rules.map((r) =>
    r.paths.flatMap((p): GlobPattern[] => {
      try {
        return [compileGlob(p)];
      } catch {
        // A Policy built by hand may hold a pattern parsePolicy would refuse: it matches nothing.
        return [];
      }
    }),
  );
  c = { rules, index: new GlobIndex(groups), builtin };
  compiled.set(policy, c);
  return c;
}

/**
 * Whether `path` (repository-relative, `/`-separated) is critical under `policy`, and why.
 * The policy file itself is critical whenever the policy protects anything.
 */
export function matchCritical(policy: Policy, path: string): CriticalMatch | undefined {
  const c = compile(policy);
  const hits = c.index.match(path.startsWith('./') ? path.slice(2) : path);
  if (hits.length === 0) return undefined;
  const matched = hits.map((h) => ({ rule: c.rules[h.group]!, pattern: c.rules[h.group]!.paths[h.pattern]! }));
  // Stable: among equally strict rules the earlier one leads.
  matched.sort((a, b) => frictionRank(b.rule.friction) - frictionRank(a.rule.friction));
  const first = matched[0]!;
  return { rule: first.rule, reason: first.rule.reason, friction: first.rule.friction, reviewers: first.rule.reviewers, pattern: first.pattern, rules: matched.map((m) => m.rule) };
}

// ---- Weakening -----------------------------------------------------------------------------------

/**
 * Whether rule `next` protects at least what `old` protects, as strictly. Paths: `next` may
 * add positive patterns anywhere and drop negations, nothing else (with "last match wins",
 * those two edits can only widen what a list matches); anything else is taken as narrowing,
 * which is safe: a weakening is only checked against the policy it replaces.
 */
function keeps(next: CriticalRule, old: CriticalRule): boolean {
  if (frictionRank(next.friction) < frictionRank(old.friction)) return false;
  if (old.reviewers.length > 0) {
    const allowed = new Set(old.reviewers.map((r) => r.toLowerCase()));
    if (next.reviewers.length === 0 || next.reviewers.some((r) => !allowed.has(r.toLowerCase()))) return false;
  }
  const oldPos = new Set(old.paths.filter((p) => !p.startsWith('!')));
  const nextNeg = new Set(next.paths.filter((p) => p.startsWith('!')));
  const a = old.paths.filter((p) => !p.startsWith('!') || nextNeg.has(p));
  const b = next.paths.filter((p) => p.startsWith('!') || oldPos.has(p));
  return a.length === b.length && a.every((p, i) => p === b[i]);
}

/**
 * How `next` weakens `old`, one sentence per rule of `old` that no rule of `next` keeps (a
 * rule removed, its paths narrowed, its friction lowered, its reviewers widened). Empty when
 * `next` protects at least what `old` did. Personal and built-in rules are not compared.
 */
export function weakenings(old: Policy, next: Policy): string[] {
  const out: string[] = [];
  const nextRules = next.critical.filter((r) => r.source === 'policy');
  for (const r of old.critical) {
    if (r.source !== 'policy') continue;
    if (nextRules.some((n) => keeps(n, r))) continue;
    const same = nextRules.find((n) => n.paths.join('\n') === r.paths.join('\n'));
    const what = same
      ? frictionRank(same.friction) < frictionRank(r.friction)
        ? `lowers friction from ${r.friction} to ${same.friction}`
        : 'widens or drops its reviewers'
      : 'is removed or its paths are narrowed';
    out.push(`rule ${JSON.stringify(r.paths.join(', '))} (${r.reason}) ${what}`);
  }
  return out;
}

/**
 * Whether changing the policy from `old` to `next` removes or narrows a rule or lowers its
 * friction; such a change is checked against `old`, the policy it replaces.
 */
export function isWeakening(old: Policy, next: Policy): boolean {
  return weakenings(old, next).length > 0;
}
