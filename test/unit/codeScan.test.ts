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
