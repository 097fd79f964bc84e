// Tokens of the tool definitions a call sends, by the method each provider documents:
// - OpenAI: the cookbook's function-calling formula (openai-cookbook, examples/How_to_count_tokens_with_
//   tiktoken.ipynb, num_tokens_for_tools): per function a fixed start, "name:description" encoded, a
//   start for the properties, per property a fixed cost and "name:type:description" encoded, enums a
//   fixed cost per item plus the item; a fixed end once. Its constants are published for gpt-4o /
//   gpt-4o-mini (o200k_base) and gpt-4 / gpt-3.5-turbo (cl100k_base); other models of an encoding get
//   that encoding's constants, labelled an estimate.
// - Anthropic: the tool-use system prompt from its table (anthropicToolUse.ts) plus the tools' JSON.
// - Gemini and the rest: the declarations' JSON, an estimate.
// Tools that cannot be read statically get DEFAULT_TOOL_TOKENS each, labelled, with the reason.
import type { DetectedTools, ExtraReport, ToolDefinition } from '../model';
import type { Json } from '../detect/code/json';
import { anthropicToolUseOverhead, ANTHROPIC_TOOL_USE_SOURCE } from './anthropicToolUse';
import type { EncodingName } from './encodings';
import type { TokenizerChoice } from './resolve';

export const TOOL_FORMULA_SOURCE = 'OpenAI cookbook, "How to count tokens with tiktoken" (num_tokens_for_tools)';

export interface FormulaConstants { funcInit: number; propInit: number; propKey: number; enumInit: number; enumItem: number; funcEnd: number }

/** The cookbook's constants: gpt-4o and gpt-4o-mini. */
export const GPT4O_TOOL_CONSTANTS: FormulaConstants = { funcInit: 7, propInit: 3, propKey: 3, enumInit: -3, enumItem: 3, funcEnd: 12 };
/** The cookbook's constants: gpt-4 and gpt-3.5-turbo. */
export const GPT4_TOOL_CONSTANTS: FormulaConstants = { funcInit: 10, propInit: 3, propKey: 3, enumInit: -3, enumItem: 3, funcEnd: 12 };

/** Tokens assumed for one tool whose definition cannot be read statically (a mid-sized function with 2–3 parameters). */
export const DEFAULT_TOOL_TOKENS = 100;

type Count = (text: string, encoding: EncodingName) => number;

const stripDot = (s: string) => (s.endsWith('.') ? s.slice(0, -1) : s);
const asText = (v: Json | undefined) => (v === undefined || v === null ? '' : typeof v === 'string' ? v : Array.isArray(v) ? v.join(',') : String(v));

/** One function's share of the cookbook formula (without the closing funcEnd). */
export function cookbookFunctionTokens(def: ToolDefinition, encoding: EncodingName, k: FormulaConstants, count: Count): number {
  let tokens = k.funcInit + count(`${def.name}:${stripDot(def.description)}`, encoding);
  const props = def.parameters?.properties;
  if (props && typeof props === 'object' && !Array.isArray(props) && Object.keys(props).length > 0) {
    tokens += k.propInit;
    for (const [key, raw] of Object.entries(props)) {
      tokens += k.propKey;
      const p = raw && typeof raw === 'object' && !Array.isArray(raw) ? raw : {};
      if (Array.isArray(p.enum)) {
        tokens += k.enumInit;
        for (const item of p.enum) tokens += k.enumItem + count(asText(item), encoding);
      }
      tokens += count(`${key}:${asText(p.type)}:${stripDot(asText(p.description))}`, encoding);
    }
  }
  return tokens;
}

/** Which constants fit the model, and whether the cookbook published them for it. */
export function formulaConstantsFor(model: string, encoding: EncodingName): { constants: FormulaConstants; published: boolean; label: string } {
  const name = model.toLowerCase().replace(/^.*\//, '');
  if (encoding === 'cl100k_base') return { constants: GPT4_TOOL_CONSTANTS, published: /^(gpt-4|gpt-3\.5|gpt-35)/.test(name) && !/^gpt-4o/.test(name), label: 'gpt-4 / gpt-3.5-turbo constants' };
  return { constants: GPT4O_TOOL_CONSTANTS, published: /^gpt-4o/.test(name), label: 'gpt-4o constants' };
}

export interface ToolCountInputs {
  tools: DetectedTools;
  model: string;
  choice: TokenizerChoice;
  count: Count;
  scaled: (tokens: number, choice: TokenizerChoice) => number;
}

function parametersJson(def: ToolDefinition, key: 'input_schema' | 'parameters'): string {
  return JSON.stringify({ name: def.name, description: def.description, [key]: def.parameters ?? { type: 'object', properties: {} } });
}

/** The tools' tokens for this model, item by item, with the method and its source. */
export function countTools(i: ToolCountInputs): ExtraReport {
  const { tools, choice } = i;
  const items: ExtraReport['items'] = [];
  const notes: string[] = [];
  let overheadTokens = 0;
  let method: string;
  let source: string;
  let exact: boolean;
  if (choice.family === 'openai') {
    const f = formulaConstantsFor(i.model, choice.encoding);
    for (const d of tools.definitions) items.push({ name: d.name, tokens: cookbookFunctionTokens(d, choice.encoding, f.constants, i.count), exact: f.published });
    overheadTokens = tools.definitions.length ? f.constants.funcEnd : 0;
    method = `cookbook function-calling formula (${f.label})`;
    source = TOOL_FORMULA_SOURCE;
    exact = f.published;
    if (!f.published) notes.push(`the cookbook publishes its constants for gpt-4o, gpt-4o-mini, gpt-4 and gpt-3.5-turbo; ${i.model} is counted with the ${f.label} (an estimate)`);
  } else if (choice.family === 'claude') {
    for (const d of tools.definitions) items.push({ name: d.name, tokens: i.scaled(i.count(parametersJson(d, 'input_schema'), choice.encoding), choice), exact: false });
    const count = tools.definitions.length + tools.unresolved.length;
    const o = count || tools.choice === 'none' ? anthropicToolUseOverhead(i.model, tools.choice, count) : undefined;
    overheadTokens = o?.tokens ?? 0;
    method = `tool-use system prompt (${o ? `${o.row}, tool_choice ${o.choiceColumn}` : 'none'}) + the tools' JSON (estimate)`;
    source = ANTHROPIC_TOOL_USE_SOURCE;
    exact = false;
    if (o && !o.listed) notes.push(`${i.model} is not in Anthropic's tool-use table yet: ${o.row}`);
  } else {
    for (const d of tools.definitions) items.push({ name: d.name, tokens: i.scaled(i.count(parametersJson(d, 'parameters'), choice.encoding), choice), exact: false });
    method = choice.family === 'gemini' ? "function declarations' JSON (estimate: Google does not publish how declarations are tokenised)" : "tool definitions' JSON (estimate)";
    source = choice.family === 'gemini' ? 'Gemini API docs, Function calling (declarations count as input tokens)' : 'estimate';
    exact = false;
  }
  for (const u of tools.unresolved) {
    items.push({ name: u.count === 'unknown' ? 'tools (how many is not known)' : 'tool', tokens: DEFAULT_TOOL_TOKENS, exact: false, ...(u.file ? { file: u.file } : {}), ...(u.range ? { range: u.range } : {}), note: `${u.reason}: ${DEFAULT_TOOL_TOKENS} tokens assumed${u.count === 'unknown' ? ' (at least one tool)' : ''}` });
    exact = false;
  }
  if (tools.builtIn.length) notes.push(`built-in tools (${tools.builtIn.join(', ')}) are run by the provider and billed by it; their prompt is not counted`);
  const tokens = items.reduce((s, x) => s + x.tokens, 0) + overheadTokens;
  return { tokens, exact, method, source, items, ...(overheadTokens ? { overheadTokens } : {}), ...(notes.length ? { notes } : {}) };
}
