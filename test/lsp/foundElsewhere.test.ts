// The language server agrees with `prompt-cost scan` on a constant another file's call uses: the scan
// reports it once, as that call's part; an open editor on the constant's own file must not add a
// second, heuristic prompt for it (totals and code lenses the same as the CLI's).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { TestClient } from './client';
import { tempDir } from '../tempDir';
import { scanWorkspace } from '../../src/core/workspace';

const SERVER = path.join(__dirname, '..', '..', 'dist', 'server.js');
const PROMPTS_TS = "export const TRIAGE_PROMPT = 'You sort incoming support tickets into billing, bugs or questions, and say why in one line.';\n";
const APP_TS = [
  "import OpenAI from 'openai';",
  "import { TRIAGE_PROMPT } from './prompts';",
  'const client = new OpenAI();',
  'export function triage(ticket: string) {',
  "  return client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'system', content: TRIAGE_PROMPT }, { role: 'user', content: ticket }] });",
  '}',
  '',
].join('\n');

describe('language server: a constant found through another file is not reported again (as the scan does)', function () {
  this.timeout(30000);
  let client: TestClient;
  let root: string;
  const uri = (rel: string) => pathToFileURL(path.join(root, rel)).href;

  before(function () {
    if (!fs.existsSync(SERVER)) this.skip(); // `npm test` builds first
  });

  beforeEach(() => {
    root = tempDir('pc-lsp-elsewhere-');
    fs.mkdirSync(path.join(root, 'src'));
    fs.writeFileSync(path.join(root, 'src', 'prompts.ts'), PROMPTS_TS);
    fs.writeFileSync(path.join(root, 'src', 'app.ts'), APP_TS);
    client = new TestClient(SERVER);
    client.settings = { debounceMs: 0 };
  });

  afterEach(async () => {
    await client.stop();
  });

  it('opening the constant\'s file keeps the scan\'s count; its code lens is the call\'s, not a heuristic prompt', async () => {
    const cli = await scanWorkspace({ root, workers: 0 });
    assert.deepStrictEqual(cli.prompts.map((p) => `${p.file}:${p.range.start.line + 1} ${p.confidence}`), ['src/app.ts:5 call']);

    await client.initialize(root);
    const scanned = await client.next<{ scanning: boolean; prompts: number }>('promptCost/totals', (t) => !t.scanning, true);
    assert.strictEqual(scanned.prompts, 1);

    const prompts = uri('src/prompts.ts');
    const published = client.diagnostics(prompts);
    await client.open(prompts, 'typescript', PROMPTS_TS);
    await published;
    assert.deepStrictEqual(await client.codeLens(prompts), [], 'no prompt of its own in the constant\'s file');
    const report = await client.conn.sendRequest<{ prompts: { file: string; confidence: string }[] }>('promptCost/report');
    assert.deepStrictEqual(report.prompts.map((p) => `${p.file} ${p.confidence}`), ['src/app.ts call']);

    // Still a call's part after an edit in the constant's file (the open document is detected afresh).
    const edited = client.diagnostics(prompts, (p) => p.version === 2);
    await client.change(prompts, 2, PROMPTS_TS.replace('one line', 'one short line'));
    await edited;
    assert.deepStrictEqual(await client.codeLens(prompts), []);
  });
});
