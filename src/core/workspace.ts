// Walk a folder → ScanReport. Respects .gitignore (nested too), default and configured excludes; skips
// huge, binary and non-UTF-8 files with a reason; never lets one bad file stop the scan.
import * as fs from 'fs';
import * as path from 'path';
import picomatch from 'picomatch';
import * as os from 'os';
import { annotationsTakenElsewhere, Engine, withoutTakenAnnotationWarnings, type Detection } from './analyze';
import { currentBuild, DetectionCache, type ReadDigests } from './detectionCache';
import { CodeProject, ensureLanguages, langForFile, mayContainPrompts, type Lang } from './detect/code';
import { CONFIG_FILE_NAME, parseConfig } from './config/load';
import { emptyConfig, type PromptCostConfig, type SourcedTraffic } from './config/types';
import { mayBePromptFile } from './detect/files';
import { findSharedPrefixes, stablePrefixText } from './cache/shared';
import { groupDigits } from './format';
import type { BudgetVerdict, DetectedPrompt, Diagnostic, PromptReport, ScanReport, Severity, UnreadableFile } from './model';
import { keepPriceLookups, LOCAL_MODEL_REASON, priceDataInfo, savePriceLookups } from './prices';
import { similarModels } from './models/suggest';
import { budgetVerdictText } from './report/budget';
import { toPosix } from './text';
import { KeptCounts } from './tokens';
import { TOOL_VERSION } from './version';
import { detectInWorkers, FILE_BUDGET_MS } from './scanPool';
import { addLoadedTextPrompts, type TextPromptRecord } from './textPrompts';
import { gitignoreLayer, isIgnored, type IgnoreLayer } from './gitignore';
import { addTemplateVars } from './templateVars';
import { guardedReader, isInside, readTextFile, realRoot, refusalDiagnostics, type Refusal } from './fileAccess';
import { isBudgetExceeded, type FileBudgets } from './budgets';
import { viewOf, type ViewIndex } from './diff/view';
import { CANDIDATES_KEY, candidateFlags, fileInputKey, guardedInputKey, readRecorded, recordingGuard, reportJson, ScanManifest, storable, textDigest, walkTag, type PricedMemo, type ReportSummary, type ScanInputs, type WalkRecord, type WalkSkip } from './scanManifest';

export { TOOL_VERSION } from './version';

export { MAX_FILE_BYTES, readTextFile, type FileCheck } from './fileAccess';
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
  /** At least this many workers (the language server: 1, so the scan never runs on its main thread). */
  minWorkers?: number;
  /** In workers: a file whose analysis runs longer than this (ms) is stopped and skipped with a reason. */
  fileBudgetMs?: number;
  /** In-process: yield to the event loop at least this often (ms). */
  yieldEveryMs?: number;
  /**
   * A folder for stored detections (detectionCache.ts): an unchanged file — same text, same build, same
   * heuristics, and every file its detection read unchanged — is not parsed again, and is priced with
   * the token counts stored with it. Undefined: no cache.
   */
  cacheDir?: string;
  /**
   * With cacheDir: keep the priced report of the whole scan, so that a rescan of the unchanged tree
   * (same epoch, same files, same contents) is answered from it (scanManifest.ts). Default true; off
   * for throw-away roots (the cost diff's checkouts of a ref).
   */
  storeReport?: boolean;
  /**
   * How long (ms) a file must have been unchanged before it was read for its stat to stand for its
   * content in the stored report (scanManifest.ts RACY_MS). Tests set 0; nothing else should.
   */
  cacheRacyMs?: number;
  /** Keep what a cost diff derives another side with (SideState): the head side of a diff. */
  sideState?: boolean;
  /**
   * Priced results to reuse when this scan keeps no stored report of its own (storeReport false): the
   * cost diff's base side passes the work tree's (pricedMemoFor), when both sides price with the same
   * config and options, so files the two sides share are not priced again.
   */
  pricedMemo?: PricedMemo;
}

export function loadConfig(root: string, configFile?: string): PromptCostConfig {
  const abs = configFile ? path.resolve(configFile) : path.join(root, CONFIG_FILE_NAME);
  if (!fs.existsSync(abs)) {
    if (configFile) {
      const c = emptyConfig();
      c.problems.push({ file: configFile, field: '(file)', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, message: `${configFile}: config file not found`, fatal: true });
      return c;
    }
    return emptyConfig();
  }
  // named relative to the scanned folder when inside it; a config elsewhere (`--config ../shared.yaml`,
  // an absolute path) by the path it was given, not `../../../etc/x:1`
  const inside = toPosix(path.relative(root, abs));
  const rel = !inside ? CONFIG_FILE_NAME : inside.startsWith('../') || path.isAbsolute(inside) ? toPosix(configFile ?? abs) : inside;
  const read = readTextFile(abs);
  if (!read.ok) {
    const c = emptyConfig();
    c.problems.push({ file: rel, field: '(file)', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, message: `${rel}: cannot be read (${read.reason})`, fatal: true });
    return c;
  }
  return parseConfig(read.text, rel);
}


/** Files under `start` that the scan should look at, as absolute paths. */
export function walk(root: string, start: string, exclude: string[], skipped: ScanReport['skipped']): string[] {
  return walkRelative(root, start, exclude, skipped).map((rel) => path.join(root, rel));
}

/**
 * Files under `start` that the scan should look at, relative to the root (POSIX separators). Paths are
 * built by joining names, not by path.relative per entry: a monorepo has tens of thousands of them.
 */
export function walkRelative(root: string, start: string, exclude: string[], skipped: ScanReport['skipped'], record?: WalkRecord): string[] {
  const excluded = exclude.length ? picomatch(exclude, { dot: true }) : () => false;
  const out: string[] = [];
  const join = (a: string, b: string) => (a ? `${a}/${b}` : b);
  // What a later walk may check instead of walking (scanManifest.ts): each folder's stat before it is
  // listed, each .gitignore's before it is read. A stat that cannot be taken spoils the record.
  const note = (key: string, abs: string, follow = false) => {
    if (!record) return;
    const tag = walkTag(abs, follow);
    if (tag === undefined) record.set('!', '');
    else record.set(key + abs, tag);
  };
  const noteSkipped = (abs: string, rel: string, why: string) => {
    if (!record) return;
    const tag = walkTag(abs);
    if (tag === undefined) record.set('!', '');
    else record.set('k\0' + abs, `${tag}\0${rel}\0${why}`);
  };
  const visit = (dir: string, dirRel: string, layers: IgnoreLayer[], isStart = false) => {
    note(isStart ? 's\0' : 'd\0', dir, isStart);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      skipped.push({ file: dirRel || '.', reason: `unreadable folder: ${(e as NodeJS.ErrnoException).code}` });
      record?.set('!', ''); // the next scan walks again
      return;
    }
    const gitignore = entries.find((e) => e.isFile() && e.name === '.gitignore');
    if (gitignore) {
      note('g\0', path.join(dir, '.gitignore'));
      try {
        layers = [...layers, gitignoreLayer(dirRel, fs.readFileSync(path.join(dir, '.gitignore'), 'utf8'))];
      } catch { /* an unreadable .gitignore ignores nothing */ }
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const rel = join(dirRel, e.name);
      const isDir = e.isDirectory();
      if (isDir && DEFAULT_EXCLUDED_DIRS.includes(e.name)) continue;
      if (excluded(rel) || (isDir && excluded(`${rel}/`))) continue;
      if (isIgnored(layers, rel, isDir)) continue;
      if (isDir) visit(path.join(dir, e.name), rel, layers);
      else if (e.isFile()) out.push(rel);
      else {
        // Not followed or opened (a link out, a pipe …), but said: listed with why, as a file too big is.
        const why = notWalked(path.join(dir, e.name), e, (rootReal ??= realRoot(root)));
        if (why) {
          skipped.push({ file: rel, reason: why });
          // kept with the walk's evidence: the entry's own stat (a link made again is another inode)
          noteSkipped(path.join(dir, e.name), rel, why);
        }
      }
    }
  };
  let rootReal: string | undefined;
  const st = fs.statSync(start);
  const startRel = toPosix(path.relative(root, start));
  if (st.isDirectory()) visit(start, startRel, [], true);
  else {
    note('s\0', start, true);
    out.push(startRel);
  }
  return out;
}

/**
 * What walkRelative finds from the root of a tree that has the regular files `files` (root-relative,
 * POSIX) and nothing else — a commit's files as a checkout of them would hold them — without the tree on
 * disk: the same order, the same excludes and .gitignore layers (`gitignore`: the text of a listed
 * .gitignore by its path).
 */
export function walkListing(files: readonly string[], gitignore: (rel: string) => string | undefined, exclude: string[]): string[] {
  const excluded = exclude.length ? picomatch(exclude, { dot: true }) : () => false;
  const dirs = new Map<string, { names: Map<string, boolean> }>();
  const dirOf = (rel: string) => {
    let d = dirs.get(rel);
    if (!d) dirs.set(rel, (d = { names: new Map() }));
    return d;
  };
  dirOf('');
  for (const f of files) {
    let parent = '';
    const segs = f.split('/');
    segs.forEach((seg, i) => {
      const last = i === segs.length - 1;
      dirOf(parent).names.set(seg, !last);
      parent = parent ? `${parent}/${seg}` : seg;
      if (!last) dirOf(parent);
    });
  }
  const out: string[] = [];
  const join = (a: string, b: string) => (a ? `${a}/${b}` : b);
  const visit = (dirRel: string, layers: IgnoreLayer[]) => {
    const names = dirs.get(dirRel)!.names;
    if (names.get('.gitignore') === false) {
      const text = gitignore(join(dirRel, '.gitignore'));
      if (text !== undefined) layers = [...layers, gitignoreLayer(dirRel, text)];
    }
    const sorted = [...names.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const name of sorted) {
      const rel = join(dirRel, name);
      const isDir = names.get(name)!;
      if (isDir && DEFAULT_EXCLUDED_DIRS.includes(name)) continue;
      if (excluded(rel) || (isDir && excluded(`${rel}/`))) continue;
      if (isIgnored(layers, rel, isDir)) continue;
      if (isDir) visit(rel, layers);
      else out.push(rel);
    }
  };
  visit('', []);
  return out;
}

/**
 * Whether walkRelative from the root would find `rel` were it a regular file there (walkListing's rules
 * for one path: no folder on its way left out, by name, excludes or .gitignore layers — `gitignore`: the
 * text of a folder's .gitignore by its path, undefined when it has none).
 */
export function walkFinds(gitignore: (rel: string) => string | undefined, exclude: string[]): (rel: string) => boolean {
  const excluded = exclude.length ? picomatch(exclude, { dot: true }) : () => false;
  const layersAt = new Map<string, IgnoreLayer[] | null>();
  const layersOf = (dirRel: string): IgnoreLayer[] | null => {
    let l = layersAt.get(dirRel);
    if (l !== undefined) return l;
    if (dirRel) {
      const slash = dirRel.lastIndexOf('/');
      const parent = slash < 0 ? '' : dirRel.slice(0, slash);
      const up = layersOf(parent);
      const name = dirRel.slice(slash + 1);
      // the folder itself is left out, as the walk leaves it out from its parent
      l = !up || DEFAULT_EXCLUDED_DIRS.includes(name) || excluded(dirRel) || excluded(`${dirRel}/`) || isIgnored(up, dirRel, true) ? null : up;
    } else l = [];
    if (l) {
      const text = gitignore(dirRel ? `${dirRel}/.gitignore` : '.gitignore');
      if (text !== undefined) l = [...l, gitignoreLayer(dirRel, text)];
    }
    layersAt.set(dirRel, l);
    return l;
  };
  return (rel) => {
    const slash = rel.lastIndexOf('/');
    const layers = layersOf(slash < 0 ? '' : rel.slice(0, slash));
    return !!layers && !excluded(rel) && !isIgnored(layers, rel, false);
  };
}

/** The walk's order of two root-relative paths: by name at the first folder level where they differ. */
export function walkOrder(a: string, b: string): number {
  const x = a.split('/'), y = b.split('/');
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
  return x.length - y.length;
}

/**
 * Why the walk leaves out an entry that is not a regular file: a named pipe, socket or device (never
 * opened: reading a pipe blocks), a link to nothing, or a link out of the workspace (not followed:
 * its target is not the project's). Undefined for a link to a file or folder inside it (the target
 * is walked where it is) and for a folder.
 */
function notWalked(abs: string, entry: fs.Dirent, rootReal: string): string | undefined {
  if (entry.isFIFO()) return 'a named pipe, not a regular file: not read';
  if (entry.isSocket()) return 'a socket, not a regular file: not read';
  if (entry.isCharacterDevice() || entry.isBlockDevice()) return 'a device, not a regular file: not read';
  if (!entry.isSymbolicLink()) return undefined;
  let real: string;
  try {
    real = fs.realpathSync(abs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? 'a symbolic link to nothing: not read' : `a symbolic link that cannot be resolved (${code}): not read`;
  }
  if (isInside(real, [rootReal])) return undefined;
  return `a symbolic link out of the workspace (it resolves to ${real}): not followed`;
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
  // A total that is not a finite number can never be within a budget: it is an error, said as such.
  const finite = Number.isFinite(perDayUsd) && Number.isFinite(monthlyUsd);
  if (!finite) {
    const worst = prompts.filter((p) => p.cost.priced && !Number.isFinite(p.cost.monthlyUsd ?? 0)).map((p) => p.id).slice(0, 5);
    diagnostics = [...diagnostics, {
      code: 'invalid-number', severity: 'error', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      message: `the projected total is not a finite number (${monthlyUsd} USD/month)${worst.length ? `: from ${worst.join(', ')}` : ''}; check the traffic and prices these prompts use`,
    }];
  }
  const unreadable = unreadableFiles(diagnostics);
  return {
    tool: 'prompt-cost', version: TOOL_VERSION, root: toPosix(root), prices: priceDataInfo(),
    totals: { prompts: prompts.length, perDayUsd, monthlyUsd, unpriced },
    ...(budgetSource ? { budget: budgetVerdict(budgetSource, !finite || monthlyUsd > budgetSource.monthlyUsd, prompts, config, unreadable.length) } : {}),
    prompts, diagnostics, skipped,
    ...(unreadable.length ? { unreadable } : {}),
  };
}

/**
 * The prompt files a scan could not read, from its `prompt-file-error` errors (first per file). A file
 * sniffed by its content (any YAML that may hold prompts) gets a warning instead and is not listed: it
 * may be no prompt file at all.
 */
export function unreadableFiles(diagnostics: readonly Diagnostic[]): UnreadableFile[] {
  const out = new Map<string, UnreadableFile>();
  for (const d of diagnostics) {
    if (d.code !== 'prompt-file-error' || d.severity !== 'error' || !d.file || out.has(d.file)) continue;
    const line = d.range.start.line + 1;
    // The message starts with its own place (`chat.prompty:3: …`, `chat.prompty: …`): kept once, in file and line.
    const place = [`${d.file}:${line}: `, `${d.file}: `].find((x) => d.message.startsWith(x));
    const message = place ? d.message.slice(place.length) : d.message;
    out.set(d.file, { file: d.file, line, message });
  }
  return [...out.values()];
}

/**
 * The gate's verdict: a prompt left out of the total because its model looks like a typo of a priced
 * one (the unpriced-model warning's did-you-mean) fails the gate — a total that silently lacks it would
 * pass a budget it may not be within. A model with no near match (self-hosted, unknown, local) stays
 * a warning, said in the verdict.
 */
function budgetVerdict(source: { monthlyUsd: number; from: string }, exceeded: boolean, prompts: PromptReport[], config: PromptCostConfig, unreadable: number): BudgetVerdict {
  const unpriced = prompts.filter((p) => !p.cost.priced);
  const custom = Object.keys(config.prices ?? {});
  const typos = unpriced.flatMap((p) => {
    if (p.cost.unpricedReason === LOCAL_MODEL_REASON || !p.model.id) return [];
    const nearest = similarModels(p.model.id, custom);
    // A name written elsewhere (an override in .promptcost.yaml) is fixed there: the verdict says where.
    const elsewhere = /:\d+$/.test(p.model.from ?? '') && !p.model.from!.startsWith(`${p.file}:`) && !/^(annotation|literal|constant)/.test(p.model.from!);
    return nearest.length ? [{ id: p.id, model: p.model.id, nearest, ...(elsewhere ? { modelFrom: p.model.from } : {}) }] : [];
  });
  const facts = { monthlyUsd: source.monthlyUsd, from: source.from, exceeded, unpriced: unpriced.length, ...(typos.length ? { unpricedTypos: typos } : {}), ...(unreadable ? { unreadable } : {}) };
  return { ...facts, verdict: budgetVerdictText(facts) };
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

/**
 * The readers a file's detection gets in a scan: workspace files by root-relative path (imports) and
 * files relative to this one (promptfoo `file://`, config.json beside a skprompt.txt, a flow's templates).
 */
export function fileReaders(root: string, rel: string, readWorkspaceFile: (rel: string) => string | undefined): { readWorkspaceFile: (rel: string) => string | undefined; readRelative: (p: string) => string | undefined } {
  const dir = path.dirname(path.join(root, rel));
  return { readWorkspaceFile, readRelative: (p: string) => readWorkspaceFile(toPosix(path.relative(root, path.resolve(dir, p)))) };
}

/** Reads a workspace-relative path: regular files whose real path is inside the root only (see fileAccess). */
export function workspaceReader(root: string, onRefuse?: (r: Refusal) => void): (rel: string) => string | undefined {
  return guardedReader(root, onRefuse);
}

export interface DetectBatchOptions {
  root: string;
  heuristics?: boolean;
  /** The engine's per-file budgets (budgets.ts), for the engine each worker makes. */
  budgets?: Partial<FileBudgets>;
  /** Stored detections: the folder and the build they are keyed by (the main thread's, also in workers). */
  cache?: { dir: string; build: string };
  /** Collect what each file's detection read (BatchHooks.deps), in workers too. */
  deps?: boolean;
}

/**
 * Reads and detects files (root-relative) in this thread: the part of a scan that scales with the tree,
 * run by each scan worker. Returns only the files that hold something, and the files skipped.
 */
/**
 * A detection on its way from detectBatch to pricing, with what the scan cache needs: the token counts
 * stored with it (read from the cache), or what its detection read (made afresh: stored once priced).
 */
export type ScannedDetection = Detection & { storedCounts?: [string, number][]; freshReads?: ReadDigests };

export interface BatchHooks {
  /** Before file `index` of `files` is read (a watchdog's heartbeat). */
  onFileStart?: (index: number) => void;
  /** After each file, with what it gave (a detection only when it holds something). */
  onFileResult?: (result: { detection?: Detection; skipped?: ScanReport['skipped'][number] }) => void;
  /**
   * In-process scans (the language server's): give the event loop a turn at least this often (ms), so
   * requests are answered between files. Unset: never yield (workers, the CLI).
   */
  yieldEveryMs?: number;
  /**
   * Answer from stored detections only: a file that would need parsing (a code file the cache has no
   * entry for, a notebook, a prompt file naming code) goes to `onMiss` instead, unread by any parser;
   * prompt files are detected here (no grammar needed). No grammar is loaded. The caller detects the
   * misses afterwards (in workers); their progress ticks are theirs.
   */
  onMiss?: (rel: string) => void;
  /** Receives what the batch read (scanManifest.ts): each file's digest, and each guarded read's. */
  inputs?: ScanInputs;
  /** Imported files whose trees the batch keeps between files (KEPT_IMPORTS). */
  keptImports?: number;
  /**
   * In-process: the reader of workspace files (root-relative) instead of the guard over the root — a
   * cost diff's side made of two folders (diff/overlay.ts). Refusals go to `onRefuse` as the guard's do.
   */
  readerFor?: (onRefuse: (r: Refusal) => void) => (rel: string) => string | undefined;
  /**
   * Receives, for each file whose detection ran or was read from the cache, the files it read
   * (FileDeps): what a diff's side derived from another side's results checks (diff/overlay.ts).
   */
  deps?: FileDeps;
}

/**
 * What each detected file's detection read, root-relative: `+path` found a file, `-path` found none;
 * `*` alone: not known (the detection failed), so any change may change it. Files decided by their own
 * text alone (the prefilter, minified, unreadable) have no entry.
 */
export type FileDeps = Map<string, string[]>;

/**
 * Imported files a batch keeps parsed between files (CodeProject.trimImports): most imports are of a
 * few shared modules, parsed again only when more than this many were kept. Without a bound a worker
 * on vercel/ai keeps ~300 trees and its WASM memory grows by ~100 MB that it never gives back.
 */
const KEPT_IMPORTS = 32;

/** How many batches (detectBatch) in this thread have loaded their grammars: a test counts them. */
export const grammarLoads = { count: 0 };

export async function detectBatch(files: string[], options: DetectBatchOptions, engine = new Engine({ budgets: options.budgets, keptTrees: 0 }), onFileDone?: () => void, signal?: AbortSignal, hooks: BatchHooks = {}): Promise<{ detections: Detection[]; skipped: ScanReport['skipped'] }> {
  const root = options.root;
  const langs = new Set<Lang>();
  for (const f of files) {
    const l = langForFile(f);
    if (l) langs.add(l);
  }
  // The grammars load before the first file that is parsed, not before the batch: a batch answered
  // from stored detections, or whose files the prefilter settles (a diff's few changed files), loads none.
  let grammars: Promise<void> | undefined;
  const loadGrammars = () => (grammars ??= langs.size ? (grammarLoads.count++, ensureLanguages(langs)) : Promise.resolve());
  // A worker's batch (its files timed one by one from onFileStart: scanPool's budget) loads them first,
  // outside any file's time: it parses most of its files anyway.
  if (hooks.onFileStart && !hooks.onMiss) await loadGrammars();
  // Refusals (a link out of the workspace, a pipe) are reported on the file whose detection asked.
  let refusals: Refusal[] = [];
  // Every refusal by file: the shared project reads each file once, and each later file that reads it is told too.
  const refused = new Map<string, Refusal>();
  const onRefuse = (r: Refusal) => {
    refusals.push(r);
    refused.set(r.file, r);
  };
  const guarded = hooks.readerFor ? hooks.readerFor(onRefuse) : workspaceReader(root, onRefuse);
  const inputs = hooks.inputs;
  const readWorkspaceFile = inputs ? recordingGuard(root, guarded, inputs) : guarded;
  const project = new CodeProject(readWorkspaceFile);
  const cache = options.cache ? new DetectionCache(options.cache.dir, options.cache.build).rememberReads() : undefined;
  const holds = (d: Detection) => d.detected.length > 0 || d.diagnostics.length > 0;
  const depsOut = hooks.deps;
  // A relative read (`file://x`, a flow's template) as the root-relative path readRelative reads.
  const depList = (rel: string, workspace: [string, boolean][], relative: [string, boolean][]): string[] => {
    const out = workspace.map(([f, found]) => (found ? '+' : '-') + f);
    if (relative.length) {
      const dir = path.dirname(path.join(root, rel));
      for (const [p, found] of relative) out.push((found ? '+' : '-') + toPosix(path.relative(root, path.resolve(dir, p))));
    }
    return out;
  };
  const detections: ScannedDetection[] = [];
  const skipped: ScanReport['skipped'] = [];
  let lastYield = performance.now();
  for (const [index, rel] of files.entries()) {
    if (hooks.yieldEveryMs !== undefined && performance.now() - lastYield >= hooks.yieldEveryMs) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      lastYield = performance.now();
    }
    if (signal?.aborted) break;
    hooks.onFileStart?.(index);
    const detectionsBefore = detections.length;
    const skippedBefore = skipped.length;
    const abs = path.join(root, rel);
    const read = readRecorded(abs, rel, inputs);
    // A prompt file may name a code function as its prompt (promptfoo `prompts.py:fn`): load its grammar.
    let needsGrammar = !!langForFile(rel);
    if (read.ok && !needsGrammar) {
      const refs = codeReferencedLangs(read.text);
      needsGrammar = refs.length > 0;
      if (refs.length && !hooks.onMiss) await ensureLanguages(refs);
    }
    if (!read.ok) skipped.push({ file: rel, reason: read.reason });
    else if (looksMinified(rel, read.text)) skipped.push({ file: rel, reason: 'minified' });
    else if (langForFile(rel) && !rel.endsWith('.ipynb') && !mayContainPrompts(read.text, options.heuristics !== false, rel)) { /* prefilter: nothing to parse */ }
    else {
      try {
        refusals = [];
        const detectOptions = { heuristics: options.heuristics, project, ...fileReaders(root, rel, readWorkspaceFile) };
        const stored = cache?.get(rel, read.text, detectOptions);
        if (stored) {
          if (holds(stored.detection)) detections.push({ ...stored.detection, storedCounts: stored.counts });
          if (depsOut) depsOut.set(rel, depList(rel, stored.readsFound.workspace, stored.readsFound.relative));
        } else if (hooks.onMiss && needsGrammar) {
          hooks.onMiss(rel);
          project.release(rel);
          continue;
        } else {
          if (!hooks.onMiss) await loadGrammars(); // (answering from stored detections only: none is loaded)
          const cached = !!cache && DetectionCache.caches(rel, read.text);
          const recording = cached || depsOut ? DetectionCache.recording(detectOptions) : undefined;
          const { result: d, reads } = project.track(() => engine.detectSync(rel, read.text, recording?.options ?? detectOptions));
          for (const [f, t] of reads) if (t === undefined && refused.has(f) && !refusals.some((r) => r.file === f)) refusals.push(refused.get(f)!);
          d.diagnostics.push(...refusalDiagnostics(rel, d.text, refusals));
          if (recording) {
            // The shared project read each import once: what this file looked at there is its dependency too.
            for (const [f, t] of reads) if (f !== rel) recording.reads.workspace.set(f, t);
            // Nothing to price: stored here; otherwise once priced, with its counts (priceWorkspace).
            if (cached && !holds(d)) cache!.put(rel, read.text, detectOptions, d, recording.reads);
            if (depsOut) depsOut.set(rel, depList(rel, [...recording.reads.workspace].map(([f, t]) => [f, t !== undefined]), [...recording.reads.relative].map(([f, t]) => [f, t !== undefined])));
          }
          if (holds(d)) detections.push(cached ? { ...d, freshReads: DetectionCache.digests(recording!.reads) } : d);
        }
      } catch (e) {
        // One file's failure is reported, never the end of the scan.
        skipped.push({ file: rel, reason: isBudgetExceeded(e) ? e.reason : `analysis failed: ${(e as Error).message}` });
        depsOut?.set(rel, ['*']);
      }
    }
    project.release(rel);
    project.trimImports(hooks.keptImports ?? KEPT_IMPORTS);
    hooks.onFileResult?.({ detection: detections.length > detectionsBefore ? detections[detections.length - 1] : undefined, skipped: skipped.length > skippedBefore ? skipped[skipped.length - 1] : undefined });
    onFileDone?.();
  }
  project.dispose();
  return { detections, skipped };
}

/** Languages of code files a prompt file names with a function (`prompts.py:fn`, `prompts.ts:fn`). */
function codeReferencedLangs(text: string): Lang[] {
  const out = new Set<Lang>();
  // The lookbehind starts a match only where a path can start: without it a long run of word characters
  // is rescanned from every position (quadratic: 20 s for a 100,000-character model name).
  for (const m of text.matchAll(/(?<![\w./-])[\w./-]+\.(py|js|mjs|cjs|ts|mts|cts):[A-Za-z_$]/g)) {
    const l = langForFile(`x.${m[1]}`);
    if (l) out.add(l);
  }
  return [...out];
}

/** Worker threads worth starting for `files` candidates: none for small trees (start-up would dominate). */
function defaultWorkers(files: number, min = 0): number {
  if (files < 400) return min;
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
  /** Stored detections in use: token counts read with them, and fresh detections to store once priced. */
  cache?: { store: DetectionCache; counts: [string, number][]; fresh: Map<string, { reads: ReadDigests; detection: Detection }>; heuristics: boolean; inputs: ScanInputs };
  /** With ScanOptions.sideState: what a side derived from this one checks (SideState, less the pricing's part). */
  state?: Omit<SideState, 'longPrefix'>;
}

/**
 * What a cost diff needs to derive another side from this scan's results without scanning it
 * (diff/overlay.ts): the walk, what each file's detection read, the files each file's prompts take
 * from, what the loaded-text pass rests on, the folders of templates a vars file may fill, and the
 * files with a prompt whose static start is long enough to share a cache prefix with another.
 */
export interface SideState {
  walked: string[];
  deps: FileDeps;
  refs: Map<string, string[]>;
  text: TextPromptRecord;
  templateFolders: string[];
  longPrefix: string[];
  /** The .gitignore files the walk read (root-relative), when its record was kept. */
  ignores?: string[];
}

/** A static start this long may be shared with another prompt's (findSharedPrefixes' least: a token is a character at least). */
export const SHARED_PREFIX_CHARS = 1024;

/** What a scan will look at: the config, every file the walk found, and the candidates among them. */
export interface ScanPlan {
  root: string;
  config: PromptCostConfig;
  walked: string[];
  files: string[];
  skipped: ScanReport['skipped'];
  /** What the walk's result rests on (scanManifest.ts), when `manifest` was given and it walked cleanly. */
  walk?: WalkRecord;
  /** The entries the walk left out, with why (`skipped` grows with the scan's own): part of what it found. */
  walkSkipped: readonly WalkSkip[];
}

/**
 * The config and the walk. With `manifest`, a walk it proves unchanged (every folder and .gitignore
 * with the stat of its last walk) is taken from it; otherwise the walk records that evidence.
 */
export function planScan(options: ScanOptions, manifest?: ScanManifest): ScanPlan {
  const root = path.resolve(options.root);
  const config = loadConfig(root, options.configFile);
  const skipped: ScanReport['skipped'] = [];
  const known = manifest?.storedWalk();
  if (known) return { root, config, walked: known.files, files: known.candidates ?? known.files.filter(isCandidate), skipped: [...known.skipped], walk: known.record, walkSkipped: known.skipped };
  const exclude = [...config.exclude, ...(options.exclude ?? [])];
  const starts = (options.paths?.length ? options.paths : [root]).map((p) => path.resolve(root, p));
  const record: WalkRecord | undefined = manifest ? new Map() : undefined;
  const walked = [...new Set(starts.flatMap((s) => walkRelative(root, s, exclude, skipped, record)))];
  // A folder that could not be listed or an entry that could not be stat-ed: the next scan walks again.
  const walk = record && !record.has('!') ? record : undefined;
  const files = walked.filter(isCandidate);
  walk?.set(CANDIDATES_KEY, candidateFlags(walked, files));
  return { root, config, walked, files, skipped, walk, walkSkipped: [...skipped] };
}

export async function detectWorkspace(options: ScanOptions, plan = planScan(options)): Promise<WorkspaceDetections> {
  const { root, config, walked, files, skipped } = plan;

  let done = 0;
  const tick = () => options.onProgress?.(++done, files.length);
  options.onProgress?.(0, files.length);
  const engine = options.engine ?? new Engine();
  const store = options.cacheDir ? new DetectionCache(options.cacheDir, currentBuild()) : undefined;
  const batch: DetectBatchOptions = { root, heuristics: options.heuristics, budgets: engine.budgets, ...(store ? { cache: { dir: options.cacheDir!, build: store.build } } : {}) };
  const results: { detections: Detection[]; skipped: ScanReport['skipped'] }[] = [];
  // What the scan read, for a stored report (scanManifest.ts): each batch's, in this thread or a worker.
  const inputs: ScanInputs = new Map();
  // What each file's detection read, for a side state (SideState): in this thread and the workers.
  const deps: FileDeps | undefined = options.sideState ? new Map() : undefined;
  if (deps) batch.deps = true;
  let toDetect = files;
  if (store && !options.minWorkers) {
    // Stored detections first, in this thread: a warm scan of an unchanged tree starts no worker and
    // loads no grammar and no tokenizer (pricing reads the counts stored with each detection). Only
    // the files without a valid entry are detected, below. (Not in a language server: its main thread
    // must stay free, so everything goes to its worker.)
    const misses: string[] = [];
    results.push(await detectBatch(files, batch, engine, tick, options.signal, { onMiss: (rel) => misses.push(rel), inputs, deps }));
    toDetect = misses;
  }
  const workers = options.workers ?? defaultWorkers(toDetect.length, options.minWorkers);
  if (!toDetect.length) { /* all answered */ }
  else if (workers > 0) {
    const pending = detectInWorkers(toDetect, batch, workers, tick, options.signal, options.fileBudgetMs ?? FILE_BUDGET_MS);
    for (const r of await pending) {
      results.push(r);
      for (const [k, v] of r.inputs) inputs.set(k, v);
      if (deps) for (const [k, v] of r.deps) deps.set(k, v);
    }
    // After the workers, not beside them: the tokenizer and price data (~130 MB) loaded while they
    // parse made the peak of a cold scan theirs plus it (520 MB on vercel/ai; ~390 MB this way), for
    // a few hundred milliseconds gained.
    engine.warmUp();
  } else results.push(await detectBatch(toDetect, batch, engine, tick, options.signal, { yieldEveryMs: options.yieldEveryMs, inputs, deps }));

  const detections = new Map<string, Detection>();
  const counts: [string, number][] = [];
  const fresh = new Map<string, { reads: ReadDigests; detection: Detection }>();
  for (const r of results) {
    for (const { storedCounts, freshReads, ...d } of r.detections as ScannedDetection[]) {
      detections.set(d.file, d);
      if (storedCounts) counts.push(...storedCounts);
      // What the file's own detection found, before other files' findings filter it (they may change).
      if (freshReads) fresh.set(d.file, { reads: freshReads, detection: { ...d } });
    }
    skipped.push(...r.skipped);
  }
  const got: { text?: TextPromptRecord; templateFolders?: string[] } = {};
  if (!options.signal?.aborted) addLoadedTextPrompts(root, walked, files, detections, engine, store ? inputs : undefined, deps ? (r) => (got.text = r) : undefined);
  if (!options.signal?.aborted) addTemplateVars(root, walked, detections, store ? inputs : undefined, deps ? (d) => (got.templateFolders = d) : undefined);
  skipped.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  // Before other files' findings filter them: what each file's prompts take from other files.
  const refs = deps ? refsOf(detections.values()) : undefined;
  dropFoundElsewhere(detections);
  // The .gitignore files the walk read (with its record): a side derived from this one with all of them unchanged walks the same way.
  const ignores = plan.walk ? [...plan.walk.keys()].filter((k) => k.startsWith('g\0')).map((k) => toPosix(path.relative(root, k.slice(2)))) : undefined;
  const state: WorkspaceDetections['state'] = deps && got.text && !options.signal?.aborted ? { walked, deps, refs: refs!, text: got.text, templateFolders: got.templateFolders ?? [], ...(ignores ? { ignores } : {}) } : undefined;
  return { root, config, files, detections, skipped, ...(store ? { cache: { store, counts, fresh, heuristics: options.heuristics !== false, inputs } } : {}), ...(state ? { state } : {}) };
}

/**
 * Per file, the other files its prompts hold parts of, or whose agent a run of it sends (the files the
 * cross-file passes join it with: found elsewhere, annotations taken elsewhere, template vars).
 */
export function refsOf(detections: Iterable<Detection>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const d of detections) {
    const to = new Set<string>();
    for (const p of d.detected) {
      if (p.agentCall && p.agentCall.file !== d.file) to.add(p.agentCall.file);
      for (const part of p.parts) {
        if (part.file && part.file !== d.file) to.add(part.file);
        for (const slot of part.slots) if ((slot as { file?: string }).file && (slot as { file?: string }).file !== d.file) to.add((slot as { file?: string }).file!);
      }
    }
    if (to.size) out.set(d.file, [...to]);
  }
  return out;
}

const RANK: Record<DetectedPrompt['confidence'], number> = { call: 2, shape: 1, heuristic: 0 };

/**
 * A constant imported by a call in another file is that call's part; its own file's shape or heuristic
 * pass must not report it a second time. Drops such prompts when every part with text is a part of a
 * prompt found with more confidence in another file.
 */
function dropFoundElsewhere(detections: Map<string, Detection>): void {
  const found = foundElsewhere(detections.values());
  if (!found.size) return;
  for (const d of detections.values()) d.detected = withoutFoundElsewhere(d, found).detected;
}

/** Lines (`file:line`) that prompts of other files report as their parts, with the best confidence among them. */
export function foundElsewhere(detections: Iterable<Detection>): Map<string, number> {
  const found = new Map<string, number>();
  for (const d of detections) {
    for (const p of d.detected) {
      // a run of an agent built in another file holds its instructions: the agent is no row of its own there
      if (p.agentCall && p.agentCall.file !== d.file) found.set(agentKey(p.agentCall.file, p.agentCall.range), RANK.call + 1);
      for (const part of p.parts) if (part.file && part.file !== d.file) {
        const key = `${part.file}:${part.range.start.line}`;
        found.set(key, Math.max(found.get(key) ?? -1, RANK[p.confidence]));
      }
    }
  }
  return found;
}

const agentKey = (file: string, r: DetectedPrompt['range']) => `agent\0${file}:${r.start.line}:${r.start.character}`;

/**
 * `d` without its shape and heuristic prompts that `found` (foundElsewhere) has with more confidence,
 * and without agents whose runs in other files hold their instructions; `d` itself when none.
 */
export function withoutFoundElsewhere(d: Detection, found: Map<string, number>): Detection {
  if (!found.size) return d;
  const detected = d.detected.filter((p) => {
    if (p.source === 'code' && !p.agentCall && found.has(agentKey(d.file, p.range))) return false;
    // a prompt file found by its place alone (a flow's template no node names) that code elsewhere reads: that code's
    if (p.source !== 'code' && p.confidence === 'heuristic') {
      for (let line = p.range.start.line; line <= p.range.end.line; line++) if ((found.get(`${d.file}:${line}`) ?? -1) > RANK.heuristic) return false;
      return true;
    }
    if (p.confidence === 'call' || p.source !== 'code') return true;
    const own = p.parts.filter((part) => !part.file && part.text.trim());
    return !own.length || !own.every((part) => (found.get(`${d.file}:${part.range.start.line}`) ?? -1) > RANK[p.confidence]);
  });
  return detected.length === d.detected.length ? d : { ...d, detected };
}

/**
 * One file's prompts (`list`, ids unique within it), with those whose id a prompt of an earlier file
 * has (`ids`, in walk order) copied as `id#2`, `id#3` … — a number neither file uses. Across files only
 * an annotation id can repeat (one constant annotated in a prompts module, sent from several files),
 * and the diff pairs prompts by id; the report panel and `explain --id` pick them by it.
 */
export function uniqueAcrossFiles(list: PromptReport[], ids: Set<string>): PromptReport[] {
  const own = new Set(list.map((p) => p.id));
  return list.map((p) => {
    if (!ids.has(p.id)) {
      ids.add(p.id);
      return p;
    }
    const base = p.id.replace(/#\d+$/, '');
    let n = 2;
    while (ids.has(`${base}#${n}`) || own.has(`${base}#${n}`)) n++;
    const id = `${base}#${n}`;
    ids.add(id);
    // (a copy: the priced memo may hold `p`; the shared-prefix pass adds to the copy's diagnostics)
    return { ...p, id, diagnostics: [...p.diagnostics] };
  });
}

/** Prices every detection (in walk order) and sums the workspace. */
export function priceWorkspace(ws: WorkspaceDetections, engine: Engine, options: Pick<ScanOptions, 'settings' | 'severities' | 'maxMonthlyUsd'> & { config?: PromptCostConfig; priced?: PricedMemo; longPrefix?: Set<string> } = {}): ScanReport {
  const config = options.config ?? ws.config;
  const diagnostics: Diagnostic[] = config.problems.map((p) => ({ code: 'invalid-config', severity: options.severities?.['invalid-config'] ?? 'error', message: p.message, range: p.range, file: p.file }));
  const prompts: PromptReport[] = [];
  const prefixes: { report: PromptReport; prefix: string }[] = [];
  const priceOptions = { config, settings: options.settings, severities: options.severities };
  if (ws.cache) engine.counter.seed(ws.cache.counts);
  // An annotation above a constant that a call in another file sends is used there, not unused here.
  const taken = annotationsTakenElsewhere(ws.detections.values());
  const ids = new Set<string>();
  for (const f of ws.files) {
    const d = ws.detections.get(f);
    if (!d) continue;
    const fresh = ws.cache?.fresh.get(f);
    let a!: ReturnType<Engine['price']>;
    // The same detection priced with the same epoch before (a rescan after an edit elsewhere): its result.
    const memoKey = options.priced?.keyOf(d);
    const memoHit = memoKey && !fresh ? options.priced!.get(f, memoKey) : undefined;
    if (memoHit) a = memoHit;
    else if (ws.cache && fresh) {
      // Stored with the counts its pricing used, so that the next scan prices it without the tokenizer.
      const counts = engine.counter.recordCounts(() => (a = engine.price(d, priceOptions)));
      ws.cache.store.put(f, d.text, { heuristics: ws.cache.heuristics }, fresh.detection, fresh.reads, counts);
      ws.cache.fresh.delete(f); // once: a re-price (settings changed) has nothing new to store
    } else a = engine.price(d, priceOptions);
    // Kept as it is now: the shared-prefix pass below adds to its prompts' diagnostics.
    if (memoKey) options.priced!.set(f, memoKey, a);
    const own = uniqueAcrossFiles(a.prompts, ids);
    prompts.push(...own);
    diagnostics.push(...withoutTakenAnnotationWarnings(a.diagnostics, taken));
    own.forEach((p, i) => {
      if (!d.detected[i]) return;
      const prefix = stablePrefixText(d.detected[i]);
      prefixes.push({ report: p, prefix });
      if (prefix.length >= SHARED_PREFIX_CHARS) options.longPrefix?.add(f);
    });
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

/**
 * Token counts kept in `cacheDir` for `engine` (KeptCounts): what a scan counts, a later run that
 * prices the same texts (a diff after an edit elsewhere in their file) takes instead of the tokenizer.
 */
export function keepCounts(engine: Engine, cacheDir: string): void {
  engine.counter.kept ??= new KeptCounts(path.join(cacheDir, 'token-counts.json'), currentBuild());
}

/** The stored whole-scan reports of `cacheDir` (scanManifest.ts), for a scan with these options. */
function manifestFor(options: ScanOptions, root: string): ScanManifest | undefined {
  if (!options.cacheDir || options.storeReport === false) return undefined;
  const configFile = options.configFile ? path.resolve(options.configFile) : path.join(root, CONFIG_FILE_NAME);
  return new ScanManifest(path.join(options.cacheDir, 'scans'), {
    build: currentBuild(), root, paths: options.paths ?? null, heuristics: options.heuristics !== false, exclude: options.exclude ?? null,
    settings: options.settings ?? null, severities: options.severities ?? null, maxMonthlyUsd: options.maxMonthlyUsd ?? null,
    configFile, config: (() => { const r = readTextFile(configFile); return r.ok ? textDigest(r.text) : `!${r.reason}`; })(),
  }, options.cacheRacyMs);
}

/** The priced results the last scan with these options stored (ScanManifest.pricedMemo), if it keeps any. */
export function pricedMemoFor(options: ScanOptions): PricedMemo | undefined {
  return manifestFor(options, path.resolve(options.root))?.pricedMemo();
}

export async function scanWorkspace(options: ScanOptions): Promise<ScanReport> {
  const r = await scanWorkspaceStored(options);
  return r.report();
}

/**
 * scanWorkspace, for a caller that may print the report as JSON: a report answered from the stored
 * one (scanManifest.ts) comes with its JSON text (`reportJson`), so that printing it parses and
 * serialises nothing; `summary` is what an exit code needs.
 */
export async function scanWorkspaceStored(options: ScanOptions): Promise<{ json(): string; bytes?(): Buffer; summary: ReportSummary; report(): ScanReport }> {
  const engine = options.engine ?? new Engine();
  const manifest = options.signal ? undefined : manifestFor(options, path.resolve(options.root));
  const plan = planScan(options, manifest);
  const stored = manifest?.lookup(plan.root, plan.walked, plan.walkSkipped);
  if (stored) {
    manifest!.refresh(plan.walk);
    options.onProgress?.(plan.files.length, plan.files.length);
    return { json: stored.json, bytes: () => stored.bytes, summary: stored.summary, report: stored.report };
  }
  const r = await scanPlanned(options, engine, plan, manifest);
  return { json: r.json, summary: r.report, report: () => r.report };
}

/**
 * The scan of `plan` (no stored report answered it), stored when `manifest` keeps one: the report, and
 * beside it its per-file form (diff/view.ts: each file's run of prompts, with the SideState a cost diff
 * derives another side with). Every scan that keeps a report keeps that form with it — a plain `scan`
 * as the diff's work tree does — so a diff after a scan updates it file by file instead of scanning.
 */
async function scanPlanned(options: ScanOptions, engine: Engine, plan: ScanPlan, manifest?: ScanManifest): Promise<{ report: ScanReport; json(): string; digest?: string; view?: { index: ViewIndex; data: Buffer } }> {
  const keepView = !!manifest;
  // The price database's answers kept beside the stored scans: a run that prices only models priced before does not load it.
  if (manifest) {
    keepPriceLookups(options.cacheDir, currentBuild());
    keepCounts(engine, options.cacheDir!);
  }
  const ws = await detectWorkspace({ ...options, engine, sideState: options.sideState || keepView }, plan);
  const priced = manifest?.pricedMemo() ?? options.pricedMemo;
  const longPrefix = ws.state ? new Set<string>() : undefined;
  const report = priceWorkspace(ws, engine, { ...options, priced, longPrefix });
  if (manifest) {
    savePriceLookups();
    engine.counter.kept?.save();
  }
  let json: string | undefined;
  let digest: string | undefined;
  if (manifest && ws.cache && storable(report)) digest = manifest.store(plan.walked, plan.walkSkipped, ws.cache.inputs, report, (json = reportJson(report)), priced, plan.walk);
  const state: SideState | undefined = ws.state ? { ...ws.state, longPrefix: [...longPrefix!] } : undefined;
  const view = keepView || options.sideState ? viewOf(report, undefined, state) : undefined;
  if (manifest && digest && view) manifest.storeExtra('view', view.index, digest, view.data);
  return { report, json: () => (json ??= reportJson(report)), digest, ...(view ? { view } : {}) };
}

/**
 * scanWorkspace for a caller that reads the report file by file (the cost diff, diff/view.ts): the
 * per-file form every stored scan keeps beside its report (scanPlanned). `valid` checks a stored one,
 * `open` gives it back with the file of its bytes. An unchanged tree is answered from the stored form
 * without reading the report; a form missing or damaged is made from the stored report, or from the
 * scan, and stored.
 */
export async function scanWorkspaceAs<V>(options: ScanOptions, form: {
  valid: (v: unknown) => v is ViewIndex; open: (index: ViewIndex, dataFile: string) => V; inMemory: (made: { index: ViewIndex; data: Buffer }) => V;
  /**
   * The form of the tree as it is now derived from the stored one, given the paths whose content
   * differs (`changed`) and the stored inputs to record what it reads in; undefined: scanned instead.
   */
  derive?: (from: V, changed: Set<string>, plan: ScanPlan, inputs: ScanInputs) => Promise<{ index: ViewIndex; data: Buffer; totals: ScanReport['totals']; appendedTo?: string } | undefined>;
}): Promise<V> {
  const engine = options.engine ?? new Engine();
  const manifest = options.signal ? undefined : manifestFor(options, path.resolve(options.root));
  const plan = planScan(options, manifest);
  // With `derive`, every input is checked at once (what differs, if anything); else until one differs.
  const changed = form.derive ? manifest?.changes(plan.root, plan.walked, plan.walkSkipped) : undefined;
  const unchanged = form.derive ? changed?.size === 0 && manifest!.unchanged(plan.root, plan.walked, plan.walkSkipped) : manifest?.unchanged(plan.root, plan.walked, plan.walkSkipped);
  if (manifest && !unchanged && form.derive) {
    // After an edit: the stored form updated file by file, where it can be (diff/overlay.ts).
    const kept = changed ? manifest.extra('view', form.valid) : undefined;
    const inputs = kept ? manifest.storedInputs() : undefined;
    if (changed && kept && inputs) {
      const before = new Map(inputs);
      let made: Awaited<ReturnType<NonNullable<typeof form.derive>>>;
      try {
        made = await form.derive(form.open(kept, manifest.extraData('view')), changed, plan, inputs);
      } catch {
        made = undefined; // a stored form found damaged: scanned, and made again
        manifest.forgetExtra('view');
      }
      if (made && (!made.appendedTo || made.appendedTo === manifest.extraData('view'))) {
        // What differs and nothing read again: recorded as it is now (the walk's files read as the walk reads them).
        const guard = recordingGuard(plan.root, guardedReader(plan.root), inputs);
        for (const rel of changed) {
          const f = fileInputKey(rel), w = guardedInputKey(rel);
          if (before.has(f) && inputs.get(f) === before.get(f)) readRecorded(path.join(plan.root, rel), rel, inputs);
          if (before.has(w) && inputs.get(w) === before.get(w)) guard(rel);
        }
        // Appended to the stored form's data file (its new runs only): the index alone is written.
        manifest.storeView(plan.walked, plan.walkSkipped, inputs, made.totals, made.index, made.appendedTo ? undefined : made.data, plan.walk);
        options.onProgress?.(plan.files.length, plan.files.length);
        return made.appendedTo ? form.open(made.index, made.appendedTo) : form.inMemory(made);
      }
    }
  }
  if (manifest && unchanged) {
    manifest.refresh(plan.walk);
    const kept = manifest.extra('view', form.valid);
    if (kept) {
      options.onProgress?.(plan.files.length, plan.files.length);
      return form.open(kept, manifest.extraData('view'));
    }
    const stored = manifest.lookup(plan.root, plan.walked, plan.walkSkipped);
    const digest = manifest.reportDigest();
    if (stored && digest) {
      options.onProgress?.(plan.files.length, plan.files.length);
      const made = viewOf(stored.report());
      manifest.storeExtra('view', made.index, digest, made.data);
      return form.inMemory(made);
    }
  }
  const r = await scanPlanned(options, engine, plan, manifest);
  return form.inMemory(r.view ?? viewOf(r.report));
}

/** Forgets the stored `view` form of this scan's report (found damaged): the next scanWorkspaceAs makes it again. */
export function forgetStoredForm(options: ScanOptions): void {
  const manifest = manifestFor(options, path.resolve(options.root));
  manifest?.forgetExtra('view');
}
