// Runs inside the VS Code extension host: VS Code calls run() (extensionTestsPath). Mocha runs the
// compiled test files named in PROMPT_COST_TEST_FILES, next to this one.
import * as path from 'path';
import Mocha from 'mocha';

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  const files = (process.env.PROMPT_COST_TEST_FILES ?? 'extension.test.js').split(',');
  for (const f of files) mocha.addFile(path.join(__dirname, f));
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0) throw new Error(`${failures} integration test(s) failed`);
}
