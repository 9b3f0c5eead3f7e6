/**
 * The JSON each coding agent hands its hooks, read into one shape: which files a tool call is
 * about to touch (pre) or touched (post), with whatever the payload says about the change.
 *
 * Every field is optional and hostile: a wrong type, an oversized string or an unknown tool
 * never throws, it yields `ignore` (not an edit: stay quiet) or `error` (worth one log line).
 * Field names follow each agent's hook documentation as of late 2026 (see docs/agents.md).
 */
import type { FileEvidence, StringEdit } from './agentEdits';
import type { OriginKind } from '../model';
import type { Obj } from './payloadFields';
import { maxPathLength, maxEdits, PayloadError, isObj, optStr, firstStr, describe, pathField, editList, stringEdit, numberedHunks, patchTouches, phaseOf, common, event, toolInput, toolNameOf } from './payloadFields';

/** The agents `git provenance hook` understands, as typed on the command line. */
export type AgentId = 'claude-code' | 'codex' | 'gemini' | 'cursor' | 'copilot' | 'kiro';

/** All agent ids, in the order help lists them. */
export const agentIds: readonly AgentId[] = ['claude-code', 'codex', 'gemini', 'cursor', 'copilot', 'kiro'];

/** The stable tool name recorded for each agent (what blame and trailers show). */
export const agentToolName: Readonly<Record<AgentId, string>> = {
  'claude-code': 'Claude Code',
  codex: 'Codex',
  gemini: 'Gemini CLI',
  cursor: 'Cursor',
  copilot: 'GitHub Copilot',
  kiro: 'Kiro',
};

/** Whether a command-line word names an agent. */
export function isAgentId(s: string | undefined): s is AgentId {
  return s !== undefined && (agentIds as readonly string[]).includes(s);
}

/** One file a tool call touches, with what the payload says about it. */
export interface FileTouch extends FileEvidence {
  /** The path as the payload gives it (absolute or relative to the agent's cwd). */
  readonly path: string;
  /** The file's path before the call moved it (apply_patch's `*** Move to:`), spelled as `path` is. */
  readonly movedFrom?: string;
}

/** A hook payload read into one shape. */
export interface AgentHookEvent {
  /** The agent whose payload this is (a VS Code payload arriving through Claude's settings is `copilot`). */
  readonly agent: AgentId;
  readonly phase: 'pre' | 'post';
  /** The event as the agent named it (PostToolUse, AfterTool, afterFileEdit, …). */
  readonly eventName: string;
  /** The agent's tool (Edit, apply_patch, write_file, …). */
  readonly toolName: string;
  readonly kind: Extract<OriginKind, 'agent' | 'inline'>;
  readonly session: string | undefined;
  readonly model: string | undefined;
  readonly toolUseId: string | undefined;
  readonly cwd: string | undefined;
  readonly transcriptPath: string | undefined;
  readonly workspaceRoots: readonly string[];
  readonly files: readonly FileTouch[];
}

/** The outcome of reading a payload. */
export type PayloadResult =
  | { readonly type: 'event'; readonly event: AgentHookEvent }
  /** Not about a file edit (another tool, a failed call): nothing to do, nothing to log. */
  | { readonly type: 'ignore'; readonly reason: string }
  /** Malformed: the hook logs the reason. */
  | { readonly type: 'error'; readonly reason: string };

const claudeEditTools = ['Edit', 'MultiEdit', 'Write', 'NotebookEdit'];

function parseClaude(p: Obj): PayloadResult {
  const eventName = optStr(p, 'hook_event_name', 'payload', 100);
  const tool = toolNameOf(p, ['tool_name']);
  if (!claudeEditTools.includes(tool)) return { type: 'ignore', reason: `${tool} does not edit files` };
  const phase = phaseOf(eventName, ['PreToolUse'], ['PostToolUse']) ?? (p.tool_response !== undefined ? 'post' : 'pre');
  const c = common(p);
  const input = toolInput(p, ['tool_input']);
  const response = isObj(p.tool_response) ? p.tool_response : undefined;
  if (response && (response.success === false || typeof response.error === 'string')) return { type: 'ignore', reason: `${tool} failed` };
  if (tool === 'NotebookEdit') return event('claude-code', phase, eventName ?? phase, tool, c, [{ path: pathField(input, ['notebook_path', 'file_path'], 'tool_input') }]);
  const path = pathField(input, ['file_path'], 'tool_input');
  const original = response ? response.originalFile : undefined;
  const ev: { -readonly [K in keyof FileTouch]: FileTouch[K] } = { path };
  if (typeof original === 'string') ev.original = original;
  if (response && response.type === 'create') ev.created = true;
  if (response) ev.numberedHunks = numberedHunks(response.structuredPatch);
  if (tool === 'Write') {
    if (typeof input.content !== 'string') throw new PayloadError('tool_input.content is not a string');
    ev.wholeFile = true;
  } else if (tool === 'MultiEdit') {
    ev.edits = editList(input.edits, 'tool_input.edits', ['old_string'], ['new_string']);
  } else {
    ev.edits = [stringEdit(input, 'tool_input', ['old_string'], ['new_string'])];
  }
  return event('claude-code', phase, eventName ?? phase, tool, c, [ev]);
}

function parseCodex(p: Obj): PayloadResult {
  const eventName = optStr(p, 'hook_event_name', 'payload', 100);
  const tool = toolNameOf(p, ['tool_name']);
  const phase = phaseOf(eventName, ['PreToolUse'], ['PostToolUse']) ?? (p.tool_response !== undefined ? 'post' : 'pre');
  const c = common(p);
  if (tool !== 'apply_patch') {
    // Newer Codex builds also expose Claude-shaped Edit/Write tools.
    if (claudeEditTools.includes(tool)) {
      const r = parseClaude(p);
      return r.type === 'event' ? { type: 'event', event: { ...r.event, agent: 'codex', model: r.event.model ?? c.model } } : r;
    }
    return { type: 'ignore', reason: `${tool} does not edit files` };
  }
  let patch: string | undefined;
  const rawInput = p.tool_input;
  if (typeof rawInput === 'string') patch = rawInput;
  else if (isObj(rawInput)) patch = firstStr(rawInput, ['command', 'input', 'patch'], 'tool_input');
  else throw new PayloadError(`tool_input is ${describe(rawInput)}`);
  if (patch === undefined) throw new PayloadError('tool_input has no patch text');
  return event('codex', phase, eventName ?? phase, tool, c, patchTouches(patch));
}

function parseGemini(p: Obj): PayloadResult {
  const eventName = optStr(p, 'hook_event_name', 'payload', 100);
  const tool = toolNameOf(p, ['tool_name']);
  if (tool !== 'write_file' && tool !== 'replace') return { type: 'ignore', reason: `${tool} does not edit files` };
  const phase = phaseOf(eventName, ['BeforeTool'], ['AfterTool']) ?? (p.tool_response !== undefined ? 'post' : 'pre');
  const c = common(p);
  const response = isObj(p.tool_response) ? p.tool_response : undefined;
  if (response && response.error !== undefined && response.error !== null && response.error !== false) return { type: 'ignore', reason: `${tool} failed` };
  const input = toolInput(p, ['tool_input']);
  const path = pathField(input, ['file_path', 'absolute_path', 'path'], 'tool_input');
  if (tool === 'write_file') {
    if (typeof input.content !== 'string') throw new PayloadError('tool_input.content is not a string');
    return event('gemini', phase, eventName ?? phase, tool, c, [{ path, wholeFile: true }]);
  }
  return event('gemini', phase, eventName ?? phase, tool, c, [{ path, edits: [stringEdit(input, 'tool_input', ['old_string'], ['new_string'])] }]);
}

function parseCursor(p: Obj): PayloadResult {
  const eventName = optStr(p, 'hook_event_name', 'payload', 100);
  if (eventName === undefined) throw new PayloadError('no hook_event_name');
  if (eventName !== 'afterFileEdit' && eventName !== 'afterTabFileEdit') return { type: 'ignore', reason: `${eventName} is not a file edit` };
  const c = common(p);
  const path = pathField(p, ['file_path'], 'payload');
  if (!Array.isArray(p.edits)) throw new PayloadError(`edits is ${describe(p.edits)}, not an array`);
  if (p.edits.length > maxEdits) throw new PayloadError(`edits has more than ${maxEdits} entries`);
  const edits = p.edits.map((e: unknown, i): StringEdit => {
    const edit = stringEdit(e, `edits[${i}]`, ['old_string'], ['new_string']);
    const range = isObj(e) && isObj(e.range) ? e.range : undefined;
    const line = range && typeof range.start_line_number === 'number' && Number.isSafeInteger(range.start_line_number) ? range.start_line_number : undefined;
    return line !== undefined && line > 0 ? { ...edit, line } : edit;
  });
  const tab = eventName === 'afterTabFileEdit';
  return event('cursor', 'post', eventName, tab ? 'Tab' : 'Agent', c, [{ path, edits }], tab ? 'inline' : 'agent');
}

/** VS Code's and Copilot CLI's file tools, by name. */
const copilotWriteTools = new Set(['create', 'create_file', 'createFile']);
const copilotEditTools = new Set(['edit', 'replace_string_in_file', 'str_replace', 'str_replace_editor']);
const copilotOtherFileTools = new Set(['insert_edit_into_file', 'edit_notebook_file', 'editFiles', 'edit_file', 'apply_patch', 'multi_replace_string_in_file']);

/** Whether a Claude-configured hook received VS Code's payload (VS Code reads .claude/settings.json too). */
function looksLikeVsCode(p: Obj): boolean {
  if (p.session_id === undefined && (p.sessionId !== undefined || p.hookEventName !== undefined)) return true;
  const tool = typeof p.tool_name === 'string' ? p.tool_name : undefined;
  return tool !== undefined && (copilotWriteTools.has(tool) || copilotEditTools.has(tool) || copilotOtherFileTools.has(tool)) && !claudeEditTools.includes(tool);
}

function parseCopilot(p: Obj): PayloadResult {
  const camel = p.toolName !== undefined || p.toolArgs !== undefined;
  const eventName = optStr(p, 'hook_event_name', 'payload', 100) ?? optStr(p, 'hookEventName', 'payload', 100);
  const tool = toolNameOf(p, camel ? ['toolName'] : ['tool_name']);
  const result = camel ? p.toolResult : p.tool_result ?? p.tool_response;
  let phase = phaseOf(eventName, ['PreToolUse', 'preToolUse'], ['PostToolUse', 'postToolUse']);
  phase ??= result !== undefined ? 'post' : 'pre';
  if (isObj(result)) {
    const rt = result.resultType ?? result.result_type;
    if (typeof rt === 'string' && rt !== 'success') return { type: 'ignore', reason: `${tool} did not succeed (${rt.slice(0, 40)})` };
  }
  const isFileTool = copilotWriteTools.has(tool) || copilotEditTools.has(tool) || copilotOtherFileTools.has(tool);
  if (!isFileTool) return { type: 'ignore', reason: `${tool} does not edit files` };
  const c = common(p);
  const input = toolInput(p, camel ? ['toolArgs'] : ['tool_input']);
  const name = eventName ?? phase;
  const pathKeys = ['filePath', 'path', 'file_path'];
  if (tool === 'apply_patch') {
    const patch = firstStr(input, ['input', 'patch', 'command'], 'tool_input');
    if (patch === undefined) throw new PayloadError('tool_input has no patch text');
    return event('copilot', phase, name, tool, c, patchTouches(patch));
  }
  if (tool === 'multi_replace_string_in_file') {
    const reps = input.replacements;
    if (!Array.isArray(reps)) throw new PayloadError('tool_input.replacements is not an array');
    if (reps.length > maxEdits) throw new PayloadError(`tool_input.replacements has more than ${maxEdits} entries`);
    const byPath = new Map<string, StringEdit[]>();
    reps.forEach((r: unknown, i) => {
      if (!isObj(r)) throw new PayloadError(`tool_input.replacements[${i}] is not an object`);
      const path = pathField(r, pathKeys, `tool_input.replacements[${i}]`);
      const list = byPath.get(path) ?? [];
      list.push(stringEdit(r, `tool_input.replacements[${i}]`, ['oldString', 'old_string'], ['newString', 'new_string']));
      byPath.set(path, list);
    });
    return event('copilot', phase, name, tool, c, [...byPath].map(([path, edits]) => ({ path, edits })));
  }
  if (tool === 'editFiles') {
    const files = Array.isArray(input.files) ? input.files.filter((f): f is string => typeof f === 'string' && f.length > 0 && f.length <= maxPathLength && !f.includes('\u0000')).slice(0, 100) : [];
    return event('copilot', phase, name, tool, c, files.map((path) => ({ path })));
  }
  const path = pathField(input, pathKeys, camel ? 'toolArgs' : 'tool_input');
  if (copilotWriteTools.has(tool)) {
    const content = firstStr(input, ['file_text', 'content'], 'tool_input');
    // Both tools refuse to overwrite an existing file, so what they wrote is new.
    return event('copilot', phase, name, tool, c, [content !== undefined ? { path, created: true } : { path }]);
  }
  if (copilotEditTools.has(tool)) {
    return event('copilot', phase, name, tool, c, [{ path, edits: [stringEdit(input, 'tool_input', ['old_str', 'oldString', 'old_string'], ['new_str', 'newString', 'new_string'])] }]);
  }
  // insert_edit_into_file and notebook edits describe the change loosely: only a snapshot tells.
  return event('copilot', phase, name, tool, c, [{ path }]);
}

function parseKiro(p: Obj): PayloadResult {
  const eventName = optStr(p, 'hook_event_name', 'payload', 100);
  const tool = toolNameOf(p, ['tool_name']);
  if (!['fs_write', 'write', 'str_replace', 'write_file'].includes(tool)) return { type: 'ignore', reason: `${tool} does not edit files` };
  const phase = phaseOf(eventName, ['preToolUse', 'PreToolUse'], ['postToolUse', 'PostToolUse']) ?? (p.tool_response !== undefined ? 'post' : 'pre');
  const c = common(p);
  const input = toolInput(p, ['tool_input']);
  const path = pathField(input, ['path', 'file_path'], 'tool_input');
  const command = optStr(input, 'command', 'tool_input', 40) ?? (tool === 'str_replace' ? 'str_replace' : undefined);
  let touch: FileTouch = { path };
  if (command === 'str_replace') touch = { path, edits: [stringEdit(input, 'tool_input', ['old_str', 'old_string'], ['new_str', 'new_string'])] };
  else if (command === 'create') touch = { path, wholeFile: true };
  return event('kiro', phase, eventName ?? phase, tool, c, [touch]);
}

const parsers: Readonly<Record<AgentId, (p: Obj) => PayloadResult>> = {
  'claude-code': parseClaude,
  codex: parseCodex,
  gemini: parseGemini,
  cursor: parseCursor,
  copilot: parseCopilot,
  kiro: parseKiro,
};

/**
 * Reads a parsed hook payload of `agent`. A payload that VS Code sends through Claude Code's
 * settings (it reads them, ignoring matchers) is read as Copilot's, so its edits are not
 * credited to Claude.
 */
export function parseAgentPayload(agent: AgentId, payload: unknown): PayloadResult {
  if (!isObj(payload)) return { type: 'error', reason: `the payload is ${describe(payload)}, not a JSON object` };
  const actual: AgentId = agent === 'claude-code' && looksLikeVsCode(payload) ? 'copilot' : agent;
  try {
    return parsers[actual](payload);
  } catch (e) {
    if (e instanceof PayloadError) return { type: 'error', reason: e.message };
    throw e;
  }
}
