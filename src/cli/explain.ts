// prompt-cost explain FILE:LINE [--config FILE] [--format text|json]
// The full arithmetic of the prompt at FILE:LINE (the prompt whose range holds the line, else the first
// prompt whose text is on it). A notebook cell is FILE:cellN:LINE, both 1-based. Exit codes: 0 done, 2 bad usage, an unreadable file, or no prompt there.
import * as path from 'path';
import { formatOption, loadNamedConfig, parse, rootFor, scanCacheDir, UsageError, type Io } from './main';
import type { PromptReport, Range } from '../core/model';
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
  // The root and its config as `scan` finds them from the current folder (the nearest .promptcost.yaml above).
  const root = rootFor(io.cwd, io.cwd, io.env);
  loadNamedConfig(io, root, values.config as string | undefined, true);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ws = require('../core/workspace') as typeof import('../core/workspace');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { explainPrompt, formatExplanation } = require('../core/report/explain') as typeof import('../core/report/explain');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const prices = require('../core/prices') as typeof import('../core/prices');
  const configFile = values.config ? path.resolve(io.cwd, values.config as string) : undefined;
  const rel = path.relative(root, abs).split(path.sep).join('/');
  const notebook = /\.ipynb$/i.test(rel);
  let report = await ws.scanWorkspace({ root, paths: [abs], configFile, workers: 0 });
  if (notebook && cell === undefined) {
    const cells = [...new Set(report.prompts.filter((p) => p.file === rel).map((p) => `cell${(p.cell ?? 0) + 1}:${p.range.start.line + 1}`))];
    throw new UsageError(`${rel}: name the cell, FILE:cellN:LINE (cells and lines 1-based, as the editor counts them)${cells.length ? `; prompts at ${cells.map((c) => `${rel}:${c}`).join(', ')}` : '; the notebook has no prompts prompt-cost recognises'}`);
  }
  const row = line - 1;
  const where = cell === undefined ? `${rel}:${line}` : `${rel}:cell${cell}:${line}`;
  const cellIndex = cell === undefined ? undefined : Number(cell) - 1;
  let prompt = promptAt(report.prompts, rel, row, cellIndex);
  if (!prompt && !notebook) {
    // What only the workspace shows: a text file that code loads as a prompt, or text of this file that a
    // prompt of another file sends (a loaded file, an imported constant). The scan lists those; so does explain.
    report = await ws.scanWorkspace({ root, configFile, workers: 0, cacheDir: scanCacheDir() });
    prompt = promptAt(report.prompts, rel, row, cellIndex);
  }
  if (!prompt) {
    const inFile = report.prompts.filter((p) => p.file === rel && (cellIndex === undefined || p.cell === cellIndex));
    const at = (p: PromptReport) => (p.cell !== undefined ? `cell${p.cell + 1}:` : '') + `${p.range.start.line + 1}`;
    const nearest = [...inFile].sort((a, b) => Math.abs(a.range.start.line - row) - Math.abs(b.range.start.line - row)).slice(0, 3);
    throw new UsageError(`${where}: no prompt contains this line${nearest.length ? `; the nearest: ${nearest.map((p) => `${rel}:${at(p)} (${p.kind}, lines ${p.range.start.line + 1}–${p.range.end.line + 1})`).join(', ')}` : cell !== undefined ? ` (cell ${cell} has no prompts prompt-cost recognises)` : ' (the file has no prompts prompt-cost recognises)'}`);
  }
  const config = ws.loadConfig(root, configFile);
  const pricing = prices.lookupPrice(prompt.model.id, config.prices, { deployments: config.deployments });
  const e = explainPrompt(prompt, report.prices, pricing);
  io.stdout(format === 'json' ? JSON.stringify(e, null, 2) + '\n' : formatExplanation(e, io.columns));
  return 0;
}

/**
 * The prompt FILE:LINE names: the one whose call or text (a part written in this file, or in this text
 * file for a prompt of another file) holds the line, the smallest if several; in a prompt file that holds
 * one prompt, that prompt whatever the line (its comments, its test data, its frontmatter).
 */
export function promptAt(prompts: readonly PromptReport[], rel: string, row: number, cell?: number): PromptReport | undefined {
  const inCell = (c: number | undefined) => cell === undefined || c === cell;
  const spans = (p: PromptReport) => [
    ...(p.file === rel && inCell(p.cell) ? [p.range] : []),
    ...p.parts.filter((x) => (x.file ?? p.file) === rel && inCell(x.file ? undefined : x.cell)).map((x) => x.range),
  ];
  const size = (r: Range) => r.end.line - r.start.line;
  const holding = prompts
    .map((p) => ({ p, r: spans(p).filter((r) => r.start.line <= row && row <= r.end.line).sort((a, b) => size(a) - size(b))[0] }))
    .filter((x) => x.r)
    // the prompt of this file before one of another file that sends its text; then the smallest span
    .sort((a, b) => Number(a.p.file !== rel) - Number(b.p.file !== rel) || size(a.r) - size(b.r));
  if (holding.length) return holding[0].p;
  const own = prompts.filter((p) => p.file === rel && inCell(p.cell));
  return own.length === 1 && own[0].source === 'prompt-file' ? own[0] : undefined;
}
