// Walk a folder → ScanReport. Respects .gitignore (nested too), default and configured excludes; skips
// huge, binary and non-UTF-8 files with a reason; never lets one bad file stop the scan.
import * as fs from 'fs';
import * as path from 'path';
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';
import { Engine, type AnalyzeOptions } from './analyze';
import { CONFIG_FILE_NAME, parseConfig } from './config/load';
import { emptyConfig, type PromptCostConfig, type SourcedTraffic } from './config/types';
import { mayBePromptFile } from './detect/files';
import type { Diagnostic, PromptReport, ScanReport, Severity } from './model';
import { PRICE_DATA } from './prices';
import { toPosix } from './text';
import { TOOL_VERSION } from './version';

export { TOOL_VERSION } from './version';

export const MAX_FILE_BYTES = 1024 * 1024;
export const DEFAULT_EXCLUDED_DIRS = ['node_modules', '.git', 'dist', 'build', 'out', '.venv', 'venv', '__pycache__'];

export interface ScanOptions {
  /** The folder ids and paths are relative to; its .promptcost.yaml is the config unless configFile is given. */
  root: string;
  /** Files or folders to scan (default: the root). */
  paths?: string[];
  configFile?: string;
  settings?: SourcedTraffic;
  exclude?: string[];
  severities?: Record<string, Severity>;
  maxMonthlyUsd?: number;
  engine?: Engine;
  onProgress?: (done: number, total: number) => void;
}

export type FileCheck = { ok: true; text: string } | { ok: false; reason: string };

/** Reads a file as UTF-8 text, or says why it is not scanned. */
export function readTextFile(absPath: string, maxBytes = MAX_FILE_BYTES): FileCheck {
  let size: number;
  try {
    size = fs.statSync(absPath).size;
  } catch (e) {
    return { ok: false, reason: `unreadable: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
  }
  if (size > maxBytes) return { ok: false, reason: `larger than ${Math.round(maxBytes / 1024)} KB (${Math.round(size / 1024)} KB)` };
  const buf = fs.readFileSync(absPath);
  if (buf.subarray(0, 8000).includes(0)) return { ok: false, reason: 'binary' };
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(buf) };
  } catch {
    return { ok: false, reason: 'not UTF-8 text' };
  }
}

export function loadConfig(root: string, configFile?: string): PromptCostConfig {
  const abs = configFile ? path.resolve(configFile) : path.join(root, CONFIG_FILE_NAME);
  if (!fs.existsSync(abs)) {
    if (configFile) {
      const c = emptyConfig();
      c.problems.push({ file: configFile, field: '(file)', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, message: `${configFile}: config file not found` });
      return c;
    }
    return emptyConfig();
  }
  const rel = toPosix(path.relative(root, abs)) || CONFIG_FILE_NAME;
  const read = readTextFile(abs);
  if (!read.ok) {
    const c = emptyConfig();
    c.problems.push({ file: rel, field: '(file)', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, message: `${rel}: cannot be read (${read.reason})` });
    return c;
  }
  return parseConfig(read.text, rel);
}

interface IgnoreLayer { dir: string; ig: Ignore }

/** Files under `start` that the scan should look at, as absolute paths. */
export function walk(root: string, start: string, exclude: string[], skipped: ScanReport['skipped']): string[] {
  const excluded = exclude.length ? picomatch(exclude, { dot: true }) : () => false;
  const out: string[] = [];
  const visit = (dir: string, layers: IgnoreLayer[]) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      skipped.push({ file: toPosix(path.relative(root, dir)) || '.', reason: `unreadable folder: ${(e as NodeJS.ErrnoException).code}` });
      return;
    }
    const gitignore = entries.find((e) => e.isFile() && e.name === '.gitignore');
    if (gitignore) {
      try {
        layers = [...layers, { dir, ig: ignore().add(fs.readFileSync(path.join(dir, '.gitignore'), 'utf8')) }];
      } catch { /* an unreadable .gitignore ignores nothing */ }
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const abs = path.join(dir, e.name);
      const rel = toPosix(path.relative(root, abs));
      const isDir = e.isDirectory();
      if (isDir && DEFAULT_EXCLUDED_DIRS.includes(e.name)) continue;
      if (excluded(rel) || (isDir && excluded(`${rel}/`))) continue;
      if (layers.some((l) => l.ig.ignores(toPosix(path.relative(l.dir, abs)) + (isDir ? '/' : '')))) continue;
      if (isDir) visit(abs, layers);
      else if (e.isFile()) out.push(abs);
    }
  };
  const st = fs.statSync(start);
  if (st.isDirectory()) visit(start, []);
  else out.push(start);
  return out;
}

export function summarize(root: string, prompts: PromptReport[], diagnostics: Diagnostic[], skipped: ScanReport['skipped'], config: PromptCostConfig, maxMonthlyUsd?: number): ScanReport {
  let perDayUsd = 0;
  let monthlyUsd = 0;
  let unpriced = 0;
  for (const p of prompts) {
    if (p.cost.priced) {
      perDayUsd += p.cost.perDayUsd ?? 0;
      monthlyUsd += p.cost.monthlyUsd ?? 0;
    } else unpriced++;
  }
  const budgetSource = maxMonthlyUsd !== undefined ? { monthlyUsd: maxMonthlyUsd, from: '--max-monthly' } : config.budget;
  return {
    tool: 'prompt-cost', version: TOOL_VERSION, root: toPosix(root), prices: { ...PRICE_DATA },
    totals: { prompts: prompts.length, perDayUsd, monthlyUsd, unpriced },
    ...(budgetSource ? { budget: { ...budgetSource, exceeded: monthlyUsd > budgetSource.monthlyUsd } } : {}),
    prompts, diagnostics, skipped,
  };
}

export function scanWorkspace(options: ScanOptions): ScanReport {
  const root = path.resolve(options.root);
  const engine = options.engine ?? new Engine();
  const config = loadConfig(root, options.configFile);
  const diagnostics: Diagnostic[] = config.problems.map((p) => ({ code: 'invalid-config', severity: options.severities?.['invalid-config'] ?? 'error', message: p.message, range: p.range, file: p.file }));
  const skipped: ScanReport['skipped'] = [];
  const exclude = [...config.exclude, ...(options.exclude ?? [])];
  const starts = (options.paths?.length ? options.paths : [root]).map((p) => path.resolve(root, p));
  const files = [...new Set(starts.flatMap((s) => walk(root, s, exclude, skipped)))].filter((f) => mayBePromptFile(toPosix(f)));

  const prompts: PromptReport[] = [];
  files.forEach((abs, i) => {
    options.onProgress?.(i, files.length);
    const rel = toPosix(path.relative(root, abs));
    const read = readTextFile(abs);
    if (!read.ok) return void skipped.push({ file: rel, reason: read.reason });
    const analyzeOptions: AnalyzeOptions = {
      config, settings: options.settings, severities: options.severities,
      readRelative: (p) => {
        const target = path.resolve(path.dirname(abs), p);
        if (!target.startsWith(root + path.sep)) return undefined; // never read outside the workspace
        const r = readTextFile(target);
        return r.ok ? r.text : undefined;
      },
    };
    const result = engine.analyzeFile(rel, read.text, analyzeOptions);
    prompts.push(...result.prompts);
    diagnostics.push(...result.diagnostics);
  });
  options.onProgress?.(files.length, files.length);
  return summarize(root, prompts, diagnostics, skipped, config, options.maxMonthlyUsd);
}
