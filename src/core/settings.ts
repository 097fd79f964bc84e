// The editor settings, defined once. package.json's `contributes.configuration` is generated from this
// table by `npm run settings:generate` (a test fails when they drift); the server reads them through
// `toSettings` and turns them into the settings layer of the traffic precedence.
import type { SourcedTraffic } from './config/types';
import type { Severity } from './model';

export type InlineMode = 'codeLens' | 'inlayHints' | 'off';
export type SeveritySetting = Severity | 'off';

/** The typed view of the `promptCost.*` settings. */
export interface PromptCostSettings {
  /** Model assumed where a prompt names none. */
  defaultModel: string;
  /** Per provider: the model assumed for calls of its SDK whose model is not known ('' = built-in default). */
  defaultModels: Record<'openai' | 'anthropic' | 'google', string>;
  /** cacheHitRate null: derived from callsPerDay and the provider's cache lifetime. */
  traffic: { callsPerDay: number; outputTokens: number; cacheHitRate: number | null; daysPerMonth: number };
  /** How the per-prompt cost line is shown. */
  inline: InlineMode;
  thresholds: { promptTokens: number; promptMonthlyUsd: number };
  exclude: string[];
  heuristics: boolean;
  severity: Record<string, SeveritySetting>;
  /** Delay after an edit before the document is re-analysed. */
  debounceMs: number;
  /** "Compress prompt": the rewriting model, its OpenAI-compatible endpoint ('' = OpenAI's), the request timeout. */
  compress: { model: string; baseURL: string; timeoutSeconds: number };
}

interface SettingSpec {
  type: 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object' | ['number', 'null'];
  default: unknown;
  description: string;
  enum?: string[];
  enumDescriptions?: string[];
  minimum?: number;
  maximum?: number;
  items?: { type: string };
  additionalProperties?: { type: string; enum: string[] };
  /** Where a value may be set; `machine`/`application` keep a workspace from setting it. */
  scope?: 'application' | 'machine' | 'window' | 'resource';
}

/** Every setting, by its key under `promptCost.`. Order is the order in the Settings editor. */
export const SETTINGS: Record<string, SettingSpec> = {
  defaultModel: { type: 'string', default: 'gpt-4o-mini', description: 'Model assumed for prompts that name none (a `.promptcost.yaml` `defaults.model` wins over this).' },
  'defaultModels.openai': { type: 'string', default: '', description: 'Model assumed for OpenAI SDK calls whose model the code does not give statically (empty: gpt-4o-mini). `.promptcost.yaml` `defaults.models.openai` wins over this.' },
  'defaultModels.anthropic': { type: 'string', default: '', description: 'Model assumed for Anthropic SDK calls whose model the code does not give statically (empty: claude-sonnet-4-5). `.promptcost.yaml` `defaults.models.anthropic` wins over this.' },
  'defaultModels.google': { type: 'string', default: '', description: 'Model assumed for Google Gen AI SDK calls whose model the code does not give statically (empty: gemini-2.5-flash). `.promptcost.yaml` `defaults.models.google` wins over this.' },
  'traffic.callsPerDay': { type: 'number', default: 1000, minimum: 0, maximum: 10_000_000_000, description: 'Expected calls per day of each prompt, unless `.promptcost.yaml` or an annotation says otherwise.' },
  'traffic.outputTokens': { type: 'integer', default: 500, minimum: 0, maximum: 10_000_000, description: 'Expected output tokens per call where the code sets no max_tokens.' },
  'traffic.cacheHitRate': { type: ['number', 'null'], default: null, minimum: 0, maximum: 1, description: 'Share of calls whose cacheable prefix is read from the provider\'s prompt cache. Unset (null): derived from callsPerDay and the provider\'s cache lifetime.' },
  'traffic.daysPerMonth': { type: 'number', default: 30, minimum: 1, maximum: 31, description: 'Days in a billing month.' },
  inline: {
    type: 'string', default: 'codeLens', enum: ['codeLens', 'inlayHints', 'off'],
    enumDescriptions: ['A line above each prompt: tokens · $/call · $/month.', 'An inlay hint at the end of the prompt\'s first line.', 'No inline figures (hover and diagnostics only).'],
    description: 'How each prompt\'s tokens and cost are shown in the editor.',
  },
  'thresholds.promptTokens': { type: 'integer', default: 0, minimum: 0, description: 'Warn (prompt-over-budget) when a prompt has more input tokens than this. 0 turns it off.' },
  'thresholds.promptMonthlyUsd': { type: 'number', default: 0, minimum: 0, description: 'Warn (prompt-over-budget) when a prompt costs more than this per month, in USD. 0 turns it off.' },
  exclude: { type: 'array', default: [], items: { type: 'string' }, description: 'Globs (relative to the workspace folder) of files the workspace scan skips, on top of .gitignore.' },
  heuristics: { type: 'boolean', default: true, description: 'Report long strings assigned to prompt-like names (SYSTEM_PROMPT, *_TEMPLATE) that no LLM call uses.' },
  severity: {
    type: 'object', default: {}, additionalProperties: { type: 'string', enum: ['error', 'warning', 'information', 'hint', 'off'] },
    description: 'Severity per diagnostic code, e.g. {"unknown-model-tokenizer": "off", "prompt-over-budget": "error"}.',
  },
  debounceMs: { type: 'integer', default: 150, minimum: 0, maximum: 5000, description: 'Milliseconds after the last keystroke before a document is re-analysed.' },
  'compress.model': { type: 'string', default: 'gpt-4o-mini', description: 'Model that rewrites prompts for "Compress prompt" (any chat model the endpoint serves, e.g. `gpt-4.1-nano`, an Azure deployment name, `meta-llama/llama-3.1-8b-instruct` on OpenRouter, `llama3.1` on Ollama).' },
  'compress.baseURL': {
    type: 'string', default: '', scope: 'machine',
    description: 'OpenAI-compatible endpoint for "Compress prompt" (empty: OpenAI). E.g. `https://openrouter.ai/api/v1`, `http://localhost:11434/v1` (Ollama), `http://localhost:8000/v1` (vLLM), `https://RESOURCE.openai.azure.com/openai/v1`. User or machine settings only: a workspace cannot redirect requests.',
  },
  'compress.timeoutSeconds': { type: 'number', default: 60, minimum: 1, maximum: 600, description: 'Seconds to wait for the rewrite before giving up.' },
};

function get(raw: unknown, dotted: string): unknown {
  let v: unknown = raw;
  for (const k of dotted.split('.')) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
  return v;
}

/** Validated settings from the raw `promptCost` object an editor sends; invalid values fall back to defaults. */
export function toSettings(raw: unknown): PromptCostSettings {
  const pick = <T>(key: string, valid: (v: unknown) => boolean): T => {
    const v = get(raw, key);
    return (valid(v) ? v : SETTINGS[key].default) as T;
  };
  const num = (key: string) => pick<number>(key, (v) => typeof v === 'number' && Number.isFinite(v) && v >= (SETTINGS[key].minimum ?? -Infinity) && v <= (SETTINGS[key].maximum ?? Infinity));
  const severity = pick<Record<string, unknown>>('severity', (v) => !!v && typeof v === 'object' && !Array.isArray(v));
  return {
    defaultModel: pick('defaultModel', (v) => typeof v === 'string' && v.trim().length > 0),
    defaultModels: {
      openai: pick('defaultModels.openai', (v) => typeof v === 'string'),
      anthropic: pick('defaultModels.anthropic', (v) => typeof v === 'string'),
      google: pick('defaultModels.google', (v) => typeof v === 'string'),
    },
    traffic: {
      callsPerDay: num('traffic.callsPerDay'), outputTokens: num('traffic.outputTokens'), daysPerMonth: num('traffic.daysPerMonth'),
      cacheHitRate: pick<number | null>('traffic.cacheHitRate', (v) => typeof v === 'number' && v >= 0 && v <= 1),
    },
    inline: pick('inline', (v) => typeof v === 'string' && SETTINGS.inline.enum!.includes(v)),
    thresholds: { promptTokens: num('thresholds.promptTokens'), promptMonthlyUsd: num('thresholds.promptMonthlyUsd') },
    exclude: pick<string[]>('exclude', (v) => Array.isArray(v) && v.every((x) => typeof x === 'string')),
    heuristics: pick('heuristics', (v) => typeof v === 'boolean'),
    severity: Object.fromEntries(Object.entries(severity).filter(([, v]) => typeof v === 'string' && ['error', 'warning', 'information', 'hint', 'off'].includes(v as string))) as Record<string, SeveritySetting>,
    debounceMs: num('debounceMs'),
    compress: {
      model: pick('compress.model', (v) => typeof v === 'string' && v.trim().length > 0),
      baseURL: pick('compress.baseURL', (v) => typeof v === 'string' && (v === '' || /^https?:\/\/\S+$/.test(v))),
      timeoutSeconds: num('compress.timeoutSeconds'),
    },
  };
}

export const DEFAULT_SETTINGS: PromptCostSettings = toSettings({});

/** The settings layer of the traffic precedence (below `.promptcost.yaml`, above the built-ins). */
export function settingsTraffic(s: PromptCostSettings): SourcedTraffic {
  const from = 'setting';
  const models = Object.fromEntries(Object.entries(s.defaultModels).filter(([, v]) => v.trim()).map(([k, v]) => [k, { value: v.trim(), from: `${from} promptCost.defaultModels.${k}` }]));
  return {
    ...(Object.keys(models).length ? { models } : {}),
    model: { value: s.defaultModel, from: `${from} promptCost.defaultModel` },
    callsPerDay: { value: s.traffic.callsPerDay, from: `${from} promptCost.traffic.callsPerDay` },
    outputTokens: { value: s.traffic.outputTokens, from: `${from} promptCost.traffic.outputTokens` },
    ...(s.traffic.cacheHitRate !== null ? { cacheHitRate: { value: s.traffic.cacheHitRate, from: `${from} promptCost.traffic.cacheHitRate` } } : {}),
    daysPerMonth: { value: s.traffic.daysPerMonth, from: `${from} promptCost.traffic.daysPerMonth` },
  };
}

/** `contributes.configuration` for package.json. */
export function contributedConfiguration() {
  return {
    title: 'Prompt Cost',
    properties: Object.fromEntries(Object.entries(SETTINGS).map(([key, { description, ...spec }]) => [`promptCost.${key}`, { ...spec, markdownDescription: description }])),
  };
}
