import * as assert from 'assert';
import { run } from '../../src/cli/main';
import { nearestOptions } from '../../src/cli/args';

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await run(args, { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), readStdin: () => Buffer.from(''), stderrIsTTY: false, cwd: process.cwd(), env: {} });
  return { code, stdout, stderr };
}

describe('cli argument errors', () => {
  it('a mistyped option, for every command: "unknown option --fromat (did you mean --format?)", exit 2, the command\'s own help named', async () => {
    for (const command of ['count', 'cost', 'scan', 'diff', 'explain', 'prices', 'compress']) {
      const r = await cli([command, '--fromat', 'json']);
      assert.strictEqual(r.code, 2, `${command}: ${r.stderr}`);
      assert.strictEqual(r.stdout, '', command);
      assert.match(r.stderr, /^prompt-cost: unknown option --fromat \(did you mean --format\?\)\n/, `${command}: ${r.stderr}`);
      assert.ok(r.stderr.includes(`Run \`prompt-cost ${command} --help\` for usage.`), `${command}: ${r.stderr}`);
      assert.doesNotMatch(r.stderr, /positional argument/, command);
    }
  });

  it('suggests from the command\'s own options: a prefix, a dropped or swapped letter', async () => {
    assert.match((await cli(['cost', '--calls', '5'])).stderr, /unknown option --calls \(did you mean --calls-per-day\?\)/);
    assert.match((await cli(['diff', '--bse', 'main'])).stderr, /unknown option --bse \(did you mean --base\?\)/);
    assert.match((await cli(['compress', '--aply', 'a.ts:1'])).stderr, /unknown option --aply \(did you mean --apply\?\)/);
    // --all is diff's, not scan's: scan lists what it takes instead.
    const scan = await cli(['scan', '--all']);
    assert.strictEqual(scan.code, 2);
    assert.match(scan.stderr, /unknown option --all \(the options are --format, --config, --max-monthly, --no-heuristics, --no-cache\)/);
    assert.deepStrictEqual(nearestOptions('--max-increse-usd', { 'max-increase-usd': { type: 'string' }, 'max-increase-pct': { type: 'string' } }), ['max-increase-usd']);
  });

  it('a missing value and a value given to a switch are said as such', async () => {
    const missing = await cli(['scan', '--format']);
    assert.strictEqual(missing.code, 2);
    assert.match(missing.stderr, /^prompt-cost: --format needs a value \(--format VALUE\)\n/);
    const switchValue = await cli(['scan', '--no-cache=yes']);
    assert.strictEqual(switchValue.code, 2);
    assert.match(switchValue.stderr, /^prompt-cost: --no-cache takes no value \(write --no-cache alone\)\n/);
  });

  it('a mistyped command is suggested too', async () => {
    const r = await cli(['scna']);
    assert.strictEqual(r.code, 2);
    assert.match(r.stderr, /unknown command "scna" \(did you mean scan\?\)/);
    assert.ok(r.stderr.includes('Run `prompt-cost --help` for usage.'));
  });
});
