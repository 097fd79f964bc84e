// The stable prefix of a call and what caching it is worth. The prefix is the text before the first
// run-time value in the provider's order (system, then messages, as the parts are listed); a
// cache-breaker is a run-time value with enough static text after it that moving it would let the
// provider cache more.
import type { CacheReport, Cost, Origin, Range } from '../model';
import { computeCost, type TrafficVolume } from '../prices/cost';
import type { ModelPricing } from '../prices/lookup';
import { cacheableTokens, steadyHitRate, type CacheRule } from './rules';

/** A part as the cache analysis sees it: static token runs between run-time values. */
export interface PartLayout {
  /** Chat formatting tokens of this message (role, separators): static, part of the prefix. */
  overheadTokens: number;
  /** Tokens of each static run: n run-time values → n + 1 runs. */
  runs: number[];
  /** The run-time values, in order (name and where written). */
  slots: { name: string; range?: Range; file?: string }[];
  cacheControl: boolean;
}

export interface CacheInputs {
  rule: CacheRule;
  pricing: ModelPricing;
  parts: PartLayout[];
  inputTokens: number;
  outputTokens: number;
  callsPerDay: number;
  daysPerMonth: number;
  /** A configured hit rate; undefined derives one from traffic and the cache lifetime. */
  hitRate?: { value: number; from: Origin };
}

/** The cache report, and the cost of the prompt as written (with whatever caching applies to it). */
export interface CacheResult { report: CacheReport; cost: Cost }

export function analyzeCache(i: CacheInputs): CacheResult | undefined {
  const { rule, pricing } = i;
  // No cached price, no claim (Anthropic's reads are 0.1× input by its rule when the database lacks one).
  if (!pricing.cacheRead && rule.provider !== 'anthropic') return undefined;

  // Walk the parts: the stable prefix ends at the first run-time value.
  let prefix = 0;
  let explicitPrefix = 0; // up to the last cache_control breakpoint inside the stable prefix
  let reachable = 0; // up to the end of the last static text, where a breakpoint can go
  let breakerAt: { part: number; slot: number } | undefined;
  for (let p = 0; p < i.parts.length && !breakerAt; p++) {
    const part = i.parts[p];
    prefix += part.overheadTokens + part.runs[0];
    if (part.runs[0] > 0 || !part.slots.length) reachable = prefix;
    if (part.slots.length) breakerAt = { part: p, slot: 0 };
    else if (part.cacheControl) explicitPrefix = prefix;
  }
  const stable = prefix;
  // Automatic caching caches any prefix; an explicit breakpoint sits on a block of static text.
  if (rule.mode === 'automatic') reachable = stable;

  const hit = i.hitRate ?? { value: steadyHitRate(rule, i.callsPerDay), from: `steady traffic: ${i.callsPerDay} calls/day, ${rule.ttlSeconds / 60}-minute cache lifetime` };
  const potential = cacheableTokens(rule, reachable);
  const appliedTokens = rule.mode === 'automatic' ? potential : cacheableTokens(rule, explicitPrefix);
  const applied = appliedTokens > 0;

  const monthly = (cached: number) => cachedMonthlyCost(rule, pricing, { inputTokens: i.inputTokens, outputTokens: i.outputTokens }, { callsPerDay: i.callsPerDay, daysPerMonth: i.daysPerMonth }, cached, hit.value);
  const without = monthly(0).usd;
  const withPotential = monthly(potential);
  const asWritten = monthly(appliedTokens);

  const report: CacheReport = {
    provider: rule.provider, mode: rule.mode, minTokens: rule.minTokens, source: rule.source,
    stablePrefixTokens: stable, reachablePrefixTokens: reachable, cacheablePrefixTokens: potential, cachedPrefixTokens: appliedTokens, applied,
    hitRate: hit.value, hitRateFrom: hit.from, hitRateConfigured: i.hitRate !== undefined,
    monthlyWithoutCacheUsd: without, monthlyWithCacheUsd: withPotential.usd, savingsMonthlyUsd: Math.max(0, without - withPotential.usd),
  };

  // Would moving the run-time values in front of a stretch of static text after it cache more? Take the
  // best stretch: the static run after each value of the breaking part (the last one joined by the
  // static messages that follow it).
  if (breakerAt) {
    const part = i.parts[breakerAt.part];
    let best = 0;
    let movedValues = 0;
    for (let k = 0; k < part.slots.length; k++) {
      let run = part.runs[k + 1] ?? 0;
      if (k === part.slots.length - 1) {
        for (let p = breakerAt.part + 1; p < i.parts.length; p++) {
          run += i.parts[p].overheadTokens + i.parts[p].runs[0];
          if (i.parts[p].slots.length) break;
        }
      }
      if (run > best) {
        best = run;
        movedValues = k + 1;
      }
    }
    // Moved, the values leave the static text after them in the prefix (a message's head included).
    const better = best > 0 ? cacheableTokens(rule, stable + best) : potential;
    const lostTokens = better - potential;
    if (lostTokens > 0) {
      const lostMonthlyUsd = Math.max(0, without - monthly(better).usd) - report.savingsMonthlyUsd;
      const slot = part.slots[0];
      report.breaker = { slot: slot.name, values: movedValues, ...(slot.range ? { range: slot.range } : {}), ...(slot.file ? { file: slot.file } : {}), lostTokens, lostMonthlyUsd };
    }
  }
  return { report, cost: asWritten.cost };
}

/**
 * A month of a prompt with `cachedTokens` of its prefix cached at `hitRate`. Pure: the report panel's
 * what-ifs call it in the webview with the price table the host sent.
 */
export function cachedMonthlyCost(rule: CacheRule, pricing: ModelPricing, call: { inputTokens: number; outputTokens: number }, traffic: TrafficVolume, cachedTokens: number, hitRate: number): { usd: number; cost: Cost } {
  const reads = cachedTokens * hitRate;
  // Explicit caching pays a write premium on each miss; automatic caching bills a miss as plain input.
  const writes = rule.mode === 'explicit' ? cachedTokens * (1 - hitRate) : 0;
  const priced = rule.mode === 'explicit' && !pricing.cacheWrite && rule.writeMultiplier
    ? { ...pricing, cacheWrite: { baseUsdPerMillion: pricing.input.baseUsdPerMillion * rule.writeMultiplier, tiers: [] } }
    : pricing;
  const withReads = priced.cacheRead || rule.provider !== 'anthropic' ? priced : { ...priced, cacheRead: { baseUsdPerMillion: pricing.input.baseUsdPerMillion * 0.1, tiers: [] } };
  const c = computeCost(withReads, { ...call, cacheReadTokens: reads, cacheWriteTokens: writes }, traffic);
  return { usd: c.monthlyUsd ?? 0, cost: c };
}
