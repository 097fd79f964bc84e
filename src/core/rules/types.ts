import type { DetectedPrompt, Diagnostic, PromptReport, Range, Severity } from '../model';
import type { PromptCostConfig } from '../config/types';
import type { TokenizerChoice } from '../tokens/resolve';

export interface PromptRuleContext {
  report: PromptReport;
  /** What detection found (parts with their fixes), for rules that offer quick fixes. */
  detected: DetectedPrompt;
  tokenizer: TokenizerChoice;
  config: PromptCostConfig;
  /** Where a diagnostic about the whole prompt goes (its first line). */
  anchor: Range;
}

export interface PromptRule {
  code: string;
  defaultSeverity: Severity;
  /** Docs page, relative to the repository's docs/ folder. */
  docs: string;
  check(ctx: PromptRuleContext): Omit<Diagnostic, 'code' | 'severity'>[];
}

export const DOCS_BASE = 'docs/diagnostics';
