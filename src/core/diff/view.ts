// A side of a cost diff kept file by file: each file's prompts as JSON text in one data file, read and
// parsed only when the file differs between the sides. A monorepo's report is megabytes of JSON; a
// change touches a few files. The diff pairs a file whose prompts are the same text on both sides (and
// need no text read: see pairPrompts' first pass) by counting them, and parses and pairs only the rest.
import * as crypto from 'crypto';
import * as fs from 'fs';
import type { PromptReport, ScanReport, UnreadableFile } from '../model';
import { hasOwnId } from './pair';
import type { SideState } from '../workspace';
import type { TextPromptRecord } from '../textPrompts';

/** A run of one file's prompts, in report order. */
export interface FileRun {
  file: string;
  count: number;
  /** Some prompt has an id of its own (an annotation): pairing by id may cross files. */
  ownIds: boolean;
  /** Files other than `file` that the prompts' parts are read from. */
  partFiles: string[];
  /** Digest of the run's bytes in the data: its prompts' JSON, then (kept texts) a newline and the texts' JSON. */
  digest: string;
  /** Digest of the prompts' JSON alone: equal on both sides for the same prompts. */
  jsonDigest: string;
  /** Where the run's bytes are in the data, and how many; `jsonLength`: of them, the prompts' JSON. */
  at: number;
  length: number;
  jsonLength: number;
  /** Each prompt's cost as the totals add it: `[perDayUsd, monthlyUsd]`, null when unpriced (absent in older sides). */
  costs?: ([number, number] | null)[];
}

/** SideState as stored (JSON). */
export interface StoredSideState {
  walked: string[];
  deps: [string, string[]][];
  refs: [string, string[]][];
  text: TextPromptRecord;
  templateFolders: string[];
  longPrefix: string[];
  ignores?: string[];
}

/** What is stored of a side besides its data: JSON. */
export interface ViewIndex {
  totals: ScanReport['totals'];
  prices: ScanReport['prices'];
  /** Whether each run carries its prompts' texts as written (a side read from git does). */
  texts: boolean;
  /** Runs in report order; a file whose prompts are not contiguous in the report has several. */
  runs: FileRun[];
  /** The side's prompt files that could not be read (ScanReport.unreadable). */
  unreadable: UnreadableFile[];
  /**
   * Where the side's state (StoredSideState, JSON) is in the data, for a side scanned with
   * ScanOptions.sideState: what another side is derived with (diff/overlay.ts), read only then.
   */
  state?: { at: number; length: number; digest: string };
}

/** A side: its index, and its data read by byte range. */
export interface SideView extends ViewIndex {
  read(at: number, length: number): Buffer;
  /** The data file read from (onDisk): a side derived from this one appends its new runs to it. */
  file?: string;
}

/** A stored side whose data does not match its index: the caller computes the side again. */
export class DamagedView extends Error {}

export const digestOf = (b: Buffer) => crypto.createHash('sha1').update(b).digest('base64');

/** The index and data of `report`; `texts[i]`: the text of `report.prompts[i]`, when kept. */
export function viewOf(report: ScanReport, texts?: readonly string[], state?: SideState): { index: ViewIndex; data: Buffer } {
  const runs: FileRun[] = [];
  const chunks: Buffer[] = [];
  let offset = 0;
  let at = 0;
  const ps = report.prompts;
  while (at < ps.length) {
    const file = ps[at].file;
    let end = at + 1;
    while (end < ps.length && ps[end].file === file) end++;
    const slice = ps.slice(at, end);
    const json = Buffer.from(JSON.stringify(slice));
    const bytes = texts ? Buffer.concat([json, Buffer.from('\n' + JSON.stringify(texts.slice(at, end)))]) : json;
    runs.push({ ...runOf(file, slice, bytes, json.length, texts ? digestOf(json) : undefined), at: offset });
    chunks.push(bytes);
    offset += bytes.length;
    at = end;
  }
  const stored: StoredSideState | undefined = state && { walked: state.walked, deps: [...state.deps], refs: [...state.refs], text: state.text, templateFolders: state.templateFolders, longPrefix: state.longPrefix, ...(state.ignores ? { ignores: state.ignores } : {}) };
  return withState({ totals: report.totals, prices: report.prices, texts: !!texts, runs, unreadable: report.unreadable ?? [] }, chunks, offset, stored);
}

/** A side's index and data of `chunks` (`length` bytes), with `state` after them in the data. */
export function withState(index: Omit<ViewIndex, 'state'>, chunks: Buffer[], length: number, state?: StoredSideState): { index: ViewIndex; data: Buffer } {
  if (!state) return { index, data: Buffer.concat(chunks) };
  const bytes = Buffer.from(JSON.stringify(state));
  return { index: { ...index, state: { at: length, length: bytes.length, digest: digestOf(bytes) } }, data: Buffer.concat([...chunks, bytes]) };
}

/** The state kept with a side (ViewIndex.state), read and checked; undefined when none or damaged. */
export function stateOf(v: SideView): StoredSideState | undefined {
  const at = v.state;
  if (!at) return undefined;
  try {
    const bytes = v.read(at.at, at.length);
    if (digestOf(bytes) !== at.digest) return undefined;
    return JSON.parse(bytes.toString('utf8')) as StoredSideState;
  } catch {
    return undefined;
  }
}

/** One file's run of `prompts` whose bytes are `bytes` (the first `jsonLength` their JSON), its place in the data aside. */
export function runOf(file: string, prompts: readonly PromptReport[], bytes: Buffer, jsonLength: number, jsonDigest?: string): Omit<FileRun, 'at'> {
  const partFiles = new Set<string>();
  for (const p of prompts) for (const part of p.parts) if (part.file && part.file !== file) partFiles.add(part.file);
  const digest = digestOf(bytes);
  return {
    file, count: prompts.length, ownIds: prompts.some(hasOwnId), partFiles: [...partFiles], digest, jsonDigest: jsonDigest ?? digest, length: bytes.length, jsonLength,
    costs: prompts.map((p) => (p.cost?.priced ? [p.cost.perDayUsd ?? 0, p.cost.monthlyUsd ?? 0] : null)),
  };
}

/** A side over data in memory (just computed). */
export function inMemory(v: { index: ViewIndex; data: Buffer }): SideView {
  return { ...v.index, read: (at, length) => v.data.subarray(at, at + length) };
}

/** A side over a data file, read run by run; each run is checked against its digest when read. */
export function onDisk(index: ViewIndex, file: string): SideView {
  return {
    ...index,
    file,
    read(at, length) {
      const fd = fs.openSync(file, 'r');
      try {
        const b = Buffer.alloc(length);
        if (fs.readSync(fd, b, 0, length, at) !== length) throw new DamagedView(`${file}: shorter than its index`);
        return b;
      } finally {
        fs.closeSync(fd);
      }
    },
  };
}

/** Whether `v` has the shape of a ViewIndex (a stored one may be damaged or foreign). */
export function isViewIndex(v: unknown, withTexts?: boolean): v is ViewIndex {
  const s = v as ViewIndex;
  if (!s || typeof s !== 'object' || !s.totals || typeof s.totals.monthlyUsd !== 'number' || !s.prices || !Array.isArray(s.runs) || typeof s.texts !== 'boolean') return false;
  if (withTexts !== undefined && s.texts !== withTexts) return false;
  const n = (x: unknown) => typeof x === 'number' && Number.isInteger(x) && x >= 0;
  if (!Array.isArray(s.unreadable) || !s.unreadable.every((u) => u && typeof u.file === 'string' && n(u.line) && typeof u.message === 'string')) return false;
  if (s.state !== undefined && (!s.state || !n(s.state.at) || !n(s.state.length) || typeof s.state.digest !== 'string')) return false;
  return s.runs.every((r) => r && typeof r.file === 'string' && n(r.count) && typeof r.ownIds === 'boolean' && typeof r.digest === 'string' && typeof r.jsonDigest === 'string' && n(r.at) && n(r.length) && n(r.jsonLength) && r.jsonLength <= r.length &&
    Array.isArray(r.partFiles) && r.partFiles.every((f) => typeof f === 'string') &&
    (r.costs === undefined || (Array.isArray(r.costs) && r.costs.length === r.count && r.costs.every((c) => c === null || (Array.isArray(c) && c.length === 2 && typeof c[0] === 'number' && typeof c[1] === 'number')))));
}

/** The prompts of a run (and its texts, when kept), checked against the run's digest and count. */
export function readRun(v: SideView, r: FileRun): { prompts: PromptReport[]; texts?: string[] } {
  let bytes: Buffer;
  try {
    bytes = v.read(r.at, r.length);
  } catch (e) {
    throw e instanceof DamagedView ? e : new DamagedView(`a stored diff side cannot be read (${(e as Error).message})`);
  }
  if (digestOf(bytes) !== r.digest) throw new DamagedView(`a stored diff side is damaged (${r.file})`);
  try {
    const prompts = JSON.parse(bytes.subarray(0, r.jsonLength).toString('utf8')) as PromptReport[];
    const texts = v.texts ? JSON.parse(bytes.subarray(r.jsonLength + 1).toString('utf8')) as string[] : undefined;
    if (!Array.isArray(prompts) || prompts.length !== r.count || (texts && (!Array.isArray(texts) || texts.length !== r.count))) throw new Error('count');
    return { prompts, texts };
  } catch {
    throw new DamagedView(`a stored diff side is damaged (${r.file})`);
  }
}

/**
 * The files of `before` and `after` whose prompts pairPrompts' first pass pairs with their twins: the
 * file the same on both sides (`sameFiles`), not renamed either way, one run on each side with the
 * same prompts' JSON, no prompt with an id of its own, parts read only from files the same on both sides.
 */
export function identicalFiles(before: ViewIndex, after: ViewIndex, renamed: Map<string, string>, sameFiles: ReadonlySet<string>): Set<string> {
  const renamedTo = new Set(renamed.values());
  const single = (v: ViewIndex) => {
    const m = new Map<string, FileRun | null>();
    for (const r of v.runs) m.set(r.file, m.has(r.file) ? null : r);
    return m;
  };
  const a = single(after);
  const out = new Set<string>();
  for (const [file, b] of single(before)) {
    const x = a.get(file);
    if (!b || !x || !sameFiles.has(file) || renamed.has(file) || renamedTo.has(file)) continue;
    if (b.ownIds || x.ownIds || b.count !== x.count || b.jsonLength !== x.jsonLength || b.jsonDigest !== x.jsonDigest) continue;
    if (!b.partFiles.every((f) => sameFiles.has(f))) continue; // x's are the same: the same JSON
    out.add(file);
  }
  return out;
}
