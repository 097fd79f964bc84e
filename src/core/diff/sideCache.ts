// A side of a cost diff read from git, kept between runs: the report of a scan of a commit's files and
// the prompts' texts as written. Keyed by the exact list of files the side would be written from
// (path and blob id: git's own digest of each file's content), the tool's build, the price data and
// the scan's options; a second diff against the same base neither writes nor scans it again. A damaged
// or foreign entry is ignored and replaced.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { ScanReport } from '../model';
import { priceEpoch } from '../scanManifest';
import { currentBuild } from '../detectionCache';
import type { TreeFile } from './git';

const FORMAT = 1;
const MAX_SIDES = 8;

export interface StoredSide { report: ScanReport; texts: string[] }

export class SideCache {
  constructor(readonly dir: string) {}

  key(files: readonly TreeFile[], parts: Record<string, unknown>): string {
    const h = crypto.createHash('sha256').update(JSON.stringify({ format: FORMAT, build: currentBuild(), prices: priceEpoch(), ...parts }));
    for (const f of files) h.update(`\0${f.path}\0${f.sha}`);
    return h.digest('hex');
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
