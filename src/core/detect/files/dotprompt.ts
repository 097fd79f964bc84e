// dotprompt (.prompt, Firebase Genkit): YAML frontmatter, then a Handlebars body in which
// {{role "system"}} switches the role of what follows (default: user). Other `.prompt` formats exist, so
// a file counts as dotprompt only when it opens with frontmatter (after an optional comment header), or,
// without one (partials such as `_style.prompt`, prompts configured in code), when its body switches
// roles with the {{role "…"}} helper, which no other format uses.
import type { DetectedPrompt, PromptPart } from '../../model';
import { LineIndex } from '../../text';
import { stripTemplateControl } from '../slots';
import { fileError, firstNum, get, getPath, nodeRange, OUTPUT_LIMIT_KEYS, parseYamlAt, splitFrontmatter, str, verbatimPart, normaliseRole, type PromptFileReader } from './common';
import { setOwn } from '../../own';

/** Blank lines, Handlebars comments and `#` lines before the frontmatter. */
const LEADING_HEADER = /(?:\s*(?:\{\{!--[\s\S]*?--\}\}|\{\{![^}]*\}\}|#[^\n]*))*\s*/y;
const ROLE_HELPER = /\{\{\s*role\s+["'](\w+)["']\s*\}\}/g;

export function isDotprompt(text: string): boolean {
  return splitFrontmatter(text, LEADING_HEADER) !== undefined || hasRoleHelper(text);
}

function hasRoleHelper(text: string): boolean {
  return text.search(ROLE_HELPER) >= 0;
}

/** Opens a frontmatter block (`---` on the first line after the header) whether or not it is closed. */
function opensFrontmatter(text: string): boolean {
  LEADING_HEADER.lastIndex = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const m = LEADING_HEADER.exec(text);
  return /^---[ \t]*\r?\n/.test(text.slice((m?.index ?? 0) + (m?.[0].length ?? 0)));
}

export const dotpromptReader: PromptFileReader = {
  format: 'dotprompt',
  // An unclosed frontmatter is a broken dotprompt file, said so (not a file of another tool).
  matches: (name, text) => name.endsWith('.prompt') && (isDotprompt(text) || opensFrontmatter(text)),
  read(text, ctx) {
    const lines = new LineIndex(text);
    const fm = splitFrontmatter(text, LEADING_HEADER) ?? (hasRoleHelper(text) ? { yamlStart: 0, yamlEnd: 0, bodyStart: 0 } : undefined);
    if (!fm) return { prompts: [], diagnostics: [fileError(ctx, lines.range(0, 0), opensFrontmatter(text) ? 'the --- frontmatter block is never closed: end it with a line of ---' : 'a dotprompt file needs a --- YAML frontmatter block')] };
    const parsed = parseYamlAt(text, fm.yamlStart, fm.yamlEnd, ctx, lines);
    if (!parsed.ok) return { prompts: [], diagnostics: parsed.diagnostics };
    const y = parsed.yaml;

    // Genkit writes models as plugin/model: googleai/gemini-2.0-flash, vertexai/…, openai/gpt-4o.
    const modelId = str(get(y.root, 'model'));
    const limit = firstNum(get(y.root, 'config'), OUTPUT_LIMIT_KEYS);
    const defaults = getPath(y.root, 'input', 'default');
    const samples: Record<string, { text: string; from: string }> = {};
    if (defaults) for (const [k, v] of Object.entries((defaults.toJSON() ?? {}) as Record<string, unknown>)) setOwn(samples, k, { text: String(v), from: 'input.default' });

    const parts: PromptPart[] = [];
    const push = (role: string, s: number, e: number) => {
      while (s < e && /\s/.test(text[s])) s++;
      while (e > s && /\s/.test(text[e - 1])) e--;
      // a section holding only a {{! comment }} or control markup sends nothing: no part
      if (e > s && /\S/.test(stripTemplateControl(text.slice(s, e)))) parts.push(verbatimPart(normaliseRole(role), text, s, e, lines, ['mustache']));
    };
    const body = text.slice(fm.bodyStart);
    let role = 'user';
    let at = fm.bodyStart;
    for (const m of body.matchAll(ROLE_HELPER)) {
      push(role, at, fm.bodyStart + (m.index ?? 0));
      role = m[1];
      at = fm.bodyStart + (m.index ?? 0) + m[0].length;
    }
    push(role, at, text.length);

    const prompt: DetectedPrompt = {
      kind: 'dotprompt', source: 'prompt-file', confidence: 'call', range: lines.range(0, text.length), parts,
      model: modelId ? { id: modelId, from: 'file', range: nodeRange(y, get(y.root, 'model')) } : undefined,
      outputTokens: limit ? { tokens: limit.value, from: `file:config.${limit.key}` } : undefined,
      slotSamples: samples,
      notes: modelId ? [] : ['no model in the frontmatter: the default model is used'],
    };
    return { prompts: parts.length ? [prompt] : [], diagnostics: [] };
  },
};
