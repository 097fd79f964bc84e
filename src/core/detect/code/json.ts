// Static evaluation of JSON-like values in code: tool definitions and output schemas are object literals,
// dicts, zod schemas, or helpers returning them, written here or in an imported file. Identifiers and
// imports resolve through values.ts (the same resolution as prompt text); what cannot be known statically
// is reported with the reason and where it is, never dropped silently.
import type { SyntaxNode } from './parser';
import type { CodeFile } from './source';
import { definitionsOf } from './source';
import { callArguments, evalText, findDefinition, finishText, resolveExpression, type EvalContext } from './values';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Something the static reading could not know, and where it is written. */
export interface Unknown { reason: string; file: string; start: number; end: number }

export interface JsonReader {
  ctx: EvalContext;
  unknown: Unknown[];
}

const at = (f: CodeFile, n: SyntaxNode, reason: string): Unknown => ({ reason, file: f.file, start: n.startIndex, end: n.endIndex });

function compact(s: string): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > 40 ? `${one.slice(0, 37)}…` : one;
}

/** resolveExpression, also for a shorthand property (`{ tools }`), which names a variable. */
export function resolveValue(f: CodeFile, n: SyntaxNode, ctx: EvalContext): { file: CodeFile; node: SyntaxNode } | undefined {
  if (n.type === 'shorthand_property_identifier') {
    const def = findDefinition(f, n.text, n);
    if (def) return resolveExpression(f, def.value, ctx) ?? { file: f, node: def.value };
    const imp = f.imports.get(n.text);
    if (imp?.file && imp.imported !== '*') {
      const target = ctx.project.get(imp.file);
      const d = target && definitionsOf(target, imp.imported).find((x) => x.scope === null);
      if (target && d) return resolveExpression(target, d.value, ctx) ?? { file: target, node: d.value };
    }
    return undefined;
  }
  return resolveExpression(f, n, ctx);
}

/** A function's returned expression: an arrow's expression body, or its one `return` at the top level. */
function returnedExpression(fn: SyntaxNode): SyntaxNode | undefined {
  const body = fn.childForFieldName('body');
  if (!body) return undefined;
  if (body.type !== 'statement_block' && body.type !== 'block') return body;
  const returns = body.namedChildren.filter((c) => c?.type === 'return_statement');
  if (returns.length !== 1) return undefined;
  return returns[0]!.namedChildren.find((c) => c && c.type !== 'comment') ?? undefined;
}

/** A function declared by name in `f` (`function name`, `def name`), or imported into it. */
export function functionNamed(f: CodeFile, name: string, ctx: EvalContext): { file: CodeFile; node: SyntaxNode } | undefined {
  for (const at of declarationSites(f).get(name) ?? []) {
    let n: SyntaxNode | null = f.tree.rootNode.descendantForIndex(at);
    while (n && n.type !== 'function_declaration' && n.type !== 'function_definition' && n.type !== 'generator_function_declaration') n = n.parent;
    if (n && n.childForFieldName('name')?.text === name) {
      // what incremental detection must know this call depends on (see Lookups)
      f.lookups?.names.add(name);
      f.lookups?.rows.push([n.startPosition.row, n.endPosition.row]);
      return { file: f, node: n };
    }
  }
  const imp = f.imports.get(name);
  if (imp?.file && imp.imported !== '*') {
    const target = ctx.project.get(imp.file);
    if (target && imp.imported !== name) return functionNamed(target, imp.imported, ctx);
    if (target) return functionNamed(target, name, ctx);
  }
  return undefined;
}

// `def name(`, `function name(`, `function* name<T>(`: where a declaration of `name` may be, checked in the tree.
const PY_DECLARATION = /(?<![\w$])def\s+([^\s(]+)\s*\(/g;
const JS_DECLARATION = /(?<![\w$])function\s*\*?\s*([^\s(<]+)\s*[(<]/g;
const declarationsOf = new WeakMap<CodeFile, Map<string, number[]>>();

/** Offsets of the names of `f`'s function declarations, by name: one pass over the text per parse, not one per lookup. */
function declarationSites(f: CodeFile): Map<string, number[]> {
  let sites = declarationsOf.get(f);
  if (!sites) {
    sites = new Map();
    for (const m of f.text.matchAll(f.isPython ? PY_DECLARATION : JS_DECLARATION)) {
      const at = (m.index ?? 0) + m[0].lastIndexOf(m[1], m[0].length - 1);
      const list = sites.get(m[1]);
      if (list) list.push(at);
      else sites.set(m[1], [at]);
    }
    declarationsOf.set(f, sites);
  }
  return sites;
}

/** The callee's function (declared, or assigned as an arrow / function expression), if it is local code. */
export function calleeFunction(f: CodeFile, call: SyntaxNode, ctx: EvalContext): { file: CodeFile; node: SyntaxNode } | undefined {
  const fn = call.childForFieldName('function');
  if (!fn || fn.type !== 'identifier') return undefined;
  const declared = functionNamed(f, fn.text, ctx);
  if (declared) return declared;
  const r = resolveExpression(f, fn, ctx);
  if (r && r.node !== fn && /^(arrow_function|function_expression|function|lambda|function_declaration|function_definition)$/.test(r.node.type)) return r;
  return undefined;
}

/** Text of a string-ish node, slots left out (a description with a run-time value keeps its static text). */
function text(f: CodeFile, n: SyntaxNode, r: JsonReader): string {
  return finishText(r.ctx, evalText(f, n, r.ctx)).text;
}

/** The value of an expression as JSON; undefined (with the reason in `r.unknown`) where it cannot be known. */
export function evalJson(f: CodeFile, n: SyntaxNode, r: JsonReader, depth = 0): Json | undefined {
  if (depth > 30) {
    r.unknown.push(at(f, n, 'nested too deeply to read'));
    return undefined;
  }
  switch (n.type) {
    case 'object':
    case 'dictionary': {
      const out: { [k: string]: Json } = {};
      for (const p of n.namedChildren) {
        if (!p || p.type === 'comment') continue;
        if (p.type === 'pair') {
          const k = p.childForFieldName('key');
          const v = p.childForFieldName('value');
          if (!k || !v) continue;
          const key = k.type === 'property_identifier' || (k.type === 'identifier' && !f.isPython) ? k.text : /string/.test(k.type) ? text(f, k, r) : k.type === 'number' ? k.text : undefined;
          if (key === undefined) {
            r.unknown.push(at(f, k, `computed key \`${compact(k.text)}\``));
            continue;
          }
          const value = evalJson(f, v, r, depth + 1);
          if (value !== undefined) out[key] = value;
        } else if (p.type === 'shorthand_property_identifier') {
          const value = evalJson(f, p, r, depth + 1);
          if (value !== undefined) out[p.text] = value;
        } else if (p.type === 'spread_element' || p.type === 'dictionary_splat') {
          const inner = p.namedChildren[0];
          const value = inner ? evalJson(f, inner, r, depth + 1) : undefined;
          if (value && typeof value === 'object' && !Array.isArray(value)) Object.assign(out, value);
        } else if (p.type === 'method_definition') {
          // execute() and friends are code, not part of the definition sent to the model
        }
      }
      return out;
    }
    case 'array':
    case 'list':
    case 'tuple': {
      const out: Json[] = [];
      for (const c of n.namedChildren) {
        if (!c || c.type === 'comment') continue;
        if (c.type === 'spread_element' || c.type === 'list_splat') {
          const inner = c.namedChildren[0];
          const value = inner ? evalJson(f, inner, r, depth + 1) : undefined;
          if (Array.isArray(value)) out.push(...value);
          continue;
        }
        const value = evalJson(f, c, r, depth + 1);
        if (value !== undefined) out.push(value);
      }
      return out;
    }
    case 'string':
    case 'template_string':
    case 'concatenated_string':
    case 'binary_expression':
      if (n.type === 'binary_expression' && n.childForFieldName('operator')?.text !== '+') break;
      return text(f, n, r);
    case 'number':
    case 'integer':
    case 'float': {
      const v = Number(n.text.replace(/_/g, ''));
      return Number.isFinite(v) ? v : undefined;
    }
    case 'true':
      return true;
    case 'false':
      return false;
    case 'null':
    case 'none':
    case 'undefined':
      return null;
    case 'parenthesized_expression':
    case 'as_expression':
    case 'satisfies_expression':
    case 'non_null_expression': {
      const inner = n.namedChildren.find((c) => c && !c.type.endsWith('_type') && c.type !== 'type_identifier' && c.type !== 'type_annotation');
      return inner ? evalJson(f, inner, r, depth + 1) : undefined;
    }
    case 'identifier':
    case 'shorthand_property_identifier':
    case 'member_expression':
    case 'attribute':
    case 'subscript_expression':
    case 'subscript': {
      const to = resolveValue(f, n, r.ctx);
      if (!to || to.node === n || r.ctx.active.has(to.node.id)) {
        const fn = n.type === 'identifier' ? functionNamed(f, n.text, r.ctx) : undefined;
        if (fn) return { $function: n.text, $file: fn.file.file, $at: fn.node.startIndex } as unknown as Json;
        r.unknown.push(at(f, n, `\`${compact(n.text)}\` is only known at run time`));
        return undefined;
      }
      // A name for a function (`tools=[get_weather]` with `def get_weather`): a marker the tool reader expands
      if (/^(function_definition|function_declaration|generator_function_declaration)$/.test(to.node.type)) {
        return { $function: to.node.childForFieldName('name')?.text ?? n.text, $file: to.file.file, $at: to.node.startIndex } as unknown as Json;
      }
      r.ctx.active.add(to.node.id);
      try {
        return evalJson(to.file, to.node, r, depth + 1);
      } finally {
        r.ctx.active.delete(to.node.id);
      }
    }
    case 'call_expression':
    case 'call':
      return evalCallJson(f, n, r, depth);
    case 'await_expression': {
      const inner = n.namedChildren[0];
      return inner ? evalJson(f, inner, r, depth + 1) : undefined;
    }
  }
  r.unknown.push(at(f, n, `\`${compact(n.text)}\` cannot be read statically`));
  return undefined;
}

/** Marks a value as a call of `name` (tool(), jsonSchema(), z.object() …) so that readers can tell them apart. */
export interface CallJson { $call: string; positional: (Json | undefined)[]; named: Record<string, Json | undefined> }

export function isCallJson(v: Json | undefined): v is Json & CallJson {
  return !!v && typeof v === 'object' && !Array.isArray(v) && typeof (v as { $call?: unknown }).$call === 'string';
}

function evalCallJson(f: CodeFile, n: SyntaxNode, r: JsonReader, depth: number): Json | undefined {
  const fnNode = n.childForFieldName('function');
  const callee = (fnNode?.text ?? '').replace(/\s+/g, '');
  // zod schemas → JSON Schema (see zodSchema)
  if (/^(z|zod)\./.test(callee) || /\.(describe|optional|nullable|nullish|default|min|max|int|positive|nonnegative|array|length|email|url|uuid|regex|strict|passthrough)$/.test(callee) && /(^|[.(])z\./.test(fnNode?.text ?? '')) {
    const z = zodSchema(f, n, r, depth);
    if (z) return z;
  }
  // A local helper that returns the value: the returned expression, read like any other
  const local = calleeFunction(f, n, r.ctx);
  if (local && !r.ctx.active.has(local.node.id)) {
    const returned = returnedExpression(local.node);
    if (returned) {
      r.ctx.active.add(local.node.id);
      try {
        return evalJson(local.file, returned, r, depth + 1);
      } finally {
        r.ctx.active.delete(local.node.id);
      }
    }
  }
  const { positional, named } = callArguments(n);
  const name = callee.split('.').pop() ?? callee;
  if (name === 'dict' && f.isPython) {
    const out: { [k: string]: Json } = {};
    for (const [k, v] of named) {
      const value = evalJson(f, v, r, depth + 1);
      if (value !== undefined) out[k] = value;
    }
    return out;
  }
  if (/^(JSON\.parse|json\.loads)$/.test(callee) && positional[0]) {
    try {
      return JSON.parse(text(f, positional[0], r)) as Json;
    } catch {
      r.unknown.push(at(f, n, 'JSON text that does not parse'));
      return undefined;
    }
  }
  const out: CallJson = { $call: callee, positional: [], named: {} };
  const args = n.childForFieldName('arguments');
  // A tagged template or a call with arguments: keep the arguments for the reader that knows the callee.
  if (args) {
    out.positional = positional.map((p) => evalJson(f, p, { ctx: r.ctx, unknown: [] }, depth + 1));
    for (const [k, v] of named) out.named[k] = evalJson(f, v, { ctx: r.ctx, unknown: [] }, depth + 1);
  }
  (out as unknown as { $at: Unknown }).$at = at(f, n, `\`${compact(callee)}(…)\` is only known at run time`);
  return out as unknown as Json;
}

// ---------------------------------------------------------------- zod

/** A zod schema expression (`z.object({...}).describe('…')`) as the JSON Schema zod's own converter writes. */
function zodSchema(f: CodeFile, n: SyntaxNode, r: JsonReader, depth: number): { [k: string]: Json } | undefined {
  // Unwind the method chain: z.string().min(1).describe('x') → base z.string(), then modifiers.
  const chain: { method: string; args: SyntaxNode[] }[] = [];
  let cur: SyntaxNode | null = n;
  while (cur && (cur.type === 'call_expression' || cur.type === 'call')) {
    const fn: SyntaxNode | null = cur.childForFieldName('function');
    if (!fn || (fn.type !== 'member_expression' && fn.type !== 'attribute')) break;
    const method = (fn.childForFieldName('property') ?? fn.childForFieldName('attribute'))?.text ?? '';
    chain.unshift({ method, args: callArguments(cur).positional });
    const obj: SyntaxNode | null = fn.childForFieldName('object');
    if (obj && /^(z|zod)$/.test(obj.text)) break;
    cur = obj;
  }
  if (!chain.length) return undefined;
  const [base, ...mods] = chain;
  const arg0 = base.args[0];
  let schema: { [k: string]: Json };
  switch (base.method) {
    case 'string': schema = { type: 'string' }; break;
    case 'number': case 'bigint': schema = { type: 'number' }; break;
    case 'int': schema = { type: 'integer' }; break;
    case 'boolean': schema = { type: 'boolean' }; break;
    case 'null': schema = { type: 'null' }; break;
    case 'date': schema = { type: 'string', format: 'date-time' }; break;
    case 'any': case 'unknown': schema = {}; break;
    case 'literal': {
      const v = arg0 ? evalJson(f, arg0, r, depth + 1) : undefined;
      schema = v === undefined ? {} : { type: typeof v === 'number' ? 'number' : typeof v === 'boolean' ? 'boolean' : 'string', const: v };
      break;
    }
    case 'enum': case 'nativeEnum': {
      const v = arg0 ? evalJson(f, arg0, r, depth + 1) : undefined;
      const values = Array.isArray(v) ? v : v && typeof v === 'object' ? Object.values(v) : [];
      schema = { type: 'string', enum: values };
      break;
    }
    case 'array': {
      const items = arg0 ? zodOrJson(f, arg0, r, depth) : undefined;
      schema = { type: 'array', ...(items ? { items } : {}) };
      break;
    }
    case 'object': case 'strictObject': case 'looseObject': {
      const shape = arg0 && resolveExpression(f, arg0, r.ctx);
      const properties: { [k: string]: Json } = {};
      const required: string[] = [];
      if (shape && (shape.node.type === 'object')) {
        for (const p of shape.node.namedChildren) {
          if (!p || p.type !== 'pair') continue;
          const k = p.childForFieldName('key');
          const v = p.childForFieldName('value');
          if (!k || !v) continue;
          const key = k.type === 'property_identifier' ? k.text : text(shape.file, k, r);
          const prop = zodOrJson(shape.file, v, r, depth);
          if (!prop) continue;
          const optional = (prop as { $optional?: boolean }).$optional;
          delete (prop as { $optional?: boolean }).$optional;
          properties[key] = prop;
          if (!optional) required.push(key);
        }
      } else if (arg0) r.unknown.push(at(f, arg0, `zod shape \`${compact(arg0.text)}\` is only known at run time`));
      schema = { type: 'object', properties, required, additionalProperties: false };
      break;
    }
    case 'union': case 'discriminatedUnion': {
      const list = base.args[base.method === 'union' ? 0 : 1];
      const resolved = list && resolveExpression(f, list, r.ctx);
      const anyOf = resolved && /^(array)$/.test(resolved.node.type) ? resolved.node.namedChildren.filter((c): c is SyntaxNode => !!c).map((c) => zodOrJson(resolved.file, c, r, depth) ?? {}) : [];
      schema = { anyOf };
      break;
    }
    case 'optional': case 'nullable': {
      schema = (arg0 && zodOrJson(f, arg0, r, depth)) || {};
      mods.unshift({ method: base.method, args: [] });
      break;
    }
    case 'record': schema = { type: 'object' }; break;
    default:
      return undefined;
  }
  for (const m of mods) {
    if (m.method === 'describe' && m.args[0]) schema.description = text(f, m.args[0], r);
    else if (m.method === 'optional' || m.method === 'nullish') (schema as { $optional?: boolean }).$optional = true;
    else if (m.method === 'default') (schema as { $optional?: boolean }).$optional = true;
    else if (m.method === 'nullable' && typeof schema.type === 'string') schema.type = [schema.type, 'null'];
    else if (m.method === 'int') schema.type = 'integer';
    else if (m.method === 'array') schema = { type: 'array', items: schema };
  }
  return schema;
}

/** A zod schema, or any other value read as JSON (a JSON Schema written as an object literal). */
export function zodOrJson(f: CodeFile, n: SyntaxNode, r: JsonReader, depth = 0): { [k: string]: Json } | undefined {
  const resolved = resolveExpression(f, n, r.ctx) ?? { file: f, node: n };
  const v = evalJson(resolved.file, resolved.node, r, depth + 1);
  return v && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
}
