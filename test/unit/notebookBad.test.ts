// A notebook with a malformed cell (null, a number, a source that is not text): that cell gets a
// diagnostic, every other cell is analysed — never "analysis failed" for the whole file.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { notebookToPython } from '../../src/core/detect/code/notebook';
import { scanWorkspace } from '../../src/core/workspace';
import { tempDir } from '../tempDir';

const GOOD = {
  cell_type: 'code',
  source: ['from openai import OpenAI\n', 'client = OpenAI()\n', 'client.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": "You are a careful analyst of quarterly reports."}])\n'],
};

describe('notebooks with malformed cells', () => {
  it('null, scalar and list cells and non-text sources are reported per cell; good cells analysed', async () => {
    const ws = tempDir('pc-nb-');
    const cells = [null, { cell_type: 'markdown', source: '# hi' }, 42, GOOD, { cell_type: 'code', source: { not: 'text' } }, ['a'], { cell_type: 'code', source: [1, 2] }];
    fs.writeFileSync(path.join(ws, 'n.ipynb'), JSON.stringify({ cells, metadata: {}, nbformat: 4, nbformat_minor: 5 }));
    const report = await scanWorkspace({ root: ws, workers: 0 });
    assert.deepStrictEqual(report.skipped, []);
    assert.strictEqual(report.prompts.length, 1);
    assert.strictEqual(report.prompts[0].cell, 3);
    assert.strictEqual(report.prompts[0].range.start.line, 2);
    const bad = report.diagnostics.filter((d) => d.file === 'n.ipynb').map((d) => [d.cell, d.message.replace(/^n\.ipynb: /, '')]);
    assert.deepStrictEqual(bad, [
      [0, 'cell 1 is null, not a cell object; it is skipped (the other cells are analysed)'],
      [2, 'cell 3 is a number, not a cell object; it is skipped (the other cells are analysed)'],
      [4, 'cell 5 has a `source` that is neither text nor a list of lines; it is skipped (the other cells are analysed)'],
      [5, 'cell 6 is a list, not a cell object; it is skipped (the other cells are analysed)'],
      [6, 'cell 7 has a `source` that is neither text nor a list of lines; it is skipped (the other cells are analysed)'],
    ]);
  });

  it('a notebook whose only cells are malformed reports them and does not throw', async () => {
    const nb = notebookToPython(JSON.stringify({ cells: [null, null] }));
    assert.ok(!('error' in nb));
    const ws = tempDir('pc-nb2-');
    fs.writeFileSync(path.join(ws, 'n.ipynb'), JSON.stringify({ cells: [null] }));
    fs.writeFileSync(path.join(ws, 'm.ipynb'), 'null');
    const report = await scanWorkspace({ root: ws, workers: 0 });
    assert.deepStrictEqual(report.skipped, []);
    assert.deepStrictEqual(report.diagnostics.map((d) => [d.file, d.code]).sort(), [['m.ipynb', 'prompt-file-error'], ['n.ipynb', 'prompt-file-error']]);
  });
});
