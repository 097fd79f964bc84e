// Cursor rules: `.cursor/rules/**/*.mdc` (frontmatter `description`, `globs`, `alwaysApply`, then the
// rule's Markdown) and the older one-file `.cursorrules`. Cursor adds a rule's text to its requests as
// context — every request (`alwaysApply: true`), those about files matching `globs`, or when the agent
// picks it by its `description` — as Copilot adds instructions files (promptMd.ts), so it is read the
// same way: the body is system text, priced at API rates with the note that Cursor bills otherwise.
// Cursor writes the frontmatter loosely (`globs: *.ts` is no valid YAML: `*` starts an alias), so it is
// read as `key: value` lines rather than parsed as YAML (common.ts looseFrontmatter); only a frontmatter left open is an error.
import type { DetectedPrompt } from '../../model';
import { LineIndex } from '../../text';
import { CURSOR_PRICING_NOTE } from '../../copilot';
import { fileError, looseFrontmatter, verbatimPart, type PromptFileReader } from './common';

export function isCursorRuleFile(name: string): boolean {
  return /(^|\/)\.cursor\/rules\/(?:[^/]+\/)*[^/]+\.mdc$/.test(name) || /(^|\/)\.cursorrules$/.test(name);
}

/** When Cursor sends the rule, from its frontmatter. */
function whenSent(fields: Map<string, string>): string {
  if (/^true$/i.test(fields.get('alwaysApply') ?? '')) return 'Cursor adds this rule to every request (alwaysApply)';
  if (fields.get('globs')) return `Cursor adds this rule to requests about files matching ${fields.get('globs')}`;
  if (fields.get('description')) return 'Cursor adds this rule when the agent picks it by its description';
  return 'Cursor adds this rule when it is mentioned (@rule)';
}

export const cursorRulesReader: PromptFileReader = {
  format: 'cursor-rule',
  matches: isCursorRuleFile,
  read(text, ctx) {
    const lines = new LineIndex(text);
    let fields = new Map<string, string>();
    let s = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    const fm = ctx.file.endsWith('.mdc') ? looseFrontmatter(text) : undefined;
    if (fm && 'open' in fm) return { prompts: [], diagnostics: [fileError(ctx, lines.range(fm.at, fm.at + 3), 'the frontmatter opened here is never closed with ---')] };
    if (fm) {
      fields = fm.fields;
      s = fm.bodyStart;
    }
    let e = text.length;
    while (s < e && /\s/.test(text[s])) s++;
    while (e > s && /\s/.test(text[e - 1])) e--;
    if (e <= s) return { prompts: [], diagnostics: [] };
    const prompt: DetectedPrompt = {
      kind: 'cursor-rule', source: 'prompt-file', confidence: 'call', range: lines.range(0, text.length),
      parts: [verbatimPart('system', text, s, e, lines, [])],
      notes: [
        `${ctx.file.endsWith('.mdc') ? whenSent(fields) : 'Cursor adds .cursorrules to every request'}; Cursor picks the model, so the default model is used; only this file's text is counted`,
        CURSOR_PRICING_NOTE,
      ],
    };
    return { prompts: [prompt], diagnostics: [] };
  },
};
