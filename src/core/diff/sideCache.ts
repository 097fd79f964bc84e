// A side of a cost diff read from git, kept between runs: the report of a scan of a commit's files, file
// by file (view.ts); the texts a diff reads are read from git when needed. Keyed by the commit and the folder in it (a commit's files never
// change: git names it by their content), the tool's build, the price data and the scan's options; a
// second diff against the same base neither lists, writes nor scans it again. A damaged or foreign
// entry is ignored and replaced.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { priceEpoch } from '../scanManifest';
import { currentBuild } from '../detectionCache';
import { isViewIndex, onDisk, type SideView, type ViewIndex } from './view';

const FORMAT = 5;
const MAX_SIDES = 8;


/** Which file `file` is (device and inode: the same while appended to, another once replaced). */
function fileId(file: string): string | undefined {
  try {
    const st = fs.statSync(file);
    return `${st.dev}:${st.ino}`;
  } catch {
    return undefined;
  }
}

export class SideCache {
  constructor(readonly dir: string) {}

  /** `commit`: the full object id; `prefix`: the folder of the repository the side is made of. */
  key(commit: string, prefix: string, parts: Record<string, unknown>): string {
    return crypto.createHash('sha256').update(JSON.stringify({ format: FORMAT, build: currentBuild(), prices: priceEpoch(), commit, prefix, ...parts })).digest('hex');
  }

  /** The stored side: its index read and checked, its data read run by run (view.ts checks each). */
  get(key: string): SideView | undefined {
    try {
      const m = JSON.parse(fs.readFileSync(path.join(this.dir, `${key.slice(0, 40)}.json`), 'utf8')) as { format: number; key: string; side: unknown; dataFile?: unknown; dataId?: unknown };
      if (m?.format !== FORMAT || m.key !== key || !isViewIndex(m.side, false) || (m.dataFile !== undefined && typeof m.dataFile !== 'string')) return undefined;
      // Another side's data file is this side's only while it is the same file (appended to, not written
      // anew: a scan replaces it): else the side is derived again, as if not kept.
      if (m.dataFile !== undefined && m.dataId !== fileId(m.dataFile)) return undefined;
      // (a side derived from the work tree's has its runs in the work tree's data file: see MadeSide)
      return onDisk(m.side, m.dataFile ?? path.join(this.dir, `${key.slice(0, 40)}.data`));
    } catch {
      return undefined;
    }
  }

  /** Whether a side is stored under `key` (get may still find it foreign or damaged). */
  has(key: string): boolean {
    return fs.existsSync(path.join(this.dir, `${key.slice(0, 40)}.json`));
  }

  /** Removes a side found damaged. */
  drop(key: string): void {
    for (const ext of ['json', 'data']) fs.rmSync(path.join(this.dir, `${key.slice(0, 40)}.${ext}`), { force: true });
  }

  /**
   * `appendedTo`: the side's runs are in that data file (another side's, which they were appended to):
   * only the index is written, naming it. Its runs are checked by digest when read, as any side's are.
   */
  put(key: string, side: { index: ViewIndex; data: Buffer; appendedTo?: string }): void {
    const at = path.join(this.dir, `${key.slice(0, 40)}.json`);
    try {
      fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      if (side.appendedTo) fs.rmSync(path.join(this.dir, `${key.slice(0, 40)}.data`), { force: true });
      else {
        const tmpData = `${at}.data.${process.pid}.tmp`;
        fs.writeFileSync(tmpData, side.data, { mode: 0o600 });
        fs.renameSync(tmpData, path.join(this.dir, `${key.slice(0, 40)}.data`));
      }
      const tmp = `${at}.${process.pid}.tmp`;
      const id = side.appendedTo ? fileId(side.appendedTo) : undefined;
      if (side.appendedTo && !id) return;
      fs.writeFileSync(tmp, JSON.stringify({ format: FORMAT, key, side: side.index, ...(side.appendedTo ? { dataFile: side.appendedTo, dataId: id } : {}) }), { mode: 0o600 });
      fs.renameSync(tmp, at);
      const names = fs.readdirSync(this.dir).filter((n) => n.endsWith('.json'));
      if (names.length > MAX_SIDES) {
        const byAge = names.map((n) => ({ n, t: fs.statSync(path.join(this.dir, n)).mtimeMs })).sort((a, b) => a.t - b.t);
        for (const { n } of byAge.slice(0, names.length - MAX_SIDES)) {
          fs.rmSync(path.join(this.dir, n), { force: true });
          fs.rmSync(path.join(this.dir, n.replace(/\.json$/, '.data')), { force: true });
        }
      }
    } catch {
      // read-only or full disk: the next diff scans this side again
    }
  }
}
