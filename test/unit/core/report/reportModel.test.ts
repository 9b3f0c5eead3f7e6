/**
 * Unit tests of src/core/report/reportModel.ts (the report's series: share over time with empty
 * buckets kept, folders, tools and models, critical paths through a predicate, the commits
 * behind them) and of the page built from it (src/vscode/report/reportHtml.ts, which imports
 * no `vscode`): strict CSP, nonce'd style and script only, nothing remote, every repository
 * text escaped, a table behind each chart, commit buttons.
 */
import assert from 'node:assert/strict';
import { bucketOf, buildReportModel, folderOf } from '../../../../src/core/report/reportModel';
import type { CommitStat, StatCell } from '../../../../src/core/report/stats';
import { aggregate } from '../../../../src/core/report/stats';
import { contentSecurityPolicy, renderReport } from '../../../../src/vscode/report/reportHtml';
import { wellFormed } from '../../../helpers/wellFormed';

const sha = (n: number): string => n.toString(16).padStart(40, '0');

function stat(n: number, day: string, files: Array<[string, number, StatCell[]]>, subject = `commit ${n}`): CommitStat {
  return {
    commit: sha(n),
    time: Date.parse(`${day}T12:00:00Z`),
    day,
    author: n % 2 ? 'Ann <ann@example.com>' : 'Bob <bob@example.com>',
    subject,
    added: files.reduce((s, f) => s + f[1], 0),
    evidence: files.some((f) => f[2].length > 0) ? 'note' : 'none',
    files: files.map(([path, added, cells]) => ({ path, added, cells })),
  };
}

const ai = (tool: string, lines: number, model?: string): StatCell => ({ kind: 'ai', tool, model, lines });
const mixed = (tool: string, lines: number, model?: string): StatCell => ({ kind: 'mixed', tool, model, lines });
const unknown = (tool: string, lines: number): StatCell => ({ kind: 'unknown', tool, model: undefined, lines });

const history: CommitStat[] = [
  stat(1, '2026-01-05', [['src/core/a.ts', 40, [ai('Claude Code', 20, 'claude-sonnet-4-5'), mixed('Claude Code', 5, 'claude-sonnet-4-5')]]]),
  stat(2, '2026-01-07', [['src/ui/view.ts', 10, [ai('github.copilot', 4)]], ['README.md', 5, []]]),
  // Nothing in the week of 2026-01-12.
  stat(3, '2026-01-20', [['src/payments/pay.ts', 30, [ai('Cursor', 12, 'gpt-5'), unknown('Claude', 3)]]], 'pay <fast> & "safe"'),
  stat(4, '2026-01-22', [['src/payments/refund.ts', 8, [ai('Claude Code', 8, 'claude-sonnet-4-5')]]]),
  stat(5, '2026-01-29', [['docs/guide.md', 12, []]]),
];
const isCritical = (p: string): boolean => p.startsWith('src/payments/');

describe('reportModel', () => {
  describe('buckets and folders', () => {
    it('starts weeks on Monday and months on the 1st', () => {
      assert.equal(bucketOf('2026-01-01', 'week'), '2025-12-29');
      assert.equal(bucketOf('2026-01-05', 'week'), '2026-01-05');
      assert.equal(bucketOf('2026-01-11', 'week'), '2026-01-05');
      assert.equal(bucketOf('2026-02-17', 'month'), '2026-02-01');
      assert.equal(bucketOf('2026-02-17', 'day'), '2026-02-17');
    });

    it('takes a folder as the first segments of a path', () => {
      assert.equal(folderOf('src/core/deep/a.ts', 2), 'src/core');
      assert.equal(folderOf('src/a.ts', 2), 'src');
      assert.equal(folderOf('README.md', 2), '(root)');
      assert.equal(folderOf('a/b/c.ts', 1), 'a');
    });
  });

  describe('buildReportModel', () => {
    const m = buildReportModel(history, { bucket: 'week', isCritical });

    it('has the same totals as stats', () => {
      assert.deepEqual(m.total, aggregate(history, 'path').total);
      assert.equal(m.commits, 5);
      assert.equal(m.commitsWithNotes, 4);
      assert.deepEqual(m.span, { from: '2026-01-05', to: '2026-01-29' });
    });

    it('gives the share per week, empty weeks included without a share', () => {
      assert.deepEqual(m.overTime.map((p) => p.bucket), ['2026-01-05', '2026-01-12', '2026-01-19', '2026-01-26']);
      assert.deepEqual(m.overTime.map((p) => p.commits), [2, 0, 2, 1]);
      assert.equal(m.overTime[0]!.share, (20 + 5 + 4) / 55);
      assert.equal(m.overTime[1]!.share, undefined);
      assert.equal(m.overTime[2]!.share, 20 / 38, 'unknown lines are not in the AI share');
      assert.equal(m.overTime[3]!.share, 0);
    });

    it('picks days for a short history, weeks for a longer one, months beyond two years', () => {
      assert.equal(buildReportModel(history).bucket, 'day');
      assert.equal(buildReportModel([...history, stat(9, '2026-06-01', [['x', 1, []]])]).bucket, 'week');
      assert.equal(buildReportModel([...history, stat(9, '2029-06-01', [['x', 1, []]])]).bucket, 'month');
      assert.equal(buildReportModel(history).overTime.length, 25, 'every day from the first to the last');
    });

    it('groups by folder, largest first, and sums the tail into "other"', () => {
      assert.deepEqual(m.byFolder.map((r) => [r.key, r.counts.added]), [['src/core', 40], ['src/payments', 38], ['docs', 12], ['src/ui', 10], ['(root)', 5]]);
      const few = buildReportModel(history, { maxRows: 3 });
      assert.equal(few.byFolder.length, 3);
      assert.equal(few.byFolder[2]!.key, 'other (3 folders)');
      assert.equal(few.byFolder.reduce((s, r) => s + r.counts.added, 0), m.total.added);
    });

    it('groups by tool and model, most attributed lines first', () => {
      assert.deepEqual(
        m.byTool.map((r) => [r.key, r.counts.ai, r.counts.mixed, r.counts.unknown]),
        [
          ['Claude Code · claude-sonnet-4-5', 28, 5, 0],
          ['Cursor · gpt-5', 12, 0, 0],
          ['github.copilot', 4, 0, 0],
          ['Claude', 0, 0, 3],
        ],
      );
    });

    it('lists the AI lines of critical paths with their commits, only with a predicate', () => {
      assert.deepEqual(m.critical!.total, { added: 38, ai: 20, mixed: 0, unknown: 3 });
      assert.deepEqual(m.critical!.files.map((f) => [f.key, f.commits.map((c) => c.commit)]), [['src/payments/pay.ts', [sha(3)]], ['src/payments/refund.ts', [sha(4)]]]);
      assert.equal(buildReportModel(history).critical, undefined);
      assert.deepEqual(buildReportModel(history, { isCritical: () => false }).critical, { total: { added: 0, ai: 0, mixed: 0, unknown: 0 }, files: [] });
    });

    it('ranks the commits with the most attributed lines', () => {
      assert.deepEqual(m.topCommits.map((c) => c.commit), [sha(1), sha(3), sha(4), sha(2)]);
      assert.equal(buildReportModel(history, { maxCommits: 2 }).topCommits.length, 2);
    });

    it('is empty for no commits', () => {
      const e = buildReportModel([]);
      assert.equal(e.span, undefined);
      assert.deepEqual(e.overTime, []);
      assert.deepEqual(e.byFolder, []);
    });
  });

  describe('the report page', () => {
    const model = buildReportModel(history, { bucket: 'week', isCritical });
    const page = renderReport(model, { cspSource: 'vscode-webview://abc', nonce: 'n0nce123', repoName: 'demo <repo>', criticalSource: '.ai-provenance.json' });

    it('sets a strict Content Security Policy: nothing remote, only the nonce\'d style and script', () => {
      const csp = contentSecurityPolicy('vscode-webview://abc', 'n0nce123');
      assert.equal(csp, "default-src 'none'; style-src vscode-webview://abc 'nonce-n0nce123'; script-src 'nonce-n0nce123'; img-src vscode-webview://abc data:; font-src vscode-webview://abc");
      assert.ok(page.includes(`<meta http-equiv="Content-Security-Policy" content="${csp.replace(/'/g, '&#39;')}">`));
      assert.deepEqual(page.match(/<(script|style)\b[^>]*>/g), ['<style nonce="n0nce123">', '<script nonce="n0nce123">']);
      assert.doesNotMatch(page, /\sstyle=|\son[a-z]+=|<img|<link|<iframe|src=|https?:\/\/(?!www\.w3\.org\/2000\/svg")/);
    });

    it('escapes repository text', () => {
      assert.ok(page.includes('AI Provenance — demo &lt;repo&gt;'));
      assert.ok(page.includes('pay &lt;fast&gt; &amp; &quot;safe&quot;'));
      assert.doesNotMatch(page, /pay <fast>/);
    });

    it('has four charts, each well-formed and with a table behind it, and commit buttons', () => {
      const svgs = page.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
      assert.equal(svgs.length, 4);
      for (const s of svgs) wellFormed(s);
      for (const id of ['h-time', 'h-critical', 'h-tools', 'h-folders']) assert.match(page, new RegExp(`<section aria-labelledby="${id}">`));
      assert.equal((page.match(/<details><summary>Table<\/summary><table>/g) ?? []).length, 4);
      assert.match(page, /<summary>Commits with the most AI lines<\/summary>/);
      assert.match(page, new RegExp(`<button type="button" class="aip-commit" data-commit="${sha(3)}"[^>]*>${sha(3).slice(0, 8)}</button>`));
      assert.match(page, /<b>46\.7 %<\/b><span>written by AI<\/span>/, '49 of 105 added lines, AI as written or edited');
    });

    it('says where critical paths come from when there are none', () => {
      const none = renderReport(buildReportModel(history), { cspSource: 'c', nonce: 'n', repoName: 'r', criticalSource: '.ai-provenance.json' });
      assert.match(none, /No critical paths are set\. List them in <code>\.ai-provenance\.json<\/code>/);
      assert.equal((none.match(/<svg/g) ?? []).length, 3);
    });
  });
});
