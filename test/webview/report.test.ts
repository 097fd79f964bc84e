// The report renderer in headless Chromium: the VS Code panel (bundle + stub acquireVsCodeApi) and the
// `scan --format html` file opened from a file URL, through accessible roles and names.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import type { Browser, Page } from 'playwright-core';
import { run } from '../../src/cli/main';
import { formatUsd } from '../../src/core/format';
import type { ReportViewData } from '../../src/core/report/view';
import { priceWhatIf, totalsOf, type WhatIf } from '../../src/core/whatif';
import { tempDir } from '../tempDir';
import { DEMO, demoData, launch, manyPrompts, openPanel } from './browser';

const statValue = (page: Page, label: string) => page.getByRole('region', { name: 'Totals' }).locator('.stat', { has: page.locator('.stat-label', { hasText: new RegExp(`^${label}$`) }) }).locator('.stat-value');
const rowLabels = (page: Page) => page.getByRole('grid', { name: 'Prompts' }).getByRole('row').evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-label')).filter((x): x is string => !!x));
const expectedMonthly = (data: ReportViewData, w: WhatIf) => formatUsd(totalsOf(data.prompts.map((p) => priceWhatIf(p, w, data.priceTable)), data.prompts).monthlyUsd);

/** Behaviour the panel and the HTML file share. */
function sharedBehaviour(name: string, open: () => Promise<Page>, getData: () => ReportViewData) {
  describe(name, () => {
    let page: Page;
    beforeEach(async () => { page = await open(); });
    afterEach(async () => { await page.close(); });

    it('shows the totals, the price data date and every prompt', async () => {
      const data = getData();
      assert.strictEqual(await statValue(page, 'Per month').textContent(), formatUsd(data.totals.monthlyUsd));
      assert.strictEqual(await statValue(page, 'Per day').textContent(), formatUsd(data.totals.perDayUsd));
      assert.strictEqual(await statValue(page, 'Prompts').textContent(), String(data.prompts.length));
      assert.strictEqual(await statValue(page, 'Unpriced').textContent(), String(data.totals.unpriced));
      assert.match((await statValue(page, 'Prices as of').textContent())!, /^\d{4}-\d{2}-\d{2}$/);
      assert.match((await page.getByRole('region', { name: 'Totals' }).textContent())!, /≈ marks estimated token counts/);
      assert.match((await page.getByRole('progressbar').getAttribute('aria-label'))!, /^Budget used: \d+% of \$20,000 per month \(\.promptcost\.yaml:\d+\)$/);
      const grid = page.getByRole('grid', { name: 'Prompts' });
      assert.strictEqual(await grid.getAttribute('aria-rowcount'), String(data.prompts.length + 1));
      assert.strictEqual((await rowLabels(page)).length, data.prompts.length);
      for (const caption of ['Monthly cost by model', 'Where the money goes (by folder)', 'Top 10 prompts', 'Savings on the table ($/month)']) {
        assert.ok(await page.getByRole('figure', { name: caption }).isVisible(), caption);
      }
      assert.match((await page.getByRole('img', { name: /^Savings levers:/ }).getAttribute('aria-label'))!, /Cheaper model, same provider \$[\d,.]+ per month, Caching fixed \$[\d,.]+ per month, Batch API \(batchable prompts\) \$[\d,.]+ per month$/);
    });

    it('sorts by a column, and reverses on a second click (aria-sort says which)', async () => {
      const header = page.getByRole('columnheader', { name: 'Per month' });
      assert.strictEqual(await header.getAttribute('aria-sort'), 'descending');
      const money = async () => (await rowLabels(page)).map((l) => (/, \$([\d,.]+) per month$/.exec(l)?.[1] ?? '').replace(/,/g, '')).filter(Boolean).map(Number);
      const down = await money();
      assert.deepStrictEqual(down, [...down].sort((a, b) => b - a));
      await header.getByRole('button').click();
      assert.strictEqual(await header.getAttribute('aria-sort'), 'ascending');
      const up = await money();
      assert.deepStrictEqual(up, [...down].reverse());
      await page.getByRole('columnheader', { name: 'Prompt' }).getByRole('button').click();
      assert.strictEqual(await page.getByRole('columnheader', { name: 'Prompt' }).getAttribute('aria-sort'), 'ascending');
      assert.strictEqual(await header.getAttribute('aria-sort'), 'none');
      const files = (await rowLabels(page)).map((l) => l.split(':')[0]);
      assert.deepStrictEqual(files, [...files].sort());
    });

    it('filters by text in file, model and kind', async () => {
      const data = getData();
      await page.getByLabel('Filter').fill('claude');
      const labels = await rowLabels(page);
      const expected = data.prompts.filter((p) => `${p.file} ${p.model} ${p.kind}`.toLowerCase().includes('claude'));
      assert.ok(expected.length > 0 && expected.length < data.prompts.length);
      assert.strictEqual(labels.length, expected.length);
      for (const l of labels) assert.match(l, /claude/);
      assert.strictEqual(await page.getByRole('status').textContent(), `${expected.length} of ${data.prompts.length} prompts shown`);
      await page.getByLabel('Filter').fill('');
      assert.strictEqual((await rowLabels(page)).length, data.prompts.length);
    });

    it('groups by folder and by model with subtotals', async () => {
      const data = getData();
      await page.getByLabel('Group by').selectOption('model');
      const groups = await page.getByRole('grid', { name: 'Prompts' }).locator('.row.group').allTextContents();
      const models = new Set(data.prompts.map((p) => p.model));
      assert.strictEqual(groups.length, models.size);
      const gpt = data.prompts.filter((p) => p.model === 'gpt-4o');
      const sum = gpt.reduce((n, p) => n + (p.monthlyUsd ?? 0), 0);
      assert.ok(groups.includes(`gpt-4o — ${gpt.length} prompt${gpt.length === 1 ? '' : 's'}, ${formatUsd(sum)}/month, ${formatUsd(gpt.reduce((n, p) => n + (p.perDayUsd ?? 0), 0))}/day`), groups.join('\n'));
      await page.getByLabel('Group by').selectOption('folder');
      const folders = await page.getByRole('grid', { name: 'Prompts' }).locator('.row.group').allTextContents();
      assert.deepStrictEqual(folders.map((f) => f.split(' — ')[0]).sort(), [...new Set(data.prompts.map((p) => p.file.split('/').slice(0, -1).slice(0, 2).join('/') || '(root)'))].sort());
      assert.strictEqual(await page.getByRole('grid', { name: 'Prompts' }).getAttribute('aria-rowcount'), String(data.prompts.length + folders.length + 1));
    });

    it('recomputes totals and charts at once for a traffic multiplier and a cache hit rate, with the core arithmetic', async () => {
      const data = getData();
      const before = await page.getByRole('img', { name: /^Monthly cost by model/ }).getAttribute('aria-label');
      await page.getByLabel('Traffic ×').fill('2.5');
      assert.strictEqual(await statValue(page, 'Per month').textContent(), expectedMonthly(data, { trafficMultiplier: 2.5, models: {} }));
      assert.notStrictEqual(await page.getByRole('img', { name: /^Monthly cost by model/ }).getAttribute('aria-label'), before);
      await page.getByLabel('Cache hit rate (%)').fill('90');
      assert.strictEqual(await statValue(page, 'Per month').textContent(), expectedMonthly(data, { trafficMultiplier: 2.5, cacheHitRate: 0.9, models: {} }));
      await page.getByRole('button', { name: 'Reset what-ifs' }).click();
      assert.strictEqual(await statValue(page, 'Per month').textContent(), formatUsd(data.totals.monthlyUsd));
    });

    it('words the budget by the figures shown: a what-if over the budget says so, and the scan\'s verdict beside it', async () => {
      const data = getData();
      const budget = page.getByRole('region', { name: 'Totals' }).locator('.stat.budget');
      const share = (w: WhatIf) => `${Math.round((totalsOf(data.prompts.map((p) => priceWhatIf(p, w, data.priceTable)), data.prompts).monthlyUsd / data.budget!.monthlyUsd) * 100)}%`;
      assert.strictEqual(data.budget!.exceeded, false, 'the demo is within its budget as scanned');
      assert.match((await budget.locator('.budget-verdict').textContent())!, /^\.promptcost\.yaml:\d+ — within budget/);
      assert.strictEqual(await budget.evaluate((el) => el.classList.contains('over')), false);
      await page.getByLabel('Traffic ×').fill('2');
      const over = share({ trafficMultiplier: 2, models: {} });
      assert.ok(parseInt(over, 10) > 100, over);
      assert.strictEqual(await budget.locator('.stat-value').textContent(), `${over} of $20,000/mo`);
      const words = (await budget.locator('.budget-verdict').textContent())!;
      assert.match(words, /— with the what-ifs: exceeded/);
      assert.doesNotMatch(words, /within budget/);
      assert.match((await budget.locator('.budget-scanned').textContent())!, /^As scanned .*: within budget/);
      assert.strictEqual(await budget.evaluate((el) => el.classList.contains('over')), true);
      await page.getByRole('button', { name: 'Reset what-ifs' }).click();
      assert.match((await budget.locator('.budget-verdict').textContent())!, /^\.promptcost\.yaml:\d+ — within budget/);
      assert.strictEqual(await budget.locator('.budget-scanned').count(), 0);
    });

    it('swaps one prompt\'s model, cheaper models of its provider first', async () => {
      const data = getData();
      const top = data.prompts.find((p) => p.model === 'gpt-4o')!;
      await page.getByRole('row', { name: new RegExp(`^${top.file}:${top.line},`) }).click();
      const select = page.getByLabel(`Model for ${top.file}:${top.line}`);
      const groups = await select.locator('optgroup').evaluateAll((gs) => gs.map((g) => g.getAttribute('label')));
      assert.deepStrictEqual(groups, ['Cheaper, same provider', 'Any priced model']);
      const cheaper = await select.locator('optgroup[label="Cheaper, same provider"] option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
      assert.ok(cheaper.includes('gpt-4o-mini'), cheaper.join());
      await select.selectOption('gpt-4o-mini');
      assert.strictEqual(await statValue(page, 'Per month').textContent(), expectedMonthly(data, { trafficMultiplier: 1, models: { [top.id]: 'gpt-4o-mini' } }));
      assert.match((await page.getByRole('row', { name: new RegExp(`^${top.file}:${top.line},`) }).textContent())!, /gpt-4o-mini \(was gpt-4o\)/);
    });

    it('scrolls header and rows together sideways, every column lined up and none cut off', async () => {
      await page.setViewportSize({ width: 1000, height: 800 }); // narrower than the columns: the grid scrolls
      // Strings, not functions: tsx's transform would add helpers to a function that the page lacks.
      const layout = () => page.evaluate(`(async () => {
        const grid = document.querySelector('[role="grid"]');
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
        const edges = (row) => [...row.querySelectorAll('[role="columnheader"], [role="gridcell"]')].map((c) => {
          const b = c.getBoundingClientRect();
          return [Math.round(b.left), Math.round(b.right)];
        });
        const header = grid.querySelector('[role="row"][aria-rowindex="1"]');
        const rows = [...grid.querySelectorAll('[role="row"][aria-label]')];
        const scroller = grid.querySelector('.viewport');
        const view = scroller.getBoundingClientRect();
        return {
          header: edges(header), rows: rows.map((r) => ({ label: r.getAttribute('aria-label'), edges: edges(r), diagnostics: !!r.querySelector('.col-diagnostics').textContent })),
          headerTop: Math.round(header.getBoundingClientRect().top), viewTop: Math.round(view.top), viewRight: Math.round(view.left + scroller.clientWidth),
          scrollLeft: scroller.scrollLeft, maxScroll: scroller.scrollWidth - scroller.clientWidth,
        };
      })()`) as Promise<{ header: number[][]; rows: { label: string; edges: number[][]; diagnostics: boolean }[]; headerTop: number; viewTop: number; viewRight: number; scrollLeft: number; maxScroll: number }>;
      const scrollBy = (left: number, top = 0) => page.evaluate(`(() => {
        const scroller = document.querySelector('[role="grid"] .viewport');
        scroller.scrollLeft = ${left};
        scroller.scrollTop = ${top};
      })()`);
      const aligned = (l: Awaited<ReturnType<typeof layout>>, when: string) => {
        assert.strictEqual(l.header.length, 11, when);
        for (const r of l.rows) assert.deepStrictEqual(r.edges, l.header, `${when}: ${r.label} lines up with the header`);
      };
      const start = await layout();
      assert.ok(start.maxScroll > 0, 'the columns are wider than 1,000 pixels');
      assert.ok(start.rows.some((r) => r.diagnostics) && start.rows.some((r) => !r.diagnostics), 'rows with and without diagnostics');
      aligned(start, 'at the start');
      await scrollBy(150);
      const scrolled = await layout();
      assert.strictEqual(scrolled.scrollLeft, 150);
      aligned(scrolled, 'scrolled 150px sideways');
      assert.deepStrictEqual(scrolled.header.map(([l]) => l + 150), start.header.map(([l]) => l), 'the header moved with the rows');
      // Scrolled to the end: the last columns (Cache, Diagnostics) are in view whole, not cut off.
      await scrollBy(start.maxScroll);
      const end = await layout();
      aligned(end, 'scrolled to the end');
      assert.ok(end.header[10][1] <= end.viewRight, `the Diagnostics column ends in view (${end.header[10][1]} > ${end.viewRight})`);
      // Scrolled down as well: the header stays at the top of the grid.
      await scrollBy(start.maxScroll, 60);
      const down = await layout();
      assert.strictEqual(down.headerTop, down.viewTop, 'the header stays in view');
      aligned(down, 'scrolled down');
    });

    it('moves through rows with the keyboard', async () => {
      const first = page.getByRole('row', { name: /per month$|unpriced$/ }).first();
      await first.focus();
      await page.keyboard.press('ArrowDown');
      const labels = await rowLabels(page);
      assert.strictEqual(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), labels[1]);
      await page.keyboard.press('End');
      assert.strictEqual(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), labels[labels.length - 1]);
      await page.keyboard.press('Home');
      assert.strictEqual(await page.evaluate(() => document.activeElement?.getAttribute('aria-rowindex')), '2');
    });
  });
}

describe('report panel in Chromium', function () {
  this.timeout(60_000);
  let browser: Browser;
  let data: ReportViewData;
  before(async () => {
    [browser, data] = await Promise.all([launch(), demoData()]);
  });
  after(async () => { await browser?.close(); });

  sharedBehaviour('the VS Code panel (stub acquireVsCodeApi)', async () => (await openPanel(browser, data)).page, () => data);

  describe('talking to its host', () => {
    it('posts ready, reveal on click and on Enter, and export requests', async () => {
      const p = await openPanel(browser, data);
      const top = data.prompts[0];
      assert.deepStrictEqual((await p.posted())[0], { type: 'ready' });
      const sorted = [...data.prompts].sort((a, b) => (b.monthlyUsd ?? -1) - (a.monthlyUsd ?? -1));
      await p.page.getByRole('row', { name: new RegExp(`^${sorted[1].file}:${sorted[1].line},`) }).click();
      assert.deepStrictEqual((await p.posted()).at(-1), { type: 'reveal', id: sorted[1].id, file: sorted[1].file, range: sorted[1].range });
      await p.page.keyboard.press('ArrowUp');
      await p.page.keyboard.press('Enter');
      assert.deepStrictEqual((await p.posted()).at(-1), { type: 'reveal', id: sorted[0].id, file: sorted[0].file, range: sorted[0].range });
      for (const [button, format] of [['Export CSV', 'csv'], ['Export JSON', 'json'], ['Export Markdown', 'markdown']]) {
        await p.page.getByRole('button', { name: button }).click();
        assert.deepStrictEqual((await p.posted()).at(-1), { type: 'export', format });
      }
      await p.send({ type: 'exported', format: 'csv', path: '/tmp/x.csv' });
      assert.strictEqual(await p.page.getByRole('status').textContent(), 'Exported CSV to /tmp/x.csv');
      assert.ok(top);
      await p.page.close();
    });

    it('names a notebook prompt by its cell, as the CLI prints it and explain takes it', async () => {
      const nb = { ...data, prompts: data.prompts.map((x, i) => (i ? x : { ...x, id: 'nb/analysis.ipynb:cell3:5', file: 'nb/analysis.ipynb', line: 5, cell: 2, label: undefined })) };
      const p = await openPanel(browser, nb);
      const row = p.page.getByRole('row', { name: /^nb\/analysis\.ipynb:cell3:5, / });
      assert.strictEqual(await row.count(), 1, (await rowLabels(p.page)).join('\n'));
      await row.click();
      assert.strictEqual(await p.page.getByRole('region', { name: 'Selected prompt' }).getByRole('heading').textContent(), 'nb/analysis.ipynb:cell3:5');
      assert.deepStrictEqual((await p.posted()).at(-1), { type: 'reveal', id: 'nb/analysis.ipynb:cell3:5', file: 'nb/analysis.ipynb', range: nb.prompts[0].range, cell: 2 });
      await p.page.getByLabel('Filter').fill('cell3:5');
      assert.deepStrictEqual(await rowLabels(p.page), [await row.getAttribute('aria-label')]);
      await p.page.close();
    });

    it('turns a changed model and traffic into overrides for .promptcost.yaml', async () => {
      const p = await openPanel(browser, data);
      const write = p.page.getByRole('button', { name: 'Write to .promptcost.yaml' });
      assert.ok(await write.isDisabled());
      const top = data.prompts.find((x) => x.model === 'gpt-4o')!;
      await p.page.getByRole('row', { name: new RegExp(`^${top.file}:${top.line},`) }).click();
      await p.page.getByLabel(`Model for ${top.file}:${top.line}`).selectOption('gpt-4o-mini');
      await write.click();
      assert.deepStrictEqual((await p.posted()).at(-1), { type: 'writeOverrides', changes: [{ id: top.id, file: top.file, model: 'gpt-4o-mini', modelFrom: top.modelFrom }] });
      await p.page.getByRole('button', { name: 'Reset what-ifs' }).click();
      await p.page.getByLabel('Traffic ×').fill('2');
      await write.click();
      const changes = (await p.posted()).at(-1)!.changes as { id: string; callsPerDay: number }[];
      assert.strictEqual(changes.length, data.prompts.length);
      for (const c of changes) assert.strictEqual(c.callsPerDay, data.prompts.find((x) => x.id === c.id)!.callsPerDay * 2);
      await p.page.close();
    });

    it('keeps sort, filter, grouping and what-ifs in its state, restores them, and keeps them across new data', async () => {
      const p = await openPanel(browser, data);
      await p.page.getByRole('columnheader', { name: 'Model' }).getByRole('button').click();
      await p.page.getByLabel('Filter').fill('prompts/');
      await p.page.getByLabel('Group by').selectOption('file');
      await p.page.getByLabel('Traffic ×').fill('3');
      const state = await p.page.evaluate(() => (window as unknown as { __state: unknown }).__state) as { sort: unknown; filter: string; groupBy: string; whatIf: WhatIf };
      assert.deepStrictEqual(state.sort, { key: 'model', descending: false });
      assert.strictEqual(state.filter, 'prompts/');
      assert.strictEqual(state.groupBy, 'file');
      assert.strictEqual(state.whatIf.trafficMultiplier, 3);
      // New data from the host (a refresh) keeps the view.
      await p.send({ type: 'data', data: { ...data, prompts: data.prompts.slice(1) } });
      assert.strictEqual(await p.page.getByLabel('Filter').inputValue(), 'prompts/');
      assert.strictEqual(await p.page.getByRole('columnheader', { name: 'Model' }).getAttribute('aria-sort'), 'ascending');
      await p.page.close();
      // A reload (the serializer hands the saved state back).
      const again = await openPanel(browser, data, { state });
      assert.strictEqual(await again.page.getByLabel('Filter').inputValue(), 'prompts/');
      assert.strictEqual(await again.page.getByLabel('Group by').inputValue(), 'file');
      assert.strictEqual(await again.page.getByLabel('Traffic ×').inputValue(), '3');
      assert.strictEqual(await statValue(again.page, 'Per month').textContent(), expectedMonthly(data, { trafficMultiplier: 3, models: {} }));
      await again.page.close();
    });

    it('focuses a prompt\'s row when the host asks (show in report)', async () => {
      const p = await openPanel(browser, data);
      await p.page.getByLabel('Filter').fill('zzz-nothing');
      const target = data.prompts[data.prompts.length - 1];
      await p.send({ type: 'focus', id: target.id });
      await p.page.waitForFunction((label) => document.activeElement?.getAttribute('aria-label')?.startsWith(label), `${target.file}:${target.line},`);
      assert.strictEqual(await p.page.getByLabel('Filter').inputValue(), '');
      await p.page.close();
    });
  });

  describe('5,000 prompts', () => {
    it('keeps only the rows in view in the DOM, with aria-rowcount giving the total; sorts, filters and reaches the last row', async () => {
      const big = manyPrompts(data, 5000);
      const p = await openPanel(browser, big);
      const grid = p.page.getByRole('grid', { name: 'Prompts' });
      assert.strictEqual(await grid.getAttribute('aria-rowcount'), '5001');
      const inDom = (await rowLabels(p.page)).length;
      assert.ok(inDom > 10 && inDom < 120, `${inDom} rows in the DOM`);
      await p.page.getByLabel('Filter').fill('pkg7/');
      assert.strictEqual(await grid.getAttribute('aria-rowcount'), String(big.prompts.filter((x) => x.file.includes('pkg7/')).length + 1));
      await p.page.getByLabel('Filter').fill('');
      await p.page.getByRole('columnheader', { name: 'Tokens in' }).getByRole('button').click();
      const first = page0(await rowLabels(p.page));
      await p.page.getByRole('row', { name: first }).focus();
      await p.page.keyboard.press('End');
      assert.strictEqual(await p.page.evaluate(() => document.activeElement?.getAttribute('aria-rowindex')), '5001');
      assert.ok((await rowLabels(p.page)).length < 120);
      await p.page.close();
    });
  });

  describe('scan --format html, opened from a file URL', () => {
    let file: string;
    let requests: string[] = [];
    before(async () => {
      let html = '';
      const code = await run(['scan', DEMO, '--format', 'html'], { stdout: (s) => void (html += s), stderr: () => undefined, readStdin: () => Buffer.alloc(0), stderrIsTTY: false, cwd: DEMO });
      assert.strictEqual(code, 0);
      file = path.join(tempDir('prompt-cost-html-'), 'report.html');
      fs.writeFileSync(file, html);
    });

    it('is one file with a CSP meta tag and no remote reference', () => {
      const html = fs.readFileSync(file, 'utf8');
      assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'sha256-[^']+'; style-src 'sha256-[^']+'/);
      assert.doesNotMatch(html, /<(script|link|img)[^>]+(src|href)=/i);
    });

    sharedBehaviour('the HTML report', async () => {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      requests = [];
      page.on('request', (r) => requests.push(r.url()));
      page.on('console', (m) => { if (m.type() === 'error') requests.push(`console error: ${m.text()}`); });
      await page.goto(pathToFileURL(file).href);
      await page.getByRole('grid', { name: 'Prompts' }).getByRole('row').nth(1).waitFor();
      return page;
    }, () => data);

    afterEach(() => {
      assert.deepStrictEqual(requests.filter((u) => u !== pathToFileURL(file).href), [], 'no request leaves the page, nothing is blocked');
    });

    it('has no export or write buttons (read-only what-ifs are not saved)', async () => {
      const page = await browser.newPage();
      requests = [];
      await page.goto(pathToFileURL(file).href);
      assert.strictEqual(await page.getByRole('button', { name: /^Export/ }).count(), 0);
      assert.strictEqual(await page.getByRole('button', { name: 'Write to .promptcost.yaml' }).count(), 0);
      await page.close();
    });
  });
});

function page0(labels: string[]): string {
  return labels[0];
}
