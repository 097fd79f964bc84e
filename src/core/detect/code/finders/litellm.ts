// LiteLLM: completion / acompletion (litellm.completion or imported from litellm), OpenAI-style messages.
import { arg, modelArg, outputArg, PromptBuilder } from '../calls';
import type { Finder } from './types';

export const litellmFinder: Finder = {
  family: 'litellm',
  find(call, env) {
    // `from litellm import completion` (or `… as llm_call`): the bare function, by the name it was imported as
    const bound = call.segments.length === 1 ? call.f.imports.get(call.segments[0]) : undefined;
    const name = bound && /^litellm/.test(bound.module) ? bound.imported : call.segments[call.segments.length - 1];
    if (!/^(completion|acompletion|text_completion)$/.test(name)) return undefined;
    const qualified = call.segments.length === 2 && call.segments[0] === 'litellm';
    const imported = call.segments.length === 1 && /^litellm/.test(env.importSource(call.segments[0]) ?? '');
    if (!qualified && !imported) return undefined;
    const b = new PromptBuilder(call, env.ctx);
    b.addMessages(arg(call, 'messages'));
    if (!arg(call, 'messages')) b.addText('prompt', arg(call, 'prompt'));
    const out = outputArg(call, env.ctx);
    return b.build('litellm.completion', modelArg(call, env.ctx), out?.tokens, out?.key);
  },
};
