import { formatPercent, formatTokens, formatUsd } from '../format';
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
    // A cached prompt's figures as priced (the tokens its breakpoint reaches, the month it pays), and
    // what a breakpoint at the end of the static text would add.
    const tokens = (n: number) => formatTokens(n, report.tokens.exact);
    const saved = c.applied && report.cost.monthlyUsd !== undefined ? Math.max(0, c.monthlyWithoutCacheUsd - report.cost.monthlyUsd) : c.savingsMonthlyUsd;
    const more = c.applied && c.cachedPrefixTokens < c.cacheablePrefixTokens
      ? ` A breakpoint at the end of the static text would cache ${tokens(c.cacheablePrefixTokens)} and save ${formatUsd(c.savingsMonthlyUsd)}/month.`
      : '';
    const head = c.applied && c.cachedPrefixTokens < c.cacheablePrefixTokens
      ? `${tokens(c.cachedPrefixTokens)} tokens of the stable prefix are cached (${how})`
      : `${tokens(c.cacheablePrefixTokens)}-token stable prefix is cacheable (${how})`;
    return [{
      range: anchor,
      message: `${head}: ${formatUsd(saved)}/month saved at a ${formatPercent(c.hitRate)} hit rate (${c.hitRateFrom}).${more}`,
    }];
  },
};
