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
    // At the system text where this file writes it; else where its quick fix edits (the call's `system`
    // argument, when the text is imported); else the prompt's first line.
    const here = system.find((p) => !p.file)?.range ?? detected.cacheControlFix?.edits.find((e) => !e.file && e.cell === undefined)?.range;
    return [{
      range: here ? { start: here.start, end: here.start.line === here.end.line ? here.end : { line: here.start.line, character: here.start.character + 1 } } : anchor,
      message: `The static system prompt (${formatTokens(c.cacheablePrefixTokens, report.tokens.exact)} cacheable tokens, minimum ${groupDigits(c.minTokens)}) has no cache_control: caching it would save ${formatUsd(c.savingsMonthlyUsd)}/month.`,
      ...(detected.cacheControlFix ? { fix: detected.cacheControlFix } : {}),
    }];
  },
};
