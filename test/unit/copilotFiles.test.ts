// Copilot's files (.prompt.md, .github/prompts/*.prompt.md, instructions) are priced at API rates while
// Copilot bills per seat and premium request: every report that shows their figure says so.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { breakdownMarkdown } from '../../src/core/report/breakdown';
import { formatMarkdown } from '../../src/core/report/markdown';
import { formatTable } from '../../src/core/report/table';
import { scanWorkspace } from '../../src/core/workspace';
import { tempDir } from '../tempDir';

describe('Copilot files: what their figure means', () => {
  let ws: string;
  before(() => {
    ws = tempDir('pc-copilot-');
    fs.mkdirSync(path.join(ws, '.github', 'prompts'), { recursive: true });
    fs.writeFileSync(path.join(ws, '.github', 'prompts', 'review.prompt.md'), '---\nmodel: GPT-4o (copilot)\n---\nReview the selected code for bugs and explain each one briefly.\n');
    fs.writeFileSync(path.join(ws, 'app.prompt.yml'), 'model: openai/gpt-4o\nmessages:\n  - role: user\n    content: Summarize the ticket in one line.\n');
  });

  it('the hover (breakdown) notes API rates vs per-seat billing; the table and Markdown mark the model and explain it once', async () => {
    const report = await scanWorkspace({ root: ws, workers: 0 });
    const copilot = report.prompts.find((p) => p.kind === 'vscode-prompt')!;
    const other = report.prompts.find((p) => p.kind === 'github-models')!;
    assert.ok(copilot && other);
    assert.match(breakdownMarkdown(copilot, report.prices), /API rates.*per seat and premium request/);
    assert.doesNotMatch(breakdownMarkdown(other, report.prices), /premium request/);
    const table = formatTable(report);
    assert.match(table, /gpt-4o† /);
    assert.doesNotMatch(table, /openai\/gpt-4o†/);
    assert.match(table, /^† 1 prompt is a Copilot file .*API rates/m);
    const md = formatMarkdown(report);
    assert.match(md, /\| gpt-4o† \|/);
    assert.match(md, /^† 1 prompt is a Copilot file/m);
  });

  it('no Copilot file, no footnote', async () => {
    const report = await scanWorkspace({ root: ws, workers: 0, exclude: ['**/*.prompt.md'] });
    assert.deepStrictEqual(report.prompts.map((p) => p.kind), ['github-models']);
    assert.doesNotMatch(formatTable(report), /†/);
    assert.doesNotMatch(formatMarkdown(report), /†/);
  });
});
