// Price lookup over @pydantic/genai-prices, with custom prices from .promptcost.yaml taking precedence.
// An unknown model is reported unpriced with a reason, never as $0.
import type * as GenaiPrices from '@pydantic/genai-prices';
import type { ModelPrice, PriceCalculation, TieredPrices } from '@pydantic/genai-prices';
import type { Origin } from '../model';
import { parseModelId, type ParseOptions } from '../models/ids';
import * as fs from 'fs';
import * as path from 'path';
import { loadCachedPrices, priceCacheFile, priceDataInfo, updatePriceData, type UpdateOptions, type UpdateResult } from './refresh';

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
  lookupMemo.clear();
  kept = undefined; // read again: with the data updated, none is used
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
  const kept = keptLookups();
  if (calcMemo.has(key)) {
    const known = calcMemo.get(key)!;
    // (answered in this process before the cache was named: kept too)
    if (kept && !kept.answers.has(key)) keep(kept, key, known);
    return known;
  }
  let result: PriceCalculation | null;
  // (not over a database an update was applied to: its answers may differ)
  if (kept && priceDataInfo().from === 'bundled' && kept.answers.has(key)) result = kept.answers.get(key) as PriceCalculation | null;
  else {
    try {
      priceLookups.fromDatabase++;
      result = priceDatabase().calcPrice({ input_tokens: 0, output_tokens: 0 }, model, { providerId, timestamp: at });
    } catch {
      result = null;
    }
    if (kept) keep(kept, key, result);
  }
  if (calcMemo.size > 5000) calcMemo.clear();
  calcMemo.set(key, result);
  return result;
}

/** How many lookups this process asked the price database (a test counts them). */
export const priceLookups = { fromDatabase: 0 };

/** Forgets this process's memo of lookups (a test's fresh process; refreshPrices). */
export function forgetPriceLookups(): void {
  calcMemo.clear();
  lookupMemo.clear();
}

/**
 * The database's answers kept between runs (keepPriceLookups), so that a run pricing only models an
 * earlier run priced does not load the database (~480 KB of JS). Only the fields fromCalculation and
 * lookupPrice read are kept. Used with the bundled data alone: it is part of the build (the key), while
 * a cached update is applied only as the database loads (and says where the data is from).
 */
interface KeptLookups { file: string; key: string; answers: Map<string, unknown>; dirty: boolean }
let kept: KeptLookups | undefined | null;
let keptAt: { dir: string; build: string } | undefined;
const KEPT_FORMAT = 1;
const MAX_KEPT_LOOKUPS = 2000;

/** Keeps the database's answer to `key` (the bundled data's only). */
function keep(kept: KeptLookups, key: string, answer: PriceCalculation | null): void {
  if (priceDataInfo().from !== 'bundled' || kept.answers.size >= MAX_KEPT_LOOKUPS) return;
  kept.answers.set(key, answer && keptForm(answer));
  kept.dirty = true;
}

const keptForm = (c: PriceCalculation) => {
  const p = c.model_price;
  return {
    model_price: { input_mtok: p.input_mtok, output_mtok: p.output_mtok, cache_read_mtok: p.cache_read_mtok, cache_write_mtok: p.cache_write_mtok, cache_write_1h_mtok: p.cache_write_1h_mtok },
    provider: { id: c.provider.id }, model: { id: c.model.id, context_window: c.model.context_window },
  };
};

/**
 * Keeps the price database's answers in `dir` (a cache folder) for runs of this `build`; undefined
 * stops. savePriceLookups writes what was asked since.
 */
export function keepPriceLookups(dir: string | undefined, build: string): void {
  if (keptAt?.dir === dir && keptAt?.build === build) return;
  savePriceLookups();
  keptAt = dir ? { dir, build } : undefined;
  kept = undefined;
  lookupMemo.clear(); // (asked again through tryCalc, which keeps what this process answered before)
}

function keptLookups(): KeptLookups | undefined {
  // The bundled data only: none while there is a cached update (priceCacheFile), which the database applies.
  const update = priceCacheFile();
  if (!keptAt || (update && fs.existsSync(update))) return undefined;
  if (kept !== undefined) return kept ?? undefined;
  kept = null;
  const key = `${KEPT_FORMAT}\0${keptAt.build}\0${priceDataInfo().version}`;
  const file = path.join(keptAt.dir, 'price-lookups.json');
  let answers = new Map<string, unknown>();
  try {
    const m = JSON.parse(fs.readFileSync(file, 'utf8')) as { key: string; answers: [string, unknown][] };
    if (m?.key === key && Array.isArray(m.answers) && m.answers.every((a) => Array.isArray(a) && a.length === 2 && typeof a[0] === 'string' && (a[1] === null || isKeptForm(a[1])))) answers = new Map(m.answers);
  } catch { /* none or damaged: asked again */ }
  kept = { file, key, answers, dirty: false };
  return kept;
}

function isKeptForm(v: unknown): boolean {
  const c = v as ReturnType<typeof keptForm>;
  return !!c && typeof c === 'object' && !!c.model_price && typeof c.model_price === 'object' && !!c.provider && typeof c.provider.id === 'string' && !!c.model && typeof c.model.id === 'string';
}

/** Writes the answers asked of the database since they were read (keepPriceLookups); failing costs the next run the load. */
export function savePriceLookups(): void {
  if (!kept?.dirty) return;
  try {
    fs.mkdirSync(path.dirname(kept.file), { recursive: true, mode: 0o700 });
    const tmp = `${kept.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify({ key: kept.key, answers: [...kept.answers] }), { mode: 0o600 });
    fs.renameSync(tmp, kept.file);
    kept.dirty = false;
  } catch {
    // read-only or full disk
  }
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
  // The database's answer for a model is the same for every prompt of the day: looked up once (a file
  // of 500 calls of one model parsed its id and asked the database, up to four times, per call).
  const key = `${id}\0${ids.deployments && Object.keys(ids.deployments).length ? JSON.stringify(ids.deployments) : ''}\0${pricingTimestamp().getTime()}`;
  const known = lookupMemo.get(key);
  if (known) return known;
  const found = lookupInDatabase(id, ids);
  if (lookupMemo.size > 5000) lookupMemo.clear();
  lookupMemo.set(key, found);
  return found;
}

/** lookupPrice's answers from the database (not custom prices) by id, deployments and day; cleared with the lookups' memo. */
const lookupMemo = new Map<string, PriceLookup>();

function lookupInDatabase(id: string, ids: ParseOptions): PriceLookup {
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
