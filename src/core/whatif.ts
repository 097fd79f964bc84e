// The report panel's what-ifs: a prompt re-priced at another traffic, model or cache hit rate, and the
// savings levers of a workspace. Pure arithmetic over the report's rows and a price table, with the
// engine's own cost, caching and routing functions, so the webview bundles it and shows the same
// figures the CLI and the server would compute.
import { cachedMonthlyCost } from './cache/analyze';
import { cacheableTokens, cacheRuleFor, steadyHitRate } from './cache/rules';
import { computeCost } from './prices/cost';
import type { PriceTable, ViewPrompt } from './report/view';
import { rankAlternatives } from './alternatives';

export interface WhatIf {
  /** Multiplies every prompt's calls per day. */
  trafficMultiplier: number;
  /** Share of calls reading the cache, for every prompt with a caching rule; undefined keeps each prompt's own. */
  cacheHitRate?: number;
  /** Prompt id → the model to price it with instead. */
  models: Record<string, string>;
}

export const NO_WHAT_IF: WhatIf = { trafficMultiplier: 1, models: {} };

export function isNeutral(w: WhatIf): boolean {
  return w.trafficMultiplier === 1 && w.cacheHitRate === undefined && Object.keys(w.models).length === 0;
}

/** A prompt's figures under a what-if. */
export interface Priced {
  model: string;
  priced: boolean;
  unpricedReason?: string;
  callsPerDay: number;
  perCallUsd?: number;
  perDayUsd?: number;
  monthlyUsd?: number;
  batchMonthlyUsd?: number;
  cache?: { status: 'cached' | 'broken' | 'cacheable'; usd: number };
  /** $/month the levers would save: the closest cheaper model of the provider, caching fixed, batch API, compression. */
  levers: { cheaperModel: number; caching: number; batch: number; compression: number; cheaperModelId?: string };
}

function cacheStatus(p: ViewPrompt, savedUsd: number, fixUsd: number, broken: boolean): Priced['cache'] {
  if (!p.cache) return undefined;
  if (broken) return { status: 'broken', usd: fixUsd };
  if (p.cache.applied && savedUsd > 0) return { status: 'cached', usd: savedUsd };
  if (fixUsd > 0) return { status: 'cacheable', usd: fixUsd };
  return undefined;
}

const reported = new WeakMap<ViewPrompt, Priced>();

/** The prompt as the report priced it (no what-if): the engine's figures, untouched; once per row. */
function asReported(p: ViewPrompt, table: PriceTable): Priced {
  const known = reported.get(p);
  if (known) return known;
  const result = computeReported(p, table);
  reported.set(p, result);
  return result;
}

function computeReported(p: ViewPrompt, table: PriceTable): Priced {
  const c = p.cache;
  const asWritten = p.monthlyUsd ?? 0;
  const cachingFix = c ? Math.max(0, asWritten - c.monthlyWithCacheUsd) + (c.breaker?.lostMonthlyUsd ?? 0) : 0;
  const saved = c ? Math.max(0, c.monthlyWithoutCacheUsd - asWritten) : 0;
  return {
    model: p.model, priced: p.priced, ...(p.unpricedReason ? { unpricedReason: p.unpricedReason } : {}), callsPerDay: p.callsPerDay,
    perCallUsd: p.perCallUsd, perDayUsd: p.perDayUsd, monthlyUsd: p.monthlyUsd, batchMonthlyUsd: p.batchMonthlyUsd,
    cache: cacheStatus(p, saved, cachingFix, !!c?.breaker),
    levers: leversOf(p, p.model, asWritten, p.batchMonthlyUsd, cachingFix, p.callsPerDay, table, 1),
  };
}

function leversOf(p: ViewPrompt, _model: string, monthly: number, batchMonthly: number | undefined, caching: number, _callsPerDay: number, _table: PriceTable, trafficScale: number): Priced['levers'] {
  return {
    // Filled in by cheaperModelLever: ranking every model of the provider is the costly part, so the
    // report panel computes it after the first render.
    cheaperModel: 0,
    caching,
    // Only prompts the config says run offline (`batchable:`): a live, interactive call cannot wait for a batch.
    batch: batchMonthly === undefined || !p.batchable ? 0 : Math.max(0, monthly - batchMonthly),
    compression: (p.compress?.monthlySavingsUsd ?? 0) * trafficScale,
  };
}

const cheaperMemo = new WeakMap<PriceTable, Map<string, { savingUsd: number; model?: string }>>();

/**
 * The closest cheaper model of the provider for a prompt priced as `r` (routing's rankAlternatives
 * over the price table), and what it saves a month. Memoized per table and figures.
 */
export function cheaperModelLever(p: ViewPrompt, r: Priced, table: PriceTable): { savingUsd: number; model?: string } {
  if (!r.priced || r.monthlyUsd === undefined) return { savingUsd: 0 };
  const pricing = table.models[r.model];
  const list = pricing ? (table.byProvider[pricing.provider] ?? []) : [];
  if (!list.length) return { savingUsd: 0 };
  let memo = cheaperMemo.get(table);
  if (!memo) cheaperMemo.set(table, (memo = new Map()));
  const key = `${r.model}\0${p.tokensIn}\0${p.tokensOut}\0${r.callsPerDay}\0${p.daysPerMonth}\0${r.monthlyUsd}`;
  const known = memo.get(key);
  if (known) return known;
  const best = rankAlternatives({ cost: { monthlyUsd: r.monthlyUsd }, tokens: { input: p.tokensIn, output: p.tokensOut }, traffic: { callsPerDay: r.callsPerDay, daysPerMonth: p.daysPerMonth } },
    list.filter((id) => id !== r.model).map((id) => ({ id, price: table.models[id] })), r.model)[0];
  const result = best ? { savingUsd: best.savingUsd, model: best.model } : { savingUsd: 0 };
  memo.set(key, result);
  return result;
}

/** Fills in the cheaper-model lever of `r` (see cheaperModelLever). */
export function withCheaperModel(p: ViewPrompt, r: Priced, table: PriceTable): Priced {
  const c = cheaperModelLever(p, r, table);
  r.levers.cheaperModel = c.savingUsd;
  if (c.model) r.levers.cheaperModelId = c.model;
  else delete r.levers.cheaperModelId;
  return r;
}

/** Re-prices one prompt under `w`. With no what-if the report's own figures come back unchanged. */
export function priceWhatIf(p: ViewPrompt, w: WhatIf, table: PriceTable, options: { cheaperModel?: boolean } = {}): Priced {
  const r = priceWithoutRouting(p, w, table);
  return options.cheaperModel === false ? r : withCheaperModel(p, r, table);
}

function priceWithoutRouting(p: ViewPrompt, w: WhatIf, table: PriceTable): Priced {
  const model = w.models[p.id] ?? p.model;
  if (w.trafficMultiplier === 1 && w.cacheHitRate === undefined && model === p.model) return { ...asReported(p, table), levers: { ...asReported(p, table).levers } };
  const callsPerDay = p.callsPerDay * w.trafficMultiplier;
  const traffic = { callsPerDay, daysPerMonth: p.daysPerMonth };
  const pricing = table.models[model];
  if (!pricing || (!p.priced && model === p.model)) {
    const reason = model === p.model ? p.unpricedReason ?? 'unpriced' : `no price for "${model}" in the report's price table`;
    return { model, priced: false, unpricedReason: reason, callsPerDay, levers: { cheaperModel: 0, caching: 0, batch: 0, compression: 0 } };
  }
  const call = { inputTokens: p.tokensIn, outputTokens: p.tokensOut };
  const rule = p.cache ? cacheRuleFor(pricing.provider, model) : undefined;
  let cost = computeCost(pricing, call, traffic);
  let cachingFix = 0;
  let saved = 0;
  let broken = false;
  if (rule && p.cache && (pricing.cacheRead || rule.provider === 'anthropic')) {
    const hitRate = w.cacheHitRate ?? (p.cache.hitRateConfigured ? p.cache.hitRate : steadyHitRate(rule, callsPerDay));
    // As the engine does (cache/analyze.ts): automatic caching takes the whole stable prefix; explicit
    // caching as far as a breakpoint can go, and as written as far as the code's breakpoint goes (none in
    // code written for automatic caching).
    const potential = cacheableTokens(rule, rule.mode === 'automatic' ? p.cache.stablePrefixTokens : p.cache.reachablePrefixTokens);
    const applied = rule.mode === 'automatic' ? potential : p.cache.applied && p.cache.mode === 'explicit' ? Math.min(potential, cacheableTokens(rule, p.cache.cachedPrefixTokens)) : 0;
    const monthly = (tokens: number) => cachedMonthlyCost(rule, pricing, call, traffic, tokens, hitRate);
    const without = monthly(0).usd;
    const asWritten = monthly(applied);
    const best = monthly(potential + (p.cache.breaker?.lostTokens ?? 0)).usd;
    cost = asWritten.cost;
    cachingFix = Math.max(0, asWritten.usd - best);
    saved = Math.max(0, without - asWritten.usd);
    broken = !!p.cache.breaker && cachingFix > 0;
  }
  const monthlyUsd = cost.monthlyUsd ?? 0;
  return {
    model, priced: true, callsPerDay,
    perCallUsd: cost.perCallUsd, perDayUsd: cost.perDayUsd, monthlyUsd, batchMonthlyUsd: cost.batchMonthlyUsd,
    cache: cacheStatus(p, saved, cachingFix, broken),
    levers: leversOf({ ...p, priced: true }, model, monthlyUsd, cost.batchMonthlyUsd, cachingFix, callsPerDay, table, w.trafficMultiplier),
  };
}

export interface WhatIfTotals {
  prompts: number;
  unpriced: number;
  perDayUsd: number;
  monthlyUsd: number;
  levers: { cheaperModel: number; caching: number; batch: number; compression: number };
  /** Whether any prompt has a compressed rewrite (the lever is left out otherwise). */
  hasCompression: boolean;
  /** Some prompt is batchable (the config's `batchable:`): the batch-API lever is shown. */
  hasBatchable: boolean;
}

export function totalsOf(priced: readonly Priced[], prompts: readonly ViewPrompt[]): WhatIfTotals {
  const t: WhatIfTotals = { prompts: priced.length, unpriced: 0, perDayUsd: 0, monthlyUsd: 0, levers: { cheaperModel: 0, caching: 0, batch: 0, compression: 0 }, hasCompression: prompts.some((p) => p.compress), hasBatchable: prompts.some((p) => p.batchable) };
  for (const r of priced) {
    if (!r.priced) {
      t.unpriced++;
      continue;
    }
    t.perDayUsd += r.perDayUsd ?? 0;
    t.monthlyUsd += r.monthlyUsd ?? 0;
    t.levers.cheaperModel += r.levers.cheaperModel;
    t.levers.caching += r.levers.caching;
    t.levers.batch += r.levers.batch;
    t.levers.compression += r.levers.compression;
  }
  return t;
}

/** Same-provider models cheaper for this prompt first (closest first), then every other priced model. */
export function swapChoices(p: ViewPrompt, table: PriceTable): { cheaper: { model: string; monthlyUsd: number }[]; others: string[] } {
  const pricing = table.models[p.model];
  const same = pricing ? table.byProvider[pricing.provider] ?? [] : [];
  const cheaper = p.priced && p.monthlyUsd !== undefined
    ? rankAlternatives({ cost: { monthlyUsd: p.monthlyUsd }, tokens: { input: p.tokensIn, output: p.tokensOut }, traffic: { callsPerDay: p.callsPerDay, daysPerMonth: p.daysPerMonth } },
      same.filter((id) => id !== p.model).map((id) => ({ id, price: table.models[id] })), p.model).map((a) => ({ model: a.model, monthlyUsd: a.monthlyUsd }))
    : [];
  const taken = new Set([p.model, ...cheaper.map((c) => c.model)]);
  const others = Object.keys(table.models).filter((id) => !taken.has(id)).sort();
  return { cheaper, others };
}
