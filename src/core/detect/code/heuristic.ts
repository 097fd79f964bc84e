// The fallback: a long string assigned to a prompt-like name (SYSTEM_PROMPT, instructions,
// summary_template, system_message) that no call site used. Reported with confidence "heuristic".
// Strings that read as SQL, HTML, CSS, logs or errors are not prompts, whatever they are called.
import type { DetectedPrompt } from '../../model';
import { definitionsOf, promptLikeNames, type CodeFile } from './source';
import { findSlots } from '../slots';
import { ceilingNote, evalText, finishText, resetShared, type EvalContext } from './values';

const PROMPT_NAME = /(prompt|instructions?|system_?message|_template$|template$|^template_|persona|preamble)/i;
const NOT_PROMPT_NAME = /(url|path|file|dir|id|key|token|regex|pattern|css|html|sql|query|color|colour|style|class|selector|env|header|label|placeholder|title|button|tooltip)s?$/i;
export const MIN_HEURISTIC_CHARS = 60;

/** Text that is code or markup rather than natural-language instructions. */
export function looksLikeNonPrompt(text: string): string | undefined {
  const t = text.trim();
  if (/^(select|insert\s+into|update\s+\w+\s+set|delete\s+from|create\s+(table|index|view)|with\s+\w+\s+as\s*\()\b/i.test(t)) return 'SQL';
  if (/^<(!doctype|html|div|span|p|table|svg|style|script|head|body|section|ul|a)\b/i.test(t)) return 'HTML';
  // selectors then a declaration block; bounded classes only (no nested quantifiers on prose)
  if (/^[.#@]?[\w-][\w\s.#>+~,:()-]{0,200}\{[^{}]*:[^{}]*;/.test(t)) return 'CSS';
  if (/^\s*(error|warning|failed|exception|traceback)\b[:\s]/i.test(t)) return 'error message';
  const words = t.split(/\s+/).filter((w) => /[a-zA-Z]{2,}/.test(w)).length;
  if (words < 8) return 'too few words';
  return undefined;
}

export function heuristicPrompts(f: CodeFile, ctx: EvalContext, taken: (start: number, end: number) => boolean): DetectedPrompt[] {
  const found: DetectedPrompt[] = [];
  for (const name of promptLikeNames(f)) {
    const defs = definitionsOf(f, name);
    const bare = name.replace(/^(this|self)\./, '');
    if (!PROMPT_NAME.test(bare) || NOT_PROMPT_NAME.test(bare)) continue;
    for (const d of defs) {
      const node = d.value;
      if (!/string|concatenated_string|binary_expression|binary_operator|call_expression|call|parenthesized_expression/.test(node.type)) continue;
      if (taken(node.startIndex, node.endIndex)) continue;
      resetShared(ctx);
      const value = evalText(f, node, ctx);
      if (value.origin.file !== f.file) continue; // an imported constant is reported where it is written
      // derived from a prompt found already (x = PROMPT.replace(…)): not a second prompt
      if (taken(value.origin.start, value.origin.end)) continue;
      const { text, slots, omitted } = finishText(ctx, value);
      if (text.trim().length < MIN_HEURISTIC_CHARS || looksLikeNonPrompt(text)) continue;
      // the part starts at the literal holding the text (inside dedent(…), parentheses, a join)
      const range = value.origin.start >= node.startIndex && value.origin.end <= node.endIndex ? f.lines.range(value.origin.start, value.origin.end) : f.lines.range(node.startIndex, node.endIndex);
      const role = /user|human|question|query|template/i.test(bare) ? 'user' : 'system';
      const template = /template/i.test(bare) || /\{[A-Za-z_]\w*\}/.test(text) ? (['single', 'mustache'] as const) : undefined;
      found.push({
        kind: 'heuristic', source: 'code', confidence: 'heuristic', range,
        parts: [{
          role, range, text, syntaxes: template ? [...template] : [], ...(omitted ? { omittedChars: omitted } : {}),
          slots: [
            ...slots.map((s) => ({ name: s.name, ...(s.file === f.file ? { range: f.lines.range(s.start, s.end) } : {}) })),
            ...(template ? findSlots(text, template).map((s) => ({ name: s.name })) : []),
          ],
        }],
        notes: [`"${bare}" looks like a prompt but no LLM call using it was found in this file`, ...(omitted ? [ceilingNote(omitted, ctx.ceiling)] : [])],
      });
    }
  }
  return found;
}
