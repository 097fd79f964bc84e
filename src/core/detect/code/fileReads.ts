// Text a program reads from a file of the workspace whose path is known statically:
//   Python  open(P).read(), Path(P).read_text(), (HERE / "x.md").read_text(), P.open().read()
//   JS/TS   readFileSync(P, "utf8"), await readFile(P), fs.promises.readFile(P), Bun.file(P).text(),
//           Deno.readTextFile(P)
// where P is built from literals, `__file__` / `__dirname` / `import.meta.url` / the working
// directory, and the path functions of each language (Path(a, b), a / b, .parent, os.path.join,
// path.join / resolve / dirname, new URL(spec, import.meta.url), fileURLToPath). The file's text is the
// value, reported where it is written (the text file), so the prompt that sends it counts it at its own
// model — and the loaded-text pass (textPrompts.ts) does not list the file again.
import * as path from 'path';
import type { SyntaxNode } from './parser';
import type { CodeFile } from './source';

/**
 * A path as the program builds it. `anchored`: relative to the workspace root (built from the file's
 * own location); otherwise relative to the working directory, which is not known statically.
 */
export interface PathValue { anchored: boolean; path: string }

/** What path evaluation asks of value resolution (values.ts): a name's definition, a literal's static text. */
export interface PathEnv {
  resolve(f: CodeFile, n: SyntaxNode): { file: CodeFile; node: SyntaxNode } | undefined;
  /** The text of a string literal with no run-time part; undefined otherwise. */
  text(f: CodeFile, n: SyntaxNode): string | undefined;
}

const MAX_PATH_DEPTH = 12;

const calleeOf = (n: SyntaxNode) => n.childForFieldName('function') ?? n.childForFieldName('constructor');
const argsOf = (n: SyntaxNode): SyntaxNode[] => (n.childForFieldName('arguments')?.namedChildren ?? []).filter((c): c is SyntaxNode => !!c && c.type !== 'comment');
const isCall = (n: SyntaxNode) => n.type === 'call' || n.type === 'call_expression' || n.type === 'new_expression';

function join(a: PathValue, b: PathValue): PathValue {
  // an anchored right side replaces the left (os.path.join, path.resolve, Path's `/` with an absolute part)
  if (b.anchored) return b;
  return { anchored: a.anchored, path: path.posix.join(a.path, b.path) };
}

const dirOf = (p: PathValue): PathValue => ({ anchored: p.anchored, path: path.posix.dirname(p.path) });

/** A text piece of a path (a literal, a constant): undefined when any of it is known only at run time. */
function staticText(f: CodeFile, n: SyntaxNode, ctx: PathEnv, depth: number): string | undefined {
  const r = n.type === 'identifier' || n.type === 'attribute' || n.type === 'member_expression' ? ctx.resolve(f, n) : { file: f, node: n };
  if (!r || (r.node === n && n.type === 'identifier')) return undefined;
  const node = r.node;
  if (node.type === 'string' && !node.namedChildren.some((c) => c?.type === 'interpolation')) return ctx.text(r.file, node);
  if (node.type === 'template_string' && !node.namedChildren.some((c) => c?.type === 'template_substitution')) return ctx.text(r.file, node);
  return depth < MAX_PATH_DEPTH && r.node !== n ? staticText(r.file, r.node, ctx, depth + 1) : undefined;
}

/** The path `n` evaluates to, when it can be known statically. */
export function evalPath(f: CodeFile, n: SyntaxNode, ctx: PathEnv, depth = 0): PathValue | undefined {
  if (depth > MAX_PATH_DEPTH) return undefined;
  const next = (file: CodeFile, node: SyntaxNode) => evalPath(file, node, ctx, depth + 1);
  switch (n.type) {
    case 'parenthesized_expression':
    case 'as_expression':
    case 'non_null_expression': {
      const inner = n.namedChildren.find((c) => c && !c.type.endsWith('_type') && c.type !== 'type_annotation');
      return inner ? next(f, inner) : undefined;
    }
    case 'string':
    case 'template_string':
      return stringPath(f, n, ctx, depth);
    case 'identifier': {
      if (f.isPython && n.text === '__file__') return { anchored: true, path: f.file };
      if (!f.isPython && n.text === '__dirname') return { anchored: true, path: path.posix.dirname(f.file) };
      if (!f.isPython && n.text === '__filename') return { anchored: true, path: f.file };
      const r = ctx.resolve(f, n);
      return r && r.node !== n ? next(r.file, r.node) : undefined;
    }
    case 'member_expression':
    case 'attribute': {
      const obj = n.childForFieldName('object');
      const key = (n.childForFieldName('property') ?? n.childForFieldName('attribute'))?.text;
      if (obj?.type === 'meta_property') {
        // import.meta.url (a file URL), import.meta.dirname, import.meta.filename
        if (key === 'url' || key === 'filename') return { anchored: true, path: f.file };
        if (key === 'dirname') return { anchored: true, path: path.posix.dirname(f.file) };
        return undefined;
      }
      if (f.isPython && obj && key === 'parent') {
        const p = next(f, obj);
        return p && dirOf(p);
      }
      const r = ctx.resolve(f, n);
      return r && r.node !== n ? next(r.file, r.node) : undefined;
    }
    case 'subscript': {
      // Path(__file__).parents[1]
      const value = n.childForFieldName('value');
      const index = n.childForFieldName('subscript');
      if (f.isPython && value?.type === 'attribute' && value.childForFieldName('attribute')?.text === 'parents' && index?.type === 'integer') {
        let p = next(f, value.childForFieldName('object')!);
        for (let i = 0; p && i <= Number(index.text); i++) p = dirOf(p);
        return p;
      }
      return undefined;
    }
    case 'binary_operator':
    case 'binary_expression': {
      const op = n.childForFieldName('operator')?.text ?? n.children[1]?.text;
      const left = n.childForFieldName('left');
      const right = n.childForFieldName('right');
      if (!left || !right) return undefined;
      // pathlib's `/`; JS `__dirname + "/x.md"`
      if (f.isPython && op === '/') {
        const a = next(f, left);
        const b = a && next(f, right);
        return a && b ? join(a, b) : undefined;
      }
      if (op === '+') {
        const a = next(f, left);
        const b = a && staticText(f, right, ctx, depth + 1);
        return a && b !== undefined ? { anchored: a.anchored, path: path.posix.normalize(a.path + b) } : undefined;
      }
      return undefined;
    }
    case 'call':
    case 'call_expression':
    case 'new_expression':
      return callPath(f, n, ctx, depth);
    default:
      return undefined;
  }
}

/** A literal path; a template / f-string whose first substitution is a path (`${__dirname}/x.md`) and whose rest is static. */
function stringPath(f: CodeFile, n: SyntaxNode, ctx: PathEnv, depth: number): PathValue | undefined {
  let base: PathValue | undefined;
  let rest = '';
  let first = true;
  for (const c of n.namedChildren) {
    if (!c) continue;
    if (c.type === 'interpolation' || c.type === 'template_substitution') {
      const expr = c.childForFieldName('expression') ?? c.namedChildren[0];
      if (!expr) return undefined;
      if (first && !rest) {
        base = evalPath(f, expr, ctx, depth + 1);
        if (!base) return undefined;
      } else {
        const t = staticText(f, expr, ctx, depth + 1);
        if (t === undefined) return undefined;
        rest += t;
      }
      first = false;
    } else if (c.type === 'string_content' || c.type === 'string_fragment' || c.type === 'escape_sequence') {
      rest += c.type === 'escape_sequence' ? '' : c.text;
      first = false;
    }
  }
  if (base) return { anchored: base.anchored, path: path.posix.normalize(base.path + rest) };
  const text = ctx.text(f, n);
  if (text === undefined || !text || text.includes('\0')) return undefined;
  const p = text.replace(/\\/g, '/');
  // a URL names no file; an absolute path is anchored (it replaces what it is joined to) and names no
  // file of the workspace: the read is refused and said (outsideFile)
  if (/^[a-z]+:/i.test(p)) return undefined;
  if (p.startsWith('/')) return { anchored: true, path: path.posix.normalize(p) };
  return { anchored: false, path: path.posix.normalize(p) };
}

const PY_JOIN = /^(os\.path\.join|path\.join|posixpath\.join|join)$/;
const PY_SAME = /^(os\.path\.(abspath|realpath|normpath|expanduser)|str|os\.fspath|Path|pathlib\.Path|PurePath|pathlib\.PurePath|PosixPath)$/;
const JS_JOIN = /^(path\.(posix\.)?join|join|path\.(posix\.)?resolve|resolve|nodePath\.join|nodePath\.resolve)$/;
const JS_SAME = /^(fileURLToPath|url\.fileURLToPath|path\.normalize|normalize|String)$/;

function callPath(f: CodeFile, n: SyntaxNode, ctx: PathEnv, depth: number): PathValue | undefined {
  const fn = calleeOf(n);
  if (!fn) return undefined;
  const callee = fn.text.replace(/\s+/g, '');
  const args = argsOf(n).filter((a) => a.type !== 'keyword_argument');
  const next = (node: SyntaxNode) => evalPath(f, node, ctx, depth + 1);
  const joinAll = (list: SyntaxNode[], start: PathValue | undefined): PathValue | undefined => {
    let p = start;
    for (const a of list) {
      const v = next(a);
      if (!v) return undefined;
      p = p ? join(p, v) : v;
    }
    return p;
  };
  if (f.isPython) {
    // Path(a, b, c), Path(), os.path.join(a, b), os.path.abspath(x), str(p)
    if (/^(Path|pathlib\.Path|PurePath|pathlib\.PurePath|PosixPath)$/.test(callee)) return args.length ? joinAll(args, undefined) : { anchored: false, path: '.' };
    if (/^(Path\.cwd|pathlib\.Path\.cwd|os\.getcwd)$/.test(callee)) return { anchored: false, path: '.' };
    if (PY_JOIN.test(callee) && (callee !== 'join' || /^(os\.path|posixpath)$/.test(f.imports.get('join')?.module ?? ''))) return args.length ? joinAll(args, undefined) : undefined;
    if (/^(os\.path\.dirname|path\.dirname)$/.test(callee) && args[0]) {
      const p = next(args[0]);
      return p && dirOf(p);
    }
    if (PY_SAME.test(callee) && args.length === 1) return next(args[0]);
    if (fn.type === 'attribute') {
      const method = fn.childForFieldName('attribute')?.text;
      const obj = fn.childForFieldName('object');
      if (!obj) return undefined;
      if (method === 'resolve' || method === 'absolute' || method === 'expanduser') return next(obj);
      if (method === 'joinpath') return joinAll(args, next(obj));
      if (method === 'with_name' && args[0]) {
        const p = next(obj);
        const name = staticText(f, args[0], ctx, depth + 1);
        return p && name !== undefined ? { anchored: p.anchored, path: path.posix.join(path.posix.dirname(p.path), name) } : undefined;
      }
    }
    return undefined;
  }
  // new URL("./x.md", import.meta.url): resolved against the base URL (a file: its folder)
  if (n.type === 'new_expression' && callee === 'URL' && args.length === 2) {
    const base = next(args[1]);
    const spec = staticText(f, args[0], ctx, depth + 1);
    if (!base || spec === undefined || spec.startsWith('/') || /^[a-z]+:/i.test(spec)) return undefined;
    const baseText = args[1].type === 'string' ? staticText(f, args[1], ctx, depth + 1) : undefined;
    const dir = baseText?.endsWith('/') ? base : dirOf(base);
    return { anchored: base.anchored, path: path.posix.join(dir.path, spec) };
  }
  if (callee === 'process.cwd') return { anchored: false, path: '.' };
  if (JS_JOIN.test(callee) && (!/^(join|resolve)$/.test(callee) || /^(node:)?path$/.test(f.imports.get(callee)?.module ?? ''))) return args.length ? joinAll(args, undefined) : undefined;
  if (/^(path\.(posix\.)?dirname|dirname)$/.test(callee) && args[0] && (callee !== 'dirname' || /^(node:)?path$/.test(f.imports.get('dirname')?.module ?? ''))) {
    const p = next(args[0]);
    return p && dirOf(p);
  }
  if (JS_SAME.test(callee) && args.length === 1) return next(args[0]);
  return undefined;
}

const JS_READS = /^((fs|fsp|fsPromises|fsExtra|fse|promises|nodeFs)\.)?(promises\.)?(readFileSync|readFile)$|^Deno\.readTextFile(Sync)?$/;
const FS_MODULE = /^(node:)?fs(\/promises)?$|^fs-extra$/;

/**
 * The path of the file a call reads as text (`open(P).read()`, `Path(P).read_text()`, `readFileSync(P)`,
 * `await readFile(P)`), when the call is such a read and its path is known.
 */
export function readPath(f: CodeFile, n: SyntaxNode, ctx: PathEnv): PathValue | undefined {
  if (n.type === 'await_expression' || n.type === 'parenthesized_expression') {
    const inner = n.namedChildren.find((c) => c && c.type !== 'comment');
    return inner ? readPath(f, inner, ctx) : undefined;
  }
  if (!isCall(n)) return undefined;
  const fn = calleeOf(n);
  if (!fn) return undefined;
  const args = argsOf(n);
  if (f.isPython) {
    if (fn.type !== 'attribute') return undefined;
    const method = fn.childForFieldName('attribute')?.text;
    const obj = fn.childForFieldName('object');
    if (!obj) return undefined;
    // Path(…).read_text(encoding=…)
    if (method === 'read_text') return evalPath(f, obj, ctx);
    if (method === 'read' && !args.some((a) => a.type !== 'keyword_argument')) return openedPath(f, obj, ctx);
    return undefined;
  }
  const callee = fn.text.replace(/\s+/g, '');
  // readFileSync(p).toString(), Bun.file(p).text()
  if (fn.type === 'member_expression') {
    const method = fn.childForFieldName('property')?.text;
    const obj = fn.childForFieldName('object');
    if (obj && method === 'toString' && !args.length) return readPath(f, obj, ctx);
    if (obj && method === 'text' && isCall(obj) && calleeOf(obj)?.text === 'Bun.file' && argsOf(obj)[0]) return evalPath(f, argsOf(obj)[0], ctx);
  }
  if (!JS_READS.test(callee) || !args[0]) return undefined;
  // a bare `readFile` must come from fs, not be the project's own function of that name
  const bare = /^(readFileSync|readFile)$/.test(callee);
  if (bare && !FS_MODULE.test(f.imports.get(callee)?.module ?? '') && !/\brequire\(\s*["'](node:)?fs/.test(f.text)) return undefined;
  // readFileSync(p) with no encoding returns a Buffer: it is text only through .toString() (handled above)
  if (/readFileSync$/.test(callee) && args.length < 2 && n.parent?.type !== 'member_expression') return undefined;
  return evalPath(f, args[0], ctx);
}

/** The file `obj` opens for reading: `open(P)`, `io.open(P)`, `codecs.open(P)`, `P.open()`, or a name bound to one. */
function openedPath(f: CodeFile, obj: SyntaxNode, ctx: PathEnv, depth = 0): PathValue | undefined {
  if (depth > 4) return undefined;
  if (obj.type === 'identifier') {
    const r = ctx.resolve(f, obj);
    return r && r.node !== obj ? openedPath(r.file, r.node, ctx, depth + 1) : undefined;
  }
  if (obj.type === 'parenthesized_expression') {
    const inner = obj.namedChildren.find((c) => c && c.type !== 'comment');
    return inner ? openedPath(f, inner, ctx, depth + 1) : undefined;
  }
  if (obj.type !== 'call') return undefined;
  const fn = calleeOf(obj);
  if (!fn) return undefined;
  const args = argsOf(obj);
  const positional = args.filter((a) => a.type !== 'keyword_argument');
  // only reading, as text: open(p), open(p, "r"), open(p, encoding=…); not "rb", "w", "a"
  const mode = positional[1] ?? args.find((a) => a.childForFieldName('name')?.text === 'mode')?.childForFieldName('value');
  const modeText = mode ? staticText(f, mode, ctx, 0) : 'r';
  if (modeText === undefined || !/^r?t?$/.test(modeText.replace('+', ''))) return undefined;
  if (/^(open|io\.open|codecs\.open)$/.test(fn.text) && positional[0]) return evalPath(f, positional[0], ctx);
  if (fn.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'open') {
    const target = fn.childForFieldName('object');
    return target && !positional.length ? evalPath(f, target, ctx) : undefined;
  }
  return undefined;
}

/** The workspace files `p` may name, nearest first: itself when anchored, else under each folder from `from`'s up to the root. */
export function candidateFiles(p: PathValue, from: string): string[] {
  const ok = (rel: string) => rel && rel !== '.' && !rel.startsWith('../') && rel !== '..' && !path.posix.isAbsolute(rel);
  if (p.anchored) {
    const rel = path.posix.normalize(p.path).replace(/^\.\//, '');
    return ok(rel) ? [rel] : [];
  }
  const out: string[] = [];
  for (let d = path.posix.dirname(from); ; d = path.posix.dirname(d)) {
    const rel = path.posix.normalize(path.posix.join(d === '.' ? '' : d, p.path)).replace(/^\.\//, '');
    if (ok(rel) && !out.includes(rel)) out.push(rel);
    if (d === '.' || d === '/' || d === '') break;
  }
  return out;
}

/**
 * The name `p` has when it leads out of the workspace (`Path("../x.py")` from a file at the root,
 * `open("/etc/hostname")`, `path.join(__dirname, "..", "..", "x.md")`): a path above the root (`../x.py`)
 * or absolute. Read through the workspace reader it is refused, and the file that asked says so
 * (`file-not-read`) instead of pricing a slot in silence. Undefined when it stays inside.
 */
export function outsideFile(p: PathValue): string | undefined {
  if (path.posix.isAbsolute(p.path)) return path.posix.normalize(p.path);
  // A path relative to the working directory (unknown) is looked for from the file's folder up to the
  // root (candidateFiles); from the root, where a program usually runs, it climbs out.
  const rel = path.posix.normalize(p.path);
  return rel === '..' || rel.startsWith('../') ? rel : undefined;
}

const JINJA_ENV = /^(jinja2\.)?(Sandboxed|Immutable|Native)?Environment$|^(jinja2\.sandbox\.)?SandboxedEnvironment$/;

/** Where templates are kept when the loader's folder is known only at run time, nearest first. */
const TEMPLATE_FOLDERS = ['templates', 'prompts', 'prompt_templates', '.'];

/**
 * The paths a jinja2 `env.get_template(name)` may load, in the loader's order, where `env` is an
 * `Environment(loader=…)` built with a `FileSystemLoader(folder)` (or a list of folders) or a
 * `PackageLoader(package, folder)` and the name is known statically. When the folder is known only at
 * run time, or `env` is not known here (a parameter), the name under the usual template folders. Undefined
 * when the call is no such load, or `env` is something else.
 */
export function templatePaths(f: CodeFile, n: SyntaxNode, ctx: PathEnv): PathValue[] | undefined {
  if (!f.isPython || n.type !== 'call') return undefined;
  const fn = calleeOf(n);
  const obj = fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'get_template' ? fn.childForFieldName('object') : undefined;
  const nameNode = argsOf(n).find((a) => a.type !== 'keyword_argument');
  const name = obj && nameNode ? staticText(f, nameNode, ctx, 0) : undefined;
  if (!obj || !name || name.startsWith('/') || /^[a-z]+:/i.test(name)) return undefined;
  const env = ctx.resolve(f, obj);
  const isEnv = env?.node.type === 'call' && JINJA_ENV.test(calleeOf(env.node)?.text ?? '');
  if (env && env.node !== obj && !isEnv) return undefined;
  const loader = isEnv ? keywordArg(env!.node, 'loader') : undefined;
  const folders = (loader && loaderFolders(env!.file, loader, ctx)) || TEMPLATE_FOLDERS.map((d) => ({ anchored: false, path: d }));
  return folders.map((d) => join(d, { anchored: false, path: name }));
}

function keywordArg(call: SyntaxNode, key: string): SyntaxNode | undefined {
  return argsOf(call).find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === key)?.childForFieldName('value') ?? undefined;
}

/** The folders a jinja2 loader reads templates from. */
function loaderFolders(f: CodeFile, n: SyntaxNode, ctx: PathEnv): PathValue[] | undefined {
  const r = n.type === 'identifier' ? ctx.resolve(f, n) : { file: f, node: n };
  if (!r || r.node.type !== 'call') return undefined;
  const callee = calleeOf(r.node)?.text.replace(/^jinja2\.(loaders\.)?/, '');
  const positional = argsOf(r.node).filter((a) => a.type !== 'keyword_argument');
  if (callee === 'FileSystemLoader') {
    const at = keywordArg(r.node, 'searchpath') ?? positional[0];
    if (!at) return undefined;
    const list = at.type === 'list' || at.type === 'tuple' ? at.namedChildren.filter((c): c is SyntaxNode => !!c && c.type !== 'comment') : [at];
    const out = list.map((c) => evalPath(r.file, c, ctx));
    return out.every((p): p is PathValue => !!p) ? out : undefined;
  }
  if (callee === 'PackageLoader') {
    // PackageLoader("app", "templates"): the package's folder, found as an import is
    const pkg = keywordArg(r.node, 'package_name') ?? positional[0];
    const sub = keywordArg(r.node, 'package_path') ?? positional[1];
    const pkgName = pkg && staticText(r.file, pkg, ctx, 0);
    const subName = sub ? staticText(r.file, sub, ctx, 0) : 'templates';
    if (!pkgName || subName === undefined || !/^[\w.]+$/.test(pkgName)) return undefined;
    return [{ anchored: false, path: path.posix.join(pkgName.replace(/\./g, '/'), subName) }];
  }
  return undefined;
}
