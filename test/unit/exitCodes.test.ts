// One exit-code rule for every command (README "Exit codes", `prompt-cost --help`): 0 done, 1 scan over
// budget, 2 bad usage or an input named on the command line (or the config) that cannot be used — with a
// message naming it and no stack trace — 3 a bug. Each case is run per command.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { run } from '../../src/cli/main';
import { tempDir } from '../tempDir';

const ROOT = path.join(__dirname, '..', '..');

async function cli(args: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await run(args, { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), readStdin: () => Buffer.from('hello'), stderrIsTTY: false, cwd });
  return { code, stdout, stderr };
}

const COST = ['cost', '--model', 'gpt-4o', '--input', '100'];

function workspace(): string {
  const dir = tempDir('pc-exit-');
  fs.writeFileSync(path.join(dir, 'a.prompt.yml'), 'model: gpt-4o\nmessages:\n  - role: user\n    content: hello there\n');
  fs.mkdirSync(path.join(dir, 'sub'));
  return dir;
}

describe('exit codes: one rule for count, cost, scan, diff and explain', () => {
  it('0 when done, for each command', async () => {
    const ws = workspace();
    for (const args of [['count', 'a.prompt.yml'], COST, ['scan'], ['scan', '.'], ['scan', 'a.prompt.yml'], ['--help']]) {
      const r = await cli(args, ws);
      assert.strictEqual(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
    }
  });

  it('1 only for scan over its budget', async () => {
    const ws = workspace();
    assert.strictEqual((await cli(['scan', '--max-monthly', '0'], ws)).code, 1);
    fs.writeFileSync(path.join(ws, '.promptcost.yaml'), 'budget:\n  monthlyUsd: 0.000001\n');
    assert.strictEqual((await cli(['scan'], ws)).code, 1);
  });

  const cases: { name: string; setup: (ws: string) => void; commands: string[][]; message: RegExp }[] = [
    { name: '--config DIR', setup: () => undefined, commands: [['scan', '--config', 'sub'], [...COST, '--config', 'sub'], ['diff', '--base', 'HEAD', '--config', 'sub'], ['explain', 'a.prompt.yml:1', '--config', 'sub']], message: /--config sub is a folder/ },
    { name: '--config /missing', setup: () => undefined, commands: [['scan', '--config', '/missing/x.yaml'], [...COST, '--config', '/missing/x.yaml'], ['diff', '--base', 'HEAD', '--config', '/missing/x.yaml'], ['explain', 'a.prompt.yml:1', '--config', '/missing/x.yaml']], message: /--config \/missing\/x\.yaml: no such file/ },
    { name: 'a missing FILE or PATH', setup: () => undefined, commands: [['count', 'nope.txt'], ['scan', 'nope.txt']], message: /nope\.txt: no such file/ },
    { name: 'a dangling link named', setup: (ws) => fs.symlinkSync(path.join(ws, 'gone'), path.join(ws, 'dangling.ts')), commands: [['count', 'dangling.ts'], ['scan', 'dangling.ts']], message: /dangling\.ts: no such file or folder \(a symbolic link to nothing\)/ },
    { name: 'a config that is not YAML', setup: (ws) => fs.writeFileSync(path.join(ws, 'bad.yaml'), 'budget:\n  monthlyUsd: 5\n x: [\n'), commands: [['scan', '--config', 'bad.yaml'], [...COST, '--config', 'bad.yaml']], message: /bad\.yaml:\d+: YAML error/ },
    { name: "the root's .promptcost.yaml not YAML", setup: (ws) => fs.writeFileSync(path.join(ws, '.promptcost.yaml'), 'defaults: {callsPerDay: 5\n'), commands: [['scan'], ['scan', '.'], COST, ['explain', 'a.prompt.yml:1']], message: /\.promptcost\.yaml:\d+: YAML error/ },
    { name: 'a budget or threshold field the gate cannot read (it would pass without the limit)', setup: (ws) => fs.writeFileSync(path.join(ws, '.promptcost.yaml'), 'budget:\n  monthlyUSD: 10\nthresholds:\n  promptTokens: lots\n'), commands: [['scan'], ['scan', '.'], COST], message: /\.promptcost\.yaml:2: unknown field "monthlyUSD" in budget[^]*\.promptcost\.yaml:4: thresholds\.promptTokens/ },
    { name: 'a count FILE that is not UTF-8', setup: (ws) => fs.writeFileSync(path.join(ws, 'latin1.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9])), commands: [['count', 'latin1.txt']], message: /latin1\.txt: not UTF-8 text/ },
    { name: 'bad usage', setup: () => undefined, commands: [['count', '--nope'], ['cost'], ['scan', '--format', 'xml'], ['frobnicate']], message: /./ },
  ];
  for (const c of cases) {
    it(`2 for ${c.name}, with a message and no stack trace`, async () => {
      const ws = workspace();
      c.setup(ws);
      for (const args of c.commands) {
        const r = await cli(args, ws);
        assert.strictEqual(r.code, 2, `${args.join(' ')}: exit ${r.code}\n${r.stderr}`);
        assert.match(r.stderr, c.message, args.join(' '));
        assert.match(r.stderr, /^prompt-cost: /);
        assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
      }
    });
  }

  it('2 for a config that is YAML but not a mapping (text, a list), named or found, without echoing what it holds', async () => {
    const ws = workspace();
    fs.writeFileSync(path.join(ws, 'passwd'), 'root:x:0:0:root:/root:/bin/bash\n');
    fs.writeFileSync(path.join(ws, 'list.yaml'), '- secret-one\n- secret-two\n');
    const git = (...args: string[]) => spawnSync('git', args, { cwd: ws, env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'base'); // diff needs a base to price
    const named = (file: string) => [['scan', '--config', file], [...COST, '--config', file], ['diff', '--base', 'HEAD', '--config', file], ['explain', 'a.prompt.yml:1', '--config', file]];
    const runs: { args: string[]; file: string; holds: RegExp }[] = [
      ...named('passwd').map((args) => ({ args, file: 'passwd', holds: /plain text/ })),
      ...named('list.yaml').map((args) => ({ args, file: 'list.yaml', holds: /a list/ })),
    ];
    for (const { args, file, holds } of runs) {
      const r = await cli(args, ws);
      assert.strictEqual(r.code, 2, `${args.join(' ')}: exit ${r.code}\n${r.stderr}`);
      assert.match(r.stderr, new RegExp(`^prompt-cost: [^]*${file.replace('.', '\\.')}:1: the config must be a mapping of fields`), args.join(' '));
      assert.match(r.stderr, holds, args.join(' '));
      assert.doesNotMatch(r.stderr + r.stdout, /root:x|\/bin\/bash|secret-/, `${args.join(' ')}: the file's content is not repeated`);
    }
    fs.copyFileSync(path.join(ws, 'passwd'), path.join(ws, '.promptcost.yaml'));
    for (const args of [['scan'], ['scan', '.'], COST, ['explain', 'a.prompt.yml:1']]) {
      const r = await cli(args, ws);
      assert.strictEqual(r.code, 2, `${args.join(' ')}: exit ${r.code}\n${r.stderr}`);
      assert.match(r.stderr, /\.promptcost\.yaml:1: the config must be a mapping of fields/, args.join(' '));
      assert.doesNotMatch(r.stderr + r.stdout, /root:x|\/bin\/bash/, args.join(' '));
    }
  });

  it('2 for a file the user cannot read (run as an unprivileged user when the tests run as root)', function () {
    this.timeout(60000);
    const ws = workspace();
    fs.chmodSync(ws, 0o755);
    const secret = path.join(ws, 'secret.ts');
    fs.writeFileSync(secret, 'export const x = 1;\n');
    fs.chmodSync(secret, 0o000);
    const node = [process.execPath, '--require', require.resolve('tsx/cjs'), path.join(ROOT, 'src', 'cli', 'index.ts')];
    const asUser = process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', ...node] : node;
    for (const args of [['count', secret], ['scan', secret]]) {
      const r = spawnSync(asUser[0], [...asUser.slice(1), ...args], { cwd: ws, encoding: 'utf8', timeout: 30000 });
      assert.strictEqual(r.status, 2, `${args[0]}: exit ${r.status}\n${r.stderr}`);
      assert.match(r.stderr, /secret\.ts: cannot be read: permission denied \(EACCES\)/);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    }
  });

  it('the rule is written in --help and in the README', async () => {
    const help = (await cli(['--help'], ROOT)).stdout;
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    for (const text of [help, readme]) {
      for (const code of ['0', '1', '2', '3']) assert.match(text, new RegExp(`(^|\\W)${code}\\W[^\\n]*`), `exit code ${code} undocumented`);
      assert.match(text, /not valid YAML/);
      assert.match(text, /Skipped/);
    }
  });
});
