// npm run fuzz -- --seconds N [--seed S] [--max M] [--only I] [--budget-ms B] [--heap-mb H] [--cli-every K] [--report FILE]
//
// Mutates the fixtures (test/fixtures, examples/demo-workspace, the integration workspace) — bytes and
// tokens; prompt files, code, notebooks and .promptcost.yaml — and runs each mutation through the
// engine in a worker thread, and every K-th one through the built CLI (`scan --format json`) too.
// Fails (exit 1) on an exception, a non-finite or negative number, an input that runs past the
// per-input budget, a worker past the heap bound, or a CLI exit other than 0/1/2 (or a stack trace).
// `--known FILE`: failure classes already filed and being fixed elsewhere (each names its issue); a
// failure all of whose problems match one is reported as known and does not fail the run.
// `--max M` stops after M mutations (with a large --seconds, a run of exactly M: the figure to quote);
// `--report FILE` writes the summary and the slowest inputs (each with its replay command) as JSON.
// Per-input times are each input's own: the worker analyses every fixture first (warm-up), and reports
// ready after. Seeded: mutation I of seed S is the same input everywhere (fixtures in sorted order); `--only I` replays one (and
// `tsx scripts/fuzz/replay.ts --seed S --only I` runs it in this process, for `node --cpu-prof`). Failing inputs are
// written to fuzz-out/ (ignored by git) with their seed, operations and problems.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { badNumbers, type Input, type Verdict } from './fuzz/oracle';
import { inputMaker, loadFixtures } from './fuzz/inputs';

const ROOT = path.join(__dirname, '..');
const SLOWEST = 30;

function args() {
  const a = process.argv.slice(2);
  const get = (name: string, def: number) => {
    const i = a.indexOf(`--${name}`);
    if (i < 0) return def;
    const n = Number(a[i + 1]);
    if (!Number.isFinite(n)) throw new Error(`--${name} needs a number, got ${a[i + 1]}`);
    return n;
  };
  return {
    seconds: get('seconds', 60), seed: get('seed', 1), max: get('max', Infinity), only: get('only', -1),
    budgetMs: get('budget-ms', 10000), heapMb: get('heap-mb', 512), cliEvery: get('cli-every', 25),
    quiet: a.includes('--quiet'),
    progress: a.includes('--progress'),
    known: a.includes('--known') ? a[a.indexOf('--known') + 1] : undefined,
    report: a.includes('--report') ? a[a.indexOf('--report') + 1] : undefined,
  };
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** The engine worker: one input at a time, stopped past the budget, its heap bounded. */
class EngineWorker {
  private w!: Worker;
  private ready!: Promise<void>;
  constructor(private readonly heapMb: number) {
    this.start();
  }

  private start(): void {
    this.w = new Worker(path.join(__dirname, 'fuzz', 'worker.ts'), { execArgv: ['--require', require.resolve('tsx/cjs')], resourceLimits: { maxOldGenerationSizeMb: this.heapMb } });
    this.ready = new Promise((resolve) => this.w.once('message', () => resolve()));
  }

  async run(input: Input, budgetMs: number): Promise<{ verdict?: Verdict; failure?: string; heapMb?: number }> {
    await this.ready;
    return new Promise((resolve) => {
      let done = false;
      const finish = (r: { verdict?: Verdict; failure?: string; heapMb?: number }, restart: boolean) => {
        if (done) return;
        done = true;
        clearInterval(timer);
        this.w.off('message', onMessage);
        this.w.off('error', onError);
        if (restart) {
          void this.w.terminate();
          this.start();
        }
        resolve(r);
      };
      const onMessage = (m: { verdict: Verdict; heapMb: number }) => finish({ verdict: m.verdict, heapMb: m.heapMb }, false);
      const onError = (e: Error) => finish({ failure: /out of memory|ERR_WORKER_OUT_OF_MEMORY/i.test(`${(e as NodeJS.ErrnoException).code} ${e.message}`) ? `memory: the worker ran past ${this.heapMb} MB of heap` : `worker error: ${e.message}` }, true);
      // The budget is CPU time (the process's, which is the worker's while the main thread waits): on a
      // busy machine an input gets a fraction of a core, and wall time would call that a hang. An input
      // that waits on something (a blocking read) uses no CPU: a wall limit of several budgets catches it.
      const cpu0 = process.cpuUsage();
      const wall0 = Date.now();
      const wallMs = Math.max(60_000, budgetMs * 6);
      const timer = setInterval(() => {
        const used = process.cpuUsage(cpu0);
        const cpuMs = (used.user + used.system) / 1000;
        if (cpuMs >= budgetMs) finish({ failure: `hang: no result within the ${budgetMs} ms per-input CPU budget` }, true);
        else if (Date.now() - wall0 >= wallMs) finish({ failure: `hang: no result within ${wallMs / 1000} s (${Math.round(cpuMs)} ms of CPU: waiting on something?)` }, true);
      }, Math.min(250, budgetMs));
      this.w.on('message', onMessage);
      this.w.on('error', onError);
      this.w.postMessage({ id: 0, input });
    });
  }

  stop(): Promise<number> {
    return this.w.terminate();
  }
}

/** The same input through the built CLI: a workspace with the mutated file, its siblings and config. */
function throughCli(input: Input, budgetMs: number): string[] {
  const cli = path.join(ROOT, 'dist', 'cli.js');
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'pc-fuzz-'));
  try {
    for (const [rel, text] of Object.entries({ ...input.siblings, [input.file]: input.text })) {
      fs.mkdirSync(path.dirname(path.join(ws, rel)), { recursive: true });
      fs.writeFileSync(path.join(ws, rel), text);
    }
    if (input.config !== undefined) fs.writeFileSync(path.join(ws, '.promptcost.yaml'), input.config);
    else fs.rmSync(path.join(ws, '.promptcost.yaml'), { force: true });
    const r = spawnSync(process.execPath, [cli, 'scan', ws, '--format', 'json'], { env: { ...process.env, PROMPT_COST_CEILING_DIRS: os.tmpdir() }, encoding: 'utf8', timeout: Math.max(60_000, budgetMs * 3), maxBuffer: 1 << 28 });
    const problems: string[] = [];
    if (r.error || r.signal) problems.push(`cli: ${r.signal ? `killed by ${r.signal} (past ${Math.max(60_000, budgetMs * 3)} ms?)` : r.error?.message}`);
    else if (![0, 1, 2].includes(r.status ?? -1)) problems.push(`cli: exit ${r.status}: ${r.stderr.split('\n').slice(0, 3).join(' | ')}`);
    else if (/\n\s+at \S+ \(/.test(r.stderr)) problems.push(`cli: a stack trace on stderr: ${r.stderr.split('\n').slice(0, 2).join(' | ')}`);
    else if (r.status === 2 && !/^prompt-cost: /.test(r.stderr)) problems.push(`cli: exit 2 without a message`);
    else if (r.status !== 2) {
      try {
        const report = JSON.parse(r.stdout);
        problems.push(...badNumbers({ totals: report.totals, prompts: report.prompts }).map((x) => `cli: non-finite or negative: ${x}`));
        for (const s of report.skipped ?? []) if (/analysis failed/.test(s.reason)) problems.push(`cli: ${s.file}: ${s.reason}`);
      } catch (e) {
        problems.push(`cli: stdout is not JSON (${(e as Error).message})`);
      }
    }
    return problems;
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  const o = args();
  const fixtures = loadFixtures();
  const inputAt = inputMaker(fixtures);
  const withCli = fs.existsSync(path.join(ROOT, 'dist', 'cli.js'));
  if (!withCli) console.error('fuzz: dist/cli.js is missing (npm run build): the CLI path is skipped');
  const known: { issue: string; ops: string; problem: string }[] = o.known ? JSON.parse(fs.readFileSync(path.resolve(o.known), 'utf8')) : [];
  const knownHits = new Map<string, number>();
  const worker = new EngineWorker(o.heapMb);
  const outDir = path.join(ROOT, 'fuzz-out');
  const times: number[] = [];
  const failures: { index: number; file: string; ops: string[]; problems: string[] }[] = [];
  let over500ms = 0;
  /** The slowest inputs seen, for the report (kept short: the top SLOWEST). */
  let slowest: { index: number; file: string; ms: number; ops: string[]; budget?: string }[] = [];
  let mutations = 0;
  let cliRuns = 0;
  let budgetSkips = 0;
  let peakHeap = 0;
  let peakRss = 0;
  const deadline = performance.now() + o.seconds * 1000;
  const t0 = performance.now();
  for (let i = o.only >= 0 ? o.only : 0; ; i++) {
    if (o.only >= 0 ? i > o.only : performance.now() > deadline || mutations >= o.max) break;
    const { input, ops } = inputAt(o.seed, i);
    mutations++;
    if (o.progress && mutations % 1000 === 0) {
      const s = [...times].sort((a, b) => a - b);
      console.error(`[fuzz] ${mutations} mutations, ${Math.round((performance.now() - t0) / 1000)} s, failures ${failures.length}, known ${JSON.stringify(Object.fromEntries(knownHits))}, p99 ${percentile(s, 99).toFixed(1)} ms, max ${(s[s.length - 1] ?? 0).toFixed(0)} ms`);
    }
    const res = await worker.run(input, o.budgetMs);
    const problems: string[] = [];
    if (res.failure) problems.push(res.failure);
    if (res.verdict) {
      problems.push(...res.verdict.problems);
      if (res.verdict.skipped === undefined) times.push(res.verdict.ms);
      if (res.verdict.budget) budgetSkips++;
      if (res.verdict.ms > 500) over500ms++;
      if (res.verdict.skipped === undefined && (slowest.length < SLOWEST || res.verdict.ms > slowest[slowest.length - 1].ms)) {
        slowest = [...slowest, { index: i, file: input.file, ms: +res.verdict.ms.toFixed(1), ops, budget: res.verdict.budget }].sort((a, b) => b.ms - a.ms).slice(0, SLOWEST);
      }
    }
    peakHeap = Math.max(peakHeap, res.heapMb ?? 0);
    peakRss = Math.max(peakRss, process.memoryUsage().rss / 1048576);
    if (withCli && (o.only >= 0 || i % o.cliEvery === 0)) {
      cliRuns++;
      problems.push(...throughCli(input, o.budgetMs));
    }
    const knownAs = problems.length ? known.find((k) => new RegExp(k.ops).test(ops.join(' ')) && problems.every((p) => new RegExp(k.problem).test(p))) : undefined;
    if (knownAs) {
      knownHits.set(knownAs.issue, (knownHits.get(knownAs.issue) ?? 0) + 1);
    } else if (problems.length) {
      failures.push({ index: i, file: input.file, ops, problems });
      fs.mkdirSync(outDir, { recursive: true });
      const base = path.join(outDir, `${o.seed}-${i}`);
      fs.writeFileSync(`${base}.input`, input.text);
      if (input.config !== undefined) fs.writeFileSync(`${base}.promptcost.yaml`, input.config);
      fs.writeFileSync(`${base}.json`, JSON.stringify({ seed: o.seed, index: i, file: input.file, ops, problems, replay: `npm run fuzz -- --seed ${o.seed} --only ${i}` }, null, 2));
      if (!o.quiet) console.error(`FAIL #${i} ${input.file} [${ops.join(', ')}]\n  ${problems.join('\n  ')}`);
    }
  }
  await worker.stop();
  const sorted = [...times].sort((a, b) => a - b);
  const summary = {
    seed: o.seed, seconds: Math.round((performance.now() - t0) / 100) / 10, mutations, cliRuns, fixtures: fixtures.length,
    failures: failures.length,
    exceptions: failures.filter((f) => f.problems.some((p) => /threw|worker error|exit 3|stack trace/.test(p))).length,
    nonFinite: failures.filter((f) => f.problems.some((p) => /non-finite/.test(p))).length,
    hangs: failures.filter((f) => f.problems.some((p) => /hang|killed/.test(p))).length,
    memory: failures.filter((f) => f.problems.some((p) => /memory/.test(p))).length,
    timed: sorted.length,
    msPerInput: { p50: +percentile(sorted, 50).toFixed(2), p99: +percentile(sorted, 99).toFixed(2), max: +(sorted[sorted.length - 1] ?? 0).toFixed(1) },
    over500ms, budgetSkips,
    peakWorkerHeapMb: Math.round(peakHeap), peakMainRssMb: Math.round(peakRss),
    known: Object.fromEntries(knownHits),
  };
  console.log(JSON.stringify(summary, null, 2));
  if (o.report) {
    const replay = (i: number) => `npm run fuzz -- --seed ${o.seed} --only ${i}`;
    fs.writeFileSync(path.resolve(o.report), JSON.stringify({ ...summary, slowest: slowest.map((s) => ({ ...s, replay: replay(s.index) })), failures: failures.map((f) => ({ ...f, replay: replay(f.index) })) }, null, 2) + '\n');
  }
  // Where the time goes: the ten slowest inputs, each with its mutation and replay (for `node --cpu-prof`, see replay.ts).
  if (slowest.length && !o.quiet) {
    console.log(`slowest ${Math.min(10, slowest.length)} (replay one: tsx scripts/fuzz/replay.ts --seed ${o.seed} --only I):`);
    for (const s of slowest.slice(0, 10)) console.log(`  #${s.index} ${s.ms} ms ${s.file}${s.budget ? ` (budget: ${s.budget})` : ''} [${s.ops.join(', ')}]`);
  }
  // Distinct problems, for the report.
  const distinct = new Map<string, number>();
  for (const f of failures) for (const p of f.problems) {
    const key = p.replace(/\d+(\.\d+)?/g, 'N').slice(0, 160);
    distinct.set(key, (distinct.get(key) ?? 0) + 1);
  }
  if (distinct.size) console.log(`distinct problems:\n${[...distinct].sort((a, b) => b[1] - a[1]).map(([k, n]) => `  ${n}× ${k}`).join('\n')}`);
  return failures.length ? 1 : 0;
}

main().then((code) => process.exit(code), (e) => {
  console.error(`fuzz: ${(e as Error).stack ?? e}`);
  process.exit(2);
});
