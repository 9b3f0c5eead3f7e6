/**
 * One name per tool. Agents, extensions and people spell the same product many ways
 * (`claude-code`, `Claude Code`, `claude`; `github.copilot`, `Copilot`), and stats, blame and
 * trailers would show one agent as two. Names are mapped to a canonical id and a display name
 * when they are recorded, and again when ledgers and notes written before are read. The
 * display name is what is stored and shown (`Assisted-by: Claude Code:<model>`); unknown
 * names pass through, trimmed.
 */

/** A tool we know by several names. */
export interface KnownTool {
  /** Stable id: lower case, no spaces. */
  readonly id: string;
  /** What people call it; stored in ledgers and notes and written in trailers. */
  readonly display: string;
  /** Other spellings, compared after {@link toolKey} (case, spaces, `-`, `_` and `.` ignored). */
  readonly aliases: readonly string[];
}

/**
 * The known tools. Aliases are product names, CLI names, VS Code extension ids (what VS Code's
 * edit-source metadata names as `$extensionId`) and the names agents sign commits with.
 */
export const knownTools: readonly KnownTool[] = [
  { id: 'claude-code', display: 'Claude Code', aliases: ['claude', 'claude code', 'claude-code', 'claude code cli', 'anthropic.claude-code', 'anthropic claude code'] },
  { id: 'codex', display: 'Codex', aliases: ['codex', 'openai codex', 'codex cli', 'codex-cli', 'openai.chatgpt', 'chatgpt codex'] },
  { id: 'gemini-cli', display: 'Gemini CLI', aliases: ['gemini', 'gemini cli', 'gemini-cli', 'google gemini cli', 'gemini code assist', 'google.geminicodeassist'] },
  { id: 'cursor', display: 'Cursor', aliases: ['cursor', 'cursor agent', 'cursor tab', 'cursor-agent'] },
  { id: 'copilot', display: 'GitHub Copilot', aliases: ['copilot', 'github copilot', 'github.copilot', 'github.copilot-chat', 'copilot chat', 'github copilot chat', 'copilot cli', 'copilot-cli', 'github copilot cli', 'copilot-swe-agent', 'copilot coding agent'] },
  { id: 'kiro', display: 'Kiro', aliases: ['kiro', 'kiro cli', 'kiro-cli', 'kiro ide'] },
  { id: 'aider', display: 'Aider', aliases: ['aider', 'aider chat', 'aider-chat'] },
  { id: 'windsurf', display: 'Windsurf', aliases: ['windsurf', 'codeium', 'codeium.codeium', 'codeium windsurf'] },
  { id: 'amazon-q', display: 'Amazon Q', aliases: ['amazon q', 'amazon-q', 'amazonwebservices.amazon-q-vscode', 'q developer', 'amazon q developer'] },
  { id: 'tabnine', display: 'Tabnine', aliases: ['tabnine', 'tabnine.tabnine-vscode'] },
  { id: 'continue', display: 'Continue', aliases: ['continue', 'continue.continue', 'continue.dev'] },
];

/** How names are compared: case, spaces, `-`, `_` and `.` make no difference. */
export function toolKey(name: string): string {
  return name.toLowerCase().replace(/[\s._-]+/g, '');
}

const byKey = new Map<string, KnownTool>();
for (const t of knownTools) for (const n of [t.id, t.display, ...t.aliases]) byKey.set(toolKey(n), t);

/** The known tool a name means, or undefined for a name we do not know. */
export function knownTool(name: string): KnownTool | undefined {
  return byKey.get(toolKey(name));
}

/** The name to record and show for a tool: a known tool's display name, else the name trimmed. */
export function canonicalToolName(name: string): string {
  const trimmed = name.trim();
  return knownTool(trimmed)?.display ?? trimmed;
}

/** The canonical id of a tool: a known tool's id, else the name trimmed. */
export function toolId(name: string): string {
  const trimmed = name.trim();
  return knownTool(trimmed)?.id ?? trimmed;
}
