// Display rounding, in one place. Figures stay full-precision everywhere else.

/** $0.0031, $0.021, $12.40, $6,300 — enough significant digits to compare, never a misleading $0.00. */
export function formatUsd(usd: number): string {
  if (!Number.isFinite(usd)) return 'n/a';
  const abs = Math.abs(usd);
  if (abs < USD_SHOWN_MIN) return '$0';
  let text: string;
  if (abs >= 1000) text = groupDigits(Math.round(abs));
  else if (abs >= 1) text = abs.toFixed(2);
  else if (abs >= 0.01) text = abs.toPrecision(2);
  else text = abs.toPrecision(2);
  if (text.includes('e')) text = abs.toFixed(8).replace(/0+$/, '');
  return `${usd < 0 ? '-' : ''}$${text}`;
}

/** The figure in full, for arithmetic a user checks by hand: up to 8 significant digits, no trailing zeros ($0.0128375, $320.9375, $9,628.125). */
export function formatUsdExact(usd: number): string {
  if (!Number.isFinite(usd)) return 'n/a';
  const abs = Math.abs(usd);
  if (abs < USD_SHOWN_MIN) return '$0';
  // toPrecision removes the float noise (0.004622499999 → 0.0046225); toFixed keeps it out of exponent form.
  const rounded = Number(abs.toPrecision(8));
  const decimals = Math.max(0, 8 - 1 - Math.floor(Math.log10(rounded || 1)));
  const [int, frac = ''] = rounded.toFixed(Math.min(20, decimals)).split('.');
  const trimmed = frac.replace(/0+$/, '');
  const cents = abs >= 1 && decimals >= 2 && trimmed.length < 2 ? trimmed.padEnd(2, '0') : trimmed;
  return `${usd < 0 ? '-' : ''}$${groupDigits(Number(int))}${cents ? `.${cents}` : ''}`;
}

/**
 * Less than half of the smallest figure either formatter prints ($0.00000001) is $0 in both: below a
 * millionth of a cent per call, a figure is float residue, not money (it printed as "$0." and as
 * "$0.00000000000000000805" beside it).
 */
const USD_SHOWN_MIN = 5e-9;

/**
 * A share (0–1) as a percentage, to `decimals` places (trailing zeros dropped): 82%, or 82.38% with 2.
 * Never 100% (or 0%) for a share that is not: more places then, up to 2, else >99.99% (<0.01%).
 */
export function formatPercent(share: number, decimals = 0): string {
  if (!Number.isFinite(share)) return 'n/a';
  for (let d = decimals; d <= Math.max(decimals, 2); d++) {
    const rounded = Number((share * 100).toFixed(d));
    if ((rounded === 100) !== (share === 1) || (rounded === 0) !== (share === 0)) continue;
    return `${rounded}%`;
  }
  return share > 0.5 ? '>99.99%' : '<0.01%';
}

/** 1234567 → "1,234,567" without Intl (whose first use costs ~20 ms of start-up). */
export function groupDigits(n: number): string {
  const [int, frac] = String(Math.abs(n)).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${n < 0 ? '-' : ''}${grouped}${frac ? `.${frac}` : ''}`;
}

export function formatTokens(tokens: number, exact: boolean): string {
  return `${exact ? '' : '≈'}${groupDigits(tokens)}`;
}

/** A percentage to one decimal, or to two significant digits below 0.1 (a +0.012% change is not "0.0%"). */
export function formatPct(pct: number): string {
  const a = Math.abs(pct);
  return a === 0 || a >= 0.1 ? a.toFixed(1) : Number(a.toPrecision(2)).toString();
}
