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
  /** Findings; one may carry a lower severity than the rule's default (a cent's worth): the user's setting for the code still wins. */
  check(ctx: PromptRuleContext): (Omit<Diagnostic, 'code' | 'severity'> & { severity?: Severity })[];
}

export const DOCS_BASE = 'docs/diagnostics';
