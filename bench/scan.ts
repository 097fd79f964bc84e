// npm run bench:scan [-- DIR] — cold workspace scans: prompt-cost vs `rg -l` with the SDK keywords over
// the same tree, and re-analysis of one changed 5,000-line file. Without DIR a synthetic 6,000-file
// (~25 MB) tree is generated under bench/.data. Ratios within one run are what to compare.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Engine } from '../src/core/analyze';
import { emptyConfig } from '../src/core/config/types';
import { bigFile, makeTree } from './synthetic';

const ROOT = path.join(__dirname, '..');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function treeStats(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  for (const f of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!f.isFile() || f.parentPath.includes('node_modules')) continue;
    files++;
    bytes += fs.statSync(path.join(f.parentPath, f.name)).size;
  }
  return { files, bytes };
}

function timed(cmd: string, args: string[]): { ms: number; stdout: string; status: number | null } {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { maxBuffer: 1 << 30, encoding: 'utf8' });
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, stdout: r.stdout, status: r.status };
}

async function main() {
  let dir = process.argv[2];
  if (!dir) {
    dir = path.join(ROOT, 'bench', '.data', 'synthetic-6000');
    if (!fs.existsSync(dir)) {
      console.log('generating a synthetic 6,000-file tree in bench/.data …');
      makeTree(dir);
    }
  }
  dir = path.resolve(dir);
  const { files, bytes } = treeStats(dir);
  console.log(`tree: ${dir}\n  ${files} files, ${(bytes / 1e6).toFixed(1)} MB`);

  const cli = path.join(ROOT, 'dist', 'cli.js');
  const scans: number[] = [];
  let prompts = 0;
  for (let i = 0; i < 3; i++) {
    const r = timed(process.execPath, [cli, 'scan', dir, '--format', 'json']);
    if (r.status !== 0 && r.status !== 1) throw new Error(`scan failed with ${r.status}`);
    prompts = JSON.parse(r.stdout).prompts.length;
    scans.push(r.ms);
  }
  const keywords = 'openai|anthropic|generateText|streamText|generateObject|streamObject|langchain|PromptTemplate|generateContent|generate_content|litellm|ollama';
  const rg = spawnSync('rg', ['--version']).status === 0;
  const rgs: number[] = [];
  if (rg) for (let i = 0; i < 3; i++) rgs.push(timed('rg', ['-l', '-e', keywords, dir]).ms);

  const s = median(scans);
  console.log(`\ncold scan (process start to JSON), median of 3:`);
  console.log(`  prompt-cost scan   ${s.toFixed(0)} ms  ${(files / (s / 1000)).toFixed(0)} files/s  ${(bytes / 1e6 / (s / 1000)).toFixed(1)} MB/s  ${prompts} prompts`);
  if (rg) {
    const r = median(rgs);
    console.log(`  rg -l (keywords)   ${r.toFixed(0)} ms`);
    console.log(`  ratio ${(s / r).toFixed(1)}× rg (target ≤ 20×)`);
  } else console.log('  rg not installed (apt-get install ripgrep) — no comparison');

  // Re-analysing one changed file: the editor's path after a keystroke.
  const engine = new Engine();
  const text = bigFile();
  const options = { config: emptyConfig() };
  const first = await engine.analyze('big.ts', text, options);
  const times: number[] = [];
  for (let i = 0; i < 30; i++) {
    const edited = text.replace('Answer briefly', `Answer briefly ${i}`);
    const t = process.hrtime.bigint();
    engine.analyzeSync('big.ts', edited, options);
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  console.log(`\nre-analyse one changed 5,000-line file (${first.prompts.length} prompts), median of 30: ${median(times).toFixed(1)} ms (target ≤ 20 ms); p95 ${[...times].sort((a, b) => a - b)[Math.floor(times.length * 0.95)].toFixed(1)} ms`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
