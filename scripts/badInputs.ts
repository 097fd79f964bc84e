// The bad-input corpus: hostile, broken and unlucky files, generated (never committed — several are
// binary, pipes or links), each with the outcome the scan must give it. test/unit/badInputs.test.ts
// checks every expectation; `npm run bench:bad-inputs` scans the corpus and reports its time and
// peak memory.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export type Outcome =
  /** Listed under skipped with a reason matching. */
  | { skipped: RegExp }
  /** A diagnostic of this code on the file (message matching). */
  | { diagnostic: string; message?: RegExp }
  /** At least this many prompts found in the file (and any diagnostics). */
  | { finding: number }
  /** Neither a prompt, a diagnostic nor a skip: read and found to hold nothing. */
  | { nothing: true }
  /** Not visited at all (the walk does not follow links or open pipes). */
  | { ignored: true };

export interface Case { file: string; outcome: Outcome; why: string; also?: Outcome[] }

const CALL_TS = (content: string) => `import OpenAI from 'openai';\nconst client = new OpenAI();\nclient.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'system', content: ${content} }] });\n`;
const CALL_PY = (content: string) => `from openai import OpenAI\nclient = OpenAI()\nclient.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": ${content}}])\n`;
const NB = (cells: unknown[]) => JSON.stringify({ cells, metadata: {}, nbformat: 4, nbformat_minor: 5 });
const GOOD_CELL = { cell_type: 'code', source: CALL_PY('"You are a careful analyst of quarterly reports."') };

/** Writes the corpus into `dir` (which must be empty or missing) and returns what each file must give. */
export function generateCorpus(dir: string, outside: string): Case[] {
  fs.mkdirSync(dir, { recursive: true });
  fs.mkdirSync(outside, { recursive: true });
  const cases: Case[] = [];
  const put = (file: string, content: string | Buffer, outcome: Outcome, why: string, extra: Partial<Case> = {}) => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
    cases.push({ file, outcome, why, ...extra });
  };

  // --- bytes the scan must not read as text
  put('bytes/nul.ts', Buffer.concat([Buffer.from(CALL_TS("'x'")), Buffer.from([0, 1, 2, 0])]), { skipped: /^binary$/ }, 'NUL bytes');
  put('bytes/latin1.py', Buffer.from('# caf\xe9\n' + CALL_PY('"hi"'), 'latin1'), { skipped: /not UTF-8/ }, 'ISO-8859-1, not UTF-8');
  put('bytes/utf16.ts', Buffer.from('\ufeff' + CALL_TS("'hello'"), 'utf16le'), { skipped: /binary|not UTF-8/ }, 'UTF-16 with BOM');
  put('bytes/lone-surrogate.ts', Buffer.from([...Buffer.from("const s = '"), 0xed, 0xa0, 0x80, ...Buffer.from("';\n")]), { skipped: /not UTF-8/ }, 'an encoded lone surrogate (invalid UTF-8)');
  put('bytes/huge.ts', 'export const x = 1;\n'.repeat(60_000), { skipped: /larger than 1024 KB/ }, 'over 1 MB');
  put('bytes/bundle.min.js', CALL_TS("'minified'"), { skipped: /minified/ }, 'a .min.js name');
  put('bytes/oneline.js', `var a=${'1+'.repeat(3000)}1;` + CALL_TS("'x'").replace(/\n/g, ';'), { skipped: /minified/ }, 'one long generated line');
  put('bytes/bom.ts', '\ufeff' + CALL_TS("'You are helpful and precise.'"), { finding: 1 }, 'a UTF-8 BOM is text');
  put('bytes/empty.ts', '', { nothing: true }, 'an empty code file');
  put('bytes/empty.prompt.yml', '', { nothing: true }, 'an empty prompt file');
  put('bytes/empty.ipynb', '', { diagnostic: 'prompt-file-error', message: /not valid notebook JSON/ }, 'an empty notebook');

  // --- special files and links (the walk lists only regular files; reads refuse the rest)
  const fifo = (file: string) => spawnSync('mkfifo', [path.join(dir, file)]).status === 0;
  fs.mkdirSync(path.join(dir, 'special'), { recursive: true });
  if (fifo('special/pipe.ts')) {
    cases.push({ file: 'special/pipe.ts', outcome: { skipped: /^a named pipe, not a regular file: not read$/ }, why: 'a named pipe is never opened by the walk, and is listed' });
    put('special/imports-pipe.ts', `import { P } from './pipe';\n` + CALL_TS('P'), { diagnostic: 'file-not-read', message: /pipe\.ts was not read: a named pipe/ }, 'an import of a named pipe', { also: [{ finding: 1 }] });
  }
  fs.writeFileSync(path.join(outside, 'secret.txt'), 'root:x:0:0:root:/root:/bin/bash\n'.repeat(20));
  fs.writeFileSync(path.join(outside, 'secret.ts'), "export const S = 'confidential text from outside the workspace';\n");
  fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(dir, 'special', 'passwd.txt'));
  cases.push({ file: 'special/passwd.txt', outcome: { skipped: /^a symbolic link out of the workspace \(it resolves to .*secret\.txt\): not followed$/ }, why: 'a link out is not followed by the walk, and is listed' });
  fs.symlinkSync(path.join(outside, 'secret.ts'), path.join(dir, 'special', 'secret.ts'));
  cases.push({ file: 'special/secret.ts', outcome: { skipped: /^a symbolic link out of the workspace/ }, why: 'a link out is not followed by the walk, and is listed' });
  fs.symlinkSync(outside, path.join(dir, 'special', 'outdir'));
  cases.push({ file: 'special/outdir', outcome: { skipped: /^a symbolic link out of the workspace/ }, why: 'a link to a folder outside is not walked, and is listed' });
  put('special/promptfooconfig.yaml', 'prompts:\n  - file://passwd.txt\n  - file://outdir/secret.txt\n  - file://../../../../../../etc/passwd\nproviders:\n  - openai:gpt-4o\n',
    { diagnostic: 'file-not-read', message: /passwd\.txt was not read: outside the workspace/ }, 'promptfoo file:// through links and ../ out of the workspace');
  put('special/imports-link.ts', `import { S } from './secret';\n` + CALL_TS('S'), { diagnostic: 'file-not-read', message: /secret\.ts was not read: outside the workspace/ }, 'an import through a link out of the workspace', { also: [{ finding: 1 }] });
  fs.symlinkSync(path.join(dir, 'nowhere'), path.join(dir, 'special', 'dangling.ts'));
  cases.push({ file: 'special/dangling.ts', outcome: { skipped: /^a symbolic link to nothing: not read$/ }, why: 'a dangling link, listed' });

  // --- YAML
  put('yaml/deep.prompt.yml', `model: gpt-4o\nmessages: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`, { diagnostic: 'prompt-file-error', message: /too deeply nested/ }, '10,000 nested flow lists');
  put('yaml/deep-block.prompt.yml', 'model: gpt-4o\nmessages:\n' + Array.from({ length: 700 }, (_, i) => `${'  '.repeat(i + 1)}- `).join('\n') + 'x\n', { diagnostic: 'prompt-file-error' }, '700 nested block lists');
  put('yaml/messages-map.prompt.yml', 'model: openai/gpt-4o\nmessages:\n  role: user\n  content: hi\n', { diagnostic: 'prompt-file-error', message: /`messages` is a map/ }, 'messages as a map');
  put('yaml/messages-alias.prompt.yml', 'base: &m\n  - role: user\n    content: Hello from an anchor\nmodel: openai/gpt-4o\nmessages: *m\n', { finding: 1 }, 'messages through an alias');
  put('yaml/alias-cycle.prompt.yml', 'model: openai/gpt-4o\nmessages: &m\n  - role: user\n    content: hi\n  - *m\n', { diagnostic: 'prompt-file-error', message: /not a \{ role, content \} map/ }, 'an alias to its own ancestor', { also: [{ finding: 1 }] });
  put('yaml/billion-laughs.prompt.yml', 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nmodel: openai/gpt-4o\nmessages: *e\n',
    { diagnostic: 'prompt-file-error' }, 'exponential aliases (billion laughs)');
  put('yaml/syntax.prompt.yml', 'model: gpt-4o\nmessages:\n  - role: user\n   content: [unclosed\n', { diagnostic: 'prompt-file-error', message: /malformed YAML/ }, 'a YAML syntax error');
  put('yaml/tabs.prompty', '---\n\tname: x\n---\nsystem:\nhello\n', { diagnostic: 'prompt-file-error' }, 'tabs in frontmatter');
  put('yaml/no-frontmatter.prompty', 'system:\nYou are nice.\n', { diagnostic: 'prompt-file-error' }, 'a .prompty without frontmatter');
  put('yaml/unclosed.prompt', '---\nmodel: googleai/gemini-2.0-flash\nHello {{name}}\n', { diagnostic: 'prompt-file-error', message: /never closed/ }, 'dotprompt frontmatter never closed');
  put('yaml/promptfoo-missing/promptfooconfig.yaml', 'prompts:\n  - file://nope.txt\n  - file://*.txt\nproviders:\n  - openai:gpt-4o\n', { diagnostic: 'prompt-file-error', message: /cannot read prompt file nope\.txt/ }, 'promptfoo file:// to a missing file and a glob');
  put('yaml/long-model.prompt.yml', `model: ${'m'.repeat(100_000)}\nmessages:\n  - role: user\n    content: hi\n`, { finding: 1 }, 'a 100,000-character model name');
  put('yaml/binary-tag.prompt.yml', 'model: openai/gpt-4o\nmessages:\n  - role: user\n    content: !!binary aGVsbG8=\n', { diagnostic: 'prompt-file-error' }, 'a !!binary content');

  // --- notebooks
  put('nb/null-cell.ipynb', NB([null, GOOD_CELL]), { diagnostic: 'prompt-file-error', message: /cell 1 is null/ }, 'a null cell', { also: [{ finding: 1 }] });
  put('nb/bad-source.ipynb', NB([{ cell_type: 'code', source: 42 }, GOOD_CELL]), { diagnostic: 'prompt-file-error', message: /neither text nor a list/ }, 'a numeric source', { also: [{ finding: 1 }] });
  put('nb/cells-null.ipynb', '{"cells": null}', { diagnostic: 'prompt-file-error', message: /no "cells" list/ }, 'cells: null');
  put('nb/truncated.ipynb', NB([GOOD_CELL]).slice(0, 80), { diagnostic: 'prompt-file-error', message: /not valid notebook JSON/ }, 'truncated JSON');
  put('nb/top-null.ipynb', 'null', { diagnostic: 'prompt-file-error' }, 'the JSON value null');
  put('nb/magics.ipynb', NB([{ cell_type: 'code', source: ['%pip install openai\n', '!ls\n'] }, GOOD_CELL]), { finding: 1 }, 'IPython magics');

  // --- code that parsers and evaluators find hard
  put('code/syntax-garbage.ts', "client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'system', content: `unterminated ${ }] }\n}}}}((((\n", { nothing: true }, 'TypeScript that does not parse');
  put('code/deep-parens.ts', CALL_TS(`${'('.repeat(5000)}'deep'${')'.repeat(5000)}`), { finding: 1 }, '5,000 nested parentheses');
  put('code/deep-parens.py', CALL_PY(`${'('.repeat(2000)}"deep"${')'.repeat(2000)}`), { finding: 1 }, '2,000 nested parentheses in Python');
  put('code/many-calls.ts', "import OpenAI from 'openai';\nconst client = new OpenAI();\n" + Array.from({ length: 500 }, (_, i) => `client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Question ${i}: answer briefly.' }] });`).join('\n') + '\n', { finding: 500 }, '500 calls in one file');
  put('code/import-cycle-a.ts', "import { B } from './import-cycle-b';\nexport const A = 'a' + B;\n" + CALL_TS('A'), { finding: 1 }, 'an import cycle');
  put('code/import-cycle-b.ts', "import { A } from './import-cycle-a';\nexport const B = 'b' + A;\n", { nothing: true }, 'an import cycle (other side)');
  put('code/self-ref.py', 'X = X + "again"\n' + CALL_PY('X'), { finding: 1 }, 'a name defined from itself');
  put('code/crlf.py', CALL_PY('"You are terse."').replace(/\n/g, '\r\n'), { finding: 1 }, 'CRLF line endings');
  put('code/unicode.ts', CALL_TS("'Réponds en français 日本語 🚀 \\u{1F600} \u202e'"), { finding: 1 }, 'non-ASCII and bidi text');
  put('code/null-bytes-escaped.py', CALL_PY('"\\x00\\x01 text"'), { finding: 1 }, 'escaped control characters');
  put('code/nested-fstrings.py', 'name = "x"\n' + CALL_PY(`f"a {f'b {f"c {name}"}'} d"`), { finding: 1 }, 'nested f-strings');
  put('code/huge-literal.ts', CALL_TS(`'${'word '.repeat(150_000)}'`), { finding: 1 }, 'a 750 KB string literal');
  put('code/many-lines-comment.ts', '// comment\n'.repeat(20_000) + CALL_TS("'hi there'"), { finding: 1 }, '20,000 comment lines (TypeScript)');

  // Engine cases (issue 10): names, numbers and characters that once gave NaN, negative costs or no prompt.
  put('engine/proto-slot.ts', CALL_TS('`Hello {constructor} {toString} {__proto__}`'), { finding: 1 }, 'slots named like Object.prototype members');
  put('engine/negative-max.prompty', '---\nname: n\nmodel:\n  configuration:\n    name: gpt-4o\n  parameters:\n    max_tokens: -100000\n---\nsystem:\nYou are nice.\n', { finding: 1 }, 'max_tokens: -100000');
  put('engine/annotation-1e308.py', '# prompt-cost: callsPerDay=1e308\n' + CALL_PY('"hello there"'), { finding: 1 }, 'callsPerDay=1e308');
  put('engine/private-use.ts', CALL_TS("'\uE000\uE001 private use \uF8FF'"), { finding: 1 }, 'private-use characters');
  put('engine/lone-cr.py', CALL_PY('"You are terse."').replace(/\n/g, '\r'), { finding: 1 }, 'lone CR line endings');
  return cases;
}

if (require.main === module) {
  // npm run bench:bad-inputs: generate into a temp folder, scan it with the built CLI, report figures.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const os = require('os') as typeof import('os');
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'pc-bad-inputs-'));
  try {
    const cases = generateCorpus(path.join(base, 'ws'), path.join(base, 'outside'));
    const cli = path.join(__dirname, '..', 'dist', 'cli.js');
    const t0 = performance.now();
    const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, cli, 'scan', path.join(base, 'ws'), '--format', 'json'], { env: { ...process.env, PROMPT_COST_CEILING_DIRS: os.tmpdir() }, encoding: 'utf8', maxBuffer: 1 << 28 });
    const ms = performance.now() - t0;
    const peakKb = Number(r.stderr.trim().split('\n').pop());
    const report = JSON.parse(r.stdout);
    console.log(JSON.stringify({ files: cases.length, exit: r.status, scanSeconds: +(ms / 1000).toFixed(2), peakRssMb: Math.round(peakKb / 1024), prompts: report.prompts.length, diagnostics: report.diagnostics.length, skipped: report.skipped.length }, null, 2));
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
}
