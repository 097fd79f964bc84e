// The priced result of a whole scan, kept between runs: a warm rescan of an unchanged tree checks its
// files and answers with the stored report, without parsing, pricing or loading a grammar, the
// tokenizer or the price database.
//
// A stored report is used only when all of these are exactly as they were when it was written:
//   - the epoch: the tool's build, the root, the paths, the options and settings of the scan, the
//     config file's content and the price data in use (the bundled data, or a cached update's content);
//   - the list of files the walk found (so .gitignore and exclude changes are covered by what they do);
//   - the content of every input: each file the scan read (the candidates, text files code loads) and
//     each file a detection read through the workspace guard (imports, includes, `file://`), compared
//     by a digest of its content.
// As git's index does, a file whose stat (size, modification and change times, inode, device) is the
// one recorded when its content was read is taken to hold that content, without reading it; the walk
// is taken to find the same files when every folder it listed and every .gitignore it read has the
// stat recorded then. A stat is trusted only when the file had not changed for RACY_MS before it was
// read (git's "racy" entries): a write in the same clock tick as the read could leave the same times
// behind. The change time cannot be set back by a program (utimes sets it to now), so a file whose
// content and modification time were both restored is still read again.
// Anything else is a miss; a damaged or foreign entry is ignored and replaced by the scan that follows.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { decodeText, guardedReader, readFileBytes, readTextFile, type ByteCheck, type FileCheck } from './fileAccess';
import type { Detection, Engine } from './analyze';
import type { ScanReport } from './model';
import { priceCacheFile } from './prices/refresh';

const FORMAT = 4;
/** Stored reports kept (one per root and epoch); past this the oldest are removed. */
const MAX_REPORTS = 8;
/** The names of the other forms of a report callers keep beside it (storeExtra): removed with it. */
const EXTRAS = ['view'] as const;
export type ExtraName = (typeof EXTRAS)[number];
/**
 * A stat is evidence of content only when the file's times are this much older than the read: covers
 * coarse file system clocks (FAT: 2 s) and a write in the same tick as the read.
 */
export const RACY_MS = 2000;

/**
 * What a scan read, by kind: `f\0rel` a walked file as the walk reads it, `w\0rel` one read through the
 * workspace guard; each the content's digest, then (`\0`-separated) the file's stat tag and the time it
 * was read when the stat was taken before its bytes were read.
 */
export type ScanInputs = Map<string, string>;

export const fileInputKey = (rel: string) => `f\0${rel}`;
export const guardedInputKey = (rel: string) => `w\0${rel}`;

export function textDigest(text: string | undefined): string {
  return text === undefined ? '-' : crypto.createHash('sha1').update(text).digest('base64');
}

const bytesDigest = (bytes: Buffer) => crypto.createHash('sha1').update(bytes).digest('base64');

/** What identifies a file's (or folder's) content without reading it, as git's index keeps it. */
export function statTag(st: fs.Stats): string {
  return `${st.size}:${st.mtimeMs}:${st.ctimeMs}:${st.ino}:${st.dev}`;
}

const lstatOf = (abs: string): fs.Stats | undefined => {
  try {
    // No exception for a missing file: most import probes match nothing, and a throw costs more than the stat.
    return fs.lstatSync(abs, { throwIfNoEntry: false });
  } catch {
    return undefined; // not a folder on the way (ENOTDIR), no access
  }
};

/** An input's value: its digest, and the stat taken before it was read with the time of the read. */
export function inputValue(digest: string, stat?: fs.Stats, readAtMs = Date.now()): string {
  return stat ? `${digest}\0${statTag(stat)}\0${readAtMs}` : digest;
}

/** Whether a stored stat may stand for the content: the file had not changed for racyMs before it was read. */
function settled(tag: string, readAt: string, racyMs: number): boolean {
  const a = tag.indexOf(':');
  const b = tag.indexOf(':', a + 1);
  const c = tag.indexOf(':', b + 1);
  if (a < 0 || b < 0 || c < 0) return false;
  const mtime = Number(tag.slice(a + 1, b));
  const ctime = Number(tag.slice(b + 1, c));
  const at = Number(readAt);
  return Number.isFinite(mtime) && Number.isFinite(ctime) && Number.isFinite(at) && Math.max(mtime, ctime) < at - racyMs;
}

/** readTextFile of a walked file, its digest (and stat) recorded in `inputs` (when given) as lookup checks it. */
export function readRecorded(abs: string, rel: string, inputs: ScanInputs | undefined): FileCheck {
  if (!inputs) return readTextFile(abs);
  let value: string | undefined;
  const readAt = Date.now();
  const read = readTextFile(abs, {}, (bytes, stat) => (value = inputValue(bytesDigest(bytes), stat, readAt)));
  inputs.set(fileInputKey(rel), value ?? `!${(read as { reason: string }).reason}`);
  return read;
}

/** A guarded read that found no file (lstat: nothing by that name), as `inputs` records it. */
const ABSENT = '-\0absent';

/**
 * A reader through the workspace guard that records what it returned in `inputs` (`w\0` keys): the
 * stat of a regular file is taken before it is read, so a change after the read never matches it.
 */
export function recordingGuard(root: string, guarded: (rel: string) => string | undefined, inputs: ScanInputs): (rel: string) => string | undefined {
  return (rel) => {
    const readAt = Date.now();
    const before = lstatOf(path.resolve(root, rel));
    const text = guarded(rel);
    // Nothing there at all (most import probes): a later lookup may take an unchanged folder's word for
    // it. So is a folder the probe looked in that is not there either (`./tone` → `tone/index.ts`).
    const absent = text === undefined && !before;
    inputs.set(guardedInputKey(rel), absent ? ABSENT : inputValue(textDigest(text), text !== undefined && before?.isFile() ? before : undefined, readAt));
    const parent = path.posix.dirname(rel);
    if (absent && parent !== '.' && !inputs.has(guardedInputKey(parent)) && !lstatOf(path.resolve(root, parent))) inputs.set(guardedInputKey(parent), ABSENT);
    return text;
  };
}

/**
 * The walk's evidence (see the header): the stat of every folder it listed and every .gitignore it
 * read, taken before listing or reading, by `d\0rel` / `g\0rel` (the start: `s\0rel`); and each entry
 * it left out with why (`k\0rel`: a link out or to nothing, a pipe), whose value carries the path and
 * the reason after the stat.
 */
export type WalkRecord = Map<string, string>;

/**
 * The record's entry (not a stat) of which walked files are candidates (isCandidate, a function of the
 * path and the build, which the epoch holds): `1` or `0` for each file in walk order. A walk proven
 * unchanged takes them from it instead of testing thousands of paths against the file-name patterns.
 */
export const CANDIDATES_KEY = 'c\0';

/** The CANDIDATES_KEY value of `walked` and its candidates `files` (a subsequence of it, in its order). */
export function candidateFlags(walked: readonly string[], files: readonly string[]): string {
  const flags = new Array<string>(walked.length);
  let j = 0;
  for (let i = 0; i < walked.length; i++) flags[i] = j < files.length && files[j] === walked[i] ? (j++, '1') : '0';
  return flags.join('');
}

/** The stat tag the walk records for `abs` (lstat: a folder replaced by a link is another folder). */
export function walkTag(abs: string, follow = false): string | undefined {
  const readAt = Date.now();
  try {
    return `${statTag(follow ? fs.statSync(abs) : fs.lstatSync(abs))}\0${readAt}`;
  } catch {
    return undefined;
  }
}

/** The stat tag of `abs` now (walkTag without the time of the read), undefined when it cannot be taken. */
function statNow(abs: string, follow: boolean): string | undefined {
  try {
    const st = follow ? fs.statSync(abs, { throwIfNoEntry: false }) : fs.lstatSync(abs, { throwIfNoEntry: false });
    return st && statTag(st);
  } catch {
    return undefined;
  }
}

/** The price data a report was priced with: the bundled data (part of the build) or the cached update's content. */
export function priceEpoch(): string {
  const file = priceCacheFile();
  if (!file) return 'bundled';
  try {
    return crypto.createHash('sha1').update(fs.readFileSync(file)).digest('base64');
  } catch {
    return 'bundled';
  }
}

interface Stored {
  format: number;
  epoch: string;
  walked: string;
  /** The walk's files and evidence, when every folder's stat could be recorded. */
  walk?: { files: string[]; record: [string, string][] };
  inputs: [string, string][];
  /** Digest of the report's text (kept beside, as the JSON format prints it): the pair must match. */
  reportDigest: string;
  /** What a gate needs without reading the report. */
  summary: ReportSummary;
}

/** The parts of a report the CLI's exit code depends on. */
export type ReportSummary = Pick<ScanReport, 'totals' | 'budget' | 'unreadable'>;

/** A stored report: its bytes and text as `JSON.stringify(report, null, 2)` gives it, and the report when asked. */
export interface StoredReport {
  /** The UTF-8 bytes of `json()`: what printing the JSON writes, without decoding it. */
  bytes: Buffer;
  json(): string;
  summary: ReportSummary;
  report(): ScanReport;
}

/** The report as the JSON format prints it (without the final newline). */
export const reportJson = (report: ScanReport) => JSON.stringify(report, null, 2);

/** What the walk found: its files, and the entries it left out with why (part of the report). */
export type WalkSkip = { file: string; reason: string };

const listDigest = (files: readonly string[], skipped: readonly WalkSkip[] = []) => {
  const h = crypto.createHash('sha1').update(files.join('\0'));
  if (skipped.length) h.update(`\0\0${skipped.map((x) => `${x.file}\0${x.reason}`).join('\0')}`);
  return h.digest('base64');
};

export class ScanManifest {
  readonly epoch: string;
  private entry?: Stored | null;
  /**
   * Set by storedWalk when it proves the walk unchanged: the folders it listed (none has had an entry
   * added, removed or renamed since a time before the stored scan read anything) and the files found in them.
   */
  private unchangedFolders?: { folders: Set<string>; files: Set<string> };

  /**
   * `parts`: everything besides file contents that the report depends on (JSON data). `racyMs`: see
   * RACY_MS (a test sets 0 to have the stats of files it has just written trusted).
   */
  constructor(readonly dir: string, parts: Record<string, unknown>, private readonly racyMs = RACY_MS) {
    this.epoch = crypto.createHash('sha256').update(JSON.stringify({ format: FORMAT, prices: priceEpoch(), ...parts })).digest('hex');
  }

  private file(): string {
    return path.join(this.dir, `${this.epoch.slice(0, 40)}.json`);
  }

  private pricedFile(): string {
    return path.join(this.dir, `${this.epoch.slice(0, 40)}.priced`);
  }

  /**
   * Each file's priced result from the last scan of this epoch, by a digest of the detection priced:
   * after an edit, the files whose detection is unchanged are not priced again. Read lazily; anything
   * damaged is an empty memo.
   */
  pricedMemo(): PricedMemo {
    return new PricedMemo(() => {
      try {
        const m = JSON.parse(fs.readFileSync(this.pricedFile(), 'utf8')) as { format: number; epoch: string; files: Record<string, [string, string]> };
        if (m?.format === FORMAT && m.epoch === this.epoch && m.files && typeof m.files === 'object') return new Map(Object.entries(m.files));
      } catch { /* none or damaged */ }
      return new Map();
    });
  }

  private reportFile(): string {
    return path.join(this.dir, `${this.epoch.slice(0, 40)}.report`);
  }

  /** The stored entry of this epoch, read once; undefined when none, unreadable, damaged or foreign. */
  private stored(): Stored | undefined {
    if (this.entry !== undefined) return this.entry ?? undefined;
    let m: Stored | undefined;
    try {
      m = JSON.parse(fs.readFileSync(this.file(), 'utf8')) as Stored;
    } catch {
      m = undefined; // none, unreadable or damaged
    }
    const valid = !!m && m.format === FORMAT && m.epoch === this.epoch && typeof m.walked === 'string' && Array.isArray(m.inputs) && typeof m.reportDigest === 'string' && !!m.summary?.totals &&
      m.inputs.every((input) => Array.isArray(input) && typeof input[0] === 'string' && typeof input[1] === 'string');
    this.entry = valid ? m! : null;
    return this.entry ?? undefined;
  }

  /**
   * The files the last walk of this epoch found, when every folder it listed and every .gitignore it
   * read still has the stat it had then (and had settled before): the walk would find the same files.
   */
  storedWalk(): { files: string[]; record: WalkRecord; skipped: WalkSkip[]; candidates?: string[] } | undefined {
    const w = this.stored()?.walk;
    if (!w || !Array.isArray(w.files) || !Array.isArray(w.record) || !w.record.length) return undefined;
    const folders = new Set<string>();
    const skipped: WalkSkip[] = [];
    let flags: string | undefined;
    for (const r of w.record) {
      if (!Array.isArray(r) || typeof r[0] !== 'string' || typeof r[1] !== 'string') return undefined;
      if (r[0] === CANDIDATES_KEY) {
        flags = r[1];
        continue;
      }
      const [tag, readAt, rel, reason] = r[1].split('\0');
      if (readAt === undefined || !settled(tag, readAt, this.racyMs)) return undefined;
      const abs = r[0].slice(2);
      if (statNow(abs, r[0].startsWith('s\0')) !== tag) return undefined;
      // an entry the walk left out (a link, a pipe) with why: the same entry is left out for the same reason
      if (r[0].startsWith('k\0')) {
        if (rel === undefined || reason === undefined) return undefined;
        skipped.push({ file: rel, reason });
      } else if (!r[0].startsWith('g\0')) folders.add(abs);
    }
    if (listDigest(w.files, skipped) !== this.entry!.walked) return undefined;
    this.unchangedFolders = { folders, files: new Set(w.files) };
    const candidates = flags !== undefined && flags.length === w.files.length && /^[01]*$/.test(flags) ? w.files.filter((_, i) => flags!.charCodeAt(i) === 49) : undefined;
    return { files: w.files, record: new Map(w.record), skipped, ...(candidates ? { candidates } : {}) };
  }

  /** The stored report, if the walk found the same files and every input still reads the same. */
  lookup(root: string, walked: readonly string[], skipped: readonly WalkSkip[] = []): StoredReport | undefined {
    const m = this.stored();
    if (!m || !this.unchanged(root, walked, skipped)) return undefined;
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(this.reportFile());
    } catch {
      return undefined;
    }
    if (bytesDigest(bytes) !== m.reportDigest) return undefined; // not the report this entry was written with
    let json: string | undefined;
    let parsed: ScanReport | undefined;
    return { bytes, json: () => (json ??= bytes.toString('utf8')), summary: m.summary, report: () => (parsed ??= JSON.parse(json ??= bytes.toString('utf8')) as ScanReport) };
  }

  /**
   * Whether the stored entry describes this tree as it is: the walk found the same files and every
   * input still reads the same (checked once per walk list).
   */
  unchanged(root: string, walked: readonly string[], skipped: readonly WalkSkip[] = []): boolean {
    if (this.checked?.walked !== walked || this.checked.root !== root || this.checked.skipped !== skipped) this.checked = { root, walked, skipped, same: this.check(root, walked, skipped) };
    return this.checked.same;
  }

  private checked?: { root: string; walked: readonly string[]; skipped: readonly WalkSkip[]; same: boolean };

  /**
   * The paths (root-relative) whose content differs from the stored entry's inputs — walked files and
   * files read through the guard — and the files the walk finds or no longer finds (the stored walk's
   * list against `walked`); undefined when there is no entry, or its walk list is not kept and differs.
   */
  changes(root: string, walked: readonly string[], skipped: readonly WalkSkip[] = []): Set<string> | undefined {
    const m = this.stored();
    if (!m) return undefined;
    const collect = new Set<string>();
    if (m.walked !== listDigest(walked, skipped)) {
      const before = m.walk?.files;
      if (!Array.isArray(before) || listDigest(before, skipped) !== m.walked) return undefined;
      const now = new Set(walked);
      const then = new Set(before);
      for (const f of before) if (!now.has(f)) collect.add(f);
      for (const f of walked) if (!then.has(f)) collect.add(f);
    }
    if (!this.check(root, walked, skipped, collect)) return undefined;
    // Nothing differs: what `unchanged` would find (kept for refresh and lookup).
    this.checked = !collect.size && m.walked === listDigest(walked, skipped) ? { root, walked, skipped, same: true } : undefined;
    return collect;
  }

  /**
   * Stores a side kept without a whole report (a cost diff's work tree updated file by file): the entry
   * of what it read, and the view. A scan finds no report for it and scans; a diff takes the view.
   * `fresh` (from `changes`): the inputs found unchanged by content, with their stats of now.
   */
  storeView(walked: readonly string[], walkSkipped: readonly WalkSkip[], inputs: ScanInputs, totals: ScanReport['totals'], view: unknown, data: Buffer | undefined, walk?: WalkRecord): void {
    const json = JSON.stringify(view);
    const digest = `view:${textDigest(json)}`;
    const stored: Stored = {
      format: FORMAT, epoch: this.epoch, walked: listDigest(walked, walkSkipped), ...(walk?.size ? { walk: { files: [...walked], record: [...walk] } } : {}),
      inputs: [...inputs], reportDigest: digest, summary: { totals },
    };
    const at = this.file();
    try {
      fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      this.storeExtra('view', view, digest, data);
      const tmp = `${at}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(stored), { mode: 0o600 });
      fs.renameSync(tmp, at);
      this.entry = undefined;
      this.checked = undefined;
    } catch {
      // read-only or full disk
    }
  }

  /** The stored entry's inputs, with the stats `changes` found to prove unchanged ones now. */
  storedInputs(): ScanInputs | undefined {
    const m = this.stored();
    if (!m) return undefined;
    return new Map(m.inputs.map(([k, v]): [string, string] => [k, this.fresh?.get(k) ?? v]));
  }

  private check(root: string, walked: readonly string[], skipped: readonly WalkSkip[], collect?: Set<string>): boolean {
    const m = this.stored();
    if (!m || (!collect && m.walked !== listDigest(walked, skipped))) return false;
    const guarded = guardedReader(root);
    /** The stored stat still describes the file (and had settled when it was read): its content is unchanged. */
    const sameStat = (abs: string, tag: string | undefined, readAt: string | undefined) => {
      if (tag === undefined || readAt === undefined || !settled(tag, readAt, this.racyMs)) return false;
      const st = lstatOf(abs);
      return !!st && statTag(st) === tag;
    };
    // A file both walked and read through the guard (an import of a scanned file) is read once: the
    // walk found it a regular file inside the root in this run, which is what the guard would check;
    // its text digest is taken from the same bytes (or, when its stat proved it unchanged, it is).
    const walkedNow = new Set(walked);
    // Inputs found unchanged by their content though their stat was not proof of it (a hard link, a
    // touch, a checkout that rewrote the same bytes, a read too soon after a write): their stat now,
    // taken before the read, for `refresh`.
    const fresh = new Map<string, string>();
    const statBefore = new Map<string, { st: fs.Stats; at: number }>();
    this.fresh = fresh;
    const wanted = new Set(m.inputs.filter(([k]) => k.startsWith('w\0') && walkedNow.has(k.slice(2))).map(([k]) => k.slice(2)));
    const bytesOf = new Map<string, ByteCheck>();
    const unchanged = new Set<string>();
    const under = root.endsWith(path.sep) ? root : root + path.sep; // walked paths are plain: no join needed
    for (const [key, value] of m.inputs) {
      if (key.charCodeAt(0) !== 102 /* f */ || key.charCodeAt(1) !== 0) continue;
      const rel = key.slice(2);
      const abs = under + rel;
      // `digest\0tag\0readAt` (parts cut out by position: thousands of them, most proven by their stat)
      const i = value.indexOf('\0');
      const j = i < 0 ? -1 : value.indexOf('\0', i + 1);
      const k = j < 0 ? -1 : value.indexOf('\0', j + 1);
      const digest = i < 0 ? value : value.slice(0, i);
      const tag = i < 0 ? undefined : value.slice(i + 1, j < 0 ? undefined : j);
      const readAt = j < 0 ? undefined : value.slice(j + 1, k < 0 ? undefined : k);
      if (sameStat(abs, tag, readAt)) {
        unchanged.add(rel);
        continue;
      }
      const at = Date.now();
      const st = lstatOf(abs);
      const r = readFileBytes(abs);
      if ((r.ok ? bytesDigest(r.bytes) : `!${r.reason}`) !== digest) {
        if (!collect) return false;
        collect.add(rel);
        continue;
      }
      if (wanted.has(rel)) bytesOf.set(rel, r);
      if (tag !== undefined && st?.isFile()) fresh.set(key, inputValue(digest, st, at));
      if (st?.isFile()) statBefore.set(rel, { st, at });
    }
    // A read that found nothing in a folder the walk proved unchanged (storedWalk) still finds nothing:
    // a file created there since would have changed the folder's times. Likewise a path below a file
    // the walk found there (`global.css/index.ts`). Anything else is looked at.
    // A path below one that is itself still absent (`tone/index.ts` below `tone`) is absent too.
    const still = this.unchangedFolders;
    // A plain relative path (no `.` or `..` step, no doubled or leading slash) is the root joined with it:
    // path.resolve's normalising is most of the time of thousands of them.
    const absOf = (rel: string) => (path.sep === '/' && rel && !rel.startsWith('/') && !rel.endsWith('/') && !rel.includes('//') && !/(^|\/)\.\.?(\/|$)/.test(rel) ? under + rel : path.resolve(root, rel));
    const absentThen = new Set(still ? m.inputs.filter(([k, v]) => v === ABSENT && k.startsWith('w\0')).map(([k]) => absOf(k.slice(2))) : []);
    const proven = new Map<string, boolean>();
    const stillAbsent = (abs: string): boolean => {
      if (!still) return false;
      let r = proven.get(abs);
      if (r !== undefined) return r;
      const dir = path.dirname(abs);
      r = still.folders.has(dir) ||
        (still.files.has(path.relative(root, dir).split(path.sep).join('/')) && still.folders.has(path.dirname(dir))) ||
        (dir !== abs && absentThen.has(dir) && stillAbsent(dir));
      proven.set(abs, r);
      return r;
    };
    for (const [key, value] of m.inputs) {
      if (key.startsWith('f\0')) continue;
      if (!key.startsWith('w\0')) return false;
      const rel = key.slice(2);
      if (collect?.has(rel)) continue;
      if (walkedNow.has(rel) && unchanged.has(rel)) continue;
      const abs = absOf(rel);
      if (value === ABSENT && stillAbsent(abs)) continue;
      const [digest, tag, readAt] = value.split('\0');
      if (sameStat(abs, tag, readAt)) continue;
      // Nothing there (an import probe that matched no file, as most do): the guard would read nothing.
      if (digest === '-' && !lstatOf(abs)) continue;
      const r = bytesOf.get(rel);
      const at = Date.now();
      const st = r ? statBefore.get(rel) : { st: lstatOf(abs), at };
      const text = r ? (r.ok ? decodeText(r.bytes) : undefined) : undefined;
      const now = r ? textDigest(text?.ok ? text.text : undefined) : textDigest(guarded(rel));
      if (now !== digest) {
        if (!collect) return false;
        collect.add(rel);
        continue;
      }
      if (tag !== undefined && st?.st?.isFile()) fresh.set(key, inputValue(digest, st.st, st.at));
    }
    return true;
  }

  /** See check: inputs whose content proved them unchanged, with their stat now. */
  private fresh?: Map<string, string>;

  /**
   * After `unchanged` found the tree unchanged: when some of it was proven so by reading it (its stat
   * had changed, or had not settled), the entry is written again with the stats of now, so that the
   * next scan takes them as proof (as git refreshes its index); likewise a walk that had to be done
   * again (`walk`: its record). The report is the same: only the entry is written.
   */
  refresh(walk?: WalkRecord): void {
    const m = this.stored();
    const walkAgain = !this.unchangedFolders && !!walk?.size;
    if (!m || !this.checked?.same || (!this.fresh?.size && !walkAgain)) return;
    const inputs = m.inputs.map(([k, v]): [string, string] => [k, this.fresh?.get(k) ?? v]);
    const next: Stored = { ...m, inputs, ...(walkAgain ? { walk: { files: [...this.checked.walked], record: [...walk!] } } : {}) };
    const at = this.file();
    try {
      const tmp = `${at}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(next), { mode: 0o600 });
      fs.renameSync(tmp, at);
      this.entry = next;
      this.fresh = undefined;
    } catch {
      // read-only or full disk
    }
  }

  /**
   * Stores a report with what it read (`json`: reportJson(report), when the caller has it already).
   * Failing to write only costs the next scan its speed.
   */
  store(walked: readonly string[], walkSkipped: readonly WalkSkip[], inputs: ScanInputs, report: ScanReport, json = reportJson(report), priced?: PricedMemo, walk?: WalkRecord): string | undefined {
    const stored: Stored = {
      format: FORMAT, epoch: this.epoch, walked: listDigest(walked, walkSkipped), ...(walk?.size ? { walk: { files: [...walked], record: [...walk] } } : {}),
      inputs: [...inputs], reportDigest: textDigest(json), summary: { totals: report.totals, ...(report.budget ? { budget: report.budget } : {}), ...(report.unreadable ? { unreadable: report.unreadable } : {}) },
    };
    const at = this.file();
    try {
      fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      const tmp = `${at}.${process.pid}.tmp`;
      const tmpReport = `${this.reportFile()}.${process.pid}.tmp`;
      fs.writeFileSync(tmpReport, json, { mode: 0o600 });
      fs.renameSync(tmpReport, this.reportFile());
      if (priced) {
        const tmpPriced = `${this.pricedFile()}.${process.pid}.tmp`;
        fs.writeFileSync(tmpPriced, JSON.stringify({ format: FORMAT, epoch: this.epoch, files: Object.fromEntries(priced.next) }), { mode: 0o600 });
        fs.renameSync(tmpPriced, this.pricedFile());
      }
      fs.writeFileSync(tmp, JSON.stringify(stored), { mode: 0o600 });
      fs.renameSync(tmp, at);
      this.entry = undefined; // read again if asked for: the scan that stored it keeps nothing of it
      this.checked = undefined;
      this.prune();
      return stored.reportDigest;
    } catch {
      return undefined; // read-only or full disk
    }
  }

  /** The digest of the report the stored entry holds (undefined: none), for storeExtra. */
  reportDigest(): string | undefined {
    return this.stored()?.reportDigest;
  }

  private extraFile(name: ExtraName): string {
    return path.join(this.dir, `${this.epoch.slice(0, 40)}.${name}`);
  }

  /**
   * The file of the bytes stored with the `name` form (storeExtra's `data`), for the caller to read
   * parts of: nothing vouches for them but what the caller stored in the form itself (digests).
   */
  extraData(name: ExtraName): string {
    return `${this.extraFile(name)}.data`;
  }

  /**
   * Another form of the stored report that a caller keeps beside it (the cost diff's per-file view):
   * the value stored with `storeExtra` for the report the entry holds now, if `valid` accepts it.
   * Whether the report still describes the tree is the caller's to check (`unchanged`).
   */
  extra<V>(name: ExtraName, valid: (v: unknown) => v is V): V | undefined {
    const m = this.stored();
    if (!m) return undefined;
    try {
      const x = JSON.parse(fs.readFileSync(this.extraFile(name), 'utf8')) as { format: number; epoch: string; reportDigest: string; value: unknown };
      return x?.format === FORMAT && x.epoch === this.epoch && x.reportDigest === m.reportDigest && valid(x.value) ? x.value : undefined;
    } catch {
      return undefined; // none, unreadable or damaged
    }
  }

  /** Removes the `name` form (found damaged by its caller). */
  forgetExtra(name: ExtraName): void {
    for (const f of [this.extraFile(name), this.extraData(name)]) fs.rmSync(f, { force: true });
  }

  /**
   * Stores `value` as the `name` form of the report whose digest is `reportDigest` (what `store` or
   * `reportDigest` returned for it: a form is never attached to another report than its own).
   */
  storeExtra(name: ExtraName, value: unknown, reportDigest: string, data?: Buffer): void {
    const at = this.extraFile(name);
    try {
      fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      if (data) {
        const tmpData = `${at}.data.${process.pid}.tmp`;
        fs.writeFileSync(tmpData, data, { mode: 0o600 });
        fs.renameSync(tmpData, this.extraData(name));
      }
      const tmp = `${at}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify({ format: FORMAT, epoch: this.epoch, reportDigest, value }), { mode: 0o600 });
      fs.renameSync(tmp, at);
    } catch {
      // read-only or full disk
    }
  }

  private prune(): void {
    try {
      const names = fs.readdirSync(this.dir).filter((n) => n.endsWith('.json'));
      if (names.length <= MAX_REPORTS) return;
      const byAge = names.map((n) => ({ n, t: fs.statSync(path.join(this.dir, n)).mtimeMs })).sort((a, b) => a.t - b.t);
      for (const { n } of byAge.slice(0, names.length - MAX_REPORTS)) {
        fs.rmSync(path.join(this.dir, n), { force: true });
        fs.rmSync(path.join(this.dir, n.replace(/\.json$/, '.report')), { force: true });
        fs.rmSync(path.join(this.dir, n.replace(/\.json$/, '.priced')), { force: true });
        for (const extra of EXTRAS) for (const f of [`.${extra}`, `.${extra}.data`]) fs.rmSync(path.join(this.dir, n.replace(/\.json$/, f)), { force: true });
      }
    } catch {
      // another process pruned meanwhile
    }
  }
}

/**
 * Whether a report may be stored: a result that depends on this machine's speed (a file skipped over a
 * time budget) or that JSON cannot carry faithfully (a non-finite total) is computed again next time.
 */
export function storable(report: ScanReport): boolean {
  if (!Number.isFinite(report.totals.monthlyUsd) || !Number.isFinite(report.totals.perDayUsd)) return false;
  return !report.skipped.some((s) => /budget/.test(s.reason));
}

type Priced = ReturnType<Engine['price']>;

/** A file's priced result by its detection (see ScanManifest.pricedMemo). */
export class PricedMemo {
  private earlier?: Map<string, [string, string]>;
  /** What this scan priced: the next scan's memo (files gone from the tree drop out). */
  readonly next = new Map<string, [string, string]>();

  constructor(private readonly load: () => Map<string, [string, string]>) {}

  /** The digest of what pricing reads from a detection: its text, prompts, diagnostics and notebook. */
  keyOf(d: Detection): string {
    return crypto.createHash('sha1').update(JSON.stringify([d.file, d.detected, d.diagnostics, d.notebook ?? null])).update('\0').update(d.text).digest('base64');
  }

  get(file: string, key: string): Priced | undefined {
    this.earlier ??= this.load();
    const e = this.earlier.get(file);
    if (!Array.isArray(e) || e[0] !== key || typeof e[1] !== 'string') return undefined;
    try {
      const a = JSON.parse(e[1]) as Priced;
      return Array.isArray(a?.prompts) && Array.isArray(a.diagnostics) ? a : undefined;
    } catch {
      return undefined;
    }
  }

  set(file: string, key: string, a: Priced): void {
    const json = JSON.stringify(a);
    // JSON has no NaN or Infinity (they come back as null): such a result is priced again next time.
    if (/[:,[]null\b/.test(json)) return;
    this.next.set(file, [key, json]);
  }
}
