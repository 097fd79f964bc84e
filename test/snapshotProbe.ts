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
    // preloadEncoder has issued its read when it returns (before its first await), and the read's
    // callback cannot run before this synchronous code ends: these counts certainly race the read.
    // (Waiting a turn of the event loop here instead let a fast read finish first, 1 run in 12.)
    const pending = preloadEncoder('o200k_base');
    counts = CORPUS.map((t) => countWithEncoding(t, 'o200k_base'));
    preloaded = await pending;
    counts = counts.concat(CORPUS.map((t) => countWithEncoding(t, 'o200k_base')));
  } else counts = CORPUS.map((t) => countWithEncoding(t, 'o200k_base'));
  process.stdout.write(JSON.stringify({ counts, origin: loadedEncodings().find((e) => e.name === 'o200k_base')?.origin, preloaded }));
}

void main();
