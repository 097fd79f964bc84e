// Runs extension tests inside code-server's real Node extension host, with headless Chromium (driven by
// playwright-core) as the workbench. Pass/fail comes back through window.codeAutomationExit(code).
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import * as util from 'util';
import { tempDir } from '../tempDir';

export interface CodeServerRun {
  codeServer: string;
  chromium: string;
  extensionDevelopmentPath: string;
  extensionTestsPath: string;
  folder: string;
  /** Extensions installed into this run's extension folder before the workbench opens. */
  installVsix?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
  log?: (s: string) => void;
}

export const freePort = () => new Promise<number>((resolve, reject) => {
  const s = net.createServer();
  s.listen(0, '127.0.0.1', () => {
    const port = (s.address() as net.AddressInfo).port;
    s.close(() => resolve(port));
  });
  s.on('error', reject);
});

/** Clicks the row whose accessible name starts with `label` in whichever webview frame shows it. */
async function clickWebviewRow(page: import('playwright-core').Page, label: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  const name = new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      const row = frame.getByRole('row', { name });
      if (await row.count().catch(() => 0)) {
        await row.first().click();
        return;
      }
    }
    await page.waitForEvent('framenavigated', { timeout: 1000 }).catch(() => undefined);
  }
  throw new Error(`no webview row named ${label}`);
}

/** Resolves 0 when the tests passed, 1 when some failed; rejects on a harness failure or timeout. */
export async function runInCodeServer(o: CodeServerRun): Promise<number> {
  const log = o.log ?? ((s: string) => console.log(s));
  const state = tempDir('prompt-cost-cs-');
  for (const d of ['home', 'tmp', 'config', 'data', 'cache']) fs.mkdirSync(path.join(state, d));
  // Everything code-server, the extension host and Chromium write stays in this run's folder.
  const env = {
    ...process.env, ...o.env, PROMPT_COST_HARNESS_CLICKS: '1', HOME: path.join(state, 'home'), TMPDIR: path.join(state, 'tmp'),
    XDG_CONFIG_HOME: path.join(state, 'config'), XDG_DATA_HOME: path.join(state, 'data'), XDG_CACHE_HOME: path.join(state, 'cache'),
  };
  const dirs = ['--user-data-dir', path.join(state, 'user-data'), '--extensions-dir', path.join(state, 'extensions')];
  if (o.installVsix) {
    const r = spawnSync(o.codeServer, [...dirs, '--install-extension', o.installVsix], { env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`installing ${o.installVsix} into code-server failed:\n${r.stdout}\n${r.stderr}`);
    log(`[harness] installed ${path.basename(o.installVsix)}: ${r.stdout.trim().split('\n').pop()}`);
  }
  const port = await freePort();
  const server = spawn(o.codeServer, [
    '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check',
    '--disable-workspace-trust', '--disable-getting-started-override', ...dirs,
  ], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const serverLog = fs.createWriteStream(path.join(state, 'server.log'));
  server.stdout!.pipe(serverLog);
  server.stderr!.pipe(serverLog);
  const stop = async () => {
    const exited = new Promise((r) => server.once('exit', r));
    try { process.kill(-server.pid!, 'SIGTERM'); } catch { /* gone */ }
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    try { process.kill(-server.pid!, 'SIGKILL'); } catch { /* gone */ } // the extension host and file watcher too
  };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { chromium } = require('playwright-core') as typeof import('playwright-core');
  let browser: Awaited<ReturnType<typeof chromium.launch>> | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      const onData = (d: Buffer) => String(d).includes('HTTP server listening') && resolve();
      server.stdout!.on('data', onData);
      server.stderr!.on('data', onData);
      server.once('exit', (c) => reject(new Error(`code-server exited early (${c}); log: ${path.join(state, 'server.log')}`)));
      setTimeout(() => reject(new Error('code-server did not start within 60 s')), 60_000).unref();
    });
    browser = await chromium.launch({
      executablePath: o.chromium, headless: true, env,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    });
    const page = await browser.newPage();
    let finish!: (code: number) => void;
    const done = new Promise<number>((r) => (finish = r));
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
      const line = util.format(...(args ?? []));
      log(`[exthost ${type}] ${line}`);
      // A test asks for a real click in a webview (the report panel) by logging this line.
      const click = /^\[harness\] click webview row: (.+)$/.exec(line);
      if (click) clickWebviewRow(page, click[1]).catch((e: Error) => log(`[harness] webview click failed: ${e.message}`));
    });
    await page.exposeFunction('codeAutomationExit', (code: number) => finish(code));
    page.on('pageerror', (e) => log(`[pageerror] ${e.message}`));
    const host = `127.0.0.1:${port}`;
    const remote = (p: string) => `vscode-remote://${host}${p}`;
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', remote(o.extensionDevelopmentPath)],
      ['extensionTestsPath', remote(o.extensionTestsPath)],
      ['skipWelcome', 'true'],
    ]);
    await page.goto(`http://${host}/?folder=${encodeURIComponent(o.folder)}&payload=${encodeURIComponent(payload)}`);
    const timeoutMs = o.timeoutMs ?? 300_000;
    const code = await Promise.race([done, new Promise<number>((_, reject) => setTimeout(() => reject(new Error(`tests did not finish within ${timeoutMs / 1000} s; log: ${path.join(state, 'server.log')}`)), timeoutMs).unref())]);
    return code === 0 ? 0 : 1;
  } finally {
    await browser?.close().catch(() => undefined);
    await stop();
  }
}
