// The literal a prompt part is written in: found from the part's range, decoded to the text the model
// sees (run-time values kept as markers), and written back — re-escaped for its own kind of literal.
// Writing back is checked by parsing the written literal again; what does not read back the same is
// refused, never patched.
import { isScalar, parseDocument, Scalar, stringify, visit, type Node } from 'yaml';
import type { Range } from '../model';
import { LineIndex } from '../text';
import { dedent } from '../detect/code/values';
import { ensureLanguages, langForFile, parse, type SyntaxNode } from '../detect/code/parser';
import { splitFrontmatter } from '../detect/files/common';

/** One marker character per run-time value in literal content (the engine's own convention). */
export const MARK = 0xe000;
export const MARKER_RE = /[\ue000-\uf8ff]/g;
export const marker = (i: number) => String.fromCharCode(MARK + i);

export type LiteralKind =
  | { lang: 'js'; quote: "'" | '"' | '`' }
  | { lang: 'py'; prefix: string; quote: string }
  | { lang: 'yaml'; style: 'PLAIN' | 'QUOTE_SINGLE' | 'QUOTE_DOUBLE' | 'BLOCK_LITERAL' | 'BLOCK_FOLDED'; indent: string }
  | { lang: 'text' };

/** How the program turns the literal's content into what is sent (a dedent call, .strip()). */
export interface View { dedent?: 'js' | 'py' | 'cleandoc'; trim?: 'both' | 'start' | 'end' }

export interface LiteralTarget {
  /** Offsets in the file text that the rewrite replaces. */
  start: number;
  end: number;
  range: Range;
  kind: LiteralKind;
  /** The literal's value: text with one marker per run-time value. */
  content: string;
  /** Run-time values in marker order, as written in the source form of the output literal (`${x}`, `{x}`). */
  slots: string[];
  view: View;
  /** "template literal", "Python f-string", "YAML block scalar" … for messages. */
  description: string;
}

export class LiteralError extends Error {}

// ---------------------------------------------------------------- views

export function applyView(content: string, view: View): string {
  let t = content;
  if (view.dedent) {
    t = dedent(t);
    if (view.dedent !== 'py') t = t.replace(/^[ \t]*\n/, '').replace(/\n[ \t]*$/, '');
  }
  if (view.trim === 'both') t = t.trim();
  else if (view.trim === 'start') t = t.trimStart();
  else if (view.trim === 'end') t = t.trimEnd();
  return t;
}

/** The visible text with its run-time values written in source form. */
export function sourceForm(text: string, slots: readonly string[]): string {
  return text.replace(MARKER_RE, (m) => slots[m.charCodeAt(0) - MARK] ?? '');
}

// ---------------------------------------------------------------- locating

/** The literal holding the part at `range` of `file`; throws LiteralError saying why there is none. */
export async function locateLiteral(file: string, text: string, range: Range): Promise<LiteralTarget> {
  const lines = new LineIndex(text);
  const start = lines.offset(range.start);
  const end = lines.offset(range.end);
  const lang = langForFile(file);
  if (lang) {
    await ensureLanguages([lang]);
    const tree = parse(lang, text);
    try {
      return codeLiteral(tree.rootNode, start, end, lang === 'python', lines);
    } finally {
      tree.delete();
    }
  }
  return fileLiteral(file, text, start, end, lines);
}

function nodeAt(root: SyntaxNode, start: number, end: number): SyntaxNode | undefined {
  let n: SyntaxNode | null = root.descendantForIndex(start, Math.max(start, end - 1));
  while (n && !(n.startIndex <= start && n.endIndex >= end)) n = n.parent;
  if (!n || n.startIndex !== start || n.endIndex !== end) return undefined;
  while (n.parent && n.parent.startIndex === start && n.parent.endIndex === end) n = n.parent;
  return n;
}

const DEDENT_FN = /^(textwrap\.)?dedent$|^(inspect\.)?cleandoc$|^stripIndent$|^outdent$|^(common[-_]?tags\.)?stripIndents?$/;
const TRIM_FN: Record<string, View['trim']> = { trim: 'both', strip: 'both', trimStart: 'start', lstrip: 'start', trimEnd: 'end', rstrip: 'end' };

interface Leaf { content: string; slots: string[]; kind: LiteralKind & { lang: 'js' | 'py' } }

function codeLiteral(root: SyntaxNode, start: number, end: number, python: boolean, lines: LineIndex): LiteralTarget {
  const found = nodeAt(root, start, end);
  if (!found) throw new LiteralError('no single expression holds this text');
  let n: SyntaxNode = found;
  const view: View = {};
  for (;;) {
    if (n.type === 'parenthesized_expression') {
      const inner: SyntaxNode | undefined = n.namedChildren.find((c): c is SyntaxNode => !!c && c.type !== 'comment');
      if (!inner) break;
      n = inner;
      continue;
    }
    if (n.type === 'call_expression' || n.type === 'call') {
      const fn = n.childForFieldName('function');
      const argsNode: SyntaxNode | null = n.childForFieldName('arguments');
      if (fn && DEDENT_FN.test(fn.text) && !view.dedent && !view.trim) {
        view.dedent = /cleandoc/.test(fn.text) ? 'cleandoc' : python ? 'py' : 'js';
        const arg: SyntaxNode | undefined = argsNode?.type === 'template_string' ? argsNode : argsNode?.namedChildren.find((c): c is SyntaxNode => !!c && c.type !== 'comment');
        if (!arg) break;
        n = arg;
        continue;
      }
      const method = fn && (fn.type === 'member_expression' || fn.type === 'attribute') ? (fn.childForFieldName('property') ?? fn.childForFieldName('attribute'))?.text : undefined;
      if (fn && method && TRIM_FN[method] && !view.trim && !view.dedent && (argsNode?.namedChildren.length ?? 0) === 0) {
        view.trim = TRIM_FN[method];
        const obj = fn.childForFieldName('object');
        if (!obj) break;
        n = obj;
        continue;
      }
    }
    break;
  }
  // The engine may name the literal itself; a dedent() or .strip() around it still shapes what is sent.
  if (!view.dedent && !view.trim) outerView(n, python, view);
  const leaves: SyntaxNode[] = [];
  const flatten = (x: SyntaxNode) => {
    if ((x.type === 'binary_expression' || x.type === 'binary_operator') && (x.childForFieldName('operator')?.text ?? x.children[1]?.text) === '+') {
      const l = x.childForFieldName('left');
      const r = x.childForFieldName('right');
      if (l && r) {
        flatten(l);
        flatten(r);
        return;
      }
    }
    if (x.type === 'concatenated_string') {
      for (const c of x.namedChildren) if (c && c.type !== 'comment') flatten(c);
      return;
    }
    if (x.type === 'parenthesized_expression' && leaves.length > 0) {
      const inner = x.namedChildren.find((c): c is SyntaxNode => !!c && c.type !== 'comment');
      if (inner) return flatten(inner);
    }
    leaves.push(x);
  };
  flatten(n);
  const strings = leaves.filter(isStringNode);
  if (!strings.length) throw new LiteralError('the text is not written in a string literal here');
  const first = decodeString(strings[0], python);
  let kind: Leaf['kind'] = first.kind;
  let content = '';
  const slots: string[] = [];
  const needsTemplate = leaves.length > strings.length || strings.some((s) => decodeString(s, python).slots.length > 0);
  if (leaves.length > 1) {
    // Several pieces become one literal that can hold run-time values: a template literal or an f-string.
    const fk = first.kind as Extract<LiteralKind, { lang: 'py' }>;
    if (python) kind = { lang: 'py', prefix: needsTemplate && !/f/i.test(fk.prefix) ? fk.prefix.replace(/[rR]/, '') + 'f' : fk.prefix, quote: fk.quote };
    else if (needsTemplate) kind = { lang: 'js', quote: '`' };
  }
  for (const leaf of leaves) {
    if (isStringNode(leaf)) {
      const d = decodeString(leaf, python);
      const dk = d.kind as Extract<LiteralKind, { lang: 'py' }>;
      if (kind.lang === 'py' && /[rR]/.test(kind.prefix) && !/[rR]/.test(dk.prefix) && leaves.length > 1) kind = { ...kind, prefix: kind.prefix.replace(/[rR]/, '') };
      content += d.content.replace(MARKER_RE, (m) => marker(slots.push(d.slots[m.charCodeAt(0) - MARK]) - 1));
      continue;
    }
    const expr = leaf.text;
    if (/[\n`'"\\{}]/.test(expr)) throw new LiteralError(`\`${expr.slice(0, 40)}\` cannot be moved into one literal; compress rewrites one literal`);
    content += marker(slots.push(python ? `{${expr}}` : `\${${expr}}`) - 1);
  }
  return {
    start: n.startIndex, end: n.endIndex, range: lines.range(n.startIndex, n.endIndex), kind, content, slots, view,
    description: describe(kind) + (leaves.length > 1 ? ` (joined from ${leaves.length} pieces)` : ''),
  };
}

/** dedent(…), a tagged dedent`…` and .strip()/.trim() calls around `n`, innermost first. */
function outerView(n: SyntaxNode, python: boolean, view: View): void {
  let x = n;
  for (let guard = 0; guard < 6; guard++) {
    const p = x.parent;
    if (!p) return;
    if (p.type === 'parenthesized_expression') {
      x = p;
      continue;
    }
    const call = p.type === 'arguments' || p.type === 'argument_list' ? p.parent : p.type === 'call_expression' && p.childForFieldName('arguments')?.id === x.id ? p : undefined;
    const fn = call?.childForFieldName('function');
    if (call && fn && !view.dedent && !view.trim && DEDENT_FN.test(fn.text)) {
      view.dedent = /cleandoc/.test(fn.text) ? 'cleandoc' : python ? 'py' : 'js';
      x = call;
      continue;
    }
    if ((p.type === 'member_expression' || p.type === 'attribute') && p.childForFieldName('object')?.id === x.id) {
      const method = (p.childForFieldName('property') ?? p.childForFieldName('attribute'))?.text;
      const c = p.parent;
      if (method && TRIM_FN[method] && !view.trim && c && (c.type === 'call_expression' || c.type === 'call') && (c.childForFieldName('arguments')?.namedChildren.length ?? 0) === 0) {
        view.trim = TRIM_FN[method];
        x = c;
        continue;
      }
    }
    return;
  }
}

function isStringNode(n: SyntaxNode): boolean {
  return n.type === 'string' || n.type === 'template_string';
}

function describe(kind: LiteralKind): string {
  if (kind.lang === 'js') return kind.quote === '`' ? 'template literal' : `${kind.quote === '"' ? 'double' : 'single'}-quoted string`;
  if (kind.lang === 'py') {
    const p = kind.prefix.toLowerCase();
    return `Python ${p.includes('r') ? 'raw ' : ''}${p.includes('f') ? 'f-string' : 'string'}${kind.quote.length === 3 ? ' (triple-quoted)' : ''}`;
  }
  if (kind.lang === 'yaml') return { PLAIN: 'YAML plain scalar', QUOTE_SINGLE: 'YAML single-quoted scalar', QUOTE_DOUBLE: 'YAML double-quoted scalar', BLOCK_LITERAL: 'YAML literal block scalar', BLOCK_FOLDED: 'YAML folded block scalar' }[kind.style];
  return 'prompt file body';
}

// ---------------------------------------------------------------- decoding code literals

const SIMPLE: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', 0: '\0', a: '\x07' };

function unescape(raw: string, python: boolean): string {
  return raw.replace(/\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|x[0-9a-fA-F]{2}|N\{[^}]*\}|\r?\n|[0-7]{1,3}|.)/g, (all, e: string) => {
    if (e === '\n' || e === '\r\n') return '';
    if (e[0] === 'u' && e[1] === '{') return String.fromCodePoint(parseInt(e.slice(2, -1), 16));
    if ((e[0] === 'u' && e.length === 5) || (e[0] === 'U' && python)) return String.fromCodePoint(parseInt(e.slice(1), 16));
    if (e[0] === 'x') return String.fromCharCode(parseInt(e.slice(1), 16));
    if (e[0] === 'N' && python) throw new LiteralError(`the literal uses ${all}, which compress does not decode`);
    if (/^[0-7]+$/.test(e) && e !== '0') {
      if (python) return String.fromCharCode(parseInt(e, 8));
      throw new LiteralError(`the literal uses the legacy octal escape ${all}`);
    }
    if (python && !(e in SIMPLE) && !/^['"\\]$/.test(e)) return all; // Python keeps unknown escapes as written
    return SIMPLE[e] ?? e;
  });
}

/** A string literal's value (markers for interpolations) and kind. */
export function decodeString(n: SyntaxNode, python: boolean): Leaf {
  if (python) {
    const startTok = n.children.find((c) => c?.type === 'string_start')?.text ?? '"';
    const prefix = startTok.replace(/['"]+$/, '');
    const quote = startTok.slice(prefix.length);
    const p = prefix.toLowerCase();
    if (p.includes('b')) throw new LiteralError('the prompt is a bytes literal');
    const raw = p.includes('r');
    const fstring = p.includes('f');
    let content = '';
    const slots: string[] = [];
    for (const c of n.children) {
      if (!c) continue;
      if (c.type === 'string_content') {
        let s = raw ? c.text : unescape(c.text, true);
        if (fstring) s = s.replace(/\{\{/g, '{').replace(/\}\}/g, '}');
        content += s;
      } else if (c.type === 'escape_interpolation') content += c.text.slice(0, 1);
      else if (c.type === 'interpolation') content += marker(slots.push(c.text) - 1);
      else if (c.type === 'escape_sequence') content += raw ? c.text : unescape(c.text, true);
    }
    return { content, slots, kind: { lang: 'py', prefix, quote } };
  }
  if (n.type === 'template_string') {
    let content = '';
    const slots: string[] = [];
    for (const c of n.children) {
      if (!c) continue;
      if (c.type === 'string_fragment') content += c.text.replace(/\r\n?/g, '\n');
      else if (c.type === 'escape_sequence') content += unescape(c.text, false);
      else if (c.type === 'template_substitution') content += marker(slots.push(c.text) - 1);
    }
    return { content, slots, kind: { lang: 'js', quote: '`' } };
  }
  const quote = n.text[0] as "'" | '"';
  return { content: unescape(n.text.slice(1, -1), false), slots: [], kind: { lang: 'js', quote } };
}

// ---------------------------------------------------------------- prompt files

function fileLiteral(file: string, text: string, start: number, end: number, lines: LineIndex): LiteralTarget {
  const range = lines.range(start, end);
  // TOML strings (escapes, multi-line forms) have no writer here yet: said so, rather than misread as a body
  if (/\.toml$/i.test(file)) throw new LiteralError('compress does not rewrite TOML strings yet; edit this text by hand (the scan prices the result)');
  const yamlFile = /\.ya?ml$/i.test(file);
  const fm = yamlFile ? undefined : splitFrontmatter(text, /(\s*(#[^\n]*)?\n)*/y);
  if (!yamlFile && (!fm || start >= fm.bodyStart)) {
    return { start, end, range, kind: { lang: 'text' }, content: text.slice(start, end), slots: [], view: {}, description: describe({ lang: 'text' }) };
  }
  const base = fm ? fm.yamlStart : 0;
  const yamlText = text.slice(base, fm ? fm.yamlEnd : text.length);
  const node = yamlScalarAt(yamlText, start - base);
  if (!node) throw new LiteralError('no YAML string starts here');
  const [s, valueEnd] = node.range!;
  const lineStart = yamlText.lastIndexOf('\n', s) + 1;
  const style = (node.type ?? 'PLAIN') as Extract<LiteralKind, { lang: 'yaml' }>['style'];
  let indent = /^[ \t]*/.exec(yamlText.slice(lineStart))![0];
  if (style === 'BLOCK_LITERAL' || style === 'BLOCK_FOLDED') {
    const body = yamlText.slice(s, valueEnd).split('\n').slice(1).find((l) => l.trim());
    indent = body ? /^[ \t]*/.exec(body)![0] : indent + '  ';
  }
  const kind: LiteralKind = { lang: 'yaml', style, indent };
  return { start: base + s, end: base + valueEnd, range: lines.range(base + s, base + valueEnd), kind, content: String(node.value), slots: [], view: {}, description: describe(kind) };
}

function yamlScalarAt(yamlText: string, offset: number): Scalar | undefined {
  const doc = parseDocument(yamlText, { uniqueKeys: false });
  let found: Scalar | undefined;
  visit(doc, {
    Scalar(_, node) {
      if (node.range?.[0] === offset && typeof node.value === 'string') {
        found = node;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

// ---------------------------------------------------------------- writing

/** Source text of `kind` holding `content` (markers → the slots' source form). Throws LiteralError when it cannot. */
export function encodeLiteral(kind: LiteralKind, content: string, slots: readonly string[]): string {
  if (kind.lang === 'text') return sourceForm(content, slots);
  if (kind.lang === 'yaml') return encodeYaml(kind, content);
  const parts = content.split(/([\ue000-\uf8ff])/);
  const text = (s: string) => (kind.lang === 'js' ? escapeJs(s, kind.quote) : escapePy(s, kind.prefix, kind.quote));
  const body = parts.map((p, i) => (i % 2 ? slots[p.charCodeAt(0) - MARK] : text(p))).join('');
  if (kind.lang === 'py') {
    const raw = /r/i.test(kind.prefix);
    if (raw && /(^|[^\\])(\\\\)*\\$/.test(body)) throw new LiteralError('a raw string cannot end with a backslash');
    if (kind.quote.length === 3 && body.endsWith(kind.quote[0]) && raw) throw new LiteralError('a raw triple-quoted string cannot end with its own quote');
  }
  return (kind.lang === 'py' ? kind.prefix : '') + kind.quote + body + kind.quote;
}

function escapeJs(s: string, quote: "'" | '"' | '`'): string {
  let out = s.replace(/\\/g, '\\\\');
  if (quote === '`') out = out.replace(/`/g, '\\`').replace(/\$\{/g, '\\${').replace(/\r/g, '\\r');
  else out = out.replace(new RegExp(quote, 'g'), `\\${quote}`).replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
  // eslint-disable-next-line no-control-regex
  return out.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function escapePy(s: string, prefix: string, quote: string): string {
  const raw = /r/i.test(prefix);
  const triple = quote.length === 3;
  const q = quote[0];
  let out = s;
  if (raw) {
    if (!triple && /[\n\r]/.test(s)) throw new LiteralError('a one-line raw string cannot hold a line break');
    if (!triple && s.includes(q)) throw new LiteralError(`a raw string cannot hold its own quote (${q})`);
    if (triple && s.includes(quote)) throw new LiteralError(`a raw string cannot hold ${quote}`);
    if (/\r/.test(s)) throw new LiteralError('a raw string cannot hold a carriage return');
  } else {
    out = out.replace(/\\/g, '\\\\');
    if (triple) out = out.replace(new RegExp(`${q}(?=${q}|$)`, 'g'), `\\${q}`).replace(/\r/g, '\\r');
    else out = out.replace(new RegExp(q, 'g'), `\\${q}`).replace(/\n/g, '\\n').replace(/\r/g, '\\r');
    // eslint-disable-next-line no-control-regex
    out = out.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  }
  if (/f/i.test(prefix)) out = out.replace(/\{/g, '{{').replace(/\}/g, '}}');
  return out;
}

function encodeYaml(kind: Extract<LiteralKind, { lang: 'yaml' }>, value: string): string {
  if (kind.style === 'BLOCK_LITERAL' || kind.style === 'BLOCK_FOLDED') {
    if (/^[ \t]/.test(value) || /^\s*$/.test(value)) throw new LiteralError('a YAML block scalar cannot start with a space here');
    const s = new Scalar(value);
    s.type = kind.style;
    const out = stringify(s, { lineWidth: 0 });
    const [header, ...rest] = out.replace(/\n$/, '').split('\n');
    if (/\d/.test(header)) throw new LiteralError('the text needs a YAML indentation indicator');
    return [header, ...rest.map((l) => (l ? kind.indent + l : l))].join('\n') + '\n';
  }
  if (kind.style === 'QUOTE_SINGLE' && !/[\n\r]/.test(value)) return `'${value.replace(/'/g, "''")}'`;
  if (kind.style === 'PLAIN' && !/[\n\r]/.test(value) && value === value.trim() && value) {
    const plain = stringify(value, { lineWidth: 0 }).replace(/\n$/, '');
    if (!/^['"|>]/.test(plain)) return plain;
  }
  return JSON.stringify(value);
}

/** Replaces the literal in `fileText`, checks that it reads back as `content`, returns the new text and edit. */
export async function writeLiteral(file: string, fileText: string, target: LiteralTarget, content: string): Promise<{ newText: string; fileText: string; range: Range }> {
  const newText = encodeLiteral(target.kind, content, target.slots);
  const updated = fileText.slice(0, target.start) + newText + fileText.slice(target.end);
  const lines = new LineIndex(updated);
  let back: LiteralTarget;
  try {
    back = await locateLiteral(file, updated, lines.range(target.start, target.start + newText.length));
  } catch (e) {
    throw new LiteralError(`the rewritten ${target.description} does not parse back (${(e as Error).message})`);
  }
  if (back.content !== content || sourceForm(back.content, back.slots) !== sourceForm(content, target.slots)) {
    throw new LiteralError(`the rewrite cannot be written exactly as a ${target.description}`);
  }
  return { newText, fileText: updated, range: target.range };
}

export type { Node as YamlNode };
export { isScalar };
