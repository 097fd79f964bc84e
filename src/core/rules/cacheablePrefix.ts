import { formatTokens, formatUsd } from '../format';
import type { PromptRule } from './types';

/** The stable prefix is long enough for the provider's cache: say what caching it is worth. */
export const cacheablePrefix: PromptRule = {
  code: 'cacheable-prefix',
  defaultSeverity: 'information',
  docs: 'cacheable-prefix.md',
  check({ report, anchor }) {
    const c = report.cache;
    // An uncached Anthropic prompt gets anthropic-cache-control-missing (with its fix) instead.
    if (!c || c.cacheablePrefixTokens === 0 || (c.mode === 'explicit' && !c.applied)) return [];
    const how = c.mode === 'automatic'
      ? `${c.provider} caches it automatically`
      : c.applied ? 'cache_control is set' : 'add cache_control to cache it';
    return [{
      range: anchor,
      message: `${formatTokens(c.cacheablePrefixTokens, report.tokens.exact)}-token stable prefix is cacheable (${how}): ${formatUsd(c.savingsMonthlyUsd)}/month saved at a ${Math.round(c.hitRate * 100)}% hit rate (${c.hitRateFrom}).`,
    }];
  },
};
