// The walk's .gitignore layers: negations that name paths beneath an ignored folder re-include what they
// name (files a repository tracks there), and nothing else of that folder.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { walkRelative } from '../../src/core/workspace';

describe('.gitignore negations beneath an ignored folder', () => {
  let root: string;
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'pc-gitignore-'));
    const files: Record<string, string> = {
      '.gitignore': 'benchmark\n!benchmark/*/prompt\nprojects\n!projects/example\nbuild-out/\nlogs\n!keep.log\n',
      'benchmark/todo/prompt': 'Build a to-do app',
      'benchmark/todo/main.py': 'print(1)',
      'benchmark/todo/workspace/app.py': 'print(2)',
      'projects/example/prompt': 'Write snake',
      'projects/example/notes.md': 'notes',
      'projects/mine/prompt': 'mine',
      'build-out/x.js': 'x',
      'logs/keep.log': 'kept? no: a bare negation does not reach below an ignored folder',
      'src/app.py': 'print(3)',
    };
    for (const [rel, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), text);
    }
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('walks the named files and folders only', () => {
    const walked = walkRelative(root, root, [], []).sort();
    assert.deepStrictEqual(walked, ['.gitignore', 'benchmark/todo/prompt', 'projects/example/notes.md', 'projects/example/prompt', 'src/app.py']);
  });
});

describe('.gitignore layers: the deepest matching rule decides', () => {
  let root: string;
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'pc-gitignore-deep-'));
    const files: Record<string, string> = {
      '.gitignore': '*.md\n!keep.txt\n',
      'notes.md': 'ignored at the root',
      'docs/.gitignore': '!README.md\n*.txt\n',
      'docs/README.md': 're-included by the folder of its own',
      'docs/guide.md': 'still ignored by the root',
      'docs/keep.txt': 'the root re-includes it, the deeper file ignores it',
      'docs/sub/README.md': 'a pattern without a slash reaches every depth below its folder',
      'src/keep.txt': 'kept',
    };
    for (const [rel, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), text);
    }
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it("a deeper .gitignore's negation re-includes what a parent ignores, and its pattern ignores what a parent re-includes", () => {
    const walked = walkRelative(root, root, [], []).sort();
    assert.deepStrictEqual(walked, ['.gitignore', 'docs/.gitignore', 'docs/README.md', 'docs/sub/README.md', 'src/keep.txt']);
  });
});
