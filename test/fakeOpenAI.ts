// An OpenAI-compatible chat-completions server on 127.0.0.1 for tests: real HTTP, driven by the real
// `openai` SDK, answering as each test tells it (a deterministic rewrite, or one of the ways real
// endpoints misbehave). It records every request so tests can check what was (not) sent.
import * as http from 'http';
import type { AddressInfo } from 'net';

export interface ChatBody { model: string; messages: { role: string; content: string }[]; [k: string]: unknown }

export interface Answer {
  status?: number;
  /** A JSON value to send, or a string sent as it is (content-type text/html unless `contentType`). */
  body?: unknown;
  headers?: Record<string, string>;
  contentType?: string;
  /** Never answer (the client's timeout must fire). */
  hang?: boolean;
}

export type Responder = (body: ChatBody, n: number) => Answer;

export interface Recorded { path: string; authorization?: string; body: ChatBody }

export interface FakeOpenAI {
  baseURL: string;
  requests: Recorded[];
  respond: Responder;
  close(): Promise<void>;
}

/** A completion whose message content is `content`. */
export function completion(content: string, model = 'gpt-4o-mini'): Answer {
  return {
    body: {
      id: 'chatcmpl-test', object: 'chat.completion', created: 0, model,
      choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 100, completion_tokens: Math.ceil(content.length / 4), total_tokens: 100 + Math.ceil(content.length / 4) },
    },
  };
}

/** Answers with `rewrite(user message)`. */
export const rewriting = (rewrite: (text: string) => string): Responder => (body) => completion(rewrite(body.messages.find((m) => m.role === 'user')?.content ?? ''), body.model);

export async function startFakeOpenAI(respond: Responder = rewriting((t) => t)): Promise<FakeOpenAI> {
  const requests: Recorded[] = [];
  const hanging = new Set<http.ServerResponse>();
  const fake: FakeOpenAI = { baseURL: '', requests, respond, close: async () => undefined };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: ChatBody;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChatBody;
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'bad JSON' } }));
        return;
      }
      requests.push({ path: req.url ?? '', authorization: req.headers.authorization, body });
      if (!/\/chat\/completions$/.test(req.url ?? '')) {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `no route ${req.url}` } }));
        return;
      }
      const a = fake.respond(body, requests.length);
      if (a.hang) {
        hanging.add(res);
        res.on('close', () => hanging.delete(res));
        return;
      }
      const text = typeof a.body === 'string' ? a.body : JSON.stringify(a.body ?? {});
      res.writeHead(a.status ?? 200, { 'content-type': a.contentType ?? (typeof a.body === 'string' ? 'text/html' : 'application/json'), ...a.headers });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  fake.close = () => new Promise((resolve) => {
    for (const r of hanging) r.destroy();
    server.closeAllConnections();
    server.close(() => resolve());
  });
  return fake;
}

/** An OpenAI-style error answer. */
export function apiError(status: number, message: string, headers: Record<string, string> = {}): Answer {
  return { status, headers, body: { error: { message, type: 'invalid_request_error', code: null } } };
}
