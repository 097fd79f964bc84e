// LangChain (JS and Python): ChatPromptTemplate.fromMessages/from_messages (tuples, message objects,
// *MessagePromptTemplate.fromTemplate, MessagesPlaceholder), PromptTemplate.fromTemplate/from_template
// and the constructor, SystemMessage/HumanMessage/AIMessage lists, createAgent/create_agent system
// prompts, and chat-model calls (`model.invoke/stream/batch("…" | [messages])`, also through
// `.bindTools(…)`). Templates use f-string `{var}` slots unless templateFormat says mustache. A template has no
// model of its own: it takes the one chat model constructed in the same file, if there is exactly one.
import type { Role } from '../../../model';
import type { SlotSyntax } from '../../slots';
import { arg, evalModel, evalText, modelArg, normaliseRole, PromptBuilder, propertyOf, resolveExpression, type CallInfo } from '../calls';
import type { SyntaxNode } from '../parser';
import type { CodeFile } from '../source';
import { CHAT_MODEL_CLASS, dynamic, type EvalContext } from '../values';
import type { Finder, FinderEnv } from './types';

const MESSAGE_CLASS = /^(System|Human|AI|Chat|Tool)Message$/;
const MESSAGE_TEMPLATE_CLASS = /^(System|Human|AI|Chat)MessagePromptTemplate$/;

function classRole(name: string): Role {
  if (name.startsWith('System')) return 'system';
  if (name.startsWith('AI')) return 'assistant';
  if (name.startsWith('Tool')) return 'tool';
  return 'user';
}

function templateSyntax(call: CallInfo, ctx: EvalContext, optionsIndex: number): SlotSyntax[] {
  const opts = call.positional[optionsIndex];
  const node = call.named.get('template_format') ?? (opts?.type === 'object' ? propertyOf(opts, 'templateFormat') : undefined) ?? arg(call, 'templateFormat', 'template_format')?.node;
  const format = node ? evalText(call.f, node, ctx).text : 'f-string';
  return format === 'mustache' || format === 'jinja2' ? ['mustache'] : ['single'];
}

/** The callee's last name without `new`: `ChatPromptTemplate.fromMessages` → `fromMessages`. */
function tail(n: SyntaxNode): { name: string; owner: string } | undefined {
  if (n.type !== 'call_expression' && n.type !== 'call' && n.type !== 'new_expression') return undefined;
  const fn = (n.childForFieldName('function') ?? n.childForFieldName('constructor'))?.text.replace(/\s+/g, '') ?? '';
  const parts = fn.split('.');
  return { name: parts[parts.length - 1], owner: parts[parts.length - 2] ?? '' };
}

function firstArg(n: SyntaxNode): SyntaxNode | undefined {
  return n.childForFieldName('arguments')?.namedChildren.find((c): c is SyntaxNode => !!c && c.type !== 'comment') ?? undefined;
}

function keyword(n: SyntaxNode, key: string): SyntaxNode | undefined {
  for (const a of n.childForFieldName('arguments')?.namedChildren ?? []) {
    if (a?.type === 'keyword_argument' && a.childForFieldName('name')?.text === key) return a.childForFieldName('value') ?? undefined;
  }
  return undefined;
}

/** One element of a LangChain message list; returns false when it is not LangChain's. */
function addElement(b: PromptBuilder, file: CodeFile, el: SyntaxNode, syntax: SlotSyntax[], env: FinderEnv): boolean {
  const r = resolveExpression(file, el, env.ctx) ?? { file, node: el };
  const node = r.node;
  if (node.type === 'tuple' || node.type === 'array') {
    const [roleNode, textNode] = node.namedChildren.filter((c): c is SyntaxNode => !!c && c.type !== 'comment');
    if (!roleNode || !textNode) return false;
    const roleText = evalText(r.file, roleNode, env.ctx).text;
    if (roleText === 'placeholder' || roleText === 'messages') b.addValue('user', dynamic(r.file, textNode, env.ctx, evalText(r.file, textNode, env.ctx).text.replace(/[{}]/g, '') || 'history'));
    else b.addText(normaliseRole(roleText), { file: r.file, node: textNode }, { template: syntax });
    return true;
  }
  const t = tail(node);
  if (!t) {
    if (/string/.test(node.type)) {
      b.addText('user', { file: r.file, node }, { template: syntax });
      return true;
    }
    return false;
  }
  env.consume(node);
  if (t.name === 'MessagesPlaceholder') {
    const v = firstArg(node) ?? keyword(node, 'variable_name');
    const name = v ? evalText(r.file, v.type === 'object' ? propertyOf(v, 'variableName') ?? v : v, env.ctx).text : 'history';
    b.addValue('user', dynamic(r.file, node, env.ctx, name || 'history'));
    return true;
  }
  if (MESSAGE_CLASS.test(t.name)) {
    const a = keyword(node, 'content') ?? firstArg(node);
    const content = a?.type === 'object' ? propertyOf(a, 'content') : a;
    if (content) b.addText(classRole(t.name), { file: r.file, node: content });
    return true;
  }
  if (MESSAGE_TEMPLATE_CLASS.test(t.owner) && /^(fromTemplate|from_template)$/.test(t.name)) {
    const a = firstArg(node) ?? keyword(node, 'template');
    if (a) b.addText(classRole(t.owner), { file: r.file, node: a }, { template: syntax });
    return true;
  }
  return false;
}

const INVOKE = /^(invoke|ainvoke|stream|astream|batch|abatch)$/;
const BINDS = /^(bindTools|bind_tools|withStructuredOutput|with_structured_output|withConfig|with_config|bind|withRetry|with_retry)$/;

/** The model of a chat model an expression is made as: `new ChatOpenAI({…})`, `init_chat_model(…)`, or a `.bindTools(…)` of one. */
function chatModelOf(file: CodeFile, n: SyntaxNode | null | undefined, env: FinderEnv, depth = 0): { model: ReturnType<typeof evalModel> } | undefined {
  if (!n || depth > 6) return undefined;
  let r = resolveExpression(file, n, env.ctx);
  if (r && r.node.type === 'await_expression') r = resolveExpression(r.file, r.node, env.ctx);
  if (!r) return undefined;
  const t = tail(r.node);
  if (!t) return undefined;
  if (CHAT_MODEL_CLASS.test(t.name) || /^(init_chat_model|initChatModel)$/.test(t.name)) return { model: evalModel(r.file, r.node, env.ctx) };
  if (BINDS.test(t.name)) {
    const fn = r.node.childForFieldName('function');
    return chatModelOf(r.file, fn?.childForFieldName('object') ?? fn?.childForFieldName('value'), env, depth + 1);
  }
  return undefined;
}

export const langchainFinder: Finder = {
  family: 'langchain',
  find(call, env) {
    const last = call.segments[call.segments.length - 1];
    const owner = call.segments[call.segments.length - 2] ?? '';
    const b = new PromptBuilder(call, env.ctx);
    if (/^(fromMessages|from_messages)$/.test(last) && /ChatPromptTemplate$/.test(owner)) {
      const syntax = templateSyntax(call, env.ctx, 1);
      const list = call.named.get('messages') ?? call.positional[0];
      if (!list) return undefined;
      b.addMessages({ file: call.f, node: list }, (file, el) => addElement(b, file, el, syntax, env));
      return b.build('langchain.chatPrompt', env.fileChatModel(), undefined);
    }
    // ChatPromptTemplate.from_template("…") is a one-message (user) chat prompt
    if ((/^(fromTemplate|from_template)$/.test(last) && /^(Chat)?PromptTemplate$/.test(owner)) || (last === 'PromptTemplate' && (call.isNew || call.f.isPython))) {
      const syntax = templateSyntax(call, env.ctx, 1);
      b.addText('user', arg(call, 'template') ?? (call.positional[0] && call.positional[0].type !== 'object' ? { file: call.f, node: call.positional[0] } : undefined), { template: syntax });
      return b.build('langchain.prompt', env.fileChatModel(), undefined);
    }
    if (/^(fromTemplate|from_template)$/.test(last) && MESSAGE_TEMPLATE_CLASS.test(owner)) {
      const syntax = templateSyntax(call, env.ctx, 1);
      b.addText(classRole(owner), call.positional[0] ? { file: call.f, node: call.positional[0] } : arg(call, 'template'), { template: syntax });
      return b.build('langchain.messageTemplate', env.fileChatModel(), undefined);
    }
    // model.invoke("…" | [messages]) / stream / batch on a chat model made in this file (or bound tools of one)
    if (INVOKE.test(last) && call.segments.length >= 2 && call.positional[0]) {
      const fn = call.node.childForFieldName('function');
      const chat = chatModelOf(call.f, fn?.childForFieldName('object'), env);
      if (!chat) return undefined;
      const input = { file: call.f, node: call.positional[0] };
      const r = resolveExpression(input.file, input.node, env.ctx);
      if (r && /^(array|list)$/.test(r.node.type) && /^(batch|abatch)$/.test(last)) {
        for (const el of r.node.namedChildren) if (el && el.type !== 'comment') b.addText('user', { file: r.file, node: el });
      } else if (r && /^(array|list)$/.test(r.node.type)) b.addMessages(input, (file, el) => addElement(b, file, el, [], env));
      else if (r && (r.node.type === 'object' || r.node.type === 'dictionary')) return undefined;
      else b.addText('user', input);
      const model = chat.model && { ...chat.model, id: chat.model.id.replace(/^(\w+):/, '$1/') };
      return b.build('langchain.invoke', model, undefined);
    }
    if (/^(createAgent|create_agent|create_react_agent|createReactAgent)$/.test(last)) {
      const prompt = arg(call, 'systemPrompt', 'system_prompt', 'prompt', 'stateModifier', 'state_modifier');
      if (!prompt) return undefined;
      if (!addElement(b, prompt.file, prompt.node, [], env)) b.addText('system', prompt);
      else for (const p of b.parts) p.role = p.role === 'user' ? 'system' : p.role;
      const modelNode = arg(call, 'model', 'llm') ?? (call.positional[0] ? { file: call.f, node: call.positional[0] } : undefined);
      const model = modelNode ? evalModel(modelNode.file, modelNode.node, env.ctx) : undefined;
      const normalised = model && { ...model, id: model.id.replace(/^(\w+):/, '$1/') };
      return b.build('langchain.agent', normalised ?? env.fileChatModel(), undefined);
    }
    return undefined;
  },
};

/** A list of SystemMessage/HumanMessage/AIMessage objects not inside a template: one prompt. */
export function messageListPrompt(call: CallInfo, file: CodeFile, elements: SyntaxNode[], env: FinderEnv) {
  const b = new PromptBuilder(call, env.ctx);
  b.addMessageNodes(file, elements, (f, el) => addElement(b, f, el, [], env));
  return b.build('langchain.messages', modelArg(call, env.ctx) ?? env.fileChatModel(), undefined);
}

export function isMessageConstructor(n: SyntaxNode): boolean {
  const t = tail(n);
  return !!t && MESSAGE_CLASS.test(t.name);
}
