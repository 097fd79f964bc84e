// Tryout finding 14: one long label (an output schema's method) does not push explain's number column
// far to the right: labels past the cap wrap onto lines of their own, the numbers stay in one column.
import * as assert from 'assert';
import { formatExplanation, type Explanation } from '../../src/core/report/explain';
import type { PromptReport } from '../../src/core/model';

describe('explain: the label column is capped', () => {
  it('a long label wraps above its value; short ones keep one line', () => {
    const long = "output schema — schema: the schema's JSON, counted with o200k_base (estimate: providers do not publish how a schema is rendered into the prompt)";
    const e: Explanation = {
      prompt: { id: 'v.ts:6', kind: 'ai-sdk.generateObject', notes: [], tokens: { exact: true, encoding: 'o200k_base' } } as unknown as PromptReport,
      prices: { source: 's', version: 'v', asOf: '2026-01-01' },
      sections: [{ title: 'Tokens per call', steps: [
        { label: 'system — static text', value: '11', detail: 'v.ts:9' },
        { label: long, value: '≈35', detail: 'estimate' },
        { label: '  supercalifragilisticexpialidocious_supercalifragilisticexpialidocious_name', value: '≈3' },
        { label: 'input', value: '≈46' },
      ] }],
    };
    const lines = formatExplanation(e).split('\n');
    const valueCols = lines.filter((l) => /\s(≈?\d+)(\s{3}|$)/.test(l) && !l.startsWith('v.ts')).map((l) => l.search(/≈?\d+(\s{3}.*)?$/) + /≈?\d+(?=(\s{3}.*)?$)/.exec(l)![0].length);
    assert.ok(valueCols.length >= 4, lines.join('\n'));
    assert.strictEqual(new Set(valueCols).size, 1, `the numbers end in one column:\n${lines.join('\n')}`);
    assert.ok(valueCols[0] <= 2 + 56 + 2 + 4, `the column is capped: ${valueCols[0]}`);
    assert.ok(lines.every((l) => l.length <= 100), lines.join('\n'));
    assert.ok(lines.some((l) => /^  system — static text +11 {3}v\.ts:9$/.test(l)), lines.join('\n'));
    // Every word of the long label is still there.
    assert.match(lines.join(' ').replace(/\s+/g, ' '), /how a schema is rendered into the prompt\)/);
  });
});
