// Run inputs of agent frameworks: the text a program hands to an agent it built, which the framework
// sends as the user's turn. Recognised only where the receiver is known to be an agent, never from a
// bare `.run(…)`:
//   - a runner of the OpenAI Agents SDK: `Runner.run(agent, "…")`, `run_sync`, `run_streamed`
//     (input: a string or a list of messages);
//   - a method of an object the file builds from an agent-like class (`Agent(…)`, `Agent[Deps, Out](…)`,
//     `AssistantAgent(…)`, `RoundRobinGroupChat(…)`, `ClaudeSDKClient(…)`): `agent.run("…")`,
//     `run_sync`, `run_stream`, `team.run(task="…")`, `client.query("…")`; pydantic-ai's `agent.iter("…")`;
//     agno's `agent.print_response("…")`;
//   - a function imported from the Claude Agent SDK: `query(prompt="…")`;
//   - pydantic-ai's `ModelRetry("…")`, whose message is sent back to the model.
// The agent's own instructions are found where the agent is built (the SDK finders, the shape layer); its
// tools and output schema go with each run, as the framework sends them with every input.
import type { DetectedPrompt } from '../../model';
import { callInfo, callsNamed, PromptBuilder, promptModel, type CallInfo } from './calls';
import type { FinderEnv } from './finders/types';
import type { SyntaxNode } from './parser';
import { finish, lastName, modelOf, type Claimed } from './shapes';
import type { CodeFile } from './source';
import { callArguments, propertyOf, resolveExpression, returnedExpressions } from './values';
import { addAgentInstructions, agentCallOf, isPydanticAgent } from './agentMerge';
import { agentExtras } from './extras';
import { agentOutputLimit } from './finders/pydanticAi';

// agno: `agent.print_response("…")` / `aprint_response` run the agent and print its answer
const RUN_METHODS = 'run|run_sync|run_stream|run_streamed|arun|run_stream_events|query|iter|print_response|aprint_response';
const RUN_CALL = new RegExp(`\\.(${RUN_METHODS})\\s*\\(|\\bquery\\s*\\(`);
/** Classes whose instances run as agents (AgentKit's `createAgent` / `createNetwork` too); their run methods take the user's input. */
const AGENT_CLASS = /(Agent|Team|GroupChat|Swarm|ClaudeSDKClient|Network)$/;
/** Where the input is, by keyword, when it is not the first argument. */
const INPUT_KEYS = ['input', 'user_prompt', 'task', 'prompt', 'message'];
const AGENT_SDK_MODULE = /^(agents|claude_agent_sdk|claude_code_sdk)(\.|$)/;

/** The call that built the value `node` names (`agent = Agent(…)`), if it is one. */
function constructed(f: CodeFile, node: SyntaxNode | null | undefined, env: FinderEnv): CallInfo | undefined {
  if (!node) return undefined;
  const r = resolveExpression(f, node, env.ctx);
  if (!r || r.node === node || (r.node.type !== 'call' && r.node.type !== 'call_expression' && r.node.type !== 'new_expression')) return undefined;
  return callInfo(r.file, r.node, env.ctx);
}

interface Run { call: CallInfo; input?: { file: CodeFile; node: SyntaxNode }; agent?: CallInfo; what: string; /** The SDK's provider when the run or its agent is of a provider's own agent SDK. */ provider?: string }

/** The provider of a provider's own agent SDK (OpenAI Agents SDK `agents`, Claude Agent SDK), by module. */
function sdkProvider(module: string | undefined): string | undefined {
  if (!module) return undefined;
  if (/^agents(\.|$)/.test(module)) return 'openai';
  if (/^(claude_agent_sdk|claude_code_sdk)(\.|$)/.test(module)) return 'anthropic';
  return undefined;
}

function runOf(f: CodeFile, node: SyntaxNode, env: FinderEnv): Run | undefined {
  const call = callInfo(f, node, env.ctx);
  if (!call) return undefined;
  const method = call.segments[call.segments.length - 1];
  const at = (n: SyntaxNode | undefined) => (n ? { file: f, node: n } : undefined);
  const keyed = () => INPUT_KEYS.map((k) => call.named.get(k)).find((n) => n);
  // query(prompt="…") imported from the Claude Agent SDK
  if (call.segments.length === 1 && method === 'query') {
    if (!AGENT_SDK_MODULE.test(env.importSource(method) ?? '')) return undefined;
    return { call, input: at(call.named.get('prompt') ?? call.positional[0]), what: '`query(prompt=…)`', provider: sdkProvider(env.importSource(method)) };
  }
  if (call.segments.length < 2) return undefined;
  // Runner.run(agent, input)
  if (call.segments.length === 2 && call.segments[0] === 'Runner' && /^run(_sync|_streamed)?$/.test(method)) {
    const source = env.importSource('Runner');
    if (source && !AGENT_SDK_MODULE.test(source)) return undefined;
    if (!source && !/\bAgent\s*[[(]/.test(f.text)) return undefined;
    const agentNode = call.named.get('starting_agent') ?? call.positional[0];
    const agent = constructed(f, agentNode, env);
    return { call, input: at(call.named.get('input') ?? call.positional[1]), agent, what: `\`Runner.${method}(…)\``, provider: sdkProvider(source) ?? (agent ? sdkProvider(agent.f.imports.get(agent.segments[0])?.module) : undefined) };
  }
  // agent.run_sync("…") where agent = Agent(…)
  const receiver = call.node.childForFieldName('function')?.childForFieldName('object');
  const agent = constructed(f, receiver, env);
  if (!agent || !AGENT_CLASS.test(lastName(agent.callee))) return undefined;
  if (method === 'query' && !/ClaudeSDKClient$/.test(lastName(agent.callee))) return undefined;
  if (method === 'iter' && !isPydanticAgent(agent)) return undefined;
  return { call, input: at(keyed() ?? call.positional[0]), agent, what: `\`${lastName(agent.callee)}(…).${method}(…)\``, provider: sdkProvider(agent.f.imports.get(agent.segments[0])?.module) };
}

/** `raise ModelRetry("…")` (pydantic-ai): the text goes back to the model as the next user turn. */
function retryPrompts(f: CodeFile, env: FinderEnv, claimed: Claimed): DetectedPrompt[] {
  if (!f.isPython || !f.text.includes('ModelRetry')) return [];
  const out: DetectedPrompt[] = [];
  for (const node of callsNamed(f, 'ModelRetry')) {
    const call = callInfo(f, node, env.ctx);
    const root = call?.segments[0] ?? '';
    if (!call || !/^pydantic_ai(\.|$)/.test(env.importSource(root) ?? '') || claimed(f.file, node.startIndex, node.endIndex)) continue;
    const text = call.named.get('message') ?? call.positional[0];
    if (!text) continue;
    const b = new PromptBuilder(call, env.ctx);
    b.addText('user', { file: f, node: text });
    const found = finish(b, call, 'agent.retry', 'the message of `ModelRetry(…)`, sent back to the model', env, () => false);
    if (found) out.push(found);
  }
  return out;
}

const MASTRA_METHODS = 'generate|stream|generateVNext|streamVNext|generateLegacy|streamLegacy';
const MASTRA_MODULE = /^@mastra\/core(\/agent)?$/;

/** Whether `node` is a Mastra agent: `mastra.getAgent('…')` (or a name bound to it), or `new Agent(…)` of `@mastra/core`. */
function mastraAgent(f: CodeFile, node: SyntaxNode | null | undefined, env: FinderEnv): boolean {
  if (!node) return false;
  let made = resolveExpression(f, node, env.ctx) ?? { file: f, node };
  if (made.node.type === 'await_expression') made = { file: made.file, node: made.node.namedChildren[0] ?? made.node };
  if (made.node.type === 'new_expression') {
    const ctor = made.node.childForFieldName('constructor')?.text ?? '';
    return ctor === 'Agent' && MASTRA_MODULE.test(made.file.imports.get('Agent')?.module ?? '');
  }
  if (made.node.type !== 'call_expression') return false;
  const callee = made.node.childForFieldName('function');
  return callee?.type === 'member_expression' && /^getAgent(ById)?$/.test(callee.childForFieldName('property')?.text ?? '')
    && /mastra/i.test(made.file.text);
}

/**
 * The `new Agent({…})` a Mastra agent expression names: the agent itself (imported or not), or the one
 * `mastra.getAgent('key')` gets from the `new Mastra({ agents: { key } })` it is registered in.
 */
function mastraAgentCall(f: CodeFile, node: SyntaxNode | null | undefined, env: FinderEnv, depth = 0): CallInfo | undefined {
  if (!node || depth > 3) return undefined;
  let made = resolveExpression(f, node, env.ctx) ?? { file: f, node };
  if (made.node.type === 'await_expression') made = { file: made.file, node: made.node.namedChildren[0] ?? made.node };
  if (made.node.type === 'new_expression') {
    const ctor = made.node.childForFieldName('constructor')?.text ?? '';
    return ctor === 'Agent' && MASTRA_MODULE.test(made.file.imports.get('Agent')?.module ?? '') ? callInfo(made.file, made.node, env.ctx) : undefined;
  }
  if (made.node.type !== 'call_expression') return undefined;
  const callee = made.node.childForFieldName('function');
  if (callee?.type !== 'member_expression' || !/^getAgent(ById)?$/.test(callee.childForFieldName('property')?.text ?? '')) return undefined;
  const key = made.node.childForFieldName('arguments')?.namedChildren.find((c) => c?.type === 'string');
  const registry = resolveExpression(made.file, callee.childForFieldName('object')!, env.ctx);
  if (!key || registry?.node.type !== 'new_expression' || registry.node.childForFieldName('constructor')?.text !== 'Mastra') return undefined;
  const options = registry.node.childForFieldName('arguments')?.namedChildren.find((c) => c?.type === 'object');
  const agents = options && propertyOf(options, 'agents');
  const agentsObj = agents && resolveExpression(registry.file, agents, env.ctx);
  const entry = agentsObj?.node.type === 'object' ? propertyOf(agentsObj.node, key.text.slice(1, -1)) : undefined;
  return entry ? mastraAgentCall(agentsObj!.file, entry, env, depth + 1) : undefined;
}

/**
 * Mastra: `mastra.getAgent('writer').generate('…')`, `agent.stream([…])` on an agent of `@mastra/core`: the
 * input (a text, texts, or messages) is the user's turn; the agent's instructions are found where it is built.
 */
function mastraRunPrompts(f: CodeFile, env: FinderEnv, claimed: Claimed): DetectedPrompt[] {
  if (f.isPython || !/mastra/i.test(f.text)) return [];
  const out: DetectedPrompt[] = [];
  for (const node of callsNamed(f, MASTRA_METHODS)) {
    if (claimed(f.file, node.startIndex, node.endIndex)) continue;
    const call = callInfo(f, node, env.ctx);
    const callee = node.childForFieldName('function');
    if (!call || callee?.type !== 'member_expression' || !mastraAgent(f, callee.childForFieldName('object'), env)) continue;
    const input = call.positional[0];
    if (!input) continue;
    const b = new PromptBuilder(call, env.ctx);
    const r = resolveExpression(f, input, env.ctx);
    if (r && r.node.type === 'array') {
      // texts are user turns; message objects carry their role
      b.addMessageNodes(r.file, r.node.namedChildren.filter((c): c is SyntaxNode => !!c && c.type !== 'comment'), (file, el) => {
        const v = resolveExpression(file, el, env.ctx) ?? { file, node: el };
        if (v.node.type === 'object') return false;
        b.addText('user', { file, node: el });
        return true;
      });
    } else b.addText('user', { file: f, node: input });
    const method = lastName(callee.text);
    // the agent's instructions and model go with the run; built in this file, the agent's own row joins it (agentMerge)
    const agent = mastraAgentCall(f, callee.childForFieldName('object'), env);
    const elsewhere = !!agent && agent.f.file !== f.file && addAgentInstructions(b, agent, env.ctx);
    const agentCall = agent && (agent.f.file === f.file || elsewhere) ? agentCallOf(agent) : undefined;
    const found = finish(b, call, 'agent.run', `the input of a Mastra agent's \`${method}(…)\``, env, () => false, !!agentCall);
    if (!found) continue;
    const model = agent && modelOf(agent, env);
    out.push({ ...found, ...(model ? { model: promptModel(model, f.file) } : {}), ...(agentCall ? { agentCall } : {}) });
  }
  return out;
}

/**
 * Whether `node` is a workflow of Microsoft Agent Framework: `WorkflowBuilder(…).add_edge(…).build()`, or a
 * name bound to one, or the call of a function of the project that returns one.
 */
function builtWorkflow(f: CodeFile, node: SyntaxNode | null | undefined, env: FinderEnv, depth = 0): boolean {
  if (!node || depth > 4) return false;
  const r = resolveExpression(f, node, env.ctx) ?? { file: f, node };
  let n: SyntaxNode | null = r.node;
  while (n && (n.type === 'parenthesized_expression' || n.type === 'await')) n = n.namedChildren[0] ?? null;
  if (n?.type !== 'call') return false;
  const fn = n.childForFieldName('function');
  if (fn?.type === 'identifier') {
    const target = resolveExpression(r.file, fn, env.ctx);
    return !!target && target.node.type === 'function_definition' && returnedExpressions(target.node).some((e) => builtWorkflow(target.file, e, env, depth + 1));
  }
  if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'build') return false;
  // down the chain of builder calls to the builder itself
  let cur: SyntaxNode | null = fn.childForFieldName('object');
  for (let i = 0; i < 64 && cur; i++) {
    while (cur && cur.type === 'parenthesized_expression') cur = cur.namedChildren[0] ?? null;
    if (cur?.type !== 'call') return false;
    const callee = cur.childForFieldName('function');
    if (callee?.type === 'identifier') return /^WorkflowBuilder$/.test(callee.text);
    if (callee?.type !== 'attribute') return false;
    cur = callee.childForFieldName('object');
  }
  return false;
}

/**
 * Microsoft Agent Framework: `workflow.run(ChatInput(question="…"))` / `run_stream` on a built workflow: the
 * texts the input carries (a string, or the string fields of the message object it is made of) are what its
 * executors put in their prompts, the user's text where it is written.
 */
function workflowRunPrompts(f: CodeFile, env: FinderEnv, claimed: Claimed): DetectedPrompt[] {
  if (!f.isPython || !f.text.includes('WorkflowBuilder')) return [];
  const out: DetectedPrompt[] = [];
  for (const node of callsNamed(f, 'run|run_stream')) {
    if (claimed(f.file, node.startIndex, node.endIndex)) continue;
    const call = callInfo(f, node, env.ctx);
    const callee = node.childForFieldName('function');
    const input = call?.positional[0] ?? call?.named.get('message');
    if (!call || !input || callee?.type !== 'attribute' || !builtWorkflow(f, callee.childForFieldName('object'), env)) continue;
    const b = new PromptBuilder(call, env.ctx);
    const r = resolveExpression(f, input, env.ctx) ?? { file: f, node: input };
    if (r.node.type === 'call') {
      for (const v of callArguments(r.node).named.values()) if (/string/.test(v.type)) b.addText('user', { file: r.file, node: v });
    } else b.addText('user', { file: f, node: input });
    const found = finish(b, call, 'agent.run', 'the input of a workflow\'s `run(…)` (`WorkflowBuilder(…).build()`), which its executors put in their prompts', env, () => false);
    if (found) out.push(found);
  }
  return out;
}

/** Agent run inputs in `f`, leaving out what `claimed` says is found already. */
export function agentRunPrompts(f: CodeFile, env: FinderEnv, claimed: Claimed): DetectedPrompt[] {
  const out: DetectedPrompt[] = [...retryPrompts(f, env, claimed), ...mastraRunPrompts(f, env, claimed), ...workflowRunPrompts(f, env, claimed)];
  if (!RUN_CALL.test(f.text)) return out;
  // the tools and schema of each agent, read once however many runs it has
  const extras = new Map<string, ReturnType<typeof agentExtras>>();
  const extrasOf = (agent: CallInfo) => {
    const key = `${agent.f.file}:${agent.node.startIndex}`;
    let e = extras.get(key);
    if (!e) extras.set(key, (e = agentExtras(agent, f.file, env)));
    return e;
  };
  for (const node of callsNamed(f, RUN_METHODS)) {
    if (claimed(f.file, node.startIndex, node.endIndex)) continue;
    const run = runOf(f, node, env);
    if (!run?.input) continue;
    const b = new PromptBuilder(run.call, env.ctx);
    // an agent built in another file: its instructions go with the run, from where they are written
    const elsewhere = !!run.agent && run.agent.f.file !== f.file && addAgentInstructions(b, run.agent, env.ctx);
    const r = resolveExpression(run.input.file, run.input.node, env.ctx);
    // pydantic-ai: a list is the user message's content (texts, and files or images not counted)
    if (r && /^(list|array)$/.test(r.node.type) && run.agent && isPydanticAgent(run.agent)) b.addBlocks('user', run.input);
    else if (r && (/^(list|array)$/.test(r.node.type) || (/^binary_(operator|expression)$/.test(r.node.type) && r.node.childForFieldName('operator')?.text === '+' && /[[\]]/.test(r.node.text)))) b.addMessages(run.input);
    else b.addText('user', run.input);
    // the run sends the agent's instructions too (agentMerge.ts), so a run-time input alone is a prompt
    const agentCall = run.agent && (run.agent.f.file === f.file || elsewhere) ? agentCallOf(run.agent) : undefined;
    const found = finish(b, run.call, 'agent.run', `the input of ${run.what}`, env, () => false, !!agentCall);
    if (!found) continue;
    const model = run.agent && modelOf(run.agent, env);
    // the agent's output limit goes with each run (an agent built in another file too)
    const limit = run.agent && !found.outputTokens && isPydanticAgent(run.agent) ? agentOutputLimit(run.agent, env.ctx) : undefined;
    // a run of a provider's own agent SDK is that provider's (its default model, never another's)
    out.push({ ...found, ...(run.provider && !found.provider ? { provider: run.provider } : {}), ...(model ? { model: promptModel(model, f.file) } : {}), ...(limit ? { outputTokens: { tokens: limit.tokens, from: `code:model_settings.${limit.key}` } } : {}), ...(agentCall ? { agentCall } : {}), ...(run.agent ? extrasOf(run.agent) : {}) });
  }
  return out;
}
