// `prompt-cost scan … | head`: a reader that stops early closes the pipe. The CLI drops the rest of its
// output without a stack trace and still ends with its own exit code (a gate over budget exits 1).
// Runs the built CLI (npm run build).
import * as assert from 'assert';
import { spawn } from 'child_process';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');

/** Runs the CLI, closing its stdout after the first chunk: exit code and stderr. */
function runClosingEarly(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, PROMPT_COST_CACHE_DIR: '' } });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.once('data', () => child.stdout.destroy());
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('a closed stdout pipe', () => {
  it('JSON cut short by the reader: exit 0, no stack', async () => {
    const r = await runClosingEarly(['scan', 'test/fixtures', '--format', 'json']);
    assert.strictEqual(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /EPIPE|Unhandled|at .*\.js:\d+/);
  });

  it('over budget with the output cut short: still exit 1, with the verdict on stderr', async () => {
    // (the code fixtures: test/fixtures/files holds broken prompt files, which fail a budget with exit 2)
    const r = await runClosingEarly(['scan', 'test/fixtures/code', '--format', 'json', '--max-monthly', '1']);
    assert.strictEqual(r.code, 1, r.stderr);
    assert.match(r.stderr, /exceeds the budget/);
    assert.doesNotMatch(r.stderr, /EPIPE|Unhandled/);
  });
});
