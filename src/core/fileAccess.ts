// Every file the engine reads besides the walk's own list — imports it follows, promptfoo `file://`
// prompts, a config named on the command line, path arguments — goes through here, so two rules hold
// on every route:
//   - only regular files are read: a named pipe, a socket or a device is refused without blocking
//     (opened non-blocking, then checked with fstat, before a single byte is read);
//   - inside a workspace, only files whose real path (symlinks resolved) is inside it: a link to
//     /etc/passwd in the workspace is refused, and the detection says so (`file-not-read`).
import * as fs from 'fs';
import * as path from 'path';
import type { Diagnostic } from './model';
import { LineIndex } from './text';

export const MAX_FILE_BYTES = 1024 * 1024;

export type FileCheck =
  | { ok: true; text: string }
  /** `refused`: outside the workspace or not a regular file (reported); otherwise missing, huge, binary … */
  | { ok: false; reason: string; refused?: 'outside' | 'special' };

export interface ReadLimits {
  maxBytes?: number;
  /** Real paths (see realRoot) the file must resolve inside; unset: anywhere (a file the user named). */
  within?: string[];
}

/** O_NONBLOCK where the platform has it: opening a FIFO for reading then returns at once. */
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);

function kindOf(st: fs.Stats): string {
  if (st.isFIFO()) return 'a named pipe';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isDirectory()) return 'a folder';
  return 'not a regular file';
}

/** A folder's real path (symlinks resolved), for ReadLimits.within; the path itself if it cannot be resolved. */
export function realRoot(dir: string): string {
  try {
    return fs.realpathSync(dir);
  } catch {
    return path.resolve(dir);
  }
}

export function isInside(real: string, roots: string[]): boolean {
  return roots.some((r) => real === r || real.startsWith(r.endsWith(path.sep) ? r : r + path.sep));
}

/** The real path of an open file: the kernel's own answer on Linux, else realpath of the name. */
function realPathOf(fd: number, absPath: string): string {
  if (process.platform === 'linux') {
    try {
      return fs.readlinkSync(`/proc/self/fd/${fd}`);
    } catch { /* no /proc: fall back */ }
  }
  return fs.realpathSync(absPath);
}

export type ByteCheck = { ok: true; bytes: Buffer; stat?: fs.Stats } | Extract<FileCheck, { ok: false }>;

/** Reads a file's bytes, or says why it is not read. Never blocks on a pipe, never follows a link out of `within`. */
export function readFileBytes(absPath: string, limits: ReadLimits | number = {}): ByteCheck {
  const { maxBytes = MAX_FILE_BYTES, within } = typeof limits === 'number' ? { maxBytes: limits } : limits;
  if (within) {
    // Checked before opening too: nothing outside the workspace is even opened.
    let real: string;
    try {
      real = fs.realpathSync(absPath);
    } catch (e) {
      return { ok: false, reason: `unreadable: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
    }
    if (!isInside(real, within)) return { ok: false, reason: `outside the workspace (it resolves to ${real})`, refused: 'outside' };
  }
  let buf: Buffer;
  let fd: number | undefined;
  let st: fs.Stats;
  try {
    fd = fs.openSync(absPath, OPEN_FLAGS);
    st = fs.fstatSync(fd);
    if (!st.isFile()) return { ok: false, reason: `${kindOf(st)}, not a regular file`, refused: 'special' };
    if (within) {
      // The name may have been swapped for a link between the check and the open: ask about the open file.
      const real = realPathOf(fd, absPath);
      if (!isInside(real, within)) return { ok: false, reason: `outside the workspace (it resolves to ${real})`, refused: 'outside' };
    }
    const size = st.size;
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
  return { ok: true, bytes: buf, stat: st };
}

/** Decodes bytes as UTF-8 text, or says why they are not text. */
export function decodeText(buf: Buffer): FileCheck {
  if (buf.subarray(0, 8000).includes(0)) return { ok: false, reason: 'binary' };
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(buf) };
  } catch {
    return { ok: false, reason: 'not UTF-8 text' };
  }
}

/**
 * Reads a file as UTF-8 text, or says why it is not read. Never blocks on a pipe, never follows a link
 * out of `within`. `onBytes` sees the bytes read, when a file was read at all (a scan's digests), with
 * the open file's stat taken before they were read.
 */
export function readTextFile(absPath: string, limits: ReadLimits | number = {}, onBytes?: (bytes: Buffer, stat?: fs.Stats) => void): FileCheck {
  const read = readFileBytes(absPath, limits);
  if (!read.ok) return read;
  onBytes?.(read.bytes, read.stat);
  return decodeText(read.bytes);
}

/** A file a detection wanted to read and was refused (root-relative, or absolute when outside). */
export interface Refusal { file: string; reason: string }

/**
 * Reads workspace-relative paths for import resolution and prompt-file references: nothing outside
 * the root (by name or by real path), regular files only. Refusals go to `onRefuse`; a missing file
 * (an import probe that did not match) is no refusal.
 */
export function guardedReader(root: string, onRefuse?: (r: Refusal) => void): (rel: string) => string | undefined {
  const within = [realRoot(root)];
  return (rel) => {
    const abs = path.resolve(root, rel);
    if (!abs.startsWith(root + path.sep)) {
      onRefuse?.({ file: rel, reason: 'outside the workspace' });
      return undefined;
    }
    const r = readTextFile(abs, { within });
    if (r.ok) return r.text;
    // a file that is there but holds no UTF-8 text is said too: "no such file" would send the user looking
    if (r.refused || r.reason === 'not UTF-8 text') onRefuse?.({ file: rel, reason: r.reason });
    return undefined;
  };
}

/**
 * `file-not-read` diagnostics for a detection's refusals, placed on the first mention of the refused
 * file's name in the text (the import or the `file://` reference), else at the top of the file.
 */
export function refusalDiagnostics(file: string, text: string, refusals: Refusal[]): Diagnostic[] {
  if (!refusals.length) return [];
  const lines = LineIndex.of(text);
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const r of refusals) {
    if (seen.has(r.file)) continue;
    seen.add(r.file);
    const base = path.posix.basename(r.file);
    const stem = base.replace(/\.[^.]+$/, '');
    let at = text.indexOf(base);
    if (at < 0 && stem) at = text.indexOf(stem);
    const len = at < 0 ? 0 : text.indexOf(base) === at ? base.length : stem.length;
    const range = at < 0 ? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } : lines.range(at, at + len);
    out.push({
      code: 'file-not-read', severity: 'warning', file, range,
      message: `${file}:${range.start.line + 1}: ${r.file} was not read: ${r.reason}. Prompt Cost reads only regular files inside the workspace; what it would have contributed is not counted.`,
    });
  }
  return out;
}
