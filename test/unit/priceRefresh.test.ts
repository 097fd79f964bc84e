import * as assert from 'assert';
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as path from 'path';
import { parseConfig } from '../../src/core/config';
import { lookupPrice, priceDatabase, priceDataInfo, PRICE_DATA, PRICE_DATA_URL, PRICE_URL_ENV, refreshPrices } from '../../src/core/prices';
import { loadCachedPrices, resetPriceDataInfo } from '../../src/core/prices/refresh';
import { run } from '../../src/cli/main';
import { tempDir } from '../tempDir';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/** A server on 127.0.0.1 the test controls; resolves with its base URL. */
async function serve(handler: Handler): Promise<{ url: string; close: () => Promise<void> }> {
  const sockets = new Set<import('net').Socket>();
  const server = http.createServer(handler);
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

function io(cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { stdout: (s: string) => out.push(s), stderr: (s: string) => err.push(s), readStdin: () => Buffer.alloc(0), stderrIsTTY: false, cwd } };
}

describe('price refresh (explicit request only)', () => {
  let bundled: unknown[];
  let bundledJson: string;
  let changedJson: string;

  before(async () => {
    bundled = (await priceDatabase().waitForUpdate()) as unknown[];
    bundledJson = JSON.stringify(bundled);
    // The same data with gpt-4o at $123/M input: an update that visibly took effect.
    const changed = JSON.parse(bundledJson) as { id: string; models: { id: string; prices: Record<string, unknown> | unknown[] }[] }[];
    const gpt4o = changed.find((p) => p.id === 'openai')!.models.find((m) => m.id === 'gpt-4o')!;
    gpt4o.prices = { input_mtok: 123, output_mtok: 456 };
    changedJson = JSON.stringify(changed);
  });

  afterEach(async () => {
    // Back to the bundled data for the rest of the suite.
    const s = await serve((_req, res) => res.end(bundledJson));
    try {
      await refreshPrices({ url: s.url, file: path.join(tempDir('pc-prices-restore-'), 'p.json') });
    } finally {
      await s.close();
    }
    resetPriceDataInfo();
  });

  it('fetches the published location by default: the package\'s own REMOTE_DATA_JSON_URL', () => {
    assert.strictEqual(PRICE_DATA_URL, priceDatabase().REMOTE_DATA_JSON_URL);
  });

  it('good data: validated, applied, cached with its date, and used by the next start', async () => {
    const s = await serve((req, res) => {
      assert.strictEqual(req.method, 'GET');
      res.setHeader('content-type', 'application/json');
      res.end(changedJson);
    });
    const file = path.join(tempDir('pc-prices-'), 'prices', 'data.json');
    try {
      const r = await refreshPrices({ url: `${s.url}/data.json`, file, now: new Date('2026-12-01T10:00:00Z') });
      assert.ok(r.ok, !r.ok ? r.error : '');
      assert.ok(r.providers > 10 && r.models > 100);
    } finally {
      await s.close();
    }
    const p = lookupPrice('gpt-4o');
    assert.ok(p.priced && p.input.baseUsdPerMillion === 123, 'the update applies in this process');
    assert.deepStrictEqual({ from: priceDataInfo().from, asOf: priceDataInfo().asOf }, { from: 'cache', asOf: '2026-12-01' });
    const cached = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert.strictEqual(cached.fetchedAt, '2026-12-01T10:00:00.000Z');

    // The next start: the bundled data first, then the cache replaces it.
    const db = priceDatabase();
    db.updatePrices(({ setProviderData }) => setProviderData(bundled as Parameters<typeof setProviderData>[0]));
    resetPriceDataInfo();
    loadCachedPrices(db, file);
    assert.strictEqual(priceDataInfo().version, 'update of 2026-12-01');
    assert.strictEqual(db.calcPrice({ input_tokens: 1_000_000, output_tokens: 0 }, 'gpt-4o')?.input_price, 123);
  });

  it('malformed data, a 404 and a timeout: each fails with the reason, and the data in use stays', async () => {
    const hang: http.ServerResponse[] = [];
    const s = await serve((req, res) => {
      if (req.url === '/malformed') res.end('{"providers": [');
      else if (req.url === '/not-providers') res.end(JSON.stringify([{ id: 'openai' }]));
      else if (req.url === '/bad-prices') res.end(changedJson.replace('"input_mtok":123', '"input_mtok":"a lot"'));
      else if (req.url === '/slow') hang.push(res); // never answers
      else {
        res.statusCode = 404;
        res.end('not found');
      }
    });
    const file = path.join(tempDir('pc-prices-'), 'p.json');
    try {
      const malformed = await refreshPrices({ url: `${s.url}/malformed`, file });
      assert.ok(!malformed.ok && /not JSON/.test(malformed.error));
      const shape = await refreshPrices({ url: `${s.url}/not-providers`, file });
      assert.ok(!shape.ok && /not valid price data/.test(shape.error));
      const prices = await refreshPrices({ url: `${s.url}/bad-prices`, file });
      assert.ok(!prices.ok && /input_mtok is not a price/.test(prices.error), !prices.ok ? prices.error : '');
      const missing = await refreshPrices({ url: `${s.url}/gone`, file });
      assert.ok(!missing.ok && /HTTP 404/.test(missing.error));
      const slow = await refreshPrices({ url: `${s.url}/slow`, file, timeoutMs: 300 });
      assert.ok(!slow.ok && /no answer within 0.3 s/.test(slow.error), JSON.stringify(slow));
      assert.strictEqual(slow.ok ? '' : slow.using.version, PRICE_DATA.version, 'still the bundled data');
    } finally {
      for (const r of hang) r.destroy();
      await s.close();
    }
    assert.ok(!fs.existsSync(file), 'nothing cached');
    const p = lookupPrice('gpt-4o');
    assert.ok(p.priced && p.input.baseUsdPerMillion !== 123);
  });

  it('a damaged cache falls back to the bundled data and says why', () => {
    const file = path.join(tempDir('pc-prices-'), 'p.json');
    fs.writeFileSync(file, '{"format":1,"fetchedAt":"2026-12-01","providers":[]}');
    loadCachedPrices(priceDatabase(), file);
    assert.strictEqual(priceDataInfo().from, 'bundled');
    assert.match(priceDataInfo().problem ?? '', /bundled prices/);
  });

  it('the URL comes from the command line or the environment, never from .promptcost.yaml', async () => {
    const config = parseConfig('pricesUrl: http://127.0.0.1:1/evil\n');
    assert.strictEqual(config.problems.length, 1, 'no such setting in the workspace file');
    assert.strictEqual(PRICE_URL_ENV, 'PROMPT_COST_PRICES_URL');
    const s = await serve((_req, res) => res.end(changedJson));
    const cacheDir = tempDir('pc-prices-cli-');
    const before = process.env.PROMPT_COST_CACHE_DIR;
    process.env[PRICE_URL_ENV] = `${s.url}/env`;
    process.env.PROMPT_COST_CACHE_DIR = cacheDir;
    try {
      const t = io(cacheDir);
      assert.strictEqual(await run(['prices', '--update'], t.io), 0, t.err.join(''));
      assert.match(t.out.join(''), new RegExp(`Prices updated: .* from ${s.url}/env`));
      assert.ok(fs.existsSync(path.join(cacheDir, 'prices', 'genai-prices-data.json')));
      const status = io(cacheDir);
      assert.strictEqual(await run(['prices'], status.io), 0);
      assert.match(status.out.join(''), /update of \d{4}-\d\d-\d\d/);
      const failed = io(cacheDir);
      assert.strictEqual(await run(['prices', '--update', '--url', `${s.url.replace(/:\d+$/, ':1')}/x`, '--timeout', '2'], failed.io), 2);
      assert.match(failed.err.join(''), /the price update failed: .*Still using/);
      const help = io(cacheDir);
      assert.strictEqual(await run(['prices', '--help'], help.io), 0);
      assert.match(help.out.join(''), /--update/);
    } finally {
      delete process.env[PRICE_URL_ENV];
      process.env.PROMPT_COST_CACHE_DIR = before;
      await s.close();
    }
  });
});
