// npm run bench:hostile — inputs that used to hang the engine (issue 10), timed through Engine.analyze
// in one process. Before the fixes: 'ab' × 100,000 took ~57 s to count, 20 lines of A1 = A0 + A0 took
// 54 s (60 never ended), 4,000 Python comment lines took ~15 s to parse here, 20,000 over 5 minutes.
// Read the figures as orders of magnitude: this machine's load varies.
import { Engine } from '../src/core/analyze';
import { emptyConfig } from '../src/core/config';
import { CASES, PY, TS } from './hostileCases';

(async () => {
  const engine = new Engine();
  await engine.analyze('warm.ts', TS("'warm up'"), { config: emptyConfig() });
  await engine.analyze('warm.py', PY('"warm up"'), { config: emptyConfig() });
  console.log('hostile inputs, Engine.analyze, one run each:');
  for (const [label, file, text] of CASES) {
    const t0 = performance.now();
    const r = await engine.analyze(file, text, { config: emptyConfig() });
    const ms = performance.now() - t0;
    const p = r.prompts[0];
    console.log(`  ${label.padEnd(34)} ${ms.toFixed(0).padStart(6)} ms  ${p ? `${p.tokens.input.toExponential(2)} tokens${p.tokens.exact ? '' : ' (estimate)'}` : 'no prompt'}`);
  }
})();
