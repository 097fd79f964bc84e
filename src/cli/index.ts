#!/usr/bin/env node
import * as fs from 'fs';
import { run } from './main';

run(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  readStdin: () => fs.readFileSync(0),
  stderrIsTTY: Boolean(process.stderr.isTTY),
  cwd: process.cwd(),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (e: Error) => {
    process.stderr.write(`prompt-cost: internal error: ${e.stack ?? e.message}\n`);
    process.exitCode = 3;
  },
);
