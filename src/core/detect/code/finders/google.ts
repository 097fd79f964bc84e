// Google GenAI: models.generateContent / generate_content (contents, config.systemInstruction /
// system_instruction, maxOutputTokens), and the older SDK's getGenerativeModel / GenerativeModel whose
// model object's generateContent(prompt) sends the prompt.
import { arg, evalModel, outputArg, PromptBuilder, propertyOf, resolveExpression, type CallInfo } from '../calls';
import type { SyntaxNode } from '../parser';
import type { CodeFile } from '../source';
import { callArguments, evalNumber } from '../values';
import type { Finder, FinderEnv } from './types';

function addContents(b: PromptBuilder, at: { file: CodeFile; node: SyntaxNode } | undefined, env: FinderEnv) {
  if (!at) return;
  const r = resolveExpression(at.file, at.node, env.ctx);
  if (r && /^(array|list)$/.test(r.node.type)) {
    const first = r.node.namedChildren.find((c) => c && c.type !== 'comment');
    const firstResolved = first && (resolveExpression(r.file, first, env.ctx) ?? { file: r.file, node: first });
    // a list of strings (or parts) is one user turn; a list of {role, parts} is a conversation
    if (firstResolved && (firstResolved.node.type === 'object' || firstResolved.node.type === 'dictionary') && propertyOf(firstResolved.node, 'role')) b.addMessages(at);
    else b.addBlocks('user', at);
  } else b.addText('user', at);
}

/** The config object: `config: {…}` or Python `config=types.GenerateContentConfig(…)` / a dict. */
function configOf(call: CallInfo, env: FinderEnv, key = 'config'): { file: CodeFile; node: SyntaxNode; named?: Map<string, SyntaxNode> } | undefined {
  const c = arg(call, key, 'generationConfig', 'generation_config');
  if (!c) return undefined;
  const r = resolveExpression(c.file, c.node, env.ctx) ?? c;
  if (r.node.type === 'call') return { ...r, named: callArguments(r.node).named };
  return r;
}

function fromConfig(cfg: ReturnType<typeof configOf>, ...keys: string[]): { file: CodeFile; node: SyntaxNode } | undefined {
  if (!cfg) return undefined;
  for (const k of keys) {
    const v = cfg.named?.get(k) ?? ((cfg.node.type === 'object' || cfg.node.type === 'dictionary') ? propertyOf(cfg.node, k) : undefined);
    if (v) return { file: cfg.file, node: v };
  }
  return undefined;
}

export const googleFinder: Finder = {
  family: 'google',
  find(call, env) {
    const b = new PromptBuilder(call, env.ctx);
    if (/(^|\.)models\.(generateContent|generateContentStream|generate_content|generate_content_stream)$/.test(call.callee)) {
      const cfg = configOf(call, env);
      b.addText('system', fromConfig(cfg, 'systemInstruction', 'system_instruction'));
      addContents(b, arg(call, 'contents'), env);
      const outNode = fromConfig(cfg, 'maxOutputTokens', 'max_output_tokens');
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
      addContents(b, call.positional[0] ? { file: call.f, node: call.positional[0] } : arg(call, 'contents'), env);
      const modelNode = named.get('model_name') ?? (opts ? propertyOf(opts, 'model') : positional[0]);
      return b.build('google.generateContent', modelNode ? evalModel(made.file, modelNode, env.ctx) : undefined, undefined);
    }
    return undefined;
  },
};
