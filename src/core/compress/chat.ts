// The one network call of compress: a chat completion through the `openai` SDK against any
// OpenAI-compatible endpoint. Key, base URL, model and timeout are passed in — never read from the
// environment or settings here. The reply is read as plain text (no JSON mode), so servers without it work.
import OpenAI from 'openai';

export interface ChatMessage { role: 'system' | 'user'; content: string }

export interface ChatRequest {
  /** undefined: no Authorization header (a server of your own that checks none). */
  apiKey?: string;
  /** undefined: OpenAI's own endpoint. */
  baseURL?: string;
  model: string;
  messages: ChatMessage[];
  /** The whole call: every attempt and every pause between them. */
  timeoutMs: number;
  /** Retries of 429 / 5xx / connection errors, with backoff (honouring retry-after), within `timeoutMs`. */
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
  const completion = await withRetries(req, host);
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

/**
 * The request, retried on 429 / 5xx / connection errors with backoff (honouring retry-after), all within
 * one deadline of `timeoutMs`: the SDK's own timeout is per attempt and its backoff cannot be cut short,
 * so `--timeout 2` took three attempts and two pauses (7.7 s) — and a pending pause kept the CLI alive.
 */
async function withRetries(req: ChatRequest, host: string): Promise<unknown> {
  // The SDK refuses to start without a key (and would read OPENAI_API_KEY itself): without one, a stand-in
  // it never sends, as the Authorization header is removed.
  const keyless = req.apiKey === undefined;
  const client = new OpenAI({ apiKey: req.apiKey ?? 'none', baseURL: req.baseURL, timeout: req.timeoutMs, maxRetries: 0, ...(keyless ? { defaultHeaders: { Authorization: null } } : {}) });
  const maxRetries = req.maxRetries ?? 2;
  const deadline = Date.now() + req.timeoutMs;
  const timedOut = () => new ChatError('timeout', `${host} did not answer within ${Number((req.timeoutMs / 1000).toFixed(1))} s, retries included (promptCost.compress.timeoutSeconds / --timeout)`);
  for (let attempt = 0; ; attempt++) {
    if (req.signal?.aborted) throw new ChatError('cancelled', 'cancelled');
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw timedOut();
    const stop = new AbortController();
    let expired = false;
    const timer = setTimeout(() => {
      expired = true;
      stop.abort();
    }, remaining);
    const cancel = () => stop.abort();
    req.signal?.addEventListener('abort', cancel, { once: true });
    try {
      return await client.chat.completions.create({ model: req.model, messages: req.messages, temperature: 0 }, { signal: stop.signal, timeout: remaining, maxRetries: 0 });
    } catch (e) {
      if (req.signal?.aborted) throw new ChatError('cancelled', 'cancelled');
      if (expired || e instanceof OpenAI.APIConnectionTimeoutError) throw timedOut();
      const wait = attempt < maxRetries ? retryDelayMs(e, attempt) : undefined;
      if (wait === undefined) throw toChatError(e, host, req, attempt);
      if (Date.now() + wait >= deadline) {
        // A pause longer than the time left (a long retry-after): what the server said, and why no retry.
        const err = toChatError(e, host, req, attempt);
        throw new ChatError(err.kind, `${err.message}; a retry in ${Number((wait / 1000).toFixed(1))} s would pass the ${Number((req.timeoutMs / 1000).toFixed(1))} s timeout (promptCost.compress.timeoutSeconds / --timeout)`, err.status);
      }
      await pause(wait, req.signal);
    } finally {
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', cancel);
    }
  }
}

/** How long to wait before retrying after `e` (attempt 0-based), or undefined when it is not worth a retry. */
function retryDelayMs(e: unknown, attempt: number): number | undefined {
  let retry = false;
  let headers: { get(name: string): string | null } | undefined;
  if (e instanceof OpenAI.APIError && e.status !== undefined) {
    headers = e.headers as typeof headers;
    const says = headers?.get('x-should-retry');
    retry = says === 'true' || (says !== 'false' && (e.status === 408 || e.status === 409 || e.status === 429 || e.status >= 500));
  } else retry = e instanceof OpenAI.APIConnectionError;
  if (!retry) return undefined;
  const ms = Number.parseFloat(headers?.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const after = headers?.get('retry-after');
  if (after) {
    const seconds = Number.parseFloat(after);
    const at = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(after) - Date.now();
    if (Number.isFinite(at)) return Math.max(0, at);
  }
  // The SDK's backoff: 0.5 s doubling, at most 8 s, less up to a quarter of jitter.
  return Math.min(500 * 2 ** attempt, 8000) * (1 - Math.random() * 0.25);
}

/** A pause that a cancel ends at once. */
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      signal?.removeEventListener('abort', cancelled);
      resolve();
    };
    const timer = setTimeout(done, ms);
    const cancelled = () => {
      clearTimeout(timer);
      reject(new ChatError('cancelled', 'cancelled'));
    };
    signal?.addEventListener('abort', cancelled, { once: true });
  });
}

function toChatError(e: unknown, host: string, req: ChatRequest, retries: number): ChatError {
  if (e instanceof ChatError) return e;
  if (e instanceof OpenAI.APIUserAbortError || req.signal?.aborted) return new ChatError('cancelled', 'cancelled');
  if (e instanceof OpenAI.APIConnectionError) return new ChatError('network', `could not reach ${host}: ${(e.cause as Error | undefined)?.message ?? e.message}`);
  if (e instanceof OpenAI.AuthenticationError) return new ChatError('auth', `${host} refused the API key (401); set another with "Prompt Cost: Set API Key" or OPENAI_API_KEY`, 401);
  if (e instanceof OpenAI.PermissionDeniedError) return new ChatError('forbidden', `${host} does not allow this key to use ${req.model} (403)`, 403);
  if (e instanceof OpenAI.NotFoundError) return new ChatError('not-found', `${host} has no model "${req.model}" (404); pick another with promptCost.compress.model / --model`, 404);
  if (e instanceof OpenAI.RateLimitError) return new ChatError('rate-limit', `${host} is rate-limiting requests (429)${retries ? ` and still was after ${retries} ${retries === 1 ? 'retry' : 'retries'}` : ''}; try again later`, 429);
  if (e instanceof OpenAI.APIError) return new ChatError('server', `${host} answered ${e.status ?? 'an error'}: ${String(e.message).replace(/^\d{3}\s+/, '').slice(0, 200)}`, e.status);
  return new ChatError('bad-response', `${host}: ${(e as Error)?.message ?? String(e)}`);
}
