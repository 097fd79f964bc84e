// The user's cache folder for prompt-cost: PROMPT_COST_CACHE_DIR (empty: no cache at all), else
// $XDG_CACHE_HOME/prompt-cost or ~/.cache/prompt-cost. Tokenizer snapshots, stored detections and scan
// reports, diff sides and the CLI's code cache live there. No imports beyond Node's: the CLI's launcher
// (src/cli/launch.ts) reads it before the bundle is loaded.
import * as os from 'os';
import * as path from 'path';

export function cacheFolder(): string | undefined {
  const configured = process.env.PROMPT_COST_CACHE_DIR;
  if (configured !== undefined) return configured || undefined;
  return path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'prompt-cost');
}
