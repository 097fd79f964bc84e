// Prompt text kept in plain files: Semantic Kernel message templates (.hbs / .jinja with
// {{#message role="system"}} or <message role="system"> blocks, recognised by content), and Markdown or
// text files under a prompt-named path that code loads (`readFileSync('prompts/summary.md')`), whose
// `System:` / `User:` lines split them into messages. Each part starts at the first non-blank text line
// of its section.
import type { DetectedPrompt, PromptPart, Role } from '../../model';
import { LineIndex } from '../../text';
import type { SlotSyntax } from '../slots';
import { normaliseRole, verbatimPart, type FileReadResult, type PromptFileReader, type ReadContext } from './common';

const TEMPLATE_NAME = /\.(hbs|handlebars|jinja2?|j2|liquid)$/i;
const MESSAGE_OPEN = /\{\{#message\s+role=["'](\w+)["'][^}]*\}\}|<message\s+role=["'](\w+)["'][^>]*>/g;
const MESSAGE_CLOSE = /\{\{\/message\}\}|<\/message>/g;

/** Trimmed [s, e) of text, or undefined when only whitespace. */
function trimmed(text: string, s: number, e: number): [number, number] | undefined {
  while (s < e && /\s/.test(text[s])) s++;
  while (e > s && /\s/.test(text[e - 1])) e--;
  return e > s ? [s, e] : undefined;
}

export function looksLikeMessageTemplate(name: string, text: string): boolean {
  return TEMPLATE_NAME.test(name) && text.search(MESSAGE_OPEN) >= 0;
}

function readMessageTemplate(text: string): PromptPart[] {
  const lines = new LineIndex(text);
  const syntaxes: SlotSyntax[] = /\{\{\s*\$/.test(text) ? ['sk'] : ['mustache'];
  const parts: PromptPart[] = [];
  for (const m of text.matchAll(MESSAGE_OPEN)) {
    const start = (m.index ?? 0) + m[0].length;
    MESSAGE_CLOSE.lastIndex = start;
    const close = MESSAGE_CLOSE.exec(text);
    const span = trimmed(text, start, close ? close.index : text.length);
    if (span) parts.push(verbatimPart(normaliseRole(m[1] ?? m[2]), text, span[0], span[1], lines, syntaxes));
  }
  return parts;
}

export const messageTemplateReader: PromptFileReader = {
  format: 'sk-template',
  matches: looksLikeMessageTemplate,
  read(text) {
    const parts = readMessageTemplate(text);
    return { prompts: parts.length ? [promptOf('sk-template', text, parts)] : [], diagnostics: [] };
  },
};

function promptOf(kind: string, text: string, parts: PromptPart[], notes: string[] = []): DetectedPrompt {
  const lines = new LineIndex(text);
  return {
    kind, source: 'prompt-file', confidence: 'call', range: lines.range(0, text.length), parts,
    notes: ['no model in the file: the default model is used', ...notes],
  };
}

// ---------------------------------------------------------------- plain prompt text loaded by code

const TEXT_NAME = /\.(md|markdown|txt|text|j2|jinja2?|hbs|handlebars|mustache|tmpl|tpl)$/i;
const NOT_PROMPTS = /^(readme|changelog|license|licence|contributing|code_of_conduct|security|requirements.*)\.[^.]+$/i;

/**
 * A text file that may hold a prompt that code loads: a text extension, under a prompt-named folder or
 * with a prompt-named file name (`prompts/summary.md`, `system_prompt.txt`, `instructions.md`).
 */
export function isPromptTextCandidate(rel: string): boolean {
  const base = rel.slice(rel.lastIndexOf('/') + 1);
  if (!TEXT_NAME.test(base) || NOT_PROMPTS.test(base) || /\.prompt\.md$/.test(base)) return false;
  return /(^|\/)[^/]*(prompt|instruction)[^/]*\//i.test(rel) || /prompt|instruction/i.test(base);
}

// `System:` / `User (json only):` / `## Assistant` lines; text may follow the colon on the same line.
const ROLE_MARK = /^[ \t]*(?:#{1,6}[ \t]*)?(system|user|human|assistant|ai|developer)(?:[ \t]+(?:prompt|message))?[ \t]*(?:\([^)\n]*\))?[ \t]*(:|$)[ \t]*/gim;

/** Role sections of a plain text prompt; text without markers is one part of `defaultRole`. */
export function plainTextParts(text: string, defaultRole: Role): PromptPart[] {
  const lines = new LineIndex(text);
  const parts: PromptPart[] = [];
  const push = (role: Role, s: number, e: number) => {
    const span = trimmed(text, s, e);
    if (span) parts.push(verbatimPart(role, text, span[0], span[1], lines, ['mustache', 'single']));
  };
  const marks = [...text.matchAll(ROLE_MARK)].filter((m) => m[2] === ':' || /^[ \t]*#/.test(m[0]));
  const sections: { role: Role; start: number; end: number; inline: boolean }[] = [];
  sections.push({ role: defaultRole, start: 0, end: marks.length ? (marks[0].index ?? 0) : text.length, inline: false });
  marks.forEach((m, i) => {
    const start = (m.index ?? 0) + m[0].length;
    const end = i + 1 < marks.length ? (marks[i + 1].index ?? 0) : text.length;
    sections.push({ role: normaliseRole(m[1]), start, end, inline: start < text.length && !/[\r\n]/.test(text[start]) });
  });
  for (const sec of sections) {
    // `System: one paragraph`, a blank line, then unmarked text: the paragraph is the system message and
    // what follows is the user's (how the loaders of such files read them).
    if (sec.inline && sec.role !== 'user') {
      const blank = /\r?\n[ \t]*\r?\n/g;
      blank.lastIndex = sec.start;
      const b = blank.exec(text);
      if (b && b.index < sec.end && trimmed(text, b.index, sec.end)) {
        push(sec.role, sec.start, b.index);
        push('user', b.index, sec.end);
        continue;
      }
    }
    push(sec.role, sec.start, sec.end);
  }
  return parts;
}

/** Reads a text file that code loads as a prompt (see isPromptTextCandidate). */
export function readPromptText(text: string, ctx: ReadContext): FileReadResult {
  const base = ctx.file.slice(ctx.file.lastIndexOf('/') + 1);
  if (looksLikeMessageTemplate(base, text)) return messageTemplateReader.read(text, ctx);
  const parts = plainTextParts(text, /system/i.test(base) ? 'system' : 'user');
  return {
    prompts: parts.length ? [{ ...promptOf('prompt-text', text, parts, ['a text file that code in this workspace loads (its name appears in the code)']), confidence: 'shape' as const }] : [],
    diagnostics: [],
  };
}
