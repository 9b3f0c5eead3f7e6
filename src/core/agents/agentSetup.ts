/**
 * Our hook entries in each agent's own configuration: where they go, what they look like, and
 * how to add or remove exactly them without touching anything else in the file. Pure: the
 * CLI reads and writes the files (src/cli/commands/setup.ts).
 */
import { createTwoFilesPatch } from 'diff';
import type { AgentId } from './agentPayloads';

/** Where a configuration file lives: in the repository or in the user's home. */
export type SetupScope = 'project' | 'user';

/** A configuration file of an agent, relative to its base folder. */
export interface ConfigLocation {
  readonly base: 'root' | 'home' | 'codexHome';
  /** '/'-separated path below the base. */
  readonly path: string;
  /** The whole file is ours (removing our hooks removes the file). */
  readonly ownFile: boolean;
}

/** Where `setup` writes for each agent and scope. */
export function configLocation(agent: AgentId, scope: SetupScope): ConfigLocation {
  const user = scope === 'user';
  switch (agent) {
    case 'claude-code':
      return { base: user ? 'home' : 'root', path: '.claude/settings.json', ownFile: false };
    case 'codex':
      return user ? { base: 'codexHome', path: 'hooks.json', ownFile: false } : { base: 'root', path: '.codex/hooks.json', ownFile: false };
    case 'gemini':
      return { base: user ? 'home' : 'root', path: '.gemini/settings.json', ownFile: false };
    case 'cursor':
      return { base: user ? 'home' : 'root', path: '.cursor/hooks.json', ownFile: false };
    case 'copilot':
      return user ? { base: 'home', path: '.copilot/hooks/ai-provenance.json', ownFile: true } : { base: 'root', path: '.github/hooks/ai-provenance.json', ownFile: true };
    case 'kiro':
      return { base: user ? 'home' : 'root', path: '.kiro/hooks/ai-provenance.json', ownFile: true };
  }
}

/** Raised when a configuration file is not in a shape we can merge into without losing anything. */
export class ConfigShapeError extends Error {
  override readonly name = 'ConfigShapeError';
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Seconds an agent waits for our hook; it answers in milliseconds, this only bounds a hang. */
const timeoutSeconds = 10;

/** The tools whose calls we hook, per agent (a regex over tool names, as each agent matches). */
export const hookMatchers: Readonly<Record<'claude-code' | 'codex' | 'gemini' | 'kiro', string>> = {
  'claude-code': 'Edit|MultiEdit|Write|NotebookEdit',
  codex: 'apply_patch|Edit|Write',
  gemini: 'write_file|replace',
  kiro: 'fs_write|write|str_replace',
};

/** Whether a hook command is ours for `agent` (any launcher: git-provenance, node + cli.js, or the shell front). */
export function isOurCommand(agent: AgentId, command: unknown): boolean {
  if (typeof command !== 'string') return false;
  const escaped = agent.replace(/[-]/g, '\\-');
  return new RegExp(`(provenance|cli\\.js|agent-hook\\.sh)["']?\\s+hook\\s+${escaped}([\\s;]|$)`).test(command);
}

/**
 * The command line that runs our hook for `agent` through the shell front (dist/agent-hook.sh):
 * it keeps the evidence and returns in milliseconds, and `node` records it in the background.
 */
export function frontCommand(scriptPath: string, nodePath: string, agent: AgentId): string {
  return `sh ${shellQuote(scriptPath)} hook ${agent} ${shellQuote(nodePath)}`;
}

/** The command line that runs our hook for `agent`, given the launcher (program and leading arguments). */
export function hookCommand(launcher: string, agent: AgentId): string {
  return `${launcher} hook ${agent}`;
}

/** Quotes a path for the POSIX shells agents run hooks with. */
export function shellQuote(s: string): string {
  if (/^[A-Za-z0-9_./:@%+=-]+$/.test(s)) return s;
  return `"${s.replace(/(["\\$`])/g, '\\$1')}"`;
}

/** Matcher-group formats (Claude Code, Codex, Gemini): hooks.<Event>[] of {matcher, hooks: [...]}. */
interface GroupFormat {
  readonly kind: 'groups';
  readonly events: readonly string[];
  readonly matcher: string;
  readonly entry: (command: string) => Obj;
}

/** Flat formats (Cursor, Copilot): hooks.<event>[] of hook entries. */
interface FlatFormat {
  readonly kind: 'flat';
  readonly events: readonly string[];
  readonly entry: (command: string) => Obj;
  readonly top: Obj;
}

/** Kiro's standalone file: {version, hooks: [{name, trigger, matcher, action}]}. */
interface KiroFormat {
  readonly kind: 'kiro';
}

type Format = GroupFormat | FlatFormat | KiroFormat;

function formatOf(agent: AgentId): Format {
  switch (agent) {
    case 'claude-code':
      return { kind: 'groups', events: ['PreToolUse', 'PostToolUse'], matcher: hookMatchers['claude-code'], entry: (command) => ({ type: 'command', command, timeout: timeoutSeconds }) };
    case 'codex':
      return { kind: 'groups', events: ['PreToolUse', 'PostToolUse'], matcher: hookMatchers.codex, entry: (command) => ({ type: 'command', command, timeout: timeoutSeconds }) };
    case 'gemini':
      // Gemini's timeout is in milliseconds; `name` lets /hooks enable|disable find it.
      return { kind: 'groups', events: ['BeforeTool', 'AfterTool'], matcher: hookMatchers.gemini, entry: (command) => ({ name: 'ai-provenance', type: 'command', command, timeout: timeoutSeconds * 1000, description: 'Records the lines Gemini CLI writes (AI Provenance)' }) };
    case 'cursor':
      // Cursor has no pre-edit event that may stay silent; its after-events carry the edits.
      return { kind: 'flat', events: ['afterFileEdit', 'afterTabFileEdit'], top: { version: 1 }, entry: (command) => ({ command, timeout: timeoutSeconds }) };
    case 'copilot':
      // PascalCase events get the VS Code-compatible payload in Copilot CLI too; `command` is
      // read by VS Code, `bash` by Copilot CLI.
      return { kind: 'flat', events: ['PreToolUse', 'PostToolUse'], top: { version: 1 }, entry: (command) => ({ type: 'command', command, bash: command, timeout: timeoutSeconds, timeoutSec: timeoutSeconds }) };
    case 'kiro':
      return { kind: 'kiro' };
  }
}

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

function hooksObject(config: Obj, where: string): Obj {
  const hooks = config.hooks;
  if (hooks === undefined) {
    config.hooks = {};
    return config.hooks as Obj;
  }
  if (!isObj(hooks)) throw new ConfigShapeError(`${where}: "hooks" is not an object`);
  return hooks;
}

function eventArray(hooks: Obj, event: string, where: string): unknown[] {
  const list = hooks[event];
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw new ConfigShapeError(`${where}: "hooks.${event}" is not an array`);
  return list;
}

/** Removes our entries of `agent` from a group format's event list; drops groups left empty. */
function withoutOursInGroups(agent: AgentId, list: readonly unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const g of list) {
    if (!isObj(g) || !Array.isArray(g.hooks)) {
      out.push(g);
      continue;
    }
    const kept = g.hooks.filter((h) => !(isObj(h) && isOurCommand(agent, h.command)));
    if (kept.length === g.hooks.length) out.push(g);
    else if (kept.length > 0) out.push({ ...g, hooks: kept });
  }
  return out;
}

function withoutOursFlat(agent: AgentId, list: readonly unknown[]): unknown[] {
  return list.filter((h) => !(isObj(h) && (isOurCommand(agent, h.command) || isOurCommand(agent, h.bash))));
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The result of merging or removing: the new configuration (undefined: delete the file). */
export interface ConfigChange {
  readonly config: Obj | undefined;
  readonly changed: boolean;
}

/**
 * Adds our hook for `agent` with `command` to a parsed configuration (undefined: no file yet).
 * Idempotent: when exactly our wanted entries are already there, `changed` is false.
 * Throws {@link ConfigShapeError} when the file's hooks are not in the agent's shape.
 */
export function addOurHooks(agent: AgentId, current: unknown, command: string, where: string): ConfigChange {
  if (current !== undefined && !isObj(current)) throw new ConfigShapeError(`${where}: the file is not a JSON object`);
  const config: Obj = current === undefined ? {} : clone(current);
  const format = formatOf(agent);
  if (format.kind === 'kiro') {
    if (config.version === undefined) config.version = 'v1';
    const raw = config.hooks === undefined ? [] : config.hooks;
    if (!Array.isArray(raw)) throw new ConfigShapeError(`${where}: "hooks" is not an array`);
    const list: unknown[] = raw;
    const wanted = (['PreToolUse', 'PostToolUse'] as const).map((trigger) => ({
      name: `ai-provenance-${trigger === 'PreToolUse' ? 'pre' : 'post'}`,
      trigger,
      matcher: hookMatchers.kiro,
      action: { type: 'command', command },
      timeout: timeoutSeconds,
      enabled: true,
    }));
    const others = list.filter((h) => !(isObj(h) && isObj(h.action) && isOurCommand(agent, h.action.command)));
    const ours = list.filter((h) => !others.includes(h));
    if (deepEqual(ours, wanted) && isObj(current)) return { config: current, changed: false };
    config.hooks = [...others, ...wanted];
    return { config, changed: true };
  }
  if (format.kind === 'flat') for (const [k, v] of Object.entries(format.top)) if (config[k] === undefined) config[k] = v;
  const hooks = hooksObject(config, where);
  let changed = current === undefined;
  for (const event of format.events) {
    const list = eventArray(hooks, event, where);
    if (format.kind === 'groups') {
      const wanted = { matcher: format.matcher, hooks: [format.entry(command)] };
      const rest = withoutOursInGroups(agent, list);
      const ourCount = list.reduce<number>((n, g) => n + (isObj(g) && Array.isArray(g.hooks) ? g.hooks.filter((h) => isObj(h) && isOurCommand(agent, h.command)).length : 0), 0);
      if (ourCount === 1 && list.some((g) => deepEqual(g, wanted))) continue;
      hooks[event] = [...rest, wanted];
      changed = true;
    } else {
      const wanted = format.entry(command);
      const rest = withoutOursFlat(agent, list);
      if (list.length === rest.length + 1 && list.some((h) => deepEqual(h, wanted))) continue;
      hooks[event] = [...rest, wanted];
      changed = true;
    }
  }
  return { config: changed || !isObj(current) ? config : current, changed };
}

/**
 * Takes exactly our hook entries for `agent` out of a configuration. Events and groups left
 * empty by that go too; a file that is ours alone and has nothing else left is deleted
 * (`config` undefined).
 */
export function removeOurHooks(agent: AgentId, current: unknown, ownFile: boolean, where: string): ConfigChange {
  if (current === undefined) return { config: undefined, changed: false };
  if (!isObj(current)) throw new ConfigShapeError(`${where}: the file is not a JSON object`);
  const config = clone(current);
  const format = formatOf(agent);
  let changed = false;
  if (format.kind === 'kiro') {
    const list = config.hooks;
    if (!Array.isArray(list)) return { config: current, changed: false };
    const rest = list.filter((h) => !(isObj(h) && isObj(h.action) && isOurCommand(agent, h.action.command)));
    if (rest.length === list.length) return { config: current, changed: false };
    if (rest.length === 0 && ownFile && Object.keys(config).every((k) => k === 'version' || k === 'hooks')) return { config: undefined, changed: true };
    config.hooks = rest;
    return { config, changed: true };
  }
  const hooks = config.hooks;
  if (!isObj(hooks)) return { config: current, changed: false };
  for (const [event, list] of Object.entries(hooks)) {
    if (!Array.isArray(list)) continue;
    const rest = format.kind === 'groups' ? withoutOursInGroups(agent, list) : withoutOursFlat(agent, list);
    if (rest.length === list.length && deepEqual(rest, list)) continue;
    changed = true;
    if (rest.length === 0) delete hooks[event];
    else hooks[event] = rest;
  }
  if (!changed) return { config: current, changed: false };
  // Nothing left but an empty "hooks" (and Cursor's version): the file was ours to begin
  // with, or setup created it; either way removing it leaves no trace.
  const top: Obj = format.kind === 'flat' ? format.top : {};
  const onlyOurs = Object.keys(config).every((k) => k === 'hooks' || (k in top && deepEqual(config[k], top[k])));
  if (Object.keys(hooks).length === 0 && onlyOurs) return { config: undefined, changed: true };
  return { config, changed: true };
}

/** The indentation a JSON text uses (two spaces when it cannot tell). */
export function detectIndent(text: string): string | number {
  const m = /^(\t+|[ ]+)["}\]]/m.exec(text);
  if (!m) return 2;
  return m[1]!.startsWith('\t') ? '\t' : m[1]!.length;
}

/** Serialises a configuration the way we write it: the file's indentation, a final newline. */
export function formatConfig(config: Obj, indent: string | number = 2): string {
  return JSON.stringify(config, null, indent) + '\n';
}

/** A unified diff of a configuration change, for `--dry-run`. */
export function configDiff(displayPath: string, before: string | undefined, after: string | undefined): string {
  return createTwoFilesPatch(before === undefined ? '/dev/null' : `a/${displayPath}`, after === undefined ? '/dev/null' : `b/${displayPath}`, before ?? '', after ?? '', undefined, undefined, { context: 3 });
}
