// Levenshtein distance for "did you mean …?" suggestions (model names, command-line options).

/** The edit distance of `a` and `b`, stopping early past `limit` (returns limit + 1 then). */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      best = Math.min(best, row[j]);
    }
    if (best > limit) return limit + 1;
    prev = row;
  }
  return prev[b.length];
}

/** Up to three of `names` that start with `name`, else the nearest by edit distance (a typo or two). */
export function nearestNames(name: string, names: string[]): string[] {
  if (!name) return [];
  const prefixed = names.filter((n) => n.startsWith(name));
  if (prefixed.length) return prefixed.slice(0, 3);
  const limit = name.length <= 3 ? 1 : name.length <= 8 ? 2 : 3;
  return names
    .map((n) => ({ n, d: editDistance(name.toLowerCase(), n, limit) }))
    .filter((x) => x.d <= limit)
    .sort((a, b) => a.d - b.d || a.n.localeCompare(b.n))
    .slice(0, 3)
    .map((x) => x.n);
}
