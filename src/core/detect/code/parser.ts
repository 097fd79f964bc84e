// tree-sitter: the runtime (web-tree-sitter) initialises once, each grammar (@vscode/tree-sitter-wasm's
// builds) loads on first use. Parsing is synchronous once a language is loaded; `ensureLanguages` is the
// one async step. The runtime is tree-sitter 0.27 rather than the 0.25 that ships with the grammars: its
// error recovery nests the error nodes it builds, so a long unparseable run (a broken line pasted a
// thousand times) costs linear time, not quadratic (1.2 s → 0.1 s for 45 KB of Python).
import * as fs from 'fs';
import * as path from 'path';
import type * as TreeSitter from 'web-tree-sitter';

export type Lang = 'typescript' | 'tsx' | 'javascript' | 'python';
export type SyntaxNode = TreeSitter.Node;
export type SyntaxTree = TreeSitter.Tree;
export type EditFields = Pick<TreeSitter.Edit, 'startIndex' | 'oldEndIndex' | 'newEndIndex' | 'startPosition' | 'oldEndPosition' | 'newEndPosition'>;

const GRAMMAR_FILE: Record<Lang, string> = {
  typescript: 'tree-sitter-typescript.wasm',
  tsx: 'tree-sitter-tsx.wasm',
  javascript: 'tree-sitter-javascript.wasm',
  python: 'tree-sitter-python.wasm',
};

export function langForFile(file: string): Lang | undefined {
  if (/\.(ts|mts|cts)$/.test(file) && !file.endsWith('.d.ts')) return 'typescript';
  if (file.endsWith('.tsx')) return 'tsx';
  if (/\.(js|jsx|mjs|cjs)$/.test(file)) return 'javascript';
  if (/\.(py|pyi|ipynb)$/.test(file)) return 'python';
  return undefined;
}

const RUNTIME_FILE = 'web-tree-sitter.wasm';

/** The folder with the runtime's .wasm: beside the bundle (dist/tree-sitter), else the installed package. */
function runtimeDir(): string {
  const besideBundle = path.join(__dirname, 'tree-sitter');
  if (fs.existsSync(path.join(besideBundle, RUNTIME_FILE))) return besideBundle;
  return path.dirname(require.resolve(`web-tree-sitter/${RUNTIME_FILE}`)); // a template: esbuild leaves it
}

/** The folder with the grammars' .wasm files: beside the bundle, else the installed package. */
function grammarDir(): string {
  const besideBundle = path.join(__dirname, 'tree-sitter');
  if (fs.existsSync(path.join(besideBundle, GRAMMAR_FILE.python))) return besideBundle;
  return path.dirname(require.resolve(`@vscode/tree-sitter-wasm/wasm/${GRAMMAR_FILE.python}`));
}

let runtime: Promise<typeof TreeSitter> | undefined;
const languages = new Map<Lang, TreeSitter.Language>();
const loading = new Map<Lang, Promise<void>>();
const parsers = new Map<Lang, TreeSitter.Parser>();

// The runtime and the grammars are read and compiled in this thread, synchronously: compiled
// asynchronously, the file read went to libuv's pool and the compile to V8's background threads, and on
// a busy machine (a diff's git processes running beside it: two cores) this thread sat idle for them —
// 200 ms and more before a diff's first parse, for what takes ~20 ms here (the same time when idle).
function loadRuntime(): Promise<typeof TreeSitter> {
  runtime ??= (async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ts = require('web-tree-sitter') as typeof TreeSitter;
    const dir = runtimeDir();
    await ts.Parser.init({
      locateFile: (file: string) => path.join(dir, file),
      // Emscripten's hook: the instance made here, handed over at once.
      instantiateWasm: (imports: WebAssembly.Imports, receive: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void) => {
        const module = new WebAssembly.Module(fs.readFileSync(path.join(dir, RUNTIME_FILE)));
        const instance = new WebAssembly.Instance(module, imports);
        receive(instance, module);
        return instance.exports;
      },
    } as Parameters<typeof ts.Parser.init>[0]);
    return ts;
  })();
  return runtime;
}

/** Loads tree-sitter's runtime now; grammars still load on demand. */
export async function ensureRuntime(): Promise<void> {
  await loadRuntime();
}

export async function ensureLanguages(langs: Iterable<Lang>): Promise<void> {
  const ts = await loadRuntime();
  await Promise.all([...new Set(langs)].map((lang) => {
    if (languages.has(lang)) return undefined;
    let p = loading.get(lang);
    if (!p) {
      p = (async () => {
        const bytes = fs.readFileSync(path.join(grammarDir(), GRAMMAR_FILE[lang]));
        languages.set(lang, ts.Language.loadSync(new WebAssembly.Module(bytes)));
      })();
      loading.set(lang, p);
    }
    return p;
  }));
}

export function isLoaded(lang: Lang): boolean {
  return languages.has(lang);
}

function requireLoaded(lang: Lang): TreeSitter.Language {
  const l = languages.get(lang);
  if (!l) throw new Error(`tree-sitter grammar for ${lang} is not loaded: call ensureLanguages first`);
  return l;
}

/**
 * Parses `text`; with `previous` (edited to match) tree-sitter reuses the unchanged parts. With
 * `deadline` (a `performance.now()` time) the parse is cancelled once it passes, and undefined returned:
 * some grammars are quadratic on some inputs (tree-sitter-python on long runs of comment lines).
 */
export function parse(lang: Lang, text: string, previous?: SyntaxTree): SyntaxTree;
export function parse(lang: Lang, text: string, previous: SyntaxTree | undefined, deadline: { readonly passed: boolean }): SyntaxTree | undefined;
export function parse(lang: Lang, text: string, previous?: SyntaxTree, deadline?: { readonly passed: boolean }): SyntaxTree | undefined {
  let parser = parsers.get(lang);
  if (!parser) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ts = require('web-tree-sitter') as typeof TreeSitter;
    parser = new ts.Parser();
    parser.setLanguage(requireLoaded(lang));
    parsers.set(lang, parser);
  }
  let cancelled = false;
  // The callback returns true to cancel (its declared type says void). Checked every call: cheap.
  const progressCallback = deadline === undefined ? undefined : ((() => (cancelled ||= deadline.passed)) as unknown as (state: TreeSitter.ParseState) => void);
  const tree = parser.parse(text, previous ?? null, progressCallback ? { progressCallback } : undefined);
  if (!tree) {
    parser.reset(); // the next parse starts from the beginning, not from where this one stopped
    if (cancelled) return undefined;
    throw new Error(`tree-sitter returned no tree for a ${lang} file`);
  }
  return tree;
}

/** The runtime's Edit for `tree.edit` (a class since tree-sitter 0.26; the tree reads only these fields). */
export function treeEdit(fields: EditFields): TreeSitter.Edit {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require('web-tree-sitter') as typeof TreeSitter;
  return new ts.Edit(fields);
}
