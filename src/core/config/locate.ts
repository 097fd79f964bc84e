// Which folder's .promptcost.yaml applies to a scan that starts in `start`: the nearest one on the way
// up, as git and eslint find theirs. The search stops at the git root (a folder holding `.git`, checked
// itself) and at the filesystem root, and never enters a folder listed in PROMPT_COST_CEILING_DIRS (as
// GIT_CEILING_DIRECTORIES): a stray config in a shared parent such as /tmp cannot leak into a project.
import * as fs from 'fs';
import * as path from 'path';
import { CONFIG_FILE_NAME } from './load';

export const CEILING_DIRS_ENV = 'PROMPT_COST_CEILING_DIRS';

/** The folders the search must not enter, from the env variable's path-delimited list (relative entries are ignored, as git does). */
export function ceilingDirs(value: string | undefined): string[] {
  if (!value) return [];
  const dirs = value.split(path.delimiter).filter((d) => d && path.isAbsolute(d)).map((d) => path.resolve(d));
  const real = dirs.map((d) => { try { return fs.realpathSync(d); } catch { return d; } });
  return [...new Set([...dirs, ...real])];
}

/** The folder of the nearest .promptcost.yaml from `start` upwards (see above), or undefined when there is none. */
export function findConfigFolder(start: string, ceilings: readonly string[] = []): string | undefined {
  const stop = new Set(ceilings);
  const from = path.resolve(start);
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (dir !== from && stop.has(dir)) return undefined;
    if (fs.existsSync(path.join(dir, CONFIG_FILE_NAME))) return dir;
    if (fs.existsSync(path.join(dir, '.git')) || path.dirname(dir) === dir) return undefined;
  }
}
