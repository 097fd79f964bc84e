// JS/TS prompt holders, the heuristic's candidates found by where text is written rather than by the
// name it is assigned to:
// - a prompts module (`prompts.ts`, `systemPrompt.ts`, `reviewerPrompts.ts`, `summary.prompt.ts`, any
//   module under a `prompts/` folder or one named so, `system-prompts/`, `agentPrompts/`): each text
//   written at its top level — a constant, an entry of a constant object (nested objects too), a function
//   or arrow that returns text — whatever it is named;
// - functions named as prompts anywhere (`function getSystemPrompt()`, `const buildPrompt = () => …`,
//   a method or an object property `genPrompt: async () => …`): the texts they return.
// A function there that returns a tuple of texts (`(…): [string, string] => [resumption, reply]`, its
// caller sending each as a message) gives each element as a candidate.
// The heuristic judges each (long enough, not SQL / HTML / error text) as it judges a prompt-named
// constant.
import type { Role } from '../../model';
import type { ContainerMember } from './pyContainers';
import { ancestryOf } from './ancestry';
import type { SyntaxNode } from './parser';
import type { CodeFile } from './source';
import { returnedExpressions } from './values';

/** Names that say what a text is for people or code: `MENU_LABEL`, `docsUrl`, `schemaPath`. */
const NOT_PROMPT_NAME = /(url|uri|link|href|path|file|dir|id|key|token|regex|pattern|css|html|sql|query|color|colour|style|class|selector|env|header|label|placeholder|title|button|tooltip|icon|model|version|name)s?$/i;

/** A module named as a holder of prompts (JS/TS, not JSX: a component under prompts/ is UI). */
const PROMPT_MODULE = /(^|\/)(?:[\w.]*[-_.])?prompts?\/(?:[^/]+\/)*[^/]+\.[cm]?[jt]s$|(^|\/)[a-z][a-z0-9]*Prompts?\/(?:[^/]+\/)*[^/]+\.[cm]?[jt]s$|(^|[/_.-])prompts?\.[cm]?[jt]s$|[a-z0-9]Prompts?\.[cm]?[jt]s$|(^|[/_-])(instructions|personas?)\.[cm]?[jt]s$/;
/** Tests, declarations, stories, mocks: their texts are data about prompts, not prompts. */
const NOT_PROMPT_MODULE = /\.d\.ts$|\.(test|spec|stories|story|mock)\.[cm]?[jt]s$|(^|\/)(__tests__|__mocks__|tests?|spec|e2e|fixtures?|mocks?|locales?|i18n)\//;

/** Value nodes that may evaluate to text. */
const TEXT_VALUE = /^(string|template_string|binary_expression|call_expression|parenthesized_expression|ternary_expression|as_expression|satisfies_expression)$/;
const FUNCTION_VALUE = /^(arrow_function|function_expression|function)$/;
/** Elements of a returned tuple that may be text: a literal, a name holding one, a concatenation, a call. */
const TUPLE_ELEMENT = /^(string|template_string|identifier|binary_expression|call_expression|parenthesized_expression|ternary_expression)$/;

/** A function member, and — when it returns a literal list — each element of that list as a member of its own. */
function functionMember(member: ContainerMember, out: ContainerMember[]): void {
  out.push(member);
  for (const r of returnedExpressions(member.node)) {
    if (r.type !== 'array') continue;
    for (const el of r.namedChildren) if (el && TUPLE_ELEMENT.test(el.type)) out.push({ ...member, node: el });
  }
}

function roleForName(name: string): Role {
  if (/reply|assistant|response_?example/i.test(name)) return 'assistant';
  if (/user|human|question|query|task|input|request/i.test(name)) return 'user';
  return 'system';
}

function keyText(k: SyntaxNode | null | undefined): string | undefined {
  if (!k) return undefined;
  if (k.type === 'property_identifier' || k.type === 'identifier') return k.text;
  if (k.type === 'string') return k.text.slice(1, -1);
  return undefined;
}

/** Entries of a constant object (a value, a function, a method), nested objects to a few levels. */
function objectMembers(obj: SyntaxNode, name: string, why: string, out: ContainerMember[], depth: number): void {
  for (const entry of obj.namedChildren) {
    if (!entry) continue;
    if (entry.type === 'method_definition') {
      const key = keyText(entry.childForFieldName('name'));
      if (key && !NOT_PROMPT_NAME.test(key)) functionMember({ name, node: entry, key, role: roleForName(key), why }, out);
      continue;
    }
    if (entry.type !== 'pair') continue;
    const key = keyText(entry.childForFieldName('key'));
    let v = entry.childForFieldName('value');
    if (!key || !v || NOT_PROMPT_NAME.test(key)) continue;
    while (v && (v.type === 'as_expression' || v.type === 'satisfies_expression')) v = v.namedChildren[0];
    if (!v) continue;
    if (v.type === 'object' && depth < 3) objectMembers(v, `${name}.${key}`, why, out, depth + 1);
    else if (FUNCTION_VALUE.test(v.type)) functionMember({ name, node: v, key, role: roleForName(key), why }, out);
    else if (TEXT_VALUE.test(v.type)) out.push({ name, node: v, key, role: roleForName(key), why });
  }
}

/** A model's reply read off its response: `completion.choices[0].message.content`, `response.output_text`. */
const READS_REPLY = /\.choices\s*(?:\[|\?\.\[|\.at\()|\.output_text\b/;
const BUILDS_MESSAGE = /\brole\s*:|\bcontent\s*:|Message\s*\(/;

/** A function that puts text around a model's reply and builds no message, not named as a prompt: it returns output. */
function aroundReply(fn: SyntaxNode, name: string): boolean {
  return READS_REPLY.test(fn.text) && !BUILDS_MESSAGE.test(fn.text) && !/prompt|instruction/i.test(name);
}

/**
 * A module constant that the file uses only in functions putting text around a model's reply (a
 * disclaimer or a canned apology added to the answer shown to people), none of which builds a message:
 * the model's output, not its input.
 */
function onlyAroundReplies(f: CodeFile, name: string, declarator: SyntaxNode): boolean {
  const up = ancestryOf(f);
  let uses = 0;
  for (const m of f.text.matchAll(new RegExp(`(?<![\\w$.])${name.replace(/\$/g, '\\$')}(?![\\w$])`, 'g'))) {
    const at = m.index ?? 0;
    if (at >= declarator.startIndex && at < declarator.endIndex) continue;
    let fn: SyntaxNode | null = up.at(at, at + name.length);
    while (fn && !FUNCTION_VALUE.test(fn.type) && fn.type !== 'function_declaration' && fn.type !== 'method_definition') fn = up.parent(fn);
    const named = fn && (fn.type === 'function_declaration' || fn.type === 'method_definition' ? fn.childForFieldName('name')?.text : up.parent(fn)?.childForFieldName('name')?.text);
    if (!fn || !aroundReply(fn, named ?? '')) return false;
    uses++;
  }
  return uses > 0;
}

/** Is `file` (root-relative) a JS/TS prompts module? */
export function isPromptModule(file: string): boolean {
  return PROMPT_MODULE.test(file) && !NOT_PROMPT_MODULE.test(file);
}

/** The prompt candidates of a JS/TS prompts module's top level (none when `f` is no such module). */
export function tsModuleMembers(f: CodeFile): ContainerMember[] {
  if (f.isPython || !isPromptModule(f.file)) return [];
  const why = 'is written in a prompts module';
  const out: ContainerMember[] = [];
  for (const top of f.tree.rootNode.namedChildren) {
    if (!top) continue;
    let stmt: SyntaxNode | null = top;
    if (stmt.type === 'export_statement') {
      const value = stmt.childForFieldName('value');
      // export default `…` / export default function () { … }
      if (value && (TEXT_VALUE.test(value.type) || FUNCTION_VALUE.test(value.type))) {
        if (FUNCTION_VALUE.test(value.type)) functionMember({ name: 'default', node: value, role: 'system', why }, out);
        else out.push({ name: 'default', node: value, role: 'system', why });
        continue;
      }
      stmt = stmt.childForFieldName('declaration');
    }
    if (!stmt) continue;
    if (stmt.type === 'function_declaration') {
      const name = stmt.childForFieldName('name')?.text;
      if (name && !NOT_PROMPT_NAME.test(name) && !aroundReply(stmt, name)) functionMember({ name, node: stmt, role: roleForName(name), why }, out);
      continue;
    }
    if (stmt.type !== 'lexical_declaration' && stmt.type !== 'variable_declaration') continue;
    for (const d of stmt.namedChildren) {
      if (d?.type !== 'variable_declarator') continue;
      const name = d.childForFieldName('name');
      let value = d.childForFieldName('value');
      while (value && (value.type === 'as_expression' || value.type === 'satisfies_expression')) value = value.namedChildren[0];
      if (name?.type !== 'identifier' || !value || NOT_PROMPT_NAME.test(name.text)) continue;
      if (value.type === 'object') objectMembers(value, name.text, why, out, 0);
      else if (FUNCTION_VALUE.test(value.type)) {
        if (!aroundReply(value, name.text)) functionMember({ name: name.text, node: value, role: roleForName(name.text), why }, out);
      } else if (TEXT_VALUE.test(value.type) && !onlyAroundReplies(f, name.text, d)) out.push({ name: name.text, node: value, role: roleForName(name.text), why });
    }
  }
  return out;
}

/**
 * A function, method or function-valued property named as a prompt (`getSystemPrompt`, `buildPrompt`,
 * `genPrompt`, `reviewInstructions`) — not one that handles a prompt (`setPrompt`, `onPrompt`,
 * `renderPrompt`, `usePrompt`) or the console's `prompt()`.
 */
const PROMPT_FUNCTION_NAME = /^(?!(?:set|on|handle|render|show|use|display|print|log|ask|read|parse|validate|save|load|fetch|delete|update|remove|edit|select|open|close|toggle|is|has|should|can|count|estimate|send|submit|run|execute|call|invoke|apply|store|cache|track|register|insert|add|append|push|copy|clear|reset|test|mock|check)(?:[A-Z_]|$))[A-Za-z_$][\w$]*(?:Prompt|Instructions?|_prompt|_instructions?)(?:Text|Template|Base|Content|String|Str|Message|Body|Block|Section|V\d+)?$|^(?:prompt|instructions)(?:Text|Template|Base|Content|String|Str|Message|Body|Block)$/;
const FUNCTION_SITE = /(?<![\w$.])(?:async\s+)?(?:get\s+)?([A-Za-z_$][\w$]*(?:[Pp]rompt|[Ii]nstructions?)[\w$]*)\s*(?:[(<]|:\s*[A-Za-z_$][\w$.]*(?:<[^=\n]{0,80}>)?\s*=\s*(?:async\b|function\b|\()|[:=]\s*(?:async\b|function\b|\(|[A-Za-z_$][\w$]*\s*(?:=>|\()))/g;

/** Functions named as prompts (JS/TS), each with the name it is known by. */
export function tsPromptFunctions(f: CodeFile): { name: string; node: SyntaxNode }[] {
  if (f.isPython) return [];
  const out: { name: string; node: SyntaxNode }[] = [];
  const seen = new Set<number>();
  const up = ancestryOf(f);
  for (const m of f.text.matchAll(FUNCTION_SITE)) {
    const name = m[1];
    if (!PROMPT_FUNCTION_NAME.test(name)) continue;
    const at = (m.index ?? 0) + m[0].indexOf(name);
    const id = up.at(at, at + name.length);
    if (!id || id.text !== name) continue;
    const p = up.parent(id);
    let fn: SyntaxNode | null | undefined;
    if (p?.type === 'method_definition' && p.childForFieldName('name')?.id === id.id) fn = p;
    else if ((p?.type === 'function_declaration' || p?.type === 'generator_function_declaration') && p.childForFieldName('name')?.id === id.id) fn = p;
    else if (p?.type === 'pair' && p.childForFieldName('key')?.id === id.id) {
      fn = p.childForFieldName('value');
      // genPrompt: makePrompt({ message: '…' }): what the file's own prompt factory makes of its arguments
      if (fn?.type === 'call_expression' && fn.childForFieldName('function')?.type === 'identifier') {
        if (!seen.has(fn.id)) out.push({ name, node: fn });
        seen.add(fn.id);
        continue;
      }
    }
    else if (p?.type === 'variable_declarator' && p.childForFieldName('name')?.id === id.id) fn = p.childForFieldName('value');
    else if (p?.type === 'public_field_definition' && p.childForFieldName('name')?.id === id.id) fn = p.childForFieldName('value');
    if (!fn || !(fn.type === 'method_definition' || fn.type === 'function_declaration' || fn.type === 'generator_function_declaration' || FUNCTION_VALUE.test(fn.type))) continue;
    if (seen.has(fn.id)) continue;
    seen.add(fn.id);
    out.push({ name, node: fn });
    for (const node of blockTexts(fn, 0)) out.push({ name, node });
  }
  return out;
}

/** `{ type: 'text', text }`, or an object of no type with a text: a content block's text. */
function blockText(el: SyntaxNode): SyntaxNode | undefined {
  let o: SyntaxNode | null | undefined = el;
  while (o && (o.type === 'as_expression' || o.type === 'satisfies_expression' || o.type === 'parenthesized_expression')) o = o.namedChildren[0];
  if (o?.type !== 'object') return undefined;
  let type: string | undefined;
  let text: SyntaxNode | undefined;
  for (const p of o.namedChildren) {
    if (p?.type !== 'pair') continue;
    const key = keyText(p.childForFieldName('key'));
    const v = p.childForFieldName('value');
    if (key === 'type') type = v?.type === 'string' ? v.text.slice(1, -1) : '?';
    else if (key === 'text' && v && TEXT_VALUE.test(v.type)) text = v;
  }
  return text && (type === undefined || type === 'text') ? text : undefined;
}

/**
 * The texts of the content blocks a prompt function returns as a list (`return [{ type: 'text', text: … }, …]`,
 * or a local list it fills with `push`), and of those a list spread into it gets from another function of
 * the file (`...screenshotSection(image)`).
 */
function blockTexts(fn: SyntaxNode, depth: number): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  const body = fn.childForFieldName('body');
  if (!body) return out;
  const locals = localValues(body);
  // (a function spread in many times is read once: 500 `...section()` lines read it 500 times)
  const spread = new Map<number, SyntaxNode[]>();
  const elements = (list: SyntaxNode) => {
    for (const el of list.namedChildren) {
      if (!el) continue;
      const t = blockText(el);
      if (t) out.push(t);
      else if (el.type === 'spread_element' && depth < 1) {
        const made = locals(el.namedChildren[0]);
        const callee = made?.type === 'call_expression' ? made.childForFieldName('function') : undefined;
        const other = callee?.type === 'identifier' ? localFunction(fn, callee.text) : undefined;
        if (other) {
          let texts = spread.get(other.id);
          if (!texts) spread.set(other.id, (texts = blockTexts(other, depth + 1)));
          out.push(...texts);
        }
      }
    }
  };
  for (const r of returnedExpressions(fn)) {
    let list: SyntaxNode | null | undefined = r;
    while (list && (list.type === 'as_expression' || list.type === 'satisfies_expression')) list = list.namedChildren[0];
    const name = list?.type === 'identifier' ? list.text : undefined;
    if (name) list = locals(list);
    while (list && (list.type === 'as_expression' || list.type === 'satisfies_expression')) list = list.namedChildren[0];
    if (list?.type !== 'array') continue;
    elements(list);
    // list.push({ type: 'text', text: … }) on the returned local
    if (name) {
      for (const call of body.descendantsOfType('call_expression')) {
        const callee = call?.childForFieldName('function');
        if (callee?.type !== 'member_expression' || callee.childForFieldName('property')?.text !== 'push' || callee.childForFieldName('object')?.text !== name) continue;
        const args = call!.childForFieldName('arguments');
        if (args) elements(args);
      }
    }
  }
  return out;
}

/**
 * The value a name is declared with in `body` (`const x = …`; the first declaration of it), or undefined;
 * a node that is not a name is itself. The body's declarations are listed once, on the first name asked
 * (a list of 500 spread elements asked each on its own walked the body 500 times).
 */
function localValues(body: SyntaxNode): (id: SyntaxNode | null | undefined) => SyntaxNode | undefined {
  let declared: Map<string, SyntaxNode | undefined> | undefined;
  return (id) => {
    if (id?.type !== 'identifier') return id ?? undefined;
    if (!declared) {
      declared = new Map();
      for (const d of body.descendantsOfType('variable_declarator')) {
        const name = d?.childForFieldName('name')?.text;
        if (name !== undefined && !declared.has(name)) declared.set(name, d!.childForFieldName('value') ?? undefined);
      }
    }
    return declared.get(id.text);
  };
}

/** A function declared beside `fn` or inside it, by name. */
function localFunction(fn: SyntaxNode, name: string): SyntaxNode | undefined {
  for (let scope: SyntaxNode | null = fn; scope; scope = scope.parent) {
    const body = scope.type === 'program' ? scope : scope.childForFieldName('body');
    for (const c of body?.namedChildren ?? []) if (c?.type === 'function_declaration' && c.childForFieldName('name')?.text === name) return c;
    if (scope.type === 'program') break;
  }
  return undefined;
}
