// The machine packages the integration suites need, installed by the harness itself so that the
// README's `npm ci && npm test` is all the set-up there is: Debian's Chromium (it drives code-server),
// and — until code-server is installed in the cache — the tools its native modules build with.
// As root on a machine with apt-get they are installed (as .ci/run does); otherwise the harness stops
// with the exact command to run and a non-zero exit.
import { spawnSync } from 'child_process';
import * as fs from 'fs';

export interface Probe {
  /** A command on PATH. */
  has(cmd: string): boolean;
  exists(file: string): boolean;
  isRoot: boolean;
}

export const machineProbe: Probe = {
  has: (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0,
  exists: (file) => fs.existsSync(file),
  isRoot: process.getuid?.() === 0,
};

const CHROMIUM_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** Debian packages missing for a run; `buildTools` when code-server still has to be installed. */
export function missingPackages(probe: Probe, { buildTools }: { buildTools: boolean }): string[] {
  const missing = new Set<string>();
  const chromium = process.env.CHROMIUM ? [process.env.CHROMIUM] : CHROMIUM_PATHS;
  if (!chromium.some((c) => probe.exists(c))) missing.add('chromium');
  if (buildTools) {
    for (const [cmd, pkg] of [['g++', 'build-essential'], ['make', 'build-essential'], ['python3', 'python3'], ['rg', 'ripgrep'], ['pkg-config', 'pkg-config']]) {
      if (!probe.has(cmd)) missing.add(pkg);
    }
    if (!probe.exists('/usr/include/gssapi/gssapi.h')) missing.add('libkrb5-dev');
  }
  return [...missing];
}

export type Runner = (cmd: string, args: string[]) => { status: number | null; output: string };

const runOnMachine: Runner = (cmd, args) => {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, maxBuffer: 1 << 26 });
  return { status: r.status, output: `${r.stdout ?? ''}${r.stderr ?? ''}` };
};

export class MissingPackagesError extends Error {}

/**
 * Makes sure the packages are there: installs them with apt-get as root, else throws with the exact
 * command. Returns the packages it installed.
 */
export function ensureSystemPackages(options: { buildTools: boolean; log: (s: string) => void; probe?: Probe; run?: Runner }): string[] {
  const probe = options.probe ?? machineProbe;
  const run = options.run ?? runOnMachine;
  const missing = missingPackages(probe, options);
  if (!missing.length) return [];
  const command = `apt-get install -y ${missing.join(' ')}`;
  if (!probe.has('apt-get')) {
    throw new MissingPackagesError(`The integration tests need ${missing.join(', ')} (Debian package names), and this machine has no apt-get. Install the equivalents with your package manager, or set CHROMIUM to a Chromium binary.`);
  }
  if (!probe.isRoot) {
    throw new MissingPackagesError(`The integration tests need ${missing.join(', ')}. Install them, then run npm test again:\n  sudo apt-get update && sudo ${command}`);
  }
  options.log(`[harness] installing ${missing.join(' ')} with apt-get (first run only) …`);
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', '--no-install-recommends', ...missing]]) {
    const r = run('apt-get', args);
    if (r.status !== 0) throw new MissingPackagesError(`apt-get ${args.join(' ')} failed (exit ${r.status}):\n${r.output.trim().split('\n').slice(-15).join('\n')}\nRun it yourself:\n  apt-get update && ${command}`);
  }
  const still = missingPackages(probe, options);
  if (still.length) throw new MissingPackagesError(`apt-get reported success but ${still.join(', ')} is still missing. Run:\n  apt-get update && apt-get install -y ${still.join(' ')}`);
  return missing;
}
