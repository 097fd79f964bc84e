// npm run bench:hostile — inputs that used to hang the engine (issue 10), timed through Engine.analyze
// in one process. Before the fixes: 'ab' × 100,000 took ~57 s to count, 20 lines of A1 = A0 + A0 took
// 54 s (60 never ended), 4,000 Python comment lines took ~15 s to parse here, 20,000 over 5 minutes.
// Read the figures as orders of magnitude: this machine's load varies.
import { Engine } from '../src/core/analyze';
import { emptyConfig } from '../src/core/config';

const TS = (content: string, before = '') => `import OpenAI from 'openai';\nconst c = new OpenAI();\n${before}c.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: ${content} }] });\n`;
const PY = (content: string, before = '') => `from openai import OpenAI\nclient = OpenAI()\n${before}client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": ${content}}])\n`;

function sharing(n: number): string {
  const defs = ["const A0 = 'Repeat this sentence for the model to read. ';"];
  for (let i = 1; i <= n; i++) defs.push(`const A${i} = A${i - 1} + A${i - 1};`);
  return TS(`A${n}`, defs.join('\n') + '\n');
}

const CASES: [string, string, string][] = [
  ["'ab' × 100,000 in one literal", 'a.py', PY(`"${'ab'.repeat(100_000)}"`)],
  ['A1 = A0 + A0 … 20 lines', 's20.ts', sharing(20)],
  ['A1 = A0 + A0 … 60 lines', 's60.ts', sharing(60)],
  ['14 chained .replaceAll, ×4 each', 'r.ts', TS("'aaaa'" + ".replaceAll('a', 'aaaa')".repeat(14))],
  ['a + chain of 2,000 terms', 'p.ts', TS(Array.from({ length: 2000 }, (_, i) => `'line ${i}\\n'`).join(' + '))],
  ['20,000 Python comment lines', 'c.py', PY('"Summarise this."', '# a comment line\n'.repeat(20_000))],
];

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
