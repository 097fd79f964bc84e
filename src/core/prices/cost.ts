// Cost arithmetic. Full precision throughout; rounding is the formatter's job.
import type { Cost } from '../model';
import type { ModelPricing, PriceLookup } from './lookup';
import { rateAt } from './rates';
import { own } from '../own';

/**
 * Batch APIs bill half the standard price: OpenAI Batch API ("50% discount", platform docs, Batch),
 * Anthropic Message Batches ("50% of standard API prices", docs, Batch processing), Google Gemini Batch
 * Mode ("50% of the standard cost", ai.google.dev, Batch Mode).
 */
export const BATCH_DISCOUNT: Record<string, number> = { openai: 0.5, anthropic: 0.5, google: 0.5, azure: 0.5 };

export const DEFAULT_DAYS_PER_MONTH = 30;

export interface CallTokens {
  /** All input tokens of one call, cached or not. */
  inputTokens: number;
  outputTokens: number;
  /** Of the input, tokens read from the provider's prompt cache (on average per call). */
  cacheReadTokens?: number;
  /** Of the input, tokens written to the cache (on average per call, already amortised). */
  cacheWriteTokens?: number;
}

export interface TrafficVolume { callsPerDay: number; daysPerMonth: number }

const PER_MILLION = 1_000_000;

export function perCallBreakdown(pricing: ModelPricing, call: CallTokens) {
  const cacheRead = Math.min(call.cacheReadTokens ?? 0, call.inputTokens);
  const cacheWrite = Math.min(call.cacheWriteTokens ?? 0, call.inputTokens - cacheRead);
  const uncached = call.inputTokens - cacheRead - cacheWrite;
  const inputRate = rateAt(pricing.input, call.inputTokens);
  // Without a listed cached price a provider gives no discount: a cache read costs the input rate.
  const readRate = pricing.cacheRead ? rateAt(pricing.cacheRead, call.inputTokens) : inputRate;
  const writeRate = pricing.cacheWrite ? rateAt(pricing.cacheWrite, call.inputTokens) : inputRate;
  return {
    uncachedInputUsd: (uncached * inputRate) / PER_MILLION,
    cacheReadUsd: (cacheRead * readRate) / PER_MILLION,
    cacheWriteUsd: (cacheWrite * writeRate) / PER_MILLION,
    outputUsd: (call.outputTokens * rateAt(pricing.output, call.inputTokens)) / PER_MILLION,
    uncachedInputTokens: uncached,
    cacheReadTokens: cacheRead,
    cacheWriteTokens: cacheWrite,
  };
}

export function computeCost(price: PriceLookup, call: CallTokens, traffic: TrafficVolume): Cost {
  if (!price.priced) return { priced: false, unpricedReason: price.unpricedReason };
  const breakdown = perCallBreakdown(price, call);
  const perCallUsd = breakdown.uncachedInputUsd + breakdown.cacheReadUsd + breakdown.cacheWriteUsd + breakdown.outputUsd;
  const perDayUsd = perCallUsd * traffic.callsPerDay;
  const monthlyUsd = perDayUsd * traffic.daysPerMonth;
  const discount = price.provider ? own(BATCH_DISCOUNT, price.provider) : undefined;
  return {
    priced: true,
    perCallUsd,
    per1kUsd: perCallUsd * 1000,
    perDayUsd,
    monthlyUsd,
    batchMonthlyUsd: discount === undefined ? undefined : monthlyUsd * (1 - discount),
    breakdown,
    prices: {
      inputUsdPerMillion: rateAt(price.input, call.inputTokens),
      outputUsdPerMillion: rateAt(price.output, call.inputTokens),
      cacheReadUsdPerMillion: price.cacheRead && rateAt(price.cacheRead, call.inputTokens),
      cacheWriteUsdPerMillion: price.cacheWrite && rateAt(price.cacheWrite, call.inputTokens),
      source: price.source,
    },
  };
}
