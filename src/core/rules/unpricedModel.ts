import { didYouMean } from '../models/suggest';
import type { PromptRule } from './types';

export const unpricedModel: PromptRule = {
  code: 'unpriced-model',
  defaultSeverity: 'warning',
  docs: 'unpriced-model.md',
  check({ report, anchor }) {
    if (report.cost.priced) return [];
    return [{ range: anchor, message: `No price for model "${report.model.id}"${didYouMean(report.model.id)}: ${report.cost.unpricedReason}. Its cost is left out of the totals.` }];
  },
};
