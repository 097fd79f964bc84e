// Google GenAI: models.generateContent / generate_content (contents, config.systemInstruction /
// system_instruction, maxOutputTokens), and the older SDK's getGenerativeModel / GenerativeModel whose
// model object's generateContent(prompt) sends the prompt.
import { arg, evalModel, outputArg, PromptBuilder, propertyOf, resolveExpression } from '../calls';
import { callArguments, evalNumber } from '../values';
import { addGeminiContents, geminiConfigValue, geminiSystem } from './geminiRequest';
import type { Finder } from './types';

export const googleFinder: Finder = {
  family: 'google',
  find(call, env) {
    const b = new PromptBuilder(call, env.ctx);
    if (/(^|\.)models\.(generateContent|generateContentStream|generate_content|generate_content_stream)$/.test(call.callee)) {
      const cfg = arg(call, 'config', 'generationConfig', 'generation_config');
      b.addText('system', geminiSystem(cfg, env));
      addGeminiContents(b, arg(call, 'contents'), env);
      const outNode = geminiConfigValue(cfg, env, 'maxOutputTokens', 'max_output_tokens');
      const out = outNode ? evalNumber(outNode.file, outNode.node, env.ctx) : outputArg(call, env.ctx)?.tokens;
      const modelNode = arg(call, 'model');
      return b.build('google.generateContent', modelNode ? evalModel(modelNode.file, modelNode.node, env.ctx) : undefined, out, 'maxOutputTokens');
    }
    // model = genAI.getGenerativeModel({ model, systemInstruction }); model.generateContent(prompt)
    if (/\.(generateContent|generateContentStream|generate_content)$/.test(call.callee) && call.segments.length === 2) {
      const receiver = call.node.childForFieldName('function')?.childForFieldName('object') ?? undefined;
      const made = receiver && resolveExpression(call.f, receiver, env.ctx);
      if (!made || (made.node.type !== 'call_expression' && made.node.type !== 'call')) return undefined;
      const maker = made.node.childForFieldName('function')?.text ?? '';
      if (!/(getGenerativeModel|GenerativeModel)$/.test(maker)) return undefined;
      const { positional, named } = callArguments(made.node);
      const opts = positional[0]?.type === 'object' ? positional[0] : undefined;
      const system = named.get('system_instruction') ?? (opts && propertyOf(opts, 'systemInstruction'));
      if (system) b.addText('system', { file: made.file, node: system });
      addGeminiContents(b, call.positional[0] ? { file: call.f, node: call.positional[0] } : arg(call, 'contents'), env);
      const modelNode = named.get('model_name') ?? (opts ? propertyOf(opts, 'model') : positional[0]);
      return b.build('google.generateContent', modelNode ? evalModel(made.file, modelNode, env.ctx) : undefined, undefined);
    }
    return undefined;
  },
};
