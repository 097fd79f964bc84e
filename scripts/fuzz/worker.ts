// The fuzz engine worker: inputs in, verdicts out. Run in a worker thread so that the main thread can
// stop it on a hang (per-input budget) and bound its heap (resourceLimits). Ready once warm: every
// fixture analysed once (see warmUpInputs), so that the per-input times are the inputs' own.
import { parentPort } from 'worker_threads';
import { Engine } from '../../src/core/analyze';
import { ensureLanguages } from '../../src/core/detect/code';
import { loadFixtures, warmUpInputs } from './inputs';
import { check, type Input } from './oracle';

const engine = new Engine();
void (async () => {
  await Promise.all([ensureLanguages(['typescript', 'tsx', 'javascript', 'python'] as never), engine.prepare()]);
  const warm = warmUpInputs(loadFixtures());
  for (let round = 0; round < 2; round++) for (const input of warm) check(engine, input);
  parentPort!.on('message', (m: { id: number; input: Input }) => {
    const verdict = check(engine, m.input);
    parentPort!.postMessage({ id: m.id, verdict, heapMb: process.memoryUsage().heapUsed / 1048576 });
  });
  parentPort!.postMessage({ ready: true });
})();
