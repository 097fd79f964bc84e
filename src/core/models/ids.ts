// Model ids as the ecosystem writes them → the model and provider the price database knows. One parser
// for every place a model id comes from: code, prompt files, promptfoo provider ids, the config.
//
//   gpt-4o                                   bare: the database finds the provider itself
//   openai/gpt-4o, anthropic/claude-…        provider/model (GitHub Models, LiteLLM, Genkit)
//   bedrock:converse:amazon.nova-pro-v1:0    promptfoo provider:type:model (the model may hold colons)
//   bedrock/us.anthropic.claude-…-v1:0       LiteLLM Bedrock, with cross-region prefixes and version suffixes
//   bedrock/converse/MODEL                   LiteLLM's Bedrock route prefixes
//   azure/DEPLOYMENT                         a deployment name, mapped to its model by `deployments:` in the config
//   vertex_ai/gemini-1.5-pro, vertex_ai/claude-3-5-sonnet@20240620
//   openrouter/vendor/model                  OpenRouter's own vendor/model ids
//   litellm_proxy/…                          whatever the proxy routes to: the rest parsed again
//   ollama/…, ollama_chat/…                  local: no per-token bill
//   groq/…, together_ai/…, fireworks_ai/…    hosted open models, priced per host
import { own } from '../own';

export interface ParsedModelId {
  /** The id as written. */
  raw: string;
  /** The model name to look up (without platform prefixes). */
  model: string;
  /** The price database's provider id, when the id names one. */
  provider?: string;
  /** The platform prefix as written (`bedrock`, `azure`, `openrouter`, …), when there is one. */
  via?: string;
  /** Runs on the user's machine: nothing to price. */
  local?: boolean;
  /** An Azure deployment name that the config mapped to a model. */
  deployment?: string;
  /** Why the id alone cannot be priced (e.g. an Azure deployment with no model known). */
  problem?: string;
}

/** Prefixes (lower case) → the price database's provider ids. */
const PROVIDERS: Record<string, string> = {
  openai: 'openai', azure: 'azure', azure_openai: 'azure', 'azure-openai': 'azure', azureopenai: 'azure', azure_ai: 'azure', azureml: 'azure',
  anthropic: 'anthropic', google: 'google', googleai: 'google', 'google-genai': 'google', gemini: 'google', vertexai: 'google', vertex_ai: 'google', vertex: 'google', 'vertex_ai_beta': 'google',
  mistral: 'mistral', 'mistral-ai': 'mistral', mistralai: 'mistral', deepseek: 'deepseek', xai: 'x-ai', 'x-ai': 'x-ai', grok: 'x-ai',
  groq: 'groq', together: 'together', together_ai: 'together', togetherai: 'together', fireworks: 'fireworks', fireworks_ai: 'fireworks',
  bedrock: 'aws', bedrock_converse: 'aws', aws: 'aws', 'amazon-bedrock': 'aws', cohere: 'cohere', cohere_chat: 'cohere', openrouter: 'openrouter',
  perplexity: 'perplexity', cerebras: 'cerebras',
};

/** Local runtimes: models run on the user's own machine. */
const LOCAL = new Set(['ollama', 'ollama_chat', 'lmstudio', 'lm_studio', 'llamacpp', 'llama_cpp', 'local', 'vllm', 'hosted_vllm', 'localai']);

/**
 * Proxies whose ids carry the routed id after their prefix. GitHub Models (`github:gpt-4o-mini`,
 * `github:openai/gpt-4.1`, as GenAIScript and promptfoo write them) serves the providers' own models:
 * priced at the provider's rates, the route said (`via github`).
 */
const PROXIES = new Set(['litellm_proxy', 'litellm', 'portkey', 'helicone', 'github', 'github_models']);

/** promptfoo's second segment names an API, not the model: `openai:chat:gpt-4o`, `bedrock:converse:…`. */
const API_SEGMENTS = new Set(['chat', 'completion', 'completions', 'messages', 'converse', 'invoke', 'embedding', 'embeddings', 'responses', 'assistant', 'realtime', 'image', 'text', 'kb', 'agents']);

/** LiteLLM's Bedrock routes: `bedrock/converse/MODEL`, `bedrock/invoke/MODEL`. */
const BEDROCK_ROUTES = /^(converse|invoke|converse_like|llama|deepseek_r1|nova|mistral|cohere|anthropic_claude3)\//;

/** Bedrock cross-region inference profile prefixes (`us.`, `eu.`, `apac.`, `global.`, …) before a vendor. */
const BEDROCK_REGION = /^(us|eu|apac|global|us-gov|jp|au|ca|sa)\.(?=[a-z]+\.)/;

/** Vendors of models hosted on Vertex AI or reached through a proxy, by model name. */
function vendorOf(model: string): string | undefined {
  const m = model.toLowerCase().replace(/^ft:([^:]+).*$/, '$1');
  if (/^(gpt-|o[1-9](-|$)|chatgpt-|text-embedding|gpt-oss|codex-)/.test(m)) return 'openai';
  if (/^claude/.test(m)) return 'anthropic';
  if (/^(gemini|gemma|text-bison|chat-bison)/.test(m)) return 'google';
  if (/^(mistral|mixtral|codestral|magistral|ministral|pixtral|devstral)/.test(m)) return 'mistral';
  if (/^deepseek/.test(m)) return 'deepseek';
  if (/^grok/.test(m)) return 'x-ai';
  if (/^(command|embed-)/.test(m)) return 'cohere';
  return undefined;
}

export interface ParseOptions {
  /** Azure deployment names → model ids (`deployments:` in .promptcost.yaml). */
  deployments?: Record<string, string>;
}

/** An OpenAI model name inside an Azure deployment name such as `prod-gpt-4o-eastus`. */
const EMBEDDED_OPENAI = /(?:^|[-_.])(gpt-[0-9][\w.-]*?|o[134](?:-mini)?)(?:[-_](?:eastus|westus|westeurope|northeurope|swedencentral|prod|dev|staging|deployment)\d*)*$/i;

/** What an Azure deployment name is a deployment of: the config's map, else an OpenAI model name in it. */
function azureDeployment(name: string, options: ParseOptions, raw: string): ParsedModelId {
  const mapped = Object.entries(options.deployments ?? {}).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
  if (mapped) {
    const inner = parseModelId(mapped, {});
    return { raw, model: inner.model, provider: 'azure', via: 'azure', deployment: name };
  }
  const embedded = EMBEDDED_OPENAI.exec(name)?.[1];
  if (embedded) return { raw, model: embedded.toLowerCase(), provider: 'azure', via: 'azure', deployment: name };
  return {
    raw, model: name, provider: 'azure', via: 'azure', deployment: name,
    problem: `"${name}" is an Azure deployment name, not a model; say which model it runs under deployments: in .promptcost.yaml (deployments: { ${name}: gpt-4o })`,
  };
}

/** Parses a model id as written anywhere (see the table at the top of this file). Never throws. */
export function parseModelId(id: string, options: ParseOptions = {}): ParsedModelId {
  const raw = id;
  const text = id.trim();
  if (!text) return { raw, model: '' };

  // promptfoo's provider:type:model, only when the first segment is a known provider (not `ft:` or `llama3:8b`)
  const colon = text.indexOf(':');
  const slash = text.indexOf('/');
  if (colon > 0 && (slash < 0 || colon < slash)) {
    const head = text.slice(0, colon).toLowerCase();
    if (own(PROVIDERS, head) !== undefined || LOCAL.has(head) || PROXIES.has(head) || head === 'azureopenai') {
      let rest = text.slice(colon + 1);
      const second = rest.split(':')[0].toLowerCase();
      if (API_SEGMENTS.has(second) && rest.includes(':')) rest = rest.slice(second.length + 1);
      return { ...parseModelId(`${head}/${rest}`, options), raw };
    }
  }
  if (slash <= 0) return { raw, model: text };

  const head = text.slice(0, slash).toLowerCase();
  let rest = text.slice(slash + 1);
  if (LOCAL.has(head)) return { raw, model: rest, via: head, local: true };
  if (PROXIES.has(head)) {
    const inner = parseModelId(rest, options);
    return { ...inner, raw, via: inner.via ? `${head} → ${inner.via}` : head };
  }
  const provider = own(PROVIDERS, head);
  if (!provider) return { raw, model: rest };
  switch (provider) {
    case 'aws': {
      rest = rest.replace(BEDROCK_ROUTES, '');
      // An ARN names the profile last: arn:aws:bedrock:us-east-1:…:inference-profile/us.anthropic.claude-…
      if (/^arn:/.test(rest)) rest = rest.slice(rest.lastIndexOf('/') + 1);
      return { raw, model: rest.replace(BEDROCK_REGION, ''), provider, via: head };
    }
    case 'azure': return azureDeployment(rest, options, raw);
    case 'google': {
      // vertex_ai/claude-3-5-sonnet@20240620: Anthropic's model on Vertex, its version after '@'
      const model = rest.replace(/@(\d{8})$/, '-$1').replace(/@.*$/, '');
      const vendor = vendorOf(model);
      return { raw, model, provider: vendor && vendor !== 'google' && head.startsWith('vertex') ? vendor : provider, via: head };
    }
    case 'openrouter': return { raw, model: rest, provider, via: head };
    default: return { raw, model: rest, provider, via: head };
  }
}

/** The provider a model id belongs to (named in the id, or known from the model's name); undefined when unknown. */
export function providerOfModel(id: string, options: ParseOptions = {}): string | undefined {
  const p = parseModelId(id, options);
  if (p.local) return p.via;
  if (p.provider === 'azure') return 'openai';
  if (p.provider && p.provider !== 'openrouter' && p.provider !== 'aws') return p.provider;
  const name = p.provider === 'openrouter' ? p.model.split('/').pop() ?? p.model : p.provider === 'aws' ? p.model.replace(/^[a-z]+\./, '') : p.model;
  return vendorOf(name) ?? (p.provider === 'aws' && /^anthropic\./.test(p.model) ? 'anthropic' : p.provider);
}

/** The model name a tokenizer is chosen by: no platform prefix, no Bedrock vendor prefix. */
export function tokenizerModelName(id: string): string {
  const p = parseModelId(id);
  let name = p.model;
  if (p.provider === 'aws') name = name.replace(/^[a-z]+\./, '').replace(/-v\d+(:\d+)?$/, '');
  return name;
}

/**
 * A promptfoo-style `provider:type:model` id in the `provider/model` form used everywhere else
 * (`bedrock:converse:amazon.nova-pro-v1:0` → `bedrock/amazon.nova-pro-v1:0`); other ids unchanged.
 */
export function normalizeModelId(id: string): string {
  const text = id.trim();
  const colon = text.indexOf(':');
  const slash = text.indexOf('/');
  if (colon <= 0 || (slash >= 0 && slash < colon)) return text;
  const head = text.slice(0, colon).toLowerCase();
  if (!(own(PROVIDERS, head) !== undefined || LOCAL.has(head) || PROXIES.has(head))) return text;
  let rest = text.slice(colon + 1);
  const second = rest.split(':')[0].toLowerCase();
  if (API_SEGMENTS.has(second) && rest.includes(':')) rest = rest.slice(second.length + 1);
  return `${head}/${rest}`;
}
