// Shared pieces of the prompt-file readers: YAML with ranges, frontmatter, parts with slots.
import { isMap, isScalar, isSeq, type Document, type Node, type YAMLMap } from 'yaml';
import type { DetectedPrompt, Diagnostic, PromptPart, Range, Role } from '../../model';
import { LineIndex } from '../../text';
import { findSlots, type SlotSyntax } from '../slots';
import { own, setOwn } from '../../own';
import { parseYaml, resolveAliases, unclosedQuoteAt, yamlErrorText } from '../../yamlErrors';

export interface ReadContext {
  /** Path relative to the workspace root, forward slashes. */
  file: string;
  /** Reads a file relative to this one (promptfoo's file:// prompts); undefined when it cannot. */
  readRelative?: (relativePath: string) => string | undefined;
  /** The text a function of a code file (root-relative) returns, as parts; undefined when it cannot tell. */
  functionText?: (file: string, name: string) => PromptPart[] | undefined;
}

export interface FileReadResult { prompts: DetectedPrompt[]; diagnostics: Diagnostic[] }

export interface PromptFileReader {
  format: string;
  /** Cheap test on the name (and, where names are shared, the text). */
  matches(fileName: string, text: string): boolean;
  read(text: string, ctx: ReadContext): FileReadResult;
  /** Reads a file found by its place alone (a flow's folder): a file code loads as a prompt is read as that code loads it instead. */
  byPlace?: boolean;
}

export interface ParsedYaml {
  doc: Document.Parsed;
  root: Node | null;
  lines: LineIndex;
  /** Offset of the YAML text within the file (frontmatter). */
  base: number;
}

/** An API description (OpenAPI, Swagger), whatever its name: its examples document requests, they are not prompts sent. */
export function isApiDescription(text: string): boolean {
  return /^[^\S\r\n\u2028\u2029]*["']?(openapi|swagger)["']?\s*:\s*["']?\d/m.test(text.slice(0, 2000));
}

/** Parses YAML; on syntax errors returns the `prompt-file-error` diagnostics instead. */
export function parseYamlAt(fileText: string, start: number, end: number, ctx: ReadContext, lines = new LineIndex(fileText)):
  { ok: true; yaml: ParsedYaml } | { ok: false; diagnostics: Diagnostic[] } {
  const doc = parseYaml(fileText.slice(start, end), { prettyErrors: false, uniqueKeys: false });
  if (doc.errors.length === 0) resolveAliases(doc);
  if (doc.errors.length > 0) {
    return {
      ok: false,
      diagnostics: doc.errors.slice(0, 5).map((e) => {
        const at = unclosedQuoteAt(fileText.slice(start, end), e) ?? e.pos;
        const range = lines.range(start + at[0], start + at[1]);
        return {
          code: 'prompt-file-error', severity: 'error' as const, file: ctx.file, range,
          message: `${ctx.file}:${range.start.line + 1}: malformed YAML: ${yamlErrorText(e.message)}`,
        };
      }),
    };
  }
  return { ok: true, yaml: { doc, root: doc.contents as Node | null, lines, base: start } };
}

export function fileError(ctx: ReadContext, range: Range, message: string): Diagnostic {
  return { code: 'prompt-file-error', severity: 'error', file: ctx.file, range, message: `${ctx.file}:${range.start.line + 1}: ${message}` };
}

export function get(node: unknown, key: string): Node | undefined {
  return isMap(node) ? ((node as YAMLMap).get(key, true) as Node | undefined) : undefined;
}

export function getPath(node: unknown, ...keys: string[]): Node | undefined {
  let n: unknown = node;
  for (const k of keys) n = get(n, k);
  return n as Node | undefined;
}

export function str(node: Node | undefined): string | undefined {
  return isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number') ? String(node.value) : undefined;
}

export function num(node: Node | undefined): number | undefined {
  return isScalar(node) && typeof node.value === 'number' && Number.isFinite(node.value) ? node.value : undefined;
}

/** First of several keys that holds a number (max_tokens vs maxTokens …). */
export function firstNum(map: Node | undefined, keys: readonly string[]): { value: number; key: string } | undefined {
  for (const k of keys) {
    const v = num(get(map, k));
    if (v !== undefined) return { value: v, key: k };
  }
  return undefined;
}

export { normaliseRole, OUTPUT_LIMIT_KEYS } from '../shared';

export function nodeRange(y: ParsedYaml, node: Node | undefined): Range {
  const [s, , e] = node?.range ?? [0, 0, 0];
  return y.lines.range(y.base + s, y.base + e);
}

export function seqItems(node: Node | undefined): Node[] {
  return isSeq(node) ? (node.items as Node[]) : [];
}


/** A part from text that sits at [start, end) of the file verbatim (frontmatter bodies, raw text). */
export function verbatimPart(role: Role, fileText: string, start: number, end: number, lines: LineIndex, syntaxes: readonly SlotSyntax[]): PromptPart {
  const text = fileText.slice(start, end);
  return {
    role,
    range: lines.range(start, end),
    text,
    slots: findSlots(text, syntaxes).map((s) => ({ name: s.name, range: lines.range(start + s.start, start + s.end) })),
    syntaxes: [...syntaxes],
  };
}

/** A part from a YAML scalar: its value is the text; slot ranges are found in the source span. */
export function yamlPart(role: Role, y: ParsedYaml, node: Node, syntaxes: readonly SlotSyntax[], name?: string): PromptPart {
  const text = str(node) ?? '';
  const [s, , e] = node.range ?? [0, 0, 0];
  const source = y.lines.text.slice(y.base + s, y.base + e);
  const slots = findSlots(text, syntaxes).map((slot) => {
    const marker = text.slice(slot.start, slot.end);
    const at = source.indexOf(marker);
    return { name: slot.name, range: at >= 0 ? y.lines.range(y.base + s + at, y.base + s + at + marker.length) : undefined };
  });
  return { role, range: nodeRange(y, node), text, slots, syntaxes: [...syntaxes], ...(name ? { name } : {}) };
}

/** Splits `---\nyaml\n---\nbody`; frontmatter may follow blank lines and (for dotprompt) a comment header. */
export function splitFrontmatter(text: string, allowLeading: RegExp | null = null): { yamlStart: number; yamlEnd: number; bodyStart: number } | undefined {
  let at = 0;
  if (text.charCodeAt(0) === 0xfeff) at = 1;
  if (allowLeading) {
    allowLeading.lastIndex = at;
    const m = allowLeading.exec(text);
    if (m && m.index === at) at += m[0].length;
  }
  const open = /^---[ \t]*\r?\n/.exec(text.slice(at));
  if (!open) return undefined;
  const yamlStart = at + open[0].length;
  const close = /^---[ \t]*(\r?\n|$)/m;
  close.lastIndex = 0;
  const rest = text.slice(yamlStart);
  const m = close.exec(rest);
  if (!m) return undefined;
  return { yamlStart, yamlEnd: yamlStart + m.index, bodyStart: yamlStart + m.index + m[0].length };
}

/**
 * Frontmatter read as `key: value` lines rather than parsed as YAML, for tools that write it loosely
 * (Cursor's `globs: *.ts`, where `*` would start an alias; Claude Code's one-line descriptions holding
 * `user: '…'`, a nested mapping to YAML). `open` when a `---` opens it and none closes it.
 */
export function looseFrontmatter(text: string): { fields: Map<string, string>; bodyStart: number } | { open: true; at: number } | undefined {
  const s = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const head = /^---[ \t]*\r?\n/.exec(text.slice(s));
  if (!head) return undefined;
  const close = /^---[ \t]*(\r?\n|$)/m.exec(text.slice(s + head[0].length));
  if (!close) return { open: true, at: s };
  const fields = new Map<string, string>();
  const yaml = text.slice(s + head[0].length, s + head[0].length + close.index);
  for (const m of yaml.matchAll(/^([A-Za-z][\w-]*)[ \t]*:[ \t]*(.*?)[ \t]*$/gm)) fields.set(m[1], m[2].replace(/^["']|["']$/g, ''));
  return { fields, bodyStart: s + head[0].length + close.index + close[0].length };
}

/** Sample values for slots given by the file itself (Prompty `sample`, GitHub Models `testData`, …). */
export function samplesFrom(map: Node | undefined, from: string): Record<string, { text: string; from: string }> {
  const out: Record<string, { text: string; from: string }> = {};
  if (!isMap(map)) return out;
  for (const pair of map.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
    const value = pair.value as Node | undefined;
    if (!key || !value) continue;
    const text = isScalar(value) ? (value.value === null ? '' : String(value.value)) : JSON.stringify(value.toJSON());
    if (!text.startsWith('file:')) setOwn(out, key, { text, from });
  }
  return out;
}

/**
 * Per slot, the value of median length among the test cases that give one (a typical call: the longest
 * would price every call as the worst test case), with where it is written. `what` names the cases in
 * the note (`testData row 2 (median length of 3 rows)`); one value, or one place, needs no note.
 */
export function typicalSamples(cases: readonly Record<string, { text: string; from: string }>[], what: string): Record<string, { text: string; from: string }> {
  const byName = new Map<string, { text: string; from: string; at: number }[]>();
  cases.forEach((samples, at) => {
    for (const [name, sample] of Object.entries(samples)) {
      if (!byName.has(name)) byName.set(name, []);
      byName.get(name)!.push({ ...sample, at });
    }
  });
  const out: Record<string, { text: string; from: string }> = {};
  for (const [name, values] of byName) {
    const sorted = [...values].sort((a, b) => a.text.length - b.text.length || a.at - b.at);
    const typical = sorted[Math.floor((sorted.length - 1) / 2)];
    const places = new Set(values.map((v) => v.from)).size;
    setOwn(out, name, { text: typical.text, from: places > 1 ? `${typical.from} (median length of ${values.length} ${what})` : typical.from });
  }
  return out;
}

/** The one slot a part consists of (`{{question}}`, whitespace aside), or undefined when it has static text. */
export function placeholderOnly(part: PromptPart): string | undefined {
  const found = findSlots(part.text, part.syntaxes);
  if (found.length !== 1) return undefined;
  return /\S/.test(part.text.slice(0, found[0].start) + part.text.slice(found[0].end)) ? undefined : found[0].name;
}

/** Test-data variables by name: only string values (the text a test sends). */
export function stringVars(map: Node | undefined): Map<string, Node> {
  const out = new Map<string, Node>();
  if (!isMap(map)) return out;
  for (const pair of map.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
    const value = pair.value as Node | undefined;
    if (key && value && isScalar(value) && typeof value.value === 'string' && /\S/.test(value.value) && !value.value.startsWith('file:')) out.set(key, value);
  }
  return out;
}

/**
 * A test case's parts: each message that is nothing but one placeholder (`content: "{{input}}"`) is
 * replaced by the test's value for it, which is the text that message sends, at the line it is written.
 * A value of three words or more that fills a placeholder inside other text (`"Answer this: {{question}}"`) is a part of its own
 * right after that message, where the test writes it, and its name goes into `inlined` (the slot then
 * counts nothing: its text is that part). Undefined when the test fills no placeholder.
 */
export function fillPlaceholderParts(parts: readonly PromptPart[], vars: Map<string, Node>, y: ParsedYaml, inlined?: Set<string>): PromptPart[] | undefined {
  let filled = false;
  const out: PromptPart[] = [];
  for (const part of parts) {
    const name = placeholderOnly(part);
    const value = name === undefined ? undefined : vars.get(name);
    if (value) {
      filled = true;
      out.push(yamlPart(part.role, y, value, [], part.name));
      continue;
    }
    out.push(part);
    if (name !== undefined) continue;
    const used = new Set(findSlots(part.text, part.syntaxes).map((slot) => slot.name));
    for (const slot of used) {
      const v = vars.get(slot);
      // A word or two (`topic: bananas`) is a parameter: it stays the slot's sample. A phrase is text sent.
      if (!v || (str(v) ?? '').trim().split(/\s+/).length < 3) continue;
      filled = true;
      inlined?.add(slot);
      out.push(yamlPart(part.role, y, v, [], slot));
    }
  }
  return filled ? out : undefined;
}

/** Samples with the inlined variables counted as nothing (their text is a part of its own). */
export function withoutInlined(samples: Record<string, { text: string; from: string }>, inlined: ReadonlySet<string>): Record<string, { text: string; from: string }> {
  const out = { ...samples };
  for (const name of inlined) setOwn(out, name, { text: '', from: `${own(samples, name)?.from ?? 'test vars'} (counted as its own part)` });
  return out;
}

/** A translations folder (`locales/`, `i18n/` …): what its files hold is what the app shows, whatever the keys are named. */
export const I18N_PATH = /(^|\/)(locales?|i18n|l10n|lang|langs|translations?)\//;
