/**
 * Charts of the report as SVG text: a line chart (a share over time) and horizontal stacked
 * bars (counts by folder, by tool and model, in critical paths). Pure string building, so the
 * report needs no chart library and no script to draw.
 *
 * Colours are never written into the SVG: marks carry classes (`aip-k-ai`, `aip-k-mixed`, …)
 * and {@link chartCss} maps them to VS Code's theme colours (`--vscode-charts-blue`, …). So a
 * chart follows the light, dark and high-contrast themes, and the webview's Content Security
 * Policy can forbid inline style attributes (they would need `'unsafe-inline'`).
 */

/** Series classes: the kinds of lines, and a palette for anything else. */
export type SeriesClass = 'ai' | 'mixed' | 'unknown' | 'human' | 'share' | 'p0' | 'p1' | 'p2' | 'p3' | 'p4' | 'p5';

/** One stacked part of every bar, or one line. */
export interface Series {
  readonly name: string;
  readonly cls: SeriesClass;
  readonly values: readonly number[];
}

/** Horizontal stacked bars: one bar per category, one segment per series. */
export interface BarChartSpec {
  /** Unique in the page (ids of the title and description are derived from it). */
  readonly id: string;
  readonly title: string;
  /** Bar labels, top to bottom. */
  readonly categories: readonly string[];
  readonly series: readonly Series[];
  /** The value axis' label, e.g. "added lines". */
  readonly valueLabel: string;
  readonly width?: number;
}

/** A line chart over ordered x labels (e.g. weeks). */
export interface LineChartSpec {
  readonly id: string;
  readonly title: string;
  readonly x: readonly string[];
  readonly series: readonly Series[];
  readonly xLabel: string;
  readonly yLabel: string;
  /** Values are fractions shown as percent, on an axis from 0 to 100 %. */
  readonly percent?: boolean;
  readonly width?: number;
  readonly height?: number;
}

/** Escapes text for XML/HTML content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** An integer with thin-space-free thousands separators (`12,345`), independent of locale. */
export function formatCount(n: number): string {
  const s = String(Math.round(Math.abs(n)));
  return (n < 0 ? '-' : '') + s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A fraction as a percent with one decimal (`42.5 %`). */
export function formatPercent(f: number): string {
  return `${(Math.round(f * 1000) / 10).toFixed(1)} %`;
}

/** Round tick values from 0 covering `max`: steps of 1, 2 or 5 × 10^k, about `count` of them. */
export function niceTicks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const ticks: number[] = [];
  for (let v = 0; v < max + step * 0.999; v += step) ticks.push(Math.round(v * 1e9) / 1e9);
  return ticks;
}

const r1 = (x: number): string => String(Math.round(x * 10) / 10);

/** Cuts a label to `max` characters, keeping its end (the file or folder name). */
function clip(label: string, max: number): string {
  return label.length <= max ? label : '…' + label.slice(label.length - max + 1);
}

function legend(series: readonly Series[], x: number, y: number): string {
  let out = '';
  let at = x;
  for (const s of series) {
    out += `<rect class="aip-k-${s.cls}" x="${r1(at)}" y="${r1(y - 9)}" width="10" height="10"/>`;
    out += `<text class="aip-legend" x="${r1(at + 14)}" y="${r1(y)}">${escapeXml(s.name)}</text>`;
    at += 14 + s.name.length * 6.5 + 18;
  }
  return `<g class="aip-legend-group">${out}</g>`;
}

function open(id: string, title: string, desc: string, width: number, height: number): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="aip-chart" role="img" aria-labelledby="${id}-title ${id}-desc" ` +
    `viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">` +
    `<title id="${id}-title">${escapeXml(title)}</title><desc id="${id}-desc">${escapeXml(desc)}</desc>`
  );
}

/**
 * Horizontal stacked bars with a value axis (ticks, grid, label), category labels on the left,
 * each segment titled with its count (a tooltip), each bar's total at its end, and a legend.
 */
export function barChart(spec: BarChartSpec): string {
  const width = spec.width ?? 640;
  // Room for the longest label (about 6.5 px a character at 11 px), within a third of the width.
  const maxChars = Math.max(8, Math.min(36, Math.floor((width / 3 - 8) / 6.5)));
  const longest = Math.max(4, ...spec.categories.map((c) => Math.min(c.length, maxChars)));
  const labelWidth = Math.round(longest * 6.5 + 12);
  const right = 60;
  const top = 28;
  const barH = 18;
  const gap = 8;
  const n = spec.categories.length;
  const plotW = width - labelWidth - right;
  const plotH = Math.max(1, n) * (barH + gap);
  const height = top + plotH + 44;
  const totals = spec.categories.map((_, i) => spec.series.reduce((s, se) => s + (se.values[i] ?? 0), 0));
  const ticks = niceTicks(Math.max(0, ...totals));
  const max = ticks[ticks.length - 1]!;
  const sx = (v: number): number => labelWidth + (v / max) * plotW;
  const desc = spec.categories.map((c, i) => `${c}: ${spec.series.map((s) => `${s.name} ${formatCount(s.values[i] ?? 0)}`).join(', ')}`).join('; ');
  let out = open(spec.id, spec.title, desc || 'no data', width, height);
  out += legend(spec.series, labelWidth, 14);
  for (const t of ticks) {
    const x = sx(t);
    out += `<line class="aip-grid" x1="${r1(x)}" y1="${top}" x2="${r1(x)}" y2="${top + plotH}"/>`;
    out += `<text class="aip-tick" x="${r1(x)}" y="${top + plotH + 14}" text-anchor="middle">${formatCount(t)}</text>`;
  }
  out += `<text class="aip-axis-label" x="${r1(labelWidth + plotW / 2)}" y="${top + plotH + 34}" text-anchor="middle">${escapeXml(spec.valueLabel)}</text>`;
  spec.categories.forEach((cat, i) => {
    const y = top + i * (barH + gap) + gap / 2;
    out += `<text class="aip-cat" x="${labelWidth - 8}" y="${r1(y + barH / 2 + 4)}" text-anchor="end"><title>${escapeXml(cat)}</title>${escapeXml(clip(cat, maxChars))}</text>`;
    let at = 0;
    for (const s of spec.series) {
      const v = s.values[i] ?? 0;
      if (v <= 0) continue;
      out += `<rect class="aip-k-${s.cls}" x="${r1(sx(at))}" y="${r1(y)}" width="${r1(Math.max(0.5, sx(at + v) - sx(at)))}" height="${barH}"><title>${escapeXml(`${cat} — ${s.name}: ${formatCount(v)}`)}</title></rect>`;
      at += v;
    }
    out += `<text class="aip-value" x="${r1(sx(at) + 4)}" y="${r1(y + barH / 2 + 4)}">${formatCount(totals[i]!)}</text>`;
  });
  out += `<line class="aip-axis" x1="${labelWidth}" y1="${top}" x2="${labelWidth}" y2="${top + plotH}"/>`;
  return out + '</svg>';
}

/**
 * A line chart with a y axis (ticks, grid, label), x labels thinned to fit, a dot per point
 * titled with its value, and a legend. Points with no value (a bucket without added lines)
 * break the line.
 */
export function lineChart(spec: LineChartSpec): string {
  const width = spec.width ?? 640;
  const height = spec.height ?? 260;
  const left = 56;
  const right = 16;
  const top = 28;
  const bottom = 58;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const n = spec.x.length;
  const values = spec.series.flatMap((s) => s.values.filter((v) => Number.isFinite(v)));
  const ticks = spec.percent ? [0, 0.2, 0.4, 0.6, 0.8, 1] : niceTicks(Math.max(0, ...values));
  const max = ticks[ticks.length - 1]!;
  const sx = (i: number): number => left + (n <= 1 ? plotW / 2 : (i / (n - 1)) * plotW);
  const sy = (v: number): number => top + plotH - (v / max) * plotH;
  const fmt = (v: number): string => (spec.percent ? formatPercent(v) : formatCount(v));
  const desc = spec.series.map((s) => `${s.name}: ${spec.x.map((x, i) => `${x} ${Number.isFinite(s.values[i]) ? fmt(s.values[i]!) : 'none'}`).join(', ')}`).join('; ');
  let out = open(spec.id, spec.title, desc || 'no data', width, height);
  out += legend(spec.series, left, 14);
  for (const t of ticks) {
    const y = sy(t);
    out += `<line class="aip-grid" x1="${left}" y1="${r1(y)}" x2="${left + plotW}" y2="${r1(y)}"/>`;
    out += `<text class="aip-tick" x="${left - 6}" y="${r1(y + 4)}" text-anchor="end">${spec.percent ? `${Math.round(t * 100)} %` : formatCount(t)}</text>`;
  }
  out += `<text class="aip-axis-label" transform="translate(14 ${r1(top + plotH / 2)}) rotate(-90)" text-anchor="middle">${escapeXml(spec.yLabel)}</text>`;
  // About one x label per 70 px. The last one always shows; it replaces the one before it
  // when the two would crowd each other.
  const every = Math.max(1, Math.ceil(n / Math.max(1, Math.floor(plotW / 70))));
  const shown: number[] = [];
  for (let i = 0; i < n; i += every) shown.push(i);
  if (n > 0 && shown[shown.length - 1] !== n - 1) {
    if (shown.length > 1 && n - 1 - shown[shown.length - 1]! < every / 2) shown.pop();
    shown.push(n - 1);
  }
  for (const i of shown) out += `<text class="aip-tick" x="${r1(sx(i))}" y="${top + plotH + 16}" text-anchor="middle">${escapeXml(spec.x[i]!)}</text>`;
  out += `<text class="aip-axis-label" x="${r1(left + plotW / 2)}" y="${height - 10}" text-anchor="middle">${escapeXml(spec.xLabel)}</text>`;
  out += `<line class="aip-axis" x1="${left}" y1="${top + plotH}" x2="${left + plotW}" y2="${top + plotH}"/>`;
  // The first series is drawn last, so it stays on top where lines overlap.
  for (const s of [...spec.series].reverse()) {
    let d = '';
    let pen = false;
    s.values.forEach((v, i) => {
      if (!Number.isFinite(v)) {
        pen = false;
        return;
      }
      d += `${pen ? 'L' : 'M'}${r1(sx(i))} ${r1(sy(v))}`;
      pen = true;
    });
    if (d) out += `<path class="aip-line aip-l-${s.cls}" d="${d}"/>`;
    s.values.forEach((v, i) => {
      if (!Number.isFinite(v)) return;
      out += `<circle class="aip-k-${s.cls}" cx="${r1(sx(i))}" cy="${r1(sy(v))}" r="3"><title>${escapeXml(`${spec.x[i] ?? ''} — ${s.name}: ${fmt(v)}`)}</title></circle>`;
    });
  }
  return out + '</svg>';
}

/**
 * The chart styles: theme colours through VS Code's CSS variables (with fallbacks for a
 * browser), borders on marks in high-contrast themes (where `--vscode-contrastBorder` is set).
 */
export const chartCss = `
.aip-chart { max-width: 100%; height: auto; font-family: var(--vscode-font-family, sans-serif); }
.aip-chart text { fill: var(--vscode-foreground, #333); font-size: 11px; }
.aip-chart .aip-tick, .aip-chart .aip-value { fill: var(--vscode-descriptionForeground, #666); }
.aip-chart .aip-axis-label { font-size: 12px; }
.aip-chart .aip-grid { stroke: var(--vscode-editorWidget-border, #ccc); stroke-opacity: 0.5; stroke-width: 1; }
.aip-chart .aip-axis { stroke: var(--vscode-foreground, #333); stroke-width: 1; }
.aip-chart rect, .aip-chart circle { stroke: var(--vscode-contrastBorder, transparent); stroke-width: 1; }
.aip-chart .aip-line { fill: none; stroke-width: 2; }
.aip-k-ai { fill: var(--vscode-charts-blue, #1a85ff); }
.aip-k-mixed { fill: var(--vscode-charts-purple, #b180d7); }
.aip-k-unknown { fill: var(--vscode-charts-orange, #d18616); }
.aip-k-human { fill: var(--vscode-charts-lines, #999); fill-opacity: 0.45; }
.aip-k-share { fill: var(--vscode-charts-blue, #1a85ff); }
.aip-k-p0 { fill: var(--vscode-charts-blue, #1a85ff); }
.aip-k-p1 { fill: var(--vscode-charts-green, #388a34); }
.aip-k-p2 { fill: var(--vscode-charts-orange, #d18616); }
.aip-k-p3 { fill: var(--vscode-charts-purple, #b180d7); }
.aip-k-p4 { fill: var(--vscode-charts-red, #e51400); }
.aip-k-p5 { fill: var(--vscode-charts-yellow, #bf8803); }
.aip-l-ai, .aip-l-share, .aip-l-p0 { stroke: var(--vscode-charts-blue, #1a85ff); }
.aip-l-mixed, .aip-l-p3 { stroke: var(--vscode-charts-purple, #b180d7); }
.aip-l-unknown, .aip-l-p2 { stroke: var(--vscode-charts-orange, #d18616); }
.aip-l-human { stroke: var(--vscode-charts-lines, #999); }
.aip-l-p1 { stroke: var(--vscode-charts-green, #388a34); }
.aip-l-p4 { stroke: var(--vscode-charts-red, #e51400); }
.aip-l-p5 { stroke: var(--vscode-charts-yellow, #bf8803); }
`;
