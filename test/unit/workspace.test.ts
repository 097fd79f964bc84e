import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { scanWorkspace } from '../../src/core/workspace';
import { tempDir } from '../tempDir';

const PROMPT = 'model: gpt-4o\nmessages:\n  - role: user\n    content: hello\n';

function tree(files: Record<string, string | Buffer>): string {
  const dir = tempDir('pc-ws-');
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}

describe('workspace scan', () => {
  it('respects .gitignore (nested too), default excludes and configured excludes', async () => {
    const dir = tree({
      '.gitignore': 'ignored/\n*.tmp.prompt.yml\n',
      'a.prompt.yml': PROMPT,
      'ignored/b.prompt.yml': PROMPT,
      'c.tmp.prompt.yml': PROMPT,
      'node_modules/pkg/d.prompt.yml': PROMPT,
      '.venv/e.prompt.yml': PROMPT,
      'sub/.gitignore': 'local.prompt.yml\n',
      'sub/local.prompt.yml': PROMPT,
      'sub/kept.prompt.yml': PROMPT,
      'examples/f.prompt.yml': PROMPT,
      'test/g.prompt.yml': PROMPT,
      'generated/h.prompt.yml': PROMPT,
      '.promptcost.yaml': 'exclude:\n  - "generated/**"\n',
    });
    const files = (await scanWorkspace({ root: dir })).prompts.map((p) => p.file).sort();
    assert.deepStrictEqual(files, ['a.prompt.yml', 'examples/f.prompt.yml', 'sub/kept.prompt.yml', 'test/g.prompt.yml']);
  });

  it('skips huge, binary and non-UTF-8 files with a reason, and keeps going', async () => {
    const dir = tree({
      'big.prompt.yml': PROMPT + '# ' + 'x'.repeat(1024 * 1024) + '\n',
      'bin.prompt.yml': Buffer.from([0x6d, 0x00, 0x01, 0x02]),
      'latin1.prompt.yml': Buffer.from('model: gpt-4o\nmessages:\n  - role: user\n    content: caf\xe9\n', 'latin1'),
      'ok.prompt.yml': PROMPT,
    });
    const r = (await scanWorkspace({ root: dir }));
    assert.deepStrictEqual(r.prompts.map((p) => p.file), ['ok.prompt.yml']);
    const reasons = Object.fromEntries(r.skipped.map((s) => [s.file, s.reason]));
    assert.match(reasons['big.prompt.yml'], /larger than 1024 KB/);
    assert.strictEqual(reasons['bin.prompt.yml'], 'binary');
    assert.strictEqual(reasons['latin1.prompt.yml'], 'not UTF-8 text');
  });

  it('scans only the given paths, with ids relative to the root', async () => {
    const dir = tree({ 'x/a.prompt.yml': PROMPT, 'y/b.prompt.yml': PROMPT });
    const r = (await scanWorkspace({ root: dir, paths: ['y'] }));
    assert.deepStrictEqual(r.prompts.map((p) => p.id), ['y/b.prompt.yml:3']);
  });

  it('promptfoo file:// prompts are read, but never from outside the workspace', async () => {
    const outside = tree({ 'secret.txt': 'outside {{x}}' });
    const dir = tree({
      'promptfooconfig.yaml': `prompts:\n  - file://prompts/p.txt\n  - file://${path.join(outside, 'secret.txt')}\n  - file://../${path.basename(outside)}/secret.txt\nproviders:\n  - openai:gpt-4o-mini\n`,
      'prompts/p.txt': 'Say hello to {{name}}\n---\nSay goodbye to {{name}}',
    });
    const r = (await scanWorkspace({ root: dir }));
    assert.deepStrictEqual(r.prompts.map((p) => p.label), ['prompts/p.txt#1 × openai:gpt-4o-mini', 'prompts/p.txt#2 × openai:gpt-4o-mini']);
    assert.strictEqual(r.diagnostics.filter((d) => /cannot read prompt file/.test(d.message)).length, 2);
  });
});
