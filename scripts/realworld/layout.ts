// npm run eval:layout — lays out the labelled repositories' files, at the labelled commits, into
// eval/realworld/.corpus/<owner>__<name>/ from fetched git snapshots (PROMPT_COST_MIRRORS, default
// ../.mirror: `<owner>+<name>/repo` bare git directories). Only source, config and prompt files under
// 1 MB are written — what detection reads, imports included. Nothing here is ever committed.
// `--pick-holdout` (once, when the labels are complete) writes eval/realworld/holdout.txt.
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { CORPUS_DIR, HOLDOUT_FILE, MIRRORS, pickHoldout, readLabels, repoDirName } from './corpus';

const WANTED = /\.(ts|tsx|js|jsx|mjs|cjs|mts|cts|py|ipynb|ya?ml|prompty|prompt|md|json|toml|cfg|txt|j2|jinja2?|hbs|mustache)$|(^|\/)\.gitignore$/;
const MAX_BYTES = 1024 * 1024;

function gitDir(repo: string): string | undefined {
  const dir = path.join(MIRRORS, repo.replace('/', '+'), 'repo');
  return fs.existsSync(dir) ? dir : undefined;
}

function layout(repo: string, commit: string, labelled: string[]): string {
  const git = gitDir(repo);
  if (!git) return `missing snapshot: fetch github:${repo} (looked in ${MIRRORS})`;
  const has = spawnSync('git', ['--git-dir', git, 'cat-file', '-e', `${commit}^{commit}`]);
  if (has.status !== 0) return `commit ${commit} is not in the snapshot at ${git}`;
  const out = path.join(CORPUS_DIR, repoDirName(repo));
  const stamp = path.join(out, '.layout-commit');
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === commit) return 'up to date';
  fs.rmSync(out, { recursive: true, force: true });
  const tree = execFileSync('git', ['--git-dir', git, 'ls-tree', '-r', '-l', '-z', commit], { maxBuffer: 2 ** 30 }).toString('utf8');
  const entries = tree.split('\0').filter(Boolean).map((row) => {
    const [meta, file] = row.split('\t');
    const [, type, sha, size] = meta.split(/\s+/);
    return { type, sha, size: Number(size), file };
  }).filter((e) => e.type === 'blob' && (labelled.includes(e.file) || (WANTED.test(e.file) && e.size <= MAX_BYTES)));
  // One cat-file process per 2,000 blobs: spawning git per file is far slower on big monorepos.
  for (let i = 0; i < entries.length; i += 2000) {
    const chunk = entries.slice(i, i + 2000);
    const batch = execFileSync('git', ['--git-dir', git, 'cat-file', '--batch'], { input: chunk.map((e) => e.sha).join('\n') + '\n', maxBuffer: 2 ** 32 });
    let at = 0;
    for (const e of chunk) {
      const nl = batch.indexOf(0x0a, at);
      const size = Number(batch.subarray(at, nl).toString().split(' ')[2]);
      const dest = path.join(out, e.file);
      fs.mkdirSync(path.dirname(dest), { recursive: true });
      fs.writeFileSync(dest, batch.subarray(nl + 1, nl + 1 + size));
      at = nl + 1 + size + 1;
    }
  }
  const missing = labelled.filter((f) => !entries.some((e) => e.file === f));
  fs.writeFileSync(stamp, commit);
  return `${entries.length} files${missing.length ? `; labelled but not in the commit: ${missing.join(', ')}` : ''}`;
}

const labels = readLabels();
if (!labels.length) {
  console.error('No labels in eval/realworld/labels/.');
  process.exit(2);
}
fs.mkdirSync(CORPUS_DIR, { recursive: true });
let failed = 0;
for (const r of labels) {
  const msg = layout(r.repo, r.commit, r.files.map((f) => f.path));
  if (/^missing|not in the snapshot/.test(msg)) failed++;
  console.log(`${r.repo.padEnd(50)} ${msg}`);
}
if (process.argv.includes('--pick-holdout')) {
  if (fs.existsSync(HOLDOUT_FILE)) {
    console.error(`${HOLDOUT_FILE} exists: the hold-out is chosen once; delete it only to start a new corpus.`);
    process.exit(2);
  }
  const picked = pickHoldout(labels.map((r) => r.repo));
  fs.writeFileSync(HOLDOUT_FILE, `# The hold-out fifth, picked by hash by scripts/realworld/corpus.ts; evaluated with --holdout only.\n${picked.join('\n')}\n`);
  console.log(`hold-out chosen: ${picked.join(', ')}`);
}
process.exitCode = failed ? 1 : 0;
