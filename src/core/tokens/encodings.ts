// Lazy tiktoken: the WASM runtime and each encoding's ranks load on first use, one encoding at a time.
//
// Building tiktoken's o200k encoder (parsing 200k ranks, compiling its regex inside WASM) takes a few
// hundred milliseconds, which would dominate every cold start. So after the first build the encoder's
// WASM memory is saved to a cache file; later processes restore it into a fresh instance of the same
// WASM module and check it against token ids recorded at save time before trusting it. Any mismatch —
// another tiktoken build, a damaged file — falls back to building the encoder.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { cacheFolder } from '../cacheFolder';
import type { Tiktoken } from 'tiktoken/lite';

export type EncodingName = 'o200k_base' | 'cl100k_base';
export const ENCODINGS: readonly EncodingName[] = ['o200k_base', 'cl100k_base'];

interface EncoderFile { bpe_ranks: string; special_tokens: Record<string, number>; pat_str: string }
interface WasmMemory { buffer: ArrayBuffer; grow(pages: number): number }
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, unknown>) => { exports: Record<string, unknown> };
}
/** The WebAssembly global, typed for the two calls made here (the ES lib has no WebAssembly types). */
const WASM = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
interface Glue { Tiktoken: new (bfe: string, special: Record<string, number>, pat: string) => Tiktoken; __wbg_set_wasm(exports: Record<string, unknown>): void }
interface Runtime {
  glue: Glue;
  memory: WasmMemory;
  wasmHash: string;
  /** Nothing is in the memory yet: a snapshot may be restored into it. */
  fresh: boolean;
  /** A snapshot is being read into the memory by preloadEncoder: nothing else may touch it. */
  pending?: boolean;
}

const loaded = new Map<EncodingName, { encoder: Tiktoken; origin: 'built' | 'snapshot' }>();
let runtime: Runtime | undefined;

/** tiktoken's lite files: beside the bundle (copied by esbuild.js), else the installed package. */
function tiktokenFile(name: string): string {
  const besideBundle = path.join(__dirname, name);
  if (fs.existsSync(besideBundle)) return besideBundle;
  const entry = 'tiktoken/lite'; // a variable keeps esbuild from resolving it at build time
  return path.join(path.dirname(require.resolve(entry)), name);
}

function ranksPath(name: EncodingName): string {
  const besideBundle = path.join(__dirname, 'tiktoken', `${name}.json`);
  if (fs.existsSync(besideBundle)) return besideBundle;
  return require.resolve(`tiktoken/encoders/${name}.json`);
}

function instantiate(): Runtime {
  const bytes = fs.readFileSync(tiktokenFile('tiktoken_bg.wasm'));
  return instantiateModule(bytes, new WASM.Module(bytes));
}

/** A fresh instance of the compiled module; the glue (one per process) now talks to it. */
function instantiateModule(bytes: Uint8Array, module: object): Runtime {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const glue = require(tiktokenFile('tiktoken_bg.cjs')) as Glue;
  const instance = new WASM.Instance(module, { './tiktoken_bg.js': glue });
  glue.__wbg_set_wasm(instance.exports);
  return { glue, memory: instance.exports.memory as WasmMemory, wasmHash: crypto.createHash('sha256').update(bytes).digest('hex').slice(0, 16), fresh: true };
}

/** Where snapshots live: PROMPT_COST_CACHE_DIR (empty turns them off), else the user's cache folder. */
export function snapshotDir(): string | undefined {
  return cacheFolder();
}

// Checked after a restore: special-token text, non-Latin scripts, emoji, digits and code.
const PROBE = 'Hello, wörld! 12345 <|endoftext|> 日本語のテキスト 👩‍💻 const x = `${y}`;\n\tdef f(): return {"k": [1, 2]}';

function snapshotFile(rt: Runtime, name: EncodingName): string | undefined {
  const dir = snapshotDir();
  if (!dir) return undefined;
  const size = fs.statSync(ranksPath(name)).size;
  return path.join(dir, `tiktoken-${name}-${rt.wasmHash}-${size}.snapshot`);
}

interface SnapshotHeader { ptr: number; bytes: number; probe: number[] }

/** Opens `name`'s snapshot and checks its size; undefined when there is none. Throws on a damaged header. */
function openSnapshot(rt: Runtime, name: EncodingName): { fd: number; header: SnapshotHeader; dataAt: number } | undefined {
  const file = snapshotFile(rt, name);
  if (!file || !fs.existsSync(file)) return undefined;
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(4);
    fs.readSync(fd, head, 0, 4, 0);
    const headerLength = head.readUInt32LE(0);
    const headerBytes = Buffer.alloc(headerLength);
    fs.readSync(fd, headerBytes, 0, headerLength, 4);
    const header = JSON.parse(headerBytes.toString('utf8')) as SnapshotHeader;
    if (fs.fstatSync(fd).size !== 4 + headerLength + header.bytes) throw new Error('truncated snapshot');
    return { fd, header, dataAt: 4 + headerLength };
  } catch (e) {
    fs.closeSync(fd);
    throw e;
  }
}

/** Grows the fresh instance's memory to the snapshot's size and returns the view the file is read into. */
function memoryFor(rt: Runtime, header: SnapshotHeader): Uint8Array {
  const pages = Math.ceil(header.bytes / 65536) - rt.memory.buffer.byteLength / 65536;
  if (pages > 0) rt.memory.grow(pages);
  return new Uint8Array(rt.memory.buffer, 0, header.bytes);
}

/** The encoder the restored memory holds, once it encodes the probe as it did when saved. */
function restoredEncoder(rt: Runtime, header: SnapshotHeader): Tiktoken {
  const encoder = Object.create(rt.glue.Tiktoken.prototype) as Tiktoken & { __wbg_ptr: number };
  encoder.__wbg_ptr = header.ptr;
  const ids = Array.from(encoder.encode_ordinary(PROBE));
  if (ids.length !== header.probe.length || ids.some((id, i) => id !== header.probe[i])) throw new Error('probe mismatch');
  return encoder;
}

/** A damaged or foreign snapshot reached `rt`'s memory: later encoders get a fresh instance. */
function discard(rt: Runtime): void {
  // Growing the old memory detaches its buffer, so the glue's cached views re-read the new instance's memory.
  rt.memory.grow(1);
  if (runtime === rt) runtime = instantiate();
}

function restore(rt: Runtime, name: EncodingName): Tiktoken | undefined {
  let opened: ReturnType<typeof openSnapshot>;
  try {
    opened = openSnapshot(rt, name);
  } catch {
    return undefined;
  }
  if (!opened) return undefined;
  const { fd, header, dataAt } = opened;
  try {
    // Straight from the file into the WASM memory: one copy, one set of page faults.
    const view = memoryFor(rt, header);
    for (let at = 0; at < header.bytes;) {
      const n = fs.readSync(fd, view, at, header.bytes - at, dataAt + at);
      if (n === 0) throw new Error('short read');
      at += n;
    }
    return restoredEncoder(rt, header);
  } catch {
    discard(rt);
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Restores `name`'s snapshot without holding the thread: the 28 MB read, and the page faults of the
 * memory it fills, happen in libuv's thread pool while the caller parses or loads prices. `getEncoder`
 * called before this settles does not wait: it uses an instance of its own and this one is dropped.
 * Resolves to false when there is no usable snapshot (the encoder is then built on first use).
 */
export function preloadEncoder(name: EncodingName): Promise<boolean> {
  let p = preloads.get(name);
  if (!p) {
    p = preloadOnce(name);
    preloads.set(name, p);
  }
  return p;
}

const preloads = new Map<EncodingName, Promise<boolean>>();

async function preloadOnce(name: EncodingName): Promise<boolean> {
  if (loaded.has(name)) return true;
  // The 1 MB module compiles lazily in a few milliseconds: synchronously, so that the read below starts
  // at once rather than after turns of an event loop busy with parsing.
  runtime ??= instantiate();
  const rt = runtime;
  if (!rt.fresh || rt.pending) return false;
  let opened: ReturnType<typeof openSnapshot>;
  try {
    opened = openSnapshot(rt, name);
  } catch {
    return false;
  }
  if (!opened) return false;
  const { fd, header, dataAt } = opened;
  rt.pending = true;
  try {
    const view = memoryFor(rt, header);
    for (let at = 0; at < header.bytes;) {
      const { bytesRead } = await new Promise<{ bytesRead: number }>((resolve, reject) =>
        fs.read(fd, view, at, header.bytes - at, dataAt + at, (e, bytesRead) => (e ? reject(e) : resolve({ bytesRead }))));
      if (bytesRead === 0) throw new Error('short read');
      at += bytesRead;
    }
    if (runtime !== rt) return false; // someone needed an encoder meanwhile and got an instance of their own
    const encoder = restoredEncoder(rt, header);
    rt.pending = false;
    rt.fresh = false;
    loaded.set(name, { encoder, origin: 'snapshot' });
    return true;
  } catch {
    rt.pending = false;
    discard(rt);
    return false;
  } finally {
    fs.close(fd, () => undefined);
  }
}

function save(rt: Runtime, name: EncodingName, encoder: Tiktoken & { __wbg_ptr?: number }): void {
  const file = snapshotFile(rt, name);
  if (!file || encoder.__wbg_ptr === undefined) return;
  try {
    const memoryBytes = new Uint8Array(rt.memory.buffer).slice();
    const header = Buffer.from(JSON.stringify({ ptr: encoder.__wbg_ptr, bytes: memoryBytes.length, probe: Array.from(encoder.encode_ordinary(PROBE)) }));
    const length = Buffer.alloc(4);
    length.writeUInt32LE(header.length, 0);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, Buffer.concat([length, header, memoryBytes]));
    fs.renameSync(tmp, file); // atomic: a concurrent reader sees the old file or the whole new one
  } catch {
    // A read-only or full disk only costs the next start its speed.
  }
}

export function getEncoder(name: EncodingName): Tiktoken {
  const hit = loaded.get(name);
  if (hit) return hit.encoder;
  // An instance being filled by preloadEncoder is off limits: take a new one (the preload is then dropped).
  if (!runtime || runtime.pending) runtime = instantiate();
  if (runtime.fresh) {
    // A snapshot holds the whole memory, so it can only seed an instance that has nothing else in it.
    const restored = restore(runtime, name);
    if (restored) {
      runtime.fresh = false;
      loaded.set(name, { encoder: restored, origin: 'snapshot' });
      return restored;
    }
  }
  const file = JSON.parse(fs.readFileSync(ranksPath(name), 'utf8')) as EncoderFile;
  const encoder = new runtime.glue.Tiktoken(file.bpe_ranks, file.special_tokens, file.pat_str);
  if (runtime.fresh) save(runtime, name, encoder);
  runtime.fresh = false;
  loaded.set(name, { encoder, origin: 'built' });
  return encoder;
}

/** Which encodings this process has loaded, and how (start-up tests and benchmarks read this). */
export function loadedEncodings(): { name: EncodingName; origin: 'built' | 'snapshot' }[] {
  return [...loaded].map(([name, v]) => ({ name, origin: v.origin }));
}

/**
 * Tokens in `text` under `name`. Special-token strings such as `<|endoftext|>` are counted as the plain
 * text they are: in a prompt they are user data, and tiktoken's `encode` would throw on them.
 */
export function countWithEncoding(text: string, name: EncodingName): number {
  if (text.length === 0) return 0;
  if (!hasLongRun(text)) return text.length < WORDS_FROM ? encodeCount(text, name) : countByWords(text, name);
  // tiktoken's merge step is quadratic in the length of one piece (a run of letters, of punctuation or
  // of whitespace): 200,000 letters take about a minute. Runs longer than LONG_RUN are counted in
  // chunks of RUN_CHUNK characters instead — linear, and within a token or so per chunk of the exact
  // count (`hasLongRun` tells the caller the count is an estimate). Text without such runs is exact.
  let tokens = 0;
  let at = 0;
  const memo = wordMemo(name);
  for (const m of text.matchAll(LONG_RUN_RE)) {
    const start = m.index ?? 0;
    if (start > at) tokens += encodeCount(text.slice(at, start), name);
    const end = start + m[0].length;
    for (let i = start; i < end;) {
      let j = Math.min(end, i + RUN_CHUNK);
      if (j < end && isLowSurrogate(text.charCodeAt(j))) j--; // keep surrogate pairs whole
      tokens += wordCount(text.slice(i, j), name, memo); // a run's chunks repeat: 1 MB of one letter is one chunk
      i = j;
    }
    at = end;
  }
  if (at < text.length) tokens += encodeCount(text.slice(at), name);
  return tokens;
}

/**
 * A long text counted word by word, each distinct word once. tiktoken splits text into pieces with its
 * pattern and merges each piece on its own, so a text's count is the sum of its pieces' counts, and of
 * any split that falls only between pieces. A space followed by an ASCII letter always starts a piece
 * under both patterns (o200k, cl100k): no piece holds a space after its first character except runs
 * of whitespace, and those end before the last space of a run that a letter follows (`\s+(?!\S)`) or
 * at a line break. So the text is cut before each such space, and every word — repeated words are
 * most of a long text — is counted from a memo: exact, and linear in the text instead of re-running
 * the encoder's pattern and merges over every repetition (a 1 MB prompt took seconds to count).
 */
function countByWords(text: string, name: EncodingName): number {
  const memo = wordMemo(name);
  let tokens = 0;
  let start = 0;
  for (let i = 1; i < text.length; i++) {
    if (text.charCodeAt(i) !== 32) continue;
    const next = text.charCodeAt(i + 1) | 0x20;
    if (next < 97 || next > 122) continue;
    tokens += wordCount(text.slice(start, i), name, memo);
    start = i;
  }
  return tokens + wordCount(text.slice(start), name, memo);
}

/** Texts this long or longer are counted word by word (shorter ones in one call: no overhead). */
export const WORDS_FROM = 2048;
/** Distinct words remembered per encoding; the memo starts over past it (bounded memory). */
const WORD_MEMO_SIZE = 100_000;
const wordMemos = new Map<EncodingName, Map<string, number>>();

function wordMemo(name: EncodingName): Map<string, number> {
  let memo = wordMemos.get(name);
  if (!memo) wordMemos.set(name, (memo = new Map()));
  return memo;
}

function wordCount(word: string, name: EncodingName, memo: Map<string, number>): number {
  const hit = memo.get(word);
  if (hit !== undefined) return hit;
  const n = encodeCount(word, name);
  if (word.length <= RUN_CHUNK) {
    if (memo.size >= WORD_MEMO_SIZE) memo.clear();
    memo.set(word, n);
  }
  return n;
}

/** A run of this many characters that tiktoken would treat as one piece is counted in chunks. */
export const LONG_RUN = 256;
const RUN_CHUNK = 128;
// A superset of the pieces tiktoken's o200k/cl100k patterns make (digits are pieces of at most three).
const LONG_RUN_RE = new RegExp(`[\\p{L}\\p{M}]{${LONG_RUN},}|[^\\s\\p{L}\\p{N}]{${LONG_RUN},}|\\s{${LONG_RUN},}`, 'gu');
const LONG_RUN_TEST = new RegExp(LONG_RUN_RE.source, 'u');
const isLowSurrogate = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/** Whether `countWithEncoding(text)` counted a long unbroken run in chunks (so the count is an estimate). */
export function hasLongRun(text: string): boolean {
  return text.length >= LONG_RUN && mayHaveLongRun(text) && LONG_RUN_TEST.test(text);
}

// 1 ASCII letter, 2 ASCII punctuation (or control), 3 whitespace as JavaScript's \s has it, 0 digit.
const ASCII_CLASS = new Uint8Array(128).map((_, c) => (/[A-Za-z]/.test(String.fromCharCode(c)) ? 1 : /[0-9]/.test(String.fromCharCode(c)) ? 0 : /\s/.test(String.fromCharCode(c)) ? 3 : 2));

/**
 * A quick superset of LONG_RUN_RE, so ordinary text never pays for the Unicode regex: letters, marks,
 * punctuation and whitespace beyond ASCII count towards every class, so any run the regex would find
 * is a run of at least LONG_RUN here.
 */
function mayHaveLongRun(text: string): boolean {
  let letters = 0;
  let punct = 0;
  let space = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128) {
      letters++;
      punct++;
      space++;
    } else {
      const k = ASCII_CLASS[c];
      letters = k === 1 ? letters + 1 : 0;
      punct = k === 2 ? punct + 1 : 0;
      space = k === 3 ? space + 1 : 0;
    }
    if (letters >= LONG_RUN || punct >= LONG_RUN || space >= LONG_RUN) return true;
  }
  return false;
}

function encodeCount(text: string, name: EncodingName): number {
  try {
    return getEncoder(name).encode_ordinary(text).length;
  } catch (e) {
    // A Rust panic leaves the WASM instance unusable: drop it, so the next count builds a fresh one.
    loaded.clear();
    runtime = undefined;
    throw e;
  }
}
