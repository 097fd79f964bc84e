// Scan workers with a per-file time budget. Each worker reads and detects its share of the files and
// posts results in batches; it also writes the index of the file it is on into shared memory, a
// heartbeat the main thread checks. A file that takes longer than the budget — a parser or evaluator
// gone quadratic on hostile input — gets its worker terminated, is listed as skipped with the budget
// named, and a new worker carries on with the files not yet reported. One bad file costs at most the
// budget, never the scan; and a language server running its scan here keeps its main thread free.
import * as fs from 'fs';
import * as path from 'path';
import { Worker } from 'worker_threads';
import type { Detection } from './analyze';
import type { ScanReport } from './model';
import type { DetectBatchOptions } from './workspace';

/** Longest one file's read + detection may take in a scan worker before it is stopped (ms). */
export const FILE_BUDGET_MS = 10_000;

type Skipped = ScanReport['skipped'];
export interface BatchResult { detections: Detection[]; skipped: Skipped; inputs: [string, string][]; deps: [string, string[]][] }

/** What a worker posts: a batch of finished files (in order), then the end. */
export type WorkerMessage =
  | { type: 'done'; files: number; detections: Detection[]; skipped: Skipped; inputs: [string, string][]; deps: [string, string[]][] }
  | { type: 'end' };

export interface WorkerData { files: string[]; options: DetectBatchOptions; heartbeat: Int32Array }

/** The worker script: the bundle's sibling when bundled, the TypeScript source under tsx in development. */
function workerEntry(): { file: string; execArgv?: string[] } {
  const bundled = path.join(__dirname, 'scanWorker.js');
  if (fs.existsSync(bundled)) return { file: bundled };
  return { file: path.join(__dirname, 'scanWorker.ts'), execArgv: ['--require', 'tsx/cjs'] };
}

export function budgetReason(budgetMs: number): string {
  return `analysis took longer than the ${budgetMs >= 1000 ? `${budgetMs / 1000} s` : `${budgetMs} ms`} per-file budget; not analysed`;
}

/**
 * A scan worker's heap: the limit of its old generation and the size of its young one (MB). A heap
 * whose limit is 2 GB or more (a worker's default is the process's: ~4 GB on most machines) is let grow
 * to four times what it held after its last full collection before it is collected again; under that
 * limit V8 grows it by 1.3–2 times. A worker keeps little (its share's results go out in batches) and
 * makes garbage file by file: two workers on vercel/ai grew to ~125 MB of heap each, mostly garbage of
 * earlier files, the largest part of a cold scan's peak (425–467 MB; 351–357 MB with this limit, 336–344
 * MB with 512, the same report). A young generation of 24 MB instead of 48 holds less garbage too. Nothing
 * near the limit is live in a worker: a file whose analysis fills it is skipped as over the worker's
 * memory budget (memoryReason), and the worker's other files go on in a new one. (The fuzzer fails an
 * input whose worker passes 512 MB.)
 */
export const WORKER_HEAP_MB = { old: 1024, young: 24 };

export function memoryReason(oldMb = WORKER_HEAP_MB.old): string {
  return `analysis needed more than the ${oldMb} MB memory budget of a scan worker; not analysed`;
}

/** One share of the files, through as many workers as its over-budget files need. */
function runShare(share: string[], options: DetectBatchOptions, onFileDone: () => void, budgetMs: number, signal?: AbortSignal, heapMb = WORKER_HEAP_MB): Promise<BatchResult> {
  const entry = workerEntry();
  const out: BatchResult = { detections: [], skipped: [], inputs: [], deps: [] };
  return new Promise<BatchResult>((resolve, reject) => {
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      if (error) reject(error);
      else resolve(out);
    };
    const start = (queue: string[]) => {
      if (!queue.length) return finish();
      const heartbeat = new Int32Array(new SharedArrayBuffer(4));
      heartbeat[0] = -1;
      const data: WorkerData = { files: queue, options, heartbeat };
      const w = new Worker(entry.file, { execArgv: entry.execArgv, workerData: data, resourceLimits: { maxOldGenerationSizeMb: heapMb.old, maxYoungGenerationSizeMb: heapMb.young } });
      let reported = 0; // files of `queue` whose results arrived (they arrive in order)
      let stopped = false;
      let seen = -1;
      let since = performance.now();
      /** File `at` of the queue is skipped (this worker stopped): the unreported rest goes to a new one. */
      const skipAndGoOn = (at: number, reason: string) => {
        stopped = true;
        clearInterval(watchdog);
        void w.terminate();
        out.skipped.push({ file: queue[at], reason });
        if (options.deps) out.deps.push([queue[at], ['*']]);
        onFileDone();
        start([...queue.slice(reported, at), ...queue.slice(at + 1)]);
      };
      const watchdog = setInterval(() => {
        const at = Atomics.load(heartbeat, 0);
        if (at !== seen) {
          seen = at;
          since = performance.now();
          return;
        }
        if (at < 0 || performance.now() - since < budgetMs) return;
        skipAndGoOn(at, budgetReason(budgetMs));
      }, Math.max(20, Math.min(250, budgetMs / 4)));
      const abort = () => {
        stopped = true;
        clearInterval(watchdog);
        void w.terminate();
        finish();
      };
      signal?.addEventListener('abort', abort, { once: true });
      w.on('message', (m: WorkerMessage) => {
        if (stopped) return;
        if (m.type === 'done') {
          reported += m.files;
          out.detections.push(...m.detections);
          out.skipped.push(...m.skipped);
          for (const i of m.inputs) out.inputs.push(i);
          for (const d of m.deps) out.deps.push(d);
          for (let i = 0; i < m.files; i++) onFileDone();
        } else {
          stopped = true;
          clearInterval(watchdog);
          signal?.removeEventListener('abort', abort);
          finish();
        }
      });
      w.on('error', (e) => {
        clearInterval(watchdog);
        if (stopped) return;
        // Out of its heap on a file: that file is skipped, as over the time budget.
        const at = Atomics.load(heartbeat, 0);
        if ((e as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY' && at >= reported && at < queue.length) skipAndGoOn(at, memoryReason(heapMb.old));
        else finish(e);
      });
      w.on('exit', (code) => {
        clearInterval(watchdog);
        if (!stopped && !signal?.aborted) finish(new Error(`scan worker exited with code ${code}`));
      });
    };
    if (signal?.aborted) return finish();
    start(share);
  });
}

export function detectInWorkers(files: string[], options: DetectBatchOptions, workers: number, onFileDone: () => void, signal?: AbortSignal, budgetMs = FILE_BUDGET_MS, heapMb = WORKER_HEAP_MB): Promise<BatchResult[]> {
  // Dealt round-robin: neighbouring files are alike, so the shares come out about even.
  const shares: string[][] = Array.from({ length: workers }, () => []);
  files.forEach((f, i) => shares[i % workers].push(f));
  return Promise.all(shares.map((share) => runShare(share, options, onFileDone, budgetMs, signal, heapMb)));
}
