// Template slots: the places a prompt is filled in at run time. Each template language marks them its
// own way; a reader says which syntaxes its format uses.

export type SlotSyntax =
  | 'mustache' // {{name}}, {{ name }}, {{name.field}} — Handlebars, Jinja, Nunjucks, Mustache, GitHub Models
  | 'sk' // {{$name}} — Semantic Kernel
  | 'single' // {name} — Python str.format, LangChain f-string templates
  | 'vscode' // ${input:name}, ${selection}, ${file} — VS Code prompt files
  | 'arguments' // $ARGUMENTS, $1 — Claude Code slash commands
  | 'gemini'; // {{args}}, !{shell command}, @{file} — Gemini CLI custom commands

export interface FoundSlot { name: string; start: number; end: number }

const HELPERS_WITHOUT_VALUE = new Set(['else', 'role', 'history', 'section', 'media', 'json', 'this']);

const PATTERNS: Record<SlotSyntax, RegExp> = {
  // {{ expr }} but not block helpers ({{#if}}, {{/if}}), comments ({{! }}), partials ({{> x}}) or {% %}.
  mustache: /\{\{-?\s*([A-Za-z_][\w.]*(?:\s*\|\s*[\w]+(?:\([^)]*\))?)*)\s*-?\}\}/g,
  sk: /\{\{\s*\$([A-Za-z_]\w*)\s*\}\}/g,
  // {name} that is not part of {{…}} and holds only an identifier (JSON examples and code stay static).
  single: /(?<![{$])\{([A-Za-z_]\w*)(?:![rsa])?(?::[^{}]*)?\}(?!\})/g,
  arguments: /\$(ARGUMENTS|[1-9])(?![\w])/g,
  // the shell command's output and the file's content are put in at run time: the whole insert names the slot
  gemini: /\{\{\s*(args)\s*\}\}|([!@]\{[^{}\n]*\})/g,
  vscode: /\$\{(?:input:([A-Za-z_]\w*)(?::[^}]*)?|(selection|selectedText|file|fileBasename|fileDirname|fileBasenameNoExtension|workspaceFolder|workspaceFolderBasename))\}/g,
};

export function findSlots(text: string, syntaxes: readonly SlotSyntax[]): FoundSlot[] {
  const found: FoundSlot[] = [];
  for (const syntax of syntaxes) {
    const re = PATTERNS[syntax];
    re.lastIndex = 0;
    for (const m of text.matchAll(re)) {
      let name = syntax === 'gemini' ? (m[1] ?? m[2] ?? '').slice(0, 60) : (m[1] ?? m[2] ?? '').split('|')[0].trim();
      if (syntax === 'mustache') {
        const head = name.split(/\s+/)[0];
        if (HELPERS_WITHOUT_VALUE.has(head)) continue;
        name = head;
      }
      if (!name) continue;
      found.push({ name, start: m.index ?? 0, end: (m.index ?? 0) + m[0].length });
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

/** The text with slot markup removed: what is sent for certain, before any slot is filled. */
export function staticText(text: string, slots: readonly FoundSlot[]): string {
  if (slots.length === 0) return text;
  let out = '';
  let at = 0;
  for (const s of slots) {
    if (s.start < at) continue;
    out += text.slice(at, s.start);
    at = s.end;
  }
  return out + text.slice(at);
}

/**
 * Where a template's text starts: past blanks and the Jinja / Handlebars comments that open it
 * (`{# … #}`, `{{! … }}`, `{{!-- … --}}`), which render as nothing. `end` bounds the search.
 */
export function skipLeadingTemplateComments(text: string, start: number, end: number): number {
  let at = start;
  for (;;) {
    while (at < end && /\s/.test(text[at])) at++;
    const close = text.startsWith('{#', at) ? '#}' : text.startsWith('{{!--', at) ? '--}}' : text.startsWith('{{!', at) ? '}}' : undefined;
    if (!close) return at;
    const to = text.indexOf(close, at + 2);
    if (to < 0 || to + close.length > end) return at;
    at = to + close.length;
  }
}

/**
 * Handlebars/Jinja control markup that is not sent: {{#if}}, {{/each}}, {{! comment }}, {% if %}, {# #},
 * and the dotprompt helpers that place messages or media rather than text ({{role "user"}}, {{history}},
 * {{section "x"}}, {{media url=…}}).
 */
export function stripTemplateControl(text: string): string {
  return text
    .replace(/\{\{!--[\s\S]*?--\}\}|\{\{![\s\S]*?\}\}/g, '')
    .replace(/\{\{[#/^>~][^}]*\}\}|\{\{else\}\}/g, '')
    .replace(/\{\{-?\s*(?:role|history|section|media)\b[^}]*\}\}/g, '')
    .replace(/\{%-?[\s\S]*?-?%\}|\{#[\s\S]*?#\}/g, '');
}
