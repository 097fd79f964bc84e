// Ollama: chat (messages) and generate (system, prompt, suffix), on the default client (`import ollama`,
// `from ollama import chat`) or a
// constructed one (new Ollama(), ollama.Client()). Models run locally: ids become ollama/<model>.
import { arg, modelArg, outputArg, PromptBuilder, propertyOf } from '../calls';
import type { Finder } from './types';

export const ollamaFinder: Finder = {
  family: 'ollama',
  find(call, env) {
    // `from ollama import chat` (or `… import generate as gen`): the bare function is the default client's
    const bare = call.segments.length === 1 ? call.f.imports.get(call.segments[0]) : undefined;
    const method = bare?.module === 'ollama' ? bare.imported : call.segments[call.segments.length - 1];
    if (bare ? bare.module !== 'ollama' : call.segments.length !== 2 || env.clientKind(call) !== 'ollama') return undefined;
    if (!/^(chat|generate)$/.test(method)) return undefined;
    const b = new PromptBuilder(call, env.ctx);
    if (method === 'chat') b.addMessages(arg(call, 'messages') ?? (call.f.isPython && call.positional[1] ? { file: call.f, node: call.positional[1] } : undefined));
    else {
      b.addText('system', arg(call, 'system'));
      b.addText('user', arg(call, 'prompt') ?? (call.f.isPython && call.positional[1] ? { file: call.f, node: call.positional[1] } : undefined));
      // fill-in-the-middle: the text after the gap is sent too
      b.addText('user', arg(call, 'suffix'));
    }
    const model = modelArg(call, env.ctx) ?? (call.f.isPython && call.positional[0]?.type === 'string' ? { id: call.positional[0].text.slice(1, -1), from: 'literal' } : undefined);
    const options = arg(call, 'options');
    const out = options && (options.node.type === 'object' || options.node.type === 'dictionary') && propertyOf(options.node, 'num_predict') ? outputArg(call, env.ctx, options) : undefined;
    return b.build(`ollama.${method}`, model && { ...model, id: model.id.startsWith('ollama/') ? model.id : `ollama/${model.id}` }, out?.tokens, out?.key);
  },
};
