// prompt-cost explain FILE:LINE [--id ID] [--config FILE] [--format text|json]
// The full arithmetic of the prompt at FILE:LINE (the prompt whose range holds the line, else the first
// prompt whose text is on it, or whose agent is built there; --id picks another of them). A notebook cell is FILE:cellN:LINE, both 1-based. Exit codes: 0 done, 2 bad usage, an unreadable file, or no prompt there.
import * as fs from 'fs';
import * as path from 'path';
import { formatOption, loadNamedConfig, parse, rootFor, scanCacheDir, UsageError, type Io } from './main';
import type { PromptReport, Range, ScanReport } from '../core/model';
import { statNamed } from './inputs';

export async function explainCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { config: { type: 'string' }, format: { type: 'string' }, id: { type: 'string' } });
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
  const row = line - 1;
  const where = cell === undefined ? `${rel}:${line}` : `${rel}:cell${cell}:${line}`;
  const cellIndex = cell === undefined ? undefined : Number(cell) - 1;
  // The prompts as the workspace's scan reports them: the line's text may be sent by prompts of other files
  // (an imported constant, an agent run elsewhere, a text file code loads), and an agent run elsewhere is
  // no prompt of its own. A file the scan leaves out (excluded, outside the root) is read by itself.
  const inside = !rel.startsWith('../') && rel !== '..' && !path.isAbsolute(rel);
  const workspace = inside ? await ws.scanWorkspace({ root, configFile, workers: 0, cacheDir: scanCacheDir() }) : undefined;
  const inWorkspace = workspace ? promptsAt(workspace.prompts, rel, row, cellIndex) : [];
  let report: ScanReport;
  let found: PromptReport[];
  if (workspace && inWorkspace.length) [report, found] = [workspace, inWorkspace];
  else {
    const alone = await ws.scanWorkspace({ root, paths: [abs], configFile, workers: 0 });
    const there = promptsAt(alone.prompts, rel, row, cellIndex);
    // A file whose texts the workspace's prompts send is described as scan describes it, even where a
    // scan of the file alone would find the same texts as prompts of their own (heuristic constants).
    [report, found] = workspace && !there.length && workspace.prompts.some((p) => spansIn(p, rel, cellIndex).length) ? [workspace, inWorkspace] : [alone, there];
  }
  if (notebook && cell === undefined) {
    const cells = [...new Set(report.prompts.filter((p) => p.file === rel).map((p) => `cell${(p.cell ?? 0) + 1}:${p.range.start.line + 1}`))];
    throw new UsageError(`${rel}: name the cell, FILE:cellN:LINE (cells and lines 1-based, as the editor counts them)${cells.length ? `; prompts at ${cells.map((c) => `${rel}:${c}`).join(', ')}` : '; the notebook has no prompts prompt-cost recognises'}`);
  }
  if (!found.length) {
    // The prompts with a call or a text in this file, each at its span here nearest the line, named as
    // scan names them: a prompt of another file by its kind and place (`openai.chat at src/bot.ts:5`).
    const distance = (r: Range) => (row < r.start.line ? r.start.line - row : row > r.end.line ? row - r.end.line : 0);
    const nearest = report.prompts.flatMap((p) => {
      const r = spansIn(p, rel, cellIndex).sort((a, b) => distance(a) - distance(b))[0];
      return r ? [{ p, r }] : [];
    }).sort((a, b) => distance(a.r) - distance(b.r)).slice(0, 3);
    const lineHere = (l: number) => `${rel}:${cell !== undefined ? `cell${cell}:` : ''}${l + 1}`;
    const described = nearest.map(({ p, r }) => `${lineHere(r.start.line)} (${p.kind}${r === p.range ? '' : ` at ${placeOf(p)}`}, lines ${r.start.line + 1}–${r.end.line + 1})`);
    const lines = notebook ? undefined : fs.readFileSync(abs, 'utf8').replace(/\r?\n$/, '').split('\n').length;
    // a cell past the notebook's last: say how many cells it has
    const cellCount = notebook && cell !== undefined ? notebookCells(abs) : undefined;
    const past = lines !== undefined && row >= lines ? ` (past the end: the file has ${lines} line${lines === 1 ? '' : 's'})`
      : cellCount !== undefined && cellIndex! >= cellCount ? ` (past the end: the notebook has ${cellCount} cell${cellCount === 1 ? '' : 's'})` : '';
    if (cellCount !== undefined && cellIndex! >= cellCount) throw new UsageError(`${where}: no such cell${past}`);
    // A prompt file that could not be read says why, rather than that it holds no prompts.
    const broken = [...report.diagnostics, ...report.prompts.flatMap((p) => p.diagnostics)].find((d) => d.code === 'prompt-file-error' && (d.file ?? '') === rel);
    const why = broken ? ` (the file could not be read: ${broken.message.replace(new RegExp(`^${rel.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(:\\d+)?: `), '')} at line ${broken.range.start.line + 1})` : undefined;
    throw new UsageError(`${where}: no prompt contains this line${past}${described.length ? `; the nearest: ${described.join(', ')}` : why ?? (cell !== undefined ? ` (cell ${cell} has no prompts prompt-cost recognises)` : ' (the file has no prompts prompt-cost recognises)')}`);
  }
  const id = values.id as string | undefined;
  const prompt = id === undefined ? found[0] : found.find((p) => p.id === id);
  if (!prompt) throw new UsageError(`${where}: no prompt with id "${id}" uses this line; ${found.length === 1 ? 'one does' : `${found.length} do`}:\n${listed(found)}`);
  const told = whichPrompt(found, prompt, where, rel, row, cellIndex, id !== undefined);
  if (told) io.stderr(told);
  const config = ws.loadConfig(root, configFile);
  const pricing = prices.lookupPrice(prompt.model.id, config.prices, { deployments: config.deployments });
  const e = explainPrompt(prompt, report.prices, pricing);
  io.stdout(format === 'json' ? JSON.stringify(e, null, 2) + '\n' : formatExplanation(e, io.columns));
  return 0;
}

const placeOf = (p: PromptReport) => `${p.file}:${p.cell !== undefined ? `cell${p.cell + 1}:` : ''}${p.range.start.line + 1}`;
const listed = (prompts: readonly PromptReport[]) => prompts.map((p) => `  ${p.id}  ${p.kind} at ${placeOf(p)}\n`).join('');
const holds = (r: Range, row: number) => r.start.line <= row && row <= r.end.line;

/**
 * What explain says before the arithmetic (on stderr) when FILE:LINE does not name one prompt alone: the
 * line is in an agent, which only its runs send, or several prompts use it (a constant two calls send).
 */
function whichPrompt(found: PromptReport[], chosen: PromptReport, where: string, rel: string, row: number, cell: number | undefined, byId: boolean): string | undefined {
  const agent = chosen.agentCall;
  const inAgent = !!agent && agent.file === rel && agent.cell === cell && holds(agent.range, row) && !(chosen.file === rel && chosen.cell === cell && holds(chosen.range, row));
  const out: string[] = [];
  if (inAgent) {
    const runs = found.filter((p) => p.agentCall?.file === agent.file && p.agentCall.range.start.line === agent.range.start.line).length;
    const built = agent.range.start.line === row ? `${where} builds an agent` : `${where} is in the agent built at ${rel}:${agent.range.start.line + 1}`;
    out.push(`${built}; the agent is sent with the input of each run of it, so explain shows ${runs > 1 ? `a run: ${chosen.id}, of ${runs}` : `its run, ${chosen.id}`}.\n`);
  }
  if (found.length > 1) {
    out.push(`${found.length} prompts use ${where}; explaining ${byId ? chosen.id : 'the first'}:\n${listed(found)}`);
    const other = found.find((p) => p !== chosen)!;
    // The line of another prompt's call names it alone when no other prompt starts there.
    const alone = found.filter((p) => placeOf(p) === placeOf(other)).length === 1 && promptsAt(found, other.file, other.range.start.line, other.cell)[0] === other;
    out.push(`For another: prompt-cost explain ${where} --id ${other.id}${alone ? `, or the line of its call: prompt-cost explain ${placeOf(other)}` : ''}\n`);
  }
  return out.length ? out.join('') : undefined;
}

/**
 * The prompts FILE:LINE names, the best first: those whose call or text (a part written in this file, or
 * in this text file for a prompt of another file) holds the line, or whose agent is built there (an
 * agent's run); in a prompt file that holds one prompt, that prompt whatever the line (its comments, its
 * test data, its frontmatter).
 */
export function promptsAt(prompts: readonly PromptReport[], rel: string, row: number, cell?: number): PromptReport[] {
  const inCell = (c: number | undefined) => cell === undefined || c === cell;
  const size = (r: Range) => r.end.line - r.start.line;
  const holding = prompts
    .map((p) => ({ p, r: spansIn(p, rel, cell).filter((r) => holds(r, row)).sort((a, b) => size(a) - size(b))[0] }))
    .filter((x) => x.r)
    // the prompt of this file before one of another file that sends its text; then the smallest span
    .sort((a, b) => Number(a.p.file !== rel) - Number(b.p.file !== rel) || size(a.r) - size(b.r));
  if (holding.length) return holding.map((x) => x.p);
  // (a file about its prompt, as a .prompty is: not a workflow or an action whose one step or input
  // holds a prompt, whose other lines are about the build)
  const own = prompts.filter((p) => p.file === rel && inCell(p.cell));
  return own.length === 1 && own[0].source === 'prompt-file' && !CI_KINDS.has(own[0].kind) ? own : [];
}

const CI_KINDS = new Set(['workflow-action', 'action-input']);

/** Where a prompt is in `rel` (and `cell`): its call, the parts written there, the agent it runs. */
function spansIn(p: PromptReport, rel: string, cell?: number): Range[] {
  const inCell = (c: number | undefined) => cell === undefined || c === cell;
  return [
    ...(p.file === rel && inCell(p.cell) ? [p.range] : []),
    ...p.parts.filter((x) => (x.file ?? p.file) === rel && inCell(x.file ? undefined : x.cell)).map((x) => x.range),
    ...(p.agentCall?.file === rel && inCell(p.agentCall.cell) ? [p.agentCall.range] : []),
  ];
}

/** The prompt FILE:LINE names first (promptsAt). */
export function promptAt(prompts: readonly PromptReport[], rel: string, row: number, cell?: number): PromptReport | undefined {
  return promptsAt(prompts, rel, row, cell)[0];
}

/** The number of cells of a notebook file, or undefined when it cannot be read as one. */
function notebookCells(abs: string): number | undefined {
  try {
    const nb = JSON.parse(fs.readFileSync(abs, 'utf8')) as { cells?: unknown };
    return Array.isArray(nb.cells) ? nb.cells.length : undefined;
  } catch {
    return undefined;
  }
}
