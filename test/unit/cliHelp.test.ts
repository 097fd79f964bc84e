// Every command's --help against what the command accepts and what the README says: the options its
// parser takes are the options its help lists (no more, no fewer), each help has usage, options,
// examples and exit codes, and the README's CLI block is the same usage lines.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { COMMANDS, USAGE } from '../../src/cli/help';

const ROOT = path.join(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
const oneLine = (s: string) => s.replace(/\s*\n\s*/g, ' ').trim();
const optionsIn = (s: string) => [...s.matchAll(/--[a-z][\w-]*/g)].map((m) => m[0]);

describe('cli --help', function () {
  this.timeout(120_000);

  for (const command of COMMANDS) {
    it(`${command}: --help and -h print its usage, every option it accepts, examples and exit codes`, () => {
      const help = cli(command, '--help');
      assert.strictEqual(help.status, 0, help.stderr);
      assert.strictEqual(cli(command, '-h').stdout, help.stdout);
      const text = help.stdout;
      assert.ok(text.startsWith(`Usage:\n  ${USAGE[command]}\n`), text);
      const options = /\nOptions:\n([\s\S]*?)\n\n/.exec(text)?.[1];
      assert.ok(options, `${command} --help has an Options section`);
      assert.match(text, new RegExp(`\\nExamples:\\n  (\\S+ )*prompt-cost ${command}\\b`));
      assert.match(text, /\nExit codes: 0 /);
      // What the parser takes, as its unknown-option message lists it.
      const unknown = cli(command, '--zz-not-an-option');
      assert.strictEqual(unknown.status, 2);
      const accepted = optionsIn(/\(the options are ([^)]*)\)/.exec(unknown.stderr)?.[1] ?? '');
      assert.ok(accepted.length, unknown.stderr);
      const listed = [...options.matchAll(/^  (--[a-z][\w-]*)/gm)].map((m) => m[1]);
      assert.deepStrictEqual([...listed].sort(), [...accepted].sort(), `${command}: options listed in --help vs accepted`);
      assert.deepStrictEqual([...new Set(optionsIn(USAGE[command]))].sort(), [...accepted].sort(), `${command}: options in the usage line vs accepted`);
    });
  }

  it('prompt-cost --help lists every usage line, and the README\'s CLI block is the same lines', () => {
    const general = cli('--help').stdout;
    for (const c of COMMANDS) assert.ok(general.includes(`  ${USAGE[c]}\n`), c);
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const block = /## The CLI\n\n```\n([\s\S]*?)```/.exec(readme)?.[1];
    assert.ok(block);
    assert.deepStrictEqual(block.trim().split('\n'), COMMANDS.map((c) => oneLine(USAGE[c])));
  });
});
