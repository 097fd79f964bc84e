// A scan worker thread: reads and detects its share of the files and posts the detections back; the
// main thread prices them (it has the tokenizer and price database loaded meanwhile).
import { parentPort, workerData } from 'worker_threads';
import { detectBatch, type DetectBatchOptions } from './workspace';

const { files, options } = workerData as { files: string[]; options: DetectBatchOptions };
// Progress goes back in batches: a message per file costs more than the file.
let unreported = 0;
void detectBatch(files, options, undefined, () => {
  if (++unreported >= 100) {
    parentPort!.postMessage({ type: 'done', files: unreported });
    unreported = 0;
  }
}).then((r) => {
  if (unreported) parentPort!.postMessage({ type: 'done', files: unreported });
  parentPort!.postMessage({ type: 'result', ...r });
});
