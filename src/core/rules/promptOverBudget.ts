import { formatTokens, formatUsd, groupDigits } from '../format';
import type { PromptRule } from './types';

export const promptOverBudget: PromptRule = {
  code: 'prompt-over-budget',
  defaultSeverity: 'warning',
  docs: 'prompt-over-budget.md',
  check({ report, config, anchor }) {
    const out = [];
    const tokenLimit = config.thresholds.promptTokens;
    if (tokenLimit && report.tokens.input > tokenLimit.value) {
      out.push({ range: anchor, message: `Prompt is ${formatTokens(report.tokens.input, report.tokens.exact)} input tokens, over the limit of ${groupDigits(tokenLimit.value)} (${tokenLimit.from}).` });
    }
    const usdLimit = config.thresholds.promptMonthlyUsd;
    if (usdLimit && report.cost.priced && (report.cost.monthlyUsd ?? 0) > usdLimit.value) {
      out.push({ range: anchor, message: `Prompt costs ${formatUsd(report.cost.monthlyUsd!)}/month, over the limit of ${formatUsd(usdLimit.value)} (${usdLimit.from}).` });
    }
    return out;
  },
};
