/**
 * Reading git-ai's authorship logs (the notes it keeps on `refs/notes/ai`, format
 * `authorship/3.0.0`) and turning one into our note for the same commit, so that `stats`,
 * `blame` and the report count git-ai's lines as another source.
 *
 * An authorship log is an attestation section, a line `---`, then a JSON object:
 *
 *   src/main.rs                         a file (quoted when it holds spaces)
 *     d9978a8723e02b52 1-4,9-10,12      a session hash and the file's lines it wrote
 *   ---
 *   {"schema_version": "authorship/3.0.0", "base_commit_sha": "…",
 *    "prompts": {"d9978a8723e02b52": {"agent_id": {"tool", "id", "model"}, "messages": […], …}}}
 *
 * Later git-ai versions also key lines by `s_<session>::t_<turn>` (looked up in `sessions`)
 * and by `h_<hash>` for lines a person wrote (in `humans`, not AI: skipped). Only the agent's
 * tool, model, session id and the time of its first message are read: never a prompt's text.
 */
import type { ConversationMeta, RecordMeta, TraceConversation, TraceRecord } from './notes';
import { metadataKey, modelId, traceVersion } from './notes';

/** git-ai's notes ref. */
export const gitAiNotesRef = 'refs/notes/ai';

/** The agent behind one session hash of an authorship log. */
export interface GitAiAgent {
  readonly tool: string;
  readonly model: string | undefined;
  /** The agent's own session id, when given. */
  readonly session: string | undefined;
  /** The earliest message time of the session, epoch ms, when given. */
  readonly time: number | undefined;
}

/** One file of the attestation section: line ranges (1-based, inclusive) by session hash. */
export interface GitAiFile {
  readonly path: string;
  readonly entries: ReadonlyArray<{ readonly hash: string; readonly ranges: ReadonlyArray<readonly [number, number]> }>;
}

/** A parsed authorship log, without any prompt text. */
export interface GitAiLog {
  readonly schemaVersion: string;
  readonly files: readonly GitAiFile[];
  /** Agents by the hash used in the attestation section. */
  readonly agents: ReadonlyMap<string, GitAiAgent>;
}

/** A range longer than this is not believed (a note must not make us loop for hours). */
const maxRangeLines = 1_000_000;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses `1-4,9-10,12`; undefined when any part is malformed. */
export function parseLineSpec(spec: string): Array<[number, number]> | undefined {
  const out: Array<[number, number]> = [];
  for (const part of spec.split(',')) {
    const m = /^(\d{1,9})(?:-(\d{1,9}))?$/.exec(part);
    if (!m) return undefined;
    const start = Number(m[1]);
    const end = m[2] !== undefined ? Number(m[2]) : start;
    if (start < 1 || end < start || end - start >= maxRangeLines) return undefined;
    out.push([start, end]);
  }
  return out;
}

function agentOf(v: unknown): GitAiAgent | undefined {
  if (!isObject(v) || !isObject(v.agent_id)) return undefined;
  const a = v.agent_id;
  const tool = typeof a.tool === 'string' && a.tool.trim() !== '' ? a.tool.trim() : 'unknown';
  const model = typeof a.model === 'string' && a.model.trim() !== '' && a.model !== 'unknown' ? a.model.trim() : undefined;
  const session = typeof a.id === 'string' && a.id !== '' ? a.id : undefined;
  let time: number | undefined;
  // Only the timestamps of the messages are read; their text never is.
  if (Array.isArray(v.messages)) {
    for (const m of v.messages) {
      const t = isObject(m) && typeof m.timestamp === 'string' ? Date.parse(m.timestamp) : NaN;
      if (Number.isFinite(t) && (time === undefined || t < time)) time = t;
    }
  }
  return { tool, model, session, time };
}

/**
 * Parses an authorship log; undefined when the text is not one (no `---` divider or no JSON
 * object after it). Entries whose line spec is malformed are skipped.
 */
export function parseGitAiNote(text: string): GitAiLog | undefined {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const divider = lines.indexOf('---');
  if (divider < 0) return undefined;
  let meta: unknown;
  try {
    meta = JSON.parse(lines.slice(divider + 1).join('\n'));
  } catch {
    return undefined;
  }
  if (!isObject(meta)) return undefined;
  const agents = new Map<string, GitAiAgent>();
  for (const table of [meta.prompts, meta.sessions]) {
    if (!isObject(table)) continue;
    for (const [hash, v] of Object.entries(table)) {
      const a = agentOf(v);
      if (a && !agents.has(hash)) agents.set(hash, a);
    }
  }
  const files: Array<{ path: string; entries: Array<{ hash: string; ranges: Array<[number, number]> }> }> = [];
  for (const raw of lines.slice(0, divider)) {
    if (raw.trim() === '') continue;
    if (!/^\s/.test(raw)) {
      const p = raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : raw;
      files.push({ path: p, entries: [] });
      continue;
    }
    const file = files[files.length - 1];
    const m = /^\s+(\S+)\s+(\S+)\s*$/.exec(raw);
    if (!file || !m) continue;
    const ranges = parseLineSpec(m[2]!);
    if (ranges) file.entries.push({ hash: m[1]!, ranges });
  }
  return { schemaVersion: typeof meta.schema_version === 'string' ? meta.schema_version : '', files: files.filter((f) => f.entries.length > 0), agents };
}

/**
 * The agent of an attestation hash: the prompt or session of that key, or for a
 * `s_<session>::t_<turn>` key its session. Undefined for a person's lines (`h_…`); an AI line
 * whose agent the metadata does not name gets tool `unknown`.
 */
export function agentForHash(log: GitAiLog, hash: string): GitAiAgent | undefined {
  if (hash.startsWith('h_')) return undefined;
  const direct = log.agents.get(hash);
  if (direct) return direct;
  const sep = hash.indexOf('::');
  const session = sep >= 0 ? log.agents.get(hash.slice(0, sep)) : undefined;
  return session ?? { tool: 'unknown', model: undefined, session: undefined, time: undefined };
}

/** A version-4-shaped uuid from hex digits (at least 32), for ids that must be reproducible. */
export function uuidFromHex(hex: string): string {
  const h = hex.toLowerCase().replace(/[^0-9a-f]/g, '').padEnd(32, '0');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Our block of an imported record: the usual one, saying where it came from. */
export interface ImportedMeta extends RecordMeta {
  readonly source: 'git-ai';
  /** The git-ai note blob it was made from. */
  readonly sourceNote: string;
}

/** What {@link gitAiRecord} needs besides the log. */
export interface GitAiRecordInput {
  readonly commit: string;
  /** The id of the record (reproducible, so a second import writes the same note). */
  readonly id: string;
  /** The commit's time, epoch ms: the record's timestamp, and the time of sessions without one. */
  readonly time: number;
  readonly toolVersion: string;
  /** Lines the commit added (for our counts). */
  readonly added: number;
  readonly sourceNote: string;
}

/**
 * Our note record for a commit git-ai attested: one conversation per file and session, kind
 * `ai` (git-ai does not say which lines a person edited afterwards). Where two entries of a
 * file claim a line the later one wins, as git-ai's own blame reads them. Undefined when the
 * log names no AI line.
 */
export function gitAiRecord(log: GitAiLog, input: GitAiRecordInput): TraceRecord | undefined {
  const files: Array<{ path: string; conversations: TraceConversation[] }> = [];
  const metas: Record<string, ConversationMeta[]> = {};
  let ai = 0;
  const sorted = [...log.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const f of sorted) {
    const owner = new Map<number, string>();
    for (const e of f.entries) {
      if (!agentForHash(log, e.hash)) {
        for (const [s, t] of e.ranges) for (let n = s; n <= t; n++) owner.delete(n);
        continue;
      }
      for (const [s, t] of e.ranges) for (let n = s; n <= t; n++) owner.set(n, e.hash);
    }
    if (owner.size === 0) continue;
    const byHash = new Map<string, number[]>();
    for (const n of [...owner.keys()].sort((a, b) => a - b)) {
      const h = owner.get(n)!;
      const list = byHash.get(h);
      if (list) list.push(n);
      else byHash.set(h, [n]);
    }
    const conversations: TraceConversation[] = [];
    const fileMetas: ConversationMeta[] = [];
    for (const [hash, nums] of byHash) {
      const agent = agentForHash(log, hash)!;
      const ranges: Array<{ start_line: number; end_line: number }> = [];
      let start = nums[0]!;
      let prev = start;
      for (const n of [...nums.slice(1), -1]) {
        if (n === prev + 1) {
          prev = n;
          continue;
        }
        ranges.push({ start_line: start, end_line: prev });
        start = n;
        prev = n;
      }
      ai += nums.length;
      conversations.push({ contributor: { type: 'ai', ...(agent.model ? { model_id: modelId(agent.model).slice(0, 250) } : {}) }, ranges });
      fileMetas.push({
        tool: agent.tool,
        model: agent.model ?? null,
        session: agent.session ?? hash,
        origin: 'agent',
        time: new Date(agent.time ?? input.time).toISOString(),
      });
    }
    files.push({ path: f.path, conversations });
    metas[f.path] = fileMetas;
  }
  if (files.length === 0) return undefined;
  const meta: ImportedMeta = {
    format: 1,
    lines: { ai, mixed: 0, unknown: 0, added: input.added },
    files: metas,
    source: 'git-ai',
    sourceNote: input.sourceNote,
  };
  return {
    version: traceVersion,
    id: input.id,
    timestamp: new Date(input.time).toISOString(),
    vcs: { type: 'git', revision: input.commit },
    tool: { name: 'ai-provenance', version: input.toolVersion },
    files,
    metadata: { [metadataKey]: meta },
  };
}

/** Whether a record is one we imported from git-ai (and so may be replaced by a new import). */
export function isImported(record: TraceRecord): boolean {
  const m = record.metadata?.[metadataKey];
  return isObject(m) && m.source === 'git-ai';
}
