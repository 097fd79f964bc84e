// GenAIScript (microsoft/genaiscript): a script file, `*.genai.mjs` / `*.genai.mts` / `*.genai.js` /
// `*.genai.ts`, *is* a prompt. Its text is written with the `$` tagged template, one message piece per
// `$\`…\``, in order; `.role("system")` after a template (or a system script, `system.*.genai.mjs`, whose
// text is all system) makes it a system message. `script({ model })` names the model; with none the
// script runs on GenAIScript's `large` alias. A `$` inside a callback handed to another call
// (`runPrompt(_ => _.$\`…\`)`, `defAgent(…, ctx => ctx.$\`…\`)`) is a request of its own.
import type { DetectedPrompt, Role } from '../../model';
import { callInfo, PromptBuilder, propertyOf, type CallInfo } from './calls';
import type { FinderEnv } from './finders/types';
import type { SyntaxNode } from './parser';
import type { CodeFile } from './source';
import { evalModel, evalNumber, FUNCTION_NODE, resetShared } from './values';

/** GenAIScript runs files by this name (its docs: "Scripts … `*.genai.mjs` or `*.genai.mts`"; `.js`/`.ts` too). */
const SCRIPT_FILE = /(^|\/)[^/]+\.genai\.[cm]?[jt]s$/;
const SYSTEM_SCRIPT = /(^|\/)system(\.[^/]+)?\.genai\.[cm]?[jt]s$/;

/**
 * The model a script without `model` runs on: GenAIScript's `large` alias, which for its first provider
 * (OpenAI) is gpt-4.1 (microsoft/genaiscript packages/core/src/llms.json, providers[openai].aliases).
 * Aliases written as the model resolve the same way.
 */
const ALIASES: Record<string, string> = { large: 'gpt-4.1', small: 'gpt-4.1-mini', tiny: 'gpt-4.1-nano', vision: 'gpt-4.1', vision_small: 'gpt-4.1-mini', intent: 'gpt-4.1-mini', reasoning: 'o1', reasoning_small: 'o3-mini' };

export function isGenAIScript(file: string): boolean {
  return SCRIPT_FILE.test(file);
}

/** The callee's name: `$`, `fence`, or the member `_.$` / `ctx.fence` on a plain name. */
function calleeName(n: SyntaxNode): string | undefined {
  const fn = n.childForFieldName('function');
  if (!fn) return undefined;
  if (fn.type === 'identifier') return fn.text;
  return fn.type === 'member_expression' && fn.childForFieldName('object')?.type === 'identifier' ? fn.childForFieldName('property')?.text : undefined;
}

/** `$\`…\`` or `x.$\`…\``: the template node. */
function dollarTemplate(n: SyntaxNode): SyntaxNode | undefined {
  if (n.type !== 'call_expression') return undefined;
  const args = n.childForFieldName('arguments');
  return args?.type === 'template_string' && calleeName(n) === '$' ? args : undefined;
}

/**
 * Text a script adds besides `$`: `fence(text)` (a fenced block), `writeText(text, { role })`, and
 * `assistant(text)` (an assistant message), when the text is written in the call. A call inside a
 * template's `${…}` stays a value of that template.
 */
function writtenText(n: SyntaxNode): { text: SyntaxNode; role: Role } | undefined {
  const name = calleeName(n);
  if (name !== 'fence' && name !== 'writeText' && name !== 'assistant') return undefined;
  const args = n.childForFieldName('arguments')?.namedChildren ?? [];
  const text = args[0];
  if (!text || (text.type !== 'string' && text.type !== 'template_string')) return undefined;
  if (name === 'assistant') return { text, role: 'assistant' };
  const options = name === 'writeText' ? args[1] : undefined;
  const role = options?.type === 'object' ? propertyOf(options, 'role') : undefined;
  const r = role?.type === 'string' ? role.text.slice(1, -1) : 'user';
  return { text, role: r === 'system' || r === 'assistant' ? r : 'user' };
}

/**
 * `def("DIFF", changes)` (`defData`, `defDiff`): the value goes into the prompt as a fenced block whether
 * or not a template names it. Its value node, unless the name it returns is written into a `$` template
 * (`${diff}`), which counts it there already.
 */
function definedValue(f: CodeFile, n: SyntaxNode): SyntaxNode | undefined {
  const name = calleeName(n);
  if (name !== 'def' && name !== 'defData' && name !== 'defDiff') return undefined;
  const args = n.childForFieldName('arguments')?.namedChildren.filter((c) => !!c && c.type !== 'comment') ?? [];
  const value = name === 'defDiff' ? args[1] ?? args[0] : args[1];
  if (!value) return undefined;
  const decl = n.parent?.type === 'variable_declarator' ? n.parent.childForFieldName('name') : n.parent?.type === 'await_expression' && n.parent.parent?.type === 'variable_declarator' ? n.parent.parent.childForFieldName('name') : undefined;
  if (decl?.type === 'identifier' && new RegExp(`\\$\\{\\s*${decl.text.replace(/\$/g, '\\$')}\\s*\\}`).test(f.text)) return undefined;
  return value;
}

/** `runPrompt("…", { model })`: a request of its own, written as one text. */
function promptText(n: SyntaxNode): SyntaxNode | undefined {
  if (calleeName(n) !== 'runPrompt' && calleeName(n) !== 'prompt') return undefined;
  const first = n.childForFieldName('arguments')?.namedChildren.find((c) => !!c && c.type !== 'comment');
  return first && (first.type === 'string' || first.type === 'template_string') ? first : undefined;
}

function insideSubstitution(n: SyntaxNode): boolean {
  for (let p = n.parent; p; p = p.parent) if (p.type === 'template_substitution') return true;
  return false;
}

/** The role a `.role("…")` after the template gives (through other chained calls: `.cacheControl()`). */
function chainedRole(call: SyntaxNode, fallback: Role): Role {
  for (let n: SyntaxNode = call; n.parent?.type === 'member_expression' && n.parent.parent?.type === 'call_expression'; n = n.parent.parent) {
    const member = n.parent;
    if (member.childForFieldName('property')?.text !== 'role') continue;
    const arg = member.parent!.childForFieldName('arguments')?.namedChildren[0];
    const role = arg?.type === 'string' ? arg.text.slice(1, -1) : undefined;
    if (role === 'system' || role === 'assistant' || role === 'user') return role;
  }
  return fallback;
}

/** The callback (function passed as an argument) a node sits in, nearest first; undefined at the script's level. */
function callbackOf(n: SyntaxNode): SyntaxNode | undefined {
  for (let p = n.parent; p; p = p.parent) {
    if (FUNCTION_NODE.test(p.type) && p.parent?.type === 'arguments') return p;
  }
  return undefined;
}

function collect(f: CodeFile, out: SyntaxNode[]): void {
  const cursor = f.tree.rootNode.walk();
  try {
    // depth-first over the tree, in text order
    let descend = true;
    for (;;) {
      if (descend && cursor.nodeType === 'call_expression') {
        const n = cursor.currentNode;
        if (dollarTemplate(n) || ((writtenText(n) || definedValue(f, n) || promptText(n)) && !insideSubstitution(n))) out.push(n);
      }
      if (descend && cursor.gotoFirstChild()) continue;
      if (cursor.gotoNextSibling()) { descend = true; continue; }
      if (!cursor.gotoParent()) break;
      descend = false;
    }
  } finally {
    cursor.delete();
  }
}

/** The script's model: `script({ model })` (a provider:model id or a GenAIScript alias), else the `large` alias. */
function scriptModel(f: CodeFile, env: FinderEnv, scriptCall: CallInfo | undefined): DetectedPrompt['model'] {
  const at = scriptCall?.options ? propertyOf(scriptCall.options.node, 'model') : undefined;
  const m = at && scriptCall?.options ? evalModel(scriptCall.options.file, at, env.ctx) : undefined;
  if (m) {
    const alias = ALIASES[m.id.replace(/^openai:/, '')];
    const range = m.at?.file === f.file ? { range: m.at.range } : {};
    return alias ? { id: alias, from: `GenAIScript alias ${m.id}`, ...range } : { id: m.id, from: m.from, ...range };
  }
  return { id: ALIASES.large, from: 'GenAIScript default (large alias)' };
}

/** The prompts of a GenAIScript file: the script's own request, and one per callback that writes `$` text. */
export function genaiscriptPrompts(f: CodeFile, env: FinderEnv): DetectedPrompt[] {
  if (f.isPython || !isGenAIScript(f.file) || !f.text.includes('$`')) return [];
  const calls: SyntaxNode[] = [];
  collect(f, calls);
  if (!calls.length) return [];
  const groups = new Map<number, { owner: SyntaxNode | undefined; calls: SyntaxNode[] }>();
  for (const c of calls) {
    // `runPrompt("…")`: its own request, the call itself the owner
    const owner = promptText(c) ? c : callbackOf(c);
    const key = owner?.id ?? -1;
    const g = groups.get(key);
    if (g) g.calls.push(c);
    else groups.set(key, { owner, calls: [c] });
  }
  const scriptNode = f.tree.rootNode.namedChildren.map((s) => (s?.type === 'expression_statement' ? s.namedChildren[0] : undefined))
    .find((e) => e?.type === 'call_expression' && /^(script|system)$/.test(e.childForFieldName('function')?.text ?? ''));
  resetShared(env.ctx);
  const scriptCall = scriptNode ? callInfo(f, scriptNode, env.ctx) : undefined;
  const fallbackRole: Role = SYSTEM_SCRIPT.test(f.file) || scriptNode?.childForFieldName('function')?.text === 'system' ? 'system' : 'user';
  const model = scriptModel(f, env, scriptCall);
  const out: DetectedPrompt[] = [];
  for (const { owner, calls: group } of groups.values()) {
    // The request's place: the script call for the script's own text, the call a callback is given to otherwise.
    const anchor = owner ? (promptText(owner) ? owner : owner.parent!.parent!) : scriptNode ?? group[0];
    resetShared(env.ctx);
    const info = callInfo(f, anchor, env.ctx);
    if (!info) continue;
    const b = new PromptBuilder(info, env.ctx);
    for (const c of group) {
      const template = dollarTemplate(c);
      const written = template ? undefined : writtenText(c);
      const defined = template || written ? undefined : definedValue(f, c);
      const text = template ?? written?.text ?? defined ?? promptText(c)!;
      b.addText(template ? chainedRole(c, owner ? 'user' : fallbackRole) : written?.role ?? 'user', { file: f, node: text });
      env.consume(c);
    }
    // a system script is not sent alone: it is text of the scripts that list it (priced as it stands, like an instructions file)
    const p = b.build(owner ? 'genaiscript.runPrompt' : fallbackRole === 'system' ? 'genaiscript.system' : 'genaiscript.script', undefined, undefined);
    if (!p) continue;
    // runPrompt(fn, { model }) names its own
    p.model = owner && info.options && propertyOf(info.options.node, 'model') ? scriptModel(f, env, info) : model;
    // … and its output limit, as script({ maxTokens }) does for the script
    const limits = owner ? info : scriptCall;
    const max = limits?.options ? propertyOf(limits.options.node, 'maxTokens') : undefined;
    const tokens = max && limits?.options ? evalNumber(limits.options.file, max, env.ctx) : undefined;
    if (tokens !== undefined && Number.isFinite(tokens) && tokens > 0) p.outputTokens = { tokens, from: 'code:maxTokens' };
    out.push(p);
  }
  return out;
}
