// npm run bench:report — the report panel's renderer with 5,000 prompts in headless Chromium: first
// render, sort and filter (targets: ≤ 200 ms, ≤ 50 ms, ≤ 50 ms), and the size of `scan --format html`
// for 2,000 and 5,000 prompts (target: ≤ 2 MB at 2,000+). Figures are reported, not asserted.
// Run it under the shared lock: flock /tmp/pc-heavy.lock npm run bench:report
import { formatHtml } from '../src/core/report/html';
import { assets, demoData, launch, manyPrompts } from '../test/webview/browser';

const RUNS = 7;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const base = await demoData();
  const big = manyPrompts(base, 5000);
  const { js, css } = assets();
  const browser = await launch();
  const first: number[] = [];
  const sort: number[] = [];
  const filter: number[] = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      await page.setContent(`<!DOCTYPE html><html><head><style>${css}</style></head><body><main id="prompt-cost-report"></main></body></html>`);
      await page.addScriptTag({ content: `window.acquireVsCodeApi = () => ({ postMessage() {}, getState() { return null; }, setState() {} });` });
      await page.addScriptTag({ content: js });
      // Each step is timed inside the page, synchronously through to a forced layout (what the user waits for).
      const t = await page.evaluate(`(async (data) => {
        const layout = () => document.body.getBoundingClientRect().height;
        let t0 = performance.now();
        window.dispatchEvent(new MessageEvent('message', { data: { type: 'data', data } }));
        layout();
        const first = performance.now() - t0;
        const button = [...document.querySelectorAll('[role=columnheader] button')].find((b) => b.textContent === 'Tokens in');
        t0 = performance.now();
        button.click();
        layout();
        const sort = performance.now() - t0;
        const input = document.getElementById('pc-filter');
        input.value = 'pkg7/';
        t0 = performance.now();
        input.dispatchEvent(new Event('input'));
        layout();
        const filter = performance.now() - t0;
        return { first, sort, filter, rows: document.querySelector('[role=grid]').getAttribute('aria-rowcount') };
      })(${JSON.stringify(big)})`) as { first: number; sort: number; filter: number; rows: string };
      first.push(t.first);
      sort.push(t.sort);
      filter.push(t.filter);
      await page.close();
    }
  } finally {
    await browser.close();
  }
  const ms = (xs: number[]) => `median ${median(xs).toFixed(1)} ms (min ${Math.min(...xs).toFixed(1)}, max ${Math.max(...xs).toFixed(1)})`;
  console.log(`report panel, 5,000 prompts, headless Chromium, ${RUNS} runs:`);
  console.log(`  first render  ${ms(first)}   target ≤ 200 ms`);
  console.log(`  sort          ${ms(sort)}   target ≤ 50 ms`);
  console.log(`  filter        ${ms(filter)}   target ≤ 50 ms`);
  for (const n of [2000, 5000]) {
    const bytes = Buffer.byteLength(formatHtml(manyPrompts(base, n), { js, css }));
    console.log(`  scan --format html, ${n} prompts: ${(bytes / 1024 / 1024).toFixed(2)} MB${n === 2000 ? '   target ≤ 2 MB' : ''}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
