// A prompt file that cannot be read (YAML that does not parse, a frontmatter never closed) is input the
// gate could not read: scan with a budget and diff with a limit exit 2 naming file:line and what is
// wrong; without a gate it is warned of on stderr; diff marks its base prompts `unreadable`, not removed.
import * as assert from 'assert';
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { run } from '../../src/cli/main';
import type { CostDiff } from '../../src/core/diff';
import type { ScanReport } from '../../src/core/model';
import { tempDir } from '../tempDir';

const CLI = path.join(__dirname, '..', '..', 'dist', 'cli.js');
const GIT_ENV = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' };
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env: GIT_ENV, encoding: 'utf8' }).trim();

const PROMPTY = `---
name: Chat
model:
  api: chat
  configuration:
    type: openai
    name: gpt-4o
sample:
  question: hi
---
system:
You are a helpful assistant. Answer the question carefully and at length.

user:
{{question}}
`;
const GITHUB_MODELS = 'model: openai/gpt-4o-mini\nmessages:\n  - role: system\n    content: You summarize text into three bullet points.\n';
/** The same files broken: a flow sequence never closed in the frontmatter; a `.prompt.yml` that is not YAML. */
const BROKEN_PROMPTY = PROMPTY.replace('name: Chat', 'name: [Chat');
const BROKEN_GITHUB_MODELS = 'model: openai/gpt-4o-mini\nmessages: [\n  - role: system\n';

async function cli(args: string[], cwd: string) {
  let stdout = '', stderr = '';
  const code = await run(args, { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), readStdin: () => Buffer.from(''), stderrIsTTY: false, cwd, env: { ...process.env, PROMPT_COST_CACHE_DIR: '' } });
  return { code, stdout, stderr };
}

function project(files: Record<string, string>): string {
  const dir = tempDir('pc-unreadable-');
  for (const [f, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, f), text);
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'base');
  return dir;
}

const healthy = () => project({
  'chat.prompty': PROMPTY, 'summarize.prompt.yml': GITHUB_MODELS,
  '.promptcost.yaml': 'overrides:\n  - path: chat.prompty\n    callsPerDay: 20000\n',
});
const breakBoth = (dir: string) => {
  fs.writeFileSync(path.join(dir, 'chat.prompty'), BROKEN_PROMPTY);
  fs.writeFileSync(path.join(dir, 'summarize.prompt.yml'), BROKEN_GITHUB_MODELS);
};

describe('prompt files that cannot be read fail the gate', function () {
  this.timeout(60_000);

  it('scan with a budget (--max-monthly or budget:) exits 2 naming each file:line and what is wrong, in every format', async () => {
    const dir = healthy();
    assert.strictEqual((await cli(['scan', '--max-monthly', '100000'], dir)).code, 0, 'the healthy project is within the budget');
    breakBoth(dir);
    for (const format of ['table', 'json', 'markdown', 'csv', 'sarif', 'html']) {
      const r = await cli(['scan', '--max-monthly', '100000', '--format', format], dir);
      assert.strictEqual(r.code, 2, `${format}: ${r.stderr}`);
      assert.match(r.stderr, /^prompt-cost: the budget cannot be judged: 2 prompt files could not be read, so their prompts are not counted:\n/, format);
      assert.match(r.stderr, /\n {2}chat\.prompty:3: malformed YAML: [^\n]+\n/, format);
      assert.match(r.stderr, /\n {2}summarize\.prompt\.yml:\d+: malformed YAML: [^\n]+\n/, format);
      assert.doesNotMatch(r.stderr, /matched no prompt/, 'the override of the broken file is not said to match nothing');
    }
    // The verdict in the report says so too (table, JSON).
    const table = await cli(['scan', '--max-monthly', '100000'], dir);
    assert.match(table.stdout, /Budget: \$100,000\/month \(--max-monthly\) — FAILED: the priced total is within budget, but 2 prompt files could not be\s+read/);
    const json = JSON.parse((await cli(['scan', '--max-monthly', '100000', '--format', 'json'], dir)).stdout) as ScanReport;
    assert.deepStrictEqual(json.unreadable?.map((u) => `${u.file}:${u.line}`), ['chat.prompty:3', 'summarize.prompt.yml:3']);
    assert.strictEqual(json.budget?.unreadable, 2);
    // A budget from the config is a gate as well.
    fs.writeFileSync(path.join(dir, '.promptcost.yaml'), 'budget:\n  monthlyUsd: 100000\n');
    assert.strictEqual((await cli(['scan'], dir)).code, 2);
  });

  it('scan without a budget exits 0 and says on stderr which files were not read, whatever the format', async () => {
    const dir = healthy();
    breakBoth(dir);
    for (const format of ['table', 'json', 'csv', 'html']) {
      const r = await cli(['scan', '--format', format], dir);
      assert.strictEqual(r.code, 0, r.stderr);
      assert.match(r.stderr, /^warning: 2 prompt files could not be read, so their prompts are not counted:\n {2}chat\.prompty:3: malformed YAML: [^\n]+\n {2}summarize\.prompt\.yml:3: malformed YAML: /, format);
    }
  });

  it('the built CLI exits 2 on a scan gate over an unreadable prompt file', () => {
    const dir = healthy();
    breakBoth(dir);
    const r = spawnSync(process.execPath, [CLI, 'scan', '--max-monthly', '1'], { cwd: dir, encoding: 'utf8', env: { ...process.env, PROMPT_COST_CACHE_DIR: '' } });
    assert.strictEqual(r.status, 2, r.stderr);
    assert.match(r.stderr, /chat\.prompty:3: malformed YAML/);
  });

  it('a content-sniffed YAML file that does not parse is a warning only: no gate fails on it', async () => {
    // Any YAML holding a prompt-named key is read for prompts; one that does not parse may be no prompt file.
    const dir = project({ 'agent.yaml': 'system_prompt: "You are terse.\nname: [x\n', 'summarize.prompt.yml': GITHUB_MODELS });
    const r = await cli(['scan', '--max-monthly', '100000', '--format', 'json'], dir);
    assert.strictEqual(r.code, 0, r.stderr);
    assert.strictEqual((JSON.parse(r.stdout) as ScanReport).unreadable, undefined);
  });

  it('diff: a prompt file broken on the head side is unreadable, not removed, and a limit given cannot be judged (exit 2)', async () => {
    const dir = healthy();
    breakBoth(dir);
    const gated = await cli(['diff', '--base', 'HEAD', '--max-increase-usd', '1'], dir);
    assert.strictEqual(gated.code, 2, gated.stdout + gated.stderr);
    assert.match(gated.stderr, /^prompt-cost: the increase limit cannot be judged: 2 prompt files could not be read, so their prompts are not counted:\n {2}chat\.prompty:3: malformed YAML/);
    assert.doesNotMatch(gated.stderr, /matched no prompt/);
    assert.doesNotMatch(gated.stdout, /^removed|Within the limit/m);
    assert.match(gated.stdout, /^unreadable +chat\.prompty:1 .* \$\S+ → \? +unknown +the head's chat\.prompty could not/m);
    assert.match(gated.stdout, /Cannot judge the limit: 2 prompt files on the head side could not be read/);
    assert.match(gated.stdout, /0 removed, 0 moved, 0 unchanged, 2 unreadable/);

    const json = await cli(['diff', '--base', 'HEAD', '--max-increase-usd', '1', '--format', 'json'], dir);
    assert.strictEqual(json.code, 2);
    const d = JSON.parse(json.stdout) as CostDiff;
    assert.deepStrictEqual(d.prompts.map((p) => [p.file, p.status, p.deltaMonthlyUsd]), [['chat.prompty', 'unreadable', null], ['summarize.prompt.yml', 'unreadable', null]]);
    assert.strictEqual(d.verdict?.within, false);
    assert.deepStrictEqual(d.verdict?.unreadable?.map((u) => u.file), ['chat.prompty', 'summarize.prompt.yml']);

    const sarif = JSON.parse((await cli(['diff', '--base', 'HEAD', '--max-increase-usd', '1', '--format', 'sarif'], dir)).stdout) as { runs: { results: { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[] }[] };
    assert.deepStrictEqual(sarif.runs[0].results.filter((r) => r.ruleId === 'prompt-file-unreadable').map((r) => [r.level, r.locations[0].physicalLocation.artifactLocation.uri, r.locations[0].physicalLocation.region.startLine]), [['error', 'chat.prompty', 3], ['error', 'summarize.prompt.yml', 3]]);

    const markdown = await cli(['diff', '--base', 'HEAD', '--max-increase-pct', '5', '--format', 'markdown'], dir);
    assert.strictEqual(markdown.code, 2);
    assert.match(markdown.stdout, /\*\*Cannot judge the limit:\*\* 2 prompt files/);
    assert.match(markdown.stdout, /\| unreadable \| `chat\.prompty:1` \|/);

    // No limit given: nothing to judge (exit 0), the rows and a warning still say it.
    const open = await cli(['diff', '--base', 'HEAD'], dir);
    assert.strictEqual(open.code, 0, open.stderr);
    assert.match(open.stdout, /^unreadable +chat\.prompty:1/m);
    assert.match(open.stderr, /^warning: 2 prompt files could not be read, so their prompts are not counted in the head:\n {2}chat\.prompty:3: /);

    // Fixed again: the gate judges, and passes.
    git(dir, 'checkout', '--', '.');
    assert.strictEqual((await cli(['diff', '--base', 'HEAD', '--max-increase-usd', '1'], dir)).code, 0);
  });

  it('diff: a prompt file broken in the base is new in the head, said so, and judged as such', async () => {
    const dir = healthy();
    breakBoth(dir);
    git(dir, 'commit', '-qam', 'broken');
    git(dir, 'checkout', 'HEAD~1', '--', '.');
    const r = await cli(['diff', '--base', 'HEAD', '--format', 'json'], dir);
    assert.strictEqual(r.code, 0, r.stderr);
    const d = JSON.parse(r.stdout) as CostDiff;
    assert.deepStrictEqual(d.prompts.map((p) => p.status), ['added', 'added']);
    assert.ok(d.prompts.every((p) => p.reasons.some((x) => /^the base's \S+ could not be read \(line \d+: malformed YAML/.test(x))), JSON.stringify(d.prompts));
    assert.match(r.stderr, /^warning: the base \(HEAD\) has 2 prompt files that could not be read, so their prompts are new in the head:\n/);
    assert.strictEqual(d.head.unreadable, undefined);
  });
});
