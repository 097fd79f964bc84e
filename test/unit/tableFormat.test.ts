// The table pads each column to its widest cell: cells are cut, or one 100,000-character model name
// makes every row 100,000 characters wide (200 MB for 2,001 rows).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { formatTable, MAX_CELL, truncate } from '../../src/core/report/table';
import { scanWorkspace } from '../../src/core/workspace';
import { tempDir } from '../tempDir';

describe('table format', () => {
  it('a 100,000-character model name in 2,001 rows stays a small, aligned table', async () => {
    const ws = tempDir('pc-table-');
    const model = 'm'.repeat(100_000);
    fs.writeFileSync(path.join(ws, 'a.prompt.yml'), `model: ${model}\nmessages:\n  - role: user\n    content: hello there\n`);
    const report = await scanWorkspace({ root: ws, workers: 0 });
    assert.strictEqual(report.prompts.length, 1);
    assert.strictEqual(report.prompts[0].model.id.length, 100_000);
    report.prompts = Array.from({ length: 2001 }, (_, i) => ({ ...report.prompts[0], id: `p${i}` }));
    const out = formatTable(report);
    assert.ok(out.length < 5_000_000, `${out.length} characters of output`);
    const rows = out.split('\n').slice(2, 2003);
    const widths = new Set(rows.map((l) => l.length));
    assert.strictEqual(widths.size, 1, 'rows are aligned');
    assert.ok([...widths][0] < 400, `rows ${[...widths][0]} wide`);
    assert.match(rows[0], /mmm…mmm/);
    // the full name is still in the JSON report
    assert.strictEqual(report.prompts[0].model.id, model);
  });

  it('truncate keeps both ends and counts code points', () => {
    assert.strictEqual(truncate('short', MAX_CELL), 'short');
    assert.strictEqual(truncate('abcdefghij', 5), 'ab…ij');
    assert.ok([...truncate('🚀'.repeat(100), 9)].every((c) => c === '🚀' || c === '…'), 'no half surrogate pairs');
  });
});
