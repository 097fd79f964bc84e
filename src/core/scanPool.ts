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

/** One share of the files, through as many workers as its over-budget files need. */
function runShare(share: string[], options: DetectBatchOptions, onFileDone: () => void, budgetMs: number, signal?: AbortSignal): Promise<BatchResult> {
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
      const w = new Worker(entry.file, { execArgv: entry.execArgv, workerData: data });
      let reported = 0; // files of `queue` whose results arrived (they arrive in order)
      let stopped = false;
      let seen = -1;
      let since = performance.now();
      const watchdog = setInterval(() => {
        const at = Atomics.load(heartbeat, 0);
        if (at !== seen) {
          seen = at;
          since = performance.now();
          return;
        }
        if (at < 0 || performance.now() - since < budgetMs) return;
        // Over budget: stop this worker; the file is skipped, the unreported rest goes to a new one.
        stopped = true;
        clearInterval(watchdog);
        void w.terminate();
        out.skipped.push({ file: queue[at], reason: budgetReason(budgetMs) });
        if (options.deps) out.deps.push([queue[at], ['*']]);
        onFileDone();
        start([...queue.slice(reported, at), ...queue.slice(at + 1)]);
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
        if (!stopped) finish(e);
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

export function detectInWorkers(files: string[], options: DetectBatchOptions, workers: number, onFileDone: () => void, signal?: AbortSignal, budgetMs = FILE_BUDGET_MS): Promise<BatchResult[]> {
  // Dealt round-robin: neighbouring files are alike, so the shares come out about even.
  const shares: string[][] = Array.from({ length: workers }, () => []);
  files.forEach((f, i) => shares[i % workers].push(f));
  return Promise.all(shares.map((share) => runShare(share, options, onFileDone, budgetMs, signal)));
}
