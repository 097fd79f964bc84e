// One language-server start, timed from spawning the process to the answer of the first hover: the
// measurement bench:lsp and bench/ab.ts make, over and over.
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { TestClient } from '../test/lsp/client';

export interface Start {
  /** dist/server.js by default; another build's server.js to compare builds. */
  server?: string;
  root: string;
  /** Written under `root` before the start, then opened in the editor. */
  file: string;
  text: string;
  /** Where the hover is asked (a prompt's line), at character 70. */
  line: number;
}

/** Milliseconds to the first hover, and the client (still running) for more measurements. */
export async function firstHover(s: Start): Promise<{ ms: number; client: TestClient; uri: string }> {
  fs.writeFileSync(path.join(s.root, s.file), s.text);
  const uri = pathToFileURL(path.join(s.root, s.file)).href;
  const t0 = performance.now();
  const client = new TestClient(s.server);
  client.settings = { debounceMs: 0 };
  await client.initialize(s.root, { scanOnStart: false });
  await client.open(uri, 'typescript', s.text);
  if (!(await client.hover(uri, s.line, 70))) throw new Error(`${s.server ?? 'dist/server.js'}: no hover on ${s.file}:${s.line + 1}`);
  return { ms: performance.now() - t0, client, uri };
}

/** A start whose client is stopped at once: only the time counts. */
export async function timeFirstHover(s: Start): Promise<number> {
  const { ms, client } = await firstHover(s);
  await client.stop();
  return ms;
}
