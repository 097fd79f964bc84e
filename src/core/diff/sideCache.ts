// A side of a cost diff read from git, kept between runs: the report of a scan of a commit's files and
// the prompts' texts as written. Keyed by the commit and the folder in it (a commit's files never
// change: git names it by their content), the tool's build, the price data and the scan's options; a
// second diff against the same base neither lists, writes nor scans it again. A damaged or foreign
// entry is ignored and replaced.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { ScanReport } from '../model';
import { priceEpoch } from '../scanManifest';
import { currentBuild } from '../detectionCache';

const FORMAT = 2;
const MAX_SIDES = 8;

export interface StoredSide { report: ScanReport; texts: string[] }

export class SideCache {
  constructor(readonly dir: string) {}

  /** `commit`: the full object id; `prefix`: the folder of the repository the side is made of. */
  key(commit: string, prefix: string, parts: Record<string, unknown>): string {
    return crypto.createHash('sha256').update(JSON.stringify({ format: FORMAT, build: currentBuild(), prices: priceEpoch(), commit, prefix, ...parts })).digest('hex');
  }

  get(key: string): StoredSide | undefined {
    try {
      const m = JSON.parse(fs.readFileSync(path.join(this.dir, `${key.slice(0, 40)}.json`), 'utf8')) as { format: number; key: string } & StoredSide;
      if (m?.format !== FORMAT || m.key !== key || !m.report || !Array.isArray(m.report.prompts) || !Array.isArray(m.texts)) return undefined;
      if (m.texts.length !== m.report.prompts.length || m.texts.some((t) => typeof t !== 'string')) return undefined;
      return { report: m.report, texts: m.texts };
    } catch {
      return undefined;
    }
  }

  put(key: string, side: StoredSide): void {
    const at = path.join(this.dir, `${key.slice(0, 40)}.json`);
    try {
      fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      const tmp = `${at}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify({ format: FORMAT, key, ...side }), { mode: 0o600 });
      fs.renameSync(tmp, at);
      const names = fs.readdirSync(this.dir).filter((n) => n.endsWith('.json'));
      if (names.length > MAX_SIDES) {
        const byAge = names.map((n) => ({ n, t: fs.statSync(path.join(this.dir, n)).mtimeMs })).sort((a, b) => a.t - b.t);
        for (const { n } of byAge.slice(0, names.length - MAX_SIDES)) fs.rmSync(path.join(this.dir, n), { force: true });
      }
    } catch {
      // read-only or full disk: the next diff scans this side again
    }
  }
}
