// Exact and estimated token counts are labelled the same way wherever a count is printed: a count for
// an OpenAI model is exact (tiktoken) and shown bare; any other model's is an estimate, shown "≈N" —
// in the table, Markdown and diff (covered with them), the diagnostics' messages and `explain`.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Engine } from '../../src/core/analyze';
import { parseConfig } from '../../src/core/config';
import { tempDir } from '../tempDir';

const CLI = path.join(__dirname, '..', '..', 'dist', 'cli.js');
const RULES = Array.from({ length: 120 }, (_, i) => `Rule ${i + 1}: cite the refund policy section and never promise a refund.`).join(' ');
const call = (model: string) => `import anthropic
client = anthropic.Anthropic()

def answer(q):
    return client.messages.create(
        model="${model}",
        max_tokens=300,
        system="You answer billing questions. ${RULES}",
        messages=[{"role": "user", "content": q}],
    )
`;
const openaiCall = `import OpenAI from 'openai';
const c = new OpenAI();
export const ask = (q: string) => c.chat.completions.create({
  model: 'gpt-4o',
  messages: [{ role: 'system', content: 'You answer billing questions. ${RULES}' }, { role: 'user', content: q }],
});
`;

describe('exact and estimated counts are labelled alike everywhere', function () {
  this.timeout(60_000);
  const config = parseConfig('thresholds:\n  promptTokens: 100\n');

  it('diagnostic messages: "≈N tokens" for an estimate, "N tokens" for an exact count', async () => {
    const claude = await new Engine().analyze('bot.py', call('claude-sonnet-4-5'), { config });
    const messages = claude.prompts[0].diagnostics.map((d) => `${d.code}: ${d.message}`);
    assert.ok(!claude.prompts[0].tokens.exact);
    assert.ok(messages.some((m) => /^anthropic-cache-control-missing: The static system prompt \(≈[\d,]+ cacheable tokens/.test(m)), messages.join('\n'));
    assert.ok(messages.some((m) => /^prompt-over-budget: Prompt is ≈[\d,]+ input tokens, over the limit of 100 /.test(m)), messages.join('\n'));
    const gpt = await new Engine().analyze('bot.ts', openaiCall, { config });
    const exact = gpt.prompts[0].diagnostics.map((d) => `${d.code}: ${d.message}`);
    assert.ok(gpt.prompts[0].tokens.exact);
    assert.ok(exact.some((m) => /^prompt-over-budget: Prompt is [\d,]+ input tokens/.test(m)), exact.join('\n'));
    assert.ok(exact.some((m) => /^cacheable-prefix: [\d,]+-token stable prefix/.test(m)), exact.join('\n'));
    assert.ok(!exact.some((m) => m.includes('≈')), exact.join('\n'));
  });

  it('explain: ≈ on the estimated input in the price arithmetic, and the legend', () => {
    const dir = tempDir('pc-estimate-');
    fs.writeFileSync(path.join(dir, 'bot.py'), call('claude-sonnet-4-5'));
    fs.writeFileSync(path.join(dir, 'bot.ts'), openaiCall);
    const explain = (at: string) => spawnSync(process.execPath, [CLI, 'explain', at], { cwd: dir, encoding: 'utf8', env: { ...process.env, PROMPT_COST_CACHE_DIR: '' } });
    const claude = explain('bot.py:5');
    assert.strictEqual(claude.status, 0, claude.stderr);
    assert.match(claude.stdout, /uncached input\s+\$[\d.]+\s+≈[\d,.]+ tokens × \$3\/M/);
    assert.match(claude.stdout, /\n≈ marks estimated token counts \(o200k_base × the model family's factor\)\.\n$/);
    const gpt = explain('bot.ts:3');
    assert.strictEqual(gpt.status, 0, gpt.stderr);
    assert.match(gpt.stdout, /uncached input\s+\$[\d.]+\s+[\d,.]+ tokens × /);
    assert.doesNotMatch(gpt.stdout, /≈/);
    assert.match(gpt.stdout, /\nToken counts are exact \(o200k_base, tiktoken\)\.\n$/);
  });

  // Tryout finding 7: a gpt-4.1 call with tools (the cookbook publishes its tool constants for gpt-4o
  // only) is an estimate in its tools part alone; its text is counted exactly, as `count` says.
  it('an estimated tools part marks the tools and the input, not the exact text', async () => {
    const src = `import OpenAI from 'openai';
const c = new OpenAI();
export const ask = (q: string) => c.chat.completions.create({
  model: 'gpt-4.1',
  messages: [{ role: 'system', content: 'You answer billing questions. ${RULES}' }, { role: 'user', content: q }],
  tools: [{ type: 'function', function: { name: 'lookup_order', description: 'Find an order by id', parameters: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } } }],
});
`;
    const r = (await new Engine().analyze('bot.ts', src, { config: parseConfig('') })).prompts[0];
    assert.strictEqual(r.tokens.exact, false, 'the input includes an estimated tools part');
    assert.strictEqual(r.tokens.textExact, true);
    assert.strictEqual(r.tools?.exact, false);
    const dir = tempDir('pc-estimate-tools-');
    fs.writeFileSync(path.join(dir, 'bot.ts'), src);
    const out = spawnSync(process.execPath, [CLI, 'explain', 'bot.ts:3'], { cwd: dir, encoding: 'utf8', env: { ...process.env, PROMPT_COST_CACHE_DIR: '' } });
    assert.strictEqual(out.status, 0, out.stderr);
    assert.match(out.stdout, /system — static text\s+\d[\d,]*\s/, 'the text is shown exact');
    assert.match(out.stdout, /chat formatting overhead\s+\d+\s/);
    assert.match(out.stdout, /tools — [^]*?≈\d+/);
    assert.match(out.stdout, /input\s+≈[\d,]+\s+= [^\n]*; estimate only in the tools part \(the text is exact, o200k_base\)/);
    assert.doesNotMatch(out.stdout, /model family's factor/);
    const text = spawnSync(process.execPath, [CLI, 'count', '--model', 'gpt-4.1', 'bot.ts'], { cwd: dir, encoding: 'utf8' });
    assert.match(text.stdout, /exact/);
  });
});
