// Bundles the CLI (and later the language server and extension) and ships the tokenizer data beside the
// bundles: tiktoken's lite WASM runtime and the two encodings in use, loaded lazily at run time.
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const dist = path.join(__dirname, 'dist');

/** Entry points: [source, output name]. */
// cli.js is the launcher (src/cli/launch.ts): it runs cliMain.js, the CLI itself, from V8's code cache.
const entries = [['src/cli/launch.ts', 'cli'], ['src/cli/index.ts', 'cliMain'], ['src/core/scanWorker.ts', 'scanWorker'], ['src/server/documentWorker.ts', 'documentWorker'], ['src/server/server.ts', 'server'], ['src/extension/extension.ts', 'extension']];

function copyTokenizerData() {
  fs.mkdirSync(path.join(dist, 'tiktoken'), { recursive: true });
  const tiktoken = path.join(path.dirname(require.resolve('tiktoken/encoders/o200k_base.json')), '..');
  fs.copyFileSync(path.join(tiktoken, 'lite', 'tiktoken_bg.wasm'), path.join(dist, 'tiktoken_bg.wasm'));
  // The JS glue of that WASM: the engine instantiates the module itself (to restore encoder snapshots).
  fs.copyFileSync(path.join(tiktoken, 'lite', 'tiktoken_bg.cjs'), path.join(dist, 'tiktoken_bg.cjs'));
  for (const enc of ['o200k_base', 'cl100k_base']) {
    fs.copyFileSync(path.join(tiktoken, 'encoders', `${enc}.json`), path.join(dist, 'tiktoken', `${enc}.json`));
  }
}

/**
 * The price database (~480 KB of JS) ships as its own file beside the bundles and is required only when
 * a price is looked up, so commands that never price (count, the server's start) never parse it.
 */
const vendorPrices = {
  name: 'vendor-genai-prices',
  setup(build) {
    build.onResolve({ filter: /^@pydantic\/genai-prices$/ }, () => ({ path: './vendor/genai-prices.cjs', external: true }));
  },
};

/**
 * tree-sitter's loader imports Node built-ins with `import()` (`fs/promises`, to read a grammar given by
 * path), which a script the CLI's launcher compiles from its code cache (src/cli/launch.ts) cannot run:
 * they are taken from process.getBuiltinModule where Node has it (20.16+), `import()` otherwise.
 */
const builtinsWithoutImport = {
  name: 'tree-sitter-builtins',
  setup(build) {
    build.onLoad({ filter: /web-tree-sitter[\\/]web-tree-sitter\.cjs$/ }, (args) => {
      let contents = fs.readFileSync(args.path, 'utf8');
      const found = ['fs/promises', 'module'].filter((id) => contents.includes(`await import("${id}")`));
      if (!found.length || /\bimport\(/.test(found.reduce((c, id) => c.split(`await import("${id}")`).join(''), contents))) {
        throw new Error(`esbuild.js: an import() in ${args.path} is not one of those replaced (tree-sitter changed: see builtinsWithoutImport)`);
      }
      for (const id of found) {
        const call = `await import("${id}")`;
        contents = contents.split(call).join(`(globalThis.process?.getBuiltinModule?.("${id}") ?? ${call})`);
      }
      return { contents, loader: 'js' };
    });
  },
};

/** tree-sitter's runtime (web-tree-sitter) and the four grammars the code finders use. */
function copyGrammars() {
  fs.mkdirSync(path.join(dist, 'tree-sitter'), { recursive: true });
  fs.copyFileSync(require.resolve('web-tree-sitter/web-tree-sitter.wasm'), path.join(dist, 'tree-sitter', 'web-tree-sitter.wasm'));
  const dir = path.dirname(require.resolve('@vscode/tree-sitter-wasm/wasm/tree-sitter-python.wasm'));
  for (const f of ['tree-sitter-typescript.wasm', 'tree-sitter-tsx.wasm', 'tree-sitter-javascript.wasm', 'tree-sitter-python.wasm']) {
    fs.copyFileSync(path.join(dir, f), path.join(dist, 'tree-sitter', f));
  }
  // A runtime of an earlier build left beside them is not loaded any more.
  fs.rmSync(path.join(dist, 'tree-sitter', 'tree-sitter.wasm'), { force: true });
}

/**
 * The price database ships as genai-prices' own CommonJS build, with one change when it can be made
 * safely: its data, a ~450 KB array literal, becomes `JSON.parse('…')` of the same value. V8 parses JSON
 * far faster than it compiles and runs an object literal of that size (tens of milliseconds saved on
 * every start that prices anything). The value is checked to survive JSON unchanged; otherwise, or if
 * the literal is not found, the file is copied as it is.
 */
function copyPriceData() {
  fs.mkdirSync(path.join(dist, 'vendor'), { recursive: true });
  const src = fs.readFileSync(require.resolve('@pydantic/genai-prices'), 'utf8');
  fs.writeFileSync(path.join(dist, 'vendor', 'genai-prices.cjs'), priceDataAsJson(src) ?? src);
}

function priceDataAsJson(src) {
  const ts = require('typescript');
  const util = require('util');
  const file = ts.createSourceFile('genai-prices.cjs', src, ts.ScriptTarget.Latest, false, ts.ScriptKind.JS);
  let literal;
  for (const st of file.statements) {
    if (!ts.isVariableStatement(st)) continue;
    for (const d of st.declarationList.declarations) {
      const init = d.initializer;
      if (init && ts.isArrayLiteralExpression(init) && init.end - init.pos > 100000) literal = init;
    }
  }
  if (!literal) {
    console.warn('esbuild.js: the price data literal was not found in @pydantic/genai-prices; shipping it unchanged');
    return undefined;
  }
  const text = src.slice(literal.getStart(file), literal.end);
  const value = new Function(`return (${text});`)();
  const json = JSON.stringify(value);
  if (!util.isDeepStrictEqual(JSON.parse(json), value)) {
    console.warn('esbuild.js: the price data does not survive JSON unchanged; shipping it unchanged');
    return undefined;
  }
  return `${src.slice(0, literal.getStart(file))}JSON.parse(${JSON.stringify(json)})${src.slice(literal.end)}`;
}

/**
 * The report panel's renderer (src/webview): a browser bundle with its CSS beside it, used by the VS Code
 * panel and inlined into `prompt-cost scan --format html`. The core modules it imports are pure; the
 * price database is never bundled into it (the host sends a price table).
 */
function webviewContext() {
  return esbuild.context({
    entryPoints: ['src/webview/main.ts'],
    outfile: path.join(dist, 'webview.js'),
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    external: ['@pydantic/genai-prices'],
    minify: true,
    sourcemap: false,
    logLevel: 'warning',
  });
}

async function main() {
  fs.mkdirSync(dist, { recursive: true });
  copyTokenizerData();
  copyPriceData();
  copyGrammars();
  const contexts = await Promise.all(entries.map(([entry, name]) => esbuild.context({
    entryPoints: [entry],
    outfile: path.join(dist, `${name}.js`),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    plugins: [vendorPrices, builtinsWithoutImport],
    // Minified even in development: start-up parse time is a product feature (`count`, scan workers).
    // PROMPT_COST_NO_MINIFY=1 keeps names, for CPU profiles (`node --cpu-prof dist/cli.js …`).
    minify: !process.env.PROMPT_COST_NO_MINIFY,
    sourcemap: !production,
    sourcesContent: false,
    logLevel: 'warning',
  })));
  contexts.push(await webviewContext());
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
    return;
  }
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  fs.chmodSync(path.join(dist, 'cli.js'), 0o755);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
