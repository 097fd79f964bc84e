import type { Diagnostic, Severity } from '../model';
import { anthropicCacheControlMissing } from './anthropicCacheControlMissing';
import { cacheablePrefix } from './cacheablePrefix';
import { cacheBreaker } from './cacheBreaker';
import { contextWindowExceeded } from './contextWindow';
import { promptOverBudget } from './promptOverBudget';
import { unknownModelTokenizer } from './unknownModelTokenizer';
import { unpricedModel } from './unpricedModel';
import type { PromptRule, PromptRuleContext } from './types';

export type { PromptRule, PromptRuleContext } from './types';

export const PROMPT_RULES: readonly PromptRule[] = [unpricedModel, unknownModelTokenizer, promptOverBudget, contextWindowExceeded, cacheablePrefix, cacheBreaker, anthropicCacheControlMissing];

/**
 * Every diagnostic code the product emits, with its default severity and docs page. Rules that are not
 * per-prompt checks (config and file errors) are listed here too so docs and settings cover them.
 */
export const DIAGNOSTIC_CODES: Record<string, { defaultSeverity: Severity; docs: string }> = {
  ...Object.fromEntries(PROMPT_RULES.map((r) => [r.code, { defaultSeverity: r.defaultSeverity, docs: r.docs }])),
  'invalid-config': { defaultSeverity: 'error', docs: 'invalid-config.md' },
  'prompt-file-error': { defaultSeverity: 'error', docs: 'prompt-file-error.md' },
  'file-not-read': { defaultSeverity: 'warning', docs: 'file-not-read.md' },
  'file-not-analysed': { defaultSeverity: 'warning', docs: 'file-not-analysed.md' },
  'invalid-number': { defaultSeverity: 'error', docs: 'invalid-number.md' },
  'shared-prefix': { defaultSeverity: 'information', docs: 'shared-prefix.md' },
};

export function runPromptRules(ctx: PromptRuleContext, severities: Record<string, Severity> = {}): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const rule of PROMPT_RULES) {
    for (const { severity, ...d } of rule.check(ctx)) out.push({ code: rule.code, severity: severities[rule.code] ?? severity ?? rule.defaultSeverity, ...d });
  }
  return out;
}
