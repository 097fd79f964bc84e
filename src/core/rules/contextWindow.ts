import { formatTokens, groupDigits } from '../format';
import type { PromptRule } from './types';

/** A prompt plus its output limit that cannot fit the model's context window fails at run time. */
export const contextWindowExceeded: PromptRule = {
  code: 'context-window-exceeded',
  defaultSeverity: 'warning',
  docs: 'context-window-exceeded.md',
  check({ report, anchor }) {
    const window = report.cost.contextWindow;
    if (!window) return [];
    const needed = report.tokens.input + report.tokens.output;
    if (needed <= window) return [];
    // A model whose price data prices input past its window takes such a call in a long-context mode
    // (priced so here), which has to be asked for: without it the call is rejected.
    if (report.cost.longContext) return [{ range: anchor, message: `Prompt needs ${formatTokens(needed, report.tokens.exact)} tokens (input + output), past ${report.model.id}'s standard ${groupDigits(window)}-token context window: only its long-context mode takes it (priced so here, at the rate above ${groupDigits(window)} input tokens); without it the call is rejected.` }];
    return [{ range: anchor, message: `Prompt needs ${formatTokens(needed, report.tokens.exact)} tokens (input + output) but ${report.model.id} has a ${groupDigits(window)}-token context window.` }];
  },
};
