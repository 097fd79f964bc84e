// `prompt-cost compress` on prompt files: the saving is priced at the model `scan` gives the prompt
// (a model named in a file beside it, in the file's own settings), and text a prompt reads from another
// file is rewritten in that file — against the server on 127.0.0.1.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { run } from '../../src/cli/main';
import { Engine } from '../../src/core/analyze';
import { CompressError, planCompress } from '../../src/core/compress';
import { emptyConfig } from '../../src/core/config/types';
import { rewriting, startFakeOpenAI, type FakeOpenAI } from '../fakeOpenAI';
import { tempDir } from '../tempDir';

async function cli(args: string[], cwd: string, env: Record<string, string | undefined> = { OPENAI_API_KEY: 'sk-test-key' }) {
  let stdout = '';
  let stderr = '';
  const code = await run(args, { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), readStdin: () => Buffer.from(''), stderrIsTTY: false, cwd, env });
  return { code, stdout, stderr };
}

/** Wordy text the fake server shortens by dropping one phrase. */
const WORDY = 'You are a careful and very thorough assistant who always answers every question in a way that is helpful, complete and correct. Please make sure that your answer is as concise as you possibly can.';
const shorten = rewriting((t) => t.replace(' and very thorough', '').replace('Please make sure that your', 'Your'));

function write(dir: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
}

/** The scan's prompts, by id: the model each is priced at. */
async function scanned(dir: string): Promise<{ id: string; file: string; model: { id: string }; parts: { file?: string; range: { start: { line: number } } }[] }[]> {
  const r = await cli(['scan', '--format', 'json', '--no-cache'], dir);
  assert.strictEqual(r.code, 0, r.stderr);
  return JSON.parse(r.stdout).prompts;
}

/** What `prompt-cost cost` says `tokens` fewer input tokens save on `model` at 1,000 calls/day. */
async function costOf(dir: string, model: string, tokens: number): Promise<{ perCallUsd: number; monthlyUsd: number }> {
  const r = await cli(['cost', '--model', model, '--input', String(tokens), '--output', '0', '--calls-per-day', '1000', '--format', 'json'], dir);
  assert.strictEqual(r.code, 0, r.stderr);
  return JSON.parse(r.stdout);
}

/** The report's compression lever (from the rewrites compress cached), by prompt id. */
async function lever(dir: string): Promise<Record<string, number | undefined>> {
  const r = await cli(['scan', '--format', 'html', '--no-cache'], dir);
  assert.strictEqual(r.code, 0, r.stderr);
  const data = JSON.parse(/<script type="application\/json" id="prompt-cost-data">(.*?)<\/script>/s.exec(r.stdout)![1]) as { prompts: { id: string; compress?: { monthlySavingsUsd: number } }[] };
  return Object.fromEntries(data.prompts.map((p) => [p.id, p.compress?.monthlySavingsUsd]));
}

describe('cli compress on prompt files: the saving at the model the scan prices the prompt at', function () {
  this.timeout(60000);
  let fake: FakeOpenAI;
  let dir: string;
  beforeEach(async () => {
    dir = tempDir('prompt-cost-compress-files-');
    fake = await startFakeOpenAI(shorten);
  });
  afterEach(async () => {
    await fake?.close();
  });

  const kinds: { name: string; files: Record<string, string>; at: string; model: string }[] = [
    {
      name: 'a Semantic Kernel prompt folder (model_id in config.json beside skprompt.txt)',
      files: {
        'Writer/Story/skprompt.txt': `${WORDY} Write about {{$topic}}.\n`,
        'Writer/Story/config.json': JSON.stringify({ schema: 1, type: 'completion', description: 'Writes a story', execution_settings: { default: { model_id: 'gpt-4o', max_tokens: 500 } }, input_variables: [{ name: 'topic', description: 'the topic', default: 'rain' }] }, null, 2),
      },
      at: 'Writer/Story/skprompt.txt:1',
      model: 'gpt-4o',
    },
    {
      name: 'a Prompty file (the deployment in its frontmatter)',
      files: { 'support.prompty': `---\nname: Support\nmodel:\n  api: chat\n  configuration:\n    type: azure_openai\n    azure_deployment: gpt-4o\n---\nsystem:\n${WORDY}\n\nuser:\n{{question}}\n` },
      at: 'support.prompty:10',
      model: 'gpt-4o',
    },
    {
      name: 'a GitHub .prompt.yml (its model field)',
      files: { 'answer.prompt.yml': `name: Answer\nmodel: openai/gpt-4.1\nmessages:\n  - role: system\n    content: ${WORDY}\n  - role: user\n    content: '{{question}}'\n` },
      at: 'answer.prompt.yml:5',
      model: 'gpt-4.1',
    },
  ];
  for (const k of kinds) {
    it(k.name, async () => {
      write(dir, k.files);
      const prompts = await scanned(dir);
      assert.strictEqual(prompts.length, 1, JSON.stringify(prompts));
      assert.strictEqual(prompts[0].model.id.replace(/^openai\//, ''), k.model, 'the scan prices it at the model the files name');
      const r = await cli(['compress', '--yes', k.at, '--base-url', fake.baseURL, '--format', 'json'], dir);
      assert.strictEqual(r.code, 0, r.stderr + r.stdout);
      const out = JSON.parse(r.stdout);
      assert.strictEqual(out.status, 'ok', out.reason);
      assert.strictEqual(out.model, 'gpt-4o-mini', 'the rewriting model is not the prompt model');
      assert.strictEqual(out.promptModel, prompts[0].model.id);
      assert.ok(out.saved.tokens > 0);
      const cost = await costOf(dir, k.model, out.saved.tokens);
      // The same figures (compress rounds off the float noise of a difference: 0.5249999999999999 → 0.525).
      const near = (a: number, b: number) => Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b));
      assert.ok(near(out.saved.perCallUsd, cost.perCallUsd) && near(out.saved.monthlyUsd, cost.monthlyUsd), `${JSON.stringify(out.saved)} vs ${JSON.stringify(cost)} on ${k.model}`);
      // The report's compression lever prices the cached rewrite the same way.
      assert.strictEqual((await lever(dir))[prompts[0].id], out.saved.monthlyUsd);
      const text = await cli(['compress', '--yes', k.at, '--base-url', fake.baseURL], dir);
      assert.match(text.stdout, new RegExp(`saves ${out.saved.tokens} tokens/call \\([\\d,]+ → [\\d,]+\\) on ${prompts[0].model.id.replace('/', '\\/')}, `));
    });
  }

  it('a TOML prompt is refused before any request, saying TOML is not rewritten yet (the file unchanged)', async () => {
    const toml = `[review_prompt]\nsystem = "${WORDY}"\nuser = "Diff: {{ diff }}"\n`;
    write(dir, { 'settings/review_prompts.toml': toml });
    const r = await cli(['compress', '--yes', 'settings/review_prompts.toml:2', '--base-url', fake.baseURL], dir);
    assert.notStrictEqual(r.code, 0);
    assert.match(r.stderr, /compress does not rewrite TOML strings yet/);
    assert.strictEqual(fake.requests.length, 0, 'nothing sent');
    assert.strictEqual(fs.readFileSync(path.join(dir, 'settings', 'review_prompts.toml'), 'utf8'), toml);
  });
});

describe('cli compress on a prompt whose text is in another file (a flow template, a promptfoo file:// prompt, a file code reads)', function () {
  this.timeout(60000);
  let fake: FakeOpenAI;
  let dir: string;
  beforeEach(async () => {
    dir = tempDir('prompt-cost-compress-refs-');
    fake = await startFakeOpenAI(shorten);
  });
  afterEach(async () => {
    await fake?.close();
  });
  const compress = async (at: string, ...more: string[]) => {
    const r = await cli(['compress', '--yes', at, '--base-url', fake.baseURL, '--format', 'json', ...more], dir);
    return { ...r, out: r.stdout ? JSON.parse(r.stdout) : undefined };
  };

  const FLOW = `inputs:\n  question:\n    type: string\nnodes:\n- name: answer\n  type: llm\n  source:\n    type: code\n    path: answer.jinja2\n  inputs:\n    deployment_name: gpt-4o\n    question: \${inputs.question}\n  api: chat\n`;
  const TEMPLATE = `system:\n${WORDY}\n\nuser:\n{{question}}\n`;

  it('a promptflow node: compress at the flow or at its template rewrites the template, priced at the node\'s model; --apply edits only the template', async () => {
    write(dir, { 'flows/qa/flow.dag.yaml': FLOW, 'flows/qa/answer.jinja2': TEMPLATE });
    const [prompt] = await scanned(dir);
    assert.strictEqual(prompt.model.id, 'gpt-4o');
    const atFlow = await compress('flows/qa/flow.dag.yaml:5');
    assert.strictEqual(atFlow.code, 0, atFlow.stderr + atFlow.stdout);
    const out = atFlow.out;
    assert.deepStrictEqual([out.status, out.file, out.line, out.promptModel], ['ok', 'flows/qa/answer.jinja2', 2, 'gpt-4o']);
    assert.strictEqual(out.before.text, WORDY);
    assert.match(out.diff, /^--- flows\/qa\/answer\.jinja2:2 \(before\)\n\+\+\+ flows\/qa\/answer\.jinja2:2 \(after\)$/m);
    const cost = await costOf(dir, 'gpt-4o', out.saved.tokens);
    assert.ok(Math.abs(out.saved.perCallUsd - cost.perCallUsd) < 1e-12, `${out.saved.perCallUsd} vs ${cost.perCallUsd}`);
    assert.strictEqual((await lever(dir))[prompt.id], out.saved.monthlyUsd, 'the report\'s lever finds the rewrite in the template');
    // The template named by its own line: the same rewrite (from the cache: one request in all).
    const atTemplate = await compress('flows/qa/answer.jinja2:2');
    assert.strictEqual(atTemplate.code, 0, atTemplate.stderr + atTemplate.stdout);
    assert.deepStrictEqual(atTemplate.out, out);
    assert.strictEqual(fake.requests.length, 1);
    // The text format says where the text is and which file changes.
    const text = await cli(['compress', '--yes', 'flows/qa/flow.dag.yaml:5', '--base-url', fake.baseURL], dir);
    assert.match(text.stdout, /^flows\/qa\/answer\.jinja2:2: saves \d+ tokens\/call/m);
    assert.match(text.stderr, /^note: the text of flows\/qa\/flow\.dag\.yaml:5 is written in flows\/qa\/answer\.jinja2: the rewrite edits that file/m);
    // --apply: the template's system text is the rewrite, its roles and the flow untouched; scan agrees.
    const applied = await compress('flows/qa/flow.dag.yaml:5', '--apply');
    assert.strictEqual(applied.out.applied, true);
    assert.strictEqual(fs.readFileSync(path.join(dir, 'flows/qa/answer.jinja2'), 'utf8'), TEMPLATE.replace(WORDY, out.after.text));
    assert.strictEqual(fs.readFileSync(path.join(dir, 'flows/qa/flow.dag.yaml'), 'utf8'), FLOW);
    const after = JSON.parse((await cli(['scan', '--format', 'json', '--no-cache'], dir)).stdout).prompts[0];
    assert.strictEqual(after.parts[0].tokens, out.after.tokens);
  });

  it('a promptfoo file:// prompt: compress at the config or at the text file, priced at the provider\'s model', async () => {
    write(dir, {
      'evals/promptfooconfig.yaml': 'prompts:\n  - file://prompt.txt\n  - file://other.txt\nproviders:\n  - openai:gpt-4o\n',
      'evals/prompt.txt': `${WORDY} Question: {{question}}\n`,
      'evals/other.txt': `${WORDY} Topic: {{topic}}\n`,
    });
    const [prompt] = await scanned(dir);
    // Each line of the list names its own prompt (the first one's range ends where the second's line starts).
    const second = await compress('evals/promptfooconfig.yaml:3');
    assert.deepStrictEqual([second.out.status, second.out.file], ['ok', 'evals/other.txt'], second.stderr + second.stdout);
    const atConfig = await compress('evals/promptfooconfig.yaml:2');
    assert.strictEqual(atConfig.code, 0, atConfig.stderr + atConfig.stdout);
    assert.deepStrictEqual([atConfig.out.status, atConfig.out.file, atConfig.out.line, atConfig.out.promptModel], ['ok', 'evals/prompt.txt', 1, prompt.model.id]);
    const atText = await compress('evals/prompt.txt:1', '--apply');
    assert.strictEqual(atText.code, 0, atText.stderr + atText.stdout);
    assert.deepStrictEqual({ ...atText.out, applied: false }, atConfig.out);
    assert.strictEqual(fs.readFileSync(path.join(dir, 'evals/prompt.txt'), 'utf8'), `${atConfig.out.after.text}\n`);
    assert.ok(atConfig.out.after.text.includes('{{question}}'));
  });

  it('a text file code reads into its call, and one code loads from a prompts folder: compress at the text file works', async () => {
    write(dir, {
      'app.py': 'from pathlib import Path\nfrom openai import OpenAI\n\nclient = OpenAI()\nSYSTEM = Path("prompts", "system.txt").read_text()\n\n\ndef reply(q):\n    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": SYSTEM}, {"role": "user", "content": q}])\n',
      'prompts/system.txt': `${WORDY}\n`,
      'other/loader.py': 'import os\nPROMPTS_DIR = os.path.join(os.path.dirname(__file__), "prompts")\n\n\ndef load(name):\n    with open(os.path.join(PROMPTS_DIR, f"{name}.txt")) as f:\n        return f.read()\n',
      'other/prompts/review.txt': `${WORDY} Review the code.\n`,
    });
    const prompts = await scanned(dir);
    const call = await compress('prompts/system.txt:1');
    assert.strictEqual(call.code, 0, call.stderr + call.stdout);
    assert.deepStrictEqual([call.out.status, call.out.file, call.out.promptModel], ['ok', 'prompts/system.txt', prompts.find((p) => p.file === 'app.py')!.model.id]);
    const loaded = await compress('other/prompts/review.txt:1');
    assert.strictEqual(loaded.code, 0, loaded.stderr + loaded.stdout);
    assert.deepStrictEqual([loaded.out.status, loaded.out.file, loaded.out.promptModel], ['ok', 'other/prompts/review.txt', prompts.find((p) => p.file === 'other/prompts/review.txt')!.model.id]);
  });

  it('where the text cannot be read from the prompt\'s file, the message names the command to run, and that command works', async () => {
    write(dir, { 'flows/qa/flow.dag.yaml': FLOW, 'flows/qa/answer.jinja2': TEMPLATE });
    const engine = new Engine();
    const flow = fs.readFileSync(path.join(dir, 'flows/qa/flow.dag.yaml'), 'utf8');
    // The flow's reader sees its template; no workspace reader to open it for writing (a host that has none).
    const analyze = { config: emptyConfig(), readRelative: (p: string) => fs.readFileSync(path.join(dir, 'flows/qa', p), 'utf8') };
    const err = await planCompress({ file: 'flows/qa/flow.dag.yaml', text: flow, line: 4 }, { engine, analyze, compressModel: 'gpt-4o-mini' }).then(() => undefined, (e: Error) => e);
    assert.ok(err instanceof CompressError);
    const command = /run `prompt-cost compress ([^`]+)`/.exec(err.message)?.[1];
    assert.strictEqual(command, 'flows/qa/answer.jinja2:2', err.message);
    const r = await compress(command!);
    assert.strictEqual(r.out.status, 'ok', r.stderr + r.stdout);
  });
});
