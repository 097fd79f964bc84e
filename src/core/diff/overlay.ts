// The base side of a cost diff derived from the work tree's side, without a checkout or a scan of the
// base: git names the paths whose content differs between the two (and the walk of the base's files
// says which it holds); the work tree's scan kept, per file, what its detection read (SideState). A
// file whose content is the same on both sides and that read nothing that differs has the same
// detection, so the same prompts: its run of the work tree's side is the base's as it is. Only the
// files that differ, and those that read them, are detected again, from the base's content.
//
// What the scan does across files is checked to leave every other file as it is, else the base is
// scanned as before (undefined): no prompt of another file takes a part from (or sends an agent of) a
// file that differs or is detected again, nor do those files' prompts from others; no text file code
// loads as a prompt changes, and no file that differs gives the loaded-text pass a fact on either
// side; no vars file changes beside a template; no prompt detected again has a static start long enough
// to share a cache prefix; no prompt has an annotation id (ids are then unique without renumbering);
// neither side's prompt files that could not be read are among them. The totals are summed from each
// prompt's cost in report order, as the scan sums them.
//
// The work tree after an edit is derived the same way from the side stored for it before (updateSide):
// the paths whose content differs are those the stored scan's inputs find changed (ScanManifest.changes).
import * as fs from 'fs';
import * as path from 'path';
import type { Detection, Engine } from '../analyze';
import type { PromptCostConfig } from '../config';
import { guardedReader } from '../fileAccess';
import type { PromptReport, ScanReport, Severity } from '../model';
import type { SourcedTraffic } from '../config/types';
import { stablePrefixText } from '../cache/shared';
import { givesTextPromptFacts, readsForFacts } from '../textPrompts';
import { isTextPromptName } from '../detect/files';
import { currentBuild, DetectionCache } from '../detectionCache';
import { detectBatch, isCandidate, refsOf, SHARED_PREFIX_CHARS, walkFinds, walkListing, walkOrder, type FileDeps, type ScannedDetection, type ScanPlan } from '../workspace';
import { readRecorded, type ScanInputs } from '../scanManifest';
import { filesAt, sameAsWorkTree, writeTree, type Conversions, type GitFiles, type GitRepo, type TreeFile } from './git';
import { hasOwnId } from './pair';
import { digestOf, runOf, stateOf, withState, type FileRun, type SideView, type StoredSideState, type ViewIndex } from './view';

export interface OverlayInput {
  repo: GitRepo;
  /** The base commit, and the scanned folder relative to the repository's top ('' for all of it). */
  commit: string;
  prefix: string;
  /** The work tree's scanned folder (real path): the head side. */
  folder: string;
  /** The head side, as scanned with ScanOptions.sideState. */
  head: SideView;
  /** Paths (repository-relative) git names between the base and the work tree (changedPaths). */
  touched: ReadonlySet<string>;
  /** The base's files that a checkout would hold (treeToWrite). */
  files: TreeFile[];
  /** Which of them git converts between the commit and the work tree, when asked already (conversionsLater). */
  converted?: Conversions;
  /** The config both sides are priced with (their texts are the same). */
  config: PromptCostConfig;
  exclude?: string[];
  heuristics?: boolean;
  settings?: SourcedTraffic;
  severities?: Record<string, Severity>;
  cacheDir?: string;
  engine: Engine;
  /** An empty folder for the few files the base holds otherwise. */
  tmp: string;
  /**
   * The diff's reader of the base's files in git (filesAt): what this reads from git goes through it or
   * into it, so that the diff's pairing reads none of them again (one `cat-file` for the diff).
   */
  git?: GitFiles;
}

/** Why a side was not derived (PROMPT_COST_DEBUG_OVERLAY=1: on stderr). */
const no = (why: string): undefined => {
  if (process.env.PROMPT_COST_DEBUG_OVERLAY) process.stderr.write(`overlay: the base is scanned: ${why}\n`);
  return undefined;
};

/** Past this many files to detect again a scan of the base is as quick. */
const MAX_DIRTY = 200;

const DATA_NAME = /\.(ya?ml|json)$/i;
const dirOf = (rel: string) => rel.slice(0, rel.lastIndexOf('/') + 1);
const PROMPTFOO = /(^|\/)promptfooconfig[^/]*\.ya?ml$/;

const readOr = (abs: string): string | undefined => {
  try {
    return fs.readFileSync(abs, 'utf8');
  } catch {
    return undefined;
  }
};

/** Two lists in walk order (walkOrder) as one. */
function mergeSorted(a: string[], b: string[]): string[] {
  const out: string[] = [];
  let i = 0, j = 0;
  while (i < a.length || j < b.length) out.push(j >= b.length || (i < a.length && walkOrder(a[i], b[j]) < 0) ? a[i++] : b[j++]);
  return out;
}

/** A read (FileDeps' `+path` / `-path`) by the path it names (a read may be written `src/../x.ts`). */
const named = (d: string) => {
  const p = d.slice(1);
  return /(^|\/)\.\.?(\/|$)|\/\/|^\//.test(p) ? path.posix.normalize(p) : p;
};

export function isState(s: unknown): s is StoredSideState {
  const x = s as StoredSideState;
  const strings = (a: unknown): a is string[] => Array.isArray(a) && a.every((v) => typeof v === 'string');
  const pairs = (a: unknown) => Array.isArray(a) && a.every((e) => Array.isArray(e) && e.length === 2 && typeof e[0] === 'string' && strings(e[1]));
  return !!x && typeof x === 'object' && strings(x.walked) && pairs(x.deps) && pairs(x.refs) && strings(x.templateFolders) && strings(x.longPrefix) &&
    !!x.text && strings(x.text.candidates) && strings(x.text.factful) && !!x.text.lookup && strings(x.text.lookup.names) && strings(x.text.lookup.folders) &&
    strings(x.text.lookup.bareNames) && strings(x.text.lookup.bareFolders) && (x.ignores === undefined || strings(x.ignores));
}

/** The base side (a view's index and data) derived from the head's, or undefined when it must be scanned. */
export async function overlaySide(o: OverlayInput): Promise<MadeSide | undefined> {
  const st = stateOf(o.head);
  if (!isState(st) || o.head.texts) return no('no state');
  const base = o.prefix ? o.prefix.replace(/\/$/, '') + '/' : '';
  const strip = (p: string) => (base && p.startsWith(base) ? p.slice(base.length) : p);
  // The base's files (folder-relative), and those byte for byte the work tree's.
  const inBase = new Map(o.files.map((f) => [strip(f.path), f] as const));
  const same = new Set([...sameAsWorkTree(o.repo, o.files.map((f) => f.path), o.touched, o.converted)].map(strip));
  // The base's walk: where every .gitignore either walk reads is the same on both sides, the work
  // tree's walk of the files they share and the walk's rules for the others; else over its listing.
  const exclude = [...o.config.exclude, ...(o.exclude ?? [])];
  const ignores = [...inBase.keys()].filter((p) => p === '.gitignore' || p.endsWith('/.gitignore'));
  let baseWalked: string[];
  if (st.ignores && [...st.ignores, ...ignores].every((g) => same.has(g))) {
    const finds = walkFinds((rel) => (inBase.has(rel) ? readOr(path.join(o.folder, rel)) : undefined), exclude);
    baseWalked = st.walked.filter((f) => same.has(f));
    const more = [...inBase.keys()].filter((f) => !same.has(f) && finds(f)).sort(walkOrder);
    if (more.length) baseWalked = mergeSorted(baseWalked, more);
  } else {
    const git = o.git ?? filesAt(o.repo, o.commit, o.prefix);
    git.prefetch(ignores);
    baseWalked = walkListing([...inBase.keys()], (rel) => git.read(rel), exclude);
  }
  const headWalked = st.walked;
  const headAt = new Map(headWalked.map((f, i) => [f, i] as const));
  const baseAt = new Map(baseWalked.map((f, i) => [f, i] as const));

  // Paths whose content (or presence) differs between the sides.
  const changed = new Set<string>();
  for (const f of headWalked) if (!baseAt.has(f) || !same.has(f)) changed.add(f);
  for (const f of baseWalked) if (!headAt.has(f) || !same.has(f)) changed.add(f);
  for (const [, list] of st.deps) {
    for (const d of list) {
      if (d === '*') continue;
      const p = named(d);
      if (d[0] === '+' ? !same.has(p) : inBase.has(p)) changed.add(p);
    }
  }
  // Reads of the base: its changed files from the folder they were written to, the rest from the work tree.
  let written = new Set<string>();
  const readerFor = (onRefuse: (r: { file: string; reason: string }) => void) => {
    const tmpGuard = guardedReader(o.tmp, onRefuse);
    const workGuard = guardedReader(o.folder, onRefuse);
    return (rel: string): string | undefined => {
      const n = path.posix.normalize(rel.split(path.sep).join('/'));
      if (n.startsWith('../') || n === '..' || path.posix.isAbsolute(n)) return tmpGuard(rel); // refused as the checkout's guard refuses it
      if (!inBase.has(n)) return undefined;
      return written.has(n) ? tmpGuard(rel) : workGuard(rel);
    };
  };
  const made = await deriveSide({
    from: o.head, st, walked: baseWalked, changed, engine: o.engine, config: o.config, settings: o.settings, severities: o.severities,
    // The base's content of the files it holds otherwise, and of the files detected again, in a folder of their own.
    prepare: (affected) => {
      const fromBase = [...affected].filter((f) => inBase.has(f));
      writeTree(o.repo, o.commit, o.prefix, o.tmp, fromBase.map((f) => inBase.get(f)!), undefined, o.git && ((f, bytes) => o.git!.remember(strip(f.path), bytes)));
      written = new Set(fromBase);
    },
    textOf: (f) => {
      try {
        return fs.readFileSync(path.join(o.tmp, f), 'utf8');
      } catch {
        return undefined;
      }
    },
    detect: (files, deps) => detectBatch(files, { root: o.tmp, heuristics: o.heuristics, budgets: o.engine.budgets, ...(o.cacheDir ? { cache: { dir: o.cacheDir, build: currentBuild() } } : {}) }, o.engine, undefined, undefined, { readerFor, deps }),
    withoutState: true,
  });
  // (the base keeps no state: nothing is derived from it)
  return made;
}

export interface DeriveInput {
  /** The side derived from, scanned with its SideState. */
  from: SideView;
  st: StoredSideState;
  /** The derived side's walk. */
  walked: string[];
  /** Paths whose content or presence differs between the sides (the walks' differences, and what reads name, included). */
  changed: Set<string>;
  engine: Engine;
  config: PromptCostConfig;
  settings?: SourcedTraffic;
  severities?: Record<string, Severity>;
  /** Called once the files to detect are known (`affected`: those and the changed ones), before any is read. */
  prepare?: (affected: Set<string>) => void;
  /** The derived side's text of a changed walked file (undefined: unreadable). */
  textOf: (file: string) => string | undefined;
  /** Detects files of the derived side (in its walk order), with what each read (BatchHooks.deps). */
  detect: (files: string[], deps: FileDeps) => Promise<{ detections: Detection[]; skipped: ScanReport['skipped'] }>;
  /** A detection made afresh (not from the cache), with the counts its pricing used. */
  onFresh?: (d: ScannedDetection, counts: [string, number][]) => void;
  /** The derived side keeps no state (nothing is derived from it: the base). */
  withoutState?: boolean;
}

/**
 * A side derived from another: the runs of files that neither differ nor read what differs kept as
 * they are, the rest detected and priced again, its state (SideState) carried over; undefined when a
 * cross-file pass could join what differs with another file (see the header).
 */
export async function deriveSide(o: DeriveInput): Promise<MadeSide | undefined> {
  const st = o.st;
  const runs = o.from.runs;
  if (o.from.texts || runs.some((r) => r.ownIds || !r.costs)) return no('an annotation id or no costs');
  const changed = o.changed;
  const baseAt = new Map(o.walked.map((f, i) => [f, i] as const));
  const deps = new Map(st.deps);
  const state = (newDeps: FileDeps, affected: Set<string>, templates: string[]): StoredSideState => ({
    ...st, walked: o.walked, deps: [...[...deps].filter(([f]) => !affected.has(f)), ...newDeps], templateFolders: [...new Set([...st.templateFolders, ...templates])],
  });
  if (!changed.size) return withRuns(o.from, runs, new Map(), baseAt, o.withoutState ? undefined : st);
  // Files to detect again: those that differ, and those whose detection read what differs.
  const dirty = new Set<string>();
  for (const f of changed) if (isCandidate(f)) dirty.add(f);
  for (const [f, list] of deps) {
    if (list.includes('*')) return no('a failed detection'); // a detection that failed: what it would read is not known
    if (list.some((d) => changed.has(named(d)))) dirty.add(f);
  }
  if (dirty.size > MAX_DIRTY) return no('too many files');
  const affected = new Set([...changed, ...dirty]);

  // Across files: nothing joins an affected file with another.
  const refs = new Map(st.refs);
  const referred = new Set<string>();
  for (const list of refs.values()) for (const f of list) referred.add(f);
  for (const f of affected) if (refs.has(f) || referred.has(f)) return no('a part across files');
  const templateFolders = new Set(st.templateFolders);
  const longPrefix = new Set(st.longPrefix);
  const factful = new Set(st.text.factful);
  const unreadable = new Set(o.from.unreadable.map((u) => u.file));
  const lookup = st.text.candidates.length ? st.text.lookup : undefined;
  for (const f of affected) {
    if (isTextPromptName(f) || PROMPTFOO.test(f) || longPrefix.has(f) || unreadable.has(f) || factful.has(f)) return no('a text prompt, promptfoo glob, long prefix, unreadable or loaded-text fact');
    // A data file the base holds beside a template may fill it (one that fills it now is a ref).
    if (DATA_NAME.test(f) && baseAt.has(f) && templateFolders.has(dirOf(f))) return no('a vars file beside a template');
  }
  o.prepare?.(affected);
  if (lookup) {
    for (const f of changed) {
      if (!baseAt.has(f) || !readsForFacts(f)) continue;
      const text = o.textOf(f);
      if (text === undefined) return no('an unreadable file');
      if (givesTextPromptFacts(f, text, lookup)) return no('a loaded-text fact');
    }
  }
  const toDetect = [...dirty].filter((f) => baseAt.has(f)).sort((a, b) => baseAt.get(a)! - baseAt.get(b)!);
  const newDeps: FileDeps = new Map();
  const detected = await o.detect(toDetect, newDeps);
  if (detected.skipped.some((s) => /budget/.test(s.reason))) return no('a budget');
  const detections = detected.detections as ScannedDetection[];
  if (refsOf(detections).size) return no('a new part across files');
  const counts: [string, number][] = [];
  for (const d of detections) if (d.storedCounts) counts.push(...d.storedCounts);
  o.engine.counter.seed(counts);
  const fresh = new Map<string, PromptReport[]>();
  const templates: string[] = [];
  for (const scanned of detections) {
    const { storedCounts: _c, freshReads, ...d } = scanned;
    if (isTemplate(d)) {
      if (o.walked.some((f) => f !== d.file && DATA_NAME.test(f) && dirOf(f) === dirOf(d.file))) return no('a template beside a data file');
      templates.push(dirOf(d.file));
    }
    if (d.detected.some((p) => stablePrefixText(p).length >= SHARED_PREFIX_CHARS)) return no('a long prefix');
    let a!: ReturnType<Engine['price']>;
    const counts = o.engine.counter.recordCounts(() => (a = o.engine.price(d, { config: o.config, settings: o.settings, severities: o.severities })));
    if (a.prompts.some((p) => hasOwnId(p) || p.file !== d.file)) return no('an annotation id');
    if (a.diagnostics.some((x) => x.code === 'prompt-file-error' && x.severity === 'error')) return no('an unreadable prompt file');
    if (freshReads) o.onFresh?.(scanned, counts);
    if (a.prompts.length) fresh.set(d.file, a.prompts);
  }
  return withRuns(o.from, runs.filter((r) => !affected.has(r.file)), fresh, baseAt, o.withoutState ? undefined : state(newDeps, affected, templates));
}

/** A prompt file's template with slots, which a vars file beside it may fill (addTemplateVars). */
function isTemplate(d: Detection): boolean {
  return d.detected.some((p) => p.source === 'prompt-file' && !p.parts.some((x) => x.file) && p.parts.some((x) => x.slots.length));
}

/**
 * A side made by deriveSide: its index and data, or (`appendedTo`) its index alone, its runs in that
 * data file — the one of the side it was derived from, which its new runs (and state) were appended to.
 */
export type MadeSide = { index: ViewIndex; data: Buffer; appendedTo?: string };

/** Past this share of bytes no index uses, a data file is written anew instead of appended to. */
const MAX_DEAD_SHARE = 0.5;

/**
 * The side of `head`'s runs `kept` and the new prompts `fresh` (by file), in the base's walk order, with
 * its totals summed from each prompt's cost in that order (as the scan's summary sums them). When
 * `head` is kept in a data file (onDisk), only what is new — the fresh runs and the state — is appended
 * to that file, and the kept runs stay where they are in it: an edit writes kilobytes, not the whole
 * side again (and reads none of it). A file mostly of bytes no index uses any more is written anew.
 */
function withRuns(head: SideView, kept: FileRun[], fresh: Map<string, PromptReport[]>, baseAt: Map<string, number>, state: StoredSideState | undefined): MadeSide | undefined {
  const entries: { at: number; run: Omit<FileRun, 'at'>; from?: FileRun; bytes?: Buffer }[] = [];
  const seen = new Set<string>();
  for (const r of kept) {
    const at = baseAt.get(r.file);
    if (at === undefined || seen.has(r.file)) return no('a run out of place');
    seen.add(r.file);
    const { at: _at, ...run } = r;
    entries.push({ at, run, from: r });
  }
  for (const [file, prompts] of fresh) {
    const at = baseAt.get(file);
    if (at === undefined || seen.has(file)) return no('a run out of place');
    seen.add(file);
    const json = Buffer.from(JSON.stringify(prompts));
    entries.push({ at, run: runOf(file, prompts, json, json.length), bytes: json });
  }
  entries.sort((a, b) => a.at - b.at);
  // The head's runs are in its walk order: the same order in the base's walk (a file's place among the
  // others does not move), unless something is amiss — then the base is scanned.
  let perDayUsd = 0;
  let monthlyUsd = 0;
  let unpriced = 0;
  let prompts = 0;
  for (const e of entries) {
    for (const c of e.run.costs!) {
      if (c) {
        perDayUsd += c[0];
        monthlyUsd += c[1];
      } else unpriced++;
    }
    prompts += e.run.count;
  }
  if (!Number.isFinite(perDayUsd) || !Number.isFinite(monthlyUsd)) return no('a total not finite');
  const index = { totals: { prompts, perDayUsd, monthlyUsd, unpriced }, prices: head.prices, texts: false, runs: [] as FileRun[], unreadable: head.unreadable };
  const appended = head.file ? appendRuns(head.file, entries, index, state) : undefined;
  if (appended) return appended;
  const end = head.runs.reduce((n, r) => Math.max(n, r.at + r.length), 0);
  // (the runs come first in the data: the state, if any, after them)
  const all = end ? head.read(0, end) : Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let offset = 0;
  // (A kept run's bytes are checked against its digest where a diff reads them, as a stored side's are.)
  for (const e of entries) {
    const bytes = e.bytes ?? all.subarray(e.from!.at, e.from!.at + e.from!.length);
    index.runs.push({ ...e.run, at: offset });
    chunks.push(bytes);
    offset += bytes.length;
  }
  return withState(index, chunks, offset, state);
}

/**
 * withRuns' side with its new bytes appended to `file` (the data file the kept runs are in), or
 * undefined when the file cannot be appended to or would be mostly dead bytes (then written anew).
 * Another process appending at the same moment can leave an index pointing at the wrong bytes: each run
 * is checked against its digest where it is read (DamagedView), and the sides are then made again.
 */
function appendRuns(file: string, entries: { run: Omit<FileRun, 'at'>; from?: FileRun; bytes?: Buffer }[], index: Omit<ViewIndex, 'state'>, state: StoredSideState | undefined): MadeSide | undefined {
  const stateBytes = state ? Buffer.from(JSON.stringify(state)) : undefined;
  const added = [...entries.filter((e) => e.bytes).map((e) => e.bytes!), ...(stateBytes ? [stateBytes] : [])];
  const addedLength = added.reduce((n, b) => n + b.length, 0);
  const live = entries.reduce((n, e) => n + (e.from?.length ?? 0), 0) + addedLength;
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r+'); // (never made here: a file gone is written anew)
    const size = fs.fstatSync(fd).size;
    if (size + addedLength > live / (1 - MAX_DEAD_SHARE)) return undefined;
    let pos = size;
    const runs: FileRun[] = [];
    for (const e of entries) {
      if (e.from) runs.push({ ...e.run, at: e.from.at });
      else {
        runs.push({ ...e.run, at: pos });
        pos += e.bytes!.length;
      }
    }
    const bytes = Buffer.concat(added);
    if (fs.writeSync(fd, bytes, 0, bytes.length, size) !== bytes.length) return undefined;
    return {
      index: { ...index, runs, ...(stateBytes ? { state: { at: pos, length: stateBytes.length, digest: digestOf(stateBytes) } } : {}) },
      data: Buffer.alloc(0), appendedTo: file,
    };
  } catch {
    return undefined; // written anew
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * The work tree's side after an edit, derived from the side stored for the tree before it
 * (scanWorkspaceAs' `derive`): `changed` the paths whose content differs since, `inputs` the stored
 * scan's inputs, where what this reads is recorded.
 */
export async function updateSide(from: SideView, changed: Set<string>, plan: Pick<ScanPlan, 'root' | 'walked' | 'config'>, inputs: ScanInputs, o: { engine: Engine; heuristics?: boolean; settings?: SourcedTraffic; severities?: Record<string, Severity>; cacheDir?: string }): Promise<(MadeSide & { totals: ScanReport['totals'] }) | undefined> {
  const st = stateOf(from);
  if (!isState(st)) return no('no state');
  const store = o.cacheDir ? new DetectionCache(o.cacheDir, currentBuild()) : undefined;
  const made = await deriveSide({
    from, st, walked: plan.walked, changed, engine: o.engine, config: plan.config, settings: o.settings, severities: o.severities,
    textOf: (f) => {
      const r = readRecorded(path.join(plan.root, f), f, inputs);
      return r.ok ? r.text : undefined;
    },
    detect: (files, deps) => detectBatch(files, { root: plan.root, heuristics: o.heuristics, budgets: o.engine.budgets, ...(o.cacheDir ? { cache: { dir: o.cacheDir, build: currentBuild() } } : {}) }, o.engine, undefined, undefined, { inputs, deps }),
    // Stored with the counts its pricing used, as a scan stores a fresh detection.
    onFresh: ({ storedCounts: _c, freshReads, ...d }, counts) => store?.put(d.file, d.text, { heuristics: o.heuristics }, d, freshReads!, counts),
  });
  return made && { ...made, totals: made.index.totals };
}
