// npm run bench:cache -- DIR [--runs N] — the scan cache and the cost diff on a real tree (DIR must be a
// git work tree with a clean HEAD, e.g. a snapshot of vercel/ai committed once): `rg -l` with the SDK
// keywords, a cold scan (empty cache), a warm scan of the unchanged tree, and `diff --base HEAD` after
// one file changed: the first diff after the scans (the work tree's per-file side not kept yet), then
// first diffs (the base not kept yet, the edit new to the work tree's stored side; N of them, each
// another edit) and repeats (N); peak memory of each via /usr/bin/time where
// it exists. Ratios to rg are what to compare: this machine's absolute times move with its load, so each
// timed run is paired with an `rg -l` run just before it and the ratio reported is the median of the
// pairs' ratios.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const hasTime = fs.existsSync('/usr/bin/time');

function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): { ms: number; peakMb?: number; status: number | null } {
  const t = process.hrtime.bigint();
  const r = hasTime
    ? spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...args], { env, encoding: 'utf8', maxBuffer: 1 << 30 })
    : spawnSync(cmd, args, { env, encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  const kb = hasTime ? Number(r.stderr.trim().split('\n').pop()) : NaN;
  return { ms, peakMb: Number.isFinite(kb) ? kb / 1024 : undefined, status: r.status };
}

function main() {
  const dir = path.resolve(process.argv[2] ?? '');
  const runsAt = process.argv.indexOf('--runs');
  const runs = runsAt > 0 ? Math.max(1, Number(process.argv[runsAt + 1]) || 3) : 3;
  if (!process.argv[2] || !fs.existsSync(path.join(dir, '.git'))) {
    console.error('usage: npm run bench:cache -- DIR   (DIR: a git work tree, e.g. a committed snapshot of vercel/ai)');
    process.exit(2);
  }
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'prompt-cost-bench-cache-'));
  const env = { ...process.env, PROMPT_COST_CACHE_DIR: cache };
  const keywords = 'openai|anthropic|generateText|streamText|generateObject|streamObject|langchain|PromptTemplate|generateContent|generate_content|litellm|ollama';
  const rgOnce = () => timed('rg', ['-l', '-e', keywords, dir]).ms;
  const rgMs = median([rgOnce(), rgOnce(), rgOnce()]);
  const load = () => os.loadavg().map((x) => x.toFixed(1)).join(' ');
  console.log(`tree: ${dir}  (load average ${load()}, ${os.availableParallelism?.() ?? os.cpus().length} cores)\n  rg -l: ${rgMs.toFixed(0)} ms (median of 3)`);
  /** Runs `fn` n times, each right after an rg run: the median time, the median ratio to its rg, the peak. */
  const paired = (n: number, fn: () => { ms: number; peakMb?: number }) => {
    const runs = Array.from({ length: n }, () => {
      const rg = rgOnce();
      const r = fn();
      return { ...r, ratio: r.ms / rg };
    });
    return { ms: median(runs.map((r) => r.ms)), ratio: median(runs.map((r) => r.ratio)), peakMb: Math.max(...runs.map((r) => r.peakMb ?? 0)) || undefined };
  };
  const row = (name: string, r: { ms: number; ratio: number; peakMb?: number }) =>
    console.log(`  ${name.padEnd(38)} ${r.ms.toFixed(0).padStart(7)} ms  ${r.ratio.toFixed(1).padStart(6)}× rg -l${r.peakMb ? `  peak ${r.peakMb.toFixed(0)} MB` : ''}`);
  const scan = (...extra: string[]) => () => timed(process.execPath, [CLI, 'scan', dir, '--format', 'json', ...extra], env);
  // Seeds the tokenizer snapshot so that the cold figure is the scan's, not the first build of tiktoken's encoder.
  timed(process.execPath, [CLI, 'count', '--model', 'gpt-4o', path.join(ROOT, 'package.json')], env);
  row('cold scan (empty scan cache)', paired(1, scan()));
  row('warm scan, unchanged (median of 3)', paired(3, scan()));
  row('scan --no-cache', paired(1, scan('--no-cache')));
  // One file changed in the work tree: the diff reads the base from git and analyses what differs.
  const changed = spawnSync('rg', ['-l', '-e', 'generateText', '--type', 'ts', dir], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean).sort()[0];
  const original = fs.readFileSync(changed);
  const diff = () => timed(process.execPath, [CLI, 'diff', '--base', 'HEAD', dir, '--format', 'json'], env);
  // A first diff: the base not kept yet (no diff-sides), the work tree just edited (its stored report
  // is the unchanged tree's: the edit is new to it). Each of the `runs` is another edit of the file.
  let edits = 0;
  const firstDiff = () => {
    fs.rmSync(path.join(cache, 'detections', 'diff-sides'), { recursive: true, force: true });
    fs.writeFileSync(changed, Buffer.concat([Buffer.from(`// edited for the benchmark (${++edits})\n`), original]));
    return diff();
  };
  try {
    // The first diff after a scan: the scan keeps no per-file side of the work tree, so the diff scans it.
    row('diff after a scan, one file changed', paired(1, firstDiff));
    row(`diff, one file changed: 1st (median of ${runs})`, paired(runs, firstDiff));
    // A first diff links the base's unchanged files to the work tree's: their change times are new, and a
    // stat is proof only 2 s after its file last changed (scanManifest.ts RACY_MS). Repeats within those
    // 2 s check the work tree by content; after them, by stats.
    row(`  again at once (median of ${runs})`, paired(runs, diff));
    spawnSync('sleep', ['2.1']);
    row(`  again 2 s later (median of ${runs})`, paired(runs, diff));
  } finally {
    fs.writeFileSync(changed, original);
    fs.rmSync(cache, { recursive: true, force: true });
    console.log(`  (load average at the end ${load()})`);
  }
}

main();
