// The per-file budget of scan workers: a file whose analysis runs past it is stopped and listed as
// skipped with the budget named, and the files after it (in the same worker's share) are still
// analysed. The language server runs its scan this way, so its main thread never waits on a file.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { budgetReason, detectInWorkers, memoryReason } from '../../src/core/scanPool';
import { scanWorkspace } from '../../src/core/workspace';
import { tempDir } from '../tempDir';

const call = (i: number) => `const P${i} = 'You are assistant number ${i}. Answer briefly and politely.';\nexport async function f${i}(q: string) {\n  return client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'system', content: P${i} }, { role: 'user', content: \`Q: \${q}\` }] });\n}\n`;

/** A workspace of ~900 KB of calls in m_big.ts between two one-call files, a.ts and z.ts. */
function bigBetweenSmall(prefix: string): string {
  const ws = tempDir(prefix);
  const head = "import OpenAI from 'openai';\nconst client = new OpenAI();\n";
  let big = head;
  for (let i = 0; big.length < 900_000; i++) big += call(i);
  fs.writeFileSync(path.join(ws, 'm_big.ts'), big);
  fs.writeFileSync(path.join(ws, 'a.ts'), head + call(0));
  fs.writeFileSync(path.join(ws, 'z.ts'), head + call(0));
  return ws;
}

describe('scan workers: per-file time budget', function () {
  this.timeout(120000);

  it('a file over budget is skipped with the budget named; the files around it are analysed', async () => {
    // ~900 KB of calls (just under the 1 MB file limit): seconds of detection even on a fast, idle
    // machine, far past a 300 ms budget (200 KB took about that long once detection got faster).
    const ws = bigBetweenSmall('pc-budget-');
    fs.writeFileSync(path.join(ws, 'y.prompt.yml'), 'model: openai/gpt-4o\nmessages:\n  - role: user\n    content: hello there\n');
    const progress: number[] = [];
    const report = await scanWorkspace({ root: ws, workers: 1, fileBudgetMs: 300, onProgress: (done) => progress.push(done) });
    assert.deepStrictEqual(report.skipped, [{ file: 'm_big.ts', reason: budgetReason(300) }]);
    assert.deepStrictEqual([...new Set(report.prompts.map((p) => p.file))].sort(), ['a.ts', 'y.prompt.yml', 'z.ts']);
    assert.strictEqual(progress[progress.length - 1], 4, 'every file counted once in the progress');
  });

  it('a file whose analysis fills the worker\'s heap is skipped with the memory budget named; the files around it are analysed', async () => {
    // ~900 KB of calls: its analysis holds more than a 48 MB heap (and less than 200 MB); a small file's fits.
    const ws = bigBetweenSmall('pc-budget-mem-');
    let done = 0;
    // No time budget in the way: near its heap's limit a worker collects garbage most of the time.
    const [r] = await detectInWorkers(['a.ts', 'm_big.ts', 'z.ts'], { root: ws, budgets: { parseMs: 600_000, evaluateMs: 600_000 } }, 1, () => void done++, undefined, 600_000, { old: 48, young: 8 });
    assert.deepStrictEqual(r.skipped, [{ file: 'm_big.ts', reason: memoryReason(48) }]);
    assert.deepStrictEqual(r.detections.map((d) => d.file), ['a.ts', 'z.ts']);
    assert.strictEqual(done, 3, 'every file counted once in the progress');
  });

  it('without an over-budget file, a worker scan equals an in-process one', async () => {
    const ws = tempDir('pc-budget2-');
    for (let i = 0; i < 5; i++) fs.writeFileSync(path.join(ws, `f${i}.ts`), "import OpenAI from 'openai';\nconst client = new OpenAI();\n" + call(i));
    const inWorker = await scanWorkspace({ root: ws, workers: 2 });
    const inProcess = await scanWorkspace({ root: ws, workers: 0 });
    assert.deepStrictEqual(inWorker.prompts.map((p) => [p.id, p.tokens.input]), inProcess.prompts.map((p) => [p.id, p.tokens.input]));
    assert.deepStrictEqual(inWorker.skipped, []);
  });
});
