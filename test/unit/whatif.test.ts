// The report panel's what-ifs agree with the engine: a what-if written to .promptcost.yaml and scanned
// again gives the figure the panel showed.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { writeOverrides } from '../../src/core/config/edit';
import { buildPriceTable } from '../../src/core/report/priceTable';
import { toViewData, type ReportViewData } from '../../src/core/report/view';
import { NO_WHAT_IF, priceWhatIf, swapChoices, totalsOf } from '../../src/core/whatif';
import { loadConfig, scanWorkspace } from '../../src/core/workspace';
import { tempDir } from '../tempDir';

const DEMO = path.join(__dirname, '..', '..', 'examples', 'demo-workspace');

async function view(root: string): Promise<ReportViewData> {
  const r = await scanWorkspace({ root });
  const config = loadConfig(root);
  return toViewData(r, buildPriceTable(r, { allProviders: true, customPrices: config.prices }), {}, config.batchable);
}

function close(actual: number | undefined, expected: number | undefined, what: string) {
  assert.ok(actual !== undefined && expected !== undefined, what);
  assert.ok(Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected)), `${what}: ${actual} vs ${expected}`);
}

describe('what-ifs', () => {
  let base: ReportViewData;
  before(async () => { base = await view(DEMO); });

  it('with no what-if, every prompt keeps the engine\'s figures and the totals are the report\'s', () => {
    const priced = base.prompts.map((p) => priceWhatIf(p, NO_WHAT_IF, base.priceTable));
    priced.forEach((r, i) => assert.strictEqual(r.monthlyUsd, base.prompts[i].monthlyUsd));
    const t = totalsOf(priced, base.prompts);
    close(t.monthlyUsd, base.totals.monthlyUsd, 'monthly');
    assert.strictEqual(t.unpriced, base.totals.unpriced);
    assert.strictEqual(t.hasCompression, false);
    assert.ok(t.levers.batch > 0 && t.levers.cheaperModel > 0);
  });

  it('the batch API lever counts only the prompts the config calls batchable (live traffic cannot wait for a batch)', () => {
    const priced = base.prompts.map((p) => priceWhatIf(p, NO_WHAT_IF, base.priceTable));
    const t = totalsOf(priced, base.prompts);
    assert.ok(t.hasBatchable);
    const offline = base.prompts.filter((p) => p.batchable);
    assert.ok(offline.length && offline.every((p) => p.file.startsWith('evals/')), JSON.stringify(offline.map((p) => p.file)));
    const expected = offline.reduce((n, p) => n + Math.max(0, (p.monthlyUsd ?? 0) - (p.batchMonthlyUsd ?? p.monthlyUsd ?? 0)), 0);
    close(t.levers.batch, expected, 'batch lever');
    // Without `batchable:`, no prompt is offered the batch API.
    const live = base.prompts.map((p) => ({ ...p, batchable: undefined }));
    const none = totalsOf(live.map((p) => priceWhatIf(p, NO_WHAT_IF, base.priceTable)), live);
    assert.strictEqual(none.levers.batch, 0);
    assert.strictEqual(none.hasBatchable, false);
  });

  async function copyDemo(edit: (root: string) => void): Promise<ReportViewData> {
    const root = tempDir('prompt-cost-whatif-');
    fs.cpSync(DEMO, root, { recursive: true });
    edit(root);
    return view(root);
  }

  it('traffic: written to .promptcost.yaml as an override and scanned again, the engine agrees', async () => {
    const p = base.prompts.find((x) => x.file === 'src/triage.py')!;
    assert.match(p.trafficFrom, /^\.promptcost\.yaml:/);
    const predicted = priceWhatIf(p, { trafficMultiplier: 3, models: {} }, base.priceTable);
    const after = (await copyDemo((root) => {
      const cfg = path.join(root, '.promptcost.yaml');
      const r = writeOverrides(fs.readFileSync(cfg, 'utf8'), [{ id: p.id, file: p.file, callsPerDay: predicted.callsPerDay, trafficFrom: p.trafficFrom }]);
      assert.strictEqual(r.written, 1);
      fs.writeFileSync(cfg, r.text);
    })).prompts.find((x) => x.id === p.id)!;
    assert.strictEqual(after.callsPerDay, predicted.callsPerDay);
    close(predicted.perCallUsd, after.perCallUsd, 'per call');
    close(predicted.monthlyUsd, after.monthlyUsd, 'monthly');
    close(predicted.batchMonthlyUsd, after.batchMonthlyUsd, 'batch');
  });

  it('a model swap prices as the engine prices that model in the code', async () => {
    const p = base.prompts.find((x) => x.file === 'src/support_bot.ts' && x.model === 'gpt-4o')!;
    const predicted = priceWhatIf(p, { trafficMultiplier: 2, models: { [p.id]: 'gpt-4o-mini' } }, base.priceTable);
    const after = (await copyDemo((root) => {
      const file = path.join(root, p.file);
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/(['"])gpt-4o\1/, '$1gpt-4o-mini$1').replace(/callsPerDay=(\d+)/, (_, n) => `callsPerDay=${Number(n) * 2}`));
    })).prompts.find((x) => x.id === p.id)!;
    assert.strictEqual(after.model, 'gpt-4o-mini');
    assert.strictEqual(after.callsPerDay, predicted.callsPerDay);
    close(predicted.perCallUsd, after.perCallUsd, 'per call');
    close(predicted.monthlyUsd, after.monthlyUsd, 'monthly');
  });

  it('a change the code or an annotation sets is not written, and is reported', () => {
    const p = base.prompts.find((x) => x.modelFrom === 'literal')!;
    const r = writeOverrides('defaults: {}\n', [{ id: p.id, file: p.file, model: 'gpt-4o-mini', modelFrom: p.modelFrom }]);
    assert.strictEqual(r.written, 0);
    assert.deepStrictEqual(r.shadowed, [{ id: p.id, field: 'model', from: 'literal' }]);
    assert.strictEqual(r.text, 'defaults: {}\n');
  });

  it('offers cheaper models of the same provider first, then any priced model', () => {
    const p = base.prompts.find((x) => x.model === 'gpt-4o')!;
    const c = swapChoices(p, base.priceTable);
    assert.ok(c.cheaper.length > 0);
    for (const m of c.cheaper) assert.strictEqual(base.priceTable.models[m.model].provider, 'openai');
    assert.ok(c.cheaper.every((m) => m.monthlyUsd < p.monthlyUsd!));
    assert.ok(c.others.some((m) => base.priceTable.models[m].provider === 'anthropic'));
  });

  it('a model the price table does not know is unpriced with a reason, never $0', () => {
    const p = base.prompts[0];
    const r = priceWhatIf(p, { trafficMultiplier: 1, models: { [p.id]: 'no-such-model' } }, base.priceTable);
    assert.strictEqual(r.priced, false);
    assert.match(r.unpricedReason!, /no price for "no-such-model"/);
  });
});
