// npm run bench — the cost engine's performance targets, measured (never asserted in tests):
//  1. counting a 1 MB text vs tiktoken's own encode_ordinary on the same text, same process;
//  2. `prompt-cost count` on a short text in a cold process, vs bare tiktoken start-up and bare node.
// Figures vary with the machine's load: read the ratios, which are taken in one run.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { get_encoding } from 'tiktoken';
import { countWithEncoding } from '../src/core/tokens';
import { tempDir } from '../test/tempDir';

const ROOT = path.join(__dirname, '..');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

function corpus(bytes: number): string {
  const sources = ['README.md', 'docs/diagnostics/invalid-config.md', 'src/core/analyze.ts', 'src/core/workspace.ts', 'test/unit/tokens.test.ts'].map((f) => fs.readFileSync(path.join(ROOT, f), 'utf8'));
  sources.push('日本語のテキストとひらがな。Привет, мир! مرحبا بالعالم 👩‍💻🚀 <|endoftext|>\n');
  let out = '';
  for (let i = 0; Buffer.byteLength(out) < bytes; i++) out += sources[i % sources.length];
  return out;
}

function inProcess() {
  const text = corpus(1024 * 1024);
  const reference = get_encoding('o200k_base');
  countWithEncoding('warm up', 'o200k_base');
  reference.encode_ordinary('warm up');
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let i = 0; i < 7; i++) {
    let t = process.hrtime.bigint();
    const a = countWithEncoding(text, 'o200k_base');
    ours.push(ms(t));
    t = process.hrtime.bigint();
    const b = reference.encode_ordinary(text).length;
    theirs.push(ms(t));
    if (a !== b) throw new Error(`counts differ: ${a} vs ${b}`);
  }
  reference.free();
  const o = median(ours);
  const r = median(theirs);
  console.log(`1 MB count (${Buffer.byteLength(text)} bytes, o200k_base), median of 7:`);
  console.log(`  prompt-cost countWithEncoding  ${o.toFixed(1)} ms`);
  console.log(`  tiktoken encode_ordinary       ${r.toFixed(1)} ms`);
  console.log(`  ratio ${(o / r).toFixed(2)}× (target ≤ 1.2×)`);
}

function coldStarts() {
  const cli = path.join(ROOT, 'dist', 'cli.js');
  if (!fs.existsSync(cli)) throw new Error('dist/cli.js is missing: run `npm run build` first');
  const time = (args: string[], input = 'Summarize this ticket in one line.') => {
    const t = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { input, cwd: ROOT });
    if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
    return ms(t);
  };
  const bareTiktoken = `const {Tiktoken}=require('tiktoken/lite');const f=JSON.parse(require('fs').readFileSync(require.resolve('tiktoken/encoders/o200k_base.json'),'utf8'));new Tiktoken(f.bpe_ranks,f.special_tokens,f.pat_str).encode_ordinary(require('fs').readFileSync(0,'utf8'))`;
  const runs = { cli: [] as number[], cold: [] as number[], tiktoken: [] as number[], node: [] as number[] };
  const cacheDir = tempDir('pc-bench-cache-');
  process.env.PROMPT_COST_CACHE_DIR = cacheDir;
  time([cli, 'count']); // the first run builds the encoder and saves its snapshot
  for (let i = 0; i < 9; i++) {
    runs.cli.push(time([cli, 'count']));
    process.env.PROMPT_COST_CACHE_DIR = '';
    runs.cold.push(time([cli, 'count']));
    process.env.PROMPT_COST_CACHE_DIR = cacheDir;
    runs.tiktoken.push(time(['-e', bareTiktoken]));
    runs.node.push(time(['-e', '0']));
  }
  const c = median(runs.cli);
  const t = median(runs.tiktoken);
  console.log('\nCold process, short text on stdin, median of 9:');
  console.log(`  prompt-cost count              ${c.toFixed(0)} ms (target < 400 ms; encoder restored from its snapshot)`);
  console.log(`  prompt-cost count, no snapshot ${median(runs.cold).toFixed(0)} ms (the first run on a machine, or PROMPT_COST_CACHE_DIR=)`);
  console.log(`  bare tiktoken o200k + encode   ${t.toFixed(0)} ms  (prompt-cost / bare: ${(c / t).toFixed(2)}×)`);
  console.log(`  bare node                      ${median(runs.node).toFixed(0)} ms`);
}

inProcess();
coldStarts();
