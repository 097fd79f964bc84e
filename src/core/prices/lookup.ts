// Price lookup over @pydantic/genai-prices, with custom prices from .promptcost.yaml taking precedence.
// An unknown model is reported unpriced with a reason, never as $0.
import type * as GenaiPrices from '@pydantic/genai-prices';
import type { ModelPrice, PriceCalculation, TieredPrices } from '@pydantic/genai-prices';
import type { Origin } from '../model';
import { parseModelId, type ParseOptions } from '../models/ids';
import { loadCachedPrices, priceDataInfo, updatePriceData, type UpdateOptions, type UpdateResult } from './refresh';

import { rateAt, type PriceRate } from './rates';

export { rateAt, type PriceRate };

export interface ModelPricing {
  priced: true;
  modelId: string;
  provider: string;
  input: PriceRate;
  output: PriceRate;
  cacheRead?: PriceRate;
  /** Cache writes: Anthropic's 5-minute write price (1.25× input); undefined where writes are free. */
  cacheWrite?: PriceRate;
  cacheWrite1h?: PriceRate;
  contextWindow?: number;
  /**
   * The price data prices input past the context window (a tier from it on: Claude Sonnet's 1M-token
   * beta above its standard 200k): the model takes longer prompts in a long-context mode, at that rate.
   */
  longContext?: boolean;
  source: Origin;
}

export interface Unpriced { priced: false; unpricedReason: string; provider?: string }

export type PriceLookup = ModelPricing | Unpriced;

export interface CustomPrice {
  inputUsdPerMillion: number;
  outputUsdPerMillion: number;
  cachedInputUsdPerMillion?: number;
  cacheWriteUsdPerMillion?: number;
  from: Origin;
}

let database: typeof GenaiPrices | undefined;

/**
 * The price database (~480 KB of JS, tens of milliseconds to load) loads on the first lookup, not with
 * this module: a language server then answers `initialize` and parses the first document sooner.
 */
export function priceDatabase(): typeof GenaiPrices {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  if (!database) {
    database = require('@pydantic/genai-prices') as typeof GenaiPrices;
    loadCachedPrices(database);
  }
  return database;
}

/** Fetches the current price data (explicit request only), applies it in this process and caches it for the next. */
export async function refreshPrices(options: Omit<UpdateOptions, 'db'> = {}): Promise<UpdateResult> {
  const result = await updatePriceData({ ...options, db: priceDatabase() });
  calcMemo.clear();
  return result;
}

function rate(value: number | TieredPrices | undefined): PriceRate | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number') return { baseUsdPerMillion: value, tiers: [] };
  return { baseUsdPerMillion: value.base, tiers: value.tiers.map((t) => ({ aboveInputTokens: t.start, usdPerMillion: t.price })) };
}


/**
 * Prices are looked up at 12:00 UTC today: deterministic within a day, and for providers with
 * time-of-day pricing (DeepSeek) that is the standard daytime rate, the honest basis for a projection.
 */
function pricingTimestamp(now = new Date()): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 12));
}

/**
 * Database answers by model, provider and day. A memo of a pure lookup (the database is immutable for
 * the life of the process, the date is part of the key): every prompt on every keystroke asks again.
 */
const calcMemo = new Map<string, PriceCalculation | null>();

function tryCalc(model: string, providerId?: string): PriceCalculation | null {
  const at = pricingTimestamp();
  const key = `${model}\0${providerId ?? ''}\0${at.getTime()}`;
  if (calcMemo.has(key)) return calcMemo.get(key)!;
  let result: PriceCalculation | null;
  try {
    result = priceDatabase().calcPrice({ input_tokens: 0, output_tokens: 0 }, model, { providerId, timestamp: at });
  } catch {
    result = null;
  }
  if (calcMemo.size > 5000) calcMemo.clear();
  calcMemo.set(key, result);
  return result;
}

function fromCalculation(model: string, calc: PriceCalculation): PriceLookup {
  const p: ModelPrice = calc.model_price;
  const input = rate(p.input_mtok);
  const output = rate(p.output_mtok);
  if (!input || !output) {
    return { priced: false, provider: calc.provider.id, unpricedReason: `${priceDataInfo().source} has no token prices for "${model}" (${calc.model.id}); add its price under prices: in .promptcost.yaml (inputUsdPerMillion, outputUsdPerMillion)` };
  }
  return {
    priced: true,
    modelId: calc.model.id,
    provider: calc.provider.id,
    input,
    output,
    cacheRead: rate(p.cache_read_mtok),
    cacheWrite: rate(p.cache_write_mtok),
    cacheWrite1h: rate(p.cache_write_1h_mtok),
    contextWindow: calc.model.context_window,
    ...(calc.model.context_window && input.tiers.some((t) => t.aboveInputTokens >= calc.model.context_window!) ? { longContext: true } : {}),
    source: `${priceDataInfo().source}@${priceDataInfo().version}`,
  };
}

/** What a user can do about a model the price data lacks: price it themselves, or fetch newer data. */
/** Why a model served locally (Ollama, LM Studio…) has no price: no bill, not a typo. */
export const LOCAL_MODEL_REASON = 'it runs locally, with no per-token bill; add its cost under prices: in .promptcost.yaml to include it';

const HOW_TO_PRICE = 'add its price under prices: in .promptcost.yaml (inputUsdPerMillion, outputUsdPerMillion), or, if it is newer than the data, run `prompt-cost prices --update` (in VS Code: Prompt Cost: Update Prices)';

/** Looks a model up: custom prices first (case-insensitive id), then the price database. */
export function lookupPrice(model: string, custom: Record<string, CustomPrice> = {}, ids: ParseOptions = {}): PriceLookup {
  const id = model.trim();
  const own = Object.entries(custom).find(([k]) => k.toLowerCase() === id.toLowerCase());
  if (own) {
    const c = own[1];
    const flat = (usd: number | undefined): PriceRate | undefined => (usd === undefined ? undefined : { baseUsdPerMillion: usd, tiers: [] });
    return {
      priced: true, modelId: id, provider: 'custom',
      input: flat(c.inputUsdPerMillion)!, output: flat(c.outputUsdPerMillion)!,
      cacheRead: flat(c.cachedInputUsdPerMillion), cacheWrite: flat(c.cacheWriteUsdPerMillion), source: c.from,
    };
  }
  if (!id) return { priced: false, unpricedReason: 'no model given' };

  const parsed = parseModelId(id, ids);
  if (parsed.local) {
    return { priced: false, provider: parsed.via, unpricedReason: LOCAL_MODEL_REASON };
  }
  if (parsed.problem) return { priced: false, provider: parsed.provider, unpricedReason: parsed.problem };

  // The provider the id names first (Bedrock, Azure, OpenRouter, Groq price the same model differently),
  // then the bare model, then the id as OpenRouter writes it.
  if (parsed.provider) {
    const viaProvider = tryCalc(parsed.model, parsed.provider);
    if (viaProvider) return fromCalculation(id, viaProvider);
  }
  const direct = tryCalc(parsed.model);
  if (direct && (!parsed.provider || parsed.provider === 'openrouter' || direct.provider.id === parsed.provider || !parsed.via || (parsed.provider === 'azure' && direct.provider.id === 'openai'))) return fromCalculation(id, direct);
  if (parsed.model !== id) {
    const whole = tryCalc(id);
    if (whole) return fromCalculation(id, whole);
  }
  if (id.includes('/')) {
    const viaRouter = tryCalc(id.slice(id.indexOf('/') + 1).includes('/') ? id.slice(id.indexOf('/') + 1) : id, 'openrouter');
    if (viaRouter) return fromCalculation(id, viaRouter);
  }
  if (parsed.via && parsed.provider && parsed.provider !== 'openrouter') {
    return { priced: false, provider: parsed.provider, unpricedReason: `${priceDataInfo().source} ${priceDataInfo().version} has no ${parsed.via} price for "${parsed.model}"; ${HOW_TO_PRICE}` };
  }
  return {
    priced: false,
    unpricedReason: `not in ${priceDataInfo().source} ${priceDataInfo().version} (data as of ${priceDataInfo().asOf.slice(0, 10)}); ${HOW_TO_PRICE}`,
  };
}
