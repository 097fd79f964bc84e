// The report panel under VS Code's light and high-contrast themes: the theme's variables set on the
// page as VS Code sets them (body class and --vscode-* custom properties), then the contrast of text
// and chart colours measured in Chromium (WCAG 2.1: 4.5:1 for text, 3:1 for chart shapes).
import * as assert from 'assert';
import type { Browser, Page } from 'playwright-core';
import type { ReportViewData } from '../../src/core/report/view';
import { demoData, launch, openPanel } from './browser';

// Approximations of VS Code's "Light Modern" and "Dark High Contrast" colours (the variables the
// panel reads); what matters is that the panel follows them and keeps its contrast with them.
const THEMES: Record<string, { bodyClass: string; vars: Record<string, string> }> = {
  light: {
    bodyClass: 'vscode-light',
    vars: {
      foreground: '#3b3b3b', 'editor-background': '#ffffff', descriptionForeground: '#3b3b3b', 'panel-border': '#e5e5e5',
      'list-hoverBackground': '#f2f2f2', 'list-activeSelectionBackground': '#e8e8e8', 'list-activeSelectionForeground': '#000000', focusBorder: '#005fb8',
      'charts-blue': '#1a85ff', 'charts-orange': '#d18616', 'charts-green': '#388a34', 'charts-purple': '#652d90', 'charts-yellow': '#bf8803', 'charts-red': '#e51400', 'charts-lines': '#3b3b3b80',
      'editorWarning-foreground': '#bf8803', errorForeground: '#f85149', 'button-background': '#005fb8', 'button-foreground': '#ffffff',
    },
  },
  'high contrast': {
    bodyClass: 'vscode-high-contrast',
    vars: {
      foreground: '#ffffff', 'editor-background': '#000000', descriptionForeground: '#ffffff', contrastBorder: '#6fc3df', contrastActiveBorder: '#f38518',
      'list-hoverBackground': '#000000', 'list-activeSelectionBackground': '#000000', 'list-activeSelectionForeground': '#ffffff', focusBorder: '#f38518',
      'charts-blue': '#3794ff', 'charts-orange': '#d18616', 'charts-green': '#89d185', 'charts-purple': '#b180d7', 'charts-yellow': '#cca700', 'charts-red': '#f48771', 'charts-lines': '#ffffff80',
      'editorWarning-foreground': '#ffd370', errorForeground: '#f48771', 'button-background': '#000000', 'button-foreground': '#ffffff', 'button-border': '#6fc3df',
    },
  },
};

interface Measured { what: string; ratio: number }

/** Contrast ratios measured in the page: text against its background, chart shapes against the page (or their outline). */
async function measure(page: Page): Promise<{ text: Measured[]; shapes: Measured[] }> {
  return page.evaluate(`(() => {
    const rgb = (c) => { const m = /rgba?\\(([^)]+)\\)/.exec(c); if (!m) return null; const [r, g, b, a = 1] = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number); return { r, g, b, a }; };
    const lum = ({ r, g, b }) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }; return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
    const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
    const over = (top, under) => ({ r: top.r * top.a + under.r * (1 - top.a), g: top.g * top.a + under.g * (1 - top.a), b: top.b * top.a + under.b * (1 - top.a), a: 1 });
    const page = rgb(getComputedStyle(document.body).backgroundColor);
    const bgOf = (el) => { for (let e = el; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor); if (c && c.a > 0) return over(c, page); } return page; };
    const text = [];
    const sample = (sel, what) => document.querySelectorAll(sel).forEach((el, i) => { if (i > 3 || !el.textContent.trim()) return; const s = getComputedStyle(el); const fg = rgb(s.color); if (fg) text.push({ what: what + ' "' + el.textContent.trim().slice(0, 20) + '"', ratio: ratio(over(fg, bgOf(el)), bgOf(el)) }); });
    sample('h1', 'title'); sample('.stat-value', 'total'); sample('.stat-label', 'total label'); sample('.muted', 'muted text');
    sample('[role=columnheader] button', 'column header'); sample('[role=gridcell]', 'cell'); sample('figcaption', 'chart caption'); sample('.legend li', 'legend');
    // SVG text: its fill against the page, or against its halo (stroke) where it sits on a coloured tile.
    document.querySelectorAll('.chart text').forEach((el, i) => { if (i > 12) return; const s = getComputedStyle(el); const fg = rgb(s.fill); const halo = rgb(s.stroke); const width = parseFloat(s.strokeWidth) || 0;
      const against = el.classList.contains('tile') ? (halo && width >= 2 && s.paintOrder.startsWith('stroke') ? over(halo, page) : rgb(getComputedStyle(el.parentElement.querySelector('rect')).fill)) : page;
      text.push({ what: 'chart text "' + el.textContent.slice(0, 20) + '"', ratio: ratio(over(fg, against), against) }); });
    const shapes = [];
    document.querySelectorAll('.chart rect.fill').forEach((el, i) => { const s = getComputedStyle(el); const fill = rgb(s.fill); const edge = rgb(s.stroke); const width = parseFloat(s.strokeWidth) || 0;
      const best = Math.max(ratio(over(fill, page), page), edge && edge.a > 0 && width >= 1 ? ratio(over(edge, page), page) : 0);
      shapes.push({ what: 'chart shape ' + el.getAttribute('class') + ' #' + i, ratio: best }); });
    return { text, shapes };
  })()`) as Promise<{ text: Measured[]; shapes: Measured[] }>;
}

describe('report panel themes (light, high contrast) in Chromium', function () {
  this.timeout(120000);
  let browser: Browser;
  let data: ReportViewData;
  before(async () => {
    browser = await launch();
    data = await demoData();
  });
  after(async () => { await browser?.close(); });

  for (const [name, theme] of Object.entries(THEMES)) {
    it(`${name}: the page takes the theme's colours, text reads at 4.5:1 and chart shapes stand out at 3:1`, async () => {
      const { page } = await openPanel(browser, data);
      try {
        await page.evaluate(`(() => { document.body.className = ${JSON.stringify(theme.bodyClass)}; for (const [k, v] of Object.entries(${JSON.stringify(theme.vars)})) document.documentElement.style.setProperty('--vscode-' + k, v); })()`);
        const bg = await page.evaluate(`getComputedStyle(document.body).backgroundColor`);
        assert.strictEqual(bg, name === 'light' ? 'rgb(255, 255, 255)' : 'rgb(0, 0, 0)', 'the editor background');
        const { text, shapes } = await measure(page);
        assert.ok(text.length > 20 && shapes.length > 10, `measured ${text.length} texts, ${shapes.length} shapes`);
        const badText = text.filter((t) => t.ratio < 4.5);
        const badShapes = shapes.filter((t) => t.ratio < 3);
        assert.deepStrictEqual([...badText, ...badShapes].map((t) => `${t.what}: ${t.ratio.toFixed(2)}:1`), []);
      } finally {
        await page.close();
      }
    });
  }
  it('column headers are not cut, the by-model chart has one bar per model (claude-sonnet-4.5 is claude-sonnet-4-5), labels keep both ends', async () => {
    assert.ok(data.prompts.some((p) => p.model === 'claude-sonnet-4.5') && data.prompts.some((p) => p.model === 'claude-sonnet-4-5'), 'the demo names the model both ways');
    const { page } = await openPanel(browser, data);
    try {
      const clipped = await page.evaluate(`[...document.querySelectorAll('[role=columnheader]')].filter((h) => h.scrollWidth > h.clientWidth + 1).map((h) => h.textContent)`);
      assert.deepStrictEqual(clipped, []);
      const byModel = (await page.getByRole('img', { name: /^Monthly cost by model:/ }).getAttribute('aria-label'))!;
      assert.strictEqual(byModel.split('claude-sonnet-4-5 ').length - 1, 1, byModel);
      assert.ok(!byModel.includes('claude-sonnet-4.5'), byModel);
      const labels = (await page.getByRole('figure', { name: 'Monthly cost by model' }).locator('text.label').allTextContents()) as string[];
      const long = labels.find((l) => l.includes('…'));
      if (long) assert.match(long, /^[^…]{3,}…[^…]{3,}$/, 'cut in the middle, not at the start');
    } finally {
      await page.close();
    }
  });
});
