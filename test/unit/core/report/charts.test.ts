/**
 * Unit tests of src/core/report/charts.ts: the SVG of both charts is well-formed XML, carries its
 * numbers (bar totals, tooltips, axis ticks, the description read by screen readers), escapes
 * what it is given, colours only through theme classes, and never an inline style or a
 * remote reference.
 */
import assert from 'node:assert/strict';
import { barChart, escapeXml, formatCount, formatPercent, lineChart, niceTicks } from '../../../../src/core/report/charts';
import { wellFormed } from '../../../helpers/wellFormed';

describe('charts', () => {
  describe('wellFormed (the test\'s own checker)', () => {
    it('refuses what is not well-formed', () => {
      assert.deepEqual(wellFormed('<a x="1"><b/><c>t &amp; u</c></a>'), ['a', 'b', 'c']);
      for (const bad of ['<a><b></a></b>', '<a>', '<a x=1/>', '<a>x & y</a>', '<a>1 < 2</a>']) assert.throws(() => wellFormed(bad), bad);
    });
  });

  describe('numbers', () => {
    it('formats counts with separators and percents with one decimal, whatever the locale', () => {
      assert.equal(formatCount(1234567), '1,234,567');
      assert.equal(formatCount(999), '999');
      assert.equal(formatPercent(0.4256), '42.6 %');
      assert.equal(formatPercent(1), '100.0 %');
    });

    it('picks round ticks covering the maximum', () => {
      assert.deepEqual(niceTicks(87), [0, 20, 40, 60, 80, 100]);
      assert.deepEqual(niceTicks(10), [0, 2, 4, 6, 8, 10]);
      assert.deepEqual(niceTicks(0), [0, 1]);
      const t = niceTicks(12345);
      assert.ok(t[t.length - 1]! >= 12345 && t.length <= 7, String(t));
    });
  });

  describe('barChart', () => {
    const svg = barChart({
      id: 'bars',
      title: 'Added lines by folder',
      categories: ['src/core', 'critical/<auth>', 'a/very/long/folder/name/that/does/not/fit/in/the/label/column'],
      series: [
        { name: 'AI', cls: 'ai', values: [120, 30, 5] },
        { name: 'AI, edited by hand', cls: 'mixed', values: [12, 0, 1] },
        { name: 'unknown origin', cls: 'unknown', values: [0, 7, 0] },
      ],
      valueLabel: 'added lines',
    });

    it('is well-formed SVG with a title and a description for screen readers', () => {
      const names = wellFormed(svg);
      assert.equal(names[0], 'svg');
      assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]* role="img" aria-labelledby="bars-title bars-desc"/);
      assert.match(svg, /<title id="bars-title">Added lines by folder<\/title>/);
      assert.match(svg, /<desc id="bars-desc">src\/core: AI 120, AI, edited by hand 12, unknown origin 0; critical\/&lt;auth&gt;: AI 30/);
    });

    it('shows each bar\'s total, each segment\'s count and round axis ticks', () => {
      assert.match(svg, />132<\/text>/, 'the first bar\'s total');
      assert.match(svg, />37<\/text>/);
      assert.match(svg, /<title>src\/core — AI: 120<\/title>/);
      assert.match(svg, /<title>critical\/&lt;auth&gt; — unknown origin: 7<\/title>/);
      for (const tick of ['0', '50', '100', '150']) assert.match(svg, new RegExp(`class="aip-tick"[^>]*>${tick}</text>`), tick);
      assert.match(svg, />added lines<\/text>/);
      assert.match(svg, /<\/title>…[^<]{30}<\/text>/, 'a long label is cut, keeping its end');
      assert.equal((svg.match(/<rect class="aip-k-/g) ?? []).length, 3 + 6, 'three legend swatches and one rect per non-zero segment');
    });

    it('colours through theme classes only: no inline style, no colour literal, nothing remote', () => {
      assert.doesNotMatch(svg, /style=|fill="#|stroke="#|href=|url\(/);
      assert.match(svg, /class="aip-k-ai"/);
    });

    it('draws an empty chart without failing', () => {
      wellFormed(barChart({ id: 'e', title: 'Empty', categories: [], series: [], valueLabel: 'lines' }));
    });
  });

  describe('lineChart', () => {
    const x = ['01-05', '01-12', '01-19', '01-26', '02-02'];
    const svg = lineChart({
      id: 'line',
      title: 'AI share',
      x,
      series: [{ name: 'AI', cls: 'ai', values: [0.25, 0.5, NaN, 0.125, 1] }],
      xLabel: 'week',
      yLabel: 'share of added lines',
      percent: true,
    });

    it('is well-formed, with percent ticks, a dot per point titled with its value, and a broken line over gaps', () => {
      wellFormed(svg);
      for (const t of ['0 %', '20 %', '100 %']) assert.match(svg, new RegExp(`>${t}</text>`));
      assert.match(svg, /<title>01-05 — AI: 25\.0 %<\/title>/);
      assert.match(svg, /<title>02-02 — AI: 100\.0 %<\/title>/);
      assert.equal((svg.match(/<circle /g) ?? []).length, 4, 'no dot where there is no value');
      const d = /<path class="aip-line aip-l-ai" d="([^"]+)"/.exec(svg)![1]!;
      assert.equal((d.match(/M/g) ?? []).length, 2, 'the gap starts a new segment');
      assert.match(svg, /<desc id="line-desc">AI: 01-05 25\.0 %, 01-12 50\.0 %, 01-19 none/);
      assert.match(svg, /rotate\(-90\)"[^>]*>share of added lines</);
    });

    it('thins x labels to fit and keeps the last', () => {
      const many = Array.from({ length: 60 }, (_, i) => `w${i}`);
      const s = lineChart({ id: 'm', title: 't', x: many, series: [{ name: 'AI', cls: 'ai', values: many.map((_, i) => i) }], xLabel: 'week', yLabel: 'lines' });
      wellFormed(s);
      const shown = [...s.matchAll(/class="aip-tick"[^>]*text-anchor="middle">(w\d+)</g)].map((m) => m[1]);
      assert.ok(shown.length >= 5 && shown.length <= 12, String(shown.length));
      assert.equal(shown[0], 'w0');
      assert.equal(shown[shown.length - 1], 'w59');
    });
  });

  it('escapes all five XML specials', () => {
    assert.equal(escapeXml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
