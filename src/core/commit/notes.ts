/**
 * A commit's note: one Agent Trace record (https://agent-trace.dev, schema in
 * test/fixtures/agent-trace) naming the lines of that commit that AI wrote, by file and by
 * conversation. Built from attributed lines and read back into them, so notes can be carried
 * through amend, rebase, squash and cherry-pick, and blame can read them.
 *
 * What the standard fields cannot say (the tool's name, the origin kind, the session, times)
 * goes under `metadata["dev.ai-provenance"]`, parallel to `files[].conversations[]`. Nothing
 * of a prompt or a transcript is ever written.
 */
import type { AttributedKind, AttributedLine, ChangeCount } from './changeLines';
import type { HashFn } from '../ledger/ledger';
import type { Origin, OriginKind } from '../model';
import { originKinds } from '../model';

/** The notes ref holding one record per commit. */
export const notesRef = 'refs/notes/ai-provenance';

/** The remote-tracking ref fetch puts a remote's notes in (merged into ours by the hooks). */
export function remoteNotesRef(remote: string): string {
  return `refs/notes/remotes/${remote}/ai-provenance`;
}

/** The fetch refspec of a remote's notes (`git provenance install --remote` adds it). */
export function notesFetchRefspec(remote: string): string {
  return `+${notesRef}:${remoteNotesRef(remote)}`;
}

/** The key of our fields under a record's `metadata`. */
export const metadataKey = 'dev.ai-provenance';

/** The Agent Trace version we write; the schema wants `major.minor`. */
export const traceVersion = '1.0';

/** One range of an Agent Trace conversation (lines of the file at the record's revision). */
export interface TraceRange {
  readonly start_line: number;
  readonly end_line: number;
  readonly content_hash?: string;
}

/** One conversation of a file in an Agent Trace record. */
export interface TraceConversation {
  readonly contributor?: { readonly type: 'human' | 'ai' | 'mixed' | 'unknown'; readonly model_id?: string };
  readonly ranges: readonly TraceRange[];
}

/** An Agent Trace record as we write and read it (unknown fields of others are ignored). */
export interface TraceRecord {
  readonly version: string;
  readonly id: string;
  readonly timestamp: string;
  readonly vcs?: { readonly type: string; readonly revision: string };
  readonly tool?: { readonly name: string; readonly version: string };
  readonly files: ReadonlyArray<{ readonly path: string; readonly conversations: readonly TraceConversation[] }>;
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/** Our metadata of one conversation, parallel to `files[i].conversations[j]`. */
export interface ConversationMeta {
  readonly tool: string;
  readonly model: string | null;
  readonly session: string;
  readonly origin: OriginKind;
  /** When its first line was written (RFC 3339). */
  readonly time: string;
}

/** Our block under `metadata["dev.ai-provenance"]`. */
export interface RecordMeta {
  readonly format: 1;
  /** Counts over the lines the commit added. */
  readonly lines: { readonly ai: number; readonly mixed: number; readonly unknown: number; readonly added: number };
  readonly files: Readonly<Record<string, readonly ConversationMeta[]>>;
}

/** One file of a record to build: its attributed lines and its text at the revision. */
export interface RecordFile {
  readonly path: string;
  readonly lines: readonly AttributedLine[];
  /** The file's lines at the revision (for range hashes). */
  readonly text: readonly string[];
}

/** What {@link buildRecord} needs. */
export interface RecordInput {
  readonly id: string;
  /** Epoch milliseconds. */
  readonly now: number;
  readonly revision: string;
  readonly toolVersion: string;
  readonly files: readonly RecordFile[];
  readonly count: ChangeCount;
}

const providers: ReadonlyArray<[RegExp, string]> = [
  [/^claude-/i, 'anthropic'],
  [/^(gpt-|o\d(?:$|-)|chatgpt-|codex-)/i, 'openai'],
  [/^gemini-/i, 'google'],
];

/**
 * A model name in the models.dev form `provider/model` when the provider is clear from the
 * name (claude-* → anthropic, gpt-* and o1/o3/o4 → openai, gemini-* → google), else as given.
 */
export function modelId(model: string): string {
  if (model.includes('/')) return model;
  for (const [re, provider] of providers) if (re.test(model)) return `${provider}/${model}`;
  return model;
}

/** The hash of a range: its lines, each followed by "\n". */
export function rangeHash(lines: readonly string[], startLine: number, endLine: number, hash: HashFn): string {
  return hash(lines.slice(startLine - 1, endLine).map((l) => l + '\n').join(''));
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** Builds the record of a commit; files without attributed lines are left out. */
export function buildRecord(input: RecordInput, hash: HashFn): TraceRecord {
  const texts = new Map(input.files.map((f) => [f.path, f.text]));
  return buildRecordOfLines(input, (p, start, end) => rangeHash(texts.get(p) ?? [], start, end, hash));
}

/** What {@link buildRecordOfLines} needs: {@link RecordInput} without the files' text. */
export type LinesRecordInput = Omit<RecordInput, 'files'> & { readonly files: ReadonlyArray<Omit<RecordFile, 'text'>> };

/**
 * Builds a record from attributed lines alone; `hashOf` gives a range's `content_hash` (optional
 * in Agent Trace), or undefined where it cannot be known without the file's text.
 */
export function buildRecordOfLines(input: LinesRecordInput, hashOf: (path: string, startLine: number, endLine: number) => string | undefined): TraceRecord {
  const files: Array<{ path: string; conversations: TraceConversation[] }> = [];
  const meta: Record<string, ConversationMeta[]> = {};
  for (const f of [...input.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    if (f.lines.length === 0) continue;
    const groups = new Map<string, { kind: AttributedKind; origin: Origin; time: number; lines: number[] }>();
    for (const l of [...f.lines].sort((a, b) => a.line - b.line)) {
      const o = l.origin;
      const key = [o.tool, o.model ?? '', o.session, o.kind, l.kind].join('\u0000');
      const g = groups.get(key);
      if (g) {
        g.lines.push(l.line);
        g.time = Math.min(g.time, o.time);
      } else groups.set(key, { kind: l.kind, origin: o, time: o.time, lines: [l.line] });
    }
    const conversations: TraceConversation[] = [];
    const metas: ConversationMeta[] = [];
    for (const g of groups.values()) {
      const ranges: TraceRange[] = [];
      let start = g.lines[0]!;
      let prev = start;
      for (const n of [...g.lines.slice(1), -1]) {
        if (n === prev + 1) {
          prev = n;
          continue;
        }
        const contentHash = hashOf(f.path, start, prev);
        ranges.push({ start_line: start, end_line: prev, ...(contentHash !== undefined ? { content_hash: contentHash } : {}) });
        start = n;
        prev = n;
      }
      const model = g.origin.model;
      conversations.push({ contributor: { type: g.kind, ...(model ? { model_id: modelId(model).slice(0, 250) } : {}) }, ranges });
      metas.push({ tool: g.origin.tool, model: model ?? null, session: g.origin.session, origin: g.origin.kind, time: iso(g.time) });
    }
    files.push({ path: f.path, conversations });
    meta[f.path] = metas;
  }
  const c = input.count;
  const ours: RecordMeta = { format: 1, lines: { ai: c.ai, mixed: c.mixed, unknown: c.unknown, added: c.added }, files: meta };
  return {
    version: traceVersion,
    id: input.id,
    timestamp: iso(input.now),
    vcs: { type: 'git', revision: input.revision },
    tool: { name: 'ai-provenance', version: input.toolVersion },
    files,
    metadata: { [metadataKey]: ours },
  };
}

/**
 * A record as note text: compact JSON on one line. One line per record keeps notes readable
 * after git concatenates them (`notes.rewriteMode`, `git notes merge -s cat_sort_uniq`).
 */
export function serializeRecord(record: TraceRecord): string {
  return JSON.stringify(record) + '\n';
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The records of a note. A note normally holds one, but git concatenates notes when a rewrite
 * maps several commits onto one, so every top-level JSON value is read; anything that is not a
 * record is skipped.
 */
export function parseNote(text: string): TraceRecord[] {
  const out: TraceRecord[] = [];
  // Our records are one line each: read those first, so a damaged line cannot swallow the
  // next record; what is left (another tool's pretty-printed JSON) is split by braces.
  const rest: string[] = [];
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (t.startsWith('{') && t.endsWith('}')) {
      try {
        const r = asRecord(JSON.parse(t));
        if (r) {
          out.push(r);
          continue;
        }
      } catch {
        // not a whole record on one line
      }
    }
    rest.push(line);
  }
  for (const chunk of jsonValues(rest.join('\n'))) {
    let v: unknown;
    try {
      v = JSON.parse(chunk);
    } catch {
      continue;
    }
    const r = asRecord(v);
    if (r) out.push(r);
  }
  return out;
}

/** Splits concatenated JSON values (objects) by tracking strings and braces. */
function jsonValues(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '{') {
      if (depth === 0) start = i;
      depth++;
    } else if (ch === '}' && depth > 0) {
      depth--;
      if (depth === 0) out.push(text.slice(start, i + 1));
    }
  }
  return out;
}

/** A range longer than this is not believed: a note must not make a reader loop for hours. */
const maxRangeLines = 1_000_000;

function asRecord(v: unknown): TraceRecord | undefined {
  if (!isObject(v) || typeof v.id !== 'string' || typeof v.version !== 'string' || !Array.isArray(v.files)) return undefined;
  const files: Array<{ path: string; conversations: TraceConversation[] }> = [];
  for (const f of v.files) {
    if (!isObject(f) || typeof f.path !== 'string' || !Array.isArray(f.conversations)) continue;
    const conversations: TraceConversation[] = [];
    for (const c of f.conversations) {
      if (!isObject(c) || !Array.isArray(c.ranges)) {
        conversations.push({ ranges: [] });
        continue;
      }
      const ranges = c.ranges.filter(
        (r): r is TraceRange => isObject(r) && Number.isSafeInteger(r.start_line) && Number.isSafeInteger(r.end_line) && (r.start_line as number) >= 1 && (r.end_line as number) >= (r.start_line as number) && (r.end_line as number) - (r.start_line as number) < maxRangeLines,
      );
      const contributor = isObject(c.contributor) && typeof c.contributor.type === 'string' ? (c.contributor as TraceConversation['contributor']) : undefined;
      conversations.push({ ...(contributor ? { contributor } : {}), ranges });
    }
    files.push({ path: f.path, conversations });
  }
  const vcs = isObject(v.vcs) && typeof v.vcs.revision === 'string' && typeof v.vcs.type === 'string' ? { type: v.vcs.type, revision: v.vcs.revision } : undefined;
  const tool = isObject(v.tool) && typeof v.tool.name === 'string' ? { name: v.tool.name, version: String(v.tool.version) } : undefined;
  return {
    version: v.version,
    id: v.id,
    timestamp: typeof v.timestamp === 'string' ? v.timestamp : '',
    ...(vcs ? { vcs } : {}),
    ...(tool ? { tool } : {}),
    files,
    ...(isObject(v.metadata) ? { metadata: v.metadata } : {}),
  };
}

/** Our metadata block of a record, when it is there and well formed. */
export function recordMeta(record: TraceRecord): RecordMeta | undefined {
  const m = record.metadata?.[metadataKey];
  if (!isObject(m) || !isObject(m.files) || !isObject(m.lines)) return undefined;
  return m as unknown as RecordMeta;
}

function bareModel(id: string): string {
  const slash = id.indexOf('/');
  return slash >= 0 ? id.slice(slash + 1) : id;
}

/**
 * The attributed lines of each file of a record (lines of the file at `record.vcs.revision`).
 * Records written by other tools have no tool names: their lines are attributed to the
 * record's tool, or `unknown`.
 */
export function recordLines(record: TraceRecord): Map<string, AttributedLine[]> {
  const meta = recordMeta(record);
  const out = new Map<string, AttributedLine[]>();
  record.files.forEach((f) => {
    const metas = meta?.files[f.path];
    const lines = out.get(f.path) ?? [];
    f.conversations.forEach((c, j) => {
      const m = Array.isArray(metas) ? (metas[j] as ConversationMeta | undefined) : undefined;
      const type = c.contributor?.type;
      if (type === 'human' || type === undefined) return;
      const kind: AttributedKind = type;
      const model = m ? m.model ?? undefined : c.contributor?.model_id ? bareModel(c.contributor.model_id) : undefined;
      const time = m ? Date.parse(m.time) : Date.parse(record.timestamp);
      const origin: Origin = {
        id: `${record.id}/${f.path}/${j}`,
        kind: m && originKinds.includes(m.origin) ? m.origin : kind === 'unknown' ? 'external' : 'agent',
        tool: m?.tool ?? (record.tool && record.tool.name !== 'ai-provenance' ? record.tool.name : 'unknown'),
        ...(model ? { model } : {}),
        session: m?.session ?? record.id,
        time: Number.isFinite(time) ? time : 0,
      };
      for (const r of c.ranges) for (let n = r.start_line; n <= r.end_line; n++) lines.push({ line: n, kind, origin });
    });
    out.set(f.path, lines);
  });
  for (const [path, lines] of out) out.set(path, lines.sort((a, b) => a.line - b.line));
  return out;
}
