import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { run } from '../../src/cli/main';
import { Engine } from '../../src/core/analyze';
import { diffCost, diffReports, judgeDiff, type CostDiff } from '../../src/core/diff';
import { pairPrompts, similarity } from '../../src/core/diff/pair';
import { edit, git, repoWith as repoWithFiles } from '../gitRepo';
import { tempDir } from '../tempDir';


const LONG = Array.from({ length: 30 }, (_, i) => `Rule ${i + 1}: answer support questions about invoices, refunds and plans politely and precisely.`).join(' ');

const FILES: Record<string, string> = {
  '.promptcost.yaml': 'defaults:\n  callsPerDay: 1000\n',
  'src/bot.ts': `import OpenAI from 'openai';
const client = new OpenAI();
export async function answer(question: string) {
  return client.chat.completions.create({
    model: 'gpt-4o',
    messages: [
      { role: 'system', content: 'You are the billing assistant. ${LONG}' },
      { role: 'user', content: question },
    ],
  });
}
`,
  'src/triage.py': `import anthropic
client = anthropic.Anthropic()

def triage(ticket):
    return client.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=20,
        system="You triage support tickets into one topic. ${LONG}",
        messages=[{"role": "user", "content": ticket}],
    )
`,
  'prompts/summary.prompt.yml': `model: openai/gpt-4o-mini
messages:
  - role: system
    content: Summarize the ticket in one sentence for the on-call engineer.
  - role: user
    content: '{{ticket}}'
`,
};

const repoWith = (files: Record<string, string | Buffer>) => repoWithFiles(files, 'prompt-cost-diff-');


async function cli(args: string[], cwd: string) {
  let stdout = '', stderr = '';
  const code = await run(args, { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), readStdin: () => Buffer.from(''), stderrIsTTY: false, cwd });
  return { code, stdout, stderr };
}

async function diffJson(dir: string, ...extra: string[]): Promise<CostDiff> {
  const r = await cli(['diff', '--base', 'HEAD', '--format', 'json', ...extra], dir);
  assert.strictEqual(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as CostDiff;
}


describe('cost diff', function () {
  this.timeout(60_000);

  it('an untouched work tree: no rows, zero delta, and the work tree, index and HEAD are left alone', async () => {
    const dir = repoWith(FILES);
    edit(dir, 'src/bot.ts', (s) => s.replace('billing assistant', 'billing helper')); // dirty, not staged
    const head = git(dir, 'rev-parse', 'HEAD');
    const status = git(dir, 'status', '--porcelain');
    await diffJson(dir);
    assert.strictEqual(git(dir, 'rev-parse', 'HEAD'), head);
    assert.strictEqual(git(dir, 'status', '--porcelain'), status);
    assert.match(fs.readFileSync(path.join(dir, 'src/bot.ts'), 'utf8'), /billing helper/);
    git(dir, 'checkout', '--', '.');
    const d = await diffJson(dir);
    assert.deepStrictEqual(d.prompts, []);
    assert.strictEqual(d.deltaMonthlyUsd, 0);
    assert.strictEqual(d.counts.unchanged, 3);
  });

  it('one annotated constant sent from two files: two prompts with their own ids, both changed by an edit of it (not added, removed or a model change)', async () => {
    const dir = repoWith({
      'src/prompts.ts': `// prompt-cost: callsPerDay=8000 id=support-system\nexport const SUPPORT = 'You are the support assistant. ${LONG}';\n`,
      'src/openaiChat.ts': "import OpenAI from 'openai';\nimport { SUPPORT } from './prompts';\nconst client = new OpenAI();\nexport const ask = (q: string) => client.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'system', content: SUPPORT }, { role: 'user', content: q }] });\n",
      'src/claudeChat.ts': "import Anthropic from '@anthropic-ai/sdk';\nimport { SUPPORT } from './prompts';\nconst client = new Anthropic();\nexport const ask = (q: string) => client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 300, system: SUPPORT, messages: [{ role: 'user', content: q }] });\n",
    });
    const scan = await cli(['scan', '--format', 'json'], dir);
    const ids = (JSON.parse(scan.stdout) as { prompts: { id: string; file: string }[] }).prompts.map((p) => [p.file, p.id]).sort();
    assert.deepStrictEqual(ids, [['src/claudeChat.ts', 'support-system'], ['src/openaiChat.ts', 'support-system#2']]);
    edit(dir, 'src/prompts.ts', (t) => t.replace('You are the support assistant.', 'You are the support assistant. Always answer in plain English, in short paragraphs.'));
    const d = await diffJson(dir);
    assert.deepStrictEqual(d.prompts.map((p) => [p.file, p.status, p.id]).sort(), [['src/claudeChat.ts', 'changed', 'support-system'], ['src/openaiChat.ts', 'changed', 'support-system#2']]);
    for (const p of d.prompts) {
      assert.strictEqual(p.before!.model, p.after!.model);
      assert.ok(p.deltaMonthlyUsd! > 0 && !p.reasons.some((r) => /model/.test(r)), p.reasons.join());
    }
  });

  it('a longer prompt is changed, with its delta and the reason; the total delta is the sum', async () => {
    const dir = repoWith(FILES);
    edit(dir, 'src/bot.ts', (s) => s.replace('You are the billing assistant.', `You are the billing assistant. ${LONG}`));
    const d = await diffJson(dir);
    assert.deepStrictEqual(d.prompts.map((p) => [p.file, p.status]), [['src/bot.ts', 'changed']]);
    const row = d.prompts[0];
    assert.ok(row.after!.tokens > row.before!.tokens + 500);
    assert.ok(row.deltaMonthlyUsd! > 0);
    assert.ok(Math.abs(row.deltaMonthlyUsd! - (row.after!.monthlyUsd! - row.before!.monthlyUsd!)) < 1e-9);
    assert.ok(Math.abs(d.deltaMonthlyUsd - row.deltaMonthlyUsd!) < 1e-9);
    assert.ok(row.reasons.includes('text edited'), row.reasons.join());
    assert.ok(row.reasons.some((r) => /^input tokens [\d,]+ → [\d,]+$/.test(r)), row.reasons.join());
    assert.ok(d.deltaPct! > 0);
  });

  it('a model change is called out as such', async () => {
    const dir = repoWith(FILES);
    edit(dir, 'src/bot.ts', (s) => s.replace("model: 'gpt-4o'", "model: 'gpt-4o-mini'"));
    const d = await diffJson(dir);
    assert.strictEqual(d.prompts.length, 1);
    assert.deepStrictEqual(d.prompts[0].reasons, ['model changed: gpt-4o → gpt-4o-mini']);
    assert.ok(d.prompts[0].deltaMonthlyUsd! < 0);
  });

  it('lines shifted by an edit above: moved with no delta; only --all lists unchanged prompts', async () => {
    const dir = repoWith(FILES);
    edit(dir, 'src/triage.py', (s) => `# a comment\n# and another\n${s}`);
    const d = await diffJson(dir);
    assert.deepStrictEqual(d.prompts.map((p) => [p.status, p.before!.line, p.after!.line, p.deltaMonthlyUsd, p.reasons]), [['moved', 5, 7, 0, ['moved from line 5']]]);
    assert.strictEqual((await diffJson(dir, '--all')).prompts.length, 3);
  });

  it('a renamed file: moved, not removed and added', async () => {
    const dir = repoWith(FILES);
    git(dir, 'mv', 'prompts/summary.prompt.yml', 'prompts/ticket-summary.prompt.yml');
    git(dir, 'commit', '-qm', 'rename');
    const d = JSON.parse((await cli(['diff', '--base', 'HEAD~1', '--head', 'HEAD', '--format', 'json'], dir)).stdout) as CostDiff;
    assert.deepStrictEqual(d.prompts.map((p) => [p.status, p.before!.file, p.after!.file]), [['moved', 'prompts/summary.prompt.yml', 'prompts/ticket-summary.prompt.yml']]);
    assert.ok(d.head.commit && d.head.commit !== d.base.commit);
  });

  it('a prompt whose text moved into an imported constant is unchanged', async () => {
    const dir = repoWith(FILES);
    const text = `You are the billing assistant. ${LONG}`;
    fs.writeFileSync(path.join(dir, 'src/prompts.ts'), `export const BILLING = '${text}';\n`);
    edit(dir, 'src/bot.ts', (s) => `import { BILLING } from './prompts';\n${s.replace(`'${text}'`, 'BILLING')}`);
    const d = await diffJson(dir, '--all');
    const bot = d.prompts.find((p) => p.file === 'src/bot.ts')!;
    assert.strictEqual(bot.deltaMonthlyUsd, 0);
    assert.ok(['moved', 'unchanged'].includes(bot.status), bot.status);
    assert.strictEqual(d.counts.added + d.counts.removed, 0);
  });

  it('added and removed prompts', async () => {
    const dir = repoWith(FILES);
    fs.rmSync(path.join(dir, 'src/triage.py'));
    fs.writeFileSync(path.join(dir, 'src/new.ts'), `import Anthropic from '@anthropic-ai/sdk';\nconst a = new Anthropic();\na.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 100, messages: [{ role: 'user', content: 'Write a haiku about invoices, in the voice of an accountant.' }] });\n`);
    const d = await diffJson(dir);
    assert.deepStrictEqual(d.prompts.map((p) => p.status).sort(), ['added', 'removed']);
    assert.ok(d.prompts.find((p) => p.status === 'removed')!.deltaMonthlyUsd! < 0);
    assert.ok(d.prompts.find((p) => p.status === 'added')!.reasons[0].startsWith('new prompt'));
  });

  it('each side uses its own .promptcost.yaml: a traffic change on one side changes every prompt', async () => {
    const dir = repoWith(FILES);
    fs.writeFileSync(path.join(dir, '.promptcost.yaml'), 'defaults:\n  callsPerDay: 3000\n');
    const d = await diffJson(dir);
    assert.strictEqual(d.prompts.length, 3);
    for (const p of d.prompts) assert.ok(p.reasons.includes('traffic 1,000 → 3,000 calls/day'), p.reasons.join());
    assert.ok(Math.abs(d.head.monthlyUsd - 3 * d.base.monthlyUsd) < 1e-6);
  });

  it('a work-tree config that cannot be used fails the diff (exit 2, file:line); a broken base config is priced without and said so', async () => {
    const dir = repoWith(FILES);
    fs.writeFileSync(path.join(dir, '.promptcost.yaml'), 'budget:\n  monthlyUsd: 1000\n  - oops\n');
    const broken = await cli(['diff', '--base', 'HEAD'], dir);
    assert.strictEqual(broken.code, 2, broken.stdout);
    assert.match(broken.stderr, /\.promptcost\.yaml:3: YAML error/);
    assert.strictEqual(broken.stdout, '');
    // A budget the gate cannot read is as bad as no file: the typo would switch the limit off.
    fs.writeFileSync(path.join(dir, '.promptcost.yaml'), 'budget:\n  monthlyUSD: 10\n');
    const typo = await cli(['diff', '--base', 'HEAD'], dir);
    assert.strictEqual(typo.code, 2);
    assert.match(typo.stderr, /\.promptcost\.yaml:2: unknown field "monthlyUSD" in budget \(did you mean "monthlyUsd"\?\); budget takes monthlyUsd\n/);
    // Committed broken, fixed in the work tree: the base is priced with the defaults, with a warning.
    fs.writeFileSync(path.join(dir, '.promptcost.yaml'), 'defaults:\n  callsPerDay: [\n');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'broken config');
    fs.writeFileSync(path.join(dir, '.promptcost.yaml'), 'defaults:\n  callsPerDay: 2000\n');
    const fixed = await cli(['diff', '--base', 'HEAD', '--format', 'json'], dir);
    assert.strictEqual(fixed.code, 0, fixed.stderr);
    assert.match(fixed.stderr, /the base's config \(HEAD\) cannot be used, so the base is priced without it:\n {2}\.promptcost\.yaml:\d+: YAML error/);
    const d = JSON.parse(fixed.stdout) as CostDiff;
    assert.ok(Math.abs(d.head.monthlyUsd - 2 * d.base.monthlyUsd) < 1e-6);
  });

  it('the head\'s overrides get scan\'s warnings on stderr (a file moved away from its path override), the exit code unchanged', async () => {
    const dir = repoWith({ ...FILES, '.promptcost.yaml': 'overrides:\n  - path: "src/bot.ts"\n    callsPerDay: 50\n' });
    git(dir, 'mv', 'src/bot.ts', 'src/billing.ts');
    for (const format of ['table', 'json']) {
      const moved = await cli(['diff', '--base', 'HEAD', '--format', format], dir);
      assert.strictEqual(moved.code, 0, moved.stderr);
      assert.strictEqual(moved.stderr, 'warning: .promptcost.yaml:2: the override for path "src/bot.ts" matched no prompt (no file with a prompt matches the glob, relative to the scanned folder), so it changes nothing\n', format);
      if (format === 'json') assert.ok((JSON.parse(moved.stdout) as CostDiff).prompts.some((p) => p.reasons.includes('traffic 50 → 1,000 calls/day')), moved.stdout);
    }
    // A gate over its limit still exits 1, with the warning beside its reason; a committed head is checked too.
    const over = await cli(['diff', '--base', 'HEAD', '--max-increase-usd', '0'], dir);
    assert.strictEqual(over.code, 1);
    assert.match(over.stderr, /^warning: \.promptcost\.yaml:2: the override for path "src\/bot\.ts" matched no prompt/);
    git(dir, 'commit', '-qm', 'move');
    assert.match((await cli(['diff', '--base', 'HEAD~1', '--head', 'HEAD'], dir)).stderr, /\.promptcost\.yaml:2: the override for path "src\/bot\.ts" matched no prompt/);
    // The override moved with the file: no warning.
    fs.writeFileSync(path.join(dir, '.promptcost.yaml'), 'overrides:\n  - path: "src/billing.ts"\n    callsPerDay: 50\n');
    assert.strictEqual((await cli(['diff', '--base', 'HEAD'], dir)).stderr, '');
  });

  it('the table wraps WHY at word boundaries to the width left ($COLUMNS, else 120): no reason is cut or left out', async () => {
    const dir = repoWith(FILES);
    fs.writeFileSync(path.join(dir, '.promptcost.yaml'), 'defaults:\n  callsPerDay: 3000\n');
    edit(dir, 'src/bot.ts', (s) => s.replace("model: 'gpt-4o'", "model: 'gpt-4.1-mini'").replace('You are the billing assistant.', 'You are the billing and invoices assistant of the company.'));
    const d = await diffJson(dir);
    const row = d.prompts.find((p) => p.file === 'src/bot.ts')!;
    assert.ok(row.reasons.join('; ').length > 60, row.reasons.join('; '));
    for (const columns of ['', '120', '80', '60']) {
      let stdout = '';
      assert.strictEqual(await run(['diff', '--base', 'HEAD'], { stdout: (s) => void (stdout += s), stderr: () => undefined, readStdin: () => Buffer.from(''), stderrIsTTY: false, cwd: dir, env: { ...process.env, COLUMNS: columns } }), 0);
      const lines = stdout.split('\n');
      const header = lines.findIndex((l) => l.startsWith('STATUS'));
      const width = Number(columns || 120);
      for (const l of lines.slice(header, lines.indexOf('', header))) assert.ok(l.length <= width, `${l.length} > ${width}: ${l}`);
      // The row's WHY: in its column, on the row's first line and the lines under it that hold only WHY;
      // where the column would be too narrow, on the lines under the row.
      const at = lines[header].indexOf('WHY');
      assert.strictEqual(at >= 0, width >= 120, `COLUMNS=${columns}:\n${stdout}`);
      const first = lines.findIndex((l) => l.startsWith('changed') && l.includes('bot.ts:4'));
      const why: string[] = [];
      if (at >= 0) {
        why.push(lines[first].slice(at));
        for (let k = first + 1; lines[k] && !lines[k].slice(0, at).trim(); k++) why.push(lines[k].slice(at));
      } else for (let k = first + 1; lines[k]?.startsWith(' '); k++) why.push(lines[k].trim());
      assert.strictEqual(why.join(' '), row.reasons.join('; '), `COLUMNS=${columns}:\n${stdout}`);
    }
  });

  it('binary and huge files on one side are skipped, not compared', async () => {
    const dir = repoWith({ ...FILES, 'assets/logo.bin': Buffer.from([0, 1, 2, 0xff, 0xfe, 0]) });
    fs.writeFileSync(path.join(dir, 'src/huge.ts'), `const SYSTEM_PROMPT = "${'word '.repeat(300_000)}";\n`);
    fs.writeFileSync(path.join(dir, 'assets/logo.bin'), Buffer.from([0xff, 0, 0xfe, 0, 7]));
    const d = await diffJson(dir);
    assert.deepStrictEqual(d.prompts, []);
  });

  it('exit 1 over --max-increase-usd or --max-increase-pct, 0 within; the message says which', async () => {
    const dir = repoWith(FILES);
    edit(dir, 'src/bot.ts', (s) => s.replace('You are the billing assistant.', `You are the billing assistant. ${LONG}`));
    const d = await diffJson(dir);
    const within = await cli(['diff', '--base', 'HEAD', '--max-increase-usd', String(Math.ceil(d.deltaMonthlyUsd) + 1)], dir);
    assert.strictEqual(within.code, 0, within.stderr);
    const over = await cli(['diff', '--base', 'HEAD', '--max-increase-usd', String(Math.floor(d.deltaMonthlyUsd) - 1)], dir);
    assert.strictEqual(over.code, 1);
    assert.match(over.stderr, /over --max-increase-usd/);
    const pct = await cli(['diff', '--base', 'HEAD', '--max-increase-pct', '0.5', '--format', 'markdown'], dir);
    assert.strictEqual(pct.code, d.deltaPct! > 0.5 ? 1 : 0);
  });

  it('a changed prompt whose model has no price: a limit cannot be judged (exit 2, naming it); without one the verdict says what the delta leaves out', async () => {
    const dir = repoWith(FILES);
    // a misspelt model: its cost drops out of the head total, which read as a saving that passed "--max-increase-usd 0"
    edit(dir, 'src/bot.ts', (s) => s.replace("model: 'gpt-4o',", "model: 'gpt-4o-minii',"));
    const gated = await cli(['diff', '--base', 'HEAD', '--max-increase-usd', '0'], dir);
    assert.strictEqual(gated.code, 2, gated.stdout);
    assert.match(gated.stderr, /the increase limit cannot be judged: 1 changed prompt is unpriced, so the delta leaves its cost out:\n {2}src\/bot\.ts:\d+: gpt-4o-minii/);
    assert.match(gated.stdout, /^Cannot judge the limit: 1 changed prompt is unpriced/m);
    const open = await cli(['diff', '--base', 'HEAD', '--format', 'json'], dir);
    assert.strictEqual(open.code, 0, open.stderr);
    const d = JSON.parse(open.stdout) as CostDiff;
    assert.deepStrictEqual(d.verdict?.unpriced?.map((u) => [u.file, u.model]), [['src/bot.ts', 'gpt-4o-minii']]);
    assert.strictEqual(d.verdict?.within, true);
    assert.match((await cli(['diff', '--base', 'HEAD'], dir)).stdout, /^No increase limit set; 1 changed prompt is unpriced, so the delta leaves its cost out \(src\/bot\.ts:\d+: gpt-4o-minii\)\.$/m);
    // an unpriced prompt that did not change is no part of the delta
    const same = repoWith({ ...FILES, 'src/bot.ts': FILES['src/bot.ts'].replace("model: 'gpt-4o',", "model: 'gpt-4o-minii',") });
    edit(same, 'src/triage.py', (s) => s.replace('You triage support tickets', 'You sort support tickets'));
    assert.strictEqual((await cli(['diff', '--base', 'HEAD', '--max-increase-usd', '1000000'], same)).code, 0);
  });

  it('a head prompt file that cannot be read: the headline says its total lacks that file\'s prompts', async () => {
    const dir = repoWith(FILES);
    edit(dir, 'prompts/summary.prompt.yml', (s) => s.replace('messages:', 'messages: [\n'));
    const r = await cli(['diff', '--base', 'HEAD'], dir);
    assert.strictEqual(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Monthly cost: .*; the head's total lacks the prompts of 1 prompt file that could not be read\)$/m);
  });

  it('every format states the gate: within the limits, over which one, or no limit set', async () => {
    const dir = repoWith(FILES);
    edit(dir, 'src/bot.ts', (s) => s.replace('You are the billing assistant.', `You are the billing assistant. ${LONG}`));
    const d = await diffJson(dir);
    assert.ok(d.deltaMonthlyUsd > 0);
    // dollar figures without floating-point dust (was -18.47999999999999)
    for (const x of [d.deltaMonthlyUsd, d.base.monthlyUsd, d.head.monthlyUsd, ...d.prompts.map((p) => p.deltaMonthlyUsd ?? 0)]) assert.ok((String(x).split('.')[1] ?? '').length <= 8, String(x));
    const low = (d.deltaMonthlyUsd / 2).toFixed(4), high = String(Math.ceil(d.deltaMonthlyUsd) + 1);
    const table = await cli(['diff', '--base', 'HEAD', '--max-increase-usd', low], dir);
    assert.strictEqual(table.code, 1);
    assert.match(table.stdout, new RegExp(`^Over the limit: the monthly increase \\$[\\d,.]+ is over --max-increase-usd ${low}\\.$`, 'm'));
    const within = await cli(['diff', '--base', 'HEAD', '--max-increase-usd', high, '--max-increase-pct', '1000000'], dir);
    assert.strictEqual(within.code, 0);
    assert.match(within.stdout, new RegExp(`^Within the limits of \\+\\$${high}(\\.00)?/month \\(--max-increase-usd\\) and \\+1000000% \\(--max-increase-pct\\): the change is \\+\\$[\\d,.]+/month, \\+[\\d.]+%\\.$`, 'm'));
    assert.match((await cli(['diff', '--base', 'HEAD'], dir)).stdout, /^No increase limit set \(--max-increase-usd N or --max-increase-pct P/m);
    const md = await cli(['diff', '--base', 'HEAD', '--format', 'markdown', '--max-increase-usd', low], dir);
    assert.match(md.stdout, /^\*\*Over the limit:\*\* the monthly increase .* is over --max-increase-usd/m);
    const json = JSON.parse((await cli(['diff', '--base', 'HEAD', '--format', 'json', '--max-increase-usd', low], dir)).stdout) as CostDiff;
    assert.deepStrictEqual({ ...json.verdict, over: json.verdict!.over.length }, { limits: { maxIncreaseUsd: Number(low) }, within: false, over: 1 });
    const sarif = JSON.parse((await cli(['diff', '--base', 'HEAD', '--format', 'sarif', '--max-increase-usd', high], dir)).stdout);
    assert.strictEqual(sarif.runs[0].properties.verdict.within, true);
    assert.match(sarif.runs[0].properties.verdictText, /^Within the limit of \+\$[\d.]+\/month \(--max-increase-usd\): the change is \+\$/);
  });

  it('usage errors exit 2: no --base, an unknown ref (saying how to fetch it), a folder outside git', async () => {
    const dir = repoWith(FILES);
    assert.strictEqual((await cli(['diff'], dir)).code, 2);
    // with no remote there is nothing to fetch: the name is to check
    const local = await cli(['diff', '--base', 'release-9'], dir);
    assert.strictEqual(local.code, 2);
    assert.match(local.stderr, /unknown ref "release-9".*no remote to fetch it from/s);
    assert.doesNotMatch(local.stderr, /git fetch/);
    git(dir, 'remote', 'add', 'origin', `file://${dir}`);
    const unknown = await cli(['diff', '--base', 'origin/release-9'], dir);
    assert.strictEqual(unknown.code, 2);
    assert.match(unknown.stderr, /unknown ref "origin\/release-9".*git fetch origin release-9/s);
    // an unknown --head is named as --head in the advice
    const head = await cli(['diff', '--base', 'HEAD', '--head', 'nosuch'], dir);
    assert.strictEqual(head.code, 2);
    assert.match(head.stderr, /then use `--head origin\/nosuch`/);
    assert.doesNotMatch(head.stderr, /--base origin/);
    const outside = tempDir('prompt-cost-nogit-');
    const r = await cli(['diff', '--base', 'HEAD'], outside);
    assert.strictEqual(r.code, 2);
    assert.match(r.stderr, /not inside a git repository/);
    const empty = tempDir('prompt-cost-nocommit-');
    execFileSync('git', ['init', '-q'], { cwd: empty });
    const none = await cli(['diff', '--base', 'HEAD'], empty);
    assert.strictEqual(none.code, 2);
    assert.match(none.stderr, /has no commits yet/);
    assert.doesNotMatch(none.stderr, /git fetch/);
  });

  it('a shallow clone without the base says so and how to fetch it', async () => {
    const dir = repoWith(FILES);
    edit(dir, 'src/bot.ts', (s) => s.replace('billing assistant', 'billing helper'));
    git(dir, 'commit', '-qam', 'second');
    const clone = tempDir('prompt-cost-shallow-');
    execFileSync('git', ['clone', '-q', '--depth', '1', `file://${dir}`, clone]);
    const r = await cli(['diff', '--base', 'HEAD~1'], clone);
    assert.strictEqual(r.code, 2);
    assert.match(r.stderr, /shallow clone/);
    assert.match(r.stderr, /fetch-depth: 0/);
    // HEAD~1 is history to deepen, not a branch to fetch by that name
    assert.match(r.stderr, /git fetch --deepen=1/);
    assert.doesNotMatch(r.stderr, /origin HEAD~1/);
    assert.match(r.stderr, /git fetch --unshallow/);
  });

  it('a branch that is only there as origin/NAME: says to use that', async () => {
    const dir = repoWith(FILES);
    git(dir, 'branch', 'release');
    const clone = tempDir('prompt-cost-clone-');
    execFileSync('git', ['clone', '-q', `file://${dir}`, clone]);
    const r = await cli(['diff', '--base', 'release'], clone);
    assert.strictEqual(r.code, 2);
    assert.match(r.stderr, /unknown ref "release".*use `--base origin\/release`/s);
    const shallow = tempDir('prompt-cost-shallow-');
    execFileSync('git', ['clone', '-q', '--depth', '1', `file://${dir}`, shallow]);
    const s = await cli(['diff', '--base', 'origin/release'], shallow);
    assert.match(s.stderr, /git fetch --depth=1 origin release/);
  });

  it('Markdown: the verdict, the changed prompts by |delta|, collapsed details, the price date', async () => {
    const dir = repoWith(FILES);
    edit(dir, 'src/bot.ts', (s) => s.replace("model: 'gpt-4o'", "model: 'gpt-4o-mini'"));
    edit(dir, 'src/triage.py', (s) => s.replace('You triage support tickets into one topic.', 'You triage support tickets into one topic, and explain why in detail.'));
    const r = await cli(['diff', '--base', 'HEAD', '--format', 'markdown'], dir);
    const md = r.stdout.replace(/`[0-9a-f]{12}`/g, '`COMMIT`');
    const lines = md.split('\n');
    assert.strictEqual(lines[0], '<!-- prompt-cost-diff -->');
    assert.match(lines[3], /^\*\*Monthly cost: \$[\d,.]+ → \$[\d,.]+ \(−\$[\d,.]+\/month, −\d+\.\d%\)\*\*$/);
    const rows = lines.filter((l) => l.startsWith('| changed'));
    assert.strictEqual(rows.length, 2);
    assert.match(rows[0], /src\/bot\.ts:4.*gpt-4o → \*\*gpt-4o-mini\*\*/); // the bigger |delta| first
    assert.match(rows[1], /src\/triage\.py:5/);
    assert.match(md, /<details><summary>Why each prompt changed<\/summary>/);
    assert.match(md, /data as of \d{4}-\d{2}-\d{2}/);
  });

  it('SARIF marks changed and added prompts at their head lines', async () => {
    const dir = repoWith(FILES);
    edit(dir, 'src/bot.ts', (s) => s.replace("model: 'gpt-4o'", "model: 'gpt-4.1'"));
    const sarif = JSON.parse((await cli(['diff', '--base', 'HEAD', '--format', 'sarif'], dir)).stdout);
    const results = sarif.runs[0].results;
    assert.strictEqual(results.length, 1);
    assert.strictEqual(results[0].ruleId, 'prompt-changed');
    assert.strictEqual(results[0].locations[0].physicalLocation.artifactLocation.uri, 'src/bot.ts');
  });

  it('a subfolder of the repository is compared on its own', async () => {
    const dir = repoWith(FILES);
    edit(dir, 'src/bot.ts', (s) => s.replace("model: 'gpt-4o'", "model: 'gpt-4.1'"));
    const r = await cli(['diff', '--base', 'HEAD', '--format', 'json', 'prompts'], dir);
    const d = JSON.parse(r.stdout) as CostDiff;
    assert.deepStrictEqual(d.prompts, []);
    assert.strictEqual(d.counts.unchanged, 1);
  });
});

describe('prompt pairing', () => {
  it('totals that differ by floating-point dust are no change: a "no increase" gate passes a rename', () => {
    const totals = (monthlyUsd: number) => ({ totals: { prompts: 0, perDayUsd: 0, monthlyUsd, unpriced: 0 }, prices: {} as never });
    const d = diffReports(totals(346.76), [], totals(346.76 + 5.684e-14), [], new Map());
    assert.strictEqual(d.deltaMonthlyUsd, 0);
    assert.strictEqual(judgeDiff(d, { maxIncreaseUsd: 0, maxIncreasePct: 0 }).within, true);
  });

  it('a tiny percentage over a tiny limit says its digits: not "0.0% is over 0.01"', () => {
    const totals = (monthlyUsd: number) => ({ totals: { prompts: 0, perDayUsd: 0, monthlyUsd, unpriced: 0 }, prices: {} as never });
    const d = diffReports(totals(1000), [], totals(1000.12), [], new Map());
    const v = judgeDiff(d, { maxIncreasePct: 0.01 });
    assert.strictEqual(v.within, false);
    assert.match(v.over.join(' '), /the monthly increase 0\.012% is over --max-increase-pct 0\.01/);
  });

  it('similarity: 1 for the same words, 0 for none in common', () => {
    assert.strictEqual(similarity('a b c', 'c b a'), 1);
    assert.strictEqual(similarity('alpha beta', 'gamma delta'), 0);
    assert.ok(similarity('You are a helpful assistant', 'You are a helpful, terse assistant') > 0.8);
  });

  it('pairs by text nearest line first, then leaves the rest added or removed', () => {
    const p = (file: string, line: number, kind = 'openai.chat') => ({ id: `${file}:${line + 1}`, file, kind, range: { start: { line, character: 0 }, end: { line, character: 1 } } }) as never;
    const before = [{ prompt: p('a.ts', 1), text: 'first prompt text' }, { prompt: p('a.ts', 10), text: 'second prompt text here' }];
    const after = [{ prompt: p('a.ts', 12), text: 'second prompt text here' }, { prompt: p('a.ts', 3), text: 'first prompt text' }, { prompt: p('b.ts', 1), text: 'something new entirely' }];
    const pairs = pairPrompts(before, after);
    const byBefore = (t: string) => pairs.find((x) => x.before?.text === t)!;
    assert.strictEqual(byBefore('first prompt text').after!.prompt, after[1].prompt);
    assert.strictEqual(byBefore('second prompt text here').after!.prompt, after[0].prompt);
    assert.ok(pairs.some((x) => !x.before && x.after!.prompt === after[2].prompt));
  });

  it('a file the same on both sides pairs its unchanged prompts without reading a text, as the text passes would', () => {
    const p = (file: string, line: number, model: string, extra: object = {}) => ({ id: `${file}:${line + 1}`, file, kind: 'openai.chat', model: { id: model }, parts: [], range: { start: { line, character: 0 }, end: { line, character: 1 } }, ...extra }) as never;
    const unread = (prompt: never) => ({ prompt, get text(): string { throw new Error(`read the text of ${(prompt as { file: string }).file}`); } });
    const read = (prompt: never, text: string) => ({ prompt, text });
    // Two calls on one line with other models: paired in order, never crossed (a cross would be two model changes).
    const same = () => [p('same.ts', 4, 'gpt-4o'), p('same.ts', 4, 'gpt-4o-mini'), p('same.ts', 9, 'gpt-4o')];
    const before = [...same().map(unread), read(p('edited.ts', 1, 'gpt-4o'), 'You answer billing questions.'), read(p('ids.ts', 2, 'gpt-4o', { id: 'triage' }), 'Sort the ticket.')];
    const after = [read(p('edited.ts', 1, 'gpt-4o'), 'You answer billing and refund questions.'), ...same().map(unread), read(p('ids.ts', 2, 'gpt-4o', { id: 'triage' }), 'Sort the ticket.')];
    const pairs = pairPrompts(before, after, new Map(), new Set(['same.ts', 'ids.ts']));
    const key = (x: { before?: { prompt: unknown }; after?: { prompt: unknown } }) => `${before.findIndex((b) => b.prompt === x.before?.prompt)}>${after.findIndex((a) => a.prompt === x.after?.prompt)}`;
    assert.deepStrictEqual(pairs.map(key).sort(), ['0>1', '1>2', '2>3', '3>0', '4>4']);
    assert.deepStrictEqual(pairs.filter((x) => x.identical).map(key), ['0>1', '1>2', '2>3']);
    // The same pairs as the passes give when every text is read.
    const plainBefore = [...same().map((q) => read(q, 'call')), ...before.slice(3)];
    const plainAfter = [after[0], ...same().map((q) => read(q, 'call')), after[4]];
    const full = pairPrompts(plainBefore, plainAfter);
    const keyIn = (x: { before?: { prompt: unknown }; after?: { prompt: unknown } }) => `${plainBefore.findIndex((b) => b.prompt === x.before?.prompt)}>${plainAfter.findIndex((a) => a.prompt === x.after?.prompt)}`;
    assert.deepStrictEqual(full.map(keyIn).sort(), pairs.map(key).sort());
  });
});

describe('cost diff with the scan cache', () => {
  it('a second diff against the same base reads the base from the cache and gives the same answer; a new base does not', async () => {
    const dir = repoWith(FILES);
    const cacheDir = tempDir('prompt-cost-diff-cache-');
    fs.writeFileSync(path.join(dir, 'src', 'bot.ts'), FILES['src/bot.ts'].replace('billing assistant', 'billing and refunds assistant'));
    const counted = () => {
      const engine = new Engine();
      let n = 0;
      const price = engine.price.bind(engine);
      engine.price = ((...a: Parameters<typeof price>) => (n++, price(...a))) as typeof engine.price;
      return { engine, priced: () => n };
    };
    const strip = (d: CostDiff) => JSON.stringify({ ...d, tool: '' });
    const first = counted();
    const d1 = await diffCost({ path: dir, base: 'HEAD', engine: first.engine, scan: { cacheDir } });
    assert.ok(first.priced() > 0);
    assert.ok(fs.readdirSync(path.join(cacheDir, 'diff-sides')).some((n) => n.endsWith('.json')));
    const second = counted();
    const d2 = await diffCost({ path: dir, base: 'HEAD', engine: second.engine, scan: { cacheDir } });
    assert.strictEqual(second.priced(), 0); // the work tree from its stored report, the base from the side cache
    assert.strictEqual(strip(d2), strip(d1));
    assert.strictEqual(strip(d1), strip(await diffCost({ path: dir, base: 'HEAD' })));
    assert.ok(d1.prompts.some((p) => p.status === 'changed'));
    // A damaged entry is not trusted.
    for (const f of fs.readdirSync(path.join(cacheDir, 'diff-sides'))) fs.writeFileSync(path.join(cacheDir, 'diff-sides', f), '{"format": 1, "texts": [');
    assert.strictEqual(strip(await diffCost({ path: dir, base: 'HEAD', scan: { cacheDir } })), strip(d1));
    // Committing the edit makes another base: nothing left to report.
    git(dir, 'commit', '-qam', 'edit');
    const d3 = await diffCost({ path: dir, base: 'HEAD', scan: { cacheDir } });
    assert.strictEqual(d3.deltaMonthlyUsd, 0);
    assert.strictEqual(d3.prompts.length, 0);
  });
});

describe('cost diff: the base side reuses the work tree\'s priced files', () => {
  const counted = () => {
    const engine = new Engine();
    let n = 0;
    const price = engine.price.bind(engine);
    engine.price = ((...a: Parameters<typeof price>) => (n++, price(...a))) as typeof engine.price;
    return { engine, priced: () => n };
  };
  const strip = (d: CostDiff) => JSON.stringify({ ...d, tool: '' });

  it('the first diff prices only the edited file on the base side, and answers as a diff without the cache does', async () => {
    const dir = repoWith(FILES);
    const cacheDir = tempDir('prompt-cost-diff-memo-');
    fs.writeFileSync(path.join(dir, 'src', 'bot.ts'), FILES['src/bot.ts'].replace('billing assistant', 'billing and refunds assistant'));
    const c = counted();
    const d = await diffCost({ path: dir, base: 'HEAD', engine: c.engine, scan: { cacheDir } });
    // The work tree: its three files; the base: only bot.ts, whose text differs.
    assert.strictEqual(c.priced(), 3 + 1);
    assert.strictEqual(strip(d), strip(await diffCost({ path: dir, base: 'HEAD' })));
  });

  it('the base\'s checkout links the files the work tree has byte for byte, writes the rest, and answers the same either way', async () => {
    const dir = repoWith({ ...FILES, '.gitattributes': '*.py text eol=crlf\n' });
    fs.writeFileSync(path.join(dir, 'src', 'bot.ts'), FILES['src/bot.ts'].replace('billing assistant', 'billing and refunds assistant'));
    const fsm = require('fs') as typeof import('fs'); // eslint-disable-line @typescript-eslint/no-require-imports
    const { linkSync } = fsm;
    const linked: string[] = [];
    const withLinks = async (link: (from: fs.PathLike, to: fs.PathLike) => void) => {
      (fsm as { linkSync: unknown }).linkSync = link;
      try {
        return await diffCost({ path: dir, base: 'HEAD' });
      } finally {
        (fsm as { linkSync: unknown }).linkSync = linkSync;
      }
    };
    const d = await withLinks((from, to) => {
      linked.push(path.relative(dir, String(from)).split(path.sep).join('/'));
      linkSync(from, to);
    });
    // Not the edited file, not the one whose line endings git converts: those are read from git.
    assert.deepStrictEqual(linked.sort(), ['.gitattributes', '.promptcost.yaml', 'prompts/summary.prompt.yml']);
    const written = await withLinks(() => {
      throw Object.assign(new Error('EXDEV: cross-device link not permitted'), { code: 'EXDEV' });
    });
    assert.strictEqual(strip(d), strip(written));
    assert.ok(d.prompts.some((p) => p.file === 'src/bot.ts' && p.status === 'changed'));
  });

  it('a base with another .promptcost.yaml prices every file itself', async () => {
    const dir = repoWith(FILES);
    const cacheDir = tempDir('prompt-cost-diff-memo-');
    fs.writeFileSync(path.join(dir, '.promptcost.yaml'), 'defaults:\n  callsPerDay: 5000\n');
    const c = counted();
    const d = await diffCost({ path: dir, base: 'HEAD', engine: c.engine, scan: { cacheDir } });
    assert.strictEqual(c.priced(), 3 + 3);
    assert.ok(d.deltaMonthlyUsd > 0);
    assert.strictEqual(strip(d), strip(await diffCost({ path: dir, base: 'HEAD' })));
  });
});

describe('cost diff: sides kept file by file', () => {
  const strip = (d: CostDiff) => JSON.stringify({ ...d, tool: '' });
  const sideFiles = (cacheDir: string) => [
    ...fs.readdirSync(path.join(cacheDir, 'diff-sides')).map((n) => path.join(cacheDir, 'diff-sides', n)),
    ...fs.readdirSync(path.join(cacheDir, 'scans')).filter((n) => /\.view(\.data)?$/.test(n)).map((n) => path.join(cacheDir, 'scans', n)),
  ];
  const IMPORTED: Record<string, string> = {
    ...FILES,
    'src/prompts.ts': `export const BILLING = 'You are the billing assistant. ${LONG}';\n`,
    'src/bot.ts': FILES['src/bot.ts'].replace(`'You are the billing assistant. ${LONG}'`, 'BILLING').replace("import OpenAI from 'openai';", "import OpenAI from 'openai';\nimport { BILLING } from './prompts';"),
  };

  it('a repeat diff parses only the files that differ, and answers as a diff without the cache does', async () => {
    const dir = repoWith(FILES);
    const cacheDir = tempDir('prompt-cost-diff-view-');
    edit(dir, 'src/bot.ts', (s) => s.replace('billing assistant', 'billing and refunds assistant'));
    const first = await diffCost({ path: dir, base: 'HEAD', scan: { cacheDir } });
    assert.ok(sideFiles(cacheDir).some((f) => f.endsWith('.view.data')));
    // The stored sides' data: only bot.ts's prompts are read back (JSON.parse is handed no other file's).
    const parse = JSON.parse;
    const parsed: string[] = [];
    JSON.parse = ((text: string, ...rest: unknown[]) => {
      if (typeof text === 'string' && text.startsWith('[{')) parsed.push(...[...text.matchAll(/"file":"([^"]+)"/g)].map((m) => m[1]));
      return (parse as (...a: unknown[]) => unknown)(text, ...rest);
    }) as typeof JSON.parse;
    let again: CostDiff;
    try {
      again = await diffCost({ path: dir, base: 'HEAD', scan: { cacheDir } });
    } finally {
      JSON.parse = parse;
    }
    assert.deepStrictEqual([...new Set(parsed)], ['src/bot.ts']);
    assert.strictEqual(strip(again), strip(first));
    assert.strictEqual(strip(first), strip(await diffCost({ path: dir, base: 'HEAD' })));
    assert.strictEqual(first.counts.unchanged, 2);
  });

  it('damaged data or index of a kept side is not trusted: the side is made again, and rewritten', async () => {
    const dir = repoWith(FILES);
    const cacheDir = tempDir('prompt-cost-diff-view-');
    edit(dir, 'src/triage.py', (s) => s.replace('one topic', 'one topic and one urgency'));
    const want = strip(await diffCost({ path: dir, base: 'HEAD' }));
    assert.strictEqual(strip(await diffCost({ path: dir, base: 'HEAD', scan: { cacheDir } })), want);
    // Same length, other bytes: only the digests can tell.
    for (const f of sideFiles(cacheDir).filter((n) => n.endsWith('.data'))) {
      const b = fs.readFileSync(f);
      const at = b.indexOf('triage');
      assert.ok(at > 0, f);
      b.write('TRIAGE', at);
      fs.writeFileSync(f, b);
    }
    assert.strictEqual(strip(await diffCost({ path: dir, base: 'HEAD', scan: { cacheDir } })), want);
    // Rewritten: the next diff reads them as they should be.
    for (const f of sideFiles(cacheDir).filter((n) => n.endsWith('.data'))) assert.ok(!fs.readFileSync(f, 'utf8').includes('TRIAGE'), f);
    assert.strictEqual(strip(await diffCost({ path: dir, base: 'HEAD', scan: { cacheDir } })), want);
    // A truncated data file, then an index that is not JSON.
    for (const f of sideFiles(cacheDir).filter((n) => n.endsWith('.data'))) fs.writeFileSync(f, fs.readFileSync(f).subarray(0, 10));
    assert.strictEqual(strip(await diffCost({ path: dir, base: 'HEAD', scan: { cacheDir } })), want);
    for (const f of sideFiles(cacheDir).filter((n) => !n.endsWith('.data'))) fs.writeFileSync(f, '{"format": 3, "side": {"runs": [');
    assert.strictEqual(strip(await diffCost({ path: dir, base: 'HEAD', scan: { cacheDir } })), want);
  });

  it('a config changed on one side after a diff: the kept work-tree side is not used for it', async () => {
    const dir = repoWith(FILES);
    const cacheDir = tempDir('prompt-cost-diff-view-');
    edit(dir, 'src/bot.ts', (s) => s.replace('billing assistant', 'billing and refunds assistant'));
    const before = await diffCost({ path: dir, base: 'HEAD', scan: { cacheDir } });
    fs.writeFileSync(path.join(dir, '.promptcost.yaml'), 'defaults:\n  callsPerDay: 9000\n');
    const after = await diffCost({ path: dir, base: 'HEAD', scan: { cacheDir } });
    assert.ok(after.deltaMonthlyUsd > before.deltaMonthlyUsd * 2);
    assert.strictEqual(after.counts.changed, 3);
    assert.strictEqual(strip(after), strip(await diffCost({ path: dir, base: 'HEAD' })));
  });

  it('an edited import: the file that reads it is analysed again and shows the change, cache or not', async () => {
    const dir = repoWith(IMPORTED);
    const cacheDir = tempDir('prompt-cost-diff-view-');
    edit(dir, 'src/triage.py', (s) => s.replace('one topic', 'one topic and one urgency'));
    await diffCost({ path: dir, base: 'HEAD', scan: { cacheDir } }); // keeps both sides
    edit(dir, 'src/prompts.ts', (s) => s.replace('billing assistant.', `billing assistant. ${LONG}`));
    const d = await diffCost({ path: dir, base: 'HEAD', scan: { cacheDir } });
    const bot = d.prompts.find((p) => p.file === 'src/bot.ts');
    assert.ok(bot && bot.status === 'changed' && bot.after!.tokens > bot.before!.tokens + 500, JSON.stringify(d.prompts));
    assert.strictEqual(strip(d), strip(await diffCost({ path: dir, base: 'HEAD' })));
  });

  it('identicalFiles: not a file with an id of its own, a part from a touched file, a renamed or differing file', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { viewOf, identicalFiles } = require('../../src/core/diff/view') as typeof import('../../src/core/diff/view');
    const p = (file: string, line: number, extra: object = {}) => ({ id: `${file}:${line + 1}`, file, kind: 'openai.chat', model: { id: 'gpt-4o' }, parts: [], range: { start: { line, character: 0 }, end: { line, character: 1 } }, ...extra });
    const report = (prompts: object[]) => ({ totals: { monthlyUsd: 1 }, prices: {}, prompts }) as never;
    const both = [p('a.ts', 1), p('ids.ts', 1, { id: 'mine' }), p('parts.ts', 1, { parts: [{ file: 'lib.ts', text: 'x', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } }] }), p('old.ts', 1), p('edit.ts', 1)];
    const b = viewOf(report(both), both.map(() => 'text')).index;
    const a = viewOf(report([...both.slice(0, 4), p('edit.ts', 2)])).index;
    const same = new Set(['a.ts', 'ids.ts', 'parts.ts', 'old.ts', 'edit.ts']); // lib.ts touched
    assert.deepStrictEqual([...identicalFiles(b, a, new Map([['old.ts', 'new.ts']]), same)], ['a.ts']);
    assert.deepStrictEqual([...identicalFiles(b, a, new Map(), new Set([...same, 'lib.ts']))].sort(), ['a.ts', 'old.ts', 'parts.ts']);
  });
});

describe('cost diff: texts read from git', () => {
  it('filesAt reads many files of a commit in one process: a missing path or a folder reads as nothing', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { filesAt, openRepo, resolveCommit } = require('../../src/core/diff/git') as typeof import('../../src/core/diff/git');
    const dir = repoWith({ ...FILES, 'sub/a b.ts': 'const x = 1;\r\nconst y = "é";\n', 'sub/empty.txt': '' });
    edit(dir, 'src/bot.ts', () => 'changed since'); // the work tree is not what is read
    const repo = openRepo(dir);
    const commit = resolveCommit(repo, 'HEAD');
    const at = filesAt(repo, commit, '');
    at.prefetch(['src/bot.ts', 'nope.ts', 'sub', 'sub/a b.ts', 'sub/empty.txt']);
    assert.strictEqual(at.read('src/bot.ts'), FILES['src/bot.ts']);
    assert.strictEqual(at.read('nope.ts'), undefined);
    assert.strictEqual(at.read('sub'), undefined);
    assert.strictEqual(at.read('sub/a b.ts'), 'const x = 1;\r\nconst y = "é";\n');
    assert.strictEqual(at.read('sub/empty.txt'), '');
    // Under a folder of the repository, paths are relative to it; one not prefetched is read by itself.
    assert.strictEqual(filesAt(repo, commit, 'sub').read('a b.ts'), 'const x = 1;\r\nconst y = "é";\n');
  });
});
