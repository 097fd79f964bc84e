// prompt-cost diff --base REF [PATH] [--head REF] [--format table|json|markdown|sarif]
//                  [--max-increase-usd N] [--max-increase-pct P] [--config FILE] [--all] [--no-heuristics]
// Exit codes: 0 within the limits, 1 over a limit, 2 bad usage (an unknown ref included) or a limit that
// cannot be judged (a head prompt file that could not be read).
import * as fs from 'fs';
import * as path from 'path';
import { configError, configProblemLine, formatOption, overrideWarnings, parse, scanCacheDir, terminalWidth, unreadableGateError, unreadableLines, UsageError, type Io } from './main';
import { overridesMayMatch } from '../core/config/resolve';
import type { PromptReport, UnreadableFile } from '../core/model';
import { numberOption } from './numberOptions';
import { readNamedFile } from './inputs';

export async function diffCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, {
    base: { type: 'string' }, head: { type: 'string' }, format: { type: 'string' }, 'max-increase-usd': { type: 'string' },
    'max-increase-pct': { type: 'string' }, config: { type: 'string' }, all: { type: 'boolean' }, 'no-heuristics': { type: 'boolean' }, 'no-cache': { type: 'boolean' },
  });
  const format = formatOption(values.format, ['table', 'json', 'markdown', 'sarif']);
  if (!values.base) throw new UsageError('diff needs --base REF (a branch, tag, commit or HEAD~1)');
  if (positionals.length > 1) throw new UsageError(`diff takes one PATH, got ${positionals.length}`);
  const maxUsd = numberOption(values['max-increase-usd'], 'max-increase-usd');
  const maxPct = numberOption(values['max-increase-pct'], 'max-increase-pct');
  const folder = path.resolve(io.cwd, positionals[0] ?? '.');
  if (!fs.existsSync(folder) || !fs.statSync(folder).isDirectory()) throw new UsageError(`${positionals[0]}: no such folder`);
  const configFile = values.config ? path.resolve(io.cwd, values.config as string) : undefined;
  if (configFile) readNamedFile(io.cwd, values.config as string, { what: '--config ', maxBytes: Number.MAX_SAFE_INTEGER }); // a folder, a pipe, unreadable: exit 2
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { diffConfigs, diffCost, judgeDiff, resolveDiff } = require('../core/diff') as typeof import('../core/diff');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { GitError } = require('../core/diff/git') as typeof import('../core/diff/git');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const f = require('../core/report/diff') as typeof import('../core/report/diff');
  let d;
  let warnings: string[] = [];
  try {
    // Each side's config: the work tree's (or --head's) must be usable, as for scan; a base whose config
    // cannot be used is priced without it, and said so (a pull request may be the one that fixes it).
    const resolved = resolveDiff({ path: folder, base: values.base as string, head: values.head as string | undefined });
    const configs = diffConfigs({ path: folder, base: values.base as string, head: values.head as string | undefined, configFile, resolved });
    const headFatal = configs.head.problems.filter((p) => p.fatal);
    if (headFatal.length) throw configError(headFatal, values.head ? `the config at ${values.head}` : 'the config');
    for (const p of configs.head.problems) io.stderr(configProblemLine(p));
    const baseFatal = configs.base.problems.filter((p) => p.fatal);
    if (baseFatal.length && !configFile) io.stderr(`warning: the base's config (${values.base}) cannot be used, so the base is priced without it:\n${baseFatal.map((p) => `  ${p.message}`).join('\n')}\n`);
    // The head's overrides are checked as scan checks them (a file moved away from its path override).
    const headConfig = configs.head;
    const headPrompts = headConfig.overrides.length ? { wanted: (file: string, annotated: boolean) => overridesMayMatch(headConfig, file, annotated), take: (p: PromptReport[], unreadable: UnreadableFile[]) => void (warnings = overrideWarnings(headConfig, p, unreadable)) } : undefined;
    d = await diffCost({ path: folder, base: values.base as string, head: values.head as string | undefined, configFile, resolved, headPrompts, heuristics: !values['no-heuristics'], all: !!values.all, scan: { cacheDir: values['no-cache'] ? undefined : scanCacheDir() } });
  } catch (e) {
    if (e instanceof GitError) throw new UsageError(e.message);
    throw e;
  }
  // The gate's result goes into every format (a verdict line; `verdict` in JSON and SARIF), and over a
  // limit the reasons to stderr too.
  d.verdict = judgeDiff(d, { maxIncreaseUsd: maxUsd, maxIncreasePct: maxPct });
  const out = format === 'json' ? JSON.stringify(d, null, 2) + '\n' : format === 'markdown' ? f.formatDiffMarkdown(d) : format === 'sarif' ? f.formatDiffSarif(d) : f.formatDiffTable(d, terminalWidth(io));
  io.stdout(out);
  for (const w of warnings) io.stderr(`warning: ${w}\n`);
  const base = d.base.unreadable ?? [];
  if (base.length) io.stderr(`warning: the base (${values.base}) has ${base.length} prompt file${base.length === 1 ? '' : 's'} that could not be read, so ${base.length === 1 ? 'its' : 'their'} prompts are new in the head:\n${unreadableLines(base)}`);
  // A head prompt file that could not be read: a limit given cannot be judged (exit 2), as scan's budget.
  const head = d.head.unreadable ?? [];
  if (d.verdict.unreadable?.length) {
    io.stderr(unreadableGateError(d.verdict.unreadable, 'the increase limit'));
    return 2;
  }
  // A changed prompt with no price: the delta leaves it out, so a limit given cannot be judged (exit 2).
  const unpriced = d.verdict.unpriced ?? [];
  if (unpriced.length && (d.verdict.limits.maxIncreaseUsd !== undefined || d.verdict.limits.maxIncreasePct !== undefined)) {
    const { didYouMean } = require('../core/models/suggest') as typeof import('../core/models/suggest');
    const lines = unpriced.slice(0, 5).map((u) => `  ${u.file}:${u.line}: ${u.model}${didYouMean(u.model)}\n`).join('') + (unpriced.length > 5 ? `  … and ${unpriced.length - 5} more\n` : '');
    io.stderr(`prompt-cost: the increase limit cannot be judged: ${unpriced.length} changed prompt${unpriced.length === 1 ? ' is' : 's are'} unpriced, so the delta leaves ${unpriced.length === 1 ? 'its' : 'their'} cost out:\n${lines}Fix the model name, or price it under prices: in .promptcost.yaml (a model newer than the price data: \`prompt-cost prices --update\`).\n`);
    return 2;
  }
  if (head.length) io.stderr(`warning: ${head.length} prompt file${head.length === 1 ? '' : 's'} could not be read, so ${head.length === 1 ? 'its' : 'their'} prompts are not counted in the head:\n${unreadableLines(head)}`);
  for (const o of d.verdict.over) io.stderr(`prompt-cost: ${o}\n`);
  return d.verdict.within ? 0 : 1;
}
