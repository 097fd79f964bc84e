import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { Engine } from '../../src/core/analyze';
import { emptyConfig, parseConfig } from '../../src/core/config';
import { scanWorkspace } from '../../src/core/workspace';
import { tempDir } from '../tempDir';

function tree(files: Record<string, string>): string {
  const dir = tempDir('pc-code-');
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}

const CALL = (content: string) => `import OpenAI from 'openai';\nconst c = new OpenAI();\nc.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: ${content} }] });\n`;

describe('code scanning', () => {
  it('a jinja2 template loaded and rendered: a variable given a run-time value is a slot, a text passed for one its fragment', async () => {
    const ws = tempDir('pc-jinja-render-');
    fs.mkdirSync(path.join(ws, 'templates'));
    fs.writeFileSync(path.join(ws, 'templates', 'report.j2'), 'Write the weekly report for the {{ team }} team. {{ tone }}\n{% for item in items %}- {{ item }}\n{% endfor %}\n');
    fs.writeFileSync(path.join(ws, 'app.py'), [
      'from jinja2 import Environment, FileSystemLoader',
      'from openai import OpenAI',
      'client = OpenAI()',
      'env = Environment(loader=FileSystemLoader("templates"))',
      'def report(team, items):',
      '    prompt = env.get_template("report.j2").render(team=team, items=items, tone="Keep it short and friendly for the whole team.")',
      '    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": prompt}])',
      '',
    ].join('\n'));
    const report = await scanWorkspace({ root: ws, workers: 0 });
    assert.strictEqual(report.prompts.length, 1);
    const parts = report.prompts[0].parts;
    assert.deepStrictEqual(parts.flatMap((p) => p.slots.map((x) => x.name)).sort(), ['item', 'team']);
    // the template where it is written, and the text passed for `tone` where the call writes it
    assert.deepStrictEqual(parts.map((p) => [p.file ?? 'app.py', p.range.start.line]), [['templates/report.j2', 0], ['app.py', 5]]);
  });

  it('a file with syntax errors still yields the prompts that can be found', async () => {
    const text = CALL("'Say hello to the new user in one friendly sentence.'") + 'function broken( {\n  const = ;\n';
    const r = await new Engine().analyze('broken.ts', text, { config: emptyConfig() });
    assert.strictEqual(r.prompts.length, 1);
    assert.strictEqual(r.prompts[0].kind, 'openai.chat');
  });

  it('an unpriced model that looks like a typo: the diagnostic names the nearest priced models', async () => {
    const dir = tree({ 'src/app.ts': CALL("'You are a precise assistant that answers with citations only.'").replace("model: 'gpt-4o'", "model: 'gpt-4o-mnii'") });
    const r = await scanWorkspace({ root: dir, workers: 0 });
    const d = r.prompts[0].diagnostics.find((x) => x.code === 'unpriced-model');
    assert.match(d?.message ?? '', /No price for model "gpt-4o-mnii" \(did you mean gpt-4o-mini\?\)/);
  });

  it('unpriced-model points at the model where the code writes it, and says how to price it', async () => {
    const dir = tree({
      'src/models.ts': "export const OTHER_MODEL = 'acme-elsewhere-3';\n",
      'src/app.ts': `import OpenAI from 'openai';
import { OTHER_MODEL } from './models';
const c = new OpenAI();
const MODEL = 'acme-mystery-9';
export const a = (q: string) => c.chat.completions.create({
  messages: [{ role: 'system', content: 'You are a precise assistant that answers with citations only.' }, { role: 'user', content: q }],
  model: 'acme-mystery-8',
});
export const b = (q: string) => c.chat.completions.create({
  messages: [{ role: 'system', content: 'You are a terse assistant that answers in one line only.' }, { role: 'user', content: q }],
  model: MODEL,
});
export const d = (q: string) => c.chat.completions.create({
  messages: [{ role: 'system', content: 'You are a careful assistant that answers in French only.' }, { role: 'user', content: q }],
  model: OTHER_MODEL,
});
`,
    });
    const r = await scanWorkspace({ root: dir, workers: 0 });
    const at = (model: string) => {
      const p = r.prompts.find((x) => x.model.id === model)!;
      const d = p.diagnostics.find((x) => x.code === 'unpriced-model')!;
      return { d, start: [d.range.start.line, d.range.start.character], end: [d.range.end.line, d.range.end.character] };
    };
    assert.deepStrictEqual([at('acme-mystery-8').start, at('acme-mystery-8').end], [[6, 9], [6, 25]], 'the literal in the call');
    assert.deepStrictEqual([at('acme-mystery-9').start, at('acme-mystery-9').end], [[3, 14], [3, 30]], 'the constant the call names');
    // written in another file: where the prompt's own text starts, in this file
    assert.deepStrictEqual(at('acme-elsewhere-3').start, [13, 40]);
    const message = at('acme-mystery-8').d.message;
    assert.match(message, /^No price for model "acme-mystery-8"/);
    assert.match(message, /add its price under prices: in \.promptcost\.yaml \(inputUsdPerMillion, outputUsdPerMillion\)/);
    assert.match(message, /`prompt-cost prices --update`/);
  });

  it('unpriced-model in prompt files points at the model line (Prompty, GitHub Models, dotprompt, promptfoo)', async () => {
    const files: Record<string, [string, number]> = {
      'a.prompty': ['---\nname: a\nmodel:\n  api: chat\n  configuration:\n    type: openai\n    name: acme-mystery-1\n---\nsystem:\nYou answer billing questions about invoices and refunds in plain words.\n', 6],
      'b.prompt.yml': ['name: b\nmessages:\n  - role: system\n    content: You answer billing questions about invoices and refunds in plain words.\nmodel: acme/mystery-2\n', 4],
      'c.prompt': ['---\nmodel: acme/mystery-3\n---\n{{role "system"}}\nYou answer billing questions about invoices and refunds in plain words.\n', 1],
      'promptfooconfig.yaml': ['prompts:\n  - You answer billing questions about invoices and refunds in plain words.\nproviders:\n  - openai:gpt-4o-mini\n  - id: acme:mystery-4\n', 4],
    };
    for (const [file, [text, line]] of Object.entries(files)) {
      const r = await new Engine().analyze(file, text, { config: emptyConfig() });
      const d = r.prompts.flatMap((p) => p.diagnostics).find((x) => x.code === 'unpriced-model');
      assert.ok(d, `${file}: ${JSON.stringify(r.prompts.map((p) => p.model))}`);
      assert.strictEqual(d.range.start.line, line, `${file}: ${d.message}`);
    }
  });

  it("a prompt whose first part is imported anchors its diagnostics in its own file, not at the other file's position", async () => {
    const dir = tree({
      'src/prompts.ts': "export const SYSTEM = 'You are a precise assistant that answers with citations only.';\n",
      'src/app.ts': "import { SYSTEM } from './prompts';\n\n\n" + CALL('SYSTEM').replace("model: 'gpt-4o'", "model: 'acme-mystery-9'").replace("content: SYSTEM }]", "content: SYSTEM }, { role: 'user', content: q }]"),
    });
    const r = await scanWorkspace({ root: dir, workers: 0 });
    const d = r.prompts[0].diagnostics.find((x) => x.code === 'unpriced-model');
    assert.ok(d);
    assert.strictEqual(d.range.start.line, 5, 'the line of the call, where its own (user) part is');
  });

  it('imported constants: the part points at the file where the text is written', async () => {
    const dir = tree({
      'src/prompts.ts': "export const SYSTEM = 'You are a precise assistant that answers with citations only.';\n",
      'src/app.ts': "import { SYSTEM } from './prompts';\n" + CALL('SYSTEM'),
    });
    const r = await scanWorkspace({ root: dir, workers: 0 });
    assert.strictEqual(r.prompts.length, 1);
    const [p] = r.prompts;
    assert.strictEqual(p.file, 'src/app.ts');
    assert.strictEqual(p.range.start.line, 3, 'the prompt is the call');
    assert.strictEqual(p.parts[0].file, 'src/prompts.ts');
    assert.deepStrictEqual(p.parts[0].range.start, { line: 0, character: 22 });
  });

  it('slots take their size from config variables, else the default, and say which', async () => {
    const config = parseConfig('variables:\n  context: 2500\n');
    const text = CALL('`Context: ${context}\\nQuestion: ${question}`');
    const r = await new Engine().analyze('a.ts', text, { config });
    assert.deepStrictEqual(r.prompts[0].parts[0].slots, [
      { name: 'context', tokens: 2500, from: '.promptcost.yaml:2' },
      { name: 'question', tokens: 100, from: 'default' },
    ]);
  });

  it('notebooks: code cells are scanned as Python, ranges name the cell', async () => {
    const nb = {
      cells: [
        { cell_type: 'markdown', source: ['# Notes'] },
        { cell_type: 'code', source: ['!pip install openai\n', 'from openai import OpenAI\n', 'client = OpenAI()\n', 'SYSTEM = "You are a terse assistant that answers in exactly one sentence."\n'] },
        { cell_type: 'code', source: ['r = client.chat.completions.create(\n', '    model="gpt-4o-mini",\n', '    messages=[{"role": "system", "content": SYSTEM}, {"role": "user", "content": q}],\n', ')\n'] },
      ],
    };
    const dir = tree({ 'analysis.ipynb': JSON.stringify(nb) });
    const r = await scanWorkspace({ root: dir, workers: 0 });
    assert.strictEqual(r.prompts.length, 1);
    const [p] = r.prompts;
    assert.deepStrictEqual([p.file, p.cell, p.range.start.line, p.id], ['analysis.ipynb', 2, 0, 'analysis.ipynb:cell3:1']);
    assert.deepStrictEqual([p.parts[0].role, p.parts[0].cell, p.parts[0].range.start.line], ['system', 1, 3]);
  });

  it('a broken notebook is reported, not fatal', async () => {
    const dir = tree({ 'bad.ipynb': '{"cells": [', 'ok.prompt.yml': 'model: gpt-4o\nmessages:\n  - role: user\n    content: hi\n' });
    const r = await scanWorkspace({ root: dir, workers: 0 });
    assert.strictEqual(r.prompts.length, 1);
    assert.match(r.diagnostics.find((d) => d.file === 'bad.ipynb')!.message, /not valid notebook JSON/);
  });

  it('minified files are skipped with a reason', async () => {
    const min = `var a=${JSON.stringify('x'.repeat(100))};` + 'openai.chat.completions.create({model:"gpt-4o",messages:[{role:"user",content:"hello there friend"}]});'.repeat(60);
    const dir = tree({ 'dist2/app.min.js': 'openai.chat.completions.create({})', 'vendor/bundle.js': min, 'ok.ts': CALL("'Hello!'") });
    const r = await scanWorkspace({ root: dir, workers: 0 });
    assert.deepStrictEqual(r.skipped, [{ file: 'dist2/app.min.js', reason: 'minified' }, { file: 'vendor/bundle.js', reason: 'minified' }]);
    assert.strictEqual(r.prompts.length, 1);
  });

  it("the file check before parsing lets through calls known only by an argument's name: chat(message=…), prompt_text=", async () => {
    // No SDK, prompt or instruction word anywhere in these files (marker fixtures always hold "@prompt").
    const dir = tree({
      'tool.py': 'import cohere\n\ndef run(page):\n    co = cohere.Client()\n    return co.chat(\n        message=f"Summarise this page in five bullet points: {page}"\n    )\n',
      'hand.py': 'def hand_off(send, question):\n    return send(Handoff(prompt_text=f"Answer from the notes only: {question}"))\n',
    });
    const found = (await scanWorkspace({ root: dir, workers: 0 })).prompts.map((p) => `${p.file}:${p.range.start.line + 1}`).sort();
    assert.deepStrictEqual(found, ['hand.py:2', 'tool.py:5']);
  });

  it('heuristic findings can be turned off', async () => {
    const dir = tree({ 'p.py': 'SUMMARY_PROMPT = "Summarize the customer conversation in two sentences, neutral tone, no names."\n' });
    assert.strictEqual((await scanWorkspace({ root: dir, workers: 0 })).prompts[0].confidence, 'heuristic');
    assert.strictEqual((await scanWorkspace({ root: dir, workers: 0, heuristics: false })).prompts.length, 0);
  });

  it('worker threads give the same report as one thread', async function () {
    this.timeout(60000);
    const dir = path.join(__dirname, '..', 'fixtures', 'code');
    const one = await scanWorkspace({ root: dir, workers: 0 });
    const two = await scanWorkspace({ root: dir, workers: 2 });
    assert.ok(one.prompts.length > 40);
    assert.deepStrictEqual(two, one);
  });
});

describe('incremental re-analysis', () => {
  it('re-analysing edited text (reusing the previous tree) gives what a fresh analysis gives', async () => {
    const base = "import OpenAI from 'openai';\nconst c = new OpenAI();\n// 🚀 emoji before the call shifts UTF-16 offsets\n" +
      "c.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'system', content: 'Be brief. Cite sources.' }, { role: 'user', content: q }] });\n";
    const edits = [
      base.replace('Be brief.', 'Be very brief — ✨ and kind.'),
      base.replace("model: 'gpt-4o'", "model: 'gpt-4o-mini', max_tokens: 50"),
      base + "c.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'Second prompt here.' }] });\n",
      base.replace('c.chat', 'const x = 1;\nc.chat'),
      base,
    ];
    const incremental = new Engine();
    await incremental.analyze('a.ts', base, { config: emptyConfig() });
    for (const text of edits) {
      const a = incremental.analyzeSync('a.ts', text, { config: emptyConfig() });
      const b = await new Engine().analyze('a.ts', text, { config: emptyConfig() });
      assert.deepStrictEqual(a, b);
    }
  });
});
