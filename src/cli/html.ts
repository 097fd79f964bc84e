// `scan --format html`: the report as one self-contained file, drawn by the report panel's own bundle
// (dist/webview.js and .css, built by esbuild.js) with the price table the what-ifs need.
import * as fs from 'fs';
import * as path from 'path';
import type { ScanReport } from '../core/model';
import type { CustomPrice } from '../core/prices';
import { formatHtml } from '../core/report/html';
import { buildPriceTable } from '../core/report/priceTable';
import { toViewData } from '../core/report/view';

/** The webview bundle beside this one (dist/), or the repository's dist/ when run from source. */
function asset(name: string): string {
  for (const dir of [__dirname, path.join(__dirname, '..', '..', 'dist')]) {
    const file = path.join(dir, name);
    if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8');
  }
  throw new Error(`${name} is missing beside the CLI (${__dirname}); run \`npm run build\``);
}

export function reportHtml(r: ScanReport, customPrices?: Record<string, CustomPrice>): string {
  const data = toViewData(r, buildPriceTable(r, { allProviders: true, customPrices }));
  return formatHtml(data, { js: asset('webview.js'), css: asset('webview.css') });
}
