// tsx scripts/fuzz/replay.ts --seed S --only I [--repeat N] [--cold]: one fuzz input through the engine in this
// process (no worker, no CLI), timed N times — to profile a slow input:
// warmed up first as the fuzz worker is (--cold: not).
//   node --cpu-prof -r tsx/cjs scripts/fuzz/replay.ts --seed 1 --only 2118 --repeat 5
import { Engine } from '../../src/core/analyze';
import { ensureLanguages } from '../../src/core/detect/code';
import { inputMaker, loadFixtures, warmUpInputs } from './inputs';
import { check } from './oracle';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? def : Number(process.argv[i + 1]);
};

(async () => {
  const seed = arg('seed', 1);
  const only = arg('only', 0);
  const repeat = arg('repeat', 3);
  const { input, ops } = inputMaker(loadFixtures())(seed, only);
  const engine = new Engine();
  await Promise.all([ensureLanguages(['typescript', 'tsx', 'javascript', 'python'] as never), engine.prepare()]);
  if (!process.argv.includes('--cold')) for (let round = 0; round < 2; round++) for (const w of warmUpInputs(loadFixtures())) check(engine, w);
  console.log(`#${only} ${input.file} [${ops.join(', ')}] ${input.text.length} chars`);
  for (let k = 0; k < repeat; k++) {
    // One engine for all runs, as the fuzz worker keeps one: later runs show what of the first was warm-up.
    const v = check(engine, input);
    console.log(`  run ${k + 1}: ${v.ms.toFixed(1)} ms, ${v.prompts} prompts${v.budget ? `, budget: ${v.budget}` : ''}${v.problems.length ? `, problems: ${v.problems.join('; ')}` : ''}`);
  }
})();
