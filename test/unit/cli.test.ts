import * as assert from 'assert';
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { get_encoding } from 'tiktoken';
import { run } from '../../src/cli/main';
import { DIAGNOSTIC_CODES } from '../../src/core/rules';
import { tempDir } from '../tempDir';

const ROOT = path.join(__dirname, '..', '..');
const DEMO = path.join(ROOT, 'examples', 'demo-workspace');

async function cli(args: string[], { stdin = '', cwd = ROOT, env = undefined as Record<string, string | undefined> | undefined } = {}) {
  let stdout = '';
  let stderr = '';
  const code = await run(args, { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), readStdin: () => Buffer.from(stdin), stderrIsTTY: false, cwd, ...(env ? { env } : {}) });
  return { code, stdout, stderr };
}

describe('cli', () => {
  it('count, cost and scan --help each print their own usage, options and examples (not the general help)', async () => {
    const general = (await cli(['--help'])).stdout;
    for (const [command, option] of [['count', '--model M'], ['cost', '--cached-input N'], ['scan', '--max-monthly USD']] as const) {
      for (const flag of ['--help', '-h']) {
        const r = await cli([command, flag]);
        assert.strictEqual(r.code, 0);
        assert.notStrictEqual(r.stdout, general, `${command} ${flag}`);
        assert.match(r.stdout, new RegExp(`^Usage:\\n  prompt-cost ${command} `), r.stdout);
        assert.match(r.stdout, /\nOptions:\n/);
        assert.match(r.stdout, new RegExp(`\\nExamples:\\n  prompt-cost ${command}\\b`));
        assert.ok(r.stdout.includes(option), `${command} --help names ${option}`);
      }
    }
  });

  it('a --config outside the scanned folder is named by the path given, not climbed to from the folder', async () => {
    const dir = tempDir('pc-cfg-out-');
    fs.mkdirSync(path.join(dir, 'ws'));
    fs.writeFileSync(path.join(dir, 'shared.yaml'), 'just some text\n');
    const r = await cli(['scan', path.join(dir, 'ws'), '--config', path.join(dir, 'shared.yaml')]);
    assert.strictEqual(r.code, 2);
    assert.ok(r.stderr.includes(`${path.join(dir, 'shared.yaml')}:1:`), r.stderr);
    assert.doesNotMatch(r.stderr, /\.\.\//);
  });

  describe('count', () => {
    it('counts standard input exactly, as JSON', async () => {
      const text = 'Count me, please: <|endoftext|> 日本語 🚀';
      const r = (await cli(['count', '--model', 'gpt-4o', '--format', 'json'], { stdin: text }));
      assert.strictEqual(r.code, 0, r.stderr);
      const enc = get_encoding('o200k_base');
      assert.deepStrictEqual(JSON.parse(r.stdout), { tokens: enc.encode_ordinary(text).length, encoding: 'o200k_base', exact: true, model: 'gpt-4o' });
      enc.free();
    });

    it('counts a file, and - reads standard input', async () => {
      const file = path.join(DEMO, 'prompts', 'support.prompty');
      const fromFile = JSON.parse((await cli(['count', file, '--format', 'json', '--model', 'gpt-4'])).stdout);
      const fromStdin = JSON.parse((await cli(['count', '-', '--format', 'json', '--model', 'gpt-4'], { stdin: fs.readFileSync(file, 'utf8') })).stdout);
      assert.strictEqual(fromFile.encoding, 'cl100k_base');
      assert.deepStrictEqual(fromFile, fromStdin);
    });

    it('says "≈" and estimate for models without a public tokenizer', async () => {
      const r = (await cli(['count', '--model', 'claude-sonnet-4-5'], { stdin: 'hello there' }));
      assert.match(r.stdout, /^≈\d+ tokens for claude-sonnet-4-5 \(estimated with o200k_base\)/);
    });

    it('a model the price database does not know: counted, with a warning naming the nearest models', async () => {
      const typo = await cli(['count', '--model', 'gpt-4o-mnii'], { stdin: 'hello there' });
      assert.strictEqual(typo.code, 0);
      assert.match(typo.stderr, /"gpt-4o-mnii" is not a model the price database knows \(did you mean gpt-4o-mini\?\)/);
      const known = await cli(['count', '--model', 'claude-sonnet-4-5'], { stdin: 'hello there' });
      assert.strictEqual(known.stderr, '');
      const nothing = await cli(['count', '--model', 'zz-local-thing'], { stdin: 'hello there' });
      assert.match(nothing.stderr, /not a model the price database knows; counted with o200k_base as an estimate/);
    });

    it('rejects a missing file, a folder and non-UTF-8 input with exit 2', async () => {
      assert.match((await cli(['count', 'nope.txt'])).stderr, /nope\.txt: no such file/);
      assert.strictEqual((await cli(['count', 'src'])).code, 2);
      const r = await run(['count'], { stdout: () => {}, stderr: () => {}, readStdin: () => Buffer.from([0xff, 0xfe, 0x00, 0xc3]), stderrIsTTY: false, cwd: ROOT });
      assert.strictEqual(r, 2);
    });
  });

  describe('cost', () => {
    it('the worked example as JSON', async () => {
      const r = (await cli(['cost', '--model', 'gpt-4o', '--input', '5200', '--output', '800', '--calls-per-day', '10000', '--format', 'json']));
      assert.strictEqual(r.code, 0, r.stderr);
      const j = JSON.parse(r.stdout);
      assert.strictEqual(j.priced, true);
      assert.ok(Math.abs(j.perCallUsd - 0.021) < 1e-12);
      assert.ok(Math.abs(j.per1kUsd - 21) < 1e-9);
      assert.ok(Math.abs(j.perDayUsd - 210) < 1e-9);
      assert.ok(Math.abs(j.monthlyUsd - 6300) < 1e-9);
    });

    it('a model whose prices: entry cannot be used: the error points at that entry, not at adding one', async () => {
      const ws = tempDir('pc-badprice-');
      fs.writeFileSync(path.join(ws, '.promptcost.yaml'), 'prices:\n  my-model:\n    input: 1\n    output: 2\n');
      const r = await cli(['cost', '--model', 'my-model', '--input', '1000'], { cwd: ws });
      assert.strictEqual(r.code, 2);
      assert.match(r.stderr, /^prompt-cost: my-model: unpriced — its entry under prices: cannot be used \(\.promptcost\.yaml:3: .*\); fix it there$/m);
      assert.doesNotMatch(r.stderr.split('\n').filter((l) => l.startsWith('prompt-cost:')).join('\n'), /add its price under prices:/);
    });

    it('a long-context rate in force is said, with the rates below its threshold', async () => {
      const long = await cli(['cost', '--model', 'gpt-5.5', '--input', '900000', '--output', '1000']);
      assert.match(long.stdout, /^ {2}the rate for prompts over [\d,]+ input tokens is in force: \$[\d.]+\/M in \(else \$[\d.]+\/M\)/m);
      const short = await cli(['cost', '--model', 'gpt-5.5', '--input', '1000', '--output', '1000']);
      assert.doesNotMatch(short.stdout, /is in force/);
    });

    it('one call a day is "1 call/day"', async () => {
      const one = await cli(['cost', '--model', 'gpt-4o', '--input', '100', '--output', '10', '--calls-per-day', '1']);
      assert.match(one.stdout, /^ {2}per day .* at 1 call\/day$/m);
      const many = await cli(['cost', '--model', 'gpt-4o', '--input', '100', '--output', '10', '--calls-per-day', '2']);
      assert.match(many.stdout, /^ {2}per day .* at 2 calls\/day$/m);
    });

    it('an unknown model is exit 2 ("nothing priced as asked") with the nearest names; JSON still says why', async () => {
      const r = await cli(['cost', '--model', 'gpt-4o-mnii', '--input', '100', '--output', '10']);
      assert.strictEqual(r.code, 2);
      assert.strictEqual(r.stdout, '');
      assert.match(r.stderr, /^prompt-cost: gpt-4o-mnii: unpriced — .*\(did you mean gpt-4o-mini\?\)\n$/);
      const j = await cli(['cost', '--model', 'claude-sonet-4-5', '--input', '100', '--output', '10', '--format', 'json']);
      assert.strictEqual(j.code, 2);
      assert.strictEqual(JSON.parse(j.stdout).priced, false);
      assert.match(j.stderr, /did you mean claude-sonnet-4-5/);
      const noOutput = await cli(['cost', '--model', 'gpt-4o', '--input', '1000']);
      assert.match(noOutput.stdout, /1,000 in \+ 0 out \(no --output given\)/);
    });

    it('cached input is priced at the cached rate', async () => {
      const full = JSON.parse((await cli(['cost', '--model', 'gpt-4o', '--input', '10000', '--output', '0', '--format', 'json'])).stdout);
      const cached = JSON.parse((await cli(['cost', '--model', 'gpt-4o', '--input', '10000', '--cached-input', '8000', '--output', '0', '--format', 'json'])).stdout);
      // 2,000 at $2.50/M + 8,000 at $1.25/M vs 10,000 at $2.50/M
      assert.ok(Math.abs(cached.perCallUsd - (2000 * 2.5 + 8000 * 1.25) / 1e6) < 1e-12);
      assert.ok(cached.perCallUsd < full.perCallUsd);
    });

    // Tryout findings 8 and 9: the components the README promises, and the context window.
    it('prints uncached input, cached input and output separately (text and JSON)', async () => {
      const t = await cli(['cost', '--model', 'gpt-4o', '--input', '10000', '--cached-input', '8000', '--output', '100']);
      assert.strictEqual(t.code, 0, t.stderr);
      assert.match(t.stdout, /\n  uncached input \$0\.0050 +2,000 tokens × \$2\.5\/M\n  cached input +\$0\.010 +8,000 tokens × \$1\.25\/M\n  output +\$0\.0010 +100 tokens × \$10\/M\n  per call +\$0\.016\n/);
      assert.strictEqual(t.stderr, '');
      const j = JSON.parse((await cli(['cost', '--model', 'gpt-4o', '--input', '10000', '--cached-input', '8000', '--output', '100', '--format', 'json'])).stdout);
      assert.deepStrictEqual(j.components, { uncachedInput: { tokens: 2000, usd: 0.005 }, cachedInput: { tokens: 8000, usd: 0.01 }, output: { tokens: 100, usd: 0.001 } });
      assert.ok(Math.abs(j.components.uncachedInput.usd + j.components.cachedInput.usd + j.components.output.usd - j.perCallUsd) < 1e-12);
      const none = await cli(['cost', '--model', 'gpt-4o', '--input', '1000', '--output', '10']);
      assert.doesNotMatch(none.stdout, /\n  cached input/, 'no cached line when nothing is cached');
    });

    it('warns on stderr when the call exceeds the model\'s context window (exit unchanged)', async () => {
      for (const format of ['text', 'json']) {
        const r = await cli(['cost', '--model', 'gpt-4o', '--input', '300000', '--format', format]);
        assert.strictEqual(r.code, 0);
        assert.match(r.stderr, /^warning: 300,000 input tokens exceed gpt-4o's 128,000-token context window/);
      }
      assert.strictEqual(JSON.parse((await cli(['cost', '--model', 'gpt-4o', '--input', '1000', '--format', 'json'])).stdout).contextWindow, 128000);
      assert.strictEqual((await cli(['cost', '--model', 'gpt-4o', '--input', '100000', '--output', '1000'])).stderr, '');
      // A model whose price data prices input past its window (Claude Sonnet's long-context rate): the
      // warning says which mode takes the call, not that it is rejected while pricing it at that rate.
      const long = await cli(['cost', '--model', 'claude-sonnet-4-5', '--input', '300000']);
      assert.match(long.stderr, /exceed claude-sonnet-4-5's standard 200,000-token context window .*only its long-context mode takes this call/);
      assert.doesNotMatch(long.stderr, /would reject/);
    });

    it('a negative number gets the option\'s own message, not parseArgs\'s "ambiguous"', async () => {
      for (const [args, message] of [
        [['cost', '--model', 'gpt-4o', '--input', '-5'], /^prompt-cost: --input must be a whole number from 0 to 1,000,000,000 \(input tokens per call\), got "-5"\n/],
        [['cost', '--model', 'gpt-4o', '--input', '5', '--output', '-1'], /^prompt-cost: --output must be a whole number from 0 to 10,000,000 \(output tokens per call\), got "-1"\n/],
        [['scan', '--max-monthly', '-3'], /^prompt-cost: --max-monthly must be a number of 0 or more \(USD a month\), got "-3"\n/],
        [['cost', '--model', 'gpt-4o', '--input', '5', '--output', '-x'], /^prompt-cost: --output needs a value, and what follows it is an option/],
      ] as [string[], RegExp][]) {
        const r = await cli(args);
        assert.strictEqual(r.code, 2, args.join(' '));
        assert.match(r.stderr, message, args.join(' '));
        assert.doesNotMatch(r.stderr, /ambiguous/);
      }
    });

    it('an unknown model is unpriced with a reason', async () => {
      const j = JSON.parse((await cli(['cost', '--model', 'nobody-knows-me', '--input', '10', '--output', '10', '--format', 'json'])).stdout);
      assert.strictEqual(j.priced, false);
      assert.match(j.unpricedReason, /not in @pydantic\/genai-prices/);
      assert.strictEqual(j.monthlyUsd, undefined);
    });

    it('bad usage exits 2 with a message naming the problem', async () => {
      const cases: [string[], RegExp][] = [
        [['cost', '--input', '10'], /needs --model/],
        [['cost', '--model', 'gpt-4o'], /needs --input/],
        [['cost', '--model', 'gpt-4o', '--input', 'ten'], /--input must be a whole number.*"ten"/],
        [['cost', '--model', 'gpt-4o', '--input', '10', '--cached-input', '20'], /cannot exceed --input/],
        [['cost', '--model', 'gpt-4o', '--input', '10', '--bogus'], /bogus/],
        [['frobnicate'], /unknown command "frobnicate"/],
        [['scan', '--format', 'pdf'], /--format must be one of table, json, markdown, csv, sarif/],
        [['scan', 'no/such/dir'], /no such file or folder/],
      ];
      for (const [args, message] of cases) {
        const r = await cli(args);
        assert.strictEqual(r.code, 2, args.join(' '));
        assert.match(r.stderr, message, args.join(' '));
      }
    });
  });

  describe('scan', () => {
    it("a subfolder is scanned with the project's .promptcost.yaml (the nearest one up to the current folder)", async () => {
      const ws = tempDir('pc-subfolder-');
      fs.mkdirSync(path.join(ws, 'src', 'deep'), { recursive: true });
      fs.writeFileSync(path.join(ws, '.promptcost.yaml'), 'defaults:\n  callsPerDay: 20000\n');
      fs.writeFileSync(path.join(ws, 'src', 'deep', 'a.ts'), "import OpenAI from 'openai';\nconst c = new OpenAI();\nc.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'system', content: 'You answer briefly and politely.' }] });\n");
      const scan = async (args: string[], cwd: string) => JSON.parse((await cli([...args, '--format', 'json'], { cwd })).stdout);
      for (const [args, cwd] of [[['scan', 'src'], ws], [['scan', 'src/deep'], ws], [['scan', path.join(ws, 'src')], path.dirname(ws)], [['scan', 'src/deep/a.ts'], ws]] as const) {
        const r = await scan([...args], cwd);
        assert.strictEqual(r.root, ws, args.join(' '));
        assert.deepStrictEqual(r.prompts.map((p: { id: string; traffic: { callsPerDay: number } }) => [p.id, p.traffic.callsPerDay]), [['src/deep/a.ts:3', 20000]], args.join(' '));
      }
      // A folder with its own config is its own root.
      fs.writeFileSync(path.join(ws, 'src', '.promptcost.yaml'), 'defaults:\n  callsPerDay: 7\n');
      const own = await scan(['scan', 'src'], ws);
      assert.deepStrictEqual(own.prompts.map((p: { id: string; traffic: { callsPerDay: number } }) => [p.id, p.traffic.callsPerDay]), [['deep/a.ts:3', 7]]);
    });

    it("`scan .` and `scan` in a subfolder find the project's .promptcost.yaml above it, and walk only that subfolder", async () => {
      const ws = tempDir('pc-upward-');
      const call = "import OpenAI from 'openai';\nconst c = new OpenAI();\nc.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'system', content: 'You answer briefly and politely.' }] });\n";
      fs.mkdirSync(path.join(ws, 'src', 'deep'), { recursive: true });
      fs.writeFileSync(path.join(ws, '.promptcost.yaml'), 'defaults:\n  callsPerDay: 20000\n');
      fs.writeFileSync(path.join(ws, 'src', 'deep', 'a.ts'), call);
      fs.writeFileSync(path.join(ws, 'other.ts'), call);
      const deep = path.join(ws, 'src', 'deep');
      for (const args of [['scan', '.'], ['scan'], ['scan', 'a.ts']]) {
        const r = JSON.parse((await cli([...args, '--format', 'json'], { cwd: deep })).stdout);
        assert.strictEqual(r.root, ws, args.join(' '));
        assert.deepStrictEqual(r.prompts.map((p: { id: string; traffic: { callsPerDay: number } }) => [p.id, p.traffic.callsPerDay]), [['src/deep/a.ts:3', 20000]], args.join(' '));
      }
      // A folder named from elsewhere (outside the current folder) finds it too.
      const named = JSON.parse((await cli(['scan', deep, '--format', 'json'], { cwd: ROOT })).stdout);
      assert.deepStrictEqual(named.prompts.map((p: { id: string; traffic: { callsPerDay: number } }) => [p.id, p.traffic.callsPerDay]), [['src/deep/a.ts:3', 20000]]);
    });

    it("several paths named from outside the project are scanned with the project's .promptcost.yaml (found from the folder holding them all)", async () => {
      const ws = tempDir('pc-several-');
      const call = "import OpenAI from 'openai';\nconst c = new OpenAI();\nc.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'system', content: 'You answer briefly and politely.' }] });\n";
      fs.mkdirSync(path.join(ws, 'svc', 'app'), { recursive: true });
      fs.mkdirSync(path.join(ws, 'svc', 'jobs'), { recursive: true });
      fs.writeFileSync(path.join(ws, 'svc', '.promptcost.yaml'), 'defaults:\n  callsPerDay: 20000\n');
      fs.writeFileSync(path.join(ws, 'svc', 'app', 'a.ts'), call);
      fs.writeFileSync(path.join(ws, 'svc', 'jobs', 'b.ts'), call);
      for (const args of [['scan', 'svc/app', 'svc/jobs'], ['scan', 'svc', 'svc/app'], ['scan', 'svc/app/a.ts', 'svc/jobs/b.ts']]) {
        const r = JSON.parse((await cli([...args, '--format', 'json'], { cwd: ws })).stdout);
        assert.strictEqual(r.root, path.join(ws, 'svc'), args.join(' '));
        assert.ok(r.prompts.length >= 2 && r.prompts.every((p: { traffic: { callsPerDay: number } }) => p.traffic.callsPerDay === 20000), args.join(' '));
      }
    });

    it('the search for .promptcost.yaml stops at the git root and never enters a PROMPT_COST_CEILING_DIRS folder', async () => {
      const outer = tempDir('pc-ceiling-');
      fs.writeFileSync(path.join(outer, '.promptcost.yaml'), 'defaults:\n  callsPerDay: 20000\n');
      const repo = path.join(outer, 'repo');
      fs.mkdirSync(path.join(repo, '.git'), { recursive: true });
      fs.mkdirSync(path.join(repo, 'src'));
      fs.writeFileSync(path.join(repo, 'src', 'a.ts'), "import OpenAI from 'openai';\nconst c = new OpenAI();\nc.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'system', content: 'You answer briefly and politely.' }] });\n");
      const traffic = async (cwd: string, env?: Record<string, string>) => JSON.parse((await cli(['scan', '.', '--format', 'json'], { cwd, env })).stdout)
        .prompts.map((p: { id: string; traffic: { callsPerDay: number } }) => [p.id, p.traffic.callsPerDay]);
      assert.deepStrictEqual(await traffic(path.join(repo, 'src')), [['a.ts:3', 1000]], 'a config above the git root is not the project\'s');
      fs.rmSync(path.join(repo, '.git'), { recursive: true });
      assert.deepStrictEqual(await traffic(path.join(repo, 'src'), { PROMPT_COST_CEILING_DIRS: outer }), [['a.ts:3', 1000]], 'the ceiling folder is not entered');
      assert.deepStrictEqual(await traffic(path.join(repo, 'src'), { PROMPT_COST_CEILING_DIRS: path.dirname(outer) }), [['repo/src/a.ts:3', 20000]], 'below the ceiling it is found');
    });

    it('an override that matches no prompt (an id no annotation gives, a glob no file matches) is a warning naming it; the exit code is unchanged', async () => {
      const ws = tempDir('pc-overrides-');
      fs.mkdirSync(path.join(ws, 'src'));
      const call = (text: string) => `c.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: '${text}' }] });\n`;
      fs.writeFileSync(path.join(ws, 'src', 'a.ts'), `import OpenAI from 'openai';\nconst c = new OpenAI();\n${call('Summarize the following support ticket in two sentences.')}`);
      fs.writeFileSync(path.join(ws, 'src', 'b.ts'), `import OpenAI from 'openai';\nconst c = new OpenAI();\n// prompt-cost: id=translate\n${call('Translate the following support ticket into French.')}`);
      fs.writeFileSync(path.join(ws, '.promptcost.yaml'), [
        'overrides:', '  - path: "src/**"', '    callsPerDay: 50', '  - path: "batch/**"', '    callsPerDay: 5',
        '  - id: translate', '    callsPerDay: 9000', '  - id: translat', '    model: gpt-4o-mini', '  - id: nope', '    path: "nowhere/*.ts"', '    callsPerDay: 1', '',
      ].join('\n'));
      const scanned = await cli(['scan', '--no-cache'], { cwd: ws });
      assert.strictEqual(scanned.code, 0, scanned.stderr);
      assert.deepStrictEqual(scanned.stderr.split('\n').filter(Boolean), [
        'warning: .promptcost.yaml:4: the override for path "batch/**" matched no prompt (no file with a prompt matches the glob, relative to the scanned folder), so it changes nothing',
        'warning: .promptcost.yaml:8: the override for id "translat" matched no prompt (no prompt has the annotation id=translat; did you mean translate?), so it changes nothing',
        'warning: .promptcost.yaml:10: the override for id "nope" and path "nowhere/*.ts" matched no prompt (no prompt has the annotation id=nope; and no file with a prompt matches the glob, relative to the scanned folder), so it changes nothing',
      ]);
      // The same for the root named, in any format; with a budget the run is over it, and still exit 1.
      assert.match((await cli(['scan', '.', '--format', 'json', '--no-cache'], { cwd: ws })).stderr, /\.promptcost\.yaml:4: the override for path "batch\/\*\*" matched no prompt/);
      const over = await cli(['scan', '--max-monthly', '0', '--no-cache'], { cwd: ws });
      assert.strictEqual(over.code, 1);
      assert.match(over.stderr, /\.promptcost\.yaml:8: the override for id "translat"/);
      // A part of the workspace cannot tell: no warning when one file is scanned.
      assert.strictEqual((await cli(['scan', 'src/a.ts', '--no-cache'], { cwd: ws })).stderr, '');
      // Every override matched: no warning.
      fs.writeFileSync(path.join(ws, '.promptcost.yaml'), 'overrides:\n  - path: "src/a.ts"\n    callsPerDay: 5\n  - id: translate\n    callsPerDay: 9\n');
      assert.strictEqual((await cli(['scan', '--no-cache'], { cwd: ws })).stderr, '');
    });

    it('a variable no slot of any prompt is named by is a warning naming it (and the nearest slot); the exit code is unchanged', async () => {
      const ws = tempDir('pc-variables-');
      fs.writeFileSync(path.join(ws, 'a.ts'), "import OpenAI from 'openai';\nconst c = new OpenAI();\nexport const ask = (question: string) => c.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: `Answer the question from the staff handbook: ${question}` }] });\n");
      fs.writeFileSync(path.join(ws, '.promptcost.yaml'), 'variables:\n  question: 40\n  questoin: 60\n  unused_var: 5\n');
      const r = await cli(['scan', '--no-cache'], { cwd: ws });
      assert.strictEqual(r.code, 0, r.stderr);
      assert.deepStrictEqual(r.stderr.split('\n').filter(Boolean), [
        'warning: .promptcost.yaml:3: the variable "questoin" is the name of no slot in any prompt, so it changes nothing (did you mean question?)',
        'warning: .promptcost.yaml:4: the variable "unused_var" is the name of no slot in any prompt, so it changes nothing',
      ]);
      fs.writeFileSync(path.join(ws, '.promptcost.yaml'), 'variables:\n  question: 40\n');
      assert.strictEqual((await cli(['scan', '--no-cache'], { cwd: ws })).stderr, '');
    });

    it('an override field every prompt it matches takes from its annotation or its code is a warning naming what wins; the exit code is unchanged', async () => {
      const ws = tempDir('pc-shadowed-');
      fs.mkdirSync(path.join(ws, 'src', 'prompts'), { recursive: true });
      fs.writeFileSync(path.join(ws, 'src', 'prompts', 'index.ts'), [
        "import OpenAI from 'openai';",
        'const c = new OpenAI();',
        '// prompt-cost: id=support-system callsPerDay=8000',
        "c.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'system', content: 'You answer billing questions about invoices and refunds.' }] });",
        '',
      ].join('\n'));
      fs.writeFileSync(path.join(ws, '.promptcost.yaml'), [
        'overrides:',
        '  - id: support-system', '    callsPerDay: 12000', '    outputTokens: 200',
        '  - path: "src/**"', '    model: gpt-4o-mini', '    daysPerMonth: 22',
        '',
      ].join('\n'));
      const scanned = await cli(['scan', '--no-cache', '--format', 'json'], { cwd: ws });
      assert.strictEqual(scanned.code, 0, scanned.stderr);
      const [p] = JSON.parse(scanned.stdout).prompts;
      assert.deepStrictEqual([p.traffic.callsPerDay, p.tokens.output, p.model.id, p.traffic.daysPerMonth], [8000, 200, 'gpt-4o', 22], 'the annotation and the code win; the other fields apply');
      assert.deepStrictEqual(scanned.stderr.split('\n').filter(Boolean), [
        'warning: .promptcost.yaml:2: the override for id "support-system" sets callsPerDay, which changes nothing: every prompt it matches takes callsPerDay from a source ranked above it — annotation:src/prompts/index.ts:3',
        'warning: .promptcost.yaml:5: the override for path "src/**" sets model, which changes nothing: every prompt it matches takes model from a source ranked above it — the prompt at src/prompts/index.ts:4 (literal)',
      ]);
      // A field that applies to one prompt it matches is no warning.
      fs.writeFileSync(path.join(ws, 'src', 'b.ts'), "import OpenAI from 'openai';\nconst c = new OpenAI();\nc.chat.completions.create({ model: process.env.MODEL!, messages: [{ role: 'user', content: 'Summarize the following support ticket in two sentences.' }] });\n");
      const again = await cli(['scan', '--no-cache'], { cwd: ws });
      assert.deepStrictEqual(again.stderr.split('\n').filter(Boolean).map((l) => l.replace(/^warning: (\S+): .* sets (\w+),.*$/, '$1 $2')), ['.promptcost.yaml:2 callsPerDay']);
    });

    it('JSON follows the data model: files relative to the root, 0-based ranges, price data', async () => {
      const r = (await cli(['scan', DEMO, '--format', 'json']));
      const report = JSON.parse(r.stdout);
      assert.strictEqual(report.tool, 'prompt-cost');
      assert.deepStrictEqual(Object.keys(report.prices), ['source', 'version', 'asOf', 'from']);
      const support = report.prompts.find((p: { file: string }) => p.file === 'prompts/support.prompty');
      assert.ok(support, 'support.prompty found, path relative to the scan root');
      assert.strictEqual(support.parts[0].range.start.line, 14, '0-based line of the system text');
      assert.strictEqual(support.traffic.callsPerDay, 25000);
      assert.strictEqual(support.traffic.from, '.promptcost.yaml:12');
      assert.deepStrictEqual(support.parts[0].slots, [{ name: 'context', tokens: 3000, from: '.promptcost.yaml:19' }]);
      const sum = report.prompts.reduce((s: number, p: { cost: { monthlyUsd?: number } }) => s + (p.cost.monthlyUsd ?? 0), 0);
      assert.ok(Math.abs(report.totals.monthlyUsd - sum) < 1e-6);
      assert.strictEqual(report.totals.unpriced, report.prompts.filter((p: { cost: { priced: boolean } }) => !p.cost.priced).length);
      assert.strictEqual(r.stderr, '', 'nothing extra on stderr in JSON mode');
    });

    it('--max-monthly exits 1 when the projected total exceeds it, 0 when not', async () => {
      const over = (await cli(['scan', DEMO, '--format', 'json', '--max-monthly', '1']));
      assert.strictEqual(over.code, 1);
      assert.match(over.stderr, /exceeds the budget of \$1\.00 \(--max-monthly\)/);
      assert.strictEqual(JSON.parse(over.stdout).budget.exceeded, true);
      assert.strictEqual((await cli(['scan', DEMO, '--max-monthly', '1000000'])).code, 0);
    });

    it('the table is aligned and ends with totals and the price data date', async () => {
      const r = (await cli(['scan', DEMO]));
      const lines = r.stdout.split('\n');
      assert.match(lines[0], /^PROMPT\s+KIND\s+MODEL\s+TOKENS IN/);
      const rows = lines.slice(2, lines.indexOf(''));
      assert.ok(rows.length >= 5);
      const col = lines[0].indexOf('$/MONTH') + '$/MONTH'.length;
      for (const row of rows) assert.strictEqual(row.length, col, `right edge aligned: ${row}`);
      assert.match(r.stdout, /\d+ prompts: \$[\d,.]+\/day, \$[\d,.]+\/month/);
      assert.match(r.stdout, /data as of \d{4}-\d{2}-\d{2}/);
    });

    it('markdown, csv and sarif render the same prompts', async () => {
      const json = JSON.parse((await cli(['scan', DEMO, '--format', 'json'])).stdout);
      const md = (await cli(['scan', DEMO, '--format', 'markdown'])).stdout;
      assert.match(md, /^# Prompt cost report/);
      assert.strictEqual(md.split('\n').filter((l) => /^\| (prompts|evals|src)\//.test(l)).length, json.prompts.length);
      const csv = (await cli(['scan', DEMO, '--format', 'csv'])).stdout.trim().split('\n');
      assert.strictEqual(csv.length, json.prompts.length + 1);
      assert.match(csv[0], /^id,file,line,/);
      const sarif = JSON.parse((await cli(['scan', DEMO, '--format', 'sarif'])).stdout);
      assert.strictEqual(sarif.version, '2.1.0');
      const diagCount = json.diagnostics.length + json.prompts.reduce((s: number, p: { diagnostics: unknown[] }) => s + p.diagnostics.length, 0);
      assert.strictEqual(sarif.runs[0].results.length, diagCount);
    });

    it('large scans show progress on stderr in a terminal, never on stdout', async () => {
      const dir = tempDir('pc-progress-');
      for (let i = 0; i < 220; i++) fs.writeFileSync(path.join(dir, `m${i}.py`), `x${i} = ${i}\n`);
      fs.writeFileSync(path.join(dir, 'p.prompt.yml'), 'model: gpt-4o\nmessages:\n  - role: user\n    content: hi\n');
      let stdout = '';
      let stderr = '';
      const io = { stdout: (t: string) => void (stdout += t), stderr: (t: string) => void (stderr += t), readStdin: () => Buffer.alloc(0), cwd: ROOT };
      assert.strictEqual(await run(['scan', dir, '--format', 'json'], { ...io, stderrIsTTY: true }), 0);
      assert.match(stderr, /scanning 221\/221 files\n$/);
      assert.strictEqual(JSON.parse(stdout).prompts.length, 1, 'stdout is only the JSON');
      stderr = '';
      stdout = '';
      await run(['scan', dir, '--format', 'json'], { ...io, stderrIsTTY: false });
      assert.strictEqual(stderr, '', 'no progress when stderr is not a terminal');
    });

    it('a .promptcost.yaml that is not valid YAML fails the gate: exit 2 with file and line, budget or not', async () => {
      const dir = tempDir('pc-');
      // The budget is valid, but the file is not YAML: the gate must not pass on defaults.
      fs.writeFileSync(path.join(dir, '.promptcost.yaml'), 'budget:\n  monthlyUsd: 1\ndefaults:\n  callsPerDay: [1, 2\n');
      fs.writeFileSync(path.join(dir, 'a.prompt.yml'), 'model: gpt-4o\nmessages:\n  - role: user\n    content: hi\n');
      const r = (await cli(['scan', dir, '--format', 'json']));
      assert.strictEqual(r.code, 2);
      assert.strictEqual(r.stdout, '');
      assert.match(r.stderr, /\.promptcost\.yaml:\d+: YAML error/);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    });

    it('a field-level problem in .promptcost.yaml keeps the valid parts (the budget still gates)', async () => {
      const dir = tempDir('pc-');
      fs.writeFileSync(path.join(dir, '.promptcost.yaml'), 'budget:\n  monthlyUsd: 0.0001\ndefaults:\n  callsPerDay: lots\n  outputTokens: 10\n');
      fs.writeFileSync(path.join(dir, 'a.prompt.yml'), 'model: gpt-4o\nmessages:\n  - role: user\n    content: hi\n');
      const r = (await cli(['scan', dir, '--format', 'json']));
      assert.strictEqual(r.code, 1, r.stderr);
      const report = JSON.parse(r.stdout);
      assert.ok(report.diagnostics.some((d: { code: string; message: string }) => d.code === 'invalid-config' && /\.promptcost\.yaml:4/.test(d.message)));
      assert.deepStrictEqual([report.prompts[0].traffic.callsPerDay, report.prompts[0].tokens.output], [1000, 10]);
    });

    it('a bad config field is an invalid-config error everywhere (its documented severity), and the run goes on', async () => {
      const dir = tempDir('pc-');
      fs.writeFileSync(path.join(dir, '.promptcost.yaml'), 'defaults:\n  callsPerDay: lots\n');
      fs.writeFileSync(path.join(dir, 'a.prompt.yml'), 'model: gpt-4o\nmessages:\n  - role: user\n    content: hi\n');
      const scan = await cli(['scan', dir, '--format', 'json']);
      assert.strictEqual(scan.code, 0, scan.stderr);
      const d = JSON.parse(scan.stdout).diagnostics.find((x: { code: string }) => x.code === 'invalid-config');
      assert.strictEqual(d.severity, DIAGNOSTIC_CODES['invalid-config'].defaultSeverity);
      assert.match(fs.readFileSync(path.join(ROOT, 'docs', 'diagnostics', 'invalid-config.md'), 'utf8'), new RegExp(`\\*\\*Severity:\\*\\* ${d.severity}`));
      assert.match(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8'), new RegExp(`\\[\`invalid-config\`\\]\\(docs/diagnostics/invalid-config\\.md\\) \\| ${d.severity} \\|`));
      assert.match((await cli(['scan', dir])).stdout, /^ {2}error +invalid-config \.promptcost\.yaml:2/m);
      const cost = await cli(['cost', '--model', 'gpt-4o', '--input', '10'], { cwd: dir });
      assert.strictEqual(cost.code, 0);
      assert.match(cost.stderr, /^error \(invalid-config\): \.promptcost\.yaml:2: defaults\.callsPerDay must be a number, got "lots" — this field is ignored/);
    });
  });

  describe('the built CLI', () => {
    const bin = path.join(ROOT, 'dist', 'cli.js');
    before(function () {
      if (!fs.existsSync(bin)) this.skip(); // `npm test` builds first; a bare `mocha` run may not have
    });

    it('runs as a program: count from a pipe, exit codes', async () => {
      const out = execFileSync('node', [bin, 'count', '--format', 'json'], { input: 'hello world' }).toString();
      assert.deepStrictEqual(JSON.parse(out), { tokens: 2, encoding: 'o200k_base', exact: true, model: 'gpt-4o-mini' });
      assert.strictEqual(spawnSync('node', [bin, 'scan', DEMO, '--max-monthly', '0.01']).status, 1);
      assert.strictEqual(spawnSync('node', [bin, 'cost']).status, 2);
    });

    it('starts from a code cache in the cache folder: written once, then used; a damaged one is replaced, never fatal', function () {
      this.timeout(90_000); // a dozen CLI runs, the first building the tokenizer: slow on a loaded machine
      const cache = tempDir('pc-code-cache-');
      const env = { ...process.env, PROMPT_COST_CACHE_DIR: cache };
      const count = () => spawnSync('node', [bin, 'count', '--format', 'json'], { input: 'hello world', env, encoding: 'utf8' });
      const expected = JSON.stringify({ tokens: 2, encoding: 'o200k_base', exact: true, model: 'gpt-4o-mini' });
      const codeCache = () => fs.readdirSync(path.join(cache, 'code-cache')).filter((n) => n.endsWith('.v8')).map((n) => path.join(cache, 'code-cache', n));
      const first = count();
      assert.strictEqual(JSON.stringify(JSON.parse(first.stdout)), expected, first.stderr);
      const [file] = codeCache();
      assert.ok(file && fs.statSync(file).size > 10_000);
      const written = fs.statSync(file).mtimeMs;
      const second = count();
      assert.strictEqual(JSON.stringify(JSON.parse(second.stdout)), expected, second.stderr);
      assert.strictEqual(fs.statSync(file).mtimeMs, written); // accepted by V8: not written again
      fs.writeFileSync(file, 'not a code cache');
      const damaged = count();
      assert.strictEqual(JSON.stringify(JSON.parse(damaged.stdout)), expected, damaged.stderr);
      assert.ok(fs.statSync(file).size > 10_000); // rejected, compiled as usual, written again
      assert.strictEqual(spawnSync('node', [bin, 'cost'], { env }).status, 2); // exit codes go through
      // No cache folder: nothing written anywhere.
      assert.strictEqual(spawnSync('node', [bin, 'cost'], { env: { ...process.env, PROMPT_COST_CACHE_DIR: '' } }).status, 2);
      assert.deepStrictEqual(codeCache(), [file]);
    });
  });
});
