import { countWithEncoding as warmEncoder } from '../../src/core/tokens';
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { run } from '../../src/cli/main';
import { breakdownMarkdown } from '../../src/core/report/breakdown';
import { formatUsd } from '../../src/core/format';
import { scanWorkspace } from '../../src/core/workspace';
import { tempDir } from '../tempDir';

const APP = `import OpenAI from 'openai';
import { SYSTEM } from './prompts';
const client = new OpenAI();
const tools = [{ type: 'function', function: { name: 'get_current_weather', description: 'Get the current weather in a given location', parameters: { type: 'object', properties: { location: { type: 'string', description: 'The city and state, e.g. San Francisco, CA' } }, required: ['location'] } } }];
export async function ask(question: string) {
  return client.chat.completions.create({
    model: 'gpt-4o',
    max_tokens: 300,
    messages: [
      { role: 'system', content: SYSTEM },
      { role: 'user', content: \`Question: \${question}\` },
    ],
    tools,
  });
}
`;

function io(cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { stdout: (s: string) => out.push(s), stderr: (s: string) => err.push(s), readStdin: () => Buffer.alloc(0), stderrIsTTY: false, cwd } };
}


// Load both encoders first: the engine's per-file count budget would otherwise include building them.
before(() => {
  warmEncoder('warm up', 'o200k_base');
  warmEncoder('warm up', 'cl100k_base');
});

describe('prompt-cost explain FILE:LINE', () => {
  let dir: string;
  before(() => {
    dir = tempDir('pc-explain-');
    fs.mkdirSync(path.join(dir, 'src'));
    fs.writeFileSync(path.join(dir, 'src', 'prompts.ts'), "export const SYSTEM = 'You are a helpful assistant that can answer to questions about the weather.';\n");
    fs.writeFileSync(path.join(dir, 'src', 'app.ts'), APP);
    fs.writeFileSync(path.join(dir, 'src', 'names.ts'), "export const CITY = 'Lisbon';\n");
    fs.writeFileSync(path.join(dir, '.promptcost.yaml'), 'defaults:\n  callsPerDay: 2000\nvariables:\n  question: 40\n');
  });

  it('prints each part with its source, slots, overhead, tools, price rows and the sums', async () => {
    const t = io(dir);
    assert.strictEqual(await run(['explain', 'src/app.ts:8'], t.io), 0, t.err.join(''));
    const text = t.out.join('');
    assert.match(text, /system — static text\s+14\s+src\/prompts\.ts:1/);
    assert.match(text, /slot question\s+40\s+size from \.promptcost\.yaml:4/);
    assert.match(text, /chat formatting overhead/);
    assert.match(text, /tools — cookbook function-calling formula/);
    assert.match(text, /get_current_weather/);
    assert.match(text, /input\s+\$2\.5\/M/);
    assert.match(text, /cache read\s+\$1\.25\/M/);
    assert.match(text, /output\s+300\s+up to max_tokens 300 \(the limit, priced as if every reply used it\) — set the expected output with a `\/\/ prompt-cost: outputTokens=N` annotation on the line above the call/);
    assert.match(text, /per day .* × 2,000 calls\/day = \$[\d.]+ \(calls\/day: \.promptcost\.yaml:2\)/);
    assert.match(text, /per month .* × 30 days = \$[\d.,]+ \(days: default\)/);
  });

  it('names the real source of the chat overhead (a Claude call: no published formula) and says when the output is max_tokens', async () => {
    fs.writeFileSync(path.join(dir, 'src', 'claude.py'), 'import anthropic\nclient = anthropic.Anthropic()\n\ndef ask(q):\n    return client.messages.create(model="claude-sonnet-4-5", max_tokens=700, system="You are a careful assistant for weather questions.", messages=[{"role": "user", "content": q}])\n');
    const t = io(dir);
    assert.strictEqual(await run(['explain', 'src/claude.py:5'], t.io), 0, t.err.join(''));
    const text = t.out.join('');
    assert.match(text, /chat formatting overhead\s+≈?\d+\s+estimate: anthropic publishes no per-message overhead, so OpenAI's formula stands in for it/);
    assert.match(text, /up to max_tokens 700/);
    const openai = io(dir);
    await run(['explain', 'src/app.ts:8'], openai.io);
    assert.match(openai.out.join(''), /chat formatting overhead\s+\d+\s+OpenAI cookbook num_tokens_from_messages/);
    // The hover says it too.
    const report = await scanWorkspace({ root: dir, workers: 0 });
    const claude = report.prompts.find((p) => p.file === 'src/claude.py')!;
    assert.match(breakdownMarkdown(claude, report.prices), /\| output \(up to max_tokens\) \| 700 \|/);
    assert.match(breakdownMarkdown(claude, report.prices), /_Output: up to max_tokens 700 — the limit, priced as if every reply used it\. Set the expected output with a `# prompt-cost: outputTokens=N` annotation on the line above the call\._/);
  });

  it('FILE:1 above the prompt is no prompt (nearest listed), a line of a prompt text picks its prompt; notebook cells 1-based; wraps to the terminal', async () => {
    const above = io(dir);
    assert.strictEqual(await run(['explain', 'src/app.ts:1'], above.io), 2, 'line 1 (an import) is in no prompt');
    assert.match(above.err.join(''), /src\/app\.ts:1: no prompt contains this line; the nearest: src\/app\.ts:6/);
    // A constant's text in the same file: the prompt that sends it.
    fs.writeFileSync(path.join(dir, 'src', 'same.py'), 'from openai import OpenAI\nclient = OpenAI()\nSYSTEM = """You answer questions\nabout the weather only."""\n\n\ndef ask(q):\n    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": SYSTEM}, {"role": "user", "content": q}])\n');
    const text = io(dir);
    assert.strictEqual(await run(['explain', 'src/same.py:4'], text.io), 0, text.err.join(''));
    assert.match(text.out.join(''), /^src\/same\.py:8 /);
    // A notebook: cells and lines as the editor counts them (1-based); without a cell, the cells with prompts are listed.
    const nb = { cells: [{ cell_type: 'markdown', source: '# Weather' }, { cell_type: 'code', source: 'from openai import OpenAI\nclient = OpenAI()\n' }, { cell_type: 'code', source: 'r = client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "What is the weather like in Paris today?"}])\n' }] };
    fs.writeFileSync(path.join(dir, 'weather.ipynb'), JSON.stringify(nb));
    const cell = io(dir);
    assert.strictEqual(await run(['explain', 'weather.ipynb:cell3:1'], cell.io), 0, cell.err.join(''));
    assert.match(cell.out.join(''), /^weather\.ipynb:cell3:1 /);
    const bare = io(dir);
    assert.strictEqual(await run(['explain', 'weather.ipynb:1'], bare.io), 2);
    assert.match(bare.err.join(''), /weather\.ipynb: name the cell, FILE:cellN:LINE \(cells and lines 1-based, as the editor counts them\); prompts at weather\.ipynb:cell3:1/);
    const wrong = io(dir);
    assert.strictEqual(await run(['explain', 'weather.ipynb:cell2:1'], wrong.io), 2);
    assert.match(wrong.err.join(''), /weather\.ipynb:cell2:1: no prompt contains this line \(cell 2 has no prompts prompt-cost recognises\)/);
    const past = io(dir);
    assert.strictEqual(await run(['explain', 'weather.ipynb:cell9:1'], past.io), 2);
    assert.match(past.err.join(''), /weather\.ipynb:cell9:1: no such cell \(past the end: the notebook has 3 cells\)/);
    // Wrapped to the terminal's width, when there is one.
    const narrow = io(dir);
    assert.strictEqual(await run(['explain', 'src/app.ts:8'], { ...narrow.io, columns: 80 }), 0);
    const lines = narrow.out.join('').split('\n');
    assert.ok(lines.every((l) => [...l].length <= 80), lines.filter((l) => l.length > 80).join('\n'));
    assert.ok(lines.some((l) => /^ {10,}\S/.test(l)), 'details continue under themselves');
  });

  it('the JSON form has the same numbers, and they add up', async () => {
    const t = io(dir);
    assert.strictEqual(await run(['explain', 'src/app.ts:6', '--format', 'json'], t.io), 0);
    const e = JSON.parse(t.out.join(''));
    const p = e.prompt;
    const parts = p.parts.reduce((s: number, x: { tokens: number; slots: { tokens: number }[] }) => s + x.tokens + x.slots.reduce((a, b) => a + b.tokens, 0), 0);
    assert.strictEqual(p.tokens.input, parts + p.tokens.overhead + p.tokens.tools);
    const b = p.cost.breakdown;
    assert.ok(Math.abs(b.uncachedInputUsd + b.cacheReadUsd + b.cacheWriteUsd + b.outputUsd - p.cost.perCallUsd) < 1e-12);
    assert.ok(Math.abs(p.cost.perCallUsd * 2000 * 30 - p.cost.monthlyUsd) < 1e-9);
  });

  it("from a subfolder: the project's .promptcost.yaml above it prices the prompt, as scan does", async () => {
    const ws = tempDir('pc-explain-up-');
    fs.mkdirSync(path.join(ws, 'src'));
    fs.writeFileSync(path.join(ws, '.promptcost.yaml'), 'defaults:\n  callsPerDay: 4321\n');
    fs.writeFileSync(path.join(ws, 'src', 'a.ts'), "import OpenAI from 'openai';\nconst c = new OpenAI();\nc.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'system', content: 'You answer briefly and politely.' }] });\n");
    const t = io(path.join(ws, 'src'));
    assert.strictEqual(await run(['explain', 'a.ts:3', '--format', 'json'], t.io), 0, t.err.join(''));
    const e = JSON.parse(t.out.join(''));
    assert.strictEqual(e.prompt.id, 'src/a.ts:3');
    assert.strictEqual(e.prompt.traffic.callsPerDay, 4321);
  });

  it('no prompt at the line of a file whose texts calls elsewhere send: the nearest are named as scan names them (kind, the call\'s file:line)', async () => {
    const ws = tempDir('pc-explain-near-');
    fs.mkdirSync(path.join(ws, 'src', 'prompts'), { recursive: true });
    fs.writeFileSync(path.join(ws, 'src', 'prompts', 'index.ts'), [
      '// Prompts of the support bot.',
      'export const SUPPORT_SYSTEM = `You are the support assistant for Acme.',
      'Answer billing questions politely and precisely.`;',
      '',
      'export const TRIAGE_SYSTEM = `You triage support tickets into one topic:',
      'billing, shipping, account or other. Reply with the topic only.`;',
      '',
    ].join('\n'));
    fs.writeFileSync(path.join(ws, 'src', 'bot.ts'), [
      "import OpenAI from 'openai';",
      "import { SUPPORT_SYSTEM, TRIAGE_SYSTEM } from './prompts';",
      'const client = new OpenAI();',
      "export const support = (q: string) => client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'system', content: SUPPORT_SYSTEM }, { role: 'user', content: q }] });",
      "export const triage = (t: string) => client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'system', content: TRIAGE_SYSTEM }, { role: 'user', content: t }] });",
      '',
    ].join('\n'));
    const t = io(ws);
    assert.strictEqual(await run(['explain', 'src/prompts/index.ts:200'], t.io), 2);
    assert.match(t.err.join(''), /^prompt-cost: src\/prompts\/index\.ts:200: no prompt contains this line \(past the end: the file has 6 lines\); the nearest: src\/prompts\/index\.ts:5 \(openai\.chat at src\/bot\.ts:5, lines 5–6\), src\/prompts\/index\.ts:2 \(openai\.chat at src\/bot\.ts:4, lines 2–3\)\n/);
    assert.doesNotMatch(t.err.join(''), /heuristic/);
  });

  it('a workflow whose one step holds a prompt: its other lines name no prompt (they are about the build)', async () => {
    const ws = tempDir('pc-explain-workflow-');
    fs.mkdirSync(path.join(ws, '.github', 'workflows'), { recursive: true });
    fs.writeFileSync(path.join(ws, '.github', 'workflows', 'review.yml'), [
      'on: pull_request', 'jobs:', '  review:', '    runs-on: ubuntu-latest', '    steps:', '      - uses: actions/checkout@v4',
      '      - uses: anthropics/claude-code-action@v1', '        with:', '          prompt: Review this pull request for bugs and missing tests, briefly.', '',
    ].join('\n'));
    const first = io(ws);
    assert.strictEqual(await run(['explain', '.github/workflows/review.yml:1'], first.io), 2);
    assert.match(first.err.join(''), /review\.yml:1: no prompt contains this line; the nearest: \.github\/workflows\/review\.yml:7/);
    const step = io(ws);
    assert.strictEqual(await run(['explain', '.github/workflows/review.yml:9'], step.io), 0, step.err.join(''));
  });

  it('a prompt file that cannot be read says why, not that it holds no prompts', async () => {
    const ws = tempDir('pc-explain-broken-');
    fs.mkdirSync(path.join(ws, 'settings'));
    fs.writeFileSync(path.join(ws, 'settings', 'review_prompts.toml'), '[review_prompt]\nsystem = """You review code.\nuser = "x"\n');
    const t = io(ws);
    assert.strictEqual(await run(['explain', 'settings/review_prompts.toml:2'], t.io), 2);
    assert.match(t.err.join(''), /no prompt contains this line \(the file could not be read: malformed TOML: the """ string is never closed .*at line 2\)/);
  });

  it('bad input: no prompt at the line, a missing file, no line — exit 2 with what and where; --help', async () => {
    const none = io(dir);
    assert.strictEqual(await run(['explain', 'src/names.ts:1'], none.io), 2);
    assert.match(none.err.join(''), /src\/names\.ts:1: no prompt contains this line \(the file has no prompts prompt-cost recognises\)/);
    const after = io(dir);
    assert.strictEqual(await run(['explain', 'src/app.ts:40'], after.io), 2);
    assert.match(after.err.join(''), /src\/app\.ts:40: no prompt contains this line \(past the end: the file has 15 lines\); the nearest: src\/app\.ts:6 \(openai\.chat, lines 6–14\)/);
    const missing = io(dir);
    assert.strictEqual(await run(['explain', 'src/nope.ts:3'], missing.io), 2);
    assert.match(missing.err.join(''), /src\/nope\.ts: no such file/);
    const bare = io(dir);
    assert.strictEqual(await run(['explain', 'src/app.ts'], bare.io), 2);
    assert.match(bare.err.join(''), /FILE:LINE/);
    const help = io(dir);
    assert.strictEqual(await run(['explain', '--help'], help.io), 0);
    assert.match(help.out.join(''), /full arithmetic/);
  });
});

describe('explain: what the workspace shows, as scan lists it', () => {
  let dir: string;
  before(() => {
    dir = tempDir('pc-explain-ws-');
    fs.mkdirSync(path.join(dir, 'prompts'));
    // read by a path the code spells out: the text is the call's part
    fs.writeFileSync(path.join(dir, 'prompts', 'reply.txt'), 'You draft replies to customer emails.\nKeep them under five sentences.\nSign as the support team.\n');
    // read with a computed name from a prompt folder: a prompt of its own
    fs.writeFileSync(path.join(dir, 'prompts', 'haiku.md'), 'Write a haiku about the topic the user gives.\n');
    fs.writeFileSync(path.join(dir, 'app.py'), [
      'from pathlib import Path',
      'from openai import OpenAI',
      'client = OpenAI()',
      'REPLY = Path("prompts", "reply.txt").read_text()',
      '',
      'def reply(email):',
      '    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": REPLY}, {"role": "user", "content": email}])',
      '',
      'def template(name):',
      '    return (Path("prompts") / f"{name}.md").read_text()',
      '',
    ].join('\n'));
    // one prompt with one test case
    fs.writeFileSync(path.join(dir, 'extract.prompt.yml'), [
      'name: Extract entities',
      'model: openai/gpt-4.1',
      'messages:',
      '  - role: system',
      '    content: You extract people and places from text as a JSON list.',
      '  - role: user',
      '    content: "{{input}}"',
      'testData:',
      '  - input: Ada met Charles in London.',
      '',
    ].join('\n'));
  });

  it('a text file code loads as a prompt of its own', async () => {
    const scan = io(dir);
    assert.strictEqual(await run(['scan'], scan.io), 0, scan.err.join(''));
    assert.match(scan.out.join(''), /prompts\/haiku\.md:1 +prompt-text/);
    const t = io(dir);
    assert.strictEqual(await run(['explain', 'prompts/haiku.md:1'], t.io), 0, t.err.join(''));
    assert.match(t.out.join(''), /^prompts\/haiku\.md:1 +prompt-text/);
  });

  it('a text file a call reads: the call that sends it', async () => {
    const t = io(dir);
    assert.strictEqual(await run(['explain', 'prompts/reply.txt:2'], t.io), 0, t.err.join(''));
    assert.match(t.out.join(''), /^app\.py:7 +openai\.chat/);
    assert.match(t.out.join(''), /system — static text +\d+ +prompts\/reply\.txt:1/);
  });

  it('a prompt file of one prompt: its id is its first message, and every line of the file names it', async () => {
    const scan = io(dir);
    assert.strictEqual(await run(['scan', '--format', 'json'], scan.io), 0, scan.err.join(''));
    const ids = JSON.parse(scan.out.join('')).prompts.map((p: { id: string }) => p.id);
    assert.ok(ids.includes('extract.prompt.yml:4'), ids.join(', '));
    for (const line of [1, 4, 9]) {
      const t = io(dir);
      assert.strictEqual(await run(['explain', `extract.prompt.yml:${line}`], t.io), 0, `line ${line}: ${t.err.join('')}`);
      assert.match(t.out.join(''), /^extract\.prompt\.yml:4 +github-models/);
    }
  });
});

describe('explain: the shown figures add up', () => {
  const dollars = (s: string) => Number(s.replace(/[$,]/g, ''));
  // Every "a + b + … = r" and "a × n … = r" in the text, checked as a user would with a calculator.
  function checkArithmetic(text: string, where: string) {
    const sums = [...text.matchAll(/((?:\$[\d,.]+ \+ )+\$[\d,.]+) = (\$[\d,.]+)/g)];
    for (const [, terms, result] of sums) {
      const total = terms.split(' + ').reduce((a, t) => a + dollars(t), 0);
      assert.ok(Math.abs(total - dollars(result)) <= dollars(result) * 1e-7, `${where}: ${terms} = ${result}`);
    }
    const products = [...text.matchAll(/(\$[\d,.]+) × ([\d,]+) (?:calls\/day|days) = (\$[\d,.]+)/g)];
    for (const [, a, n, result] of products) assert.ok(Math.abs(dollars(a) * Number(n.replace(/,/g, '')) - dollars(result)) <= dollars(result) * 1e-6, `${where}: ${a} × ${n} = ${result}`);
    return sums.length + products.length;
  }

  it('per call, per day and per month: the terms shown sum to the result shown, and the rounded column is what scan shows', async () => {
    const demo = path.join(__dirname, '..', '..', 'examples', 'demo-workspace');
    const cache = tempDir('pc-explain-cache-');
    const system = 'You are a careful assistant that answers questions about invoices and refunds. '.repeat(120).trim();
    fs.writeFileSync(path.join(cache, 'app.py'), `import anthropic\nclient = anthropic.Anthropic()\n\ndef ask(q):\n    return client.messages.create(model="claude-sonnet-4-5", max_tokens=333, system=[{"type": "text", "text": "${system}", "cache_control": {"type": "ephemeral"}}], messages=[{"role": "user", "content": q}])\n`);
    fs.writeFileSync(path.join(cache, '.promptcost.yaml'), 'defaults:\n  callsPerDay: 777\n  cacheHitRate: 0.37\n');
    let checked = 0;
    for (const root of [demo, cache]) {
      const report = await scanWorkspace({ root, workers: 0 });
      // (promptfoo's rows share a line: explain takes the first, so only prompts alone on their line.)
      const alone = report.prompts.filter((x) => x.cost.priced && report.prompts.filter((y) => y.file === x.file && y.range.start.line === x.range.start.line).length === 1);
      for (const p of alone) {
        const t = io(root);
        const at = `${p.file}:${p.range.start.line + 1}`;
        assert.strictEqual(await run(['explain', at], t.io), 0, t.err.join(''));
        const text = t.out.join('');
        // The "$0.0062 × 2,000 = $12.50" of rounded terms is gone: the rounded figure is never a term.
        assert.match(text, new RegExp(`per call\\s+\\${formatUsd(p.cost.perCallUsd!).replace(/[.]/g, '\\.')}\\s`), at);
        assert.match(text, new RegExp(`per month\\s+\\${formatUsd(p.cost.monthlyUsd!).replace(/[.]/g, '\\.')}\\s`), at);
        assert.ok(checkArithmetic(text, at) >= 3, `${at}: per call, day and month are shown as sums and products:\n${text}`);
        if (root === cache) {
          // The read and write tokens as the engine priced them: the cached prefix × the hit rate (misses).
          const [, cached, pct, reads] = /cache reads .*average per call: ≈([\d,]+) cached × ([\d.]+)% hit rate = ≈([\d,.]+) tokens × \$0\.3\/M = \$[\d.]+/.exec(text) ?? [];
          assert.ok(cached, text);
          assert.ok(Math.abs(Number(cached.replace(/,/g, '')) * Number(pct) / 100 - Number(reads.replace(/,/g, ''))) < 0.01, `${cached} × ${pct}% = ${reads}`);
          assert.match(text, new RegExp(`cache writes .*average per call: ≈${cached} cached × ${100 - Number(pct)}% misses`));
          assert.match(text, new RegExp(`cacheable ≈${cached}, cached as written ≈${cached} at a ${pct}% hit rate`));
        }
        checked++;
      }
    }
    assert.ok(checked >= 7, `${checked} prompts checked`);
  });
});

describe('explain: alternative parts', () => {
  it('an alternative branch is shown as such and left out of the input sum, as pricing leaves it out', async () => {
    const dir = tempDir('pc-explain-alt-');
    fs.writeFileSync(path.join(dir, 'app.ts'), `import OpenAI from 'openai';\nconst client = new OpenAI();\nconst strict = process.env.STRICT === '1';\nexport async function ask(q: string) {\n  return client.chat.completions.create({\n    model: 'gpt-4o',\n    messages: [\n      { role: 'system', content: strict ? 'You are a strict reviewer who answers in one short sentence only.' : 'You are a friendly reviewer who answers at length, with examples and a summary.' },\n      { role: 'user', content: q },\n    ],\n  });\n}\n`);
    const t = io(dir);
    assert.strictEqual(await run(['explain', 'app.ts:5'], t.io), 0, t.err.join(''));
    const text = t.out.join('');
    assert.match(text, /system — static text \(alternative, not in the total\)/);
    const [, total, terms] = /\n {2}input\s+(\d+)\s+= ([\d +,]+);/.exec(text)!;
    assert.strictEqual(terms.split(' + ').reduce((a, x) => a + Number(x.replace(/,/g, '')), 0), Number(total), text);
  });
});

describe('explain: a line of an agent, and a line several prompts use', () => {
  const INSTRUCTIONS = 'You are a friendly and helpful customer support assistant working for Acme Corporation. Never promise refunds or discounts, and say so when you do not know.';
  const AGENT = `from agents import Agent, Runner

INSTRUCTIONS = """${INSTRUCTIONS}"""

agent = Agent(
    name="Support",
    instructions=INSTRUCTIONS,
    model="gpt-4o",
)


async def answer(q):
    return await Runner.run(agent, q)


def answer_sync(q):
    return Runner.run_sync(agent, input=q)
`;

  it("the call that builds an agent run in the same file: its runs are explained, and explain says so", async () => {
    const dir = tempDir('pc-explain-agent-');
    fs.writeFileSync(path.join(dir, 'bot.py'), AGENT);
    for (const line of [5, 7, 8]) {
      const t = io(dir);
      assert.strictEqual(await run(['explain', `bot.py:${line}`], t.io), 0, t.err.join(''));
      assert.match(t.out.join(''), /^bot\.py:13 {2}agent\.run\n/);
      const err = t.err.join('');
      assert.match(err, line === 5 ? /^bot\.py:5 builds an agent; the agent is sent with the input of each run of it, so explain shows a run: bot\.py:13, of 2\.$/m : new RegExp(`^bot\\.py:${line} is in the agent built at bot\\.py:5; `, 'm'));
      assert.match(err, /^2 prompts use bot\.py:\d+; explaining the first:\n {2}bot\.py:13 {2}agent\.run at bot\.py:13\n {2}bot\.py:17 {2}agent\.run at bot\.py:17\n/m);
    }
    // --format json: stdout is the run's explanation alone, the words on stderr.
    const j = io(dir);
    assert.strictEqual(await run(['explain', 'bot.py:5', '--format', 'json'], j.io), 0, j.err.join(''));
    assert.strictEqual(JSON.parse(j.out.join('')).prompt.id, 'bot.py:13');
  });

  it('an agent built in one file and run in another: the run is explained, not the bare agent', async () => {
    const dir = tempDir('pc-explain-agent-elsewhere-');
    fs.writeFileSync(path.join(dir, 'support_agent.py'), `from agents import Agent\n\nagent = Agent(\n    name="Support",\n    instructions="""${INSTRUCTIONS}""",\n    model="gpt-4o",\n)\n`);
    fs.writeFileSync(path.join(dir, 'main.py'), 'from agents import Runner\nfrom support_agent import agent\n\n\ndef answer(q):\n    return Runner.run_sync(agent, q)\n');
    for (const line of [3, 5]) {
      const t = io(dir);
      assert.strictEqual(await run(['explain', `support_agent.py:${line}`], t.io), 0, t.err.join(''));
      assert.match(t.out.join(''), /^main\.py:6 {2}agent\.run\n/);
      assert.match(t.err.join(''), /the agent is sent with the input of each run of it, so explain shows its run, main\.py:6\./);
    }
  });

  it('a constant two calls send: says so, lists both, explains the first; --id picks the other', async () => {
    const dir = tempDir('pc-explain-shared-');
    fs.writeFileSync(path.join(dir, 'bot.py'), AGENT);
    const t = io(dir);
    assert.strictEqual(await run(['explain', 'bot.py:3'], t.io), 0, t.err.join(''));
    assert.match(t.out.join(''), /^bot\.py:13 {2}agent\.run\n/);
    assert.strictEqual(t.err.join(''), [
      '2 prompts use bot.py:3; explaining the first:',
      '  bot.py:13  agent.run at bot.py:13',
      '  bot.py:17  agent.run at bot.py:17',
      'For another: prompt-cost explain bot.py:3 --id bot.py:17, or the line of its call: prompt-cost explain bot.py:17',
      '',
    ].join('\n'));
    const other = io(dir);
    assert.strictEqual(await run(['explain', 'bot.py:3', '--id', 'bot.py:17'], other.io), 0, other.err.join(''));
    assert.match(other.out.join(''), /^bot\.py:17 {2}agent\.run\n/);
    assert.match(other.err.join(''), /^2 prompts use bot\.py:3; explaining bot\.py:17:/);
    // The line of a call names it alone: nothing to say.
    const call = io(dir);
    assert.strictEqual(await run(['explain', 'bot.py:17'], call.io), 0);
    assert.deepStrictEqual([call.out.join('').split('\n')[0], call.err.join('')], ['bot.py:17  agent.run', '']);
    const wrong = io(dir);
    assert.strictEqual(await run(['explain', 'bot.py:3', '--id', 'nope'], wrong.io), 2);
    assert.match(wrong.err.join(''), /bot\.py:3: no prompt with id "nope" uses this line; 2 do:\n {2}bot\.py:13 {2}agent\.run at bot\.py:13\n {2}bot\.py:17/);
  });
});
