// The hover's "cheaper models": the closest cheaper models of the provider, and always the family's
// smaller tier when it is cheaper (gpt-4o → gpt-4o-mini, far below a dozen models priced in between).
import * as assert from 'assert';
import { isReasoningModel, smallerTiers, pickAlternatives, type Alternative } from '../../src/core/alternatives';
import { cheaperAlternatives } from '../../src/core/routing';
import { computeCost, lookupPrice } from '../../src/core/prices';
import type { PromptReport } from '../../src/core/model';

function report(model: string): PromptReport {
  const price = lookupPrice(model);
  assert.ok(price.priced, model);
  const c = computeCost(price, { inputTokens: 1000, outputTokens: 300 }, { callsPerDay: 1000, daysPerMonth: 30 });
  return { model: { id: model, provider: price.provider }, cost: { priced: true, monthlyUsd: c.monthlyUsd }, tokens: { input: 1000, output: 300 }, traffic: { callsPerDay: 1000, daysPerMonth: 30 } } as unknown as PromptReport;
}

describe('cheaper models (hover)', () => {
  it('gpt-4o is offered gpt-4o-mini; Sonnet its Haiku; Gemini Pro its Flash — closest first, three at most', () => {
    for (const [model, downgrade] of [['gpt-4o', 'gpt-4o-mini'], ['claude-sonnet-4-5', 'claude-haiku-4-5'], ['gemini-2.5-pro', 'gemini-2.5-flash'], ['gpt-4.1', 'gpt-4.1-mini']]) {
      const alts = cheaperAlternatives(report(model));
      assert.ok(alts.some((a) => a.model === downgrade), `${model}: ${alts.map((a) => a.model).join(', ')}`);
      assert.ok(alts.length <= 3);
      assert.deepStrictEqual(alts.map((a) => a.monthlyUsd), [...alts.map((a) => a.monthlyUsd)].sort((a, b) => b - a), 'closest first');
      assert.ok(alts.every((a) => a.monthlyUsd < report(model).cost.monthlyUsd!));
    }
  });

  it('a reasoning model is not offered for a chat model (its hidden reasoning is billed as output); it is for a reasoning one', () => {
    for (const model of ['gpt-4o', 'gpt-4.1']) {
      const alts = cheaperAlternatives(report(model));
      assert.ok(alts.length > 0, model);
      assert.ok(alts.every((a) => !/^(o\d|gpt-5)/.test(a.model)), `${model}: ${alts.map((a) => a.model).join(', ')}`);
    }
    const fromO3 = cheaperAlternatives(report('o3'));
    assert.ok(fromO3.some((a) => /^o\d/.test(a.model)), `o3: ${fromO3.map((a) => a.model).join(', ')}`);
    assert.ok(isReasoningModel('o4-mini') && isReasoningModel('openai/gpt-5-mini') && !isReasoningModel('gpt-5-chat-latest') && !isReasoningModel('gpt-4o'));
  });

  it("no fine-tune price row and no dated snapshot of a model that is listed undated", () => {
    const alts = cheaperAlternatives(report('gpt-4o'), 50).map((a) => a.model);
    assert.ok(alts.includes('gpt-3.5-turbo'), alts.join(', '));
    for (const junk of ['gpt-4o-mini-2024-07-18.ft-', 'gpt-3.5-turbo-0613', 'gpt-3.5-turbo-1106']) assert.ok(!alts.includes(junk), `${junk} offered: ${alts.join(', ')}`);
  });

  it('smallerTiers: the same name and version one size down, nearest first', () => {
    assert.deepStrictEqual(smallerTiers('gpt-4o'), ['gpt-4o-mini', 'gpt-4o-nano']);
    assert.deepStrictEqual(smallerTiers('gpt-4.1-mini'), ['gpt-4.1-nano']);
    assert.deepStrictEqual(smallerTiers('gpt-5-nano'), []);
    assert.deepStrictEqual(smallerTiers('claude-opus-4-5'), ['claude-sonnet-4-5', 'claude-haiku-4-5']);
    assert.deepStrictEqual(smallerTiers('claude-3-5-sonnet'), ['claude-3-5-haiku']);
    assert.deepStrictEqual(smallerTiers('gemini-2.5-flash'), ['gemini-2.5-flash-lite']);
    assert.deepStrictEqual(smallerTiers('gemini-2.5-flash-lite'), []);
    assert.deepStrictEqual(smallerTiers('mistral-large-latest'), ['mistral-medium-latest', 'mistral-small-latest']);
  });

  it('pickAlternatives keeps the closest when there is no smaller tier, and a `-latest` alias counts as the tier', () => {
    const a = (model: string, monthlyUsd: number): Alternative => ({ model, monthlyUsd, savingUsd: 100 - monthlyUsd, savingShare: (100 - monthlyUsd) / 100 });
    const ranked = [a('x-1', 90), a('x-2', 80), a('x-3', 70), a('claude-3-5-haiku-latest', 10)];
    assert.deepStrictEqual(pickAlternatives(ranked, 'something', 3).map((x) => x.model), ['x-1', 'x-2', 'x-3']);
    assert.deepStrictEqual(pickAlternatives(ranked, 'claude-3-5-sonnet', 3).map((x) => x.model), ['x-1', 'x-2', 'claude-3-5-haiku-latest']);
  });
});
