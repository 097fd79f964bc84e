// Line patterns (`/…/m`) that allowed a line's indentation to be any whitespace — `^\s*key` — tried every
// line start of a run of blank lines against the rest of the run (`\s` takes line ends too), and twice
// over for `^\s*-?\s*key`: 500 blank lines in a YAML file took 0.1 s to sniff, 5,000 took minutes. The
// indentation is whitespace other than a line end; what they match is unchanged (checked against the
// old patterns here), and no line pattern in the sources starts that way again.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { rng } from '../../scripts/fuzz/mutate';

const W = String.raw`[^\S\r\n\u2028\u2029]*`;
/** Each rewritten pattern beside the one it replaces. */
const PAIRS: [RegExp, RegExp][] = [
  [/^\s*-?\s*["']?(system_prompt|instructions)["']?\s*:/m, new RegExp(String.raw`^${W}-?${W}["']?(system_prompt|instructions)["']?\s*:`, 'm')],
  [/^\s*["']?(system_prompt|prompt_template)["']?\s*:/m, new RegExp(String.raw`^${W}["']?(system_prompt|prompt_template)["']?\s*:`, 'm')],
  [/^\s*([\w-]*[_-])?prompt([_-][\w-]*)?\s*:|^\s*[a-z]\w*Prompt\s*:/m, new RegExp(String.raw`^${W}([\w-]*[_-])?prompt([_-][\w-]*)?\s*:|^${W}[a-z]\w*Prompt\s*:`, 'm')],
  [/^\s*-?\s*uses\s*:\s*["']?[\w.-]+\/[\w./-]*(ai|bot)/im, new RegExp(String.raw`^${W}-?${W}uses\s*:\s*["']?[\w.-]+\/[\w./-]*(ai|bot)`, 'im')],
  [/^\s+backstory\s*:/m, new RegExp(String.raw`^${W}\sbackstory\s*:`, 'm')],
  [/^\s+[\w-]*(prompt|message)[\w-]*\s*:/im, new RegExp(String.raw`^${W}\s[\w-]*(prompt|message)[\w-]*\s*:`, 'im')],
];

const PIECES = ['\n', '\n', '\r', '\r\n', '\u2028', '\u2029', ' ', ' ', '\t', '\uFEFF', '\u00A0', '\f', '-', '"', "'", ':', 'x', 'X',
  'system_prompt', 'instructions', 'prompt_template', 'my-prompt', 'userPrompt', 'message', 'uses', 'uses:', 'uses: ', 'a/ai', 'o/bot', 'backstory', ' ', '\n'];

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

describe('line patterns stay linear in a run of blank lines', () => {
  it('each rewritten pattern matches exactly where the old one did', () => {
    const r = rng(11);
    for (const [old, now] of PAIRS) {
      // the pattern's own words, often: most samples then hold one, after some mix of line ends and spaces
      const words = old.source.match(/[a-z_]{4,}/gi) ?? [];
      const pieces = [...PIECES, ...words.flatMap((w) => [w, w, `${w}:`])];
      let matched = 0;
      for (let i = 0; i < 20_000; i++) {
        const text = Array.from({ length: 1 + Math.floor(r() * 12) }, () => pieces[Math.floor(r() * pieces.length)]).join('');
        const want = old.test(text);
        assert.strictEqual(now.test(text), want, `${old} on ${JSON.stringify(text)}`);
        if (want) matched++;
      }
      assert.ok(matched > 500, `${old}: ${matched} of the samples match (too few to compare)`);
    }
  });

  it('no line pattern in the sources lets `^` be followed by `\\s*` or `\\s+`', () => {
    const offenders: string[] = [];
    for (const file of sources(path.join(__dirname, '..', '..', 'src'))) {
      const text = fs.readFileSync(file, 'utf8');
      // a regex literal starting `/^\s` (or holding `|^\s`), and its flags
      for (const m of text.matchAll(/\/((?:[^/\\\n[]|\\.|\[(?:[^\]\\\n]|\\.)*\])+)\/([a-z]*)/g)) {
        if (m[2].includes('m') && /(^|\|)\^\\s[*+]/.test(m[1])) offenders.push(`${path.relative(process.cwd(), file)}: /${m[1].slice(0, 60)}…/${m[2]}`);
      }
    }
    assert.deepStrictEqual(offenders, []);
  });
});
