import { didYouMean } from '../models/suggest';
import type { PromptRule } from './types';

export const unpricedModel: PromptRule = {
  code: 'unpriced-model',
  defaultSeverity: 'warning',
  docs: 'unpriced-model.md',
  check({ report, detected, anchor }) {
    if (report.cost.priced) return [];
    // At the model's name where the code writes it (the thing to fix or price), unless the config or an
    // annotation chose another model; else at the prompt's first line.
    const written = detected.model?.range && detected.model.id === report.model.id ? detected.model.range : undefined;
    return [{ range: written ?? anchor, message: `No price for model "${report.model.id}"${didYouMean(report.model.id)}: ${report.cost.unpricedReason}. Its cost is left out of the totals.` }];
  },
};
