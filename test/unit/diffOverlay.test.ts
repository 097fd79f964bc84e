import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { run } from '../../src/cli/main';
import { diffCost, type CostDiff } from '../../src/core/diff';
import { gitRuns } from '../../src/core/diff/git';
import { forgetPriceLookups, priceLookups } from '../../src/core/prices';
import { grammarLoads } from '../../src/core/workspace';
import { tokenizerRuns } from '../../src/core/tokens';
import { scanWorkspace, walkFinds, walkListing, walkOrder, walkRelative } from '../../src/core/workspace';
import { edit, git, repoWith as repoWithFiles } from '../gitRepo';
import { tempDir } from '../tempDir';

// The base side derived from the work tree's (diff/overlay.ts): the same answer as scanning the base,
// with no checkout of the base (no hard links to the work tree) where git finds few files different.


const LONG = Array.from({ length: 12 }, (_, i) => `Rule ${i + 1}: answer support questions about invoices and refunds politely.`).join(' ');

const FILES: Record<string, string> = {
  '.promptcost.yaml': 'defaults:\n  callsPerDay: 1000\n',
  'src/bot.ts': `import OpenAI from 'openai';
import { MODEL } from './settings';
const client = new OpenAI();
export async function answer(question: string) {
  return client.chat.completions.create({
    model: MODEL,
    messages: [
      { role: 'system', content: 'You are the billing assistant. ${LONG}' },
      { role: 'user', content: question },
    ],
  });
}
`,
  'src/settings.ts': `export const MODEL = 'gpt-4o';\n`,
  'src/prompts.ts': `export const SUPPORT = 'You are the support assistant. ${LONG}';\n`,
  'src/support.ts': `import OpenAI from 'openai';
import { SUPPORT } from './prompts';
const client = new OpenAI();
export const reply = (q: string) => client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'system', content: SUPPORT }, { role: 'user', content: q }] });
`,
  'src/triage.py': `import anthropic
client = anthropic.Anthropic()

def triage(ticket):
    return client.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=20,
        system="You triage support tickets into one topic. ${LONG}",
        messages=[{"role": "user", "content": ticket}],
    )
`,
  'lib/util.ts': `export const add = (a: number, b: number) => a + b;\n`,
  'prompts/summary.prompt.yml': `model: openai/gpt-4o-mini
messages:
  - role: system
    content: Summarize the ticket in one sentence for the on-call engineer.
  - role: user
    content: '{{ticket}}'
`,
  '.gitignore': 'generated/\n',
};

const repoWith = (files: Record<string, string | Buffer>) => repoWithFiles(files, 'prompt-cost-overlay-');

const strip = (d: CostDiff) => JSON.stringify({ ...d, tool: '' });

/** A diff with the cache (`links`: hard links the base's checkout made: none when derived) and the same without it. */
async function both(dir: string, cacheDir = tempDir('prompt-cost-overlay-cache-')): Promise<{ fast: CostDiff; full: CostDiff; links: number; cacheDir: string }> {
  const fsm = require('fs') as typeof import('fs'); // eslint-disable-line @typescript-eslint/no-require-imports
  const { linkSync } = fsm;
  let links = 0;
  (fsm as { linkSync: unknown }).linkSync = (from: fs.PathLike, to: fs.PathLike) => {
    links++;
    linkSync(from, to);
  };
  let fast: CostDiff;
  try {
    fast = await diffCost({ path: dir, base: 'HEAD', scan: { cacheDir } });
  } finally {
    (fsm as { linkSync: unknown }).linkSync = linkSync;
  }
  const full = await diffCost({ path: dir, base: 'HEAD' });
  assert.strictEqual(strip(fast), strip(full));
  // A second diff answers from what the first kept, the same.
  assert.strictEqual(strip(await diffCost({ path: dir, base: 'HEAD', scan: { cacheDir } })), strip(full));
  return { fast, full, links, cacheDir };
}

describe('cost diff: the base derived from the work tree\'s side', () => {
  it('an edited prompt: the base is not checked out, and the answer is the scan\'s', async () => {
    const dir = repoWith(FILES);
    edit(dir, 'src/bot.ts', (s) => s.replace('billing assistant', 'billing and refunds assistant'));
    const { fast, links } = await both(dir);
    assert.strictEqual(links, 0);
    assert.ok(fast.prompts.some((p) => p.file === 'src/bot.ts' && p.status === 'changed'));
  });

  it('lines shifted, a Python edit, a file added (untracked) and one deleted: derived, the same answer', async () => {
    const dir = repoWith(FILES);
    edit(dir, 'src/bot.ts', (s) => `// a comment\n// another\n${s}`);
    edit(dir, 'src/triage.py', (s) => s.replace('claude-sonnet-4-5', 'claude-haiku-4-5'));
    fs.writeFileSync(path.join(dir, 'src/new.ts'), `import OpenAI from 'openai';\nconst c = new OpenAI();\nexport const f = () => c.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Write a haiku about invoices and refunds, please.' }] });\n`);
    fs.rmSync(path.join(dir, 'prompts/summary.prompt.yml'));
    const { fast, links } = await both(dir);
    assert.strictEqual(links, 0);
    const status = (file: string) => fast.prompts.filter((p) => p.file === file).map((p) => p.status);
    assert.deepStrictEqual(status('src/new.ts'), ['added']);
    assert.deepStrictEqual(status('prompts/summary.prompt.yml'), ['removed']);
    assert.deepStrictEqual(status('src/triage.py'), ['changed']);
    assert.deepStrictEqual(status('src/bot.ts'), ['moved']);
  });

  it('a renamed file: derived, moved as a scan of the base says', async () => {
    const dir = repoWith(FILES);
    git(dir, 'mv', 'src/triage.py', 'src/routing.py');
    const { fast, links } = await both(dir);
    assert.strictEqual(links, 0);
    assert.ok(fast.prompts.some((p) => p.file === 'src/routing.py' && p.status === 'moved'));
  });

  it('an imported model changed in another file: the file that reads it is detected again from the base\'s import', async () => {
    const dir = repoWith(FILES);
    edit(dir, 'src/settings.ts', () => `export const MODEL = 'gpt-4o-mini';\n`);
    const { fast, links } = await both(dir);
    assert.strictEqual(links, 0);
    const row = fast.prompts.find((p) => p.file === 'src/bot.ts');
    assert.ok(row && row.reasons.some((r) => r === 'model changed: gpt-4o → gpt-4o-mini'), JSON.stringify(fast.prompts));
  });

  it('an imported prompt constant changed in another file: scanned as before (a part of one file in another), the same answer', async () => {
    const dir = repoWith(FILES);
    edit(dir, 'src/prompts.ts', (s) => s.replace('support assistant', 'support and sales assistant'));
    const { fast, links } = await both(dir);
    assert.ok(links > 0);
    assert.ok(fast.prompts.some((p) => p.file === 'src/support.ts' && p.status === 'changed'));
  });

  it('a config changed on one side: scanned as before, the same answer', async () => {
    const dir = repoWith(FILES);
    fs.writeFileSync(path.join(dir, '.promptcost.yaml'), 'defaults:\n  callsPerDay: 5000\n');
    edit(dir, 'src/bot.ts', (s) => s.replace('billing assistant', 'billing and refunds assistant'));
    const { fast, links } = await both(dir);
    assert.ok(links > 0);
    assert.ok(fast.deltaMonthlyUsd > 0);
  });

  it('an ignored file an import reads exists only in the work tree: the base reads nothing there', async () => {
    const dir = repoWith({ ...FILES, 'src/bot.ts': FILES['src/bot.ts'].replace("from './settings'", "from '../generated/settings'") });
    fs.mkdirSync(path.join(dir, 'generated'));
    fs.writeFileSync(path.join(dir, 'generated/settings.ts'), `export const MODEL = 'gpt-4.1';\n`);
    const { fast, links } = await both(dir);
    assert.strictEqual(links, 0);
    assert.ok(fast.prompts.some((p) => p.file === 'src/bot.ts' && p.reasons.some((r) => r.startsWith('model changed'))), JSON.stringify(fast.prompts));
  });

  it('text files code loads as prompts: an edit elsewhere is derived; an edit of the loading code, or of the text, is scanned; the same answers', async () => {
    const files = {
      ...FILES,
      'app/agent.py': `import os\nimport openai\nPROMPTS = os.environ["PROMPTS"]\nSYSTEM_PROMPT = open(os.path.join(PROMPTS, "system.md")).read()\nclient = openai.OpenAI()\ndef run(q):\n    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": q}])\n`,
      'app/prompts/system.md': `You are the release-notes writer. ${LONG}\n`,
      'app/prompts/unused.md': `You are nobody in particular. ${LONG}\n`,
    };
    const dir = repoWith(files);
    const loaded = (d: CostDiff) => d.prompts.filter((p) => p.file.startsWith('app/prompts/'));
    edit(dir, 'src/bot.ts', (s) => s.replace('billing assistant', 'billing and refunds assistant'));
    const a = await both(dir);
    assert.strictEqual(a.links, 0);
    assert.deepStrictEqual(loaded(a.fast), []);
    // The loading code names the other file now: scanned, the unused text is a prompt of the work tree.
    edit(dir, 'app/agent.py', (s) => s.replace('"system.md"', '"unused.md"'));
    const b = await both(dir);
    assert.ok(b.links > 0);
    assert.deepStrictEqual(loaded(b.fast).map((p) => p.file), ['app/prompts/unused.md']);
    edit(dir, 'app/agent.py', (s) => s.replace('"unused.md"', '"system.md"'));
    edit(dir, 'app/prompts/system.md', (s) => `${s}Answer in English.\n`);
    const c = await both(dir);
    assert.ok(c.links > 0);
    assert.deepStrictEqual(loaded(c.fast).map((p) => [p.file, p.status]), [['app/prompts/system.md', 'changed']]);
  });

  it('a .gitignore changed on one side: the base walks its own, the same answer', async () => {
    const dir = repoWith(FILES);
    edit(dir, '.gitignore', (s) => `${s}src/triage.py\n`);
    edit(dir, 'src/bot.ts', (s) => s.replace('billing assistant', 'billing and refunds assistant'));
    const { fast, links } = await both(dir);
    assert.strictEqual(links, 0);
    assert.deepStrictEqual(fast.prompts.filter((p) => p.file === 'src/triage.py').map((p) => p.status), ['removed']);
  });

  it('the CLI with the cache answers as with --no-cache', async () => {
    const dir = repoWith(FILES);
    edit(dir, 'src/bot.ts', (s) => s.replace('billing assistant', 'billing and refunds assistant'));
    const cli = async (...args: string[]) => {
      let stdout = '';
      const code = await run(['diff', '--base', 'HEAD', '--format', 'json', ...args], { stdout: (s) => void (stdout += s), stderr: () => undefined, readStdin: () => Buffer.from(''), stderrIsTTY: false, cwd: dir });
      assert.strictEqual(code, 0);
      return stdout;
    };
    const before = process.env.PROMPT_COST_CACHE_DIR;
    process.env.PROMPT_COST_CACHE_DIR = tempDir('prompt-cost-overlay-cli-');
    try {
      const fast = await cli();
      assert.strictEqual(fast, await cli('--no-cache'));
      assert.strictEqual(await cli(), fast);
    } finally {
      if (before === undefined) delete process.env.PROMPT_COST_CACHE_DIR;
      else process.env.PROMPT_COST_CACHE_DIR = before;
    }
  });
});

describe('cost diff: the work tree\'s side updated file by file after an edit', () => {
  /** Whether the stored work-tree side was last written by an update (no whole report kept with it). */
  const updated = (cacheDir: string) => fs.readdirSync(path.join(cacheDir, 'scans')).filter((n) => n.endsWith('.json'))
    .some((n) => (JSON.parse(fs.readFileSync(path.join(cacheDir, 'scans', n), 'utf8')) as { reportDigest: string }).reportDigest.startsWith('view:'));

  it('edit after edit, an imported model, files added and deleted: each diff answers as a scan does; a part across files is scanned', async () => {
    const dir = repoWith(FILES);
    const cacheDir = tempDir('prompt-cost-overlay-cache-');
    // [what, the change, whether the diff derives the work tree's side, whether a scan with the cache follows]
    const steps: [string, () => void, boolean, boolean?][] = [
      ['an edit', () => edit(dir, 'src/bot.ts', (s) => s.replace('billing assistant', 'billing and refunds assistant')), false],
      ['another edit of it', () => edit(dir, 'src/bot.ts', (s) => `// first line\n${s.replace('refunds', 'refunds and plans')}`), true],
      ['an imported model', () => edit(dir, 'src/settings.ts', () => `export const MODEL = 'gpt-4.1';\n`), true],
      ['a file added', () => fs.writeFileSync(path.join(dir, 'src/new.py'), `import openai\nc = openai.OpenAI()\nc.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "Name three colours of invoices, please."}])\n`), true, true],
      // The scan stored a whole report again, with its per-file form beside it: this diff updates that.
      ['a file deleted', () => fs.rmSync(path.join(dir, 'src/triage.py')), true],
      ['an edit of a non-prompt file', () => edit(dir, 'lib/util.ts', (s) => `${s}export const sub = (a: number, b: number) => a - b;\n`), true],
      ['an imported prompt constant', () => edit(dir, 'src/prompts.ts', (s) => s.replace('support assistant', 'support and sales assistant')), false],
      ['everything undone', () => {
        git(dir, 'checkout', '-q', '--', '.');
        fs.rmSync(path.join(dir, 'src/new.py'));
      }, false, true],
    ];
    for (const [what, change, derived, scanAfter] of steps) {
      change();
      await new Promise((r) => setTimeout(r, 5)); // a new mtime for each edit
      const fast = await diffCost({ path: dir, base: 'HEAD', scan: { cacheDir, cacheRacyMs: 0 } });
      assert.strictEqual(strip(fast), strip(await diffCost({ path: dir, base: 'HEAD' })), what);
      assert.strictEqual(updated(cacheDir), derived, what);
      if (!scanAfter) continue;
      // A scan after it is the scan's, not a stored answer of another tree.
      const plain = JSON.stringify({ ...(await scanWorkspace({ root: dir })), root: '' });
      assert.strictEqual(JSON.stringify({ ...(await scanWorkspace({ root: dir, cacheDir, cacheRacyMs: 0 })), root: '' }), plain, what);
    }
  });
});

describe('cost diff after a plain scan', () => {
  it('a diff after `scan` and an edit updates the per-file form the scan kept (no scan of the work tree), the same answer', async () => {
    const dir = repoWith(FILES);
    const cacheDir = tempDir('prompt-cost-overlay-cache-');
    await scanWorkspace({ root: dir, cacheDir, cacheRacyMs: 0 });
    edit(dir, 'src/bot.ts', (s) => `// first line\n${s.replace('billing assistant', 'billing and refunds assistant')}`);
    const fast = await diffCost({ path: dir, base: 'HEAD', scan: { cacheDir, cacheRacyMs: 0 } });
    assert.strictEqual(strip(fast), strip(await diffCost({ path: dir, base: 'HEAD' })));
    const entries = fs.readdirSync(path.join(cacheDir, 'scans')).filter((n) => n.endsWith('.json')).map((n) => JSON.parse(fs.readFileSync(path.join(cacheDir, 'scans', n), 'utf8')) as { reportDigest: string });
    assert.deepStrictEqual(entries.map((e) => e.reportDigest.startsWith('view:')), [true], 'the work tree updated from the scan\'s form');
  });
});

describe('cost diff: git processes', () => {
  it('a diff of three edited files reads git in one pass of each kind, none per file; a repeat in fewer', async () => {
    const dir = repoWith(FILES);
    const before = process.env.PROMPT_COST_CACHE_DIR;
    process.env.PROMPT_COST_CACHE_DIR = tempDir('prompt-cost-overlay-cli-');
    const io = (out: string[]) => ({ stdout: (s: string) => void out.push(s), stderr: () => undefined, readStdin: () => Buffer.from(''), stderrIsTTY: false, cwd: dir });
    try {
      await run(['scan', '--format', 'json'], io([]));
      edit(dir, 'src/bot.ts', (s) => s.replace('billing assistant', 'billing and refunds assistant'));
      edit(dir, 'src/triage.py', (s) => s.replace('claude-sonnet-4-5', 'claude-haiku-4-5'));
      edit(dir, 'lib/util.ts', (s) => `${s}export const sub = (a: number, b: number) => a - b;\n`);
      const runs = async () => {
        const at = gitRuns.count;
        const out: string[] = [];
        assert.strictEqual(await run(['diff', '--base', 'HEAD', '--format', 'json'], io(out)), 0);
        return { n: gitRuns.count - at, out: out.join('') };
      };
      // rev-parse (the commit and the top), cat-file of the base's config (once, for the check and the
      // diff), diff (what differs), ls-tree (the base's files), config and check-attr (which of them
      // are the work tree's bytes: check-attr reads their names from an ls-tree of its own), one
      // cat-file --batch (the base's content of the changed files, which is also what the pairing reads).
      const first = await runs();
      assert.strictEqual(first.n, 8);
      // The base kept (sideCache.ts): no listing, no check of the work tree's bytes, no writing.
      const again = await runs();
      assert.strictEqual(again.n, 4);
      assert.strictEqual(again.out, first.out);
    } finally {
      if (before === undefined) delete process.env.PROMPT_COST_CACHE_DIR;
      else process.env.PROMPT_COST_CACHE_DIR = before;
    }
  });
});

describe('cost diff: what is loaded', () => {
  it('an edit the prefilter settles (no prompt keyword) loads no grammar on either side; an edit of a prompt file\'s code loads them', async () => {
    const dir = repoWith(FILES);
    const cacheDir = tempDir('prompt-cost-overlay-cache-');
    await scanWorkspace({ root: dir, cacheDir, cacheRacyMs: 0 });
    edit(dir, 'lib/util.ts', (s) => `${s}export const sub = (a: number, b: number) => a - b;\n`);
    let at = grammarLoads.count;
    const fast = await diffCost({ path: dir, base: 'HEAD', scan: { cacheDir, cacheRacyMs: 0 } });
    assert.strictEqual(grammarLoads.count - at, 0);
    assert.strictEqual(strip(fast), strip(await diffCost({ path: dir, base: 'HEAD' })));
    edit(dir, 'src/bot.ts', (s) => s.replace('billing assistant', 'billing and refunds assistant'));
    at = grammarLoads.count;
    await diffCost({ path: dir, base: 'HEAD', scan: { cacheDir, cacheRacyMs: 0 } });
    assert.ok(grammarLoads.count - at > 0, 'the edited file is parsed');
  });

  it('an edit that leaves its file\'s prompt texts as they were counts nothing with the tokenizer (the counts kept with the cache)', async () => {
    const dir = repoWith(FILES);
    const cacheDir = tempDir('prompt-cost-overlay-cache-');
    await scanWorkspace({ root: dir, cacheDir, cacheRacyMs: 0 });
    edit(dir, 'src/bot.ts', (s) => `// a comment\n${s}`);
    const at = tokenizerRuns.count;
    const fast = await diffCost({ path: dir, base: 'HEAD', scan: { cacheDir, cacheRacyMs: 0 } });
    assert.strictEqual(tokenizerRuns.count - at, 0);
    assert.strictEqual(strip(fast), strip(await diffCost({ path: dir, base: 'HEAD' })));
    // A text not counted before is counted, and kept.
    edit(dir, 'src/bot.ts', (s) => s.replace('billing assistant', 'billing and refunds assistant'));
    const at2 = tokenizerRuns.count;
    await diffCost({ path: dir, base: 'HEAD', scan: { cacheDir, cacheRacyMs: 0 } });
    assert.ok(tokenizerRuns.count - at2 > 0);
  });

  it('a diff that prices only models an earlier run priced does not ask the price database (its answers kept with the cache)', async () => {
    const dir = repoWith(FILES);
    const cacheDir = tempDir('prompt-cost-overlay-cache-');
    await scanWorkspace({ root: dir, cacheDir, cacheRacyMs: 0 });
    edit(dir, 'src/bot.ts', (s) => s.replace('billing assistant', 'billing and refunds assistant'));
    await diffCost({ path: dir, base: 'HEAD', scan: { cacheDir, cacheRacyMs: 0 } });
    edit(dir, 'src/bot.ts', (s) => s.replace('refunds', 'refunds and plans'));
    forgetPriceLookups(); // as a new process
    const at = priceLookups.fromDatabase;
    const fast = await diffCost({ path: dir, base: 'HEAD', scan: { cacheDir, cacheRacyMs: 0 } });
    assert.strictEqual(priceLookups.fromDatabase - at, 0);
    forgetPriceLookups();
    assert.strictEqual(strip(fast), strip(await diffCost({ path: dir, base: 'HEAD' })));
  });
});

describe('cost diff: what an edit writes', () => {
  it('the work tree\'s kept side gets the new runs appended, not written anew; the derived base keeps no data of its own; a scan that writes the side anew is followed', async () => {
    const dir = repoWith(FILES);
    const cacheDir = tempDir('prompt-cost-overlay-cache-');
    await scanWorkspace({ root: dir, cacheDir, cacheRacyMs: 0 });
    const scans = path.join(cacheDir, 'scans');
    const dataFile = () => path.join(scans, fs.readdirSync(scans).find((n) => n.endsWith('.view.data'))!);
    const before = fs.statSync(dataFile());
    const check = async (what: string) => {
      const fast = await diffCost({ path: dir, base: 'HEAD', scan: { cacheDir, cacheRacyMs: 0 } });
      assert.strictEqual(strip(fast), strip(await diffCost({ path: dir, base: 'HEAD' })), what);
      assert.deepStrictEqual(fs.readdirSync(path.join(cacheDir, 'diff-sides')).filter((n) => n.endsWith('.data')), [], `${what}: the base's runs are in the work tree's data file`);
    };
    for (const [i, what] of ['an edit', 'another edit'].entries()) {
      edit(dir, 'src/bot.ts', (s) => `// edit ${i}\n${s.replace('billing assistant', `billing assistant ${i}`)}`);
      await check(what);
      const now = fs.statSync(dataFile());
      assert.strictEqual(now.ino, before.ino, `${what}: the same file, appended to`);
      assert.ok(now.size > before.size, what);
    }
    // A scan of the tree as it is writes its side anew: the kept base (in the old file) is not used.
    const grown = fs.statSync(dataFile()).size;
    await scanWorkspace({ root: dir, cacheDir, cacheRacyMs: 0 });
    assert.ok(fs.statSync(dataFile()).size < grown, 'written anew by the scan');
    await check('a diff after the scan');
  });
});

describe('cost diff: a damaged state kept with the work tree\'s side', () => {
  it('is not trusted: the work tree is scanned after the next edit, and the answer is the scan\'s', async () => {
    const dir = repoWith(FILES);
    const cacheDir = tempDir('prompt-cost-overlay-cache-');
    edit(dir, 'src/bot.ts', (s) => s.replace('billing assistant', 'billing and refunds assistant'));
    await diffCost({ path: dir, base: 'HEAD', scan: { cacheDir, cacheRacyMs: 0 } });
    const scans = path.join(cacheDir, 'scans');
    const data = fs.readdirSync(scans).filter((n) => n.endsWith('.view.data')).map((n) => path.join(scans, n));
    assert.strictEqual(data.length, 1);
    const b = fs.readFileSync(data[0]);
    b[b.length - 3] ^= 1; // in the state, which the data ends with
    fs.writeFileSync(data[0], b);
    edit(dir, 'src/bot.ts', (s) => s.replace('refunds', 'refunds and plans'));
    const fast = await diffCost({ path: dir, base: 'HEAD', scan: { cacheDir, cacheRacyMs: 0 } });
    assert.strictEqual(strip(fast), strip(await diffCost({ path: dir, base: 'HEAD' })));
    const entry = fs.readdirSync(scans).filter((n) => n.endsWith('.json')).map((n) => JSON.parse(fs.readFileSync(path.join(scans, n), 'utf8')) as { reportDigest: string });
    assert.ok(entry.every((e) => !e.reportDigest.startsWith('view:')), 'scanned, not derived');
  });
});

describe('walkListing', () => {
  it('finds what walkRelative finds in a checkout of the same files: order, excludes, .gitignore layers', () => {
    const files: Record<string, string> = {
      '.gitignore': 'build/\n*.log\n!keep.log\n',
      'a/x.ts': '', 'a-b.ts': '', 'a/b/c.py': '', 'a/.gitignore': 'secret.ts\n!b/\n', 'a/secret.ts': '', 'Z.md': '', 'z.md': '',
      'node_modules/m/index.js': '', 'build/out.js': '', 'debug.log': '', 'keep.log': '', 'docs/x/y/z.txt': '', 'skip/me.ts': '', '_u/v.ts': '', 'b.ts': '',
    };
    const dir = tempDir('prompt-cost-walk-');
    for (const [f, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      fs.writeFileSync(path.join(dir, f), text);
    }
    const exclude = ['skip/**'];
    const real = walkRelative(dir, dir, exclude, []);
    const listed = walkListing(Object.keys(files), (rel) => files[rel], exclude);
    assert.deepStrictEqual(listed, real);
    // One path at a time, and the walk's order
    const finds = walkFinds((rel) => files[rel], exclude);
    assert.deepStrictEqual(Object.keys(files).filter((f) => finds(f)).sort(walkOrder), real);
    assert.ok(real.includes('keep.log') && !real.includes('debug.log') && !real.includes('a/secret.ts'));
  });
});
