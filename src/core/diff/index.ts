// prompt-cost diff: what a change does to the monthly bill. The base side is read from git objects into
// a temporary folder and scanned with its own .promptcost.yaml; the head side is the work tree (or
// another ref, read the same way). Prompts are paired (pair.ts) and each pair gets a status, a delta
// and the reasons in words.
import * as fs from 'fs';
import * as path from 'path';
import { Engine } from '../analyze';
import { formatPct, formatTokens, formatUsd, groupDigits } from '../format';
import type { PromptReport, ScanReport, UnreadableFile } from '../model';
import { rangePlace } from '../report/place';
import { forgetStoredForm, keepCounts, pricedMemoFor, scanWorkspace, scanWorkspaceAs, type ScanOptions, type ScanPlan } from '../workspace';
import * as os from 'os';
import { spawn } from 'child_process';
import { changedPathsLater, conversionsLater, fileAt, filesAt, openRepoAt, resolveCommit, sameAsWorkTree, treeToWrite, treeToWriteLater, writeTree, type Conversions, type GitRepo, type TreeFile } from './git';
import { CONFIG_FILE_NAME, emptyConfig, parseConfig, type PromptCostConfig } from '../config';
import { loadConfig } from '../workspace';
import { SideCache } from './sideCache';
import { overlaySide, updateSide } from './overlay';
import type { ScanInputs } from '../scanManifest';
import { readTextFile } from '../fileAccess';
import { currentBuild } from '../detectionCache';
import { keepPriceLookups, savePriceLookups } from '../prices';
import { storable, textDigest } from '../scanManifest';
import { pairPrompts, type PairStatus, type Side } from './pair';
import { DamagedView, identicalFiles, inMemory, isViewIndex, onDisk, readRun, viewOf, type SideView, type ViewIndex } from './view';

export interface DiffOptions {
  /** The folder to compare (inside a git repository). */
  path: string;
  base: string;
  /** A ref for the head side; the work tree when absent. */
  head?: string;
  /** A config file used on both sides instead of each side's own .promptcost.yaml. */
  configFile?: string;
  heuristics?: boolean;
  /** Include unchanged prompts in `prompts`. */
  all?: boolean;
  /** Derive the base from the work tree's side where it can (overlay.ts); default true. */
  overlay?: boolean;
  engine?: Engine;
  scan?: Partial<ScanOptions>;
  /** The repository and the commits of `base` and `head`, when the caller has resolved them (resolveDiff). */
  resolved?: ResolvedDiff;
  /**
   * The head's prompts of the files `wanted` names (`annotated`: some prompt there has an id of its own),
   * handed to `take` once the sides are compared: what the override check needs, without parsing every
   * stored file.
   */
  headPrompts?: { wanted(file: string, annotated: boolean): boolean; take(prompts: PromptReport[], unreadable: UnreadableFile[]): void };
}

/** What a diff's refs name in git, resolved once for the config check and the diff. */
export interface ResolvedDiff { repo: GitRepo; base: string; head?: string }

/** The repository of `o.path` and the commits `o.base` and `o.head` name (a GitError when one names none). */
export function resolveDiff(o: Pick<DiffOptions, 'path' | 'base' | 'head'>): ResolvedDiff {
  const { repo, commit } = openRepoAt(o.path, o.base);
  return { repo, base: commit, ...(o.head ? { head: resolveCommit(repo, o.head, '--head') } : {}) };
}

export interface DiffSide { file: string; line: number; /** Notebooks: the cell's 0-based index (PromptReport.cell). */ cell?: number; model: string; tokens: number; exact: boolean; monthlyUsd: number | null }
export interface DiffRow {
  id: string;
  file: string;
  status: PairStatus;
  before?: DiffSide;
  after?: DiffSide;
  /** null when either side is unpriced. */
  deltaMonthlyUsd: number | null;
  reasons: string[];
}

export interface CostDiff {
  tool: 'prompt-cost';
  /** `unreadable`: the side's prompt files that could not be read (absent when none). */
  base: { ref: string; commit: string; monthlyUsd: number; unpriced: number; unreadable?: UnreadableFile[] };
  head: { ref: string; commit?: string; monthlyUsd: number; unpriced: number; unreadable?: UnreadableFile[] };
  deltaMonthlyUsd: number;
  /** null when the base total is 0. */
  deltaPct: number | null;
  prices: ScanReport['prices'];
  counts: Record<PairStatus, number>;
  prompts: DiffRow[];
  /** The increase limits the run was given and whether the change stays within them (set by the CLI). */
  verdict?: DiffVerdict;
}

/** The gate's limits on a change: USD a month, and percent of the base's monthly total. */
export interface DiffLimits { maxIncreaseUsd?: number; maxIncreasePct?: number }

export interface DiffVerdict {
  limits: DiffLimits;
  /** false when any limit given is exceeded (exit 1) or cannot be judged (exit 2); true with no limits. */
  within: boolean;
  /** Each limit exceeded, in words. */
  over: string[];
  /**
   * With a limit given, the head's prompt files that could not be read: the head's total lacks what they
   * hold, so the limit cannot be judged (exit 2).
   */
  unreadable?: UnreadableFile[];
  /**
   * The changed or added prompts whose head side is unpriced (a model with no price, a misspelt name):
   * the delta leaves their cost out, so with a limit given it cannot be judged (exit 2).
   */
  unpriced?: { id: string; file: string; line: number; model: string }[];
}

/** Changed, moved or added prompts that are unpriced on the head side: what the delta cannot count. */
export function unpricedChanges(d: Pick<CostDiff, 'prompts'>): NonNullable<DiffVerdict['unpriced']> {
  return d.prompts
    .filter((r) => r.after && r.after.monthlyUsd === null && r.status !== 'unchanged' && !(r.before && r.before.monthlyUsd === null && r.before.model === r.after.model && r.status === 'moved'))
    .map((r) => ({ id: r.id, file: r.after!.file, line: r.after!.line, model: r.after!.model }));
}

/**
 * Whether `d` stays within `limits`. A rise from a $0 base is over any percent limit; a head with a
 * prompt file that could not be read is within none.
 */
export function judgeDiff(d: Pick<CostDiff, 'deltaMonthlyUsd' | 'deltaPct'> & { head?: Pick<CostDiff['head'], 'unreadable'>; prompts?: CostDiff['prompts'] }, limits: DiffLimits): DiffVerdict {
  const over: string[] = [];
  const { maxIncreaseUsd, maxIncreasePct } = limits;
  if (maxIncreaseUsd !== undefined && d.deltaMonthlyUsd > maxIncreaseUsd) {
    over.push(`the monthly increase ${formatUsd(d.deltaMonthlyUsd)} is over --max-increase-usd ${maxIncreaseUsd}`);
  }
  if (maxIncreasePct !== undefined && d.deltaMonthlyUsd > 0 && (d.deltaPct === null || d.deltaPct > maxIncreasePct)) {
    over.push(`the monthly increase ${d.deltaPct === null ? 'from a $0 base' : `${formatPct(d.deltaPct)}%`} is over --max-increase-pct ${maxIncreasePct}`);
  }
  const given: DiffLimits = {};
  if (maxIncreaseUsd !== undefined) given.maxIncreaseUsd = maxIncreaseUsd;
  if (maxIncreasePct !== undefined) given.maxIncreasePct = maxIncreasePct;
  const unreadable = Object.keys(given).length ? d.head?.unreadable ?? [] : [];
  // reported with or without a limit (the verdict line says what the delta leaves out); only a limit fails on them
  const unpriced = d.prompts ? unpricedChanges({ prompts: d.prompts }) : [];
  const judged = Object.keys(given).length > 0;
  return { limits: given, within: over.length === 0 && !unreadable.length && !(judged && unpriced.length), over, ...(unreadable.length ? { unreadable } : {}), ...(unpriced.length ? { unpriced } : {}) };
}

/** The text of a prompt's parts as written, read from the scanned files (`read`: a file's text by its path) by their ranges. */
function promptText(read: (rel: string) => string | undefined, p: PromptReport, files: Map<string, string[] | null>): string {
  const out: string[] = [];
  for (const part of p.parts) {
    const rel = part.file ?? p.file;
    if (!files.has(rel)) {
      const text = read(rel); // undefined when gone: similarity falls back to an empty text
      files.set(rel, text === undefined ? null : text.split(/\r\n|\n|\r/));
    }
    const lines = files.get(rel);
    if (!lines || p.cell !== undefined) continue; // notebook ranges are per cell: not read back here
    const { start, end } = part.range;
    const chunk = lines.slice(start.line, end.line + 1);
    if (!chunk.length) continue;
    chunk[chunk.length - 1] = chunk[chunk.length - 1].slice(0, end.character);
    chunk[0] = chunk[0].slice(start.character);
    out.push(chunk.join('\n'));
  }
  return out.join('\n');
}

/** Reads a file of `root` by its path relative to it (undefined: gone). */
const fromFolder = (root: string) => (rel: string): string | undefined => {
  try {
    return fs.readFileSync(path.join(root, rel), 'utf8');
  } catch {
    return undefined;
  }
};

/** Each prompt's side, its text read with `read` when first asked for (pairing needs few of them). */
const sides = (report: Pick<ScanReport, 'prompts'>, read: (rel: string) => string | undefined): Side[] => {
  const cache = new Map<string, string[] | null>();
  return report.prompts.map((prompt) => {
    let text: string | undefined;
    return { prompt, get text() { return (text ??= promptText(read, prompt, cache)); } };
  });
};

/**
 * A dollar figure of the diff: below a millionth of a dollar a month it is none (sums taken in another
 * order differ by floating-point dust: 5.7e-14 for moved prompts, and a gate of "no increase" failed a
 * rename), and it is kept to a hundred-millionth (JSON showed -18.47999999999999).
 */
function money(x: number): number {
  return Math.abs(x) < 1e-6 ? 0 : Math.round(x * 1e8) / 1e8;
}

function sideOf(p: PromptReport): DiffSide {
  return { file: p.file, line: p.range.start.line + 1, ...(p.cell !== undefined ? { cell: p.cell } : {}), model: p.model.id, tokens: p.tokens.input, exact: p.tokens.exact, monthlyUsd: p.cost.priced ? money(p.cost.monthlyUsd ?? 0) : null };
}


function reasonsFor(b: PromptReport | undefined, a: PromptReport | undefined, textSame: boolean): string[] {
  if (!b) return [`new prompt (${formatTokens(a!.tokens.input, a!.tokens.exact)} tokens on ${a!.model.id})`];
  if (!a) return [`prompt removed (was ${formatTokens(b.tokens.input, b.tokens.exact)} tokens on ${b.model.id})`];
  const r: string[] = [];
  if (b.model.id !== a.model.id) r.push(`model changed: ${b.model.id} → ${a.model.id}`);
  if (b.file !== a.file) r.push(`moved from ${rangePlace(b.file, b)}`);
  else if (b.range.start.line !== a.range.start.line) r.push(`moved from line ${b.range.start.line + 1}`);
  if (!textSame) r.push('text edited');
  if (b.tokens.input !== a.tokens.input) r.push(`input tokens ${formatTokens(b.tokens.input, b.tokens.exact)} → ${formatTokens(a.tokens.input, a.tokens.exact)}`);
  if (b.tokens.output !== a.tokens.output) r.push(`output tokens ${groupDigits(b.tokens.output)} → ${groupDigits(a.tokens.output)}`);
  if (b.traffic.callsPerDay !== a.traffic.callsPerDay) r.push(`traffic ${groupDigits(b.traffic.callsPerDay)} → ${groupDigits(a.traffic.callsPerDay)} calls/day`);
  if (b.traffic.daysPerMonth !== a.traffic.daysPerMonth) r.push(`days per month ${b.traffic.daysPerMonth} → ${a.traffic.daysPerMonth}`);
  if (b.cost.priced !== a.cost.priced) r.push(a.cost.priced ? 'now priced' : `now unpriced: ${a.cost.unpricedReason ?? 'no price'}`);
  const bm = b.cost.monthlyUsd ?? 0, am = a.cost.monthlyUsd ?? 0;
  if (b.cost.priced && a.cost.priced && Math.abs(am - bm) > 1e-9 && !r.some((x) => /tokens|model|traffic|days/.test(x))) r.push(`cost ${formatUsd(bm)} → ${formatUsd(am)}/month (prices or caching)`);
  return r;
}

/**
 * The rows of a cost diff. `sameFiles`: files (root-relative) whose content is the same on both sides,
 * when known (git says so): their unchanged prompts are paired without reading their texts.
 */
export function diffReports(before: Pick<ScanReport, 'totals' | 'prices' | 'unreadable'>, beforeSides: Side[], after: Pick<ScanReport, 'totals' | 'prices' | 'unreadable'>, afterSides: Side[], renamed: Map<string, string>, opts: { all?: boolean; sameFiles?: ReadonlySet<string> } = {}): Omit<CostDiff, 'base' | 'head' | 'tool'> & { baseMonthlyUsd: number; headMonthlyUsd: number } {
  const pairs = pairPrompts(beforeSides, afterSides, renamed, opts.sameFiles);
  const counts: Record<PairStatus, number> = { added: 0, removed: 0, changed: 0, moved: 0, unchanged: 0, unreadable: 0 };
  // A prompt whose file one side could not read is not known to be gone (or new) there.
  const headUnreadable = new Map((after.unreadable ?? []).map((u) => [u.file, u]));
  const baseUnreadable = new Map((before.unreadable ?? []).map((u) => [u.file, u]));
  const renamedFrom = new Map([...renamed].map(([from, to]) => [to, from]));
  const rows: DiffRow[] = [];
  for (const { before: b, after: a, identical } of pairs) {
    const bp = b?.prompt, ap = a?.prompt;
    const textSame = identical || (!!b && !!a && b.text.replace(/\s+/g, ' ').trim() === a.text.replace(/\s+/g, ' ').trim());
    const bm = bp ? (bp.cost.priced ? bp.cost.monthlyUsd ?? 0 : null) : 0;
    const am = ap ? (ap.cost.priced ? ap.cost.monthlyUsd ?? 0 : null) : 0;
    const unreadHead = bp && !ap ? headUnreadable.get(renamed.get(bp.file) ?? bp.file) : undefined;
    const unreadBase = ap && !bp ? baseUnreadable.get(renamedFrom.get(ap.file) ?? ap.file) : undefined;
    // Not removed: what the head's file holds now is unknown, so is the change.
    const delta = unreadHead || bm === null || am === null ? null : money(am - bm);
    const reasons = unreadHead ? [`the head's ${unreadHead.file} could not be read (line ${unreadHead.line}: ${unreadHead.message}): not counted there`] : reasonsFor(bp, ap, textSame);
    if (unreadBase) reasons.push(`the base's ${unreadBase.file} could not be read (line ${unreadBase.line}: ${unreadBase.message})`);
    let status: PairStatus;
    if (!bp) status = 'added';
    else if (unreadHead) status = 'unreadable';
    else if (!ap) status = 'removed';
    else if (reasons.some((x) => !x.startsWith('moved from'))) status = 'changed';
    else status = bp.file !== ap.file || bp.range.start.line !== ap.range.start.line ? 'moved' : 'unchanged';
    counts[status]++;
    if (!opts.all && status === 'unchanged') continue;
    const p = ap ?? bp!;
    rows.push({ id: p.id, file: p.file, status, ...(bp ? { before: sideOf(bp) } : {}), ...(ap ? { after: sideOf(ap) } : {}), deltaMonthlyUsd: delta, reasons });
  }
  const mag = (r: DiffRow) => Math.abs(r.deltaMonthlyUsd ?? 0);
  rows.sort((x, y) => mag(y) - mag(x) || x.file.localeCompare(y.file) || (x.after?.line ?? x.before!.line) - (y.after?.line ?? y.before!.line));
  const deltaMonthlyUsd = money(after.totals.monthlyUsd - before.totals.monthlyUsd);
  return {
    baseMonthlyUsd: money(before.totals.monthlyUsd), headMonthlyUsd: money(after.totals.monthlyUsd), deltaMonthlyUsd,
    deltaPct: before.totals.monthlyUsd > 0 ? (deltaMonthlyUsd / before.totals.monthlyUsd) * 100 : null,
    prices: after.prices, counts, prompts: rows,
  };
}

/** Where a side's prompt texts are read: the work tree, or a commit's files in git (many at once). */
export interface SideReader { read(rel: string): string | undefined; prefetch?(rels: Iterable<string>): void }

/**
 * The rows of a cost diff of two sides kept file by file (view.ts). A file git finds the same on both
 * sides whose prompts are the same JSON (identicalFiles) is counted as unchanged without being parsed
 * (unless `all` asks for its rows); the rest is parsed and paired as diffReports does, in report order.
 * `headRoot`: where a side without kept texts (the work tree) reads its prompts' texts.
 */
export function diffViews(before: SideView, after: SideView, readers: { before: SideReader; after: SideReader }, renamed: Map<string, string>, touched: ReadonlySet<string>, all: boolean): ReturnType<typeof diffReports> {
  const sameFiles = new Set<string>();
  for (const v of [before, after]) for (const r of v.runs) for (const f of [r.file, ...r.partFiles]) if (!touched.has(f)) sameFiles.add(f);
  const identical = all ? new Set<string>() : identicalFiles(before, after, renamed, sameFiles);
  const expand = (v: SideView, reader: SideReader): { report: Pick<ScanReport, 'totals' | 'prices' | 'prompts'>; sides: Side[] } => {
    const prompts: PromptReport[] = [];
    const kept: (string | undefined)[] = [];
    for (const r of v.runs) {
      if (identical.has(r.file)) continue;
      const x = readRun(v, r);
      prompts.push(...x.prompts);
      kept.push(...(x.texts ?? x.prompts.map(() => undefined)));
    }
    const report = { totals: v.totals, prices: v.prices, prompts, unreadable: v.unreadable };
    // The files the texts may be read from, in one read where that is cheaper (git).
    if (!v.texts) reader.prefetch?.(prompts.flatMap((p) => [p.file, ...p.parts.map((x) => x.file ?? p.file)]));
    const read = sides(report, reader.read);
    return { report, sides: read.map((s, i) => (kept[i] !== undefined ? { prompt: s.prompt, text: kept[i]! } : s)) };
  };
  const b = expand(before, readers.before), a = expand(after, readers.after);
  const d = diffReports(b.report, b.sides, a.report, a.sides, renamed, { all, sameFiles });
  for (const r of before.runs) if (identical.has(r.file)) d.counts.unchanged += r.count;
  return d;
}

/**
 * The .promptcost.yaml each side is priced with: `--config FILE` for both, else each side's own (the work
 * tree's, or the one in the commit), with its problems. A fatal problem (YAML that cannot be parsed, a
 * file that cannot be read) means that side would be priced without its config: the caller decides.
 */
export function diffConfigs(o: Pick<DiffOptions, 'path' | 'base' | 'head' | 'configFile' | 'resolved'>): { base: PromptCostConfig; head: PromptCostConfig } {
  const folder = fs.realpathSync(o.path);
  if (o.configFile) {
    const config = loadConfig(folder, o.configFile);
    return { base: config, head: config };
  }
  const r = o.resolved ?? resolveDiff(o);
  const prefix = path.relative(r.repo.top, folder).split(path.sep).join('/');
  const inGit = (commit: string) => {
    const text = fileAt(r.repo, commit, prefix ? `${prefix}/${CONFIG_FILE_NAME}` : CONFIG_FILE_NAME);
    return text === undefined ? emptyConfig() : parseConfig(text, CONFIG_FILE_NAME);
  };
  return { base: inGit(r.base), head: r.head ? inGit(r.head) : loadConfig(folder) };
}

export async function diffCost(o: DiffOptions): Promise<CostDiff> {
  const { repo, base: baseCommit, head: headCommit } = o.resolved ?? resolveDiff(o);
  const folder = fs.realpathSync(o.path);
  const prefix = path.relative(repo.top, folder).split(path.sep).join('/');
  const engine = o.engine ?? new Engine();
  // What the price database answered, kept with the cache: a diff that prices only models priced before does not load it.
  if (o.scan?.cacheDir) {
    keepPriceLookups(o.scan.cacheDir, currentBuild());
    keepCounts(engine, o.scan.cacheDir);
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'prompt-cost-diff-'));
  let written = 0;
  try {
    // Each side reads its own .promptcost.yaml at its root, unless one config file is given for both.
    // A side checked out into the temporary folder is scanned once: its whole report is not kept there.
    const sideOptions = (root: string): ScanOptions => ({ ...o.scan, root, engine, heuristics: o.heuristics, configFile: o.configFile });
    const configDigest = (root: string) => {
      const r = readTextFile(path.join(root, CONFIG_FILE_NAME));
      return r.ok ? textDigest(r.text) : '-';
    };
    // The config's text in the work tree and at a commit (undefined: none, or not readable as text).
    const workConfigText = (root: string) => {
      const r = readTextFile(path.join(root, CONFIG_FILE_NAME));
      return r.ok ? r.text : fs.existsSync(path.join(root, CONFIG_FILE_NAME)) ? '\0unreadable' : undefined;
    };
    // The work tree's side once scanned: what the base is derived from.
    let headView: SideView | undefined;
    const configAt = (commit: string) => fileAt(repo, commit, prefix ? `${prefix}/${CONFIG_FILE_NAME}` : CONFIG_FILE_NAME);
    // A side read from git prices the files it shares with the work tree from the work tree's priced
    // results, when it prices with the same config (one --config for both, or equal .promptcost.yaml).
    const scanSide = (root: string) => scanWorkspace({
      ...sideOptions(root),
      ...(root.startsWith(tmp) ? { storeReport: false, pricedMemo: o.configFile || configDigest(root) === configDigest(folder) ? pricedMemoFor(sideOptions(folder)) : undefined } : {}),
    });
    // A side read from git is kept by its commit and folder (sideCache.ts): a second diff against the
    // same base neither lists, writes nor scans it again.
    const sideCache = o.scan?.cacheDir ? new SideCache(path.join(o.scan.cacheDir, 'diff-sides')) : undefined;
    const configText = o.configFile ? readTextFile(path.resolve(o.configFile)) : undefined;
    const epoch = {
      heuristics: o.heuristics !== false, configFile: o.configFile ? path.resolve(o.configFile) : null,
      config: configText ? (configText.ok ? textDigest(configText.text) : `!${configText.reason}`) : null,
      settings: o.scan?.settings ?? null, severities: o.scan?.severities ?? null, exclude: o.scan?.exclude ?? null, paths: o.scan?.paths ?? null, maxMonthlyUsd: o.scan?.maxMonthlyUsd ?? null,
    };
    // What differs between the sides (git): renames for pairing; against the work tree, the files the
    // base shares with it byte for byte, which its checkout links instead of writing.
    // (git works it out while the head is read: the head does not need it)
    const changesLater = changedPathsLater(repo, baseCommit, headCommit, prefix);
    changesLater.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
    let changes!: Awaited<typeof changesLater>;
    const baseFiles = filesAt(repo, baseCommit, prefix);
    // A base not kept yet: its listing, and which of its files git converts on the way to the work
    // tree, asked of git now, in processes of their own, while the head is read (taken once).
    let ahead: { files: Promise<TreeFile[]>; converted?: Promise<Conversions> } | undefined;
    if (!sideCache?.has(sideCache.key(baseCommit, prefix, epoch))) {
      const files = treeToWriteLater(repo, baseCommit, prefix);
      ahead = { files, ...(headCommit ? {} : { converted: conversionsLater(repo, baseCommit, prefix) }) };
      for (const p of [ahead.files, ahead.converted]) p?.catch(() => undefined); // awaited when the base is read; not an unhandled rejection meanwhile
    }
    const fromGit = async (commit: string, name: string): Promise<SideView> => {
      const key = sideCache?.key(commit, prefix, epoch);
      const hit = key ? sideCache!.get(key) : undefined;
      const early = commit === baseCommit ? ahead : undefined;
      if (early) ahead = undefined;
      if (hit) return hit;
      const files = early ? await early.files : treeToWrite(repo, commit, prefix);
      const converted = early?.converted ? await early.converted : undefined;
      const root = path.join(tmp, name);
      fs.mkdirSync(root, { recursive: true });
      // The base derived from the work tree's side where git finds few files different (overlay.ts):
      // no checkout, no scan of what the two share.
      if (!headCommit && commit === baseCommit && headView?.state && o.overlay !== false && !o.scan?.paths?.length && (o.configFile || workConfigText(folder) === configAt(commit))) {
        const made = await overlaySide({
          repo, commit, prefix, folder, head: headView, touched: changes.touched, files, converted, config: loadConfig(folder, o.configFile), exclude: o.scan?.exclude,
          heuristics: o.heuristics, settings: o.scan?.settings, severities: o.scan?.severities, cacheDir: o.scan?.cacheDir, engine, tmp: root, git: baseFiles,
        });
        if (made) {
          if (key) sideCache!.put(key, made);
          return made.appendedTo ? onDisk(made.index, made.appendedTo) : inMemory(made);
        }
        fs.rmSync(root, { recursive: true, force: true });
        fs.mkdirSync(root, { recursive: true });
      }
      const linkable = !headCommit && commit === baseCommit ? sameAsWorkTree(repo, files.map((f) => f.path), changes.touched, converted) : undefined;
      writeTree(repo, commit, prefix, root, files, linkable);
      written += files.length;
      const report = await scanSide(root);
      // The texts are not kept: the few a diff reads are read from git (filesAt) when it needs them.
      const made = viewOf(report);
      if (key && storable(report)) sideCache!.put(key, made);
      return inMemory(made);
    };
    // The head first: on a warm cache it is mostly stored detections, and the files the base shares
    // with it are then read from what the head scan stored. The work tree's report is kept file by
    // file beside its stored report (scanWorkspaceAs): an unchanged tree is answered without parsing it.
    const headSide = () => headCommit ? fromGit(headCommit, 'head') : scanWorkspaceAs({ ...sideOptions(folder), sideState: o.overlay !== false && !!o.scan?.cacheDir }, {
      valid: (v): v is ViewIndex => isViewIndex(v, false), open: onDisk, inMemory,
      ...(o.overlay !== false ? { derive: (from: SideView, changed: Set<string>, plan: ScanPlan, inputs: ScanInputs) => updateSide(from, changed, plan, inputs, { engine, heuristics: o.heuristics, settings: o.scan?.settings, severities: o.scan?.severities, cacheDir: o.scan?.cacheDir }) } : {}),
    });
    // One reader of the base's files in git for the whole diff: what the derived base read is not read again.
    const readers = () => ({ before: baseFiles, after: headCommit ? filesAt(repo, headCommit, prefix) : { read: fromFolder(folder) } });
    let head = (headView = await headSide());
    changes = await changesLater;
    const strip = (p: string) => (prefix && p.startsWith(prefix + '/') ? p.slice(prefix.length + 1) : p);
    const moved = new Map([...changes.renamed].map(([from, to]) => [strip(from), strip(to)]));
    // Files git finds the same on both sides: every path of the scanned folder that it names neither way.
    const touched = new Set([...changes.touched].map(strip));
    let base = await fromGit(baseCommit, 'base');
    const compare = () => {
      const out = diffViews(base, head, readers(), moved, touched, !!o.all);
      // Read in the same try as the pairing: a damaged stored side is made again for both.
      const want = o.headPrompts;
      if (want) want.take(head.runs.filter((r) => want.wanted(r.file, r.ownIds)).flatMap((r) => readRun(head, r).prompts), head.unreadable);
      return out;
    };
    let d: ReturnType<typeof diffViews>;
    try {
      d = compare();
    } catch (e) {
      if (!(e instanceof DamagedView)) throw e;
      // A stored side whose data does not match its index: both are forgotten and made again.
      for (const c of [baseCommit, headCommit]) if (c) sideCache?.drop(sideCache.key(c, prefix, epoch));
      if (!headCommit) forgetStoredForm(sideOptions(folder));
      head = headView = await headSide();
      base = await fromGit(baseCommit, 'base');
      d = compare();
    }
    return {
      tool: 'prompt-cost',
      base: { ref: o.base, commit: baseCommit, monthlyUsd: d.baseMonthlyUsd, unpriced: base.totals.unpriced, ...(base.unreadable.length ? { unreadable: base.unreadable } : {}) },
      head: { ref: o.head ?? 'work tree', ...(headCommit ? { commit: headCommit } : {}), monthlyUsd: d.headMonthlyUsd, unpriced: head.totals.unpriced, ...(head.unreadable.length ? { unreadable: head.unreadable } : {}) },
      deltaMonthlyUsd: d.deltaMonthlyUsd, deltaPct: d.deltaPct, prices: d.prices, counts: d.counts, prompts: d.prompts,
    };
  } finally {
    if (o.scan?.cacheDir) {
      savePriceLookups();
      engine.counter.kept?.save();
    }
    removeTree(tmp, written);
  }
}

/** Files past which a checkout is removed by a process of its own. */
const REMOVE_APART = 2000;

/**
 * Removes a checkout of a side: a large one (a monorepo's thousands of links take longer to remove
 * than its diff took) by a detached process, so that the answer does not wait for it; in this
 * process when small, or when no process can be started.
 */
function removeTree(dir: string, files: number): void {
  if (files > REMOVE_APART) {
    try {
      const child = spawn(process.execPath, ['-e', `require('fs').rmSync(${JSON.stringify(dir)}, { recursive: true, force: true })`], {
        detached: true, stdio: 'ignore', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, windowsHide: true,
      });
      child.on('error', () => fs.rmSync(dir, { recursive: true, force: true }));
      child.unref();
      return;
    } catch {
      // removed here
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
}
