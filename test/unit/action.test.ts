import * as assert from 'assert';
import { execFileSync, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as path from 'path';
import { parse } from 'yaml';
import { tempDir } from '../tempDir';

const ROOT = path.join(__dirname, '..', '..');
const SCRIPT = path.join(ROOT, 'action', 'comment.mjs');

interface Comment { id: number; body: string }

/** A GitHub issues-comments API on 127.0.0.1: enough of it for the sticky comment. */
async function fakeGitHub(opts: { status?: number; comments?: Comment[] } = {}) {
  const comments: Comment[] = opts.comments ?? [];
  const requests: { method: string; url: string; auth?: string }[] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      requests.push({ method: req.method!, url: req.url!, auth: req.headers.authorization });
      const send = (code: number, body: unknown) => {
        res.writeHead(code, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (opts.status) return send(opts.status, { message: 'nope' });
      const list = req.url!.match(/^\/repos\/acme\/app\/issues\/(\d+)\/comments\?per_page=100&page=(\d+)$/);
      if (req.method === 'GET' && list) return send(200, Number(list[2]) === 1 ? comments : []);
      if (req.method === 'POST' && /^\/repos\/acme\/app\/issues\/42\/comments$/.test(req.url!)) {
        const c = { id: 1000 + comments.length, body: JSON.parse(raw).body };
        comments.push(c);
        return send(201, c);
      }
      const edit = req.url!.match(/^\/repos\/acme\/app\/issues\/comments\/(\d+)$/);
      if (req.method === 'PATCH' && edit) {
        const c = comments.find((x) => x.id === Number(edit[1]));
        if (!c) return send(404, {});
        c.body = JSON.parse(raw).body;
        return send(200, c);
      }
      send(404, { message: `no route ${req.method} ${req.url}` });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, comments, requests, close: () => new Promise((r) => server.close(r)) };
}

function runScript(file: string, env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [SCRIPT, file], { env: { PATH: process.env.PATH ?? '', ...env } });
    let stdout = '', stderr = '';
    p.stdout.on('data', (c) => (stdout += c));
    p.stderr.on('data', (c) => (stderr += c));
    p.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

function fixture(event: unknown, markdown: string) {
  const dir = tempDir('prompt-cost-action-');
  fs.writeFileSync(path.join(dir, 'event.json'), JSON.stringify(event));
  fs.writeFileSync(path.join(dir, 'diff.md'), markdown);
  return dir;
}

const MD = (total: string) => `<!-- prompt-cost-diff -->\n### Prompt Cost\n\n**Monthly cost: $10 → ${total}**\n`;

describe('GitHub Action: sticky comment script', () => {
  it('posts one comment, then updates that same comment on the next run', async () => {
    const gh = await fakeGitHub({ comments: [{ id: 7, body: 'LGTM' }] });
    try {
      const dir = fixture({ pull_request: { number: 42 } }, MD('$20'));
      const env = { GITHUB_EVENT_PATH: path.join(dir, 'event.json'), GITHUB_REPOSITORY: 'acme/app', GITHUB_TOKEN: 'test-token', GITHUB_API_URL: gh.url };
      const first = await runScript(path.join(dir, 'diff.md'), env);
      assert.strictEqual(first.code, 0, first.stderr);
      assert.match(first.stdout, /posted comment 1001 on #42/);
      fs.writeFileSync(path.join(dir, 'diff.md'), MD('$30'));
      const second = await runScript(path.join(dir, 'diff.md'), env);
      assert.strictEqual(second.code, 0, second.stderr);
      assert.match(second.stdout, /updated comment 1001 on #42/);
      assert.deepStrictEqual(gh.comments.map((c) => c.id), [7, 1001]);
      assert.match(gh.comments[1].body, /\$10 → \$30/);
      assert.ok(gh.requests.every((r) => r.auth === 'Bearer test-token'));
      assert.ok(!first.stdout.includes('test-token') && !second.stdout.includes('test-token'));
    } finally {
      await gh.close();
    }
  });

  it('an event that is not a pull request posts nothing and succeeds', async () => {
    const gh = await fakeGitHub();
    try {
      const dir = fixture({ ref: 'refs/heads/main' }, MD('$20'));
      const r = await runScript(path.join(dir, 'diff.md'), { GITHUB_EVENT_PATH: path.join(dir, 'event.json'), GITHUB_REPOSITORY: 'acme/app', GITHUB_TOKEN: 't', GITHUB_API_URL: gh.url });
      assert.strictEqual(r.code, 0);
      assert.match(r.stdout, /not a pull request/);
      assert.deepStrictEqual(gh.requests, []);
    } finally {
      await gh.close();
    }
  });

  it('a 403 is a warning with the status and what the token needs, never a failed step; no token warns before any request', async () => {
    const gh = await fakeGitHub({ status: 403 });
    try {
      const dir = fixture({ pull_request: { number: 42, head: { repo: { full_name: 'acme/app', fork: false } } } }, MD('$20'));
      const env = { GITHUB_EVENT_PATH: path.join(dir, 'event.json'), GITHUB_REPOSITORY: 'acme/app', GITHUB_API_URL: gh.url };
      const r = await runScript(path.join(dir, 'diff.md'), { ...env, GITHUB_TOKEN: 't' });
      assert.strictEqual(r.code, 0, r.stderr);
      assert.match(r.stdout, /^::warning title=Prompt Cost comment not posted::GET \/repos\/acme\/app\/issues\/42\/comments\S* answered 403 .*pull-requests: write/m);
      const before = gh.requests.length;
      const noToken = await runScript(path.join(dir, 'diff.md'), env);
      assert.strictEqual(noToken.code, 0);
      assert.match(noToken.stdout, /^::warning .*GITHUB_TOKEN is not set/m);
      assert.strictEqual(gh.requests.length, before);
    } finally {
      await gh.close();
    }
  });

  it("a fork's pull request (a read-only token: 403) warns that it comes from a fork and exits 0", async () => {
    const gh = await fakeGitHub({ status: 403 });
    try {
      const event = { pull_request: { number: 42, head: { repo: { full_name: 'someone/app', fork: true } }, base: { repo: { full_name: 'acme/app' } } } };
      const dir = fixture(event, MD('$20'));
      const r = await runScript(path.join(dir, 'diff.md'), { GITHUB_EVENT_PATH: path.join(dir, 'event.json'), GITHUB_REPOSITORY: 'acme/app', GITHUB_TOKEN: 't', GITHUB_API_URL: gh.url });
      assert.strictEqual(r.code, 0, r.stderr);
      assert.match(r.stdout, /^::warning .*answered 403 .*#42 comes from a fork \(someone\/app\).*read-only token; the cost diff is in the job summary/m);
      assert.strictEqual(gh.comments.length, 0);
    } finally {
      await gh.close();
    }
  });

  it('an API that cannot be reached, or an event payload that cannot be read, is a warning too', async () => {
    const gh = await fakeGitHub();
    const url = gh.url;
    await gh.close(); // nothing listens there now
    const dir = fixture({ pull_request: { number: 42 } }, MD('$20'));
    const down = await runScript(path.join(dir, 'diff.md'), { GITHUB_EVENT_PATH: path.join(dir, 'event.json'), GITHUB_REPOSITORY: 'acme/app', GITHUB_TOKEN: 't', GITHUB_API_URL: url });
    assert.strictEqual(down.code, 0, down.stderr);
    assert.match(down.stdout, /^::warning .*GET \S+ failed: /m);
    fs.writeFileSync(path.join(dir, 'event.json'), '{ not json');
    const bad = await runScript(path.join(dir, 'diff.md'), { GITHUB_EVENT_PATH: path.join(dir, 'event.json'), GITHUB_REPOSITORY: 'acme/app', GITHUB_TOKEN: 't', GITHUB_API_URL: url });
    assert.strictEqual(bad.code, 0, bad.stderr);
    assert.match(bad.stdout, /^::warning .*the event payload \S+ could not be read/m);
  });

  it("action.yml's comment step, run with bash as the runner would: a 403 leaves the step green with a warning", async () => {
    const action = parse(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8'));
    const step = action.runs.steps.find((s: { name?: string }) => s.name === 'Sticky comment');
    const gh = await fakeGitHub({ status: 403 });
    try {
      const dir = fixture({ pull_request: { number: 42, head: { repo: { full_name: 'someone/app', fork: true } } } }, MD('$20'));
      fs.copyFileSync(path.join(dir, 'diff.md'), path.join(dir, 'prompt-cost-diff.md'));
      const r = await new Promise<{ code: number; stdout: string }>((resolve) => {
        const p = spawn('bash', ['-e', '-c', step.run], { env: { PATH: process.env.PATH ?? '', GITHUB_ACTION_PATH: ROOT, RUNNER_TEMP: dir, GITHUB_EVENT_PATH: path.join(dir, 'event.json'), GITHUB_REPOSITORY: 'acme/app', GITHUB_TOKEN: 't', GITHUB_API_URL: gh.url } });
        let stdout = '';
        p.stdout.on('data', (c) => (stdout += c));
        p.on('exit', (code) => resolve({ code: code ?? -1, stdout }));
      });
      assert.strictEqual(r.code, 0, r.stdout);
      assert.match(r.stdout, /^::warning .*comes from a fork/m);
    } finally {
      await gh.close();
    }
  });

  it("action.yml's diff step, run with bash as the runner would: the Markdown summary, the outputs, exit 1 over the limit", function () {
    this.timeout(60_000);
    const cli = path.join(ROOT, 'dist', 'cli.js');
    if (!fs.existsSync(cli)) throw new Error('dist/cli.js is missing: run `npm run build` first (npm test does)');
    const action = parse(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8'));
    assert.strictEqual(action.runs.using, 'composite');
    const step = action.runs.steps.find((s: { id?: string }) => s.id === 'diff');
    const gate = action.runs.steps.find((s: { name?: string }) => s.name === 'Gate');
    assert.strictEqual(gate.if, "steps.diff.outputs.code == '1' || steps.diff.outputs.code == '2'");
    assert.ok(action.runs.steps.some((s: { run?: string }) => s.run?.includes('action/comment.mjs')));
    const repo = tempDir('prompt-cost-action-repo-');
    const gitEnv = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' };
    const prompt = (words: number) => `const OpenAI = require('openai');\nconst c = new OpenAI();\nc.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'system', content: \`${'Answer politely and precisely.\n'.repeat(words)}\` }] });\n`;
    fs.writeFileSync(path.join(repo, 'bot.js'), prompt(10));
    for (const args of [['init', '-q'], ['add', '-A'], ['commit', '-qm', 'base']]) execFileSync('git', args, { cwd: repo, env: gitEnv });
    const base = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repo, encoding: 'utf8' }).trim();
    fs.writeFileSync(path.join(repo, 'bot.js'), prompt(200));
    const runner = tempDir('prompt-cost-runner-');
    const files = { GITHUB_OUTPUT: path.join(runner, 'output'), GITHUB_STEP_SUMMARY: path.join(runner, 'summary') };
    const r = spawnSync('bash', ['-e', '-c', step.run], {
      cwd: repo, encoding: 'utf8',
      env: { ...process.env, ...files, GITHUB_ACTION_PATH: ROOT, RUNNER_TEMP: runner, BASE: base, TARGET: '.', MAX_USD: '1', MAX_PCT: '' },
    });
    assert.strictEqual(r.status, 0, r.stderr);
    const outputs = fs.readFileSync(files.GITHUB_OUTPUT, 'utf8');
    assert.match(outputs, /^code=1$/m);
    assert.ok(Number(outputs.match(/^delta=(.+)$/m)![1]) > 1);
    assert.match(fs.readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'), /\*\*Monthly cost: \$[\d.,]+ → \$[\d.,]+ \(\+\$/);
    assert.strictEqual(JSON.parse(fs.readFileSync(path.join(runner, 'prompt-cost-diff.sarif'), 'utf8')).runs[0].results.length, 1);
    // The SARIF file is an output of the action (for github/codeql-action/upload-sarif), its verdict the gate's.
    assert.strictEqual(action.outputs['sarif-file'].value, '${{ steps.diff.outputs.sarif }}');
    const sarifFile = outputs.match(/^sarif=(.+)$/m)![1];
    assert.strictEqual(sarifFile, path.join(runner, 'prompt-cost-diff.sarif'));
    assert.strictEqual(JSON.parse(fs.readFileSync(sarifFile, 'utf8')).runs[0].properties.verdict.within, false);
  });

  it("action.yml's diff step: a prompt file the head cannot parse is code 2 with the summary written, and the Gate step fails on it", function () {
    this.timeout(60_000);
    const action = parse(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8'));
    const step = action.runs.steps.find((s: { id?: string }) => s.id === 'diff');
    const gate = action.runs.steps.find((s: { name?: string }) => s.name === 'Gate');
    const repo = tempDir('prompt-cost-action-repo-');
    const gitEnv = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' };
    fs.writeFileSync(path.join(repo, 'summarize.prompt.yml'), 'model: openai/gpt-4o\nmessages:\n  - role: system\n    content: Summarize the ticket in one line.\n');
    for (const args of [['init', '-q'], ['add', '-A'], ['commit', '-qm', 'base']]) execFileSync('git', args, { cwd: repo, env: gitEnv });
    const base = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repo, encoding: 'utf8' }).trim();
    fs.writeFileSync(path.join(repo, 'summarize.prompt.yml'), 'model: openai/gpt-4o\nmessages: [\n  - role: system\n');
    const runner = tempDir('prompt-cost-runner-');
    const files = { GITHUB_OUTPUT: path.join(runner, 'output'), GITHUB_STEP_SUMMARY: path.join(runner, 'summary') };
    const r = spawnSync('bash', ['-e', '-c', step.run], {
      cwd: repo, encoding: 'utf8',
      env: { ...process.env, ...files, GITHUB_ACTION_PATH: ROOT, RUNNER_TEMP: runner, BASE: base, TARGET: '.', MAX_USD: '100', MAX_PCT: '', PROMPT_COST_CACHE_DIR: '' },
    });
    assert.strictEqual(r.status, 0, r.stderr);
    const outputs = fs.readFileSync(files.GITHUB_OUTPUT, 'utf8');
    assert.match(outputs, /^code=2$/m);
    assert.match(fs.readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'), /\*\*Cannot judge the limit:\*\* 1 prompt file on the head side could not be read/);
    const sarif = JSON.parse(fs.readFileSync(outputs.match(/^sarif=(.+)$/m)![1], 'utf8'));
    assert.deepStrictEqual(sarif.runs[0].results.map((x: { ruleId: string }) => x.ruleId), ['prompt-file-unreadable']);
    const g = spawnSync('bash', ['-e', '-c', gate.run], { encoding: 'utf8', env: { ...process.env, CODE: '2' } });
    assert.match(gate.if, /steps\.diff\.outputs\.code == '2'/);
    assert.strictEqual(g.status, 2);
    assert.match(g.stdout, /^::error::the increase limit cannot be judged/m);
    // An unknown base (bad usage) writes no report: the step itself fails, as before.
    const bad = spawnSync('bash', ['-e', '-c', step.run], { cwd: repo, encoding: 'utf8', env: { ...process.env, ...files, GITHUB_ACTION_PATH: ROOT, RUNNER_TEMP: runner, BASE: 'no-such-ref', TARGET: '.', MAX_USD: '', MAX_PCT: '', PROMPT_COST_CACHE_DIR: '' } });
    assert.strictEqual(bad.status, 2, bad.stderr);
  });
});
