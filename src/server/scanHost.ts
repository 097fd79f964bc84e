// The language server's workspace scan, in a worker thread of its own (documentWorker.ts, role 'scan'):
// the walk, the scan workers' results, what the scan does after them on its own thread (prompt texts
// loaded at run time, template variables), the token counts of every prompt found and each file's
// pricing. The server's thread gets the detections, the counts (it seeds them) and the pricing (kept
// while its inputs hold), never the work. Stopping a scan stops
// its worker.
import { Worker } from 'worker_threads';
import type { FileAnalysis, PriceOptions } from '../core/analyze';
import type { FileBudgets } from '../core/budgets';
import type { WorkspaceDetections } from '../core/workspace';
import { workerEntry } from './documentPool';

export interface ScanHostData {
  role: 'scan';
  root: string;
  budgets: Partial<FileBudgets>;
  options: { exclude?: string[]; heuristics?: boolean };
  /** The pricing the counts are for (the server's at the start of the scan). */
  priceOptions: PriceOptions;
}

export type FromScanHost =
  | { type: 'progress'; done: number; total: number }
  | { type: 'scanned'; scan: WorkspaceDetections; counts: [string, number][]; analyses: Map<string, FileAnalysis> }
  | { type: 'failed'; message: string };

/** The scan of `data.root`; undefined when stopped through `signal`. */
export function scanInWorker(data: Omit<ScanHostData, 'role'>, onProgress: (done: number, total: number) => void, signal: AbortSignal): Promise<{ scan: WorkspaceDetections; counts: [string, number][]; analyses: Map<string, FileAnalysis> } | undefined> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return resolve(undefined);
    const entry = workerEntry();
    const w = new Worker(entry.file, { execArgv: entry.execArgv, workerData: { ...data, role: 'scan' } satisfies ScanHostData });
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', abort);
      void w.terminate();
      fn();
    };
    const abort = () => settle(() => resolve(undefined));
    signal.addEventListener('abort', abort, { once: true });
    w.on('message', (m: FromScanHost) => {
      if (m.type === 'progress') onProgress(m.done, m.total);
      else if (m.type === 'scanned') settle(() => resolve({ scan: m.scan, counts: m.counts, analyses: m.analyses }));
      else settle(() => reject(new Error(m.message)));
    });
    w.on('error', (e) => settle(() => reject(e)));
    w.on('exit', (code) => settle(() => reject(new Error(`the scan worker exited with code ${code}`))));
  });
}
