import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { Engine, type DetectOptions } from '../../src/core/analyze';
import { emptyConfig } from '../../src/core/config';
import { ensureLanguages } from '../../src/core/detect/code';
import { DetectionCache } from '../../src/core/detectionCache';
import { TokenCounter } from '../../src/core/tokens';
import { tempDir } from '../tempDir';

const PROMPTS = "export const SYSTEM = 'You are a precise assistant that answers with citations only.';\n";
const APP = "import OpenAI from 'openai';\nimport { SYSTEM } from './prompts';\nconst c = new OpenAI();\nc.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'system', content: SYSTEM }, { role: 'user', content: 'Hi' }] });\n";

describe('detection cache', () => {
  let dir: string;
  let files: Map<string, string>;
  const options = (heuristics = true): DetectOptions => ({ heuristics, readWorkspaceFile: (p) => files.get(p) });

  before(() => ensureLanguages(['typescript']));
  beforeEach(() => {
    dir = tempDir('pc-detcache-');
    files = new Map([['src/prompts.ts', PROMPTS], ['src/app.ts', APP]]);
  });

  /** Detects src/app.ts with recording readers and stores it, as the language server does. */
  function detectAndStore(cache: DetectionCache, counts: [string, number][] = []) {
    const recorded = DetectionCache.recording(options());
    const detection = new Engine().detectSync('src/app.ts', APP, recorded.options);
    cache.put('src/app.ts', APP, options(), detection, recorded.reads, counts);
    return detection;
  }

  it('gives back what was stored for the same text, with the text and counts', () => {
    const cache = new DetectionCache(dir, 'build-1');
    const detection = detectAndStore(cache, [['o200k_base:abc', 7]]);
    assert.strictEqual(detection.detected.length, 1);
    assert.ok(detection.detected[0].parts.some((p) => p.file === 'src/prompts.ts'), 'the import was followed');
    const hit = cache.get('src/app.ts', APP, options());
    assert.ok(hit);
    assert.deepStrictEqual(JSON.parse(JSON.stringify(hit.detection)), JSON.parse(JSON.stringify(detection)));
    assert.deepStrictEqual(hit.counts, [['o200k_base:abc', 7]]);
  });

  it('misses when the text, the heuristics setting or the build differ', () => {
    detectAndStore(new DetectionCache(dir, 'build-1'));
    const cache = new DetectionCache(dir, 'build-1');
    assert.ok(cache.get('src/app.ts', APP, options()));
    assert.strictEqual(cache.get('src/app.ts', APP + '\n', options()), undefined);
    assert.strictEqual(cache.get('src/app.ts', APP, options(false)), undefined);
    assert.strictEqual(cache.get('src/other.ts', APP, options()), undefined);
    assert.strictEqual(new DetectionCache(dir, 'build-2').get('src/app.ts', APP, options()), undefined);
  });

  it('misses when a file the detection read has changed or gone', () => {
    const cache = new DetectionCache(dir, 'build-1');
    detectAndStore(cache);
    files.set('src/prompts.ts', PROMPTS.replace('precise', 'terse'));
    assert.strictEqual(cache.get('src/app.ts', APP, options()), undefined, 'imported constant edited');
    files.delete('src/prompts.ts');
    assert.strictEqual(cache.get('src/app.ts', APP, options()), undefined, 'imported file deleted');
    files.set('src/prompts.ts', PROMPTS);
    assert.ok(cache.get('src/app.ts', APP, options()), 'back as it was');
  });

  it('an import the detection never looks at is no read of it: an edit of that module keeps the entry; an edit of one it follows does not', () => {
    const app = `import { Button } from './ui';\n${APP}`;
    files.set('src/ui.ts', "export const Button = () => 'button';\n");
    const cache = new DetectionCache(dir, 'build-1');
    const recorded = DetectionCache.recording(options());
    const detection = new Engine().detectSync('src/app.ts', app, recorded.options);
    assert.ok(detection.detected[0].parts.some((p) => p.file === 'src/prompts.ts'), 'the import it sends was followed');
    assert.ok(![...recorded.reads.workspace.keys()].some((f) => f.startsWith('src/ui')), 'no probe of ./ui');
    cache.put('src/app.ts', app, options(), detection, recorded.reads);
    files.set('src/ui.ts', "export const Button = () => 'a bigger button';\n");
    assert.ok(cache.get('src/app.ts', app, options()), 'kept: ./ui was never read');
    files.set('src/prompts.ts', PROMPTS.replace('precise', 'careful'));
    assert.strictEqual(cache.get('src/app.ts', app, options()), undefined);
  });

  it('a damaged entry is a miss, not an error; no folder means no cache', () => {
    const cache = new DetectionCache(dir, 'build-1');
    detectAndStore(cache);
    for (const f of fs.readdirSync(dir)) fs.writeFileSync(path.join(dir, f), '{"build":"build-1","file":"src/app.ts"');
    assert.strictEqual(cache.get('src/app.ts', APP, options()), undefined);
    const off = new DetectionCache(undefined, 'build-1');
    detectAndStore(off);
    assert.strictEqual(off.get('src/app.ts', APP, options()), undefined);
  });

  it('keeps a prompt file a reader takes, until a file it includes changes', () => {
    const cache = new DetectionCache(dir, 'build-1');
    const config = "prompts:\n  - file://prompt.txt\nproviders:\n  - openai:gpt-4o-mini\ntests:\n  - vars:\n      q: hi\n";
    const rel = 'evals/promptfooconfig.yaml';
    files.set('evals/prompt.txt', 'You answer billing questions for Acme in two sentences: {{q}}');
    const opts = (): DetectOptions => ({ ...options(), readRelative: (p) => files.get(path.posix.join('evals', p)) });
    assert.strictEqual(DetectionCache.caches(rel, config), true);
    assert.strictEqual(DetectionCache.caches('package.json', '{ "name": "x", "version": "1.0.0" }'), false, 'no reader takes it: nothing to keep');
    const recorded = DetectionCache.recording(opts());
    const detection = new Engine().detectSync(rel, config, recorded.options);
    assert.ok(detection.detected.length > 0);
    cache.put(rel, config, opts(), detection, recorded.reads);
    assert.deepStrictEqual(JSON.parse(JSON.stringify(cache.get(rel, config, opts())?.detection)), JSON.parse(JSON.stringify(detection)));
    files.set('evals/prompt.txt', 'Something else entirely: {{q}}');
    assert.strictEqual(new DetectionCache(dir, 'build-1').get(rel, config, opts()), undefined, 'the included file changed');
  });

  it('a run that stores a detection lists the folder to prune it at most once an hour (a stamp beside it)', () => {
    const fsm = require('fs') as typeof import('fs'); // eslint-disable-line @typescript-eslint/no-require-imports
    const { readdirSync } = fsm;
    let listed = 0;
    (fsm as { readdirSync: unknown }).readdirSync = (p: fs.PathLike, o?: unknown) => {
      if (path.resolve(String(p)) === path.resolve(dir)) listed++;
      return (readdirSync as (p: fs.PathLike, o?: unknown) => unknown)(p, o);
    };
    try {
      const put = (i: number) => {
        const text = `${APP}// ${i}\n`;
        new DetectionCache(dir, 'build-1').put('src/app.ts', text, options(), new Engine().detectSync('src/app.ts', text, options()), { workspace: new Map(), relative: new Map() });
      };
      put(1);
      assert.strictEqual(listed, 1, 'the first run prunes');
      put(2);
      put(3);
      assert.strictEqual(listed, 1, 'runs within the hour do not list the folder');
      const old = new Date(Date.now() - 2 * 3_600_000);
      fs.utimesSync(`${dir}.pruned`, old, old);
      put(4);
      assert.strictEqual(listed, 2, 'an hour later, pruned again');
    } finally {
      (fsm as { readdirSync: unknown }).readdirSync = readdirSync;
    }
  });

  it('keeps notebooks out, and prunes the oldest entries', () => {
    const cache = new DetectionCache(dir, 'build-1');
    assert.strictEqual(DetectionCache.caches('chat.prompt.yml'), false, 'a prompt file without its text: unknown, not kept');
    assert.strictEqual(DetectionCache.caches('nb.ipynb'), false);
    assert.strictEqual(DetectionCache.caches('app.py'), true);
    for (let i = 0; i < 8; i++) {
      const text = `${APP}// ${i}\n`;
      cache.put('src/app.ts', text, options(), new Engine().detectSync('src/app.ts', text, options()), { workspace: new Map(), relative: new Map() });
      const entry = fs.readdirSync(dir).map((f) => path.join(dir, f)).sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)[0];
      fs.utimesSync(entry, new Date(2020, 0, 1 + i), new Date(2020, 0, 1 + i));
    }
    cache.prune(5);
    assert.strictEqual(fs.readdirSync(dir).length, 4);
    assert.ok(cache.get('src/app.ts', `${APP}// 7\n`, options()), 'the newest entry is kept');
    assert.strictEqual(cache.get('src/app.ts', `${APP}// 0\n`, options()), undefined, 'the oldest is gone');
  });
});

describe('token counts between sessions', () => {
  it('recordCounts gives the keys and counts a later counter is seeded with', () => {
    const first = new TokenCounter();
    const text = 'You are a careful support agent. Answer from the docs.';
    const counts = first.recordCounts(() => first.encodingTokens(text, 'o200k_base'));
    assert.strictEqual(counts.length, 1);
    assert.strictEqual(counts[0][1], first.encodingTokens(text, 'o200k_base'));
    // A seeded counter answers from the seed (a deliberately different number shows it was used) …
    const second = new TokenCounter();
    second.seed([[counts[0][0], 4242]]);
    assert.strictEqual(second.encodingTokens(text, 'o200k_base'), 4242);
    // … only for that exact text and encoding.
    assert.strictEqual(second.encodingTokens(text + '!', 'o200k_base'), first.encodingTokens(text + '!', 'o200k_base'));
    assert.strictEqual(second.encodingTokens(text, 'cl100k_base'), first.encodingTokens(text, 'cl100k_base'));
  });

  it('pricing counts go through the counter, chat overhead included', async () => {
    const engine = new Engine();
    const detection = engine.detectSync('src/app.ts', APP, { readWorkspaceFile: (p) => (p === 'src/prompts.ts' ? PROMPTS : undefined) });
    const counts = engine.counter.recordCounts(() => engine.price(detection, { config: emptyConfig() }));
    const seeded = new Engine();
    // Every count pricing needs, seeded as 1 token: the report must reflect the seeds and nothing else.
    seeded.counter.seed(counts.map(([k]) => [k, 1]));
    const withSeeds = seeded.price(detection, { config: emptyConfig() }).prompts[0];
    const real = engine.price(detection, { config: emptyConfig() }).prompts[0];
    assert.ok(real.tokens.input > withSeeds.tokens.input);
    // two messages: 3 priming + 2 × (3 per message + 1 for the role) + 2 contents of 1 = 13
    assert.strictEqual(withSeeds.tokens.input, 13);
  });
});
