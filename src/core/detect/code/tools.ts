// Tool definitions of a call, in every form the SDKs take them, normalised to name + description + JSON
// Schema parameters (what every provider turns into prompt text):
//   OpenAI chat   tools: [{ type: 'function', function: { name, description, parameters } }], functions: [...]
//   Responses     tools: [{ type: 'function', name, description, parameters }] (+ built-in tools)
//   Agents SDK    tools: [tool({ name, description, parameters: z.object(…) })], Python @function_tool defs
//   AI SDK        tools: { name: tool({ description, inputSchema | parameters }) } with zod or jsonSchema()
//   Anthropic     tools: [{ name, description, input_schema }], tool_choice: { type }
//   Gemini        config.tools: [{ functionDeclarations: [{ name, description, parameters }] }]
// Definitions in another file or returned by a helper resolve like prompt text (json.ts); what cannot be
// read is kept as an unresolved entry with its reason, so pricing can estimate it and say so.
import type { DetectedTools, ToolDefinition } from '../../model';
import type { SyntaxNode } from './parser';
import type { CodeFile } from './source';
import { evalJson, isCallJson, resolveValue, type Json, type JsonReader, type Unknown } from './json';
import type { EvalContext } from './values';

type JsonObject = { [k: string]: Json };
const isObject = (v: Json | undefined): v is JsonObject => !!v && typeof v === 'object' && !Array.isArray(v);
const str = (v: Json | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

interface Place { file: CodeFile; node: SyntaxNode }

function rangeOf(ctx: EvalContext, u: { file: string; start: number; end: number }): { file: string; range: NonNullable<DetectedTools['range']> } | undefined {
  const f = ctx.project.get(u.file);
  return f ? { file: u.file, range: f.lines.range(u.start, u.end) } : undefined;
}

/** One tool value (already read as JSON) → a definition, a built-in tool's name, or why it is unknown. */
function toDefinition(v: Json | undefined, key: string | undefined, ctx: EvalContext): ToolDefinition | { builtIn: string } | { unknown: string } | ToolDefinition[] {
  if (v === undefined) return { unknown: 'its value is only known at run time' };
  if (isCallJson(v)) {
    const callee = v.$call.split('.').pop() ?? v.$call;
    const opts = isObject(v.positional[0]) ? v.positional[0] : undefined;
    if (/^(tool|createTool|dynamicTool|zodFunction|betaZodTool|betaTool)$/.test(callee) && opts) {
      return definition(str(opts.name) ?? key, opts.description, schemaOf(opts.inputSchema ?? opts.input_schema ?? opts.parameters));
    }
    // Hosted tools (Agents SDK helpers, AI SDK provider tools): run and billed by the provider
    if (/^(webSearchTool|fileSearchTool|codeInterpreterTool|imageGenerationTool|hostedMcpTool|computerTool|WebSearchTool|FileSearchTool|CodeInterpreterTool|ImageGenerationTool|HostedMCPTool|ComputerTool|LocalShellTool)$/.test(callee) || /\.tools\.\w+$/.test(v.$call)) {
      return { builtIn: callee };
    }
    // agent.asTool({ toolName, toolDescription }) / agent.as_tool(tool_name=…, tool_description=…): one string input
    if (/^(asTool|as_tool)$/.test(callee)) {
      const name = str(opts?.toolName) ?? str(v.named.tool_name);
      const description = opts?.toolDescription ?? v.named.tool_description;
      return definition(name, description, { type: 'object', properties: { input: { type: 'string' } }, required: ['input'], additionalProperties: false });
    }
    if (/^(function_tool)$/.test(callee)) {
      const fn = v.positional[0];
      if (isFunctionMarker(fn)) return pythonFunctionTool(fn, ctx, v.named);
    }
    if (/^(Tool)$/.test(callee)) {
      const decls = v.named.function_declarations ?? v.named.functionDeclarations;
      if (Array.isArray(decls)) return decls.map((d) => toDefinition(d, undefined, ctx)).filter((d): d is ToolDefinition => 'name' in d);
      // pydantic-ai: Tool(fn, takes_ctx=…, name=…, description=…)
      const fn = v.positional[0] ?? v.named.function;
      if (isFunctionMarker(fn)) return pythonFunctionTool(fn, ctx, { name_override: v.named.name, description_override: v.named.description }, v.named.takes_ctx === true);
    }
    if (/^(FunctionDeclaration)$/.test(callee)) return definition(str(v.named.name), v.named.description, schemaOf(v.named.parameters ?? v.named.parameters_json_schema));
    return { unknown: `\`${v.$call}(…)\` is not a tool definition that can be read statically` };
  }
  if (isFunctionMarker(v)) return pythonFunctionTool(v, ctx, {});
  if (!isObject(v)) return { unknown: 'not a tool definition object' };
  const decls = v.functionDeclarations ?? v.function_declarations;
  if (Array.isArray(decls)) return decls.map((d) => toDefinition(d, undefined, ctx)).filter((d): d is ToolDefinition => 'name' in d);
  if (isObject(v.function)) return definition(str(v.function.name), v.function.description, schemaOf(v.function.parameters), v.function.strict === true);
  const type = str(v.type);
  if (type && type !== 'function' && type !== 'custom') return { builtIn: str(v.name) ?? type };
  if (v.input_schema !== undefined || v.inputSchema !== undefined) {
    return { ...definition(str(v.name) ?? key, v.description, schemaOf(v.input_schema ?? v.inputSchema)), ...(v.cache_control ? { cacheControl: true } : {}) };
  }
  if (v.name !== undefined || v.parameters !== undefined || v.description !== undefined) return definition(str(v.name) ?? key, v.description, schemaOf(v.parameters), v.strict === true);
  return { unknown: 'an object without name, description or parameters' };
}

function definition(name: string | undefined, description: Json | undefined, parameters: JsonObject | undefined, strict?: boolean): ToolDefinition {
  return { name: name ?? 'tool', description: str(description) ?? '', ...(parameters ? { parameters } : {}), ...(strict ? { strict } : {}) };
}

/** A parameters value: a JSON Schema object, or jsonSchema(…) / zodToJsonSchema(…) around one. */
function schemaOf(v: Json | undefined): JsonObject | undefined {
  if (isCallJson(v)) {
    const inner = v.positional[0];
    return isObject(inner) && !isCallJson(inner) ? inner : undefined;
  }
  return isObject(v) ? v : undefined;
}

// ---------------------------------------------------------------- Python @function_tool functions

interface FunctionMarker { $function: string; $file: string; $at: number }
function isFunctionMarker(v: Json | undefined): v is Json & FunctionMarker {
  return isObject(v) && typeof v.$function === 'string' && typeof v.$file === 'string';
}

const PY_TYPES: Record<string, string> = { str: 'string', int: 'integer', float: 'number', bool: 'boolean', list: 'array', List: 'array', dict: 'object', Dict: 'object', tuple: 'array', set: 'array' };

/** A Python annotation as a JSON Schema fragment (Literal → enum, Optional[X] → X). */
export function pythonTypeSchema(annotation: string): JsonObject {
  const t = annotation.replace(/\s+/g, '');
  const literal = /^(?:typing\.)?Literal\[(.*)\]$/.exec(t);
  if (literal) return { type: 'string', enum: literal[1].split(',').map((s) => s.replace(/^['"]|['"]$/g, '')) };
  const optional = /^(?:typing\.)?Optional\[(.*)\]$/.exec(t) ?? /^(.*)\|None$/.exec(t);
  if (optional) return pythonTypeSchema(optional[1]);
  const generic = /^(\w+)\[/.exec(t);
  const base = generic ? generic[1] : t;
  return PY_TYPES[base] ? { type: PY_TYPES[base] } : { type: 'object' };
}

/** Google-style docstring: the summary, and `Args:` descriptions by parameter name. */
function parseDocstring(doc: string): { summary: string; args: Record<string, string> } {
  const lines = doc.split('\n').map((l) => l.trim());
  const argsAt = lines.findIndex((l) => /^(Args|Arguments|Parameters):$/.test(l));
  const summary = (argsAt >= 0 ? lines.slice(0, argsAt) : lines).join('\n').split(/\n\s*\n/)[0].replace(/\s+/g, ' ').trim();
  const args: Record<string, string> = {};
  if (argsAt >= 0) {
    for (const l of lines.slice(argsAt + 1)) {
      if (/^(Returns|Raises|Yields|Examples?):$/.test(l) || !l) break;
      const m = /^(\w+)(?:\s*\([^)]*\))?:\s*(.*)$/.exec(l);
      if (m) args[m[1]] = m[2];
    }
  }
  return { summary, args };
}

/**
 * What the Agents SDK (and pydantic-ai) sends for a function tool: its name, docstring summary and typed
 * parameters, without the context parameter the framework fills (`takesContext`: the first, whatever its
 * annotation, as pydantic-ai's `@agent.tool` passes the RunContext there).
 */
function pythonFunctionTool(marker: FunctionMarker, ctx: EvalContext, options: Record<string, Json | undefined>, takesContext = false): ToolDefinition {
  const f = ctx.project.get(marker.$file);
  const node = f?.tree.rootNode.descendantForIndex(marker.$at);
  let fn: SyntaxNode | null | undefined = node;
  while (fn && fn.type !== 'function_definition') fn = fn.parent;
  if (!f || !fn) return { name: marker.$function, description: '' };
  const body = fn.childForFieldName('body');
  const first = body?.namedChildren[0];
  const docNode = first?.type === 'expression_statement' ? first.namedChildren[0] : undefined;
  const doc = docNode?.type === 'string' ? docNode.text.replace(/^[rbuRBU]*("""|'''|"|')/, '').replace(/("""|'''|"|')$/, '') : '';
  const { summary, args } = parseDocstring(doc);
  const properties: JsonObject = {};
  const required: string[] = [];
  let context = takesContext;
  for (const p of fn.childForFieldName('parameters')?.namedChildren ?? []) {
    if (!p || p.type === 'comment') continue;
    const name = (p.type === 'identifier' ? p : p.childForFieldName('name') ?? p.namedChildren[0])?.text;
    if (!name || name === 'self' || name === 'cls') continue;
    const type = p.childForFieldName('type')?.text ?? '';
    if (context || /RunContext|ToolContext|AgentContext/.test(type)) {
      context = false;
      continue;
    }
    properties[name] = { ...pythonTypeSchema(type || 'str'), ...(args[name] ? { description: args[name] } : {}) };
    if (!/default_parameter/.test(p.type)) required.push(name);
  }
  return {
    name: str(options.name_override) ?? marker.$function,
    description: str(options.description_override) ?? summary,
    parameters: { type: 'object', properties, required, additionalProperties: false },
  };
}

/**
 * pydantic-ai: the functions registered as tools of an agent, `@agent.tool` (its first parameter the
 * RunContext) and `@agent.tool_plain`, with the decorator's `name=` / `description=` where given.
 */
export function registeredTools(registered: readonly { f: CodeFile; fn: SyntaxNode; decorator: SyntaxNode; method: string }[], ctx: EvalContext): ToolDefinition[] {
  return registered.map((r) => {
    const call = r.decorator.namedChildren.find((c) => c?.type === 'call');
    const options: Record<string, Json | undefined> = {};
    for (const kw of call?.childForFieldName('arguments')?.namedChildren ?? []) {
      const key = kw?.type === 'keyword_argument' ? kw.childForFieldName('name')?.text : undefined;
      const value = kw?.childForFieldName('value');
      if ((key === 'name' || key === 'description') && value) options[`${key}_override`] = evalJson(r.f, value, { ctx, unknown: [] });
    }
    const marker = { $function: r.fn.childForFieldName('name')?.text ?? 'tool', $file: r.f.file, $at: r.fn.startIndex };
    return pythonFunctionTool(marker, ctx, options, r.method === 'tool');
  });
}

// ---------------------------------------------------------------- handoffs (OpenAI Agents SDK)

/** The SDK's tool name for a handoff: `transfer_to_` and the agent's name, lower case, other characters `_`. */
const handoffName = (agent: string) => `transfer_to_${agent}`.replace(/\s/g, '_').replace(/[^a-zA-Z0-9_]/g, '_').toLowerCase();

/** What the SDK sends for a handoff with no input type: an empty strict object. */
const EMPTY_PARAMETERS: JsonObject = { additionalProperties: false, type: 'object', properties: {}, required: [] };

/**
 * One entry of `handoffs`: an agent (`Agent(name=…, handoff_description=…)`, `new Agent({ name, handoffDescription })`)
 * or `handoff(agent, …)` with its tool name or description overridden.
 */
function handoffTool(at: Place, ctx: EvalContext, depth = 0): ToolDefinition | { unknown: string } {
  const made = resolveValue(at.file, at.node, ctx) ?? at;
  const n = made.node;
  if (depth > 2 || !/^(call|call_expression|new_expression)$/.test(n.type)) return { unknown: 'a handoff whose agent is only known at run time' };
  const callee = (n.childForFieldName('function') ?? n.childForFieldName('constructor'))?.text.split('.').pop() ?? '';
  const args = n.childForFieldName('arguments')?.namedChildren.filter((c): c is SyntaxNode => !!c && c.type !== 'comment') ?? [];
  const positional = args.filter((c) => c.type !== 'keyword_argument');
  const read = (node: SyntaxNode | undefined) => (node ? evalJson(made.file, node, { ctx, unknown: [] }) : undefined);
  // options: Python keywords, or the JS options object
  const options: JsonObject = {};
  for (const kw of args) {
    const key = kw.type === 'keyword_argument' ? kw.childForFieldName('name')?.text : undefined;
    if (key) options[key] = read(kw.childForFieldName('value') ?? undefined) ?? null;
  }
  const object = (node: SyntaxNode | undefined) => {
    const v = read(node);
    return isObject(v) && !isCallJson(v) ? v : {};
  };
  if (callee === 'handoff') {
    const o = { ...object(positional[1]), ...options };
    const agent = positional[0] ?? args.find((c) => c.childForFieldName('name')?.text === 'agent')?.childForFieldName('value') ?? undefined;
    const target = agent ? handoffTool({ file: made.file, node: agent }, ctx, depth + 1) : { unknown: 'a handoff whose agent is only known at run time' };
    const name = str(o.tool_name_override) ?? str(o.toolNameOverride);
    const description = str(o.tool_description_override) ?? str(o.toolDescriptionOverride);
    if ('unknown' in target) return name ? { name, description: description ?? '', parameters: EMPTY_PARAMETERS, strict: true } : target;
    return { ...target, ...(name ? { name } : {}), ...(description !== undefined ? { description } : {}) };
  }
  if (!/^(Agent|RealtimeAgent)$/.test(callee)) return { unknown: `\`${callee}(…)\` is not an agent that can be read statically` };
  const o = { ...(made.file.isPython ? {} : object(positional[0])), ...options };
  const name = str(o.name);
  if (!name) return { unknown: 'a handoff agent whose name is only known at run time' };
  const extra = str(o.handoff_description) ?? str(o.handoffDescription) ?? '';
  return { name: handoffName(name), description: `Handoff to the ${name} agent to handle the request. ${extra}`, parameters: EMPTY_PARAMETERS, strict: true };
}

/**
 * An agent's `handoffs` as the SDK sends them with each of its requests: one function tool per target
 * (its name, a description made from the target's name and `handoff_description`, no parameters). The
 * target's own instructions are not among them: they are sent once control passes to it.
 */
export function readHandoffs(at: Place, ctx: EvalContext): Pick<DetectedTools, 'definitions' | 'unresolved'> {
  const out: Pick<DetectedTools, 'definitions' | 'unresolved'> = { definitions: [], unresolved: [] };
  const list = resolveValue(at.file, at.node, ctx) ?? at;
  if (!/^(array|list|tuple)$/.test(list.node.type)) {
    const where = rangeOf(ctx, { file: at.file.file, start: at.node.startIndex, end: at.node.endIndex });
    out.unresolved.push({ reason: 'the handoffs are only known at run time', count: 'unknown', ...(where ? { file: where.file, range: where.range } : {}) });
    return out;
  }
  for (const el of list.node.namedChildren) {
    if (!el || el.type === 'comment') continue;
    const d = handoffTool({ file: list.file, node: el }, ctx);
    if ('unknown' in d) out.unresolved.push({ reason: d.unknown });
    else out.definitions.push(d);
  }
  return out;
}

// ---------------------------------------------------------------- the tools of a call

/** Reads a `tools` value (list, AI SDK name → tool map, or a reference to one) with its tool_choice. */
export function readTools(at: Place, ctx: EvalContext, choice?: Place): DetectedTools {
  const reader: JsonReader = { ctx, unknown: [] };
  const out: DetectedTools = { definitions: [], unresolved: [], builtIn: [] };
  const resolved = resolveValue(at.file, at.node, ctx) ?? at;
  const place = rangeOf(ctx, { file: at.file.file, start: at.node.startIndex, end: at.node.endIndex });
  if (place) out.range = place.range;
  const add = (v: Json | undefined, key: string | undefined, unknown: Unknown[]) => {
    const d = toDefinition(v, key, ctx);
    if (Array.isArray(d)) out.definitions.push(...d);
    else if ('builtIn' in d) out.builtIn.push(d.builtIn);
    else if ('unknown' in d) {
      const why = unknown[0] ?? (isCallJson(v) ? (v as unknown as { $at?: Unknown }).$at : undefined);
      const where = why ? rangeOf(ctx, why) : undefined;
      out.unresolved.push({ reason: why?.reason ?? d.unknown, ...(where ? { file: where.file, range: where.range } : {}) });
    } else out.definitions.push(d);
  };
  const kind = resolved.node.type;
  if (kind === 'array' || kind === 'list' || kind === 'tuple') {
    for (const el of resolved.node.namedChildren) {
      if (!el || el.type === 'comment') continue;
      const r: JsonReader = { ctx, unknown: [] };
      const isSpread = el.type === 'spread_element' || el.type === 'list_splat';
      const v = evalJson(resolved.file, isSpread ? el.namedChildren[0] ?? el : el, r);
      if (isSpread && Array.isArray(v)) for (const item of v) add(item, undefined, r.unknown);
      else if (isSpread) add(undefined, undefined, r.unknown);
      else add(v, undefined, r.unknown);
    }
  } else if (kind === 'object' || kind === 'dictionary') {
    // AI SDK: { weather: tool({...}), search: searchTool }
    const v = evalJson(resolved.file, resolved.node, reader);
    if (isObject(v)) for (const [k, item] of Object.entries(v)) add(item, k, []);
    for (const u of reader.unknown) {
      const where = rangeOf(ctx, u);
      out.unresolved.push({ reason: u.reason, ...(where ? { file: where.file, range: where.range } : {}) });
    }
  } else {
    const v = evalJson(resolved.file, resolved.node, reader);
    if (Array.isArray(v)) for (const item of v) add(item, undefined, []);
    else {
      const why = reader.unknown[0];
      const where = why ? rangeOf(ctx, why) : place;
      out.unresolved.push({ reason: why?.reason ?? 'the tools are only known at run time', count: 'unknown', ...(where ? { file: where.file, range: where.range } : {}) });
    }
  }
  if (choice) {
    const c = evalJson(choice.file, choice.node, { ctx, unknown: [] });
    const type = typeof c === 'string' ? c : isObject(c) ? str(c.type) : undefined;
    if (type) out.choice = type;
  }
  return out;
}
