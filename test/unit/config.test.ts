import * as assert from 'assert';
import { annotationFor, parseAnnotations, parseConfig, resolveTraffic, unmatchedOverrides } from '../../src/core/config';
import { emptyConfig } from '../../src/core/config/types';

const CONFIG = `# traffic for the demo
defaults:
  model: gpt-4o
  callsPerDay: 2000
  outputTokens: 400
overrides:
  - path: "src/batch/**"
    callsPerDay: 50
  - id: summarize
    callsPerDay: 9000
    model: gpt-4o-mini
variables:
  context: 3000
prices:
  ft:gpt-4o-mini:acme:
    inputUsdPerMillion: 0.3
    outputUsdPerMillion: 1.2
budget:
  monthlyUsd: 500
`;

describe('config', () => {
  it('reads every section with the line each value came from', () => {
    const c = parseConfig(CONFIG);
    assert.deepStrictEqual(c.problems, []);
    assert.deepStrictEqual(c.defaults.callsPerDay, { value: 2000, from: '.promptcost.yaml:4' });
    assert.deepStrictEqual(c.variables.context, { tokens: 3000, from: '.promptcost.yaml:13' });
    assert.strictEqual(c.prices['ft:gpt-4o-mini:acme'].inputUsdPerMillion, 0.3);
    assert.deepStrictEqual(c.budget, { monthlyUsd: 500, from: '.promptcost.yaml:19' });
    assert.strictEqual(c.overrides.length, 2);
  });

  it('precedence: annotation > id > path glob > file defaults > settings > built-in', () => {
    const config = parseConfig(CONFIG);
    const base = { config, file: 'src/app.ts' };
    assert.deepStrictEqual(resolveTraffic({ ...base, config: emptyConfig() }).callsPerDay, { value: 1000, from: 'default' });
    assert.deepStrictEqual(resolveTraffic({ ...base, config: emptyConfig(), settings: { callsPerDay: { value: 7, from: 'setting' } } }).callsPerDay, { value: 7, from: 'setting' });
    assert.deepStrictEqual(resolveTraffic({ ...base, settings: { callsPerDay: { value: 7, from: 'setting' } } }).callsPerDay, { value: 2000, from: '.promptcost.yaml:4' });
    assert.deepStrictEqual(resolveTraffic({ ...base, file: 'src/batch/nightly.ts' }).callsPerDay, { value: 50, from: '.promptcost.yaml:8' });
    const [idAnnotation] = parseAnnotations('// prompt-cost: id=summarize\n');
    assert.deepStrictEqual(resolveTraffic({ ...base, file: 'src/batch/nightly.ts', annotation: idAnnotation }).callsPerDay, { value: 9000, from: '.promptcost.yaml:10' });
    const [full] = parseAnnotations('// prompt-cost: id=summarize callsPerDay=5000 model=gpt-4.1\n');
    const r = resolveTraffic({ ...base, annotation: full });
    assert.deepStrictEqual(r.callsPerDay, { value: 5000, from: 'annotation:1' });
    assert.deepStrictEqual(r.model, { value: 'gpt-4.1', from: 'annotation:1' });
    assert.deepStrictEqual(r.outputTokens, { value: 400, from: '.promptcost.yaml:5' });
    assert.strictEqual(r.id, 'summarize');
  });

  it('a model written in the prompt beats config defaults but not an annotation', () => {
    const config = parseConfig(CONFIG);
    const detected = { model: { value: 'claude-3-5-haiku', from: 'literal' } };
    assert.strictEqual(resolveTraffic({ config, file: 'a.ts', detected }).model.value, 'claude-3-5-haiku');
    const [a] = parseAnnotations('# prompt-cost: model=gpt-4o\n');
    assert.strictEqual(resolveTraffic({ config, file: 'a.ts', detected, annotation: a }).model.value, 'gpt-4o');
  });

  it('broken YAML gives an error with file and line, and nothing else applies', () => {
    const c = parseConfig('defaults:\n  callsPerDay: 10\n  model: [oops\n', '.promptcost.yaml');
    assert.ok(c.problems.length > 0);
    assert.match(c.problems[0].message, /^\.promptcost\.yaml:\d+: YAML error/);
    assert.deepStrictEqual(c.defaults, {});
  });

  it('wrong types and unknown fields are reported with line and field; valid fields still apply', () => {
    const c = parseConfig('defaults:\n  callsPerDay: lots\n  outputTokens: 300\n  cacheHitRate: 2\n  modle: gpt-4o\nbudget:\n  monthlyUsd: -5\n');
    const byField = Object.fromEntries(c.problems.map((p) => [p.field, p]));
    assert.match(byField['defaults.callsPerDay'].message, /\.promptcost\.yaml:2: defaults\.callsPerDay must be a number, got "lots"/);
    assert.strictEqual(byField['defaults.callsPerDay'].range.start.line, 1);
    assert.match(byField['defaults.cacheHitRate'].message, /at most 1/);
    assert.strictEqual(byField['defaults.modle'].message, '.promptcost.yaml:5: unknown field "modle" in defaults (did you mean "model"?); defaults takes model, callsPerDay, outputTokens, cacheHitRate, daysPerMonth, models');
    assert.match(byField['budget.monthlyUsd'].message, /at least 0/);
    assert.deepStrictEqual(c.defaults.outputTokens, { value: 300, from: '.promptcost.yaml:3' });
    assert.strictEqual(c.defaults.callsPerDay, undefined);
    assert.strictEqual(c.budget, undefined);
  });

  it('an unknown field is named once, with its file and line, where it is, the likely name and the fields expected', () => {
    const c = parseConfig('default:\n  callsPerDay: 500\noverrides:\n  - path: "*.py"\n    callsperday: 3\n    zzz: 1\n', 'sub/.promptcost.yaml');
    assert.deepStrictEqual(c.problems.map((p) => p.message), [
      'sub/.promptcost.yaml:1: unknown field "default" (did you mean "defaults"?); the top level takes defaults, images, deployments, overrides, variables, prices, budget, thresholds, exclude, batchable',
      'sub/.promptcost.yaml:5: unknown field "callsperday" in overrides[0] (did you mean "callsPerDay"?); overrides[0] takes path, id, model, callsPerDay, outputTokens, cacheHitRate, daysPerMonth',
      'sub/.promptcost.yaml:6: unknown field "zzz" in overrides[0]; overrides[0] takes path, id, model, callsPerDay, outputTokens, cacheHitRate, daysPerMonth',
    ]);
    for (const p of c.problems) assert.strictEqual(p.message.split(/"(default|callsperday|zzz)"/).length, 3, `the field once: ${p.message}`);
  });

  it('unmatchedOverrides: an id no annotation gives, a glob no prompt\'s file matches', () => {
    const c = parseConfig('overrides:\n  - path: "src/**"\n    callsPerDay: 1\n  - path: "lib/*.py"\n    callsPerDay: 2\n  - id: summarize\n    callsPerDay: 3\n  - id: src/a.ts:3\n    callsPerDay: 4\n  - id: gone\n    path: "src/a.ts"\n    callsPerDay: 5\n');
    // summarize#2: the second prompt an annotation gives that id; src/a.ts:3#x: a prompt with no annotation (its id is its place).
    const prompts = [{ id: 'summarize#2', file: 'src/b.ts' }, { id: 'src/a.ts:3#x', file: 'src/a.ts' }];
    assert.deepStrictEqual(unmatchedOverrides(c, prompts).map((o) => o.from), ['.promptcost.yaml:4', '.promptcost.yaml:8']);
    assert.deepStrictEqual(unmatchedOverrides(c, []).length, 5);
  });

  it('an override without path or id is reported', () => {
    const c = parseConfig('overrides:\n  - callsPerDay: 5\n');
    assert.match(c.problems[0].message, /needs a path or an id/);
  });

  it('an empty file is a valid config', () => {
    assert.deepStrictEqual(parseConfig('').problems, []);
    assert.deepStrictEqual(parseConfig('# nothing yet\n').problems, []);
  });

  it('annotations: bad values and unknown keys are reported, valid ones kept', () => {
    const [a] = parseAnnotations('x = 1 # prompt-cost: callsPerDay=abc cacheHitRate=0.5 colour=blue -->\n');
    assert.deepStrictEqual(a.traffic.cacheHitRate, { value: 0.5, from: 'annotation:1' });
    assert.strictEqual(a.problems.length, 2);
    assert.match(a.problems[0].message, /callsPerDay=abc: callsPerDay must be a decimal number/);
    assert.match(a.problems[1].message, /unknown key "colour"/);
  });

  it('an annotation belongs to the prompt on its line or just below it', () => {
    const anns = parseAnnotations('\n// prompt-cost: callsPerDay=1\nconst a = call();\n\n\n\nconst b = call();\n');
    assert.strictEqual(annotationFor(anns, 2, 2, false)?.line, 1);
    assert.strictEqual(annotationFor(anns, 6, 6, false), undefined);
    assert.strictEqual(annotationFor(anns, 6, 6, true)?.line, 1, 'a single-prompt file takes its annotation from anywhere');
  });
});
