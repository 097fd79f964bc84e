import * as assert from 'assert';
import { Engine } from '../../src/core/analyze';
import { emptyConfig } from '../../src/core/config/types';
import { finishCompress, planCompress, savingOf, tidyCompress, type CompressPlan } from '../../src/core/compress';
import { guardWarnings } from '../../src/core/compress/guards';
import { protect, restore } from '../../src/core/compress/placeholders';
import { stripFence } from '../../src/core/compress/chat';
import { LineIndex } from '../../src/core/text';

const engine = new Engine();
const options = { engine, analyze: { config: emptyConfig() }, compressModel: 'gpt-4o-mini' };

function apply(text: string, edit: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }): string {
  const lines = new LineIndex(text);
  return text.slice(0, lines.offset(edit.range.start)) + edit.newText + text.slice(lines.offset(edit.range.end));
}

async function plan(file: string, text: string, line: number): Promise<CompressPlan> {
  return planCompress({ file, text, line }, options);
}

describe('compress: placeholders', () => {
  it('replaces every kind of placeholder by a sentinel and restores them', () => {
    const text = 'Hi \ue000, {customer_name} and {{ user.name }}; {% if vip %}VIP{% endif %} {{#if x}}y{{/if}} %s %(name)s ${input:topic} {} {0} 100%% {"json": 1}';
    const p = protect(text, ['${customerName}']);
    assert.deepStrictEqual(p.sentinels.map((s) => s.source), ['${customerName}', '{customer_name}', '{{ user.name }}', '{% if vip %}', '{% endif %}', '{{#if x}}', '{{/if}}', '%s', '%(name)s', '${input:topic}', '{}', '{0}', '%%']);
    assert.ok(!/[{}%$]/.test(p.text.replace(/\{"json": 1\}/, '')), p.text);
    const r = restore(p.text, p);
    assert.deepStrictEqual(r, { ok: true, text });
  });

  it('rejects a reply that drops, repeats or invents a placeholder, naming it', () => {
    const p = protect('Dear {customer_name}, about \ue000: be brief.', ['${order.id}']);
    const [a, b] = p.sentinels.map((s) => s.token);
    assert.deepStrictEqual(restore(`Dear ${a}: brief.`, p), { ok: false, reason: 'the rewrite dropped the placeholder `${order.id}`' });
    assert.deepStrictEqual(restore(`${a} ${a} ${b}`, p), { ok: false, reason: 'the rewrite repeats the placeholder `{customer_name}` (2 times)' });
    assert.match((restore(`${a} ${b} [[V9]]`, p) as { reason: string }).reason, /invented a placeholder \(\[\[V9\]\]\)/);
    assert.match((restore(`${a} ${b} {discount}`, p) as { reason: string }).reason, /invented a placeholder `\{discount\}`/);
  });

  it('keeps block tags and positional values in order', () => {
    const p = protect('{% if a %}x{% endif %} %s then %s', []);
    const t = p.sentinels.map((s) => s.token);
    assert.strictEqual(restore(`${t[1]} ${t[0]} ${t[2]} ${t[3]}`, p).ok, false);
    assert.strictEqual(restore(`${t[0]} ${t[1]} ${t[3]} ${t[2]}`, p).ok, false);
    assert.strictEqual(restore(`${t[0]}y${t[1]} ${t[2]}, ${t[3]}`, p).ok, true);
  });

  it('picks other brackets when the text already holds [[V', () => {
    const p = protect('See [[V1]] and {x}', []);
    assert.strictEqual(p.sentinels[0].token, '⟦V1⟧');
  });

  it('strips one surrounding code fence from a reply, and only one', () => {
    assert.strictEqual(stripFence('```text\nBe brief.\n```'), 'Be brief.');
    assert.strictEqual(stripFence('Be brief.'), 'Be brief.');
    assert.strictEqual(stripFence('```\na\n```\nmid\n```\nb\n```'), '```\na\n```\nmid\n```\nb\n```');
  });
});

describe('compress: guards', () => {
  it('warns for lost numbers, negations, URLs, fences, JSON keys and quoted strings', () => {
    const before = 'Never reply in more than 120 words. Do not guess. Only cite https://acme.test/policy. Reply as {"answer": "..."} and say "I am not sure".\n```\nx\n```';
    const after = 'Reply briefly. Guess freely. Cite the policy.';
    const w = guardWarnings(before, after, /\[\[V\d+\]\]/g);
    for (const expected of ['“120”', '“never”', '“do not”', '“only”', 'https://acme.test/policy', 'code fence', '"answer"', '"I am not sure"']) {
      assert.ok(w.some((x) => x.includes(expected)), `${expected} in ${JSON.stringify(w)}`);
    }
    assert.deepStrictEqual(guardWarnings(before, before, /\[\[V\d+\]\]/g), []);
    assert.deepStrictEqual(guardWarnings("Don't guess.", 'Do not guess.', /x/g), []);
  });
});

/** A reply that exercises escaping: quotes of every kind, backslashes, `${`, braces, a line break. */
const TRICKY = 'Say \'hi\' and "bye", use a `tick`, a \\ backslash, cost $5 or $ {x, a brace {"k": 1} and """ triple.\nSecond line.';

interface Case { name: string; file: string; text: string; line: number; tricky?: string }

const CASES: Case[] = [
  { name: 'JS single quotes', file: 'a.js', line: 2, text: "const openai = require('openai');\nconst c = new openai.OpenAI();\nc.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'system', content: 'You are a helpful assistant. Please always answer politely and briefly.' }] });\n" },
  { name: 'JS double quotes', file: 'a.ts', line: 2, text: "import OpenAI from 'openai';\nconst c = new OpenAI();\nc.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'system', content: \"You are a helpful assistant. Please always answer politely and briefly.\" }] });\n" },
  { name: 'TS template literal with ${} and backticks', file: 'a.ts', line: 3, text: "import OpenAI from 'openai';\nconst c = new OpenAI();\nexport async function f(name: string) {\n  return c.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'system', content: `You are a helpful assistant for ${name}.\n    Please always answer politely and briefly.` }] });\n}\n" },
  { name: 'TS concatenation into one template literal', file: 'a.ts', line: 3, text: "import OpenAI from 'openai';\nconst c = new OpenAI();\nexport async function f(name: string) {\n  return c.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'system', content: 'You are a helpful assistant for ' + name + '. Please always answer politely and briefly.' }] });\n}\n" },
  { name: 'Python single quotes', file: 'a.py', line: 2, text: "import openai\nclient = openai.OpenAI()\nclient.chat.completions.create(model='gpt-4o', messages=[{'role': 'system', 'content': 'You are a helpful assistant. Please always answer politely and briefly.'}])\n" },
  { name: 'Python triple quotes', file: 'a.py', line: 2, text: 'import openai\nclient = openai.OpenAI()\nSYSTEM = """You are a helpful assistant.\nPlease always answer politely and briefly."""\nclient.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": SYSTEM}])\n' },
  { name: 'Python f-string (brace doubling)', file: 'a.py', line: 3, text: "import openai\nclient = openai.OpenAI()\ndef f(name):\n    return client.chat.completions.create(model='gpt-4o', messages=[{'role': 'system', 'content': f'You are a helpful {{json}} assistant for {name}. Please always answer politely and briefly.'}])\n" },
  { name: 'Python triple-quoted f-string in dedent()', file: 'a.py', line: 4, text: 'import openai\nimport textwrap\nclient = openai.OpenAI()\ndef f(name):\n    system = textwrap.dedent(f"""\n        You are a helpful assistant for {name}.\n        Please always answer politely and briefly.\n    """)\n    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": system}])\n' },
  { name: 'Python raw string', file: 'a.py', line: 2, text: "import openai\nclient = openai.OpenAI()\nclient.chat.completions.create(model='gpt-4o', messages=[{'role': 'system', 'content': r'You are a helpful assistant. Match \\d+ digits. Please always answer politely and briefly.'}])\n", tricky: 'Match \\d+ digits, "politely".' },
  { name: 'YAML literal block scalar', file: 'p.prompt.yml', line: 3, text: 'messages:\n  - role: system\n    content: |\n      You are a helpful assistant for {{name}}.\n      Please always answer politely and briefly.\nmodel: openai/gpt-4o\n' },
  { name: 'YAML folded block scalar', file: 'p.prompt.yml', line: 3, text: 'messages:\n  - role: system\n    content: >-\n      You are a helpful assistant for {{name}}.\n      Please always answer politely and briefly.\nmodel: openai/gpt-4o\n' },
  { name: 'YAML plain scalar', file: 'p.prompt.yml', line: 2, text: 'messages:\n  - role: system\n    content: You are a helpful assistant for {{name}}. Please always answer politely and briefly.\nmodel: openai/gpt-4o\n' },
  { name: 'YAML single-quoted scalar', file: 'p.prompt.yml', line: 2, text: "messages:\n  - role: system\n    content: 'You are a helpful assistant for {{name}}. Please always answer politely and briefly.'\nmodel: openai/gpt-4o\n" },
  { name: 'YAML double-quoted scalar', file: 'p.prompt.yml', line: 2, text: 'messages:\n  - role: system\n    content: "You are a helpful assistant for {{name}}. Please always answer politely and briefly."\nmodel: openai/gpt-4o\n' },
  { name: 'Prompty body', file: 'p.prompty', line: 5, text: '---\nname: x\nmodel:\n  api: chat\n---\nsystem:\nYou are a helpful assistant for {{name}}. Please always answer politely and briefly.\n\nuser:\n{{q}}\n' },
];

const LONG = 'Please always answer politely and briefly, and remember that being polite and brief matters to every single customer we serve on any day of the week, whatever they ask. '.repeat(3).trim();
for (const c of CASES) c.text = c.text.replace('Please always answer politely and briefly.', LONG);

describe('compress: escaping round trips (rewrite applied, file re-parsed, text read back equal)', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const p = await plan(c.file, c.text, c.line);
      const tricky = c.tricky ?? TRICKY;
      // The reply keeps the sentinels and replaces the prose with text that needs escaping.
      const reply = p.protectedText.sentinels.map((s) => s.token).join(' ') + ' ' + tricky;
      const r = await finishCompress(p, reply, { ...options, text: c.text });
      if (/raw string/.test(c.name) && r.status === 'rejected') assert.fail(r.reason);
      assert.ok(r.status === 'ok' || r.status === 'no-saving', `${r.status}: ${r.reason}`);
      assert.ok(r.after && r.edit, `${r.status}: ${r.reason}`);
      const edit = r.edit ?? { range: p.target.range, newText: '' };
      const updated = apply(c.text, edit);
      // The engine reads the new file: the part at the literal's place has the rewrite as its text.
      const d = engine.detectSync(c.file, updated, {});
      const start = new LineIndex(updated).offset(edit.range.start);
      const parts = d.detected.flatMap((x) => x.parts);
      const part = parts.find((x) => new LineIndex(updated).offset(x.range.start) >= start - 30 && x.text.includes(tricky.slice(-8)));
      assert.ok(part, `no part with the rewrite in:\n${updated}`);
      const expected = p.target.slots.reduce((t, s) => t.split(s).join(''), r.after!.text);
      const codeFile = /\.(ts|js|py)$/.test(c.file);
      assert.strictEqual(part!.text.trim(), (codeFile ? expected : r.after!.text).trim(), updated);
      assert.strictEqual(part!.slots.length, codeFile ? p.target.slots.length : part!.slots.length);
      assert.ok(r.after!.text.includes(tricky.split('\n')[0].replace(/\\\\/g, '\\')) || r.after!.text.includes(tricky.split('\n')[0]));
      // And a raw reading of the new literal gives the same visible text.
      const again = await plan(c.file, updated, edit.range.start.line);
      assert.strictEqual(again.before.text, r.after!.text);
    });
  }

  it('refuses what a raw string cannot hold, instead of changing its meaning', async () => {
    const c = CASES.find((x) => x.name === 'Python raw string')!;
    const p = await plan(c.file, c.text, c.line);
    const r = await finishCompress(p, "Don't use 'quotes'.", { ...options, text: c.text });
    assert.strictEqual(r.status, 'rejected');
    assert.match(r.reason!, /raw string cannot hold its own quote/);
  });

  it('refuses a rewrite that would make a prompt found by its wording vanish; keeps one that still reads as it', async () => {
    const text = 'declare function send(t: string): void;\nexport const go = (doc: string) => send(`Summarize the following quarterly report in three short bullet points, each with one number from it, for the finance team to read on Monday:\n${doc}`);\n';
    const p = await plan('report.ts', text, 1);
    assert.strictEqual(p.prompt.confidence, 'heuristic');
    const gone = await finishCompress(p, 'Three bullets, one number each, for finance:\n' + p.protectedText.text.slice(p.protectedText.text.lastIndexOf('\n') + 1), { ...options, text });
    assert.strictEqual(gone.status, 'rejected');
    assert.match(gone.reason!, /no longer be found as a prompt/);
    const kept = await finishCompress(p, 'Summarize the following report in three bullets, one number each:\n' + p.protectedText.text.slice(p.protectedText.text.lastIndexOf('\n') + 1), { ...options, text });
    assert.strictEqual(kept.status, 'ok', kept.reason);
  });
});

describe('compress: a rewrite must still be read as a prompt', () => {
  it('refuses a rewrite too short to be a prompt any more (a word beside a placeholder), which would drop the part from the figures', async () => {
    const text = 'reviewer:\n  model: gpt-4o-mini\n  instructions: |\n    You check the menu for allergens and say which dish holds which.\n  prompt: "Review this menu for the family: {menu}"\n';
    const p = await plan('team.yaml', text, 4);
    const r = await finishCompress(p, `menu ${p.protectedText.sentinels[0].token}`, { ...options, text });
    assert.strictEqual(r.status, 'rejected');
    assert.match(r.reason!, /no longer be found as a prompt part/);
    const ok = await finishCompress(p, p.protectedText.text.replace('Review this menu for the family:', 'Review the family menu:'), { ...options, text });
    assert.strictEqual(ok.status, 'ok');
  });
});

describe('compress: tidy whitespace', () => {
  it('drops trailing spaces, blank-line runs and sent indentation, with the exact token saving', async () => {
    const text = 'import openai\nclient = openai.OpenAI()\nSYSTEM = """You are a helpful assistant.   \n    Please answer politely.\n\n\n\n    Be brief."""\nclient.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": SYSTEM}])\n';
    const p = await plan('t.py', text, 2);
    const r = await tidyCompress(p, { ...options, text });
    assert.strictEqual(r.status, 'ok', r.reason);
    assert.strictEqual(r.after!.text, 'You are a helpful assistant.\nPlease answer politely.\n\nBe brief.');
    assert.strictEqual(r.saved!.tokens, engine.counter.count(p.before.text, 'gpt-4o').tokens - engine.counter.count(r.after!.text, 'gpt-4o').tokens);
    assert.ok(r.saved!.tokens > 0);
    const again = await plan('t.py', apply(text, r.edit!), 2);
    assert.strictEqual((await tidyCompress(again, { ...options, text: apply(text, r.edit!) })).status, 'no-saving');
  });

  it('keeps indentation a dedent() call removes anyway', async () => {
    const text = 'import openai\nimport textwrap\nclient = openai.OpenAI()\nSYSTEM = textwrap.dedent("""\n    You are a helpful assistant.   \n    Be brief.\n""")\nclient.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": SYSTEM}])\n';
    const p = await plan('t.py', text, 3);
    const r = await tidyCompress(p, { ...options, text });
    assert.strictEqual(r.status, 'ok', r.reason);
    assert.match(r.edit!.newText, /\n {4}You are a helpful assistant\.\n {4}Be brief\.\n"""/);
  });
});

describe('compress: the saving is what the prompt pays', () => {
  // A cached prefix: a long static system prompt (over OpenAI's 1,024-token minimum) before the
  // user's run-time message, at enough traffic that the cache is hit most of the time.
  const rules = (n: number) => Array.from({ length: n }, (_, i) => `Rule ${i + 1}: answer the customer politely, briefly and in their language.`).join(' ');
  const source = (system: string) => `from openai import OpenAI\n\nclient = OpenAI()\n\n# prompt-cost: callsPerDay=50000\nSYSTEM = "${system}"\n\n\ndef reply(question):\n    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": SYSTEM}, {"role": "user", "content": question}])\n`;

  it('a part in a cached prefix saves at the cached input price, not the uncached one', async () => {
    const text = source(rules(120));
    const p = await plan('cached.py', text, 5);
    assert.ok(p.prompt.cache?.applied && p.prompt.cache.hitRate > 0.5, JSON.stringify(p.prompt.cache));
    const r = await finishCompress(p, rules(100), { ...options, text });
    assert.strictEqual(r.status, 'ok', r.reason);
    // The same prompt, priced as the engine prices the rewritten file.
    const after = engine.price(engine.detectSync('cached.py', apply(text, r.edit!), {}), options.analyze).prompts[0];
    assert.ok(after.cache?.applied);
    const expected = p.prompt.cost.monthlyUsd! - after.cost.monthlyUsd!;
    assert.ok(Math.abs(r.saved!.monthlyUsd - expected) < 1e-9, `${r.saved!.monthlyUsd} vs ${expected}`);
    // Less than the same tokens at the uncached input price (what it used to say).
    const uncached = savingOf(p.prompt, r.saved!.tokens, options.analyze);
    assert.ok(r.saved!.monthlyUsd < uncached.monthlyUsd * 0.8, `${r.saved!.monthlyUsd} vs uncached ${uncached.monthlyUsd}`);
    assert.ok(r.saved!.perCallUsd < uncached.perCallUsd * 0.8);
  });

  it('an uncached prompt saves at the input price, without float noise', async () => {
    const text = source(rules(30));
    const p = await plan('small.py', text, 5);
    assert.ok(!p.prompt.cache?.applied);
    const r = await finishCompress(p, rules(20), { ...options, text });
    assert.strictEqual(r.status, 'ok', r.reason);
    const uncached = savingOf(p.prompt, r.saved!.tokens, options.analyze);
    assert.ok(Math.abs(r.saved!.perCallUsd - uncached.perCallUsd) < 1e-12, `${r.saved!.perCallUsd} vs ${uncached.perCallUsd}`);
    assert.strictEqual(r.saved!.perCallUsd, Number(r.saved!.perCallUsd.toPrecision(12)));
  });
});

describe('compress: notebook cells', () => {
  const system = 'You are a very friendly and helpful assistant for {user}. Please always make sure that every answer you give is short, clear and to the point, and never promise refunds.';
  const cells = [
    '# Setup\nfrom openai import OpenAI\nclient = OpenAI()\n',
    `%pip install openai\nSYSTEM = f"${system}"\n`,
    'def ask(user, q):\n    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": SYSTEM}, {"role": "user", "content": q}])\n',
  ];
  const notebook = (srcs: string[]) => JSON.stringify({ cells: [{ cell_type: 'markdown', source: '# Notes' }, ...srcs.map((source) => ({ cell_type: 'code', source }))] });

  it('rewrites the literal in its cell: the edit is in cell coordinates and the cell reads back rewritten', async () => {
    const text = notebook(cells);
    // Cell 3 of the notebook (index 2: the markdown cell is index 0), line 2 of that cell (1-based).
    const p = await planCompress({ file: 'nb.ipynb', text, line: 1, cell: 2 }, options);
    assert.strictEqual(p.line, 2, 'the line within the cell');
    assert.strictEqual(p.before.text, system);
    const reply = p.protectedText.sentinels.map((s) => s.token).join(' ') + ': brief answers, never promise refunds.';
    const r = await finishCompress(p, reply, { ...options, text });
    assert.strictEqual(r.status, 'ok', r.reason);
    assert.strictEqual(r.edit!.cell, 2);
    assert.strictEqual(r.edit!.range.start.line, 1);
    const cell = apply(cells[1], r.edit!);
    assert.strictEqual(cell, `%pip install openai\nSYSTEM = f"{user}: brief answers, never promise refunds."\n`);
    assert.ok(r.saved!.monthlyUsd > 0);
    // The rewritten notebook is read by the engine with the new text in the prompt.
    const again = engine.price(engine.detectSync('nb.ipynb', notebook([cells[0], cell, cells[2]]), {}), options.analyze).prompts[0];
    assert.strictEqual(again.cell, 3, 'the call is in the last cell');
    assert.strictEqual(again.parts[0].cell, 2, 'the text in the cell that was rewritten');
    assert.ok(again.parts[0].tokens < p.prompt.parts[0].tokens);
  });

  it('without a cell, or on a markdown cell, says which cell to name', async () => {
    await assert.rejects(planCompress({ file: 'nb.ipynb', text: notebook(cells), line: 1 }, options), /name a code cell/);
    await assert.rejects(planCompress({ file: 'nb.ipynb', text: notebook(cells), line: 0, cell: 0 }, options), /cell 1 is not a code cell/);
  });
});

describe('compress: the rewrite still reads as the prompt', () => {
  it('refuses a rewrite so short that detection would no longer count it as the part', async () => {
    const text = [
      "import { generateText } from 'ai';",
      'export const rewrite = (query: string) => ({',
      "  system: 'You rewrite search queries so that a search engine finds better pages.',",
      '  user: `Rewrite this query: ${query}`,',
      '});',
      "await generateText({ model: 'gpt-4o-mini', ...rewrite('cheap flights') });",
    ].join('\n');
    const p = await planCompress({ file: 'a.ts', text, line: 3, character: 10 }, options);
    assert.match(p.before.text, /^Rewrite this query/);
    const slot = p.protectedText.sentinels[0].token;
    const r = await finishCompress(p, `Rewrite ${slot}`, { ...options, text });
    assert.strictEqual(r.status, 'rejected');
    assert.match(r.reason!, /no longer be found as a prompt part/);
    // A shorter rewrite that still reads as the part is applied.
    const ok = await finishCompress(p, `Rewrite this search query: ${slot}`, { ...options, text });
    assert.notStrictEqual(ok.status, 'rejected', ok.reason);
  });
});

describe('compress: choosing the part', () => {
  it('a position inside a part names that part even when the part number no longer fits (a rewrite changed the count)', async () => {
    const text = [
      'const client = new OpenAI();',
      'await client.chat.completions.create({ model: "gpt-4o-mini", messages: [',
      '  { role: "system", content: "You are a careful assistant who answers questions about invoices in plain English." },',
      '  { role: "user", content: "Please summarise the invoice below and list every line item with its amount." },',
      '] });',
    ].join('\n');
    const second = await planCompress({ file: 'a.ts', text, line: 3, character: 40 }, options);
    assert.match(second.before.text, /^Please summarise/);
    // Part 7 does not exist; the position still says which part is meant.
    const byPosition = await planCompress({ file: 'a.ts', text, line: 3, character: 40, part: 7 }, options);
    assert.strictEqual(byPosition.before.text, second.before.text);
    // Without a position the number is the contract, and out of range is a usage error.
    await assert.rejects(planCompress({ file: 'a.ts', text, line: 3, part: 7 }, options), /--part 8 is out of range/);
  });
});
