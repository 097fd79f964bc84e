// A notebook prompt's place, as the table, Markdown, JSON, the diagnostics list and `explain` print it:
// FILE:cellN:LINE (cells and lines 1-based), what `explain` takes — a line alone names no place in a
// notebook, each cell counts from 1.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { run } from '../../src/cli/main';
import { tempDir } from '../tempDir';

async function cli(args: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await run(args, { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), readStdin: () => Buffer.alloc(0), stderrIsTTY: false, cwd, columns: 200 });
  return { code, stdout, stderr };
}

function notebook(): string {
  const ws = tempDir('pc-nbplace-');
  const cells = [
    { cell_type: 'code', source: ["SYSTEM = 'You sort support tickets into billing, bugs and how-to questions. Answer with one word.'\n"] },
    { cell_type: 'markdown', source: ['# Triage\n'] },
    { cell_type: 'code', source: ['from openai import OpenAI\n', 'client = OpenAI()\n', '\n', 'def triage(ticket):\n', "    return client.chat.completions.create(model='my-house-model', messages=[{'role': 'system', 'content': SYSTEM}, {'role': 'user', 'content': ticket}])\n"] },
  ];
  fs.writeFileSync(path.join(ws, 'analysis.ipynb'), JSON.stringify({ cells, metadata: {}, nbformat: 4, nbformat_minor: 5 }));
  return ws;
}

describe('notebook places', () => {
  it('the table, Markdown and JSON name the cell, and explain takes what they print', async () => {
    const ws = notebook();
    const table = await cli(['scan', '--no-cache'], ws);
    const place = /^(analysis\.ipynb:\S+)\s/m.exec(table.stdout)?.[1];
    assert.strictEqual(place, 'analysis.ipynb:cell3:5', table.stdout);
    // The diagnostics list names the cell too (the unpriced model's warning is at the call).
    assert.match(table.stdout, /unpriced-model\s+analysis\.ipynb:cell3:5\s/);
    const md = (await cli(['scan', '--no-cache', '--format', 'markdown'], ws)).stdout;
    assert.match(md, /^\| analysis\.ipynb:cell3:5 \|/m);
    assert.match(md, /`analysis\.ipynb:cell3:5`/);
    const json = JSON.parse((await cli(['scan', '--no-cache', '--format', 'json'], ws)).stdout);
    assert.strictEqual(json.prompts[0].id, 'analysis.ipynb:cell3:5');
    const explained = await cli(['explain', place!], ws);
    assert.strictEqual(explained.code, 0, explained.stderr);
    assert.match(explained.stdout, /^analysis\.ipynb:cell3:5 /);
    // Each part where its text is: the system constant in cell 1, the user message in cell 3.
    assert.match(explained.stdout, /system — static text\s+≈?\d+\s+analysis\.ipynb:cell1:1\n/);
    assert.match(explained.stdout, /user — static text\s+≈?\d+\s+analysis\.ipynb:cell3:5\n/);
  });
});
