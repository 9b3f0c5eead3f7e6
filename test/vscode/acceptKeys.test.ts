/**
 * Our Tab never costs an accept: keys typed right after Tab, on a loaded machine whose
 * extension host cannot answer at once, land after the accepted text, every one of them, and
 * the accept is still recorded as AI (issue #17).
 */
import * as assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import * as driver from '../helpers/driver';
import { api, openFile, placeCursor, useBlankLineProvider, waitUntil, workspaceRoot } from './util';

const editSource = process.env.AIP_EDIT_SOURCE !== 'off';
const suggestion = 'return a + b;';

/** Two busy processes competing for the machine's cores; ended by pid. */
function startCpuHogs(): ChildProcess[] {
  return [0, 1].map(() => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
}

/** The median of some numbers. */
function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Keeps this thread (the extension host) busy for `ms`, so it cannot answer the window meanwhile. */
function busyFor(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // Spinning on purpose: the point is an extension host that is too busy to respond.
  }
}

describe(`our Tab under load (edit-source API ${editSource ? 'on' : 'off'})`, function () {
  this.timeout(90_000);
  useBlankLineProvider(suggestion);

  it('keeps the accept and every key typed right after Tab, in order, and records the accept', async function () {
    if (!driver.driverAvailable()) this.skip(); // needs real key presses: desktop runs have no browser
    const p = await api();
    const rel = 'src/tabUnderLoad.ts';
    fs.mkdirSync(path.join(workspaceRoot(), 'src'), { recursive: true });
    fs.writeFileSync(path.join(workspaceRoot(), rel), 'export function add(a: number, b: number): number {\n  \n}\n');
    const editor = await openFile(rel);
    const doc = editor.document;
    await driver.click('.monaco-editor .view-lines');
    await placeCursor(editor, new vscode.Position(1, 2));
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    assert.ok(await driver.waitFor('.monaco-editor .ghost-text-decoration, .monaco-editor .ghost-text', 10_000), 'no ghost text');
    const hogs = startCpuHogs();
    try {
      // Tab, then at once a new line and a statement; while the keys go in, this extension
      // host is busy and so is the machine.
      await driver.pressThenType('Tab', '\nconst z = 1;', 200);
      busyFor(1500);
      await driver.keysDone();
    } finally {
      for (const h of hogs) h.kill('SIGKILL');
    }
    await waitUntil('the typed statement arrived', () => doc.getText().includes('const z = 1;'), 20_000);
    assert.equal(doc.lineAt(1).text, `  ${suggestion}`, 'the accept was lost or the typed keys overtook it');
    assert.equal(doc.lineAt(2).text.trim(), 'const z = 1;');
    assert.equal(doc.lineCount, 5);
    await waitUntil('the accept is recorded', () => p.lines(doc.uri).length > 0, 10_000);
    const start = doc.offsetAt(new vscode.Position(1, 2));
    assert.deepEqual(p.segments(doc.uri).map((s) => [s.start, s.end, s.state, s.originKind]), [[start, start + suggestion.length, 'ai', 'inline']]);
    assert.deepEqual(p.lines(doc.uri).map((l) => [l.line, l.kind]), [[1, 'ai']]);
    assert.ok(p.acceptStats().reported >= 1, 'the keybinding did not report the accept');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('accepts as fast as the built-in Tab: our keybinding against the editor\'s own, interleaved (benchmark figure)', async function () {
    if (!driver.driverAvailable()) this.skip(); // needs real key presses: desktop runs have no browser
    // Twenty (or 2 × AIP_ACCEPT_SAMPLES) real accepts on a loaded machine: each waits for its ghost text.
    this.timeout(600_000);
    const p = await api();
    const rel = 'src/tabLatency.ts';
    const original = 'export function add(a: number, b: number): number {\n  \n}\n';
    fs.writeFileSync(path.join(workspaceRoot(), rel), original);
    const editor = await openFile(rel);
    const doc = editor.document;
    await driver.click('.monaco-editor .view-lines');
    const cfg = vscode.workspace.getConfiguration('aiProvenance');
    const samples: Record<'ours' | 'builtin', number[]> = { ours: [], builtin: [] };
    // 10 keep the suite short; `npm run bench` asks for more (AIP_ACCEPT_SAMPLES), since a
    // median of 10 swings by a third on a loaded machine.
    const perSide = Math.max(1, Number(process.env.AIP_ACCEPT_SAMPLES) || 10);
    try {
      for (let i = 0, attempts = 0; samples.ours.length < perSide || samples.builtin.length < perSide; i++) {
        assert.ok(++attempts < perSide * 6, `too many failed samples: ${JSON.stringify(samples)}`);
        // Interleaved, so that load on the machine falls on both sides alike.
        const side = i % 2 === 0 ? 'ours' : 'builtin';
        await cfg.update('capture.acceptKeys', side === 'ours', vscode.ConfigurationTarget.Global);
        await editor.edit((b) => b.replace(new vscode.Range(0, 0, doc.lineCount, 0), original));
        await placeCursor(editor, new vscode.Position(1, 2));
        await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
        if (!(await driver.waitFor('.monaco-editor .ghost-text-decoration, .monaco-editor .ghost-text', 10_000))) continue;
        const reported = p.acceptStats().reported;
        const ms = await driver.measureKey('Tab', suggestion);
        await waitUntil('accepted', () => doc.lineAt(1).text === `  ${suggestion}`, 10_000);
        // A sample counts only for the path that really ran (the setting reaches the window's
        // keybinding context asynchronously).
        const ran = p.acceptStats().reported > reported ? 'ours' : 'builtin';
        if (ms !== null && ran === side) samples[side].push(ms);
      }
    } finally {
      await cfg.update('capture.acceptKeys', undefined, vscode.ConfigurationTarget.Global);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
    const ours = median(samples.ours);
    const builtin = median(samples.builtin);
    assert.ok(ours > 0 && builtin > 0);
    const out = process.env.AIP_BENCH_OUT;
    if (out) {
      const existing = fs.existsSync(out) ? (JSON.parse(fs.readFileSync(out, 'utf8')) as Record<string, unknown>) : {};
      fs.writeFileSync(out, JSON.stringify({ ...existing, accept_latency_ours_ms: ours, accept_latency_builtin_ms: builtin, accept_latency_samples: perSide }));
    }
  });
});
