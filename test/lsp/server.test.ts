import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { TestClient } from './client';
import { tempDir } from '../tempDir';

const SERVER = path.join(__dirname, '..', '..', 'dist', 'server.js');

const PROMPTS_TS = "export const SYSTEM = 'You are a careful support agent. Answer from the docs and cite the section you used.';\n";
const APP_TS = [
  "import OpenAI from 'openai';",
  "import { SYSTEM } from './prompts';",
  'const client = new OpenAI();',
  'export async function ask(q: string) {',
  '  return client.chat.completions.create({',
  "    model: 'gpt-4o',",
  '    max_tokens: 300,',
  '    messages: [',
  "      { role: 'system', content: SYSTEM },",
  "      { role: 'user', content: `Question: ${q}` },",
  '    ],',
  '  });',
  '}',
  '',
].join('\n');

function workspace(): string {
  const dir = tempDir('pc-lsp-');
  fs.mkdirSync(path.join(dir, 'src'));
  fs.writeFileSync(path.join(dir, 'src', 'prompts.ts'), PROMPTS_TS);
  fs.writeFileSync(path.join(dir, 'src', 'app.ts'), APP_TS);
  fs.writeFileSync(path.join(dir, 'mystery.prompt.yml'), 'model: acme/mystery-9\nmessages:\n  - role: user\n    content: Hello there\n');
  fs.writeFileSync(path.join(dir, '.promptcost.yaml'), 'defaults:\n  callsPerDay: 10000\n');
  return dir;
}

describe('language server (protocol)', function () {
  this.timeout(30000);
  let client: TestClient;
  let root: string;
  const uri = (rel: string) => pathToFileURL(path.join(root, rel)).href;

  before(function () {
    if (!fs.existsSync(SERVER)) this.skip(); // `npm test` builds first
  });

  beforeEach(async () => {
    root = workspace();
    client = new TestClient(SERVER);
    client.settings = { debounceMs: 0 };
  });

  afterEach(async () => {
    await client.stop();
  });

  it('initializes with hover, code lens, inlay hints and incremental sync', async () => {
    const r = await client.initialize(root, { scanOnStart: false });
    assert.strictEqual(r.capabilities.hoverProvider, true);
    assert.ok(r.capabilities.codeLensProvider);
    assert.ok(r.capabilities.inlayHintProvider);
    assert.strictEqual(r.capabilities.textDocumentSync, 2);
  });

  it('didOpen → diagnostics; hover and code lens on a call whose text lives in another file', async () => {
    await client.initialize(root, { scanOnStart: false });
    const app = uri('src/app.ts');
    const published = client.diagnostics(app);
    await client.open(app, 'typescript', APP_TS);
    assert.deepStrictEqual((await published).diagnostics, []);

    const hover = await client.hover(app, 9, 30);
    assert.ok(hover, 'hover on the user message');
    const md = hover!.contents.value;
    assert.match(md, /model `gpt-4o` \(literal\)/);
    assert.match(md, /src\/prompts\.ts:1/, 'the system part names the file its text is written in');
    assert.match(md, /slot `q` \(default\)/);
    assert.match(md, /per day — 10,000 calls \(\.promptcost\.yaml:2\)/);
    assert.match(md, /\*\*per month\*\*/);
    assert.match(md, /Cheaper on openai/);
    assert.match(md, /Price data: @pydantic\/genai-prices [\d.]+, as of \d{4}-\d{2}-\d{2}/);

    const lenses = await client.codeLens(app);
    assert.strictEqual(lenses.length, 1);
    assert.strictEqual(lenses[0].range.start.line, 4);
    assert.match(lenses[0].command.title, /^\d+ tokens · \$[\d.]+\/call · \$[\d,.]+\/mo$/);
    assert.deepStrictEqual(lenses[0].command.arguments, [app, 'src/app.ts:5']);

    // Hover on the constant, in the file where it is written (open it: the server answers for open documents).
    const prompts = uri('src/prompts.ts');
    await client.open(prompts, 'typescript', PROMPTS_TS);
    const onConstant = await client.hover(prompts, 0, 40);
    assert.ok(onConstant, 'hover on the constant the text is written in');
    assert.match(onConstant!.contents.value, /openai\.chat/);
  });

  it('editing an imported constant in the editor updates the open file that sends it: its code lens and hover', async () => {
    await client.initialize(root, { scanOnStart: false });
    const app = uri('src/app.ts');
    const prompts = uri('src/prompts.ts');
    await client.open(app, 'typescript', APP_TS);
    await client.open(prompts, 'typescript', PROMPTS_TS);
    const tokensOf = async () => Number(/^(\d[\d,]*) tokens/.exec((await client.codeLens(app))[0]?.command.title ?? '')?.[1].replace(/,/g, ''));
    const before = await tokensOf();
    assert.ok(before > 100, String(before));
    const longer = PROMPTS_TS.replace('Answer from the docs', `Answer from the docs. ${'Quote the exact paragraph and its heading before answering. '.repeat(20)}`);
    await client.change(prompts, 2, longer); // not saved: the importer must read the open document
    let after = before;
    for (let i = 0; i < 100 && after === before; i++) {
      await new Promise((r) => setTimeout(r, 50));
      after = await tokensOf();
    }
    assert.ok(after > before + 150, `${before} → ${after}`);
    const hover = await client.hover(app, 9, 30);
    assert.match(hover!.contents.value, new RegExp(`${after.toLocaleString('en-US')}`));
    // Closed unsaved: the constant is the disk's again, and so is the call's count.
    await client.close(prompts);
    let closed = after;
    for (let i = 0; i < 100 && closed === after; i++) {
      await new Promise((r) => setTimeout(r, 50));
      closed = await tokensOf();
    }
    assert.strictEqual(closed, before);
  });

  it('opening a file analyses it at once: the debounce is for typing', async function () {
    // The longest debounce there is (5 s), in force from initialize on: only an analysis on open
    // publishes before this test's timeout.
    this.timeout(4500);
    client.settings = { debounceMs: 5000 };
    await client.initialize(root, { scanOnStart: false, settings: { debounceMs: 5000 } });
    const yml = uri('mystery.prompt.yml');
    const published = client.diagnostics(yml, (p) => p.diagnostics.some((d) => d.code === 'unpriced-model'));
    await client.open(yml, 'yaml', fs.readFileSync(path.join(root, 'mystery.prompt.yml'), 'utf8'));
    await published;
  });

  it('didChange re-analyses: fresh diagnostics for the new version, stale results never win', async () => {
    await client.initialize(root, { scanOnStart: false });
    // Between the two texts (about 125 and 185 tokens with the 100-token slot). The first publish waits for
    // these settings: at 60 it was [] only when it raced ahead of them with the defaults.
    client.settings = { debounceMs: 0, thresholds: { promptTokens: 150 } };
    await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const app = uri('src/app.ts');
    const first = client.diagnostics(app);
    await client.open(app, 'typescript', APP_TS);
    assert.deepStrictEqual((await first).diagnostics.map((d) => d.code), []);

    const longer = APP_TS.replace('Question: ${q}', `Question: ${'please answer in great detail '.repeat(10)} \${q}`);
    const second = client.diagnostics(app, (p) => p.version === 3);
    await client.change(app, 2, APP_TS.replace('Question', 'Q'));
    await client.change(app, 3, longer);
    const d = await second;
    assert.deepStrictEqual(d.diagnostics.map((x) => x.code), ['prompt-over-budget']);
    assert.match(d.diagnostics[0].message, /over the limit of 150 \(setting promptCost\.thresholds\.promptTokens\)/);
    assert.match(d.diagnostics[0].codeDescription!.href, /^file:.*docs\/diagnostics\/prompt-over-budget\.md$/);
  });

  it('a TOML prompt file (language toml): code lens on its [*_prompt] table, hover on its system text', async () => {
    await client.initialize(root, { scanOnStart: false });
    const text = '[review_prompt]\nsystem = """\nYou review pull requests for a small team. Point out bugs and missing tests.\n"""\nuser = "Diff: {{ diff }}"\n';
    fs.mkdirSync(path.join(root, 'settings'));
    fs.writeFileSync(path.join(root, 'settings', 'review.toml'), text);
    const toml = uri('settings/review.toml');
    const published = client.diagnostics(toml);
    await client.open(toml, 'toml', text);
    await published;
    const lenses = await client.codeLens(toml);
    assert.ok(lenses.length >= 1, 'a lens on the prompt');
    assert.match(lenses[0].command.title, /\d[\d,]* tokens · \$[\d.]+\/call/);
    const hover = await client.hover(toml, 2, 10);
    assert.ok(hover, 'hover on the system text');
    assert.match(hover!.contents.value, /tokens/);
    assert.match(hover!.contents.value, /system/i);
  });

  it('a settings change applies live (no reload)', async () => {
    await client.initialize(root, { scanOnStart: false });
    const yml = uri('mystery.prompt.yml');
    const text = fs.readFileSync(path.join(root, 'mystery.prompt.yml'), 'utf8');
    const first = client.diagnostics(yml);
    await client.open(yml, 'yaml', text);
    assert.deepStrictEqual((await first).diagnostics.map((d) => d.code), ['unpriced-model', 'unknown-model-tokenizer']);
    assert.match((await client.codeLens(yml))[0].command.title, /unpriced/);

    client.settings = { debounceMs: 0, severity: { 'unknown-model-tokenizer': 'off', 'unpriced-model': 'error' } };
    const after = client.diagnostics(yml);
    await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const d = (await after).diagnostics;
    assert.deepStrictEqual(d.map((x) => [x.code, x.severity]), [['unpriced-model', 1]]);

    client.settings = { debounceMs: 0, inline: 'off' };
    await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await client.diagnostics(yml);
    assert.deepStrictEqual(await client.codeLens(yml), []);
  });

  it('settings the client answers late still apply: the documents analysed meanwhile are published again with them', async () => {
    // The client holds its answer to workspace/configuration; the server stops waiting for it (about a
    // second) and publishes with the defaults, then again once the settings arrive.
    let release!: () => void;
    client.configurationGate = new Promise<void>((resolve) => (release = resolve));
    client.settings = { debounceMs: 0, thresholds: { promptTokens: 10 } };
    const asked = client.next('(client) workspace/configuration');
    await client.initialize(root, { scanOnStart: false });
    await asked;
    const app = uri('src/app.ts');
    const first = client.diagnostics(app);
    await client.open(app, 'typescript', APP_TS);
    assert.ok(!(await first).diagnostics.some((d) => d.code === 'prompt-over-budget'), 'the defaults have no 10-token threshold');
    const withSettings = client.diagnostics(app, (p) => p.diagnostics.some((d) => d.code === 'prompt-over-budget'));
    release();
    await withSettings;
  });

  it('turning the heuristic off re-detects open documents: a prompt-named constant stops being a prompt', async () => {
    await client.initialize(root, { scanOnStart: false });
    const doc = uri('src/persona.ts');
    const text = "export const SUPPORT_PERSONA_PROMPT = 'You are Ada, a calm support agent who answers in two sentences.';\n";
    await client.open(doc, 'typescript', text);
    const lenses = async () => (await client.codeLens(doc)).map((l: { command: { title: string } }) => l.command.title);
    assert.match((await lenses())[0] ?? '', /^\(heuristic\)/);
    client.settings = { debounceMs: 0, heuristics: false };
    const redetected = client.diagnostics(doc);
    await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await redetected;
    assert.deepStrictEqual(await lenses(), []);
    client.settings = { debounceMs: 0, heuristics: true };
    const back = client.diagnostics(doc);
    await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await back;
    assert.match((await lenses())[0] ?? '', /^\(heuristic\)/);
  });

  it('.promptcost.yaml edited in the editor: invalid-config at the line, traffic applies live', async () => {
    await client.initialize(root, { scanOnStart: false });
    const app = uri('src/app.ts');
    await Promise.all([client.diagnostics(app), client.open(app, 'typescript', APP_TS)]);
    const cfg = uri('.promptcost.yaml');
    const bad = client.diagnostics(cfg);
    await client.open(cfg, 'yaml', 'defaults:\n  callsPerDay: lots\n');
    const d = (await bad).diagnostics;
    assert.strictEqual(d[0].code, 'invalid-config');
    assert.deepStrictEqual((d[0].range as { start: { line: number } }).start.line, 1);

    const good = client.diagnostics(cfg, (p) => p.diagnostics.length === 0);
    await client.change(cfg, 2, 'defaults:\n  callsPerDay: 777\n');
    await good;
    const hover = await client.hover(app, 9, 30);
    assert.match(hover!.contents.value, /777 calls \(\.promptcost\.yaml:2\)/);
  });

  it('.promptcost.yaml overrides that change nothing are warned of on their lines once the workspace is scanned', async () => {
    // An id typo and a glob that matches no file: as `scan` warns of them on stderr.
    fs.writeFileSync(path.join(root, 'src', 'app.ts'), APP_TS.replace('export async function ask', '// prompt-cost: id=support\nexport async function ask'));
    // The override of a prompt file that cannot be read is not one of them: what the file holds is unknown.
    fs.writeFileSync(path.join(root, 'chat.prompty'), '---\nname: [Chat\nmodel:\n  api: chat\n---\nsystem:\nYou are terse.\n');
    const config = 'defaults:\n  callsPerDay: 10000\noverrides:\n  - id: suport\n    callsPerDay: 5\n  - path: "legacy/**"\n    callsPerDay: 7\n  - path: chat.prompty\n    callsPerDay: 9\n';
    fs.writeFileSync(path.join(root, '.promptcost.yaml'), config);
    const cfg = uri('.promptcost.yaml');
    const warned = client.diagnostics(cfg, (p) => p.diagnostics.length >= 2);
    await client.initialize(root);
    const d = (await warned).diagnostics as { code: string; message: string; range: { start: { line: number } } }[];
    assert.deepStrictEqual(d.map((x) => x.range.start.line), [3, 5], 'each on its override');
    assert.match(d[0].message, /override for id "suport" matched no prompt .*did you mean support\?/);
    assert.match(d[1].message, /override for path "legacy\/\*\*" matched no prompt/);
    assert.ok(d.every((x) => x.code === 'invalid-config'));

    // Fixed in the editor: the warning for the id goes, the other stays.
    await client.open(cfg, 'yaml', config);
    const fixed = client.diagnostics(cfg, (p) => p.diagnostics.length === 1);
    await client.change(cfg, 2, config.replace('suport', 'support'));
    assert.match((await fixed).diagnostics[0].message, /legacy/);
  });

  it('quick fix: a versioned WorkspaceEdit adding cache_control; the hover shows the month with and without caching', async () => {
    await client.initialize(root, { scanOnStart: false });
    const long = Array.from({ length: 150 }, (_, i) => `Rule ${i}: cite the policy section and never promise refunds.`).join(' ');
    const text = `import Anthropic from '@anthropic-ai/sdk';\nconst a = new Anthropic();\nexport const ask = (q: string) => a.messages.create({\n  model: 'claude-sonnet-4-5',\n  max_tokens: 300,\n  system: '${long}',\n  messages: [{ role: 'user', content: q }],\n});\n`;
    const doc = uri('src/claude.ts');
    const published = client.diagnostics(doc);
    await client.open(doc, 'typescript', text, 7);
    const diag = (await published).diagnostics.find((d) => d.code === 'anthropic-cache-control-missing');
    assert.ok(diag, 'anthropic-cache-control-missing published');
    const actions = (await client.conn.sendRequest<{ title: string; kind: string; edit: { documentChanges: { textDocument: { uri: string; version: number }; edits: { newText: string }[] }[] } }[]>('textDocument/codeAction', {
      textDocument: { uri: doc }, range: diag!.range, context: { diagnostics: [diag] },
    })).filter((a) => a.kind === 'quickfix');
    assert.strictEqual(actions.length, 1);
    assert.strictEqual(actions[0].kind, 'quickfix');
    const change = actions[0].edit.documentChanges[0];
    assert.deepStrictEqual(change.textDocument, { uri: doc, version: 7 }, 'the edit is bound to the analysed version');
    assert.match(change.edits[0].newText, /^\[\{ type: 'text', text: 'Rule 0: .*', cache_control: \{ type: 'ephemeral' \} \}\]$/);

    const hover = await client.hover(doc, 5, 12);
    assert.match(hover!.contents.value, /Prompt caching on anthropic — not cached: no cache_control/);
    assert.match(hover!.contents.value, /month without caching \| \$[\d,.]+/);
    assert.match(hover!.contents.value, /month with the prefix cached \| \$[\d,.]+/);
    assert.match(hover!.contents.value, /hit rate \(steady traffic: 10000 calls\/day, 5-minute cache lifetime\) \| 100%/, 'no hit rate set: derived from traffic');
  });

  it('scans the workspace in the background with progress and reports totals', async () => {
    await client.initialize(root);
    const totals = await client.next<{ scanning: boolean; prompts: number; monthlyUsd: number; unpriced: number }>('promptCost/totals', (t) => !t.scanning, true);
    assert.strictEqual(totals.prompts, 2);
    assert.strictEqual(totals.unpriced, 1);
    assert.ok(totals.monthlyUsd > 0);
    assert.ok(client.seen.some((s) => s.method === '$/progress' && s.params.value?.kind === 'begin'), 'progress began');
    assert.ok(client.seen.some((s) => s.method === '$/progress' && s.params.value?.kind === 'end'), 'progress ended');
    const md = await client.conn.sendRequest<string>('promptCost/reportMarkdown');
    assert.match(md, /^# Prompt cost report/);
    assert.match(md, /src\/app\.ts:5/);

    // A saved .promptcost.yaml that excludes a file: the workspace is scanned again without it.
    fs.writeFileSync(path.join(root, '.promptcost.yaml'), 'defaults:\n  callsPerDay: 10000\nexclude:\n  - mystery.prompt.yml\n');
    const rescanned = client.next<{ scanning: boolean; prompts: number; unpriced: number }>('promptCost/totals', (t) => !t.scanning && t.prompts === 1);
    await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri('.promptcost.yaml'), type: 2 }] });
    assert.strictEqual((await rescanned).unpriced, 0);
  });

  it('a restarted server answers from the stored detection, then checks it with a fresh parse', async () => {
    // A cache folder of this test's own: the servers inherit it from the environment at spawn.
    const cacheDir = tempDir('pc-lsp-cache-');
    const saved = process.env.PROMPT_COST_CACHE_DIR;
    process.env.PROMPT_COST_CACHE_DIR = cacheDir;
    const app = uri('src/app.ts');
    try {
      const first = new TestClient(SERVER);
      first.settings = { debounceMs: 0 };
      await first.initialize(root, { scanOnStart: false });
      await first.open(app, 'typescript', APP_TS);
      assert.match((await first.hover(app, 9, 30))!.contents.value, /model `gpt-4o`/);
      await first.stop(); // shutdown writes what the session detected
      const stored = fs.readdirSync(path.join(cacheDir, 'detections'));
      assert.strictEqual(stored.length, 1);
      // Tamper with the stored model: the next session showing it proves the store answered.
      const entry = path.join(cacheDir, 'detections', stored[0]);
      fs.writeFileSync(entry, fs.readFileSync(entry, 'utf8').replace(/"gpt-4o"/g, '"gpt-4o-mini"'));

      const second = new TestClient(SERVER);
      second.settings = { debounceMs: 0 };
      await second.initialize(root, { scanOnStart: false });
      await second.open(app, 'typescript', APP_TS);
      assert.match((await second.hover(app, 9, 30))!.contents.value, /model `gpt-4o-mini`/);
      // The background parse finds the real model, replaces the stored result and publishes again.
      await second.diagnostics(app);
      assert.match((await second.hover(app, 9, 30))!.contents.value, /model `gpt-4o`/);
      await second.stop();

      // The text the store was written for no longer matches once edited on disk and reopened.
      const edited = APP_TS.replace("model: 'gpt-4o'", "model: 'gpt-4.1'");
      const third = new TestClient(SERVER);
      third.settings = { debounceMs: 0 };
      await third.initialize(root, { scanOnStart: false });
      await third.open(app, 'typescript', edited);
      assert.match((await third.hover(app, 9, 30))!.contents.value, /model `gpt-4\.1`/);
      await third.stop();
    } finally {
      process.env.PROMPT_COST_CACHE_DIR = saved;
    }
  });

  it('notebook cells: a constant from one cell, the call in another; hover, code lens and diagnostics per cell', async () => {
    await client.initialize(root, { scanOnStart: false });
    const nbUri = uri('triage.ipynb');
    const cellUri = (n: number) => `vscode-notebook-cell:${nbUri.slice('file:'.length)}#cell${n}`;
    const cells = [
      "SYSTEM = 'You sort support tickets into billing, bugs and how-to questions. Answer with one word.'\n",
      '# Triage\nA markdown cell between the two.',
      "%pip install openai\nfrom openai import OpenAI\nclient = OpenAI()\nclient.chat.completions.create(model='acme-mystery-9', messages=[{'role': 'system', 'content': SYSTEM}, {'role': 'user', 'content': ticket}])\n",
    ];
    const kinds = [2, 1, 2];
    await client.conn.sendNotification('notebookDocument/didOpen', {
      notebookDocument: { uri: nbUri, notebookType: 'jupyter-notebook', version: 1, cells: cells.map((_, i) => ({ kind: kinds[i], document: cellUri(i) })) },
      cellTextDocuments: cells.map((text, i) => ({ uri: cellUri(i), languageId: kinds[i] === 2 ? 'python' : 'markdown', version: 1, text })),
    });
    // unpriced-model for the unknown model, at its name in the call: cell 2, line 3 (as in a file).
    const published = await client.diagnostics(cellUri(2), (p) => p.diagnostics.length > 0);
    const unpriced = published.diagnostics.find((d) => d.code === 'unpriced-model');
    assert.ok(unpriced, JSON.stringify(published));
    assert.deepStrictEqual((unpriced.range as { start: { line: number; character: number } }).start, { line: 3, character: 37 });
    // Hover on the constant in cell 0: the prompt that uses it, from cell 2.
    const onConstant = await client.hover(cellUri(0), 0, 20);
    assert.ok(onConstant, 'hover on the constant');
    assert.match(onConstant.contents.value, /acme-mystery-9/);
    const lenses = await client.conn.sendRequest<{ range: { start: { line: number } } }[]>('textDocument/codeLens', { textDocument: { uri: cellUri(2) } });
    assert.strictEqual(lenses.length, 1);
    assert.strictEqual(lenses[0].range.start.line, 3);
    assert.deepStrictEqual(await client.conn.sendRequest('textDocument/codeLens', { textDocument: { uri: cellUri(0) } }), []);

    // Editing a cell re-analyses the notebook: the model becomes one with a price.
    const edited = cells[2].replace('acme-mystery-9', 'gpt-4o-mini');
    const fixed = client.diagnostics(cellUri(2), (p) => !p.diagnostics.some((d) => d.code === 'unpriced-model'));
    await client.conn.sendNotification('notebookDocument/didChange', {
      notebookDocument: { uri: nbUri, version: 2 },
      change: { cells: { textContent: [{ document: { uri: cellUri(2), version: 2 }, changes: [{ text: edited }] }] } },
    });
    await fixed;
    assert.match((await client.hover(cellUri(0), 0, 20))!.contents.value, /gpt-4o-mini/);
  });

  it('notebook cells: the cache_control quick fix edits the cell, bound to its version', async () => {
    await client.initialize(root, { scanOnStart: false });
    const nbUri = uri('claude.ipynb');
    const cellUri = (n: number) => `vscode-notebook-cell:${nbUri.slice('file:'.length)}#cell${n}`;
    const long = Array.from({ length: 150 }, (_, i) => `Rule ${i}: cite the policy section and never promise refunds.`).join(' ');
    const cells = ['import anthropic\nclient = anthropic.Anthropic()\n', '# Support', `def ask(q):\n    return client.messages.create(model='claude-sonnet-4-5', max_tokens=300, system='${long}', messages=[{'role': 'user', 'content': q}])\n`];
    const kinds = [2, 1, 2];
    const published = client.diagnostics(cellUri(2), (p) => p.diagnostics.some((d) => d.code === 'anthropic-cache-control-missing'));
    await client.conn.sendNotification('notebookDocument/didOpen', {
      notebookDocument: { uri: nbUri, notebookType: 'jupyter-notebook', version: 1, cells: cells.map((_, i) => ({ kind: kinds[i], document: cellUri(i) })) },
      cellTextDocuments: cells.map((text, i) => ({ uri: cellUri(i), languageId: kinds[i] === 2 ? 'python' : 'markdown', version: 4, text })),
    });
    const diag = (await published).diagnostics.find((d) => d.code === 'anthropic-cache-control-missing')!;
    assert.strictEqual((diag.range as { start: { line: number } }).start.line, 1, 'at the system text, in the cell');
    const offered = await client.conn.sendRequest<{ title: string; edit: { documentChanges: { textDocument: { uri: string; version: number }; edits: { range: { start: { line: number } }; newText: string }[] }[] } }[]>('textDocument/codeAction', {
      textDocument: { uri: cellUri(2) }, range: diag.range, context: { diagnostics: [diag] },
    });
    // The fix, and Compress prompt (a command: no edit) on the text in this cell.
    const actions = offered.filter((a) => a.edit);
    assert.deepStrictEqual(offered.filter((a) => !a.edit).map((a) => a.title), ['Compress prompt']);
    assert.strictEqual(actions.length, 1);
    const [change] = actions[0].edit.documentChanges;
    assert.deepStrictEqual(change.textDocument, { uri: cellUri(2), version: 4 });
    assert.strictEqual(change.edits[0].range.start.line, 1, 'cell coordinates, not the joined text');
    assert.match(change.edits[0].newText, /^\[\{'type': 'text', 'text': 'Rule 0: .*', 'cache_control': \{'type': 'ephemeral'\}\}\]$/);
    // None offered in a cell the diagnostic is not in.
    assert.deepStrictEqual(await client.conn.sendRequest('textDocument/codeAction', { textDocument: { uri: cellUri(0) }, range: diag.range, context: { diagnostics: [diag] } }), []);
  });
});
