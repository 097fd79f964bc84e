// Reading one side of a cost diff from git objects: a ref resolved to its commit, and that commit's files
// under the scanned folder written into a temporary folder for the scan. Nothing touches the user's work
// tree, index or HEAD: only `rev-parse`, `ls-tree` and `cat-file` are run.
import { spawn, spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Readable } from 'stream';
import { MAX_FILE_BYTES } from '../workspace';

export class GitError extends Error {}

export interface GitRepo {
  /** The repository's top folder (work tree). */
  top: string;
}

/** How many git processes this process has started (a test counts what a diff costs in them). */
export const gitRuns = { count: 0 };

/** Every git process goes through here (counted in gitRuns). */
function runGit(args: string[], options: Parameters<typeof spawnSync>[2] & { encoding: 'utf8' }): ReturnType<typeof spawnSync> & { stdout: string; stderr: string };
function runGit(args: string[], options: Parameters<typeof spawnSync>[2]): ReturnType<typeof spawnSync> & { stdout: Buffer; stderr: Buffer };
function runGit(args: string[], options: Parameters<typeof spawnSync>[2]) {
  gitRuns.count++;
  return spawnSync('git', args, options);
}

function git(cwd: string, args: string[], input?: string): string {
  const r = runGit(args, { cwd, encoding: 'utf8', input, maxBuffer: 2 ** 30 });
  if (r.error) throw new GitError(`git could not be run (${r.error.message}); is git installed?`);
  if (r.status !== 0) throw new GitError(r.stderr.trim() || `git ${args[0]} failed`);
  return r.stdout;
}

export function openRepo(folder: string): GitRepo {
  const r = runGit(['rev-parse', '--show-toplevel'], { cwd: folder, encoding: 'utf8' });
  if (r.error) throw new GitError(`git could not be run (${r.error.message}); is git installed?`);
  if (r.status !== 0) throw new GitError(`${folder} is not inside a git repository`);
  return { top: fs.realpathSync(r.stdout.trim()) };
}

/**
 * openRepo and resolveCommit of `ref` in one git process (a diff's every run asks both); either's
 * GitError, with its words, when they fail.
 */
export function openRepoAt(folder: string, ref: string): { repo: GitRepo; commit: string } {
  if (!ref.startsWith('-')) {
    const r = runGit(['rev-parse', '--show-toplevel', '--verify', '--quiet', `${ref}^{commit}`], { cwd: folder, encoding: 'utf8' });
    const lines = r.status === 0 ? r.stdout.trim().split('\n') : [];
    if (lines.length === 2 && /^[0-9a-f]{40,64}$/.test(lines[1])) return { repo: { top: fs.realpathSync(lines[0]) }, commit: lines[1] };
  }
  const repo = openRepo(folder);
  return { repo, commit: resolveCommit(repo, ref) };
}

/** The commit a ref names, or a GitError that says how to get it (shallow clones are the usual cause). */
export function resolveCommit(repo: GitRepo, ref: string, option: '--base' | '--head' = '--base'): string {
  if (ref.startsWith('-')) throw new GitError(`"${ref}" is not a ref`);
  const verify = (r: string) => runGit(['rev-parse', '--verify', '--quiet', `${r}^{commit}`], { cwd: repo.top, encoding: 'utf8' });
  const r = verify(ref);
  if (r.status === 0) return r.stdout.trim();
  // a repository with no commit yet has no HEAD, nor any other ref to compare with
  if (verify('HEAD').status !== 0) throw new GitError(`unknown ref "${ref}": the repository at ${repo.top} has no commits yet; commit once, then diff against that commit`);
  throw new GitError(`unknown ref "${ref}": no such branch, tag or commit in ${repo.top}. ${howToFetch(repo, ref, (x) => verify(x).status === 0, option)}`);
}

/**
 * How to make `ref` resolvable. `HEAD~3` / `main^` name ancestors: a shallow clone needs more history
 * (`--deepen`), not a fetch of a branch of that name. A branch checked out elsewhere is often there as
 * `origin/NAME` already. Otherwise the branch (or commit) is fetched from origin.
 */
function howToFetch(repo: GitRepo, ref: string, exists: (ref: string) => boolean, option: '--base' | '--head'): string {
  const shallow = runGit(['rev-parse', '--is-shallow-repository'], { cwd: repo.top, encoding: 'utf8' }).stdout.trim() === 'true';
  const ancestor = /^(.+?)((?:[~^]\d*)+)$/.exec(ref);
  if (ancestor) {
    const depth = [...ancestor[2].matchAll(/([~^])(\d*)/g)].reduce((n, m) => n + (m[1] === '~' ? Number(m[2] || 1) : 1), 0);
    if (exists(ancestor[1]) && shallow) {
      return `This is a shallow clone without the history before ${ancestor[1]}: fetch ${depth} more commit${depth === 1 ? '' : 's'} (\`git fetch --deepen=${depth}\`), or all of it (\`git fetch --unshallow\`); in GitHub Actions set \`fetch-depth: 0\` on actions/checkout.`;
    }
    if (exists(ancestor[1])) return `${ancestor[1]} has fewer than ${depth} commit${depth === 1 ? '' : 's'} before it.`;
  }
  const name = ref.startsWith('origin/') ? ref.slice('origin/'.length) : ref;
  const tracking = !ref.startsWith('origin/') && !/^[0-9a-f]{7,40}$/i.test(ref) && exists(`origin/${ref}`);
  if (tracking) return `The remote branch is there as origin/${ref}: use \`${option} origin/${ref}\`.`;
  // with no remote to fetch from, there is nothing to fetch: the name is wrong or the commit is not here
  const remotes = runGit(['remote'], { cwd: repo.top, encoding: 'utf8' }).stdout.trim();
  if (!remotes) return `The repository has no remote to fetch it from: check the name (\`git branch -a\`, \`git tag\`, \`git log --oneline\`).`;
  const fetched = ref.startsWith('origin/') || /^[0-9a-f]{7,40}$/i.test(ref) ? '' : `, then use \`${option} origin/${name}\``;
  return shallow
    ? `This is a shallow clone: fetch the base first (\`git fetch --depth=1 origin ${name}\`${fetched}, or all history with \`git fetch --unshallow\`); in GitHub Actions set \`fetch-depth: 0\` on actions/checkout.`
    : `Fetch it first (\`git fetch origin ${name}\`${fetched}).`;
}

export interface TreeFile { path: string; sha: string; size: number }

/** Regular files of `commit` under `prefix` (a folder relative to the repository top, '' for all). */
export function listTree(repo: GitRepo, commit: string, prefix: string): TreeFile[] {
  return parseTree(git(repo.top, lsTreeArgs(commit, prefix)));
}

const lsTreeArgs = (commit: string, prefix: string) => ['ls-tree', '-r', '-l', '-z', '--full-tree', commit, ...(prefix ? ['--', prefix] : [])];

function parseTree(out: string): TreeFile[] {
  const files: TreeFile[] = [];
  for (const row of out.split('\0')) {
    if (!row) continue;
    const tab = row.indexOf('\t');
    const [mode, type, sha, size] = row.slice(0, tab).split(/\s+/);
    // Blobs only: no symlinks (120000), no submodules (commit entries).
    if (type !== 'blob' || mode === '120000') continue;
    files.push({ path: row.slice(tab + 1), sha, size: Number(size) });
  }
  return files;
}

/** The files writeTree writes for `commit` under `prefix`: what a scan of that side can see. */
export function treeToWrite(repo: GitRepo, commit: string, prefix: string): TreeFile[] {
  return listTree(repo, commit, prefix).filter((f) => f.size <= MAX_FILE_BYTES);
}

/** treeToWrite in a git process that runs while this one goes on. */
export function treeToWriteLater(repo: GitRepo, commit: string, prefix: string): Promise<TreeFile[]> {
  return gitLater(repo.top, lsTreeArgs(commit, prefix)).then((out) => parseTree(out.toString('utf8')).filter((f) => f.size <= MAX_FILE_BYTES));
}

/**
 * Writes the files of `commit` under `prefix` into `dest` (keeping their paths below the prefix).
 * Files over the scan's size limit are written as they are only when small enough to be read at all;
 * larger ones are left out (the scan would skip them as huge anyway). A path in `sameInWorkTree` (git
 * finds the work tree's file the same as the commit's, with no conversion between them: see
 * sameAsWorkTree) is a hard link to the work tree's file instead, when the file system allows one:
 * no bytes read or written, and nothing to free when `dest` is removed.
 */
export function writeTree(repo: GitRepo, commit: string, prefix: string, dest: string, files = treeToWrite(repo, commit, prefix), sameInWorkTree?: ReadonlySet<string>, onBlob?: (f: TreeFile, bytes: Buffer) => void): TreeFile[] {
  const base = prefix ? prefix.replace(/\/$/, '') + '/' : '';
  const made = new Set<string>();
  const folderFor = (target: string) => {
    const dir = path.dirname(target);
    if (!made.has(dir)) {
      fs.mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
  };
  const fromGit: TreeFile[] = [];
  for (const f of files) {
    if (sameInWorkTree?.has(f.path)) {
      const target = path.join(dest, f.path.slice(base.length));
      try {
        folderFor(target);
        fs.linkSync(path.join(repo.top, f.path), target);
        continue;
      } catch {
        // another file system, the file gone since: read from git below
      }
    }
    fromGit.push(f);
  }
  files = fromGit;
  for (let i = 0; i < files.length; i += 2000) {
    const chunk = files.slice(i, i + 2000);
    const r = runGit(['cat-file', '--batch'], { cwd: repo.top, input: chunk.map((f) => f.sha).join('\n') + '\n', maxBuffer: 2 ** 32 });
    if (r.error) throw new GitError(`git could not be run (${r.error.message}); is git installed?`);
    if (r.status !== 0) throw new GitError(r.stderr.toString('utf8').trim() || 'git cat-file failed');
    const batch = r.stdout;
    let at = 0;
    for (const f of chunk) {
      const nl = batch.indexOf(0x0a, at);
      const size = Number(batch.subarray(at, nl).toString('latin1').split(' ')[2]);
      const target = path.join(dest, f.path.slice(base.length));
      folderFor(target);
      const bytes = batch.subarray(nl + 1, nl + 1 + size);
      fs.writeFileSync(target, bytes);
      onBlob?.(f, bytes);
      at = nl + 1 + size + 1;
    }
  }
  return files;
}

/** Renames between two commits (or a commit and the work tree) under `prefix`: old path → new path. */
export function renames(repo: GitRepo, base: string, head: string | undefined, prefix: string): Map<string, string> {
  return changedPaths(repo, base, head, prefix).renamed;
}

/**
 * What differs between two commits (or a commit and the work tree's tracked files) under `prefix`:
 * the renames (old path → new path) and every path named either way (added, deleted, modified,
 * renamed from or to, type changed). A path named in neither has the same content on both sides.
 */
export function changedPaths(repo: GitRepo, base: string, head: string | undefined, prefix: string): { renamed: Map<string, string>; touched: Set<string> } {
  return parseNameStatus(git(repo.top, nameStatusArgs(base, head, prefix)));
}

const nameStatusArgs = (base: string, head: string | undefined, prefix: string) => ['diff', '--name-status', '-M', '-z', '--no-color', base, ...(head ? [head] : []), '--', prefix || '.'];

/**
 * changedPaths in a git process that runs while this one goes on (the diff checks the work tree's
 * stored inputs meanwhile: git's pass over the tree and this one's on the two cores at once).
 */
export function changedPathsLater(repo: GitRepo, base: string, head: string | undefined, prefix: string): Promise<{ renamed: Map<string, string>; touched: Set<string> }> {
  return gitLater(repo.top, nameStatusArgs(base, head, prefix)).then((out) => parseNameStatus(out.toString('utf8')));
}

/**
 * A git process started now whose output is awaited later: its stdout, or a GitError (as `git` throws).
 * Its output goes to a file, not a pipe: a pipe holds 64 KB, and a git whose output is larger (a
 * listing of thousands of files) waits for this thread to read it — which a thread busy with the work
 * tree does only when it is done, so git's work was not beside this thread's but after it.
 */
function gitLater(cwd: string, args: string[], stdin: 'ignore' | Readable = 'ignore'): Promise<Buffer> {
  gitRuns.count++;
  let out: { file: string; fd: number };
  try {
    out = outputFile();
  } catch (e) {
    return Promise.reject(new GitError(`git's output could not be kept (${(e as Error).message})`));
  }
  return new Promise<Buffer>((resolve, reject) => {
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn('git', args, { cwd, stdio: [stdin, out.fd, 'pipe'] });
    } catch (e) {
      reject(new GitError(`git could not be run (${(e as Error).message}); is git installed?`));
      return;
    } finally {
      fs.closeSync(out.fd); // the child has its own
    }
    const err: Buffer[] = [];
    child.stderr!.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => reject(new GitError(`git could not be run (${e.message}); is git installed?`)));
    child.on('close', (code) => {
      if (code !== 0) reject(new GitError(Buffer.concat(err).toString('utf8').trim() || `git ${args[0]} failed`));
      else {
        try {
          resolve(fs.readFileSync(out.file));
        } catch (e) {
          reject(new GitError(`git's output could not be read (${(e as Error).message})`));
        }
      }
    });
  }).finally(() => fs.rmSync(out.file, { force: true }));
}

let outputs = 0;
/** A new file for a git process's output, in the system's temporary folder (removed once read). */
function outputFile(): { file: string; fd: number } {
  const file = path.join(os.tmpdir(), `prompt-cost-git-${process.pid}-${++outputs}-${crypto.randomBytes(4).toString('hex')}.out`);
  return { file, fd: fs.openSync(file, 'wx', 0o600) };
}

function parseNameStatus(text: string): { renamed: Map<string, string>; touched: Set<string> } {
  const out = text.split('\0');
  const renamed = new Map<string, string>();
  const touched = new Set<string>();
  for (let i = 0; i < out.length; i++) {
    if (/^[RC]/.test(out[i])) {
      if (out[i].startsWith('R')) renamed.set(out[i + 1], out[i + 2]);
      touched.add(out[i + 1]).add(out[i + 2]);
      i += 2;
    } else if (/^[ADMTUX]/.test(out[i])) {
      touched.add(out[i + 1]);
      i += 1;
    }
  }
  return { renamed, touched };
}

/**
 * Of `paths` (repository-relative, tracked), those whose work-tree file has the commit's bytes as they
 * are: not named by `touched` (changedPaths against the work tree) and with no attribute that converts
 * between the two (`text`, `eol`, `filter`: line endings, LFS and other filters), in a repository
 * without core.autocrlf. Git compares the converted content; only these are byte for byte the same.
 * `converted`: what conversionsLater found for these paths (or more), instead of asking git here.
 */
export function sameAsWorkTree(repo: GitRepo, paths: readonly string[], touched: ReadonlySet<string>, converted?: Conversions): Set<string> {
  const same = new Set<string>();
  if (converted === undefined) {
    if (autocrlfSet(runGit(['config', '--get', 'core.autocrlf'], { cwd: repo.top, encoding: 'utf8' }).stdout)) return same;
  } else if (converted === null) return same;
  const candidates = paths.filter((p) => !touched.has(p));
  if (!candidates.length) return same;
  if (converted === undefined) {
    const r = runGit(['check-attr', '-z', '--stdin', 'text', 'eol', 'filter'], { cwd: repo.top, input: checkAttrInput(candidates), encoding: 'utf8', maxBuffer: 2 ** 30 });
    if (r.status !== 0) return same; // nothing linked: every file read from git
    converted = convertedIn(r.stdout);
  }
  for (const p of candidates) if (!converted.has(p)) same.add(p);
  return same;
}

/**
 * The paths git converts between a commit and the work tree (an attribute `text`, `eol` or `filter`
 * set on them), or null when any path may be (core.autocrlf set, or git could not tell).
 */
export type Conversions = ReadonlySet<string> | null;

const autocrlfSet = (value: string) => {
  const v = value.trim().toLowerCase();
  return !!v && v !== 'false';
};
const checkAttrInput = (paths: readonly string[]) => paths.join('\0') + '\0';

function convertedIn(checkAttr: string): Set<string> {
  const converted = new Set<string>();
  const out = checkAttr.split('\0');
  for (let i = 0; i + 2 < out.length; i += 3) if (out[i + 2] !== 'unspecified') converted.add(out[i]);
  return converted;
}

/**
 * sameAsWorkTree's questions to git about the files of `commit` under `prefix`, asked in git processes
 * that run while this one goes on (the diff reads the work tree meanwhile): core.autocrlf, and the
 * attributes of every path of the commit there, its paths piped from `ls-tree` straight into
 * `check-attr` (not through this thread, which is busy).
 */
export function conversionsLater(repo: GitRepo, commit: string, prefix: string): Promise<Conversions> {
  const autocrlf = gitLater(repo.top, ['config', '--get', 'core.autocrlf']).then((out) => autocrlfSet(out.toString('utf8')), () => false); // (exit 1: not set)
  let attrs: Promise<Buffer | undefined>;
  try {
    gitRuns.count++;
    const names = spawn('git', ['ls-tree', '-r', '-z', '--name-only', '--full-tree', commit, ...(prefix ? ['--', prefix] : [])], { cwd: repo.top, stdio: ['ignore', 'pipe', 'ignore'] });
    const listed = new Promise<boolean>((resolve) => {
      names.on('error', () => resolve(false));
      names.on('close', (code) => resolve(code === 0));
    });
    const checked = gitLater(repo.top, ['check-attr', '-z', '--stdin', 'text', 'eol', 'filter'], names.stdout!);
    // (This thread's end of the pipe is closed in the tick that made it: it never reads from it.)
    names.stdout!.destroy();
    attrs = Promise.all([listed, checked]).then(([ok, out]) => (ok ? out : undefined), () => undefined);
  } catch {
    attrs = Promise.resolve(undefined);
  }
  return Promise.all([autocrlf, attrs]).then(([crlf, out]) => (crlf || out === undefined ? null : convertedIn(out.toString('utf8')))); // undefined: nothing linked, every file read from git
}

/** The text of one file at `commit` (path relative to the repository top), or undefined when it has none. */
export function fileAt(repo: GitRepo, commit: string, file: string): string | undefined {
  // A commit's files never change: one read per commit and path in this process (a diff asks for a
  // side's .promptcost.yaml when it checks the configs and again when it compares them).
  const key = `${commit}:${file}`;
  let read = fileAtMemo.get(repo);
  if (!read) fileAtMemo.set(repo, (read = new Map()));
  if (read.has(key)) return read.get(key);
  const r = runGit(['cat-file', 'blob', key], { cwd: repo.top, encoding: 'utf8', maxBuffer: 2 ** 26 });
  const text = r.status === 0 ? r.stdout : undefined;
  read.set(key, text);
  return text;
}

const fileAtMemo = new WeakMap<GitRepo, Map<string, string | undefined>>();

/**
 * The texts of files at `commit` (paths relative to `prefix`, a folder of the repository), read from git
 * on demand: `prefetch` reads many in one `git cat-file --batch`, `read` one (from what was prefetched,
 * else by itself). A path with no blob there reads as undefined.
 */
export interface GitFiles {
  prefetch(rels: Iterable<string>): void;
  read(rel: string): string | undefined;
  /** The bytes of `rel` at the commit, read from git by another reader (writeTree): not asked for again. */
  remember(rel: string, bytes: Buffer): void;
}

export function filesAt(repo: GitRepo, commit: string, prefix: string): GitFiles {
  const base = prefix ? prefix.replace(/\/$/, '') + '/' : '';
  const texts = new Map<string, string | undefined>();
  const prefetch = (rels: Iterable<string>) => {
    const wanted = [...new Set(rels)].filter((r) => !texts.has(r) && !/[\n\0]/.test(r));
    if (!wanted.length) return;
    const r = runGit(['cat-file', '--batch'], { cwd: repo.top, input: wanted.map((rel) => `${commit}:${base}${rel}`).join('\n') + '\n', maxBuffer: 2 ** 32 });
    if (r.status !== 0 || !r.stdout) return;
    const out = r.stdout;
    let at = 0;
    for (const rel of wanted) {
      const nl = out.indexOf(0x0a, at);
      if (nl < 0) break;
      const header = out.subarray(at, nl).toString('latin1').split(' ');
      if (header[1] !== 'blob') {
        // `<object> missing` (or another type: a folder, a link's target is not followed)
        texts.set(rel, undefined);
        at = header.length === 3 ? nl + 1 + Number(header[2]) + 1 : nl + 1;
        continue;
      }
      const size = Number(header[2]);
      texts.set(rel, out.subarray(nl + 1, nl + 1 + size).toString('utf8'));
      at = nl + 1 + size + 1;
    }
  };
  return {
    prefetch,
    remember(rel, bytes) {
      texts.set(rel, bytes.toString('utf8'));
    },
    read(rel) {
      if (!texts.has(rel)) prefetch([rel]);
      if (!texts.has(rel)) texts.set(rel, undefined);
      return texts.get(rel);
    },
  };
}
