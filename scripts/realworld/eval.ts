// npm run eval:realworld [-- --set NAME | --holdout | --fresh | --fresh2 … --fresh6] [--repo OWNER/NAME[,…]] [--labelled-only] [--json FILE]
// Recall and precision of prompt detection on real public code labelled blind (see corpus.ts), per
// group (TS/JS, Python, prompt files), with every miss and false positive. A found part is a hit when it
// starts on the labelled line of the literal that holds the text (±0 lines); parts with no static text
// (slot-only) are not scored; found parts on lines labelled ambiguous are neither hits nor false
// positives. By default every set kept apart (eval/realworld/holdout.txt, fresh.txt, fresh2.txt, …) is
// left out: that is the development set. `--set fresh3` (or `--fresh3`) scores only that set.
import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { scanWorkspace } from '../../src/core/workspace';
import { CORPUS_DIR, groupOf, holdout, readLabels, repoDirName, setFile, setNames, type Group } from './corpus';

const SETS = setNames();
const { values: opts } = parseArgs({ options: { set: { type: 'string' }, ...Object.fromEntries(SETS.map((n) => [n, { type: 'boolean' as const }])), repo: { type: 'string' }, 'labelled-only': { type: 'boolean' }, json: { type: 'string' } } }) as { values: Record<string, string | boolean | undefined> & { set?: string; repo?: string; json?: string } };
const chosen = opts.set ?? SETS.find((n) => opts[n] === true);
if (chosen !== undefined && !SETS.includes(chosen)) {
  console.error(`No set "${chosen}": the sets are ${SETS.join(', ')} (eval/realworld/<set>.txt).`);
  process.exit(2);
}

interface Tally { labels: number; hits: number; found: number; falsePositives: number; negativeHits: number }
const empty = (): Tally => ({ labels: 0, hits: 0, found: 0, falsePositives: 0, negativeHits: 0 });
const groups: Record<Group, Tally> = { ts: empty(), py: empty(), files: empty() };
const misses: string[] = [];
const falsePositives: string[] = [];
const first = (s: string | undefined) => (s ?? '').replace(/\s+/g, ' ').trim().slice(0, 50);

// Notebook labels are lines of the .ipynb file as stored (where the cell's source line is written in
// the JSON); the detector reports a cell and a line within it.
const notebookLines = new Map<string, number[][]>();
function notebookLine(file: string, cell: number, line: number): number {
  let cells = notebookLines.get(file);
  if (!cells) {
    cells = [];
    const text = fs.readFileSync(file, 'utf8');
    const rows = text.split('\n');
    const nb = JSON.parse(text) as { cells?: { source?: string | string[] }[] };
    let at = 0;
    for (const c of nb.cells ?? []) {
      const source = typeof c.source === 'string' ? [c.source] : c.source ?? [];
      const mapped: number[] = [];
      for (const piece of source) {
        const want = JSON.stringify(piece).slice(1, -1);
        let j = at;
        while (j < rows.length && !rows[j].includes(`"${want}"`)) j++;
        if (j < rows.length) at = j;
        // a source written as one string holds all its lines on one JSON line
        const lines = typeof c.source === 'string' ? piece.split('\n').length : 1;
        for (let k = 0; k < lines; k++) mapped.push(j < rows.length ? j : -1);
      }
      cells.push(mapped);
    }
    notebookLines.set(file, cells);
  }
  return cells[cell]?.[line] ?? -1;
}

(async () => {
  const sets = new Map(SETS.map((n) => [n, holdout(setFile(n))]));
  const all = readLabels();
  const inSet = (repo: string) => (chosen ? sets.get(chosen)!.has(repo) : ![...sets.values()].some((s) => s.has(repo)));
  const repos = all.filter((r) => inSet(r.repo) && (!opts.repo || opts.repo.split(',').includes(r.repo)));
  if (!repos.length) {
    console.error(all.length ? 'No repositories match.' : 'No labels in eval/realworld/labels/.');
    process.exit(2);
  }
  let missingLayout = 0;
  for (const r of repos) {
    const root = path.join(CORPUS_DIR, repoDirName(r.repo));
    if (!fs.existsSync(path.join(root, '.layout-commit')) || fs.readFileSync(path.join(root, '.layout-commit'), 'utf8') !== r.commit) {
      console.error(`${r.repo}: not laid out at ${r.commit.slice(0, 12)} — run \`npm run eval:layout\` (needs the fetched snapshot)`);
      missingLayout++;
      continue;
    }
    const t0 = Date.now();
    const report = await scanWorkspace({ root, paths: opts['labelled-only'] ? r.files.map((f) => path.join(root, f.path)) : undefined });
    // Found parts by (file, 0-based start line), with static text only.
    const found = new Map<string, { kind: string; role: string; tokens: number }>();
    for (const p of report.prompts) {
      for (const part of p.parts) {
        if (part.tokens <= 0) continue;
        const file = part.file ?? p.file;
        const key = `${file}:${part.cell !== undefined ? notebookLine(path.join(root, file), part.cell, part.range.start.line) : part.range.start.line}`;
        if (!found.has(key)) found.set(key, { kind: p.kind, role: part.role, tokens: part.tokens });
      }
    }
    for (const f of r.files) {
      const g = groups[groupOf(f.path)];
      const prompts = new Set(f.prompts.map((l) => l.line - 1));
      const ambiguous = new Set(f.ambiguous.map((l) => l.line - 1));
      const negatives = new Map(f.negatives.map((l) => [l.line - 1, l] as const));
      for (const l of f.prompts) {
        g.labels++;
        if (found.has(`${f.path}:${l.line - 1}`)) g.hits++;
        else misses.push(`  missed  ${r.repo} ${f.path}:${l.line}  ${l.role ?? ''}  "${first(l.first)}"`);
      }
      for (const [key, hit] of found) {
        const at = key.lastIndexOf(':');
        if (key.slice(0, at) !== f.path) continue;
        const line = Number(key.slice(at + 1));
        if (ambiguous.has(line)) continue;
        g.found++;
        if (prompts.has(line)) continue;
        g.falsePositives++;
        const neg = negatives.get(line);
        if (neg) g.negativeHits++;
        falsePositives.push(`  false+  ${r.repo} ${f.path}:${line + 1}  ${hit.kind} ${hit.role} ${hit.tokens} tokens${neg ? `  (labelled not a prompt: ${neg.what ?? ''} "${first(neg.first)}")` : ''}`);
      }
    }
    console.error(`${r.repo}: ${report.prompts.length} prompts in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  for (const m of misses) console.log(m);
  for (const f of falsePositives) console.log(f);
  const pct = (n: number, d: number) => (d ? `${((n / d) * 100).toFixed(1)}%` : 'n/a');
  const rows = [['group', 'labels', 'hits', 'missed', 'found', 'false +', 'on negatives', 'recall', 'precision']];
  const total = empty();
  for (const [name, t] of Object.entries(groups) as [Group, Tally][]) {
    for (const k of Object.keys(total) as (keyof Tally)[]) total[k] += t[k];
    rows.push([name, t.labels, t.hits, t.labels - t.hits, t.found, t.falsePositives, t.negativeHits, pct(t.hits, t.labels), pct(t.found - t.falsePositives, t.found)].map(String));
  }
  rows.push(['all', total.labels, total.hits, total.labels - total.hits, total.found, total.falsePositives, total.negativeHits, pct(total.hits, total.labels), pct(total.found - total.falsePositives, total.found)].map(String));
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  console.log(`\n${chosen ? `hold-out ${chosen}` : 'development'} set: ${repos.length - missingLayout} repositories${missingLayout ? ` (${missingLayout} not laid out)` : ''}`);
  for (const row of rows) console.log(row.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '));
  if (opts.json) fs.writeFileSync(opts.json, JSON.stringify({ set: chosen ?? 'development', groups, misses, falsePositives }, null, 2));
  process.exitCode = missingLayout ? 2 : 0;
})();
