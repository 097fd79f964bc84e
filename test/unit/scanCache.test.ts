import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { Engine } from '../../src/core/analyze';
import { scanWorkspace } from '../../src/core/workspace';
import { tempDir } from '../tempDir';

const LONG = Array.from({ length: 20 }, (_, i) => `Rule ${i + 1}: be precise about invoices and refunds.`).join(' ');

function workspace(): string {
  const dir = tempDir('prompt-cost-scancache-');
  fs.mkdirSync(path.join(dir, 'src'));
  fs.writeFileSync(path.join(dir, 'src', 'prompts.ts'), `export const SYSTEM = 'You are the billing assistant. ${LONG}';\n`);
  fs.writeFileSync(path.join(dir, 'src', 'bot.ts'), `import OpenAI from 'openai';
import { SYSTEM } from './prompts';
const client = new OpenAI();
client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'system', content: SYSTEM }, { role: 'user', content: 'Hello there, how are you?' }] });
`);
  fs.writeFileSync(path.join(dir, 'src', 'triage.py'), `import anthropic\nclient = anthropic.Anthropic()\nclient.messages.create(model="claude-sonnet-4-5", max_tokens=10, system="You triage tickets. ${LONG}", messages=[])\n`);
  return dir;
}

/** An engine that counts the files it detects (parses), i.e. the files not answered from the cache. */
function countingEngine(): { engine: Engine; detected: string[] } {
  const engine = new Engine();
  const detected: string[] = [];
  const original = engine.detectSync.bind(engine);
  engine.detectSync = ((file: string, ...rest: unknown[]) => {
    detected.push(file);
    return (original as (...a: unknown[]) => ReturnType<Engine['detectSync']>)(file, ...rest);
  }) as Engine['detectSync'];
  return { engine, detected };
}

const strip = (r: Awaited<ReturnType<typeof scanWorkspace>>) => JSON.stringify({ ...r, root: '' });

describe('scan cache', () => {
  it('a warm scan of an unchanged tree parses nothing and reports the same', async () => {
    const root = workspace();
    const cacheDir = tempDir('prompt-cost-scancache-dir-');
    const cold = countingEngine();
    const first = await scanWorkspace({ root, cacheDir, workers: 0, engine: cold.engine });
    // prompts.ts holds no call, but a prompts module's texts are prompts of their own: it is parsed too
    assert.deepStrictEqual(cold.detected.sort(), ['src/bot.ts', 'src/prompts.ts', 'src/triage.py']);
    const warm = countingEngine();
    const second = await scanWorkspace({ root, cacheDir, workers: 0, engine: warm.engine, storeReport: false });
    assert.deepStrictEqual(warm.detected, []);
    assert.strictEqual(strip(second), strip(first));
    assert.ok(first.prompts.length >= 2);
  });

  it('an edited import re-detects the file that read it; a corrupt entry is ignored and rewritten', async () => {
    const root = workspace();
    const cacheDir = tempDir('prompt-cost-scancache-dir-');
    await scanWorkspace({ root, cacheDir, workers: 0, storeReport: false });
    fs.writeFileSync(path.join(root, 'src', 'prompts.ts'), `export const SYSTEM = 'You are the billing assistant. ${LONG} ${LONG}';\n`);
    const edited = countingEngine();
    const after = await scanWorkspace({ root, cacheDir, workers: 0, storeReport: false, engine: edited.engine });
    assert.deepStrictEqual(edited.detected.sort(), ['src/bot.ts', 'src/prompts.ts']);
    const fresh = await scanWorkspace({ root, workers: 0 });
    assert.strictEqual(strip(after), strip(fresh));
    for (const f of fs.readdirSync(cacheDir).filter((n) => n.endsWith('.json'))) fs.writeFileSync(path.join(cacheDir, f), '{"build": "x", "detection": 4');
    const corrupt = countingEngine();
    const again = await scanWorkspace({ root, cacheDir, workers: 0, storeReport: false, engine: corrupt.engine });
    assert.strictEqual(corrupt.detected.length, 3);
    assert.strictEqual(strip(again), strip(fresh));
    const rewritten = countingEngine();
    await scanWorkspace({ root, cacheDir, workers: 0, storeReport: false, engine: rewritten.engine });
    assert.deepStrictEqual(rewritten.detected, []);
  });

  it('another heuristics setting is another entry; no cacheDir means no cache', async () => {
    const root = workspace();
    const cacheDir = tempDir('prompt-cost-scancache-dir-');
    await scanWorkspace({ root, cacheDir, workers: 0 });
    const other = countingEngine();
    await scanWorkspace({ root, cacheDir, workers: 0, heuristics: false, engine: other.engine, storeReport: false });
    assert.strictEqual(other.detected.length, 2); // without heuristics prompts.ts holds nothing to look for
    const none = countingEngine();
    await scanWorkspace({ root, workers: 0, engine: none.engine });
    assert.strictEqual(none.detected.length, 3);
  });

  it('scan workers read and write the same cache as the main thread', async () => {
    const root = workspace();
    const cacheDir = tempDir('prompt-cost-scancache-dir-');
    const first = await scanWorkspace({ root, cacheDir, workers: 2, storeReport: false });
    const warm = countingEngine();
    const second = await scanWorkspace({ root, cacheDir, workers: 0, engine: warm.engine, storeReport: false });
    assert.deepStrictEqual(warm.detected, []);
    assert.strictEqual(strip(second), strip(first));
  });

  it('a tsconfig.json that appears later changes what every file importing through an alias reads', async () => {
    const root = tempDir('prompt-cost-scancache-alias-');
    fs.mkdirSync(path.join(root, 'src', 'lib'), { recursive: true });
    fs.writeFileSync(path.join(root, 'src', 'lib', 'prompts.ts'), `export const SYSTEM = 'You are the billing assistant. ${LONG}';\n`);
    // two files of one folder import through the alias: the second is answered from the folder's remembered config
    for (const name of ['a', 'b']) {
      fs.writeFileSync(path.join(root, 'src', `${name}.ts`), `import OpenAI from 'openai';
import { SYSTEM } from '@/lib/prompts';
new OpenAI().chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'system', content: SYSTEM }, { role: 'user', content: 'Hello from ${name}, what is due?' }] });
`);
    }
    const cacheDir = tempDir('prompt-cost-scancache-dir-');
    for (const storeReport of [true, false]) {
      fs.rmSync(path.join(root, 'tsconfig.json'), { force: true });
      const before = await scanWorkspace({ root, cacheDir, workers: 0, storeReport });
      fs.writeFileSync(path.join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@/*': ['src/*'] } } }));
      const after = await scanWorkspace({ root, cacheDir, workers: 0, storeReport });
      const fresh = await scanWorkspace({ root, workers: 0 });
      assert.strictEqual(strip(after), strip(fresh), `storeReport=${storeReport}`);
      assert.ok(after.totals.monthlyUsd > before.totals.monthlyUsd, 'the system prompt behind the alias is counted once the config maps it');
    }
  });
});
