// Anthropic's tool-use system prompt: the tokens the API adds to every request that sends tools, per model
// and tool_choice, as data (a new model is one row). Source: Anthropic docs, "Tool use with Claude" →
// Pricing, table "Tool use system prompt token count" (platform.claude.com/docs/en/agents-and-tools/
// tool-use/overview, as published on 2026-09-20). Rows for the Claude 3 family are from the same table as
// it stood before those models left it (docs.anthropic.com, 2025). "If no tools are provided, then a tool
// choice of none uses 0 additional system prompt tokens."

export const ANTHROPIC_TOOL_USE_SOURCE = 'Anthropic docs, Tool use → Pricing, "Tool use system prompt token count" (2026-09-20)';

export interface ToolUseRow {
  /** Tested against the normalised model name (lower case, `4.5` written `4-5`). */
  models: RegExp;
  label: string;
  /** tool_choice auto or none. */
  auto: number;
  /** tool_choice any or tool. */
  any: number;
}

export const ANTHROPIC_TOOL_USE_ROWS: readonly ToolUseRow[] = [
  { models: /claude-opus-5/, label: 'Claude Opus 5', auto: 286, any: 406 },
  { models: /claude-opus-4-8/, label: 'Claude Opus 4.8', auto: 290, any: 410 },
  { models: /claude-opus-4-7/, label: 'Claude Opus 4.7', auto: 675, any: 804 },
  { models: /claude-opus-4-6/, label: 'Claude Opus 4.6', auto: 497, any: 589 },
  { models: /claude-opus-4-5/, label: 'Claude Opus 4.5', auto: 496, any: 588 },
  { models: /claude-opus-4-1/, label: 'Claude Opus 4.1', auto: 313, any: 315 },
  { models: /claude-opus-4(?!-[1-9](?!\d))|claude-4-opus/, label: 'Claude Opus 4', auto: 313, any: 315 },
  { models: /claude-sonnet-5/, label: 'Claude Sonnet 5', auto: 354, any: 474 },
  { models: /claude-sonnet-4-6/, label: 'Claude Sonnet 4.6', auto: 497, any: 589 },
  { models: /claude-sonnet-4-5/, label: 'Claude Sonnet 4.5', auto: 496, any: 588 },
  { models: /claude-sonnet-4(?!-[1-9](?!\d))|claude-4-sonnet/, label: 'Claude Sonnet 4', auto: 313, any: 315 },
  { models: /claude-haiku-4-5/, label: 'Claude Haiku 4.5', auto: 496, any: 588 },
  { models: /claude-3-5-haiku|claude-haiku-3-5/, label: 'Claude Haiku 3.5', auto: 264, any: 355 },
  // Claude 3 family: the table before these models were retired from it
  { models: /claude-3-7-sonnet|claude-sonnet-3-7/, label: 'Claude Sonnet 3.7', auto: 346, any: 313 },
  { models: /claude-3-5-sonnet-20240620/, label: 'Claude Sonnet 3.5 (June)', auto: 294, any: 261 },
  { models: /claude-3-5-sonnet|claude-sonnet-3-5/, label: 'Claude Sonnet 3.5 (Oct)', auto: 346, any: 313 },
  { models: /claude-3-opus/, label: 'Claude Opus 3', auto: 530, any: 281 },
  { models: /claude-3-sonnet/, label: 'Claude Sonnet 3', auto: 159, any: 235 },
  { models: /claude-3-haiku/, label: 'Claude Haiku 3', auto: 264, any: 340 },
];

/** `anthropic/claude-sonnet-4.5`, `anthropic.claude-sonnet-4-5-20250929-v1:0` → `…claude-sonnet-4-5…`. */
function normalise(model: string): string {
  return model.toLowerCase().replace(/(\d)\.(\d)/g, '$1-$2');
}

export interface ToolUseOverhead {
  tokens: number;
  /** The table row used, or why none was. */
  row: string;
  /** From the published table (true), or the table's largest figure for a model it does not list. */
  listed: boolean;
  choiceColumn: 'auto, none' | 'any, tool';
}

/** The tool-use system prompt for `model` and `tool_choice` (auto when not written). */
export function anthropicToolUseOverhead(model: string, toolChoice: string | undefined, toolCount: number): ToolUseOverhead {
  const column = toolChoice === 'any' || toolChoice === 'tool' ? 'any' : 'auto';
  const choiceColumn = column === 'any' ? 'any, tool' : 'auto, none';
  if (toolCount === 0 && toolChoice === 'none') return { tokens: 0, row: 'no tools, tool_choice none', listed: true, choiceColumn };
  const name = normalise(model);
  const row = ANTHROPIC_TOOL_USE_ROWS.find((r) => r.models.test(name));
  if (row) return { tokens: row[column], row: row.label, listed: true, choiceColumn };
  // A model the table does not list yet: its largest figure, so the estimate errs high.
  const tokens = Math.max(...ANTHROPIC_TOOL_USE_ROWS.map((r) => r[column]));
  return { tokens, row: `not in the table: its largest figure (${tokens})`, listed: false, choiceColumn };
}
