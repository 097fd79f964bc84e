// What a shorter prompt must not lose without the user noticing: numbers, negations, URLs, code fences,
// JSON keys and quoted strings. Each loss is a warning shown beside the diff; the user decides.

interface Guard { what: string; find: (text: string) => string[] }

const count = (items: string[]) => {
  const m = new Map<string, number>();
  for (const i of items) m.set(i, (m.get(i) ?? 0) + 1);
  return m;
};

/** Negations as the words that carry them, contractions folded: "don't" counts as "do not". */
function negations(text: string): string[] {
  const t = text.toLowerCase().replace(/[’`]/g, "'").replace(/\bdon't\b/g, 'do not').replace(/\bmustn't\b/g, 'must not').replace(/\bdoesn't\b/g, 'does not');
  return [...t.matchAll(/\b(never|do not|does not|must not|only)\b/g)].map((m) => m[1]);
}

const GUARDS: Guard[] = [
  { what: 'number', find: (t) => [...t.matchAll(/(?<![\w.])\d+(?:[.,]\d+)*%?/g)].map((m) => m[0]) },
  { what: 'negation', find: negations },
  { what: 'URL', find: (t) => [...t.matchAll(/\bhttps?:\/\/[^\s<>"'`)\]]+/g)].map((m) => m[0].replace(/[.,;:]+$/, '')) },
  { what: 'code fence', find: (t) => [...t.matchAll(/^[ \t]*(```|~~~)/gm)].map(() => '```') },
  { what: 'JSON key', find: (t) => [...t.matchAll(/"([^"\n]{1,60})"\s*:/g)].map((m) => `"${m[1]}"`) },
  { what: 'quoted string', find: (t) => [...t.matchAll(/"([^"\s](?:[^"\n]{0,78}[^"\s])?)"(?!\s*:)|(?<![\w])'([^'\s](?:[^'\n]{0,78}[^'\s])?)'(?![\w])|`([^`\n]{1,80})`/g)].map((m) => m[0]) },
];

/** Warnings for what `before` has more often than `after`. Sentinels are left out of both. */
export function guardWarnings(before: string, after: string, sentinel: RegExp): string[] {
  const b = before.replace(sentinel, ' ');
  const a = after.replace(sentinel, ' ');
  const warnings: string[] = [];
  for (const g of GUARDS) {
    const was = count(g.find(b));
    const now = count(g.find(a));
    for (const [item, n] of was) {
      const left = now.get(item) ?? 0;
      if (left >= n) continue;
      warnings.push(left === 0
        ? `${g.what} ${g.what === 'code fence' ? '```' : `“${item}”`} is gone`
        : `${g.what} “${item}” appears ${n}× before, ${left}× after`);
    }
  }
  return warnings;
}
