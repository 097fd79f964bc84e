// Vercel AI SDK: generateText, streamText, generateObject, streamObject (system, prompt, messages) and
// the Agent / ToolLoopAgent classes (system or instructions). The model is usually a provider call:
// openai('gpt-4o'), anthropic('claude-…').
import { arg, modelArg, outputArg, PromptBuilder, resolveExpression } from '../calls';
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
      b.addText('system', arg(call, 'system'));
      const prompt = arg(call, 'prompt');
      const r = prompt && resolveExpression(prompt.file, prompt.node, env.ctx);
      if (prompt && r && r.node.type === 'array') b.addMessages(prompt);
      else b.addText('user', prompt);
      b.addMessages(arg(call, 'messages'));
      const out = outputArg(call, env.ctx);
      return b.build(`ai-sdk.${last}`, modelArg(call, env.ctx), out?.tokens, out?.key);
    }
    if (call.isNew && /^(Agent|ToolLoopAgent|Experimental_Agent)$/.test(last) && (last !== 'Agent' || env.importSource(root) === 'ai')) {
      b.addText('system', arg(call, 'instructions', 'system'));
      const out = outputArg(call, env.ctx);
      return b.build('ai-sdk.agent', modelArg(call, env.ctx), out?.tokens, out?.key);
    }
    return undefined;
  },
};
