// npm run test:integration — the extension's suites in a real VS Code: @vscode/test-electron's
// downloaded VS Code where that works, else code-server's Node extension host under headless Chromium
// (see vscodeHost.ts). Then the packaged .vsix is installed into code-server and must activate.
import { spawnSync } from 'child_process';
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as path from 'path';
import { runInCodeServer } from './codeServer';
import { findHost, ROOT, type Host } from './vscodeHost';
import { tempDir } from '../tempDir';

const OUT = path.join(ROOT, 'out', 'integration');
const log = (s: string) => console.log(s);

async function buildSuite(): Promise<void> {
  fs.rmSync(OUT, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: ['index.ts', 'extension.test.ts', 'reportPanel.test.ts', 'compress.test.ts', 'vsix.test.ts'].map((f) => path.join(__dirname, 'suite', f)),
    outdir: OUT, bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['vscode', 'mocha'], logLevel: 'warning',
  });
}

/** A fresh copy of the fixture workspace: the tests edit files and settings. */
function workspaceCopy(): string {
  const dir = tempDir('prompt-cost-ws-');
  fs.cpSync(path.join(__dirname, 'workspace'), dir, { recursive: true });
  return dir;
}

async function runSuite(host: Host, files: string, devPath: string, vsix?: string): Promise<number> {
  const folder = workspaceCopy();
  const env = { PROMPT_COST_TEST_FILES: files };
  if (host.kind === 'electron') {
    if (vsix) {
      log('[harness] the .vsix check runs in code-server only; skipped with a downloaded VS Code');
      return 0;
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { runTests } = require('@vscode/test-electron') as typeof import('@vscode/test-electron');
    try {
      await runTests({ vscodeExecutablePath: host.executable, extensionDevelopmentPath: devPath, extensionTestsPath: path.join(OUT, 'index.js'), launchArgs: [folder, '--disable-extensions', '--disable-workspace-trust'], extensionTestsEnv: env });
      return 0;
    } catch {
      return 1;
    }
  }
  return runInCodeServer({ codeServer: host.codeServer, chromium: host.chromium, extensionDevelopmentPath: devPath, extensionTestsPath: path.join(OUT, 'index.js'), folder, env, installVsix: vsix, log });
}

function packageVsix(): string {
  const r = spawnSync('npm', ['run', 'package', '--silent'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm run package failed:\n${r.stdout}\n${r.stderr}`);
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const vsix = path.join(ROOT, `${pkg.name}-${pkg.version}.vsix`);
  log(`[harness] packaged ${path.basename(vsix)}: ${(fs.statSync(vsix).size / 1024 / 1024).toFixed(2)} MB`);
  return vsix;
}

async function main(): Promise<number> {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'extension.js'))) throw new Error('dist/extension.js is missing: run `npm run build` first');
  await buildSuite();
  const host = await findHost(log);
  log(`[harness] VS Code host: ${host.kind === 'electron' ? host.executable : `code-server (${host.codeServer}) + ${host.chromium}`}`);
  const dev = await runSuite(host, 'extension.test.js,reportPanel.test.js,compress.test.js', ROOT);
  if (dev !== 0) return dev;
  if (process.env.PROMPT_COST_SKIP_VSIX === '1') return 0;
  return runSuite(host, 'vsix.test.js', path.join(__dirname, 'stub-extension'), packageVsix());
}

main().then(
  (code) => {
    log(code === 0 ? '[harness] integration tests passed' : '[harness] integration tests FAILED');
    process.exit(code);
  },
  (e: Error) => {
    console.error(`[harness] ${e.message}`);
    process.exit(2);
  },
);
