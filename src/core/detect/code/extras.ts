// What a call sends besides its messages: tool definitions, a structured-output schema, and images /
// PDFs / audio in the messages. One hook after the SDK finders (index.ts): the finders say what the call
// is; this reads the request's other arguments by the call's kind.
import type { DetectedMedia, DetectedPrompt, DetectedSchema, Range } from '../../model';
import { arg, type CallInfo } from './calls';
import type { FinderEnv } from './finders/types';
import { evalJson, isCallJson, type Json, type JsonReader } from './json';
import type { SyntaxNode } from './parser';
import type { CodeFile } from './source';
import { isPydanticAgent, registeredOn } from './agentMerge';
import { pythonTypeSchema, readHandoffs, readTools, registeredTools } from './tools';
import { callArguments, findDefinition, propertyOf, resolveExpression, type EvalContext } from './values';

interface Place { file: CodeFile; node: SyntaxNode }
type JsonObject = { [k: string]: Json };
const isObject = (v: Json | undefined): v is JsonObject => !!v && typeof v === 'object' && !Array.isArray(v);

/** A key of the Gemini config (`config: {…}`, `config=types.GenerateContentConfig(…)`, a dict). */
function configValue(call: CallInfo, env: FinderEnv, ...keys: string[]): Place | undefined {
  const c = arg(call, 'config', 'generationConfig', 'generation_config');
  if (!c) return undefined;
  const r = resolveExpression(c.file, c.node, env.ctx) ?? c;
  for (const k of keys) {
    if (r.node.type === 'object' || r.node.type === 'dictionary') {
      const v = propertyOf(r.node, k);
      if (v) return { file: r.file, node: v };
    } else if (r.node.type === 'call' || r.node.type === 'call_expression') {
      const v = callArguments(r.node).named.get(k);
      if (v) return { file: r.file, node: v };
    }
  }
  return undefined;
}

/** AI SDK provider functions and LangChain chat-model classes → the provider they call. */
const WRAPPERS: Record<string, string> = { openai: 'openai', azure: 'openai', anthropic: 'anthropic', google: 'google', vertex: 'google' };
const CHAT_CLASSES: [RegExp, string][] = [[/\b(Azure)?ChatOpenAI\s*\(/, 'openai'], [/\bChatAnthropic\s*\(/, 'anthropic'], [/\bChat(GoogleGenerativeAI|VertexAI)\s*\(/, 'google']];

/**
 * The provider of a call whose model is not known statically, where the code still says which provider
 * it is: `model: anthropic(modelId)` (AI SDK), or a file whose one chat-model class is ChatAnthropic.
 */
function inferProvider(found: DetectedPrompt, call: CallInfo, env: FinderEnv): string | undefined {
  if (found.kind.startsWith('ai-sdk.')) {
    const m = arg(call, 'model');
    const r = m && resolveExpression(m.file, m.node, env.ctx);
    if (r && (r.node.type === 'call_expression' || r.node.type === 'call')) {
      const root = (r.node.childForFieldName('function')?.text ?? '').split('.')[0];
      return WRAPPERS[root];
    }
  }
  if (found.kind.startsWith('langchain.')) {
    if (call.f.lookups) call.f.lookups.fileWide = true; // read from the whole file
    const seen = new Set(CHAT_CLASSES.filter(([re]) => re.test(call.f.text)).map(([, p]) => p));
    if (seen.size === 1) return [...seen][0];
  }
  return undefined;
}

/** An Azure OpenAI client's `model` is a deployment name: `azure/NAME`, which `deployments:` maps to a model. */
function azureDeployment(found: DetectedPrompt, call: CallInfo): void {
  if (!found.model || found.model.id.includes('/') || !found.kind.startsWith('openai.')) return;
  const root = call.segments[0] === 'this' || call.segments[0] === 'self' ? call.segments.slice(0, 2).join('.') : call.segments[0];
  const isAzure = () => {
    const def = findDefinition(call.f, root, call.node);
    return !!def && /^(new\s+)?(openai\.)?(Async)?AzureOpenAI\s*\(/.test(def.value.text.replace(/^await\s+/, ''));
  };
  // Looked up without recording it for incremental reuse (a keystroke on the client's row would otherwise
  // re-evaluate every call of it); recorded when it is an Azure client, whose result depends on it.
  const lookups = call.f.lookups;
  call.f.lookups = undefined;
  let azure: boolean;
  try {
    azure = isAzure();
  } finally {
    call.f.lookups = lookups;
  }
  if (azure && isAzure()) found.model = { ...found.model, id: `azure/${found.model.id}` };
}

/** Attaches tools, schema and media to a prompt a finder found. Never throws: a reading failure adds nothing. */
export function attachRequestExtras(found: DetectedPrompt, call: CallInfo, env: FinderEnv): void {
  try {
    azureDeployment(found, call);
    if (!found.model && !found.provider) {
      const provider = inferProvider(found, call, env);
      if (provider) found.provider = provider;
    }
    Object.assign(found, toolsAndSchema(found.kind, call, env));
    const media = readMedia(found.kind, call, env);
    if (media.length) {
      found.media = media;
      // The builder's note counted these blocks as skipped; now they are counted (or named) here.
      found.notes = found.notes?.flatMap((n) => {
        const m = /^(\d+) non-text content blocks? \(images, files, tool results\) not counted$/.exec(n);
        if (!m) return [n];
        const rest = Number(m[1]) - media.length;
        return rest > 0 ? [`${rest} other non-text content block${rest > 1 ? 's' : ''} (tool results …) not counted`] : [];
      });
      if (found.notes && !found.notes.length) delete found.notes;
    }
  } catch {
    // an optional reading: the prompt stays as the finder found it
  }
}

/** The tool definitions and structured-output schema a call of `kind` sends, where it sends any. */
function toolsAndSchema(kind: string, call: CallInfo, env: FinderEnv): Pick<DetectedPrompt, 'tools' | 'schema'> {
  const out: Pick<DetectedPrompt, 'tools' | 'schema'> = {};
  const tools = kind.startsWith('google.') ? configValue(call, env, 'tools') : arg(call, 'tools');
  const functions = kind === 'openai.chat' || kind.startsWith('litellm') ? arg(call, 'functions') : undefined;
  const choice = arg(call, 'tool_choice', 'toolChoice', 'function_call');
  if (tools ?? functions) out.tools = readTools((tools ?? functions)!, env.ctx, choice);
  // pydantic-ai: functions registered with `@agent.tool` / `@agent.tool_plain` are tools beside `tools=[…]`
  const registered = kind === 'pydantic-ai.agent' ? registeredTools(registeredOn(call, /^(tool|tool_plain)$/), env.ctx) : [];
  if (registered.length) out.tools = { ...(out.tools ?? { definitions: [], unresolved: [], builtIn: [] }), definitions: [...(out.tools?.definitions ?? []), ...registered] };
  // OpenAI Agents SDK: each handoff is a tool of the agent that hands off
  const handoffs = kind === 'openai.agent' ? arg(call, 'handoffs') : undefined;
  if (handoffs) {
    const h = readHandoffs(handoffs, env.ctx);
    const base = out.tools ?? { definitions: [], unresolved: [], builtIn: [] };
    out.tools = { ...base, definitions: [...base.definitions, ...h.definitions], unresolved: [...base.unresolved, ...h.unresolved] };
  }
  const schema = readSchema(kind, call, env);
  if (schema) out.schema = schema;
  return out;
}

/** The kind of agent the call builds, when its SDK sends tools and an output schema with every run. */
function agentKind(agent: CallInfo): string | undefined {
  if (isPydanticAgent(agent)) return 'pydantic-ai.agent';
  const module = agent.f.imports.get(agent.segments[0])?.module ?? '';
  return agent.segments[agent.segments.length - 1] === 'Agent' && /^(@openai\/agents(-[\w]+)?|agents)(\/|\.|$)/.test(module) ? 'openai.agent' : undefined;
}

/**
 * What a run in `runFile` of an agent sends besides its messages: the tools and output schema given where
 * the agent is built (`kind` when the caller knows it, else the agent's SDK by its import). Ranges are of
 * the run's own file: those written in the agent's other file are left out, or name it. Never throws.
 */
export function agentExtras(agent: CallInfo, runFile: string, env: FinderEnv, kind = agentKind(agent)): Pick<DetectedPrompt, 'tools' | 'schema'> {
  if (!kind) return {};
  try {
    const out = toolsAndSchema(kind, agent, env);
    if (agent.f.file === runFile) return out;
    if (out.tools) {
      const { range: _, ...tools } = out.tools;
      out.tools = tools;
    }
    if (out.schema) {
      const { range: _, ...schema } = out.schema;
      out.schema = schema.unresolved && !schema.unresolved.file ? { ...schema, unresolved: { ...schema.unresolved, file: agent.f.file } } : schema;
    }
    return out;
  } catch {
    return {};
  }
}

// ---------------------------------------------------------------- structured output

function rangeOf(ctx: EvalContext, file: string, start: number, end: number): Range | undefined {
  return ctx.project.linesOf(file)?.range(start, end);
}

/** A Pydantic model class (`class Answer(BaseModel): text: str = Field(description=…)`) as JSON Schema. */
function pydanticSchema(cls: SyntaxNode): JsonObject {
  const properties: JsonObject = {};
  const required: string[] = [];
  for (const stmt of cls.childForFieldName('body')?.namedChildren ?? []) {
    const a = stmt?.type === 'expression_statement' ? stmt.namedChildren[0] : undefined;
    if (!a || a.type !== 'assignment') continue;
    const name = a.childForFieldName('left')?.text;
    const type = a.childForFieldName('type')?.text;
    if (!name || !type) continue;
    const value = a.childForFieldName('right');
    const prop: JsonObject = pythonTypeSchema(type);
    const desc = value && /^Field\(/.test(value.text) ? /description\s*=\s*(["'])(.*?)\1/.exec(value.text)?.[2] : undefined;
    if (desc) prop.description = desc;
    properties[name] = prop;
    if (!value || !/default/.test(value.text) && !/^Optional\[|\|\s*None$/.test(type)) required.push(name);
  }
  return { type: 'object', title: cls.childForFieldName('name')?.text ?? 'Model', properties, required, additionalProperties: false };
}

/** A Python class named by `node` (a Pydantic model), in this file or an imported one. */
function pythonClass(at: Place, ctx: EvalContext): Place | undefined {
  if (!at.file.isPython || at.node.type !== 'identifier') return undefined;
  const name = at.node.text;
  for (const m of at.file.text.matchAll(new RegExp(`(?<![\\w$])class\\s+${name}\\s*[(:]`, 'g'))) {
    let n: SyntaxNode | null = at.file.tree.rootNode.descendantForIndex((m.index ?? 0) + m[0].indexOf(name));
    while (n && n.type !== 'class_definition') n = n.parent;
    if (n) {
      at.file.lookups?.names.add(name);
      at.file.lookups?.rows.push([n.startPosition.row, n.endPosition.row]);
      return { file: at.file, node: n };
    }
  }
  at.file.lookups?.names.add(name);
  const imp = at.file.imports.get(name);
  const target = imp?.file ? ctx.project.get(imp.file) : undefined;
  if (target) {
    for (const m of target.text.matchAll(new RegExp(`(?<![\\w$])class\\s+${imp!.imported}\\s*[(:]`, 'g'))) {
      let n: SyntaxNode | null = target.tree.rootNode.descendantForIndex((m.index ?? 0) + 6);
      while (n && n.type !== 'class_definition') n = n.parent;
      if (n) return { file: target, node: n };
    }
  }
  return undefined;
}

/** The schema a structured-output argument sends, in each SDK's form. */
function schemaFrom(form: string, at: Place, ctx: EvalContext): DetectedSchema {
  const range = rangeOf(ctx, at.file.file, at.node.startIndex, at.node.endIndex);
  const base = { form, ...(range ? { range } : {}) };
  const cls = pythonClass(at, ctx);
  if (cls) return { ...base, name: cls.node.childForFieldName('name')?.text, schema: pydanticSchema(cls.node) };
  const r: JsonReader = { ctx, unknown: [] };
  let v = evalJson(at.file, at.node, r);
  let name: string | undefined;
  // zodResponseFormat(Schema, 'name'), zodTextFormat(…), Output.object({ schema }), jsonSchema(…)
  if (isCallJson(v)) {
    const callee = v.$call.split('.').pop() ?? '';
    if (/^(zodResponseFormat|zodTextFormat)$/.test(callee)) {
      name = typeof v.positional[1] === 'string' ? v.positional[1] : undefined;
      v = v.positional[0];
    } else if (/^(object|array)$/.test(callee) && isObject(v.positional[0])) v = (v.positional[0] as JsonObject).schema;
    else if (/^(jsonSchema|zodToJsonSchema|toJSONSchema)$/.test(callee)) v = v.positional[0];
  }
  // { type: 'json_schema', json_schema: { name, schema } } (chat) / { type: 'json_schema', name, schema } (Responses, Anthropic)
  if (isObject(v) && v.type === 'json_schema') {
    const inner = isObject(v.json_schema) ? v.json_schema : v;
    name = typeof inner.name === 'string' ? inner.name : name;
    v = inner.schema;
  } else if (isObject(v) && v.type === 'json_object') {
    return { ...base, name: 'json_object' };
  }
  if (isObject(v) && !isCallJson(v)) return { ...base, ...(name ? { name } : {}), schema: v };
  const why = r.unknown[0];
  const where = why ? rangeOf(ctx, why.file, why.start, why.end) : range;
  return { ...base, ...(name ? { name } : {}), unresolved: { reason: why?.reason ?? 'the schema is only known at run time', ...(why ? { file: why.file } : {}), ...(where ? { range: where } : {}) } };
}

function readSchema(kind: string, call: CallInfo, env: FinderEnv): DetectedSchema | undefined {
  const ctx = env.ctx;
  if (kind === 'openai.chat' || kind.startsWith('litellm')) {
    const at = arg(call, 'response_format');
    return at ? schemaFrom('response_format', at, ctx) : undefined;
  }
  if (kind === 'openai.responses') {
    const textFormat = arg(call, 'text_format');
    if (textFormat) return schemaFrom('text_format', textFormat, ctx);
    const text = arg(call, 'text');
    const r = text && resolveExpression(text.file, text.node, ctx);
    const format = r && (r.node.type === 'object' || r.node.type === 'dictionary') ? propertyOf(r.node, 'format') : undefined;
    return format ? schemaFrom('text.format', { file: r!.file, node: format }, ctx) : undefined;
  }
  if (kind === 'openai.agent' || kind === 'ai-sdk.agent' || kind === 'pydantic-ai.agent') {
    let at = arg(call, 'output_type', 'outputType', 'output');
    const form = at?.node.parent?.text.startsWith('output_type') ? 'output_type' : 'outputType';
    // pydantic-ai's output modes wrap the type: ToolOutput(Answer), NativeOutput(Answer), PromptedOutput(Answer)
    const mode = at && resolveExpression(at.file, at.node, ctx);
    if (mode && mode.node.type === 'call' && /(^|\.)(ToolOutput|NativeOutput|PromptedOutput)$/.test(mode.node.childForFieldName('function')?.text ?? '')) {
      const inner = callArguments(mode.node).positional[0];
      at = inner ? { file: mode.file, node: inner } : undefined;
    }
    // output_type=str: the output is plain text, no schema is sent
    if (!at || (at.file.isPython && at.node.text === 'str')) return undefined;
    return schemaFrom(form, at, ctx);
  }
  if (kind.startsWith('ai-sdk.')) {
    const at = arg(call, 'schema') ?? arg(call, 'experimental_output', 'output');
    return at ? schemaFrom('schema', at, ctx) : undefined;
  }
  if (kind.startsWith('google.')) {
    const at = configValue(call, env, 'responseSchema', 'response_schema', 'responseJsonSchema', 'response_json_schema');
    return at ? schemaFrom('responseSchema', at, ctx) : undefined;
  }
  if (kind.startsWith('anthropic.')) {
    const at = arg(call, 'output_format');
    if (at) return schemaFrom('output_format', at, ctx);
    const cfg = arg(call, 'output_config');
    const r = cfg && resolveExpression(cfg.file, cfg.node, ctx);
    const format = r && (r.node.type === 'object' || r.node.type === 'dictionary') ? propertyOf(r.node, 'format') : undefined;
    return format ? schemaFrom('output_config.format', { file: r!.file, node: format }, ctx) : undefined;
  }
  return undefined;
}

// ---------------------------------------------------------------- images, PDFs, audio

const MEDIA_TYPES: Record<string, DetectedMedia['kind']> = {
  image_url: 'image', input_image: 'image', image: 'image', document: 'pdf', file: 'file', input_file: 'file', input_audio: 'audio', audio: 'audio',
};

function mediaKindOfMime(mime: string | undefined): DetectedMedia['kind'] | undefined {
  if (!mime) return undefined;
  if (mime.startsWith('image/')) return 'image';
  if (mime === 'application/pdf') return 'pdf';
  if (mime.startsWith('audio/')) return 'audio';
  return 'file';
}

function collectMedia(v: Json | undefined, out: DetectedMedia[], depth = 0): void {
  if (depth > 12 || !v || typeof v !== 'object') return;
  if (Array.isArray(v)) {
    for (const x of v) collectMedia(x, out, depth + 1);
    return;
  }
  if (isCallJson(v) && /(from_bytes|from_uri|fromBytes|fromUri|createPartFromUri|createPartFromBase64)$/.test(v.$call)) {
    const mime = [v.named.mime_type, v.named.mimeType, ...v.positional].find((x): x is string => typeof x === 'string' && x.includes('/'));
    out.push({ kind: mediaKindOfMime(mime) ?? 'file' });
    return;
  }
  const type = typeof v.type === 'string' ? v.type : undefined;
  const inline = (v.inline_data ?? v.inlineData ?? v.file_data ?? v.fileData) as Json | undefined;
  if (type && MEDIA_TYPES[type] && !(type === 'image' && typeof v.text === 'string')) {
    const inner = isObject(v.image_url) ? v.image_url : v;
    const source = isObject(v.source) ? v.source : undefined;
    const mime = [v.mediaType, v.media_type, v.mimeType, source?.media_type, source?.mediaType].find((x): x is string => typeof x === 'string');
    let kind = MEDIA_TYPES[type];
    const filename = [v.filename, isObject(v.file) ? v.file.filename : undefined].find((x): x is string => typeof x === 'string');
    if (kind === 'file' || kind === 'pdf') kind = mediaKindOfMime(mime) ?? (kind === 'pdf' || (filename && /\.pdf$/i.test(filename)) ? 'pdf' : 'file');
    const detail = typeof inner.detail === 'string' ? inner.detail : undefined;
    out.push({ kind, ...(detail ? { detail } : {}) });
    return;
  }
  if (isObject(inline)) {
    const mime = [inline.mime_type, inline.mimeType].find((x): x is string => typeof x === 'string');
    out.push({ kind: mediaKindOfMime(mime) ?? 'file' });
    return;
  }
  for (const x of Object.values(v)) collectMedia(x, out, depth + 1);
}

function readMedia(kind: string, call: CallInfo, env: FinderEnv): DetectedMedia[] {
  const keys = kind.startsWith('google.') ? ['contents'] : kind === 'openai.responses' ? ['input'] : ['messages', 'prompt'];
  const out: DetectedMedia[] = [];
  for (const k of keys) {
    const at = arg(call, k);
    if (!at) continue;
    const r: JsonReader = { ctx: env.ctx, unknown: [] };
    collectMedia(evalJson(at.file, at.node, r), out);
  }
  return out;
}
