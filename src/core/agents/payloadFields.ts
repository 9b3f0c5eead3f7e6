/**
 * Reading the fields of an agent's hook payload: every field optional and hostile, so each
 * reader checks type and size and throws {@link PayloadError} for what is malformed. The
 * per-agent parsers in agentPayloads.ts are built from these.
 */
import type { NumberedHunk, StringEdit } from './agentEdits';
import type { AgentId, FileTouch, PayloadResult } from './agentPayloads';
import { parseApplyPatch } from './applyPatch';

/** Longest path we accept (PATH_MAX on Linux). */
export const maxPathLength = 4096;
/** Longest id (session, tool call) we keep. */
export const maxIdLength = 256;
/** Most edits one call may carry. */
export const maxEdits = 1000;

/** Thrown inside this module for a malformed field; turned into an `error` result. */
export class PayloadError extends Error {}

/** A JSON object of a payload. */
export type Obj = Record<string, unknown>;

/** Whether a value is a JSON object (not an array, not null). */
export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** An optional string field: absent/null is undefined, a wrong type is an error. */
export function optStr(o: Obj, key: string, what: string, max = Number.MAX_SAFE_INTEGER): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new PayloadError(`${what}.${key} is ${describe(v)}, not a string`);
  if (v.length > max) throw new PayloadError(`${what}.${key} is longer than ${max} characters`);
  return v;
}

/** The first of several names a field goes by. */
export function firstStr(o: Obj, keys: readonly string[], what: string, max?: number): string | undefined {
  for (const k of keys) {
    const v = optStr(o, k, what, max);
    if (v !== undefined) return v;
  }
  return undefined;
}

/** A value named for a log line, without its content. */
export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return `a ${typeof v}`;
}

/** An id (session, tool use): printable, bounded; anything else is dropped, not trusted. */
export function cleanId(s: string | undefined): string | undefined {
  if (s === undefined) return undefined;
  const t = s.trim();
  // eslint-disable-next-line no-control-regex
  if (t.length === 0 || t.length > maxIdLength || /[\u0000-\u001f\u007f]/.test(t)) return undefined;
  return t;
}

/** What a model id may look like. */
export const modelPattern = /^[A-Za-z0-9][A-Za-z0-9._:@/+\-[\] ]{0,127}$/;

/** A model id as we are willing to store it: short, printable, no markup; else unknown. */
export function cleanModel(s: unknown): string | undefined {
  if (typeof s !== 'string') return undefined;
  const t = s.trim();
  return modelPattern.test(t) ? t : undefined;
}

/** The file path of a payload, required. */
export function pathField(o: Obj, keys: readonly string[], what: string): string {
  const p = firstStr(o, keys, what, maxPathLength);
  if (p === undefined) throw new PayloadError(`${what} has no ${keys[0]}`);
  if (p.length === 0) throw new PayloadError(`${what}.${keys[0]} is empty`);
  if (p.includes('\u0000')) throw new PayloadError(`${what}.${keys[0]} contains a NUL byte`);
  return p;
}

/** A list of string edits under one of the given key pairs. */
export function editList(v: unknown, what: string, oldKeys: readonly string[], newKeys: readonly string[]): StringEdit[] {
  if (!Array.isArray(v)) throw new PayloadError(`${what} is ${describe(v)}, not an array`);
  if (v.length > maxEdits) throw new PayloadError(`${what} has more than ${maxEdits} edits`);
  return v.map((e, i) => stringEdit(e, `${what}[${i}]`, oldKeys, newKeys));
}

/** One string edit (old text → new text). */
export function stringEdit(e: unknown, what: string, oldKeys: readonly string[], newKeys: readonly string[]): StringEdit {
  if (!isObj(e)) throw new PayloadError(`${what} is ${describe(e)}, not an object`);
  const oldText = firstStr(e, oldKeys, what) ?? '';
  const newText = firstStr(e, newKeys, what);
  if (newText === undefined) throw new PayloadError(`${what} has no ${newKeys[0]}`);
  const replaceAll = e.replace_all === true || e.replaceAll === true || e.allow_multiple === true || (typeof e.expected_replacements === 'number' && e.expected_replacements > 1);
  return { oldText, newText, replaceAll };
}

/** Claude Code's `structuredPatch` hunks, when well-formed. */
export function numberedHunks(v: unknown): NumberedHunk[] | undefined {
  if (!Array.isArray(v) || v.length === 0) return undefined;
  const out: NumberedHunk[] = [];
  for (const h of v) {
    if (!isObj(h) || typeof h.newStart !== 'number' || !Number.isSafeInteger(h.newStart) || h.newStart < 0 || !Array.isArray(h.lines)) return undefined;
    const oldLines: string[] = [];
    const newLines: string[] = [];
    for (const l of h.lines) {
      if (typeof l !== 'string') return undefined;
      const op = l[0];
      if (op === '\\') continue; // "\ No newline at end of file"
      if (op === ' ' || op === '-') oldLines.push(l.slice(1));
      if (op === ' ' || op === '+') newLines.push(l.slice(1));
    }
    out.push({ newStart: h.newStart, oldLines, newLines });
  }
  return out;
}

/** Files named by an apply_patch text, with the patch as evidence. */
export function patchTouches(patch: string): FileTouch[] {
  const out: FileTouch[] = [];
  for (const op of parseApplyPatch(patch)) {
    if (op.path.length === 0 || op.path.length > maxPathLength || op.path.includes('\u0000')) throw new PayloadError('the patch names an unusable path');
    if (op.kind === 'add') out.push({ path: op.path, created: true });
    else if (op.kind === 'update') out.push({ path: op.moveTo ?? op.path, patchHunks: op.hunks, ...(op.moveTo !== undefined ? { movedFrom: op.path } : {}) });
    // A deleted file wrote no line.
  }
  return out;
}

/** A hook event's phase by its name. */
export function phaseOf(name: string | undefined, pre: readonly string[], post: readonly string[]): 'pre' | 'post' | undefined {
  if (name === undefined) return undefined;
  if (pre.includes(name)) return 'pre';
  if (post.includes(name)) return 'post';
  return undefined;
}

/** The fields every payload may carry: session, model, tool call id, cwd, transcript, workspace roots. */
export interface Common {
  session: string | undefined;
  model: string | undefined;
  toolUseId: string | undefined;
  cwd: string | undefined;
  transcriptPath: string | undefined;
  workspaceRoots: string[];
}

/** Reads {@link Common} from a payload. */
export function common(p: Obj): Common {
  const roots = p.workspace_roots;
  const workspaceRoots = Array.isArray(roots) ? roots.filter((r): r is string => typeof r === 'string' && r.length <= maxPathLength && !r.includes('\u0000')).slice(0, 16) : [];
  const cwd = firstStr(p, ['cwd'], 'payload', maxPathLength);
  return {
    session: cleanId(firstStr(p, ['session_id', 'sessionId', 'conversation_id'], 'payload', maxIdLength * 4)),
    model: cleanModel(p.model),
    toolUseId: cleanId(firstStr(p, ['tool_use_id', 'toolUseId', 'generation_id'], 'payload', maxIdLength * 4)),
    cwd: cwd !== undefined && !cwd.includes('\u0000') ? cwd : undefined,
    transcriptPath: firstStr(p, ['transcript_path', 'transcriptPath'], 'payload', maxPathLength),
    workspaceRoots,
  };
}

/** An event result for the files a call touched; `ignore` when it touched none. */
export function event(agent: AgentId, phase: 'pre' | 'post', eventName: string, toolName: string, c: Common, files: FileTouch[], kind: 'agent' | 'inline' = 'agent'): PayloadResult {
  if (files.length === 0) return { type: 'ignore', reason: `${toolName} named no file` };
  return { type: 'event', event: { agent, phase, eventName, toolName, kind, ...c, files } };
}

/** The tool input object under one of `keys` (some agents send it as JSON text). */
export function toolInput(p: Obj, keys: readonly string[]): Obj {
  for (const k of keys) {
    let v = p[k];
    // Copilot CLI hands tool arguments over as a JSON string.
    if (typeof v === 'string' && v.trimStart().startsWith('{')) {
      try {
        v = JSON.parse(v) as unknown;
      } catch {
        throw new PayloadError(`${k} is a string that is not JSON`);
      }
    }
    if (v === undefined || v === null) continue;
    if (!isObj(v)) throw new PayloadError(`${k} is ${describe(v)}, not an object`);
    return v;
  }
  throw new PayloadError(`no ${keys[0]}`);
}

/** The tool name under one of `keys`. */
export function toolNameOf(p: Obj, keys: readonly string[]): string {
  const t = firstStr(p, keys, 'payload', 200);
  if (t === undefined) throw new PayloadError(`no ${keys[0]}`);
  return t;
}
