// One validation for every number a user can give the engine, whatever its source: `.promptcost.yaml`
// (its schema carries the same limits; a test keeps them equal), editor settings, annotations, the
// output limit a prompt file or a code call sets. A number outside its range is reported (what, where,
// the range) and not used; the default applies instead.

export type NumberField = 'callsPerDay' | 'outputTokens' | 'cacheHitRate' | 'daysPerMonth';

export interface NumberLimit {
  min: number;
  /** Infinity for no upper limit. */
  max: number;
  /** `min` itself is not allowed (a timeout of 0 seconds). */
  aboveMin?: boolean;
  integer?: boolean;
  /** What the number is, for messages. */
  what: string;
}

export const NUMBER_LIMITS: Readonly<Record<NumberField, NumberLimit>> = {
  // 10 billion calls a day is ~115,000 a second: more than any single prompt is called.
  callsPerDay: { min: 0, max: 10_000_000_000, what: 'calls per day' },
  // No model's output limit is near 10 million tokens.
  outputTokens: { min: 0, max: 10_000_000, integer: true, what: 'output tokens per call' },
  cacheHitRate: { min: 0, max: 1, what: 'cache hit rate' },
  daysPerMonth: { min: 1, max: 31, what: 'days per month' },
};

/** The numbers `l` allows, in words: "a whole number from 0 to 10,000,000", "a number of 0 or more", "a number above 0 and at most 3,600". */
export function rangeText(l: NumberLimit): string {
  const n = (v: number) => v.toLocaleString('en-US');
  const kind = l.integer ? 'a whole number' : 'a number';
  const bounded = Number.isFinite(l.max);
  if (l.aboveMin) return `${kind} above ${n(l.min)}${bounded ? ` and at most ${n(l.max)}` : ''}`;
  return bounded ? `${kind} from ${n(l.min)} to ${n(l.max)}` : `${kind} of ${n(l.min)} or more`;
}

/** Whether `value` is a number `l` allows. */
export function withinLimit(l: NumberLimit, value: unknown): value is number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return false;
  if (l.integer && !Number.isInteger(value)) return false;
  return (l.aboveMin ? value > l.min : value >= l.min) && value <= l.max;
}

/** Why `value` is not a valid `field` (undefined when it is). */
export function numberProblem(field: NumberField, value: unknown): string | undefined {
  const l = NUMBER_LIMITS[field];
  return withinLimit(l, value) ? undefined : `must be ${rangeText(l)} (${l.what}), got ${String(value)}`;
}

/**
 * A number as a user writes it in an annotation: decimal digits, an optional fraction and exponent,
 * `_` between digits. Not hex, octal, binary, `Infinity` or an empty string (all of which `Number` takes).
 */
export function parseDecimal(raw: string): number | undefined {
  if (!/^[+-]?\d(?:_?\d)*(?:\.\d(?:_?\d)*)?(?:[eE][+-]?\d+)?$/.test(raw)) return undefined;
  const v = Number(raw.replace(/_/g, ''));
  return Number.isFinite(v) ? v : undefined;
}
