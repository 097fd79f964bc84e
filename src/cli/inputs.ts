// What the user names on the command line (a FILE, a PATH, --config) must be there and readable, or the
// command stops with exit 2 and a message saying what and where. Files the scan finds by itself are
// different: one that cannot be read is listed under "Skipped" with its reason and the scan goes on.
import * as fs from 'fs';
import * as path from 'path';
import { readTextFile } from '../core/fileAccess';

export class UsageError extends Error {
  /** `showUsage`: whether pointing at --help helps (not when a config or a file is what is wrong). */
  constructor(message: string, readonly showUsage = true) {
    super(message);
  }
}

function kind(st: fs.Stats): string | undefined {
  if (st.isFIFO()) return 'a named pipe';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return undefined;
}

/** Stats a named path (following links): a UsageError when it is missing or neither a file nor a folder. */
export function statNamed(cwd: string, name: string, what: string): { abs: string; isDirectory: boolean } {
  const abs = path.resolve(cwd, name);
  let st: fs.Stats;
  try {
    st = fs.statSync(abs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      const dangling = (() => { try { return fs.lstatSync(abs).isSymbolicLink(); } catch { return false; } })();
      throw new UsageError(`${what}${name}: no such file or folder${dangling ? ' (a symbolic link to nothing)' : ''}`);
    }
    throw new UsageError(`${what}${name}: cannot be read (${code ?? (e as Error).message})`);
  }
  const special = kind(st);
  if (special) throw new UsageError(`${what}${name} is ${special}, not a file: name a regular file`);
  if (st.isDirectory()) {
    try {
      fs.accessSync(abs, fs.constants.R_OK | fs.constants.X_OK);
    } catch (e) {
      throw new UsageError(`${what}${name}: the folder cannot be read (${(e as NodeJS.ErrnoException).code})`);
    }
    return { abs, isDirectory: true };
  }
  try {
    fs.accessSync(abs, fs.constants.R_OK);
  } catch (e) {
    throw new UsageError(`${what}${name}: cannot be read: permission denied (${(e as NodeJS.ErrnoException).code})`);
  }
  return { abs, isDirectory: false };
}

/** A named regular file as UTF-8 text, or a UsageError naming the problem. */
export function readNamedFile(cwd: string, name: string, { what = '', maxBytes = 64 * 1024 * 1024, folderHint = '' } = {}): { abs: string; text: string } {
  const { abs, isDirectory } = statNamed(cwd, name, what);
  if (isDirectory) throw new UsageError(`${what}${name} is a folder${folderHint}`);
  const r = readTextFile(abs, { maxBytes });
  if (!r.ok) throw new UsageError(`${what}${name}: ${r.reason.replace(/^unreadable: /, 'cannot be read: ')}`);
  return { abs, text: r.text };
}
