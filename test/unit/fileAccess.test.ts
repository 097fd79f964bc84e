// Reads other than the walk's own list: regular files only (a named pipe never blocks), and nothing
// whose real path is outside the workspace — by imports, promptfoo file:// prompts, path arguments or
// --config. Pipes are tested through a child process with a timeout: a blocking open would hang the
// test process itself.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { guardedReader, readTextFile, realRoot, refusalDiagnostics } from '../../src/core/fileAccess';
import { scanWorkspace } from '../../src/core/workspace';
import { tempDir } from '../tempDir';

const ROOT = path.join(__dirname, '..', '..');
const CALL = (constant: string, from: string) => [
  "import OpenAI from 'openai';",
  `import { ${constant} } from '${from}';`,
  'const client = new OpenAI();',
  `client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'system', content: ${constant} }] });`,
  '',
].join('\n');

/** The CLI from source, in a child with a deadline: a blocked read shows as a timeout, not a hung suite. */
function cli(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, ['--require', require.resolve('tsx/cjs'), path.join(ROOT, 'src', 'cli', 'index.ts'), ...args], { cwd, timeout: 30000, encoding: 'utf8' });
  assert.notStrictEqual(r.signal, 'SIGTERM', `prompt-cost ${args.join(' ')} did not finish in 30 s (blocked on a read?)`);
  return r;
}

describe('file access: regular files inside the workspace only', function () {
  this.timeout(60000);

  it('readTextFile refuses a named pipe at once, and a folder', () => {
    const dir = tempDir('pc-fifo-');
    const fifo = path.join(dir, 'pipe.ts');
    spawnSync('mkfifo', [fifo]);
    const r = readTextFile(fifo); // would block forever without O_NONBLOCK + fstat
    assert.deepStrictEqual(r, { ok: false, reason: 'a named pipe, not a regular file', refused: 'special' });
    assert.strictEqual((readTextFile(dir) as { refused?: string }).refused, 'special');
  });

  it('a link out of the workspace is refused by real path; a link inside it is read', () => {
    const outside = tempDir('pc-outside-');
    fs.writeFileSync(path.join(outside, 'secret.txt'), 'top secret');
    const ws = tempDir('pc-ws-');
    fs.writeFileSync(path.join(ws, 'real.txt'), 'fine');
    fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(ws, 'link.txt'));
    fs.symlinkSync(path.join(ws, 'real.txt'), path.join(ws, 'inner.txt'));
    fs.symlinkSync(outside, path.join(ws, 'dirlink'));
    const refused: string[] = [];
    const read = guardedReader(ws, (r) => refused.push(`${r.file}: ${r.reason}`));
    assert.strictEqual(read('inner.txt'), 'fine');
    assert.strictEqual(read('link.txt'), undefined);
    assert.strictEqual(read('dirlink/secret.txt'), undefined);
    assert.strictEqual(read('../' + path.basename(outside) + '/secret.txt'), undefined);
    assert.strictEqual(read('missing.txt'), undefined); // an import probe that did not match: no refusal
    assert.strictEqual(refused.length, 3, refused.join('\n'));
    assert.match(refused[0], new RegExp(`link\\.txt: outside the workspace \\(it resolves to ${realRoot(outside).replace(/[/\\.]/g, '\\$&')}`));
  });

  it('scan: an import of a named pipe neither blocks nor passes silently (file-not-read)', () => {
    const ws = tempDir('pc-fifo-ws-');
    spawnSync('mkfifo', [path.join(ws, 'pipe.ts')]);
    fs.writeFileSync(path.join(ws, 'app.ts'), CALL('P', './pipe'));
    const r = cli(['scan', '.', '--format', 'json'], ws);
    assert.strictEqual(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    const d = report.diagnostics.find((x: { code: string }) => x.code === 'file-not-read');
    assert.ok(d, JSON.stringify(report.diagnostics));
    assert.strictEqual(d.file, 'app.ts');
    assert.strictEqual(d.range.start.line, 1); // the import line
    assert.match(d.message, /pipe\.ts was not read: a named pipe/);
  });

  it('scan: a promptfoo file:// prompt through a link to /etc/passwd is not read, and says so', async () => {
    const ws = tempDir('pc-link-ws-');
    const outside = tempDir('pc-link-out-');
    fs.writeFileSync(path.join(outside, 'passwd'), 'root:x:0:0:root:/root:/bin/bash\n'.repeat(50));
    fs.symlinkSync(path.join(outside, 'passwd'), path.join(ws, 'prompt.txt'));
    fs.writeFileSync(path.join(ws, 'promptfooconfig.yaml'), 'prompts:\n  - file://prompt.txt\nproviders:\n  - openai:gpt-4o\n');
    const report = await scanWorkspace({ root: ws, workers: 0 });
    assert.strictEqual(report.prompts.length, 0, 'the outside file was counted');
    const d = report.diagnostics.find((x) => x.code === 'file-not-read');
    assert.ok(d, JSON.stringify(report.diagnostics));
    assert.match(d.message, /prompt\.txt was not read: outside the workspace/);
    assert.strictEqual(d.range.start.line, 1);
  });

  it('scan: an import through a link to a file outside the workspace is not followed', async () => {
    const ws = tempDir('pc-imp-ws-');
    const outside = tempDir('pc-imp-out-');
    fs.writeFileSync(path.join(outside, 'secret.ts'), `export const S = '${'confidential words '.repeat(40)}';\n`);
    fs.symlinkSync(path.join(outside, 'secret.ts'), path.join(ws, 'secret.ts'));
    fs.writeFileSync(path.join(ws, 'app.ts'), CALL('S', './secret'));
    const report = await scanWorkspace({ root: ws, workers: 0 });
    assert.strictEqual(report.prompts.length, 1);
    assert.ok(!report.prompts[0].parts.some((p) => p.file === 'secret.ts'), 'the outside file was read');
    assert.ok(report.prompts[0].parts.every((p) => p.tokens < 20), `static tokens ${report.prompts[0].parts.map((p) => p.tokens)}: the outside text was counted`);
    assert.ok(report.diagnostics.some((x) => x.code === 'file-not-read' && x.file === 'app.ts' && /secret\.ts was not read: outside/.test(x.message)), JSON.stringify(report.diagnostics));
  });

  it('scan: a read by a path out of the workspace (../x.py, an absolute path, __dirname/../..) is a file-not-read warning, not a silent slot', async () => {
    const base = tempDir('pc-read-out-');
    const ws = path.join(base, 'ws');
    fs.mkdirSync(path.join(ws, 'src'), { recursive: true });
    fs.writeFileSync(path.join(base, 'outside.py'), 'You are a confidential prompt kept outside the workspace.\n');
    const py = (content: string) => `from pathlib import Path\nfrom openai import OpenAI\nclient = OpenAI()\nclient.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": ${content}}])\n`;
    fs.writeFileSync(path.join(ws, 'up.py'), py('Path("../outside.py").read_text()'));
    fs.writeFileSync(path.join(ws, 'src', 'abs.py'), py('open("/etc/hostname").read()'));
    fs.writeFileSync(path.join(ws, 'src', 'app.ts'), "import OpenAI from 'openai';\nimport { readFileSync } from 'fs';\nimport path from 'path';\nconst client = new OpenAI();\nclient.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'system', content: readFileSync(path.join(__dirname, '..', '..', 'outside.py'), 'utf8') }] });\n");
    const report = await scanWorkspace({ root: ws, workers: 0 });
    assert.strictEqual(report.prompts.length, 3);
    const notRead = report.diagnostics.filter((d) => d.code === 'file-not-read').map((d) => [d.file, d.range.start.line + 1, /was not read: outside the workspace/.test(d.message) && d.message.split(' was not read')[0].split(': ').pop()]);
    assert.deepStrictEqual(notRead.sort(), [['src/abs.py', 4, '/etc/hostname'], ['src/app.ts', 5, '../outside.py'], ['up.py', 4, '../outside.py']]);
    assert.doesNotMatch(JSON.stringify(report), /confidential prompt/);
    // As the warning says, what the file would have sent is not counted: no guessed 100-token slot.
    for (const p of report.prompts) assert.deepStrictEqual(p.parts.flatMap((x) => x.slots.map((s) => s.name)), [], p.file);
  });

  it('scan: a read of a file the workspace does not have is a file-not-read warning at the read; once the file exists its text is counted', async () => {
    const ws = tempDir('pc-read-missing-');
    fs.mkdirSync(path.join(ws, 'src'));
    fs.writeFileSync(path.join(ws, 'app.py'), 'from pathlib import Path\nfrom openai import OpenAI\nclient = OpenAI()\nclient.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": Path("prompts/system.md").read_text()}, {"role": "user", "content": "Say hello to the team."}])\n');
    fs.writeFileSync(path.join(ws, 'src', 'ask.ts'), "import OpenAI from 'openai';\nimport { readFileSync } from 'fs';\nconst client = new OpenAI();\nclient.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'system', content: readFileSync('src/rules.txt', 'utf8') }, { role: 'user', content: 'List the rules you follow.' }] });\n");
    const before = await scanWorkspace({ root: ws, workers: 0 });
    const notRead = before.diagnostics.filter((d) => d.code === 'file-not-read').map((d) => [d.file, d.range.start.line + 1, d.severity, /(\S+) was not read: no file of the scanned folder is at that path .*a file outside that folder is never read/.exec(d.message)?.[1]]);
    assert.deepStrictEqual(notRead.sort(), [['app.py', 4, 'warning', 'prompts/system.md'], ['src/ask.ts', 4, 'warning', 'src/rules.txt']]);
    fs.mkdirSync(path.join(ws, 'prompts'));
    fs.writeFileSync(path.join(ws, 'prompts', 'system.md'), 'You are the team\'s friendly greeter. Keep every greeting under twenty words.\n');
    // a file that is there but not UTF-8 text is said as such, not as missing
    fs.writeFileSync(path.join(ws, 'src', 'rules.txt'), Buffer.from([0x52, 0x75, 0x6c, 0x65, 0xff, 0xfe, 0x0a]));
    const after = await scanWorkspace({ root: ws, workers: 0 });
    assert.deepStrictEqual(after.diagnostics.filter((d) => d.code === 'file-not-read').map((d) => [d.file, /rules\.txt was not read: not UTF-8 text/.test(d.message)]), [['src/ask.ts', true]]);
    assert.ok(after.prompts.find((p) => p.file === 'app.py')!.parts.some((x) => x.file === 'prompts/system.md' && x.tokens > 10));
  });

  it('scan: every file that reads a refused file is told, not only the first (the project reads it once)', async () => {
    const ws = tempDir('pc-read-twice-');
    const outside = tempDir('pc-read-twice-out-');
    fs.writeFileSync(path.join(outside, 'secret.md'), 'You are a confidential prompt kept outside the workspace.\n');
    fs.mkdirSync(path.join(ws, 'prompts'));
    fs.symlinkSync(path.join(outside, 'secret.md'), path.join(ws, 'prompts', 'link.md'));
    spawnSync('mkfifo', [path.join(ws, 'prompts', 'pipe.md')]);
    const py = (name: string) => `from pathlib import Path\nfrom openai import OpenAI\nclient = OpenAI()\nclient.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": (Path(__file__).parent / "prompts" / "${name}").read_text()}])\n`;
    for (const f of ['a.py', 'b.py']) fs.writeFileSync(path.join(ws, f), py('link.md'));
    for (const f of ['c.py', 'd.py']) fs.writeFileSync(path.join(ws, f), py('pipe.md'));
    const report = await scanWorkspace({ root: ws, workers: 0 });
    const notRead = report.diagnostics.filter((d) => d.code === 'file-not-read').map((d) => `${d.file}: ${/outside the workspace/.test(d.message) ? 'outside' : /named pipe/.test(d.message) ? 'pipe' : d.message}`);
    assert.deepStrictEqual(notRead.sort(), ['a.py: outside', 'b.py: outside', 'c.py: pipe', 'd.py: pipe']);
  });

  it('the walk lists a link out of the workspace, a dangling link and a named pipe under Skipped, with why; a link inside is silent', async () => {
    const ws = tempDir('pc-walk-special-');
    const outside = tempDir('pc-walk-special-out-');
    fs.writeFileSync(path.join(outside, 'secret.md'), 'outside\n');
    fs.writeFileSync(path.join(ws, 'real.md'), 'inside\n');
    fs.symlinkSync(path.join(outside, 'secret.md'), path.join(ws, 'out.md'));
    fs.symlinkSync(outside, path.join(ws, 'outdir'));
    fs.symlinkSync(path.join(ws, 'real.md'), path.join(ws, 'in.md'));
    fs.symlinkSync(path.join(ws, 'nowhere.md'), path.join(ws, 'dangling.md'));
    spawnSync('mkfifo', [path.join(ws, 'pipe.prompt.yml')]);
    const report = await scanWorkspace({ root: ws, workers: 0 });
    assert.deepStrictEqual(report.skipped, [
      { file: 'dangling.md', reason: 'a symbolic link to nothing: not read' },
      { file: 'out.md', reason: `a symbolic link out of the workspace (it resolves to ${realRoot(path.join(outside, 'secret.md'))}): not followed` },
      { file: 'outdir', reason: `a symbolic link out of the workspace (it resolves to ${realRoot(outside)}): not followed` },
      { file: 'pipe.prompt.yml', reason: 'a named pipe, not a regular file: not read' },
    ]);
  });

  it('the CLI: a pipe as a path argument, as count FILE or as --config exits 2 at once', () => {
    const ws = tempDir('pc-fifo-cli-');
    spawnSync('mkfifo', [path.join(ws, 'pipe.ts')]);
    spawnSync('mkfifo', [path.join(ws, 'cfg.yaml')]);
    fs.writeFileSync(path.join(ws, 'a.ts'), 'export const x = 1;\n');
    for (const args of [['scan', 'pipe.ts'], ['scan', 'a.ts', 'pipe.ts'], ['count', 'pipe.ts'], ['scan', '--config', 'cfg.yaml'], ['cost', '--model', 'gpt-4o', '--input', '1', '--config', 'cfg.yaml'], ['compress', 'pipe.ts:1']]) {
      const r = cli(args, ws);
      assert.strictEqual(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /(pipe\.ts|cfg\.yaml) is a named pipe, not a file/, args.join(' '));
    }
  });

  it('file-not-read diagnostics point at the reference, else the top of the file', () => {
    const [d] = refusalDiagnostics('a.ts', 'x\nimport { P } from "./pipe";\n', [{ file: 'pipe.ts', reason: 'a named pipe, not a regular file' }]);
    assert.deepStrictEqual(d.range, { start: { line: 1, character: 21 }, end: { line: 1, character: 25 } });
    const [top] = refusalDiagnostics('a.ts', 'nothing here', [{ file: 'zzz.md', reason: 'outside the workspace' }]);
    assert.strictEqual(top.range.start.line, 0);
  });
});
