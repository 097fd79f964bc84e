// Lazy tiktoken: the WASM runtime and each encoding's ranks load on first use, one encoding at a time,
// so a process that never counts (or counts only o200k) never pays for the rest.
import * as fs from 'fs';
import * as path from 'path';
import type { Tiktoken } from 'tiktoken/lite';

export type EncodingName = 'o200k_base' | 'cl100k_base';
export const ENCODINGS: readonly EncodingName[] = ['o200k_base', 'cl100k_base'];

interface EncoderFile { bpe_ranks: string; special_tokens: Record<string, number>; pat_str: string }

const loaded = new Map<EncodingName, Tiktoken>();

/**
 * Where the ranks file is: beside the bundle (dist/tiktoken/NAME.json, copied by esbuild.js), else the
 * installed package (tests and `tsx` runs from source).
 */
function ranksPath(name: EncodingName): string {
  const besideBundle = path.join(__dirname, 'tiktoken', `${name}.json`);
  if (fs.existsSync(besideBundle)) return besideBundle;
  return require.resolve(`tiktoken/encoders/${name}.json`);
}

export function getEncoder(name: EncodingName): Tiktoken {
  let enc = loaded.get(name);
  if (!enc) {
    // Required here, not at the top: loading the module compiles the WASM.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Tiktoken: TiktokenClass } = require('tiktoken/lite') as typeof import('tiktoken/lite');
    const file = JSON.parse(fs.readFileSync(ranksPath(name), 'utf8')) as EncoderFile;
    enc = new TiktokenClass(file.bpe_ranks, file.special_tokens, file.pat_str);
    loaded.set(name, enc);
  }
  return enc;
}

/** Which encodings this process has loaded (start-up tests check that counting loads only what it needs). */
export function loadedEncodings(): EncodingName[] {
  return [...loaded.keys()];
}

/**
 * Tokens in `text` under `name`. Special-token strings such as `<|endoftext|>` are counted as the plain
 * text they are: in a prompt they are user data, and tiktoken's `encode` would throw on them.
 */
export function countWithEncoding(text: string, name: EncodingName): number {
  if (text.length === 0) return 0;
  return getEncoder(name).encode_ordinary(text).length;
}
