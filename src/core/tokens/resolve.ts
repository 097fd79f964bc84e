// Model name → tokenizer. OpenAI models get their exact encoding; models without a public tokenizer get
// an o200k count times a per-family factor, always labelled as an estimate.
import type { EncodingName } from './encodings';
import { parseModelId } from '../models/ids';

export interface TokenizerChoice {
  encoding: EncodingName;
  exact: boolean;
  /** Multiplier on the encoding's count (1 for exact). */
  factor: number;
  family: string;
}

/**
 * OpenAI prefix rules, as in tiktoken's own MODEL_PREFIX_TO_ENCODING table
 * (tiktoken/model.py in openai/tiktoken): gpt-5*, gpt-4.1*, gpt-4.5*, gpt-4o*, o1/o3/o4*, gpt-oss,
 * chatgpt-4o → o200k_base; gpt-4*, gpt-3.5*, text-embedding-3 and ada-002 → cl100k_base. Order matters:
 * more specific prefixes first.
 */
const OPENAI_PREFIXES: [prefix: string, encoding: EncodingName][] = [
  ['gpt-5', 'o200k_base'],
  ['gpt-4.1', 'o200k_base'],
  ['gpt-4.5', 'o200k_base'],
  ['gpt-4o', 'o200k_base'],
  ['chatgpt-4o', 'o200k_base'],
  ['gpt-oss', 'o200k_base'],
  ['o1', 'o200k_base'],
  ['o3', 'o200k_base'],
  ['o4', 'o200k_base'],
  ['codex-', 'o200k_base'],
  ['computer-use-', 'o200k_base'],
  ['gpt-4', 'cl100k_base'],
  ['gpt-3.5', 'cl100k_base'],
  ['gpt-35', 'cl100k_base'], // Azure deployment spelling
  ['text-embedding-3', 'cl100k_base'],
  ['text-embedding-ada-002', 'cl100k_base'],
];

/**
 * Families without a public tokenizer: factor = their tokens per o200k token, so the estimate errs high
 * rather than low. These are planning figures, labelled "≈" wherever shown; a later version should
 * calibrate them against each provider's count-tokens endpoint.
 * - Claude 3 through Opus 4.6: Anthropic publishes no tokenizer for Claude 3+ (its docs point to the
 *   /v1/messages/count_tokens endpoint); 1.2× is the ratio commonly reported for English and code.
 * - Claude Opus 4.7 and later: Anthropic's Opus 4.7 release notes say its new tokenizer produces
 *   "1.0–1.35×" the tokens of the previous one for the same text; we take the top of that range.
 * - Gemini: SentencePiece with a 256k vocabulary; Google's "Understand and count tokens" guide gives about
 *   4 characters per token, near o200k's rate on English: 1.05×.
 * - Llama 3+: a 128k tiktoken-style vocabulary extending cl100k (Meta's Llama 3 model card): 1.05×.
 * - Mistral: Tekken, a 131k tiktoken-based vocabulary (Mistral NeMo announcement): 1.05×.
 * - Anything else (Cohere, DeepSeek, Qwen, Grok, …): 1.1×, a deliberately conservative default.
 */
const ESTIMATED_FAMILIES: { test: RegExp; family: string; factor: number }[] = [
  { test: /claude-(opus|sonnet|haiku)-(4[-.][7-9]|[5-9])/, family: 'claude', factor: 1.35 },
  { test: /claude|anthropic/, family: 'claude', factor: 1.2 },
  { test: /gemini|gemma|palm|bison/, family: 'gemini', factor: 1.05 },
  { test: /llama/, family: 'llama', factor: 1.05 },
  { test: /mistral|mixtral|codestral|magistral|ministral|pixtral|devstral/, family: 'mistral', factor: 1.05 },
];
const UNKNOWN_FACTOR = 1.1;

/**
 * Drop a `provider/` prefix (`openai/gpt-4o`, `googleai/gemini-2.0-flash`) and unwrap OpenAI fine-tune
 * ids (`ft:gpt-4o-mini:acme:triage:abc123` → `gpt-4o-mini`), which keep their base model's tokenizer.
 */
export function bareModelName(model: string): string {
  // The one model-id parser (promptfoo's provider:type:model, Bedrock, Azure deployments, Vertex …)
  let name = parseModelId(model).model.trim().toLowerCase() || model.trim().toLowerCase();
  const slash = name.lastIndexOf('/');
  if (slash >= 0) name = name.slice(slash + 1);
  const ft = /^ft:([^:]+)/.exec(name);
  return ft ? ft[1] : name;
}

/** An OpenAI model name inside an Azure deployment name such as `prod-gpt-4o-eastus`. */
const EMBEDDED_OPENAI = /(?:^|[-_.])(gpt-[0-9][\w.-]*|o[134](?:-[\w.-]+)?)$/;

/** Never throws: an unknown name gets an o200k estimate with the conservative factor. */
export function resolveTokenizer(model: string): TokenizerChoice {
  const name = bareModelName(model);
  for (const [prefix, encoding] of OPENAI_PREFIXES) {
    if (name.startsWith(prefix)) return { encoding, exact: true, factor: 1, family: 'openai' };
  }
  const embedded = EMBEDDED_OPENAI.exec(name.replace(/-(eastus|westus|westeurope|northeurope|prod|dev|staging)\d*$/, ''));
  if (embedded) {
    for (const [prefix, encoding] of OPENAI_PREFIXES) {
      if (embedded[1].startsWith(prefix)) return { encoding, exact: true, factor: 1, family: 'openai' };
    }
  }
  const full = model.toLowerCase();
  for (const f of ESTIMATED_FAMILIES) {
    if (f.test.test(full)) return { encoding: 'o200k_base', exact: false, factor: f.factor, family: f.family };
  }
  return { encoding: 'o200k_base', exact: false, factor: UNKNOWN_FACTOR, family: 'unknown' };
}
