import * as assert from 'assert';
import { Engine } from '../../src/core/analyze';
import { emptyConfig, parseConfig } from '../../src/core/config';
import { breakdownMarkdown } from '../../src/core/report/breakdown';
import { PRICE_DATA } from '../../src/core/prices';
import { settingsTraffic, toSettings } from '../../src/core/settings';
import { normalizeModelId, parseModelId, providerOfModel } from '../../src/core/models/ids';
import { lookupPrice } from '../../src/core/prices';
import { promptfooReader } from '../../src/core/detect/files/promptfoo';
import { countWithEncoding as warmEncoder } from '../../src/core/tokens';

const ANTHROPIC_REQUEST_MODEL = `import Anthropic from '@anthropic-ai/sdk';
const anthropic = new Anthropic();
export async function POST(req: Request) {
  const { model, question } = await req.json();
  return anthropic.messages.create({ model, max_tokens: 300, system: 'You are a concise assistant for a bookshop.', messages: [{ role: 'user', content: question }] });
}
`;


// Load both encoders first: the engine's per-file count budget would otherwise include building them.
before(() => {
  warmEncoder('warm up', 'o200k_base');
  warmEncoder('warm up', 'cl100k_base');
});

describe('provider-aware default models', () => {
  it('a Groq client\'s call is priced at Groq\'s price for the model, not at another host\'s for the same weights', async () => {
    const code = 'from groq import Groq\nclient = Groq()\nclient.chat.completions.create(model="mixtral-8x7b-32768", messages=[{"role": "user", "content": "Name three rivers in Spain."}])\n';
    const r = await new Engine().analyze('bot.py', code, { config: emptyConfig() });
    const [p] = r.prompts;
    assert.strictEqual(p.model.id, 'groq/mixtral-8x7b-32768');
    assert.ok(p.cost.priced);
    const groq = lookupPrice('groq/mixtral-8x7b-32768');
    const other = lookupPrice('mixtral-8x7b-32768');
    assert.ok(groq.priced && other.priced);
    assert.notDeepStrictEqual(groq.input, other.input, 'the two hosts price it differently');
  });

  it('a run of an OpenAI Agents SDK agent with no model is OpenAI\'s: defaults.models.openai prices it, as it prices the agent', async () => {
    const code = 'from agents import Agent, Runner\n\nhelper = Agent(name="Helper", instructions="You answer questions about the office kitchen rota briefly.")\n\nasync def ask(question):\n    return await Runner.run(helper, f"The question from a colleague: {question}")\n';
    const config = parseConfig('defaults:\n  models:\n    openai: gpt-4.1\n');
    const r = await new Engine().analyze('bot.py', code, { config });
    const run = r.prompts.find((p) => p.kind === 'agent.run');
    assert.ok(run, r.prompts.map((p) => p.kind).join());
    assert.strictEqual(run.model.id, 'gpt-4.1');
  });

  it('an Anthropic call whose model is a request value gets the Anthropic default, estimated, never gpt-4o-mini', async () => {
    const r = await new Engine().analyze('app/api/route.ts', ANTHROPIC_REQUEST_MODEL, { config: emptyConfig() });
    const [p] = r.prompts;
    assert.strictEqual(p.kind, 'anthropic.messages');
    assert.strictEqual(p.model.id, 'claude-sonnet-4-5');
    assert.strictEqual(p.model.from, 'default for anthropic');
    assert.strictEqual(p.model.provider, 'anthropic');
    assert.strictEqual(p.tokens.exact, false, 'Claude has no public tokenizer: an estimate');
    assert.ok(p.cost.priced && p.cost.prices?.source.includes('genai-prices'));
    const hover = breakdownMarkdown(p, PRICE_DATA);
    assert.match(hover, /Model not resolved from the code/);
    assert.match(hover, /defaults\.models\.anthropic/);
  });

  it('a workspace default of another provider does not apply; one of the same provider does', async () => {
    const other = await new Engine().analyze('a.ts', ANTHROPIC_REQUEST_MODEL, { config: parseConfig('defaults:\n  model: gpt-4o\n') });
    assert.strictEqual(other.prompts[0].model.id, 'claude-sonnet-4-5');
    const same = await new Engine().analyze('a.ts', ANTHROPIC_REQUEST_MODEL, { config: parseConfig('defaults:\n  model: claude-3-5-haiku-20241022\n') });
    assert.strictEqual(same.prompts[0].model.id, 'claude-3-5-haiku-20241022');
    assert.strictEqual(same.prompts[0].model.from, '.promptcost.yaml:2');
  });

  it('defaults.models in .promptcost.yaml, then the setting, override the built-in default', async () => {
    const config = parseConfig('defaults:\n  models:\n    anthropic: claude-3-5-haiku-20241022\n');
    assert.deepStrictEqual(config.problems, []);
    const viaConfig = await new Engine().analyze('a.ts', ANTHROPIC_REQUEST_MODEL, { config });
    assert.deepStrictEqual(viaConfig.prompts[0].model, { id: 'claude-3-5-haiku-20241022', provider: 'anthropic', from: '.promptcost.yaml:3' });
    const settings = settingsTraffic(toSettings({ defaultModels: { anthropic: 'claude-opus-4-1' } }));
    const viaSetting = await new Engine().analyze('a.ts', ANTHROPIC_REQUEST_MODEL, { config: emptyConfig(), settings });
    assert.strictEqual(viaSetting.prompts[0].model.id, 'claude-opus-4-1');
    assert.strictEqual(viaSetting.prompts[0].model.from, 'setting promptCost.defaultModels.anthropic');
    const both = await new Engine().analyze('a.ts', ANTHROPIC_REQUEST_MODEL, { config, settings });
    assert.strictEqual(both.prompts[0].model.id, 'claude-3-5-haiku-20241022', 'the workspace file wins over the setting');
  });

  it('an annotation still wins; a misspelt provider key is a config problem with its line', async () => {
    const annotated = ANTHROPIC_REQUEST_MODEL.replace('  return anthropic', '  // prompt-cost: model=claude-3-haiku-20240307\n  return anthropic');
    const r = await new Engine().analyze('a.ts', annotated, { config: emptyConfig() });
    assert.strictEqual(r.prompts[0].model.id, 'claude-3-haiku-20240307');
    assert.ok(!(r.prompts[0].notes ?? []).some((n) => /not resolved/.test(n)));
    const bad = parseConfig('defaults:\n  models:\n    antropic: claude-3-haiku-20240307\n');
    assert.strictEqual(bad.problems.length, 1);
    assert.match(bad.problems[0].message, /:3: .*antropic/);
  });

  it('Gemini and OpenAI calls get their own providers\' defaults', async () => {
    const gemini = `import { GoogleGenAI } from '@google/genai';\nconst ai = new GoogleGenAI({});\nai.models.generateContent({ model: process.env.MODEL, contents: 'Write a haiku about tea.' });\n`;
    const g = await new Engine().analyze('g.ts', gemini, { config: emptyConfig() });
    assert.deepStrictEqual([g.prompts[0].model.id, g.prompts[0].model.from], ['gemini-2.5-flash', 'default for google']);
    const openai = `import OpenAI from 'openai';\nconst c = new OpenAI();\nc.chat.completions.create({ model: process.env.MODEL, messages: [{ role: 'user', content: 'Hello there, assistant.' }] });\n`;
    const o = await new Engine().analyze('o.ts', openai, { config: emptyConfig() });
    assert.deepStrictEqual([o.prompts[0].model.id, o.prompts[0].model.from, o.prompts[0].tokens.exact], ['gpt-4o-mini', 'default for openai', true]);
  });
});

describe('model ids as the ecosystem writes them', () => {
  it('promptfoo bedrock:converse:MODEL keeps the version suffix (was bedrock/0)', () => {
    assert.strictEqual(normalizeModelId('bedrock:converse:amazon.nova-pro-v1:0'), 'bedrock/amazon.nova-pro-v1:0');
    const r = promptfooReader.read('prompts:\n  - "Summarise: {{text}}"\nproviders:\n  - bedrock:converse:amazon.nova-pro-v1:0\n', { file: 'promptfooconfig.yaml' });
    assert.strictEqual(r.prompts[0].model?.id, 'bedrock/amazon.nova-pro-v1:0');
    const price = lookupPrice(r.prompts[0].model!.id);
    assert.ok(price.priced && price.provider === 'aws' && price.modelId === 'amazon.nova-pro-v1:0');
  });

  it('each platform prefix is parsed to the model and provider the price data knows', () => {
    const cases: [string, string, string][] = [
      ['bedrock/us.anthropic.claude-3-5-sonnet-20240620-v1:0', 'aws', 'anthropic'],
      ['bedrock/converse/amazon.nova-pro-v1:0', 'aws', 'aws'],
      ['vertex_ai/gemini-1.5-pro', 'google', 'google'],
      ['vertex_ai/claude-3-5-sonnet@20240620', 'anthropic', 'anthropic'],
      ['openrouter/anthropic/claude-3.5-sonnet', 'openrouter', 'anthropic'],
      ['litellm_proxy/anthropic/claude-3-5-sonnet-20240620', 'anthropic', 'anthropic'],
      ['groq/llama-3.3-70b-versatile', 'groq', 'groq'],
      ['azure/prod-gpt-4o-eastus', 'azure', 'openai'],
      // GitHub Models, as GenAIScript and promptfoo write it: the provider's own model and rates
      ['github:gpt-4o-mini', 'openai', 'openai'],
      ['github:openai/gpt-4.1', 'openai', 'openai'],
    ];
    for (const [id, priceProvider, family] of cases) {
      const p = lookupPrice(id);
      assert.ok(p.priced, `${id} is priced (${!p.priced ? p.unpricedReason : ''})`);
      assert.strictEqual(p.provider, priceProvider, id);
      assert.strictEqual(providerOfModel(id), family, id);
    }
  });

  it('azure/DEPLOYMENT: mapped by deployments: in the config, else unpriced saying how to map it', () => {
    const unmapped = lookupPrice('azure/support-bot');
    assert.ok(!unmapped.priced);
    assert.match(unmapped.unpricedReason, /deployments: in \.promptcost\.yaml/);
    const config = parseConfig('deployments:\n  support-bot: gpt-4o\n');
    assert.deepStrictEqual(config.deployments, { 'support-bot': 'gpt-4o' });
    const mapped = lookupPrice('azure/support-bot', {}, { deployments: config.deployments });
    assert.ok(mapped.priced && mapped.provider === 'azure' && mapped.modelId === 'gpt-4o');
  });

  it('an AzureOpenAI client\'s model is a deployment: mapped by deployments:, counted with the mapped model\'s tokenizer', async () => {
    const text = `import { AzureOpenAI } from 'openai';\nconst client = new AzureOpenAI({ apiVersion: '2024-10-21' });\nclient.chat.completions.create({ model: 'support-bot', messages: [{ role: 'user', content: 'Where is my parcel? It was due on Monday.' }] });\n`;
    const unmapped = (await new Engine().analyze('a.ts', text, { config: emptyConfig() })).prompts[0];
    assert.strictEqual(unmapped.model.id, 'azure/support-bot');
    assert.ok(!unmapped.cost.priced && /deployments:/.test(unmapped.cost.unpricedReason ?? ''));
    const mapped = (await new Engine().analyze('a.ts', text, { config: parseConfig('deployments:\n  support-bot: gpt-4o\n') })).prompts[0];
    assert.ok(mapped.cost.priced);
    assert.strictEqual(mapped.model.provider, 'azure');
    assert.strictEqual(mapped.tokens.exact, true, 'gpt-4o behind the deployment: o200k, exact');
  });

  it('local and unknown ids are unpriced with the reason', () => {
    const local = lookupPrice('ollama/llama3:8b');
    assert.ok(!local.priced && /runs locally/.test(local.unpricedReason));
    assert.ok(parseModelId('ollama:chat:llama3:8b').local);
    const groqMissing = lookupPrice('groq/not-a-real-model-xyz');
    assert.ok(!groqMissing.priced && /groq/.test(groqMissing.unpricedReason));
  });
});
