// npx tsx bench/ab.ts [--unchanged] [--lines N] [--runs N] DIST_A DIST_B …
//
// Start → first hover for two or more builds of the server (copies of dist/), alternating them start by
// start in one run: on a noisy machine only a comparison made this way means much. By default each start
// opens a file whose text the server has never seen; --unchanged opens the same file every time (after a
// warm-up start per build), so the stored detection answers.
import * as path from 'path';
import { tempDir } from '../test/tempDir';
import { timeFirstHover } from './firstHover';
import { bigFile } from './synthetic';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const builds = args.filter((a, i) => !a.startsWith('--') && !['--lines', '--runs'].includes(args[i - 1]));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  if (builds.length < 2) throw new Error('give two or more dist folders to compare');
  const lines = option('--lines', 5000);
  const runs = option('--runs', 8);
  const unchanged = flag('--unchanged');
  const root = tempDir('pc-ab-');
  process.env.PROMPT_COST_CACHE_DIR = tempDir('pc-ab-cache-');
  const text = bigFile().split('\n').slice(0, lines).join('\n');
  const line = text.split('\n').findIndex((l) => l.includes("{ role: 'user', content:"));
  const start = (build: string, content: string) => timeFirstHover({ server: path.resolve(build, 'server.js'), root, file: 'f.ts', text: content, line });

  for (const b of builds) await start(b, text); // tokenizer snapshot, and the stored detection for --unchanged
  const times = new Map(builds.map((b) => [b, [] as number[]]));
  for (let run = 0; run < runs; run++) {
    for (const b of builds) times.get(b)!.push(await start(b, unchanged ? text : `${text}\n// ${run} ${b} ${Date.now()}\n`));
  }
  console.log(`${lines}-line file, ${unchanged ? 'unchanged since the last session' : 'text never seen before'}, ${runs} starts each`);
  for (const [b, xs] of times) console.log(`  ${b}: median ${median(xs).toFixed(0)} ms  (${xs.map((x) => x.toFixed(0)).join(' ')})`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
