// Anthropic: messages.create/stream/parse/countTokens (system as text or blocks, messages with text or
// block content), and the legacy completions.create (prompt) on an Anthropic client.
import { arg, modelArg, outputArg, PromptBuilder } from '../calls';
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
    if (/(^|\.)messages\.(create|stream|parse|countTokens|count_tokens)$/.test(callee) && !/threads\.messages/.test(callee)) {
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
