// npm run screenshot — regenerates media/hover.png: the hover on a prompt in a real VS Code (code-server
// with this extension, driven by headless Chromium; the same host the integration tests use).
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { freePort } from '../test/integration/codeServer';
import { findHost, ROOT } from '../test/integration/vscodeHost';

const OUT = path.join(ROOT, 'media', 'hover.png');

async function main() {
  const host = await findHost((s) => console.log(s));
  if (host.kind !== 'code-server') throw new Error('the screenshot script drives code-server; set PROMPT_COST_VSCODE=code-server');
  const state = fs.mkdtempSync(path.join(os.tmpdir(), 'prompt-cost-shot-'));
  const folder = path.join(state, 'workspace');
  fs.cpSync(path.join(ROOT, 'test', 'integration', 'workspace'), folder, { recursive: true });
  fs.mkdirSync(path.join(folder, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(folder, '.vscode', 'settings.json'), JSON.stringify({ 'workbench.colorTheme': 'Default Dark Modern', 'editor.fontSize': 14, 'workbench.startupEditor': 'none', 'editor.hover.delay': 100 }));
  const env = { ...process.env, HOME: path.join(state, 'home'), XDG_CONFIG_HOME: path.join(state, 'config'), XDG_DATA_HOME: path.join(state, 'data') };
  const port = await freePort();
  const server = spawn(host.codeServer, ['--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--user-data-dir', path.join(state, 'user-data'), '--extensions-dir', path.join(state, 'extensions')], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  await new Promise<void>((resolve) => server.stdout!.on('data', (d) => String(d).includes('HTTP server listening') && resolve()));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { chromium } = require('playwright-core') as typeof import('playwright-core');
  const browser = await chromium.launch({ executablePath: host.chromium, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    const remote = (p: string) => `vscode-remote://127.0.0.1:${port}${p}`;
    const payload = JSON.stringify([['extensionDevelopmentPath', remote(ROOT)], ['skipWelcome', 'true']]);
    const file = path.join(folder, 'src', 'support.ts');
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(payload)}`);
    await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
    // Open the file through Quick Open, then wait for the code lens: the server has answered.
    // Open the file from the explorer, then wait for the code lens: the server has answered.
    const item = page.locator('.explorer-folders-view .monaco-list-row[aria-label*="src"]').first();
    await item.waitFor({ timeout: 60_000 });
    await item.click();
    const fileItem = page.locator('.explorer-folders-view .monaco-list-row[aria-label*="support.ts"]').first();
    await fileItem.waitFor({ timeout: 30_000 });
    await fileItem.dblclick();
    try {
      await page.waitForSelector('.codelens-decoration', { timeout: 60_000 });
    } catch (e) {
      await page.screenshot({ path: path.join(state, 'failed.png') });
      throw new Error(`no code lens appeared (screenshot: ${path.join(state, 'failed.png')}): ${(e as Error).message}`);
    }
    const word = page.locator('.view-line span', { hasText: 'Customer question' }).first();
    const box = (await word.boundingBox())!;
    await page.mouse.move(box.x + 40, box.y + box.height / 2);
    await page.mouse.move(box.x + 44, box.y + box.height / 2);
    await page.waitForSelector('.monaco-hover:not(.hidden) .rendered-markdown table', { timeout: 30_000 });
    await page.waitForTimeout(300); // let the hover finish its fade-in before the picture
    fs.mkdirSync(path.dirname(OUT), { recursive: true });
    await page.screenshot({ path: OUT });
    console.log(`wrote ${path.relative(ROOT, OUT)} (${file})`);
  } finally {
    await browser.close();
    try { process.kill(-server.pid!, 'SIGKILL'); } catch { /* gone */ }
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
