/**
 * The lines coding agents add to commit messages themselves (`Co-authored-by: Claude …`,
 * `🤖 Generated with [Claude Code]`, `Made-with: Cursor`, aider's co-author, …). They are
 * commit-level evidence of AI help for commits made without our hooks, and the trailer
 * writer reads them so our own trailers neither duplicate nor contradict them.
 */

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

/** Finds every agent line in a commit message, in message order. */
export function findAgentTrailers(message: string): AgentTrailer[] {
  const out: AgentTrailer[] = [];
  const lines = message.split(/\r?\n/);
  lines.forEach((raw, line) => {
    const text = raw.trim();
    if (text.length === 0 || text.length > 500) return;
    const trailer = /^([A-Za-z][A-Za-z0-9-]*)\s*:\s*(.*)$/.exec(text);
    const key = trailer ? trailer[1]!.toLowerCase() : '';
    const value = trailer ? trailer[2]!.trim() : '';
    if (key === 'co-authored-by') {
      const id = /^(.*?)\s*<([^<>\s]*)>\s*$/.exec(value);
      const name = id ? id[1]! : value;
      const email = id ? id[2]! : '';
      const tool = toolOfIdentity(name, email);
      if (tool) {
        const model = modelOf(tool, name);
        out.push({ tool, kind: 'co-author', ...(model ? { model } : {}), line, text });
      }
      return;
    }
    if (key === 'made-with') {
      const tool = toolOfAgentName(value);
      if (tool) out.push({ tool, kind: 'made-with', line, text });
      return;
    }
    if (key === 'claude-session') {
      out.push({ tool: 'Claude', kind: 'session', line, text });
      return;
    }
    if (key === 'agent-logs-url') {
      out.push({ tool: 'Copilot', kind: 'logs-url', line, text });
      return;
    }
    if (key === 'assisted-by') {
      const m = /^([^:\s]+)(?::(\S+))?/.exec(value);
      const tool = m ? toolOfAgentName(m[1]!) : undefined;
      if (tool) {
        const model = m![2] && m![2] !== 'unknown' ? m![2] : undefined;
        out.push({ tool, kind: 'assisted-by', ...(model ? { model } : {}), line, text });
      }
      return;
    }
    for (const [re, tool] of generatedWith) {
      if (re.test(text)) {
        out.push({ tool, kind: 'generated-with', line, text });
        return;
      }
    }
  });
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
