// One fuzz input through the engine, in-process, and the invariants every result must keep: no
// exception, every number finite and not negative (token counts, costs, traffic, ranges).
import { Engine } from '../../src/core/analyze';
import { parseConfig } from '../../src/core/config/load';
import { emptyConfig, type PromptCostConfig } from '../../src/core/config/types';
import { MAX_FILE_BYTES } from '../../src/core/fileAccess';
import { langForFile } from '../../src/core/detect/code';
import { isBudgetExceeded } from '../../src/core/budgets';

export interface Input {
  /** Root-relative name (decides the reader). */
  file: string;
  text: string;
  /** Sibling files (imports, file:// prompts) by root-relative name. */
  siblings: Record<string, string>;
  /** A .promptcost.yaml to price with (itself possibly mutated). */
  config?: string;
}

export interface Verdict {
  problems: string[];
  /** Milliseconds in the engine (detection + pricing). */
  ms: number;
  prompts: number;
  skipped?: string;
  /** The engine budget that stopped it (handled: the scan skips the file with this reason). */
  budget?: string;
}

/** Fields that may legitimately be negative (none today): path suffixes in dotted form. */
const MAY_BE_NEGATIVE = new Set<string>([]);

/** Every number in `value` that is not finite or is negative, by path (built only for those: a walk of a big result is the oracle's hot loop). */
export function badNumbers(value: unknown): string[] {
  const out: string[] = [];
  const at: (string | number)[] = [];
  const pathOf = () => at.map((k, i) => (typeof k === 'number' ? `[${k}]` : i ? `.${k}` : k)).join('');
  const walk = (v: unknown, depth: number): void => {
    if (out.length >= 5 || depth > 60) return;
    if (typeof v === 'number') {
      if (Number.isFinite(v) && v >= 0) return;
      const p = pathOf();
      if (Number.isFinite(v) && MAY_BE_NEGATIVE.has(p.replace(/.*\./, ''))) return;
      out.push(`${p} = ${v}`);
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        at.push(i);
        walk(v[i], depth + 1);
        at.pop();
      }
    } else if (v && typeof v === 'object') {
      for (const k in v) {
        if (!Object.hasOwn(v, k)) continue;
        at.push(k);
        walk((v as Record<string, unknown>)[k], depth + 1);
        at.pop();
      }
    }
  };
  walk(value, 0);
  return out;
}

export function check(engine: Engine, input: Input): Verdict {
  const problems: string[] = [];
  if (Buffer.byteLength(input.text) > MAX_FILE_BYTES) return { problems, ms: 0, prompts: 0, skipped: 'larger than 1 MB (the scan skips it)' };
  const t0 = performance.now();
  let prompts = 0;
  // The engine's time only: the checks below walk and copy the whole result, which is the oracle's cost.
  let ms: number | undefined;
  let config: PromptCostConfig = emptyConfig();
  try {
    if (input.config !== undefined) config = parseConfig(input.config);
  } catch (e) {
    problems.push(`parseConfig threw: ${(e as Error).stack?.split('\n').slice(0, 3).join(' | ')}`);
  }
  if (!langForFile(input.file) && !input.file.endsWith('.ipynb') && !/\.(ya?ml|prompty|prompt|md)$/.test(input.file)) return { problems, ms: 0, prompts: 0, skipped: 'not a candidate' };
  try {
    const read = (rel: string) => input.siblings[rel];
    const d = engine.detectSync(input.file, input.text, { readWorkspaceFile: read, readRelative: read });
    const a = engine.price(d, { config });
    ms = performance.now() - t0;
    prompts = a.prompts.length;
    problems.push(...badNumbers(a).map((x) => `non-finite or negative: ${x}`));
    // Round trip: what the CLI prints as JSON must be JSON.
    JSON.parse(JSON.stringify(a));
  } catch (e) {
    // A budget spent is the engine handling the input (the scan lists the file as skipped, naming it).
    if (isBudgetExceeded(e)) return { problems, ms: performance.now() - t0, prompts: 0, budget: e.reason };
    problems.push(`threw: ${(e as Error).stack?.split('\n').slice(0, 4).join(' | ') ?? e}`);
  }
  return { problems, ms: ms ?? performance.now() - t0, prompts };
}
