// The shape layer: prompts found by what they look like, whichever call receives them. Beneath the SDK
// finders (which claim what they own and add model, provider and call kind), it finds
//   - message-shaped values anywhere: `{role, content}` objects/dicts (or `parts`), `("system", "…")` /
//     `["user", "…"]` pairs in a list, message class instances (`SystemMessage(…)`, `UserMessage(…)`,
//     `ChatMessage(role=…)`, `Message(role=…, content=[Part(text=…)])`);
//   - prompt-named parameters and properties of any call (`system`, `system_prompt`, `instructions`,
//     `systemInstruction`, `preamble`, `backstory`, …; `role`/`goal` on Agent-like callees,
//     `description`/`expected_output` on Task-like ones), the value followed through constants, imports
//     and prompt-returning functions;
//   - functions registered as prompts (`@agent.system_prompt`, `@agent.instructions`, `@dynamic_prompt`)
//     and functions handed to a prompt-named call (`dynamicSystemPromptMiddleware((s) => …)`).
// Everything found here has `confidence: 'shape'` and says which shape in `shape`.
import { ancestryOf, type Ancestry } from './ancestry';
import { IntervalSet } from './intervals';
import type { DetectedPrompt, PromptPart, Role } from '../../model';
import { normaliseRole, TRANSLATION_PATH } from '../shared';
import { callInfo, modelArg, PromptBuilder, promptModel, type CallInfo } from './calls';
import { agentRunPrompts } from './agentRuns';
import { dspyModuleCallPrompts, dspyPrompts } from './dspy';
import { jsParamSinkPrompts } from './jsParamSinks';
import { paramSinkPrompts, templateInputPrompts } from './paramSinks';
import { runnableInputPrompts, TEST_FILE } from './runnableInputs';
import type { FinderEnv } from './finders/types';
import { looksLikeNonPrompt } from './heuristic';
import { asksTheTerminal } from './terminalPrompts';
import type { SyntaxNode } from './parser';
import type { CodeFile } from './source';
import { callArguments, dynamic, evalModel, evalNumber, evalText, finishText, followFunction, FUNCTION_NODE, isTextList, joinedList, loc, propertyOf, resolveExpression } from './values';

/** Is [start, end) of `file` part of a prompt found already (a finder's call, a reported part)? */
export type Claimed = (file: string, start: number, end: number) => boolean;

const ROLE_WORD = /^(system|developer|user|human|assistant|ai|model|bot)$/i;
const CALL_TYPES = new Set(['call', 'call_expression', 'new_expression']);
const LIST_TYPES = /^(array|list)$/;
const MESSAGE_CLASS = /^(System|Human|AI|User|Assistant|Developer|Chat)Message$|^Message$/;

/** Prompt-named parameters and properties, with the role their text plays. */
const PARAM_ROLES: Record<string, Role> = {
  system: 'system', system_prompt: 'system', systemPrompt: 'system', instructions: 'system', instruction: 'system',
  system_instruction: 'system', systemInstruction: 'system', system_instructions: 'system', systemInstructions: 'system', system_message: 'system', systemMessage: 'system',
  developer_prompt: 'developer', developerPrompt: 'developer', preamble: 'system', backstory: 'system', persona: 'system',
  goal: 'system', role: 'system', prompt: 'user', user_prompt: 'user', userPrompt: 'user', template: 'user',
  prompt_template: 'user', promptTemplate: 'user', description: 'user', expected_output: 'user', expectedOutput: 'user',
  message: 'user',
  messages: 'user',
  user: 'user', userContent: 'user', user_content: 'user', userMessage: 'user', user_message: 'user',
  input: 'user', question: 'user', task: 'user', prompt_text: 'user', promptText: 'user', user_msg: 'user',
};
/** Keys that are the user's text only in a prompt object (see promptObject). */
const USER_KEYS = /^(user|userContent|user_content|userMessage|user_message)$/;
const SYSTEM_KEYS = /^(system|system_prompt|systemPrompt|instructions|system_message|systemMessage)$/;
const PAIR_USER_KEYS = /^(user|userContent|user_content|userMessage|user_message|prompt|user_prompt|userPrompt)$/;
/** Names that only mean a prompt on some callees: CrewAI-style agents and tasks, prompt templates. */
const NEEDS_CALLEE: Record<string, RegExp> = {
  // an agent's description is read by the model that delegates to it (smolagents managed agents, AutoGen selectors, ADK sub-agents)
  role: /Agent$/, goal: /Agent$/, description: /Task$|Agent$/, expected_output: /Task$/, expectedOutput: /Task$/, template: /Template$|Prompt$/i,
  // a chat UI's starter (Chainlit `cl.Starter(label=…, message=…)`): its message is sent as the user's turn;
  // AutoGen's `user_proxy.initiate_chat(assistant, message=…)`: the chat's opening message;
  // a chat call's turn (Cohere v1 `co.chat(message=…)`, `chat_stream`)
  message: /Starter$|^(a_)?initiate_chat$|^(chat|achat|chat_stream|chatStream)$/,
  // AutoGen AgentChat `team.run(task=…)` / `run_stream(task=…)`: the task is the user's first message
  task: /^(a?run|run_stream)$/,
  // LlamaIndex agents and workflows `workflow.run(user_msg=…)`: the user's message
  user_msg: /^(a?run|run_stream)$/,
  // Genkit's definePrompt({ messages: `…` }): a template as text (a list of messages is the message layer's)
  messages: /Prompt$/,
  // LangChain runnables and compiled graphs: `chain.invoke({ input: '…' })` fills the prompt's variables
  // … and a model's own request (OpenAI Agents SDK `model.get_response(system_instructions=…, input=…)`)
  input: /^(invoke|ainvoke|stream|astream|batch|abatch|get_response|stream_response|getResponse|getStreamedResponse)$/,
  question: /^(invoke|ainvoke|stream|astream|batch|abatch)$/,
};
/** A chat session's turn (GitHub Copilot SDK `session.sendAndWait({ prompt })`): its prompt is the user's message, however short. */
const SESSION_TURN = /^(send|sendAndWait|send_and_wait)$/;
/** Names whose value counts only when it is text, not a list or a function. */
const TEXT_ONLY = new Set(['messages']);
/** Names that mean a prompt even in an object no call receives (a config object). */
const STRONG = /^(system_prompt|systemPrompt|instructions|system_instruction|systemInstruction|system_message|systemMessage|developer_prompt|developerPrompt|preamble|backstory|prompt_template|promptTemplate)$/;
const PARAM_NAMES = Object.keys(PARAM_ROLES).join('|');
const PARAM_RE = new RegExp(`(?<![\\w$.])(["']?)(${PARAM_NAMES})\\1\\s*[:=](?![=>])`, 'g');
const SHORTHAND_RE = new RegExp(`[{,]\\s*(${PARAM_NAMES})\\s*(?=[,}])`, 'g');
const ROLE_KEY_RE = /(?:(["'])role\1|(?<![\w$.])role)\s*[:=](?![=>])|(?:(["'])type\2|(?<![\w$.])type)\s*:\s*["'](?:user|assistant|system|developer)[._]message["']/g;
const TYPED_MESSAGE = /^(user|assistant|system|developer)[._]message$/i;
const PAIR_RE = /[([]\s*(["'])(system|user|human|assistant|ai|developer|placeholder)\1\s*,/g;
const CLASS_RE = /(?<![\w$])((?:System|Human|AI|User|Assistant|Developer|Chat)?Message)\s*\(|\.(a?add_(?:ai|user)_message)\s*\(/g;
const HISTORY_METHOD = /^a?add_(ai|user)_message$/;
/** Whether `host` stores what it is given, or serialises it for a call that does (`setItem(k, JSON.stringify(…))`). */
function storedBy(host: SyntaxNode, up: Ancestry): boolean {
  const callee = calleeOf(host).replace(/\s+/g, '');
  if (STORAGE_CALL.test(callee)) return true;
  if (!/^(JSON\.stringify|json\.dumps)$/.test(callee)) return false;
  const outer = hostCall(host, up);
  return !!outer && STORAGE_CALL.test(calleeOf(outer).replace(/\s+/g, ''));
}

/**
 * A browser store: what a page keeps for itself (a draft, a chat's history shown again), not a request.
 * A database write is not among them: messages stored there are sent from there later (llamacoder keeps
 * its system prompt in the chat row it creates), and a reviewer marks their text where it is written.
 */
const STORAGE_CALL = /^(?:window\.)?(?:localStorage|sessionStorage)\.setItem$/;
const DECORATOR_RE = /^[ \t]*@[\w.]*?\b(system_prompt|instructions|dynamic_prompt|prompt)\b/gm;
const FUNCTION_ARG_CALLEE = /(prompt|instructions?)(Middleware)?$/i;

/** Checks the evaluate budget every 64 matches: the loops over text matches do work of their own. */
function budgetStep(env: FinderEnv): void {
  const ctx = env.ctx;
  if (ctx.deadline && ((ctx.steps = (ctx.steps ?? 0) + 1) & 63) === 0) ctx.deadline.check();
}

export function lastName(callee: string): string {
  // Read from the last `.` on (what follows it is the name, whitespace and `?.` aside): a callee can be
  // a chain of thousands of links, and cleaning all of it for its last name was the chain's length per ask.
  const last = callee.slice(callee.lastIndexOf('.') + 1);
  return last.replace(/\s+/g, '').replace(/\[.*$/, '').replace(/<.*$/, '');
}

function calleeOf(call: SyntaxNode): string {
  return (call.childForFieldName('function') ?? call.childForFieldName('constructor'))?.text ?? '';
}

/** The call an argument belongs to, through enclosing objects, dicts and keyword arguments (≤ 6 steps). */
function hostCall(n: SyntaxNode, up: Ancestry): SyntaxNode | undefined {
  let cur: SyntaxNode | null = up.parent(n);
  for (let i = 0; cur && i < 8; i++, cur = up.parent(cur)) {
    if (CALL_TYPES.has(cur.type)) return cur;
    if (!/^(arguments|argument_list|pair|keyword_argument|object|dictionary|array|list|parenthesized_expression|as_expression|satisfies_expression)$/.test(cur.type)) return undefined;
  }
  return undefined;
}

function roleOfValue(file: CodeFile, n: SyntaxNode, env: FinderEnv): string | undefined {
  if (n.type === 'attribute' || n.type === 'member_expression') {
    // Role.USER, MessageRole.SYSTEM
    const prop = (n.childForFieldName('attribute') ?? n.childForFieldName('property'))?.text ?? '';
    if (ROLE_WORD.test(prop)) return prop.toLowerCase();
  }
  const text = evalText(file, n, env.ctx);
  const t = finishText(env.ctx, text).text.trim();
  return ROLE_WORD.test(t) ? t.toLowerCase() : undefined;
}

const roleOf = (r: string | undefined): Role => (r && /^(model|bot|ai)$/.test(r) ? 'assistant' : normaliseRole(r));

function classRole(name: string): Role | undefined {
  if (name.startsWith('System')) return 'system';
  if (name.startsWith('Developer')) return 'developer';
  if (name.startsWith('AI') || name.startsWith('Assistant')) return 'assistant';
  if (name.startsWith('Human') || name.startsWith('User')) return 'user';
  return undefined;
}

interface MessageNode { node: SyntaxNode; shape: string }

/** A call that is a message instance: its role and content node, or undefined when it is not one. */
function messageCall(file: CodeFile, n: SyntaxNode, env: FinderEnv): { role: Role; content: SyntaxNode } | undefined {
  if (!CALL_TYPES.has(n.type)) return undefined;
  const name = lastName(calleeOf(n));
  // dict(role="user", content="…") is the `{"role": …, "content": …}` message written as a call
  const isDict = file.isPython && calleeOf(n) === 'dict';
  // SDK request message types built with a role (`EasyInputMessageParam(role="user", content=…)`; not
  // `ChatCompletionMessage`, a response)
  const typed = file.isPython && /.MessageParam$/.test(name);
  // a chat history's `add_ai_message("…")` / `add_user_message("…")` (LangChain): a message of that role
  const history = HISTORY_METHOD.exec(name);
  if (history) {
    const first = callArguments(n).positional[0];
    return first ? { role: history[1] === 'ai' ? 'assistant' : 'user', content: first } : undefined;
  }
  if (!MESSAGE_CLASS.test(name) && !isDict && !typed) return undefined;
  const { positional, named } = callArguments(n);
  if ((isDict || typed) && !(named.has('role') && (named.has('content') || named.has('parts')))) return undefined;
  const obj = positional[0]?.type === 'object' ? positional[0] : undefined;
  const get = (k: string) => named.get(k) ?? (obj ? propertyOf(obj, k) : undefined);
  let role = classRole(name);
  if (!role) {
    const r = get('role') ?? (name === 'ChatMessage' && positional[1] ? positional[1] : undefined);
    const word = r && roleOfValue(file, r, env);
    if (!word) return undefined;
    role = roleOf(word);
  }
  const content = get('content') ?? get('parts') ?? get('text') ?? (obj ? undefined : positional[0]);
  return content ? { role, content } : undefined;
}

/** An object/dict `{role: 'user', content: …}`: role and content, or undefined. */
function messageObject(file: CodeFile, n: SyntaxNode, env: FinderEnv): { role: Role; content: SyntaxNode } | undefined {
  if (n.type !== 'object' && n.type !== 'dictionary') return undefined;
  const r = propertyOf(n, 'role');
  const content = propertyOf(n, 'content') ?? propertyOf(n, 'parts') ?? propertyOf(n, 'text');
  // an event that is a message: `{ type: 'user.message', content: [{ type: 'text', text }] }` (Anthropic managed-agent sessions)
  const type = !r && content ? propertyOf(n, 'type') : undefined;
  const typed = type?.type === 'string' ? TYPED_MESSAGE.exec(type.text.slice(1, -1)) : null;
  if (typed && content) return { role: roleOf(typed[1].toLowerCase()), content };
  if (!r || !content) return undefined;
  const word = roleOfValue(file, r, env);
  return word ? { role: roleOf(word), content } : undefined;
}

/** A message builder's method that takes the role, then the content: `builder.appendMessage('user', text)`, `add_message("assistant", x)`. */
const ROLE_FIRST_METHOD = /^(?:append|add|push|insert|create|new|make)_?(?:chat_?)?message$/i;

/** The arguments of a call to such a method. */
function roleArguments(n: SyntaxNode): boolean {
  if (n.type !== 'arguments' && n.type !== 'argument_list') return false;
  const call = n.parent;
  return !!call && CALL_TYPES.has(call.type) && ROLE_FIRST_METHOD.test(lastName(calleeOf(call)));
}

/** A `("system", "…")` / `["user", "…"]` pair, or the (role, content) arguments of a message builder's method. */
function messagePair(file: CodeFile, n: SyntaxNode, env: FinderEnv): { role: Role; content: SyntaxNode; placeholder: boolean } | undefined {
  if (n.type !== 'tuple' && n.type !== 'array' && !roleArguments(n)) return undefined;
  const items = n.namedChildren.filter((c): c is SyntaxNode => !!c && c.type !== 'comment');
  if (items.length !== 2 || items[0].type !== 'string') return undefined;
  const word = finishText(env.ctx, evalText(file, items[0], env.ctx)).text.trim().toLowerCase();
  if (word === 'placeholder') return { role: 'user', content: items[1], placeholder: true };
  return ROLE_WORD.test(word) ? { role: roleOf(word), content: items[1], placeholder: false } : undefined;
}

/** Message-shaped nodes of the file, found from the text and checked in the tree. */
function messageNodes(f: CodeFile, env: FinderEnv): MessageNode[] {
  const out: MessageNode[] = [];
  const seen = new Set<number>();
  const add = (node: SyntaxNode, shape: string) => {
    if (seen.has(node.id)) return;
    seen.add(node.id);
    out.push({ node, shape });
  };
  const up = ancestryOf(f);
  // (an object is checked once, not once per key of it the pattern matched: a dict of 500 `role:` keys)
  const checked = new Set<number>();
  for (const m of f.text.matchAll(ROLE_KEY_RE)) {
    budgetStep(env);
    let n: SyntaxNode | null = up.at(m.index ?? 0);
    for (let i = 0; n && i < 4 && n.type !== 'pair' && n.type !== 'keyword_argument'; i++) n = up.parent(n);
    if (!n) continue;
    const parent = up.parent(n);
    const grandparent = parent && up.parent(parent);
    if (n.type === 'pair' && parent) {
      if (checked.has(parent.id)) continue;
      checked.add(parent.id);
      if (messageObject(f, parent, env)) add(parent, 'a `{role, content}` message');
    } else if (n.type === 'keyword_argument' && grandparent && messageCall(f, grandparent, env)) add(grandparent, `a \`${lastName(calleeOf(grandparent))}(role=…)\` message`);
  }
  for (const m of f.text.matchAll(PAIR_RE)) {
    budgetStep(env);
    const leaf = up.at(m.index ?? 0);
    const n = up.parent(leaf);
    const list = n && up.parent(n);
    if (n && (n.type === 'tuple' || n.type === 'array') && n.startIndex === m.index && list && LIST_TYPES.test(list.type) && messagePair(f, n, env)) {
      add(n, `a \`("${m[2]}", …)\` message pair`);
    } else if (n && roleArguments(n) && n.startIndex === m.index && messagePair(f, n, env)) add(n, `a \`${lastName(calleeOf(n.parent!))}("${m[2]}", …)\` message`);
  }
  for (const m of f.text.matchAll(CLASS_RE)) {
    budgetStep(env);
    const name = m[1] ?? m[2];
    const at = (m.index ?? 0) + (m[1] ? 0 : 1);
    let n: SyntaxNode | null = up.at(at, at + name.length);
    while (n && !CALL_TYPES.has(n.type) && n.endIndex <= (m.index ?? 0) + m[0].length + 1) n = up.parent(n);
    if (n && CALL_TYPES.has(n.type) && messageCall(f, n, env)) add(n, m[1] ? `a \`${name}(…)\` message` : `a chat history's \`${name}(…)\``);
  }
  return out;
}

export function synthetic(f: CodeFile, node: SyntaxNode): CallInfo {
  return { f, node, callee: '', segments: [], isNew: false, positional: [], named: new Map() };
}

const PLACEHOLDER_ONLY = /^\s*\{\{\{?\s*([A-Za-z_][\w.]*)\s*\}?\}\}\s*$|^\s*\{([A-Za-z_]\w*)\}\s*$/;

/** Keeps parts with prompt-like static text (or slots beside such parts); undefined if none has any. */
function keepPromptParts(parts: PromptPart[], weak: (p: PromptPart) => boolean, slotOnly = false): PromptPart[] | undefined {
  const code = (p: PromptPart) => {
    const why = p.text.trim() ? looksLikeNonPrompt(p.text.trim()) : undefined;
    return !!why && why !== 'too few words';
  };
  // SQL or HTML beside instructions in one prompt (a schema, an example query) is sent with them
  const beside = parts.some((p) => p.text.trim() && !code(p) && !weak(p));
  // content that is only a template placeholder (`"{{text}}"`) is the slot it names, not text
  parts = parts.map((p) => {
    const only = PLACEHOLDER_ONLY.exec(p.text);
    if (!only) return p;
    const { slotOffsets: _, ...rest } = p;
    return { ...rest, text: '', slots: [...p.slots, { name: only[1] ?? only[2] }] };
  });
  const kept = parts.filter((p) => {
    const text = p.text.trim();
    if (!text) return true;
    // punctuation alone (an assistant turn prefilled with `{`) is no prompt literal: left out, not priced as one
    if (!p.slots.length && !/[\p{L}\p{N}]/u.test(text)) return false;
    if (code(p) && !(beside && looksLikeNonPrompt(text) !== 'error message')) return false;
    if (weak(p)) {
      const words = text.split(/\s+/).filter((w) => /[a-zA-Z]{2,}/.test(w)).length;
      if (words < (p.slots.length ? 2 : 3) && !text.includes('\n')) return false;
    }
    return true;
  });
  return kept.some((p) => p.text.trim()) || (slotOnly && kept.length) ? kept : undefined;
}

export function modelOf(call: CallInfo | undefined, env: FinderEnv): { id: string; from: string } | undefined {
  if (!call || !call.callee) return undefined;
  const m = modelArg(call, env.ctx, 'model', 'model_name', 'modelName', 'llm');
  if (m) return { ...m, id: m.id.replace(/^(\w+):/, '$1/') };
  // Agent("openai:gpt-4o", …): a model id as the first argument
  const first = call.positional[0];
  if (first?.type === 'string') {
    const id = finishText(env.ctx, evalText(call.f, first, env.ctx)).text.trim();
    if (/^[\w.-]+[:/][\w.:-]+$|^(gpt-|claude-|gemini-|o\d|llama|mistral)/.test(id) && !/\s/.test(id)) return { id: id.replace(/^(\w+):/, '$1/'), from: 'literal' };
  }
  // model.invoke([...]) where model = ChatOpenAI(model=…)
  const fn = call.node.childForFieldName('function');
  const receiver = fn?.childForFieldName('object');
  if (receiver && /^(invoke|ainvoke|stream|astream|batch|abatch|generate|agenerate|predict_messages|call)$/.test(call.segments[call.segments.length - 1] ?? '')) {
    const made = resolveExpression(call.f, receiver, env.ctx);
    if (made && made.node !== receiver) {
      const v = evalModel(made.file, made.node, env.ctx);
      if (v) return v;
    }
    if (/^(invoke|ainvoke|stream|astream|batch|abatch)$/.test(call.segments[call.segments.length - 1] ?? '')) return env.fileChatModel();
  }
  return undefined;
}

/** The builder's parts as a shape-layer prompt; `slotOnly`: a prompt of run-time values alone is kept (an agent run's input, priced with the agent's instructions). */
export function finish(b: PromptBuilder, call: CallInfo, kind: string, shape: string, env: FinderEnv, weak: (p: PromptPart) => boolean, slotOnly = false): DetectedPrompt | undefined {
  const parts = keepPromptParts(b.parts, weak, slotOnly);
  if (!parts) return undefined;
  b.parts.splice(0, b.parts.length, ...parts);
  const found = b.build(kind, modelOf(call.callee ? call : undefined, env), undefined);
  return found && { ...found, confidence: 'shape', shape };
}

const CONTENT_ASSIGN = /\[\s*(["'])content\1\s*\]\s*=(?!=)/g;

/**
 * Python `messages[0]["content"] = SYSTEM.replace("{{history}}", history)`: a message's content replaced
 * in place. Its text is that message's (the role of the element at that index of the list, else the
 * user's); what is found already (the original content) is not reported again.
 */
function contentAssignments(f: CodeFile, env: FinderEnv, claimed: Claimed): DetectedPrompt[] {
  if (!f.isPython || !f.text.includes('content')) return [];
  const out: DetectedPrompt[] = [];
  const up = ancestryOf(f);
  for (const m of f.text.matchAll(CONTENT_ASSIGN)) {
    budgetStep(env);
    let target: SyntaxNode | null = up.at(m.index ?? 0);
    while (target && target.type !== 'subscript') target = up.parent(target);
    const assign = target && up.parent(target);
    if (!target || assign?.type !== 'assignment' || assign.childForFieldName('left')?.id !== target.id) continue;
    const value = assign.childForFieldName('right');
    const element = target.childForFieldName('value');
    if (!value || element?.type !== 'subscript') continue;
    // the element's role, when the list and the index are known
    const list = element.childForFieldName('value');
    const index = element.childForFieldName('subscript');
    const listNode = list && resolveExpression(f, list, env.ctx);
    const item = listNode?.node.type === 'list' && index?.type === 'integer' ? listNode.node.namedChildren.filter((c) => c && c.type !== 'comment')[Number(index.text)] : undefined;
    const message = item ? messageObject(listNode!.file, item, env) : undefined;
    if (!listNode || listNode.node.type !== 'list' || (item && !message)) continue;
    const b = new PromptBuilder(synthetic(f, assign), env.ctx);
    b.addText(message?.role ?? 'user', { file: f, node: value });
    b.parts.splice(0, b.parts.length, ...b.parts.filter((p) => !(p.file ? claimedElsewhere(p, claimed, env) : claimedPart(f, p, claimed))));
    const found = finish(b, synthetic(f, assign), 'shape.messages', 'a message\'s `["content"]` replaced in place', env, () => false);
    if (found) out.push(found);
  }
  return out;
}

/** Message groups: each list holding message-shaped values is one prompt; a lone message is one too. */
function messagePrompts(f: CodeFile, env: FinderEnv, claimed: Claimed): DetectedPrompt[] {
  const groups = new Map<number, { container: SyntaxNode; list?: SyntaxNode; shapes: string[] }>();
  const up = ancestryOf(f);
  for (const m of messageNodes(f, env)) {
    const parent = up.parent(m.node);
    const list = parent && LIST_TYPES.test(parent.type) ? parent : undefined;
    const container = list ?? m.node;
    const g = groups.get(container.id);
    if (g) g.shapes.push(m.shape);
    else groups.set(container.id, { container, list, shapes: [m.shape] });
  }
  const out: DetectedPrompt[] = [];
  for (const g of groups.values()) {
    if (claimed(f.file, g.container.startIndex, g.container.endIndex)) continue;
    const host = hostCall(g.container, up);
    const call = (host && callInfo(f, host, env.ctx)) || synthetic(f, g.container);
    if (host && claimed(f.file, host.startIndex, host.endIndex)) continue;
    // messages a page keeps in the browser's store (`localStorage.setItem('draft', JSON.stringify(…))`) are not sent
    if (host && storedBy(host, up)) continue;
    const b = new PromptBuilder(call, env.ctx);
    const element = (file: CodeFile, el: SyntaxNode): boolean => {
      const r = resolveExpression(file, el, env.ctx) ?? { file, node: el };
      const pair = messagePair(r.file, r.node, env);
      if (pair) {
        if (pair.placeholder) b.addValue('user', dynamic(r.file, pair.content, env.ctx, finishText(env.ctx, evalText(r.file, pair.content, env.ctx)).text.replace(/[{}]/g, '') || 'history'));
        else b.addText(pair.role, { file: r.file, node: pair.content });
        return true;
      }
      const mc = messageCall(r.file, r.node, env) ?? messageObject(r.file, r.node, env);
      if (mc) {
        b.addText(mc.role, { file: r.file, node: mc.content });
        return true;
      }
      // an object beside the messages that is none (a status event): not part of the prompt
      return (r.node.type === 'object' || r.node.type === 'dictionary') && !propertyOf(r.node, 'role');
    };
    const elements = g.list ? g.list.namedChildren.filter((c): c is SyntaxNode => !!c) : [g.container];
    // a request body's system text beside its messages (`{model, system, messages}`: Anthropic's
    // Messages API, sent by any HTTP client): the request's first part
    const body = g.list ? requestBody(g.list, up) : undefined;
    for (const node of body ? bodySystem(body) : []) b.addText('system', { file: f, node });
    b.addMessageNodes(f, elements, element);
    // error text handed back as an assistant message is not a prompt
    const parts = b.parts.filter((p) => !(p.role === 'assistant' && looksLikeNonPrompt(p.text) === 'error message'));
    b.parts.splice(0, b.parts.length, ...parts);
    // a text a call found already, written here or in another file (an imported template): one text, one
    // row — unless what a call found is only a fragment written outside this list (a shared constant in a
    // message of its own text): that message is another request, and sends the fragment too
    const inList = (p: PromptPart) => !p.file && f.lines.offset(p.range.start) >= g.container.startIndex && f.lines.offset(p.range.end) <= g.container.endIndex;
    const taken = (p: PromptPart) => (p.file ? claimedElsewhere(p, claimed, env) : claimedPart(f, p, claimed));
    if (b.parts.some((p) => taken(p) && (inList(p) || !b.parts.some((q) => inList(q) && !taken(q) && /[\p{L}]{2}/u.test(q.text))))) continue;
    if (g.list && b.parts.every((p) => p.role === 'assistant') && shownOnly(f, g.list, up)) continue;
    const shape = [...new Set(g.shapes)].slice(0, 2).join(', ');
    const found = finish(b, call, 'shape.messages', shape, env, () => false);
    if (found && body) withBodySettings(found, f, body, env);
    if (found) out.push(found);
  }
  return out;
}

// A request body's output limit, by the names the chat APIs give it.
const BODY_OUTPUT_KEYS = ['max_tokens', 'max_completion_tokens', 'max_output_tokens', 'maxTokens', 'maxOutputTokens'];

/** A request body's own `model` and output limit (`{model, max_tokens, messages}` sent by any HTTP client), where the call gave none. */
function withBodySettings(found: DetectedPrompt, f: CodeFile, body: SyntaxNode, env: FinderEnv): void {
  const modelNode = propertyOf(body, 'model');
  const model = modelNode ? evalModel(f, modelNode, env.ctx) : undefined;
  if (model && !found.model) found.model = promptModel(model, f.file);
  if (found.outputTokens) return;
  for (const key of BODY_OUTPUT_KEYS) {
    const at = propertyOf(body, key);
    const n = at ? evalNumber(f, at, env.ctx) : undefined;
    if (n !== undefined && Number.isFinite(n) && n > 0) {
      found.outputTokens = { tokens: n, from: `code:${key}` };
      return;
    }
  }
}

/** The object whose `messages` is `list` (a request body), if it is one. */
function requestBody(list: SyntaxNode, up: Ancestry): SyntaxNode | undefined {
  const pair = up.parent(list);
  const key = pair?.type === 'pair' ? pair.childForFieldName('key')?.text.replace(/^["'`]|["'`]$/g, '') : undefined;
  const body = key === 'messages' ? up.parent(pair!) : undefined;
  return body && (body.type === 'object' || body.type === 'dictionary') ? body : undefined;
}

/** A request body's `system` value as text nodes (a string, or a list of text blocks). */
function bodySystem(body: SyntaxNode): SyntaxNode[] {
  const value = propertyOf(body, 'system');
  if (!value) return [];
  if (!LIST_TYPES.test(value.type)) return [value];
  return value.namedChildren.flatMap((block) => {
    const text = block && (block.type === 'object' || block.type === 'dictionary') ? propertyOf(block, 'text') : undefined;
    return text ? [text] : [];
  });
}

/** Calls that show a chat's history or measure it, rather than send it. */
const DISPLAY_CALL = /^(chat_message|write|markdown|text|caption|print|len|enumerate|reversed|append|extend|insert|pop|clear|copy|get|keys|items|values)$/;

/**
 * A chat UI's history seeded with a greeting (`st.session_state.messages = [{"role": "assistant", …}]`)
 * that the file never hands to a call other than to show it: the greeting is shown, not sent.
 */
function shownOnly(f: CodeFile, list: SyntaxNode, up: Ancestry): boolean {
  if (!f.isPython) return false;
  const assign = up.parent(list);
  if (assign?.type !== 'assignment' || assign.childForFieldName('right')?.id !== list.id) return false;
  const key = /session_state(?:\.(\w+)|\[["'](\w+)["']\])$/.exec(assign.childForFieldName('left')?.text.replace(/\s+/g, '') ?? '');
  if (!key) return false;
  const name = key[1] ?? key[2];
  for (const m of f.text.matchAll(new RegExp(`session_state(?:\\.${name}\\b|\\[["']${name}["']\\])`, 'g'))) {
    let n: SyntaxNode | null = up.at(m.index ?? 0);
    for (let i = 0; n && i < 8; i++, n = up.parent(n)) {
      // copied to another name (`history = st.session_state.messages`): it may be sent from there
      if (n.type === 'assignment') {
        if ((n.childForFieldName('right')?.startIndex ?? Infinity) <= (m.index ?? 0)) return false;
        break;
      }
      if (n.type === 'for_statement' || /_statement$/.test(n.type)) break;
      if (n.type === 'call' && n.endIndex > (m.index ?? 0) + m[0].length && !DISPLAY_CALL.test(lastName(calleeOf(n)))) return false;
    }
  }
  return true;
}

function claimedPart(f: CodeFile, p: PromptPart, claimed: Claimed): boolean {
  const start = f.lines.offset(p.range.start);
  const end = f.lines.offset(p.range.end);
  return claimed(f.file, start, end);
}

/**
 * A part written in another file that a prompt of this file reports already — the argument of a call
 * to the project's own wrapper whose SDK call counts the same constant: one text, one row.
 */
function claimedElsewhere(p: PromptPart, claimed: Claimed, env: FinderEnv): boolean {
  if (!p.file || !p.text.trim()) return false;
  const lines = env.ctx.project.linesOf(p.file);
  return !!lines && claimed(p.file, lines.offset(p.range.start), lines.offset(p.range.end));
}

interface ParamHit { key: string; value: SyntaxNode; at: SyntaxNode }

/** Keys that are the user's text only in the first argument of a runnable's `invoke` / `stream`. */
const RUNNABLE_KEYS = /^(input|question)$/;
/** A model's own request method (OpenAI Agents SDK `Model.get_response` / `stream_response`): its `input` is the user's turn. */
const MODEL_REQUEST = /^(get_response|stream_response|getResponse|getStreamedResponse)$/;

/** `app.invoke(…)` where `app` is made by a call (`graph.compile()`, `prompt.pipe(model)`), not an object of the file's own. */
function runnableReceiver(f: CodeFile, host: SyntaxNode, env: FinderEnv): boolean {
  const receiver = host.childForFieldName('function')?.childForFieldName('object');
  if (!receiver) return false;
  if (CALL_TYPES.has(receiver.type)) return true;
  const made = resolveExpression(f, receiver, env.ctx);
  let node = made?.node;
  if (node?.type === 'await_expression') node = node.namedChildren[0] ?? undefined;
  return !!node && node !== receiver && CALL_TYPES.has(node.type);
}

function keysOf(obj: SyntaxNode): string[] {
  const out: string[] = [];
  for (const p of obj.namedChildren) {
    if (p?.type === 'shorthand_property_identifier') out.push(p.text);
    const k = p?.type === 'pair' ? p.childForFieldName('key') : undefined;
    if (k) out.push(k.text.replace(/^["'`]|["'`]$/g, ''));
  }
  return out;
}

const PROMPT_FUNCTION_NAME = /prompt|instruction/i;

/** The function whose returned value `n` is (an arrow's body, a `return` in it), if any. */
function returningFunction(n: SyntaxNode, up: Ancestry): SyntaxNode | undefined {
  let cur: SyntaxNode = n;
  for (let q = up.parent(cur); q && /^(parenthesized_expression|as_expression|satisfies_expression)$/.test(q.type); q = up.parent(cur)) cur = q;
  const p = up.parent(cur);
  if (!p) return undefined;
  if (p.type === 'arrow_function' && p.childForFieldName('body')?.id === cur.id) return p;
  if (p.type !== 'return_statement') return undefined;
  for (let c: SyntaxNode | null = up.parent(p); c; c = up.parent(c)) if (FUNCTION_NODE.test(c.type)) return c;
  return undefined;
}

function functionName(fn: SyntaxNode, up: Ancestry): string {
  const own = fn.childForFieldName('name')?.text;
  if (own) return own;
  const p = up.parent(fn);
  if (p?.type === 'variable_declarator' || p?.type === 'pair' || p?.type === 'assignment_expression') {
    return (p.childForFieldName('name') ?? p.childForFieldName('key') ?? p.childForFieldName('left'))?.text ?? '';
  }
  return '';
}

/** `export default { … }` / `module.exports = { … }`: a module whose exports are its configuration (a prompt it declares). */
function exportedObject(obj: SyntaxNode, up: Ancestry): boolean {
  const p = up.parent(obj);
  if (p?.type === 'export_statement') return true;
  return p?.type === 'assignment_expression' && p.childForFieldName('right')?.id === obj.id && /^(module\.)?exports(\.\w+)?$/.test(p.childForFieldName('left')?.text ?? '');
}

/**
 * A prompt object: `{ system: …, user: … }` (a system key beside a user one, or beside the `messages`
 * and `model` of a request body), or an object a
 * prompt-named function returns (`getPrompt(…)` → `{ system, urlList }`, `: PromptPair`). Its
 * prompt-named keys are prompts whichever call (or none) receives it.
 */
function promptObject(f: CodeFile, obj: SyntaxNode, up: Ancestry): boolean {
  const keys = keysOf(obj);
  const system = keys.some((k) => SYSTEM_KEYS.test(k));
  if (system && keys.some((k) => PAIR_USER_KEYS.test(k))) return true;
  // a request body of a chat API (Anthropic's Messages API: `{model, system, messages}`), sent by any HTTP client
  if (system && keys.includes('messages') && keys.includes('model')) return true;
  const fn = returningFunction(obj, up);
  if (!fn) return false;
  const returnType = f.isPython ? fn.childForFieldName('return_type') : fn.childForFieldName('return_type');
  return PROMPT_FUNCTION_NAME.test(functionName(fn, up)) || PROMPT_FUNCTION_NAME.test(returnType?.text ?? '');
}

/** Prompt-named keyword arguments and properties of calls (and of config objects, for the strong names). */
function paramPrompts(f: CodeFile, env: FinderEnv, claimed: Claimed): DetectedPrompt[] {
  const up = ancestryOf(f);
  const pairs = new Map<number, boolean>();
  const byHost = new Map<number, { host: SyntaxNode | undefined; anchor: SyntaxNode; hits: ParamHit[] }>();
  const seen = new Set<number>();
  const messageObjects = new Map<number, boolean>();
  // In a test, a prompt-named argument of the program's own function (`answer("hi", system=SYSTEM_PROMPT)`)
  // is test data; an agent or client the test builds (`Agent(system=…)`, a class) really sends it, as
  // the SDK's own calls a test makes do (the finders claim those first).
  const testFile = TEST_FILE.test(f.file);
  // A host's callee and its last name, read once per host: a callee can be long (a chain, or broken code
  // read as one), and each of the host's keys read and cleaned all of it again.
  const callees = new Map<number, { callee: string; name: string }>();
  const calleeInfo = (host: SyntaxNode) => {
    let c = callees.get(host.id);
    if (!c) {
      const callee = calleeOf(host);
      callees.set(host.id, (c = { callee, name: lastName(callee) }));
    }
    return c;
  };
  const consider = (key: string, at: SyntaxNode, value: SyntaxNode) => {
    if (seen.has(at.id)) return;
    seen.add(at.id);
    const container = up.parent(at); // argument_list / object / dictionary
    if (!container) return;
    if (container.type === 'object' || container.type === 'dictionary') {
      // a message object's own keys belong to the message layer (asked once per object: each match in
      // an object of thousands of keys asking again was quadratic)
      let isMessage = messageObjects.get(container.id);
      if (isMessage === undefined) {
        isMessage = !!propertyOf(container, 'role') && !!(propertyOf(container, 'content') || propertyOf(container, 'parts'));
        messageObjects.set(container.id, isMessage);
      }
      if (isMessage) return;
    }
    const containerParent = up.parent(container);
    const host = at.type === 'keyword_argument' ? (containerParent && CALL_TYPES.has(containerParent.type) ? containerParent : undefined) : hostCall(container, up);
    const hostCallee = host && calleeInfo(host);
    const calleeName = hostCallee ? hostCallee.name : '';
    if (testFile && !/^[A-Z]/.test(calleeName)) return;
    // `@click.option(…, prompt="Your name")`, `typer.Option(…, prompt=…)`: asks the person at the terminal
    if (hostCallee && asksTheTerminal(f, hostCallee.callee)) return;
    // once per object: an object of thousands of keys is not re-listed per key
    let pair = pairs.get(container.id);
    if (pair === undefined) pairs.set(container.id, (pair = (container.type === 'object' || container.type === 'dictionary') && promptObject(f, container, up)));
    if (USER_KEYS.test(key) && !pair) return;
    const moduleObject = !host && key === 'prompt' && container.type === 'object' && exportedObject(container, up);
    if (!host && !STRONG.test(key) && !pair && !moduleObject) return;
    // a translations module's object that no call receives is what the app shows (a tooltip about the prompt)
    if (!host && TRANSLATION_PATH.test(f.file)) return;
    // a value handed to a logger (`logDebug('…', { prompt })`, `log.info(…)`) is logged, not sent
    if (hostCallee && (/^(dict|Object|JSON|json|print|console|log|logger|assert|expect|it|describe|test|setattr|getattr)$/.test(hostCallee.callee.split('.')[0] ?? '') || /^(log([A-Z_]\w*)?|debug|info|warn|warning|error|trace)$/.test(calleeName))) {
      if (!STRONG.test(key)) return;
    }
    const needs = NEEDS_CALLEE[key];
    if (needs && !needs.test(calleeName)) return;
    // … and only as the call's own option: a `description` nested deeper (a JSON schema's field in
    // `callAgent({ prompt, schema: { properties: { … } } })`) is not the agent's
    if (needs && at.type !== 'keyword_argument' && !/^(arguments|argument_list)$/.test(containerParent?.type ?? '')) return;
    if (RUNNABLE_KEYS.test(key) && !MODEL_REQUEST.test(calleeName) && (TEST_FILE.test(f.file) || !(host && (containerParent && up.parent(containerParent)?.id) === host.id && runnableReceiver(f, host, env)))) return;
    const anchor = host ?? container;
    if (claimed(f.file, anchor.startIndex, anchor.endIndex)) return;
    const g = byHost.get(anchor.id);
    if (g) g.hits.push({ key, value, at });
    else byHost.set(anchor.id, { host, anchor, hits: [{ key, value, at }] });
  };
  for (const m of f.text.matchAll(PARAM_RE)) {
    budgetStep(env);
    let n: SyntaxNode | null = up.at((m.index ?? 0) + m[1].length);
    for (let i = 0; n && i < 3 && n.type !== 'pair' && n.type !== 'keyword_argument'; i++) n = up.parent(n);
    if (!n || (n.type !== 'pair' && n.type !== 'keyword_argument')) continue;
    const keyNode = n.childForFieldName(n.type === 'pair' ? 'key' : 'name');
    const value = n.childForFieldName('value');
    if (!keyNode || !value || keyNode.startIndex !== (m.index ?? 0)) continue;
    consider(m[2], n, value);
  }
  if (!f.isPython) {
    for (const m of f.text.matchAll(SHORTHAND_RE)) {
      budgetStep(env);
      const at = (m.index ?? 0) + m[0].indexOf(m[1]);
      const n = up.at(at, at + m[1].length);
      if (n.type === 'shorthand_property_identifier' && up.parent(n)?.type === 'object') consider(m[1], n, n);
    }
  }
  const out: DetectedPrompt[] = [];
  for (const g of byHost.values()) {
    const call = (g.host && callInfo(f, g.host, env.ctx)) || synthetic(f, g.anchor);
    const b = new PromptBuilder(call, env.ctx);
    const weakParts = new Set<PromptPart>();
    for (const h of g.hits.sort((a, c) => a.at.startIndex - c.at.startIndex)) {
      const r = resolveExpression(f, h.value, env.ctx);
      // system_prompt={"type": "preset", "append": "…"}: the appended text is the program's own;
      // systemMessage: { mode: 'append', content: `…` } (GitHub Copilot SDK sessions): the content is
      const appended = r && /^(object|dictionary)$/.test(r.node.type) && STRONG.test(h.key) ? propertyOf(r.node, 'append') ?? propertyOf(r.node, 'content') : undefined;
      if (appended && r) b.addText(PARAM_ROLES[h.key], { file: r.file, node: appended });
      if (r && /^(true|false|none|null|undefined|number|integer|float|object|dictionary)$/.test(r.node.type)) continue;
      if (TEXT_ONLY.has(h.key) && (!r || !/^(string|template_string|concatenated_string|binary_expression|binary_operator|call_expression|call)$/.test(r.node.type))) continue;
      const before = b.parts.length;
      // instructions=["…", "…"]: a list of texts the framework joins into one system message (agno):
      // one text, from its first literal, as a joined list of literals is (a `prompt: [...]` list is
      // steps, each a prompt of its own)
      // agno puts an agent's `description` at the head of its system message
      const role = h.key === 'description' && g.host && /^agno(\.|$)/.test(env.importSource(calleeOf(g.host).split('.')[0]) ?? '') ? 'system' : PARAM_ROLES[h.key];
      if (r && role === 'system' && LIST_TYPES.test(r.node.type) && isTextList(r.node)) b.addValue(role, joinedList(r, { text: '\n', origin: loc(r.file, r.node) }, env.ctx));
      else b.addText(role, { file: f, node: h.value });
      // only the value's own text is weak: fragments it holds passed as part of a longer text
      // (a runnable's input is checked to be one already: two words of it are the user's turn, `'Hello, friend'`)
      const runnableTurn = RUNNABLE_KEYS.test(h.key) && b.parts.length > before && b.parts[before].text.split(/\s+/).filter((w) => /[a-zA-Z]{2,}/.test(w)).length >= 2;
      if (!STRONG.test(h.key) && (!NEEDS_CALLEE[h.key] || RUNNABLE_KEYS.test(h.key) || h.key === 'task') && !runnableTurn && !(h.key === 'prompt' && !!g.host && SESSION_TURN.test(lastName(calleeOf(g.host)))) && b.parts.length > before) weakParts.add(b.parts[before]);
    }
    if (b.parts.some((p) => !p.file && claimedPart(f, p, claimed))) continue;
    b.parts.splice(0, b.parts.length, ...b.parts.filter((p) => !claimedElsewhere(p, claimed, env)));
    const keys = [...new Set(g.hits.map((h) => h.key))];
    const shape = `${keys.map((k) => `\`${k}${f.isPython && g.hits[0].at.type === 'keyword_argument' ? '=' : ':'}\``).join(', ')} ${g.host ? `of \`${lastName(calleeOf(g.host))}(…)\`` : 'in a config object'}`;
    const found = finish(b, call, 'shape.argument', shape, env, (p) => weakParts.has(p));
    if (found) out.push(found);
  }
  return out;
}

const PROMPT_CALL_SUFFIX = /(?:[Pp]rompt|[Ii]nstructions?)(?:Middleware)?\s*\(/g;
const IDENT_CHAR = /[\w$]/;
const IDENT_START = /[A-Za-z_$]/;

/**
 * Calls of prompt-named functions (`xxxPrompt(`, `fooInstructions(`, `…PromptMiddleware(`): the name,
 * where it starts, and the length up to the `(`. Found from the suffix and then the name's start
 * backwards — one pass, where a pattern starting at every identifier backtracks over each of them.
 */
function* promptNamedCalls(text: string): Generator<{ index: number; name: string; length: number }> {
  for (const m of text.matchAll(PROMPT_CALL_SUFFIX)) {
    const at = m.index ?? 0;
    let start = at;
    while (start > 0 && IDENT_CHAR.test(text[start - 1])) start--;
    // At least one character before the suffix, and a name cannot start with a digit.
    if (start === at || !IDENT_START.test(text[start])) continue;
    yield { index: start, name: text.slice(start, at) + m[0].replace(/\s*\($/, ''), length: at + m[0].length - start };
  }
}

/** Functions that are prompts: decorated as one, or handed to a prompt-named call. */
function functionPrompts(f: CodeFile, env: FinderEnv, claimed: Claimed): DetectedPrompt[] {
  const out: DetectedPrompt[] = [];
  const root = f.tree.rootNode;
  const emit = (fn: SyntaxNode, anchor: SyntaxNode, shape: string) => {
    if (claimed(f.file, anchor.startIndex, anchor.endIndex)) return;
    const v = followFunction(f, fn, env.ctx, undefined);
    if (!v) return;
    const b = new PromptBuilder(synthetic(f, anchor), env.ctx);
    b.addValue('system', v);
    if (b.parts.some((p) => !p.file && claimedPart(f, p, claimed))) return;
    const found = finish(b, synthetic(f, anchor), 'shape.function', shape, env, () => false);
    if (found) out.push(found);
  };
  if (f.isPython) {
    for (const m of f.text.matchAll(DECORATOR_RE)) {
      budgetStep(env);
      let n: SyntaxNode | null = root.descendantForIndex((m.index ?? 0) + m[0].length - 1);
      while (n && n.type !== 'decorator') n = n.parent;
      const def = n?.parent?.type === 'decorated_definition' ? n.parent.childForFieldName('definition') : undefined;
      if (def?.type === 'function_definition') emit(def, n!.parent!, `a function decorated \`${n!.text.trim().replace(/\(.*$/s, '')}\``);
    }
  }
  // dynamicSystemPromptMiddleware((state) => `…`), definePrompt(…, async () => …)
  for (const m of promptNamedCalls(f.text)) {
    budgetStep(env);
    let n: SyntaxNode | null = root.descendantForIndex(m.index, m.index + m.name.length);
    while (n && !CALL_TYPES.has(n.type) && n.endIndex <= m.index + m.length + 1) n = n.parent;
    if (!n || !CALL_TYPES.has(n.type) || !FUNCTION_ARG_CALLEE.test(lastName(calleeOf(n)))) continue;
    const fnArg = callArguments(n).positional.find((a) => FUNCTION_NODE.test(a.type));
    if (fnArg) emit(fnArg, n, `a function given to \`${lastName(calleeOf(n))}(…)\``);
  }
  return out;
}

/** The shape layer's prompts in `f`, leaving out what `claimed` says is found already. */
export function shapePrompts(f: CodeFile, env: FinderEnv, claimed: Claimed): DetectedPrompt[] {
  const out: DetectedPrompt[] = [];
  // The parts of this file found so far, as offsets: every candidate asks whether it is one of them.
  const found = new IntervalSet();
  const claim = (p: DetectedPrompt) => {
    out.push(p);
    for (const x of p.parts) if (!x.file) found.add(f.lines.offset(x.range.start), f.lines.offset(x.range.end));
  };
  const claimedNow: Claimed = (file, start, end) => claimed(file, start, end) || (file === f.file && found.overlaps(start, end));
  for (const p of agentRunPrompts(f, env, claimedNow)) claim(p);
  for (const p of dspyPrompts(f, env, claimedNow)) claim(p);
  for (const p of dspyModuleCallPrompts(f, env, claimedNow)) claim(p);
  for (const p of messagePrompts(f, env, claimedNow)) claim(p);
  for (const p of contentAssignments(f, env, claimedNow)) claim(p);
  for (const p of paramPrompts(f, env, claimedNow)) claim(p);
  for (const p of functionPrompts(f, env, claimedNow)) claim(p);
  for (const p of paramSinkPrompts(f, env, claimedNow)) claim(p);
  for (const p of jsParamSinkPrompts(f, env, claimedNow)) claim(p);
  for (const p of templateInputPrompts(f, env, claimedNow)) claim(p);
  for (const p of runnableInputPrompts(f, env, claimedNow)) claim(p);
  return out;
}

