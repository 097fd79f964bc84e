// A scan worker thread: reads and detects its share of the files and posts the detections back in
// batches; the main thread prices them (it has the tokenizer and price database loaded meanwhile). The
// index of the file it is on goes into shared memory: the main thread's per-file budget (scanPool.ts).
import { parentPort, workerData } from 'worker_threads';
import type { Detection } from './analyze';
import type { ScanReport } from './model';
import type { WorkerData, WorkerMessage } from './scanPool';
import { detectBatch } from './workspace';

const { files, options, heartbeat } = workerData as WorkerData;
// Results go back in batches: a message per file costs more than the file.
let batch: { files: number; detections: Detection[]; skipped: ScanReport['skipped'] } = { files: 0, detections: [], skipped: [] };
// What the files read (scanManifest.ts), posted with their batch.
const inputs = new Map<string, string>();
// What each file's detection read (FileDeps), when the scan keeps it.
const deps = new Map<string, string[]>();
const flush = () => {
  if (batch.files) parentPort!.postMessage({ type: 'done', ...batch, inputs: [...inputs], deps: [...deps] } satisfies WorkerMessage);
  batch = { files: 0, detections: [], skipped: [] };
  inputs.clear();
  deps.clear();
};
void detectBatch(files, options, undefined, undefined, undefined, {
  inputs,
  ...(options.deps ? { deps } : {}),
  onFileStart: (i) => Atomics.store(heartbeat, 0, i),
  onFileResult: (r) => {
    batch.files++;
    if (r.detection) batch.detections.push(r.detection);
    if (r.skipped) batch.skipped.push(r.skipped);
    if (batch.files >= 100) flush();
  },
}).then(() => {
  flush();
  parentPort!.postMessage({ type: 'end' } satisfies WorkerMessage);
});
