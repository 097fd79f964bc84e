// `prompt-cost compress` end to end: the real `openai` SDK against an OpenAI-compatible server started on
// 127.0.0.1 (test/fakeOpenAI.ts), with deterministic rewrites and each way an endpoint misbehaves.
import * as assert from 'assert';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { run } from '../../src/cli/main';
import { Engine } from '../../src/core/analyze';
import { emptyConfig } from '../../src/core/config/types';
import { chatRewrite, finishCompress, planCompress } from '../../src/core/compress';
import { apiError, completion, rewriting, startFakeOpenAI, type FakeOpenAI } from '../fakeOpenAI';
import { tempDir } from '../tempDir';
import { LineIndex } from '../../src/core/text';

/** `ask` stands for a terminal on standard input (its answers); without it, stdin is not a terminal. */
async function cli(args: string[], cwd: string, env: Record<string, string | undefined> = { OPENAI_API_KEY: 'sk-test-key' }, ask?: (question: string) => Promise<string | undefined>) {
  let stdout = '';
  let stderr = '';
  const code = await run(args, { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), readStdin: () => Buffer.from(''), stderrIsTTY: false, cwd, env, ask });
  return { code, stdout, stderr };
}

// The seed's example: a six-sentence support prompt that says what four terse lines say.
const SUPPORT = [
  'You are a friendly and helpful customer support assistant working for Acme Corporation, and you always do your best to help.',
  'When you answer a question from {customer_name}, please make sure that your answer is as concise and to the point as you possibly can.',
  'You should never, under any circumstances, promise refunds or discounts to the customer, even if they ask for them repeatedly.',
  'If you do not know the answer to a question, you should say that you do not know rather than trying to make something up.',
  'Please always reply in the same language that the customer used when they wrote their message to you.',
  'At the end of every single answer, you should ask the customer whether there is anything else that you can help them with today.',
].join(' ');
const TERSE = ['Acme support assistant. Answer [[V1]] concisely.', 'Never promise refunds or discounts.', 'If unsure, say you do not know.', "Reply in the customer's language; end by offering more help."].join('\n');

const SUPPORT_FILE = `from openai import OpenAI

client = OpenAI()

# prompt-cost: callsPerDay=20000
SYSTEM = """${SUPPORT}"""


def reply(customer_name, question):
    return client.chat.completions.create(
        model="gpt-4o",
        messages=[{"role": "system", "content": SYSTEM.format(customer_name=customer_name)}, {"role": "user", "content": question}],
    )
`;

describe('cli compress (against an OpenAI-compatible server on 127.0.0.1)', function () {
  this.timeout(60000);
  let fake: FakeOpenAI;
  let dir: string;
  beforeEach(async () => {
    dir = tempDir('prompt-cost-compress-');
    fs.writeFileSync(path.join(dir, 'support.py'), SUPPORT_FILE);
  });
  afterEach(async () => {
    await fake?.close();
  });

  it("the seed's example: six sentences → four terse lines; the saving matches `prompt-cost count` and `cost` on both texts", async () => {
    fake = await startFakeOpenAI(() => completion(TERSE));
    const r = await cli(['compress', '--yes', 'support.py:6', '--base-url', fake.baseURL, '--model', 'gpt-4o-mini', '--format', 'json'], dir);
    assert.strictEqual(r.code, 0, r.stderr + r.stdout);
    const out = JSON.parse(r.stdout);
    assert.strictEqual(out.status, 'ok');
    assert.strictEqual(out.before.text, SUPPORT);
    assert.strictEqual(out.after.text, TERSE.replace('[[V1]]', '{customer_name}'));
    assert.strictEqual(out.after.text.split('\n').length, 4);
    assert.strictEqual(out.applied, false);
    assert.deepStrictEqual(Object.keys(out).sort(), ['after', 'before', 'diff', 'file', 'line', 'model', 'promptModel', 'saved', 'senders', 'status', 'warnings', 'applied'].sort());
    // The model was sent the text with a sentinel, never the placeholder, with the key as a bearer token.
    assert.strictEqual(fake.requests.length, 1);
    const sent = fake.requests[0].body.messages.find((m) => m.role === 'user')!.content;
    assert.ok(sent.includes('[[V1]]') && !sent.includes('{customer_name}'), sent);
    assert.strictEqual(fake.requests[0].authorization, 'Bearer sk-test-key');
    assert.strictEqual(fake.requests[0].body.model, 'gpt-4o-mini');
    // `prompt-cost count` on both texts gives the same tokens.
    fs.writeFileSync(path.join(dir, 'before.txt'), out.before.text);
    fs.writeFileSync(path.join(dir, 'after.txt'), out.after.text);
    const count = async (f: string) => JSON.parse((await cli(['count', f, '--model', 'gpt-4o', '--format', 'json'], dir)).stdout).tokens as number;
    const [b, a] = [await count('before.txt'), await count('after.txt')];
    assert.deepStrictEqual([out.before.tokens, out.after.tokens, out.saved.tokens], [b, a, b - a]);
    // …and `prompt-cost cost` prices the saved tokens at the prompt's traffic (20,000 calls/day).
    const cost = JSON.parse((await cli(['cost', '--model', 'gpt-4o', '--input', String(b - a), '--output', '0', '--calls-per-day', '20000', '--format', 'json'], dir)).stdout);
    assert.strictEqual(out.saved.perCallUsd, cost.perCallUsd);
    assert.strictEqual(out.saved.monthlyUsd, cost.monthlyUsd);
    // The text format prints the diff and the saving line.
    const text = await cli(['compress', '--yes', 'support.py:6', '--base-url', fake.baseURL], dir);
    assert.strictEqual(text.code, 0);
    assert.match(text.stdout, /^--- support\.py:6 \(before\)/m);
    assert.match(text.stdout, /^\+Never promise refunds or discounts\.$/m);
    assert.match(text.stdout, new RegExp(`support\\.py:6: saves ${b - a} tokens/call \\(${b} → ${a}\\) on gpt-4o, \\$[\\d.]+/call, \\$[\\d.,]+/month · from the cache, no request · not applied`));
    console.log(`      seed example: ${b} → ${a} tokens (o200k_base), ${out.saved.perCallUsd} $/call, ${out.saved.monthlyUsd} $/month at 20,000 calls/day on gpt-4o`);
  });

  it('scan --format html: the compression lever shows the cached rewrite (whatever model wrote it), no request sent', async () => {
    const dataOf = (html: string) => JSON.parse(/<script type="application\/json" id="prompt-cost-data">(.*?)<\/script>/s.exec(html)![1]) as { prompts: { id: string; compress?: { monthlySavingsUsd: number } }[] };
    // A fresh cache folder: no rewrite yet, no lever.
    const cacheDir = tempDir('prompt-cost-lever-cache-');
    const before = process.env.PROMPT_COST_CACHE_DIR;
    process.env.PROMPT_COST_CACHE_DIR = cacheDir;
    try {
      const none = await cli(['scan', '--format', 'html', '--no-cache'], dir);
      assert.strictEqual(none.code, 0, none.stderr);
      assert.ok(dataOf(none.stdout).prompts.every((p) => !p.compress));
      fake = await startFakeOpenAI(() => completion(TERSE));
      const out = JSON.parse((await cli(['compress', '--yes', 'support.py:6', '--base-url', fake.baseURL, '--model', 'some-other-model', '--format', 'json'], dir)).stdout);
      assert.strictEqual(out.status, 'ok');
      const html = await cli(['scan', '--format', 'html', '--no-cache'], dir);
      const prompt = dataOf(html.stdout).prompts.find((p) => p.compress);
      assert.ok(prompt, 'a prompt with the compression lever');
      assert.ok(Math.abs(prompt!.compress!.monthlySavingsUsd - out.saved.monthlyUsd) < 1e-9, `${prompt!.compress!.monthlySavingsUsd} vs ${out.saved.monthlyUsd}`);
      assert.strictEqual(fake.requests.length, 1, 'the scan sent nothing');
    } finally {
      process.env.PROMPT_COST_CACHE_DIR = before;
    }
  });

  it('asking twice never sends twice (cache by content, model and endpoint); --apply writes the file', async () => {
    fake = await startFakeOpenAI(() => completion(TERSE));
    const first = await cli(['compress', '--yes', 'support.py:6', '--base-url', fake.baseURL, '--format', 'json'], dir);
    const second = await cli(['compress', '--yes', 'support.py:6', '--base-url', fake.baseURL, '--format', 'json', '--apply'], dir);
    assert.strictEqual(fake.requests.length, 1);
    assert.deepStrictEqual({ ...JSON.parse(first.stdout), applied: true }, JSON.parse(second.stdout));
    const written = fs.readFileSync(path.join(dir, 'support.py'), 'utf8');
    assert.ok(written.includes(`SYSTEM = """${TERSE.replace('[[V1]]', '{customer_name}')}"""`), written);
    // Another model is another request.
    await cli(['compress', '--yes', 'support.py:6', '--base-url', fake.baseURL, '--model', 'gpt-4.1-nano', '--format', 'json'], dir);
    assert.strictEqual(fake.requests.length, 2);
  });

  it('a rewrite that drops a placeholder is rejected, naming it (exit 1, nothing written)', async () => {
    fake = await startFakeOpenAI(() => completion('Acme support. Be concise. Never promise refunds.'));
    const r = await cli(['compress', '--yes', 'support.py:6', '--base-url', fake.baseURL, '--format', 'json', '--apply'], dir);
    assert.strictEqual(r.code, 1);
    const out = JSON.parse(r.stdout);
    assert.deepStrictEqual([out.status, out.reason, out.applied], ['rejected', 'the rewrite dropped the placeholder `{customer_name}`', false]);
    assert.strictEqual(fs.readFileSync(path.join(dir, 'support.py'), 'utf8'), SUPPORT_FILE);
  });

  it('a rewrite that invents a placeholder is rejected', async () => {
    fake = await startFakeOpenAI(() => completion('Help [[V1]] with {order_id}. Never promise refunds.'));
    const out = JSON.parse((await cli(['compress', '--yes', 'support.py:6', '--base-url', fake.baseURL, '--format', 'json'], dir)).stdout);
    assert.deepStrictEqual([out.status, out.reason], ['rejected', 'the rewrite invented a placeholder `{order_id}` the prompt does not have']);
  });

  it('a longer rewrite is "no saving" (exit 0, nothing written), and lost guards are warnings', async () => {
    fake = await startFakeOpenAI(rewriting((t) => `${t} Also, be extra careful with every word you write.`.replace('never', 'rarely')));
    const r = await cli(['compress', '--yes', 'support.py:6', '--base-url', fake.baseURL, '--format', 'json', '--apply'], dir);
    assert.strictEqual(r.code, 0);
    const out = JSON.parse(r.stdout);
    assert.strictEqual(out.status, 'no-saving');
    assert.match(out.reason, /^no saving: the rewrite is \d+ tokens, the prompt \d+$/);
    assert.strictEqual(out.applied, false);
    assert.deepStrictEqual(out.warnings, ['negation “never” is gone']);
    assert.strictEqual(fs.readFileSync(path.join(dir, 'support.py'), 'utf8'), SUPPORT_FILE);
    // The text says "no saving" once.
    const text = await cli(['compress', '--yes', 'support.py:6', '--base-url', fake.baseURL], dir);
    assert.match(text.stdout, /^support\.py:6: no saving: the rewrite is \d+ tokens, the prompt \d+$/m);
  });

  it('a rewrite identical to the text is no saving and shows no empty diff', async () => {
    fake = await startFakeOpenAI(rewriting((t) => t));
    const text = await cli(['compress', '--yes', 'support.py:6', '--base-url', fake.baseURL], dir);
    assert.strictEqual(text.code, 0, text.stderr);
    assert.match(text.stdout, /no saving/);
    assert.doesNotMatch(text.stdout, /^(---|\+\+\+) /m);
  });

  it('401: a clear error, exit 1', async () => {
    fake = await startFakeOpenAI(() => apiError(401, 'Incorrect API key provided'));
    const r = await cli(['compress', '--yes', 'support.py:6', '--base-url', fake.baseURL, '--format', 'json'], dir);
    assert.strictEqual(r.code, 1);
    const out = JSON.parse(r.stdout);
    assert.strictEqual(out.status, 'error');
    assert.match(out.reason, /refused the API key \(401\)/);
    assert.ok(!r.stdout.includes('sk-test-key') && !r.stderr.includes('sk-test-key'), 'the key never appears in output');
  });

  it('404 model and 403 say which', async () => {
    fake = await startFakeOpenAI(() => apiError(404, 'The model does not exist'));
    assert.match(JSON.parse((await cli(['compress', '--yes', 'support.py:6', '--base-url', fake.baseURL, '--model', 'nope', '--format', 'json'], dir)).stdout).reason, /has no model "nope" \(404\)/);
    fake.respond = () => apiError(403, 'forbidden');
    assert.match(JSON.parse((await cli(['compress', '--yes', 'support.py:6', '--base-url', fake.baseURL, '--model', 'nope2', '--format', 'json'], dir)).stdout).reason, /\(403\)/);
  });

  it('a server error says its status once, then what the server said', async () => {
    fake = await startFakeOpenAI(() => apiError(400, 'context too long'));
    const reason = JSON.parse((await cli(['compress', '--yes', 'support.py:6', '--base-url', fake.baseURL, '--format', 'json'], dir)).stdout).reason as string;
    assert.match(reason, /answered 400: context too long/);
    assert.doesNotMatch(reason, /400: 400/);
  });

  it('429 then OK: the SDK retries with backoff and the rewrite arrives', async () => {
    fake = await startFakeOpenAI((_, n) => (n === 1 ? apiError(429, 'Rate limit reached', { 'retry-after-ms': '20' }) : completion(TERSE)));
    const r = await cli(['compress', '--yes', 'support.py:6', '--base-url', fake.baseURL, '--format', 'json'], dir);
    assert.strictEqual(r.code, 0, r.stdout);
    assert.strictEqual(JSON.parse(r.stdout).status, 'ok');
    assert.strictEqual(fake.requests.length, 2);
  });

  it('429 every time: a message after the retries', async () => {
    fake = await startFakeOpenAI(() => apiError(429, 'Rate limit reached', { 'retry-after-ms': '5' }));
    const out = JSON.parse((await cli(['compress', '--yes', 'support.py:6', '--base-url', fake.baseURL, '--format', 'json'], dir)).stdout);
    assert.match(out.reason, /rate-limiting requests \(429\) and still was after 2 retries/);
    assert.strictEqual(fake.requests.length, 3);
  });

  it('a server that hangs: the timeout fires (exit 1)', async () => {
    fake = await startFakeOpenAI(() => ({ hang: true }));
    const r = await cli(['compress', '--yes', 'support.py:6', '--base-url', fake.baseURL, '--timeout', '0.3', '--format', 'json'], dir);
    assert.strictEqual(r.code, 1);
    assert.match(JSON.parse(r.stdout).reason, /did not answer within 0\.3 s/);
  });

  it('a body that is not a completion (an HTML page) is an error, not a rewrite', async () => {
    fake = await startFakeOpenAI(() => ({ status: 200, body: '<html><body>Welcome to the proxy</body></html>' }));
    const out = JSON.parse((await cli(['compress', '--yes', 'support.py:6', '--base-url', fake.baseURL, '--format', 'json'], dir)).stdout);
    assert.strictEqual(out.status, 'error');
    assert.match(out.reason, /not a chat completion/);
  });

  it('network down: says it could not reach the host', async () => {
    fake = await startFakeOpenAI();
    const url = fake.baseURL;
    await fake.close();
    const j = await cli(['compress', '--yes', 'support.py:6', '--base-url', url, '--format', 'json'], dir);
    assert.match(JSON.parse(j.stdout).reason, /could not reach 127\.0\.0\.1/);
    assert.match(j.stderr, /^support\.py:6: error: could not reach 127\.0\.0\.1/m);
    // In text, stdout is for the result: the error is on stderr only.
    const text = await cli(['compress', '--yes', 'support.py:6', '--base-url', url], dir);
    assert.deepStrictEqual([text.code, text.stdout], [1, '']);
    assert.match(text.stderr, /^support\.py:6: error: could not reach 127\.0\.0\.1/m);
  });

  it('no key for OpenAI: exit 2 naming OPENAI_API_KEY, nothing sent; the prompt is checked first; a server named by --base-url needs none', async () => {
    const r = await cli(['compress', '--yes', 'support.py:6'], dir, {});
    assert.strictEqual(r.code, 2);
    assert.match(r.stderr, /OPENAI_API_KEY/);
    // --format json: still one JSON object on stdout (an error), the same exit code.
    const j = await cli(['compress', '--yes', 'support.py:6', '--format', 'json'], dir, {});
    assert.strictEqual(j.code, 2);
    const out = JSON.parse(j.stdout);
    assert.strictEqual(out.status, 'error');
    assert.match(out.reason, /OPENAI_API_KEY/);
    assert.deepStrictEqual([out.file, out.line, out.applied], ['support.py', 6, false]);
    // What is wrong with the request itself comes before the key.
    const none = await cli(['compress', '--yes', 'support.py:1'], dir, {});
    assert.deepStrictEqual([none.code, /support\.py:1: no prompt here/.test(none.stderr)], [2, true]);
    const part = await cli(['compress', '--yes', 'support.py:6', '--part', '9'], dir, {});
    assert.deepStrictEqual([part.code, /--part 9 is out of range/.test(part.stderr)], [2, true]);
    // A local server (Ollama, vLLM…) without a key: the request goes there.
    fake = await startFakeOpenAI(() => completion(TERSE));
    const local = await cli(['compress', '--yes', 'support.py:6', '--base-url', fake.baseURL, '--format', 'json'], dir, {});
    assert.strictEqual(JSON.parse(local.stdout).status, 'ok', local.stderr);
    assert.strictEqual(fake.requests.length, 1);
    // …with no Authorization header at all (not a stand-in key).
    assert.strictEqual(fake.requests[0].authorization, undefined);
  });

  it('usage: --help, a bad FILE:LINE, a line without a prompt, --part out of range, OPENAI_BASE_URL', async () => {
    fake = await startFakeOpenAI(() => completion(TERSE));
    const help = await cli(['compress', '--yes', '--help'], dir);
    assert.strictEqual(help.code, 0);
    assert.match(help.stdout, /^Usage:\n  prompt-cost compress FILE:LINE \[--part N\] \[--model M\] \[--base-url URL\] \[--timeout SECONDS\]/);
    assert.strictEqual((await cli(['compress', '--yes', 'support.py'], dir)).code, 2);
    const none = await cli(['compress', '--yes', 'support.py:1'], dir);
    assert.deepStrictEqual([none.code, /support\.py:1: no prompt here/.test(none.stderr)], [2, true]);
    const part = await cli(['compress', '--yes', 'support.py:6', '--part', '9'], dir);
    assert.deepStrictEqual([part.code, /--part 9 is out of range/.test(part.stderr)], [2, true]);
    const viaEnv = await cli(['compress', '--yes', 'support.py:6', '--format', 'json'], dir, { OPENAI_API_KEY: 'k', OPENAI_BASE_URL: fake.baseURL });
    assert.strictEqual(JSON.parse(viaEnv.stdout).status, 'ok');
    assert.strictEqual(fake.requests.length, 1);
    assert.match((await cli(['--help'], dir)).stdout, /prompt-cost compress FILE:LINE/);
  });
});

// ---------------------------------------------------------------- the line of an agent's run

const AGENT_FILE = `from agents import Agent, Runner

agent = Agent(
    name="Support",
    instructions="""${SUPPORT}""",
    model="gpt-4o",
)


def answer(question):
    return Runner.run_sync(agent, question).final_output
`;

describe("cli compress on the line of an agent's run (its input is a run-time value)", function () {
  this.timeout(60000);
  let fake: FakeOpenAI;
  let dir: string;
  beforeEach(async () => {
    dir = tempDir('prompt-cost-compress-agent-');
    fake = await startFakeOpenAI(() => completion(TERSE));
  });
  afterEach(async () => {
    await fake?.close();
  });

  it("rewrites the agent's instructions, the prompt's largest static part, and says it picked them", async () => {
    fs.writeFileSync(path.join(dir, 'bot.py'), AGENT_FILE);
    const r = await cli(['compress', '--yes', 'bot.py:11', '--base-url', fake.baseURL, '--format', 'json', '--apply'], dir);
    assert.strictEqual(r.code, 0, r.stderr + r.stdout);
    const out = JSON.parse(r.stdout);
    assert.deepStrictEqual([out.status, out.file, out.line, out.before.text], ['ok', 'bot.py', 5, SUPPORT]);
    assert.strictEqual(fake.requests.length, 1);
    assert.ok(fs.readFileSync(path.join(dir, 'bot.py'), 'utf8').includes(`instructions="""${TERSE.replace('[[V1]]', '{customer_name}')}"""`));
    // The text format names the part it took instead of the run's input.
    fs.writeFileSync(path.join(dir, 'bot.py'), AGENT_FILE);
    const text = await cli(['compress', '--yes', 'bot.py:11', '--base-url', fake.baseURL], dir);
    assert.strictEqual(text.code, 0, text.stderr + text.stdout);
    assert.match(text.stdout + text.stderr, /note: bot\.py:11 holds only run-time values \(question\): compressing the prompt's largest static part, part 1 of 2 \(system, \d+ tokens\) at bot\.py:5; --part N picks another/);
  });

  it("a line of the call that builds the agent names its run: the agent's instructions are rewritten", async () => {
    fs.writeFileSync(path.join(dir, 'bot.py'), AGENT_FILE);
    const r = await cli(['compress', '--yes', 'bot.py:3', '--base-url', fake.baseURL, '--format', 'json'], dir);
    assert.strictEqual(r.code, 0, r.stderr + r.stdout);
    assert.deepStrictEqual([JSON.parse(r.stdout).status, JSON.parse(r.stdout).line], ['ok', 5]);
    assert.match(r.stderr, /^note: bot\.py:3 is in the agent that bot\.py:11 runs: compressing the prompt's largest static part/m);
  });

  it('an agent built in another file: its instructions are rewritten there', async () => {
    const [agentFile, runFile] = AGENT_FILE.split('\n\n\n');
    fs.writeFileSync(path.join(dir, 'support_agent.py'), agentFile.replace(', Runner', '') + '\n');
    fs.writeFileSync(path.join(dir, 'main.py'), `from agents import Runner\nfrom support_agent import agent\n\n\n${runFile}`);
    const r = await cli(['compress', '--yes', 'main.py:6', '--base-url', fake.baseURL, '--format', 'json', '--apply'], dir);
    assert.strictEqual(r.code, 0, r.stderr + r.stdout);
    const out = JSON.parse(r.stdout);
    assert.deepStrictEqual([out.status, out.file, out.line, out.before.text, out.applied], ['ok', 'support_agent.py', 5, SUPPORT, true]);
    assert.ok(fs.readFileSync(path.join(dir, 'support_agent.py'), 'utf8').includes(TERSE.replace('[[V1]]', '{customer_name}')));
  });

  it("the call's line names the prompt: its largest static part is rewritten, also when it is imported from another file", async () => {
    fs.writeFileSync(path.join(dir, 'prompts.py'), `SYSTEM = """${SUPPORT}"""\n`);
    fs.writeFileSync(path.join(dir, 'app.py'), 'from openai import OpenAI\nfrom prompts import SYSTEM\n\nclient = OpenAI()\n\n\ndef reply(question):\n    return client.chat.completions.create(\n        model="gpt-4o",\n        messages=[{"role": "system", "content": SYSTEM}, {"role": "user", "content": "Answer this: " + question}],\n    )\n');
    const r = await cli(['compress', '--yes', 'app.py:8', '--base-url', fake.baseURL, '--format', 'json'], dir);
    assert.strictEqual(r.code, 0, r.stderr + r.stdout);
    const out = JSON.parse(r.stdout);
    // (before: the 3-token user text written in app.py, called "the largest", sent for no saving)
    assert.deepStrictEqual([out.status, out.file, out.line, out.before.text], ['ok', 'prompts.py', 1, SUPPORT]);
    assert.match(r.stderr, /compressing the prompt's largest static part, part 1 of 2 \(system, \d+ tokens\) at prompts\.py:1/);
  });

  it("a short run input on the line is still the part taken, and the note names the prompt's largest part", async () => {
    fs.writeFileSync(path.join(dir, 'bot.py'), AGENT_FILE.replace('Runner.run_sync(agent, question)', 'Runner.run_sync(agent, "Where is my order?")'));
    const r = await cli(['compress', '--yes', 'bot.py:11', '--base-url', fake.baseURL], dir);
    assert.match(r.stdout + r.stderr, /note: this part is 5 tokens: short prompts rarely shrink; the prompt's largest static part is part 1 \(system, \d+ tokens\): --part 1/);
  });
});

// ---------------------------------------------------------------- asking before the text is sent

// One constant, two senders: an OpenAI call in a.ts and an Anthropic call in b.ts, the traffic annotated on the constant.
const SHARED_FILES: Record<string, string> = {
  'src/prompts/index.ts': `// prompt-cost: callsPerDay=8000 id=support-system\nexport const SUPPORT = \`${SUPPORT.replace(' from {customer_name}', '')}\`;\n`,
  'src/a.ts': `import OpenAI from 'openai';\nimport { SUPPORT } from './prompts';\n\nconst client = new OpenAI();\n\nexport async function answer(question: string) {\n  return client.chat.completions.create({\n    model: 'gpt-4o',\n    messages: [{ role: 'system', content: SUPPORT }, { role: 'user', content: question }],\n  });\n}\n`,
  'src/b.ts': `import Anthropic from '@anthropic-ai/sdk';\nimport { SUPPORT } from './prompts';\n\nconst client = new Anthropic();\n\nexport async function answer(question: string) {\n  return client.messages.create({\n    model: 'claude-sonnet-4-5',\n    max_tokens: 1024,\n    system: SUPPORT,\n    messages: [{ role: 'user', content: question }],\n  });\n}\n`,
};

describe('cli compress on text several prompts send (a constant imported by two calls)', function () {
  this.timeout(60000);
  let fake: FakeOpenAI;
  let dir: string;
  beforeEach(async () => {
    dir = tempDir('prompt-cost-compress-shared-');
    for (const [f, text] of Object.entries(SHARED_FILES)) {
      fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      fs.writeFileSync(path.join(dir, f), text);
    }
    fake = await startFakeOpenAI(() => completion(TERSE.replace(' [[V1]]', '')));
  });
  afterEach(async () => {
    await fake?.close();
  });

  type Scanned = { id: string; file: string; range: { start: { line: number } }; model: { id: string }; tokens: { input: number }; cost: { monthlyUsd: number; perCallUsd: number } };
  const scan = async () => {
    const r = await cli(['scan', '--format', 'json', '--no-cache'], dir);
    assert.strictEqual(r.code, 0, r.stderr);
    return JSON.parse(r.stdout).prompts as Scanned[];
  };
  /** Each prompt's saving as two scans price it, before and after the rewrite is applied. */
  const scanSavings = (before: Scanned[], after: Scanned[]) => before.map((b) => {
    const a = after.find((x) => x.file === b.file && x.range.start.line === b.range.start.line)!;
    return { id: b.id, file: b.file, line: b.range.start.line + 1, model: b.model.id, tokens: b.tokens.input - a.tokens.input, monthlyUsd: b.cost.monthlyUsd - a.cost.monthlyUsd };
  });
  const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 1e-6, `${what}: ${a} vs ${b}`);

  it("on the constant's line: the saving is every sender's, at its model and traffic, as scan's totals fall", async () => {
    const before = await scan();
    assert.deepStrictEqual(before.map((p) => [p.file, p.model.id]), [['src/a.ts', 'gpt-4o'], ['src/b.ts', 'claude-sonnet-4-5']]);
    const r = await cli(['compress', '--yes', 'src/prompts/index.ts:2', '--base-url', fake.baseURL, '--format', 'json', '--apply'], dir, {});
    assert.strictEqual(r.code, 0, r.stderr + r.stdout);
    const out = JSON.parse(r.stdout);
    assert.deepStrictEqual([out.status, out.applied], ['ok', true]);
    const expected = scanSavings(before, await scan());
    assert.ok(expected.every((e) => e.monthlyUsd > 0), JSON.stringify(expected));
    // Priced at the senders' models, not at a standalone constant's default.
    assert.strictEqual(out.promptModel, 'gpt-4o');
    assert.deepStrictEqual(out.senders.map((x: { id: string; file: string; line: number; model: string; tokens: number }) => [x.id, x.file, x.line, x.model, x.tokens]), expected.map((e) => [e.id, e.file, e.line, e.model, e.tokens]));
    out.senders.forEach((x: { monthlyUsd: number }, i: number) => close(x.monthlyUsd, expected[i].monthlyUsd, expected[i].file));
    close(out.saved.monthlyUsd, expected.reduce((n, e) => n + e.monthlyUsd, 0), 'total');
  });

  it("a rejected rewrite of the constant names the senders' model too, as an accepted one does", async () => {
    fake.respond = () => completion('Acme support for [[V7]].'); // a run-time value the text does not have
    const r = await cli(['compress', '--yes', 'src/prompts/index.ts:2', '--base-url', fake.baseURL, '--format', 'json'], dir, {});
    const out = JSON.parse(r.stdout);
    assert.notStrictEqual(out.status, 'ok', r.stdout);
    assert.strictEqual(out.promptModel, 'gpt-4o');
  });

  it("on a call's line: the same total over every sender, that call first; the text names each", async () => {
    const before = await scan();
    const r = await cli(['compress', '--yes', 'src/b.ts:9', '--base-url', fake.baseURL, '--format', 'json'], dir, {});
    assert.strictEqual(r.code, 0, r.stderr + r.stdout);
    const out = JSON.parse(r.stdout);
    assert.deepStrictEqual([out.status, out.file, out.promptModel], ['ok', 'src/prompts/index.ts', 'claude-sonnet-4-5']);
    assert.deepStrictEqual(out.senders.map((x: { file: string }) => x.file), ['src/b.ts', 'src/a.ts']);
    // What applying it does to the scan.
    const applied = await cli(['compress', '--yes', 'src/b.ts:9', '--base-url', fake.baseURL, '--apply'], dir, {});
    assert.strictEqual(applied.code, 0, applied.stderr);
    const expected = scanSavings(before, await scan());
    close(out.saved.monthlyUsd, expected.reduce((n, e) => n + e.monthlyUsd, 0), 'total');
    const [b, a] = [expected.find((e) => e.file === 'src/b.ts')!, expected.find((e) => e.file === 'src/a.ts')!];
    assert.match(applied.stdout, new RegExp(`saves ${b.tokens} tokens/call \\(\\d+ → \\d+\\) on claude-sonnet-4-5, \\$[\\d.,]+/month over the 2 prompts that send it`));
    assert.match(applied.stdout, new RegExp(`^  ${b.id} \\(src/b\\.ts:7, claude-sonnet-4-5\\): −${b.tokens} tokens/call, .*\\n  ${a.id} \\(src/a\\.ts:7, gpt-4o\\): −${a.tokens} tokens/call`, 'm'));
    assert.strictEqual(fake.requests.length, 1, 'the second run used the cached rewrite');
    assert.ok(fake.requests.every((q) => q.authorization === undefined), 'no key, no Authorization header');
  });
});

describe('cli compress asks before it sends the prompt to the model (as the README says)', function () {
  this.timeout(60000);
  let fake: FakeOpenAI;
  let dir: string;
  beforeEach(async () => {
    dir = tempDir('prompt-cost-compress-consent-');
    fs.writeFileSync(path.join(dir, 'support.py'), SUPPORT_FILE);
    fake = await startFakeOpenAI(() => completion(TERSE));
  });
  afterEach(async () => {
    await fake?.close();
  });
  const env = { OPENAI_API_KEY: 'sk-test-key' };
  const answering = (answer: string | undefined) => {
    const asked: string[] = [];
    return { asked, ask: async (q: string) => (asked.push(q), answer) };
  };

  it('on a terminal: shows what goes where and what it costs, asks, and sends only on yes', async () => {
    const host = new URL(fake.baseURL).host;
    const no = answering('n');
    const declined = await cli(['compress', 'support.py:6', '--base-url', fake.baseURL], dir, env, no.ask);
    assert.deepStrictEqual(no.asked, [`Send this prompt to ${host}? [y/N] `]);
    assert.strictEqual(fake.requests.length, 0, 'nothing sent on a no');
    assert.strictEqual(declined.code, 1);
    assert.match(declined.stderr, /support\.py:6: error: not sent: you did not answer yes, so nothing went to 127\.0\.0\.1:\d+/);
    assert.strictEqual(declined.stdout, '', 'an error is no result: stdout stays empty');
    // What the question says: the file and line, the host, the model, the tokens and the cost, then the text itself.
    assert.match(declined.stderr, new RegExp(`send the text of support\\.py:6 \\([\\d,]+ tokens with our instructions; placeholders replaced by markers\\) to ${host.replace(/\./g, '\\.')} for gpt-4o-mini to rewrite\\. The request costs about \\$[\\d.]+\\.`));
    assert.ok(declined.stderr.includes(SUPPORT.replace('{customer_name}', '[[V1]]')), declined.stderr);
    for (const answer of [undefined, '', 'no', 'yess']) {
      const a = answering(answer);
      assert.strictEqual((await cli(['compress', 'support.py:6', '--base-url', fake.baseURL, '--format', 'json'], dir, env, a.ask)).code, 1);
      assert.strictEqual(a.asked.length, 1);
    }
    assert.strictEqual(fake.requests.length, 0, 'Ctrl-D, Enter, no: nothing sent');
    const yes = answering(' Yes ');
    const sent = await cli(['compress', 'support.py:6', '--base-url', fake.baseURL, '--format', 'json'], dir, env, yes.ask);
    assert.strictEqual(sent.code, 0, sent.stderr);
    assert.strictEqual(JSON.parse(sent.stdout).status, 'ok', 'stdout is still one JSON object: the question went to stderr');
    assert.strictEqual(fake.requests.length, 1);
    // The reply is cached: nothing is sent again, so nothing is asked.
    const again = answering('n');
    assert.strictEqual((await cli(['compress', 'support.py:6', '--base-url', fake.baseURL], dir, env, again.ask)).code, 0);
    assert.deepStrictEqual([again.asked.length, fake.requests.length], [0, 1]);
  });

  it('--yes (-y) sends without asking, and still says on stderr which text goes to which host and model', async () => {
    const a = answering('n');
    const r = await cli(['compress', 'support.py:6', '-y', '--base-url', fake.baseURL], dir, env, a.ask);
    assert.strictEqual(r.code, 0);
    assert.deepStrictEqual([a.asked.length, fake.requests.length], [0, 1]);
    const host = new URL(fake.baseURL).host.replace(/\./g, '\\.');
    assert.match(r.stderr, new RegExp(`^Sending the text of support\\.py:6 \\([\\d,]+ tokens with our instructions; placeholders replaced by markers\\) to ${host} for gpt-4o-mini to rewrite \\(--yes: not asked\\)\\. The request costs about \\$[\\d.]+\\.$`, 'm'));
    assert.ok(!/Sending/.test(r.stdout), 'stdout holds the result only');
    // A text of several lines is named by its lines; a cached reply sends nothing, so says nothing.
    fs.writeFileSync(path.join(dir, 'support.py'), SUPPORT_FILE.replace(SUPPORT, SUPPORT.replace(/\. /g, '.\n')));
    const multi = await cli(['compress', 'support.py:6', '--yes', '--base-url', fake.baseURL, '--model', 'm2', '--format', 'json'], dir, env);
    assert.match(multi.stderr, /^Sending the text of support\.py:6–11 \(/m);
    assert.strictEqual(JSON.parse(multi.stdout).status, 'ok');
    const cached = await cli(['compress', 'support.py:6', '--yes', '--base-url', fake.baseURL, '--model', 'm2'], dir, env);
    assert.ok(!/Sending/.test(cached.stderr), cached.stderr);
  });

  it("notes come before the question, and an error's place is said once, on stderr", async () => {
    fs.writeFileSync(path.join(dir, 'bot.py'), AGENT_FILE);
    let stderr = '';
    let stdout = '';
    let beforeQuestion = '';
    const code = await run(['compress', 'bot.py:11', '--base-url', fake.baseURL], {
      stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), readStdin: () => Buffer.from(''), stderrIsTTY: false, cwd: dir, env,
      ask: async () => ((beforeQuestion = stderr), 'n'),
    });
    assert.strictEqual(code, 1);
    assert.match(beforeQuestion, /^note: bot\.py:11 holds only run-time values/m);
    assert.ok(!/note:/.test(stderr.slice(beforeQuestion.length) + stdout), 'each note once, before the question');
    // A part that cannot be rewritten (the run's input, by number): the place once, not "bot.py:11: error: bot.py:11: …".
    const r = await cli(['compress', 'bot.py:11', '--part', '2', '--yes', '--base-url', fake.baseURL], dir, env);
    assert.strictEqual(r.code, 1);
    assert.strictEqual(r.stdout, '');
    assert.match(r.stderr, /^bot\.py:11: error: [^:]*string literal/m);
    assert.strictEqual(r.stderr.split('bot.py:11').length - 1, 1, r.stderr);
    const j = JSON.parse((await cli(['compress', 'bot.py:11', '--part', '2', '--yes', '--base-url', fake.baseURL, '--format', 'json'], dir, env)).stdout);
    assert.deepStrictEqual([j.status, j.file, j.line, /^bot\.py/.test(j.reason)], ['error', 'bot.py', 11, false]);
    assert.strictEqual(fake.requests.length, 0);
  });

  it('no terminal to ask on (CI, a pipe) and no --yes: exit 2, nothing sent, the message says to pass --yes', async () => {
    const r = await cli(['compress', 'support.py:6', '--base-url', fake.baseURL], dir, env);
    assert.strictEqual(r.code, 2);
    assert.match(r.stderr, /compress would send the text of support\.py:6 to 127\.0\.0\.1:\d+, and standard input is not a terminal to ask on: pass --yes to send it \(nothing was sent\)/);
    const j = await cli(['compress', 'support.py:6', '--base-url', fake.baseURL, '--format', 'json'], dir, env);
    assert.strictEqual(j.code, 2);
    assert.match(JSON.parse(j.stdout).reason, /pass --yes to send it/);
    assert.strictEqual(fake.requests.length, 0);
    // The key is checked first: no key is still the key's message.
    assert.match((await cli(['compress', 'support.py:6'], dir, {})).stderr, /OPENAI_API_KEY/);
  });
});

// ---------------------------------------------------------------- --timeout bounds the whole call

/** The built CLI as a process of its own (the server answers in this one), timed from start to exit. */
function cliProcess(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string; seconds: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(__dirname, '..', '..', 'dist', 'cli.js'), ...args], { cwd, env: { ...process.env, OPENAI_API_KEY: 'sk-test-key' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => void (stdout += d));
    child.stderr.on('data', (d: Buffer) => void (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr, seconds: (performance.now() - started) / 1000 }));
  });
}

describe('cli compress --timeout: one deadline for the request, its retries and the pauses between them', function () {
  this.timeout(60000);
  let fake: FakeOpenAI;
  let dir: string;
  beforeEach(() => {
    dir = tempDir('prompt-cost-compress-timeout-');
    fs.writeFileSync(path.join(dir, 'support.py'), SUPPORT_FILE);
  });
  afterEach(async () => {
    await fake?.close();
  });
  // A compress answered at once (a 401), so the bounds below leave out the machine's own speed (start-up,
  // parsing, the tokenizer).
  let startup = 0;
  before(async () => {
    const d = tempDir('prompt-cost-compress-timeout-');
    fs.writeFileSync(path.join(d, 'support.py'), SUPPORT_FILE);
    const refusing = await startFakeOpenAI(() => apiError(401, 'Incorrect API key provided'));
    startup = (await cliProcess(['compress', '--yes', 'support.py:6', '--base-url', refusing.baseURL, '--format', 'json'], d)).seconds;
    await refusing.close();
  });

  it('a server that never answers: the process exits once the timeout is up, not after each retry has timed out', async () => {
    fake = await startFakeOpenAI(() => ({ hang: true }));
    const r = await cliProcess(['compress', '--yes', 'support.py:6', '--base-url', fake.baseURL, '--timeout', '1', '--format', 'json'], dir);
    assert.strictEqual(r.code, 1, r.stderr);
    assert.match(JSON.parse(r.stdout).reason, /did not answer within 1 s, retries included/);
    // Three attempts of 1 s each and two pauses took 4 s and more.
    assert.ok(r.seconds < startup + 1.9, `${r.seconds.toFixed(2)} s (answered at once: ${startup.toFixed(2)} s)`);
    assert.strictEqual(fake.requests.length, 1, 'the one attempt used all the time there was');
  });

  it('429 with a retry-after beyond the timeout: no pause past it, and the message says why there was no retry', async () => {
    fake = await startFakeOpenAI(() => apiError(429, 'Rate limit reached', { 'retry-after': '5' }));
    const r = await cliProcess(['compress', '--yes', 'support.py:6', '--base-url', fake.baseURL, '--timeout', '2', '--format', 'json'], dir);
    assert.strictEqual(r.code, 1, r.stderr);
    assert.strictEqual(JSON.parse(r.stdout).reason, `${new URL(fake.baseURL).host} is rate-limiting requests (429); try again later; a retry in 5 s would pass the 2 s timeout (promptCost.compress.timeoutSeconds / --timeout)`);
    assert.ok(r.seconds < startup + 1.9, `${r.seconds.toFixed(2)} s (answered at once: ${startup.toFixed(2)} s)`);
    assert.strictEqual(fake.requests.length, 1);
  });

  it('pauses between retries count: 5xx answered slowly stops at the timeout with the last answer', async () => {
    // (seconds, not tenths: a loaded CI machine takes a few hundred milliseconds to answer and decide)
    fake = await startFakeOpenAI(() => apiError(503, 'overloaded', { 'retry-after-ms': '2500' }));
    const r = await cliProcess(['compress', '--yes', 'support.py:6', '--base-url', fake.baseURL, '--timeout', '4', '--format', 'json'], dir);
    assert.strictEqual(r.code, 1, r.stderr);
    assert.match(JSON.parse(r.stdout).reason, /answered 503: .*a retry in 2\.5 s would pass the 4 s timeout/);
    assert.strictEqual(fake.requests.length, 2, 'one retry fits in the 4 s, a second retry does not');
    assert.ok(r.seconds < startup + 4.9, `${r.seconds.toFixed(2)} s (answered at once: ${startup.toFixed(2)} s)`);
  });
});

// ---------------------------------------------------------------- the target: zero lost placeholders

/** A seeded generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('compress across every fixture prompt with slots (a server rewriting at random, sentinels kept)', function () {
  this.timeout(120000);
  it('loses or invents no placeholder: every rewrite applied reads back with the same slots', async () => {
    const rnd = random(12);
    // Drops and shuffles words between sentinels, keeps each sentinel once and in order.
    const fake = await startFakeOpenAI(rewriting((t) => t.split(/(\[\[V\d+\]\]|⟦V\d+⟧)/).map((piece, i) => {
      if (i % 2) return piece;
      const words = piece.split(/\s+/).filter(() => rnd() > 0.4);
      for (let k = words.length - 1; k > 0; k--) {
        const j = Math.floor(rnd() * (k + 1));
        [words[k], words[j]] = [words[j], words[k]];
      }
      return ` ${words.join(' ')} `;
    }).join('').trim()));
    const roots = [path.join(__dirname, '..', 'fixtures'), path.join(__dirname, '..', 'integration', 'workspace'), path.join(__dirname, '..', '..', 'examples', 'demo-workspace')];
    const files: string[] = [];
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (!/\.ipynb$/.test(e.name)) files.push(p);
      }
    };
    roots.forEach(walk);
    const engine = new Engine();
    const options = { engine, analyze: { config: emptyConfig() }, compressModel: 'gpt-4o-mini' };
    const tally = { parts: 0, rewritten: 0, rejectedLiteral: 0, notLocatable: 0, noSaving: 0, lost: 0, invented: 0 };
    for (const abs of files) {
      const file = path.basename(abs);
      const text = fs.readFileSync(abs, 'utf8');
      let analysis;
      try {
        analysis = await engine.analyze(file, text, { config: emptyConfig() });
      } catch {
        continue;
      }
      const detection = engine.detectSync(file, text, {});
      for (const [i, d] of detection.detected.entries()) {
        for (const [k, part] of d.parts.entries()) {
          if (part.file || !part.slots.length || !part.text.trim() || !analysis.prompts[i]) continue;
          tally.parts++;
          let plan;
          try {
            plan = await planCompress({ file, text, line: part.range.start.line, character: part.range.start.character, part: k }, options);
          } catch (e) {
            if (process.env.COMPRESS_DEBUG) console.log(`${file}:${part.range.start.line + 1}: ${(e as Error).message}`);
            tally.notLocatable++;
            continue;
          }
          const reply = await chatRewrite({ apiKey: 'k', baseURL: fake.baseURL, model: 'gpt-4o-mini', messages: plan.messages, timeoutMs: 10000 });
          const r = await finishCompress(plan, reply.text, { ...options, text });
          if (r.status === 'rejected') {
            assert.ok(!/placeholder/.test(r.reason!), `${file}:${part.range.start.line + 1}: ${r.reason}`);
            tally.rejectedLiteral++;
            continue;
          }
          if (r.status === 'no-saving') {
            tally.noSaving++;
            continue;
          }
          tally.rewritten++;
          // Applied and read back from the re-parsed file, the text is the rewrite.
          const lines = new LineIndex(text);
          const updated = text.slice(0, lines.offset(r.edit!.range.start)) + r.edit!.newText + text.slice(lines.offset(r.edit!.range.end));
          const again = await planCompress({ file, text: updated, line: r.edit!.range.start.line, character: r.edit!.range.start.character, part: k }, options);
          assert.strictEqual(again.before.text, r.after!.text, `${file}:${part.range.start.line + 1}`);
          // The placeholders of the text before and after, in source form, are the same multiset.
          const count = (t: string) => plan.protectedText.sentinels.map((s) => t.split(s.source).length - 1);
          const before = count(plan.before.text);
          const after = count(r.after!.text);
          before.forEach((n, j) => {
            if (after[j] < n) tally.lost++;
            if (after[j] > n) tally.invented++;
          });
        }
      }
    }
    await fake.close();
    console.log(`      ${JSON.stringify(tally)}`);
    assert.ok(tally.rewritten >= 10, JSON.stringify(tally));
    assert.deepStrictEqual([tally.lost, tally.invented], [0, 0]);
  });
});
