import { formatTokens, formatUsd } from '../format';
import type { PromptRule } from './types';

const PROVIDER_NAMES: Record<string, string> = { openai: 'OpenAI', anthropic: 'Anthropic', google: 'Google', deepseek: 'DeepSeek', mistral: 'Mistral', xai: 'xAI', groq: 'Groq' };

/** Below this much lost per month the finding is information, not a warning: not worth a yellow squiggle. */
export const MINOR_MONTHLY_USD = 1;

/** A run-time value in front of static text that could otherwise be cached. */
export const cacheBreaker: PromptRule = {
  code: 'cache-breaker',
  defaultSeverity: 'warning',
  docs: 'cache-breaker.md',
  check({ report, detected, anchor }) {
    const b = report.cache?.breaker;
    if (!b) return [];
    const part = detected.parts.find((p) => p.slots.some((s) => s.name === b.slot));
    const fix = part?.reorder ? { title: `Move \`${b.slot}\` after the static text`, edits: [part.reorder] } : undefined;
    const minor = b.lostMonthlyUsd < MINOR_MONTHLY_USD;
    const provider = PROVIDER_NAMES[report.cache!.provider] ?? report.cache!.provider;
    return [{
      ...(minor ? { severity: 'information' as const } : {}),
      range: !b.file && b.range ? b.range : anchor,
      message: `\`${b.slot}\`${b.values > 1 ? ` and ${b.values - 1} more run-time value${b.values > 2 ? 's' : ''}` : ''} ${b.values > 1 ? 'change' : 'changes'} on every call and ${b.values > 1 ? 'sit' : 'sits'} before ${formatTokens(b.lostTokens, report.tokens.exact)} tokens of static text that ${provider} could otherwise cache: ${formatUsd(b.lostMonthlyUsd)}/month lost. ${minor ? `At this traffic moving ${b.values > 1 ? 'them' : 'it'} after the static text is worth little.` : `Move ${b.values > 1 ? 'them' : 'it'} after the static text.`}`,
      ...(fix ? { fix } : {}),
    }];
  },
};
