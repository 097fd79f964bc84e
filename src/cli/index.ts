#!/usr/bin/env node
import * as fs from 'fs';
import { askOnTerminal } from './ask';
import { run } from './main';

// A reader that stops early (`prompt-cost scan … | head`) closes the pipe: the rest of the output is
// dropped, without a stack trace, and the command still ends with its own exit code (a budget gate
// over budget still exits 1).
let stdoutClosed = false;
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') throw e;
  stdoutClosed = true;
});
process.stderr.on('error', () => undefined);
const out = (data: string | Uint8Array) => {
  if (!stdoutClosed) process.stdout.write(data);
};

run(process.argv.slice(2), {
  stdout: (s) => out(s),
  stdoutBytes: (b) => out(b),
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
