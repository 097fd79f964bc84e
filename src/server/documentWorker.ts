// The language server's document worker: detects and counts the open documents off the main thread,
// one at a time, so that the main thread only answers requests (documentPool.ts is its other side).
// The same script runs the workspace scan (workerData.role 'scan', scanHost.ts): see the end.
// It keeps its own engine across documents — the last parse trees for incremental reparsing, the count
// memo — and the live text of the open documents, which imports read before the disk.
// Per document it posts `started` once the grammar is loaded (the main thread's budget watch begins),
// then the detection, the token counts its pricing needs (the main thread seeds them, so it never runs
// the tokenizer for an open document) and, for the detection cache, digests of what it read.
import { parentPort, workerData } from 'worker_threads';
import * as path from 'path';
import { Engine, type FileAnalysis } from '../core/analyze';
import { ensureLanguages, langForFile } from '../core/detect/code';
import { DetectionCache } from '../core/detectionCache';
import { guardedReader, refusalDiagnostics, type Refusal } from '../core/fileAccess';
import { isBudgetExceeded } from '../core/budgets';
import { toPosix } from '../core/text';
import { failedDetection } from './failedAnalysis';
import type { DocumentWorkerData, FromDocumentWorker, ToDocumentWorker } from './documentPool';
import type { FromScanHost, ScanHostData } from './scanHost';
import { detectWorkspace } from '../core/workspace';

const data = workerData as DocumentWorkerData | ScanHostData;
const { root, budgets } = data;
const engine = new Engine({ budgets, ...(data.role === 'scan' ? { keptTrees: 0 } : {}) });
/** The tokenizer's snapshot is read while the first grammar compiles; pricing waits for it. */
const prepared = data.role === 'scan' ? Promise.resolve() : engine.prepare();
/** Open documents' text by workspace-relative name: imports read them before the disk. */
const live = new Map<string, string>();
const post = (m: FromDocumentWorker | FromScanHost) => parentPort!.postMessage(m);

async function analyse(job: Extract<ToDocumentWorker, { type: 'analyse' }>): Promise<void> {
  const { id, rel, text } = job;
  const lang = langForFile(rel);
  const grammar = lang ? ensureLanguages([lang]) : undefined;
  engine.loadPrices(); // the first time, while the grammar compiles
  await grammar;
  await prepared;
  post({ type: 'started', id });
  const refusals: Refusal[] = [];
  const disk = root ? guardedReader(root, (r) => refusals.push(r)) : () => undefined;
  const readWorkspaceFile = (p: string) => live.get(p) ?? disk(p);
  const relative = (p: string) => {
    const abs = path.resolve(path.dirname(root ? path.join(root, rel) : rel), p);
    const r = root ? path.relative(root, abs) : abs;
    return toPosix(r.startsWith('..') || path.isAbsolute(r) ? abs : r);
  };
  const recorded = DetectionCache.recording({ heuristics: job.heuristics, readWorkspaceFile, readRelative: (p) => readWorkspaceFile(relative(p)) });
  try {
    const detection = engine.detectSync(rel, text, recorded.options);
    detection.diagnostics.push(...refusalDiagnostics(rel, detection.text, refusals));
    let analysis: FileAnalysis | undefined;
    const counts = engine.counter.recordCounts(() => (analysis = engine.price(detection, job.priceOptions)));
    post({ type: 'done', id, detection, analysis, counts, reads: DetectionCache.digests(recorded.reads) });
  } catch (e) {
    post({ type: 'done', id, detection: failedDetection(rel, text, e), counts: [], ...(isBudgetExceeded(e) ? {} : { error: (e as Error)?.stack ?? String(e) }) });
  }
}

/**
 * The workspace scan with everything it does after its scan workers (prompt texts loaded at run time,
 * template variables) and the token counts of every prompt it found: none of it on the server's thread.
 */
async function scan(d: ScanHostData): Promise<void> {
  let last = 0;
  const ws = await detectWorkspace({
    ...d.options, root: d.root!, engine, minWorkers: 1,
    onProgress: (done, total) => {
      const now = performance.now();
      if (done < total && now - last < PROGRESS_EVERY_MS) return;
      last = now;
      post({ type: 'progress', done, total });
    },
  });
  const analyses = new Map<string, FileAnalysis>();
  const counts = engine.counter.recordCounts(() => {
    for (const [rel, detection] of ws.detections) {
      try {
        analyses.set(rel, engine.price(detection, d.priceOptions));
      } catch {
        // priced on the main thread instead, where a failure is reported
      }
    }
  });
  post({ type: 'scanned', scan: { ...ws, cache: undefined }, counts, analyses });
}

const PROGRESS_EVERY_MS = 100;

if (data.role === 'scan') {
  scan(data).catch((e) => post({ type: 'failed', message: (e as Error)?.message ?? String(e) }));
}

// One message at a time, in order: an analysis waits for the grammar, and text updates sent after it
// must not reach the reader it is using.
let queue = Promise.resolve();
if (data.role !== 'scan') parentPort!.on('message', (m: ToDocumentWorker) => {
  queue = queue.then(async () => {
    if (m.type === 'texts') {
      for (const rel of m.drop) live.delete(rel);
      for (const [rel, text] of m.set) live.set(rel, text);
    } else await analyse(m);
  }).catch((e) => post({ type: 'done', id: m.type === 'analyse' ? m.id : -1, detection: failedDetection(m.type === 'analyse' ? m.rel : '', '', e), counts: [], error: (e as Error)?.stack ?? String(e) }));
});
