// prompt-cost explain FILE:LINE [--config FILE] [--format text|json]
// The full arithmetic of the prompt at FILE:LINE (the prompt whose range holds the line, else the first
// prompt whose text is on it). A notebook cell is FILE:cellN:LINE, both 1-based. Exit codes: 0 done, 2 bad usage, an unreadable file, or no prompt there.
import * as path from 'path';
import { formatOption, loadNamedConfig, parse, UsageError, type Io } from './main';
import { statNamed } from './inputs';

export async function explainCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { config: { type: 'string' }, format: { type: 'string' } });
  const format = formatOption(values.format, ['text', 'json']);
  if (positionals.length !== 1) throw new UsageError(`explain takes one FILE:LINE, got ${positionals.length}`);
  const m = /^(.*?):(?:cell(\d+):)?(\d+)$/.exec(positionals[0]);
  if (!m) throw new UsageError(`explain needs FILE:LINE (e.g. src/app.ts:12), got "${positionals[0]}"`);
  const [, file, cell, lineText] = m;
  const line = Number(lineText);
  if (line < 1) throw new UsageError(`LINE is 1-based, got ${line}`);
  const { abs, isDirectory } = statNamed(io.cwd, file, '');
  if (isDirectory) throw new UsageError(`${file} is a folder; explain takes a file and a line`);
  // The config must be a readable file that parses (exit 2 otherwise), as for every command.
  loadNamedConfig(io, io.cwd, values.config as string | undefined, true);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ws = require('../core/workspace') as typeof import('../core/workspace');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { explainPrompt, formatExplanation } = require('../core/report/explain') as typeof import('../core/report/explain');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const prices = require('../core/prices') as typeof import('../core/prices');
  const configFile = values.config ? path.resolve(io.cwd, values.config as string) : undefined;
  const report = await ws.scanWorkspace({ root: io.cwd, paths: [abs], configFile, workers: 0 });
  const rel = path.relative(io.cwd, abs).split(path.sep).join('/');
  const notebook = /\.ipynb$/i.test(rel);
  if (notebook && cell === undefined) {
    const cells = [...new Set(report.prompts.filter((p) => p.file === rel).map((p) => `cell${(p.cell ?? 0) + 1}:${p.range.start.line + 1}`))];
    throw new UsageError(`${rel}: name the cell, FILE:cellN:LINE (cells and lines 1-based, as the editor counts them)${cells.length ? `; prompts at ${cells.map((c) => `${rel}:${c}`).join(', ')}` : '; the notebook has no prompts prompt-cost recognises'}`);
  }
  const inFile = report.prompts.filter((p) => p.file === rel && (cell === undefined || p.cell === Number(cell) - 1));
  const row = line - 1;
  const where = cell === undefined ? `${rel}:${line}` : `${rel}:cell${cell}:${line}`;
  // The prompt whose call or text (a part written in this file) holds the line; the smallest if several.
  const spans = (p: (typeof inFile)[number]) => [p.range, ...p.parts.filter((x) => !x.file && x.cell === p.cell).map((x) => x.range)];
  const size = (r: { start: { line: number }; end: { line: number } }) => r.end.line - r.start.line;
  const holding = inFile
    .map((p) => ({ p, r: spans(p).filter((r) => r.start.line <= row && row <= r.end.line).sort((a, b) => size(a) - size(b))[0] }))
    .filter((x) => x.r)
    .sort((a, b) => size(a.r) - size(b.r));
  const prompt = holding[0]?.p;
  if (!prompt) {
    const at = (p: (typeof inFile)[number]) => (p.cell !== undefined ? `cell${p.cell + 1}:` : '') + `${p.range.start.line + 1}`;
    const nearest = [...inFile].sort((a, b) => Math.abs(a.range.start.line - row) - Math.abs(b.range.start.line - row)).slice(0, 3);
    throw new UsageError(`${where}: no prompt contains this line${nearest.length ? `; the nearest: ${nearest.map((p) => `${rel}:${at(p)} (${p.kind}, lines ${p.range.start.line + 1}–${p.range.end.line + 1})`).join(', ')}` : cell !== undefined ? ` (cell ${cell} has no prompts prompt-cost recognises)` : ' (the file has no prompts prompt-cost recognises)'}`);
  }
  const config = ws.loadConfig(io.cwd, configFile);
  const pricing = prices.lookupPrice(prompt.model.id, config.prices, { deployments: config.deployments });
  const e = explainPrompt(prompt, report.prices, pricing);
  io.stdout(format === 'json' ? JSON.stringify(e, null, 2) + '\n' : formatExplanation(e, io.columns));
  return 0;
}
