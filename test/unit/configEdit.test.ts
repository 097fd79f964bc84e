import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { minimalEdit, writeOverrides } from '../../src/core/config/edit';
import { parseConfig } from '../../src/core/config/load';

const DEMO_CONFIG = fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'demo-workspace', '.promptcost.yaml'), 'utf8');

describe('writing what-ifs to .promptcost.yaml', () => {
  it('adds a path override for a file:line prompt and an id override for an annotated one, keeping comments', () => {
    const r = writeOverrides(DEMO_CONFIG, [
      { id: 'src/bot.ts:12', file: 'src/bot.ts', model: 'gpt-4o-mini' },
      { id: 'support-agent', file: 'src/support.ts', callsPerDay: 5000 },
    ]);
    assert.strictEqual(r.written, 2);
    assert.match(r.text, /# The support agent is the busiest endpoint\./);
    const c = parseConfig(r.text);
    assert.deepStrictEqual(c.problems, []);
    const bot = c.overrides.find((o) => o.path === 'src/bot.ts')!;
    assert.strictEqual(bot.traffic.model?.value, 'gpt-4o-mini');
    const agent = c.overrides.find((o) => o.id === 'support-agent')!;
    assert.strictEqual(agent.traffic.callsPerDay?.value, 5000);
    assert.strictEqual(c.overrides.length, 4);
  });

  it('updates an existing override instead of adding a second one', () => {
    const once = writeOverrides(DEMO_CONFIG, [{ id: 'evals/x.yaml:1', file: 'evals/x.yaml', model: 'gpt-4.1-mini' }]).text;
    const twice = writeOverrides(once, [{ id: 'evals/x.yaml:1', file: 'evals/x.yaml', model: 'gpt-4.1-nano', callsPerDay: 7 }]).text;
    const c = parseConfig(twice);
    const o = c.overrides.filter((x) => x.path === 'evals/x.yaml');
    assert.strictEqual(o.length, 1);
    assert.strictEqual(o[0].traffic.model?.value, 'gpt-4.1-nano');
    assert.strictEqual(o[0].traffic.callsPerDay?.value, 7);
  });

  it('creates the file content when there is none, and reports prompts of one file that disagree', () => {
    const r = writeOverrides(undefined, [{ id: 'a.ts:1', file: 'a.ts', callsPerDay: 10 }, { id: 'a.ts:9', file: 'a.ts', callsPerDay: 20 }]);
    assert.deepStrictEqual(parseConfig(r.text).overrides.map((o) => [o.path, o.traffic.callsPerDay?.value]), [['a.ts', 10]]);
    assert.deepStrictEqual(r.conflicts, ['a.ts:9']);
  });

  it('refuses a file with a YAML error, saying so', () => {
    assert.throws(() => writeOverrides('defaults: [oops', [{ id: 'a.ts:1', file: 'a.ts', model: 'x' }]), /\.promptcost\.yaml has a YAML error .*fix it before writing overrides/);
  });

  it('minimalEdit replaces only what changed', () => {
    const before = 'a: 1\nb: 2\nc: 3\n';
    const after = 'a: 1\nb: 5\nc: 3\n';
    const e = minimalEdit(before, after);
    assert.strictEqual(before.slice(0, e.start) + e.newText + before.slice(e.end), after);
    assert.strictEqual(e.newText, '5');
  });
});
