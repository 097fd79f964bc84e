// Vercel AI SDK: generateText, streamText, generateObject, streamObject (system or instructions, prompt,
// messages), the Agent / ToolLoopAgent classes (system or instructions) and their generate / stream calls. The model is usually a provider call:
// openai('gpt-4o'), anthropic('claude-…').
import { arg, modelArg, outputArg, PromptBuilder, resolveExpression, type CallInfo } from '../calls';
import type { Finder } from './types';

const FUNCTIONS = /^(generateText|streamText|generateObject|streamObject)$/;

export const vercelFinder: Finder = {
  family: 'ai-sdk',
  find(call, env) {
    const last = call.segments[call.segments.length - 1];
    const root = call.segments[0];
    const b = new PromptBuilder(call, env.ctx);
    if (FUNCTIONS.test(last) && !call.f.isPython && (call.segments.length === 1 || env.importSource(root) === 'ai')) {
      if (!call.options) return undefined;
      b.addText('system', arg(call, 'system', 'instructions'));
      const prompt = arg(call, 'prompt');
      const r = prompt && resolveExpression(prompt.file, prompt.node, env.ctx);
      if (prompt && r && r.node.type === 'array') b.addMessages(prompt);
      else b.addText('user', prompt);
      b.addMessages(arg(call, 'messages'));
      const out = outputArg(call, env.ctx);
      return b.build(`ai-sdk.${last}`, modelArg(call, env.ctx), out?.tokens, out?.key);
    }
    // agent.generate({ prompt | messages }) / agent.stream(…) on an agent made here: the agent's model
    if (/^(generate|stream)$/.test(last) && call.segments.length === 2 && !call.f.isPython && call.options) {
      const receiver = call.node.childForFieldName('function')?.childForFieldName('object');
      const made = receiver && resolveExpression(call.f, receiver, env.ctx);
      if (!made || made.node.type !== 'new_expression') return undefined;
      const ctor = made.node.childForFieldName('constructor')?.text ?? '';
      if (!/^(Agent|ToolLoopAgent|Experimental_Agent)$/.test(ctor) || made.file.imports.get(ctor)?.module !== 'ai') return undefined;
      const prompt = arg(call, 'prompt');
      const r = prompt && resolveExpression(prompt.file, prompt.node, env.ctx);
      if (prompt && r && r.node.type === 'array') b.addMessages(prompt);
      else b.addText('user', prompt);
      b.addMessages(arg(call, 'messages'));
      const opts = made.node.childForFieldName('arguments')?.namedChildren.find((c) => c?.type === 'object');
      const agent: CallInfo = { ...call, f: made.file, node: made.node, positional: [], named: new Map(), options: opts ? { file: made.file, node: opts } : undefined };
      const out = outputArg(call, env.ctx) ?? outputArg(agent, env.ctx);
      return b.build(`ai-sdk.agent.${last}`, modelArg(agent, env.ctx), out?.tokens, out?.key);
    }
    if (call.isNew && /^(Agent|ToolLoopAgent|Experimental_Agent)$/.test(last) && (last !== 'Agent' || env.importSource(root) === 'ai')) {
      b.addText('system', arg(call, 'instructions', 'system'));
      const out = outputArg(call, env.ctx);
      return b.build('ai-sdk.agent', modelArg(call, env.ctx), out?.tokens, out?.key);
    }
    return undefined;
  },
};
