// Finds a VS Code to run the integration tests in, the way @vscode/test-electron does: downloaded once
// into a cache folder (.vscode-test/), never an npm dependency. Where Microsoft's download cannot be
// reached, falls back to code-server (installed on first use into the same cache) driven by a Chromium
// already on the machine. When neither can be had, fails with the command that installs what is missing.
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ensureSystemPackages } from './systemDeps';

export const ROOT = path.join(__dirname, '..', '..');
export const CACHE = process.env.PROMPT_COST_VSCODE_CACHE ?? path.join(ROOT, '.vscode-test');
export const VSCODE_VERSION = '1.100.3';
/** The newest code-server whose server runs on Node 20, and it ships VS Code 1.100.3. */
export const CODE_SERVER_VERSION = '4.100.3';
/** @vscode/ripgrep as pinned by that code-server, and the prebuilt tag its postinstall downloads. */
const RIPGREP_NPM_VERSION = '1.15.11';
const RIPGREP_TAG = 'v13.0.0-10';

const APT_HINT = 'apt-get install -y chromium ripgrep build-essential python3 pkg-config libkrb5-dev';

export type Host =
  | { kind: 'electron'; executable: string }
  | { kind: 'code-server'; codeServer: string; chromium: string };

function which(cmd: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

async function tryElectron(log: (s: string) => void): Promise<string | undefined> {
  if (process.env.PROMPT_COST_VSCODE === 'code-server') return undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { downloadAndUnzipVSCode } = require('@vscode/test-electron') as typeof import('@vscode/test-electron');
    const download = downloadAndUnzipVSCode({ version: VSCODE_VERSION, cachePath: CACHE });
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timed out after 60 s')), 60_000).unref());
    const exe = await Promise.race([download, timeout]);
    if (!which('xvfb-run') && !process.env.DISPLAY) {
      log(`VS Code ${VSCODE_VERSION} is available, but there is no display: install xvfb (apt-get install -y xvfb) or set DISPLAY; using code-server instead.`);
      return undefined;
    }
    return exe;
  } catch (e) {
    log(`VS Code ${VSCODE_VERSION} could not be downloaded (${String((e as Error).message ?? e).split('\n')[0]}); using code-server instead.`);
    return undefined;
  }
}

export function chromiumPath(): string | undefined {
  const candidates = [process.env.CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].filter((c): c is string => !!c);
  return candidates.find((c) => fs.existsSync(c));
}

function codeServerBin(): string {
  return path.join(CACHE, `code-server-${CODE_SERVER_VERSION}`, 'node_modules', '.bin', 'code-server');
}

/** Installs code-server from the npm registry into the cache (first run only, ~1-2 minutes). */
function installCodeServer(log: (s: string) => void): string {
  const bin = codeServerBin();
  if (fs.existsSync(bin)) return bin;
  const missing = [['g++', 'build-essential'], ['make', 'build-essential'], ['python3', 'python3'], ['rg', 'ripgrep'], ['pkg-config', 'pkg-config']].filter(([c]) => !which(c));
  if (!fs.existsSync('/usr/include/gssapi/gssapi.h')) missing.push(['gssapi.h', 'libkrb5-dev']);
  if (missing.length) {
    throw new Error(`code-server needs ${missing.map(([c, p]) => `${c} (${p})`).join(', ')} to build its native modules. Install them with:\n  ${APT_HINT}`);
  }
  const dir = path.dirname(path.dirname(path.dirname(bin)));
  const tmp = path.join(dir, 'tmp');
  fs.mkdirSync(tmp, { recursive: true });
  // @vscode/ripgrep's postinstall downloads rg from GitHub; it first looks in this cache, so seed it with
  // the machine's ripgrep.
  const rgCache = path.join(tmp, `vscode-ripgrep-cache-${RIPGREP_NPM_VERSION}`);
  const rgDir = path.join(tmp, 'rgbin');
  fs.mkdirSync(rgCache, { recursive: true });
  fs.mkdirSync(rgDir, { recursive: true });
  fs.copyFileSync(which('rg')!, path.join(rgDir, 'rg'));
  execFileSync('tar', ['czf', path.join(rgCache, `ripgrep-${RIPGREP_TAG}-x86_64-unknown-linux-musl.tar.gz`), '-C', rgDir, 'rg']);
  if (!fs.existsSync(path.join(dir, 'package.json'))) fs.writeFileSync(path.join(dir, 'package.json'), '{"name":"prompt-cost-code-server","private":true}\n');
  log(`installing code-server ${CODE_SERVER_VERSION} into ${dir} (first run only) …`);
  const env = {
    ...process.env, TMPDIR: tmp,
    npm_config_unsafe_perm: 'true', // code-server's postinstall refuses to run as root without it
    npm_config_yes: 'true', // node-pty's postinstall runs `npx node-gyp`
  };
  const r = spawnSync('npm', ['install', `code-server@${CODE_SERVER_VERSION}`, '--foreground-scripts', '--no-audit', '--no-fund'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0 || !fs.existsSync(bin)) {
    fs.writeFileSync(path.join(dir, 'install.log'), `${r.stdout}\n${r.stderr}`);
    throw new Error(`installing code-server failed (log: ${path.join(dir, 'install.log')}). If a native module failed to build:\n  ${APT_HINT}`);
  }
  return bin;
}

export async function findHost(log: (s: string) => void): Promise<Host> {
  const electron = await tryElectron(log);
  if (electron) return { kind: 'electron', executable: electron };
  // Chromium, and code-server's build tools until it is installed: apt-get as root, else the command.
  ensureSystemPackages({ buildTools: !fs.existsSync(codeServerBin()), log });
  const chromium = chromiumPath();
  if (!chromium) throw new Error(`No VS Code could be downloaded and no Chromium is installed to drive code-server. Install it with:\n  ${APT_HINT}`);
  return { kind: 'code-server', codeServer: installCodeServer(log), chromium };
}
