// tree-sitter through @vscode/tree-sitter-wasm: the runtime initialises once, each grammar loads on
// first use. Parsing is synchronous once a language is loaded; `ensureLanguages` is the one async step.
import * as fs from 'fs';
import * as path from 'path';
import type * as TreeSitter from '@vscode/tree-sitter-wasm';

export type Lang = 'typescript' | 'tsx' | 'javascript' | 'python';
export type SyntaxNode = TreeSitter.Node;
export type SyntaxTree = TreeSitter.Tree;

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

/** The folder with the .wasm files: beside the bundle (dist/tree-sitter), else the installed package. */
function wasmDir(): string {
  const besideBundle = path.join(__dirname, 'tree-sitter');
  if (fs.existsSync(path.join(besideBundle, 'tree-sitter.wasm'))) return besideBundle;
  const runtimeFile = 'tree-sitter.wasm'; // a template keeps esbuild from trying to bundle the .wasm
  return path.dirname(require.resolve(`@vscode/tree-sitter-wasm/wasm/${runtimeFile}`));
}

let runtime: Promise<typeof TreeSitter> | undefined;
const languages = new Map<Lang, TreeSitter.Language>();
const loading = new Map<Lang, Promise<void>>();
const parsers = new Map<Lang, TreeSitter.Parser>();

function loadRuntime(): Promise<typeof TreeSitter> {
  runtime ??= (async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ts = require('@vscode/tree-sitter-wasm') as typeof TreeSitter;
    const dir = wasmDir();
    await ts.Parser.init({ locateFile: (file: string) => path.join(dir, file) });
    return ts;
  })();
  return runtime;
}

/** Starts tree-sitter's runtime (its WASM compiles in the background); grammars still load on demand. */
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
        const bytes = fs.readFileSync(path.join(wasmDir(), GRAMMAR_FILE[lang]));
        languages.set(lang, await ts.Language.load(bytes));
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
    const ts = require('@vscode/tree-sitter-wasm') as typeof TreeSitter;
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
