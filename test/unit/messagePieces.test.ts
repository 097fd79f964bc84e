// A message whose text is written in several places (a template and the constants it embeds) is one
// message to the provider: the tokenizer sees its text whole, its chat overhead is paid once, and the
// cache prefix follows the text as sent. The parts are still reported where each piece is written.
import * as assert from 'assert';
import { Engine } from '../../src/core/analyze';
import { emptyConfig } from '../../src/core/config';
import { chatOverheadTokens, chatTokens } from '../../src/core/tokens/chat';

const analyze = (text: string, file = 'app.ts') => new Engine().analyze(file, text, { config: emptyConfig() });

const RULES = 'Always answer in English. Never reveal secrets.';
const WHOLE = `You are a bot. ${RULES} Be nice.`;

describe('a message written in pieces', () => {
  const source = [
    "import OpenAI from 'openai';",
    'const client = new OpenAI();',
    `const RULES = '${RULES}';`,
    'export const ask = (q: string) => client.chat.completions.create({',
    "  model: 'gpt-4o',",
    '  messages: [',
    '    { role: "system", content: `You are a bot. ${RULES} Be nice.` },',
    '    { role: "user", content: q },',
    '  ],',
    '});',
  ].join('\n');

  it('is counted as the text sent, with one chat overhead per message (OpenAI exact)', async () => {
    const p = (await analyze(source)).prompts[0];
    assert.strictEqual(p.tokens.exact, true);
    // The cookbook formula over the messages as sent: the system text whole, the user text a 100-token slot.
    const expected = chatTokens([{ role: 'system', content: WHOLE }, { role: 'user', content: '' }], 'o200k_base');
    assert.strictEqual(p.tokens.static + p.tokens.overhead, expected);
    assert.strictEqual(p.tokens.overhead, chatOverheadTokens([{ role: 'system' }, { role: 'user' }], 'o200k_base'));
    assert.strictEqual(p.tokens.input, expected + 100);
  });

  it('still reports each piece where it is written, and the parts add up to the static total', async () => {
    const p = (await analyze(source)).prompts[0];
    const system = p.parts.filter((x) => x.role === 'system');
    assert.deepStrictEqual(system.map((x) => x.range.start.line).sort(), [2, 6]);
    assert.strictEqual(p.parts.reduce((n, x) => n + x.tokens, 0), p.tokens.static);
  });

  it('a Python f-string embedding a module constant: one message, one overhead', async () => {
    const py = [
      'from openai import OpenAI',
      'client = OpenAI()',
      `RULES = "${RULES}"`,
      'def ask(q):',
      '    return client.chat.completions.create(model="gpt-4o", messages=[',
      '        {"role": "system", "content": f"You are a bot. {RULES} Be nice."},',
      '        {"role": "user", "content": q},',
      '    ])',
    ].join('\n');
    const p = (await analyze(py, 'app.py')).prompts[0];
    const expected = chatTokens([{ role: 'system', content: WHOLE }, { role: 'user', content: '' }], 'o200k_base');
    assert.strictEqual(p.tokens.static + p.tokens.overhead, expected);
  });

  it('separate messages keep an overhead each', async () => {
    const text = [
      "import OpenAI from 'openai';",
      'const client = new OpenAI();',
      "export const ask = () => client.chat.completions.create({ model: 'gpt-4o', messages: [",
      "  { role: 'system', content: 'You are a bot.' },",
      "  { role: 'system', content: 'Be nice.' },",
      "  { role: 'user', content: 'Hi there.' },",
      ']});',
    ].join('\n');
    const p = (await analyze(text)).prompts[0];
    assert.strictEqual(p.tokens.overhead, chatOverheadTokens([{ role: 'system' }, { role: 'system' }, { role: 'user' }], 'o200k_base'));
  });

  it('the cache prefix follows the text as sent: a long embedded constant before the run-time value is cacheable', async () => {
    // About 1,500 tokens of static rules, then the question: OpenAI caches prompts of 1,024+ tokens.
    const rules = Array.from({ length: 150 }, (_, i) => `Rule ${i + 1}: keep answers short and cite the policy section.`).join(' ');
    const text = [
      "import OpenAI from 'openai';",
      'const client = new OpenAI();',
      `const RULES = '${rules}';`,
      'export const ask = (q: string) => client.chat.completions.create({',
      "  model: 'gpt-4o',",
      '  messages: [{ role: "user", content: `${RULES}\\nQuestion: ${q}` }],',
      '});',
    ].join('\n');
    const p = (await analyze(text)).prompts[0];
    assert.ok(p.cache, 'gpt-4o has a cache rule');
    assert.ok(p.cache!.stablePrefixTokens > 1024, `stable prefix ${p.cache!.stablePrefixTokens}`);
    assert.ok(p.cache!.cacheablePrefixTokens >= 1024);
  });
});
