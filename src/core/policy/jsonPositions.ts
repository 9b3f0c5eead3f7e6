/**
 * JSON with positions: a strict parser that keeps each value's offset, and offsets as line
 * and column, so a policy file's problems are shown where they are.
 */

/** A JSON value and where it is in the text. */
export type JsonNode =
  | { readonly type: 'object'; readonly offset: number; readonly length: number; readonly props: readonly JsonProp[] }
  | { readonly type: 'array'; readonly offset: number; readonly length: number; readonly items: readonly JsonNode[] }
  | { readonly type: 'string'; readonly offset: number; readonly length: number; readonly value: string }
  | { readonly type: 'number'; readonly offset: number; readonly length: number; readonly value: number }
  | { readonly type: 'boolean'; readonly offset: number; readonly length: number; readonly value: boolean }
  | { readonly type: 'null'; readonly offset: number; readonly length: number };

/** An object member and where its key is. */
export interface JsonProp {
  readonly key: string;
  readonly keyOffset: number;
  readonly keyLength: number;
  readonly value: JsonNode;
}

/** A syntax error at an offset. */
export class JsonSyntaxError extends Error {
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
export class JsonParser {
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
