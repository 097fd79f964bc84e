// The bad-input corpus (scripts/badInputs.ts, generated here — never committed): every file gives the
// outcome written beside it, within the scan, and no number in the report is NaN, infinite or negative.
import * as assert from 'assert';
import * as path from 'path';
import { generateCorpus, type Case, type Outcome } from '../../scripts/badInputs';
import { badNumbers } from '../../scripts/fuzz/oracle';
import type { ScanReport } from '../../src/core/model';
import { scanWorkspace } from '../../src/core/workspace';
import { tempDir } from '../tempDir';

function check(report: ScanReport, c: Case, o: Outcome): string | undefined {
  const prompts = report.prompts.filter((p) => p.file === c.file);
  const diags = [...report.diagnostics.filter((d) => d.file === c.file), ...prompts.flatMap((p) => p.diagnostics)];
  const skipped = report.skipped.find((s) => s.file === c.file);
  const seen = `prompts ${prompts.length}, diagnostics [${diags.map((d) => `${d.code}: ${d.message}`).join('; ')}], skipped ${skipped?.reason ?? '-'}`;
  if ('skipped' in o) return skipped && o.skipped.test(skipped.reason) ? undefined : `expected skipped ${o.skipped}; got ${seen}`;
  if (skipped) return `unexpectedly skipped: ${skipped.reason}`;
  if ('diagnostic' in o) return diags.some((d) => d.code === o.diagnostic && (!o.message || o.message.test(d.message))) ? undefined : `expected ${o.diagnostic} ${o.message ?? ''}; got ${seen}`;
  if ('finding' in o) return prompts.length >= o.finding ? undefined : `expected ≥ ${o.finding} prompts; got ${seen}`;
  if ('nothing' in o) return prompts.length === 0 && diags.filter((d) => d.code !== 'unknown-model-tokenizer').length === 0 ? undefined : `expected nothing; got ${seen}`;
  return prompts.length === 0 && diags.length === 0 ? undefined : `expected not visited; got ${seen}`;
}

describe('bad-input corpus', function () {
  this.timeout(120000);
  let cases: Case[];
  let report: ScanReport;

  before(async () => {
    const base = tempDir('pc-bad-');
    cases = generateCorpus(path.join(base, 'ws'), path.join(base, 'outside'));
    report = await scanWorkspace({ root: path.join(base, 'ws') });
  });

  it('covers every class of the issue (≥ 50 files)', () => {
    assert.ok(cases.length >= 50, `${cases.length} cases`);
  });

  it('every file gives its expected outcome', () => {
    const wrong = cases.flatMap((c) => [c.outcome, ...(c.also ?? [])].map((o) => check(report, c, o)).filter(Boolean).map((m) => `${c.file} (${c.why}): ${m}`));
    assert.deepStrictEqual(wrong, []);
  });

  it('no file fails with an exception ("analysis failed")', () => {
    assert.deepStrictEqual(report.skipped.filter((s) => /analysis failed|budget/.test(s.reason)), []);
  });

  it('no number in the report is NaN, infinite or negative', () => {
    assert.deepStrictEqual(badNumbers({ prompts: report.prompts, totals: report.totals }), []);
  });

  it('nothing outside the workspace reached the report', () => {
    assert.doesNotMatch(JSON.stringify(report), /confidential text from outside|root:x:0:0/);
  });
});
