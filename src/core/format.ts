// Display rounding, in one place. Figures stay full-precision everywhere else.

/** $0.0031, $0.021, $12.40, $6,300 — enough significant digits to compare, never a misleading $0.00. */
export function formatUsd(usd: number): string {
  if (!Number.isFinite(usd)) return 'n/a';
  if (usd === 0) return '$0';
  const abs = Math.abs(usd);
  let text: string;
  if (abs >= 1000) text = groupDigits(Math.round(abs));
  else if (abs >= 1) text = abs.toFixed(2);
  else if (abs >= 0.01) text = abs.toPrecision(2);
  else text = abs.toPrecision(2);
  if (text.includes('e')) text = abs.toFixed(8).replace(/0+$/, '');
  return `${usd < 0 ? '-' : ''}$${text}`;
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
