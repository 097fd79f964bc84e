// Continue's prompt files (`.continue/prompts/*.prompt`, https://docs.continue.dev — "prompt files"): a
// preamble of `key: value` lines (`name`, `description`, `version`), a line of `---`, then the body that is
// sent when the user runs the prompt as a slash command; `<system>…</system>` in the body is the system
// message, the rest the user's, Handlebars `{{{ input }}}` / `{{ currentFile }}` filled by Continue.
// Unlike dotprompt's frontmatter, the preamble has no opening `---`.
import type { DetectedPrompt, PromptPart } from '../../model';
import { LineIndex } from '../../text';
import { stripTemplateControl } from '../slots';
import { verbatimPart, type PromptFileReader } from './common';

/** `key: value` lines from the first line on, closed by a `---` line. */
const PREAMBLE = /^(?:\uFEFF)?(?:[A-Za-z_][\w-]*[ \t]*:[^\r\n]*\r?\n)+---[ \t]*(?:\r?\n|$)/;
const SYSTEM_BLOCK = /<system>([\s\S]*?)<\/system>/;

/** Where the body of a Continue-style prompt file starts (after its preamble), or undefined. */
export function continuePreambleEnd(text: string): number | undefined {
  const m = PREAMBLE.exec(text);
  return m ? m[0].length : undefined;
}

export const continuePromptReader: PromptFileReader = {
  format: 'continue-prompt',
  matches: (name, text) => name.endsWith('.prompt') && continuePreambleEnd(text) !== undefined,
  read(text, ctx) {
    void ctx;
    const lines = new LineIndex(text);
    const bodyStart = continuePreambleEnd(text) ?? 0;
    const parts: PromptPart[] = [];
    const push = (role: 'system' | 'user', s: number, e: number) => {
      while (s < e && /\s/.test(text[s])) s++;
      while (e > s && /\s/.test(text[e - 1])) e--;
      if (e > s && /\S/.test(stripTemplateControl(text.slice(s, e)))) parts.push(verbatimPart(role, text, s, e, lines, ['mustache']));
    };
    const body = text.slice(bodyStart);
    const sys = SYSTEM_BLOCK.exec(body);
    if (sys) {
      const at = bodyStart + (sys.index ?? 0);
      push('system', at + '<system>'.length, at + '<system>'.length + sys[1].length);
      push('user', bodyStart, at);
      push('user', at + sys[0].length, text.length);
    } else push('user', bodyStart, text.length);
    const name = /^name[ \t]*:[ \t]*(.+?)[ \t]*$/m.exec(text.slice(0, bodyStart))?.[1];
    const prompt: DetectedPrompt = {
      kind: 'continue-prompt', source: 'prompt-file', confidence: 'call', range: lines.range(0, text.length), parts,
      ...(name ? { label: name } : {}),
      notes: ['a Continue prompt file: its body is sent when the prompt is run as a slash command, with Continue\'s own system prompt and context (not counted); the model is the one chosen in Continue: the default model is used'],
    };
    return { prompts: parts.length ? [prompt] : [], diagnostics: [] };
  },
};
