import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { Engine } from '../../src/core/analyze';
import { analyzeCache } from '../../src/core/cache/analyze';
import { cacheableTokens, cacheRuleFor, steadyHitRate } from '../../src/core/cache/rules';
import { emptyConfig } from '../../src/core/config/types';
import type { PromptReport, TextEditSpec } from '../../src/core/model';
import { lookupPrice, type ModelPricing } from '../../src/core/prices';
import { LineIndex } from '../../src/core/text';
import { countWithEncoding } from '../../src/core/tokens';
import { scanWorkspace } from '../../src/core/workspace';
import { tempDir } from '../tempDir';

/** English text of exactly `n` o200k tokens (checked, not assumed). */
function textOfTokens(n: number): string {
  const words = ['policy', 'refund', 'customer', 'answer', 'section', 'cite', 'never', 'invent'];
  let text = 'Rules';
  for (let i = 0; countWithEncoding(text, 'o200k_base') < n; i++) text += ` ${words[i % words.length]}`;
  while (countWithEncoding(text, 'o200k_base') > n) text = text.slice(0, text.lastIndexOf(' '));
  assert.strictEqual(countWithEncoding(text, 'o200k_base'), n);
  return text;
}

function apply(text: string, edits: TextEditSpec[]): string {
  const lines = new LineIndex(text);
  const sorted = [...edits].sort((a, b) => lines.offset(b.range.start) - lines.offset(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, lines.offset(e.range.start)) + e.newText + out.slice(lines.offset(e.range.end));
  return out;
}

async function analyze(file: string, text: string): Promise<PromptReport[]> {
  return (await new Engine().analyze(file, text, { config: emptyConfig() })).prompts;
}

const codes = (p: PromptReport) => p.diagnostics.map((d) => d.code);

describe('prompt caching', () => {
  describe('provider rules at their boundaries', () => {
    const cases: [string, string, number, number | undefined][] = [
      ['openai', 'gpt-4o', 1024, 128],
      ['openai', 'gpt-5-mini', 1024, 128],
      ['anthropic', 'claude-sonnet-4-5', 1024, undefined],
      ['anthropic', 'claude-opus-4-1', 1024, undefined],
      ['anthropic', 'claude-haiku-4-5', 4096, undefined],
      ['anthropic', 'claude-opus-4-5', 4096, undefined],
      ['anthropic', 'claude-3-5-haiku-20241022', 2048, undefined],
      ['google', 'gemini-2.5-flash', 1024, undefined],
      ['google', 'gemini-2.5-pro', 4096, undefined],
      ['deepseek', 'deepseek-chat', 64, 64],
    ];
    for (const [provider, model, min, step] of cases) {
      it(`${model}: ${min - 1} tokens are not cached, ${min} are${step ? `, then in ${step}-token steps` : ''}`, () => {
        const rule = cacheRuleFor(provider, model)!;
        assert.ok(rule, 'has a rule');
        assert.strictEqual(cacheableTokens(rule, min - 1), 0);
        assert.strictEqual(cacheableTokens(rule, min), min);
        if (step) {
          assert.strictEqual(cacheableTokens(rule, min + step - 1), min);
          assert.strictEqual(cacheableTokens(rule, min + step), min + step);
        } else assert.strictEqual(cacheableTokens(rule, min + 77), min + 77);
      });
    }
    it('a model with no rule gets no claim', () => {
      assert.strictEqual(cacheRuleFor('openai', 'gpt-3.5-turbo'), undefined);
      assert.strictEqual(cacheRuleFor('mistral', 'mistral-large'), undefined);
      assert.strictEqual(cacheRuleFor(undefined, 'gpt-4o'), undefined);
    });
    it('hit rate at steady traffic: a call misses only when the gap since the last one exceeds the 5-minute lifetime', () => {
      const rule = cacheRuleFor('anthropic', 'claude-sonnet-4-5')!;
      // Random arrivals, λT calls per lifetime: P(gap > T) = e^(−λT). Each hit restarts the lifetime,
      // so one call per window on average already hits 63% of the time (not 0%: that model had the
      // entry expire 5 minutes after it was written).
      // To 4 decimals, the precision every output prints it at.
      assert.strictEqual(steadyHitRate(rule, 288), Math.round((1 - Math.exp(-1)) * 1e4) / 1e4);
      assert.strictEqual(steadyHitRate(rule, 1440), 0.9933); // 1 − e^−5
      // 10 calls a window: a miss in 22,000 rounds to none, so no cache writes priced at 10^−16 of a call.
      assert.strictEqual(steadyHitRate(rule, 2880), 1);
      assert.strictEqual(steadyHitRate(rule, 10_000), 1);
      assert.ok(Math.abs(steadyHitRate(rule, 500) - 0.8238) < 1e-4); // one call every 2.9 minutes
      assert.ok(steadyHitRate(rule, 1000) / steadyHitRate(rule, 500) < 1.2, 'twice the traffic is not five times the saving');
      assert.strictEqual(steadyHitRate(rule, 0), 0);
    });
  });

  it('the cost of an Anthropic call with cache_control, by hand', () => {
    // claude-sonnet-4-5: $3/M input, $3.75/M cache write, $0.30/M cache read, $15/M output.
    // 5,000 input tokens of which 4,000 cached; 500 output; 1,440 calls/day → 5 per 5-minute window,
    // hit rate 1 − e^−5 to 4 decimals (0.9933): reads 4,000·h, writes 4,000·(1 − h), uncached 1,000 per call.
    const pricing = lookupPrice('claude-sonnet-4-5') as ModelPricing;
    const r = analyzeCache({
      rule: cacheRuleFor('anthropic', 'claude-sonnet-4-5')!, pricing, inputTokens: 5000, outputTokens: 500, callsPerDay: 1440, daysPerMonth: 30,
      parts: [{ overheadTokens: 0, runs: [4000], slots: [], cacheControl: true }, { overheadTokens: 0, runs: [0, 1000], slots: [{ name: 'question' }], cacheControl: false }],
    })!;
    const h = 0.9933;
    const perCall = (1000 * 3 + 4000 * h * 0.3 + 4000 * (1 - h) * 3.75 + 500 * 15) / 1e6; // ≈ 0.0117
    assert.ok(Math.abs(r.cost.perCallUsd! - perCall) < 1e-12, `${r.cost.perCallUsd} vs ${perCall}`);
    assert.ok(Math.abs(r.cost.monthlyUsd! - perCall * 1440 * 30) < 1e-9);
    assert.ok(Math.abs(r.report.monthlyWithoutCacheUsd - ((5000 * 3 + 500 * 15) / 1e6) * 1440 * 30) < 1e-9);
    assert.strictEqual(r.report.applied, true);
    assert.strictEqual(r.report.cacheablePrefixTokens, 4000);
  });

  it('OpenAI: a 1,023-token stable prefix is not cacheable, 1,024 is (system message overhead included)', async () => {
    // Each message costs 4 tokens of formatting (3 + the role): the system message before its text, and
    // the user message before its run-time content, so the stable prefix is the text + 8.
    for (const [textTokens, cacheable] of [[1015, false], [1016, true]] as const) {
      const text = `import OpenAI from 'openai';\nconst c = new OpenAI();\nconst SYSTEM = '${textOfTokens(textTokens)}';\nc.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'system', content: SYSTEM }, { role: 'user', content: q }] });\n`;
      const [p] = await analyze('a.ts', text);
      assert.strictEqual(p.cache!.stablePrefixTokens, textTokens + 4 + 4); // + the user message's formatting
      assert.strictEqual(codes(p).includes('cacheable-prefix'), cacheable, `${textTokens} text tokens`);
      assert.strictEqual(p.cache!.applied, cacheable);
    }
  });

  it('the scan JSON carries cache.cacheablePrefixTokens and cache.savingsMonthlyUsd; caching lowers the month', async () => {
    const text = `from openai import OpenAI\nclient = OpenAI()\nSYSTEM = "${textOfTokens(1500)}"\nclient.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": SYSTEM}, {"role": "user", "content": q}])\n`;
    const [p] = await analyze('a.py', text);
    assert.strictEqual(p.cache!.cacheablePrefixTokens, 1024 + 3 * 128); // 1,508 stable → 1,408 in 128-token steps
    assert.ok(p.cache!.savingsMonthlyUsd > 0);
    assert.ok(Math.abs(p.cost.monthlyUsd! - p.cache!.monthlyWithCacheUsd) < 1e-9, 'the month as priced includes automatic caching');
    assert.ok(p.cost.monthlyUsd! < p.cache!.monthlyWithoutCacheUsd);
  });

  describe('cache-breakers', () => {
    const LONG = textOfTokens(1300);

    it('TypeScript template literal: diagnostic at the value, quick fix moves it after the static text', async () => {
      const text = `import OpenAI from 'openai';\nconst c = new OpenAI();\nexport const ask = (q: string) => c.chat.completions.create({\n  model: 'gpt-4o',\n  messages: [{ role: 'system', content: \`Today is \${new Date().toISOString()}.\n${LONG}\nBe brief.\` }, { role: 'user', content: q }],\n});\n`;
      const [p] = await analyze('a.ts', text);
      const d = p.diagnostics.find((x) => x.code === 'cache-breaker')!;
      assert.ok(d, codes(p).join());
      assert.match(d.message, /`new Date\(\)\.toISOString\(\)` changes on every call and sits before 1,[0-9]{3} tokens .*\$[\d.,]+\/month lost/);
      assert.strictEqual(d.range.start.line, 4);
      const fixed = apply(text, d.fix!.edits);
      assert.strictEqual(fixed, text.replace(`\`Today is \${new Date().toISOString()}.\n${LONG}\nBe brief.\``, `\`${LONG}\nBe brief.\nToday is \${new Date().toISOString()}.\``));
      const [after] = await analyze('a.ts', fixed);
      assert.ok(!codes(after).includes('cache-breaker'), 're-parsed: no breaker');
      assert.ok(codes(after).includes('cacheable-prefix'));
      assert.ok(after.cost.monthlyUsd! < p.cost.monthlyUsd!);
    });

    it('Python f-string: the same, with the f-string kept an f-string', async () => {
      const text = `from openai import OpenAI\nclient = OpenAI()\n\ndef ask(user_name, q):\n    system = f"""Hello {user_name}!\n${LONG}\nAnswer briefly."""\n    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": system}, {"role": "user", "content": q}])\n`;
      const [p] = await analyze('a.py', text);
      const d = p.diagnostics.find((x) => x.code === 'cache-breaker')!;
      assert.ok(d, codes(p).join());
      assert.match(d.message, /`user_name`/);
      const fixed = apply(text, d.fix!.edits);
      assert.ok(fixed.includes(`f"""${LONG}\nAnswer briefly.\nHello {user_name}!"""`), fixed.slice(60, 200));
      const [after] = await analyze('a.py', fixed);
      assert.ok(!codes(after).includes('cache-breaker'));
      assert.ok(after.cache!.applied);
    });

    it('concatenation: reported, but no quick fix (not a simple reorder)', async () => {
      const text = `import OpenAI from 'openai';\nconst c = new OpenAI();\nconst BODY = '${LONG}';\nexport const ask = (q: string, user: string) => c.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'system', content: 'User: ' + user + '\\n' + BODY }, { role: 'user', content: q }] });\n`;
      const [p] = await analyze('a.ts', text);
      const d = p.diagnostics.find((x) => x.code === 'cache-breaker')!;
      assert.ok(d, codes(p).join());
      assert.strictEqual(d.fix, undefined);
    });

    it('under a dollar a month lost it is information, not a warning; at real traffic a warning', async () => {
      const call = (perDay: number) => `import OpenAI from 'openai';\nconst c = new OpenAI();\n// prompt-cost: callsPerDay=${perDay}\nexport const ask = (q: string) => c.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'system', content: \`Today is \${new Date().toISOString()}.\n${LONG}\` }, { role: 'user', content: q }] });\n`;
      const breaker = async (perDay: number) => (await analyze('a.ts', call(perDay)))[0].diagnostics.find((x) => x.code === 'cache-breaker')!;
      const few = await breaker(2);
      assert.match(few.message, /\$0\.\d+\/month lost/);
      assert.strictEqual(few.severity, 'information');
      assert.match(few.message, /that OpenAI could otherwise cache: .*At this traffic moving it after the static text is worth little\./);
      assert.strictEqual((await breaker(5000)).severity, 'warning');
    });

    it('a value after the static text is no breaker', async () => {
      const text = `import OpenAI from 'openai';\nconst c = new OpenAI();\nexport const ask = (q: string) => c.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'system', content: \`${LONG}\nToday is \${new Date().toISOString()}.\` }, { role: 'user', content: q }] });\n`;
      const [p] = await analyze('a.ts', text);
      assert.ok(!codes(p).includes('cache-breaker'));
      assert.ok(codes(p).includes('cacheable-prefix'));
    });
  });

  describe('anthropic-cache-control-missing', () => {
    const LONG = textOfTokens(1500);

    it('TypeScript: quick fix rewrites system into the block form, keeping the quotes', async () => {
      const text = `import Anthropic from '@anthropic-ai/sdk';\nconst a = new Anthropic();\nexport const ask = (q: string) => a.messages.create({\n  model: 'claude-sonnet-4-5',\n  max_tokens: 500,\n  system: "${LONG}",\n  messages: [{ role: 'user', content: q }],\n});\n`;
      const [p] = await analyze('a.ts', text);
      const d = p.diagnostics.find((x) => x.code === 'anthropic-cache-control-missing')!;
      assert.ok(d, codes(p).join());
      assert.ok(!codes(p).includes('cacheable-prefix'), 'one diagnostic, not two');
      const fixed = apply(text, d.fix!.edits);
      assert.ok(fixed.includes(`  system: [{ type: "text", text: "${LONG}", cache_control: { type: "ephemeral" } }],\n`));
      const [after] = await analyze('a.ts', fixed);
      assert.ok(after.cache!.applied, 'cached after the fix');
      assert.ok(!codes(after).includes('anthropic-cache-control-missing'));
      assert.ok(after.cost.monthlyUsd! < p.cost.monthlyUsd!);
    });

    it('a system prompt imported from another file: the note sits on the call\'s system argument, not on the user message', async () => {
      const dir = tempDir('pc-ccm-');
      fs.writeFileSync(path.join(dir, 'prompts.ts'), `export const SYSTEM = "${LONG}";\n`);
      fs.writeFileSync(path.join(dir, 'ask.ts'), `import Anthropic from '@anthropic-ai/sdk';\nimport { SYSTEM } from './prompts';\nconst a = new Anthropic();\nexport const ask = (q: string) => a.messages.create({\n  model: 'claude-sonnet-4-5',\n  max_tokens: 500,\n  system: SYSTEM,\n  messages: [{ role: 'user', content: \`Question: \${q}\` }],\n});\n`);
      const r = await scanWorkspace({ root: dir, workers: 0 });
      const p = r.prompts.find((x) => x.file === 'ask.ts')!;
      const d = p.diagnostics.find((x) => x.code === 'anthropic-cache-control-missing')!;
      assert.ok(d, codes(p).join());
      assert.strictEqual(d.range.start.line, 6, 'on `system: SYSTEM`');
    });

    it('Python: the dict form, single quotes kept', async () => {
      const text = `import anthropic\nclient = anthropic.Anthropic()\nSYSTEM = '${LONG}'\nclient.messages.create(model="claude-sonnet-4-5", max_tokens=500, system='${LONG}', messages=[{"role": "user", "content": q}])\n`;
      const [p] = await analyze('a.py', text);
      const d = p.diagnostics.find((x) => x.code === 'anthropic-cache-control-missing')!;
      const fixed = apply(text, d.fix!.edits);
      assert.ok(fixed.includes(`system=[{'type': 'text', 'text': '${LONG}', 'cache_control': {'type': 'ephemeral'}}]`));
      const [after] = await analyze('a.py', fixed);
      assert.ok(after.cache!.applied);
    });

    it("below the model's minimum: nothing to say", async () => {
      const text = `import Anthropic from '@anthropic-ai/sdk';\nconst a = new Anthropic();\na.messages.create({ model: 'claude-haiku-4-5', max_tokens: 10, system: '${textOfTokens(2000)}', messages: [{ role: 'user', content: q }] });\n`;
      const [p] = await analyze('a.ts', text);
      assert.ok(!codes(p).includes('anthropic-cache-control-missing'), 'Haiku 4.5 needs 4,096 tokens');
    });
  });

  it('shared-prefix: prompts that start with the same long static text are grouped in the scan', async () => {
    const dir = tempDir('pc-shared-');
    const system = textOfTokens(1200);
    fs.writeFileSync(path.join(dir, 'prompts.ts'), `export const SYSTEM = '${system}';\n`);
    for (const name of ['a', 'b']) {
      fs.writeFileSync(path.join(dir, `${name}.ts`), `import OpenAI from 'openai';\nimport { SYSTEM } from './prompts';\nconst c = new OpenAI();\nexport const ${name} = (q: string) => c.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'system', content: SYSTEM }, { role: 'user', content: '${name} ' + q }] });\n`);
    }
    const r = await scanWorkspace({ root: dir, workers: 0 });
    assert.strictEqual(r.sharedPrefixes?.length, 1);
    assert.deepStrictEqual(r.sharedPrefixes![0].prompts.sort(), ['a.ts:4', 'b.ts:4']);
    assert.ok(r.sharedPrefixes![0].tokens >= 1200);
    assert.ok(r.prompts.every((p) => codes(p).includes('shared-prefix')));
  });
});
