/**
 * Counts for status bars, `git provenance status` and trailers.
 */
import type { LineAttribution } from '../lines/lines';
import { canonicalToolName } from '../agents/toolNames';

/** Lines of one tool/model pair. */
export interface ToolCount {
  readonly tool: string;
  readonly model: string | undefined;
  readonly lines: number;
}

/** Attributed line counts of a file or a change. */
export interface LineSummary {
  readonly ai: number;
  readonly mixed: number;
  readonly unknown: number;
  /** By tool and model, most lines first; unknown (external) lines are not a tool. */
  readonly tools: readonly ToolCount[];
}

/** Counts attributed lines by kind and by tool/model. */
export function summarize(lines: readonly LineAttribution[]): LineSummary {
  let ai = 0;
  let mixed = 0;
  let unknown = 0;
  const tools = new Map<string, { tool: string; model: string | undefined; lines: number }>();
  for (const l of lines) {
    if (l.kind === 'ai') ai++;
    else if (l.kind === 'mixed') mixed++;
    else unknown++;
    if (l.kind === 'unknown') continue;
    // Ledger entries written before names were normalised count as the tool they name.
    const tool = canonicalToolName(l.origin.tool);
    const key = `${tool}\u0000${l.origin.model ?? ''}`;
    const t = tools.get(key);
    if (t) t.lines++;
    else tools.set(key, { tool, model: l.origin.model, lines: 1 });
  }
  return { ai, mixed, unknown, tools: [...tools.values()].sort((a, b) => b.lines - a.lines || a.tool.localeCompare(b.tool)) };
}

/** `tool:model` in the kernel's `Assisted-by` form; `unknown` when the model is not known. */
export function toolLabel(tool: string, model: string | undefined): string {
  return `${tool}:${model ?? 'unknown'}`;
}
