import * as assert from 'assert';
import { computeCost, lookupPrice, PRICE_DATA } from '../../src/core/prices';
import type { ModelPricing } from '../../src/core/prices';

const close = (actual: number | undefined, expected: number, what: string) =>
  assert.ok(actual !== undefined && Math.abs(actual - expected) < 1e-9 * Math.max(1, expected), `${what}: ${actual} ≠ ${expected}`);

describe('prices', () => {
  it('the worked example: GPT-4o, 5,200 in + 800 out, 10,000 calls/day', () => {
    // $2.50 / $10 per million: 5200 × 2.5e-6 + 800 × 10e-6 = 0.013 + 0.008 = $0.021 per call
    const gpt4o: ModelPricing = {
      priced: true, modelId: 'gpt-4o', provider: 'openai', source: 'test',
      input: { baseUsdPerMillion: 2.5, tiers: [] }, output: { baseUsdPerMillion: 10, tiers: [] },
    };
    const c = computeCost(gpt4o, { inputTokens: 5200, outputTokens: 800 }, { callsPerDay: 10_000, daysPerMonth: 30 });
    close(c.perCallUsd, 0.021, 'per call');
    close(c.per1kUsd, 21, 'per 1k');
    close(c.perDayUsd, 210, 'per day');
    close(c.monthlyUsd, 6300, 'per month');
    close(c.batchMonthlyUsd, 3150, 'batch');
  });

  it('the price database has GPT-4o at $2.50/$10, so the same example holds end to end', () => {
    const p = lookupPrice('gpt-4o');
    assert.ok(p.priced);
    const c = computeCost(p, { inputTokens: 5200, outputTokens: 800 }, { callsPerDay: 10_000, daysPerMonth: 30 });
    close(c.monthlyUsd, 6300, 'per month');
  });

  it('a model is looked up once, not once per prompt: the same answer for the same id and deployments', () => {
    // (each of 500 prompts of one model parsed its id and asked the database again)
    assert.strictEqual(lookupPrice('gpt-4o'), lookupPrice('gpt-4o'));
    assert.strictEqual(lookupPrice('gpt-4o', {}, { deployments: {} }), lookupPrice(' gpt-4o '));
    // deployments decide what an id is, so they are part of the question
    const deployed = lookupPrice('azure/prod-chat', {}, { deployments: { 'prod-chat': 'gpt-4o-mini' } });
    const other = lookupPrice('azure/prod-chat', {}, { deployments: { 'prod-chat': 'gpt-4o' } });
    assert.ok(deployed.priced && other.priced);
    assert.notStrictEqual(deployed.input.baseUsdPerMillion, other.input.baseUsdPerMillion);
    assert.strictEqual(lookupPrice('azure/prod-chat', {}, { deployments: { 'prod-chat': 'gpt-4o' } }), other);
    // custom prices come first, as before
    const custom = lookupPrice('gpt-4o', { 'GPT-4o': { inputUsdPerMillion: 1, outputUsdPerMillion: 2, from: 'config' } });
    assert.ok(custom.priced && custom.provider === 'custom' && custom.input.baseUsdPerMillion === 1);
  });

  it('prices cache reads and writes separately from uncached input', () => {
    const p: ModelPricing = {
      priced: true, modelId: 'm', provider: 'anthropic', source: 'test',
      input: { baseUsdPerMillion: 3, tiers: [] }, output: { baseUsdPerMillion: 15, tiers: [] },
      cacheRead: { baseUsdPerMillion: 0.3, tiers: [] }, cacheWrite: { baseUsdPerMillion: 3.75, tiers: [] },
    };
    const c = computeCost(p, { inputTokens: 10_000, outputTokens: 1000, cacheReadTokens: 6000, cacheWriteTokens: 2000 }, { callsPerDay: 1, daysPerMonth: 30 });
    close(c.breakdown!.uncachedInputUsd, (2000 * 3) / 1e6, 'uncached');
    close(c.breakdown!.cacheReadUsd, (6000 * 0.3) / 1e6, 'reads');
    close(c.breakdown!.cacheWriteUsd, (2000 * 3.75) / 1e6, 'writes');
    close(c.breakdown!.outputUsd, (1000 * 15) / 1e6, 'output');
    close(c.perCallUsd, 0.006 + 0.0018 + 0.0075 + 0.015, 'total');
  });

  it('applies long-context tiers by the prompt\'s input size', () => {
    const p = lookupPrice('claude-sonnet-4-5');
    assert.ok(p.priced && p.input.tiers.length > 0, 'claude-sonnet-4-5 has tiered prices in the database');
    const small = computeCost(p, { inputTokens: 100_000, outputTokens: 0 }, { callsPerDay: 1, daysPerMonth: 30 });
    const large = computeCost(p, { inputTokens: 300_000, outputTokens: 0 }, { callsPerDay: 1, daysPerMonth: 30 });
    assert.ok(large.perCallUsd! / 300_000 > small.perCallUsd! / 100_000, 'per-token price rises above the tier');
  });

  it('resolves dated, provider-prefixed and Azure-style ids', () => {
    for (const id of ['gpt-4o-2024-08-06', 'openai/gpt-4o', 'claude-sonnet-4-5-20250929', 'anthropic/claude-sonnet-4-5', 'googleai/gemini-2.0-flash', 'azure/gpt-4o']) {
      const p = lookupPrice(id);
      assert.ok(p.priced, `${id}: ${!p.priced ? p.unpricedReason : ''}`);
    }
    const p = lookupPrice('openai/gpt-4o');
    assert.ok(p.priced && p.provider === 'openai');
  });

  it('an unknown model is unpriced with a reason, never $0', () => {
    const p = lookupPrice('my-secret-model-v9');
    assert.strictEqual(p.priced, false);
    const c = computeCost(p, { inputTokens: 1000, outputTokens: 100 }, { callsPerDay: 100, daysPerMonth: 30 });
    assert.strictEqual(c.priced, false);
    assert.strictEqual(c.monthlyUsd, undefined);
    assert.match(c.unpricedReason!, /^not in @pydantic\/genai-prices [\d.]+ \(data as of \d{4}-\d{2}-\d{2}\);/);
    assert.match(c.unpricedReason!, /prompt-cost prices --update/);
    assert.match(c.unpricedReason!, /prices:/);
  });

  it('local Ollama models are unpriced, with a way to price them', () => {
    const p = lookupPrice('ollama/llama3.2');
    assert.strictEqual(p.priced, false);
    assert.match((p as { unpricedReason: string }).unpricedReason, /runs locally/);
  });

  it('custom prices from the config win over the database, case-insensitively', () => {
    const p = lookupPrice('FT:GPT-4O-MINI:ACME', { 'ft:gpt-4o-mini:acme': { inputUsdPerMillion: 0.3, outputUsdPerMillion: 1.2, from: '.promptcost.yaml:12' } });
    assert.ok(p.priced);
    assert.strictEqual(p.source, '.promptcost.yaml:12');
    const c = computeCost(p, { inputTokens: 1_000_000, outputTokens: 1_000_000 }, { callsPerDay: 1, daysPerMonth: 30 });
    close(c.perCallUsd, 1.5, 'custom per call');
  });

  it('states the price data version and date', () => {
    assert.strictEqual(PRICE_DATA.source, '@pydantic/genai-prices');
    assert.match(PRICE_DATA.asOf, /^\d{4}-\d{2}-\d{2}$/);
    // The generated file must match the installed package (run `npm run prices:date` after upgrading).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const installed = JSON.parse(require('fs').readFileSync('node_modules/@pydantic/genai-prices/package.json', 'utf8')).version;
    assert.strictEqual(PRICE_DATA.version, installed);
  });
});

describe('the price database as shipped (dist/vendor)', () => {
  const shipped = require('path').join(__dirname, '..', '..', 'dist', 'vendor', 'genai-prices.cjs') as string;

  it('holds the same data as the package: every provider, and prices for models of each', function () {
    if (!require('fs').existsSync(shipped)) this.skip(); // `npm test` builds first
    /* eslint-disable @typescript-eslint/no-require-imports */
    const vendor = require(shipped) as typeof import('@pydantic/genai-prices');
    const pkg = require('@pydantic/genai-prices') as typeof import('@pydantic/genai-prices');
    /* eslint-enable @typescript-eslint/no-require-imports */
    assert.match(require('fs').readFileSync(shipped, 'utf8').slice(0, 200), /JSON\.parse\(/, 'the data is shipped as JSON');
    const ids = ['openai', 'anthropic', 'google', 'mistral', 'deepseek', 'x-ai', 'groq', 'aws', 'azure', 'openrouter'];
    let models = 0;
    for (const id of ids) {
      const a = vendor.findProvider({ providerId: id });
      const b = pkg.findProvider({ providerId: id });
      assert.deepStrictEqual(JSON.parse(JSON.stringify(a ?? null)), JSON.parse(JSON.stringify(b ?? null)), id);
      for (const m of b?.models ?? []) {
        const usage = { input_tokens: 12_345, output_tokens: 678 };
        const at = new Date('2026-10-01T12:00:00Z');
        assert.deepStrictEqual(vendor.calcPrice(usage, m.id, { providerId: id, timestamp: at })?.total_price, pkg.calcPrice(usage, m.id, { providerId: id, timestamp: at })?.total_price, `${id}/${m.id}`);
        models++;
      }
    }
    assert.ok(models > 200, `compared ${models} models`);
  });
});
