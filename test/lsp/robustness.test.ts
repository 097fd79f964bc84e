// The language server under hostile or unlucky conditions: a cold machine (no tokenizer snapshot yet),
// a workspace scan that takes a while, files that lead outside the workspace or to a named pipe,
// malformed notebooks. Requests are answered, and answered right, in each.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { TestClient } from './client';
import { tempDir } from '../tempDir';

const SERVER = path.join(__dirname, '..', '..', 'dist', 'server.js');

const callTs = (i: number, content = `P${i}`) => [
  `const P${i} = 'You are support agent number ${i}. Answer from the docs and cite the section you used.';`,
  `export async function ask${i}(q: string) {`,
  `  return client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'system', content: ${content} }, { role: 'user', content: q }] });`,
  '}',
].join('\n');
const APP = ["import OpenAI from 'openai';", 'const client = new OpenAI();', callTs(0), ''].join('\n');
/** The hover position on the system message of callTs(0) in APP. */
const HOVER = { line: 4, character: 95 };

/** Runs `fn` with the servers it spawns seeing PROMPT_COST_CACHE_DIR=dir. */
async function withCacheDir<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  const saved = process.env.PROMPT_COST_CACHE_DIR;
  process.env.PROMPT_COST_CACHE_DIR = dir;
  try {
    return await fn();
  } finally {
    process.env.PROMPT_COST_CACHE_DIR = saved;
  }
}

describe('language server: robustness', function () {
  this.timeout(90000);
  const clients: TestClient[] = [];
  const start = () => {
    const c = new TestClient(SERVER);
    c.settings = {};
    clients.push(c);
    return c;
  };

  before(function () {
    if (!fs.existsSync(SERVER)) this.skip(); // `npm test` builds first
  });

  afterEach(async () => {
    for (const c of clients.splice(0)) await c.stop();
  });

  it('cold first hover: an empty cache folder, open, hover at once → the real hover (3 of 3 starts)', async () => {
    for (let i = 0; i < 3; i++) {
      const root = tempDir('pc-cold-');
      fs.writeFileSync(path.join(root, 'app.ts'), APP);
      // A cache folder that does not exist yet, as on a machine that never ran the extension.
      const cache = path.join(tempDir('pc-cold-cache-'), 'not', 'yet');
      const hover = await withCacheDir(cache, async () => {
        const c = start();
        await c.initialize(root); // the workspace scan starts too, as in a real start
        const uri = pathToFileURL(path.join(root, 'app.ts')).href;
        await c.open(uri, 'typescript', APP);
        return c.hover(uri, HOVER.line, HOVER.character);
      });
      assert.ok(hover, `start ${i + 1}: empty hover`);
      assert.match(hover.contents.value, /gpt-4o/);
      assert.match(hover.contents.value, /\$/);
    }
  });

  it('a hover is answered while the workspace scan is still running (the scan is off the main thread)', async () => {
    const root = tempDir('pc-busy-');
    // Enough code that the scan takes seconds; each file is ordinary.
    for (let f = 0; f < 40; f++) {
      const body = Array.from({ length: 60 }, (_, i) => callTs(f * 100 + i)).join('\n');
      fs.writeFileSync(path.join(root, `mod${f}.ts`), `import OpenAI from 'openai';\nconst client = new OpenAI();\n${body}\n`);
    }
    fs.writeFileSync(path.join(root, 'app.ts'), APP);
    const c = start();
    const began = c.next('$/progress', (p) => p.value?.kind === 'begin');
    let scanEnded = false;
    void c.next('$/progress', (p) => p.value?.kind === 'end').then(() => (scanEnded = true));
    await c.initialize(root);
    await began;
    const uri = pathToFileURL(path.join(root, 'app.ts')).href;
    await c.open(uri, 'typescript', APP);
    const hover = await c.hover(uri, HOVER.line, HOVER.character);
    assert.ok(hover, 'empty hover');
    assert.strictEqual(scanEnded, false, 'the hover waited for the whole workspace scan');
  });

  it('an open file importing a named pipe or a link out of the workspace: answered, and file-not-read', async () => {
    const root = tempDir('pc-lsp-read-');
    const outside = tempDir('pc-lsp-out-');
    fs.writeFileSync(path.join(outside, 'secret.ts'), `export const S = '${'confidential '.repeat(30)}';\n`);
    fs.symlinkSync(path.join(outside, 'secret.ts'), path.join(root, 'secret.ts'));
    spawnSync('mkfifo', [path.join(root, 'pipe.ts')]);
    const text = ["import OpenAI from 'openai';", "import { S } from './secret';", "import { P } from './pipe';", 'const client = new OpenAI();',
      "client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'system', content: S }, { role: 'user', content: P }] });", ''].join('\n');
    fs.writeFileSync(path.join(root, 'app.ts'), text);
    const c = start();
    await c.initialize(root, { scanOnStart: false });
    const uri = pathToFileURL(path.join(root, 'app.ts')).href;
    const published = c.diagnostics(uri);
    await c.open(uri, 'typescript', text);
    const d = (await published).diagnostics.filter((x) => x.code === 'file-not-read');
    assert.deepStrictEqual(d.map((x) => (x.range as { start: { line: number } }).start.line).sort(), [1, 2]);
    assert.ok(d.some((x) => /secret\.ts was not read: outside the workspace/.test(x.message)));
    assert.ok(d.some((x) => /pipe\.ts was not read: a named pipe/.test(x.message)));
    const hover = await c.hover(uri, 4, 80);
    assert.ok(hover);
    assert.doesNotMatch(hover.contents.value, /confidential/);
  });

  it('an open file past the engine budget: a file-not-analysed diagnostic, and requests answered from it', async () => {
    const root = tempDir('pc-lsp-budget-');
    // ~400 KB of calls, and budgets too small for them (a budget of times must not depend on this machine's speed).
    let big = "import OpenAI from 'openai';\nconst client = new OpenAI();\n";
    for (let i = 0; big.length < 400_000; i++) big += `const P${i} = 'You are assistant ${i}.';\nclient.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'system', content: P${i} }] });\n`;
    fs.writeFileSync(path.join(root, 'big.ts'), big);
    const c = start();
    await c.initialize(root, { scanOnStart: false, budgets: { parseMs: 1, evaluateMs: 1 } });
    const uri = pathToFileURL(path.join(root, 'big.ts')).href;
    const published = c.diagnostics(uri);
    await c.open(uri, 'typescript', big);
    const d = (await published).diagnostics;
    assert.strictEqual(d.length, 1, JSON.stringify(d));
    assert.strictEqual(d[0].code, 'file-not-analysed');
    assert.match(d[0].message, /big\.ts: (evaluate|parse) budget exceeded/);
    assert.deepStrictEqual(await c.codeLens(uri), []);
    assert.strictEqual(await c.hover(uri, 3, 10), null);
  });

  it('an open minified or over-large file: not analysed, as the scan skips it, and its diagnostics published empty', async () => {
    const root = tempDir('pc-lsp-minified-');
    const call = "client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'system', content: 'You are a careful analyst of quarterly reports.' }] });";
    const files = {
      // One generated line of 9,000 characters with a prompt call in it (the scan lists it as minified).
      'bundle.js': `var a=${'1+'.repeat(4500)}1;var client=new OpenAI();${call}\n`,
      'vendor.min.js': `var client=new OpenAI();${call}\n`,
      'big.ts': `${call}\n${'export const x = 1;\n'.repeat(60_000)}`,
    };
    const c = start();
    await c.initialize(root, { scanOnStart: false });
    for (const [file, text] of Object.entries(files)) {
      fs.writeFileSync(path.join(root, file), text);
      const uri = pathToFileURL(path.join(root, file)).href;
      const published = c.diagnostics(uri, (p) => p.version === 1);
      await c.open(uri, file.endsWith('.ts') ? 'typescript' : 'javascript', text);
      assert.deepStrictEqual((await published).diagnostics, [], file);
      assert.deepStrictEqual(await c.codeLens(uri), [], file);
    }
  });

  it('a notebook with a null cell in the workspace: the good cells are in the report, the bad one has a diagnostic', async () => {
    const root = tempDir('pc-lsp-nb-');
    const good = { cell_type: 'code', source: 'from openai import OpenAI\nclient = OpenAI()\nclient.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": "You are a careful analyst of quarterly reports."}])\n' };
    fs.writeFileSync(path.join(root, 'n.ipynb'), JSON.stringify({ cells: [null, good], metadata: {}, nbformat: 4, nbformat_minor: 5 }));
    const c = start();
    await c.initialize(root);
    await c.next('promptCost/totals', (t: { scanning: boolean }) => !t.scanning, true);
    const report = await c.conn.sendRequest<{ prompts: { file: string; cell?: number }[]; diagnostics: { file?: string; cell?: number; message: string }[] }>('promptCost/report');
    assert.deepStrictEqual(report.prompts.map((p) => [p.file, p.cell]), [['n.ipynb', 1]]);
    assert.ok(report.diagnostics.some((d) => d.file === 'n.ipynb' && d.cell === 0 && /cell 1 is null/.test(d.message)), JSON.stringify(report.diagnostics));
  });
});
