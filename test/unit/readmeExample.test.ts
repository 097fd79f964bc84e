// Tryout finding 11: the README's examples are what the CLI prints (`npm run demo`, the `cost` example),
// line for line — a change to the reports or the demo that is not copied into the README fails here.
// The scan example's price-data line is left out (a price update changes it and nothing else).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { run } from '../../src/cli/main';

const ROOT = path.join(__dirname, '..', '..');

describe('README example', () => {
  it('is what `prompt-cost scan examples/demo-workspace` prints', async () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const m = /\n\$ npx prompt-cost scan examples\/demo-workspace\n([^]*?)\n```/.exec(readme);
    assert.ok(m, 'the example block');
    let stdout = '';
    const code = await run(['scan', 'examples/demo-workspace', '--no-cache'], { stdout: (s) => void (stdout += s), stderr: () => undefined, readStdin: () => Buffer.alloc(0), stderrIsTTY: false, cwd: ROOT, env: { ...process.env, COLUMNS: '' } });
    assert.strictEqual(code, 0);
    const strip = (t: string) => t.trimEnd().split('\n').filter((l) => !l.startsWith('Prices: ')).join('\n');
    assert.strictEqual(strip(m[1]), strip(stdout), 'copy the output of `npm run demo` into the README example');
  });

  // Tryout: the `cost` example lacked the last line cost prints (the prices it used).
  it('is what the `prompt-cost cost` example prints, line for line', async () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const m = /\n\$ npx prompt-cost (cost [^\n]*)\n([^]*?)\n```/.exec(readme);
    assert.ok(m, 'the cost example block');
    let stdout = '';
    const code = await run(m[1].split(' '), { stdout: (s) => void (stdout += s), stderr: () => undefined, readStdin: () => Buffer.alloc(0), stderrIsTTY: false, cwd: ROOT, env: { ...process.env, COLUMNS: '' } });
    assert.strictEqual(code, 0);
    assert.strictEqual(m[2], stdout.trimEnd(), `copy the output of \`npx prompt-cost ${m[1]}\` into the README example`);
  });
});
