// Text handed to the program's own prompt helpers (JS/TS), as paramSinks.ts does for Python:
// `ask('Summarize …')` where `function ask(q) { return llm.invoke({ prompt: q }) }`, `review(doc, prompt)`
// where the prompt ends up in `{ role: 'user', content: … }`, `callModel(payload)` inside a route where
// `payload` becomes `jsonCall({ system, prompt: payload })`. A parameter is a *sink* when the function puts
// it (directly, or inside a template, a concatenation, a ternary's branch, a `.trim()`) into a message's
// content, a prompt-named property of an object given to a call (`system`, `prompt`, `instructions` …), a
// message class (`new HumanMessage(x)`), or another helper's sink (three calls deep). The text a call
// passes for it is then a prompt where that text is written.
import type { DetectedPrompt, Role } from '../../model';
import { normaliseRole } from '../shared';
import { ancestryOf } from './ancestry';
import { callInfo, PromptBuilder } from './calls';
import type { FinderEnv } from './finders/types';
import type { SyntaxNode } from './parser';
import { finish, lastName, type Claimed } from './shapes';
import type { CodeFile } from './source';
import { evalText, finishText, FUNCTION_NODE, loopEntryText, resolveExpression, type Resolved } from './values';

/** Properties whose value is prompt text, with its role. */
const PROMPT_KEYS: Record<string, Role> = {
  system: 'system', systemPrompt: 'system', system_prompt: 'system', instructions: 'system', systemInstruction: 'system',
  systemMessage: 'system', preamble: 'system', prompt: 'user', userPrompt: 'user', user_prompt: 'user', userMessage: 'user',
};
const MESSAGE_CLASS = /^(System|Human|AI|User|Assistant|Developer)Message$/;
const ROLE_WORD = /^(system|developer|user|human|assistant|ai|model)$/;
/** Calls that only reshape text: `x.trim()`, `dedent(x)`, `String(x)`. */
const TEXT_METHOD = /^(trim|trimStart|trimEnd|toString|normalize)$/;
const TEXT_WRAPPER = /^(dedent|String|stripIndent|outdent)$/;
/** A call of a plain function or a method (`ask(`, `this.ask(`, `helpers.ask(`) whose first argument is text, a name or an object. */
const CALL_SITE = /(?<![\w$])((?:this\.|[A-Za-z_$][\w$]*\.)?[A-Za-z_$][\w$]*)\s*\(\s*(?=[`'"A-Za-z_${])/g;
/** Call sites looked at, at most; past it the rest of the file is not looked at. */
const MAX_CALLS = 400;

type Sink = Role | { roleFrom: string };
type Sinks = Map<string, Sink>;
interface State { memo: Map<number, Sinks>; depth: number }

function roleWord(f: CodeFile, n: SyntaxNode | null | undefined, env: FinderEnv): Role | undefined {
  if (!n) return undefined;
  if (n.type === 'member_expression') {
    const prop = n.childForFieldName('property')?.text.toLowerCase() ?? '';
    return ROLE_WORD.test(prop) ? normaliseRole(prop === 'ai' || prop === 'model' ? 'assistant' : prop) : undefined;
  }
  if (n.type !== 'string' && n.type !== 'template_string') return undefined;
  const t = finishText(env.ctx, evalText(f, n, env.ctx)).text.trim().toLowerCase();
  return ROLE_WORD.test(t) ? normaliseRole(t === 'ai' || t === 'model' ? 'assistant' : t) : undefined;
}

/** The names a function's parameters bind, in order (`{ a, b }` as one undefined slot). */
export function jsParamNames(fn: SyntaxNode): (string | undefined)[] {
  const single = fn.childForFieldName('parameter');
  if (single) return [single.type === 'identifier' ? single.text : undefined];
  const out: (string | undefined)[] = [];
  for (const p of fn.childForFieldName('parameters')?.namedChildren ?? []) {
    if (!p || p.type === 'comment') continue;
    let id: SyntaxNode | null = p;
    if (p.type === 'required_parameter' || p.type === 'optional_parameter') id = p.childForFieldName('pattern');
    if (id?.type === 'assignment_pattern') id = id.childForFieldName('left');
    if (p.type === 'rest_pattern' || id?.type === 'rest_pattern') break;
    if (id?.text === 'this' && p.type === 'required_parameter') continue; // `this: Foo` is no argument
    out.push(id?.type === 'identifier' ? id.text : undefined);
  }
  return out;
}

/** The parameter nodes of a function, in order (a pattern unwrapped from its type and default). */
function paramPatterns(fn: SyntaxNode): (SyntaxNode | null)[] {
  const single = fn.childForFieldName('parameter');
  if (single) return [single];
  const out: (SyntaxNode | null)[] = [];
  for (const p of fn.childForFieldName('parameters')?.namedChildren ?? []) {
    if (!p || p.type === 'comment') continue;
    let id: SyntaxNode | null = p;
    if (p.type === 'required_parameter' || p.type === 'optional_parameter') id = p.childForFieldName('pattern');
    if (id?.type === 'assignment_pattern') id = id.childForFieldName('left');
    if (id?.text === 'this' && p.type === 'required_parameter') continue;
    out.push(id);
  }
  return out;
}

/** `function f({ query, depth: d = 2 })`: the names an object pattern binds, by the key they are given under. */
function patternBindings(pattern: SyntaxNode | null | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (pattern?.type !== 'object_pattern') return out;
  for (const c of pattern.namedChildren) {
    if (!c) continue;
    if (c.type === 'shorthand_property_identifier_pattern') out.set(c.text, c.text);
    else if (c.type === 'object_assignment_pattern') {
      const left = c.childForFieldName('left');
      if (left) out.set(left.text, left.text);
    } else if (c.type === 'pair_pattern') {
      const key = c.childForFieldName('key')?.text.replace(/^["']|["']$/g, '');
      let value = c.childForFieldName('value');
      if (value?.type === 'assignment_pattern') value = value.childForFieldName('left');
      if (key && value?.type === 'identifier') out.set(key, value.text);
    }
  }
  return out;
}

/** The entries of an object literal given for a pattern parameter: key → value node. */
function objectEntries(obj: SyntaxNode): [string, SyntaxNode][] {
  const out: [string, SyntaxNode][] = [];
  for (const c of obj.namedChildren) {
    if (c?.type === 'shorthand_property_identifier') out.push([c.text, c]);
    else if (c?.type === 'pair') {
      const key = c.childForFieldName('key')?.text.replace(/^["'`]|["'`]$/g, '');
      const value = c.childForFieldName('value');
      if (key && value) out.push([key, value]);
    }
  }
  return out;
}

/** The project function a callee names (a function, an arrow or function bound to a name, a method), or undefined. */
function calleeFunction(f: CodeFile, callee: SyntaxNode, env: FinderEnv): Resolved | undefined {
  if (callee.type !== 'identifier' && callee.type !== 'member_expression') return undefined;
  const r = resolveExpression(f, callee, env.ctx);
  if (r && r.node !== callee && FUNCTION_NODE.test(r.node.type)) return r;
  // a function calling itself (`deepResearch({ query: next })` inside `deepResearch`)
  // (up through the file's Ancestry: with `node.parent`, each a walk down from the root, calls nested
  // 400 deep took seconds — every call walked up through every call around it)
  if (callee.type === 'identifier') {
    const up = ancestryOf(f);
    for (let p = up.parent(callee); p; p = up.parent(p)) if (p.type === 'function_declaration' && p.childForFieldName('name')?.text === callee.text) return { file: f, node: p };
  }
  return undefined;
}

/** Where an expression holding a parameter ends up: the role of the prompt it is part of, or undefined. */
function sinkOf(f: CodeFile, use: SyntaxNode, fn: SyntaxNode, env: FinderEnv, st: State): Sink | undefined {
  let n = use;
  // up through the text it is part of
  for (let i = 0; i < 8 && n.parent; i++) {
    const p: SyntaxNode = n.parent;
    if (p.type === 'template_substitution' || p.type === 'template_string' || p.type === 'parenthesized_expression' || p.type === 'as_expression' || p.type === 'non_null_expression') n = p;
    else if (p.type === 'binary_expression' && (p.childForFieldName('operator')?.text === '+' || ((p.childForFieldName('operator')?.text === '??' || p.childForFieldName('operator')?.text === '||') && p.childForFieldName('left')?.id === n.id))) n = p;
    else if (p.type === 'ternary_expression' && p.childForFieldName('condition')?.id !== n.id) n = p;
    else if (p.type === 'member_expression' && p.childForFieldName('object')?.id === n.id && TEXT_METHOD.test(p.childForFieldName('property')?.text ?? '') && p.parent?.type === 'call_expression') n = p.parent;
    else if (p.type === 'arguments' && p.namedChildren.length === 1 && p.parent?.type === 'call_expression' && TEXT_WRAPPER.test(p.parent.childForFieldName('function')?.text ?? '')) n = p.parent;
    else break;
  }
  const p = n.parent;
  if (!p) return undefined;
  // { role: 'user', content: x }, { system: x } / { prompt } given to a call
  const pairKey = n.type === 'shorthand_property_identifier' ? n.text : p.type === 'pair' && p.childForFieldName('value')?.id === n.id ? p.childForFieldName('key')?.text.replace(/^["']|["']$/g, '') : undefined;
  const obj = n.type === 'shorthand_property_identifier' ? p : p.type === 'pair' ? p.parent : undefined;
  if (pairKey !== undefined && obj?.type === 'object') {
    if (pairKey === 'content' || pairKey === 'text') {
      const rolePair = obj.namedChildren.find((c) => c?.type === 'pair' && c.childForFieldName('key')?.text.replace(/^["']|["']$/g, '') === 'role');
      const roleNode = rolePair?.childForFieldName('value');
      const role = roleWord(f, roleNode, env);
      if (role) return role;
      if (roleNode?.type === 'identifier' && jsParamNames(fn).includes(roleNode.text)) return { roleFrom: roleNode.text };
      if (obj.namedChildren.some((c) => c?.type === 'shorthand_property_identifier' && c.text === 'role') && jsParamNames(fn).includes('role')) return { roleFrom: 'role' };
      return undefined;
    }
    if (!Object.hasOwn(PROMPT_KEYS, pairKey)) return handedInObject(f, obj, pairKey, fn, env, st);
    // only in an object given to a call (or built for one: `const body = { system: x }` is not followed)
    let host: SyntaxNode | null = obj.parent;
    while (host && (host.type === 'object' || host.type === 'pair' || host.type === 'array')) host = host.parent;
    const call = host?.type === 'arguments' ? host.parent : undefined;
    if (!call || (call.type !== 'call_expression' && call.type !== 'new_expression')) return undefined;
    const callee = call.childForFieldName('function') ?? call.childForFieldName('constructor');
    if (/^(console\.\w+|\w*[lL]og(ger)?\.\w+|JSON\.stringify)$/.test(callee?.text ?? '')) return undefined;
    return PROMPT_KEYS[pairKey];
  }
  if (p.type !== 'arguments') return undefined;
  const call = p.parent;
  if (!call || (call.type !== 'call_expression' && call.type !== 'new_expression')) return undefined;
  const callee = call.childForFieldName('function') ?? call.childForFieldName('constructor');
  const name = lastName(callee?.text ?? '');
  const index = p.namedChildren.filter((c) => c && c.type !== 'comment').findIndex((c) => c!.id === n.id);
  // new HumanMessage(x), new SystemMessage(x)
  if (MESSAGE_CLASS.test(name) && index === 0) {
    if (name.startsWith('System')) return 'system';
    if (name.startsWith('AI') || name.startsWith('Assistant')) return 'assistant';
    if (name.startsWith('Developer')) return 'developer';
    return 'user';
  }
  // handed on to another of the program's helpers, where it is a sink
  if (st.depth >= 3 || !callee || call.type !== 'call_expression') return undefined;
  const target = calleeFunction(f, callee, env);
  if (!target || target.node.id === fn.id) return undefined;
  const param = jsParamNames(target.node)[index];
  const sink = param ? sinkParams(target.file, target.node, env, { ...st, depth: st.depth + 1 }).get(param) : undefined;
  if (!sink || typeof sink === 'string') return sink;
  const arg = argumentFor(call, target.node, sink.roleFrom);
  if (arg?.type === 'identifier' && jsParamNames(fn).includes(arg.text)) return { roleFrom: arg.text };
  return roleWord(f, arg, env);
}

/** `helper({ query: x })` where `function helper({ query })` puts `query` in a prompt: that sink. */
function handedInObject(f: CodeFile, obj: SyntaxNode, key: string, fn: SyntaxNode, env: FinderEnv, st: State): Sink | undefined {
  const args = obj.parent;
  const call = args?.type === 'arguments' ? args.parent : undefined;
  if (st.depth >= 3 || !args || call?.type !== 'call_expression') return undefined;
  const callee = call.childForFieldName('function');
  const target = callee && calleeFunction(f, callee, env);
  if (!target || target.node.id === fn.id) return undefined;
  const index = args.namedChildren.filter((c) => c && c.type !== 'comment').findIndex((c) => c!.id === obj.id);
  const local = patternBindings(paramPatterns(target.node)[index]).get(key);
  const sink = local ? sinkParams(target.file, target.node, env, { ...st, depth: st.depth + 1 }).get(local) : undefined;
  return typeof sink === 'string' ? sink : undefined;
}

function argumentFor(call: SyntaxNode, fn: SyntaxNode, name: string): SyntaxNode | undefined {
  const i = jsParamNames(fn).indexOf(name);
  const args = call.childForFieldName('arguments')?.namedChildren.filter((c) => c && c.type !== 'comment') ?? [];
  return i >= 0 ? args[i] ?? undefined : undefined;
}

/** The parameters of `fn` that end up in a prompt, with the role they take there. */
function sinkParams(file: CodeFile, fn: SyntaxNode, env: FinderEnv, st: State): Sinks {
  const known = st.memo.get(fn.id);
  if (known) return known;
  const sinks: Sinks = new Map();
  st.memo.set(fn.id, sinks); // recursion sees none
  const body = fn.childForFieldName('body');
  if (!body) return sinks;
  const text = file.text.slice(body.startIndex, body.endIndex);
  const up = ancestryOf(file);
  const names = [...jsParamNames(fn), ...paramPatterns(fn).flatMap((p) => [...patternBindings(p).values()])];
  for (const name of names) {
    if (!name) continue;
    const re = new RegExp(`(?<![\\w$.])${name.replace(/\$/g, '\\$')}(?![\\w$])`, 'g');
    let uses = 0;
    for (const m of text.matchAll(re)) {
      if (++uses > 32) break;
      const at = body.startIndex + (m.index ?? 0);
      const id = up.at(at, at + name.length);
      if ((id.type !== 'identifier' && id.type !== 'shorthand_property_identifier') || id.text !== name) continue;
      if (up.parent(id)?.type === 'shorthand_property_identifier_pattern' || id.startIndex < body.startIndex) continue;
      // a use in a nested function that rebinds the name is another variable
      const sink = sinkOf(file, id, fn, env, st);
      if (sink) {
        sinks.set(name, sink);
        break;
      }
    }
  }
  return sinks;
}

/** Whether `fn`'s body compares `name` with a value (not a null or empty check) or switches on it: then it is a name, a key. */
function comparedIn(fn: SyntaxNode, name: string): boolean {
  const body = fn.childForFieldName('body')?.text ?? '';
  if (!body.includes(name)) return false;
  const id = name.replace(/\$/g, '\\$');
  const blank = `(?:null|undefined|''|""|\`\`|\\d)`;
  return new RegExp(`(?<![\\w$.])${id}\\s*[!=]==?\\s*(?!${blank})[\\w$'"\`]|(?<![!=])(?<!(?:${blank}|typeof \\w+)\\s*)[!=]==?\\s*${id}(?![\\w$.\\[(])|\\bswitch\\s*\\(\\s*${id}\\s*\\)`).test(body);
}

/** Prompts passed to the program's own helpers (JS/TS) whose parameters end up in a prompt. */
export function jsParamSinkPrompts(f: CodeFile, env: FinderEnv, claimed: Claimed): DetectedPrompt[] {
  if (f.isPython) return [];
  const out: DetectedPrompt[] = [];
  const st: State = { memo: new Map(), depth: 0 };
  const up = ancestryOf(f);
  const seen = new Set<number>();
  for (const m of f.text.matchAll(CALL_SITE)) {
    if (seen.size >= MAX_CALLS) break;
    const at = m.index ?? 0;
    const end = at + m[1].length;
    let callee: SyntaxNode | null = up.at(end - 1, end);
    while (callee && callee.endIndex === end && up.parent(callee)?.type !== 'call_expression') callee = up.parent(callee);
    const call = callee ? up.parent(callee) : undefined;
    if (!callee || !call || call.type !== 'call_expression' || call.childForFieldName('function')?.id !== callee.id || seen.has(call.id)) continue;
    seen.add(call.id);
    if (/^(console|JSON|Math|Object|Array|Promise|String|Number|process|fs|path)\./.test(callee.text)) continue;
    addCall(f, call, callee, env, st, claimed, out);
  }
  return out;
}

function addCall(f: CodeFile, call: SyntaxNode, callee: SyntaxNode, env: FinderEnv, st: State, claimed: Claimed, out: DetectedPrompt[]): void {
  const target = calleeFunction(f, callee, env);
  if (!target) return;
  const sinks = sinkParams(target.file, target.node, env, st);
  if (!sinks.size) return;
  const info = callInfo(f, call, env.ctx);
  if (!info) return;
  const names = jsParamNames(target.node);
  const b = new PromptBuilder(info, env.ctx);
  const used: string[] = [];
  const patterns = paramPatterns(target.node);
  const addIfText = (role: Role, a: SyntaxNode, param: string) => {
    // text only: a name is followed to what it holds, a run-time value alone is no prompt of this call
    // (`x || 'Terminal'` is a run-time value with a fallback, not text the caller writes for the prompt)
    const r = resolveExpression(f, a, env.ctx);
    // `step.task` for each element of a literal list a loop walks: the elements' texts
    const entry = !r && /^(member_expression|subscript_expression)$/.test(a.type) && loopEntryText(f, a, env.ctx);
    if (!entry && (!r || !/^(string|template_string|binary_expression|call_expression|ternary_expression)$/.test(r.node.type))) return;
    if (r?.node.type === 'binary_expression' && r.node.childForFieldName('operator')?.text !== '+') return;
    b.addText(role, { file: f, node: a });
    used.push(param);
  };
  info.positional.forEach((a, i) => {
    const bindings = patternBindings(patterns[i]);
    if (bindings.size) {
      // helper({ query: `…` }) for `function helper({ query })`
      const obj = resolveExpression(f, a, env.ctx);
      if (obj?.file !== f || obj.node.type !== 'object') return;
      for (const [key, value] of objectEntries(obj.node)) {
        const local = bindings.get(key);
        const sink = local ? sinks.get(local) : undefined;
        if (typeof sink === 'string') addIfText(sink, value, key);
      }
      return;
    }
    const param = names[i];
    // a parameter the helper compares (`a.domain === committee`) is a name it picks by, not prose of the prompt
    const sink = param && !comparedIn(target.node, param) ? sinks.get(param) : undefined;
    const role = typeof sink === 'object' ? roleWord(f, argumentFor(call, target.node, sink.roleFrom), env) : sink;
    if (role) addIfText(role, a, param!);
  });
  if (!used.length) return;
  // what another layer reports already is not reported twice; a word or two alone is a value, not a prompt
  b.parts.splice(0, b.parts.length, ...b.parts.filter((p) => {
    const lines = p.file ? env.ctx.project.linesOf(p.file) : f.lines;
    if (lines && claimed(p.file ?? f.file, lines.offset(p.range.start), lines.offset(p.range.end))) return false;
    const words = p.text.split(/\s+/).filter((w) => /\p{L}{2}/u.test(w)).length;
    return words >= 3;
  }));
  const fnName = target.node.childForFieldName('name')?.text ?? lastName(callee.text);
  const found = finish(b, info, 'shape.argument', `passed as \`${used.join('`, `')}\` to \`${fnName}(…)\`, which puts it in a prompt`, env, () => false);
  if (found) out.push(found);
}
