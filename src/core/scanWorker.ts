// A scan worker thread: analyses its share of the files and posts the results back.
import { parentPort, workerData } from 'worker_threads';
import { analyzeBatch, type AnalyzeBatchOptions } from './workspace';

const { files, options } = workerData as { files: string[]; options: AnalyzeBatchOptions };
analyzeBatch(files, options, undefined, () => parentPort!.postMessage({ type: 'done' }))
  .then((r) => parentPort!.postMessage({ type: 'result', ...r }))
  .catch((e: Error) => {
    throw e;
  });
