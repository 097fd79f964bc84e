import * as assert from 'assert';
import { get_encoding } from 'tiktoken';
import { chatTokens, countWithEncoding, resolveTokenizer, TokenCounter } from '../../src/core/tokens';

import { CORPUS } from '../corpus';
import { tempDir } from '../tempDir';

describe('tokens', () => {
  for (const encoding of ['o200k_base', 'cl100k_base'] as const) {
    it(`counts exactly as tiktoken's encode_ordinary (${encoding})`, () => {
      const reference = get_encoding(encoding);
      try {
        for (const text of CORPUS) {
          assert.strictEqual(countWithEncoding(text, encoding), reference.encode_ordinary(text).length, JSON.stringify(text.slice(0, 40)));
        }
      } finally {
        reference.free();
      }
    });
  }

  it('counts special-token strings as plain text instead of throwing', () => {
    const c = new TokenCounter().count('<|endoftext|>', 'gpt-4o');
    assert.ok(c.tokens > 1, 'a special token would be 1 token; as text it is several');
  });

  it('resolves OpenAI models by prefix, including dated and provider-prefixed names', () => {
    const cases: [string, string][] = [
      ['gpt-5', 'o200k_base'], ['gpt-5.1-2026-01-01', 'o200k_base'], ['gpt-4.1-mini', 'o200k_base'], ['gpt-4o', 'o200k_base'],
      ['gpt-4o-2024-08-06', 'o200k_base'], ['openai/gpt-4o', 'o200k_base'], ['o1-preview', 'o200k_base'], ['o3-mini', 'o200k_base'],
      ['o4-mini', 'o200k_base'], ['gpt-4', 'cl100k_base'], ['gpt-4-turbo', 'cl100k_base'], ['gpt-3.5-turbo', 'cl100k_base'],
      ['GPT-4O', 'o200k_base'], ['ft:gpt-4o-mini:acme:triage:abc123', 'o200k_base'], ['ft:gpt-3.5-turbo-0125:org::x1', 'cl100k_base'],
      ['prod-gpt-4o', 'o200k_base'], ['azure/prod-gpt-35-turbo', 'cl100k_base'],
    ];
    for (const [model, encoding] of cases) {
      const r = resolveTokenizer(model);
      assert.deepStrictEqual([r.encoding, r.exact], [encoding, true], model);
    }
  });

  it('labels models without a public tokenizer as estimates, never throws on unknown names', () => {
    for (const model of ['claude-sonnet-4-5', 'anthropic/claude-3-5-haiku', 'gemini-2.0-flash', 'llama-3.3-70b', 'mistral-large', 'totally-unknown', '', '???']) {
      const r = resolveTokenizer(model);
      assert.strictEqual(r.exact, false, model);
      assert.ok(r.factor >= 1, model);
    }
    assert.strictEqual(resolveTokenizer('claude-3-5-sonnet').family, 'claude');
    assert.strictEqual(resolveTokenizer('gemini-2.5-pro').family, 'gemini');
    assert.strictEqual(resolveTokenizer('mystery-model').family, 'unknown');
    const counter = new TokenCounter();
    const exact = counter.count('The quick brown fox jumps over the lazy dog. '.repeat(20), 'gpt-4o');
    const est = counter.count('The quick brown fox jumps over the lazy dog. '.repeat(20), 'claude-3-5-sonnet');
    assert.strictEqual(est.tokens, Math.ceil(exact.tokens * resolveTokenizer('claude-3-5-sonnet').factor));
    assert.strictEqual(est.encoding, 'o200k_base');
  });

  describe("OpenAI cookbook's num_tokens_from_messages examples", () => {
    // openai-cookbook, examples/How_to_count_tokens_with_tiktoken.ipynb: these messages are 129 prompt
    // tokens on gpt-3.5-turbo/gpt-4 (cl100k_base) and 124 on gpt-4o/gpt-4o-mini (o200k_base), as counted
    // by both the notebook's function and the API.
    const messages = [
      { role: 'system', content: 'You are a helpful, pattern-following assistant that translates corporate jargon into plain English.' },
      { role: 'system', name: 'example_user', content: 'New synergies will help drive top-line growth.' },
      { role: 'system', name: 'example_assistant', content: 'Things working well together will increase revenue.' },
      { role: 'system', name: 'example_user', content: "Let's circle back when we have more bandwidth to touch base on opportunities for increased leverage." },
      { role: 'system', name: 'example_assistant', content: "Let's talk later when we're less busy about how to do better." },
      { role: 'user', content: "This late pivot means we don't have time to boil the ocean for the client deliverable." },
    ];
    it('129 tokens with cl100k_base', () => assert.strictEqual(chatTokens(messages, 'cl100k_base'), 129));
    it('124 tokens with o200k_base', () => assert.strictEqual(chatTokens(messages, 'o200k_base'), 124));
  });

  it('memoizes counts by content', () => {
    const counter = new TokenCounter();
    const memo = (counter as unknown as { memo: { get(n: string, t: string): number | undefined } }).memo;
    const text = 'memo test '.repeat(1000);
    assert.strictEqual(memo.get('o200k_base', text), undefined);
    const first = counter.encodingTokens(text, 'o200k_base');
    assert.strictEqual(memo.get('o200k_base', (' ' + text).slice(1)), first, 'an equal string from elsewhere hits the memo');
    assert.strictEqual(memo.get('cl100k_base', text), undefined, 'memo is per encoding');
  });
});

describe('tokenizer snapshots', function () {
  this.timeout(60000);
  const { execFileSync } = require('child_process') as typeof import('child_process');
  const fs = require('fs') as typeof import('fs');
  const path = require('path') as typeof import('path');
  const probe = path.join(__dirname, '..', 'snapshotProbe.ts');
  const run = (dir: string, preload?: 'await' | 'race') => JSON.parse(execFileSync(process.execPath, ['--require', 'tsx/cjs', probe], { env: { ...process.env, PROMPT_COST_CACHE_DIR: dir, PROBE_PRELOAD: preload ?? '' }, encoding: 'utf8' })) as { counts: number[]; origin: string; preloaded?: boolean };

  it('the first process builds and saves the encoder, the next restores it, with identical counts', () => {
    const dir = tempDir('pc-snap-');
    const reference = get_encoding('o200k_base');
    const expected = CORPUS.map((t) => reference.encode_ordinary(t).length);
    reference.free();
    const first = run(dir);
    assert.strictEqual(first.origin, 'built');
    assert.deepStrictEqual(first.counts, expected);
    assert.strictEqual(fs.readdirSync(dir).filter((f) => f.endsWith('.snapshot')).length, 1);
    const second = run(dir);
    assert.strictEqual(second.origin, 'snapshot');
    assert.deepStrictEqual(second.counts, expected);
  });

  it('restored off the main thread (preloadEncoder), or counted while that restore is still reading', () => {
    const dir = tempDir('pc-snap-');
    const reference = get_encoding('o200k_base');
    const expected = CORPUS.map((t) => reference.encode_ordinary(t).length);
    reference.free();
    assert.strictEqual(run(dir, 'await').preloaded, false, 'no snapshot yet: nothing to preload');
    const preloaded = run(dir, 'await');
    assert.strictEqual(preloaded.preloaded, true);
    assert.strictEqual(preloaded.origin, 'snapshot');
    assert.deepStrictEqual(preloaded.counts, expected);
    // A count that cannot wait takes an instance of its own; the preload is then dropped, not mixed in.
    const race = run(dir, 'race');
    assert.strictEqual(race.preloaded, false);
    assert.deepStrictEqual(race.counts, [...expected, ...expected]);
  });

  it('a damaged snapshot is ignored: the encoder is built again and counts stay exact', () => {
    const dir = tempDir('pc-snap-');
    run(dir);
    const file = path.join(dir, fs.readdirSync(dir).find((f) => f.endsWith('.snapshot'))!);
    const data = fs.readFileSync(file);
    // Keep the header, scramble the memory: the probe check (or a WASM trap) must catch it.
    for (let i = data.readUInt32LE(0) + 4; i < data.length; i += 7) data[i] ^= 0x5a;
    fs.writeFileSync(file, data);
    const reference = get_encoding('o200k_base');
    const expected = CORPUS.map((t) => reference.encode_ordinary(t).length);
    reference.free();
    const r = run(dir);
    assert.deepStrictEqual(r.counts, expected);
    assert.strictEqual(r.origin, 'built');
    fs.writeFileSync(file, data.subarray(0, 1000)); // truncated
    assert.deepStrictEqual(run(dir).counts, expected);
  });
});
