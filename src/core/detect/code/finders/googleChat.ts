// Google chat sessions: each message sent on a chat is one request holding the chat's system
// instruction, its history and the new message.
//   older SDK:  model = genAI.getGenerativeModel({ model, systemInstruction }); chat = model.startChat({ history });
//               chat.sendMessage("…" | [parts]) / sendMessageStream(…)
//   @google/genai: chat = ai.chats.create({ model, history, config: { systemInstruction } });
//               chat.sendMessage({ message }) / sendMessageStream({ message })
//   Python:     chat = client.chats.create(model=…, history=…, config=…); chat.send_message("…")
// and the other Gemini request forms with their own shape:
//   ai.interactions.create({ model, input, system_instruction })   (the Interactions API)
//   session = await ai.live.connect({ model, config }); session.sendClientContent({ turns })   (Live API;
//   Python: `async with client.aio.live.connect(model=…, config=…) as session`, send_client_content(turns=…),
//   send(input=…), send_realtime_input(text=…))
import { arg, evalModel, PromptBuilder, propertyOf, resolveExpression, type CallInfo } from '../calls';
import type { SyntaxNode } from '../parser';
import type { CodeFile } from '../source';
import { callArguments, type ModelValue, type Resolved } from '../values';
import { addGeminiContents, geminiSystem } from './geminiRequest';
import type { Finder, FinderEnv } from './types';

const SEND = /^(sendMessage|sendMessageStream|send_message|send_message_stream)$/;
/** A Live API session's sends that carry text (`session = await ai.live.connect(…)`, Python `async with … as session`). */
const LIVE_SEND = /^(sendClientContent|send_client_content|sendRealtimeInput|send_realtime_input|send)$/;

function calleeText(n: SyntaxNode): string {
  return (n.childForFieldName('function') ?? n.childForFieldName('constructor'))?.text.replace(/\s+/g, '').replace(/\?\./g, '.') ?? '';
}

/** The call a receiver expression was made by (`chat` → `model.startChat({…})`), through `await`. */
function madeBy(file: CodeFile, n: SyntaxNode | null | undefined, env: FinderEnv): Resolved | undefined {
  if (!n) return undefined;
  let r = resolveExpression(file, n, env.ctx);
  if (r && r.node.type === 'await_expression') r = resolveExpression(r.file, r.node, env.ctx);
  return r && (r.node.type === 'call_expression' || r.node.type === 'call') ? r : undefined;
}

/** Keyword argument or property of the first object argument of a call node. */
function option(made: Resolved, key: string): Resolved | undefined {
  const { positional, named } = callArguments(made.node);
  const kw = named.get(key);
  if (kw) return { file: made.file, node: kw };
  const obj = positional[0]?.type === 'object' || positional[0]?.type === 'dictionary' ? positional[0] : undefined;
  const v = obj && propertyOf(obj, key);
  return v ? { file: made.file, node: v } : undefined;
}

interface Session { system?: Resolved; history?: Resolved; model?: ModelValue }

function session(call: CallInfo, env: FinderEnv): Session | undefined {
  const receiver = call.node.childForFieldName('function')?.childForFieldName('object') ?? call.node.childForFieldName('function')?.childForFieldName('value');
  const chat = madeBy(call.f, receiver, env);
  if (!chat) return undefined;
  const maker = calleeText(chat.node);
  const modelOf = (at: Resolved | undefined) => (at ? evalModel(at.file, at.node, env.ctx) : undefined);
  if (/(^|\.)(startChat|start_chat)$/.test(maker)) {
    const fn = chat.node.childForFieldName('function');
    const gm = madeBy(chat.file, fn?.childForFieldName('object') ?? fn?.childForFieldName('value'), env);
    if (!gm || !/(getGenerativeModel|GenerativeModel)$/.test(calleeText(gm.node))) return undefined;
    return {
      system: option(chat, 'systemInstruction') ?? option(gm, 'systemInstruction') ?? option(gm, 'system_instruction'),
      history: option(chat, 'history'),
      model: modelOf(option(gm, 'model') ?? option(gm, 'model_name')),
    };
  }
  if (/(^|\.)chats\.create$/.test(maker)) {
    return { system: geminiSystem(option(chat, 'config'), env), history: option(chat, 'history'), model: modelOf(option(chat, 'model')) };
  }
  return undefined;
}

export const googleChatFinder: Finder = {
  family: 'google',
  find(call, env) {
    const last = call.segments[call.segments.length - 1];
    if (/(^|\.)interactions\.create$/.test(call.callee) && !call.f.isPython) {
      const b = new PromptBuilder(call, env.ctx);
      b.addText('system', arg(call, 'system_instruction', 'systemInstruction'));
      addGeminiContents(b, arg(call, 'input'), env);
      const m = arg(call, 'model');
      return b.build('google.interaction', m ? evalModel(m.file, m.node, env.ctx) : undefined, undefined);
    }
    if (LIVE_SEND.test(last) && call.segments.length === 2) {
      const receiver = call.node.childForFieldName('function')?.childForFieldName('object') ?? call.node.childForFieldName('function')?.childForFieldName('value');
      const live = madeBy(call.f, receiver, env);
      if (!live || !/(^|\.)live\.connect$/.test(calleeText(live.node))) return undefined;
      const b = new PromptBuilder(call, env.ctx);
      const system = geminiSystem(option(live, 'config'), env);
      if (system) b.addText('system', system);
      // sendClientContent({ turns }) / send_client_content(turns=…); Python's older send(input=…); realtime text
      const input = arg(call, 'turns') ?? (last === 'send' ? arg(call, 'input') : /realtime/i.test(last) ? arg(call, 'text') : undefined);
      if (!input) return undefined;
      addGeminiContents(b, input, env);
      const m = option(live, 'model');
      return b.build('google.live', m ? evalModel(m.file, m.node, env.ctx) : undefined, undefined);
    }
    if (!SEND.test(last) || call.segments.length !== 2) return undefined;
    const s = session(call, env);
    if (!s) return undefined;
    const b = new PromptBuilder(call, env.ctx);
    if (s.system) b.addText('system', s.system);
    if (s.history) b.addMessages(s.history);
    // { message: … } (@google/genai), a string or a list of parts (older SDK), message= (Python)
    let message: Resolved | undefined = arg(call, 'message');
    if (!message && call.positional[0]) {
      const first = resolveExpression(call.f, call.positional[0], env.ctx);
      message = first?.node.type === 'object' ? undefined : { file: call.f, node: call.positional[0] };
    }
    addGeminiContents(b, message, env);
    return b.build('google.chat', s.model, undefined);
  },
};
