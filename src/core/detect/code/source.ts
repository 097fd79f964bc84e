// A parsed source file with what value resolution needs: definitions by name, import bindings, and a
// project that finds and parses the files that relative imports point to (once per scan).
import * as path from 'path';
import { ancestryOf, type Ancestry } from './ancestry';
import { BudgetExceeded, Deadline, isBudgetExceeded, type FileBudgets } from '../../budgets';
import { LineIndex, loneCrToLf } from '../../text';
import { isLoaded, langForFile, parse, treeEdit, type Lang, type SyntaxNode, type SyntaxTree } from './parser';

export interface Definition {
  name: string;
  value: SyntaxNode;
  /** Offset of the definition; the nearest one before a use wins. */
  start: number;
  /** The function (or class) the definition is in; null at module level. */
  scope: SyntaxNode | null;
}

export interface ImportBinding {
  /** Resolved file (relative to the root), when the module is a local file. */
  file?: string;
  /** The module as written: './prompts', '.prompts', 'openai'. */
  module: string;
  /** 'default', '*' (namespace / module object) or the exported name. */
  imported: string;
}

export interface CodeFile {
  file: string;
  text: string;
  lang: Lang;
  isPython: boolean;
  tree: SyntaxTree;
  lines: LineIndex;
  /** Definitions looked up so far, by name (see definitionsOf). */
  defCache: Map<string, Definition[]>;
  /** Offsets of `name =` in the text, by name (built on first lookup). */
  assignments?: Map<string, number[]>;
  /** Offsets of Python `with … as name` aliases, by name (built on first lookup). */
  withAliases?: Map<string, number[]>;
  imports: Map<string, ImportBinding>;
  /** JS `export * from './x'`: the files whose exports this file passes on. */
  starExports?: string[];
  /** Offsets of `def name(` / `function name(` / `class name`, by name (built on first lookup). */
  functionSites?: Map<string, number[]>;
  /** While set, what evaluating one call looks up in this file (see Lookups). */
  lookups?: Lookups;
  /** Comment runs were blanked for the parser (see blankCommentRuns): the tree is not of `text` as edited. */
  blanked?: boolean;
  /** Nodes by offset and their parents (ancestryOf), made on first use. */
  ancestry?: Ancestry;
  /** The rows a name's definitions span (definitionRows), by name, made on first use. */
  defRows?: Map<string, [number, number][]>;
  /** A JSON file code imports (`import en from './en.json'`), parsed as a JavaScript expression. */
  json?: true;
}

export const isJsonFile = (file: string) => file.endsWith('.json');
const JSON_GRAMMARS: Lang[] = ['javascript', 'typescript', 'tsx'];

/** The value a JSON file holds (its one top-level expression), if it parsed as one. */
export function jsonValue(f: CodeFile): SyntaxNode | undefined {
  const root = f.tree.rootNode;
  const stmt = root.namedChildren.filter((c) => c?.type !== 'comment');
  if (stmt.length !== 1 || stmt[0]?.type !== 'expression_statement' || root.hasError) return undefined;
  return stmt[0].namedChildren[0] ?? undefined;
}

/**
 * What evaluating one call consulted in its own file besides the call itself: the names it looked up
 * (definitions and imports) and the rows of the definitions found. An edit elsewhere that touches none
 * of these cannot change that call's result; incremental detection relies on it.
 */
export interface Lookups {
  names: Set<string>;
  rows: [number, number][];
  /** It used something computed from the whole file (LangChain's chat model of the file). */
  fileWide: boolean;
}

/** An import map that reports lookups to the file's current Lookups. */
class ImportMap extends Map<string, ImportBinding> {
  constructor(private readonly owner: () => Lookups | undefined) {
    super();
  }

  override get(name: string): ImportBinding | undefined {
    this.owner()?.names.add(name);
    return super.get(name);
  }
}

const FUNCTION_TYPES = new Set(['function_declaration', 'function_expression', 'arrow_function', 'method_definition', 'function_definition', 'class_body', 'class_definition', 'generator_function_declaration']);

/** The function or class holding `node`; `parentOf` walks up (Ancestry's: tree-sitter's `.parent` is O(width) per step). */
function enclosingScope(node: SyntaxNode, parentOf: (n: SyntaxNode) => SyntaxNode | null = (n) => n.parent): SyntaxNode | null {
  for (let n = parentOf(node); n; n = parentOf(n)) if (FUNCTION_TYPES.has(n.type)) return n;
  return null;
}


/** Value node of an assignment-like construct whose target is `target` (an identifier-ish node). */
function assignedValue(target: SyntaxNode, parentOf: (n: SyntaxNode) => SyntaxNode | null = (n) => n.parent): SyntaxNode | undefined {
  let n: SyntaxNode | null = target;
  // `this.x` / `self.x` / `exports.x`: the target is the whole member expression
  const up = parentOf(n);
  if (up && (up.type === 'member_expression' || up.type === 'attribute')) {
    const prop = up.childForFieldName('property') ?? up.childForFieldName('attribute');
    if (prop && prop.startIndex === n.startIndex) n = up;
  }
  const p = parentOf(n);
  if (!p) return undefined;
  const is = (field: string) => p.childForFieldName(field)?.startIndex === n!.startIndex && p.childForFieldName(field)?.endIndex === n!.endIndex;
  switch (p.type) {
    case 'variable_declarator': return is('name') ? p.childForFieldName('value') ?? undefined : undefined;
    case 'assignment_expression': return is('left') ? p.childForFieldName('right') ?? undefined : undefined;
    case 'assignment': return is('left') ? p.childForFieldName('right') ?? undefined : undefined;
    case 'public_field_definition': return is('name') ? p.childForFieldName('value') ?? undefined : undefined;
    case 'field_definition': return is('property') ? p.childForFieldName('value') ?? undefined : undefined;
    default: return undefined;
  }
}

/**
 * Definitions of `name` (an identifier, `this.x`, `self.x`), found from the text first: every place the
 * name is followed by `=` (or `: Type =`) is checked against the tree. Work is proportional to the
 * occurrences of the name, not to the size of the file, and each name is looked up once per parse.
 */
export function definitionsOf(f: CodeFile, name: string): Definition[] {
  const defs = lookupDefinitions(f, name);
  // (the rows of a name's definitions once per call's lookups: they are the same at every use)
  if (f.lookups && !f.lookups.names.has(name)) {
    f.lookups.names.add(name);
    for (const r of definitionRows(f, name, defs)) f.lookups.rows.push(r);
  }
  return defs;
}

/**
 * The rows `defs` (the definitions of `name`) span, as few spans as hold the same rows: read off the
 * tree once per name and file, not once per call that looks the name up (a name assigned on each of
 * 500 lines, read by each of 1,000 calls, was half a million reads of a node's end, each a call into
 * tree-sitter). A record's rows are only asked whether they hold the edited row.
 */
function definitionRows(f: CodeFile, name: string, defs: Definition[]): [number, number][] {
  f.defRows ??= new Map();
  let rows = f.defRows.get(name);
  if (!rows) {
    const spans = defs.map((d): [number, number] => [d.value.startPosition.row, d.value.endPosition.row]).sort((a, b) => a[0] - b[0]);
    rows = [];
    for (const [a, b] of spans) {
      const last = rows[rows.length - 1];
      if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
      else rows.push([a, b]);
    }
    f.defRows.set(name, rows);
  }
  return rows;
}

function lookupDefinitions(f: CodeFile, name: string): Definition[] {
  const cached = f.defCache.get(name);
  if (cached) return cached;
  const defs: Definition[] = [];
  if (name === 'default') {
    for (const m of f.text.matchAll(/\bexport\s+default\s+/g)) {
      const stmt = f.tree.rootNode.descendantForIndex(m.index ?? 0);
      const exp = stmt && (stmt.type === 'export_statement' ? stmt : stmt.parent);
      const value = exp?.type === 'export_statement' ? exp.childForFieldName('value') ?? exp.childForFieldName('declaration') : undefined;
      if (value) defs.push({ name, value, start: value.startIndex, scope: null });
    }
  } else {
    const bare = name.replace(/^(this|self|cls)\./, '');
    // Through the file's Ancestry: thousands of assignments to one name in one block made each
    // `.parent` scan the block's children (a fuzzed file: 11 s, past every budget check).
    const up = ancestryOf(f);
    const parentOf = (n: SyntaxNode) => up.parent(n);
    for (const at of assignmentSites(f).get(bare) ?? []) {
      const target = up.at(at, at + bare.length);
      if (!target || target.text !== bare) continue;
      const parent = parentOf(target);
      const qualified = parent && (parent.type === 'member_expression' || parent.type === 'attribute') ? parent.text.replace(/\s+/g, '') : undefined;
      const isField = parent?.type === 'public_field_definition' || parent?.type === 'field_definition';
      // `this.x = …` defines this.x (so does a class field x); `obj.x = …` defines obj.x; `x = …` defines x
      const defines = qualified ?? (isField ? `this.${bare}` : bare);
      const commonJsExport = qualified === `exports.${bare}` || qualified === `module.exports.${bare}`;
      if (defines !== name && !(commonJsExport && name === bare)) continue;
      const value = assignedValue(target, parentOf);
      // (the value's scope is its target's: they share the assignment)
      if (value) defs.push({ name, value, start: value.startIndex, scope: enclosingScope(target, parentOf) });
    }
    // Python `with make() as name:`: the name is what the context manager gives, read here as the call
    // that made it (`async with client.aio.live.connect(…) as session`)
    if (f.isPython && bare === name) {
      for (const at of withAliasSites(f).get(name) ?? []) {
        const target = f.tree.rootNode.descendantForIndex(at, at + name.length);
        const alias = target?.parent;
        const pattern = alias?.parent;
        if (!target || target.text !== name || alias?.type !== 'as_pattern_target' || pattern?.type !== 'as_pattern' || pattern.parent?.type !== 'with_item') continue;
        const value = pattern.namedChildren[0];
        if (value && value.type !== 'as_pattern_target') defs.push({ name, value, start: value.startIndex, scope: enclosingScope(value) });
      }
    }
    // a constant in a class body is read as self.X / cls.X (Python) inside the class
    if (/^(self|cls)\./.test(name)) {
      for (const d of lookupDefinitions(f, bare)) if (d.scope?.type === 'class_definition' && !defs.includes(d)) defs.push({ ...d, name });
    }
    // def name(…) / function name(…) / class Name: the definition is the function (or class) itself
    for (const at of functionSites(f).get(bare) ?? []) {
      const id = f.tree.rootNode.descendantForIndex(at, at + bare.length);
      const fn = id?.parent;
      if (!id || !fn || id.text !== bare || !DEFINITION_TYPES.has(fn.type) || fn.childForFieldName('name')?.startIndex !== id.startIndex) continue;
      const scope = enclosingScope(fn);
      const method = scope?.type === 'class_definition' || scope?.type === 'class_body';
      const defines = method ? (f.isPython ? ['self.', 'cls.'] : ['this.']).map((p) => p + bare) : [bare];
      if (!defines.includes(name)) continue;
      defs.push({ name, value: fn, start: fn.startIndex, scope });
    }
  }
  f.defCache.set(name, defs);
  return defs;
}

const DEFINITION_TYPES = new Set(['function_definition', 'function_declaration', 'generator_function_declaration', 'class_definition', 'class_declaration', 'method_definition']);

/** `def name(`, `function name(`, `class Name`, and JS methods `name(…) {`: one pass over the text per parse. */
function functionSites(f: CodeFile): Map<string, number[]> {
  if (f.functionSites) return f.functionSites;
  const sites = new Map<string, number[]>();
  const re = f.isPython ? /\b(?:def|class)\s+([A-Za-z_]\w*)/g : /\b(?:function\*?|class)\s+([A-Za-z_$][\w$]*)|^[ \t]*(?:(?:public|private|protected|static|async|override)\s+)*([A-Za-z_$][\w$]*)\s*\([^()\n]*\)\s*(?::[^{;\n]*)?\{/gm;
  for (const m of f.text.matchAll(re)) {
    const name = m[1] ?? m[2];
    const at = m[1] ? (m.index ?? 0) + m[0].length - name.length : (m.index ?? 0) + m[0].slice(0, m[0].indexOf('(')).trimEnd().length - name.length;
    const list = sites.get(name);
    if (list) list.push(at);
    else sites.set(name, [at]);
  }
  f.functionSites = sites;
  return sites;
}

/** Python `… as name` (a `with` item's alias, checked in the tree), by name: one pass over the text per parse. */
function withAliasSites(f: CodeFile): Map<string, number[]> {
  if (f.withAliases) return f.withAliases;
  const sites = new Map<string, number[]>();
  for (const m of f.text.matchAll(/\bas\s+([A-Za-z_]\w*)\s*[:,)]/g)) {
    const at = (m.index ?? 0) + m[0].indexOf(m[1], 2);
    const list = sites.get(m[1]);
    if (list) list.push(at);
    else sites.set(m[1], [at]);
  }
  f.withAliases = sites;
  return sites;
}

/** `name =` or `name: Type =` (not `==`, `=>`; an object type's `;` inside its braces): where definitions are, found from the text. */
export const ASSIGNED_NAME = /(?<![\w$])([A-Za-z_$][\w$]*)\s*(?::(?:[^=;\n{]|\{[^{}=\n]*\}){1,200})?=(?![=>])/g;

/** Every `name =` (or `name: Type =`) in the file, by name: one pass over the text per parse. */
function assignmentSites(f: CodeFile): Map<string, number[]> {
  if (f.assignments) return f.assignments;
  const sites = new Map<string, number[]>();
  for (const m of f.text.matchAll(ASSIGNED_NAME)) {
    const list = sites.get(m[1]);
    if (list) list.push(m.index ?? 0);
    else sites.set(m[1], [m.index ?? 0]);
  }
  f.assignments = sites;
  return sites;
}

const PROMPT_LIKE_NAME = /(?<![\w$.])((?:this\.|self\.)?(?:[A-Za-z_$][\w$]*?)?(?:prompt|instruction|(?:system|human|user)_?message|template|persona|preamble|_role)[\w$]*)\s*(?::[^=;\n]{1,200})?=(?![=>])/gi;

/** Names defined in this file that look like prompts (for the heuristic pass). */
export function promptLikeNames(f: CodeFile): string[] {
  return [...new Set([...f.text.matchAll(PROMPT_LIKE_NAME)].map((m) => m[1]))];
}

function stringValue(node: SyntaxNode | null | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === 'string') return node.text.slice(1, -1);
  return undefined;
}

/** `get`'s value, computed on the first call. */
function lazily<T>(get: () => T): () => T {
  let done = false;
  let value: T;
  return () => {
    if (!done) {
      value = get();
      done = true;
    }
    return value;
  };
}

/** An import binding whose `file` is resolved when first read (through the project: a read of the detection reading it). */
function lazyBinding(file: () => string | undefined, module: string, imported: string): ImportBinding {
  return Object.defineProperty({ module, imported } as ImportBinding, 'file', { get: file, enumerable: true });
}

function collectJsImports(f: CodeFile, project: CodeProject): void {
  for (const stmt of f.tree.rootNode.namedChildren) {
    if (!stmt) continue;
    if (stmt.type === 'import_statement') {
      const module = stringValue(stmt.childForFieldName('source'));
      if (!module) continue;
      // The module's file is found when a binding's file is first asked for, not here: a detection
      // depends on the files of the imports its evaluation looks at, not on every import's (a module
      // importing thirty components was detected again whenever any of them was edited).
      const file = lazily(() => project.resolveJs(f.file, module));
      const clause = stmt.namedChildren.find((c) => c?.type === 'import_clause');
      for (const part of clause?.namedChildren ?? []) {
        if (!part) continue;
        if (part.type === 'identifier') f.imports.set(part.text, lazyBinding(file, module, 'default'));
        else if (part.type === 'namespace_import') {
          const id = part.namedChildren.find((c) => c?.type === 'identifier');
          if (id) f.imports.set(id.text, lazyBinding(file, module, '*'));
        } else if (part.type === 'named_imports') {
          for (const spec of part.namedChildren) {
            if (spec?.type !== 'import_specifier') continue;
            const name = spec.childForFieldName('name')?.text;
            const alias = spec.childForFieldName('alias')?.text ?? name;
            if (name && alias) f.imports.set(alias, lazyBinding(file, module, name));
          }
        }
      }
    }
  }
  // export { A, B as C } from './x'; export * from './x' — names passed on, resolved like imports
  for (const stmt of f.tree.rootNode.namedChildren) {
    if (stmt?.type !== 'export_statement') continue;
    const module = stringValue(stmt.childForFieldName('source'));
    if (!module) continue;
    const clause = stmt.namedChildren.find((c) => c?.type === 'export_clause');
    if (!clause) {
      // (a name not found here is looked for in every module passed on whole: found now)
      const file = project.resolveJs(f.file, module);
      if (file) (f.starExports ??= []).push(file);
      continue;
    }
    const file = lazily(() => project.resolveJs(f.file, module));
    for (const spec of clause.namedChildren) {
      if (spec?.type !== 'export_specifier') continue;
      const name = spec.childForFieldName('name')?.text;
      const alias = spec.childForFieldName('alias')?.text ?? name;
      if (name && alias && !f.imports.has(alias)) f.imports.set(alias, lazyBinding(file, module, name));
    }
  }
  // const { A, B: C } = require('./x'); const x = require('./x') — top-level declarations only
  for (const m of f.text.matchAll(/\brequire\s*\(\s*['"]/g)) {
    const call = f.tree.rootNode.descendantForIndex(m.index ?? 0)?.parent;
    if (!call || call.type !== 'call_expression' || call.childForFieldName('function')?.text !== 'require') continue;
    const module = stringValue(call.childForFieldName('arguments')?.namedChildren[0]);
    const decl = call.parent;
    if (!module || decl?.type !== 'variable_declarator') continue;
    const file = lazily(() => project.resolveJs(f.file, module));
    const name = decl.childForFieldName('name');
    if (name?.type === 'identifier') f.imports.set(name.text, lazyBinding(file, module, '*'));
    else if (name?.type === 'object_pattern') {
      for (const p of name.namedChildren) {
        if (p?.type === 'shorthand_property_identifier_pattern') f.imports.set(p.text, lazyBinding(file, module, p.text));
        else if (p?.type === 'pair_pattern') {
          const key = p.childForFieldName('key')?.text;
          const value = p.childForFieldName('value')?.text;
          if (key && value) f.imports.set(value, lazyBinding(file, module, key));
        }
      }
    }
  }
}

function collectPyImports(f: CodeFile, project: CodeProject): void {
  for (const m of f.text.matchAll(/^[ \t]*(from|import)\s/gm)) {
    const stmt = f.tree.rootNode.descendantForIndex((m.index ?? 0) + m[0].length - m[1].length - 1)?.parent;
    if (!stmt || (stmt.type !== 'import_from_statement' && stmt.type !== 'import_statement')) continue;
    if (stmt.type === 'import_from_statement') {
      const moduleNode = stmt.childForFieldName('module_name');
      const module = moduleNode?.text ?? '';
      // from .policies import *: every top-level name of that module, looked up when a name is not found
      if (stmt.namedChildren.some((c) => c?.type === 'wildcard_import')) {
        const file = project.resolvePy(f.file, module);
        if (file) (f.starExports ??= []).push(file);
        continue;
      }
      for (const child of stmt.childrenForFieldName('name')) {
        if (!child) continue;
        const name = child.type === 'aliased_import' ? child.childForFieldName('name')?.text : child.text;
        const alias = child.type === 'aliased_import' ? child.childForFieldName('alias')?.text : child.text;
        if (!name || !alias) continue;
        // `from . import prompts` imports a module; `from .prompts import X` a name from one.
        const asModule = project.resolvePy(f.file, module.endsWith('.') ? `${module}${name}` : `${module}.${name}`);
        if (asModule) f.imports.set(alias, { file: asModule, module: `${module}${name}`, imported: '*' });
        else f.imports.set(alias, { file: project.resolvePy(f.file, module), module, imported: name });
      }
    } else {
      for (const child of stmt.namedChildren) {
        if (!child) continue;
        const name = child.type === 'aliased_import' ? child.childForFieldName('name')?.text : child.text;
        const alias = child.type === 'aliased_import' ? child.childForFieldName('alias')?.text : child.text;
        if (name && alias) f.imports.set(alias, { file: project.resolvePy(f.file, name), module: name, imported: '*' });
      }
    }
  }
}

/** Tells tree-sitter how `oldText` became `newText` (one changed span: common prefix and suffix kept). */
/** An edit as offsets: [start, oldEnd) of the old text became [start, newEnd) of the new one. */
export interface TextChange { start: number; oldEnd: number; newEnd: number }

/** The single edit between two texts (common prefix and suffix), applied to `tree` so it can be reparsed. */
export function editTree(tree: SyntaxTree, oldSource: string, newSource: string): TextChange {
  // The tree was parsed from the text with lone \r made \n (see CodeProject.open): edit in those terms.
  const oldText = loneCrToLf(oldSource);
  const newText = loneCrToLf(newSource);
  let start = 0;
  const min = Math.min(oldText.length, newText.length);
  while (start < min && oldText.charCodeAt(start) === newText.charCodeAt(start)) start++;
  let oldEnd = oldText.length;
  let newEnd = newText.length;
  while (oldEnd > start && newEnd > start && oldText.charCodeAt(oldEnd - 1) === newText.charCodeAt(newEnd - 1)) {
    oldEnd--;
    newEnd--;
  }
  // Rows and columns: one scan up to the edit, then only through the changed text.
  let row = 0;
  let lineStart = 0;
  for (let i = newText.indexOf('\n'); i !== -1 && i < start; i = newText.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  const startPosition = { row, column: start - lineStart };
  const after = (text: string, end: number) => {
    let r = row;
    let ls = lineStart;
    for (let i = text.indexOf('\n', start); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) {
      r++;
      ls = i + 1;
    }
    return { row: r, column: end - ls };
  };
  tree.edit(treeEdit({ startIndex: start, oldEndIndex: oldEnd, newEndIndex: newEnd, startPosition, oldEndPosition: after(oldText, oldEnd), newEndPosition: after(newText, newEnd) }));
  return { start, oldEnd, newEnd };
}

export class CodeProject {
  private readonly files = new Map<string, CodeFile | null>();
  private readonly texts = new Map<string, string | undefined>();

  /** Per-file budgets (see budgets.ts); each file's parse gets its own parse budget. */
  budgets: Partial<FileBudgets> | undefined;

  /** `readFile` takes a path relative to the root and returns undefined for what cannot or may not be read. */
  constructor(private readonly readFile: (relativePath: string) => string | undefined, budgets?: Partial<FileBudgets>) {
    this.budgets = budgets;
  }

  /**
   * Parses `text` as `file` (the document being analysed: its text may be newer than the disk's). With
   * `previous` — the tree of an earlier version, already edited to match — tree-sitter reparses only
   * what changed.
   */
  open(file: string, text: string, lang = langForFile(file), previous?: SyntaxTree): CodeFile | undefined {
    if (!lang || !isLoaded(lang)) return undefined;
    // Lone \r ends a line for LSP, Python and JavaScript, but not for tree-sitter: parse (and read
    // values from) the text with it made \n — same offsets, so every range stays the document's.
    const lf = loneCrToLf(text);
    const deadline = Deadline.start('parse', this.budgets, file);
    // tree-sitter-python is quadratic in a run of comment lines: such runs are parsed as blank lines.
    const blanked = lang === 'python' ? blankCommentRuns(lf) : undefined;
    let source = blanked?.text ?? lf;
    let tree = parse(lang, source, blanked ? undefined : previous, deadline);
    if (tree && blanked && blanked.runs.some(([start]) => insideString(tree!, start))) {
      // A run of `#` lines inside a string (a Markdown prompt): that text must be read as written.
      tree.delete();
      source = lf;
      tree = parse(lang, source, previous, deadline);
    }
    if (!tree) throw new BudgetExceeded('parse', deadline.limitMs, file);
    const f: CodeFile = { file, text: source, lang, isPython: lang === 'python', tree, lines: LineIndex.of(text), defCache: new Map(), imports: new Map(), ...(source !== lf ? { blanked: true } : {}) };
    f.imports = new ImportMap(() => f.lookups);
    this.files.set(file, f);
    if (isJsonFile(file)) f.json = true;
    else if (f.isPython) collectPyImports(f, this);
    else collectJsImports(f, this);
    return f;
  }

  /** A file an import points to, parsed once per project. */
  get(file: string): CodeFile | undefined {
    if (this.files.has(file)) {
      this.note(file);
      return this.files.get(file) ?? undefined;
    }
    this.files.set(file, null); // cycle guard while parsing
    this.imported.add(file);
    const text = this.read(file);
    if (text === undefined) return undefined;
    try {
      // JSON is a JavaScript expression: parsed as one (by whichever JS grammar the importer loaded), its offsets are the file's own
      return this.open(file, text, isJsonFile(file) ? JSON_GRAMMARS.find(isLoaded) : undefined);
    } catch (e) {
      if (isBudgetExceeded(e)) return undefined; // an import past its parse budget: its values are slots
      throw e;
    }
  }

  /**
   * A workspace file's text (a prompt a program reads from a file), read once and tracked like an
   * import: a detection that used it depends on it.
   */
  readText(file: string): string | undefined {
    return this.read(file);
  }

  private readonly textLines = new Map<string, LineIndex>();

  /** Line positions of a file read through the project: a code file as parsed, any other as its text. */
  linesOf(file: string): LineIndex | undefined {
    if (langForFile(file)) return this.get(file)?.lines;
    const text = this.read(file);
    if (text === undefined) return undefined;
    let lines = this.textLines.get(file);
    if (!lines || lines.text !== text) this.textLines.set(file, (lines = new LineIndex(text)));
    return lines;
  }

  /** Every file read so far (imports and the probes that resolved them), with what it held. */
  reads(): Map<string, string | undefined> {
    return new Map(this.texts);
  }

  /** Whether each of `earlier`'s files reads the same now (read through this project). */
  readsSame(earlier: Map<string, string | undefined>): boolean {
    for (const [file, text] of earlier) if (this.read(file) !== text) return false;
    return true;
  }

  /**
   * Frees one file's tree once its detection is done, unless an import of another file brought it in
   * (those are parsed once and shared). A scan opens every candidate file in one project: keeping
   * each tree until the end held the whole tree's syntax in WASM memory. A later import of a released
   * file reads and parses it again.
   */
  release(file: string): void {
    // The node lists an imported file's Ancestry made for this detection go with it: kept for every
    // module the scan imports, they were a quarter of a monorepo's cold-scan peak (vercel/ai: 378 →
    // 475 MB). The next detection that walks such a file lists what it needs again.
    for (const other of this.files.values()) if (other && other.file !== file) other.ancestry = undefined;
    const f = this.files.get(file);
    if (!f || this.imported.has(file)) return;
    f.tree.delete();
    this.files.delete(file);
  }

  /**
   * Between two files' detections: once more than `max` imported files are parsed, frees all their
   * trees (their texts stay read; a later import parses again). A batch over a monorepo otherwise keeps
   * a tree of every module anything imported, and each worker's WASM memory grows with them for good.
   * Nothing outlives a detection but these files, so dropping them together leaves no stale node.
   */
  trimImports(max: number): void {
    let kept = 0;
    for (const f of this.files.values()) if (f) kept++;
    if (kept <= max) return;
    for (const [file, f] of this.files) {
      if (!f) continue;
      f.tree.delete();
      this.files.delete(file);
    }
  }

  /** Files brought in through `get` (imports), which `release` keeps. */
  private readonly imported = new Set<string>();

  /** Frees the trees this project parsed (WASM memory), except `keep`. */
  dispose(keep?: SyntaxTree): void {
    for (const f of this.files.values()) if (f && f.tree !== keep) f.tree.delete();
    this.files.clear();
  }

  private read(file: string): string | undefined {
    if (!this.texts.has(file)) this.texts.set(file, this.readFile(file));
    this.note(file);
    return this.texts.get(file);
  }

  private tracked: Map<string, string | undefined> | undefined;

  /**
   * Runs `fn` and returns, with its result, every file it looked at through this project — read, probed
   * or served from what the project had parsed for an earlier file — with the text it had. A project
   * shared by many files reads each import once; this tells one file's dependencies apart.
   */
  track<T>(fn: () => T): { result: T; reads: Map<string, string | undefined> } {
    const outer = this.tracked;
    const reads = new Map<string, string | undefined>();
    this.tracked = reads;
    try {
      return { result: fn(), reads };
    } finally {
      this.tracked = outer;
      if (outer) for (const [f, t] of reads) if (!outer.has(f)) outer.set(f, t);
    }
  }

  private note(file: string): void {
    if (!this.tracked || this.tracked.has(file)) return;
    const parsed = this.files.get(file);
    this.tracked.set(file, parsed ? parsed.text : this.texts.get(file));
  }

  private exists(file: string): boolean {
    if (this.files.get(file)) return true;
    return this.read(file) !== undefined;
  }

  resolveJs(from: string, spec: string): string | undefined {
    if (!spec.startsWith('.')) {
      // tsconfig/jsconfig `paths` aliases (`@/lib/prompts`), from the nearest config above the file
      for (const target of this.aliasTargets(from, spec)) {
        const found = this.jsCandidate(target);
        if (found) return found;
      }
      return undefined;
    }
    return this.jsCandidate(path.posix.normalize(path.posix.join(path.posix.dirname(from), spec)));
  }

  private jsCandidate(base: string): string | undefined {
    base = base.replace(/^\.\//, '');
    if (base.startsWith('..')) return undefined;
    const stem = base.replace(/\.(js|jsx|mjs|cjs)$/, '');
    if (isJsonFile(base)) return this.exists(base) ? base : undefined;
    const candidates = [base, ...['.ts', '.tsx', '.js', '.jsx', '.mjs', '.cjs', '.mts', '.cts'].map((e) => stem + e), ...['ts', 'tsx', 'js', 'jsx'].map((e) => `${base}/index.${e}`)];
    return candidates.find((c) => langForFile(c) && this.exists(c));
  }

  /** Per folder: the nearest config's paths, and every config file looked for on the way up. */
  private readonly jsConfigs = new Map<string, { found: JsPaths | null; probed: string[] }>();

  /**
   * The `compilerOptions.paths` of the nearest tsconfig.json / jsconfig.json at or above `dir`. Each
   * file's detection depends on every config file looked for, found or not (one that appears later
   * changes what an alias resolves to), so a folder answered from memory still notes them as read.
   */
  private jsPaths(dir: string): JsPaths | null {
    const cached = this.jsConfigs.get(dir);
    if (cached !== undefined) {
      for (const file of cached.probed) this.note(file);
      return cached.found;
    }
    let found: JsPaths | null = null;
    const probed: string[] = [];
    for (const name of ['tsconfig.json', 'jsconfig.json']) {
      const file = dir && dir !== '.' ? `${dir}/${name}` : name;
      probed.push(file);
      const text = this.read(file);
      if (text === undefined) continue;
      found = parseJsPaths(text, dir === '.' ? '' : dir);
      if (found) break;
    }
    // (an absolute name stops at `/`, whose dirname is itself)
    const parent = path.posix.dirname(dir);
    if (!found && dir && dir !== '.' && parent !== dir) {
      const up = parent === '.' ? '' : parent;
      found = this.jsPaths(up);
      probed.push(...(this.jsConfigs.get(up)?.probed ?? []));
    }
    this.jsConfigs.set(dir, { found, probed });
    return found;
  }

  private aliasTargets(from: string, spec: string): string[] {
    const dir = path.posix.dirname(from);
    const cfg = this.jsPaths(dir === '.' ? '' : dir);
    if (!cfg) return [];
    const out: string[] = [];
    for (const [pattern, targets] of cfg.paths) {
      const star = pattern.indexOf('*');
      let rest: string | undefined;
      if (star === -1) rest = pattern === spec ? '' : undefined;
      else if (spec.startsWith(pattern.slice(0, star)) && spec.endsWith(pattern.slice(star + 1)) && spec.length >= pattern.length - 1) rest = spec.slice(star, spec.length - (pattern.length - star - 1));
      if (rest === undefined) continue;
      for (const t of targets) out.push(path.posix.normalize(path.posix.join(cfg.base, t.replace('*', rest))));
    }
    return out;
  }

  resolvePy(from: string, module: string): string | undefined {
    // absolute imports: the scan root, then each folder above the importing file as a package root
    if (!module.startsWith('.') && module) {
      const rest = module.split('.').filter(Boolean).join('/');
      const dirs = [''];
      for (let d = path.posix.dirname(from), i = 0; d && d !== '.' && i < 8; d = path.posix.dirname(d), i++) dirs.push(d);
      for (const d of dirs) {
        const base = d ? `${d}/${rest}` : rest;
        const hit = [`${base}.py`, `${base}/__init__.py`].find((c) => this.exists(c));
        if (hit) return hit;
      }
      return undefined;
    }
    const dots = /^\.*/.exec(module)![0].length;
    const rest = module.slice(dots).split('.').filter(Boolean).join('/');
    let dir: string;
    if (dots > 0) {
      dir = path.posix.dirname(from);
      for (let i = 1; i < dots; i++) dir = path.posix.dirname(dir);
    } else dir = '';
    const base = path.posix.normalize(path.posix.join(dir, rest));
    if (base.startsWith('..') || (!rest && dots === 0)) return undefined;
    const candidates = rest ? [`${base}.py`, `${base}/__init__.py`] : [`${base}/__init__.py`];
    return candidates.map((c) => c.replace(/^\.\//, '')).find((c) => this.exists(c));
  }
}

interface JsPaths { base: string; paths: [string, string[]][] }

/** tsconfig.json is JSON with comments and trailing commas. */
function parseJsonc(text: string): unknown {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const end = /"(?:[^"\\\n]|\\.)*"/y;
      end.lastIndex = i;
      const m = end.exec(text);
      if (!m) return undefined;
      out += m[0];
      i += m[0].length - 1;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      i = close === -1 ? text.length : close + 1;
    } else out += c;
  }
  try {
    return JSON.parse(out.replace(/,(\s*[}\]])/g, '$1'));
  } catch {
    return undefined;
  }
}

function parseJsPaths(text: string, dir: string): JsPaths | null {
  const json = parseJsonc(text) as { compilerOptions?: { baseUrl?: unknown; paths?: unknown } } | undefined;
  const opts = json?.compilerOptions;
  if (!opts || !opts.paths || typeof opts.paths !== 'object') return null;
  const baseUrl = typeof opts.baseUrl === 'string' ? opts.baseUrl : '.';
  const base = path.posix.normalize(path.posix.join(dir || '.', baseUrl));
  const paths = Object.entries(opts.paths as Record<string, unknown>)
    .filter((e): e is [string, string[]] => Array.isArray(e[1]) && e[1].every((t) => typeof t === 'string'));
  return { base: base === '.' ? '' : base, paths };
}

/** Consecutive comment-only lines from which a run is blanked for tree-sitter-python. */
export const COMMENT_RUN = 32;

/**
 * Runs of COMMENT_RUN or more comment-only lines with their text replaced by spaces (same offsets,
 * newlines kept): tree-sitter-python's scanner looks ahead through every following comment line at each
 * line end, so a long run costs its square; blank lines cost nothing. Comments carry no prompt text and
 * annotations are read from the original text. Undefined when there is no such run.
 */
export function blankCommentRuns(text: string): { text: string; runs: [number, number][] } | undefined {
  if (!text.includes('#')) return undefined;
  const runs: [number, number][] = [];
  let runStart = -1;
  let runEnd = -1;
  let comments = 0;
  for (let at = 0; at <= text.length;) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    const line = text.slice(at, end);
    const kind = /^[ \t]*#/.test(line) ? 'comment' : /^[ \t\r]*$/.test(line) ? 'blank' : 'code';
    if (kind === 'code') {
      if (comments >= COMMENT_RUN) runs.push([runStart, runEnd]);
      runStart = -1;
      comments = 0;
    } else if (kind === 'comment') {
      if (runStart < 0) runStart = at;
      runEnd = end;
      comments++;
    }
    at = end + 1;
  }
  if (comments >= COMMENT_RUN) runs.push([runStart, runEnd]);
  if (!runs.length) return undefined;
  let out = '';
  let at = 0;
  for (const [s, e] of runs) {
    out += text.slice(at, s) + text.slice(s, e).replace(/[^\n\r]/g, ' ');
    at = e;
  }
  return { text: out + text.slice(at), runs };
}

function insideString(tree: SyntaxTree, offset: number): boolean {
  for (let n: SyntaxNode | null = tree.rootNode.descendantForIndex(offset, offset); n; n = n.parent) if (n.type === 'string') return true;
  return false;
}
