// `scan --format html`: the report as one self-contained file, drawn by the report panel's own bundle
// (dist/webview.js and .css, built by esbuild.js) with the price table the what-ifs need.
import * as fs from 'fs';
import * as path from 'path';
import type { ScanReport } from '../core/model';
import type { CustomPrice } from '../core/prices';
import { formatHtml } from '../core/report/html';
import { buildPriceTable } from '../core/report/priceTable';
import { toViewData } from '../core/report/view';
import type { RewriteSavings } from '../core/compress/savings';

/** The webview bundle beside this one (dist/), or the repository's dist/ when run from source. */
function asset(name: string): string {
  for (const dir of [__dirname, path.join(__dirname, '..', '..', 'dist')]) {
    const file = path.join(dir, name);
    if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8');
  }
  throw new Error(`${name} is missing beside the CLI (${__dirname}); run \`npm run build\``);
}

export function reportHtml(r: ScanReport, customPrices?: Record<string, CustomPrice>, compress: RewriteSavings = {}, batchable: string[] = []): string {
  const data = toViewData(r, buildPriceTable(r, { allProviders: true, customPrices }), compress, batchable);
  return formatHtml(data, { js: asset('webview.js'), css: asset('webview.css') });
}

/** The compression lever's data: savings of the rewrites in the CLI's compress cache (none sent now). */
export async function cachedSavings(r: ScanReport, root: string, configFile?: string): Promise<RewriteSavings> {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { CompressCache } = require('../core/compress/cache') as typeof import('../core/compress/cache');
  const { compressCacheFile } = require('./compress') as typeof import('./compress');
  const file = compressCacheFile();
  if (!file || !fs.existsSync(file)) return {};
  const { cachedRewriteSavings } = require('../core/compress/savings') as typeof import('../core/compress/savings');
  const { Engine } = require('../core/analyze') as typeof import('../core/analyze');
  const { fileReaders, loadConfig, workspaceReader } = require('../core/workspace') as typeof import('../core/workspace');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const read = (rel: string) => {
    try {
      return fs.readFileSync(path.join(root, rel), 'utf8');
    } catch {
      return undefined;
    }
  };
  const config = loadConfig(root, configFile);
  const reader = workspaceReader(root);
  // Each file read as the scan read it (and compress does): a prompt's saving at the model scan gave it.
  return cachedRewriteSavings(r, read, new CompressCache(file), { engine: new Engine(), analyze: { config }, analyzeFor: (rel) => ({ config, ...fileReaders(root, rel, reader) }) });
}
