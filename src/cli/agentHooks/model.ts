/**
 * The model an agent used, when its hook payload does not say: read from the agent's own
 * files with bounded reads. Claude Code's transcript ends with the assistant message that
 * asked for the tool call, and that message names its model; settings files name the model
 * a user picked. Only the model id is ever kept from these files.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AgentId } from '../../core/agents/agentPayloads';
import { cleanModel } from '../../core/agents/payloadFields';
import { readRegularFile } from '../../node/regularFile';

/** How much of a transcript's end we read: enough for the last few messages, never the whole log. */
const transcriptTailBytes = 256 * 1024;
/** Settings files are small; a bigger one is not read. */
const maxSettingsBytes = 256 * 1024;

async function readBounded(file: string, max: number): Promise<string | undefined> {
  // A settings path may be a FIFO or a device: never block on it (src/node/regularFile.ts).
  const r = await readRegularFile(file, { maxBytes: max });
  return r.kind === 'ok' ? r.data.toString('utf8') : undefined;
}

async function jsonFile(file: string): Promise<unknown> {
  const text = await readBounded(file, maxSettingsBytes);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function within(dir: string, file: string): boolean {
  const rel = path.relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/**
 * The model of the last assistant message in a Claude Code transcript. The path comes from
 * the payload, so it is only read when it resolves to a regular file under the user's home
 * or the repository.
 */
export async function modelFromTranscript(transcriptPath: string, root: string, home = os.homedir()): Promise<string | undefined> {
  let real: string;
  try {
    real = await fs.realpath(transcriptPath);
  } catch {
    return undefined;
  }
  const realHome = await fs.realpath(home).catch(() => home);
  if (!within(realHome, real) && !within(root, real)) return undefined;
  // The payload names the path: a FIFO there would block a plain open forever.
  const r = await readRegularFile(real, { maxBytes: transcriptTailBytes, tail: true });
  if (r.kind !== 'ok') return undefined;
  {
    const lines = r.data.toString('utf8').split('\n');
    // The first line may be cut; it is still tried last and fails to parse if so.
    for (let i = lines.length - 1; i >= 0; i--) {
      const line = lines[i]!;
      if (!line.includes('"assistant"') || !line.includes('"model"')) continue;
      try {
        const rec = JSON.parse(line) as { type?: unknown; message?: { model?: unknown; role?: unknown } };
        if (rec.type !== 'assistant' && rec.message?.role !== 'assistant') continue;
        const model = cleanModel(rec.message?.model);
        // "<synthetic>" marks messages Claude Code made up itself; cleanModel rejects it.
        if (model) return model;
      } catch {
        // A cut or foreign line: keep looking.
      }
    }
    return undefined;
  }
}

function get(o: unknown, ...keys: string[]): unknown {
  let v = o;
  for (const k of keys) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return v;
}

/** Reads `model = "..."` at the top level of a TOML file (before any table). */
function tomlTopLevelModel(text: string): string | undefined {
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('[')) return undefined;
    const m = /^model\s*=\s*"([^"]*)"/.exec(line);
    if (m) return cleanModel(m[1]);
  }
  return undefined;
}

/** The model named in the agent's settings (project settings before user settings), if any. */
export async function modelFromSettings(agent: AgentId, root: string, home = os.homedir(), env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  switch (agent) {
    case 'claude-code': {
      for (const f of [path.join(root, '.claude', 'settings.local.json'), path.join(root, '.claude', 'settings.json'), path.join(home, '.claude', 'settings.json')]) {
        const m = cleanModel(get(await jsonFile(f), 'model'));
        if (m) return m;
      }
      return undefined;
    }
    case 'gemini': {
      for (const f of [path.join(root, '.gemini', 'settings.json'), path.join(home, '.gemini', 'settings.json')]) {
        const s = await jsonFile(f);
        const m = cleanModel(get(s, 'model', 'name')) ?? cleanModel(get(s, 'model'));
        if (m) return m;
      }
      return undefined;
    }
    case 'codex': {
      const codexHome = env.CODEX_HOME && path.isAbsolute(env.CODEX_HOME) ? env.CODEX_HOME : path.join(home, '.codex');
      const text = await readBounded(path.join(codexHome, 'config.toml'), maxSettingsBytes);
      return text === undefined ? undefined : tomlTopLevelModel(text);
    }
    case 'copilot':
      return cleanModel(get(await jsonFile(path.join(home, '.copilot', 'config.json')), 'model'));
    case 'kiro':
      return cleanModel(get(await jsonFile(path.join(home, '.kiro', 'settings', 'cli.json')), 'chat.defaultModel'));
    case 'cursor':
      return undefined;
  }
}
