import * as assert from 'assert';
import { consentKey, consentQuestion, ensureConsent, type ConsentQuestion, type ConsentRequest } from '../../src/extension/compressConsent';

class MemoryStore {
  readonly values = new Map<string, unknown>();
  get<T>(key: string): T | undefined { return this.values.get(key) as T | undefined; }
  async update(key: string, value: unknown): Promise<void> { this.values.set(key, value); }
}

const request = (host: string): ConsentRequest => ({
  host, model: 'gpt-4o-mini', file: 'src/bot.ts', line: 7, requestTokens: 1234, requestCostUsd: 0.00021, sent: 'Rewrite: You are a support assistant for [[V1]].',
});

describe('compress consent (before the first request to a host)', () => {
  it('says what is sent, to which host, its tokens and its own cost', () => {
    const q = consentQuestion(request('api.example.test'));
    assert.strictEqual(q.message, 'Send this prompt to api.example.test?');
    assert.match(q.detail, /src\/bot\.ts:7 \(1,234 tokens/);
    assert.match(q.detail, /to api\.example\.test for gpt-4o-mini/);
    assert.match(q.detail, /costs about \$0\.00021/);
    assert.match(q.detail, /support assistant for \[\[V1\]\]/, 'the text itself is shown');
    assert.match(consentQuestion({ ...request('h'), requestCostUsd: undefined }).detail, /unknown amount \(the model is not in the price data\)/);
    assert.ok(consentQuestion({ ...request('h'), sent: 'x'.repeat(5000) }).detail.endsWith('x…'), 'a long prompt is cut');
  });

  it('asks once per host, remembers a yes for that host only, and keeps asking after a no', async () => {
    const store = new MemoryStore();
    const asked: ConsentQuestion[] = [];
    let reply: string | undefined;
    const ask = async (q: ConsentQuestion) => { asked.push(q); return reply; };

    reply = undefined; // the dialog dismissed
    assert.strictEqual(await ensureConsent(store, request('a.test'), ask), false);
    assert.strictEqual(store.get(consentKey('a.test')), undefined, 'a no is not remembered');
    reply = 'Send';
    assert.strictEqual(await ensureConsent(store, request('a.test'), ask), true);
    assert.strictEqual(asked.length, 2);
    assert.strictEqual(await ensureConsent(store, request('a.test'), ask), true);
    assert.strictEqual(asked.length, 2, 'the yes is remembered for a.test');
    reply = undefined;
    assert.strictEqual(await ensureConsent(store, request('b.test:8080'), ask), false, 'another host is asked again');
    assert.strictEqual(asked.length, 3);
    assert.strictEqual(asked[2].message, 'Send this prompt to b.test:8080?');
  });
});
