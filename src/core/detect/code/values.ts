// Static evaluation of the expressions prompts are built from: literals, template literals and
// f-strings, concatenation, .format / % / .replace, dedent, .join, and identifiers resolved to their
// definitions in this file or, through relative imports, in another. What cannot be known statically
// becomes a named slot. Text carries one marker per slot, so every string operation (dedent, replace,
// join) moves slots along with the text around them. A marker is a run of lone UTF-16 low surrogates:
// no character is one, and text read from a literal is made well-formed first (a lone surrogate in an
// escape becomes U+FFFD, which is also what tiktoken counts it as), so real text is never taken for one.
//
// Evaluation shares: a definition's value is computed once per call (A1 = A0 + A0; A2 = A1 + A1 …),
// and no value grows past TEXT_CEILING characters: beyond it the text is cut and the characters left
// out are counted (`omitted`), so the part's tokens are an estimate from the text kept.
import { OUTPUT_LIMIT_KEYS } from '../shared';
import type { SlotSyntax } from '../slots';
import type { SyntaxNode, SyntaxTree } from './parser';
import { definitionsOf, isJsonFile, jsonValue, type CodeFile, type CodeProject, type Definition } from './source';
import { candidateFiles, outsideFile, readPath, templatePaths, type PathEnv, type PathValue } from './fileReads';
import { own } from '../../own';
import { providerOfModel } from '../../models/ids';
import { ancestryOf } from './ancestry';
import type { Deadline } from '../../budgets';
import type { Range } from '../../model';

export interface Loc { file: string; start: number; end: number }
export interface SlotRef extends Loc {
  name: string;
  /** Not a run-time value: text written elsewhere (a constant, a function's return) embedded here. */
  fragment?: TextValue;
  /** Not a run-time value: another text the expression may take instead (a branch, another return). */
  alternative?: TextValue;
  /** A file read whose path names no file of the workspace: what it holds is unknown here (said, not guessed in silence). */
  missing?: string;
}

export interface TextValue {
  /** Static text; each slot is one marker (see slotMarker) naming its index in the context's table. */
  text: string;
  /** Characters left out of `text` because the value grew past the ceiling (an estimate follows). */
  omitted?: number;
  /** Where the text is written: a literal, or the definition an identifier resolved to. */
  origin: Loc;
  /** Template syntax whose markup the text still holds (LangChain templates, str.format targets). */
  template?: SlotSyntax[];
}

export interface EvalContext {
  project: CodeProject;
  slots: SlotRef[];
  depth: number;
  /** Definitions being evaluated (cycle guard). */
  active: Set<SyntaxNode['id']>;
  /** Values of definitions already evaluated for the current call, by file and node (see resetShared). */
  shared: Map<string, TextValue>;
  /** Characters past which a value is cut and estimated. */
  ceiling: number;
  /** Functions being followed from a call: their parameters bound to the call's arguments. */
  frames?: Frame[];
  /** The file's evaluation budget: checked every few evaluation steps (throws BudgetExceeded). */
  deadline?: Deadline;
  steps?: number;
}

/** A function followed from its call: each parameter's argument (undefined: not given, a slot). */
export interface Frame { file: string; fn: SyntaxNode; params: Map<string, Resolved | undefined> }

/** Characters one evaluated value may hold; past it the rest is counted, not built (an estimate). */
export const TEXT_CEILING = 1_000_000;

export function newContext(project: CodeProject, ceiling = TEXT_CEILING): EvalContext {
  return { project, slots: [], depth: 0, active: new Set(), shared: new Map(), ceiling };
}

/**
 * Forgets shared values: called before each call is evaluated, so that what one call looks up is
 * recorded for it (incremental detection relies on each call's lookups) and memory stays per call.
 */
export function resetShared(ctx: EvalContext): void {
  ctx.shared.clear();
}

// A marker: digits in U+DC00–U+DDFF (9 bits each, most significant first), then a last digit in
// U+DE00–U+DFFF. Lone low surrogates only; unbounded, so any number of slots has its own marker.
export const MARKER_RE = /(?<![\ud800-\udbff])[\udc00-\uddff]*[\ude00-\udfff]/g;
const ONE_MARKER = new RegExp(MARKER_RE.source);
const MARKER_ONLY = /^[\udc00-\uddff]*[\ude00-\udfff]$/;
const HAS_MARKER = /(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function slotMarker(ctx: EvalContext, slot: SlotRef): string {
  ctx.slots.push(slot);
  let n = ctx.slots.length - 1;
  let out = String.fromCharCode(0xde00 + (n & 511));
  for (n = Math.floor(n / 512); n > 0; n = Math.floor(n / 512)) out = String.fromCharCode(0xdc00 + (n & 511)) + out;
  return out;
}

function markerIndex(m: string): number {
  let n = 0;
  for (let i = 0; i < m.length; i++) n = n * 512 + ((m.charCodeAt(i) - 0xdc00) & 511);
  return n;
}

/** Whether `text` is exactly one slot marker (a value known only at run time). */
export function isMarker(text: string): boolean {
  return MARKER_ONLY.test(text);
}

/** Whether `text` holds any slot marker. */
export function hasMarker(text: string): boolean {
  return HAS_MARKER.test(text);
}

/** Offsets, in the text without markers, where each slot marker sat. */
export function markerOffsets(marked: string): number[] {
  const out: number[] = [];
  let removed = 0;
  for (const m of marked.matchAll(MARKER_RE)) {
    out.push((m.index ?? 0) - removed);
    removed += m[0].length;
  }
  return out;
}

/**
 * Text as written in a literal, made well-formed: a lone surrogate (an escape such as "\\udc00", never
 * a character of decoded source text) becomes U+FFFD, so no text can be mistaken for a marker.
 */
export function wellFormed(s: string): string {
  return HAS_SURROGATE.test(s) ? s.replace(LONE_SURROGATE, '\ufffd') : s;
}
const HAS_SURROGATE = /[\ud800-\udfff]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Static text, the slots in order of appearance, and the characters left out past the ceiling. */
export function finishText(ctx: EvalContext, v: TextValue): { text: string; slots: SlotRef[]; omitted: number } {
  const slots: SlotRef[] = [];
  for (const m of v.text.matchAll(MARKER_RE)) {
    const s = ctx.slots[markerIndex(m[0])];
    if (s) slots.push(s);
  }
  return { text: v.text.replace(MARKER_RE, ''), slots, omitted: v.omitted ?? 0 };
}

/** The note a part carries when its text was cut at the ceiling. */
export function ceilingNote(omitted: number, ceiling: number): string {
  return `prompt text longer than the evaluation ceiling (${ceiling.toLocaleString('en-US')} characters; ${omitted.toLocaleString('en-US')} more not built): its tokens are an estimate from the text kept`;
}

/**
 * Joins text pieces under the ceiling: pieces are appended until the ceiling, the rest only counted.
 * Sizes are known before strings are built, so no value ever grows past the ceiling.
 */
class TextBuilder {
  private parts: string[] = [];
  private length = 0;
  omitted = 0;
  template: SlotSyntax[] | undefined;

  constructor(private readonly ceiling: number) {}

  add(piece: string | TextValue): this {
    const text = typeof piece === 'string' ? piece : piece.text;
    if (typeof piece !== 'string') this.template ??= piece.template;
    if (this.omitted > 0 || this.length + text.length > this.ceiling) {
      const room = this.omitted > 0 ? 0 : this.ceiling - this.length;
      const cut = safeCut(text, room);
      if (cut > 0) {
        this.parts.push(text.slice(0, cut));
        this.length += cut;
      }
      this.omitted += text.length - cut;
    } else {
      this.parts.push(text);
      this.length += text.length;
    }
    // What the piece itself left out comes after its text.
    if (typeof piece !== 'string') this.omitted += piece.omitted ?? 0;
    return this;
  }

  /** Counts `n` characters that are not built (they are past the ceiling). */
  skip(n: number): void {
    this.omitted += n;
  }

  get full(): boolean {
    return this.omitted > 0;
  }

  value(origin: Loc, template?: SlotSyntax[]): TextValue {
    const t = template ?? this.template;
    return { text: this.parts.join(''), origin, ...(this.omitted ? { omitted: this.omitted } : {}), ...(t ? { template: t } : {}) };
  }
}

/** A cut at most `at` that splits neither a surrogate pair nor a slot marker. */
function safeCut(text: string, at: number): number {
  let i = Math.max(0, Math.min(at, text.length));
  while (i > 0 && i < text.length) {
    const c = text.charCodeAt(i);
    const prev = text.charCodeAt(i - 1);
    if (c >= 0xdc00 && c <= 0xdfff && ((prev >= 0xd800 && prev <= 0xdbff) || (prev >= 0xdc00 && prev <= 0xddff))) i--;
    else break;
  }
  return i;
}

/** One name of a program (`note_context`, `web-tab`, `user.id`): letters, digits, `_`, `-`, `.`, no space or prose punctuation. */
const IDENTIFIER_LIKE = /^[A-Za-z_$][\w$]*(?:[-.][\w$]+)*$/;

export const loc = (f: CodeFile, n: SyntaxNode): Loc => ({ file: f.file, start: n.startIndex, end: n.endIndex });

/**
 * The text of `v` as embedded in `container` (a template, a concatenation, a join): text written
 * elsewhere — a constant, a function's return — becomes a fragment marker, so that it is reported where
 * it is written; text written inside the container, and run-time values, stay inline.
 */
function embed(f: CodeFile, container: SyntaxNode, v: TextValue, ctx: EvalContext): TextValue {
  if (v.origin.file === f.file && v.origin.start >= container.startIndex && v.origin.end <= container.endIndex) return v;
  const own = v.text.replace(MARKER_RE, '');
  // a word or two (a local variable's value) reads as part of the text around it
  // text another file writes (a helper's return, a constant) is reported there, however short — but a
  // name (a tag, a key, an id: `"note_context"` in `<${TAG}>`) is no text a reviewer marks: it is counted
  // where it is embedded, as the text around it, and is no part of its own
  if (!hasFragment(ctx, v.text) && IDENTIFIER_LIKE.test(own)) return inlineValue(ctx, v);
  if (hasFragment(ctx, v.text) || (v.origin.file !== f.file && /\p{L}{2}/u.test(own))) return { text: slotMarker(ctx, { name: 'fragment', ...v.origin, fragment: v }), origin: v.origin };
  // JS: markup around run-time values (`<learning>\n${x}\n</learning>`) is no words of its own
  // (a run-time value in a sentence stands for a word of it: `Reply in ${language}.` is three)
  const values = v.text.split(/\s+/).filter((w) => ONE_MARKER.test(w) && !/\p{L}/u.test(w.replace(MARKER_RE, ''))).length;
  const plain = (f.isPython ? own : own.replace(/<\/?[A-Za-z][\w:-]*>/g, ' ')).split(/\s+/).filter((w) => /\p{L}{2}/u.test(w)).length;
  const words = plain >= 2 ? plain + values : plain;
  // a long run of text with few spaces (a JSON example, a format spec) is text of its own; a URL or path is a value
  const long = own.trim().length >= 40 && /\p{L}{2}/u.test(own) && !/^\s*(\w+:\/\/|\.{0,2}\/)\S*\s*$/.test(own);
  // punctuation around run-time values (`{\n${props}\n}`) is no text of its own either
  // … and its alternatives (`fileCount === 1 ? "file has" : "files have"`) are as short: the longer is priced
  if (!own.trim() || ((words === 0 || (!own.includes('\n') && words < 3)) && !long)) return inlineValue(ctx, v);
  return { text: slotMarker(ctx, { name: 'fragment', ...v.origin, fragment: v }), origin: v.origin };
}

/**
 * `embed` for a template's substitution: a literal of its own nested in it (`${cond ? `…` : ''}`,
 * `${items.map((x) => `…`).join()}`) is a fragment too, reported where that literal is written, when
 * it reads as text (a line break or three words).
 */
function embedNested(f: CodeFile, container: SyntaxNode, v: TextValue, ctx: EvalContext): TextValue {
  const inside = v.origin.file === f.file && v.origin.start > container.startIndex && v.origin.end <= container.endIndex;
  if (!inside || !/^([rbfuRBFU]{0,2})["'`]/.test(f.text.slice(v.origin.start, v.origin.start + 3))) return embed(f, container, v, ctx);
  // the literal's own words, as written (what its substitutions hold is not its text)
  // (markup around a value, `<content>\n${c}\n</content>`, is no words of its own either)
  const written = f.text.slice(v.origin.start, v.origin.end).replace(/\$\{[^{}]*\}|\{[^{}]*\}/g, ' ').slice(1, -1).replace(/<\/?[A-Za-z][\w:-]*>/g, ' ');
  const words = written.split(/\s+|\\n/).filter((w) => /\p{L}{2}/u.test(w)).length;
  if (words < 3 && !(words && /\n|\\n/.test(written.trim()))) return v;
  return { text: slotMarker(ctx, { name: 'fragment', ...v.origin, fragment: v }), origin: v.origin };
}

/** The words a literal writes itself (not what its substitutions hold, nor markup around a value). */
function ownWords(literal: string): number {
  const written = literal.replace(/\$\{[^{}]*\}|\{[^{}]*\}/g, ' ').slice(1, -1).replace(/<\/?[A-Za-z][\w:-]*>/g, ' ');
  return written.split(/\s+|\\n/).filter((w) => /\p{L}{2}/u.test(w)).length;
}

/** The longest a short inline conditional's literal may be to fold into the text around it. */
const SHORT_CONDITIONAL = 160;

/**
 * A short conditional inside a template that chooses between values or a word or two (`${n === 1 ? "file
 * has" : "files have"}`, `${n ? `${n} files` : "unknown (no list)"}`): it folds into the template's own text
 * — the longer branch, priced for the worst case — rather than being a slot or a part of its own.
 * Undefined when `expr` is no such conditional (a branch that is not a one-line literal, a long one, or
 * sentences: then each literal is a fragment where it is written).
 */
function inlineConditional(f: CodeFile, expr: SyntaxNode, ctx: EvalContext): TextValue | undefined {
  let branches: (SyntaxNode | null)[];
  if (expr.type === 'ternary_expression') branches = [expr.childForFieldName('consequence'), expr.childForFieldName('alternative')];
  else if (expr.type === 'conditional_expression') branches = [expr.namedChildren[0], expr.namedChildren[2]];
  else if (expr.type === 'binary_expression' && expr.childForFieldName('operator')?.text === '&&') branches = [expr.childForFieldName('right')];
  else if (expr.type === 'boolean_operator' && expr.children[1]?.text === 'and') branches = [expr.childForFieldName('right')];
  else return undefined;
  const texts: TextValue[] = [];
  for (const b of branches) {
    if (!b || (b.type !== 'string' && b.type !== 'template_string')) return undefined;
    // one line of literal text (a line break escaped at its ends only: "\n\nAnswer briefly.")
    if (b.text.length > SHORT_CONDITIONAL || b.text.includes('\n') || /\S\\n+\S/.test(b.text.slice(1, -1).replace(/^(\\n|\s)+|(\\n|\s)+$/g, ''))) return undefined;
    texts.push(evalText(f, b, ctx));
  }
  // sentences of their own (three words in each branch that has text: an optional section, `${pr ? "Review
  // the diff first." : ""}`) are fragments where they are written, as any nested literal is; a choice between
  // a value and a phrase (`${n ? `${n} files` : "unknown (no list)"}`) stays the template's own text
  // (a branch of no words of its own, `''` or `${context}`, adds none)
  const worded = branches.map((b) => ownWords(b!.text)).filter((w) => w > 0);
  if (worded.length && worded.every((w) => w >= 3)) return undefined;
  // a branch that wraps text written elsewhere (`${extra ? `\n\n${extra}` : ''}`) keeps it a fragment where
  // it is written: folding the branch in would count that text as this template's own
  if (texts.some((t) => hasFragment(ctx, t.text))) return undefined;
  let longer = texts[0];
  for (const t of texts) if (fullLength(t) > fullLength(longer)) longer = t;
  // its own alternatives (a nested conditional) fold too: the longer text is what is priced
  return { ...inlineValue(ctx, longer), template: undefined };
}

/** A template's substitution `${expr}` as the template holds it: a short conditional folded in, else the value embedded. */
function embedSubstitution(f: CodeFile, template: SyntaxNode, expr: SyntaxNode, ctx: EvalContext): TextValue {
  const folded = inlineConditional(f, expr, ctx);
  if (folded) return folded;
  // `${cite && 'End with the links you used.'}` / f"{x and '…'}" / `${pkg && dedent`…`}`: its right side is the text it may add
  const guarded = (expr.type === 'binary_expression' && expr.childForFieldName('operator')?.text === '&&') || (expr.type === 'boolean_operator' && expr.children[1]?.text === 'and') ? expr.childForFieldName('right') : null;
  const added = guarded ?? expr;
  return embedNested(f, template, evalText(f, added, ctx), ctx);
}

function hasFragment(ctx: EvalContext, text: string): boolean {
  for (const m of text.matchAll(MARKER_RE)) if (ctx.slots[markerIndex(m[0])]?.fragment) return true;
  return false;
}

/** Text of its own, not one word (`'silly'`, a parameter's value) or punctuation. */
function readsAsText(own: string): boolean {
  const words = own.split(/\s+/).filter((w) => /\p{L}{2}/u.test(w)).length;
  return words >= 2 || (words > 0 && own.trim().includes('\n'));
}

/** `chosen`, carrying `others` (with text of their own) as alternatives. */
function withAlternatives(chosen: TextValue, others: TextValue[], ctx: EvalContext): TextValue {
  let text = chosen.text;
  for (const o of others) if (o !== chosen && readsAsText(o.text.replace(MARKER_RE, ''))) text += slotMarker(ctx, { name: 'alternative', ...o.origin, alternative: o });
  return { ...chosen, text };
}

/** A value split into its own text and the fragments `take` accepts (the others put back in place), and its alternatives. */
export function splitValue(ctx: EvalContext, v: TextValue, take: (fragment: TextValue) => boolean = () => true): { own: TextValue; fragments: TextValue[]; alternatives: TextValue[]; bare: string; repeats: Loc[] } {
  const fragments: TextValue[] = [];
  const alternatives: TextValue[] = [];
  const repeats: Loc[] = [];
  if (!hasSpecial(ctx, v.text)) return { own: v, fragments, alternatives, bare: v.text, repeats };
  let bare = '';
  const out = new TextBuilder(ctx.ceiling);
  const memo = new Map<TextValue, TextValue>();
  let last = 0;
  for (const m of v.text.matchAll(MARKER_RE)) {
    const s = ctx.slots[markerIndex(m[0])];
    if (!s?.fragment && !s?.alternative) continue;
    out.add(v.text.slice(last, m.index));
    bare += v.text.slice(last, m.index);
    last = (m.index ?? 0) + m[0].length;
    if (s.alternative) alternatives.push(s.alternative);
    else if (s.fragment && take(s.fragment)) fragments.push(s.fragment);
    else if (s.fragment) {
      out.add(inlineValue(ctx, s.fragment, memo));
      repeats.push(s.fragment.origin);
    }
  }
  out.add(v.text.slice(last));
  bare += v.text.slice(last);
  if (v.omitted) out.skip(v.omitted);
  return { own: out.value(v.origin, v.template), fragments, alternatives, bare, repeats };
}

function hasSpecial(ctx: EvalContext, text: string): boolean {
  for (const m of text.matchAll(MARKER_RE)) {
    const s = ctx.slots[markerIndex(m[0])];
    if (s?.fragment || s?.alternative) return true;
  }
  return false;
}

/** `v` with its fragments put back in place and its alternatives left out, within the ceiling. */
export function inlineValue(ctx: EvalContext, v: TextValue, memo = new Map<TextValue, TextValue>()): TextValue {
  const known = memo.get(v);
  if (known) return known;
  if (!hasSpecial(ctx, v.text)) return v;
  const out = new TextBuilder(ctx.ceiling);
  let last = 0;
  for (const m of v.text.matchAll(MARKER_RE)) {
    const s = ctx.slots[markerIndex(m[0])];
    if (!s?.fragment && !s?.alternative) continue;
    out.add(v.text.slice(last, m.index));
    last = (m.index ?? 0) + m[0].length;
    if (s.fragment) out.add(inlineValue(ctx, s.fragment, memo));
  }
  out.add(v.text.slice(last));
  if (v.omitted) out.skip(v.omitted);
  const r = out.value(v.origin, v.template);
  memo.set(v, r);
  return r;
}

/** The whole text of `v`, fragments put back in place and alternatives left out (for measuring). */
export function inlineText(ctx: EvalContext, v: TextValue): string {
  return inlineValue(ctx, v).text;
}

function compact(s: string): string {
  // Only the start is kept: collapsing the white space of a whole large node (a slot named by an
  // expression of 40 KB, at each of hundreds of slots) was most of a file's time. The first 200
  // characters give the same start unless they are mostly white space.
  const head = s.length > 200 ? s.slice(0, 200) : s;
  let one = head.replace(/\s+/g, ' ').trim();
  if (head !== s && one.length <= 40) one = s.replace(/\s+/g, ' ').trim();
  return one.length > 40 ? `${one.slice(0, 37)}…` : one;
}

/** A slot for an expression whose value is only known at run time. */
export function dynamic(f: CodeFile, n: SyntaxNode, ctx: EvalContext, name = slotName(n)): TextValue {
  return { text: slotMarker(ctx, { name, ...loc(f, n) }), origin: loc(f, n) };
}

function slotName(n: SyntaxNode): string {
  if (n.type === 'spread_element' || n.type === 'list_splat' || n.type === 'dictionary_splat') return slotName(n.namedChildren[0] ?? n);
  if (n.type === 'call_expression' || n.type === 'call') {
    const fn = n.childForFieldName('function');
    const args = n.childForFieldName('arguments')?.namedChildren ?? [];
    // str(user.name), JSON.stringify(doc) → the argument names the slot better than the function
    if (fn && /^(str|String|JSON\.stringify|json\.dumps|repr|format)$/.test(fn.text) && args[0]) return slotName(args[0]);
  }
  return compact(n.text);
}

// ---------------------------------------------------------------- escapes

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', 0: '\0', a: '\x07' };

function unescape(raw: string, python: boolean): string {
  return raw.replace(/\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|x[0-9a-fA-F]{2}|N\{[^}]*\}|\r?\n|[0-7]{1,3}|.)/g, (_, e: string) => {
    if (e === '\n' || e === '\r\n') return '';
    if (e[0] === 'u' && e[1] === '{') return String.fromCodePoint(parseInt(e.slice(2, -1), 16));
    if ((e[0] === 'u' && e.length === 5) || (e[0] === 'U' && python)) return String.fromCodePoint(parseInt(e.slice(1), 16));
    if (e[0] === 'x') return String.fromCharCode(parseInt(e.slice(1), 16));
    if (e[0] === 'N' && python) return '?';
    if (/^[0-7]+$/.test(e) && e !== '0') return python ? String.fromCharCode(parseInt(e, 8)) : e;
    return own(SIMPLE_ESCAPES, e) ?? e;
  });
}

// ---------------------------------------------------------------- definitions

/** The definition an identifier (or `this.x` / `self.x`) refers to at `use`, nearest before it in scope. */
export function findDefinition(f: CodeFile, name: string, use: SyntaxNode): Definition | undefined {
  const defs = definitionsOf(f, name);
  if (!defs?.length) return undefined;
  const useStart = use.startIndex;
  const useEnd = use.endIndex;
  // In scope: not inside its own value (x = f(x)), at module level or in a scope that holds the use.
  // Of those, the innermost scope's definition, the nearest before the use in it (a local `chat` over a
  // module's `function chat`); with none before the use, the first in scope. One pass over offsets read
  // once per definition (spansOf): a name assigned on each of 500 lines is looked up at each of them.
  let first: DefinitionSpan | undefined;
  let best: DefinitionSpan | undefined;
  for (const s of spansOf(defs)) {
    // (a class names itself inside its own methods: `Planner.greeting` read in a method of Planner)
    if (s.valueStart <= useStart && useEnd <= s.valueEnd && !s.isClass) continue;
    if (s.scopeStart >= 0 && !(s.scopeStart <= useStart && useEnd <= s.scopeEnd)) continue;
    first ??= s;
    if (s.start <= useStart && (!best || s.scopeStart > best.scopeStart || (s.scopeStart === best.scopeStart && s.start >= best.start))) best = s;
  }
  const found = (best ?? first)?.def;
  return found ?? (/^(self|this)\./.test(name) ? memberSetInAnotherMethod(f, defs, use) : undefined);
}

/** A definition's offsets as numbers (each tree-sitter getter marshals the node): scope -1 at module level. */
interface DefinitionSpan { def: Definition; start: number; valueStart: number; valueEnd: number; scopeStart: number; scopeEnd: number; isClass: boolean }
const definitionSpans = new WeakMap<Definition[], DefinitionSpan[]>();

function spansOf(defs: Definition[]): DefinitionSpan[] {
  let spans = definitionSpans.get(defs);
  if (!spans) {
    spans = defs.map((def) => ({ def, start: def.start, valueStart: def.value.startIndex, valueEnd: def.value.endIndex, scopeStart: def.scope?.startIndex ?? -1, scopeEnd: def.scope?.endIndex ?? -1, isClass: CLASS_NODE.has(def.value.type) }));
    definitionSpans.set(defs, spans);
  }
  return spans;
}

const CONSTRUCTORS = /^(__init__|constructor|__post_init__|setUp|setup)$/;

/**
 * `self.x = …` (`this.x = …`) assigned in another method of the class the use is in: the constructor's
 * assignment first (it runs before any other method), else the first one written.
 */
function memberSetInAnotherMethod(f: CodeFile, defs: Definition[], use: SyntaxNode): Definition | undefined {
  // (once per class, up through the file's Ancestry: a use on each of 500 lines walked up from every
  // definition with `node.parent`, each a walk down from the root — 5 s)
  const cls = enclosingClass(f, use);
  if (!cls) return undefined;
  let byClass = membersSetByClass.get(defs);
  if (!byClass) membersSetByClass.set(defs, (byClass = new Map()));
  if (byClass.has(cls.id)) return byClass.get(cls.id);
  const body = cls.type === 'class_body' ? cls : cls.childForFieldName('body') ?? cls;
  const inClass = defs.filter((d) => {
    if (!d.scope || d.scope.startIndex < body.startIndex || d.scope.endIndex > body.endIndex) return false;
    // the method holding the assignment is a method of this class, not of a nested class
    const owner = enclosingClass(f, d.scope);
    return owner !== null && (owner.id === cls.id || owner.id === body.id);
  });
  const methodName = (d: Definition) => d.scope?.childForFieldName('name')?.text ?? '';
  const found = inClass.find((d) => CONSTRUCTORS.test(methodName(d))) ?? inClass[0];
  byClass.set(cls.id, found);
  return found;
}

const CLASS_NODE = new Set(['class_definition', 'class_body', 'class_declaration', 'class']);
const classesAbove = new WeakMap<CodeFile, Map<number, SyntaxNode | null>>();

/**
 * The nearest class (or class body) above `n`, remembered for every node walked through: uses nested
 * 500 deep each walked up through all 500 levels.
 */
function enclosingClass(f: CodeFile, n: SyntaxNode): SyntaxNode | null {
  let memo = classesAbove.get(f);
  if (!memo) classesAbove.set(f, (memo = new Map()));
  const up = ancestryOf(f);
  const walked: number[] = [];
  let found: SyntaxNode | null = null;
  for (let p = up.parent(n); p; p = up.parent(p)) {
    const known = memo.get(p.id);
    if (known !== undefined) {
      found = known;
      break;
    }
    if (CLASS_NODE.has(p.type)) {
      found = p;
      break;
    }
    walked.push(p.id);
  }
  for (const id of walked) memo.set(id, found);
  return found;
}

/** memberSetInAnotherMethod's answers, by the definitions and the class asked about. */
const membersSetByClass = new WeakMap<Definition[], Map<number, Definition | undefined>>();

export interface Resolved { file: CodeFile; node: SyntaxNode }

/** Expressions that name another value rather than being one: followed again when a member is read off them. */
const ALIAS_NODE = new Set(['identifier', 'member_expression', 'attribute', 'as_expression', 'satisfies_expression', 'parenthesized_expression', 'non_null_expression']);

/** Follows identifiers, member access on object literals / dicts and imports to the expression they name. */
export function resolveExpression(f: CodeFile, n: SyntaxNode, ctx: EvalContext, depth = 0): Resolved | undefined {
  if (depth > 12) return undefined;
  const t = n.type;
  if (t === 'parenthesized_expression' || t === 'as_expression' || t === 'satisfies_expression' || t === 'non_null_expression' || t === 'await_expression' || t === 'type_assertion') {
    const inner = n.namedChildren.find((c) => c && c.type !== 'type_annotation' && !c.type.endsWith('_type') && c.type !== 'type_identifier');
    return inner ? resolveExpression(f, inner, ctx, depth + 1) : undefined;
  }
  if (t === 'identifier' || t === 'shorthand_property_identifier' || t === 'this' || (t === 'member_expression' && n.childForFieldName('object')?.type === 'this') || (t === 'attribute' && /^(self|cls)$/.test(n.childForFieldName('object')?.text ?? ''))) {
    const name = t === 'member_expression' ? `this.${n.childForFieldName('property')?.text}` : n.text;
    if (t === 'identifier' || t === 'shorthand_property_identifier') {
      const bound = boundParameter(f, n, ctx);
      if (bound) return bound.value ? resolveExpression(bound.value.file, bound.value.node, ctx, depth + 1) ?? bound.value : undefined;
    }
    const def = findDefinition(f, name, n);
    if (def) return requiredJson(f, def.value, ctx) ?? { file: f, node: def.value };
    // self.method defined in a base class (`class RAGSimple(RAGChatBase)`), in this file or imported
    if (f.isPython && t === 'attribute') {
      const key = n.childForFieldName('attribute')?.text;
      let cls: SyntaxNode | null = n.parent;
      while (cls && cls.type !== 'class_definition') cls = cls.parent;
      const inherited = key && cls ? inheritedMember(f, cls, key, ctx, depth + 1) : undefined;
      if (inherited) return inherited;
    }
    const imp = f.imports.get(name);
    if (imp?.file && imp.imported !== '*') {
      const target = ctx.project.get(imp.file);
      return target ? exportedValue(target, imp.imported, ctx, depth + 1) : undefined;
    }
    // Python `from .policies import *`: the name may be any of those modules' top-level names
    if (f.isPython && !imp && t === 'identifier') {
      for (const file of f.starExports ?? []) {
        const target = ctx.project.get(file);
        const v = target && exportedValue(target, name, ctx, depth + 1);
        if (v) return v;
      }
    }
    return undefined;
  }
  if (t === 'member_expression' || t === 'attribute' || t === 'subscript_expression' || t === 'subscript') {
    const objNode = n.childForFieldName('object') ?? n.childForFieldName('value');
    const key = t === 'member_expression' || t === 'attribute'
      ? (n.childForFieldName('property') ?? n.childForFieldName('attribute'))?.text
      : staticKey(n.childForFieldName('index') ?? n.childForFieldName('subscript'));
    if (!objNode || key === undefined) return undefined;
    // prompts.SYSTEM where `prompts` is an imported module / namespace
    if (objNode.type === 'identifier') {
      const imp = f.imports.get(objNode.text);
      if (imp?.file && imp.imported === '*') {
        const target = ctx.project.get(imp.file);
        const v = target && exportedValue(target, key, ctx, depth + 1);
        if (v) return v;
      }
    }
    let obj = resolveExpression(f, objNode, ctx, depth + 1) ?? { file: f, node: objNode };
    // an alias of the object (`const fallback = en; export default fallback as Locale`): follow it to the literal
    for (let i = 0; i < 4 && obj.node !== objNode && ALIAS_NODE.has(obj.node.type); i++) {
      const next = resolveExpression(obj.file, obj.node, ctx, depth + 1);
      if (!next || next.node === obj.node) break;
      obj = next;
    }
    // Prompts.SYSTEM: a constant in a class body
    if (obj.node.type === 'class_definition' || obj.node.type === 'class_declaration' || obj.node.type === 'class') {
      const body = obj.node.childForFieldName('body');
      const d = definitionsOf(obj.file, key).find((x) => x.scope?.id === obj.node.id || (body && x.scope?.id === body.id));
      if (d) return resolveExpression(obj.file, d.value, ctx, depth + 1) ?? { file: obj.file, node: d.value };
      const field = body && definitionsOf(obj.file, `this.${key}`).find((x) => x.scope?.id === body.id);
      return field ? { file: obj.file, node: field.value } : undefined;
    }
    const prop = propertyOf(obj.node, key);
    return prop ? (resolveExpression(obj.file, prop, ctx, depth + 1) ?? { file: obj.file, node: prop }) : undefined;
  }
  return requiredJson(f, n, ctx) ?? { file: f, node: n };
}

/** `require('./en.json')`: the value the JSON file holds. */
function requiredJson(f: CodeFile, n: SyntaxNode, ctx: EvalContext): Resolved | undefined {
  if (n.type !== 'call_expression' || n.childForFieldName('function')?.text !== 'require') return undefined;
  const spec = n.childForFieldName('arguments')?.namedChildren[0];
  if (spec?.type !== 'string' || !isJsonFile(spec.text.slice(1, -1))) return undefined;
  const file = ctx.project.resolveJs(f.file, spec.text.slice(1, -1));
  const target = file ? ctx.project.get(file) : undefined;
  return target ? exportedValue(target, 'default', ctx) : undefined;
}

/** `key` as a method or class attribute of a base class of `cls` (Python), nearest base first. */
function inheritedMember(f: CodeFile, cls: SyntaxNode, key: string, ctx: EvalContext, depth: number): Resolved | undefined {
  if (depth > 12) return undefined;
  for (const base of cls.childForFieldName('superclasses')?.namedChildren ?? []) {
    if (!base || (base.type !== 'identifier' && base.type !== 'attribute')) continue;
    const r = resolveExpression(f, base, ctx, depth + 1);
    if (!r || r.node === base || r.node.type !== 'class_definition') continue;
    const body = r.node.childForFieldName('body');
    const d = definitionsOf(r.file, `self.${key}`).find((x) => x.scope?.id === r.node.id || (body && x.scope?.id === body.id));
    if (d) return { file: r.file, node: d.value };
    const up = inheritedMember(r.file, r.node, key, ctx, depth + 1);
    if (up) return up;
  }
  return undefined;
}

/** A module's top-level `name`, following re-exports (`export { X } from`, `export *`, `from .x import X`). */
export function exportedValue(target: CodeFile, name: string, ctx: EvalContext, depth = 0): Resolved | undefined {
  if (depth > 12) return undefined;
  if (target.json) {
    // its default export is the whole value; a named import (or a module object's member) one key of it
    const value = jsonValue(target);
    const picked = value && (name === 'default' ? value : propertyOf(value, name));
    return picked ? { file: target, node: picked } : undefined;
  }
  const exported = definitionsOf(target, name);
  const d = exported.find((x) => x.scope === null) ?? exported[0];
  if (d) return { file: target, node: d.value };
  const imp = target.imports.get(name);
  if (imp?.file) {
    const next = ctx.project.get(imp.file);
    if (next && imp.imported !== '*') return exportedValue(next, imp.imported, ctx, depth + 1);
  }
  for (const file of target.starExports ?? []) {
    const next = ctx.project.get(file);
    const v = next && exportedValue(next, name, ctx, depth + 1);
    if (v) return v;
  }
  return undefined;
}

/** An identifier that names a parameter of a function being followed from its call. */
function boundParameter(f: CodeFile, n: SyntaxNode, ctx: EvalContext): { value: Resolved | undefined } | undefined {
  const frames = ctx.frames;
  if (!frames?.length) return undefined;
  for (let i = frames.length - 1; i >= 0; i--) {
    const fr = frames[i];
    if (fr.file !== f.file || n.startIndex < fr.fn.startIndex || n.endIndex > fr.fn.endIndex) continue;
    if (fr.params.has(n.text)) return { value: fr.params.get(n.text) };
    // a closure (`(opts) => (text) => `…${opts.message}…``) reads the enclosing call's parameters,
    // unless the inner function defines the name itself
    if (definitionsOf(f, n.text).some((d) => d.start >= fr.fn.startIndex && d.start <= fr.fn.endIndex)) return undefined;
  }
  return undefined;
}

function staticKey(n: SyntaxNode | null | undefined): string | undefined {
  if (!n) return undefined;
  if (n.type === 'string') return n.text.replace(/^[a-zA-Z]*['"`]+|['"`]+$/g, '');
  if (n.type === 'number' || n.type === 'integer') return n.text;
  return undefined;
}

/**
 * Each object literal's keys, listed once per tree: callers ask one object for several keys (role,
 * content, parts, text, type), and finders ask every object once per key of it that they matched, so a
 * scan of the pairs per question was quadratic in a large dict (500 `role:` pairs: 1.25 M node reads).
 */
const propertyIndexes = new WeakMap<SyntaxTree, Map<number, Map<string, SyntaxNode | undefined>>>();

function propertyIndex(obj: SyntaxNode): Map<string, SyntaxNode | undefined> {
  let byNode = propertyIndexes.get(obj.tree);
  if (!byNode) propertyIndexes.set(obj.tree, (byNode = new Map()));
  let index = byNode.get(obj.id);
  if (index) return index;
  index = new Map();
  for (const p of obj.namedChildren) {
    if (!p) continue;
    let name: string | undefined;
    let value: SyntaxNode | undefined;
    if (p.type === 'shorthand_property_identifier') {
      name = p.text;
      value = p;
    } else if (p.type === 'pair') {
      const k = p.childForFieldName('key');
      if (!k) continue;
      name = k.type === 'property_identifier' || k.type === 'identifier' ? k.text : staticKey(k);
      value = name === undefined ? undefined : p.childForFieldName('value') ?? undefined;
    }
    // the first pair of a key is its value (as a scan in order found it)
    if (name !== undefined && !index.has(name)) index.set(name, value);
  }
  byNode.set(obj.id, index);
  return index;
}

/** The value of `key` in an object literal / dict node. */
export function propertyOf(obj: SyntaxNode, key: string): SyntaxNode | undefined {
  if (obj.type !== 'object' && obj.type !== 'dictionary') return undefined;
  return propertyIndex(obj).get(key);
}

// ---------------------------------------------------------------- text

function concat(ctx: EvalContext, a: TextValue, b: TextValue, origin: Loc): TextValue {
  if (!a.omitted && !b.omitted && a.text.length + b.text.length <= ctx.ceiling) return { text: a.text + b.text, origin, template: a.template ?? b.template };
  return new TextBuilder(ctx.ceiling).add(a).add(b).value(origin);
}

/** Value length including what was left out past the ceiling. */
const fullLength = (v: TextValue) => v.text.length + (v.omitted ?? 0);

/** textwrap.dedent: remove the whitespace every non-blank line starts with. */
export function dedent(text: string): string {
  const lines = text.split('\n');
  let common: string | undefined;
  for (const line of lines) {
    if (!line.trim()) continue;
    const indent = /^[ \t]*/.exec(line)![0];
    if (common === undefined || !indent.startsWith(common)) {
      let i = 0;
      const c = common ?? indent;
      while (i < c.length && i < indent.length && c[i] === indent[i]) i++;
      common = c.slice(0, i);
    }
  }
  if (!common) return lines.map((l) => (l.trim() ? l : '')).join('\n');
  return lines.map((l) => (l.trim() ? l.slice(common!.length) : '')).join('\n');
}

const DEDENT_FUNCTIONS = /^(textwrap\.)?dedent$|^(inspect\.)?cleandoc$|^dedent$|^stripIndent$|^outdent$|^(common[-_]?tags\.)?stripIndents?$/;

function stringLiteral(f: CodeFile, n: SyntaxNode, ctx: EvalContext): TextValue {
  if (f.isPython) {
    const start = n.children.find((c) => c?.type === 'string_start')?.text ?? '"';
    const prefix = start.replace(/['"]+$/, '').toLowerCase();
    const raw = prefix.includes('r');
    const fstring = prefix.includes('f');
    const out = new TextBuilder(ctx.ceiling);
    for (const c of n.children) {
      if (!c) continue;
      if (c.type === 'string_content') {
        let s = raw ? c.text : unescape(c.text, true);
        if (fstring) s = s.replace(/\{\{/g, '{').replace(/\}\}/g, '}');
        out.add(wellFormed(s));
      } else if (c.type === 'interpolation') {
        const expr = c.childForFieldName('expression') ?? c.namedChildren[0];
        if (expr) out.add({ ...embedSubstitution(f, n, expr, ctx), template: undefined });
      }
    }
    return out.value(loc(f, n), undefined);
  }
  if (n.type === 'template_string') {
    const out = new TextBuilder(ctx.ceiling);
    for (const c of n.children) {
      if (!c) continue;
      if (c.type === 'string_fragment') out.add(wellFormed(c.text));
      else if (c.type === 'escape_sequence') out.add(wellFormed(unescape(c.text, false)));
      else if (c.type === 'template_substitution') {
        const expr = c.namedChildren[0];
        if (expr) out.add({ ...embedSubstitution(f, n, expr, ctx), template: undefined });
      }
    }
    return out.value(loc(f, n), undefined);
  }
  return { text: wellFormed(unescape(n.text.slice(1, -1), false)), origin: loc(f, n) };
}

function isStringNode(n: SyntaxNode): boolean {
  return n.type === 'string' || n.type === 'template_string' || n.type === 'concatenated_string';
}

/** Nesting a value may have (definitions of definitions, nested calls) before the rest is a slot. */
const MAX_DEPTH = 200;

/** Text-ish value of an expression; dynamic slot when it cannot be known. */
export function evalText(f: CodeFile, n: SyntaxNode, ctx: EvalContext): TextValue {
  if (ctx.deadline && ((ctx.steps = (ctx.steps ?? 0) + 1) & 63) === 0) ctx.deadline.check();
  if (ctx.depth > MAX_DEPTH) return dynamic(f, n, ctx);
  ctx.depth++;
  try {
    return evalTextInner(f, n, ctx);
  } finally {
    ctx.depth--;
  }
}

/** Like evalText, but undefined for values that are certainly not text (objects, lists, numbers). */
export function evalTextOrUndefined(f: CodeFile, n: SyntaxNode, ctx: EvalContext): TextValue | undefined {
  const r = resolveExpression(f, n, ctx);
  const t = r?.node.type;
  if (t && /^(object|dictionary|array|list|tuple|number|integer|float|true|false|null|none|undefined)$/.test(t)) return undefined;
  return evalText(f, n, ctx);
}

function evalTextInner(f: CodeFile, n: SyntaxNode, ctx: EvalContext): TextValue {
  switch (n.type) {
    case 'string':
    case 'template_string':
      return stringLiteral(f, n, ctx);
    case 'concatenated_string': {
      const out = new TextBuilder(ctx.ceiling);
      for (const c of n.namedChildren) if (c) out.add({ ...stringLiteral(f, c, ctx), template: undefined });
      return out.value(loc(f, n), undefined);
    }
    case 'parenthesized_expression':
    case 'as_expression':
    case 'satisfies_expression':
    case 'non_null_expression': {
      const inner = n.namedChildren.find((c) => c && !c.type.endsWith('_type') && c.type !== 'type_identifier' && c.type !== 'type_annotation');
      if (!inner) return dynamic(f, n, ctx);
      // a part starts at the literal holding its text, not at the parenthesis around it
      return evalText(f, inner, ctx);
    }
    case 'binary_expression':
    case 'binary_operator': {
      const op = n.childForFieldName('operator')?.text ?? n.children[1]?.text;
      const left = n.childForFieldName('left');
      const right = n.childForFieldName('right');
      if (!left || !right) return dynamic(f, n, ctx);
      if (op === '+') return plusChain(f, n, ctx);
      if (op === '%' && f.isPython) return percentFormat(f, left, right, n, ctx);
      if ((op === '??' || op === '||') && isStringNode(right)) return evalText(f, right, ctx);
      return dynamic(f, n, ctx);
    }
    case 'boolean_operator': {
      // value or "default": the default is what a static reading can know
      const right = n.childForFieldName('right');
      if (!right || !isStringNode(right)) return dynamic(f, n, ctx);
      // `", ".join(LEVELS.get(p, p) for p in picked) or "none"`: a value with text of its own is one of the two
      const left = n.children[1]?.text === 'or' ? n.childForFieldName('left') : null;
      const value = left ? evalText(f, left, ctx) : undefined;
      const fallback = evalText(f, right, ctx);
      return value && hasOwnText(ctx, value) ? longestOf([value, fallback], ctx) : fallback;
    }
    case 'ternary_expression':
    case 'conditional_expression': {
      // the more expensive branch: cost is planned for the worst case
      const branches = f.isPython ? [n.namedChildren[0], n.namedChildren[2]] : [n.childForFieldName('consequence'), n.childForFieldName('alternative')];
      const values = branches.filter((b): b is SyntaxNode => !!b).map((b) => evalText(f, b, ctx));
      if (values.length !== 2) return dynamic(f, n, ctx);
      const longer = fullLength(values[0]) >= fullLength(values[1]) ? values[0] : values[1];
      // the part is the longer branch, where it is written; the other is an alternative
      return withAlternatives(longer, values, ctx);
    }
    case 'identifier':
    case 'member_expression':
    case 'attribute':
    case 'subscript_expression':
    case 'subscript': {
      // text[:7000], history[-9000:]: a slice of a text is (at most) that text
      if (n.type === 'subscript' && n.childForFieldName('subscript')?.type === 'slice') {
        const value = n.childForFieldName('value');
        return value ? evalText(f, value, ctx) : dynamic(f, n, ctx);
      }
      const r = resolveExpression(f, n, ctx);
      if (!r && n.type === 'identifier') return loopText(f, n, ctx) ?? destructuredText(f, n, ctx) ?? dynamic(f, n, ctx);
      if (!r && (n.type === 'subscript_expression' || n.type === 'subscript')) return loopEntryText(f, n, ctx) ?? pickedEntryText(f, n, ctx) ?? anyEntryText(f, n, ctx) ?? dynamic(f, n, ctx);
      if (!r && (n.type === 'member_expression' || n.type === 'attribute')) return returnedProperty(f, n, ctx) ?? loopEntryText(f, n, ctx) ?? pickedEntryText(f, n, ctx) ?? tableEntryText(f, n, ctx) ?? dynamic(f, n, ctx);
      if (!r || r.node === n || ctx.active.has(r.node.id)) return dynamic(f, n, ctx);
      if (/^(object|dictionary|array|list|number|integer|true|false|null|none)$/.test(r.node.type)) return dynamic(f, n, ctx);
      // A definition used twice (A1 = A0 + A0) is evaluated once: sharing keeps the work linear. Not
      // inside a function being followed from a call: there the value depends on that call's arguments.
      const key = `${r.file.file}\0${r.node.id}`;
      const shareable = !ctx.frames?.some((fr) => fr.file === r.file.file && fr.fn.startIndex <= r.node.startIndex && r.node.endIndex <= fr.fn.endIndex);
      const known = shareable ? ctx.shared.get(key) : undefined;
      // a local variable of this file: what `+=` adds to it and what branches assign it instead (Python and JS)
      const local = n.type === 'identifier' && r.file === f;
      const appends = local ? appendsBetween(f, n, r.node) : [];
      if (known) return appends.length ? withAppends(f, r.node, known, appends, ctx) : known;
      // a function named where text is expected (instructions: fn): followFunction guards its own recursion
      if (FUNCTION_NODE.test(r.node.type)) return followFunction(r.file, r.node, ctx, undefined) ?? dynamic(f, n, ctx);
      ctx.active.add(r.node.id);
      try {
        let v = evalText(r.file, r.node, ctx);
        if (local && f.isPython) v = passedThrough(f, n, r.node, v, ctx);
        if (shareable) ctx.shared.set(key, v);
        // the longest of the texts assigned in branches, then what `+=` adds after them
        const chosen = local ? withBranchDefinitions(f, n, r.node, v, ctx) : r.file === f ? withMemberDefinitions(f, n, r.node, v, ctx) : v;
        return appends.length ? withAppends(f, r.node, chosen, appends, ctx) : chosen;
      } finally {
        ctx.active.delete(r.node.id);
      }
    }
    case 'call_expression':
    case 'call':
      return evalCall(f, n, ctx);
    case 'property_identifier':
      // an object's key bound as a value (`Object.entries({ docs: '…' }).map(([type, text]) => …)`): its name
      return { text: n.text, origin: loc(f, n) };
    case 'await_expression':
      // `await readFile(…)`: a file's text; any other awaited value is known at run time only
      return fileText(f, n, ctx) ?? dynamic(f, n, ctx);
    case 'shorthand_property_identifier': {
      const r = resolveExpression(f, n, ctx);
      if (!r) return loopText(f, n, ctx) ?? destructuredText(f, n, ctx) ?? dynamic(f, n, ctx);
      if (!r || r.node === n || ctx.active.has(r.node.id) || /^(object|dictionary|array|list|number|integer|true|false|null|none)$/.test(r.node.type)) return dynamic(f, n, ctx);
      ctx.active.add(r.node.id);
      try {
        const v = evalText(r.file, r.node, ctx);
        if (r.file !== f) return v;
        // `{ system }` where `let system = …` was replaced in branches or added to: as for the name itself
        const appends = appendsBetween(f, n, r.node);
        const chosen = withBranchDefinitions(f, n, r.node, v, ctx);
        return appends.length ? withAppends(f, r.node, chosen, appends, ctx) : chosen;
      } finally {
        ctx.active.delete(r.node.id);
      }
    }
    default:
      // a function given where text is expected (instructions=fn): the text it returns
      if (FUNCTION_NODE.test(n.type)) return followFunction(f, n, ctx, undefined) ?? dynamic(f, n, ctx);
      return dynamic(f, n, ctx);
  }
}

/**
 * Python `conv = clean_up(conv)`, `text = limit_words(text, 5000)`: a variable reassigned from a call on
 * its own earlier value, whose result cannot be known statically, still holds (about) that text.
 */
function passedThrough(f: CodeFile, use: SyntaxNode, def: SyntaxNode, v: TextValue, ctx: EvalContext): TextValue {
  const hasText = (x: TextValue) => !!inlineText(ctx, x).replace(MARKER_RE, '').trim();
  if (def.type !== 'call' || hasText(v)) return v;
  const own = args(def).positional.find((a) => a.type === 'identifier' && a.text === use.text);
  if (!own) return v;
  const earlier = evalText(f, own, ctx);
  return hasText(earlier) ? earlier : v;
}

const BRANCH_NODE = /^(if_statement|elif_clause|else_clause|try_statement|except_clause|except_group_clause|catch_clause|for_statement|for_in_statement|while_statement|do_statement|match_statement|case_clause|switch_case|switch_default|conditional_expression|ternary_expression)$/;

/**
 * Python: a variable assigned in branches (`if …: x = "…" else: x = …`, `try: … except: x = ""`) holds
 * any of those values where it is used. From the definition the use resolved to, each earlier
 * assignment in the same function is taken while the one after it is conditional (in a branch that does
 * not contain the use); the longest is the value, the others its alternatives.
 */
function withBranchDefinitions(f: CodeFile, use: SyntaxNode, def: SyntaxNode, v: TextValue, ctx: EvalContext): TextValue {
  const defs = definitionsOf(f, use.text);
  if (defs.length < 2) return v;
  const chosen = defs.find((d) => d.value.id === def.id);
  if (!chosen) return v;
  const conditional = (d: Definition) => {
    for (let p = d.value.parent; p && p.id !== chosen.scope?.id; p = p.parent) {
      if (p.startIndex <= use.startIndex && use.endIndex <= p.endIndex) return false;
      if (BRANCH_NODE.test(p.type)) return true;
    }
    return false;
  };
  if (!conditional(chosen)) return v;
  // `prompt = addSection(prompt)`: built on the value before it (followed already), not another text instead of it
  if (new RegExp(`(?<![\\w$.])${use.text.replace(/[$]/g, '\\$&')}(?![\\w$])`).test(def.text)) return v;
  const earlier = defs
    .filter((d) => d !== chosen && d.scope?.id === chosen.scope?.id && d.start < chosen.start && !(d.value.startIndex <= use.startIndex && use.endIndex <= d.value.endIndex))
    .sort((a, b) => b.start - a.start);
  const values: TextValue[] = [v];
  for (const d of earlier.slice(0, 8)) {
    if (ctx.active.has(d.value.id)) break;
    ctx.active.add(d.value.id);
    try {
      values.push(evalText(f, d.value, ctx));
    } finally {
      ctx.active.delete(d.value.id);
    }
    if (!conditional(d)) break;
  }
  if (values.length < 2) return v;
  const longest = values.reduce((a, b) => (fullLength(b) > fullLength(a) ? b : a));
  return withAlternatives(longest, values, ctx);
}

/** Most other assignments of an object's attribute taken as the texts it may hold. */
const MAX_MEMBER_DEFINITIONS = 8;

/**
 * `self.stage` / `this.stage` read in one method and given its text in several places of the class (a class
 * body default, `self.stage = STAGES.get(key)` in another method): any of them, the longest the value and
 * the others its alternatives, each where it is written. Python and JS; only the class the use is in.
 */
function withMemberDefinitions(f: CodeFile, use: SyntaxNode, def: SyntaxNode, v: TextValue, ctx: EvalContext): TextValue {
  if ((use.type !== 'attribute' && use.type !== 'member_expression') || !/^(self|this)\.[A-Za-z_$][\w$]*$/.test(use.text)) return v;
  const defs = definitionsOf(f, use.text);
  if (defs.length < 2) return v;
  const cls = enclosingClass(f, use);
  if (!cls) return v;
  const values: TextValue[] = [v];
  for (const d of defs) {
    if (values.length > MAX_MEMBER_DEFINITIONS) break;
    if (d.value.id === def.id || ctx.active.has(d.value.id) || d.value.startIndex < cls.startIndex || d.value.endIndex > cls.endIndex) continue;
    ctx.active.add(d.value.id);
    try {
      values.push(evalText(f, d.value, ctx));
    } finally {
      ctx.active.delete(d.value.id);
    }
  }
  return values.length > 1 ? longestOf(values, ctx) : v;
}

/**
 * `prompt += "…"` statements (Python and JS) between a variable's definition `def` and its use `use`, in
 * the same function (any branch and loop: cost is planned for the worst case; a loop's text once, its
 * per-item values slots), not in nested functions other than callbacks run in place (`forEach`).
 */
function appendsBetween(f: CodeFile, use: SyntaxNode, def: SyntaxNode): SyntaxNode[] {
  const name = use.text;
  if (def.endIndex >= use.startIndex) return [];
  // in a loop begun after the definition, what the loop's body appends later reaches the use on the next pass
  let end = use.startIndex;
  for (let p = use.parent; p && p.startIndex > def.endIndex; p = p.parent) {
    if (FUNCTION_NODE.test(p.type)) break;
    if (p.type === 'for_statement' || p.type === 'while_statement') end = Math.max(end, p.endIndex);
  }
  const between = f.text.slice(def.endIndex, end);
  if (!between.includes('+=')) return [];
  // the function a statement runs in, through callbacks run in place (`items.forEach((x, i) => { p += … })`)
  const fnOf = (x: SyntaxNode) => {
    for (let c: SyntaxNode | null = x.parent; c; c = c.parent) if (FUNCTION_NODE.test(c.type) && !isInPlaceCallback(c)) return c.id;
    return -1;
  };
  const scope = fnOf(def);
  const out: SyntaxNode[] = [];
  const re = new RegExp(`(?<![\\w$.])${name.replace(/[$]/g, '\\$&')}\\s*\\+=`, 'g');
  for (const m of between.matchAll(re)) {
    const at = def.endIndex + (m.index ?? 0);
    const target = f.tree.rootNode.descendantForIndex(at, at + name.length);
    const stmt = target?.parent;
    if (!stmt || !/^augmented_assignment(_expression)?$/.test(stmt.type) || stmt.childForFieldName('left')?.id !== target.id) continue;
    const right = stmt.childForFieldName('right');
    if (right && fnOf(stmt) === scope && out.length < 64) out.push(right);
  }
  return out;
}

/** Array methods that call their callback before they return (a `+=` in it reaches what follows). */
const IN_PLACE_METHOD = /^(forEach|map|flatMap|filter|reduce|some|every|find)$/;

/** A function given to `list.forEach(…)` and alike (JS): it runs where it is written, once per element. */
function isInPlaceCallback(fn: SyntaxNode): boolean {
  const call = fn.parent?.type === 'arguments' ? fn.parent.parent : undefined;
  const callee = call?.type === 'call_expression' ? call.childForFieldName('function') : undefined;
  return callee?.type === 'member_expression' && IN_PLACE_METHOD.test(callee.childForFieldName('property')?.text ?? '');
}

/** A value followed by the text appended to it with `+=`; each appended literal is reported where it is written. */
function withAppends(f: CodeFile, def: SyntaxNode, v: TextValue, appends: SyntaxNode[], ctx: EvalContext): TextValue {
  let out = v;
  for (const a of appends) {
    const added = evalText(f, a, ctx);
    // `p += "\n\n" + section()`: no text of its own, only what it joins (each reported where it is written)
    out = concat(ctx, out, added.text.replace(MARKER_RE, '').trim() ? embed(f, def, added, ctx) : added, v.origin);
  }
  return out;
}

/**
 * `TEXTS[key]` with a key known only at run time, on an object / dict literal of texts: the longest
 * entry is the value, the others its alternatives (cost is planned for the worst case).
 */
function anyEntryText(f: CodeFile, n: SyntaxNode, ctx: EvalContext): TextValue | undefined {
  const objNode = n.childForFieldName('object') ?? n.childForFieldName('value');
  const obj = objNode && resolveExpression(f, objNode, ctx);
  // `observation[key]` where `observation = self.render_observation(…)` returns a dict literal: any of its entries
  const made = obj && /^(call|call_expression)$/.test(obj.node.type) ? withReturnedObject(obj.file, obj.node, ctx, (o) => entryTexts(o, ctx)) : undefined;
  if (made?.length) return longestOf(made, ctx);
  if (!obj || !/^(object|dictionary)$/.test(obj.node.type)) return undefined;
  const values = entryTexts(obj, ctx);
  return values.length ? longestOf(values, ctx) : undefined;
}

/**
 * `spec["role"]` where `spec = TEAM[who]` (or `TEAM[who].role` itself) and TEAM is a dict of dicts
 * picked by a run-time key: that entry of each inner dict, the longest the value and the others its
 * alternatives. An inner dict may be named (`{ en, fr }`, imported JSON files: one per locale).
 */
function pickedEntryText(f: CodeFile, n: SyntaxNode, ctx: EvalContext): TextValue | undefined {
  const objNode = n.childForFieldName('object') ?? n.childForFieldName('value');
  const key = n.type === 'member_expression' || n.type === 'attribute'
    ? (n.childForFieldName('property') ?? n.childForFieldName('attribute'))?.text
    : staticKey(n.childForFieldName('index') ?? n.childForFieldName('subscript'));
  const picked = objNode && key !== undefined ? (/^subscript(_expression)?$/.test(objNode.type) ? { file: f, node: objNode } : resolveExpression(f, objNode, ctx)) : undefined;
  if (key === undefined || !picked || !/^subscript(_expression)?$/.test(picked.node.type)) return undefined;
  const outerNode = picked.node.childForFieldName('object') ?? picked.node.childForFieldName('value');
  const outer = outerNode ? resolveExpression(picked.file, outerNode, ctx) : undefined;
  if (!outer || !/^(object|dictionary)$/.test(outer.node.type) || ctx.active.has(outer.node.id)) return undefined;
  const values: TextValue[] = [];
  ctx.active.add(outer.node.id);
  try {
    for (const pair of outer.node.namedChildren.slice(0, MAX_LOOP_ELEMENTS)) {
      const entry = pair?.type === 'pair' ? pair.childForFieldName('value') : pair?.type === 'shorthand_property_identifier' ? pair : undefined;
      const inner = !entry ? undefined : /^(object|dictionary)$/.test(entry.type) ? { file: outer.file, node: entry } : resolveExpression(outer.file, entry, ctx);
      const v = inner && /^(object|dictionary)$/.test(inner.node.type) ? propertyOf(inner.node, key) : undefined;
      if (!inner || !v || !/string|template|binary|concatenated/.test(v.type)) continue;
      const t = evalText(inner.file, v, ctx);
      if (hasOwnText(ctx, t)) values.push(t);
    }
  } finally {
    ctx.active.delete(outer.node.id);
  }
  return values.length ? longestOf(values, ctx) : undefined;
}

/** Inner objects a table walk collects, at most (a table per language and case is a few dozen). */
const MAX_TABLE_OBJECTS = 64;

/**
 * The object literals an expression may be when it picks from a nested table at run time: `T[kind]`,
 * `T[kind] || T['']`, `byLocale[lang] ?? byLocale.en`, a variable holding one, or what a project function
 * returns (`examplesFor(kind, lang)` returning such a pick). A static key takes that entry, a run-time key
 * every entry that is an object. Undefined when the expression reaches no object literal this way.
 */
function tableObjects(f: CodeFile, n: SyntaxNode, ctx: EvalContext, depth = 0): Resolved[] | undefined {
  if (depth > 16) return undefined;
  let node = n;
  while (/^(parenthesized_expression|as_expression|satisfies_expression|non_null_expression)$/.test(node.type) && node.namedChildren[0]) node = node.namedChildren[0];
  if (node.type === 'object') return [{ file: f, node }];
  if (node.type === 'binary_expression' && /^(\|\||\?\?)$/.test(node.childForFieldName('operator')?.text ?? '')) {
    const all = [node.childForFieldName('left'), node.childForFieldName('right')].flatMap((s) => (s ? tableObjects(f, s, ctx, depth + 1) ?? [] : []));
    return all.length ? dedupeObjects(all) : undefined;
  }
  if (node.type === 'ternary_expression') {
    const all = [node.childForFieldName('consequence'), node.childForFieldName('alternative')].flatMap((s) => (s ? tableObjects(f, s, ctx, depth + 1) ?? [] : []));
    return all.length ? dedupeObjects(all) : undefined;
  }
  if (node.type === 'subscript_expression' || node.type === 'member_expression') {
    const objNode = node.childForFieldName('object');
    if (!objNode) return undefined;
    const key = node.type === 'member_expression' ? node.childForFieldName('property')?.text : staticKey(node.childForFieldName('index'));
    // a name of its own resolving straight to an object (`LOCALES.en`): the ordinary resolution
    const direct = key !== undefined ? resolveExpression(f, node, ctx) : undefined;
    if (direct && direct.node !== node && direct.node.type === 'object') return [direct];
    const outer = tableObjects(f, objNode, ctx, depth + 1);
    if (!outer) return undefined;
    const out: Resolved[] = [];
    for (const o of outer) {
      const entries = key !== undefined ? [propertyOf(o.node, key)] : o.node.namedChildren.map((p) => (p?.type === 'pair' ? p.childForFieldName('value') : p?.type === 'shorthand_property_identifier' ? p : undefined));
      for (const e of entries) {
        if (!e || out.length >= MAX_TABLE_OBJECTS) continue;
        const inner = e.type === 'object' ? { file: o.file, node: e } : resolveExpression(o.file, e, ctx);
        if (inner?.node.type === 'object') out.push(inner);
      }
    }
    return out.length ? dedupeObjects(out) : undefined;
  }
  if (node.type === 'identifier') {
    const r = resolveExpression(f, node, ctx);
    if (!r || r.node === node || ctx.active.has(r.node.id)) return undefined;
    if (r.node.type === 'object') return [r];
    ctx.active.add(r.node.id);
    try {
      return tableObjects(r.file, r.node, ctx, depth + 1);
    } finally {
      ctx.active.delete(r.node.id);
    }
  }
  if (node.type === 'call_expression') {
    const callee = node.childForFieldName('function');
    const target = callee && resolveExpression(f, callee, ctx);
    if (!target || target.node === callee || !FUNCTION_NODE.test(target.node.type) || ctx.active.has(target.node.id)) return undefined;
    ctx.active.add(target.node.id);
    try {
      const all = returnedExpressions(target.node).flatMap((r) => tableObjects(target.file, r, ctx, depth + 1) ?? []);
      return all.length ? dedupeObjects(all) : undefined;
    } finally {
      ctx.active.delete(target.node.id);
    }
  }
  return undefined;
}

function dedupeObjects(list: Resolved[]): Resolved[] {
  const seen = new Set<number>();
  return list.filter((r) => !seen.has(r.node.id) && (seen.add(r.node.id), true)).slice(0, MAX_TABLE_OBJECTS);
}

/**
 * `example.subject` where `example = examplesFor(kind, lang)` picks an entry of a table of tables by
 * run-time keys (few-shot examples per language and case): that key of every object the pick may give,
 * the longest the value and the others its alternatives, each a part where it is written. JS/TS.
 */
function tableEntryText(f: CodeFile, n: SyntaxNode, ctx: EvalContext): TextValue | undefined {
  if (f.isPython || n.type !== 'member_expression') return undefined;
  const key = n.childForFieldName('property')?.text;
  const objNode = n.childForFieldName('object');
  if (!key || !objNode) return undefined;
  const objects = tableObjects(f, objNode, ctx);
  // one object is the ordinary property resolution's business; a table gives several
  if (!objects || objects.length < 2) return undefined;
  const values: TextValue[] = [];
  for (const o of objects) {
    const v = propertyOf(o.node, key);
    if (!v || !/^(string|template_string|binary_expression)$/.test(v.type)) continue;
    const t = evalText(o.file, v, ctx);
    if (hasOwnText(ctx, t)) values.push(t);
  }
  return values.length ? longestOf(values, ctx) : undefined;
}

/** `v` holds static text: of its own, or in the fragments it holds (`\`\n${list}\``). */
function hasOwnText(ctx: EvalContext, v: TextValue): boolean {
  return !!v.text.replace(MARKER_RE, '').trim() || (hasSpecial(ctx, v.text) && !!inlineText(ctx, v).replace(MARKER_RE, '').trim());
}

/** The texts of an object / dict literal's text entries (those with static text). */
function entryTexts(obj: Resolved, ctx: EvalContext): TextValue[] {
  if (ctx.active.has(obj.node.id)) return [];
  const values: TextValue[] = [];
  ctx.active.add(obj.node.id);
  try {
    for (const pair of obj.node.namedChildren.slice(0, MAX_LOOP_ELEMENTS)) {
      const v = pair?.type === 'pair' ? pair.childForFieldName('value') : undefined;
      if (!v || !/string|template|binary|concatenated/.test(v.type)) continue;
      const t = evalText(obj.file, v, ctx);
      if (hasOwnText(ctx, t)) values.push(t);
    }
  } finally {
    ctx.active.delete(obj.node.id);
  }
  return values;
}

/** The texts of a literal list's text elements (those with static text). */
function elementTexts(list: Resolved, ctx: EvalContext): TextValue[] {
  if (ctx.active.has(list.node.id)) return [];
  const values: TextValue[] = [];
  ctx.active.add(list.node.id);
  try {
    for (const el of list.node.namedChildren.slice(0, MAX_LOOP_ELEMENTS)) {
      if (!el || el.type === 'comment') continue;
      const t = evalTextOrUndefined(list.file, el, ctx);
      if (t && t.text.replace(MARKER_RE, '').trim()) values.push(t);
    }
  } finally {
    ctx.active.delete(list.node.id);
  }
  return values;
}

/** One of several texts an expression may take: the longest is the value, the others its alternatives (cost is planned for the worst case). */
function longestOf(values: TextValue[], ctx: EvalContext): TextValue {
  const longest = values.reduce((a, b) => (fullLength(b) > fullLength(a) ? b : a));
  return withAlternatives(longest, values, ctx);
}

/**
 * `getPrompts().system`, `prompt.user` where `prompt = buildPrompt(q)`: the property of the object the
 * project's function returns, its parameters bound to the call's arguments; each return's a candidate
 * (the longest is the value, the others its alternatives).
 */
function returnedProperty(f: CodeFile, n: SyntaxNode, ctx: EvalContext): TextValue | undefined {
  const objNode = n.childForFieldName('object');
  const key = (n.childForFieldName('property') ?? n.childForFieldName('attribute'))?.text;
  if (!objNode || !key) return undefined;
  return propertyOfValue(f, objNode, key, ctx);
}

/** The text of `key` in what `objNode` is: an object literal, or the object a project function returns. */
function propertyOfValue(f: CodeFile, objNode: SyntaxNode, key: string, ctx: EvalContext): TextValue | undefined {
  const made = resolveExpression(f, objNode, ctx) ?? { file: f, node: objNode };
  const prop = propertyOf(made.node, key);
  if (prop) return evalText(made.file, prop, ctx);
  let call = made.node;
  if (call.type === 'await_expression') call = call.namedChildren[0] ?? call;
  if (call.type !== 'call_expression' && call.type !== 'call') return undefined;
  const callee = call.childForFieldName('function');
  const target = callee && resolveExpression(made.file, callee, ctx);
  if (!target || target.node === callee || !FUNCTION_NODE.test(target.node.type)) return undefined;
  const { positional, named } = args(call);
  return followFunction(target.file, target.node, ctx, { file: made.file, positional, named }, (r) => {
    const obj = resolveExpression(r.file, r.node, ctx);
    const prop = obj && propertyOf(obj.node, key);
    return prop ? { file: obj.file, node: prop } : undefined;
  });
}

/** `const { system, user: u } = buildPrompt(…)` declarations of a file, by the local name they bind. */
const destructurings = new WeakMap<CodeFile, Map<string, { declarator: SyntaxNode; key: string }[]>>();

function destructuringsOf(f: CodeFile): Map<string, { declarator: SyntaxNode; key: string }[]> {
  let map = destructurings.get(f);
  if (map) return map;
  map = new Map();
  destructurings.set(f, map);
  if (f.isPython) return map;
  for (const m of f.text.matchAll(/\b(?:const|let|var)\s*\{/g)) {
    const at = (m.index ?? 0) + m[0].length - 1;
    let pattern: SyntaxNode | null = f.tree.rootNode.descendantForIndex(at, at + 1);
    if (pattern && pattern.type === '{') pattern = pattern.parent;
    const declarator = pattern?.parent;
    if (pattern?.type !== 'object_pattern' || declarator?.type !== 'variable_declarator' || !declarator.childForFieldName('value')) continue;
    for (const p of pattern.namedChildren) {
      const key = p?.type === 'shorthand_property_identifier_pattern' ? p.text : p?.type === 'pair_pattern' ? p.childForFieldName('key')?.text : p?.type === 'object_assignment_pattern' ? p.childForFieldName('left')?.text : undefined;
      const local = p?.type === 'pair_pattern' ? p.childForFieldName('value')?.text : key;
      if (!key || !local || !/^[\w$]+$/.test(local)) continue;
      const list = map.get(local) ?? [];
      list.push({ declarator, key });
      map.set(local, list);
    }
  }
  return map;
}

/** A name bound by destructuring (`const { system } = getPrompt(…)`): that property of the value. */
function destructuredText(f: CodeFile, n: SyntaxNode, ctx: EvalContext): TextValue | undefined {
  const all = destructuringsOf(f).get(n.text);
  if (!all) return undefined;
  const inScope = all.filter(({ declarator: d }) => {
    if (d.endIndex > n.startIndex) return false;
    for (let c: SyntaxNode | null = d.parent; c; c = c.parent) if (FUNCTION_NODE.test(c.type) || c.type === 'statement_block') return c.startIndex <= n.startIndex && n.endIndex <= c.endIndex;
    return true;
  });
  const d = inScope[inScope.length - 1];
  const value = d?.declarator.childForFieldName('value');
  if (!d || !value || ctx.active.has(d.declarator.id)) return undefined;
  ctx.active.add(d.declarator.id);
  try {
    return propertyOfValue(f, value.type === 'await_expression' ? value.namedChildren[0] ?? value : value, d.key, ctx);
  } finally {
    ctx.active.delete(d.declarator.id);
  }
}

/**
 * An entry of a loop variable over a literal list of objects or dicts — `step["task"]` in
 * `for step in steps`, `s.task` in `for (const s of steps)` — takes that entry of each element in turn.
 */
export function loopEntryText(f: CodeFile, n: SyntaxNode, ctx: EvalContext): TextValue | undefined {
  const objNode = n.childForFieldName('object') ?? n.childForFieldName('value');
  const key = n.type === 'member_expression' || n.type === 'attribute'
    ? (n.childForFieldName('property') ?? n.childForFieldName('attribute'))?.text
    : staticKey(n.childForFieldName('index') ?? n.childForFieldName('subscript'));
  if (objNode?.type !== 'identifier' || key === undefined) return undefined;
  return loopText(f, objNode, ctx, key);
}

const loopNames = new WeakMap<CodeFile, Set<string>>();
/** Characters no identifier holds (ASCII punctuation but `$` and `_`, and white space). */
const NOT_IN_NAME = /[\s!-#%-/:-@[-^`{-~]+/;

/**
 * Every word in the left side of the file's `for` loops (`for x in`, `for i, x in`, `for (const [i, q] of`,
 * `for (const { input } of`): a superset of the names loopText can find a loop for. One pass, in text order.
 */
function namesBoundByLoops(f: CodeFile): Set<string> {
  let names = loopNames.get(f);
  if (names) return names;
  names = new Set();
  const up = ancestryOf(f);
  for (const m of f.text.matchAll(/(?<![\w$])for(?![\w$])/g)) {
    const keyword = up.at(m.index, m.index + 3);
    const loop = keyword.type === 'for' ? up.parent(keyword) : null;
    if (loop?.type !== 'for_in_statement' && loop?.type !== 'for_statement') continue;
    for (const word of loop.childForFieldName('left')?.text.split(NOT_IN_NAME) ?? []) if (word) names.add(word);
  }
  loopNames.set(f, names);
  return names;
}

/** Most elements of a literal list a loop variable is read from (the rest are left out). */
const MAX_LOOP_ELEMENTS = 64;

/**
 * A loop variable over a literal list — `for (const q of ['…', '…'])`, `for (const { input } of cases)`,
 * `for (const [i, q] of questions.entries())`, `for q in ["…"]` — takes each element's text in turn: the longest is the value, the others are its
 * alternatives. Undefined when `n` is not bound by such a loop or no element is text.
 */
function loopText(f: CodeFile, n: SyntaxNode, ctx: EvalContext, entry?: string): TextValue | undefined {
  // This runs for every name evaluated: a name no loop of the file binds is not walked up from at all,
  // and the walk goes through the file's Ancestry (each `node.parent` is a walk down from the root).
  if (!namesBoundByLoops(f).has(n.text)) return undefined;
  const up = ancestryOf(f);
  for (let p = up.parent(n); p; p = up.parent(p)) {
    if (FUNCTION_NODE.test(p.type)) return undefined;
    if (p.type !== 'for_in_statement' && p.type !== 'for_statement') continue;
    const left = p.childForFieldName('left');
    const right = p.childForFieldName('right');
    if (!left || !right || n.startIndex < right.endIndex) continue; // the loop's own header
    let key = entry;
    let listNode = right;
    if (left.type === 'identifier') {
      if (left.text !== n.text) continue;
    } else if (left.type === 'pattern_list' || left.type === 'tuple_pattern') {
      // `for i, step in enumerate(steps, 1)`: the second name is each element
      const names = left.namedChildren.filter((c) => c && c.type !== 'comment');
      const callee = right.type === 'call' ? right.childForFieldName('function') : undefined;
      const list = callee?.text === 'enumerate' ? right.childForFieldName('arguments')?.namedChildren.find((c) => c && c.type !== 'comment') : undefined;
      if (names.length !== 2 || names[1]?.type !== 'identifier' || names[1].text !== n.text || !list) continue;
      listNode = list;
    } else if (left.type === 'array_pattern') {
      // `for (const [i, q] of questions.entries())`: the second name is each element
      const names = left.namedChildren.filter((c) => c && c.type !== 'comment');
      const callee = right.type === 'call_expression' ? right.childForFieldName('function') : undefined;
      const list = callee?.type === 'member_expression' && callee.childForFieldName('property')?.text === 'entries' ? callee.childForFieldName('object') : undefined;
      if (names.length !== 2 || names[1]?.type !== 'identifier' || names[1].text !== n.text || !list || right.childForFieldName('arguments')?.namedChildren.length) continue;
      listNode = list;
    } else if (left.type === 'object_pattern' && entry === undefined) {
      const bound = left.namedChildren.find((c) => c?.type === 'shorthand_property_identifier_pattern' && c.text === n.text)
        ?? left.namedChildren.find((c) => c?.type === 'pair_pattern' && c.childForFieldName('value')?.text === n.text);
      if (!bound) continue;
      key = bound.type === 'pair_pattern' ? bound.childForFieldName('key')?.text : bound.text;
    } else continue;
    const list = resolveExpression(f, listNode, ctx);
    // `for d in [STYLES.get(s, s) for s in picked]`: each element is what the comprehension makes
    if (list && f.isPython && key === undefined && /^(list_comprehension|generator_expression)$/.test(list.node.type)) return comprehensionElement(list, ctx);
    if (!list || !/^(array|list|tuple)$/.test(list.node.type) || ctx.active.has(list.node.id)) return undefined;
    const values: TextValue[] = [];
    ctx.active.add(list.node.id);
    try {
      for (const el of list.node.namedChildren.slice(0, MAX_LOOP_ELEMENTS)) {
        if (!el || el.type === 'comment') continue;
        let item: Resolved | undefined = { file: list.file, node: el };
        if (key !== undefined) {
          const obj = resolveExpression(list.file, el, ctx);
          const v = obj && propertyOf(obj.node, key);
          item = v && obj ? { file: obj.file, node: v } : undefined;
        }
        const v = item && evalTextOrUndefined(item.file, item.node, ctx);
        if (v && v.text.replace(MARKER_RE, '').trim()) values.push(v);
      }
    } finally {
      ctx.active.delete(list.node.id);
    }
    if (!values.length) return undefined;
    const longest = values.reduce((a, b) => (fullLength(b) > fullLength(a) ? b : a));
    return withAlternatives(longest, values, ctx);
  }
  return undefined;
}

export const FUNCTION_NODE = /^(function_definition|function_declaration|generator_function_declaration|function_expression|function|arrow_function|lambda|method_definition)$/;

/** Returns read from one function: a builder switching over its cases returns one text per case. */
const MAX_RETURNS = 24;
const NO_TEXT_RETURN = /^(null|none|true|false|number|integer|float|undefined)$/;

/** The expressions a function returns (its own return statements, not nested functions'), or an arrow's body. */

export function returnedExpressions(fn: SyntaxNode): SyntaxNode[] {
  const body = fn.childForFieldName('body');
  if (!body) return [];
  if ((fn.type === 'arrow_function' && body.type !== 'statement_block') || fn.type === 'lambda') return [body];
  const out: SyntaxNode[] = [];
  const walk = (n: SyntaxNode) => {
    for (const c of n.namedChildren) {
      if (!c || out.length >= MAX_RETURNS) continue;
      if (FUNCTION_NODE.test(c.type) || /^class_(definition|declaration)$/.test(c.type)) continue;
      if (c.type === 'return_statement') {
        const e = c.namedChildren.find((x) => x && x.type !== 'comment');
        // `return null` on a bad input says nothing: a switch of a dozen prompts guarded so keeps its texts
        if (e && !NO_TEXT_RETURN.test(e.type) && e.text !== 'undefined') out.push(e);
      } else walk(c);
    }
  };
  walk(body);
  return out;
}

interface CallArgs { file: CodeFile; positional: SyntaxNode[]; named: Map<string, SyntaxNode> }

/** Parameters of `fn` bound to a call's arguments (defaults where none is given). */
function bindParameters(file: CodeFile, fn: SyntaxNode, call: CallArgs | undefined, ctx: EvalContext): Map<string, Resolved | undefined> {
  const params = new Map<string, Resolved | undefined>();
  const list = fn.childForFieldName('parameters') ?? fn.childForFieldName('parameter');
  if (!list) return params;
  const items = list.type === 'identifier' ? [list] : list.namedChildren.filter((c): c is SyntaxNode => !!c && c.type !== 'comment');
  let index = 0;
  const argAt = (name: string | undefined): Resolved | undefined => {
    const byName = name && call?.named.get(name);
    if (byName) return { file: call!.file, node: byName };
    const p = call?.positional[index];
    return p && p.type !== 'list_splat' && p.type !== 'spread_element' ? { file: call!.file, node: p } : undefined;
  };
  for (const item of items) {
    let nameNode: SyntaxNode | null | undefined;
    let fallback: SyntaxNode | null | undefined;
    switch (item.type) {
      case 'identifier': nameNode = item; break;
      case 'typed_parameter': nameNode = item.namedChildren.find((c) => c?.type === 'identifier'); break;
      case 'default_parameter': case 'typed_default_parameter': nameNode = item.childForFieldName('name'); fallback = item.childForFieldName('value'); break;
      case 'required_parameter': case 'optional_parameter': nameNode = item.childForFieldName('pattern'); fallback = item.childForFieldName('value'); break;
      case 'assignment_pattern': nameNode = item.childForFieldName('left'); fallback = item.childForFieldName('right'); break;
      case 'object_pattern': case 'array_pattern': nameNode = item; break;
      default: index++; continue; // *args, **kwargs, rest
    }
    if (!nameNode) continue;
    if (nameNode.type === 'identifier' && /^(self|cls)$/.test(nameNode.text) && file.isPython) continue;
    const given = argAt(nameNode.type === 'identifier' ? nameNode.text : undefined);
    if (nameNode.type === 'array_pattern') {
      // ([key, value]) => … called with an object's entry (Object.entries(…).map) or a literal pair
      const names = nameNode.namedChildren.filter((c): c is SyntaxNode => !!c && c.type !== 'comment');
      const arg = given && (given.node.type === 'pair' ? given : resolveExpression(given.file, given.node, ctx) ?? given);
      const items = !arg ? [] : arg.node.type === 'pair' ? [arg.node.childForFieldName('key'), arg.node.childForFieldName('value')] : arg.node.type === 'array' ? arg.node.namedChildren.filter((c) => c?.type !== 'comment') : [];
      names.forEach((name, k) => {
        if (name.type === 'identifier') params.set(name.text, items[k] ? { file: arg!.file, node: items[k]! } : undefined);
      });
      index++;
      continue;
    }
    if (nameNode.type === 'object_pattern') {
      // ({ name, topic = 'x' }) => … called with ({ name: …, topic: … })
      const obj = given && (resolveExpression(given.file, given.node, ctx) ?? given);
      for (const p of nameNode.namedChildren) {
        if (!p) continue;
        const key = p.type === 'shorthand_property_identifier_pattern' ? p.text
          : p.type === 'object_assignment_pattern' ? p.childForFieldName('left')?.text
          : p.type === 'pair_pattern' ? p.childForFieldName('key')?.text : undefined;
        const local = p.type === 'pair_pattern' ? p.childForFieldName('value')?.text : key;
        if (!key || !local) continue;
        const v = obj && (obj.node.type === 'object' ? propertyOf(obj.node, key) : undefined);
        params.set(local, v ? { file: obj!.file, node: v } : undefined);
      }
    } else {
      // a call that leaves the parameter out gets its default when that is a name of the program
      // (`rules = RULES`): a literal default (`name="World"`) stands for what callers usually pass, and
      // an unbound parameter stays a slot
      const byDefault = !given && call && fallback && /^(identifier|member_expression|attribute)$/.test(fallback.type) ? { file, node: fallback } : undefined;
      params.set(nameNode.text, given ?? byDefault);
    }
    index++;
  }
  return params;
}

/** The text `fn` returns, its parameters slots filled from `call`'s arguments; the longest return wins. */
export function followFunction(file: CodeFile, fn: SyntaxNode, ctx: EvalContext, call: CallArgs | undefined, pick?: (returned: Resolved) => Resolved | undefined): TextValue | undefined {
  if (ctx.active.has(fn.id) || (ctx.frames?.length ?? 0) >= 6) return undefined;
  const returns = returnedExpressions(fn);
  if (!returns.length) return undefined;
  const frame: Frame = { file: file.file, fn, params: bindParameters(file, fn, call, ctx) };
  (ctx.frames ??= []).push(frame);
  ctx.active.add(fn.id);
  try {
    let best: TextValue | undefined;
    let bestLength = -1;
    const values: TextValue[] = [];
    for (const r of returns) {
      const at = pick ? pick({ file, node: r }) : { file, node: r };
      const v = at && evalTextOrUndefined(at.file, at.node, ctx);
      if (!v) continue;
      values.push(v);
      const length = inlineText(ctx, v).replace(MARKER_RE, '').trim().length;
      if (length > bestLength) {
        best = v;
        bestLength = length;
      }
    }
    // the longest return is the part; the others are its alternatives
    return best && bestLength > 0 ? withAlternatives(best, values, ctx) : undefined;
  } finally {
    ctx.active.delete(fn.id);
    ctx.frames.pop();
  }
}

/**
 * A call of the project's own function that returns a literal list (`messages=build_messages(t)`,
 * `messages: buildMessages(x)`): `use` reads the list while the function's parameters are bound to the
 * call's arguments, so what the caller passes fills the list's slots. Undefined when the call is no such
 * function or none of its returns is a list.
 */
export function withReturnedList<T>(f: CodeFile, call: SyntaxNode, ctx: EvalContext, use: (list: Resolved) => T): T | undefined {
  return withReturned(f, call, ctx, /^(list|array)$/, use);
}

/** The same for a function that returns a literal object (`example(locale)` giving one `{ role, content }` message). */
export function withReturnedObject<T>(f: CodeFile, call: SyntaxNode, ctx: EvalContext, use: (obj: Resolved) => T): T | undefined {
  return withReturned(f, call, ctx, /^(object|dictionary)$/, use);
}

function withReturned<T>(f: CodeFile, call: SyntaxNode, ctx: EvalContext, type: RegExp, use: (value: Resolved) => T): T | undefined {
  if (call.type !== 'call' && call.type !== 'call_expression') return undefined;
  const callee = call.childForFieldName('function');
  const target = callee && resolveExpression(f, callee, ctx);
  if (!target || target.node === callee || !FUNCTION_NODE.test(target.node.type)) return undefined;
  const fn = target.node;
  if (ctx.active.has(fn.id) || (ctx.frames?.length ?? 0) >= 6) return undefined;
  const { positional, named } = args(call);
  const frame: Frame = { file: target.file.file, fn, params: bindParameters(target.file, fn, { file: f, positional, named }, ctx) };
  (ctx.frames ??= []).push(frame);
  ctx.active.add(fn.id);
  try {
    for (const r of returnedExpressions(fn)) {
      const value = resolveExpression(target.file, r, ctx);
      if (value && type.test(value.node.type)) return use(value);
    }
    return undefined;
  } finally {
    ctx.active.delete(fn.id);
    ctx.frames.pop();
  }
}

function args(n: SyntaxNode): { positional: SyntaxNode[]; named: Map<string, SyntaxNode> } {
  const positional: SyntaxNode[] = [];
  const named = new Map<string, SyntaxNode>();
  for (const a of n.childForFieldName('arguments')?.namedChildren ?? []) {
    if (!a || a.type === 'comment') continue;
    if (a.type === 'keyword_argument') {
      const k = a.childForFieldName('name')?.text;
      const v = a.childForFieldName('value');
      if (k && v) named.set(k, v);
    } else positional.push(a);
  }
  return { positional, named };
}

/** Path evaluation's view of value resolution. */
function pathEnv(ctx: EvalContext): PathEnv {
  return {
    resolve: (f, n) => resolveExpression(f, n, ctx),
    text: (f, n) => {
      const v = evalText(f, n, ctx);
      return hasMarker(v.text) ? undefined : v.text;
    },
  };
}

/** The text of a workspace file the call reads (`Path(…).read_text()`, `await readFile(new URL(…))`), where it is written. */
function fileText(f: CodeFile, n: SyntaxNode, ctx: EvalContext): TextValue | undefined {
  const p = readPath(f, n, pathEnv(ctx));
  return p ? workspaceText(f, n, [p], ctx, true) : undefined;
}

/** The text of the template a jinja2 `env.get_template(name)` loads, where it is written. */
function loadedTemplate(f: CodeFile, n: SyntaxNode, ctx: EvalContext): TextValue | undefined {
  const paths = templatePaths(f, n, pathEnv(ctx));
  return paths ? workspaceText(f, n, paths, ctx) : undefined;
}

/**
 * The first of `paths` that names a workspace file, as its text where it is written. `certain`: the path
 * is the one the code reads (not a guess among template folders), so naming no file is said: a slot
 * that carries the path it looked for.
 */
function workspaceText(f: CodeFile, n: SyntaxNode, paths: PathValue[], ctx: EvalContext, certain = false): TextValue | undefined {
  const candidates = paths.flatMap((p) => candidateFiles(p, f.file));
  for (const rel of candidates) {
    if (rel === f.file) continue;
    const text = ctx.project.readText(rel);
    if (text === undefined) continue;
    // the part starts where its text does (past leading blank lines), as a literal's part does
    const start = text.length - text.trimStart().length;
    return new TextBuilder(ctx.ceiling).add(wellFormed(text)).value({ file: rel, start: start < text.length ? start : 0, end: text.length });
  }
  // A path out of the workspace: asked of the workspace reader, which refuses it and says so (file-not-read).
  // What it would have sent is not counted (empty text), not guessed as a slot: the warning says so.
  const outside = paths.map(outsideFile).filter((o): o is string => o !== undefined);
  if (!outside.length) {
    const written = paths[0]?.path.replace(/^\.\//, '');
    return certain && written && candidates.length ? { text: slotMarker(ctx, { name: slotName(n), ...loc(f, n), missing: written }), origin: loc(f, n) } : undefined;
  }
  for (const o of outside) ctx.project.readText(o);
  return { text: '', origin: loc(f, n) };
}

/** A text passed to fill a template's field, as a fragment where it is written; undefined when it has no words of its own. */
function passedFragment(f: CodeFile, arg: SyntaxNode, ctx: EvalContext): TextValue | undefined {
  if (!/^(string|concatenated_string|binary_operator|identifier|call)$/.test(arg.type)) return undefined;
  const v = evalTextOrUndefined(f, arg, ctx);
  if (!v) return undefined;
  if (/\p{L}{2}/u.test(v.text.replace(MARKER_RE, ''))) return { text: slotMarker(ctx, { name: 'fragment', ...v.origin, fragment: v }), origin: v.origin };
  // no words of its own, only fragments it holds (`text = ""`, then `text += f"…"` in a loop): those, each where it is written
  return hasFragment(ctx, v.text) ? { ...v, template: undefined } : undefined;
}

/** A template known only at run time (`base`, slots alone), then each text passed for its fields as a fragment. */
function fragmentsPassed(f: CodeFile, base: TextValue, passed: SyntaxNode[], ctx: EvalContext): TextValue {
  const out = new TextBuilder(ctx.ceiling).add(base);
  for (const arg of passed) {
    const v = passedFragment(f, arg, ctx);
    if (v) out.add(v);
  }
  return out.value(base.origin);
}

function evalCall(f: CodeFile, n: SyntaxNode, ctx: EvalContext): TextValue {
  const fn = n.childForFieldName('function');
  if (!fn) return dynamic(f, n, ctx);
  const read = fileText(f, n, ctx);
  if (read) return read;
  const { positional, named } = args(n);
  const argsNode = n.childForFieldName('arguments');
  // dedent`…` (a tagged template) and dedent("…")
  if (DEDENT_FUNCTIONS.test(fn.text)) {
    const target = argsNode?.type === 'template_string' ? argsNode : positional[0];
    if (!target) return dynamic(f, n, ctx);
    const v = evalText(f, target, ctx);
    let text = dedent(v.text);
    if (!f.isPython || /cleandoc/.test(fn.text)) text = text.replace(/^[ \t]*\n/, '').replace(/\n[ \t]*$/, '');
    return { ...v, text };
  }
  if (/^(String|str)$/.test(fn.text) && positional[0]) return evalText(f, positional[0], ctx);
  // random.choice(QUESTIONS): any element of a literal list
  if (f.isPython && positional[0] && (fn.text === 'random.choice' || (fn.text === 'choice' && f.imports.get('choice')?.module === 'random'))) {
    const list = resolveExpression(f, positional[0], ctx);
    const any = list && /^(list|tuple)$/.test(list.node.type) ? elementTexts(list, ctx) : [];
    if (any.length) return longestOf(any, ctx);
  }
  if (fn.type === 'member_expression' || fn.type === 'attribute') {
    const method = (fn.childForFieldName('property') ?? fn.childForFieldName('attribute'))?.text;
    const obj = fn.childForFieldName('object');
    if (!obj || !method) return dynamic(f, n, ctx);
    switch (method) {
      case 'join': {
        // JS: [a, b].join(sep); Python: sep.join([a, b])
        const listNode = f.isPython ? (argsNode?.type === 'generator_expression' ? argsNode : positional[0]) : obj;
        const sepNode = f.isPython ? obj : positional[0];
        const sep = sepNode ? evalText(f, sepNode, ctx) : { text: ',', origin: loc(f, n) };
        const mapped = !f.isPython && listNode ? mappedList(f, listNode, n, sep, ctx) : undefined;
        if (mapped) return mapped;
        // Object.values(RULES).join("\n") / Object.keys(…): the object's values (keys) as a list of texts
        const values = !f.isPython && listNode ? objectEntries(f, listNode, ctx) : undefined;
        if (values && values.elements.length && values.elements[0].type !== 'pair') {
          const out = new TextBuilder(ctx.ceiling);
          values.elements.forEach((el, k) => {
            if (k > 0) out.add({ ...sep, template: undefined });
            out.add({ ...inlineValue(ctx, evalText(values.list.file, el, ctx)), template: undefined });
          });
          return out.value(loc(values.list.file, values.elements[0]), undefined);
        }
        const list = listNode && resolveExpression(f, unfiltered(f, listNode), ctx);
        // "\n".join(f"- {x}" for x in items): the element's text once, then the other items as a slot
        if (list && /^(list_comprehension|generator_expression)$/.test(list.node.type)) {
          const body = list.node.childForFieldName('body');
          if (!body) return dynamic(f, n, ctx);
          // over a literal dict or list (`f"- {k}: {v}" for k, v in RULES.items()`): each element's text, joined
          const each = comprehensionBindings(list.file, list.node, ctx);
          if (each) return comprehensionText(list, body, each, sep, ctx);
          const item = evalText(list.file, body, ctx);
          const more = slotMarker(ctx, { name: 'more items', ...loc(list.file, list.node) });
          const out = new TextBuilder(ctx.ceiling).add({ ...item, template: undefined }).add({ ...sep, template: undefined }).add(more);
          // the part starts where the element's text is written (its first literal, or a template it formats)
          return out.value(item.text.replace(MARKER_RE, '').trim() ? item.origin : loc(list.file, list.node), undefined);
        }
        if (!list || !/^(array|list|tuple)$/.test(list.node.type)) return dynamic(f, n, ctx);
        // sections.push(`…`) between the list's definition and the join: pushed in that order
        const named = listNode ? listName(f, unfiltered(f, listNode), ctx) : undefined;
        const added = named && named.file === list.file ? listAdditions(named.file, named.node, list.node) : { front: [], back: [] };
        // a list added whole is known only when it is a literal
        // (a list of lines added whole, `lines.extend(["", "## Notes", f"- {n}"])`, is one text from its first literal)
        const elements = (adds: ListAddition[]) => adds.flatMap((a) => (!a.many ? [a.node] : /^(array|list|tuple)$/.test(a.node.type) ? (isTextList(a.node) ? [a.node] : a.node.namedChildren.filter((c): c is SyntaxNode => !!c && c.type !== 'comment')) : []));
        return joinedList(list, sep, ctx, { front: elements(added.front), back: elements(added.back) });
      }
      case 'format': {
        if (!f.isPython) return dynamic(f, n, ctx);
        const base = evalText(f, obj, ctx);
        // a template known only at run time (read from a file, a config): a slot, and each text passed
        // for its fields a fragment where it is written, as for a jinja2 template's render
        if (!base.text.replace(MARKER_RE, '').trim()) return fragmentsPassed(f, base, [...positional, ...named.values()], ctx);
        let i = 0;
        const text = substitute(ctx, base, /\{\{|\}\}|\{([A-Za-z_]\w*|\d*)(?:![rsa])?(?::[^{}]*)?\}/g, (m, key) => {
          if (m === '{{') return '{';
          if (m === '}}') return '}';
          const arg = key === undefined || key === '' ? positional[i++] : /^\d+$/.test(key) ? positional[Number(key)] : named.get(key);
          if (!arg) return slotMarker(ctx, { name: key || `arg${i}`, ...loc(f, n) });
          const v = evalText(f, arg, ctx);
          return fullLength(v) && !isMarker(v.text) ? embed(f, n, v, ctx) : slotMarker(ctx, { name: key || slotName(arg), ...loc(f, arg) });
        });
        return { ...text, origin: base.origin };
      }
      case 'render': {
        // jinja2 `Template(t).render(error="…")`: the template's variables filled by name; a template known
        // only at run time is a slot, and each text passed for its variables a fragment where it is written
        if (!f.isPython) return dynamic(f, n, ctx);
        const made = resolveExpression(f, obj, ctx);
        const maker = made?.node.type === 'call' ? made.node.childForFieldName('function')?.text ?? '' : '';
        const source = made && /(^|\.)Template$/.test(maker) ? args(made.node).positional[0] : undefined;
        // env.get_template("answer.j2"): the template file its loader finds, where it is written
        const base = made && source ? evalText(made.file, source, ctx) : made && loadedTemplate(made.file, made.node, ctx);
        if (!base) return dynamic(f, n, ctx);
        if (base.text.replace(MARKER_RE, '').trim()) {
          const text = substitute(ctx, base, /\{\{-?\s*([A-Za-z_]\w*)\s*-?\}\}/g, (m, key) => {
            const arg = key ? named.get(key) : undefined;
            // a variable given a run-time value (or none) is a slot, as in any template: not its `{{ name }}` text
            return (arg && passedFragment(f, arg, ctx)) ?? (key ? slotMarker(ctx, { name: key, ...loc(f, arg ?? n) }) : m);
          });
          return { ...text, origin: base.origin };
        }
        return fragmentsPassed(f, base, [...named.values()], ctx);
      }
      case 'replace':
      case 'replaceAll': {
        const base = evalText(f, obj, ctx);
        const from = positional[0] && (positional[0].type === 'regex' ? literalRegex(positional[0]) : evalText(f, positional[0], ctx));
        if (!from || !positional[1] || hasMarker(from.text) || !from.text) return { ...base };
        // text written elsewhere put in by the replacement is a part where it is written
        const to = embed(f, n, evalText(f, positional[1], ctx), ctx);
        // Sizes first: a chain of replacements can multiply the text, so it is built only to the ceiling;
        // past it, the remaining occurrences are only counted.
        const text = base.text;
        const sought = from.text;
        const toLength = fullLength(to);
        const piece = { ...to, template: undefined };
        const out = new TextBuilder(ctx.ceiling);
        let at = 0;
        let steps = 0;
        for (let i = text.indexOf(sought); i !== -1; i = text.indexOf(sought, at)) {
          if ((++steps & 4095) === 0) ctx.deadline?.check();
          if (out.full) {
            let rest = 0;
            for (let k = i; k !== -1; k = text.indexOf(sought, k + sought.length)) rest++;
            out.skip(text.length - at - rest * sought.length + rest * toLength);
            at = text.length;
            break;
          }
          out.add(text.slice(at, i));
          out.add(piece);
          at = i + sought.length;
        }
        if (at < text.length) out.add(text.slice(at));
        out.skip(base.omitted ?? 0);
        return out.value(base.origin);
      }
      case 'trim': case 'strip': case 'trimEnd': case 'trimStart': case 'rstrip': case 'lstrip': {
        const base = evalText(f, obj, ctx);
        const text = method === 'trim' || method === 'strip' ? base.text.trim() : /End|rstrip/.test(method) ? base.text.trimEnd() : base.text.trimStart();
        return { ...base, text };
      }
      case 'concat': {
        if (f.isPython) return dynamic(f, n, ctx);
        let v = evalText(f, obj, ctx);
        v = embed(f, n, v, ctx);
        for (const p of positional) v = concat(ctx, v, embed(f, n, evalText(f, p, ctx), ctx), loc(f, n));
        return v;
      }
      case 'get': {
        // PROMPTS.get("triage"), PROMPTS.get("triage", "default")
        const dict = positional[0] ? throughAliases(resolveExpression(f, obj, ctx), ctx) : undefined;
        const key = positional[0] && staticKey(positional[0]);
        const prop = dict && key !== undefined ? propertyOf(dict.node, key) : undefined;
        if (prop) return evalText(dict!.file, prop, ctx);
        if (dict && (dict.node.type === 'dictionary' || dict.node.type === 'object')) {
          // EXAMPLES.get(profile, ""): a key known only at run time takes any entry (or the default)
          const any = key === undefined && f.isPython ? entryTexts(dict, ctx) : [];
          const fallback = positional[1] ? evalText(f, positional[1], ctx) : undefined;
          if (any.length) return longestOf(fallback ? [...any, fallback] : any, ctx);
          if (fallback) return fallback;
        }
        return followCall(f, n, fn, ctx, positional, named);
      }
      case 'pop': {
        // scripted_inputs.pop(0) on a literal list: any of its elements
        const list = f.isPython ? resolveExpression(f, obj, ctx) : undefined;
        const any = list && list.node.type === 'list' ? elementTexts(list, ctx) : [];
        return any.length ? longestOf(any, ctx) : followCall(f, n, fn, ctx, positional, named);
      }
      case 'map': {
        // `${pages.map((p, i) => `## Page ${i}:\n${p}`)}` straight in a template: the array is joined with commas
        if (f.isPython || n.parent?.type !== 'template_substitution') return followCall(f, n, fn, ctx, positional, named);
        return mappedList(f, n, n, { text: ',', origin: loc(f, n) }, ctx) ?? followCall(f, n, fn, ctx, positional, named);
      }
      default:
        return followCall(f, n, fn, ctx, positional, named);
    }
  }
  return followCall(f, n, fn, ctx, positional, named);
}

/** A resolved value that is another name (`stages: dict = STAGES` in a class body): followed to what that name holds. */
function throughAliases(r: Resolved | undefined, ctx: EvalContext): Resolved | undefined {
  let cur = r;
  for (let i = 0; i < 4 && cur && ALIAS_NODE.has(cur.node.type); i++) {
    const next = resolveExpression(cur.file, cur.node, ctx);
    if (!next || next.node === cur.node) break;
    cur = next;
  }
  return cur;
}

/** `/\{name\}/g`: a regex that matches one fixed text (escapes only, no other syntax, no flag but g), as that text. */
function literalRegex(n: SyntaxNode): TextValue | undefined {
  const pattern = n.childForFieldName('pattern')?.text ?? '';
  const flags = n.childForFieldName('flags')?.text ?? '';
  if (!pattern || /[^g]/.test(flags)) return undefined;
  let text = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      const next = pattern[++i];
      if (next === undefined || /[\w\s]/.test(next)) return undefined; // \d, \s, \b, \n …: a class or an escape of its own
      text += next;
    } else if ('^$.*+?()[]{}|/'.includes(c)) return undefined;
    else text += c;
  }
  return { text, origin: { file: '', start: n.startIndex, end: n.endIndex } };
}

/**
 * The bindings of a comprehension's loop names, one per element, when it runs over a literal the
 * file knows and keeps every element (no `if`): `for k, v in D.items()`, `for v in D.values()`,
 * `for k in D` / `D.keys()`, `for x in [...]`, `for i, x in enumerate([...])`. Undefined otherwise.
 */
function comprehensionBindings(f: CodeFile, comp: SyntaxNode, ctx: EvalContext): { file: CodeFile; params: Map<string, Resolved | undefined>; first?: SyntaxNode }[] | undefined {
  const clauses = comp.namedChildren.filter((c) => c?.type === 'for_in_clause' || c?.type === 'if_clause');
  if (clauses.length !== 1 || clauses[0]!.type !== 'for_in_clause') return undefined;
  const clause = clauses[0]!;
  const left = clause.childForFieldName('left');
  let right = clause.childForFieldName('right');
  if (!left || !right) return undefined;
  const names = left.type === 'identifier' ? [left] : /^(pattern_list|tuple_pattern)$/.test(left.type) ? left.namedChildren.filter((c): c is SyntaxNode => !!c) : [];
  if (!names.length || names.some((c) => c.type !== 'identifier')) return undefined;
  let enumerated = false;
  let method: string | undefined;
  if (right.type === 'call') {
    const fn = right.childForFieldName('function');
    const callArgs = right.childForFieldName('arguments')?.namedChildren.filter((c) => !!c && c.type !== 'comment') ?? [];
    if (fn?.type === 'identifier' && fn.text === 'enumerate' && callArgs.length === 1) {
      enumerated = true;
      right = callArgs[0]!;
    } else if (fn?.type === 'attribute' && !callArgs.length && /^(items|values|keys)$/.test(fn.childForFieldName('attribute')?.text ?? '')) {
      method = fn.childForFieldName('attribute')!.text;
      right = fn.childForFieldName('object')!;
    } else return undefined;
  }
  const it = resolveExpression(f, right, ctx);
  if (!it || ctx.active.has(it.node.id)) return undefined;
  const items: (SyntaxNode | null)[][] = [];
  if (it.node.type === 'dictionary') {
    for (const pair of it.node.namedChildren.slice(0, MAX_LOOP_ELEMENTS)) {
      if (pair?.type !== 'pair') continue;
      const k = pair.childForFieldName('key');
      const v = pair.childForFieldName('value');
      items.push(method === 'items' ? [k, v] : method === 'values' ? [v] : [k]);
    }
  } else if (/^(list|tuple)$/.test(it.node.type) && !method) {
    for (const el of it.node.namedChildren.slice(0, MAX_LOOP_ELEMENTS)) if (el && el.type !== 'comment') items.push([el]);
  } else return undefined;
  if (!items.length) return undefined;
  return items.map((vals) => {
    const bound = enumerated ? [null, ...vals] : vals;
    // `for k, v in D.items()` binds two names; `for x in L` one; `for i, x in enumerate(L)` the index (unknown) and each
    const params = new Map<string, Resolved | undefined>();
    const values = names.length === 1 && bound.length === 1 ? bound : names.length === bound.length ? bound : [];
    names.forEach((name, k) => params.set(name.text, values[k] ? { file: it.file, node: values[k]! } : undefined));
    return { file: it.file, params, first: (vals[vals.length - 1] ?? undefined) };
  });
}

/**
 * One element of a comprehension a loop walks: its body for each binding when it runs over a literal (the
 * longest is the value, the others its alternatives), else its body once, the loop's names unknown.
 */
function comprehensionElement(comp: Resolved, ctx: EvalContext): TextValue | undefined {
  const body = comp.node.childForFieldName('body');
  if (!body || ctx.active.has(comp.node.id)) return undefined;
  ctx.active.add(comp.node.id);
  try {
    const each = comprehensionBindings(comp.file, comp.node, ctx);
    const values: TextValue[] = [];
    for (const b of each ?? [undefined]) {
      if (b) (ctx.frames ??= []).push({ file: comp.file.file, fn: comp.node, params: b.params });
      try {
        const v = evalText(comp.file, body, ctx);
        if (hasOwnText(ctx, v)) values.push(v);
      } finally {
        if (b) ctx.frames!.pop();
      }
    }
    return values.length ? longestOf(values, ctx) : undefined;
  } finally {
    ctx.active.delete(comp.node.id);
  }
}

/** A comprehension's elements evaluated one by one (its names bound to each) and joined: one text, from the first element's literal. */
function comprehensionText(comp: Resolved, body: SyntaxNode, each: NonNullable<ReturnType<typeof comprehensionBindings>>, sep: TextValue, ctx: EvalContext): TextValue {
  const out = new TextBuilder(ctx.ceiling);
  let origin: Loc | undefined;
  each.forEach((b, k) => {
    (ctx.frames ??= []).push({ file: comp.file.file, fn: comp.node, params: b.params });
    try {
      const v = evalText(comp.file, body, ctx);
      if (k > 0) out.add({ ...sep, template: undefined });
      // texts the loop runs over (a dict's values, a list of strings) are one text from the first; fields
      // read from records (`var['description']` of a list of dicts) stay fragments where each is written
      const texts = !!b.first && /string/.test(b.first.type);
      const embedded = embed(comp.file, comp.node, v, ctx);
      out.add({ ...(texts ? inlineValue(ctx, embedded) : embedded), template: undefined });
      origin ??= texts ? loc(b.file, b.first!) : v.origin;
    } finally {
      ctx.frames.pop();
    }
  });
  return out.value(origin ?? loc(comp.file, comp.node), undefined);
}

/** A list made of texts only (literals, templates, names and concatenations), holding at least one literal. */
export function isTextList(list: SyntaxNode): boolean {
  const items = list.namedChildren.filter((c): c is SyntaxNode => !!c && c.type !== 'comment');
  return items.length > 0 && items.every((c) => /^(string|template_string|concatenated_string|binary_operator|binary_expression|identifier)$/.test(c.type)) && items.some((c) => /string/.test(c.type));
}

/**
 * A literal list's elements joined with `sep` (and what is pushed before and after them), as one text:
 * it starts at the first literal of the list and ends at the list's end (pushed texts are fragments
 * where they are written).
 */
export function joinedList(list: Resolved, sep: TextValue, ctx: EvalContext, added: { front: SyntaxNode[]; back: SyntaxNode[] } = { front: [], back: [] }): TextValue {
  const nodes = list.node.namedChildren.filter((c): c is SyntaxNode => !!c && c.type !== 'comment');
  const own = new Set(nodes.map((c) => c.id));
  const out = new TextBuilder(ctx.ceiling);
  [...added.front, ...nodes, ...added.back].forEach((c, k) => {
    if (k > 0) out.add({ ...sep, template: undefined });
    const v = !own.has(c.id) && /^(array|list|tuple)$/.test(c.type) ? joinedList({ file: list.file, node: c }, sep, ctx) : evalText(list.file, c, ctx);
    out.add({ ...(own.has(c.id) ? embed(list.file, list.node, v, ctx) : pushedText(list.file, list.node, c, v, ctx)), template: undefined });
  });
  const first = nodes.find((c) => /string/.test(c.type));
  return out.value(first ? { file: list.file.file, start: first.startIndex, end: list.node.endIndex } : loc(list.file, list.node), undefined);
}

/** `list.filter(…)` is the list, for what a join of it may hold (JS). */
function unfiltered(f: CodeFile, n: SyntaxNode): SyntaxNode {
  let cur = n;
  for (let i = 0; i < 4 && !f.isPython && cur.type === 'call_expression'; i++) {
    const fn = cur.childForFieldName('function');
    if (fn?.type !== 'member_expression' || fn.childForFieldName('property')?.text !== 'filter') break;
    const obj = fn.childForFieldName('object');
    if (!obj) break;
    cur = obj;
  }
  return cur;
}

/** Something added to a list after its definition: one element, or (`many`) a list whose elements are added. */
export interface ListAddition { node: SyntaxNode; many: boolean }

/**
 * What is added to a list after its definition `def` (a list literal), in order: `front` what goes
 * before its elements, `back` what goes after them. Wherever a statement reaches the list in its
 * function (branches and loops: cost is planned for the worst case), not in nested functions other than
 * callbacks run in place (`docs.forEach((d) => messages.push(…))`): JS `name.push(…)` and
 * `name.unshift(…)` arguments (`...xs` many); Python `name.append(x)`, `name.insert(i, x)` (at the front
 * for 0), and `name.extend(xs)`, `name += xs` (many). With `until`, only what reaches that use of the
 * list: statements before it, or later in a loop begun after the definition that the use is in (the
 * next pass sends them).
 */
export function listAdditions(f: CodeFile, use: SyntaxNode, def: SyntaxNode, reachingUse = false): { front: ListAddition[]; back: ListAddition[] } {
  const none = { front: [], back: [] };
  if (!/^(identifier|shorthand_property_identifier)$/.test(use.type) || def.type !== (f.isPython ? 'list' : 'array')) return none;
  const name = use.text;
  if (reachingUse) return findListAdditions(f, use, def, name, true).added;
  // What is added anywhere in the list's function is the same for every use: found once per list and
  // name (500 prompts joining one list each searched the function again, each match a walk down the tree).
  // A use that finds it kept still looks the name up, as the search did, so its call depends on the
  // name's definitions as before.
  let byList = listAdditionsFound.get(f);
  if (!byList) listAdditionsFound.set(f, (byList = new Map()));
  const key = `${def.id}:${name}`;
  let found = byList.get(key);
  if (!found) byList.set(key, (found = findListAdditions(f, use, def, name, false)));
  else if (found.lookedUp) definitionsOf(f, name);
  return found.added;
}

const listAdditionsFound = new WeakMap<CodeFile, Map<string, { added: { front: ListAddition[]; back: ListAddition[] }; lookedUp: boolean }>>();

function findListAdditions(f: CodeFile, use: SyntaxNode, def: SyntaxNode, name: string, reachingUse: boolean): { added: { front: ListAddition[]; back: ListAddition[] }; lookedUp: boolean } {
  const none = { front: [], back: [] };
  let lookedUp = false;
  const fnOf = (x: SyntaxNode) => {
    for (let c: SyntaxNode | null = x.parent; c; c = c.parent) if (FUNCTION_NODE.test(c.type) && !isInPlaceCallback(c)) return c;
    return undefined;
  };
  const scope = fnOf(def);
  let end = scope ? scope.endIndex : f.text.length;
  if (reachingUse) {
    if (use.startIndex <= def.endIndex) return { added: none, lookedUp };
    end = use.startIndex;
    for (let p = use.parent; p && p.startIndex > def.endIndex; p = p.parent) {
      if (FUNCTION_NODE.test(p.type) && !isInPlaceCallback(p)) break;
      if (/^(for_statement|for_in_statement|while_statement|do_statement)$/.test(p.type)) end = Math.max(end, p.endIndex);
    }
  }
  const region = f.text.slice(def.endIndex, end);
  if (f.isPython ? !/\.(append|extend|insert)\(|\+=/.test(region) : !/\.(push|unshift)\(/.test(region)) return { added: none, lookedUp };
  const front: ListAddition[][] = [];
  const back: ListAddition[] = [];
  let count = 0;
  const add = (to: ListAddition[], a: SyntaxNode | null | undefined, many = false) => {
    if (!a || a.type === 'comment' || a.type === 'keyword_argument' || count >= 64) return;
    count++;
    if (a.type === 'spread_element' || a.type === 'list_splat') {
      const inner = a.namedChildren[0];
      if (inner) to.push({ node: inner, many: true });
    } else to.push({ node: a, many });
  };
  const verbs = f.isPython ? '(?:\\.\\s*(append|extend|insert)\\s*\\(|\\s*(\\+=))' : '\\.\\s*(push|unshift)\\s*\\(';
  const re = new RegExp(`(?<![\\w$.])${name.replace(/[$]/g, '\\$&')}${verbs}`, 'g');
  for (const m of region.matchAll(re)) {
    const at = def.endIndex + (m.index ?? 0);
    const target = f.tree.rootNode.descendantForIndex(at, at + name.length);
    if (!target || target.text !== name) continue;
    if (m[2] === '+=') {
      const stmt = target.parent;
      if (stmt?.type !== 'augmented_assignment' || stmt.childForFieldName('left')?.id !== target.id || fnOf(stmt)?.id !== scope?.id) continue;
      lookedUp = true;
      if (findDefinition(f, name, target)?.value.id !== def.id) continue;
      add(back, stmt.childForFieldName('right'), true);
      continue;
    }
    const call = target.parent?.parent;
    if (!call || !/^call(_expression)?$/.test(call.type) || target.parent?.childForFieldName('object')?.id !== target.id || fnOf(call)?.id !== scope?.id) continue;
    // the same list: not one of the same name redefined in between (`list = []` again)
    lookedUp = true;
    if (findDefinition(f, name, target)?.value.id !== def.id) continue;
    const args = (call.childForFieldName('arguments')?.namedChildren ?? []).filter((a): a is SyntaxNode => !!a && a.type !== 'comment');
    if (m[1] === 'extend') add(back, args[0], true);
    else if (m[1] === 'unshift' || (m[1] === 'insert' && args[0]?.text === '0')) {
      // each statement puts its elements before those already there
      const group: ListAddition[] = [];
      for (const a of m[1] === 'insert' ? args.slice(1, 2) : args) add(group, a);
      front.unshift(group);
    } else if (m[1] === 'insert') add(back, args[1]);
    else for (const a of args) add(back, a);
  }
  return { added: { front: front.flat(), back }, lookedUp };
}

/**
 * A text added to a list by a statement of its own (`parts.append("Standalone question:")`) is a part
 * where it is written when it is a literal with a word in it: it is the program's text, not a value.
 */
function pushedText(f: CodeFile, list: SyntaxNode, node: SyntaxNode, v: TextValue, ctx: EvalContext): TextValue {
  const inside = v.origin.file === f.file && v.origin.start >= node.startIndex && v.origin.end <= node.endIndex;
  if (!f.isPython || !inside || !/^(string|concatenated_string|list)$/.test(node.type) || !/\p{L}{2}/u.test(v.text.replace(MARKER_RE, ' '))) return embed(f, list, v, ctx);
  return { text: slotMarker(ctx, { name: 'fragment', ...v.origin, fragment: v }), origin: v.origin };
}

/** The name a list is known by where it is made: through parameters bound to a caller's identifier. */
export function listName(f: CodeFile, n: SyntaxNode, ctx: EvalContext): Resolved {
  let cur: Resolved = { file: f, node: n };
  for (let i = 0; i < 6 && /^(identifier|shorthand_property_identifier)$/.test(cur.node.type); i++) {
    const bound = boundParameter(cur.file, cur.node, ctx);
    if (!bound?.value || bound.value.node.type !== 'identifier') break;
    cur = bound.value;
  }
  return cur;
}

/**
 * `Object.entries(obj)`, `Object.values(obj)`, `Object.keys(obj)` of an object literal: its entries as
 * the elements a `.map` callback takes — each `key: value` pair (a `([k, v]) =>` callback binds both),
 * each value, or each key. Undefined for anything else.
 */
function objectEntries(f: CodeFile, n: SyntaxNode, ctx: EvalContext): { list: Resolved; elements: SyntaxNode[] } | undefined {
  if (f.isPython || n.type !== 'call_expression') return undefined;
  const callee = n.childForFieldName('function');
  const which = callee?.type === 'member_expression' && callee.childForFieldName('object')?.text === 'Object' ? callee.childForFieldName('property')?.text : undefined;
  if (which !== 'entries' && which !== 'values' && which !== 'keys') return undefined;
  const arg = n.childForFieldName('arguments')?.namedChildren.find((c) => !!c && c.type !== 'comment');
  const obj = arg && resolveExpression(f, arg, ctx);
  if (!obj || obj.node.type !== 'object' || ctx.active.has(obj.node.id)) return undefined;
  const pairs = obj.node.namedChildren.filter((c): c is SyntaxNode => c?.type === 'pair').slice(0, MAX_LOOP_ELEMENTS);
  const elements = which === 'entries' ? pairs : pairs.map((p) => p.childForFieldName(which === 'values' ? 'value' : 'key')).filter((c): c is SyntaxNode => !!c);
  return { list: obj, elements };
}

/**
 * JS `items.map((x) => `…`).join(sep)`: the callback's text once per element of a literal list (each
 * element bound to its first parameter), or once with its parameters as slots when the list is only
 * known at run time. Undefined when `listNode` is no `.map` with a function.
 */
function mappedList(f: CodeFile, listNode: SyntaxNode, join: SyntaxNode, sep: TextValue, ctx: EvalContext): TextValue | undefined {
  let node = unfiltered(f, listNode);
  // `const lines = items.map((i) => `- ${i.name}`); … lines.join('\n')`: the list made earlier
  if (node.type === 'identifier') {
    const made = resolveExpression(f, node, ctx);
    if (!made || made.node === node || ctx.active.has(made.node.id) || made.node.type !== 'call_expression') return undefined;
    ctx.active.add(made.node.id);
    try {
      return mappedList(made.file, made.node, join, sep, ctx);
    } finally {
      ctx.active.delete(made.node.id);
    }
  }
  const fn = node.type === 'call_expression' ? node.childForFieldName('function') : undefined;
  if (fn?.type !== 'member_expression' || fn.childForFieldName('property')?.text !== 'map') return undefined;
  const callback = node.childForFieldName('arguments')?.namedChildren.find((c) => !!c && c.type !== 'comment');
  const cb = callback && (FUNCTION_NODE.test(callback.type) ? { file: f, node: callback } : resolveExpression(f, callback, ctx));
  if (!cb || !FUNCTION_NODE.test(cb.node.type)) return undefined;
  const receiver = fn.childForFieldName('object');
  const entries = receiver ? objectEntries(f, unfiltered(f, receiver), ctx) : undefined;
  const list = entries?.list ?? (receiver && resolveExpression(f, unfiltered(f, receiver), ctx));
  const elements = entries?.elements ?? (list && /^(array)$/.test(list.node.type) && !ctx.active.has(list.node.id)
    ? list.node.namedChildren.filter((c): c is SyntaxNode => !!c && c.type !== 'comment' && c.type !== 'spread_element').slice(0, MAX_LOOP_ELEMENTS)
    : []);
  if (!elements.length) {
    const v = followFunction(cb.file, cb.node, ctx, undefined);
    // a run-time list's lines of values and punctuation alone (`${m.role}: ${text}`) are run-time text:
    // a slot, not a part of a few characters where the callback's template is written
    if (v && !/\p{L}{2}/u.test(inlineText(ctx, v).replace(MARKER_RE, ''))) return undefined;
    return v && { ...v };
  }
  const out = new TextBuilder(ctx.ceiling);
  let origin: Loc | undefined;
  ctx.active.add(list!.node.id);
  try {
    elements.forEach((el, k) => {
      const v = followFunction(cb.file, cb.node, ctx, { file: list!.file, positional: [el], named: new Map() });
      if (!v) return;
      if (k > 0) out.add({ ...sep, template: undefined });
      if (entries) {
        // an object's entries mapped and joined are one text, written where its first entry is (as a
        // joined list of literals is): its pieces are not fragments of their own
        origin ??= loc(list!.file, el.type === 'pair' ? el.childForFieldName('value') ?? el : el);
        out.add({ ...inlineValue(ctx, embed(cb.file, join, v, ctx)), template: undefined });
        return;
      }
      origin ??= v.origin;
      out.add({ ...embed(cb.file, join, v, ctx), template: undefined });
    });
  } finally {
    ctx.active.delete(list!.node.id);
  }
  return origin ? out.value(origin, undefined) : undefined;
}

/** A call of a function defined in the project: the text it returns, with its parameters from the arguments. */
function followCall(f: CodeFile, n: SyntaxNode, fn: SyntaxNode, ctx: EvalContext, positional: SyntaxNode[], named: Map<string, SyntaxNode>): TextValue {
  const target = resolveExpression(f, fn, ctx);
  if (target && target.node !== fn && FUNCTION_NODE.test(target.node.type)) {
    const v = followFunction(target.file, target.node, ctx, { file: f, positional, named });
    if (v) return v;
  }
  // format_as_xml(EXAMPLES), json.dumps(FEW_SHOT): data written as a constant, serialised into the text
  const data = !target || target.node === fn ? positional[0] && (positional[0].type === 'identifier' || positional[0].type === 'attribute' || positional[0].type === 'member_expression') ? resolveExpression(f, positional[0], ctx) : undefined : undefined;
  if (data && /^(list|array|dictionary|object|tuple)$/.test(data.node.type)) {
    const v = serialisedData(f, data.file, data.node, n, ctx);
    if (v) return v;
  }
  return dynamic(f, n, ctx);
}

/** The strings of a literal list / dict (keys and values, nested), one a line; each literal a fragment where it is written. */
function serialisedData(f: CodeFile, file: CodeFile, root: SyntaxNode, call: SyntaxNode, ctx: EvalContext): TextValue | undefined {
  const out = new TextBuilder(ctx.ceiling);
  let strings = 0;
  const walk = (n: SyntaxNode, depth: number) => {
    if (strings >= 200 || depth > 6) return;
    if (n.type === 'string' || n.type === 'concatenated_string' || n.type === 'template_string') {
      strings++;
      out.add({ ...embed(f, call, evalText(file, n, ctx), ctx), template: undefined });
      out.add('\n');
      return;
    }
    if (n.type === 'pair') {
      const k = n.childForFieldName('key');
      const v = n.childForFieldName('value');
      if (k) out.add(`${k.text.replace(/^["'`]|["'`]$/g, '')}: `);
      if (v) walk(v, depth + 1);
      return;
    }
    if (/^(list|array|dictionary|object|tuple)$/.test(n.type)) for (const c of n.namedChildren) if (c && c.type !== 'comment') walk(c, depth + 1);
  };
  walk(root, 0);
  return strings ? out.value(loc(f, call), undefined) : undefined;
}

function percentFormat(f: CodeFile, left: SyntaxNode, right: SyntaxNode, n: SyntaxNode, ctx: EvalContext): TextValue {
  const base = evalText(f, left, ctx);
  const items = right.type === 'tuple' ? right.namedChildren.filter((c): c is SyntaxNode => !!c) : [right];
  let i = 0;
  const text = substitute(ctx, base, /%%|%\(([A-Za-z_]\w*)\)[-#0 +]*\d*(?:\.\d+)?[sdrifgexXo]|%[-#0 +]*\d*(?:\.\d+)?[sdrifgexXo]/g, (m, key) => {
    if (m === '%%') return '%';
    if (key) {
      const v = right.type === 'dictionary' ? propertyOf(right, key) : undefined;
      return v ? evalText(f, v, ctx) : slotMarker(ctx, { name: key, ...loc(f, right) });
    }
    const item = items[i++];
    return item ? embed(f, n, evalText(f, item, ctx), ctx) : slotMarker(ctx, { name: `arg${i}`, ...loc(f, n) });
  });
  return { ...text, origin: base.origin };
}

/** `base` with each match of `re` replaced by what `fill` gives, built only up to the ceiling. */
function substitute(ctx: EvalContext, base: TextValue, re: RegExp, fill: (match: string, key: string | undefined) => string | TextValue): TextValue {
  const out = new TextBuilder(ctx.ceiling);
  let at = 0;
  for (const m of base.text.matchAll(re)) {
    const index = m.index ?? 0;
    out.add(base.text.slice(at, index));
    const v = fill(m[0], m[1]);
    out.add(typeof v === 'string' ? v : { ...v, template: undefined });
    at = index + m[0].length;
  }
  out.add(base.text.slice(at));
  out.skip(base.omitted ?? 0);
  return out.value(base.origin);
}

/**
 * `a + b + c …`: the left-nested chain is walked with a loop, not recursion, so a prompt of hundreds
 * of concatenated lines is evaluated like one of three.
 */
function plusChain(f: CodeFile, n: SyntaxNode, ctx: EvalContext): TextValue {
  const terms: SyntaxNode[] = [];
  let cur: SyntaxNode = n;
  for (;;) {
    const left = cur.childForFieldName('left');
    const right = cur.childForFieldName('right');
    if (!left || !right) return dynamic(f, n, ctx);
    terms.push(right);
    if ((left.type === 'binary_expression' || left.type === 'binary_operator') && (left.childForFieldName('operator')?.text ?? left.children[1]?.text) === '+') cur = left;
    else {
      terms.push(left);
      break;
    }
  }
  terms.reverse();
  // `i + 1`: arithmetic, one run-time value
  if (terms.some((t) => t.type === 'number' || t.type === 'integer' || t.type === 'float') && !terms.some(isStringNode)) return dynamic(f, n, ctx);
  // text written elsewhere is a fragment; the concatenation's own text starts at its first operand with text
  // a conditional term (`+ (x ? `…` : "") +`) is what a template's `${x ? … : …}` is: short, it folds in; longer, its literal is a part where it is written
  const values = terms.map((t) => {
    let c = t;
    while (c.type === 'parenthesized_expression' && c.namedChildren.length === 1 && c.namedChildren[0]) c = c.namedChildren[0];
    if (c.type !== 'ternary_expression' && c.type !== 'conditional_expression') return embed(f, n, evalText(f, t, ctx), ctx);
    return inlineConditional(f, c, ctx) ?? embedNested(f, n, evalText(f, c, ctx), ctx);
  });
  const firstOwn = values.find((v) => v.text.replace(MARKER_RE, '').trim());
  // … or at its first literal, when one comes before (`${intro}\n\n` + `CRITICAL: …`): the run of literals starts there
  const firstLiteral = terms.find((t) => isStringNode(t));
  const ownStart = firstOwn && firstOwn.origin.file === f.file && firstOwn.origin.start >= n.startIndex ? firstOwn.origin.start : n.startIndex;
  const start = firstLiteral && firstLiteral.startIndex < ownStart ? firstLiteral.startIndex : ownStart;
  const origin = { file: f.file, start, end: n.endIndex };
  let v = values[0];
  for (let k = 1; k < values.length; k++) v = concat(ctx, v, values[k], origin);
  return values.length === 1 ? { ...v, origin } : v;
}

// ---------------------------------------------------------------- numbers and models

export function evalNumber(f: CodeFile, n: SyntaxNode, ctx: EvalContext): number | undefined {
  const r = resolveExpression(f, n, ctx);
  if (!r) return undefined;
  if (r.node.type === 'number' || r.node.type === 'integer' || r.node.type === 'float') {
    const v = Number(r.node.text.replace(/_/g, ''));
    return Number.isFinite(v) ? v : undefined;
  }
  // -100000: a negative number is a number (and then rejected, with a diagnostic, by pricing's validation)
  if ((r.node.type === 'unary_expression' || r.node.type === 'unary_operator') && r.node.children[0]?.text === '-' && r.node.namedChildren[0]) {
    const v = evalNumber(r.file, r.node.namedChildren[0], ctx);
    return v === undefined ? undefined : -v;
  }
  return undefined;
}

/** Provider wrapper functions of the Vercel AI SDK and friends → the provider prefix of the model id. */
// AI SDK provider instances and similar wrappers, by name lowercased without separators (`amazonBedrock`,
// `vertexAnthropic`, `deepSeek`): the id prefix the price database knows them by ('' = the bare id).
const WRAPPER_PROVIDER: Record<string, string> = {
  openai: '', azure: 'azure', anthropic: '', google: '', googlegenerativeai: '', vertex: '', googlevertex: '', vertexanthropic: '',
  mistral: 'mistral', groq: 'groq', xai: 'xai', deepseek: 'deepseek', cohere: 'cohere', ollama: 'ollama', togetherai: 'together',
  together: 'together', fireworks: 'fireworks', bedrock: 'bedrock', amazonbedrock: 'bedrock', bedrockanthropic: 'bedrock',
  openrouter: 'openrouter', perplexity: 'perplexity', cerebras: 'cerebras', deepinfra: 'deepinfra', huggingface: 'huggingface',
  alibaba: 'alibaba', gateway: '',
};

/** Chat-model classes whose constructor names the model (LangChain and similar). */
export const CHAT_MODEL_CLASS = /^(Chat(OpenAI|Anthropic|GoogleGenerativeAI|VertexAI|Ollama|MistralAI|Groq|Bedrock|BedrockConverse|Fireworks|Together|DeepSeek|XAI|Cohere|LiteLLM)|AzureChatOpenAI)$/;
const MODEL_KEYS = ['model', 'modelName', 'model_name', 'azure_deployment', 'azureOpenAIApiDeploymentName', 'deployment_name', 'model_id', 'modelId'];
const LOCAL_CLASSES = /Ollama/;

export interface ModelValue {
  id: string; from: string;
  /** Where the model's name is written: the literal (file relative to the root, and its range). */
  at?: { file: string; range: Range };
  /** The output limit given where the model was made (`ChatOpenAI(max_tokens=…)`): the calls through it inherit it. */
  output?: { tokens: number; key: string };
}

export function evalModel(f: CodeFile, n: SyntaxNode, ctx: EvalContext, from = 'literal', depth = 0): ModelValue | undefined {
  if (depth > 8) return undefined;
  const t = n.type;
  if (t === 'string' || (t === 'template_string' && !n.namedChildren.some((c) => c?.type === 'template_substitution'))) {
    const v = stringLiteral(f, n, ctx).text.trim();
    return v ? { id: v, from, at: { file: f.file, range: f.lines.range(n.startIndex, n.endIndex) } } : undefined;
  }
  if (t === 'identifier' || t === 'shorthand_property_identifier' || t === 'member_expression' || t === 'attribute' || t === 'subscript_expression' || t === 'subscript' || t === 'parenthesized_expression' || t === 'as_expression') {
    // process.env.MODEL alone: nothing static to say
    if (/^process\.env\./.test(n.text) || /^os\.environ\[/.test(n.text)) return undefined;
    const r = resolveExpression(f, n, ctx);
    if (!r || r.node === n) return undefined;
    return evalModel(r.file, r.node, ctx, from === 'literal' ? 'constant' : from, depth + 1);
  }
  if (t === 'binary_expression' || t === 'boolean_operator') {
    // process.env.MODEL ?? 'gpt-4o', os.environ.get(...) or "gpt-4o"
    const right = n.childForFieldName('right');
    return right ? evalModel(f, right, ctx, 'env default', depth + 1) : undefined;
  }
  if (t === 'call_expression' || t === 'call' || t === 'new_expression') {
    const fn = (n.childForFieldName('function') ?? n.childForFieldName('constructor'))?.text ?? '';
    const { positional, named } = args(n);
    if (/^os\.(getenv|environ\.get)$/.test(fn)) return positional[1] ? evalModel(f, positional[1], ctx, 'env default', depth + 1) : undefined;
    const objectArg = positional.find((p) => p.type === 'object');
    const keyed = (key: string) => named.get(key) ?? (objectArg && propertyOf(objectArg, key));
    const className = fn.split('.').pop() ?? '';
    if (CHAT_MODEL_CLASS.test(className)) {
      // The chat model's own output limit (max_tokens=, maxTokens:, num_predict=…) goes with the model.
      let output: ModelValue['output'];
      for (const k of OUTPUT_LIMIT_KEYS) {
        const v = keyed(k);
        const tokens = v ? evalNumber(f, v, ctx) : undefined;
        if (tokens !== undefined) {
          output = { tokens, key: k };
          break;
        }
      }
      const withOutput = (m: ModelValue | undefined) => (m && output ? { ...m, output } : m);
      for (const k of MODEL_KEYS) {
        const v = keyed(k);
        if (v) {
          const m = evalModel(f, v, ctx, 'chat model', depth + 1);
          if (m) return withOutput(LOCAL_CLASSES.test(className) ? { ...m, id: `ollama/${m.id}` } : m);
        }
      }
      if (positional[0] && positional[0].type === 'string') return withOutput(evalModel(f, positional[0], ctx, 'chat model', depth + 1));
      return undefined;
    }
    // agno's model classes take the model as `id` (`OpenAIChat(id="gpt-4o")`, `Claude(id="claude-sonnet-4-5")`,
    // `Gemini(id=…)`, `Ollama(id="llama3.1")`): a class given an id that names a known provider's model
    const idArg = /^[A-Z]/.test(className) ? keyed('id') : undefined;
    if (idArg) {
      const m = evalModel(f, idArg, ctx, 'model class', depth + 1);
      if (m && /^Ollama/.test(className)) return { ...m, id: `ollama/${m.id}` };
      if (m && providerOfModel(m.id)) return m;
    }
    if (/^(init_chat_model|initChatModel)$/.test(className) && positional[0]) {
      const m = evalModel(f, positional[0], ctx, 'chat model', depth + 1);
      const provider = keyed('model_provider') ?? keyed('modelProvider');
      const p = provider && evalModel(f, provider, ctx, 'literal', depth + 1);
      if (m) return { ...m, id: (p ? `${p.id}/${m.id}` : m.id).replace(/^(\w+):/, '$1/') };
      return undefined;
    }
    // openai('gpt-4o'), anthropic('claude-…'), openai.chat('gpt-4o'), createOpenAI({...})('gpt-4o')
    const root = fn.split('.')[0];
    const prefix = own(WRAPPER_PROVIDER, root.toLowerCase().replace(/[^a-z]/g, ''));
    if (prefix !== undefined && positional[0]) {
      const m = evalModel(f, positional[0], ctx, 'wrapper', depth + 1);
      if (m) return prefix ? { ...m, id: `${prefix}/${m.id}` } : m;
    }
    // Any other provider or helper called with the model's name (`bedrockAnthropic('claude-…')`,
    // `getModel('o3-mini')`): the name is the model — priced if the database knows it, else unpriced
    // with the reason, never another provider's default.
    if (prefix === undefined && positional.length === 1 && positional[0].type === 'string' && /^[A-Za-z_$][\w$]*$/.test(fn)) {
      return evalModel(f, positional[0], ctx, 'wrapper', depth + 1);
    }
    return undefined;
  }
  return undefined;
}

export { args as callArguments };
