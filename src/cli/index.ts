#!/usr/bin/env node
import * as fs from 'fs';
import { askOnTerminal } from './ask';
import { run } from './main';

run(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stdoutBytes: (b) => process.stdout.write(b),
  stderr: (s) => process.stderr.write(s),
  readStdin: () => fs.readFileSync(0),
  stderrIsTTY: Boolean(process.stderr.isTTY),
  ask: process.stdin.isTTY ? askOnTerminal : undefined,
  columns: process.stdout.isTTY ? process.stdout.columns : undefined,
  cwd: process.cwd(),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (e: Error) => {
    process.stderr.write(`prompt-cost: internal error: ${(process.env.PROMPT_COST_DEBUG ? e.stack : undefined) ?? e.message}\n(a bug in prompt-cost: please report it; PROMPT_COST_DEBUG=1 shows where it happened)\n`);
    process.exitCode = 3;
  },
);
