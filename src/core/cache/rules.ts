// Provider prompt-caching rules, as data. A model with no rule gets no caching claim.
// Prices of cached reads and writes come from the price database; these rows say when caching applies.

export interface CacheRule {
  provider: string;
  /** Which models of the provider the row covers (tested against the bare model id). */
  models: RegExp;
  /** automatic: the provider caches any long enough prefix; explicit: only up to cache_control breakpoints. */
  mode: 'automatic' | 'explicit';
  /** Shortest prefix the provider caches, in tokens. */
  minTokens: number;
  /** Cache hits are counted in blocks of this many tokens (beyond the minimum). */
  incrementTokens?: number;
  maxBreakpoints?: number;
  /** How long an entry lives without use, in seconds (each hit starts it again). */
  ttlSeconds: number;
  /** Write price as a multiple of the input price where the database has none (explicit caching). */
  writeMultiplier?: number;
  source: string;
}

/** Rows are matched in order: specific model rows before a provider's catch-all. */
export const CACHE_RULES: readonly CacheRule[] = [
  // OpenAI "Prompt caching" guide: automatic for prompts of 1,024 tokens or more; hits in 128-token
  // increments; no write premium; entries usually cleared after 5–10 minutes of inactivity.
  { provider: 'openai', models: /^(gpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|gpt-6|o1|o3|o4|chatgpt-4o|codex|gpt-oss)/, mode: 'automatic', minTokens: 1024, incrementTokens: 128, ttlSeconds: 300, source: 'OpenAI docs, Prompt caching' },
  { provider: 'azure', models: /^(gpt-4o|gpt-4\.1|gpt-5|o1|o3|o4)/, mode: 'automatic', minTokens: 1024, incrementTokens: 128, ttlSeconds: 300, source: 'Azure OpenAI docs, Prompt caching (same rules as OpenAI)' },
  // Anthropic "Prompt caching" docs: explicit cache_control breakpoints (at most 4); writes 1.25× input
  // for the 5-minute lifetime (2× for 1 hour), reads 0.1×. Minimum cacheable prompt per model:
  // 4,096 Opus 4.6 / Opus 4.5 / Haiku 4.5; 2,048 Haiku 3.5 / Haiku 3; 1,024 Sonnet 4.6 / 4.5 / 4 / 3.7,
  // Opus 4.1 / 4. Newer models (Opus 4.7: 2,048; Opus 4.8, Sonnet 5: 1,024; Opus 5: 512) as reported
  // in "Claude's prompt cache fails silently below 1,024 tokens" (dev.to, 2026).
  { provider: 'anthropic', models: /claude-(opus-4[-.][56]|haiku-4[-.]5)/, mode: 'explicit', minTokens: 4096, maxBreakpoints: 4, ttlSeconds: 300, writeMultiplier: 1.25, source: 'Anthropic docs, Prompt caching' },
  { provider: 'anthropic', models: /claude-opus-4[-.]7/, mode: 'explicit', minTokens: 2048, maxBreakpoints: 4, ttlSeconds: 300, writeMultiplier: 1.25, source: 'dev.to, Claude prompt cache minimums (2026)' },
  { provider: 'anthropic', models: /claude-opus-5|claude-(fable|mythos)-5/, mode: 'explicit', minTokens: 512, maxBreakpoints: 4, ttlSeconds: 300, writeMultiplier: 1.25, source: 'dev.to, Claude prompt cache minimums (2026)' },
  { provider: 'anthropic', models: /claude-(3-haiku|3-5-haiku|haiku-3)/, mode: 'explicit', minTokens: 2048, maxBreakpoints: 4, ttlSeconds: 300, writeMultiplier: 1.25, source: 'Anthropic docs, Prompt caching' },
  { provider: 'anthropic', models: /claude/, mode: 'explicit', minTokens: 1024, maxBreakpoints: 4, ttlSeconds: 300, writeMultiplier: 1.25, source: 'Anthropic docs, Prompt caching' },
  // Gemini API "Context caching": implicit caching on Gemini 2.5+ models, minimum 1,024 tokens for
  // Flash and 4,096 for Pro; cached tokens billed at the cached rate.
  { provider: 'google', models: /gemini-(2\.5|3|[4-9])[\w.-]*pro/, mode: 'automatic', minTokens: 4096, ttlSeconds: 300, source: 'Gemini API docs, Context caching (implicit)' },
  { provider: 'google', models: /gemini-(2\.5|3|[4-9])[\w.-]*flash/, mode: 'automatic', minTokens: 1024, ttlSeconds: 300, source: 'Gemini API docs, Context caching (implicit)' },
  // DeepSeek API docs "Context caching": on by default, stored in 64-token units; shorter content is not cached.
  { provider: 'deepseek', models: /deepseek/, mode: 'automatic', minTokens: 64, incrementTokens: 64, ttlSeconds: 300, source: 'DeepSeek API docs, Context caching' },
  // xAI docs: Grok caches prompts automatically and bills cached input at the cached rate; no minimum is
  // published, so the 1,024-token floor the other providers use is assumed.
  { provider: 'x-ai', models: /grok/, mode: 'automatic', minTokens: 1024, ttlSeconds: 300, source: 'xAI docs, Prompt caching (minimum assumed)' },
];

export function cacheRuleFor(provider: string | undefined, model: string): CacheRule | undefined {
  if (!provider) return undefined;
  const bare = model.toLowerCase().replace(/^.*\//, '');
  return CACHE_RULES.find((r) => r.provider === provider && r.models.test(bare));
}

/** Tokens of a stable prefix the provider would actually cache: 0 below the minimum, whole increments above it. */
export function cacheableTokens(rule: CacheRule, prefixTokens: number): number {
  if (prefixTokens < rule.minTokens) return 0;
  if (!rule.incrementTokens) return prefixTokens;
  return rule.minTokens + Math.floor((prefixTokens - rule.minTokens) / rule.incrementTokens) * rule.incrementTokens;
}

/**
 * Share of calls that read the cache at steady traffic. An entry lives `ttlSeconds` after its LAST use,
 * not after it was written: Anthropic refreshes the lifetime on every hit at no cost ("Prompt caching":
 * "the cache is refreshed for no additional cost each time the cached content is used"); OpenAI clears
 * entries after 5–10 minutes of inactivity. With calls arriving at random (a Poisson process) at the
 * day's average rate λ, a call misses only when the gap since the previous one exceeds the lifetime T:
 * P(gap > T) = e^(−λT), so the hit rate is 1 − e^(−λT) (500 calls/day, 5 minutes: 82%; 1,000: 97%).
 * Random arrivals are the honest middle: evenly spaced calls would all hit, bursts hit more still.
 */
export function steadyHitRate(rule: CacheRule, callsPerDay: number): number {
  const perWindow = (callsPerDay * rule.ttlSeconds) / 86_400;
  // To 4 decimals (one call in 10,000): what an estimate from average traffic can claim, and what every
  // output prints. Unrounded, 1 − e^(−35) priced a miss share of 10^−16 as cache writes of $10^−18.
  return perWindow > 0 ? Math.round((1 - Math.exp(-perWindow)) * HIT_RATE_STEPS) / HIT_RATE_STEPS : 0;
}

const HIT_RATE_STEPS = 10_000;
