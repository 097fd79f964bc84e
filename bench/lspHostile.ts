// npm run bench:lsp-hostile [-- --fuzz-report F] [--rounds N] [--json F] — the real language server (dist/server.js
// over stdio) under the bad-input corpus (scripts/badInputs.ts), the inputs that used to hang the engine
// (bench/hostileCases.ts) and, with --fuzz-report, the slowest inputs of a fuzz run (its report's
// `slowest`, rebuilt from seed and index). Each file is opened, then edited N times as an editor would
// (incremental changes, one after the other without waiting), and after the open and each edit the
// client asks a hover, the code lenses and the code actions at once, as VS Code does when a document
// changes. Reported: how long each request waited for its answer (max, p99, the slowest files), and
// edit → the diagnostics published for that version. Target (issue 10): no request waits more than 1 s.
// Hovers answered before their document's analysis was done (from the one before, with a note) are counted.
// The workspace scan runs at start as in a real session (off the main thread). Settings: debounce 0,
// so that publish figures are the server's work and not the configured pause.
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { generateCorpus } from '../scripts/badInputs';
import { inputMaker, loadFixtures } from '../scripts/fuzz/inputs';
import { TestClient } from '../test/lsp/client';
import { tempDir } from '../test/tempDir';
import { CASES } from './hostileCases';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
};
const ROUNDS = Number(arg('rounds') ?? 3);
/** A request unanswered this long is reported as this long (the bench goes on). */
const CAP_MS = 60_000;
/** Files kept open at once (an editor's tabs): older ones are closed. */
const OPEN_AT_ONCE = 6;

const LANG: Record<string, string> = { ts: 'typescript', tsx: 'typescriptreact', js: 'javascript', jsx: 'javascriptreact', py: 'python', yaml: 'yaml', yml: 'yaml', ipynb: 'json', md: 'markdown', prompty: 'prompty', prompt: 'dotprompt' };

interface Timed { kind: string; file: string; ms: number; timedOut?: boolean; stale?: boolean }

const now = () => performance.now();
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)] : 0;
};

async function timed<T>(out: Timed[], kind: string, file: string, request: Promise<T>): Promise<void> {
  const t0 = now();
  let timer: NodeJS.Timeout | undefined;
  const cap = new Promise<'cap'>((resolve) => (timer = setTimeout(() => resolve('cap'), CAP_MS)));
  const r = await Promise.race([request.then((v) => v, () => undefined), cap]);
  clearTimeout(timer);
  // A hover answered before its document's analysis was done says so (server.ts, settled).
  const stale = kind === 'hover' && r !== 'cap' && /still analysing/.test((r as { contents?: { value?: string } } | null)?.contents?.value ?? '');
  out.push({ kind, file, ms: now() - t0, timedOut: r === 'cap', ...(stale ? { stale } : {}) });
}

/** A position inside the file's first prompt-looking line (else its middle): where a user would hover. */
function hoverAt(text: string): { line: number; character: number } {
  const lines = text.split(/\r\n|\r|\n/);
  let line = lines.findIndex((l) => /content|system|user|prompt/i.test(l) && l.length > 10);
  if (line < 0) line = Math.floor(lines.length / 2);
  return { line, character: Math.min(lines[line]?.length ?? 0, Math.floor((lines[line]?.length ?? 0) / 2) + 1) };
}

function endOf(text: string): { line: number; character: number } {
  const lines = text.split(/\r\n|\r|\n/);
  return { line: lines.length - 1, character: lines[lines.length - 1].length };
}

async function main() {
  const base = tempDir('pc-lsp-hostile-');
  const root = path.join(base, 'ws');
  const cases = generateCorpus(root, path.join(base, 'outside'));
  const files: string[] = [];
  for (const c of cases) {
    const st = fs.lstatSync(path.join(root, c.file), { throwIfNoEntry: false });
    if (st?.isFile() && !files.includes(c.file)) files.push(c.file); // never a pipe or a link: an editor opens files
  }
  fs.mkdirSync(path.join(root, 'hostile'));
  for (const [, file, text] of CASES) fs.writeFileSync(path.join(root, 'hostile', file), text);
  const report = arg('fuzz-report');
  if (report) {
    const r = JSON.parse(fs.readFileSync(report, 'utf8')) as { seed: number; slowest: { index: number }[] };
    const at = inputMaker(loadFixtures());
    for (const s of r.slowest) {
      const { input } = at(r.seed, s.index);
      const dir = path.join(root, 'fuzz', String(s.index));
      for (const [rel, text] of Object.entries({ ...input.siblings, [input.file]: input.text })) {
        fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
        fs.writeFileSync(path.join(dir, rel), text);
      }
      files.push(path.posix.join('fuzz', String(s.index), input.file));
    }
  }
  files.push(...CASES.map(([, file]) => `hostile/${file}`));

  const only = arg('only');
  if (only) files.splice(0, files.length, ...files.filter((f) => new RegExp(only).test(f)));

  process.env.PROMPT_COST_CACHE_DIR = tempDir('pc-lsp-hostile-cache-');
  const client = new TestClient(arg('server'));
  client.settings = { debounceMs: 0 };
  await client.initialize(root, { scanOnStart: !process.argv.includes('--no-scan') });
  // The start itself (grammars, prices, the tokenizer's first load) is bench:lsp's figure, not this one's.
  fs.mkdirSync(path.join(root, 'warm'));
  const warm = pathToFileURL(path.join(root, 'warm', 'warm.ts')).href;
  const warmText = "import OpenAI from 'openai';\nconst c = new OpenAI();\nc.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'warm up' }] });\n";
  const warmed = client.diagnostics(warm);
  await client.open(warm, 'typescript', warmText);
  await warmed;
  await client.open(pathToFileURL(path.join(root, 'warm', 'warm.py')).href, 'python', 'print("warm")\n');
  await client.hover(pathToFileURL(path.join(root, 'warm', 'warm.py')).href, 0, 1);
  const waits: Timed[] = [];
  const open: string[] = [];
  const t0 = now();
  for (const file of files) {
    const abs = path.join(root, file);
    const uri = pathToFileURL(abs).href;
    let text = fs.readFileSync(abs, 'utf8');
    const ext = file.replace(/.*\./, '');
    const pos = hoverAt(text);
    const ask = () => Promise.all([
      timed(waits, 'hover', file, client.hover(uri, pos.line, pos.character)),
      timed(waits, 'codeLens', file, client.codeLens(uri)),
      timed(waits, 'codeAction', file, client.conn.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: { start: pos, end: pos }, context: { diagnostics: [] } })),
    ]);
    let version = 1;
    const published = timed(waits, 'diagnostics (open)', file, client.diagnostics(uri, (p) => p.version === 1));
    await client.open(uri, LANG[ext] ?? 'plaintext', text, version);
    await Promise.all([ask(), published]);
    for (let round = 0; round < ROUNDS; round++) {
      version++;
      const at = endOf(text);
      const insert = round % 2 ? '\n' : ' ';
      text += insert;
      const v = version;
      const fresh = timed(waits, 'diagnostics (edit)', file, client.diagnostics(uri, (p) => p.version === v));
      await client.edit(uri, version, { start: at, end: at }, insert);
      await Promise.all([ask(), fresh]);
    }
    open.push(uri);
    if (open.length > OPEN_AT_ONCE) await client.conn.sendNotification('textDocument/didClose', { textDocument: { uri: open.shift() } });
  }
  const seconds = (now() - t0) / 1000;
  await client.stop();

  const kinds = [...new Set(waits.map((w) => w.kind))];
  const summary = Object.fromEntries(kinds.map((k) => {
    const ms = waits.filter((w) => w.kind === k).map((w) => w.ms);
    const stale = waits.filter((w) => w.kind === k && w.stale).length;
    return [k, { n: ms.length, p50: +pct(ms, 0.5).toFixed(1), p99: +pct(ms, 0.99).toFixed(1), max: +Math.max(...ms).toFixed(1), over1s: ms.filter((m) => m > 1000).length, ...(k === 'hover' ? { stale } : {}) }];
  }));
  const slowest = [...waits].sort((a, b) => b.ms - a.ms).slice(0, 12).map((w) => `${w.ms.toFixed(0).padStart(6)} ms  ${w.kind.padEnd(18)} ${w.file}${w.timedOut ? ' (no answer: capped)' : ''}`);
  const result = { files: files.length, rounds: ROUNDS, seconds: +seconds.toFixed(1), requests: summary, slowest };
  console.log(`language server under ${files.length} bad inputs (${ROUNDS} edits each), ${seconds.toFixed(1)} s:`);
  for (const [k, s] of Object.entries(summary)) console.log(`  ${k.padEnd(20)} n ${String(s.n).padStart(4)}  p50 ${String(s.p50).padStart(7)} ms  p99 ${String(s.p99).padStart(7)} ms  max ${String(s.max).padStart(7)} ms  over 1 s: ${s.over1s}${'stale' in s ? `  answered before their analysis: ${s.stale}` : ''}`);
  console.log(`  slowest:\n    ${slowest.join('\n    ')}`);
  const json = arg('json');
  if (json) fs.writeFileSync(json, JSON.stringify(result, null, 2) + '\n');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
