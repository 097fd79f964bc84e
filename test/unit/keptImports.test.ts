// A scan batch keeps only a bounded number of imported files parsed (workspace.ts KEPT_IMPORTS): past
// it, every kept tree is freed and parsed again when imported again. What is found must not change.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { CodeProject } from '../../src/core/detect/code/source';
import { ensureLanguages } from '../../src/core/detect/code/parser';
import { detectBatch } from '../../src/core/workspace';
import { tempDir } from '../tempDir';

function workspace(): { root: string; files: string[] } {
  const root = tempDir('pc-kept-');
  const files: string[] = [];
  for (let i = 0; i < 6; i++) {
    fs.writeFileSync(path.join(root, `prompt${i}.ts`), `export const P${i} = 'You are assistant number ${i}. Answer the question in at most ${i + 2} sentences, citing the manual.';\n`);
  }
  for (let i = 0; i < 12; i++) {
    const a = i % 6;
    const b = (i + 1) % 6;
    const rel = `call${i}.ts`;
    fs.writeFileSync(path.join(root, rel), [
      "import OpenAI from 'openai';",
      `import { P${a} } from './prompt${a}';`,
      `import { P${b} } from './prompt${b}';`,
      'const client = new OpenAI();',
      `export const ask = (q: string) => client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'system', content: P${a} + P${b} }, { role: 'user', content: q }] });`,
      '',
    ].join('\n'));
    files.push(rel);
  }
  return { root, files };
}

describe('imported files kept between a batch\'s files', () => {
  it('trimImports frees the kept trees past the bound, and an import after it is parsed again', async () => {
    await ensureLanguages(new Set(['typescript']));
    const { root } = workspace();
    const project = new CodeProject((rel) => fs.readFileSync(path.join(root, rel), 'utf8'));
    const first = [0, 1, 2].map((i) => project.get(`prompt${i}.ts`)!);
    assert.ok(first.every(Boolean));
    project.trimImports(3);
    assert.strictEqual(project.get('prompt0.ts'), first[0]); // within the bound: kept
    project.trimImports(2);
    const again = project.get('prompt0.ts')!;
    assert.notStrictEqual(again, first[0]); // freed, then parsed again
    assert.strictEqual(again.tree.rootNode.text, first[0].text);
    project.dispose();
  });

  it('a batch finds the same prompts, with the same text and reads, however few imports it keeps', async () => {
    const { root, files } = workspace();
    const inputsKept = new Map<string, string>();
    const inputsTrimmed = new Map<string, string>();
    const kept = await detectBatch(files, { root }, undefined, undefined, undefined, { inputs: inputsKept });
    const trimmed = await detectBatch(files, { root }, undefined, undefined, undefined, { inputs: inputsTrimmed, keptImports: 0 });
    assert.strictEqual(kept.detections.length, 12);
    const parts = (r: typeof kept) => r.detections.map((d) => d.detected.map((p) => p.parts.map((x) => [x.file ?? d.file, x.range.start.line, x.text])));
    assert.deepStrictEqual(parts(trimmed), parts(kept));
    assert.ok(parts(kept).flat(3).some((x) => x === 'prompt3.ts'));
    // (what was read, by digest: the times of the reads differ)
    const digests = (m: Map<string, string>) => [...m].map(([k, v]) => [k, v.split('\0')[0]]).sort();
    assert.deepStrictEqual(digests(inputsTrimmed), digests(inputsKept));
  });
});
