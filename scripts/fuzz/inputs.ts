// The fuzz inputs: the fixtures, and mutation I of seed S built from them. Shared by the fuzz run and
// `scripts/fuzz/replay.ts` (one input in this process, for profiling), so both see the same input.
import * as fs from 'fs';
import * as path from 'path';
import type { Input } from './oracle';
import { mix, mutate, rng } from './mutate';

const ROOT = path.join(__dirname, '..', '..');

export interface Fixture { root: string; rel: string; text: string; kind: string }

const FIXTURE_ROOTS = ['test/fixtures', 'examples/demo-workspace', 'test/integration/workspace'];

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const abs = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' || e.name === '.vscode' ? [] : listFiles(abs);
    return e.isFile() ? [abs] : [];
  }).sort();
}

function kindOf(rel: string): string | undefined {
  if (/(^|\/)\.promptcost\.ya?ml$/.test(rel)) return 'config';
  if (rel.endsWith('.ipynb')) return 'notebook';
  if (/\.(ts|tsx|js|jsx|mjs|cjs)$/.test(rel)) return 'js';
  if (/\.py$/.test(rel)) return 'python';
  if (/\.(ya?ml|prompty|prompt|md)$/.test(rel)) return 'prompt-file';
  return undefined;
}

export function loadFixtures(): Fixture[] {
  const out: Fixture[] = [];
  for (const r of FIXTURE_ROOTS) {
    const root = path.join(ROOT, r);
    if (!fs.existsSync(root)) continue;
    for (const abs of listFiles(root)) {
      const rel = path.relative(root, abs).split(path.sep).join('/');
      const kind = kindOf(rel);
      if (!kind || /\.json$/.test(rel)) continue;
      out.push({ root, rel, text: fs.readFileSync(abs, 'utf8'), kind });
    }
  }
  return out;
}

/**
 * Every fixture as it is, once: run through an engine before the timed inputs, so that per-file times
 * are each file's own work and not the process's warm-up (lazy modules, the price database, a second
 * tokenizer, grammars compiling, the JIT's first tiers), which a long-running server or scan pays once.
 */
export function warmUpInputs(fixtures: Fixture[]): Input[] {
  const configs = fixtures.filter((f) => f.kind === 'config');
  return fixtures.filter((f) => f.kind !== 'config').map((t) => ({
    file: t.rel, text: t.text, config: configs.find((c) => c.root === t.root)?.text,
    siblings: Object.fromEntries(fixtures.filter((f) => f.root === t.root && f.rel !== t.rel && f.kind !== 'config').map((f) => [f.rel, f.text])),
  }));
}

/** `inputAt(seed, i)`: mutation i of run `seed` — the same input on every machine with the same fixtures. */
export function inputMaker(fixtures: Fixture[]): (seed: number, i: number) => { input: Input; ops: string[] } {
  const byKind = new Map<string, Fixture[]>();
  for (const f of fixtures) byKind.set(f.kind, [...(byKind.get(f.kind) ?? []), f]);
  const configs = byKind.get('config') ?? [];
  const targets = fixtures.filter((f) => f.kind !== 'config');
  // Configs are fuzzed as targets too: each priced against a prompt file of the same root.
  const configTargets = configs.map((c) => ({ config: c, with: fixtures.find((f) => f.root === c.root && f.kind === 'prompt-file') ?? targets[0] }));
  const siblingsOf = (root: string, except: string) => Object.fromEntries(fixtures.filter((f) => f.root === root && f.rel !== except && f.kind !== 'config').map((f) => [f.rel, f.text]));
  return (seed, i) => {
    const r = rng(mix(seed, i));
    if (configTargets.length && r() < 0.15) {
      const t = configTargets[Math.floor(r() * configTargets.length)];
      const other = configs[Math.floor(r() * configs.length)].text;
      const m = mutate(t.config.text, other, mix(seed, i) ^ 0x5bd1e995);
      return { input: { file: t.with.rel, text: t.with.text, siblings: siblingsOf(t.with.root, t.with.rel), config: m.text }, ops: ['config:', ...m.ops] };
    }
    const t = targets[Math.floor(r() * targets.length)];
    const same = byKind.get(t.kind)!;
    const other = same[Math.floor(r() * same.length)].text;
    const m = mutate(t.text, other, mix(seed, i) ^ 0x27d4eb2f);
    const config = configs.find((c) => c.root === t.root)?.text;
    return { input: { file: t.rel, text: m.text, siblings: siblingsOf(t.root, t.rel), config }, ops: m.ops };
  };
}
