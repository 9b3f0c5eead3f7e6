/**
 * Activation in the real editor: the extension is active with the window, registered its
 * commands, and reports how long `activate` took (the benchmark reads it from here).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { api } from './util';

/** A fixed amount of work, timed in the same host, so the figure has a machine-independent ratio. */
function baselineMs(): number {
  const data = Array.from({ length: 2000 }, (_, i) => ({ id: i, name: `item-${i}`, tags: ['a', 'b', 'c'], nested: { x: i, y: [i, i + 1] } }));
  const t0 = performance.now();
  for (let i = 0; i < 10; i++) JSON.parse(JSON.stringify(data));
  return (performance.now() - t0) / 10;
}

describe('activation', () => {
  it('is active with its commands, and activate() is fast', async () => {
    const p = await api();
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['aiProvenance.markSelectionAsAi', 'aiProvenance.markSelectionAsHuman', 'aiProvenance.recordEdit', 'aiProvenance.showRanges', 'aiProvenance.acceptInlineSuggestion']) {
      assert.ok(commands.includes(id), `command ${id} is not registered`);
    }
    const ms = p.activationMs();
    assert.ok(Number.isFinite(ms) && ms >= 0);
    const out = process.env.AIP_BENCH_OUT;
    if (out) {
      const base = baselineMs();
      // Merged with what other tests of the same run wrote there (the accept figures run first).
      const existing = fs.existsSync(out) ? (JSON.parse(fs.readFileSync(out, 'utf8')) as Record<string, unknown>) : {};
      fs.writeFileSync(out, JSON.stringify({ ...existing, activation_ms: ms, baseline_ms: base }));
    }
  });
});
