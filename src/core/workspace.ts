// Walk a folder → ScanReport. Respects .gitignore (nested too), default and configured excludes; skips
// huge, binary and non-UTF-8 files with a reason; never lets one bad file stop the scan.
import * as fs from 'fs';
import * as path from 'path';
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';
import * as os from 'os';
import { Worker } from 'worker_threads';
import { Engine, type Detection } from './analyze';
import { CodeProject, ensureLanguages, langForFile, mayContainPrompts, type Lang } from './detect/code';
import { CONFIG_FILE_NAME, parseConfig } from './config/load';
import { emptyConfig, type PromptCostConfig, type SourcedTraffic } from './config/types';
import { isPromptTextCandidate, mayBePromptFile } from './detect/files';
import { findSharedPrefixes, stablePrefixText } from './cache/shared';
import { groupDigits } from './format';
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
  /** Report prompt-named constants that no call uses (default true). */
  heuristics?: boolean;
  engine?: Engine;
  onProgress?: (done: number, total: number) => void;
  /** Worker threads for analysis: default one per core (up to 4) for large scans, 0 to stay in-process. */
  workers?: number;
  /** Stops the scan early (what was read so far is returned). */
  signal?: AbortSignal;
}

export type FileCheck = { ok: true; text: string } | { ok: false; reason: string };

/** Reads a file as UTF-8 text, or says why it is not scanned. */
export function readTextFile(absPath: string, maxBytes = MAX_FILE_BYTES): FileCheck {
  let buf: Buffer;
  let fd: number | undefined;
  try {
    fd = fs.openSync(absPath, 'r');
    const size = fs.fstatSync(fd).size;
    if (size > maxBytes) return { ok: false, reason: `larger than ${Math.round(maxBytes / 1024)} KB (${Math.round(size / 1024)} KB)` };
    buf = Buffer.allocUnsafe(size);
    let at = 0;
    while (at < size) {
      const n = fs.readSync(fd, buf, at, size - at, at);
      if (n === 0) break;
      at += n;
    }
    buf = buf.subarray(0, at);
  } catch (e) {
    return { ok: false, reason: `unreadable: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
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

/** Files worth opening at all: prompt files, code, notebooks. */
export function isCandidate(rel: string): boolean {
  return mayBePromptFile(rel) || langForFile(rel) !== undefined;
}

/** Minified or generated JS: one huge line, or a .min. name. */
export function looksMinified(rel: string, text: string): boolean {
  if (/\.min\.(js|mjs|cjs)$/.test(rel)) return true;
  if (!/\.(js|mjs|cjs|jsx)$/.test(rel) || text.length < 2000) return false;
  const lines = text.split('\n', 50);
  const longest = Math.max(...lines.map((l) => l.length));
  return longest > 2000 && text.length / (text.split('\n').length || 1) > 300;
}

/** Reads a workspace-relative path, refusing anything outside the root. */
export function workspaceReader(root: string): (rel: string) => string | undefined {
  return (rel) => {
    const abs = path.resolve(root, rel);
    if (!abs.startsWith(root + path.sep)) return undefined;
    const r = readTextFile(abs);
    return r.ok ? r.text : undefined;
  };
}

export interface DetectBatchOptions {
  root: string;
  heuristics?: boolean;
  /** File names (prompt-text candidates) to look for in the code read: the batch says which it saw. */
  lookFor?: string[];
}

/**
 * Reads and detects files (root-relative) in this thread: the part of a scan that scales with the tree,
 * run by each scan worker. Returns only the files that hold something, and the files skipped.
 */
export async function detectBatch(files: string[], options: DetectBatchOptions, engine = new Engine(), onFileDone?: () => void, signal?: AbortSignal): Promise<{ detections: Detection[]; skipped: ScanReport['skipped']; seen?: string[] }> {
  const root = options.root;
  const langs = new Set<Lang>();
  for (const f of files) {
    const l = langForFile(f);
    if (l) langs.add(l);
  }
  if (langs.size) await ensureLanguages(langs);
  const readWorkspaceFile = workspaceReader(root);
  const project = new CodeProject(readWorkspaceFile);
  const detections: Detection[] = [];
  const skipped: ScanReport['skipped'] = [];
  const lookFor = new Set(options.lookFor ?? []);
  const seen = new Set<string>();
  for (const rel of files) {
    if (signal?.aborted) break;
    const abs = path.join(root, rel);
    const read = readTextFile(abs);
    if (read.ok && lookFor.size && langForFile(rel)) {
      for (const name of lookFor) {
        if (read.text.includes(name)) {
          seen.add(name);
          lookFor.delete(name);
        }
      }
    }
    if (!read.ok) skipped.push({ file: rel, reason: read.reason });
    else if (looksMinified(rel, read.text)) skipped.push({ file: rel, reason: 'minified' });
    else if (langForFile(rel) && !rel.endsWith('.ipynb') && !mayContainPrompts(read.text, options.heuristics !== false)) { /* prefilter: nothing to parse */ }
    else {
      try {
        const d = engine.detectSync(rel, read.text, {
          heuristics: options.heuristics, project, readWorkspaceFile,
          readRelative: (p) => readWorkspaceFile(toPosix(path.relative(root, path.resolve(path.dirname(abs), p)))),
        });
        if (d.detected.length || d.diagnostics.length) detections.push(d);
      } catch (e) {
        // One file's failure is reported, never the end of the scan.
        skipped.push({ file: rel, reason: `analysis failed: ${(e as Error).message}` });
      }
    }
    onFileDone?.();
  }
  project.dispose();
  return { detections, skipped, ...(seen.size ? { seen: [...seen] } : {}) };
}

/** The worker script: the bundle's sibling when bundled, the TypeScript source under tsx in development. */
function workerEntry(): { file: string; execArgv?: string[] } {
  const bundled = path.join(__dirname, 'scanWorker.js');
  if (fs.existsSync(bundled)) return { file: bundled };
  return { file: path.join(__dirname, 'scanWorker.ts'), execArgv: ['--require', 'tsx/cjs'] };
}

function detectInWorkers(files: string[], options: DetectBatchOptions, workers: number, onFileDone: () => void, signal?: AbortSignal) {
  // Dealt round-robin: neighbouring files are alike, so the shares come out about even.
  const shares: string[][] = Array.from({ length: workers }, () => []);
  files.forEach((f, i) => shares[i % workers].push(f));
  const entry = workerEntry();
  return Promise.all(shares.map((share) => new Promise<{ detections: Detection[]; skipped: ScanReport['skipped']; seen?: string[] }>((resolve, reject) => {
    const w = new Worker(entry.file, { execArgv: entry.execArgv, workerData: { files: share, options } });
    signal?.addEventListener('abort', () => {
      void w.terminate();
      resolve({ detections: [], skipped: [] });
    });
    w.on('message', (m: { type: 'done'; files: number } | { type: 'result'; detections: Detection[]; skipped: ScanReport['skipped']; seen?: string[] }) => {
      if (m.type === 'done') for (let i = 0; i < m.files; i++) onFileDone();
      else resolve({ detections: m.detections, skipped: m.skipped, seen: m.seen });
    });
    w.on('error', reject);
    w.on('exit', (code) => code !== 0 && !signal?.aborted && reject(new Error(`scan worker exited with code ${code}`)));
  })));
}

/** Worker threads worth starting for `files` candidates: none for small trees (start-up would dominate). */
function defaultWorkers(files: number): number {
  if (files < 400) return 0;
  const cores = os.availableParallelism?.() ?? os.cpus().length;
  // The main thread mostly waits (it loads the tokenizer and prices meanwhile): one worker per core.
  return Math.max(1, Math.min(4, cores));
}

/** A scanned workspace before pricing: what each file holds. Re-priced cheaply when settings change. */
export interface WorkspaceDetections {
  root: string;
  config: PromptCostConfig;
  /** Candidate files in walk order (root-relative). */
  files: string[];
  detections: Map<string, Detection>;
  skipped: ScanReport['skipped'];
}

export async function detectWorkspace(options: ScanOptions): Promise<WorkspaceDetections> {
  const root = path.resolve(options.root);
  const config = loadConfig(root, options.configFile);
  const skipped: ScanReport['skipped'] = [];
  const exclude = [...config.exclude, ...(options.exclude ?? [])];
  const starts = (options.paths?.length ? options.paths : [root]).map((p) => path.resolve(root, p));
  const walked = [...new Set(starts.flatMap((s) => walk(root, s, exclude, skipped)))].map((abs) => toPosix(path.relative(root, abs)));
  const files = walked.filter(isCandidate);
  // Text files under prompt-named paths are prompts when code names them (loaded at run time).
  const textCandidates = walked.filter(isPromptTextCandidate);
  const lookFor = [...new Set(textCandidates.map((f) => f.slice(f.lastIndexOf('/') + 1)))];

  let done = 0;
  const tick = () => options.onProgress?.(++done, files.length);
  options.onProgress?.(0, files.length);
  const engine = options.engine ?? new Engine();
  const batch: DetectBatchOptions = { root, heuristics: options.heuristics, ...(lookFor.length ? { lookFor } : {}) };
  const workers = options.workers ?? defaultWorkers(files.length);
  let results: { detections: Detection[]; skipped: ScanReport['skipped']; seen?: string[] }[];
  if (workers > 0) {
    const pending = detectInWorkers(files, batch, workers, tick, options.signal);
    engine.warmUp(); // while the workers read and parse
    results = await pending;
  } else results = [await detectBatch(files, batch, engine, tick, options.signal)];

  const detections = new Map<string, Detection>();
  const seen = new Set<string>();
  for (const r of results) {
    for (const d of r.detections) detections.set(d.file, d);
    skipped.push(...r.skipped);
    for (const n of r.seen ?? []) seen.add(n);
  }
  const loaded = textCandidates.filter((f) => !detections.has(f) && seen.has(f.slice(f.lastIndexOf('/') + 1)));
  for (const rel of loaded) {
    const read = readTextFile(path.join(root, rel));
    if (!read.ok) continue;
    const d = engine.detectSync(rel, read.text, { promptText: true });
    if (d.detected.length) detections.set(rel, d);
  }
  if (loaded.length) {
    const order = new Map(walked.map((f, i) => [f, i] as const));
    files.push(...loaded.filter((f) => !files.includes(f)));
    files.sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
  }
  skipped.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { root, config, files, detections, skipped };
}

/** Prices every detection (in walk order) and sums the workspace. */
export function priceWorkspace(ws: WorkspaceDetections, engine: Engine, options: Pick<ScanOptions, 'settings' | 'severities' | 'maxMonthlyUsd'> & { config?: PromptCostConfig } = {}): ScanReport {
  const config = options.config ?? ws.config;
  const diagnostics: Diagnostic[] = config.problems.map((p) => ({ code: 'invalid-config', severity: options.severities?.['invalid-config'] ?? 'error', message: p.message, range: p.range, file: p.file }));
  const prompts: PromptReport[] = [];
  const prefixes: { report: PromptReport; prefix: string }[] = [];
  const priceOptions = { config, settings: options.settings, severities: options.severities };
  for (const f of ws.files) {
    const d = ws.detections.get(f);
    if (!d) continue;
    const a = engine.price(d, priceOptions);
    prompts.push(...a.prompts);
    diagnostics.push(...a.diagnostics);
    a.prompts.forEach((p, i) => d.detected[i] && prefixes.push({ report: p, prefix: stablePrefixText(d.detected[i]) }));
  }
  const report = summarize(ws.root, prompts, diagnostics, ws.skipped, config, options.maxMonthlyUsd);
  const shared = findSharedPrefixes(prefixes, (text, p) => engine.counter.count(text, p.model.id).tokens);
  if (shared.length) {
    report.sharedPrefixes = shared;
    const severity = options.severities?.['shared-prefix'] ?? 'information';
    for (const g of shared) {
      for (const id of g.prompts) {
        const p = prompts.find((x) => x.id === id);
        const others = g.prompts.filter((x) => x !== id);
        p?.diagnostics.push({ code: 'shared-prefix', severity, range: { start: p.range.start, end: p.range.start }, message: `Starts with the same ${groupDigits(g.tokens)}-token static text as ${others.join(', ')}: keep it byte-identical (one constant) so one cache entry serves all of them.` });
      }
    }
  }
  return report;
}

export async function scanWorkspace(options: ScanOptions): Promise<ScanReport> {
  const engine = options.engine ?? new Engine();
  const ws = await detectWorkspace({ ...options, engine });
  return priceWorkspace(ws, engine, options);
}
