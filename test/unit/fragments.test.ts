// Prompts assembled from fragments: what the parts hold, beyond where they start (the fixtures check that).
import * as assert from 'assert';
import { Engine } from '../../src/core/analyze';
import { emptyConfig } from '../../src/core/config';

const analyze = (text: string, file = 'app.ts') => new Engine().analyze(file, text, { config: emptyConfig() });

describe('prompts assembled from fragments', () => {
  it('message content that is only a placeholder is a slot with no static tokens', async () => {
    const r = await analyze("export const m = [{ role: 'system', content: 'You list the questions a reader asks about a story.' }, { role: 'user', content: '{{text}}' }];\n");
    const user = r.prompts[0].parts.find((p) => p.role === 'user');
    assert.strictEqual(user?.tokens, 0);
    assert.deepStrictEqual(user?.slots.map((s) => s.name), ['text']);
  });

  it('sections pushed into a list and joined: every section counted once, each where it is written', async () => {
    const text = [
      "import { generateText } from 'ai';",
      'export function run(extra: boolean) {',
      '  const sections: string[] = [];',
      "  sections.push('You are a research agent that answers with sources.');",
      "  if (extra) sections.push('Think step by step before you choose an action.');",
      "  return generateText({ model: 'openai/gpt-4o', system: sections.join('\\n\\n'), prompt: 'go' });",
      '}',
    ].join('\n');
    const r = await analyze(text);
    const system = r.prompts[0].parts.filter((p) => p.role === 'system');
    assert.deepStrictEqual(system.map((p) => p.range.start.line), [3, 4]);
    assert.ok(system.every((p) => p.tokens > 5));
  });

  it('a list mapped through a template: the template once per element, the elements where they are written', async () => {
    const text = [
      "import { generateText } from 'ai';",
      "const EXAMPLES = ['Shipped dark mode for the dashboard today.', 'Fixed slow exports on large reports.'];",
      "const BLOCK = EXAMPLES.map((e) => `<example>${e}</example>`).join('\\n');",
      "export const go = () => generateText({ model: 'openai/gpt-4o', prompt: `Write a note like these:\\n${BLOCK}` });",
    ].join('\n');
    const r = await analyze(text);
    const lines = r.prompts[0].parts.map((p) => p.range.start.line).sort();
    assert.deepStrictEqual(lines, [1, 1, 2, 3]);
  });

  it('a template filled through a literal regex (`.replace(/\\{audience\\}/g, a)`): the replaced part is a slot, not text', async () => {
    const text = [
      "import { generateText } from 'ai';",
      "const T = 'Write a product brief for {product} aimed at {audience}, in at most two hundred words.';",
      "export const go = (p: string, a: string) => generateText({ model: 'openai/gpt-4o', prompt: T.replace('{product}', p).replace(/\\{audience\\}/g, a) });",
    ].join('\n');
    const r = await analyze(text);
    assert.deepStrictEqual(r.prompts[0].parts[0].slots.map((s) => s.name), ['p', 'a']);
  });

  it('a variable given a default and replaced in branches: the longest text is priced, the others are alternatives', async () => {
    const text = [
      "import { generateText } from 'ai';",
      'export function go(mode: string) {',
      "  let system = 'Answer briefly and politely, in plain words.';",
      "  if (mode === 'expert') system = 'Answer as a domain expert: precise terms, cite standards where they apply, and state your assumptions.';",
      "  return generateText({ model: 'openai/gpt-4o', system, prompt: 'Why is the sky blue?' });",
      '}',
    ].join('\n');
    const r = await analyze(text);
    const system = r.prompts[0].parts.filter((p) => p.role === 'system');
    assert.deepStrictEqual(system.map((p) => [p.range.start.line, !!p.alternative]), [[3, false], [2, true]]);
  });
});
