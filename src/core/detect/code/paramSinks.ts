// Text handed to the program's own prompt helpers (Python): `ai.fsystem("…")` where
// `def fsystem(self, msg): return {"role": "system", "content": msg}`, `ai.next(messages, "…")` where
// `next` appends `{"role": "user", "content": prompt}`, `write(context, …)` where `write` fills a
// template's `inputs=`. A parameter is a *sink* when the function puts it (directly, or inside an f-string
// or concatenation) into a message's content, a prompt-named argument of a call, a template's inputs, or
// another function's sink; the text a call passes for it is then a prompt where that text is written.
// The callee is found from the call: a function or class in scope or imported, `self.method`, or a
// method of the class a receiver is annotated with or built from (`ai: AI`, `ai = AI()`).
import type { DetectedPrompt, Role } from '../../model';
import { normaliseRole } from '../shared';
import { callInfo, PromptBuilder } from './calls';
import type { FinderEnv } from './finders/types';
import { ancestryOf } from './ancestry';
import type { SyntaxNode } from './parser';
import { finish, lastName, type Claimed } from './shapes';
import { definitionsOf, type CodeFile } from './source';
import { asksTheTerminal } from './terminalPrompts';
import { callArguments, evalText, exportedValue, finishText, propertyOf, resolveExpression, type Resolved } from './values';

const CALL = /^(call)$/;
/** Keyword arguments whose value is prompt text, with its role (the shape layer's strong names). */
const PROMPT_KEYWORDS: Record<string, Role> = {
  system: 'system', system_prompt: 'system', instructions: 'system', system_message: 'system', system_instruction: 'system',
  preamble: 'system', backstory: 'system', prompt: 'user', user_prompt: 'user',
};
const MESSAGE_CLASS = /^(System|Human|AI|User|Assistant|Developer|Chat)Message$/;
/** Runs of an agent or workflow, whose `user_msg=` is the user's message (LlamaIndex). */
const AGENT_RUN = /^(a?run|run_stream)$/;
/** Calls whose `inputs=` fill a prompt template's variables (Prompty, CrewAI). */
const TEMPLATE_INPUTS = /^(execute|kickoff|kickoff_async|invoke|ainvoke|run|prompty)$/;
const ROLE_WORD = /^(system|developer|user|human|assistant|ai|model)$/;
/** A chat prompt template's methods that fill its variables (LangChain). */
const TEMPLATE_FORMAT = /^a?format_(messages|prompt)$/;
/** Methods of a completion model whose first argument is the prompt (LlamaIndex `llm.complete(…)`, `astream_complete`). */
const COMPLETION_METHOD = /^(a?complete|a?stream_complete)$/;
/** A string, f-string or `+` chain given as an argument: where a helper's caller writes prompt text. */
const TEXT_ARGUMENT = /[(,]\s*(?:[A-Za-z_]\w*\s*=\s*)?\(?\s*[rRbBuUfF]{0,2}(?:"|')/g;
/** Up to four capitalised words and nothing else: a name or a title, not prose. */
const TITLE_PHRASE = /^[A-Z][\w'-]*(?: [A-Z][\w'-]*){0,3}$/;
/** Call nodes whose sinks are looked up at most; past it, the rest of the file is not looked at. */
const MAX_CALLS = 400;

/** Where a parameter ends up: a prompt of that role, or a message whose role is another parameter's value (`add(role, content)`). */
type Sink = Role | { roleFrom: string };
type Sinks = Map<string, Sink>;
/** Calls that hand text on changed only in form (`self._dedent(content)`, `textwrap.dedent(x)`, `str(x)`). */
const TEXT_WRAPPER = /^_*(dedent|strip|lstrip|rstrip|trim\w*|clean\w*|normali[sz]e\w*|escape\w*|str)$/;

interface State { memo: Map<number, Sinks>; depth: number }

function roleWord(f: CodeFile, n: SyntaxNode | undefined, env: FinderEnv): Role | undefined {
  if (!n) return undefined;
  if (n.type === 'attribute') {
    const prop = n.childForFieldName('attribute')?.text.toLowerCase() ?? '';
    if (ROLE_WORD.test(prop)) return normaliseRole(prop === 'ai' || prop === 'model' ? 'assistant' : prop);
  }
  if (n.type !== 'string') return undefined;
  const t = finishText(env.ctx, evalText(f, n, env.ctx)).text.trim().toLowerCase();
  return ROLE_WORD.test(t) ? normaliseRole(t === 'ai' || t === 'model' ? 'assistant' : t) : undefined;
}

/** Where a local name assigned text holding a parameter ends up: the first of its later uses that is a sink. */
function localSink(f: CodeFile, name: SyntaxNode, fn: SyntaxNode, env: FinderEnv, st: State, hops: number): Sink | undefined {
  const body = fn.childForFieldName('body');
  if (!body) return undefined;
  const text = f.text.slice(name.endIndex, body.endIndex);
  const re = new RegExp(`(?<![\\w.])${name.text}(?!\\w)`, 'g');
  let uses = 0;
  for (const m of text.matchAll(re)) {
    if (++uses > 16) break;
    const at = name.endIndex + (m.index ?? 0);
    const id = f.tree.rootNode.descendantForIndex(at, at + name.text.length);
    if (id?.type !== 'identifier' || id.text !== name.text) continue;
    const sink = sinkOf(f, id, fn, env, st, hops);
    if (sink) return sink;
  }
  return undefined;
}

/** Where an expression holding a parameter ends up: the role of the prompt it is part of, or undefined. */
function sinkOf(f: CodeFile, use: SyntaxNode, fn: SyntaxNode, env: FinderEnv, st: State, hops = 0): Sink | undefined {
  let n = use;
  // up through the text it is part of: an f-string, a concatenation, .format(), parentheses, either branch
  // of `a if c else b`, a call that only reshapes it (`dedent(x)`)
  for (let i = 0; i < 6 && n.parent; i++) {
    const p = n.parent;
    if (p.type === 'interpolation' || p.type === 'string' || p.type === 'concatenated_string' || p.type === 'parenthesized_expression') n = p;
    else if (p.type === 'binary_operator' && p.children[1]?.text === '+') n = p;
    else if (p.type === 'conditional_expression' && p.namedChildren[1]?.id !== n.id) n = p;
    else if (p.type === 'argument_list' && p.namedChildren.length === 1 && p.parent?.type === 'call' && TEXT_WRAPPER.test(lastName(p.parent.childForFieldName('function')?.text ?? ''))) n = p.parent;
    else break;
  }
  const p = n.parent;
  if (!p) return undefined;
  // {"role": "user", "content": x}
  if (p.type === 'pair' && p.childForFieldName('value')?.id === n.id) {
    const key = p.childForFieldName('key');
    const keyText = key?.type === 'string' ? key.text.replace(/^["']|["']$/g, '') : undefined;
    const dict = p.parent;
    if (dict?.type === 'dictionary' && (keyText === 'content' || keyText === 'text')) {
      const roleNode = propertyOf(dict, 'role');
      const role = roleWord(f, roleNode, env);
      if (role) return role;
      // {"role": role, "content": content} in `def add(self, role, content)`: the caller's role
      if (roleNode?.type === 'identifier' && paramNames(fn).includes(roleNode.text)) return { roleFrom: roleNode.text };
      // {"type": "text", "text": x} as a block of a message's content list: that message's role
      const list = dict.parent;
      const holder = list?.type === 'list' ? list.parent : undefined;
      const message = holder?.type === 'pair' && /^["']content["']$/.test(holder.childForFieldName('key')?.text ?? '') ? holder.parent : undefined;
      if (keyText === 'text' && message?.type === 'dictionary') {
        const blockType = propertyOf(dict, 'type');
        if (!blockType || /^["'](text|input_text)["']$/.test(blockType.text)) {
          const role = roleWord(f, propertyOf(message, 'role'), env);
          if (role) return role;
        }
      }
    }
    // prompty.execute("x.prompty", inputs={"context": x}), crew.kickoff(inputs={…}): a template's variable
    const kw = dict?.parent?.type === 'keyword_argument' ? dict.parent : undefined;
    if (kw?.childForFieldName('name')?.text === 'inputs' && kw.parent?.parent && CALL.test(kw.parent.parent.type)) {
      if (TEMPLATE_INPUTS.test(lastName(kw.parent.parent.childForFieldName('function')?.text ?? ''))) return 'user';
    }
    return undefined;
  }
  // llm.system_message = x, self.prompt_template = x: a prompt-named attribute the object sends
  if (p.type === 'assignment' && p.childForFieldName('right')?.id === n.id) {
    const left = p.childForFieldName('left');
    // request = f"… {x}": where the local name goes, x goes
    if (left?.type === 'identifier' && hops < 2) return localSink(f, left, fn, env, st, hops + 1);
    const attr = left?.type === 'attribute' ? left.childForFieldName('attribute')?.text ?? '' : '';
    if (/(system_?message|system_?prompt|instructions)$/i.test(attr)) return 'system';
    if (/(^|_)(prompt|user_?message)$/i.test(attr) && !/^(self|cls)$/.test(left?.childForFieldName('object')?.text ?? '')) return 'user';
    return undefined;
  }
  let args: SyntaxNode | null = null;
  let keyword: string | undefined;
  if (p.type === 'keyword_argument' && p.childForFieldName('value')?.id === n.id) {
    keyword = p.childForFieldName('name')?.text;
    args = p.parent;
  } else if (p.type === 'argument_list') args = p;
  const call = args?.parent;
  if (!args || !call || !CALL.test(call.type)) return undefined;
  const callee = call.childForFieldName('function');
  const name = lastName(callee?.text ?? '');
  // dict(role="user", content=x), HumanMessage(x), SystemMessage(content=x)
  if (keyword === 'content' && name === 'dict') return roleWord(f, callArguments(call).named.get('role'), env);
  // types.Content(role="user", parts=[types.Part(text=x)]) (Google GenAI, ADK): that message's role
  if (keyword === 'text' && name === 'Part') {
    const list = call.parent;
    const kw = list?.type === 'list' ? list.parent : undefined;
    const message = kw?.type === 'keyword_argument' && kw.childForFieldName('name')?.text === 'parts' ? kw.parent?.parent : undefined;
    if (message && CALL.test(message.type)) return roleWord(f, callArguments(message).named.get('role'), env);
  }
  if (MESSAGE_CLASS.test(name) && (keyword === 'content' || (!keyword && args.namedChildren[0]?.id === n.id))) {
    if (name.startsWith('System')) return 'system';
    if (name.startsWith('AI') || name.startsWith('Assistant')) return 'assistant';
    if (name.startsWith('Developer')) return 'developer';
    if (name !== 'ChatMessage') return 'user';
    return roleWord(f, callArguments(call).named.get('role'), env);
  }
  // prompt.format_messages(context=docs, input=query): the variables of a chat prompt template
  if (keyword && TEMPLATE_FORMAT.test(name) && callee?.type === 'attribute') return 'user';
  // self.llm.complete(prompt), llm.astream_complete(prompt): a completion model's text (LlamaIndex and alike)
  if (!keyword && args.namedChildren.find((c) => c && c.type !== 'comment')?.id === n.id && COMPLETION_METHOD.test(name) && callee?.type === 'attribute' && !calleeFunction(f, callee, env)) return 'user';
  // click.prompt(prompt=x), getpass(prompt=x): a question to the person at the terminal
  if (callee && asksTheTerminal(f, callee.text)) return undefined;
  // workflow.run(user_msg=x): an agent run's user message (LlamaIndex)
  if (keyword === 'user_msg' && AGENT_RUN.test(name)) return 'user';
  if (keyword && Object.hasOwn(PROMPT_KEYWORDS, keyword) && !/^(dict|print|log|info|debug|warning|error|format|get|setdefault)$/.test(name)) {
    // prompt=, system= … of an SDK or framework call; of the project's own function only if it is a sink there
    const target = callee && calleeFunction(f, callee, env);
    if (!target) return PROMPT_KEYWORDS[keyword];
  }
  // handed on to another of the program's helpers, where it is a sink
  if (st.depth >= 3 || !callee) return undefined;
  const target = calleeFunction(f, callee, env);
  if (!target || target.node.id === fn.id) return undefined;
  const sinks = sinkParams(target.file, target.node, env, { ...st, depth: st.depth + 1 });
  const param = keyword ?? paramAt(target.node, args.namedChildren.filter((c) => c && c.type !== 'comment' && c.type !== 'keyword_argument').findIndex((c) => c!.id === n.id), skipsSelf(callee, target.node));
  const sink = param ? sinks.get(param) : undefined;
  if (!sink || typeof sink === 'string') return sink;
  // `self.add("user", content)`: the role this call gives, or this function's own role parameter handed on
  const arg = argumentFor(call, target.node, sink.roleFrom, skipsSelf(callee, target.node));
  if (arg?.type === 'identifier' && paramNames(fn).includes(arg.text)) return { roleFrom: arg.text };
  return roleWord(f, arg, env);
}

/** The argument a call gives for parameter `name` of `fn`: by keyword, or by its position. */
function argumentFor(call: SyntaxNode, fn: SyntaxNode, name: string, method: boolean): SyntaxNode | undefined {
  const { positional, named } = callArguments(call);
  const byName = named.get(name);
  if (byName) return byName;
  const names = paramNames(fn);
  const skip = method && (names[0] === 'self' || names[0] === 'cls') ? 1 : 0;
  const i = names.indexOf(name) - skip;
  return i >= 0 ? positional[i] : undefined;
}

function isMethodCall(callee: SyntaxNode): boolean {
  return callee.type === 'attribute';
}

/** Whether a call's first argument binds the function's second parameter: a method called on an object, or a class's `__init__`. */
function skipsSelf(callee: SyntaxNode, fn: SyntaxNode): boolean {
  return isMethodCall(callee) || fn.childForFieldName('name')?.text === '__init__';
}

/** The name of the parameter that positional argument `index` binds (self / cls skipped for methods). */
function paramAt(fn: SyntaxNode, index: number, method: boolean): string | undefined {
  if (index < 0) return undefined;
  const names = paramNames(fn);
  const skip = method && (names[0] === 'self' || names[0] === 'cls') ? 1 : 0;
  return names[index + skip];
}

function paramNames(fn: SyntaxNode): string[] {
  const list = fn.childForFieldName('parameters');
  const out: string[] = [];
  for (const p of list?.namedChildren ?? []) {
    if (!p) continue;
    const id = p.type === 'identifier' ? p : p.type === 'typed_parameter' ? p.namedChildren.find((c) => c?.type === 'identifier') : p.type === 'default_parameter' || p.type === 'typed_default_parameter' ? p.childForFieldName('name') : undefined;
    if (id) out.push(id.text);
    else if (p.type === 'list_splat_pattern' || p.type === 'dictionary_splat_pattern' || p.type === 'keyword_separator') break;
  }
  return out;
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
  for (const name of paramNames(fn)) {
    if (name === 'self' || name === 'cls') continue;
    const re = new RegExp(`(?<![\\w.])${name}(?!\\w)`, 'g');
    let uses = 0;
    for (const m of text.matchAll(re)) {
      if (++uses > 32) break;
      const at = body.startIndex + (m.index ?? 0);
      const id = file.tree.rootNode.descendantForIndex(at, at + name.length);
      if (id?.type !== 'identifier' || id.text !== name) continue;
      const sink = sinkOf(file, id, fn, env, st);
      if (sink) {
        sinks.set(name, sink);
        break;
      }
    }
  }
  return sinks;
}

/** The class a receiver is: annotated (`ai: AI`), built (`ai = AI()`, `self.ai = AI()`), or `self`. */
function receiverClass(f: CodeFile, recv: SyntaxNode, env: FinderEnv): Resolved | undefined {
  // (up through the file's Ancestry: each tree-sitter `parent` is a walk down from the root)
  const up = ancestryOf(f);
  if (recv.type === 'identifier' && /^(self|cls)$/.test(recv.text)) {
    for (let p = up.parent(recv); p; p = up.parent(p)) if (p.type === 'class_definition') return { file: f, node: p };
    return undefined;
  }
  if (recv.type === 'identifier') {
    // a parameter with a type annotation
    for (let p = up.parent(recv); p; p = up.parent(p)) {
      if (p.type !== 'function_definition') continue;
      for (const param of p.childForFieldName('parameters')?.namedChildren ?? []) {
        if (!param || !/^typed(_default)?_parameter$/.test(param.type)) continue;
        const id = param.type === 'typed_parameter' ? param.namedChildren.find((c) => c?.type === 'identifier') : param.childForFieldName('name');
        const type = param.childForFieldName('type')?.namedChildren[0] ?? param.childForFieldName('type');
        if (id?.text === recv.text && type && (type.type === 'identifier' || type.type === 'attribute')) return classNamed(f, type, env);
      }
      break;
    }
  }
  if (recv.type === 'call') return classMade({ file: f, node: recv }, env, 0);
  const made = resolveExpression(f, recv, env.ctx);
  return made && made.node !== recv ? classMade(made, env, 0) : undefined;
}

/** The class a call's result is: a class called (`AgentConvo(self)`), or a chained method that says what it returns. */
function classMade(made: Resolved, env: FinderEnv, depth: number): Resolved | undefined {
  if (made.node.type !== 'call' || depth > 3) return undefined;
  const fnNode = made.node.childForFieldName('function');
  if (!fnNode) return undefined;
  if (fnNode.type === 'attribute') {
    const obj = fnNode.childForFieldName('object');
    const method = fnNode.childForFieldName('attribute')?.text;
    if (obj?.type === 'call' && method) {
      const cls = classMade({ file: made.file, node: obj }, env, depth + 1);
      const m = cls && methodOf(cls, method, env);
      return m ? returnedClass(m, env) : undefined;
    }
  }
  const cls = resolveExpression(made.file, fnNode, env.ctx);
  return cls && cls.node.type === 'class_definition' ? cls : undefined;
}

function classNamed(f: CodeFile, type: SyntaxNode, env: FinderEnv): Resolved | undefined {
  const r = resolveExpression(f, type, env.ctx);
  return r && r.node.type === 'class_definition' ? r : undefined;
}

/** The project function a callee names, or undefined (an SDK's, a builtin, unknown). */
function calleeFunction(f: CodeFile, callee: SyntaxNode, env: FinderEnv): Resolved | undefined {
  if (callee.type === 'identifier') {
    const r = resolveExpression(f, callee, env.ctx);
    if (!r || r.node === callee) return undefined;
    if (r.node.type === 'function_definition') return r;
    // a class called: its __init__
    if (r.node.type === 'class_definition') return methodOf(r, '__init__', env);
    return undefined;
  }
  if (callee.type !== 'attribute') return undefined;
  const recv = callee.childForFieldName('object');
  const method = callee.childForFieldName('attribute')?.text;
  if (!recv || !method) return undefined;
  // module.function where the module is imported
  if (recv.type === 'identifier') {
    const imp = f.imports.get(recv.text);
    if (imp?.file && imp.imported === '*') {
      const target = env.ctx.project.get(imp.file);
      const v = target && exportedValue(target, method, env.ctx);
      return v && v.node.type === 'function_definition' ? v : undefined;
    }
  }
  const cls = receiverClass(f, recv, env);
  return cls ? methodOf(cls, method, env) : undefined;
}

/**
 * The method `name` of a class: its own, else inherited from a base class of the project (three levels
 * up); an abstract one (`llm: BaseLLM` then `llm.complete(…)`) resolves to the override in a subclass
 * written beside it.
 */
function methodOf(cls: Resolved, name: string, env?: FinderEnv, depth = 0): Resolved | undefined {
  const body = cls.node.childForFieldName('body');
  const d = definitionsOf(cls.file, `self.${name}`).find((x) => x.value.type === 'function_definition' && (x.scope?.id === cls.node.id || x.scope?.id === body?.id));
  if (d) {
    if (abstract(d.value) && depth < 2) {
      const base = cls.node.childForFieldName('name')?.text;
      for (const m of base ? cls.file.text.matchAll(new RegExp(`^[ \\t]*class\\s+\\w+\\s*\\([^)]*\\b${base}\\b`, 'gm')) : []) {
        let sub: SyntaxNode | null = cls.file.tree.rootNode.descendantForIndex((m.index ?? 0) + m[0].indexOf('class'));
        while (sub && sub.type !== 'class_definition') sub = sub.parent;
        const override = sub && sub.id !== cls.node.id ? methodOf({ file: cls.file, node: sub }, name, env, depth + 1) : undefined;
        if (override && !abstract(override.node)) return override;
      }
    }
    return { file: cls.file, node: d.value };
  }
  if (!env || depth >= 3) return undefined;
  for (const base of cls.node.childForFieldName('superclasses')?.namedChildren ?? []) {
    if (!base || (base.type !== 'identifier' && base.type !== 'attribute')) continue;
    const b = classNamed(cls.file, base, env);
    const m = b && b.node.id !== cls.node.id ? methodOf(b, name, env, depth + 1) : undefined;
    if (m) return m;
  }
  return undefined;
}

/** A method with no body of its own: `pass`, `...`, a docstring, `raise NotImplementedError`. */
function abstract(fn: SyntaxNode): boolean {
  const stmts = fn.childForFieldName('body')?.namedChildren.filter((c) => c && c.type !== 'comment') ?? [];
  return stmts.every((c) => c!.type === 'pass_statement' || (c!.type === 'expression_statement' && /^(string|ellipsis)$/.test(c!.namedChildren[0]?.type ?? '')) || (c!.type === 'raise_statement' && /NotImplementedError/.test(c!.text)));
}

/** The class a method says it returns (`def template(self, …) -> "AgentConvo":`), for chained calls. */
function returnedClass(method: Resolved, env: FinderEnv): Resolved | undefined {
  let t = method.node.childForFieldName('return_type');
  if (t?.type === 'type') t = t.namedChildren[0] ?? t;
  if (!t) return undefined;
  if (t.type === 'identifier' || t.type === 'attribute') return classNamed(method.file, t, env);
  if (t.type !== 'string') return undefined;
  const name = t.text.replace(/^["']|["']$/g, '');
  if (!/^[A-Za-z_]\w*$/.test(name)) return undefined;
  for (let p = method.node.parent; p; p = p.parent) if (p.type === 'class_definition' && p.childForFieldName('name')?.text === name) return { file: method.file, node: p };
  const d = definitionsOf(method.file, name).find((x) => x.value.type === 'class_definition');
  if (d) return { file: method.file, node: d.value };
  return undefined;
}

/** Prompts passed to the program's own helpers whose parameters end up in a prompt. */
export function paramSinkPrompts(f: CodeFile, env: FinderEnv, claimed: Claimed): DetectedPrompt[] {
  if (!f.isPython) return [];
  const out: DetectedPrompt[] = [];
  const st: State = { memo: new Map(), depth: 0 };
  const calls = new Map<number, SyntaxNode>();
  // Nodes by offset and their parents from the file's Ancestry: tree-sitter's own `parent` walks down
  // from the root, so a step up per match was quadratic in a file of many statements.
  const up = ancestryOf(f);
  for (const m of f.text.matchAll(TEXT_ARGUMENT)) {
    if (calls.size >= MAX_CALLS) break;
    let n: SyntaxNode | null = up.at((m.index ?? 0) + m[0].length - 1);
    for (let i = 0; n && i < 8 && n.type !== 'argument_list'; i++) n = up.parent(n);
    const call = n?.type === 'argument_list' ? up.parent(n) : undefined;
    if (call && CALL.test(call.type)) calls.set(call.id, call);
  }
  // identifiers passed along (`write(context, …)` where `context = "…"`) are followed too, from the same calls
  for (const call of calls.values()) addCall(f, call, env, st, claimed, out);
  for (const m of f.text.matchAll(/(?<![\w])([A-Za-z_]\w*)\s*\((?=\s*(?:([A-Za-z_]\w*)\s*=\s*)?[A-Za-z_][\w.]*(?:\[\s*["']\w+["']\s*\])?\s*[,)])/g)) {
    if (calls.size >= MAX_CALLS * 2) break;
    const at = m.index ?? 0;
    const id = up.at(at, at + m[1].length);
    let n: SyntaxNode | null = up.parent(id);
    if (n?.type === 'attribute' && n.childForFieldName('attribute')?.id === id.id) n = up.parent(n);
    if (!n || n.type !== 'call' || calls.has(n.id) || n.childForFieldName('function')?.endIndex !== at + m[1].length) continue;
    calls.set(n.id, n);
    // `helper(query=next_query)`: looked at only when a name it passes holds text of this file that no
    // prompt has yet (every call passing a prompt already found on to a client's wrapper is not re-read)
    if (m[2] && !passesNewText(f, n, env, claimed)) continue;
    addCall(f, n, env, st, claimed, out);
  }
  return out;
}

/** Whether a keyword argument of `call` is a name defined in this file as text that `claimed` does not cover. */
function passesNewText(f: CodeFile, call: SyntaxNode, env: FinderEnv, claimed: Claimed): boolean {
  for (const v of callArguments(call).named.values()) {
    if (v.type !== 'identifier') continue;
    const r = resolveExpression(f, v, env.ctx);
    if (r && r.file === f && r.node !== v && /^(string|concatenated_string|binary_operator)$/.test(r.node.type) && !claimed(f.file, r.node.startIndex, r.node.endIndex)) return true;
  }
  return false;
}

function addCall(f: CodeFile, call: SyntaxNode, env: FinderEnv, st: State, claimed: Claimed, out: DetectedPrompt[]): void {
  const callee = call.childForFieldName('function');
  if (!callee) return;
  const target = calleeFunction(f, callee, env);

  if (!target) return;
  const sinks = sinkParams(target.file, target.node, env, st);
  if (!sinks.size) return;
  const info = callInfo(f, call, env.ctx);
  if (!info) return;
  const b = new PromptBuilder(info, env.ctx);
  const method = skipsSelf(callee, target.node);
  const used: string[] = [];
  // a sink whose role is another parameter's takes the role this call gives it (`convo.add("user", text)`)
  const roleOf = (sink: Sink | undefined): Role | undefined => (typeof sink === 'object' ? roleWord(f, argumentFor(call, target.node, sink.roleFrom, method), env) : sink);
  info.positional.forEach((a, i) => {
    const param = paramAt(target.node, i, method);
    const role = param ? roleOf(sinks.get(param)) : undefined;
    if (role) {
      b.addText(role, { file: f, node: a });
      used.push(param!);
    }
  });
  for (const [k, a] of info.named) {
    const role = roleOf(sinks.get(k));
    if (role) {
      b.addText(role, { file: f, node: a });
      used.push(k);
    }
  }
  if (!used.length) return;
  // what another layer reports already is not reported twice; a word or two alone ("No feedback") is a value, not a prompt
  b.parts.splice(0, b.parts.length, ...b.parts.filter((p) => {
    const lines = p.file ? env.ctx.project.linesOf(p.file) : f.lines;
    if (lines && claimed(p.file ?? f.file, lines.offset(p.range.start), lines.offset(p.range.end))) return false;
    const words = p.text.split(/\s+/).filter((w) => /[a-zA-Z]{2,}/.test(w)).length;
    // a short Title Case phrase ("Vision Language Models") names a value: a topic, a product
    if (TITLE_PHRASE.test(p.text.trim()) && !p.slots.length) return false;
    return words >= 3 || p.slots.length > 0 || p.text.trim().includes('\n');
  }));
  const fnName = target.node.childForFieldName('name')?.text ?? lastName(callee.text);
  const found = finish(b, info, 'shape.argument', `passed as \`${used.join('`, `')}\` to \`${fnName}(…)\`, which puts it in a prompt`, env, () => false);
  if (found) out.push(found);
}

const INPUTS_CALL = /(?<![\w])(kickoff|kickoff_async|kickoff_for_each|execute)\s*\(/g;
const PROMPTY_LOAD = /(?<![\w.])([A-Za-z_]\w*)\s*=\s*[Pp]rompty\.load\s*\(/g;

/**
 * Values filled into a prompt template's variables: CrewAI `crew.kickoff(inputs={"topic": "…"})`,
 * Prompty `prompty.execute("x.prompty", inputs={…})` and `p(question="…")` where `p = Prompty.load(…)`.
 * Each text value is the user's text where it is written.
 */
export function templateInputPrompts(f: CodeFile, env: FinderEnv, claimed: Claimed): DetectedPrompt[] {
  if (!f.isPython) return [];
  const out: DetectedPrompt[] = [];
  const root = f.tree.rootNode;
  const emit = (call: SyntaxNode, values: { file: CodeFile; node: SyntaxNode }[], shape: string) => {
    const info = callInfo(f, call, env.ctx);
    if (!info || !values.length) return;
    const b = new PromptBuilder(info, env.ctx);
    for (const v of values) {
      const r = resolveExpression(v.file, v.node, env.ctx);
      if (r && /^(string|concatenated_string|binary_operator)$/.test(r.node.type)) b.addText('user', v);
    }
    b.parts.splice(0, b.parts.length, ...b.parts.filter((p) => {
      const lines = p.file ? env.ctx.project.linesOf(p.file) : f.lines;
      if (lines && claimed(p.file ?? f.file, lines.offset(p.range.start), lines.offset(p.range.end))) return false;
      return p.text.split(/\s+/).filter((w) => /[a-zA-Z]{2,}/.test(w)).length >= 3;
    }));
    const found = finish(b, info, 'shape.argument', shape, env, () => false);
    if (found) out.push(found);
  };
  for (const m of f.text.matchAll(INPUTS_CALL)) {
    const at = m.index ?? 0;
    const id = root.descendantForIndex(at, at + m[1].length);
    const call = id?.parent?.type === 'attribute' ? id.parent.parent : id?.parent;
    if (!call || call.type !== 'call' || call.childForFieldName('function')?.endIndex !== at + m[1].length) continue;
    const { positional, named } = callArguments(call);
    if (m[1] === 'execute' && !(positional[0]?.type === 'string' && /\.prompty["']$/.test(positional[0].text)) && !/^prompty\./i.test(call.childForFieldName('function')?.text ?? '')) continue;
    const inputs = named.get('inputs');
    const dict = inputs && resolveExpression(f, inputs, env.ctx);
    if (!dict || dict.node.type !== 'dictionary') continue;
    const values = dict.node.namedChildren.flatMap((p) => (p?.type === 'pair' && p.childForFieldName('value') ? [{ file: dict.file, node: p.childForFieldName('value')! }] : []));
    emit(call, values, `\`inputs=\` of \`${m[1]}(…)\`: values filled into a prompt template`);
  }
  for (const m of f.text.matchAll(PROMPTY_LOAD)) {
    const name = m[1];
    for (const c of f.text.matchAll(new RegExp(`(?<![\\w.])${name}\\s*\\(`, 'g'))) {
      const at = c.index ?? 0;
      const call = root.descendantForIndex(at, at + name.length)?.parent;
      if (!call || call.type !== 'call' || call.childForFieldName('function')?.text !== name) continue;
      const values = [...callArguments(call).named.values()].map((node) => ({ file: f, node }));
      emit(call, values, `arguments of a loaded Prompty \`${name}(…)\`: values filled into its template`);
    }
  }
  return out;
}
