// Temporary folders for tests and benchmarks, removed when the process exits: tokenizer snapshots
// (28 MB each) and code-server profiles would otherwise pile up in the machine's temp folder.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const created: string[] = [];

process.on('exit', () => {
  for (const dir of created) {
    try {
      fs.rmSync(dir, { recursive: true, force: true, maxRetries: 2 });
      fs.rmSync(`${dir}.pruned`, { force: true }); // a detection cache's prune stamp, beside its folder
    } catch {
      // still in use by a child that outlived us: the OS cleans its temp folder eventually
    }
  }
});

export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  created.push(dir);
  return dir;
}
