import * as assert from 'assert';
import { contextWindowExceeded } from '../../src/core/rules/contextWindow';
import type { PromptRuleContext } from '../../src/core/rules/types';

const anchor = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
const ctx = (cost: { contextWindow?: number; longContext?: boolean }, input: number) =>
  ({ report: { model: { id: 'm' }, tokens: { input, output: 1000, exact: true }, cost }, anchor } as unknown as PromptRuleContext);

describe('context-window-exceeded', () => {
  it('past the window: rejected, unless the price data prices input past it (a long-context mode takes it)', () => {
    assert.deepStrictEqual(contextWindowExceeded.check(ctx({ contextWindow: 200_000 }, 150_000)), []);
    assert.match(contextWindowExceeded.check(ctx({ contextWindow: 200_000 }, 300_000))[0].message, /but m has a 200,000-token context window\.$/);
    const long = contextWindowExceeded.check(ctx({ contextWindow: 200_000, longContext: true }, 300_000))[0].message;
    assert.match(long, /past m's standard 200,000-token context window: only its long-context mode takes it/);
  });
});
