/**
 * The lines coding agents add to commit messages themselves (`Co-authored-by: Claude …`,
 * `🤖 Generated with [Claude Code]`, `Made-with: Cursor`, aider's co-author, …). They are
 * commit-level evidence of AI help for commits made without our hooks, and the trailer
 * writer reads them so our own trailers neither duplicate nor contradict them.
 */
import { canonicalToolName } from '../agents/toolNames';
import { parseTrailerBlock } from './trailerBlock';

/** The tools agents name in their own commit lines. */
export type AgentTrailerTool = 'Claude' | 'Codex' | 'Cursor' | 'Aider' | 'Copilot' | 'Gemini';

/** What kind of line named the tool. */
export type AgentTrailerKind = 'co-author' | 'generated-with' | 'made-with' | 'session' | 'logs-url' | 'assisted-by';

/** One agent line found in a commit message. */
export interface AgentTrailer {
  readonly tool: AgentTrailerTool;
  readonly kind: AgentTrailerKind;
  /** The model, when the line names one (aider's `aider (openai/gpt-4o)`, `Claude Opus 4.5`). */
  readonly model?: string;
  /** Zero-based line of the message. */
  readonly line: number;
  /** The line as written, trimmed. */
  readonly text: string;
}

const byName: ReadonlyArray<readonly [RegExp, AgentTrailerTool]> = [
  [/^claude(\s|$|-)/i, 'Claude'],
  [/^(openai\s+)?codex(\s|$|-)/i, 'Codex'],
  [/^cursor(\s|$|-)/i, 'Cursor'],
  [/^aider(\s|$|\()/i, 'Aider'],
  [/^(github\s+)?copilot(\s|$|-|\[)/i, 'Copilot'],
  [/^gemini(\s|$|-)/i, 'Gemini'],
];

const byEmail: ReadonlyArray<readonly [RegExp, AgentTrailerTool]> = [
  [/@anthropic\.com$/i, 'Claude'],
  [/^noreply@openai\.com$/i, 'Codex'],
  [/^codex@openai\.com$/i, 'Codex'],
  [/@cursor\.(com|sh)$/i, 'Cursor'],
  [/@aider\.chat$/i, 'Aider'],
  [/^copilot@github\.com$/i, 'Copilot'],
  [/\+copilot(-swe-agent)?(\[bot\])?@users\.noreply\.github\.com$/i, 'Copilot'],
  [/^(gemini|gemini-cli|gemini-code-assist)[^@]*@google\.com$/i, 'Gemini'],
];

/** The agent a `Name <email>` identity belongs to (an agent's co-author or commit address), if any. */
export function toolOfIdentity(name: string, email: string): AgentTrailerTool | undefined {
  for (const [re, tool] of byEmail) if (re.test(email)) return tool;
  for (const [re, tool] of byName) if (re.test(name)) return tool;
  return undefined;
}

function modelOf(tool: AgentTrailerTool, name: string): string | undefined {
  if (tool === 'Aider') {
    const m = /\(([^)]{1,100})\)/.exec(name);
    return m ? m[1]!.trim() : undefined;
  }
  if (tool === 'Claude') {
    // "Claude" alone names no model; "Claude Opus 4.5" or "Claude Sonnet 4.5 (1M)" does.
    const t = name.trim();
    return /^claude\s+\S/i.test(t) ? t : undefined;
  }
  return undefined;
}

const generatedWith: ReadonlyArray<readonly [RegExp, AgentTrailerTool]> = [
  [/generated\s+with\s+\[?claude(\s+code)?\]?/i, 'Claude'],
  [/generated\s+with\s+\[?(openai\s+)?codex\]?/i, 'Codex'],
  [/generated\s+with\s+\[?gemini(\s+cli)?\]?/i, 'Gemini'],
  [/generated\s+with\s+\[?cursor\]?/i, 'Cursor'],
  [/generated\s+with\s+\[?(github\s+)?copilot\]?/i, 'Copilot'],
  [/generated\s+with\s+\[?aider\]?/i, 'Aider'],
];

/** Maps the AGENT part of a kernel-style `Assisted-by: AGENT:MODEL` line to a tool. */
function toolOfAgentName(agent: string): AgentTrailerTool | undefined {
  const a = agent.toLowerCase().replace(/[\s_-]+/g, '');
  if (a.startsWith('claude')) return 'Claude';
  if (a.startsWith('codex')) return 'Codex';
  if (a.startsWith('cursor')) return 'Cursor';
  if (a.startsWith('aider')) return 'Aider';
  if (a.startsWith('copilot') || a.startsWith('githubcopilot')) return 'Copilot';
  if (a.startsWith('gemini')) return 'Gemini';
  return undefined;
}

/**
 * The line of an agent's "Generated with …" footer (`🤖 Generated with [Claude Code](…)`), when
 * the message has one where agents write it: a paragraph of its own, the last one before the
 * trailer block (or the last one). It is not a trailer, but it is the agent's own signature; a
 * sentence in the body that says "generated with" is prose and does not count.
 */
function footerLine(lines: readonly string[], blockStart: number): number | undefined {
  let l = blockStart - 1;
  while (l > 0 && lines[l]!.trim() === '') l--;
  // Not the subject line, and alone in its paragraph.
  if (l <= 0 || lines[l - 1]!.trim() !== '') return undefined;
  return l;
}

/**
 * Finds every agent line in a commit message, in message order. Trailers count only from the
 * trailer block as git parses it (src/core/commit/trailerBlock.ts): a `Co-authored-by: Claude`
 * quoted in the body, or written above a paragraph of prose, is not one.
 */
export function findAgentTrailers(message: string): AgentTrailer[] {
  const out: AgentTrailer[] = [];
  const lines = message.split('\n');
  const block = parseTrailerBlock(message);
  let end = lines.length;
  while (end > 0 && lines[end - 1]!.trim() === '') end--;
  const footer = footerLine(lines, block.lines[0] ?? end);
  if (footer !== undefined) {
    const text = lines[footer]!.trim();
    const found = text.length <= 500 && /^[^A-Za-z0-9]*generated\s+with\b/i.test(text) ? generatedWith.find(([re]) => re.test(text)) : undefined;
    if (found) out.push({ tool: found[1], kind: 'generated-with', line: footer, text });
  }
  for (const t of block.trailers) {
    const key = t.key.toLowerCase();
    const value = t.value;
    const line = t.line;
    const text = `${t.key}: ${t.value}`;
    if (text.length > 500) continue;
    if (key === 'co-authored-by') {
      const id = /^(.*?)\s*<([^<>\s]*)>\s*$/.exec(value);
      const name = id ? id[1]! : value;
      const email = id ? id[2]! : '';
      const tool = toolOfIdentity(name, email);
      if (tool) {
        const model = modelOf(tool, name);
        out.push({ tool, kind: 'co-author', ...(model ? { model } : {}), line, text });
      }
    } else if (key === 'made-with') {
      const tool = toolOfAgentName(value);
      if (tool) out.push({ tool, kind: 'made-with', line, text });
    } else if (key === 'claude-session') {
      out.push({ tool: 'Claude', kind: 'session', line, text });
    } else if (key === 'agent-logs-url') {
      out.push({ tool: 'Copilot', kind: 'logs-url', line, text });
    } else if (key === 'assisted-by') {
      const m = /^([^:\s]+)(?::(\S+))?/.exec(value);
      const tool = m ? toolOfAgentName(m[1]!) : undefined;
      if (tool) {
        const model = m![2] && m![2] !== 'unknown' ? m![2] : undefined;
        out.push({ tool, kind: 'assisted-by', ...(model ? { model } : {}), line, text });
      }
    }
  }
  return out;
}

/**
 * The tools a commit message says helped write the commit, each once, in first-mention order.
 * `author` (as `Name <email>`) adds aider's `Name (aider)` and the Copilot coding agent's
 * `copilot-swe-agent[bot]` authorship.
 */
export function agentToolsInMessage(message: string, author?: string): AgentTrailerTool[] {
  const tools: AgentTrailerTool[] = [];
  const add = (t: AgentTrailerTool): void => {
    if (!tools.includes(t)) tools.push(t);
  };
  if (author !== undefined) {
    if (/\(aider\)\s*(<|$)/i.test(author)) add('Aider');
    if (/^copilot(-swe-agent)?(\[bot\])?\s*(<|$)/i.test(author.trim())) add('Copilot');
  }
  for (const t of findAgentTrailers(message)) add(t.tool);
  return tools;
}

/** A tool a commit message says helped, with its model when the message says, and the evidence. */
export interface MessageTool {
  readonly tool: string;
  readonly model: string | undefined;
  /** What says so, as written: `Assisted-by: Claude Code:claude-sonnet-4-5`, `author: Jane (aider) <j@x>`. */
  readonly evidence: string;
}

/** Our own trailers that say a commit has AI-written lines (trailers.ts writes them). */
const ownAiKeys = ['ai-lines', 'ai-provenance'];

/**
 * The tool a commit message (or its author, as `Name <email>`) says helped: commit-level
 * evidence for a commit without a note. In order: a kernel-style `Assisted-by: TOOL:MODEL` as
 * written (our own trailers name tools the way notes do), then the first agent line
 * (`Co-authored-by: Claude …`, aider's author, `Made-with: Cursor`, …), then our own
 * `AI-Lines`/`AI-Provenance` alone (tool `unknown`). Only the trailer block counts (git's
 * parse): the same line in the body is prose.
 */
export function messageTool(message: string, author?: string): MessageTool | undefined {
  const block = parseTrailerBlock(message);
  for (const t of block.trailers) {
    if (t.key.toLowerCase() !== 'assisted-by') continue;
    const m = /^([^:]+?)\s*(?::\s*(\S+))?\s*$/.exec(t.value);
    if (m && m[1]) return { tool: canonicalToolName(m[1]), model: m[2] && m[2] !== 'unknown' ? m[2] : undefined, evidence: `${t.key}: ${t.value}` };
  }
  const tools = agentToolsInMessage(message, author);
  const first = tools[0];
  if (first !== undefined) {
    const found = findAgentTrailers(message);
    const model = found.find((t) => t.tool === first && t.model !== undefined)?.model;
    // A trailer names it better than the footer line above the trailer block.
    const line = found.find((t) => t.tool === first && t.kind !== 'generated-with') ?? found.find((t) => t.tool === first);
    return { tool: canonicalToolName(first), model, evidence: line ? line.text : `author: ${author ?? ''}` };
  }
  const own = block.trailers.find((t) => ownAiKeys.includes(t.key.toLowerCase()));
  if (own) return { tool: 'unknown', model: undefined, evidence: `${own.key}: ${own.value}` };
  return undefined;
}
