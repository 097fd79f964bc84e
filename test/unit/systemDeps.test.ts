// The integration harness's dependency step (test/integration/systemDeps.ts): on a machine without
// Chromium or code-server's build tools it installs them with apt-get as root, or stops with the exact
// command. The machine is described by a probe here; the harness uses the real one.
import * as assert from 'assert';
import { ensureSystemPackages, machineProbe, missingPackages, MissingPackagesError, type Probe } from '../integration/systemDeps';

/** A machine that has `installed` (commands and files) and gains what apt-get installs. */
function machine(installed: string[], { isRoot = true, apt = true } = {}) {
  const have = new Set(installed);
  if (apt) have.add('apt-get');
  const provides: Record<string, string[]> = {
    chromium: ['/usr/bin/chromium'], 'build-essential': ['g++', 'make'], python3: ['python3'], ripgrep: ['rg'], 'pkg-config': ['pkg-config'], 'libkrb5-dev': ['/usr/include/gssapi/gssapi.h'],
  };
  const calls: string[] = [];
  const probe: Probe = { has: (c) => have.has(c), exists: (f) => have.has(f), isRoot };
  const run = (cmd: string, args: string[]) => {
    calls.push([cmd, ...args].join(' '));
    if (args[0] === 'install') for (const p of args.filter((a) => !a.startsWith('-')).slice(1)) for (const x of provides[p] ?? []) have.add(x);
    return { status: 0, output: '' };
  };
  return { probe, run, calls };
}

const EVERYTHING = ['/usr/bin/chromium', 'g++', 'make', 'python3', 'rg', 'pkg-config', '/usr/include/gssapi/gssapi.h'];

describe('integration harness: system packages', () => {
  const saved = process.env.CHROMIUM;
  before(() => delete process.env.CHROMIUM);
  after(() => (saved === undefined ? delete process.env.CHROMIUM : (process.env.CHROMIUM = saved)));

  it('a fresh machine as root with apt: installs chromium and the build tools, then finds them', () => {
    const m = machine([]);
    const installed = ensureSystemPackages({ buildTools: true, log: () => undefined, probe: m.probe, run: m.run });
    assert.deepStrictEqual(installed, ['chromium', 'build-essential', 'python3', 'ripgrep', 'pkg-config', 'libkrb5-dev']);
    assert.deepStrictEqual(m.calls, ['apt-get update -qq', 'apt-get install -y -qq --no-install-recommends chromium build-essential python3 ripgrep pkg-config libkrb5-dev']);
    assert.deepStrictEqual(missingPackages(m.probe, { buildTools: true }), []);
  });

  it('code-server already installed: only chromium is needed', () => {
    const m = machine(['g++']);
    assert.deepStrictEqual(missingPackages(m.probe, { buildTools: false }), ['chromium']);
  });

  it('nothing missing: no apt-get at all', () => {
    const m = machine(EVERYTHING);
    assert.deepStrictEqual(ensureSystemPackages({ buildTools: true, log: () => undefined, probe: m.probe, run: m.run }), []);
    assert.deepStrictEqual(m.calls, []);
  });

  it('not root: stops with the exact command, installs nothing', () => {
    const m = machine(['g++', 'make', 'python3', 'rg', 'pkg-config', '/usr/include/gssapi/gssapi.h'], { isRoot: false });
    assert.throws(() => ensureSystemPackages({ buildTools: true, log: () => undefined, probe: m.probe, run: m.run }), (e: Error) => e instanceof MissingPackagesError && /\n {2}sudo apt-get update && sudo apt-get install -y chromium$/.test(e.message));
    assert.deepStrictEqual(m.calls, []);
  });

  it('no apt-get: says what is needed by its Debian name', () => {
    const m = machine([], { apt: false });
    assert.throws(() => ensureSystemPackages({ buildTools: false, log: () => undefined, probe: m.probe, run: m.run }), /need chromium .*no apt-get/);
  });

  it('apt-get failing is reported with the command to run by hand', () => {
    const m = machine([]);
    const failing = (cmd: string, args: string[]) => (args[0] === 'install' ? { status: 100, output: 'E: Unable to locate package chromium' } : m.run(cmd, args));
    assert.throws(() => ensureSystemPackages({ buildTools: false, log: () => undefined, probe: m.probe, run: failing }), /exit 100[\s\S]*Unable to locate[\s\S]*apt-get update && apt-get install -y chromium/);
  });

  it('the real probe sees this machine', () => {
    assert.strictEqual(machineProbe.has('sh'), true);
    assert.strictEqual(machineProbe.has('surely-no-such-command-xyz'), false);
  });
});
