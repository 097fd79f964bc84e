// npm run eval:detect [-- DIR...] — recall and precision of prompt detection over folders whose files
// carry expectation markers (test/markers.ts). Default: the code fixtures, TS/JS and Python.
import * as fs from 'fs';
import * as path from 'path';
import { scanWorkspace } from '../src/core/workspace';
import { checkMarkers, foundParts, readMarkers } from '../test/markers';

const ROOT = path.join(__dirname, '..');
const dirs = process.argv.slice(2).length ? process.argv.slice(2) : ['test/fixtures/code/ts', 'test/fixtures/code/py'];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => /\.(ts|tsx|js|jsx|mjs|cjs|py|ya?ml|prompty|prompt|md)$/.test(f)).map((f) => f.split(path.sep).join('/'));
}

(async () => {
  const rows: string[][] = [['folder', 'expected', 'found', 'missed', 'wrong', 'false +', 'recall', 'precision']];
  let failed = false;
  for (const d of dirs) {
    const dir = path.resolve(ROOT, d);
    const report = await scanWorkspace({ root: dir, workers: 0 });
    const parts = foundParts(report);
    const r = checkMarkers(readMarkers(dir, sourceFiles(dir)), parts);
    const wrongKind = r.wrong.filter((w) => w.why.startsWith('found')).length;
    const hit = r.expected - r.missed.length - wrongKind;
    const truePartHits = parts.length - r.unexpected.length;
    const recall = r.expected ? hit / r.expected : 1;
    const precision = parts.length ? truePartHits / parts.length : 1;
    rows.push([d, String(r.expected), String(parts.length), String(r.missed.length), String(r.wrong.length), String(r.unexpected.length + r.notPromptHits.length), `${(recall * 100).toFixed(1)}%`, `${(precision * 100).toFixed(1)}%`]);
    for (const m of r.missed) console.log(`  missed     ${d}/${m.file}:${m.line + 1} ${m.kinds.join(',')} ${m.roles.join(',')}`);
    for (const w of r.wrong) console.log(`  wrong      ${d}/${w.marker.file}:${w.marker.line + 1} ${w.why}`);
    for (const u of r.unexpected) console.log(`  unexpected ${d}/${u.file}:${u.startLine + 1} ${u.prompt.kind} ${u.role}`);
    failed ||= r.missed.length + r.wrong.length + r.unexpected.length > 0;
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  for (const row of rows) console.log(row.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '));
  process.exitCode = failed ? 1 : 0;
})();
