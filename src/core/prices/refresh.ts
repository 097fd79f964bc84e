// Prices that stay fresh: on an explicit request only (the "Prompt Cost: Update Prices" command,
// `prompt-cost prices --update`), fetch the price database's current data from where its maintainers
// publish it, validate it, and keep it in the user's cache with its date. Every later start uses the
// cached copy; any failure (no file, unreadable, invalid) falls back to the data bundled with the build.
// Nothing here runs in the background, and the URL can only be changed by the process environment or a
// command-line option, never by a workspace file.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type * as GenaiPrices from '@pydantic/genai-prices';
import type { PriceDataInfo } from '../model';
import { PRICE_DATA } from './priceData.generated';

/**
 * Where @pydantic/genai-prices publishes its current data: the package's own REMOTE_DATA_JSON_URL
 * (a test checks they agree; copied so that reading it does not load the whole database).
 */
export const PRICE_DATA_URL = 'https://raw.githubusercontent.com/pydantic/genai-prices/main/prices/new_data/v2/data.json';

/** Test and mirror override, from the environment only (a workspace file cannot set it). */
export const PRICE_URL_ENV = 'PROMPT_COST_PRICES_URL';

export const DEFAULT_FETCH_TIMEOUT_MS = 15_000;
/** The published file is ~1 MB; anything far larger is not it. */
const MAX_BYTES = 32 * 1024 * 1024;
const CACHE_FORMAT = 1;

interface CachedPrices { format: number; fetchedAt: string; url: string; bytes: number; providers: unknown[] }

/** The user's cache folder for prices: beside the tokenizer snapshots (PROMPT_COST_CACHE_DIR, else ~/.cache/prompt-cost). */
export function priceCacheFile(dir = process.env.PROMPT_COST_CACHE_DIR ?? path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'prompt-cost')): string | undefined {
  return dir ? path.join(dir, 'prices', 'genai-prices-data.json') : undefined;
}

/** A price value: a number, or tiers ({ base, tiers: [{ start, price }] }). */
function badRate(key: string, v: unknown): string | undefined {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? undefined : `${key} is ${v}`;
  if (v && typeof v === 'object' && typeof (v as { base?: unknown }).base === 'number' && Array.isArray((v as { tiers?: unknown }).tiers)) {
    for (const t of (v as { tiers: unknown[] }).tiers) if (!t || typeof (t as { start?: unknown }).start !== 'number' || typeof (t as { price?: unknown }).price !== 'number') return `${key} has a bad tier`;
    return undefined;
  }
  return `${key} is not a price (${JSON.stringify(v)?.slice(0, 40)})`;
}

/** A model's prices: one set of rates, or conditional sets ([{ constraint, prices }]). */
function badPrice(prices: unknown): string | undefined {
  const sets = Array.isArray(prices) ? prices.map((c) => (c as { prices?: unknown })?.prices) : [prices];
  for (const set of sets) {
    if (!set || typeof set !== 'object') return 'prices is not an object';
    for (const [k, v] of Object.entries(set)) if (v !== undefined && v !== null && k !== 'requests_kcount' && !/^_/.test(k)) {
      const bad = badRate(k, v);
      if (bad) return bad;
    }
  }
  return undefined;
}

/** What a provider list must look like before it replaces the bundled data (the library checks prices themselves). */
export function validateProviders(data: unknown): string | undefined {
  if (!Array.isArray(data)) return 'expected a JSON array of providers';
  if (data.length < 5) return `expected many providers, got ${data.length}`;
  for (const [i, p] of data.entries()) {
    if (!p || typeof p !== 'object') return `provider ${i} is not an object`;
    const { id, models } = p as { id?: unknown; models?: unknown };
    if (typeof id !== 'string' || !id) return `provider ${i} has no id`;
    if (!Array.isArray(models)) return `provider "${id}" has no models list`;
    for (const [j, m] of models.entries()) {
      if (!m || typeof m !== 'object' || typeof (m as { id?: unknown }).id !== 'string') return `provider "${id}" model ${j} has no id`;
      if (!('prices' in (m as object)) || !('match' in (m as object))) return `provider "${id}" model "${(m as { id: string }).id}" has no prices or match`;
      const bad = badPrice((m as { prices: unknown }).prices);
      if (bad) return `provider "${id}" model "${(m as { id: string }).id}": ${bad}`;
    }
  }
  const ids = new Set(data.map((p) => (p as { id: string }).id));
  for (const needed of ['openai', 'anthropic', 'google']) if (!ids.has(needed)) return `no "${needed}" provider`;
  return undefined;
}

/** Hands providers to the library (which validates prices and constraints); throws what it rejects. */
function apply(db: typeof GenaiPrices, providers: unknown[]): void {
  db.updatePrices(({ setProviderData }) => setProviderData(providers as Parameters<typeof setProviderData>[0]));
  // The library's own check of the new data: a known model must still price.
  const probe = db.calcPrice({ input_tokens: 1000, output_tokens: 0 }, 'gpt-4o');
  if (!probe || !(probe.input_price > 0)) throw new Error('the data does not price gpt-4o');
}

let active: PriceDataInfo = { ...PRICE_DATA };
let loadProblem: string | undefined;

/** Which price data this process uses: the bundled data, or a cached update with its date. */
export function priceDataInfo(): PriceDataInfo & { from: 'bundled' | 'cache'; problem?: string } {
  return { ...active, from: active.version.startsWith('update') ? 'cache' : 'bundled', ...(loadProblem ? { problem: loadProblem } : {}) };
}

/**
 * At the database's first load: the cached update, if there is a valid one, replaces the bundled data.
 * Never throws; a bad cache is reported by priceDataInfo().problem and the bundled data stays.
 */
export function loadCachedPrices(db: typeof GenaiPrices, file = priceCacheFile()): void {
  if (!file || !fs.existsSync(file)) return;
  try {
    const cached = JSON.parse(fs.readFileSync(file, 'utf8')) as CachedPrices;
    if (cached.format !== CACHE_FORMAT || typeof cached.fetchedAt !== 'string') throw new Error('not a price cache this version wrote');
    const problem = validateProviders(cached.providers);
    if (problem) throw new Error(problem);
    apply(db, cached.providers);
    active = { source: PRICE_DATA.source, version: `update of ${cached.fetchedAt.slice(0, 10)}`, asOf: cached.fetchedAt.slice(0, 10) };
    loadProblem = undefined;
  } catch (e) {
    loadProblem = `${file}: ${(e as Error).message}; the bundled prices (${PRICE_DATA.version}, ${PRICE_DATA.asOf}) are used`;
  }
}

export interface UpdateOptions {
  /** Overrides PRICE_DATA_URL (tests, mirrors); else PROMPT_COST_PRICES_URL, else the published location. */
  url?: string;
  timeoutMs?: number;
  /** Where the cache file goes (default priceCacheFile()). */
  file?: string;
  /** The database to apply the update to in this process, when it is loaded. */
  db?: typeof GenaiPrices;
  now?: Date;
}

export type UpdateResult =
  | { ok: true; url: string; file: string; fetchedAt: string; providers: number; models: number; bytes: number }
  | { ok: false; url: string; error: string; using: PriceDataInfo };

/** Fetches, validates and caches the current price data. Resolves with what happened; never rejects. */
export async function updatePriceData(options: UpdateOptions = {}): Promise<UpdateResult> {
  const url = options.url ?? process.env[PRICE_URL_ENV] ?? PRICE_DATA_URL;
  const file = options.file ?? priceCacheFile();
  const fail = (error: string): UpdateResult => ({ ok: false, url, error, using: priceDataInfo() });
  if (!file) return fail('no cache folder (PROMPT_COST_CACHE_DIR is empty)');
  if (!/^https?:\/\//.test(url)) return fail(`not an http(s) URL: ${url}`);
  let body: string;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS), redirect: 'follow' });
    if (!res.ok) return fail(`HTTP ${res.status} ${res.statusText}`.trim());
    const length = Number(res.headers.get('content-length') ?? 0);
    if (length > MAX_BYTES) return fail(`the response is ${length} bytes, more than price data can be`);
    body = await res.text();
  } catch (e) {
    const err = e as Error & { cause?: { code?: string } };
    return fail(err.name === 'TimeoutError' || err.name === 'AbortError' ? `no answer within ${(options.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS) / 1000} s` : `${err.message}${err.cause?.code ? ` (${err.cause.code})` : ''}`);
  }
  let providers: unknown;
  try {
    providers = JSON.parse(body);
  } catch (e) {
    return fail(`the response is not JSON: ${(e as Error).message}`);
  }
  const problem = validateProviders(providers);
  if (problem) return fail(`the data is not valid price data: ${problem}`);
  const list = providers as { models: unknown[] }[];
  if (options.db) {
    const previous = await options.db.waitForUpdate();
    try {
      apply(options.db, list);
    } catch (e) {
      // Keep what was in use: the library may have taken the data before the probe failed.
      if (previous) options.db.updatePrices(({ setProviderData }) => setProviderData(previous));
      return fail(`the price library rejected the data: ${(e as Error).message}`);
    }
  }
  const fetchedAt = (options.now ?? new Date()).toISOString();
  const cached: CachedPrices = { format: CACHE_FORMAT, fetchedAt, url, bytes: body.length, providers: list };
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(cached));
    fs.renameSync(tmp, file);
  } catch (e) {
    return fail(`could not write ${file}: ${(e as Error).message}`);
  }
  if (options.db) active = { source: PRICE_DATA.source, version: `update of ${fetchedAt.slice(0, 10)}`, asOf: fetchedAt.slice(0, 10) };
  return { ok: true, url, file, fetchedAt, providers: list.length, models: list.reduce((s, p) => s + p.models.length, 0), bytes: body.length };
}

/** Forgets the in-process state (tests). */
export function resetPriceDataInfo(): void {
  active = { ...PRICE_DATA };
  loadProblem = undefined;
}
