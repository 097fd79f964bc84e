import type { PromptRule } from './types';

export const unknownModelTokenizer: PromptRule = {
  code: 'unknown-model-tokenizer',
  defaultSeverity: 'information',
  docs: 'unknown-model-tokenizer.md',
  check({ report, tokenizer, anchor }) {
    if (tokenizer.family !== 'unknown') return [];
    return [{ range: anchor, message: `No known tokenizer for "${report.model.id}": tokens are estimated as ${tokenizer.encoding} × ${tokenizer.factor}.` }];
  },
};
