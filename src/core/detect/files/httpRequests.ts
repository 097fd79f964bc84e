// HTTP request files (`.http`, `.rest`: VS Code REST Client, JetBrains HTTP Client): requests separated
// by `###` lines, each a request line (`POST https://…/chat/completions`), headers, a blank line and a
// body. A JSON body that is a model request — `messages` of { role, content }, the Responses API's
// `input` and `instructions`, Anthropic's `system`, Gemini's `contents` and `systemInstruction`, a
// completion's `prompt` — is a prompt of its own, one per request, priced with the body's `model`.
// `{{variables}}` outside JSON strings (`"max_tokens": {{limit}}`) are read as null (not known here); a body that
// is meant as a model request but does not parse is an error at its line.
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { DetectedPrompt, Diagnostic, PromptPart } from '../../model';
import { LineIndex } from '../../text';
import { firstNum, get, nodeRange, normaliseRole, OUTPUT_LIMIT_KEYS, parseYamlAt, str, type ParsedYaml, type PromptFileReader, type ReadContext } from './common';
import { contentParts, itemParts, messageList } from './structured';

// A URL's characters, with `{{$dotenv NAME}}` variables (which hold spaces) among them.
const URL_CHARS = String.raw`(?:[^\s{]|\{\{[^}\n]*\}\}|\{)+`;
const REQUEST_LINE = new RegExp(String.raw`^(?:(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\s+)?((?:https?:\/\/|\{\{)${URL_CHARS})(\s+HTTP\/[\d.]+)?\s*$`);
// Where a request body says it is a model's input.
const MODEL_REQUEST = /"(messages|input|instructions|system|systemInstruction|system_instruction|contents|prompt)"\s*:/;

export function looksLikeModelRequests(name: string, text: string): boolean {
  return /\.(http|rest)$/i.test(name) && MODEL_REQUEST.test(text);
}

/** The file's text with each `{{…}}` outside a JSON string replaced by a `null` as long, so the body parses, offsets hold and no value is made up. */
function maskVariables(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') { out += c + (text[i + 1] ?? ''); i++; continue; }
      if (c === '"' || c === '\n') inString = false;
      out += c;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (c === '{' && text[i + 1] === '{') {
      const close = text.indexOf('}}', i + 2);
      const nl = text.indexOf('\n', i);
      if (close < 0 || (nl >= 0 && nl < close)) { out += c; continue; }
      out += 'null'.padEnd(close + 2 - i, ' '); // `{{x}}` is 5 characters at least
      i = close + 1;
    } else out += c;
  }
  return out;
}

interface Request { start: number; method: string; url: string; name?: string; headers: string; bodyStart: number; bodyEnd: number }

/** The requests of the file: `###` separates them; comments, `@var = value` lines and `# @name x` come before the request line. */
function requests(text: string): Request[] {
  const out: Request[] = [];
  const lines: { start: number; end: number; text: string }[] = [];
  for (let at = 0; at <= text.length;) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    lines.push({ start: at, end, text: text.slice(at, end).replace(/\r$/, '') });
    at = end + 1;
  }
  let i = 0;
  while (i < lines.length) {
    let name: string | undefined;
    while (i < lines.length && !REQUEST_LINE.test(lines[i].text.trim())) {
      if (/^###/.test(lines[i].text)) name = undefined;
      const named = /^\s*(?:#|\/\/)\s*@name\s+(\S+)/.exec(lines[i].text) ?? /^###\s*(\S.*)$/.exec(lines[i].text);
      if (named) name = named[1].trim();
      i++;
    }
    if (i >= lines.length) break;
    const m = REQUEST_LINE.exec(lines[i].text.trim())!;
    const request: Request = { start: lines[i].start, method: m[1] ?? 'GET', url: m[2], name, headers: '', bodyStart: 0, bodyEnd: 0 };
    i++;
    while (i < lines.length && /^\s*[?&]/.test(lines[i].text)) i++; // query continued on the next lines
    const headers: string[] = [];
    while (i < lines.length && lines[i].text.trim() && !/^###/.test(lines[i].text)) headers.push(lines[i++].text);
    request.headers = headers.join('\n');
    const bodyFrom = i;
    while (i < lines.length && !/^###/.test(lines[i].text) && !/^(> |<> )/.test(lines[i].text)) i++;
    request.bodyStart = bodyFrom < lines.length ? lines[bodyFrom].start : text.length;
    request.bodyEnd = i > bodyFrom ? lines[i - 1].end : request.bodyStart;
    while (i < lines.length && !/^###/.test(lines[i].text)) i++; // response handlers, up to the next request
    out.push(request);
  }
  return out;
}

/** The provider the request goes to, by its host or its headers (a model id alone may be any provider's). */
function providerOf(r: Request): string | undefined {
  const where = `${r.url}\n${r.headers}`;
  if (/anthropic|anthropic-version\s*:/i.test(where)) return 'anthropic';
  if (/googleapis\.com|generativelanguage|x-goog-api-key/i.test(where)) return 'google';
  if (/openai/i.test(where)) return 'openai';
  return undefined;
}

/** The body's model input, in the order the API puts it together: system text first. */
function bodyParts(y: ParsedYaml, body: Node): PromptPart[] {
  const parts: PromptPart[] = [];
  const system = get(body, 'system');
  parts.push(...contentParts(y, system, 'system', 'system'));
  const instructions = get(body, 'instructions');
  if (isScalar(instructions)) parts.push(...contentParts(y, instructions, 'system', 'instructions'));
  const geminiSystem = get(body, 'systemInstruction') ?? get(body, 'system_instruction');
  if (geminiSystem) parts.push(...contentParts(y, isMap(geminiSystem) ? get(geminiSystem, 'parts') : geminiSystem, 'system', 'systemInstruction'));
  for (const key of ['messages', 'input']) {
    const value = get(body, key);
    const list = messageList(value);
    if (list) parts.push(...list.flatMap((m) => itemParts(y, m)));
    else if (key === 'input' && isScalar(value)) parts.push(...contentParts(y, value, 'user', 'input'));
  }
  for (const c of isSeq(get(body, 'contents')) ? (get(body, 'contents') as { items: Node[] }).items : []) {
    const role = str(get(c, 'role'));
    parts.push(...contentParts(y, get(c, 'parts'), role === 'model' ? 'assistant' : normaliseRole(role)));
  }
  const prompt = get(body, 'prompt');
  if (isScalar(prompt)) parts.push(...contentParts(y, prompt, 'user', 'prompt'));
  return parts;
}

/** `POST https://api.openai.com/v1/chat/completions`, without the query. */
const what = (r: Request) => `${r.method} ${r.url.replace(/\?.*$/, '')}`;

function readRequest(r: Request, masked: string, lines: LineIndex, ctx: ReadContext): { prompt?: DetectedPrompt; diagnostics: Diagnostic[] } {
  const body = masked.slice(r.bodyStart, r.bodyEnd);
  if (!/^\s*[{[]/.test(body)) return { diagnostics: [] }; // no JSON body (a form, a file reference, none)
  const parsed = parseYamlAt(masked, r.bodyStart, r.bodyEnd, ctx, lines);
  if (!parsed.ok) {
    if (!MODEL_REQUEST.test(body)) return { diagnostics: [] };
    return { diagnostics: parsed.diagnostics.slice(0, 1).map((d) => ({ ...d, message: d.message.replace('malformed YAML', `malformed JSON body of ${what(r)}`) })) };
  }
  const y = parsed.yaml;
  if (!isMap(y.root)) return { diagnostics: [] };
  const parts = bodyParts(y, y.root);
  if (!parts.length) return { diagnostics: [] };
  const modelNode = get(y.root, 'model');
  const model = str(modelNode);
  const limit = firstNum(y.root, OUTPUT_LIMIT_KEYS) ?? firstNum(get(y.root, 'generationConfig'), OUTPUT_LIMIT_KEYS);
  const at = lines.position(r.start).line + 1;
  return {
    prompt: {
      kind: 'http-request', source: 'prompt-file', confidence: 'call', range: lines.range(r.start, r.bodyEnd), parts,
      label: r.name ?? `line ${at}`, provider: providerOf(r),
      model: model && /^[\w./:@-]+$/.test(model) ? { id: model, from: 'file', range: nodeRange(y, modelNode) } : undefined,
      outputTokens: limit ? { tokens: limit.value, from: `file:${limit.key}` } : undefined,
      notes: [`the body of ${what(r)}`, ...(model ? [] : [`no model in the body${/\/deployments\//.test(r.url) ? ' (the URL names an Azure deployment)' : ''}: the default model is used`])],
    },
    diagnostics: [],
  };
}

export const httpRequestsReader: PromptFileReader = {
  format: 'http-request',
  matches: looksLikeModelRequests,
  read(text, ctx) {
    const masked = maskVariables(text);
    const lines = new LineIndex(masked);
    const prompts: DetectedPrompt[] = [];
    const diagnostics: Diagnostic[] = [];
    for (const r of requests(text)) {
      const read = readRequest(r, masked, lines, ctx);
      if (read.prompt) prompts.push(read.prompt);
      diagnostics.push(...read.diagnostics);
    }
    return { prompts, diagnostics };
  },
};
