// The table pads each column to its widest cell: cells are cut, or one 100,000-character model name
// makes every row 100,000 characters wide (200 MB for 2,001 rows).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { formatCsv } from '../../src/core/report/csv';
import { formatTable, MAX_CELL, truncate } from '../../src/core/report/table';
import { elideLeft, fitLocation } from '../../src/core/report/layout';
import { formatUsd } from '../../src/core/format';
import { run } from '../../src/cli/main';
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
  it('the Diagnostics list is padded (messages start in one column) and a config problem gives its place once', async () => {
    const ws = tempDir('pc-table-diag-');
    fs.writeFileSync(path.join(ws, '.promptcost.yaml'), 'defaults:\n  callsPerDay: -5\n');
    fs.writeFileSync(path.join(ws, 'a.py'), 'from openai import OpenAI\nc = OpenAI()\nc.chat.completions.create(model="ollama/llama3.2", messages=[{"role": "user", "content": "hi there"}])\n');
    const out = formatTable(await scanWorkspace({ root: ws, workers: 0 }));
    const diag = out.split('Diagnostics:\n')[1].split('\n').filter((l) => l.startsWith('  '));
    assert.ok(diag.length >= 2, out);
    const starts = new Set(diag.map((l) => /^  \S+\s+\S+\s+\S+\s+/.exec(l)![0].length));
    assert.strictEqual(starts.size, 1, `messages start in one column:\n${diag.join('\n')}`);
    const config = diag.find((l) => l.includes('invalid-config'))!;
    assert.strictEqual(config.split('.promptcost.yaml:2').length - 1, 1, config);
    assert.match(config, /\.promptcost\.yaml:2\s+defaults\.callsPerDay must be at least 0, got -5$/);
  });

  it('CSV money has no float noise', () => {
    const report = { prompts: [{ id: 'p', file: 'a.py', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, kind: 'k', model: { id: 'm', from: 'code' }, tokens: { input: 1, output: 1, exact: true, encoding: 'o200k_base' }, traffic: { callsPerDay: 1, from: 'default' }, cost: { priced: true, perCallUsd: 0.1 + 0.2, perDayUsd: 0.30000000000000004, monthlyUsd: 9.000000000000002 } }] };
    const line = formatCsv(report as unknown as Parameters<typeof formatCsv>[0]).split('\n')[1];
    assert.ok(line.endsWith(',true,0.3,0.3,9,'), line);
  });
});

describe('table width', () => {
  const DEMO = path.join(__dirname, '..', '..', 'examples', 'demo-workspace');
  async function scan(args: string[], columns?: number, env: Record<string, string | undefined> = {}) {
    let stdout = '';
    const code = await run(['scan', DEMO, ...args], { stdout: (s) => void (stdout += s), stderr: () => undefined, readStdin: () => Buffer.alloc(0), stderrIsTTY: false, cwd: DEMO, columns, env });
    return { code, stdout };
  }
  const tableLines = (out: string) => out.split('\n\n')[0].split('\n');

  it('fits the terminal: places cut from the left (file name and line kept), models kept whole where there is room, figures never cut', async () => {
    const report = await scanWorkspace({ root: DEMO, workers: 0 });
    for (const columns of [100, 120, 160]) {
      const { code, stdout } = await scan([], columns);
      assert.strictEqual(code, 0);
      for (const line of stdout.split('\n')) assert.ok([...line].length <= columns, `${columns}: ${[...line].length}: ${line}`);
      const lines = tableLines(stdout);
      for (const p of report.prompts) {
        const row = lines.find((l) => l.includes(`${p.label ? path.basename(p.file).slice(-6) : path.basename(p.file)}:${p.range.start.line + 1}`) && (!p.label || l.includes(p.label.slice(-8))) && l.includes(p.model.id.slice(-10)));
        assert.ok(row, `${columns}: a row for ${p.id}:\n${lines.join('\n')}`);
        if (p.cost.priced) assert.ok(row.includes(formatUsd(p.cost.monthlyUsd!)), row);
      }
    }
    // Wide enough: nothing is cut.
    assert.doesNotMatch((await scan([], 250)).stdout.split('\n\n')[0], /…/);
  });

  it('a narrow terminal leaves out KIND, OUT and CALLS/DAY and says so; not a terminal: 120 columns, or $COLUMNS', async () => {
    const narrow = (await scan([], 80)).stdout;
    assert.match(tableLines(narrow)[0], /^PROMPT +MODEL +TOKENS IN +\$\/CALL +\$\/MONTH$/);
    assert.match(narrow.replace(/\n +/g, ' '), /\(KIND, OUT, CALLS\/DAY left out to fit 80 columns; a wider terminal or --format csv shows them\.\)/);
    for (const line of narrow.split('\n')) assert.ok([...line].length <= 80, line);
    const piped = (await scan([])).stdout;
    assert.ok(Math.max(...piped.split('\n').map((l) => [...l].length)) <= 120);
    assert.ok(Math.max(...piped.split('\n').map((l) => [...l].length)) > 100, 'uses the width it has');
    const env = (await scan([], undefined, { COLUMNS: '90' })).stdout;
    assert.ok(Math.max(...env.split('\n').map((l) => [...l].length)) <= 90);
  });

  it('JSON, Markdown, CSV and SARIF are the same whatever the width', async () => {
    for (const format of ['json', 'markdown', 'csv', 'sarif']) {
      const wide = (await scan(['--format', format, '--no-cache'])).stdout;
      const narrow = (await scan(['--format', format, '--no-cache'], 40)).stdout;
      assert.strictEqual(narrow, wide, format);
      if (format === 'json' || format === 'sarif') JSON.parse(narrow);
    }
  });

  it('elideLeft and fitLocation keep the ends that tell rows apart', () => {
    assert.strictEqual(elideLeft('src/deep/folder/support_bot.ts:41', 19), '…/support_bot.ts:41');
    assert.strictEqual(elideLeft('short', 20), 'short');
    const cell = 'evals/promptfooconfig.yaml:9 (prompt 1 · test 1 × anthropic:messages:claude-haiku-4-5)';
    const fitted = fitLocation(cell, 40);
    assert.strictEqual([...fitted].length, 40);
    assert.match(fitted, /^…\/promptfooconfig\.yaml:9 \(…[^)]*haiku-4-5\)$/);
    assert.ok([...elideLeft('🚀'.repeat(50), 9)].every((c) => c === '🚀' || c === '…'));
  });

  // Tryout finding 12: the demo's 32-column PROMPT cell cut the file name (`…onfig.yaml:9 (…laude-haiku-4-5)`).
  it('fitLocation cuts the folders before the file name, then the label', () => {
    const cell = 'evals/promptfooconfig.yaml:9 (prompt 1 · test 1 × anthropic:messages:claude-haiku-4-5)';
    for (const max of [24, 26, 28, 32, 36]) {
      const fitted = fitLocation(cell, max);
      assert.ok([...fitted].length <= max, `${max}: ${fitted}`);
      assert.match(fitted, /^(…[a-z]*|evals)\/promptfooconfig\.yaml:9( \(…[^)]+\))?$/, `${max}: ${fitted}`);
    }
    assert.match(fitLocation(cell, 32), /^…\/promptfooconfig\.yaml:9 \(…-4-5\)$/);
    assert.strictEqual(fitLocation('src/deep/folder/support_bot.ts:41', 24), '…/folder/support_bot.ts:41'.slice(-24).replace(/^./, '…'));
    // A file name longer than the column is cut in its middle: both its start and its extension and line stay.
    const long = fitLocation('a/an_extremely_long_prompt_file_name_for_tests.prompt.yml:3', 24);
    assert.strictEqual([...long].length, 24);
    assert.match(long, /^…\/an_ext.*…/);
    assert.match(long, /\.yml:3$/);
  });
});
