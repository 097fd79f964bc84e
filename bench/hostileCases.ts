// The inputs that used to hang the engine (issue 10), shared by bench:hostile (the engine in one
// process) and bench:lsp-hostile (the language server under them).
export const TS = (content: string, before = '') => `import OpenAI from 'openai';\nconst c = new OpenAI();\n${before}c.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: ${content} }] });\n`;
export const PY = (content: string, before = '') => `from openai import OpenAI\nclient = OpenAI()\n${before}client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": ${content}}])\n`;

function sharing(n: number): string {
  const defs = ["const A0 = 'Repeat this sentence for the model to read. ';"];
  for (let i = 1; i <= n; i++) defs.push(`const A${i} = A${i - 1} + A${i - 1};`);
  return TS(`A${n}`, defs.join('\n') + '\n');
}

export const CASES: [string, string, string][] = [
  ["'ab' × 100,000 in one literal", 'a.py', PY(`"${'ab'.repeat(100_000)}"`)],
  ['A1 = A0 + A0 … 20 lines', 's20.ts', sharing(20)],
  ['A1 = A0 + A0 … 60 lines', 's60.ts', sharing(60)],
  ['14 chained .replaceAll, ×4 each', 'r.ts', TS("'aaaa'" + ".replaceAll('a', 'aaaa')".repeat(14))],
  ['a + chain of 2,000 terms', 'p.ts', TS(Array.from({ length: 2000 }, (_, i) => `'line ${i}\\n'`).join(' + '))],
  ['20,000 Python comment lines', 'c.py', PY('"Summarise this."', '# a comment line\n'.repeat(20_000))],
];
