// Placeholders never reach the model as themselves: each run-time value and each piece of template
// markup becomes a sentinel ([[V1]], [[V2]] …) before sending and is put back after. A reply whose
// sentinels do not match one for one — one missing, repeated, unknown, or block tags out of order — is
// refused with the placeholder named; nothing is guessed back into place.
import { MARK } from './literal';

export interface Sentinel {
  /** The sentinel as sent, e.g. `[[V3]]`. */
  token: string;
  /** The placeholder in its source form, e.g. `{customer_name}`, `${user.name}`, `{% if x %}`. */
  source: string;
  /** A run-time value of the code (its marker), or template markup kept as text. */
  marker?: string;
  /** Block tags and positional values (`%s`, `{}`) keep their relative order. */
  ordered: boolean;
}

/**
 * Template markup in text, in the order the alternatives are tried: Handlebars/Jinja blocks and comments
 * first, then values (`{{x}}`, `${…}`, `{x}`, `{}`, `%(x)s`, `%s`), and `%%`.
 */
const TEMPLATE = new RegExp([
  String.raw`\{\{!--[\s\S]*?--\}\}`, String.raw`\{\{![\s\S]*?\}\}`,
  String.raw`\{\{~?[#/^>][^}]*\}\}`, String.raw`\{\{~?else~?\}\}`,
  String.raw`\{%-?[\s\S]*?-?%\}`, String.raw`\{#[\s\S]*?#\}`,
  String.raw`\{\{\{?[^{}]+\}?\}\}`,
  String.raw`\$\{[^{}\n]*\}`,
  String.raw`(?<![{$])\{(?:[A-Za-z_][\w.]*(?:\[[^\]\n]*\])?)?(?:![rsa])?(?::[^{}\n]*)?\}(?!\})`,
  String.raw`(?<![{$])\{\d+(?:![rsa])?(?::[^{}\n]*)?\}(?!\})`,
  String.raw`%\([A-Za-z_]\w*\)[-#0 +]*\d*(?:\.\d+)?[sdrifgexXo]`,
  String.raw`%[-#0 +]*\d*(?:\.\d+)?[sdifgexXor](?![A-Za-z])`,
  '%%',
].join('|'), 'g');

const isOrdered = (s: string) => /^\{\{~?[#/^]|^\{\{~?else|^\{%|^\{\}|^%[^(%]/.test(s);

/** Template placeholders written in `text` (not run-time markers): start, end, source. */
export function templatePlaceholders(text: string): { start: number; end: number; source: string }[] {
  const out: { start: number; end: number; source: string }[] = [];
  for (const m of text.matchAll(TEMPLATE)) out.push({ start: m.index!, end: m.index! + m[0].length, source: m[0] });
  return out;
}

export interface Protected { text: string; sentinels: Sentinel[]; open: string; close: string }

/** Replaces every marker (run-time value) and piece of template markup in `text` by a sentinel. */
export function protect(text: string, slots: readonly string[]): Protected {
  const [open, close] = !text.includes('[[V') ? ['[[V', ']]'] : !text.includes('⟦V') ? ['⟦V', '⟧'] : ['<<V', '>>'];
  const sentinels: Sentinel[] = [];
  const add = (source: string, marker?: string) => {
    const token = `${open}${sentinels.length + 1}${close}`;
    sentinels.push({ token, source, ...(marker ? { marker } : {}), ordered: marker ? false : isOrdered(source) });
    return token;
  };
  let out = '';
  for (const piece of text.split(/([\ue000-\uf8ff])/)) {
    if (piece.length === 1 && piece.charCodeAt(0) >= MARK && piece.charCodeAt(0) <= 0xf8ff) {
      out += add(slots[piece.charCodeAt(0) - MARK] ?? '?', piece);
      continue;
    }
    let at = 0;
    for (const p of templatePlaceholders(piece)) {
      out += piece.slice(at, p.start) + add(p.source);
      at = p.end;
    }
    out += piece.slice(at);
  }
  return { text: out, sentinels, open, close };
}

export type Restored = { ok: true; text: string } | { ok: false; reason: string };

/** The reply with sentinels put back (markers for run-time values, markup as text), or why it is refused. */
export function restore(reply: string, p: Protected): Restored {
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const tokenRe = new RegExp(`${esc(p.open)}\\s*(\\d+)\\s*${esc(p.close)}`, 'g');
  const byNumber = new Map(p.sentinels.map((s, i) => [i + 1, s]));
  const seen = new Map<number, number>();
  const order: number[] = [];
  for (const m of reply.matchAll(tokenRe)) {
    const n = Number(m[1]);
    const s = byNumber.get(n);
    if (!s) return { ok: false, reason: `the rewrite invented a placeholder (${m[0]}) the prompt does not have` };
    seen.set(n, (seen.get(n) ?? 0) + 1);
    order.push(n);
  }
  for (const [n, s] of byNumber) {
    const c = seen.get(n) ?? 0;
    if (c === 0) return { ok: false, reason: `the rewrite dropped the placeholder \`${s.source}\`` };
    if (c > 1) return { ok: false, reason: `the rewrite repeats the placeholder \`${s.source}\` (${c} times)` };
  }
  const ordered = order.filter((n) => byNumber.get(n)!.ordered);
  for (let i = 1; i < ordered.length; i++) {
    if (ordered[i] < ordered[i - 1]) return { ok: false, reason: `the rewrite moved \`${byNumber.get(ordered[i])!.source}\` before \`${byNumber.get(ordered[i - 1])!.source}\`, which changes the template` };
  }
  // Markup the model wrote itself (not through a sentinel) is a placeholder the prompt did not have.
  const bare = reply.replace(tokenRe, ' ');
  const invented = templatePlaceholders(bare)[0];
  if (invented) return { ok: false, reason: `the rewrite invented a placeholder \`${invented.source}\` the prompt does not have` };
  if (/[\ue000-\uf8ff]/.test(bare)) return { ok: false, reason: 'the rewrite holds private-use characters the prompt did not send' };
  const text = reply.replace(tokenRe, (_, d: string) => {
    const s = byNumber.get(Number(d))!;
    return s.marker ?? s.source;
  });
  return { ok: true, text };
}
