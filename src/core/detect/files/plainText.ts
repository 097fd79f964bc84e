// Prompt text kept in plain files: Semantic Kernel message templates (.hbs / .jinja with
// {{#message role="system"}} or <message role="system"> blocks, recognised by content), and Markdown or
// text files under a prompt-named path that code loads (`readFileSync('prompts/summary.md')`), whose
// `System:` / `User:` lines split them into messages. Each part starts at the first non-blank text line
// of its section.
import type { DetectedPrompt, PromptPart, Role } from '../../model';
import { LineIndex } from '../../text';
import { skipLeadingTemplateComments, type SlotSyntax } from '../slots';
import { isMap } from 'yaml';
import { get, normaliseRole, parseYamlAt, splitFrontmatter, str, verbatimPart, type FileReadResult, type PromptFileReader, type ReadContext } from './common';
import { continuePreambleEnd } from './continuePrompt';

const TEMPLATE_NAME = /\.(hbs|handlebars|jinja2?|j2|liquid)$/i;
const MESSAGE_OPEN = /\{\{#message\s+role=["'](\w+)["'][^}]*\}\}|<message\s+role=["'](\w+)["'][^>]*>/g;
const MESSAGE_CLOSE = /\{\{\/message\}\}|<\/message>/g;

/** Trimmed [s, e) of text, or undefined when only whitespace. */
function trimmed(text: string, s: number, e: number): [number, number] | undefined {
  s = skipLeadingTemplateComments(text, s, e);
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

const TEXT_NAME = /\.(md|markdown|txt|text|j2|jinja2?|hbs|handlebars|mustache|tmpl|tpl|liquid|njk|prompt)$/i;
// Project documents and metadata: never a prompt, whatever folder they are in or whoever reads them.
const NOT_PROMPTS = /^(readme|changelog|changes|history|license|licence|copying|notice|authors|contributors|contributing|code_of_conduct|security|support|governance|maintainers|codeowners|todo|roadmap|requirements.*|constraints.*|robots|llms(-full)?|cmakelists)(\.[^.]+)?\.[^.]+$/i;
const PROMPT_SEGMENT = /prompt|instruction/i;
// Whole folder names that hold prompts by convention (`prompts/`, `prompt_templates/`, `system-prompts/`).
const PROMPT_FOLDER = /^[\w.-]*(prompt|instruction)[\w.-]*$/i;
// Folders of project documentation, tests' expected output, recorded or mocked responses and vendored
// code: their text files are not prompts.
const NOT_PROMPT_FOLDERS = /(^|\/)(node_modules|docs?|documentation|site|website|\.github|\.vscode|changelogs?|licenses|snapshots?|__snapshots__|expected|golden|fixtures?\/outputs?|mocks?|mock[-_]?responses?|__mocks__|responses|cassettes|recordings|outputs?|results)\//i;

// Extensionless files that are build, packaging or project files by name, never prompts.
const NOT_PROMPTS_BARE = /^(readme|changelog|changes|history|license|licence|copying|notice|authors|contributors|codeowners|version|todo|makefile|gnumakefile|dockerfile|containerfile|procfile|gemfile|rakefile|vagrantfile|jenkinsfile|brewfile|pipfile|justfile|snakefile|caddyfile|owners|patents|manifest|install)$/i;

/**
 * A file with no extension (`preprompts/generate`, `benchmark/todo/prompt`) that code may read as a
 * prompt: not a dotfile, not a build or project file by name, and its path says prompt (a file with no
 * extension has nothing else to go on before code's evidence).
 */
export function isBareTextPromptName(rel: string): boolean {
  const base = rel.slice(rel.lastIndexOf('/') + 1);
  return /^[A-Za-z0-9][\w-]*$/.test(base) && !NOT_PROMPTS_BARE.test(base) && !NOT_PROMPT_FOLDERS.test(rel) && isPromptNamedPath(rel);
}

/** A text file that may hold a prompt code loads: a text extension (or none, on a prompt-named path) and not a project document. */
export function isTextPromptName(rel: string): boolean {
  const base = rel.slice(rel.lastIndexOf('/') + 1);
  if (isBareTextPromptName(rel)) return true;
  return TEXT_NAME.test(base) && !NOT_PROMPTS.test(base) && !/\.(prompt|instructions|chatmode|agent)\.md$/i.test(base) && !NOT_PROMPT_FOLDERS.test(rel);
}

/** The path says prompt: a folder or the file name names prompts or instructions, or the name says system prompt. */
export function isPromptNamedPath(rel: string): boolean {
  const base = rel.slice(rel.lastIndexOf('/') + 1);
  return PROMPT_SEGMENT.test(rel.slice(0, rel.lastIndexOf('/') + 1)) || PROMPT_SEGMENT.test(base) || /(^|[\W_])(system|persona)([\W_]|$)/i.test(base.replace(/\.[^.]+$/, '') + '.');
}

/** The nearest enclosing folder whose name says prompts (`app/prompts/agents/x.md` → `prompts`… the nearest: `prompts`). */
export function promptFolderOf(rel: string): string | undefined {
  const segs = rel.split('/').slice(0, -1);
  for (let i = segs.length - 1; i >= 0; i--) if (PROMPT_FOLDER.test(segs[i])) return segs[i];
  return undefined;
}

/**
 * A text file that may hold a prompt that code loads, by its path alone: a text extension, under a
 * prompt-named folder or with a prompt-named file name (`prompts/summary.md`, `system_prompt.txt`).
 */
export function isPromptTextCandidate(rel: string): boolean {
  return isTextPromptName(rel) && isPromptNamedPath(rel);
}

// `System:` / `User (json only):` / `## Assistant` lines; text may follow the colon on the same line.
const ROLE_MARK = /^[ \t]*(?:#{1,6}[ \t]*)?(system|user|human|assistant|ai|developer)(?:[ \t]+(?:prompt|message))?[ \t]*(?:\([^)\n]*\))?[ \t]*(:|\r?$)[ \t]*/gim;

/** Role sections of a plain text prompt; text without markers is one part of `defaultRole`. */
export function plainTextParts(text: string, defaultRole: Role): PromptPart[] {
  const lines = new LineIndex(text);
  const parts: PromptPart[] = [];
  const push = (role: Role, s: number, e: number) => {
    const span = trimmed(text, s, e);
    if (span) parts.push(verbatimPart(role, text, span[0], span[1], lines, ['mustache', 'single']));
  };
  // A heading marks a role only by a role's full name (`## Assistant`): `### ai` heads a section about AI.
  let marks = [...text.matchAll(ROLE_MARK)].filter((m) => m[2] === ':' || (/^[ \t]*#/.test(m[0]) && !/^ai$/i.test(m[1])));
  // The same role marked again and again, each with its text on the line, and no other role: examples
  // the prompt shows (`User: "by region?"` then the answer), not the messages it is made of.
  const inline = (m: RegExpMatchArray) => /\S/.test(text.slice((m.index ?? 0) + m[0].length, text.indexOf('\n', m.index ?? 0) >>> 0));
  if (marks.length > 1 && new Set(marks.map((m) => normaliseRole(m[1]))).size === 1 && marks.every(inline)) marks = [];
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

/** Continue's preamble (`name: …` lines, then `---`, no opening `---`) as a frontmatter span. */
function continuePreamble(text: string): { yamlStart: number; yamlEnd: number; bodyStart: number } | undefined {
  const end = continuePreambleEnd(text);
  if (end === undefined) return undefined;
  const dash = text.lastIndexOf('---', end);
  return { yamlStart: text.charCodeAt(0) === 0xfeff ? 1 : 0, yamlEnd: dash, bodyStart: end };
}

/** Reads a text file that code loads as a prompt (see textPrompts.ts); `role` is what the loading code makes of it. */
export function readPromptText(text: string, ctx: ReadContext, role?: Role): FileReadResult {
  const base = ctx.file.slice(ctx.file.lastIndexOf('/') + 1);
  if (looksLikeMessageTemplate(base, text)) return messageTemplateReader.read(text, ctx);
  // Markdown prompts often carry YAML frontmatter (name, model …) that loaders strip: the body is the text.
  // Blanked in place (newlines kept) so that ranges stay those of the file.
  let body = text;
  let model: string | undefined;
  const fm = splitFrontmatter(text) ?? continuePreamble(text);
  if (fm) {
    const parsed = parseYamlAt(text, fm.yamlStart, fm.yamlEnd, ctx);
    if (parsed.ok && isMap(parsed.yaml.root)) {
      body = text.slice(0, fm.bodyStart).replace(/[^\n]/g, ' ') + text.slice(fm.bodyStart);
      const m = str(get(parsed.yaml.root, 'model'));
      if (m && /^[\w./:-]+$/.test(m)) model = m;
    }
  }
  const parts = plainTextParts(body, role ?? (/system/i.test(base) ? 'system' : 'user'));
  return {
    prompts: parts.length ? [{
      ...promptOf('prompt-text', text, parts, ['a text file that code in this workspace loads as a prompt (see how: its name or folder in the code)']),
      confidence: 'shape' as const,
      ...(model ? { model: { id: model, from: 'file' }, notes: ['a text file that code in this workspace loads as a prompt; the model is its frontmatter\'s'] } : {}),
    }] : [],
    diagnostics: [],
  };
}
