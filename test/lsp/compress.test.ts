// The server's half of "Compress prompt" over the real protocol: the code actions, then prepare → (the
// client's call to an OpenAI-compatible server on 127.0.0.1, through the real SDK) → finish, and tidy.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { run } from '../../src/cli/main';
import { chatRewrite } from '../../src/core/compress/chat';
import type { CompressOutcome, CompressPrepared } from '../../src/server/protocol';
import { completion, startFakeOpenAI } from '../fakeOpenAI';
import { tempDir } from '../tempDir';
import { TestClient } from './client';

const SERVER = path.join(__dirname, '..', '..', 'dist', 'server.js');
const LONG = 'You are a friendly and helpful support assistant for ${customer}. Please always make sure your answers are short and to the point, and never promise refunds under any circumstances.';
const APP = `import OpenAI from 'openai';\nconst client = new OpenAI();\nexport async function ask(customer: string, q: string) {\n  return client.chat.completions.create({\n    model: 'gpt-4o',\n    messages: [\n      { role: 'system', content: \`${LONG}\` },\n      { role: 'user', content: q },\n    ],\n  });\n}\n`;

interface Action { title: string; kind: string; command?: { command: string; arguments: [{ uri: string; version: number; position: { line: number; character: number }; part?: number }] }; diagnostics?: unknown[] }

describe('language server: compress (protocol)', function () {
  this.timeout(30000);
  let client: TestClient;
  let root: string;

  before(function () {
    if (!fs.existsSync(SERVER)) this.skip();
  });
  beforeEach(() => {
    root = tempDir('pc-lsp-compress-');
    fs.writeFileSync(path.join(root, 'app.ts'), APP);
    client = new TestClient(SERVER);
    client.settings = { debounceMs: 0, thresholds: { promptTokens: 10 } };
  });
  afterEach(async () => {
    await client.stop();
  });

  it('offers Compress prompt (refactor.rewrite, and a quick fix on prompt-over-budget); prepare → call → finish gives a versioned edit', async () => {
    await client.initialize(root, { scanOnStart: false });
    const uri = pathToFileURL(path.join(root, 'app.ts')).href;
    const published = client.diagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'prompt-over-budget'));
    await client.open(uri, 'typescript', APP, 3);
    const over = (await published).diagnostics.find((d) => d.code === 'prompt-over-budget')!;
    const actions = await client.conn.sendRequest<Action[]>('textDocument/codeAction', {
      textDocument: { uri }, range: { start: { line: 6, character: 40 }, end: { line: 6, character: 40 } }, context: { diagnostics: [over] },
    });
    const rewrite = actions.find((a) => a.title === 'Compress prompt' && a.kind === 'refactor.rewrite');
    const quick = actions.find((a) => a.title === 'Compress prompt' && a.kind === 'quickfix');
    assert.ok(rewrite && quick, JSON.stringify(actions));
    assert.strictEqual(rewrite.command!.command, 'promptCost.compressPrompt');
    assert.deepStrictEqual(quick.diagnostics, [over]);
    assert.strictEqual(rewrite.command!.arguments[0].version, 3);
    // Asked only for quick fixes, no refactoring is offered.
    const onlyQuick = await client.conn.sendRequest<Action[]>('textDocument/codeAction', {
      textDocument: { uri }, range: { start: { line: 6, character: 40 }, end: { line: 6, character: 40 } }, context: { diagnostics: [], only: ['quickfix'] },
    });
    assert.ok(!onlyQuick.some((a) => a.kind === 'refactor.rewrite'));

    const prepared = await client.conn.sendRequest<CompressPrepared>('promptCost/compressPrepare', { target: rewrite.command!.arguments[0], model: 'gpt-4o-mini' });
    assert.ok(prepared.id, JSON.stringify(prepared));
    assert.strictEqual(prepared.before.text, LONG);
    const sent = prepared.messages.find((m) => m.role === 'user')!.content;
    assert.ok(sent.includes('[[V1]]') && !sent.includes('${customer}'), sent);
    assert.ok(prepared.requestTokens > 0 && prepared.requestCostUsd! > 0);

    const fake = await startFakeOpenAI(() => completion('Support assistant for [[V1]]. Be brief. Never promise refunds.'));
    try {
      const reply = await chatRewrite({ apiKey: 'k', baseURL: fake.baseURL, model: 'gpt-4o-mini', messages: prepared.messages, timeoutMs: 5000 });
      const out = await client.conn.sendRequest<CompressOutcome>('promptCost/compressFinish', { id: prepared.id, reply: reply.text, usage: reply.usage });
      assert.strictEqual(out.status, 'ok', out.reason);
      assert.deepStrictEqual([out.uri, out.version], [uri, 3]);
      assert.strictEqual(out.edit!.newText, '`Support assistant for ${customer}. Be brief. Never promise refunds.`');
      assert.match(out.title, /^−\d+ tokens\/call \(\d+ → \d+\) · \$[\d.]+\/call · \$[\d.,]+\/month at 1,000 calls\/day · request \$[\d.]+$/);
      assert.ok(!JSON.stringify(out).includes('sk-'), 'no key in what the server returns');
      // The report panel's compression lever now has this rewrite's saving.
      const view = await client.conn.sendRequest<{ prompts: { file: string; compress?: { monthlySavingsUsd: number } }[] }>('promptCost/reportView');
      assert.deepStrictEqual(view.prompts.filter((p) => p.compress).map((p) => [p.file, p.compress!.monthlySavingsUsd]), [['app.ts', out.saved!.monthlyUsd]]);
      // A plan is used once.
      const again = await client.conn.sendRequest<{ error?: string }>('promptCost/compressFinish', { id: prepared.id, reply: reply.text });
      assert.match(again.error!, /no longer known/);
    } finally {
      await fake.close();
    }
  });

  it('a stale version is refused; tidy works without a network call', async () => {
    await client.initialize(root, { scanOnStart: false });
    const uri = pathToFileURL(path.join(root, 'tidy.py')).href;
    const text = 'import openai\nclient = openai.OpenAI()\nSYSTEM = """You are helpful.   \n    Be brief.\n\n\n\n    Cite sources."""\nclient.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": SYSTEM}])\n';
    const published = client.diagnostics(uri);
    await client.open(uri, 'python', text, 5);
    await published;
    const stale = await client.conn.sendRequest<{ error?: string }>('promptCost/compressPrepare', { target: { uri, version: 4, position: { line: 2, character: 12 } }, model: 'gpt-4o-mini' });
    assert.match(stale.error!, /the file changed — run compress again/);
    const actions = await client.conn.sendRequest<Action[]>('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 2, character: 12 }, end: { line: 2, character: 12 } }, context: { diagnostics: [] } });
    const tidy = actions.find((a) => a.title === 'Tidy prompt whitespace');
    assert.ok(tidy, JSON.stringify(actions));
    const out = await client.conn.sendRequest<CompressOutcome>('promptCost/tidy', tidy.command!.arguments[0]);
    assert.strictEqual(out.status, 'ok', out.reason);
    assert.strictEqual(out.after!.text, 'You are helpful.\nBe brief.\n\nCite sources.');
    assert.ok(out.saved!.tokens > 0);
    assert.strictEqual(out.version, 5);
  });
  it("a constant two files' calls import: the saving is both senders', as two scans price it", async () => {
    const files: Record<string, string> = {
      'src/prompts/index.ts': `// prompt-cost: callsPerDay=8000 id=support-system\nexport const SUPPORT = \`${LONG.replace(' for ${customer}', '')}\`;\n`,
      'src/a.ts': `import OpenAI from 'openai';\nimport { SUPPORT } from './prompts';\nconst client = new OpenAI();\nexport const ask = (q: string) => client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'system', content: SUPPORT }, { role: 'user', content: q }] });\n`,
      'src/b.ts': `import Anthropic from '@anthropic-ai/sdk';\nimport { SUPPORT } from './prompts';\nconst client = new Anthropic();\nexport const ask = (q: string) => client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, system: SUPPORT, messages: [{ role: 'user', content: q }] });\n`,
    };
    fs.rmSync(path.join(root, 'app.ts'));
    for (const [f, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
      fs.writeFileSync(path.join(root, f), text);
    }
    type Scanned = { file: string; cost: { monthlyUsd: number } };
    const scan = async () => {
      let out = '';
      assert.strictEqual(await run(['scan', '--format', 'json', '--no-cache'], { stdout: (s) => void (out += s), stderr: () => undefined, readStdin: () => Buffer.from(''), stderrIsTTY: false, cwd: root, env: {} }), 0);
      return JSON.parse(out).prompts as Scanned[];
    };
    const before = await scan();
    await client.initialize(root, { scanOnStart: false });
    await client.conn.sendRequest('promptCost/rescan');
    const uri = pathToFileURL(path.join(root, 'src/prompts/index.ts')).href;
    await client.open(uri, 'typescript', files['src/prompts/index.ts'], 2);
    const target = { uri, version: 2, position: { line: 1, character: 30 } };
    const prepared = await client.conn.sendRequest<CompressPrepared>('promptCost/compressPrepare', { target, model: 'gpt-4o-mini' });
    assert.ok(prepared.id, JSON.stringify(prepared));
    const out = await client.conn.sendRequest<CompressOutcome>('promptCost/compressFinish', { id: prepared.id, reply: 'Support assistant. Be brief. Never promise refunds.' });
    assert.strictEqual(out.status, 'ok', out.reason);
    assert.deepStrictEqual(out.senders!.map((x) => [x.file, x.model]), [['src/a.ts', 'gpt-4o'], ['src/b.ts', 'claude-sonnet-4-5']]);
    assert.match(out.title, /^−\d+ tokens\/call \(\d+ → \d+\) on gpt-4o · \$[\d.,]+\/month over the 2 prompts that send it · request/);
    // The edit applied on disk: what the scan's prompts fell by.
    const text = files['src/prompts/index.ts'];
    const lines = text.split('\n');
    const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
    fs.writeFileSync(path.join(root, 'src/prompts/index.ts'), text.slice(0, offset(out.edit!.range.start)) + out.edit!.newText + text.slice(offset(out.edit!.range.end)));
    const after = await scan();
    const fell = before.reduce((n, b) => n + b.cost.monthlyUsd - after.find((a) => a.file === b.file)!.cost.monthlyUsd, 0);
    assert.ok(fell > 0 && Math.abs(out.saved!.monthlyUsd - fell) < 1e-6, `${out.saved!.monthlyUsd} vs ${fell}`);
  });

  it('notebook cells: offered in the cell that holds the text; the edit is for that cell, in its coordinates and version', async () => {
    await client.initialize(root, { scanOnStart: false });
    const nbUri = pathToFileURL(path.join(root, 'support.ipynb')).href;
    const cellUri = (n: number) => `vscode-notebook-cell:${nbUri.slice('file:'.length)}#cell${n}`;
    const system = 'You are a friendly and helpful support assistant. Please always make sure your answers are short and to the point, and never promise refunds under any circumstances.';
    const cells = ['from openai import OpenAI\nclient = OpenAI()\n', '# Prompts', `%load_ext autoreload\nSYSTEM = "${system}"\n`, 'def ask(q):\n    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": SYSTEM}, {"role": "user", "content": q}])\n'];
    const kinds = [2, 1, 2, 2];
    const published = client.diagnostics(cellUri(3));
    await client.conn.sendNotification('notebookDocument/didOpen', {
      notebookDocument: { uri: nbUri, notebookType: 'jupyter-notebook', version: 1, cells: cells.map((_, i) => ({ kind: kinds[i], document: cellUri(i) })) },
      cellTextDocuments: cells.map((text, i) => ({ uri: cellUri(i), languageId: kinds[i] === 2 ? 'python' : 'markdown', version: 7, text })),
    });
    await published;
    const at = { line: 1, character: 20 };
    const actions = await client.conn.sendRequest<Action[]>('textDocument/codeAction', { textDocument: { uri: cellUri(2) }, range: { start: at, end: at }, context: { diagnostics: [] } });
    const rewrite = actions.find((a) => a.title === 'Compress prompt');
    assert.ok(rewrite, JSON.stringify(actions));
    assert.deepStrictEqual(rewrite.command!.arguments[0], { uri: cellUri(2), version: 7, position: at, part: 0 });
    // Not offered in a cell without the text (the call's cell).
    const inCall = await client.conn.sendRequest<Action[]>('textDocument/codeAction', { textDocument: { uri: cellUri(3) }, range: { start: at, end: at }, context: { diagnostics: [] } });
    assert.ok(!inCall.some((a) => a.title === 'Compress prompt'), JSON.stringify(inCall));
    const prepared = await client.conn.sendRequest<CompressPrepared>('promptCost/compressPrepare', { target: rewrite.command!.arguments[0], model: 'gpt-4o-mini' });
    assert.strictEqual(prepared.before.text, system, JSON.stringify(prepared));
    assert.strictEqual(prepared.line, 2, 'the line within the cell');
    const out = await client.conn.sendRequest<CompressOutcome>('promptCost/compressFinish', { id: prepared.id, reply: 'Support assistant. Be brief. Never promise refunds.' });
    assert.strictEqual(out.status, 'ok', out.reason);
    assert.deepStrictEqual([out.uri, out.version], [cellUri(2), 7]);
    assert.deepStrictEqual(out.edit!.range, { start: { line: 1, character: 9 }, end: { line: 1, character: 11 + system.length } });
    assert.strictEqual(out.edit!.newText, '"Support assistant. Be brief. Never promise refunds."');
  });
});
