// Every number a command takes on the command line, with its range: the traffic options share the
// limits of `.promptcost.yaml` and the editor settings (core/numbers.ts); the others are the CLI's own.
// A value outside its range is a usage error (exit 2) that says the range, never a number quietly used.
import { NUMBER_LIMITS, parseDecimal, rangeText, withinLimit, type NumberLimit } from '../core/numbers';
import { UsageError } from './inputs';

// A billion tokens is a hundred times the largest context window any model has.
const TOKENS_IN = { min: 0, max: 1_000_000_000, integer: true } as const;
// setTimeout takes at most ~24 days; an hour is already far longer than any request should take.
const SECONDS = { min: 0, aboveMin: true, max: 3600, what: 'seconds to wait' } as const;

export const OPTION_LIMITS = {
  input: { ...TOKENS_IN, what: 'input tokens per call' },
  'cached-input': { ...TOKENS_IN, what: 'cached input tokens per call' },
  output: NUMBER_LIMITS.outputTokens,
  'calls-per-day': NUMBER_LIMITS.callsPerDay,
  'days-per-month': NUMBER_LIMITS.daysPerMonth,
  'max-monthly': { min: 0, max: Infinity, what: 'USD a month' },
  'max-increase-usd': { min: 0, max: Infinity, what: 'USD a month' },
  'max-increase-pct': { min: 0, max: Infinity, what: 'percent' },
  timeout: SECONDS,
  part: { min: 1, max: Infinity, integer: true, what: "the part's number, 1-based" },
} satisfies Record<string, NumberLimit>;

export type NumberOptionName = keyof typeof OPTION_LIMITS;

/**
 * `--name`'s value as a number within its range, undefined when not given, or why not. Written as a
 * user writes a number: decimal, `_` between digits, an exponent (not hex, `Infinity` or nothing).
 */
export function readNumberOption(value: unknown, name: NumberOptionName): { value?: number; problem?: string } {
  if (value === undefined) return {};
  const limit: NumberLimit = OPTION_LIMITS[name];
  const n = parseDecimal(String(value).trim());
  if (withinLimit(limit, n)) return { value: n };
  return { problem: `--${name} must be ${rangeText(limit)} (${limit.what}), got "${String(value)}"` };
}

/** `--name`'s value as a number within its range (undefined when not given); a UsageError naming the range otherwise. */
export function numberOption(value: unknown, name: NumberOptionName): number | undefined {
  const r = readNumberOption(value, name);
  if (r.problem) throw new UsageError(r.problem);
  return r.value;
}
