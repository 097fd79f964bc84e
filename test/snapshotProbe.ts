// Run in a child process by the snapshot tests: counts a corpus, says how the encoder was loaded.
// PROBE_PRELOAD=await restores the snapshot off the main thread first (as the language server does);
// PROBE_PRELOAD=race counts while that restore is still reading (the count must not wait or break).
import { countWithEncoding, loadedEncodings, preloadEncoder } from '../src/core/tokens';
import { CORPUS } from './corpus';

async function main() {
  let preloaded: boolean | undefined;
  let counts: number[];
  if (process.env.PROBE_PRELOAD === 'await') {
    preloaded = await preloadEncoder('o200k_base');
    counts = CORPUS.map((t) => countWithEncoding(t, 'o200k_base'));
  } else if (process.env.PROBE_PRELOAD === 'race') {
    const pending = preloadEncoder('o200k_base');
    await new Promise((resolve) => setImmediate(resolve)); // the read is under way
    counts = CORPUS.map((t) => countWithEncoding(t, 'o200k_base'));
    preloaded = await pending;
    counts = counts.concat(CORPUS.map((t) => countWithEncoding(t, 'o200k_base')));
  } else counts = CORPUS.map((t) => countWithEncoding(t, 'o200k_base'));
  process.stdout.write(JSON.stringify({ counts, origin: loadedEncodings().find((e) => e.name === 'o200k_base')?.origin, preloaded }));
}

void main();
