// Tryout finding 11: the README's example is the demo's output (`npm run demo`), line for line — a
// change to the reports or the demo that is not copied into the README fails here. The price-data line
// is left out (a price update changes it and nothing else).
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
});
