/**
 * The report's page: summary, four charts (SVG from src/core/report/charts.ts), a table behind each
 * chart, and commit hashes that ask the extension to open the commit. No `vscode` import: the
 * page is a string, built from the model, the webview's CSP source and a nonce, so it can be
 * checked without an editor.
 *
 * Security: a strict Content Security Policy (no remote content, no inline style attributes,
 * only the nonce'd style and script), and every text from the repository (paths, subjects,
 * author names, tool names) is escaped.
 */
import type { Series } from '../../core/report/charts';
import { barChart, chartCss, escapeXml, formatCount, formatPercent, lineChart } from '../../core/report/charts';
import type { CommitRow, GroupRow, ReportModel } from '../../core/report/reportModel';
import type { Counts } from '../../core/report/stats';
import { aiShare } from '../../core/report/stats';

/** Messages the page posts to the extension. */
export type ReportMessage =
  | { readonly type: 'painted'; readonly charts: number }
  | { readonly type: 'openCommit'; readonly commit: string }
  | { readonly type: 'refresh' };

/** What the page needs besides the model. */
export interface PageOptions {
  /** `webview.cspSource`. */
  readonly cspSource: string;
  /** A fresh random nonce for this page's style and script. */
  readonly nonce: string;
  /** The repository's name, for the heading. */
  readonly repoName: string;
  /** Where critical paths come from, said under the critical chart (e.g. `.ai-provenance.json`). */
  readonly criticalSource: string;
}

/** The Content Security Policy of the page. */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return `default-src 'none'; style-src ${cspSource} 'nonce-${nonce}'; script-src 'nonce-${nonce}'; img-src ${cspSource} data:; font-src ${cspSource}`;
}

const pageCss = `
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); background: var(--vscode-editor-background); padding: 0 16px 24px; }
h1 { font-size: 1.4em; font-weight: 600; margin: 14px 0 4px; }
h2 { font-size: 1.1em; font-weight: 600; margin: 0 0 6px; }
.aip-sub { color: var(--vscode-descriptionForeground); margin: 0 0 12px; }
.aip-summary { display: flex; flex-wrap: wrap; gap: 8px 28px; margin: 8px 0 14px; }
.aip-figure { display: flex; flex-direction: column; }
.aip-figure b { font-size: 1.5em; font-weight: 600; }
.aip-figure span { color: var(--vscode-descriptionForeground); }
.aip-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(460px, 1fr)); gap: 16px; }
section { border: 1px solid var(--vscode-panel-border, var(--vscode-editorWidget-border, transparent)); border-radius: 4px; padding: 10px 12px; min-width: 0; }
.aip-note { color: var(--vscode-descriptionForeground); margin: 4px 0; }
details { margin-top: 6px; }
summary { cursor: pointer; color: var(--vscode-textLink-foreground); }
table { border-collapse: collapse; margin-top: 6px; width: 100%; }
th, td { text-align: left; padding: 2px 8px 2px 0; border-bottom: 1px solid var(--vscode-editorWidget-border, transparent); }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
button.aip-commit, button.aip-action { font-family: var(--vscode-editor-font-family); background: none; border: none; padding: 0; color: var(--vscode-textLink-foreground); cursor: pointer; text-decoration: underline; }
button.aip-action { font-family: var(--vscode-font-family); }
button.aip-commit:focus, button.aip-action:focus, summary:focus { outline: 1px solid var(--vscode-focusBorder); }
.aip-top { display: flex; justify-content: space-between; align-items: baseline; }
`;

const pageScript = `
const vscode = acquireVsCodeApi();
document.addEventListener('click', (e) => {
  const el = e.target instanceof Element ? e.target.closest('[data-commit]') : null;
  if (el) { e.preventDefault(); vscode.postMessage({ type: 'openCommit', commit: el.getAttribute('data-commit') }); return; }
  const refresh = e.target instanceof Element ? e.target.closest('[data-action="refresh"]') : null;
  if (refresh) vscode.postMessage({ type: 'refresh' });
});
// Two frames: the first is laid out, the second is on screen.
requestAnimationFrame(() => requestAnimationFrame(() => {
  vscode.postMessage({ type: 'painted', charts: document.querySelectorAll('svg.aip-chart').length });
}));
`;

function countsCells(c: Counts, withAdded = true): string {
  const cells = withAdded ? [c.added, c.ai, c.mixed, c.unknown] : [c.ai, c.mixed, c.unknown];
  return cells.map((n) => `<td class="n">${formatCount(n)}</td>`).join('') + (withAdded ? `<td class="n">${c.added > 0 ? formatPercent(aiShare(c)) : '–'}</td>` : '');
}

const countsHead = '<th class="n">Added</th><th class="n">AI</th><th class="n">Edited</th><th class="n">Unknown</th><th class="n">AI share</th>';

function commitButton(commit: string): string {
  return `<button type="button" class="aip-commit" data-commit="${escapeXml(commit)}" title="Open commit ${escapeXml(commit)}">${escapeXml(commit.slice(0, 8))}</button>`;
}

function table(head: string, rows: string[], summary = 'Table'): string {
  return `<details><summary>${escapeXml(summary)}</summary><table><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table></details>`;
}

function kindSeries(rows: readonly GroupRow[], withHuman: boolean): Series[] {
  const s: Series[] = [
    { name: 'AI', cls: 'ai', values: rows.map((r) => r.counts.ai) },
    { name: 'AI, edited by hand', cls: 'mixed', values: rows.map((r) => r.counts.mixed) },
    { name: 'unknown origin', cls: 'unknown', values: rows.map((r) => r.counts.unknown) },
  ];
  if (withHuman) s.push({ name: 'not attributed', cls: 'human', values: rows.map((r) => Math.max(0, r.counts.added - r.counts.ai - r.counts.mixed - r.counts.unknown)) });
  return s;
}

function commitRows(rows: readonly CommitRow[]): string[] {
  return rows.map((c) => `<tr><td>${commitButton(c.commit)}</td><td>${escapeXml(c.day)}</td><td>${escapeXml(c.subject)}</td><td>${escapeXml(c.author.replace(/\s*<[^>]*>$/, ''))}</td>${countsCells(c.counts)}</tr>`);
}

/** The whole page. */
export function renderReport(model: ReportModel, opts: PageOptions): string {
  const t = model.total;
  const nonce = escapeXml(opts.nonce);
  const figures = [
    [formatCount(model.commits), 'commits'],
    [formatCount(t.added), 'lines added'],
    [t.added > 0 ? formatPercent(aiShare(t)) : '–', 'written by AI'],
    [formatCount(t.ai), 'AI lines as written'],
    [formatCount(t.mixed), 'AI lines edited by hand'],
    [formatCount(t.unknown), 'lines of unknown origin'],
  ];
  const span = model.span ? `${model.span.from} to ${model.span.to}` : 'no commits';
  const sub = `${escapeXml(span)} · ${formatCount(model.commitsWithNotes)} commits with a provenance note, ${formatCount(model.commitsWithTrailers)} with only an agent named in the message`;

  // 1. Share over time.
  const bucketName = model.bucket === 'day' ? 'day' : model.bucket === 'week' ? 'week (from Monday)' : 'month';
  const time = lineChart({
    id: 'aip-time',
    title: `AI share of added lines by ${model.bucket}`,
    x: model.overTime.map((p) => (model.bucket === 'month' ? p.bucket.slice(0, 7) : p.bucket.slice(5))),
    series: [
      { name: 'AI (as written or edited)', cls: 'ai', values: model.overTime.map((p) => (p.share === undefined ? NaN : p.share)) },
      { name: 'including unknown origin', cls: 'unknown', values: model.overTime.map((p) => (p.counts.added > 0 ? (p.counts.ai + p.counts.mixed + p.counts.unknown) / p.counts.added : NaN)) },
    ],
    xLabel: bucketName,
    yLabel: 'share of added lines',
    percent: true,
  });
  const timeTable = table(
    `<th>${escapeXml(model.bucket === 'week' ? 'Week of' : model.bucket === 'day' ? 'Day' : 'Month')}</th><th class="n">Commits</th>${countsHead}`,
    model.overTime.map((p) => `<tr><td>${escapeXml(p.bucket)}</td><td class="n">${formatCount(p.commits)}</td>${countsCells(p.counts)}</tr>`),
  );

  // 2. By folder.
  const folders = barChart({ id: 'aip-folders', title: 'Added lines by folder', categories: model.byFolder.map((r) => r.key), series: kindSeries(model.byFolder, true), valueLabel: 'added lines' });
  const folderTable = table(`<th>Folder</th>${countsHead}`, model.byFolder.map((r) => `<tr><td>${escapeXml(r.key)}</td>${countsCells(r.counts)}</tr>`));

  // 3. By tool and model.
  const tools = barChart({ id: 'aip-tools', title: 'AI lines by tool and model', categories: model.byTool.map((r) => r.key), series: kindSeries(model.byTool, false), valueLabel: 'attributed lines' });
  const toolTable = table(
    '<th>Tool</th><th>Model</th><th class="n">AI</th><th class="n">Edited</th><th class="n">Unknown</th>',
    model.byTool.map((r) => `<tr><td>${escapeXml(r.tool)}</td><td>${escapeXml(r.model ?? 'unknown')}</td>${countsCells(r.counts, false)}</tr>`),
  );

  // 4. Critical paths.
  let critical: string;
  if (!model.critical) {
    critical = `<p class="aip-note">No critical paths are set. List them in <code>${escapeXml(opts.criticalSource)}</code> to see the AI lines in them here.</p>`;
  } else if (model.critical.files.length === 0) {
    critical = `<p class="aip-note">No AI-written line in a critical path (${escapeXml(opts.criticalSource)}).</p>`;
  } else {
    const c = model.critical;
    critical =
      `<p class="aip-note">${formatCount(c.total.ai + c.total.mixed + c.total.unknown)} attributed lines in ${formatCount(c.files.length)} critical file(s), as ${escapeXml(opts.criticalSource)} defines them.</p>` +
      barChart({ id: 'aip-critical', title: 'AI lines in critical paths', categories: c.files.map((f) => f.key), series: kindSeries(c.files, false), valueLabel: 'attributed lines' }) +
      table(
        '<th>File</th><th>Commit</th><th>Day</th><th>Subject</th><th class="n">Added</th><th class="n">AI</th><th class="n">Edited</th><th class="n">Unknown</th><th class="n">AI share</th>',
        c.files.flatMap((f) =>
          f.commits.map((r) => `<tr><td>${escapeXml(f.key)}</td><td>${commitButton(r.commit)}</td><td>${escapeXml(r.day)}</td><td>${escapeXml(r.subject)}</td>${countsCells(r.counts)}</tr>`),
        ),
      );
  }

  const top =
    model.topCommits.length > 0
      ? table(`<th>Commit</th><th>Day</th><th>Subject</th><th>Author</th>${countsHead}`, commitRows(model.topCommits), 'Commits with the most AI lines')
      : '';

  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeXml(contentSecurityPolicy(opts.cspSource, opts.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>AI Provenance Report</title>
<style nonce="${nonce}">${pageCss}${chartCss}</style>
</head>
<body>
<div class="aip-top"><h1>AI Provenance — ${escapeXml(opts.repoName)}</h1><button type="button" class="aip-action" data-action="refresh">Refresh</button></div>
<p class="aip-sub">${sub}</p>
<div class="aip-summary">${figures.map(([v, l]) => `<div class="aip-figure"><b>${v}</b><span>${l}</span></div>`).join('')}</div>
<div class="aip-grid">
<section aria-labelledby="h-time"><h2 id="h-time">AI share over time</h2>${time}${timeTable}</section>
<section aria-labelledby="h-critical"><h2 id="h-critical">AI lines in critical paths</h2>${critical}</section>
<section aria-labelledby="h-tools"><h2 id="h-tools">By tool and model</h2>${tools}${toolTable}</section>
<section aria-labelledby="h-folders"><h2 id="h-folders">By folder</h2>${folders}${folderTable}</section>
</div>
${top ? `<section class="aip-commits" aria-label="Commits">${top}</section>` : ''}
<script nonce="${nonce}">${pageScript}</script>
</body>
</html>`;
}
