// The fuzz engine worker: inputs in, verdicts out. Run in a worker thread so that the main thread can
// stop it on a hang (per-input budget) and bound its heap (resourceLimits).
import { parentPort } from 'worker_threads';
import { Engine } from '../../src/core/analyze';
import { ensureLanguages } from '../../src/core/detect/code';
import { check, type Input } from './oracle';

const engine = new Engine();
const ready = Promise.all([ensureLanguages(['typescript', 'tsx', 'javascript', 'python'] as never), engine.prepare()]);
parentPort!.on('message', async (m: { id: number; input: Input }) => {
  await ready;
  const verdict = check(engine, m.input);
  parentPort!.postMessage({ id: m.id, verdict, heapMb: process.memoryUsage().heapUsed / 1048576 });
});
parentPort!.postMessage({ ready: true });
