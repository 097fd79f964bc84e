// The table pads each column to its widest cell: cells are cut, or one 100,000-character model name
// makes every row 100,000 characters wide (200 MB for 2,001 rows).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { formatCsv } from '../../src/core/report/csv';
import { formatTable, MAX_CELL, truncate } from '../../src/core/report/table';
import { distinctEnd, elideLeft, fitLocation, keepEnd } from '../../src/core/report/layout';
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

  it('a scan whose every prompt is unpriced says no cost can be shown, not $0/month', async () => {
    const ws = tempDir('pc-unpriced-');
    fs.writeFileSync(path.join(ws, 'a.prompt.yml'), 'model: gpt-4o-mnii\nmessages:\n  - role: user\n    content: Name three rivers in Spain.\n');
    const none = formatTable(await scanWorkspace({ root: ws, workers: 0 }));
    assert.match(none, /^1 prompt, none priced: no cost can be shown/m);
    assert.doesNotMatch(none, /\$0\/month/);
    fs.writeFileSync(path.join(ws, 'b.prompt.yml'), 'model: gpt-4o\nmessages:\n  - role: user\n    content: Name three rivers in France.\n');
    assert.match(formatTable(await scanWorkspace({ root: ws, workers: 0 })), /^2 prompts: \$[\d.,]+\/day, \$[\d.,]+\/month, 1 unpriced \(not in the total\)/m);
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
    const cell = 'evals/promptfooconfig.yaml:3 (prompt 1 × anthropic:messages:claude-haiku-4-5)';
    const fitted = fitLocation(cell, 40);
    assert.strictEqual([...fitted].length, 40);
    assert.match(fitted, /^…\/promptfooconfig\.yaml:3 \(…[^)]*haiku-4-5\)$/);
    assert.ok([...elideLeft('🚀'.repeat(50), 9)].every((c) => c === '🚀' || c === '…'));
  });

  // Tryout finding 12: the demo's 32-column PROMPT cell cut the file name (`…onfig.yaml:9 (…laude-haiku-4-5)`).
  it('fitLocation cuts the folders before the file name, then the label', () => {
    const cell = 'evals/promptfooconfig.yaml:3 (prompt 1 × anthropic:messages:claude-haiku-4-5)';
    for (const max of [24, 26, 28, 32, 36]) {
      const fitted = fitLocation(cell, max);
      assert.ok([...fitted].length <= max, `${max}: ${fitted}`);
      assert.match(fitted, /^(…[a-z]*|evals)\/promptfooconfig\.yaml:3( \(…[^)]+\))?$/, `${max}: ${fitted}`);
    }
    assert.match(fitLocation(cell, 32), /^…\/promptfooconfig\.yaml:3 \(…-4-5\)$/);
    assert.strictEqual(fitLocation('src/deep/folder/support_bot.ts:41', 24), '…/folder/support_bot.ts:41'.slice(-24).replace(/^./, '…'));
    // A file name longer than the column is cut in its middle: both its start and its extension and line stay.
    const long = fitLocation('a/an_extremely_long_prompt_file_name_for_tests.prompt.yml:3', 24);
    assert.strictEqual([...long].length, 24);
    assert.match(long, /^…\/an_ext.*…/);
    assert.match(long, /\.yml:3$/);
  });

  it('fits COLUMNS down to 40: the place and model cut further, figures whole, and the Diagnostics list too', async () => {
    const report = await scanWorkspace({ root: DEMO, workers: 0 });
    for (const columns of [40, 50, 60, 70]) {
      for (const { stdout } of [await scan([], undefined, { COLUMNS: String(columns) }), await scan([], columns)]) {
        for (const line of stdout.split('\n')) assert.ok([...line].length <= columns, `${columns}: ${[...line].length}: ${line}`);
        const lines = tableLines(stdout);
        assert.match(lines[0], /^PROMPT +MODEL +TOKENS IN +(\$\/CALL +)?\$\/MONTH$/, `${columns}: ${lines[0]}`);
        for (const p of report.prompts) {
          if (!p.cost.priced) continue;
          assert.ok(lines.some((l) => l.endsWith(`  ${formatUsd(p.cost.monthlyUsd!)}`) && l.includes(`${p.tokens.input.toLocaleString('en-US')}`)), `${columns}: ${p.id}'s figures whole:\n${lines.join('\n')}`);
        }
        // Each diagnostic still names its place, whole when a line has room for it.
        assert.match(stdout, /src\/support_bot\.ts:47/, `${columns}`);
      }
    }
    // At 60, the price per call stays; at 40 it is left out too, and said so.
    assert.match(tableLines((await scan([], 60)).stdout)[0], /\$\/CALL/);
    const narrowest = (await scan([], 40)).stdout;
    assert.doesNotMatch(tableLines(narrowest)[0], /\$\/CALL/);
    assert.match(narrowest.replace(/\n +/g, ' '), /\(KIND, OUT, \$\/CALL, CALLS\/DAY left out to fit 40 columns/);
  });

  it('promptfoo rows that differ only by provider stay apart when cut: the provider at the end stays', async () => {
    const ws = tempDir('pc-providers-');
    fs.writeFileSync(path.join(ws, 'promptfooconfig.yaml'), [
      'prompts:', "  - 'Summarize this support conversation in two sentences: {{conversation}}'",
      'providers:', '  - openai:gpt-4o-mini', '  - openai:chat:gpt-4o-mini', '  - id: openai:gpt-4o-mini', '    label: fast-and-cheap',
      '  - anthropic:messages:claude-haiku-4-5', '  - bedrock:anthropic.claude-haiku-4-5',
      'tests:', '  - vars:', '      conversation: "Customer: my invoice is wrong."', '',
    ].join('\n'));
    for (const columns of [40, 50, 60, 80, 100, 120]) {
      let stdout = '';
      await run(['scan', '--no-cache'], { stdout: (s) => void (stdout += s), stderr: () => undefined, readStdin: () => Buffer.alloc(0), stderrIsTTY: false, cwd: ws, columns, env: {} });
      const rows = tableLines(stdout).slice(2);
      assert.strictEqual(rows.length, 5, stdout);
      for (const row of rows) assert.ok([...row].length <= columns, `${columns}: ${row}`);
      // The place and the model (not the figures, which may differ by chance) tell every row apart.
      const names = rows.map((r) => r.split(/ {2,}/).slice(0, columns >= 100 ? 3 : 2).join('  '));
      assert.strictEqual(new Set(names).size, 5, `${columns}:\n${rows.join('\n')}`);
      if (columns >= 80) {
        // Room enough: the words that differ are shown whole.
        for (const provider of ['openai:gpt-4o-mini)', 'chat:gpt-4o-mini)', 'fast-and-cheap)']) assert.ok(rows.some((r) => r.includes(provider)), `${columns}: ${provider}\n${rows.join('\n')}`);
      }
    }
  });

  it('keepEnd keeps the end that tells a cell from its neighbours, or the window from where it starts', () => {
    assert.strictEqual(distinctEnd('x × openai:gpt-4o', ['x × azure:gpt-4o']), ':gpt-4o'.length + 1);
    assert.strictEqual(distinctEnd('abc', ['xyz']), 1);
    assert.strictEqual(keepEnd('evals/promptfooconfig.yaml:9 (× openai:gpt-4o-mini)', 24, 19), 'eval…openai:gpt-4o-mini)');
    assert.strictEqual(keepEnd('evals/promptfooconfig.yaml:9 (× openai:gpt-4o-mini)', 12, 19), '…openai:gpt…');
    assert.strictEqual(keepEnd('short', 12, 3), 'short');
    for (const max of [3, 5, 9, 20]) assert.strictEqual([...keepEnd('🚀'.repeat(30), max, 40)].length, max);
  });
});
