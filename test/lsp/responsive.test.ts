// Requests while documents are being analysed: analysis runs in the server's document worker, so the
// thread that answers requests never waits on it — a request on another document is answered at once,
// a request on the document itself at most `requestWaitMs` (from its latest complete analysis, with a
// note, past that), and a document past the worker's budget is cut with a diagnostic naming it.
// No wall-clock thresholds: the tests set the wait to 0 where they need a request to find its analysis
// unfinished, and compare the order of events otherwise.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { TestClient } from './client';
import { tempDir } from '../tempDir';

const SERVER = path.join(__dirname, '..', '..', 'dist', 'server.js');

let unique = '';
const APP_LINES = [
  "import OpenAI from 'openai';",
  'const client = new OpenAI();',
  "const SYSTEM = 'You are a support agent number 7. Answer from the docs and cite the section you used.';",
  "client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'system', content: SYSTEM }] });",
  '',
].join('\n');
/** On SYSTEM's text. */
const HOVER = { line: 2, character: 40 };

/** ~900 KB of calls: an analysis of a second or more on any machine (and under MAX_FILE_BYTES). */
function bigFile(): string {
  // Texts of this test alone: the detection cache (shared by the suite) must not answer for them.
  let big = `import OpenAI from 'openai';\nconst client = new OpenAI();\n// ${unique}\n`;
  for (let i = 0; big.length < 900_000; i++) big += `const P${i} = 'You are assistant ${i}.';\nclient.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'system', content: P${i} }] });\n`;
  return big;
}

describe('language server: requests while documents are analysed', function () {
  this.timeout(90000);
  let client: TestClient;
  let root: string;
  let APP: string;
  const uri = (rel: string) => pathToFileURL(path.join(root, rel)).href;

  before(function () {
    if (!fs.existsSync(SERVER)) this.skip(); // `npm test` builds first
  });

  beforeEach(function () {
    unique = `${this.currentTest?.title} ${process.pid} ${Date.now()}`;
    APP = `${APP_LINES}// ${unique}\n`;
    root = tempDir('pc-lsp-responsive-');
    fs.writeFileSync(path.join(root, 'app.ts'), APP);
    client = new TestClient(SERVER);
    client.settings = { debounceMs: 0 };
  });

  afterEach(async () => {
    await client.stop();
  });

  it('a request on another document is answered while a slow document is analysed', async () => {
    await client.initialize(root, { scanOnStart: false });
    const app = uri('app.ts');
    await Promise.all([client.diagnostics(app), client.open(app, 'typescript', APP)]);
    const big = uri('big.ts');
    const text = bigFile();
    let bigPublished = false;
    const published = client.diagnostics(big).then(() => (bigPublished = true));
    await client.open(big, 'typescript', text);
    const hover = await client.hover(app, HOVER.line, HOVER.character);
    assert.ok(hover, 'empty hover');
    assert.match(hover.contents.value, /gpt-4o/);
    assert.strictEqual(bigPublished, false, 'the hover waited for the other document\'s analysis');
    await published;
    // Analysed or cut by a budget (a loaded machine): either way answered, and no longer waited on.
    assert.ok(Array.isArray(await client.codeLens(big)));
  });

  it('a request on a document whose analysis is not done: answered from the latest complete one, with a note; the editor is asked to refresh', async () => {
    // Edits wait out a long debounce: the hover below is what starts the edit's analysis, and finds it running.
    client.settings = { debounceMs: 5000 };
    await client.initialize(root, { scanOnStart: false, requestWaitMs: 0, settings: client.settings });
    const app = uri('app.ts');
    await Promise.all([client.diagnostics(app), client.open(app, 'typescript', APP)]);
    // The first analysis of a kind of file is waited for, whatever the wait (a cold start answers with the prompt).
    const first = await client.hover(app, HOVER.line, HOVER.character);
    assert.ok(first);
    assert.doesNotMatch(first.contents.value, /still analysing/);

    // Another model, and more calls below (an analysis of some milliseconds at least — not of seconds:
    // the editor's 2 s wall-clock budget skips a file, and a machine at load 10 made 300 calls that slow).
    const more = Array.from({ length: 80 }, (_, i) => `client.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'Question ${i}' }] });`).join('\n');
    const edited = APP.replace("model: 'gpt-4o'", "model: 'gpt-4.1'") + more + '\n';
    const fresh = client.diagnostics(app, (p) => p.version === 2);
    const refreshed = client.next('(server) workspace/codeLens/refresh');
    await client.change(app, 2, edited);
    const [hover, actions] = await Promise.all([
      client.hover(app, HOVER.line, HOVER.character),
      client.conn.sendRequest<unknown[]>('textDocument/codeAction', { textDocument: { uri: app }, range: { start: HOVER, end: HOVER }, context: { diagnostics: [] } }),
    ]);
    assert.ok(hover, 'empty hover');
    assert.match(hover.contents.value, /model `gpt-4o`/, `from the analysis before the edit: ${hover.contents.value}`);
    assert.match(hover.contents.value, /still analysing the latest changes/);
    assert.deepStrictEqual(actions, [], 'no edits computed for another text');
    await Promise.all([fresh, refreshed]);
    const after = await client.hover(app, HOVER.line, HOVER.character);
    assert.match(after!.contents.value, /model `gpt-4\.1`/);
    assert.doesNotMatch(after!.contents.value, /still analysing/);
  });

  it('a request on a document never analysed yet says it is being analysed', async () => {
    await client.initialize(root, { scanOnStart: false, requestWaitMs: 0 });
    const app = uri('app.ts');
    await Promise.all([client.diagnostics(app), client.open(app, 'typescript', APP)]);
    const big = uri('big.ts');
    const published = client.diagnostics(big);
    await client.open(big, 'typescript', bigFile());
    const hover = await client.hover(big, 3, 20);
    assert.match(hover!.contents.value, /still analysing this file/);
    assert.deepStrictEqual(await client.codeLens(big), []);
    await published;
    // Its analysis (or a budget's cut, on a loaded machine): the note is gone.
    assert.doesNotMatch((await client.hover(big, 3, 20))?.contents.value ?? '', /still analysing/);
  });

  it('a document past the document worker\'s budget: cut with file-not-analysed naming the budget; the next document is analysed', async () => {
    // A budget far under what the big file takes, and far over what a small prompt file does.
    await client.initialize(root, { scanOnStart: false, budgets: { documentMs: 200 } });
    // A worker's first document has a wider budget (it runs cold): one before the big file.
    const app = uri('app.ts');
    await Promise.all([client.diagnostics(app), client.open(app, 'typescript', APP)]);
    const big = uri('big.ts');
    const published = client.diagnostics(big);
    await client.open(big, 'typescript', bigFile());
    const d = (await published).diagnostics;
    assert.deepStrictEqual(d.map((x) => x.code), ['file-not-analysed'], JSON.stringify(d));
    assert.match(d[0].message, /big\.ts: analysis budget exceeded: the language server stopped analysing it after 200 ms; not analysed/);
    assert.deepStrictEqual(await client.codeLens(big), []);
    // The worker was stopped mid-analysis: a new one analyses the next document.
    const yml = uri('mystery.prompt.yml');
    const text = `# ${unique}\nmodel: acme/mystery-9\nmessages:\n  - role: user\n    content: Hello there\n`;
    const next = client.diagnostics(yml);
    await client.open(yml, 'yaml', text);
    assert.ok((await next).diagnostics.some((x) => x.code === 'unpriced-model'), JSON.stringify((await next).diagnostics));
  });
});
