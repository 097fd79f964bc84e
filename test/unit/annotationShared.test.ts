// An annotation written above a constant belongs to every call that sends it, and one that belongs to
// no prompt says so instead of changing nothing in silence (tryout finding: a second caller of the
// demo's annotated playbook dropped its callsPerDay and id).
import * as assert from 'assert';
import { Engine } from '../../src/core/analyze';
import { emptyConfig } from '../../src/core/config';
import * as fs from 'fs';
import * as path from 'path';
import { scanWorkspace } from '../../src/core/workspace';
import { tempDir } from '../tempDir';

const analyze = (text: string, file = 'bot.ts') => new Engine().analyze(file, text, { config: emptyConfig() });

const SHARED = [
  "import OpenAI from 'openai';",
  'const client = new OpenAI();',
  '// prompt-cost: callsPerDay=15000 id=support-bot',
  "export const PLAYBOOK = 'You are the support assistant. Follow the playbook for every topic and quote the policy by its title.';",
  'export const answer = (q: string) => client.chat.completions.create({',
  "  model: 'gpt-4o',",
  "  messages: [{ role: 'system', content: PLAYBOOK }, { role: 'user', content: q }],",
  '});',
];

describe('annotations on shared text', () => {
  it('a single caller takes the annotation above its constant', async () => {
    const r = await analyze(SHARED.join('\n'));
    assert.strictEqual(r.prompts.length, 1);
    assert.strictEqual(r.prompts[0].id, 'support-bot');
    assert.strictEqual(r.prompts[0].traffic.callsPerDay, 15000);
  });

  it('every caller of the annotated constant takes it; ids stay unique', async () => {
    const text = [
      ...SHARED,
      'export const upsell = (name: string) => client.chat.completions.create({',
      "  model: 'gpt-4o-mini',",
      '  messages: [{ role: \'system\', content: `${PLAYBOOK}\\nOffer ${name} the annual plan.` }],',
      '});',
    ].join('\n');
    const r = await analyze(text);
    assert.strictEqual(r.prompts.length, 2);
    assert.deepStrictEqual(r.prompts.map((p) => p.traffic.callsPerDay), [15000, 15000]);
    assert.deepStrictEqual(r.prompts.map((p) => p.traffic.sources.callsPerDay), ['annotation:3', 'annotation:3']);
    assert.deepStrictEqual(r.prompts.map((p) => p.id), ['support-bot', 'support-bot#2']);
    assert.ok(!r.diagnostics.some((d) => /belongs to no prompt/.test(d.message)));
  });

  it('an annotation that belongs to no prompt is a warning where it is written', async () => {
    const text = [...SHARED, '', 'const unrelated = 1;', '// prompt-cost: callsPerDay=10 id=nothing', 'export const x = unrelated + 1;'].join('\n');
    const r = await analyze(text);
    const d = r.diagnostics.find((x) => /belongs to no prompt/.test(x.message));
    assert.ok(d, JSON.stringify(r.diagnostics));
    assert.strictEqual(d.code, 'invalid-config');
    assert.strictEqual(d.severity, 'warning');
    assert.strictEqual(d.range.start.line, 10);
    assert.strictEqual(r.prompts[0].traffic.callsPerDay, 15000);
  });

  it('a line that only mentions an annotation (docs, examples in comments) is not warned about', async () => {
    const text = ['// Write annotations like:  // prompt-cost: callsPerDay=5000 id=summarize', 'export const x = 1;'].join('\n');
    const r = await analyze(text);
    assert.deepStrictEqual(r.diagnostics, []);
  });

  describe('written in another file than the call', () => {
    const workspace = (files: Record<string, string>) => {
      const dir = tempDir('pc-annot-');
      for (const [rel, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, rel), text);
      return dir;
    };
    const PROMPTS = ['// prompt-cost: callsPerDay=5000 id=triage', "export const TRIAGE = 'You are a triage assistant. Read the ticket and classify it as billing, bug, feature or other.';", ''].join('\n');
    const caller = (pre = '') => ["import OpenAI from 'openai';", "import { TRIAGE } from './prompts';", 'const client = new OpenAI();', pre, "export const run = (t: string) => client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'system', content: TRIAGE }, { role: 'user', content: t }] });", ''].join('\n');

    it('the call takes the annotation above the imported constant, and nothing warns that it belongs to no prompt', async () => {
      for (const cacheDir of [undefined, tempDir('pc-annot-cache-')]) {
        const dir = workspace({ 'prompts.ts': PROMPTS, 'app.ts': caller() });
        for (let run = 0; run < (cacheDir ? 2 : 1); run++) {
          const r = await scanWorkspace({ root: dir, cacheDir });
          assert.strictEqual(r.prompts.length, 1);
          assert.strictEqual(r.prompts[0].file, 'app.ts');
          assert.strictEqual(r.prompts[0].id, 'triage');
          assert.strictEqual(r.prompts[0].traffic.callsPerDay, 5000);
          assert.strictEqual(r.prompts[0].traffic.sources.callsPerDay, 'annotation:prompts.ts:1');
          assert.deepStrictEqual(r.diagnostics.filter((d) => d.code === 'invalid-config'), [], `run ${run}`);
        }
      }
    });

    it("an annotation at the call beats the constant's; a Python caller takes it too", async () => {
      const dir = workspace({
        'prompts.ts': PROMPTS,
        'app.ts': caller('// prompt-cost: callsPerDay=7'),
        'texts.py': '# prompt-cost: callsPerDay=300\nSUMMARY = "Summarise the article below in three short bullet points for a busy reader."\n',
        'main.py': 'from openai import OpenAI\nfrom texts import SUMMARY\nclient = OpenAI()\n\ndef summarise(a):\n    return client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "system", "content": SUMMARY}, {"role": "user", "content": a}])\n',
      });
      const r = await scanWorkspace({ root: dir });
      const by = Object.fromEntries(r.prompts.map((p) => [p.file, p]));
      assert.deepStrictEqual(Object.keys(by).sort(), ['app.ts', 'main.py']);
      assert.strictEqual(by['app.ts'].traffic.callsPerDay, 7);
      assert.strictEqual(by['main.py'].traffic.callsPerDay, 300);
      assert.strictEqual(by['main.py'].traffic.sources.callsPerDay, 'annotation:texts.py:1');
      assert.ok(!r.diagnostics.some((d) => d.file === 'texts.py'), JSON.stringify(r.diagnostics));
    });
  });
});
