// OpenAI Agents SDK (JS): the input a run sends — `run(agent, input)`, `runner.run(agent, input)` on a
// `new Runner(…)`, `Runner.run(…)` — as the user turn (text, or a message list), with the model of the
// agent it runs, its tools and output schema. The agent's instructions are the Agent constructor's prompt
// (openai.ts), not repeated.
import { arg, evalModel, PromptBuilder, resolveExpression, type CallInfo } from '../calls';
import type { FinderEnv, Finder } from './types';
import { addAgentInstructions, agentCallOf } from '../agentMerge';
import { agentExtras } from '../extras';

const AGENTS_MODULE = /^@openai\/agents(-core|-realtime)?(\/|$)/;

/** `run` imported from the SDK, or the `run` method of a Runner it makes. */
function isRun(call: CallInfo, env: FinderEnv): boolean {
  const last = call.segments[call.segments.length - 1];
  if (!/^(run|runStreamed)$/.test(last)) return false;
  if (call.segments.length === 1) return AGENTS_MODULE.test(env.importSource(last) ?? '');
  if (call.segments.length !== 2) return false;
  const root = call.segments[0];
  if (root === 'Runner') return AGENTS_MODULE.test(env.importSource(root) ?? '');
  const receiver = call.node.childForFieldName('function')?.childForFieldName('object');
  const made = receiver && resolveExpression(call.f, receiver, env.ctx);
  if (!made || made.node.type !== 'new_expression') return false;
  const ctor = made.node.childForFieldName('constructor')?.text ?? '';
  return ctor === 'Runner' && AGENTS_MODULE.test(made.file.imports.get('Runner')?.module ?? '');
}

export const openaiAgentsFinder: Finder = {
  family: 'openai-agents',
  find(call, env) {
    if (call.f.isPython || !isRun(call, env)) return undefined;
    const [agentNode, inputNode] = call.positional;
    if (!agentNode || !inputNode) return undefined;
    const b = new PromptBuilder(call, env.ctx);
    // the agent, and the model it is made with: new Agent({ model: 'gpt-4.1' })
    const agent = resolveExpression(call.f, agentNode, env.ctx);
    let model;
    let made: CallInfo | undefined;
    if (agent?.node.type === 'new_expression') {
      made = { ...call, f: agent.file, node: agent.node, positional: [], named: new Map(), options: undefined };
      const opts = agent.node.childForFieldName('arguments')?.namedChildren.find((c) => c?.type === 'object');
      if (opts) made.options = { file: agent.file, node: opts };
      const m = arg(made, 'model');
      model = m ? evalModel(m.file, m.node, env.ctx) : undefined;
    }
    // its instructions go with every run: merged from its own prompt in this file (agentMerge.ts), or
    // added here from where they are written in another file
    const elsewhere = !!made && made.f !== call.f && addAgentInstructions(b, made, env.ctx);
    const input = { file: call.f, node: inputNode };
    const r = resolveExpression(call.f, inputNode, env.ctx);
    if (r && r.node.type === 'array') b.addMessages(input);
    else b.addText('user', input);
    const found = b.build('openai.agents.run', model, undefined);
    // the agent's tools and output schema go with every run, wherever the agent is built
    if (found && made && (made.f === call.f || elsewhere)) found.agentCall = agentCallOf(made);
    if (found && made) Object.assign(found, agentExtras(made, call.f.file, env, 'openai.agent'));
    return found;
  },
};
