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
    return [{ range: anchor, message: `Prompt needs ${formatTokens(needed, report.tokens.exact)} tokens (input + output) but ${report.model.id} has a ${groupDigits(window)}-token context window.` }];
  },
};
