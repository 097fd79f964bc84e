import { formatTokens, formatUsd, groupDigits } from '../format';
import type { PromptRule } from './types';

/** Anthropic caches only up to explicit breakpoints: a long static system prompt without one pays full price. */
export const anthropicCacheControlMissing: PromptRule = {
  code: 'anthropic-cache-control-missing',
  defaultSeverity: 'information',
  docs: 'anthropic-cache-control-missing.md',
  check({ report, detected, anchor }) {
    const c = report.cache;
    if (!c || c.provider !== 'anthropic' || c.applied || c.cacheablePrefixTokens === 0) return [];
    const system = detected.parts.filter((p) => p.role === 'system');
    if (!system.length || system.some((p) => p.cacheControl)) return [];
    return [{
      range: anchor,
      message: `The static system prompt (${formatTokens(c.cacheablePrefixTokens, report.tokens.exact)} cacheable tokens, minimum ${groupDigits(c.minTokens)}) has no cache_control: caching it would save ${formatUsd(c.savingsMonthlyUsd)}/month.`,
      ...(detected.cacheControlFix ? { fix: detected.cacheControlFix } : {}),
    }];
  },
};
