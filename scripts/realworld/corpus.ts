// The real-code detection corpus: labels written blind (eval/realworld/labels/*.yaml, one file per
// public repository: repo, commit, and per file the lines of its prompts, negatives and ambiguous
// strings), the hold-out list, and where the repositories' files are laid out for scanning. The
// repositories' own files are never committed: layout.ts extracts them from fetched git snapshots into
// eval/realworld/.corpus/ (git-ignored).
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';

export const ROOT = path.join(__dirname, '..', '..');
export const LABELS_DIR = path.join(ROOT, 'eval', 'realworld', 'labels');
export const CORPUS_DIR = path.join(ROOT, 'eval', 'realworld', '.corpus');
export const HOLDOUT_FILE = path.join(ROOT, 'eval', 'realworld', 'holdout.txt');
/**
 * The sets kept apart from development, each a list of repositories in eval/realworld/<name>.txt, in the
 * order they were made: `holdout` (a fifth picked by hash), then `fresh`, `fresh2`, … — each labelled
 * blind by reviewers who never saw the detector, after the set before it had been scored or tuned on.
 * A set is scored alone (`--set NAME`); development is every labelled repository in none of them.
 */
export const SET_DIR = path.join(ROOT, 'eval', 'realworld');
export function setNames(): string[] {
  const names = fs.readdirSync(SET_DIR).filter((f) => /^(holdout|fresh\d*)\.txt$/.test(f)).map((f) => f.slice(0, -4));
  const order = (n: string) => (n === 'holdout' ? -1 : n === 'fresh' ? 1 : Number(n.slice(5)));
  return names.sort((a, b) => order(a) - order(b));
}
export const setFile = (name: string) => path.join(SET_DIR, `${name}.txt`);
/** Where fetched snapshots sit: one bare git directory per repository, `<owner>+<name>/repo`. */
export const MIRRORS = process.env.PROMPT_COST_MIRRORS ?? findUp('.mirror') ?? path.join(ROOT, '..', '.mirror');

function findUp(name: string): string | undefined {
  for (let dir = path.dirname(ROOT); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, name))) return path.join(dir, name);
    if (path.dirname(dir) === dir) return undefined;
  }
}

export type Group = 'ts' | 'py' | 'files';
export interface PromptLabel { line: number; role?: string; first?: string }
export interface NegativeLabel { line: number; what?: string; first?: string }
export interface AmbiguousLabel { line: number; why?: string }
export interface FileLabels { path: string; prompts: PromptLabel[]; negatives: NegativeLabel[]; ambiguous: AmbiguousLabel[] }
export interface RepoLabels { repo: string; commit: string; files: FileLabels[]; labelFile: string }

export function groupOf(file: string): Group {
  if (/\.(ts|tsx|js|jsx|mjs|cjs|mts|cts)$/.test(file)) return 'ts';
  if (/\.(py|ipynb)$/.test(file)) return 'py';
  return 'files';
}

export const repoDirName = (repo: string) => repo.replace('/', '__');

function lines<T extends { line: number }>(v: unknown, where: string): T[] {
  if (v == null) return [];
  if (!Array.isArray(v)) throw new Error(`${where}: expected a list`);
  return v.map((x, i) => {
    const line = (x as { line?: unknown })?.line;
    if (typeof line !== 'number' || !Number.isInteger(line) || line < 1) throw new Error(`${where}[${i}]: line must be a positive integer`);
    return x as T;
  });
}

export function readLabels(dir = LABELS_DIR): RepoLabels[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => {
    const labelFile = path.join(dir, f);
    const doc = parse(fs.readFileSync(labelFile, 'utf8')) as { repo?: unknown; commit?: unknown; files?: unknown };
    const where = path.relative(ROOT, labelFile);
    if (typeof doc?.repo !== 'string' || !/^[\w.-]+\/[\w.-]+$/.test(doc.repo)) throw new Error(`${where}: repo must be owner/name`);
    if (typeof doc.commit !== 'string' || !/^[0-9a-f]{40}$/.test(doc.commit)) throw new Error(`${where}: commit must be 40 hex digits`);
    const files = (Array.isArray(doc.files) ? doc.files : []).map((x: Record<string, unknown>, i: number) => {
      if (typeof x?.path !== 'string') throw new Error(`${where}: files[${i}].path missing`);
      return {
        path: x.path,
        prompts: lines<PromptLabel>(x.prompts, `${where}: ${x.path} prompts`),
        negatives: lines<NegativeLabel>(x.negatives, `${where}: ${x.path} negatives`),
        ambiguous: lines<AmbiguousLabel>(x.ambiguous, `${where}: ${x.path} ambiguous`),
      };
    });
    return { repo: doc.repo, commit: doc.commit, files, labelFile };
  });
}

/** The hold-out repositories: listed in holdout.txt once chosen (a fifth, by hash, fixed before any hold-out run). */
export function holdout(file = HOLDOUT_FILE): Set<string> {
  if (!fs.existsSync(file)) return new Set();
  return new Set(fs.readFileSync(file, 'utf8').split('\n').map((l) => l.replace(/#.*/, '').trim()).filter(Boolean));
}

/** Picks a fifth of the repositories (at least one) by the hash of their names: nobody chooses them. */
export function pickHoldout(repos: string[]): string[] {
  const byHash = [...repos].sort((a, b) => hash(a).localeCompare(hash(b)));
  return byHash.slice(0, Math.max(1, Math.round(repos.length / 5))).sort();
}
const hash = (s: string) => createHash('sha256').update(s).digest('hex');
