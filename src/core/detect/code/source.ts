// A parsed source file with what value resolution needs: definitions by name, import bindings, and a
// project that finds and parses the files that relative imports point to (once per scan).
import * as path from 'path';
import { LineIndex } from '../../text';
import { isLoaded, langForFile, parse, query, type Lang, type SyntaxNode, type SyntaxTree } from './parser';

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
  defs: Map<string, Definition[]>;
  imports: Map<string, ImportBinding>;
}

const FUNCTION_TYPES = new Set(['function_declaration', 'function_expression', 'arrow_function', 'method_definition', 'function_definition', 'class_body', 'class_definition', 'generator_function_declaration']);

function enclosingScope(node: SyntaxNode): SyntaxNode | null {
  for (let n = node.parent; n; n = n.parent) if (FUNCTION_TYPES.has(n.type)) return n;
  return null;
}

const JS_DEFS = `
(variable_declarator name: (identifier) @name value: (_) @value)
(assignment_expression left: (identifier) @name right: (_) @value)
(assignment_expression left: (member_expression object: (this) property: (property_identifier) @thisprop) right: (_) @value)
(assignment_expression left: (member_expression object: (identifier) @obj property: (property_identifier) @prop) right: (_) @value)
(public_field_definition name: (property_identifier) @field value: (_) @value)
(export_statement value: (_) @default)
`;
const PY_DEFS = `
(assignment left: (identifier) @name right: (_) @value)
(assignment left: (attribute object: (identifier) @obj attribute: (identifier) @prop) right: (_) @value)
`;

function collectDefs(f: CodeFile): void {
  const add = (name: string, value: SyntaxNode) => {
    const list = f.defs.get(name) ?? [];
    list.push({ name, value, start: value.startIndex, scope: enclosingScope(value) });
    f.defs.set(name, list);
  };
  for (const m of query(f.lang, f.isPython ? PY_DEFS : JS_DEFS).matches(f.tree.rootNode)) {
    const cap = Object.fromEntries(m.captures.map((c) => [c.name, c.node]));
    const value = cap.value ?? cap.default;
    if (!value) continue;
    if (cap.name) add(cap.name.text, value);
    else if (cap.thisprop) add(`this.${cap.thisprop.text}`, value);
    else if (cap.field) add(`this.${cap.field.text}`, value);
    else if (cap.obj && cap.prop) {
      const obj = cap.obj.text;
      // exports.X = …, module.exports.X = … (CommonJS); self.x = … (Python instance attributes)
      if (obj === 'exports') add(cap.prop.text, value);
      else add(`${obj}.${cap.prop.text}`, value);
    } else if (cap.default && cap.default.parent?.children.some((c) => c?.type === 'default')) add('default', value);
  }
}

function stringValue(node: SyntaxNode | null | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === 'string') return node.text.slice(1, -1);
  return undefined;
}

function collectJsImports(f: CodeFile, project: CodeProject): void {
  for (const stmt of f.tree.rootNode.namedChildren) {
    if (!stmt) continue;
    if (stmt.type === 'import_statement') {
      const module = stringValue(stmt.childForFieldName('source'));
      if (!module) continue;
      const file = project.resolveJs(f.file, module);
      const clause = stmt.namedChildren.find((c) => c?.type === 'import_clause');
      for (const part of clause?.namedChildren ?? []) {
        if (!part) continue;
        if (part.type === 'identifier') f.imports.set(part.text, { file, module, imported: 'default' });
        else if (part.type === 'namespace_import') {
          const id = part.namedChildren.find((c) => c?.type === 'identifier');
          if (id) f.imports.set(id.text, { file, module, imported: '*' });
        } else if (part.type === 'named_imports') {
          for (const spec of part.namedChildren) {
            if (spec?.type !== 'import_specifier') continue;
            const name = spec.childForFieldName('name')?.text;
            const alias = spec.childForFieldName('alias')?.text ?? name;
            if (name && alias) f.imports.set(alias, { file, module, imported: name });
          }
        }
      }
    }
  }
  // const { A, B: C } = require('./x'); const x = require('./x')
  for (const call of f.tree.rootNode.descendantsOfType('call_expression')) {
    if (!call || call.childForFieldName('function')?.text !== 'require') continue;
    const module = stringValue(call.childForFieldName('arguments')?.namedChildren[0]);
    const decl = call.parent;
    if (!module || decl?.type !== 'variable_declarator') continue;
    const file = project.resolveJs(f.file, module);
    const name = decl.childForFieldName('name');
    if (name?.type === 'identifier') f.imports.set(name.text, { file, module, imported: '*' });
    else if (name?.type === 'object_pattern') {
      for (const p of name.namedChildren) {
        if (p?.type === 'shorthand_property_identifier_pattern') f.imports.set(p.text, { file, module, imported: p.text });
        else if (p?.type === 'pair_pattern') {
          const key = p.childForFieldName('key')?.text;
          const value = p.childForFieldName('value')?.text;
          if (key && value) f.imports.set(value, { file, module, imported: key });
        }
      }
    }
  }
}

function collectPyImports(f: CodeFile, project: CodeProject): void {
  for (const stmt of f.tree.rootNode.descendantsOfType(['import_from_statement', 'import_statement'])) {
    if (!stmt) continue;
    if (stmt.type === 'import_from_statement') {
      const moduleNode = stmt.childForFieldName('module_name');
      const module = moduleNode?.text ?? '';
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

export class CodeProject {
  private readonly files = new Map<string, CodeFile | null>();
  private readonly texts = new Map<string, string | undefined>();

  /** `readFile` takes a path relative to the root and returns undefined for what cannot or may not be read. */
  constructor(private readonly readFile: (relativePath: string) => string | undefined) {}

  /** Parses `text` as `file` (the document being analysed: its text may be newer than the disk's). */
  open(file: string, text: string, lang = langForFile(file)): CodeFile | undefined {
    if (!lang || !isLoaded(lang)) return undefined;
    const tree = parse(lang, text);
    const f: CodeFile = { file, text, lang, isPython: lang === 'python', tree, lines: new LineIndex(text), defs: new Map(), imports: new Map() };
    this.files.set(file, f);
    collectDefs(f);
    if (f.isPython) collectPyImports(f, this);
    else collectJsImports(f, this);
    return f;
  }

  /** A file an import points to, parsed once per project. */
  get(file: string): CodeFile | undefined {
    if (this.files.has(file)) return this.files.get(file) ?? undefined;
    this.files.set(file, null); // cycle guard while parsing
    const text = this.read(file);
    if (text === undefined) return undefined;
    return this.open(file, text);
  }

  private read(file: string): string | undefined {
    if (!this.texts.has(file)) this.texts.set(file, this.readFile(file));
    return this.texts.get(file);
  }

  private exists(file: string): boolean {
    if (this.files.get(file)) return true;
    return this.read(file) !== undefined;
  }

  resolveJs(from: string, spec: string): string | undefined {
    if (!spec.startsWith('.')) return undefined;
    const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
    if (base.startsWith('..')) return undefined;
    const stem = base.replace(/\.(js|jsx|mjs|cjs)$/, '');
    const candidates = [base, ...['.ts', '.tsx', '.js', '.jsx', '.mjs', '.cjs', '.mts', '.cts'].map((e) => stem + e), ...['ts', 'tsx', 'js', 'jsx'].map((e) => `${base}/index.${e}`)];
    return candidates.find((c) => langForFile(c) && this.exists(c));
  }

  resolvePy(from: string, module: string): string | undefined {
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
