// The shape finders work with: a call's callee path and arguments, whichever language it is in; and the
// builders that turn message lists and text values into prompt parts.
import type { DetectedPrompt, PromptPart, Role } from '../../model';
import { normaliseRole, OUTPUT_LIMIT_KEYS } from '../shared';
import { findSlots, type SlotSyntax } from '../slots';
import type { SyntaxNode } from './parser';
import { reorderTemplate } from './reorder';
import type { CodeFile } from './source';
import { callArguments, ceilingNote, dynamic, MARKER_RE, evalModel, evalNumber, evalText, evalTextOrUndefined, finishText, inlineValue, listAdditions, listName, markerOffsets, propertyOf, resolveExpression, splitValue, withReturnedList, withReturnedObject, type EvalContext, type ListAddition, type ModelValue, type TextValue } from './values';

/** Call nodes whose callee's last name matches `names`, found from the text, then checked in the tree. */
export function callsNamed(f: CodeFile, names: string): SyntaxNode[] {
  const re = new RegExp(`(?<![\\w$])(${names})\\s*(?:<[^<>()]*>\\s*)?\\(`, 'g');
  const out: SyntaxNode[] = [];
  const seen = new Set<number>();
  const isCall = (type: string) => type === 'call_expression' || type === 'new_expression' || type === 'call';
  // One cursor, moved down to the name and back up: `node.parent` walks down from the root on every
  // step, which made this quadratic in nesting depth (500 nested calls took 8 s). The matches come in
  // text order, so the cursor goes on from where the last one left it (moveTo): starting again at the
  // root scanned every earlier sibling once per match, quadratic in a file's number of statements.
  // The walk up to the call is made with a second cursor: moved up, the first would start the next
  // match's descent at the call, scanning its children from the first — quadratic in a call of
  // thousands of arguments (a file whose brackets no longer close is one such call).
  const cursor = f.tree.rootNode.walk();
  const up = f.tree.rootNode.walk();
  try {
    for (const m of f.text.matchAll(re)) {
      const start = m.index ?? 0;
      const end = start + m[1].length;
      moveTo(cursor, start, end);
      up.resetTo(cursor);
      // up from the name to the call whose callee ends at it: x.y.create( → call_expression. Only
      // through nodes that end at the name: past one that ends later, every call above has a callee
      // that ends later too (or before the name, in its arguments), so none can be taken — and going
      // on up a member chain the name sits in (`create.a.b.c…`, a broken file's thousand links) was
      // a walk of the chain per match, quadratic. (Each node ends at one offset: the walks are linear.)
      let ok = true;
      while (ok && up.endIndex <= end + 1 && !isCall(up.nodeType)) ok = up.gotoParent();
      if (!ok || !isCall(up.nodeType)) continue;
      const n = up.currentNode;
      const callee = n.childForFieldName('function') ?? n.childForFieldName('constructor');
      if (!callee || callee.endIndex !== end || seen.has(n.id)) continue;
      seen.add(n.id);
      out.push(n);
    }
  } finally {
    cursor.delete();
    up.delete();
  }
  return out.sort((a, b) => a.startIndex - b.startIndex);
}

/**
 * Moves the cursor, from wherever it is, to the smallest node that contains [start, end): right along
 * its siblings while they end before the range, up while the node does not contain it, then down. Any
 * node that contains the range lies on the path descendTo takes from the root, so the result is the
 * same; for ranges in text order the siblings are walked once in all.
 */
function moveTo(cursor: ReturnType<SyntaxNode['walk']>, start: number, end: number): void {
  while (!(cursor.startIndex <= start && cursor.endIndex >= end)) {
    if (cursor.endIndex <= start && cursor.gotoNextSibling()) continue;
    if (!cursor.gotoParent()) break; // the root: it holds the whole text
  }
  descendTo(cursor, start, end);
}

/** Moves the cursor down to the smallest node that contains [start, end) (what `descendantForIndex` finds). */
function descendTo(cursor: ReturnType<SyntaxNode['walk']>, start: number, end: number): void {
  // (gotoFirstChildForIndex does not find the child in this build of web-tree-sitter)
  while (cursor.gotoFirstChild()) {
    let inside = true;
    while (cursor.endIndex <= start) if (!cursor.gotoNextSibling()) { inside = false; break; }
    if (!inside || cursor.startIndex > start || cursor.endIndex < end) {
      cursor.gotoParent();
      return;
    }
  }
}

export interface CallInfo {
  f: CodeFile;
  node: SyntaxNode;
  /** `client.chat.completions.create`, without whitespace, `?.`, `await` or `new`. */
  callee: string;
  segments: string[];
  isNew: boolean;
  positional: SyntaxNode[];
  named: Map<string, SyntaxNode>;
  /** JS: the options object (first object-literal argument, or an identifier that resolves to one). */
  options?: { file: CodeFile; node: SyntaxNode };
}

/**
 * A callee longer than this is a long expression (`f(…)(…)`, `x[…].y(…)` chains: each call's callee
 * holds the calls before it, so reading each in full is quadratic in the chain): only its end is read,
 * after a first segment `…` that names nothing.
 */
const CALLEE_CHARS = 512;

function calleeText(f: CodeFile, fn: SyntaxNode): string {
  const long = fn.endIndex - fn.startIndex > CALLEE_CHARS;
  const text = long ? `….${f.text.slice(fn.endIndex - CALLEE_CHARS, fn.endIndex)}` : fn.text;
  return text.replace(/\s+/g, '').replace(/\?\./g, '.').replace(/!\./g, '.');
}

export function callInfo(f: CodeFile, node: SyntaxNode, ctx: EvalContext): CallInfo | undefined {
  const isNew = node.type === 'new_expression';
  const fn = node.childForFieldName(isNew ? 'constructor' : 'function');
  if (!fn) return undefined;
  const callee = calleeText(f, fn);
  const { positional, named } = callArguments(node);
  let options: CallInfo['options'];
  if (!f.isPython) {
    for (const p of positional.slice(0, 2)) {
      const r = p.type === 'object' ? { file: f, node: p } : p.type === 'identifier' ? resolveExpression(f, p, ctx) : undefined;
      if (r?.node.type === 'object') {
        options = r;
        break;
      }
    }
  }
  return { f, node, callee, segments: callee.split('.'), isNew, positional, named, options };
}

/** Named argument (Python keyword, or a property of the JS options object), resolved across files. */
export function arg(call: CallInfo, ...keys: string[]): { file: CodeFile; node: SyntaxNode } | undefined {
  for (const k of keys) {
    const kw = call.named.get(k);
    if (kw) return { file: call.f, node: kw };
    if (call.options) {
      const p = propertyOf(call.options.node, k);
      if (p) return { file: call.options.file, node: p };
    }
  }
  return undefined;
}

export { normaliseRole } from '../shared';

/** A call of a Gemini SDK content type (`types.Content(...)`, `types.Part(text=...)`, `Part.from_text(...)`). */
function sdkCall(n: SyntaxNode): { name: string; positional: SyntaxNode[]; named: Map<string, SyntaxNode> } | undefined {
  if (n.type !== 'call' && n.type !== 'call_expression' && n.type !== 'new_expression') return undefined;
  const fn = (n.childForFieldName('function') ?? n.childForFieldName('constructor'))?.text ?? '';
  const name = fn.split('.').pop() ?? '';
  if (!/^(Content|Part|from_text)$/.test(name)) return undefined;
  return { name, ...callArguments(n) };
}

/** Assembles parts for one prompt; a part's range is where its text is written (maybe another file). */
const originKey = (o: TextValue['origin']) => `${o.file}:${o.start}:${o.end}`;

export class PromptBuilder {
  readonly parts: PromptPart[] = [];
  readonly notes: string[] = [];
  private readonly fragmentsSeen = new Set<string>();
  /** Messages begun so far, and how deep inside one the builder is (a message's blocks and pieces stay in it). */
  private messages = 0;
  private nesting = 0;
  private pieceGroups = 0;
  /** Where the texts added as parts are written (`originKey`). */
  private readonly added = new Set<string>();
  /** Where the texts whose fragments are being added are written. */
  private readonly enclosing: TextValue['origin'][] = [];

  constructor(private readonly call: CallInfo, private readonly ctx: EvalContext) {}

  /** Runs `add` as one message, or as more of the message being added when called from inside one. */
  private inMessage(add: () => void): void {
    if (this.nesting === 0) this.messages++;
    this.nesting++;
    try {
      add();
    } finally {
      this.nesting--;
    }
  }

  addValue(role: Role, value: TextValue, extra: { name?: string; template?: SlotSyntax[]; cacheControl?: boolean; alternative?: string } = {}, depth = 0): void {
    this.inMessage(() => this.addValueInMessage(role, value, extra, depth));
  }

  private addValueInMessage(role: Role, value: TextValue, extra: { name?: string; template?: SlotSyntax[]; cacheControl?: boolean; alternative?: string }, depth: number): void {
    // a fragment written once is one part, however often the prompt holds it; repeats stay in the text
    const { own, fragments, alternatives, bare, repeats } = splitValue(this.ctx, value, (fr) => {
      const key = `${fr.origin.file}:${fr.origin.start}:${fr.origin.end}`;
      if (this.fragmentsSeen.has(key)) return false;
      this.fragmentsSeen.add(key);
      return true;
    });
    if (fragments.length || alternatives.length) {
      // text written elsewhere is a part where it is written; whitespace alone between fragments joins the first
      const ownText = finishText(this.ctx, { ...own, text: bare }).text;
      const before = this.parts.length;
      // with no words of its own, text repeated from a fragment is reported where that text is written
      this.addOwn(role, !/[\p{L}]{2}/u.test(ownText) && repeats.length ? { ...own, origin: repeats[0] } : own, extra);
      this.enclosing.push(value.origin);
      try {
        for (const fr of depth < 12 ? fragments : []) this.addValue(role, fr, extra, depth + 1);
      } finally {
        this.enclosing.pop();
      }
      // own text with no words (separators, a run-time value between fragments) joins the first fragment
      const first = this.parts[before + 1];
      if (fragments.length && first && !repeats.length && !/[\p{L}]{2}/u.test(ownText)) {
        const mine = this.parts[before];
        first.text = mine.text + first.text;
        first.slots = [...mine.slots, ...first.slots];
        delete first.slotOffsets;
        this.parts.splice(before, 1);
      }
      // the pieces are one text as sent: the tokenizer counts it whole (a word may span a join)
      const pieces = this.parts.slice(before).filter((p) => !p.alternative);
      if (depth === 0 && pieces.length > 1 && !value.omitted) {
        const group = ++this.pieceGroups;
        const inlined = inlineValue(this.ctx, value);
        const { text, slots } = finishText(this.ctx, inlined);
        const whole = { text, slotOffsets: markerOffsets(inlined.text), slots: slots.map((sl) => ({ name: sl.name, ...(sl.file === this.call.f.file ? { range: this.call.f.lines.range(sl.start, sl.end) } : {}) })) };
        pieces.forEach((p, k) => { p.piece = k === 0 ? { group, whole } : { group }; });
      }
      // a word or two written inside a text being added as another value it may take (`{x or 'Not given'}` in a line
      // of a list) is part of that text, as a short conditional in a template is; a sentence stays a part of its own
      const inside = (alt: TextValue) => inlineValue(this.ctx, alt).text.replace(MARKER_RE, ' ').split(/\s+/).filter((w) => /\p{L}{2}/u.test(w)).length < 3
        && [value.origin, ...this.enclosing].some((o) => o.file === alt.origin.file && o.start <= alt.origin.start && alt.origin.end <= o.end);
      // … and one added already (the same text reached two ways) is not shown twice
      for (const alt of depth < 12 ? alternatives : []) if (!inside(alt) && !this.added.has(originKey(alt.origin))) this.addValue(role, alt, { ...extra, alternative: extra.alternative ?? 'another text the same expression may take (a branch or another return)' }, depth + 1);
      return;
    }
    this.addOwn(role, value, extra);
  }

  private addOwn(role: Role, value: TextValue, extra: { name?: string; template?: SlotSyntax[]; cacheControl?: boolean; alternative?: string }): void {
    this.added.add(originKey(value.origin));
    const slotOffsets = markerOffsets(value.text);
    const { text, slots, omitted } = finishText(this.ctx, value);
    if (omitted) this.notes.push(ceilingNote(omitted, this.ctx.ceiling));
    const template = extra.template ?? value.template;
    // text written in another file: a module's constant, or a text file the program reads
    const own = value.origin.file === this.call.f.file;
    const lines = (own ? undefined : this.ctx.project.linesOf(value.origin.file)) ?? this.call.f.lines;
    const file = own || lines === this.call.f.lines ? this.call.f.file : value.origin.file;
    const markup = template ? findSlots(text, template) : [];
    const reorder = own && slots.length ? reorderTemplate(this.call.f, value, slots) : undefined;
    this.parts.push({
      role,
      message: this.messages,
      range: lines.range(value.origin.start, value.origin.end),
      ...(file !== this.call.f.file ? { file } : {}),
      text,
      slots: [
        ...slots.map((s) => ({ name: s.name, ...(s.file === this.call.f.file ? { range: this.call.f.lines.range(s.start, s.end) } : {}), ...(s.missing ? { missing: s.missing } : {}) })),
        ...markup.map((m) => ({ name: m.name })),
      ],
      syntaxes: template ?? [],
      ...(extra.name ? { name: extra.name } : {}),
      ...(extra.cacheControl ? { cacheControl: true } : {}),
      ...(extra.alternative ? { alternative: extra.alternative } : {}),
      ...(slotOffsets.length ? { slotOffsets } : {}),
      ...(reorder ? { reorder } : {}),
      ...(omitted ? { omittedChars: omitted } : {}),
    });
  }

  /** A text argument: literal, template, constant, concatenation … */
  addText(role: Role, at: { file: CodeFile; node: SyntaxNode } | undefined, extra: { name?: string; template?: SlotSyntax[] } = {}): void {
    if (at) this.inMessage(() => this.addTextInMessage(role, at, extra));
  }

  private addTextInMessage(role: Role, at: { file: CodeFile; node: SyntaxNode }, extra: { name?: string; template?: SlotSyntax[] }): void {
    // Gemini SDK objects: types.Content(parts=[...]) and types.Part(text=...)
    const r = resolveExpression(at.file, at.node, this.ctx);
    const sdk = r && sdkCall(r.node);
    if (r && sdk?.name === 'Content') {
      const parts = sdk.named.get('parts') ?? sdk.positional[0];
      if (parts) return this.addBlocks(role, { file: r.file, node: parts }, extra);
    }
    if (r && (sdk?.name === 'Part' || sdk?.name === 'from_text')) {
      const text = sdk.named.get('text') ?? sdk.positional[0];
      if (text) return this.addText(role, { file: r.file, node: text }, extra);
    }
    const v = evalTextOrUndefined(at.file, at.node, this.ctx);
    if (v) this.addValue(role, v, extra);
    else this.addBlocks(role, at, extra);
  }

  /** Content given as blocks: [{type: 'text', text}], Gemini [{text}], or Anthropic system blocks. */
  addBlocks(role: Role, at: { file: CodeFile; node: SyntaxNode }, extra: { name?: string; template?: SlotSyntax[] } = {}): void {
    this.inMessage(() => this.addBlocksInMessage(role, at, extra));
  }

  private addBlocksInMessage(role: Role, at: { file: CodeFile; node: SyntaxNode }, extra: { name?: string; template?: SlotSyntax[] }): void {
    const r = resolveExpression(at.file, at.node, this.ctx);
    if (!r || !/^(array|list)$/.test(r.node.type)) {
      this.addValue(role, dynamic(at.file, at.node, this.ctx), extra);
      return;
    }
    let skipped = 0;
    for (const block of r.node.namedChildren) {
      if (!block || block.type === 'comment') continue;
      const b = resolveExpression(r.file, block, this.ctx) ?? { file: r.file, node: block };
      if (b.node.type === 'object' || b.node.type === 'dictionary') {
        const type = propertyOf(b.node, 'type');
        const typeText = type ? evalText(b.file, type, this.ctx).text : 'text';
        const text = propertyOf(b.node, 'text');
        if (text && /^(text|input_text|output_text)$/.test(typeText)) {
          this.addValue(role, evalText(b.file, text, this.ctx), { ...extra, cacheControl: !!propertyOf(b.node, 'cache_control') });
        } else skipped++;
      } else if (/string/.test(b.node.type)) this.addValue(role, evalText(b.file, b.node, this.ctx), extra);
      else if (sdkCall(b.node)) this.addText(role, b, extra);
      else if (b.node.type === 'spread_element' || b.node.type === 'list_splat') this.addValue(role, dynamic(b.file, b.node, this.ctx), extra);
      else skipped++;
    }
    if (skipped) this.notes.push(`${skipped} non-text content block${skipped > 1 ? 's' : ''} (images, files, tool results) not counted`);
  }

  /** A message list: [{role, content}], spreads of history, LangChain tuples/messages via `element`. */
  addMessages(at: { file: CodeFile; node: SyntaxNode } | undefined, element?: (file: CodeFile, node: SyntaxNode) => boolean): void {
    if (!at) return;
    const r = resolveExpression(at.file, at.node, this.ctx);
    // history + [{role, content}]: each side in turn (a run-time list is one dynamic part)
    const op = r && /^(binary_operator|binary_expression)$/.test(r.node.type) ? r.node.childForFieldName('operator')?.text : undefined;
    const left = r?.node.childForFieldName('left');
    const right = r?.node.childForFieldName('right');
    if (r && op === '+' && left && right) {
      this.addMessages({ file: r.file, node: left }, element);
      this.addMessages({ file: r.file, node: right }, element);
      return;
    }
    if (!r || !/^(array|list|tuple)$/.test(r.node.type) || this.ctx.active.has(r.node.id)) {
      // a helper of the project that returns the list: its messages, with what this call passes it
      const listed = r && withReturnedList(r.file, r.node, this.ctx, (list) => {
        this.addMessageNodes(list.file, list.node.namedChildren.filter((c): c is SyntaxNode => !!c), element);
        return true;
      });
      if (listed) return;
      // messages built elsewhere at run time: one dynamic part
      this.addValue('user', dynamic(at.file, at.node, this.ctx));
      return;
    }
    // messages.push(…) / .append(…) after the list is made and before this use: sent with it
    const named = listName(at.file, at.node, this.ctx);
    const added = named.file === r.file ? listAdditions(r.file, named.node, r.node, true) : { front: [], back: [] };
    this.ctx.active.add(r.node.id);
    try {
      this.addAdded(r.file, added.front, element);
      this.addMessageNodes(r.file, r.node.namedChildren.filter((c): c is SyntaxNode => !!c), element);
      this.addAdded(r.file, added.back, element);
    } finally {
      this.ctx.active.delete(r.node.id);
    }
  }

  /** Messages added to a list after it is made: one each, or a list's (`extend(xs)`, `push(...xs)`). */
  private addAdded(file: CodeFile, added: ListAddition[], element?: (file: CodeFile, node: SyntaxNode) => boolean): void {
    for (const a of added) {
      if (a.many) this.addMessages({ file, node: a.node }, element);
      else this.addMessageNodes(file, [a.node], element);
    }
  }

  /** The elements of a message list, one by one. */
  addMessageNodes(file: CodeFile, elements: SyntaxNode[], element?: (file: CodeFile, node: SyntaxNode) => boolean): void {
    for (const el of elements) {
      if (el.type === 'comment') continue;
      if (element?.(file, el)) continue;
      const m = resolveExpression(file, el, this.ctx) ?? { file, node: el };
      if (m.node.type === 'object' || m.node.type === 'dictionary') {
        this.addMessageObject(m);
        continue;
      }
      // [...messages, {…}]: a list made here earlier, its messages in turn
      const spread = el.type === 'spread_element' || el.type === 'list_splat' ? el.namedChildren[0] : undefined;
      const list = spread && resolveExpression(file, spread, this.ctx);
      if (spread && list && /^(array|list|tuple)$/.test(list.node.type) && !this.ctx.active.has(list.node.id)) {
        this.addMessages({ file, node: spread }, element);
        continue;
      }
      // a helper of the project that returns one message (`example(locale)`), with what this call passes it
      if (withReturnedObject(m.file, m.node, this.ctx, (obj) => this.addMessageObject(obj))) continue;
      // ...history, *history, or a message object built elsewhere
      this.addValue('user', dynamic(file, el, this.ctx));
    }
  }

  /** A `{ role, content }` object's message; false when it has no content to read. */
  private addMessageObject(m: { file: CodeFile; node: SyntaxNode }): boolean {
    const roleNode = propertyOf(m.node, 'role');
    const role = normaliseRole(roleNode ? evalText(m.file, roleNode, this.ctx).text : undefined);
    const nameNode = propertyOf(m.node, 'name');
    const name = nameNode && /string/.test(nameNode.type) ? evalText(m.file, nameNode, this.ctx).text : undefined;
    const content = propertyOf(m.node, 'content') ?? propertyOf(m.node, 'parts');
    // a tool message's content not written in it (`str(output)`) is the tool's run-time result, not
    // the text of a fallback branch (`output = "Function not found"`)
    if (content && role === 'tool' && /^(identifier|call|call_expression|member_expression|attribute|subscript|subscript_expression)$/.test(content.type)) this.addValue(role, dynamic(m.file, content, this.ctx));
    else if (content) this.addText(role, { file: m.file, node: content }, { name });
    return !!content;
  }

  build(kind: string, model: ModelValue | undefined, output: number | undefined, outputKey?: string): DetectedPrompt | undefined {
    if (this.parts.length === 0) return undefined;
    return {
      kind, source: 'code', confidence: 'call',
      range: this.call.f.lines.range(this.call.node.startIndex, this.call.node.endIndex),
      parts: this.parts,
      model: promptModel(model, this.call.f.file),
      outputTokens: output !== undefined ? { tokens: output, from: outputKey ? `code:${outputKey}` : 'code' } : model?.output ? { tokens: model.output.tokens, from: `code:${model.output.key}` } : undefined,
      ...(this.notes.length ? { notes: this.notes } : {}),
    };
  }
}

/** A prompt's model as detection reports it: its range only where it is written in the prompt's own file. */
export function promptModel(model: ModelValue | undefined, file: string): DetectedPrompt['model'] {
  if (!model) return undefined;
  return { id: model.id, from: model.from, ...(model.at?.file === file ? { range: model.at.range } : {}) };
}

export function modelArg(call: CallInfo, ctx: EvalContext, ...keys: string[]): ModelValue | undefined {
  const m = arg(call, ...(keys.length ? keys : ['model']));
  return m ? evalModel(m.file, m.node, ctx) : undefined;
}

export function outputArg(call: CallInfo, ctx: EvalContext, container?: { file: CodeFile; node: SyntaxNode }): { tokens: number; key: string } | undefined {
  for (const k of OUTPUT_LIMIT_KEYS) {
    const direct = arg(call, k);
    const inContainer = container && (container.node.type === 'object' || container.node.type === 'dictionary') ? propertyOf(container.node, k) : undefined;
    const at = direct ?? (inContainer ? { file: container!.file, node: inContainer } : undefined);
    if (!at) continue;
    const v = evalNumber(at.file, at.node, ctx);
    if (v !== undefined) return { tokens: v, key: k };
  }
  return undefined;
}

export { evalText, evalModel, resolveExpression, propertyOf };
