// `prompt-cost compress` on prompt files: the saving is priced at the model `scan` gives the prompt
// (a model named in a file beside it, in the file's own settings), against the server on 127.0.0.1.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { run } from '../../src/cli/main';
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
      const text = await cli(['compress', '--yes', k.at, '--base-url', fake.baseURL], dir);
      assert.match(text.stdout, new RegExp(`saves ${out.saved.tokens} tokens/call \\([\\d,]+ → [\\d,]+\\) on ${prompts[0].model.id.replace('/', '\\/')}, `));
    });
  }
});
