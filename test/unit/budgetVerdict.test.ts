// The budget gate and unpriced prompts (tryout findings 3 and 5): a prompt left out of the total
// because its model looks like a typo of a priced one fails a budget gate (exit 2, the README's rule for
// an input the gate cannot judge), every format says how many prompts are unpriced and not in the total,
// a model with no near match (self-hosted, unknown) stays a warning said in the verdict, and SARIF
// carries the verdict (a result when the gate fails, the verdict in the run's properties).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { run } from '../../src/cli/main';
import { budgetVerdictAt } from '../../src/core/report/budget';
import { tempDir } from '../tempDir';

async function cli(args: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await run(args, { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), readStdin: () => Buffer.alloc(0), stderrIsTTY: false, cwd, columns: 200 });
  return { code, stdout, stderr };
}

const call = (model: string) => `import OpenAI from 'openai';\nconst client = new OpenAI();\nexport const f = () => client.chat.completions.create({ model: '${model}', messages: [{ role: 'system', content: 'You are a careful support agent. Answer in two sentences.' }] });\n`;

function workspace(second: string, budget = 5000): string {
  const dir = tempDir('pc-verdict-');
  fs.writeFileSync(path.join(dir, 'a.ts'), call('gpt-4o'));
  fs.writeFileSync(path.join(dir, 'b.ts'), call(second));
  fs.writeFileSync(path.join(dir, '.promptcost.yaml'), `budget:\n  monthlyUsd: ${budget}\n`);
  return dir;
}

describe('budget verdict with unpriced prompts', () => {
  it('a mistyped model fails the gate (exit 2) and every format names it', async () => {
    const ws = workspace('gpt-4o-mnii');
    const table = await cli(['scan', '--no-cache'], ws);
    assert.strictEqual(table.code, 2, table.stderr);
    assert.match(table.stderr, /budget cannot be judged: 1 prompt left out of the total[^]*b\.ts:3: "gpt-4o-mnii", did you mean gpt-4o-mini\?/);
    assert.match(table.stdout, /Budget: \$5,000\/month \(\.promptcost\.yaml:2\) — FAILED: the priced total is within budget, but 1 prompt is unpriced and not in the total — b\.ts:3 names "gpt-4o-mnii" \(did you mean gpt-4o-mini\?\)/);
    assert.doesNotMatch(table.stdout, /— within budget/);
    const md = await cli(['scan', '--no-cache', '--format', 'markdown'], ws);
    assert.strictEqual(md.code, 2);
    assert.match(md.stdout, /— \*\*failed\*\*: [^\n]*1 prompt is unpriced and not in the total/);
    const json = await cli(['scan', '--no-cache', '--format', 'json'], ws);
    assert.strictEqual(json.code, 2);
    const budget = JSON.parse(json.stdout).budget;
    assert.strictEqual(budget.exceeded, false);
    assert.strictEqual(budget.unpriced, 1);
    assert.deepStrictEqual(budget.unpricedTypos, [{ id: 'b.ts:3', model: 'gpt-4o-mnii', nearest: ['gpt-4o-mini'] }]);
    assert.match(budget.verdict, /^failed: /);
    const sarif = await cli(['scan', '--no-cache', '--format', 'sarif'], ws);
    assert.strictEqual(sarif.code, 2);
    const run0 = JSON.parse(sarif.stdout).runs[0];
    const result = run0.results.find((r: { ruleId: string }) => r.ruleId === 'budget-exceeded');
    assert.ok(result, 'a budget result');
    assert.strictEqual(result.level, 'error');
    assert.match(result.message.text, /1 prompt is unpriced and not in the total/);
    assert.strictEqual(run0.properties.budget.unpriced, 1);
    assert.ok(run0.tool.driver.rules.some((r: { id: string }) => r.id === 'budget-exceeded'), 'the rule is declared');
  });

  it('a mistyped model set by an override is said to come from .promptcost.yaml, where it is fixed', async () => {
    const ws = workspace('gpt-4o');
    fs.writeFileSync(path.join(ws, 'b.ts'), call('gpt-4o').replace("model: 'gpt-4o'", 'model: process.env.MODEL'));
    fs.writeFileSync(path.join(ws, '.promptcost.yaml'), 'budget:\n  monthlyUsd: 5000\noverrides:\n  - path: "b.ts"\n    model: gpt-4o-mnii\n');
    const r = await cli(['scan', '--no-cache', '--format', 'json'], ws);
    assert.strictEqual(r.code, 2, r.stderr);
    const budget = JSON.parse(r.stdout).budget;
    assert.deepStrictEqual(budget.unpricedTypos, [{ id: 'b.ts:3', model: 'gpt-4o-mnii', nearest: ['gpt-4o-mini'], modelFrom: '.promptcost.yaml:5' }]);
    assert.match(budget.verdict, /b\.ts:3 takes "gpt-4o-mnii" from \.promptcost\.yaml:5 \(did you mean gpt-4o-mini\?\)/);
    assert.match(r.stderr, /b\.ts:3: "gpt-4o-mnii" from \.promptcost\.yaml:5, did you mean/);
  });

  it('a model with no near match stays a warning, said in the verdict (exit 0)', async () => {
    const ws = workspace('acme-internal-llm-v7');
    const r = await cli(['scan', '--no-cache'], ws);
    assert.strictEqual(r.code, 0, r.stderr);
    assert.match(r.stdout, /— within budget; 1 prompt is unpriced and not in the total \(self-hosted or unknown: no priced model is near its name, so a warning only/);
    const json = JSON.parse((await cli(['scan', '--no-cache', '--format', 'json'], ws)).stdout).budget;
    assert.strictEqual(json.unpriced, 1);
    assert.strictEqual(json.unpricedTypos, undefined);
    // A local model (Ollama) is never a typo, whatever it is near.
    const local = workspace('ollama/gpt-4o-mini');
    assert.strictEqual((await cli(['scan', '--no-cache'], local)).code, 0);
  });

  it('without a budget a typo is the unpriced-model warning only (exit 0)', async () => {
    const ws = workspace('gpt-4o-mnii');
    fs.rmSync(path.join(ws, '.promptcost.yaml'));
    const r = await cli(['scan', '--no-cache'], ws);
    assert.strictEqual(r.code, 0, r.stderr);
    assert.match(r.stdout, /unpriced-model/);
  });

  it('over budget: SARIF has an error result at the budget and the verdict in the properties', async () => {
    const ws = workspace('gpt-4o', 0.000001);
    const r = await cli(['scan', '--no-cache', '--format', 'sarif'], ws);
    assert.strictEqual(r.code, 1);
    const run0 = JSON.parse(r.stdout).runs[0];
    const result = run0.results.find((x: { ruleId: string }) => x.ruleId === 'budget-exceeded');
    assert.ok(result, 'a budget result');
    assert.match(result.message.text, /against a budget of \$0\.000001\/month|against a budget of/);
    assert.deepStrictEqual(result.locations[0].physicalLocation, { artifactLocation: { uri: '.promptcost.yaml' }, region: { startLine: 2 } });
    assert.strictEqual(run0.properties.budget.exceeded, true);
    assert.match(run0.properties.budget.verdict, /^exceeded/);
    // --max-monthly: at the costliest prompt.
    const flag = JSON.parse((await cli(['scan', '--no-cache', '--format', 'sarif', '--max-monthly', '0'], ws)).stdout).runs[0];
    assert.ok(flag.results.find((x: { ruleId: string }) => x.ruleId === 'budget-exceeded').locations[0].physicalLocation.artifactLocation.uri.endsWith('.ts'));
    // Within budget: no result, the verdict still in the properties.
    const within = JSON.parse((await cli(['scan', '--no-cache', '--format', 'sarif', '--max-monthly', '100000'], ws)).stdout).runs[0];
    assert.ok(!within.results.some((x: { ruleId: string }) => x.ruleId === 'budget-exceeded'));
    assert.strictEqual(within.properties.budget.verdict, 'within budget');
  });

  it('judges other figures (the report panel\'s what-ifs) by the same words: over, and a typo only while unpriced', () => {
    const scanned = { monthlyUsd: 100, from: '.promptcost.yaml:2', exceeded: false, unpriced: 1, unpricedTypos: [{ id: 'b.ts:3', model: 'gpt-4o-mnii', nearest: ['gpt-4o-mini'] }], verdict: 'failed: …' };
    const over = budgetVerdictAt(scanned, 141, new Set(['b.ts:3']));
    assert.strictEqual(over.exceeded, true);
    assert.match(over.verdict, /^failed: over budget, and 1 prompt is unpriced/);
    // The mistyped prompt swapped to a priced model: nothing is left out, the total alone decides.
    assert.deepStrictEqual(budgetVerdictAt(scanned, 141, new Set()), { monthlyUsd: 100, from: '.promptcost.yaml:2', exceeded: true, unpriced: 0, verdict: 'exceeded' });
    assert.strictEqual(budgetVerdictAt(scanned, 99, new Set()).verdict, 'within budget');
  });
});
