// The parts of a Gemini request that every Gemini call form shares, read once for TS and Python:
// `contents` / `turns` / a chat message (text, a list of parts, one `{role, parts}` turn or a list of
// them, `types.Content(…)`), and the config (`{systemInstruction, maxOutputTokens}`, a Python dict, or
// `types.GenerateContentConfig(…)` / `types.LiveConnectConfig(…)` keyword arguments).
import { PromptBuilder, propertyOf, resolveExpression } from '../calls';
import type { SyntaxNode } from '../parser';
import type { CodeFile } from '../source';
import { callArguments, type Resolved } from '../values';
import type { FinderEnv } from './types';

const isMap = (n: SyntaxNode) => n.type === 'object' || n.type === 'dictionary';

/** Contents as the user's input: text or parts (one turn), or `{role, parts}` turns (a conversation). */
export function addGeminiContents(b: PromptBuilder, at: { file: CodeFile; node: SyntaxNode } | undefined, env: FinderEnv): void {
  if (!at) return;
  const r = resolveExpression(at.file, at.node, env.ctx);
  if (r && /^(array|list)$/.test(r.node.type)) {
    const first = r.node.namedChildren.find((c) => c && c.type !== 'comment');
    const el = first && (resolveExpression(r.file, first, env.ctx) ?? { file: r.file, node: first });
    // a list of strings (or parts) is one user turn; a list of {role, parts} is a conversation
    if (el && isMap(el.node) && propertyOf(el.node, 'role')) b.addMessages(at);
    else b.addBlocks('user', at);
  } else if (r && isMap(r.node) && propertyOf(r.node, 'role') && (propertyOf(r.node, 'parts') || propertyOf(r.node, 'content'))) {
    // one turn: {"role": "user", "parts": [...]}
    b.addMessageNodes(r.file, [r.node]);
  } else b.addText('user', at);
}

/** A config value by any of `keys`: a property of a config object / dict, or a keyword of a config class call. */
export function geminiConfigValue(config: Resolved | undefined, env: FinderEnv, ...keys: string[]): Resolved | undefined {
  if (!config) return undefined;
  const cfg = resolveExpression(config.file, config.node, env.ctx) ?? config;
  const named = cfg.node.type === 'call' ? callArguments(cfg.node).named : undefined;
  for (const k of keys) {
    const v = named ? named.get(k) : isMap(cfg.node) ? propertyOf(cfg.node, k) : undefined;
    if (v) return { file: cfg.file, node: v };
  }
  return undefined;
}

/** The system instruction of a config, as TS (`systemInstruction`) or Python (`system_instruction`) writes it. */
export function geminiSystem(config: Resolved | undefined, env: FinderEnv): Resolved | undefined {
  return geminiConfigValue(config, env, 'systemInstruction', 'system_instruction');
}
