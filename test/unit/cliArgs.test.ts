import * as assert from 'assert';
import { run } from '../../src/cli/main';
import { nearestOptions } from '../../src/cli/args';
import { OPTION_LIMITS, type NumberOptionName } from '../../src/cli/numberOptions';
import { NUMBER_LIMITS, rangeText, type NumberLimit } from '../../src/core/numbers';

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

describe('cli numeric options: each in its range, or a usage error saying the range', () => {
  // Every numeric option of every command, with the arguments it needs to get as far as reading it.
  const OPTIONS: [NumberOptionName, string[]][] = [
    ['input', ['cost', '--model', 'gpt-4o']],
    ['cached-input', ['cost', '--model', 'gpt-4o', '--input', '100']],
    ['output', ['cost', '--model', 'gpt-4o', '--input', '100']],
    ['calls-per-day', ['cost', '--model', 'gpt-4o', '--input', '100']],
    ['days-per-month', ['cost', '--model', 'gpt-4o', '--input', '100']],
    ['max-monthly', ['scan']],
    ['max-increase-usd', ['diff', '--base', 'HEAD']],
    ['max-increase-pct', ['diff', '--base', 'HEAD']],
    ['timeout', ['prices']],
    ['timeout', ['compress', 'x.ts:1']],
    ['part', ['compress', 'x.ts:1']],
  ];

  it('the table covers every numeric option', () => {
    assert.deepStrictEqual([...new Set(OPTIONS.map(([name]) => name))].sort(), Object.keys(OPTION_LIMITS).sort());
  });

  it('negative, past the limits, not finite, not decimal, or a fraction for a whole number: exit 2, the range said', async () => {
    for (const [name, base] of OPTIONS) {
      const l: NumberLimit = OPTION_LIMITS[name];
      const bad = ['-1', 'Infinity', '-Infinity', 'NaN', '1e400', '0x10', 'ten', String(l.min - 0.5)];
      if (Number.isFinite(l.max)) bad.push(String(l.max + 1));
      if (l.integer) bad.push(String(l.min + 1.5));
      if (l.aboveMin) bad.push(String(l.min));
      if (l.min > 0) bad.push('0');
      for (const value of bad) {
        const args = [...base, `--${name}=${value}`];
        const r = await cli(args);
        assert.strictEqual(r.code, 2, `${args.join(' ')}: exit ${r.code} ${r.stderr}`);
        assert.ok(r.stderr.startsWith(`prompt-cost: --${name} must be ${rangeText(l)} (${l.what}), got "${value}"\n`), `${args.join(' ')}: ${r.stderr}`);
      }
    }
  });

  it('the traffic options share the config\'s limits: --days-per-month 0 and 32 are refused, 1 and 31 priced', async () => {
    const cost = ['cost', '--model', 'gpt-4o', '--input', '100'];
    for (const days of ['0', '32', '-3']) {
      const r = await cli([...cost, '--days-per-month', days]);
      assert.strictEqual(r.code, 2, days);
      assert.match(r.stderr, new RegExp(`^prompt-cost: --days-per-month must be a number from 1 to 31 \\(days per month\\), got "${days}"\\n`));
    }
    for (const days of ['1', '31', '30.4']) assert.strictEqual((await cli([...cost, '--days-per-month', days])).code, 0, days);
    assert.strictEqual(OPTION_LIMITS['days-per-month'], NUMBER_LIMITS.daysPerMonth);
    assert.strictEqual(OPTION_LIMITS['calls-per-day'], NUMBER_LIMITS.callsPerDay);
    assert.strictEqual(OPTION_LIMITS.output, NUMBER_LIMITS.outputTokens);
    const r = await cli([...cost, '--calls-per-day', '10_000', '--output', '1e3', '--format', 'json']);
    assert.strictEqual(r.code, 0, r.stderr);
    assert.strictEqual(JSON.parse(r.stdout).callsPerDay, 10000);
  });
});

describe('cli options given an empty value', () => {
  it('is a usage error naming the option, for every string option of every command (--model "", --config=, a blank)', async () => {
    const cases: string[][] = [
      ['count', '-', '--model', ''],
      ['count', '-', '--format='],
      ['cost', '--model', '', '--input', '5'],
      ['cost', '--model', 'gpt-4o', '--input', '5', '--config', ''],
      ['cost', '--model', 'gpt-4o', '--input', ' '],
      ['scan', '--config', ''],
      ['scan', '--format', ''],
      ['scan', '--max-monthly='],
      ['diff', '--base', ''],
      ['diff', '--base', 'HEAD', '--head', ''],
      ['explain', 'a.ts:1', '--config', ''],
      ['prices', '--url', ''],
      ['compress', 'a.ts:1', '--model', ''],
      ['compress', 'a.ts:1', '--base-url', '  '],
    ];
    for (const args of cases) {
      const r = await cli(args);
      const name = args.slice(1).find((a, i, all) => a.startsWith('--') && (a.endsWith('=') || /^\s*$/.test(all[i + 1] ?? 'x')))!.replace(/=$/, '');
      assert.strictEqual(r.code, 2, `${args.join(' ')}: exit ${r.code} ${r.stderr}`);
      assert.strictEqual(r.stdout, '', args.join(' '));
      assert.match(r.stderr, new RegExp(`^prompt-cost: ${name} needs a value, got an empty one \\("\\s*"; an unset shell variable\\?\\): write ${name} VALUE\\n`), `${args.join(' ')}: ${r.stderr}`);
    }
  });
});

describe('table width', () => {
  const io = (COLUMNS?: string, columns?: number) => ({ stdout: () => undefined, stderr: () => undefined, readStdin: () => Buffer.alloc(0), stderrIsTTY: false, cwd: '/', env: { COLUMNS }, columns });
  it('is the terminal, else $COLUMNS (a narrow one gets the narrowest table that fits its headers), else 120', () => {
    const { terminalWidth } = require('../../src/cli/main') as typeof import('../../src/cli/main');
    assert.strictEqual(terminalWidth(io(undefined, 77)), 77);
    assert.strictEqual(terminalWidth(io('100')), 100);
    assert.strictEqual(terminalWidth(io('30')), 40);
    assert.strictEqual(terminalWidth(io('')), 120);
    assert.strictEqual(terminalWidth(io('wide')), 120);
  });
});
