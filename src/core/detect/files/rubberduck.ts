// Rubberduck conversation templates (`*.rdt.md`, the rubberduck-vscode extension's template format):
// Markdown whose fenced blocks carry the template. A ```json conversation-template block configures
// it (`initialMessage.maxTokens`, `response.maxTokens`); a ```template-initial-message block is the
// prompt of the conversation's first request and a ```template-response block the prompt of every
// later turn, each sent as one instruction (a user message) with Handlebars `{{variables}}` filled in.
// The model is the user's `rubberduck.model` setting, not in the file.
import type { DetectedPrompt } from '../../model';
import { LineIndex } from '../../text';
import { stripTemplateControl } from '../slots';
import { fileError, verbatimPart, type PromptFileReader } from './common';

const BLOCK_KINDS: Record<string, { name: string; config: string }> = {
  'template-initial-message': { name: 'initial message', config: 'initialMessage' },
  'template-response': { name: 'response', config: 'response' },
};

interface Fence { info: string; start: number; end: number; line: number }

/** Fenced blocks opened by ``` + an info string and closed by a line of ``` alone (escaped \`\`\` inside stays text). */
function fences(text: string): { blocks: Fence[]; unclosed?: number } {
  const blocks: Fence[] = [];
  const open = /^```[ \t]*([^\r\n`]*?)[ \t]*\r?$/gm;
  let m: RegExpExecArray | null;
  while ((m = open.exec(text))) {
    const bodyStart = m.index + m[0].length + (text[m.index + m[0].length] === '\n' ? 1 : 0);
    const close = /^```[ \t]*\r?$/gm;
    close.lastIndex = bodyStart;
    const c = close.exec(text);
    if (!c) return { blocks, unclosed: m.index };
    blocks.push({ info: m[1], start: bodyStart, end: c.index, line: 0 });
    open.lastIndex = c.index + c[0].length;
  }
  return { blocks };
}

export const rubberduckReader: PromptFileReader = {
  format: 'rubberduck',
  matches: (name) => name.endsWith('.rdt.md'),
  read(text, ctx) {
    const lines = new LineIndex(text);
    const { blocks, unclosed } = fences(text);
    const diagnostics = unclosed !== undefined ? [fileError(ctx, lines.range(unclosed, unclosed + 3), 'the ``` block opened here is never closed')] : [];
    const configBlock = blocks.find((b) => /^json\s+conversation-template$/.test(b.info));
    let config: Record<string, unknown> | undefined;
    if (configBlock) {
      try {
        const parsed: unknown = JSON.parse(text.slice(configBlock.start, configBlock.end));
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) config = parsed as Record<string, unknown>;
      } catch (e) {
        diagnostics.push(fileError(ctx, lines.range(configBlock.start, configBlock.end), `the conversation-template configuration is not valid JSON: ${(e as Error).message}`));
      }
    }
    const id = typeof config?.id === 'string' ? config.id : undefined;
    const prompts: DetectedPrompt[] = [];
    for (const block of blocks) {
      const kind = Object.hasOwn(BLOCK_KINDS, block.info) ? BLOCK_KINDS[block.info] : undefined;
      if (!kind) continue;
      let s = block.start;
      let e = block.end;
      while (s < e && /\s/.test(text[s])) s++;
      while (e > s && /\s/.test(text[e - 1])) e--;
      if (e <= s || !/\S/.test(stripTemplateControl(text.slice(s, e)))) continue;
      const section = config?.[kind.config];
      const max = section && typeof section === 'object' ? (section as Record<string, unknown>).maxTokens : undefined;
      const limit = typeof max === 'number' && Number.isFinite(max) && max > 0 ? max : undefined;
      prompts.push({
        kind: 'rubberduck-template', source: 'prompt-file', confidence: 'call', range: lines.range(block.start, block.end),
        parts: [verbatimPart('user', text, s, e, lines, ['mustache'])],
        provider: 'openai',
        outputTokens: limit ? { tokens: limit, from: `file:${kind.config}.maxTokens` } : undefined,
        label: id ? `${id} (${kind.name})` : kind.name,
        notes: [
          `a Rubberduck conversation template's ${kind.name} prompt: sent as one instruction with its {{variables}} filled in`,
          'the model is the rubberduck.model setting, not in the file: the default OpenAI model is used',
        ],
      });
    }
    return { prompts, diagnostics };
  },
};
