// The one network call of compress: a chat completion through the `openai` SDK against any
// OpenAI-compatible endpoint. Key, base URL, model and timeout are passed in — never read from the
// environment or settings here. The reply is read as plain text (no JSON mode), so servers without it work.
import OpenAI from 'openai';

export interface ChatMessage { role: 'system' | 'user'; content: string }

export interface ChatRequest {
  apiKey: string;
  /** undefined: OpenAI's own endpoint. */
  baseURL?: string;
  model: string;
  messages: ChatMessage[];
  timeoutMs: number;
  /** Retries of 429 / 5xx / connection errors, with the SDK's backoff (it honours retry-after). */
  maxRetries?: number;
  signal?: AbortSignal;
}

export interface ChatReply { text: string; usage?: { inputTokens: number; outputTokens: number } }

export type ChatErrorKind = 'auth' | 'forbidden' | 'not-found' | 'rate-limit' | 'timeout' | 'network' | 'cancelled' | 'bad-response' | 'server';

export class ChatError extends Error {
  constructor(readonly kind: ChatErrorKind, message: string, readonly status?: number) {
    super(message);
  }
}

/** The host a request goes to, for consent and messages. */
export function hostOf(baseURL: string | undefined): string {
  try {
    return new URL(baseURL ?? 'https://api.openai.com/v1').host;
  } catch {
    return String(baseURL);
  }
}

/** A reply wrapped in one code fence (```text … ```) is the text inside it. */
export function stripFence(text: string): string {
  const m = /^\s*(```|~~~)[\w-]*[ \t]*\r?\n([\s\S]*?)\r?\n[ \t]*\1[ \t]*\s*$/.exec(text);
  return m && !m[2].includes(m[1]) ? m[2] : text;
}

export async function chatRewrite(req: ChatRequest): Promise<ChatReply> {
  const host = hostOf(req.baseURL);
  const client = new OpenAI({ apiKey: req.apiKey, baseURL: req.baseURL, timeout: req.timeoutMs, maxRetries: req.maxRetries ?? 2 });
  let completion: unknown;
  try {
    completion = await client.chat.completions.create({ model: req.model, messages: req.messages, temperature: 0 }, { signal: req.signal });
  } catch (e) {
    throw toChatError(e, host, req);
  }
  const c = completion as { choices?: { message?: { content?: unknown } }[]; usage?: { prompt_tokens?: number; completion_tokens?: number } } | string | null;
  const content = c && typeof c === 'object' && Array.isArray(c.choices) ? c.choices[0]?.message?.content : undefined;
  if (typeof content !== 'string') {
    throw new ChatError('bad-response', `${host} answered with something that is not a chat completion${typeof c === 'string' ? ` (${JSON.stringify(c.slice(0, 60))}…)` : ''}; check the base URL`);
  }
  const u = typeof c === 'object' ? c?.usage : undefined;
  return {
    text: stripFence(content),
    ...(u && typeof u.prompt_tokens === 'number' && typeof u.completion_tokens === 'number' ? { usage: { inputTokens: u.prompt_tokens, outputTokens: u.completion_tokens } } : {}),
  };
}

function toChatError(e: unknown, host: string, req: ChatRequest): ChatError {
  if (e instanceof ChatError) return e;
  if (e instanceof OpenAI.APIUserAbortError || req.signal?.aborted) return new ChatError('cancelled', 'cancelled');
  if (e instanceof OpenAI.APIConnectionTimeoutError) return new ChatError('timeout', `${host} did not answer within ${Number((req.timeoutMs / 1000).toFixed(1))} s (promptCost.compress.timeoutSeconds / --timeout)`);
  if (e instanceof OpenAI.APIConnectionError) return new ChatError('network', `could not reach ${host}: ${(e.cause as Error | undefined)?.message ?? e.message}`);
  if (e instanceof OpenAI.AuthenticationError) return new ChatError('auth', `${host} refused the API key (401); set another with "Prompt Cost: Set API Key" or OPENAI_API_KEY`, 401);
  if (e instanceof OpenAI.PermissionDeniedError) return new ChatError('forbidden', `${host} does not allow this key to use ${req.model} (403)`, 403);
  if (e instanceof OpenAI.NotFoundError) return new ChatError('not-found', `${host} has no model "${req.model}" (404); pick another with promptCost.compress.model / --model`, 404);
  if (e instanceof OpenAI.RateLimitError) return new ChatError('rate-limit', `${host} is rate-limiting requests (429) and still was after ${req.maxRetries ?? 2} retries; try again later`, 429);
  if (e instanceof OpenAI.APIError) return new ChatError('server', `${host} answered ${e.status ?? 'an error'}: ${String(e.message).slice(0, 200)}`, e.status);
  return new ChatError('bad-response', `${host}: ${(e as Error)?.message ?? String(e)}`);
}
