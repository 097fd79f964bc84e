import * as assert from 'assert';
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { priceDatabase } from '../../src/core/prices';
import { TestClient } from './client';
import { tempDir } from '../tempDir';

const SERVER = path.join(__dirname, '..', '..', 'dist', 'server.js');
const APP = "import OpenAI from 'openai';\nconst client = new OpenAI();\nclient.chat.completions.create({ model: 'gpt-4o', max_tokens: 100, messages: [{ role: 'user', content: 'Say hello to the new user in one friendly sentence.' }] });\n";

describe('language server: Update Prices', function () {
  this.timeout(30000);

  before(function () {
    if (!fs.existsSync(SERVER)) this.skip();
  });

  it('fetches on request from the configured URL, then re-prices open documents; a failure keeps the data', async () => {
    const data = JSON.parse(JSON.stringify(await priceDatabase().waitForUpdate())) as { id: string; models: { id: string; prices: unknown }[] }[];
    data.find((p) => p.id === 'openai')!.models.find((m) => m.id === 'gpt-4o')!.prices = { input_mtok: 1000, output_mtok: 1000 };
    const body = JSON.stringify(data);
    let requests = 0;
    const server = http.createServer((req, res) => {
      requests++;
      if (req.url === '/missing') {
        res.statusCode = 404;
        return res.end();
      }
      res.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const root = tempDir('pc-lsp-prices-');
    fs.writeFileSync(path.join(root, 'app.ts'), APP);
    const saved = { url: process.env.PROMPT_COST_PRICES_URL, cache: process.env.PROMPT_COST_CACHE_DIR };
    process.env.PROMPT_COST_PRICES_URL = `${base}/missing`;
    process.env.PROMPT_COST_CACHE_DIR = tempDir('pc-lsp-prices-cache-');
    const failing = new TestClient(SERVER);
    process.env.PROMPT_COST_PRICES_URL = `${base}/data.json`;
    const client = new TestClient(SERVER);
    process.env.PROMPT_COST_PRICES_URL = saved.url;
    process.env.PROMPT_COST_CACHE_DIR = saved.cache;
    try {
      for (const c of [failing, client]) c.settings = { debounceMs: 0 };
      const app = pathToFileURL(path.join(root, 'app.ts')).href;

      await failing.initialize(root, { scanOnStart: false });
      const r0 = await failing.conn.sendRequest<{ ok: boolean; error?: string }>('promptCost/updatePrices');
      assert.deepStrictEqual([r0.ok, r0.error], [false, 'HTTP 404 Not Found']);

      await client.initialize(root, { scanOnStart: false });
      assert.strictEqual(requests, 1, 'nothing is fetched at start or on open');
      const opened = client.diagnostics(app);
      await client.open(app, 'typescript', APP);
      await opened;
      const before = (await client.codeLens(app))[0].command.title;
      const r = await client.conn.sendRequest<{ ok: boolean; providers: number }>('promptCost/updatePrices');
      assert.ok(r.ok && r.providers > 10);
      const after = (await client.codeLens(app))[0].command.title;
      assert.notStrictEqual(after, before);
      assert.match(after, /\$0\.1\d*\/call/, 'gpt-4o at $1,000/M: 15 + 100 tokens cost about $0.12 a call');
      const hover = await client.hover(app, 2, 10);
      assert.match(JSON.stringify(hover), /update of \d{4}-\d\d-\d\d/, 'the hover says which price data it used');
    } finally {
      await failing.stop();
      await client.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
