/**
 * The report in the real editor: a generated history in the test workspace (16 weeks of
 * commits by several tools and models, some by hand, some with only an agent's co-author
 * line, AI lines in the critical folder src/payments of the workspace's .ai-provenance.json)
 * is scanned by "AI Provenance: Show Report", the page paints its four charts, its totals are
 * those of `git provenance stats --json`, a commit opens as a document, and screenshots are
 * saved as test-results/<mode>/report.png (the default light theme), report-dark.png and
 * report-high-contrast.png. The first-paint figure goes to AIP_BENCH_OUT.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { AttributedLine } from '../../src/core/commit/changeLines';
import type { Origin } from '../../src/core/model';
import { buildRecord, serializeRecord } from '../../src/core/commit/notes';
import { contentHash } from '../../src/node/hash';
import * as driver from '../helpers/driver';
import { api, runCli, sleep, workspaceRoot } from './util';

interface Totals {
  added: number;
  ai: number;
  mixed: number;
  unknown: number;
}

interface Shown {
  status: string;
  firstPaintMs: number;
  scanMs: number;
  commits: number;
  total: Totals;
  charts: number;
  root: string;
}

/** A small deterministic generator (mulberry32): the same history, so the same picture, every run. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function git(args: string[], input?: string): string {
  return execFileSync('git', args, { cwd: workspaceRoot(), input, encoding: 'utf8', maxBuffer: 1 << 26, env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' } });
}

const tools: ReadonlyArray<{ tool: string; model?: string; kind: Origin['kind'] }> = [
  { tool: 'github.copilot', kind: 'inline' },
  { tool: 'Claude Code', model: 'claude-sonnet-4-5', kind: 'agent' },
  { tool: 'Cursor', model: 'gpt-5', kind: 'agent' },
  { tool: 'codex', model: 'gpt-5-codex', kind: 'agent' },
];
const folders = ['src/core', 'src/ui', 'src/payments', 'test', 'docs'];
const sideRef = 'refs/aip-test/report-history';
const authors = ['Ann Author <ann@example.com>', 'Bob Builder <bob@example.com>', 'Chen Coder <chen@example.com>'];

/**
 * Writes the history on top of HEAD with `git fast-import` into a side ref (commits that only
 * add files of their own, m0.ts … m3.ts, so no earlier test's file changes), the notes in a
 * second fast-import, then moves the branch and the worktree there with `reset --keep`, which
 * keeps local changes. Returns how many commits were written.
 */
function generateHistory(): number {
  const random = rng(42);
  const head = git(['rev-parse', 'HEAD']).trim();
  const files = new Map<string, string[]>();
  const plans: Array<{ file: string; lines: string[]; old: number; note?: { origin: Origin; ai: number; mixed: number } }> = [];
  let stream = '';
  let mark = 0;
  const start = Date.UTC(2026, 0, 5, 9);
  for (let week = 0; week < 16; week++) {
    // AI help grows over the quarter: about a fifth of the lines at first, two thirds at the end.
    const aiShare = 0.2 + (0.45 * week) / 15;
    const perWeek = 4 + Math.floor(random() * 4);
    for (let k = 0; k < perWeek; k++) {
      const folder = folders[Math.floor(random() * folders.length)]!;
      const file = `${folder}/m${Math.floor(random() * 4)}.ts`;
      const old = files.get(file) ?? [];
      const n = 8 + Math.floor(random() * 30);
      const added = Array.from({ length: n }, (_, i) => `export const w${week}_${k}_${i} = ${Math.floor(random() * 1000)};`);
      const lines = [...old, ...added];
      files.set(file, lines);
      const time = Math.floor((start + week * 7 * 86_400_000 + k * 0.9 * 86_400_000) / 1000);
      const author = authors[Math.floor(random() * authors.length)]!;
      const roll = random();
      let message = `${folder}: change ${week}.${k}\n`;
      let note: { origin: Origin; ai: number; mixed: number } | undefined;
      if (roll < 0.08) {
        message += '\nCo-authored-by: Claude <noreply@anthropic.com>\n';
      } else if (roll < 0.08 + aiShare * 1.1) {
        // Copilot early, agents later.
        const t = tools[Math.min(tools.length - 1, Math.floor(random() * (1 + (week / 15) * 3.2)))]!;
        const ai = Math.max(1, Math.round(n * (0.6 + random() * 0.4)));
        const mixed = Math.min(n - ai, Math.floor(random() * 4));
        note = { origin: { id: `o${mark}`, kind: t.kind, tool: t.tool, ...(t.model ? { model: t.model } : {}), session: `s${week}`, time: time * 1000 }, ai, mixed };
      }
      mark++;
      const content = lines.map((l) => l + '\n').join('');
      stream += `commit ${sideRef}\nmark :${mark}\nauthor ${author} ${time} +0000\ncommitter ${author} ${time} +0000\ndata ${Buffer.byteLength(message)}\n${message}`;
      if (mark === 1) stream += `from ${head}\n`;
      stream += `M 100644 inline ${file}\ndata ${Buffer.byteLength(content)}\n${content}\n`;
      plans.push({ file, lines, old: old.length, ...(note ? { note } : {}) });
    }
  }
  const marks = `${git(['rev-parse', '--absolute-git-dir']).trim()}/aip-report-marks`;
  git(['fast-import', '--quiet', `--export-marks=${marks}`], stream);
  const shaOf = new Map<number, string>();
  for (const line of fs.readFileSync(marks, 'utf8').split('\n')) {
    const m = /^:(\d+) ([0-9a-f]+)$/.exec(line);
    if (m) shaOf.set(Number(m[1]), m[2]!);
  }
  fs.rmSync(marks);
  let notesTip = '';
  try {
    notesTip = git(['rev-parse', '-q', '--verify', 'refs/notes/ai-provenance^{commit}']).trim();
  } catch {
    // no note yet in this workspace
  }
  let notes = `commit refs/notes/ai-provenance\ncommitter Test User <test@example.com> ${Math.floor(start / 1000) + 200 * 86400} +0000\ndata 14\nreport history\n${notesTip ? `from ${notesTip}\n` : ''}`;
  plans.forEach((p, i) => {
    if (!p.note) return;
    const { origin, ai, mixed } = p.note;
    const lines: AttributedLine[] = [];
    for (let j = 0; j < ai + mixed; j++) lines.push({ line: p.old + j + 1, kind: j < ai ? 'ai' : 'mixed', origin });
    const record = buildRecord(
      {
        id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        now: origin.time,
        revision: shaOf.get(i + 1)!,
        toolVersion: 'test',
        count: { ai, mixed, unknown: 0, added: p.lines.length - p.old, tools: [] },
        files: [{ path: p.file, lines, text: p.lines }],
      },
      contentHash,
    );
    const text = serializeRecord(record);
    notes += `N inline ${shaOf.get(i + 1)!}\ndata ${Buffer.byteLength(text)}\n${text}\n`;
  });
  git(['fast-import', '--quiet'], notes);
  git(['reset', '-q', '--keep', sideRef]);
  git(['update-ref', '-d', sideRef]);
  return plans.length;
}

describe('report in the real editor', function () {
  this.timeout(120_000);
  let written = 0;

  before(async () => {
    await api();
    written = generateHistory();
    // A clean window for the picture: no side bar, no panel, no other editors.
    for (const c of ['workbench.action.closeAllEditors', 'workbench.action.closeSidebar', 'workbench.action.closePanel', 'workbench.action.closeAuxiliaryBar']) {
      await vscode.commands.executeCommand(c).then(undefined, () => undefined);
    }
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('shows the report of a generated history with several tools and a critical folder, and saves a screenshot', async () => {
    const result = await vscode.commands.executeCommand<Shown>('aiProvenance.showReport');
    assert.equal(result?.status, 'shown', JSON.stringify(result));
    assert.equal(result.charts, 4, 'share over time, critical paths, tools and folders');
    assert.ok(result.commits >= written + 1, `${result.commits} commits scanned, ${written} generated`);

    const stats = await runCli(['stats', '--json']);
    assert.equal(stats.code, 0, stats.stderr);
    assert.deepEqual(result.total, (JSON.parse(stats.stdout) as { total: Totals }).total, 'the report counts what `git provenance stats` counts');
    assert.ok(result.total.ai > 200 && result.total.unknown > 0, JSON.stringify(result.total));

    const out = process.env.AIP_BENCH_OUT;
    if (out) {
      // Merged with what other tests of the same run (activation) wrote there.
      let existing: Record<string, unknown> = {};
      try {
        existing = JSON.parse(fs.readFileSync(out, 'utf8')) as Record<string, unknown>;
      } catch {
        // first figure of this run
      }
      fs.writeFileSync(out, JSON.stringify({ ...existing, report_first_paint_ms: result.firstPaintMs, report_scan_ms: result.scanMs, report_commits: result.commits }));
    }

    if (driver.driverAvailable()) {
      assert.ok(await driver.waitFor('iframe.webview.ready', 10_000), 'the report webview is on screen');
      // The page said it painted; give the compositor a moment before the picture.
      await sleep(500);
      const shot = await driver.screenshot('report');
      assert.ok(fs.existsSync(shot), shot);
      // The same page in a dark and a high-contrast theme: the charts take the theme's colours.
      const cfg = vscode.workspace.getConfiguration('workbench');
      const before = cfg.inspect<string>('colorTheme')?.globalValue;
      try {
        for (const [theme, name] of [['Default Dark Modern', 'report-dark'], ['Default High Contrast', 'report-high-contrast']] as const) {
          await cfg.update('colorTheme', theme, vscode.ConfigurationTarget.Global);
          await sleep(1500);
          await driver.screenshot(name);
        }
      } finally {
        await cfg.update('colorTheme', before, vscode.ConfigurationTarget.Global);
      }
    }
  });

  it('opens a commit from the report as a document with its provenance note', async () => {
    // A commit of the history that has a note (`git notes list`: "<note blob> <commit>").
    const sha = git(['notes', '--ref', 'ai-provenance', 'list']).trim().split('\n')[0]!.split(' ')[1]!;
    assert.match(sha, /^[0-9a-f]{40}$/);
    const uri = vscode.Uri.from({ scheme: 'ai-provenance-commit', path: `/${sha.slice(0, 12)}.txt`, query: new URLSearchParams({ root: workspaceRoot(), commit: sha }).toString() });
    const doc = await vscode.workspace.openTextDocument(uri);
    const text = doc.getText();
    assert.match(text, new RegExp(`^commit ${sha}`, 'm'));
    assert.match(text, /^AI provenance$/m);
    assert.match(text, /AI lines: \d+ of \d+ added/);
  });
});
