// Seeded mutations of text inputs, byte-level and token-level. Everything is a function of the seed:
// the same (seed, index) gives the same input on every machine, so a failure is reproduced with
// `npm run fuzz -- --seed S --only I`.

/** mulberry32: a small, fast PRNG with a 32-bit state; good enough to pick mutations. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seed for mutation `index` of run `seed`. */
export function mix(seed: number, index: number): number {
  let h = (seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

type Rand = () => number;
const int = (r: Rand, n: number) => Math.floor(r() * n);
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[int(r, xs.length)];

/** Tokens that have broken parsers, evaluators and number handling before (and may again). */
export const DICTIONARY = [
  '{constructor}', '{toString}', '{__proto__}', '{{constructor}}', '{{__proto__}}', '${constructor}', '{hasOwnProperty}', '{{$valueOf}}', '${input:__proto__}',
  '1e308', '-1e308', '-100000', '-1', '0', '0x10', 'NaN', 'Infinity', '-0', '1e-320', '9007199254740993', '.5', '1_000',
  'max_tokens: -100000', 'max_tokens: 1e308', 'callsPerDay: 1e308', 'daysPerMonth: 0', 'cacheHitRate: 2', 'monthlyUsd: -5',
  '# prompt-cost: callsPerDay=1e308', '// prompt-cost: daysPerMonth=0 model= id=', '# prompt-cost: callsPerDay=0x10 outputTokens=-5',
  '&a', '*a', '<<: *a', '!!binary', '!!js/function', '? ', '- ', ': ', '---', '...', '|', '>-', '%YAML 1.2', '"', "'", '`', '"""', "'''",
  '${', '}', '{', '[', ']', '(', ')', '+', ' + ', '.join(', '.replace(', '.format(', '% (', 'f"', 'dedent(', 'await ', '=>', '\\',
  '\r', '\r\n', '\n', '\u2028', '\u2029', '\u0000', '\uFEFF', '\uE000', '\uF8FF', '\uDB80\uDC00', '😀', '\u0301', '\t',
  'openai.chat.completions.create(', 'client.messages.create(', 'generateText({', 'ChatPromptTemplate.from_messages([', 'model="gpt-4o"', "model: 'claude-sonnet-4-5'",
  'messages:', 'role: system', 'content: ', 'file://', 'file://../../../../etc/passwd', 'file:///etc/passwd', 'file://*.txt', 'prompts:', 'providers:', 'template:', 'execution_settings:',
  '"cell_type": "code"', 'null', '[]', '{}', '"source": 5', '"cells": null',
];

/** Words, numbers, runs of punctuation, whitespace: what token-level mutations move around. */
function tokens(text: string): string[] {
  return text.match(/[A-Za-z_$][\w$]*|\d[\d_.eE+-]*|\s+|[^\sA-Za-z\d_$]+/g) ?? [];
}

export interface Mutation { text: string; ops: string[] }

/** 1–4 mutations of `text`; `other` (another input of the same kind) for splices. */
export function mutate(text: string, other: string, seed: number): Mutation {
  const r = rng(seed);
  const ops: string[] = [];
  let t = text;
  const n = 1 + int(r, 4);
  for (let k = 0; k < n; k++) {
    const kind = int(r, 12);
    const at = int(r, t.length + 1);
    switch (kind) {
      case 0: { // flip bytes (as UTF-16 units; may make lone surrogates)
        const chars = t.split('');
        for (let i = 0, m = 1 + int(r, 8); i < m && chars.length; i++) chars[int(r, chars.length)] = String.fromCharCode(int(r, 0x10000));
        t = chars.join('');
        ops.push('flip');
        break;
      }
      case 1: { // insert random ASCII or control characters
        const len = 1 + int(r, 16);
        t = t.slice(0, at) + Array.from({ length: len }, () => String.fromCharCode(int(r, 128))).join('') + t.slice(at);
        ops.push('insert-bytes');
        break;
      }
      case 2: { // delete a span
        const len = int(r, Math.max(1, Math.min(200, t.length - at)));
        t = t.slice(0, at) + t.slice(at + len);
        ops.push('delete');
        break;
      }
      case 3: { // duplicate a span, possibly many times
        const len = 1 + int(r, 80);
        const times = pick(r, [1, 2, 10, 100, 1000]);
        t = t.slice(0, at) + t.slice(at, at + len).repeat(times) + t.slice(at);
        ops.push(`duplicate×${times}`);
        break;
      }
      case 4: case 5: { // insert a dictionary token
        const tok = pick(r, DICTIONARY);
        t = t.slice(0, at) + tok + t.slice(at);
        ops.push(`token ${JSON.stringify(tok)}`);
        break;
      }
      case 6: { // replace a token with a dictionary token
        const ts = tokens(t);
        if (!ts.length) break;
        const i = int(r, ts.length);
        ts[i] = pick(r, DICTIONARY);
        t = ts.join('');
        ops.push(`replace-token ${JSON.stringify(ts[i])}`);
        break;
      }
      case 7: { // swap two tokens
        const ts = tokens(t);
        if (ts.length < 2) break;
        const i = int(r, ts.length);
        const j = int(r, ts.length);
        [ts[i], ts[j]] = [ts[j], ts[i]];
        t = ts.join('');
        ops.push('swap-tokens');
        break;
      }
      case 8: { // repeat a line
        const lines = t.split('\n');
        const i = int(r, lines.length);
        const times = pick(r, [2, 50, 500]);
        lines.splice(i, 0, ...Array(times).fill(lines[i]));
        t = lines.join('\n');
        ops.push(`repeat-line×${times}`);
        break;
      }
      case 9: { // splice with another input of the same kind
        const cut = int(r, other.length + 1);
        t = t.slice(0, at) + other.slice(cut, cut + int(r, 2000));
        ops.push('splice');
        break;
      }
      case 10: { // change a number
        const ts = tokens(t);
        const nums = ts.map((x, i) => (/^\d/.test(x) ? i : -1)).filter((i) => i >= 0);
        if (!nums.length) break;
        const i = pick(r, nums);
        ts[i] = pick(r, ['0', '-1', '1e308', '-100000', '0x10', '99999999999999999999', '1.5', 'NaN']);
        t = ts.join('');
        ops.push(`number ${ts[i]}`);
        break;
      }
      default: { // line endings
        const style = pick(r, ['\r', '\r\n', '\u2028']);
        t = t.replace(/\r?\n/g, style);
        ops.push(`line-endings ${JSON.stringify(style)}`);
      }
    }
  }
  return { text: t.length > 4_000_000 ? t.slice(0, 4_000_000) : t, ops };
}
