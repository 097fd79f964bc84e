import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { run } from '../../src/cli/main';
import { Engine } from '../../src/core/analyze';
import type { ScanReport } from '../../src/core/model';
import { formatCsv } from '../../src/core/report/csv';
import { formatMarkdown } from '../../src/core/report/markdown';
import { formatSarif } from '../../src/core/report/sarif';
import { formatTable } from '../../src/core/report/table';
import { scanWorkspace, type ScanOptions } from '../../src/core/workspace';
import { tempDir } from '../tempDir';

const LONG = Array.from({ length: 20 }, (_, i) => `Step ${i + 1}: check the shipping address against the order.`).join(' ');

function workspace(): string {
  const dir = tempDir('prompt-cost-manifest-');
  fs.mkdirSync(path.join(dir, 'src'));
  fs.mkdirSync(path.join(dir, 'gen'));
  // gen/ is excluded from the walk, but bot.ts imports from it: a guarded read, not a walked file.
  fs.writeFileSync(path.join(dir, 'gen', 'rules.ts'), `export const RULES = 'You check parcels. ${LONG}';\n`);
  fs.writeFileSync(path.join(dir, 'src', 'bot.ts'), `import OpenAI from 'openai';
import { RULES } from '../gen/rules';
const client = new OpenAI();
client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'system', content: RULES }, { role: 'user', content: 'Where is my parcel today?' }] });
`);
  fs.writeFileSync(path.join(dir, 'src', 'label.py'), `import anthropic\nclient = anthropic.Anthropic()\nclient.messages.create(model="claude-sonnet-4-5", max_tokens=10, system="You write labels. ${LONG}", messages=[])\n`);
  fs.writeFileSync(path.join(dir, '.promptcost.yaml'), 'defaults:\n  callsPerDay: 1000\nexclude:\n  - "gen/**"\n');
  return dir;
}

/** An engine that records whether it priced anything: a scan answered from the stored report does not. */
function watchedEngine(): { engine: Engine; priced: () => number } {
  const engine = new Engine();
  let n = 0;
  const original = engine.price.bind(engine);
  engine.price = ((...a: Parameters<Engine['price']>) => {
    n++;
    return original(...a);
  }) as Engine['price'];
  return { engine, priced: () => n };
}

const every = (r: ScanReport) => [JSON.stringify(r, null, 2), formatTable(r), formatMarkdown(r), formatCsv(r), formatSarif(r)];

async function scan(options: ScanOptions): Promise<{ report: ScanReport; priced: number }> {
  const w = watchedEngine();
  const report = await scanWorkspace({ workers: 0, ...options, engine: w.engine });
  return { report, priced: w.priced() };
}

describe('stored scan reports (warm rescans)', () => {
  it('a warm rescan of an unchanged tree prices nothing and prints byte-identical output in every format', async () => {
    const root = workspace();
    const cacheDir = tempDir('prompt-cost-manifest-cache-');
    const cold = await scan({ root, cacheDir });
    assert.ok(cold.priced > 0 && cold.report.prompts.length >= 2);
    assert.ok(fs.readdirSync(path.join(cacheDir, 'scans')).some((n) => n.endsWith('.json')));
    const warm = await scan({ root, cacheDir });
    assert.strictEqual(warm.priced, 0);
    assert.deepStrictEqual(every(warm.report), every(cold.report));
    const fresh = await scan({ root });
    assert.deepStrictEqual(every(warm.report), every(fresh.report));
  });

  it('a changed config, other settings or other options are another epoch', async () => {
    const root = workspace();
    const cacheDir = tempDir('prompt-cost-manifest-cache-');
    const first = await scan({ root, cacheDir });
    fs.writeFileSync(path.join(root, '.promptcost.yaml'), 'defaults:\n  callsPerDay: 3000\nexclude:\n  - "gen/**"\n');
    const edited = await scan({ root, cacheDir });
    assert.ok(edited.priced > 0);
    assert.ok(edited.report.totals.monthlyUsd > first.report.totals.monthlyUsd * 2.9);
    assert.deepStrictEqual(every(edited.report), every((await scan({ root })).report));
    const budget = await scan({ root, cacheDir, maxMonthlyUsd: 1 });
    assert.ok(budget.priced > 0 && budget.report.budget?.exceeded);
    const settings = await scan({ root, cacheDir, settings: { callsPerDay: { value: 5, from: 'test settings' } } as ScanOptions['settings'] });
    assert.ok(settings.priced > 0);
    const noHeuristics = await scan({ root, cacheDir, heuristics: false });
    assert.ok(noHeuristics.priced > 0);
  });

  it('content is the proof: same size and time but other text, an edited import outside the walk, a new file', async () => {
    const root = workspace();
    const cacheDir = tempDir('prompt-cost-manifest-cache-');
    await scan({ root, cacheDir });
    // Same length, same modification time, other content.
    const py = path.join(root, 'src', 'label.py');
    const st = fs.statSync(py);
    fs.writeFileSync(py, fs.readFileSync(py, 'utf8').replace('claude-sonnet-4-5', 'claude-sonnet-4-0'));
    fs.utimesSync(py, st.atime, st.mtime);
    assert.strictEqual(fs.statSync(py).size, st.size);
    const same = await scan({ root, cacheDir });
    assert.ok(same.priced > 0);
    assert.ok(same.report.prompts.some((p) => p.model.id.includes('sonnet-4-0') || p.model.id.includes('sonnet-4')));
    assert.deepStrictEqual(every(same.report), every((await scan({ root })).report));
    // A file read through an import, outside the walk.
    fs.writeFileSync(path.join(root, 'gen', 'rules.ts'), `export const RULES = 'You check parcels. ${LONG} ${LONG}';\n`);
    const imported = await scan({ root, cacheDir });
    assert.ok(imported.priced > 0);
    assert.deepStrictEqual(every(imported.report), every((await scan({ root })).report));
    // A file added to the tree.
    fs.writeFileSync(path.join(root, 'src', 'more.py'), `import anthropic\nanthropic.Anthropic().messages.create(model="claude-sonnet-4-5", max_tokens=5, system="You sort mail. ${LONG}", messages=[])\n`);
    const added = await scan({ root, cacheDir });
    assert.ok(added.priced > 0);
    assert.strictEqual(added.report.prompts.length, imported.report.prompts.length + 1);
    assert.strictEqual((await scan({ root, cacheDir })).priced, 0);
  });

  it('a damaged stored report is ignored and rewritten, never trusted', async () => {
    const root = workspace();
    const cacheDir = tempDir('prompt-cost-manifest-cache-');
    const cold = await scan({ root, cacheDir });
    const dir = path.join(cacheDir, 'scans');
    for (const f of fs.readdirSync(dir)) fs.writeFileSync(path.join(dir, f), '{"format": 1, "report": {"totals"');
    const damaged = await scan({ root, cacheDir });
    assert.ok(damaged.priced > 0);
    assert.deepStrictEqual(every(damaged.report), every(cold.report));
    // A well-formed entry that lies about its inputs is not believed either, nor a report that is not
    // the one its entry was written with.
    for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.json'))) {
      const m = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
      m.inputs = m.inputs.map(([k]: [string, string]) => [k, 'not the digest']);
      fs.writeFileSync(path.join(dir, f), JSON.stringify(m));
    }
    const lied = await scan({ root, cacheDir });
    assert.deepStrictEqual(every(lied.report), every(cold.report));
    for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.json'))) {
      const m = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
      assert.ok(m.inputs.length && m.inputs.every(([, d]: [string, string]) => d !== 'not the digest')); // rewritten
    }
    for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.report'))) {
      const r = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
      r.totals.monthlyUsd = 0;
      fs.writeFileSync(path.join(dir, f), JSON.stringify(r, null, 2));
    }
    const swapped = await scan({ root, cacheDir });
    assert.deepStrictEqual(every(swapped.report), every(cold.report)); // not the stored total of 0
    const rewritten = await scan({ root, cacheDir });
    assert.strictEqual(rewritten.priced, 0);
    assert.deepStrictEqual(every(rewritten.report), every(cold.report));
  });

  it('scan workers report what they read: a cold scan in workers stores a report the next scan uses', async () => {
    const root = workspace();
    const cacheDir = tempDir('prompt-cost-manifest-cache-');
    const cold = await scan({ root, cacheDir, workers: 2 });
    const warm = await scan({ root, cacheDir });
    assert.strictEqual(warm.priced, 0);
    assert.deepStrictEqual(every(warm.report), every(cold.report));
    fs.writeFileSync(path.join(root, 'gen', 'rules.ts'), `export const RULES = 'You check parcels twice. ${LONG}';\n`);
    assert.ok((await scan({ root, cacheDir })).priced > 0);
  });
});

describe('prompt-cost scan with a stored report', () => {
  it('prints the same bytes and exits the same, cold and warm, in JSON and as a table; the budget gate still applies', async () => {
    const root = workspace();
    const cacheDir = tempDir('prompt-cost-manifest-cli-');
    const before = process.env.PROMPT_COST_CACHE_DIR;
    process.env.PROMPT_COST_CACHE_DIR = cacheDir;
    try {
      const cli = async (...args: string[]) => {
        let out = '';
        const code = await run(['scan', ...args], { stdout: (s: string) => (out += s), stderr: () => undefined, readStdin: () => Buffer.alloc(0), stderrIsTTY: false, cwd: root });
        return { code, out };
      };
      for (const format of ['json', 'table']) {
        const cold = await cli('--format', format);
        const warm = await cli('--format', format);
        assert.strictEqual(warm.out, cold.out);
        assert.strictEqual(warm.code, cold.code);
        assert.strictEqual(warm.out, (await cli('--format', format, '--no-cache')).out);
      }
      assert.ok(fs.readdirSync(path.join(cacheDir, 'detections', 'scans')).some((n) => n.endsWith('.report')));
      const over = [await cli('--format', 'json', '--max-monthly', '0.01'), await cli('--format', 'json', '--max-monthly', '0.01')];
      assert.deepStrictEqual(over.map((r) => r.code), [1, 1]);
      assert.strictEqual(over[1].out, over[0].out);
    } finally {
      if (before === undefined) delete process.env.PROMPT_COST_CACHE_DIR;
      else process.env.PROMPT_COST_CACHE_DIR = before;
    }
  });
});

describe('priced results kept per file', () => {
  it('after an edit, only the edited file is priced again, and the report is what a fresh scan gives', async () => {
    const root = workspace();
    const cacheDir = tempDir('prompt-cost-manifest-priced-');
    const cold = await scan({ root, cacheDir });
    assert.ok(cold.priced >= 2);
    const py = path.join(root, 'src', 'label.py');
    fs.writeFileSync(py, fs.readFileSync(py, 'utf8').replace('You write labels.', 'You write shipping labels.'));
    const edited = await scan({ root, cacheDir });
    assert.strictEqual(edited.priced, 1); // label.py; bot.ts from the memo
    assert.deepStrictEqual(every(edited.report), every((await scan({ root })).report));
    // A damaged memo is an empty one.
    for (const f of fs.readdirSync(path.join(cacheDir, 'scans')).filter((n) => n.endsWith('.priced'))) fs.writeFileSync(path.join(cacheDir, 'scans', f), '{"format": 2, "files": {"src/bot.ts": ["x"');
    fs.writeFileSync(py, fs.readFileSync(py, 'utf8').replace('shipping labels', 'parcel labels'));
    const damaged = await scan({ root, cacheDir });
    assert.ok(damaged.priced >= 2);
    assert.deepStrictEqual(every(damaged.report), every((await scan({ root })).report));
    // Another config is another epoch: everything priced again.
    fs.writeFileSync(path.join(root, '.promptcost.yaml'), 'defaults:\n  callsPerDay: 7\nexclude:\n  - "gen/**"\n');
    const reconfigured = await scan({ root, cacheDir });
    assert.ok(reconfigured.priced >= 2);
    assert.deepStrictEqual(every(reconfigured.report), every((await scan({ root })).report));
  });
});

/** Paths of the workspace `root` that fs.openSync / fs.readdirSync were called with while `fn` ran. */
async function touched<T>(root: string, fn: () => Promise<T>): Promise<{ result: T; opened: string[]; listed: string[] }> {
  const opened: string[] = [];
  const listed: string[] = [];
  // The module itself (the namespace import's properties are getters of it).
  const fs = require('fs') as typeof import('fs'); // eslint-disable-line @typescript-eslint/no-require-imports
  const { openSync, readdirSync } = fs;
  const inRoot = (p: fs.PathLike) => String(p).startsWith(root);
  (fs as { openSync: unknown }).openSync = (p: fs.PathLike, ...rest: unknown[]) => {
    if (inRoot(p)) opened.push(path.relative(root, String(p)));
    return (openSync as (...a: unknown[]) => number)(p, ...rest);
  };
  (fs as { readdirSync: unknown }).readdirSync = (p: fs.PathLike, ...rest: unknown[]) => {
    if (inRoot(p)) listed.push(path.relative(root, String(p)) || '.');
    return (readdirSync as (...a: unknown[]) => unknown)(p, ...rest);
  };
  try {
    return { result: await fn(), opened, listed };
  } finally {
    (fs as { openSync: unknown }).openSync = openSync;
    (fs as { readdirSync: unknown }).readdirSync = readdirSync;
  }
}

describe('stored scan reports trust settled stats (as git\'s index does)', () => {
  // cacheRacyMs 0: the files were written a moment ago, and a test does not wait for them to settle.
  it('a warm rescan of an unchanged tree neither opens a scanned file nor lists a folder, and prints the same bytes', async () => {
    const root = workspace();
    const cacheDir = tempDir('prompt-cost-manifest-stat-');
    const cold = await scan({ root, cacheDir, cacheRacyMs: 0 });
    const warm = await touched(root, () => scan({ root, cacheDir, cacheRacyMs: 0 }));
    assert.strictEqual(warm.result.priced, 0);
    assert.deepStrictEqual(warm.opened.filter((p) => p !== '.promptcost.yaml'), []);
    assert.deepStrictEqual(warm.listed, []);
    assert.deepStrictEqual(every(warm.result.report), every(cold.report));
  });

  it('a tree whose stats changed but not its bytes (hard links, a touch) is read once, then proven by its stats again', async () => {
    const root = workspace();
    const cacheDir = tempDir('prompt-cost-manifest-stat-');
    fs.writeFileSync(path.join(root, '.gitignore'), 'tmp/\n');
    const cold = await scan({ root, cacheDir, cacheRacyMs: 0 });
    // A hard link (the cost diff's checkout of a base makes them) changes each file's change time.
    const links = tempDir('prompt-cost-manifest-links-');
    const linked = ['src/bot.ts', 'src/label.py', 'gen/rules.ts', '.gitignore'].filter((f) => fs.existsSync(path.join(root, f)));
    linked.forEach((f, i) => fs.linkSync(path.join(root, f), path.join(links, String(i))));
    const reread = await touched(root, () => scan({ root, cacheDir, cacheRacyMs: 0 }));
    assert.strictEqual(reread.result.priced, 0); // the stored report, proven by content
    assert.ok(reread.opened.includes(path.join('src', 'bot.ts')), reread.opened.join());
    assert.deepStrictEqual(every(reread.result.report), every(cold.report));
    // The entry was written again with the stats of now: the next scan opens nothing, lists nothing.
    const warm = await touched(root, () => scan({ root, cacheDir, cacheRacyMs: 0 }));
    assert.strictEqual(warm.result.priced, 0);
    assert.deepStrictEqual(warm.opened.filter((p) => p !== '.promptcost.yaml'), []);
    assert.deepStrictEqual(warm.listed, []);
    assert.deepStrictEqual(every(warm.result.report), every(cold.report));
    // A refreshed stat is still only a stat: an edit since is seen.
    const py = path.join(root, 'src', 'label.py');
    fs.writeFileSync(py, fs.readFileSync(py, 'utf8').replace('You write labels.', 'You write parcel labels.'));
    const edited = await scan({ root, cacheDir, cacheRacyMs: 0 });
    assert.strictEqual(edited.priced, 1);
    assert.deepStrictEqual(every(edited.report), every((await scan({ root })).report));
  });

  it('a file changed since (same size, its modification time set back) is read again: the change time gives it away', async () => {
    const root = workspace();
    const cacheDir = tempDir('prompt-cost-manifest-stat-');
    const py = path.join(root, 'src', 'label.py');
    fs.utimesSync(py, 1_000_000_000, 1_000_000_000); // whole seconds: utimes can set them back exactly
    await scan({ root, cacheDir, cacheRacyMs: 0 });
    const st = fs.statSync(py);
    fs.writeFileSync(py, fs.readFileSync(py, 'utf8').replace('claude-sonnet-4-5', 'claude-sonnet-4-0'));
    fs.utimesSync(py, 1_000_000_000, 1_000_000_000);
    assert.strictEqual(fs.statSync(py).size, st.size);
    assert.strictEqual(fs.statSync(py).mtimeMs, st.mtimeMs);
    const after = await scan({ root, cacheDir, cacheRacyMs: 0 });
    assert.ok(after.priced > 0);
    assert.deepStrictEqual(every(after.report), every((await scan({ root })).report));
  });

  it('a file added to a folder, a .gitignore edited or an import outside the walk edited: walked and read again', async () => {
    const root = workspace();
    const cacheDir = tempDir('prompt-cost-manifest-stat-');
    const cold = await scan({ root, cacheDir, cacheRacyMs: 0 });
    fs.writeFileSync(path.join(root, 'src', 'more.py'), `import anthropic\nanthropic.Anthropic().messages.create(model="claude-sonnet-4-5", max_tokens=5, system="You sort mail. ${LONG}", messages=[])\n`);
    const added = await scan({ root, cacheDir, cacheRacyMs: 0 });
    assert.strictEqual(added.report.prompts.length, cold.report.prompts.length + 1);
    fs.writeFileSync(path.join(root, '.gitignore'), 'more.py\n');
    const ignored = await scan({ root, cacheDir, cacheRacyMs: 0 });
    assert.strictEqual(ignored.report.prompts.length, cold.report.prompts.length);
    assert.deepStrictEqual(every(ignored.report), every((await scan({ root })).report));
    // gen/ is excluded: rules.ts is read only through bot.ts's import (a guarded read).
    fs.writeFileSync(path.join(root, 'gen', 'rules.ts'), `export const RULES = 'You check parcels. ${LONG} ${LONG}';\n`);
    const imported = await scan({ root, cacheDir, cacheRacyMs: 0 });
    assert.ok(imported.priced > 0);
    assert.ok(imported.report.totals.monthlyUsd > ignored.report.totals.monthlyUsd);
    assert.deepStrictEqual(every(imported.report), every((await scan({ root })).report));
  });

  it('a rescan after an edit keeps the walk it reused: the scan after it lists no folder either', async () => {
    const root = workspace();
    const cacheDir = tempDir('prompt-cost-manifest-stat-');
    await scan({ root, cacheDir, cacheRacyMs: 0 });
    const py = path.join(root, 'src', 'label.py');
    fs.writeFileSync(py, fs.readFileSync(py, 'utf8').replace('You write labels.', 'You write parcel labels.'));
    const edited = await touched(root, () => scan({ root, cacheDir, cacheRacyMs: 0 }));
    assert.strictEqual(edited.result.priced, 1);
    assert.deepStrictEqual(edited.listed, []);
    const again = await touched(root, () => scan({ root, cacheDir, cacheRacyMs: 0 }));
    assert.strictEqual(again.result.priced, 0);
    assert.deepStrictEqual(again.listed, []);
    assert.deepStrictEqual(every(again.result.report), every((await scan({ root })).report));
  });

  it('a tree with entries the walk leaves out (a link to nothing) keeps its walk; the entries stay listed after an edit, and a link made again is seen', async () => {
    const root = workspace();
    const cacheDir = tempDir('prompt-cost-manifest-stat-');
    fs.symlinkSync(path.join(root, 'nowhere.md'), path.join(root, 'src', 'README.md'));
    const cold = await scan({ root, cacheDir, cacheRacyMs: 0 });
    const skippedCold = cold.report.skipped.filter((s) => s.file === 'src/README.md');
    assert.strictEqual(skippedCold.length, 1, JSON.stringify(cold.report.skipped));
    // An edit: the report is made again, with the walk taken from its evidence (no folder listed).
    const py = path.join(root, 'src', 'label.py');
    fs.writeFileSync(py, fs.readFileSync(py, 'utf8').replace('You write labels.', 'You write parcel labels.'));
    const edited = await touched(root, () => scan({ root, cacheDir, cacheRacyMs: 0 }));
    assert.strictEqual(edited.result.priced, 1);
    assert.deepStrictEqual(edited.listed, []);
    assert.deepStrictEqual(edited.result.report.skipped, (await scan({ root })).report.skipped);
    assert.deepStrictEqual(every(edited.result.report), every((await scan({ root })).report));
    // The link pointed somewhere real now (inside the tree): walked again, the target read where it is.
    fs.rmSync(path.join(root, 'src', 'README.md'));
    fs.symlinkSync(path.join(root, 'src', 'label.py'), path.join(root, 'src', 'README.md'));
    const relinked = await scan({ root, cacheDir, cacheRacyMs: 0 });
    assert.ok(!relinked.report.skipped.some((s) => s.file === 'src/README.md'), JSON.stringify(relinked.report.skipped));
    assert.deepStrictEqual(every(relinked.report), every((await scan({ root })).report));
  });

  it('a stat taken within the racy window is not trusted: such a file is read and compared by content', async () => {
    const root = workspace();
    const cacheDir = tempDir('prompt-cost-manifest-stat-');
    await scan({ root, cacheDir }); // the files are younger than RACY_MS
    const warm = await touched(root, () => scan({ root, cacheDir }));
    assert.strictEqual(warm.result.priced, 0);
    assert.ok(warm.opened.includes(path.join('src', 'bot.ts')) && warm.opened.includes(path.join('src', 'label.py')));
    assert.ok(warm.listed.includes('src'));
  });
});

describe('stored scan reports: import probes that found nothing', () => {
  it('are not looked for again in a folder the walk proves unchanged; a file created there since is read', async () => {
    const root = workspace();
    const bot = path.join(root, 'src', 'bot.ts');
    // `./tone` matches no file; .gitignore keeps a tone.ts out of the walk, so only the probe can see one.
    fs.writeFileSync(bot, fs.readFileSync(bot, 'utf8').replace("import { RULES } from '../gen/rules';", "import { RULES } from '../gen/rules';\nimport { TONE } from './tone';")
      .replace("content: 'Where is my parcel today?'", 'content: TONE'));
    fs.writeFileSync(path.join(root, 'src', '.gitignore'), 'tone.ts\n');
    const cacheDir = tempDir('prompt-cost-manifest-probe-');
    const cold = await scan({ root, cacheDir, cacheRacyMs: 0 });
    const probed: string[] = [];
    const fsm = require('fs') as typeof import('fs'); // eslint-disable-line @typescript-eslint/no-require-imports
    const { lstatSync } = fsm;
    (fsm as { lstatSync: unknown }).lstatSync = (p: fs.PathLike, ...rest: unknown[]) => {
      if (String(p).includes(`${path.sep}tone`)) probed.push(String(p));
      return (lstatSync as (...a: unknown[]) => unknown)(p, ...rest);
    };
    let warm;
    try {
      warm = await scan({ root, cacheDir, cacheRacyMs: 0 });
    } finally {
      (fsm as { lstatSync: unknown }).lstatSync = lstatSync;
    }
    assert.strictEqual(warm.priced, 0);
    assert.deepStrictEqual(probed, []);
    assert.deepStrictEqual(every(warm.report), every(cold.report));
    // The folder's times change with the new file: the walk is redone and the probe finds it.
    fs.writeFileSync(path.join(root, 'src', 'tone.ts'), `export const TONE = 'Answer kindly and say where the parcel is, with the tracking link. ${LONG}';\n`);
    const found = await scan({ root, cacheDir, cacheRacyMs: 0 });
    assert.ok(found.priced > 0);
    assert.ok(found.report.totals.monthlyUsd > cold.report.totals.monthlyUsd);
    assert.deepStrictEqual(every(found.report), every((await scan({ root })).report));
  });

  it('a probe into an ignored folder is looked for again: a file created in it changes no walked folder', async () => {
    const root = workspace();
    const bot = path.join(root, 'src', 'bot.ts');
    fs.writeFileSync(bot, fs.readFileSync(bot, 'utf8').replace("import { RULES } from '../gen/rules';", "import { RULES } from '../gen/rules';\nimport { TONE } from './tone';")
      .replace("content: 'Where is my parcel today?'", 'content: TONE'));
    fs.writeFileSync(path.join(root, 'src', '.gitignore'), 'tone/\n');
    fs.mkdirSync(path.join(root, 'src', 'tone'));
    const cacheDir = tempDir('prompt-cost-manifest-probe-');
    const cold = await scan({ root, cacheDir, cacheRacyMs: 0 });
    assert.strictEqual((await scan({ root, cacheDir, cacheRacyMs: 0 })).priced, 0);
    const src = fs.statSync(path.join(root, 'src'));
    fs.writeFileSync(path.join(root, 'src', 'tone', 'index.ts'), `export const TONE = 'Answer kindly and say where the parcel is, with the tracking link. ${LONG}';\n`);
    assert.strictEqual(fs.statSync(path.join(root, 'src')).mtimeMs, src.mtimeMs);
    const found = await scan({ root, cacheDir, cacheRacyMs: 0 });
    assert.ok(found.priced > 0);
    assert.ok(found.report.totals.monthlyUsd > cold.report.totals.monthlyUsd);
    assert.deepStrictEqual(every(found.report), every((await scan({ root })).report));
  });
});
