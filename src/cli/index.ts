#!/usr/bin/env node
import * as fs from 'fs';
import { run } from './main';

process.exitCode = run(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  readStdin: () => fs.readFileSync(0),
  stderrIsTTY: Boolean(process.stderr.isTTY),
  cwd: process.cwd(),
});
