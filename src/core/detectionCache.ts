// Detections kept between sessions. The slowest step of a language server's cold start is the first
// tree-sitter parse of a large file (its WASM code is not optimised yet); a restarted server whose
// files have not changed answers from here instead, and parses in the background afterwards.
//
// An entry is used only when all of these are exactly as they were when it was written: the file's
// text, the build of the detector, the heuristics setting, and the content of every file the detection
// read (imports it followed, files a prompt file includes). Anything else is a miss, never a guess.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { Detection, DetectOptions } from './analyze';
import { snapshotDir } from './tokens/encodings';
import { mayBePromptFile, readerFor } from './detect/files';
import { TOOL_VERSION } from './version';

/** What a detection read besides its own file: path → content (undefined: it was missing). */
export interface DetectionReads {
  workspace: Map<string, string | undefined>;
  relative: Map<string, string | undefined>;
}

/** DetectionReads as plain data (worker messages): path → content digest. */
export interface ReadDigests {
  workspace: [string, string | null][];
  relative: [string, string | null][];
}

interface Entry {
  build: string;
  file: string;
  workspace: [string, string | null][];
  relative: [string, string | null][];
  /** The detection without its `text` (the caller has that). */
  detection: Omit<Detection, 'text'>;
  /** Token counts its pricing used (TokenCounter.recordCounts). */
  counts: [string, number][];
}

export interface StoredDetection {
  detection: Detection;
  counts: [string, number][];
  /** The workspace files the detection read (root-relative): what it depends on besides its text. */
  reads: string[];
  /** Every read with whether it found a file: workspace reads by root-relative path, relative reads as given. */
  readsFound: { workspace: [string, boolean][]; relative: [string, boolean][] };
}

/** Entries kept; past this the oldest are removed. A few KB each; a CLI scan of a monorepo stores one per file with prompt candidates. */
const MAX_ENTRIES = 20_000;
/** Puts between two prunes: a prune stats every entry. */
const PRUNE_EVERY = 2_000;

const digest = (text: string | undefined): string | null => (text === undefined ? null : crypto.createHash('sha1').update(text).digest('hex'));

/** The detector's build: the version, and the bundle file itself (a rebuild changes its size or time). */
export function currentBuild(): string {
  try {
    const st = fs.statSync(__filename);
    return `${TOOL_VERSION}+${st.size}.${Math.round(st.mtimeMs)}`;
  } catch {
    return TOOL_VERSION;
  }
}

/** A run's first store lists the folder to prune it at most this often (ms): the time of the last is a file beside it (`DIR.pruned`). */
const PRUNE_INTERVAL_MS = 3_600_000;
const stampOf = (dir: string) => `${dir.replace(/[\\/]+$/, '')}.pruned`;

/**
 * Whether the folder was last pruned over PRUNE_INTERVAL_MS ago: a run that stores a detection or two
 * (a diff) does not list thousands of names each time to find nothing to prune. A run that stores many
 * prunes every PRUNE_EVERY stores whatever the stamp says.
 */
function pruneDue(dir: string): boolean {
  try {
    return Date.now() - fs.statSync(stampOf(dir)).mtimeMs > PRUNE_INTERVAL_MS;
  } catch {
    return true;
  }
}

export class DetectionCache {
  private puts = 0;
  /** Digests of the files entries depend on, read once per batch (see rememberReads). */
  private readMemo?: Map<string, string | null>;

  /** `dir` undefined turns the cache off; `defaultDir()` is where the user's cache lives. */
  constructor(readonly dir: string | undefined, readonly build = currentBuild()) {}

  /** `detections/` in the tokenizer snapshots' folder (PROMPT_COST_CACHE_DIR, empty: no cache). */
  static defaultDir(): string | undefined {
    const base = snapshotDir();
    return base ? path.join(base, 'detections') : undefined;
  }

  /**
   * Code files, and files a prompt-file reader takes by their content (`text`): a monorepo's recorded
   * API fixtures and configs are YAML/JSON parses that cost a warm scan as much as its code did. Not
   * notebooks (they carry a second text), nor data files no reader takes (their sniff is all they cost).
   */
  static caches(file: string, text?: string): boolean {
    if (/\.(ts|mts|cts|tsx|js|jsx|mjs|cjs|py|pyi)$/.test(file)) return true;
    return text !== undefined && !file.endsWith('.ipynb') && mayBePromptFile(file) && readerFor(file, text) !== undefined;
  }

  /** What a detection read, as digests: small enough to post from a scan worker to the main thread. */
  static digests(reads: DetectionReads): ReadDigests {
    return {
      workspace: [...reads.workspace].map(([p, t]) => [p, digest(t)]),
      relative: [...reads.relative].map(([p, t]) => [p, digest(t)]),
    };
  }

  /** `options` with readers that remember what they returned, for `put`. */
  static recording(options: DetectOptions): { options: DetectOptions; reads: DetectionReads } {
    const reads: DetectionReads = { workspace: new Map(), relative: new Map() };
    const { readWorkspaceFile, readRelative } = options;
    return {
      reads,
      options: {
        ...options,
        readWorkspaceFile: readWorkspaceFile && ((p) => {
          const text = readWorkspaceFile(p);
          reads.workspace.set(p, text);
          return text;
        }),
        readRelative: readRelative && ((p) => {
          const text = readRelative(p);
          reads.relative.set(p, text);
          return text;
        }),
      },
    };
  }

  /**
   * From now on, a file that several entries depend on (a shared import) is read and digested once:
   * for one scan, over which the files are taken not to change (as the scan's shared project does).
   */
  rememberReads(): this {
    this.readMemo ??= new Map();
    return this;
  }

  private digestOf(key: string, read: () => string | undefined): string | null {
    if (!this.readMemo) return digest(read());
    let d = this.readMemo.get(key);
    if (d === undefined) this.readMemo.set(key, (d = digest(read())));
    return d;
  }

  private fileFor(file: string, text: string, heuristics: boolean): string | undefined {
    if (!this.dir) return undefined;
    const key = crypto.createHash('sha256').update(`${this.build}\0${file}\0${heuristics}\0`).update(text).digest('hex');
    return path.join(this.dir, `${key.slice(0, 40)}.json`);
  }

  /** The stored detection of `file` with exactly this text, if every file it read still reads the same. */
  get(file: string, text: string, options: DetectOptions): StoredDetection | undefined {
    if (!DetectionCache.caches(file, text)) return undefined;
    const at = this.fileFor(file, text, options.heuristics !== false);
    if (!at) return undefined;
    let entry: Entry;
    try {
      entry = JSON.parse(fs.readFileSync(at, 'utf8')) as Entry;
    } catch {
      return undefined; // none, unreadable or damaged: detect again
    }
    if (entry.build !== this.build || entry.file !== file || !entry.detection || !Array.isArray(entry.workspace) || !Array.isArray(entry.relative)) return undefined;
    for (const [p, sha] of entry.workspace) if (this.digestOf(`w\0${p}`, () => options.readWorkspaceFile?.(p)) !== sha) return undefined;
    // A relative path reads relative to the file's folder: the folder is part of the key.
    for (const [p, sha] of entry.relative) if (this.digestOf(`r\0${path.posix.dirname(file)}\0${p}`, () => options.readRelative?.(p)) !== sha) return undefined;
    return { detection: { ...entry.detection, text }, counts: Array.isArray(entry.counts) ? entry.counts : [], reads: entry.workspace.map(([p]) => p),
      readsFound: { workspace: entry.workspace.map(([p, sha]) => [p, sha !== null]), relative: entry.relative.map(([p, sha]) => [p, sha !== null]) } };
  }

  /** Stores a detection made with `recording`'s readers. Failing to write only costs the next start its speed. */
  put(file: string, text: string, options: DetectOptions, detection: Detection, reads: DetectionReads | ReadDigests, counts: [string, number][] = []): void {
    if (!DetectionCache.caches(file, text) || detection.notebook) return;
    const at = this.fileFor(file, text, options.heuristics !== false);
    if (!at) return;
    const { text: _omitted, ...rest } = detection;
    const entry: Entry = {
      build: this.build,
      file,
      ...(reads.workspace instanceof Map ? DetectionCache.digests(reads as DetectionReads) : (reads as ReadDigests)),
      detection: rest,
      counts,
    };
    try {
      fs.mkdirSync(path.dirname(at), { recursive: true, mode: 0o700 });
      const tmp = `${at}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(entry), { mode: 0o600 });
      fs.renameSync(tmp, at);
      if (++this.puts % PRUNE_EVERY === 1 && (this.puts > 1 || pruneDue(path.dirname(at)))) this.prune();
    } catch {
      // read-only or full disk
    }
  }

  /** Removes the least recently written entries beyond MAX_ENTRIES. */
  prune(max = MAX_ENTRIES): void {
    if (!this.dir) return;
    try {
      try {
        fs.writeFileSync(stampOf(this.dir), '', { mode: 0o600 });
      } catch { /* pruned again next run */ }
      const names = fs.readdirSync(this.dir).filter((n) => n.endsWith('.json'));
      if (names.length <= max) return;
      const byAge = names.map((n) => ({ n, t: fs.statSync(path.join(this.dir!, n)).mtimeMs })).sort((a, b) => a.t - b.t);
      for (const { n } of byAge.slice(0, names.length - Math.floor(max * 0.8))) fs.rmSync(path.join(this.dir, n), { force: true });
    } catch {
      // another process pruned meanwhile
    }
  }
}
