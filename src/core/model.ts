// The data model shared by the CLI, the language server and the report panel (see docs/architecture.md).
// Plain serializable data: ranges are 0-based line/character (LSP-compatible); money is USD in fields
// whose names say so; nothing here is rounded.

import type { SlotSyntax } from './detect/slots';
import type { Json } from './detect/code/json';

export interface Position { line: number; character: number }
export interface Range { start: Position; end: Position }

export type Role = 'system' | 'developer' | 'user' | 'assistant' | 'tool' | 'prompt';

/** Where a figure came from, e.g. "literal", "default", "setting", ".promptcost.yaml:7", "annotation:12". */
export type Origin = string;

export interface Slot {
  name: string;
  /** Estimated tokens this slot contributes at run time. */
  tokens: number;
  /** Where the estimate came from: "config" (variables), "sample", "default". */
  from: Origin;
}

export interface PromptPart {
  role: Role;
  range: Range;
  /** Static text of the part, with slots left as written. */
  text: string;
  /** `missing`: the slot is a file the code reads whose path names no file of the workspace (its text is unknown). */
  slots: { name: string; range?: Range; missing?: string }[];
  /** Template syntaxes whose slot markup `text` uses (removed before counting static tokens). */
  syntaxes: SlotSyntax[];
  name?: string;
  /** The file the text is written in, when not the prompt's own (an imported constant). */
  file?: string;
  /** Anthropic: the block carries cache_control. */
  cacheControl?: boolean;
  /** Another text the prompt may hold instead of the part before it (a branch, another return): shown, not added. */
  alternative?: string;
  /** Code: offsets in `text` where run-time values sit (template parts compute theirs from the markup). */
  slotOffsets?: number[];
  /** A quick fix that moves the first run-time value to the end of this template, when that is a simple reorder. */
  reorder?: TextEditSpec;
  /** Code: characters of the evaluated text past the evaluation ceiling, not built; its tokens are estimated. */
  omittedChars?: number;
  /** Code: parts that are pieces of one message share its number, so its chat overhead is counted once. */
  message?: number;
  /**
   * Code: pieces of one text written in several places (a template and the constants it embeds) share a
   * number, and the first carries the whole text as sent: the tokenizer sees it whole, not piece by piece.
   */
  piece?: { group: number; whole?: { text: string; slotOffsets: number[]; slots: { name: string; range?: Range }[] } };
}

/** One text replacement; `file` when not the prompt's own file, `cell` (its index) in a notebook. */
export interface TextEditSpec { range: Range; newText: string; file?: string; cell?: number }

export interface Fix { title: string; edits: TextEditSpec[] }

/** A tool definition as the provider receives it: name, description and JSON Schema parameters. */
export interface ToolDefinition {
  name: string;
  description: string;
  parameters?: { [key: string]: Json };
  strict?: boolean;
  /** Anthropic: the tool carries cache_control (a breakpoint after the tools). */
  cacheControl?: boolean;
}

/** Part of a request that static reading could not know, with the reason and where it is written. */
export interface Unresolved { reason: string; file?: string; range?: Range; count?: 'unknown' }

/** The tools a call sends (see detect/code/tools.ts). */
export interface DetectedTools {
  definitions: ToolDefinition[];
  unresolved: Unresolved[];
  /** Provider-run tools (web_search, code_interpreter …): named, not counted. */
  builtIn: string[];
  /** tool_choice as written: auto, none, any, required, tool, function. */
  choice?: string;
  range?: Range;
}

/** A structured-output schema the call sends (response_format, output_type, responseSchema …). */
export interface DetectedSchema {
  /** Where it is written in the request: `response_format`, `zodResponseFormat`, `output_type`, `schema`, `responseSchema`. */
  form: string;
  name?: string;
  schema?: { [key: string]: Json };
  unresolved?: Unresolved;
  range?: Range;
}

/** An image, PDF or audio block in the messages. */
export interface DetectedMedia {
  kind: 'image' | 'pdf' | 'audio' | 'file';
  /** OpenAI image detail: low, high or auto (auto when not written). */
  detail?: string;
  width?: number;
  height?: number;
  range?: Range;
}

/** A prompt as detection found it, before tokens and prices. */
export type Confidence = 'call' | 'shape' | 'heuristic';

export interface DetectedPrompt {
  kind: string;
  source: 'code' | 'prompt-file';
  /** Which layer found it: an SDK finder (`call`), the shape layer (`shape`) or the name heuristic. */
  confidence: Confidence;
  /** Shape-layer finds: what the shape was, in words (`a \`{role, content}\` message`). */
  shape?: string;
  range: Range;
  parts: PromptPart[];
  /** `range`: where the model's name is written in this file (a diagnostic about the model points there). */
  model?: { id: string; from: Origin; range?: Range };
  /** The SDK's provider (`anthropic`), when the call is of a provider's own SDK; else derived from `kind`. */
  provider?: string;
  outputTokens?: { tokens: number; from: Origin };
  /** Token estimates for slots that the file itself gives (samples, test data). */
  slotSamples?: Record<string, { text: string; from: Origin }>;
  /** Free-form note shown to the user (e.g. "no model in file: default model used"). */
  notes?: string[];
  /** Stable label within a file when one file yields several prompts (promptfoo rows). */
  label?: string;
  /** Anthropic calls: rewriting `system` into block form with cache_control. */
  cacheControlFix?: Fix;
  tools?: DetectedTools;
  schema?: DetectedSchema;
  media?: DetectedMedia[];
  /**
   * An agent's run: where the call that built the agent is (`file`: root-relative). Every run sends the
   * agent's instructions (and tools) with its input, so the two are one request: in the same file the
   * agent's prompt is merged into each run (detect/code/agentMerge.ts); from another file the run holds
   * the agent's instructions itself and the scan drops the agent's own row (workspace.ts foundElsewhere).
   */
  agentCall?: { file: string; range: Range };
  /**
   * The annotation written above this prompt's text in another file (an imported constant, an agent
   * built elsewhere): it applies when the prompt's own file has none for it (detect/code/index.ts).
   */
  annotationElsewhere?: { file: string; line: number; id?: string; traffic: import('./config/types').SourcedTraffic };
}

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface Diagnostic {
  code: string;
  severity: Severity;
  message: string;
  range: Range;
  /** File relative to the scan root, when reported outside a prompt. */
  file?: string;
  cell?: number;
  /** A quick fix for this diagnostic, computed with the analysis. */
  fix?: Fix;
}

export interface TokenCount {
  tokens: number;
  encoding: string;
  exact: boolean;
  model: string;
}

export interface PromptTokens {
  /** Everything sent: parts, slots, chat overhead, and tools, schema and media below. */
  input: number;
  static: number;
  dynamic: number;
  overhead: number;
  output: number;
  outputFrom: Origin;
  /** The whole input is an exact count (every part below is). */
  exact: boolean;
  /**
   * The prompt's text, slots and chat overhead are exact (the tokenizer is the model's own) though the
   * input is not: only the tools, schema or media part is an estimate. Present only then (else it equals
   * `exact`); read it with textExact() (report/wording.ts).
   */
  textExact?: boolean;
  encoding: string;
  /** Tool definitions (and a provider's tool-use system prompt), when the call sends tools. */
  tools?: number;
  /** The structured-output schema, when the call sends one. */
  schema?: number;
  /** Images, PDFs and audio in the messages, where counted. */
  media?: number;
}

/** How one request extra (tools, schema, media) was counted, item by item. */
export interface ExtraReport {
  tokens: number;
  exact: boolean;
  /** The method, e.g. "OpenAI cookbook function-calling formula (gpt-4o constants)". */
  method: string;
  /** Where the method or its data come from. */
  source: string;
  items: { name: string; tokens: number; exact: boolean; file?: string; range?: Range; note?: string }[];
  /** Fixed tokens the provider adds (the cookbook's closing tokens, Anthropic's tool-use system prompt). */
  overheadTokens?: number;
  notes?: string[];
}

export interface Traffic {
  callsPerDay: number;
  daysPerMonth: number;
  /** The cache hit rate priced: the configured one, or the one derived from traffic (cache.hitRate) where the model has a caching rule. */
  cacheHitRate: number;
  /** Where callsPerDay came from. */
  from: Origin;
  /** Where each traffic field came from. */
  sources: Record<'callsPerDay' | 'daysPerMonth' | 'cacheHitRate' | 'model' | 'outputTokens', Origin>;
}

export interface Cost {
  priced: boolean;
  unpricedReason?: string;
  perCallUsd?: number;
  per1kUsd?: number;
  perDayUsd?: number;
  monthlyUsd?: number;
  /** The same traffic through the provider's batch API, where it has one. */
  batchMonthlyUsd?: number;
  /** One call's cost by kind of token, and the tokens each is for (cache reads and writes on average per call). */
  breakdown?: {
    uncachedInputUsd: number;
    cacheReadUsd: number;
    cacheWriteUsd: number;
    outputUsd: number;
    uncachedInputTokens: number;
    cacheReadTokens: number;
    cacheWriteTokens: number;
  };
  prices?: UnitPrices;
  /** The model's context window in tokens, where the price data knows it. */
  contextWindow?: number;
  /** Input past the window is priced (ModelPricing.longContext): a long-context mode takes it. */
  longContext?: boolean;
}

export interface UnitPrices {
  inputUsdPerMillion: number;
  outputUsdPerMillion: number;
  cacheReadUsdPerMillion?: number;
  cacheWriteUsdPerMillion?: number;
  /** "@pydantic/genai-prices" or ".promptcost.yaml:12". */
  source: Origin;
}

export interface ReportPart {
  role: Role;
  name?: string;
  /** Set when the text is written in another file than the prompt's call. */
  file?: string;
  /** Notebooks: the index of the cell the range is in. */
  cell?: number;
  range: Range;
  /** Another text the prompt may hold instead (a branch, another return): its tokens are not in the total. */
  alternative?: string;
  /** Static tokens of this part (slots excluded). */
  tokens: number;
  slots: Slot[];
}

export interface CacheReport {
  provider: string;
  mode: 'automatic' | 'explicit';
  minTokens: number;
  /** The rule's source (provider docs). */
  source: string;
  /** Tokens before the first run-time value, in the provider's order (system, then messages). */
  stablePrefixTokens: number;
  /**
   * Of those, what a cache entry can end at: all of them for automatic caching; for explicit caching the
   * text up to the last static block, where a cache_control breakpoint can go (the head of a message
   * that opens with a run-time value has no block of its own).
   */
  reachablePrefixTokens: number;
  /** Of those, what the provider would cache (minimum, increments). */
  cacheablePrefixTokens: number;
  /** What the prompt as written caches: all of cacheablePrefixTokens when automatic, up to its cache_control breakpoint when explicit; 0 when not cached. */
  cachedPrefixTokens: number;
  /** The prompt as written is cached (automatic caching, or cache_control set). */
  applied: boolean;
  /** Share of calls that read the cache (0–1, to 4 decimals), the one every output prints and prices with. */
  hitRate: number;
  hitRateFrom: Origin;
  /** The hit rate was set (setting, .promptcost.yaml, annotation), not derived from traffic. */
  hitRateConfigured: boolean;
  monthlyWithoutCacheUsd: number;
  /** The month with the cacheable prefix cached (what `applied` prompts pay; potential otherwise). */
  monthlyWithCacheUsd: number;
  savingsMonthlyUsd: number;
  /** The first run-time value to move, and how many values sit in front of the static text. */
  breaker?: { slot: string; values: number; range?: Range; file?: string; lostTokens: number; lostMonthlyUsd: number };
}

export interface PromptReport {
  id: string;
  file: string;
  range: Range;
  /** Notebooks: the index (0-based, among all cells) of the cell `range` is in. */
  cell?: number;
  source: 'code' | 'prompt-file';
  kind: string;
  confidence: Confidence;
  shape?: string;
  label?: string;
  model: { id: string; provider?: string; from: Origin };
  parts: ReportPart[];
  tokens: PromptTokens;
  traffic: Traffic;
  cost: Cost;
  /** Prompt caching, where the provider has a rule for the model. */
  cache?: CacheReport;
  tools?: ExtraReport;
  schema?: ExtraReport;
  media?: ExtraReport;
  notes?: string[];
  diagnostics: Diagnostic[];
  /** An agent's run: where the agent it runs is built (`file` root-relative), as DetectedPrompt.agentCall. */
  agentCall?: { file: string; range: Range; cell?: number };
}

export interface PriceDataInfo {
  source: string;
  version: string;
  asOf: string;
  /** bundled with this build, or a cached update (`prompt-cost prices --update`). */
  from?: 'bundled' | 'cache';
  /** Why a cached update could not be used, when it could not. */
  problem?: string;
}

/** The budget gate's result (`prompt-cost scan` with a budget set). */
export interface BudgetVerdict {
  monthlyUsd: number;
  from: Origin;
  /** The priced total is over the budget (exit 1). */
  exceeded: boolean;
  /** Prompts with no price: their cost is not in the total the gate compares. */
  unpriced: number;
  /**
   * The unpriced prompts whose model is a near match of a priced one (a typo such as `gpt-4o-mnii`):
   * the gate cannot judge a total it silently lacks them from, so the run fails (exit 2). Unpriced
   * models with no near match (self-hosted, unknown) stay a warning.
   */
  unpricedTypos?: { id: string; model: string; nearest: string[]; /** Where the name is written when not at the prompt (`.promptcost.yaml:5`). */ modelFrom?: string }[];
  /** Prompt files that could not be read (ScanReport.unreadable): their prompts are not in the total, so the run fails (exit 2). */
  unreadable?: number;
  /** The verdict in words, as the table, Markdown and SARIF say it. */
  verdict: string;
}

export interface ScanReport {
  tool: 'prompt-cost';
  version: string;
  root: string;
  prices: PriceDataInfo;
  totals: { prompts: number; perDayUsd: number; monthlyUsd: number; unpriced: number };
  budget?: BudgetVerdict;
  prompts: PromptReport[];
  diagnostics: Diagnostic[];
  /** Groups of prompts that start with the same long static text (one cache entry could serve them). */
  sharedPrefixes?: { prompts: string[]; tokens: number }[];
  skipped: { file: string; reason: string }[];
  /**
   * Prompt files that could not be read (a `prompt-file-error` error: YAML that does not parse, a
   * frontmatter never closed), the first problem of each: what they hold is not counted, so a gate
   * asked for fails (exit 2). Absent when there are none.
   */
  unreadable?: UnreadableFile[];
}

/** A prompt file that could not be read: where (`line` 1-based) and what is wrong, in words. */
export interface UnreadableFile { file: string; line: number; message: string }
