// Anthropic: messages.create/stream/parse/countTokens and beta toolRunner (system as text or blocks,
// messages with text or block content), messages.batches.create request lists, and the legacy
// completions.create (prompt) on an Anthropic client.
import { arg, evalModel, modelArg, outputArg, PromptBuilder, propertyOf, resolveExpression } from '../calls';
import { evalNumber } from '../values';
import type { Fix } from '../../../model';
import type { SyntaxNode } from '../parser';
import type { CodeFile } from '../source';
import type { Finder } from './types';

/**
 * system: "..." becomes system: [{ type: 'text', text: "...", cache_control: { type: 'ephemeral' } }]
 * (and the Python dict form), keeping the value's own source text (quotes, escapes, line breaks).
 */
export function cacheControlFix(f: CodeFile, value: SyntaxNode): Fix | undefined {
  if (/^(array|list|object|dictionary)$/.test(value.type)) return undefined;
  const src = value.text;
  const literal = /^[a-zA-Z]*(["'])/.exec(src)?.[1];
  const q = literal ?? (f.isPython ? '"' : "'");
  const newText = f.isPython
    ? `[{${q}type${q}: ${q}text${q}, ${q}text${q}: ${src}, ${q}cache_control${q}: {${q}type${q}: ${q}ephemeral${q}}}]`
    : `[{ type: ${q}text${q}, text: ${src}, cache_control: { type: ${q}ephemeral${q} } }]`;
  return { title: 'Cache the system prompt (add cache_control)', edits: [{ range: f.lines.range(value.startIndex, value.endIndex), newText }] };
}

export const anthropicFinder: Finder = {
  family: 'anthropic',
  find(call, env) {
    const { callee } = call;
    const b = new PromptBuilder(call, env.ctx);
    // Message Batches: each request's params is a messages.create body; the prompt holds every request's text
    if (/(^|\.)messages\.batches\.create$/.test(callee)) {
      const requests = arg(call, 'requests');
      const list = requests && resolveExpression(requests.file, requests.node, env.ctx);
      if (!list || !/^(array|list)$/.test(list.node.type)) return undefined;
      let model;
      let out;
      for (const el of list.node.namedChildren) {
        if (!el || el.type === 'comment') continue;
        const req = resolveExpression(list.file, el, env.ctx);
        const paramsNode = req && propertyOf(req.node, 'params');
        const params = paramsNode && req ? resolveExpression(req.file, paramsNode, env.ctx) : undefined;
        if (!params || (params.node.type !== 'object' && params.node.type !== 'dictionary')) continue;
        const get = (k: string) => {
          const v = propertyOf(params.node, k);
          return v ? { file: params.file, node: v } : undefined;
        };
        b.addText('system', get('system'));
        b.addMessages(get('messages'));
        const m = get('model');
        model ??= m ? evalModel(m.file, m.node, env.ctx) : undefined;
        const limit = get('max_tokens');
        out ??= limit ? evalNumber(limit.file, limit.node, env.ctx) : undefined;
      }
      return b.build('anthropic.batch', model, out, 'max_tokens');
    }
    if (/(^|\.)messages\.(create|stream|parse|countTokens|count_tokens|toolRunner|tool_runner)$/.test(callee) && !/threads\.messages/.test(callee)) {
      const system = arg(call, 'system');
      b.addText('system', system);
      b.addMessages(arg(call, 'messages'));
      const out = outputArg(call, env.ctx);
      const found = b.build('anthropic.messages', modelArg(call, env.ctx), out?.tokens, out?.key);
      if (found && system && system.file === call.f) {
        const fix = cacheControlFix(call.f, system.node);
        if (fix) found.cacheControlFix = fix;
      }
      return found;
    }
    if (/(^|\.)completions\.create$/.test(callee) && env.clientKind(call) === 'anthropic') {
      b.addText('prompt', arg(call, 'prompt'));
      const out = outputArg(call, env.ctx);
      return b.build('anthropic.completions', modelArg(call, env.ctx), out?.tokens, out?.key ?? 'max_tokens_to_sample');
    }
    return undefined;
  },
};
