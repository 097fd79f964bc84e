// OpenAI: chat.completions.create/parse/stream (messages), responses.create/stream (instructions, input),
// assistants (instructions), the Agents SDK's Agent (instructions), legacy completions (prompt).
import { arg, modelArg, outputArg, PromptBuilder, resolveExpression } from '../calls';
import type { Finder } from './types';

export const openaiFinder: Finder = {
  family: 'openai',
  find(call, env) {
    const found = findOpenAI(call, env);
    // a provider's own OpenAI-shaped SDK (Groq, Together, Cerebras): its models at that provider's prices
    const provider = found && found.kind !== 'openai.agent' ? env.clientProvider?.(call) : undefined;
    if (!found || !provider) return found;
    found.provider = provider;
    if (found.model && !found.model.id.startsWith(`${provider}/`)) found.model = { ...found.model, id: `${provider}/${found.model.id}` };
    return found;
  },
};

function findOpenAI(...[call, env]: Parameters<Finder['find']>): ReturnType<Finder['find']> {
  const { callee, f } = call;
  const b = new PromptBuilder(call, env.ctx);
  if (/(^|\.)chat\.completions\.(create|parse|stream)$/.test(callee) || /(^|\.)ChatCompletion\.a?create$/.test(callee)) {
    b.addMessages(arg(call, 'messages'));
    const out = outputArg(call, env.ctx);
    return b.build('openai.chat', modelArg(call, env.ctx), out?.tokens, out?.key);
  }
  if (/(^|\.)responses\.(create|stream|parse)$/.test(callee)) {
    b.addText('system', arg(call, 'instructions'));
    const input = arg(call, 'input');
    const r = input && resolveExpression(input.file, input.node, env.ctx);
    if (input && r && /^(array|list)$/.test(r.node.type)) b.addMessages(input);
    else b.addText('user', input);
    const out = outputArg(call, env.ctx);
    return b.build('openai.responses', modelArg(call, env.ctx), out?.tokens, out?.key);
  }
  // a run on a thread: its instructions replace the assistant's, additional_instructions are appended
  if (/(^|\.)threads\.runs\.(create|createAndPoll|createAndStream|stream|create_and_poll|create_and_stream)$/.test(callee)) {
    b.addText('system', arg(call, 'instructions'));
    b.addText('system', arg(call, 'additional_instructions'));
    return b.build('openai.run', modelArg(call, env.ctx), undefined);
  }
  if (/(^|\.)assistants\.(create|update)$/.test(callee)) {
    b.addText('system', arg(call, 'instructions'));
    return b.build('openai.assistant', modelArg(call, env.ctx), undefined);
  }
  if (/(^|\.)(Completion\.a?create|completions\.create)$/.test(callee) && !/chat\.completions/.test(callee) && env.clientKind(call) !== 'anthropic') {
    const prompt = arg(call, 'prompt');
    if (!prompt) return undefined;
    b.addText('prompt', prompt);
    const out = outputArg(call, env.ctx);
    return b.build('openai.completions', modelArg(call, env.ctx), out?.tokens, out?.key);
  }
  if (/^(Agent|RealtimeAgent)$/.test(call.segments[call.segments.length - 1]) && (call.isNew || f.isPython)) {
    const source = env.importSource(call.segments[0]);
    const isOpenAI = source ? /^(@openai\/agents(-[\w]+)?|agents)(\/|\.|$)/.test(source) : !!arg(call, 'instructions');
    if (!isOpenAI) return undefined;
    b.addText('system', arg(call, 'instructions'));
    return b.build('openai.agent', modelArg(call, env.ctx), undefined);
  }
  return undefined;
}
