// Run in a child process by the snapshot tests: counts a corpus, says how the encoder was loaded.
import { countWithEncoding, loadedEncodings } from '../src/core/tokens';
import { CORPUS } from './corpus';

const counts = CORPUS.map((t) => countWithEncoding(t, 'o200k_base'));
process.stdout.write(JSON.stringify({ counts, origin: loadedEncodings().find((e) => e.name === 'o200k_base')?.origin }));
