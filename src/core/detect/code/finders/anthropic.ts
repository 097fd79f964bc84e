// Anthropic: messages.create/stream/parse/countTokens (system as text or blocks, messages with text or
// block content), and the legacy completions.create (prompt) on an Anthropic client.
import { arg, modelArg, outputArg, PromptBuilder } from '../calls';
import type { Finder } from './types';

export const anthropicFinder: Finder = {
  family: 'anthropic',
  find(call, env) {
    const { callee } = call;
    const b = new PromptBuilder(call, env.ctx);
    if (/(^|\.)messages\.(create|stream|parse|countTokens|count_tokens)$/.test(callee) && !/threads\.messages/.test(callee)) {
      b.addText('system', arg(call, 'system'));
      b.addMessages(arg(call, 'messages'));
      const out = outputArg(call, env.ctx);
      return b.build('anthropic.messages', modelArg(call, env.ctx), out?.tokens, out?.key);
    }
    if (/(^|\.)completions\.create$/.test(callee) && env.clientKind(call) === 'anthropic') {
      b.addText('prompt', arg(call, 'prompt'));
      const out = outputArg(call, env.ctx);
      return b.build('anthropic.completions', modelArg(call, env.ctx), out?.tokens, out?.key ?? 'max_tokens_to_sample');
    }
    return undefined;
  },
};
