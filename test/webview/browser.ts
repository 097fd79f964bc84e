// Headless Chromium (Debian's, driven by playwright-core) for the report renderer's tests and
// benchmark: the panel page with a stub acquireVsCodeApi, and fixture report data.
import * as fs from 'fs';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import { buildPriceTable } from '../../src/core/report/priceTable';
import { toViewData, type ReportViewData } from '../../src/core/report/view';
import { loadConfig, scanWorkspace } from '../../src/core/workspace';
import { chromiumPath, ROOT } from '../integration/vscodeHost';

export const DEMO = path.join(ROOT, 'examples', 'demo-workspace');

export async function launch(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error('Chromium is not installed (apt-get install -y chromium), needed by the report panel tests');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { chromium } = require('playwright-core') as typeof import('playwright-core');
  return chromium.launch({
    executablePath, headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  });
}

export function assets(): { js: string; css: string } {
  const dist = path.join(ROOT, 'dist');
  if (!fs.existsSync(path.join(dist, 'webview.js'))) throw new Error('dist/webview.js is missing: run `npm run build` first');
  return { js: fs.readFileSync(path.join(dist, 'webview.js'), 'utf8'), css: fs.readFileSync(path.join(dist, 'webview.css'), 'utf8') };
}

export async function demoData(): Promise<ReportViewData> {
  const report = await scanWorkspace({ root: DEMO });
  const config = loadConfig(DEMO);
  return toViewData(report, buildPriceTable(report, { allProviders: true, customPrices: config.prices }), {}, config.batchable);
}

/** `n` prompts made from the demo's, spread over files and folders (the 5,000-row case). */
export function manyPrompts(base: ReportViewData, n: number): ReportViewData {
  const prompts = Array.from({ length: n }, (_, i) => {
    const p = base.prompts[i % base.prompts.length];
    const file = `pkg${i % 40}/mod${i % 7}/file${i % 400}.ts`;
    const line = 10 + Math.floor(i / 400);
    return { ...p, id: `${file}:${line}`, file, line, range: { start: { line: line - 1, character: 0 }, end: { line: line - 1, character: 10 } } };
  });
  const totals = { ...base.totals, prompts: n };
  return { ...base, prompts, totals };
}

export interface PanelPage {
  page: Page;
  /** Messages the renderer posted to its host, in order. */
  posted(): Promise<{ type: string; [k: string]: unknown }[]>;
  send(message: unknown): Promise<void>;
}

/**
 * The renderer as the VS Code panel runs it: the bundle and its CSS, a stub acquireVsCodeApi whose
 * postMessage and setState record into the page, and the data sent as the host sends it.
 */
export async function openPanel(browser: Browser, data: ReportViewData, options: { state?: unknown; viewport?: { width: number; height: number } } = {}): Promise<PanelPage> {
  const page = await browser.newPage({ viewport: options.viewport ?? { width: 1400, height: 900 } });
  const { js, css } = assets();
  await page.setContent(`<!DOCTYPE html><html><head><style>${css}</style></head><body><main id="prompt-cost-report"></main></body></html>`);
  // A string, not a function: tsx's transform would add helpers to a function that the page lacks.
  await page.addScriptTag({ content: `window.__posted = []; window.__state = ${JSON.stringify(options.state ?? null)};
    window.__deliver = (m) => new Promise((resolve) => {
      const after = (e) => { if (e.data && e.data.type === m.type) { window.removeEventListener('message', after); resolve(); } };
      window.addEventListener('message', after);
      window.postMessage(m, '*');
    });
    window.acquireVsCodeApi = () => ({ postMessage: (m) => { window.__posted.push(m); }, getState: () => window.__state, setState: (s) => { window.__state = s; } });` });
  await page.addScriptTag({ content: js });
  const p: PanelPage = {
    page,
    posted: () => page.evaluate(() => (window as unknown as { __posted: { type: string }[] }).__posted),
    // window.postMessage delivers later: resolve once the panel's own listener (registered first) has had it.
    send: (message) => page.evaluate((m) => (window as unknown as { __deliver: (m: unknown) => Promise<void> }).__deliver(m), message),
  };
  await p.send({ type: 'data', data });
  await page.getByRole('grid', { name: 'Prompts' }).waitFor();
  return p;
}
