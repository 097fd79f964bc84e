#!/usr/bin/env node
// dist/cli.js: starts the CLI bundle (dist/cliMain.js) from V8's code cache of it, kept in the user's
// cache folder. Compiling the ~750 KB bundle is a fixed cost of every run, a large part of a warm
// rescan (otherwise a few thousand stats and one read). V8 checks a cache against the source and its
// own version and flags and rejects one that does not fit; then, or when the cache cannot be read at
// all, the bundle is compiled as usual and the cache written again at exit. No cache folder
// (PROMPT_COST_CACHE_DIR empty): a plain require.
import * as fs from 'fs';
import * as path from 'path';
import * as vm from 'vm';
import { cacheFolder } from '../core/cacheFolder';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const Module = require('module') as typeof import('module') & { wrap(source: string): string };

const MAIN = path.join(__dirname, 'cliMain.js');

interface Compiled { script: vm.Script; writeTo?: string }

/** The bundle compiled with the stored cache when there is one; undefined when anything fails. */
function compile(folder: string): Compiled | undefined {
  try {
    const source = fs.readFileSync(MAIN, 'utf8');
    const st = fs.statSync(MAIN);
    const at = path.join(folder, 'code-cache', `cli-${process.versions.v8}-${st.size}-${Math.round(st.mtimeMs)}.v8`);
    let cachedData: Buffer | undefined;
    try {
      cachedData = fs.readFileSync(at);
    } catch { /* none yet */ }
    // The hashbang is no JavaScript inside the module wrapper: kept as a comment (same lines and columns).
    const body = source.startsWith('#!') ? `//${source.slice(2)}` : source;
    // A script compiled here has no `import()`: the bundle's two (tree-sitter's loader) take Node's
    // built-ins from process.getBuiltinModule where it exists (esbuild.js), so this path needs it.
    if (typeof (process as { getBuiltinModule?: unknown }).getBuiltinModule !== 'function') return undefined;
    const script = new vm.Script(Module.wrap(body), { filename: MAIN, cachedData });
    return { script, writeTo: !cachedData || script.cachedDataRejected ? at : undefined };
  } catch {
    return undefined;
  }
}

/** Writes the cache of what ran (the functions compiled so far are in it); any failure only costs speed. */
function store(script: vm.Script, at: string): void {
  try {
    const dir = path.dirname(at);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const tmp = `${at}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
    fs.renameSync(tmp, at);
    // Caches of other builds (or Node versions) are not used again.
    for (const n of fs.readdirSync(dir)) if (n.startsWith('cli-') && n !== path.basename(at) && !n.endsWith('.tmp')) fs.rmSync(path.join(dir, n), { force: true });
  } catch {
    // read-only or full disk
  }
}

const folder = cacheFolder();
const compiled = folder ? compile(folder) : undefined;
if (!compiled) require(MAIN);
else {
  const writeTo = compiled.writeTo;
  if (writeTo) process.once('exit', () => store(compiled.script, writeTo));
  const m = new Module(MAIN, module);
  m.filename = MAIN;
  const run = compiled.script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: unknown, filename: string, dirname: string) => void;
  run.call(m.exports, m.exports, Module.createRequire(MAIN), m, MAIN, __dirname);
  m.loaded = true;
}
