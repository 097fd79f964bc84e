import * as assert from 'assert';
import { Engine } from '../../src/core/analyze';
import { emptyConfig } from '../../src/core/config';
import { formatTable } from '../../src/core/report/table';
import { summarize } from '../../src/core/workspace';

const analyze = (text: string) => new Engine().analyze('route.ts', text, { config: emptyConfig() });
const call = (model: string) => `import { generateText } from 'ai';\nawait generateText({ model: ${model}, system: 'You are a careful assistant for invoices and refunds.', prompt: 'Summarise the ticket.' });\n`;

describe('models given through provider wrappers', () => {
  it('AI SDK provider instances under any of their names keep their model and provider', async () => {
    const cases: [string, string, string | undefined][] = [
      ["amazonBedrock('us.anthropic.claude-opus-4-7')", 'bedrock/us.anthropic.claude-opus-4-7', 'wrapper'],
      ["vertexAnthropic('claude-sonnet-4-5')", 'claude-sonnet-4-5', 'wrapper'],
      ["deepSeek('deepseek-chat')", 'deepseek/deepseek-chat', 'wrapper'],
      ["perplexity('sonar')", 'perplexity/sonar', 'wrapper'],
    ];
    for (const [expr, id, from] of cases) {
      const [p] = (await analyze(call(expr))).prompts;
      assert.strictEqual(p.model.id, id, expr);
      assert.strictEqual(p.model.from, from, expr);
      assert.ok(p.cost.priced, `${expr}: ${p.cost.unpricedReason}`);
      assert.notStrictEqual(p.model.id, 'gpt-4o-mini');
    }
  });

  it("an unknown helper called with the model's name gives that model, or unpriced — never the default", async () => {
    const [known] = (await analyze(call("getModel('o3-mini')"))).prompts;
    assert.deepStrictEqual([known.model.id, known.cost.priced], ['o3-mini', true]);
    const [unknown] = (await analyze(call("myProvider('house-model-7')"))).prompts;
    assert.strictEqual(unknown.model.id, 'house-model-7');
    assert.strictEqual(unknown.cost.priced, false);
  });

  it('a model given as a shorthand property ({ model }) is the constant it names, in every SDK', async () => {
    const cases: [string, string][] = [
      ["import { generateText } from 'ai';\nimport { anthropic } from '@ai-sdk/anthropic';\nconst model = anthropic('claude-opus-4-1');\nawait generateText({ model, system: 'You are a careful assistant for invoices and refunds.', prompt: 'Summarise the ticket.' });\n", 'claude-opus-4-1'],
      ["import OpenAI from 'openai';\nconst client = new OpenAI();\nconst model = 'gpt-4o';\nconst max_tokens = 300;\nawait client.chat.completions.create({ model, max_tokens, messages: [{ role: 'system', content: 'You are a careful assistant for invoices and refunds.' }] });\n", 'gpt-4o'],
      ["import { ChatOpenAI } from '@langchain/openai';\nconst model = 'gpt-4.1';\nconst llm = new ChatOpenAI({ model });\nawait llm.invoke([['system', 'You are a careful assistant for invoices and refunds.']]);\n", 'gpt-4.1'],
    ];
    for (const [text, id] of cases) {
      const prompts = (await analyze(text)).prompts;
      assert.strictEqual(prompts.length, 1, text);
      assert.strictEqual(prompts[0].model.id, id, text);
      assert.notStrictEqual(prompts[0].model.from, 'default', text);
    }
  });

  it('the table marks an assumed model with * and says how to name it', async () => {
    const a = await analyze(call('pickModel()'));
    const b = await analyze(call("openai('gpt-4o')"));
    const report = summarize('/ws', [...a.prompts, ...b.prompts.map((p) => ({ ...p, id: 'x.ts:2', file: 'x.ts' }))], [], [], emptyConfig());
    const table = formatTable(report);
    assert.match(table, /gpt-4o-mini\*/);
    assert.doesNotMatch(table, /gpt-4o\*/);
    assert.match(table, /^\* 1 prompt: the model is not in the code, a default is assumed/m);
  });
});
