// Prompts kept in TOML files that code loads as settings (`[pr_review_prompt]` with `system = """…"""` and
// `user = """…"""`, `[prompts] summarize = '''…'''`, `[[messages]]` tables). The file is read into the same
// nodes the YAML readers walk — maps, lists and scalars, each with its offsets in the file — so that one
// set of rules (structured.ts) decides what is a prompt, whatever the syntax the data is written in.
//
// The syntax is TOML 1.0 (https://toml.io/en/v1.0.0): tables and arrays of tables, dotted and quoted keys,
// basic, literal and multi-line strings with their escapes and line-ending backslashes, arrays, inline
// tables; numbers, booleans and dates are kept as scalars of their own kind.
import { Document, Pair, Scalar, YAMLMap, YAMLSeq, isMap, isScalar, isSeq, type Node } from 'yaml';
import { LineIndex } from '../../text';
import type { DetectedPrompt } from '../../model';
import { get, nodeRange, yamlPart, type ParsedYaml, type PromptFileReader, type ReadContext } from './common';
import { isPromptNamedData, LLM_CONTEXT, promptsInData } from './structured';

export class TomlError extends Error {
  constructor(message: string, readonly at: number) { super(message); }
}

type Range = [number, number, number];
const setRange = (node: Node, start: number, end: number) => { (node as { range?: Range }).range = [start, end, end]; };
const MAX_NESTING = 100;

/** Parses TOML text into YAML nodes whose ranges are offsets in `text`; throws TomlError with where. */
export function parseTomlNodes(text: string): YAMLMap {
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const root = new YAMLMap();
  setRange(root, 0, n);
  // Tables a [header] defined: defining one twice is an error in TOML, and a mistake worth naming.
  const defined = new Set<Node>();
  let current: YAMLMap = root;

  const fail = (message: string, at = i): never => { throw new TomlError(message, Math.min(at, n)); };
  const blank = () => { while (i < n && (text[i] === ' ' || text[i] === '\t')) i++; };
  const comment = () => {
    blank();
    if (text[i] === '#') while (i < n && text[i] !== '\n') i++;
  };
  const newline = (): boolean => {
    if (text[i] === '\n') { i++; return true; }
    if (text[i] === '\r' && text[i + 1] === '\n') { i += 2; return true; }
    return false;
  };
  const blankLines = () => { for (;;) { comment(); if (!newline()) return; } };
  const endOfLine = () => {
    comment();
    if (i < n && !newline()) fail(`unexpected ${JSON.stringify(text[i])} after a value: one key = value per line`);
  };

  const escape = (): string => {
    const c = text[i + 1];
    const simple: Record<string, string> = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', e: '\x1b', '"': '"', '\\': '\\' };
    if (c !== undefined && Object.hasOwn(simple, c)) { i += 2; return simple[c]; }
    if (c === 'u' || c === 'U') {
      const len = c === 'u' ? 4 : 8;
      const hex = text.slice(i + 2, i + 2 + len);
      if (!/^[0-9A-Fa-f]+$/.test(hex) || hex.length !== len) fail(`\\${c} needs ${len} hex digits`);
      const code = parseInt(hex, 16);
      if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) fail(`\\${c}${hex} is not a Unicode scalar value`);
      i += 2 + len;
      return String.fromCodePoint(code);
    }
    return fail(`invalid escape \\${c ?? ''} in a string (write \\\\ for a backslash, or use a '…' literal string)`);
  };

  const basicString = (): string => {
    const start = i++;
    let out = '';
    for (;;) {
      const c = text[i];
      if (c === undefined || c === '\n' || c === '\r') fail('a "…" string is not closed on its line (use """ for text over several lines)', start);
      if (c === '"') { i++; return out; }
      if (c === '\\') { out += escape(); continue; }
      out += c;
      i++;
    }
  };
  const literalString = (): string => {
    const start = i++;
    const close = text.indexOf("'", i);
    const nl = text.indexOf('\n', i);
    if (close < 0 || (nl >= 0 && nl < close)) fail("a '…' string is not closed on its line (use ''' for text over several lines)", start);
    const out = text.slice(i, close);
    i = close + 1;
    return out;
  };
  const multiline = (quote: '"' | "'"): string => {
    const start = i;
    const fence = quote.repeat(3);
    i += 3;
    newline(); // a newline right after the opening quotes is not part of the text
    let out = '';
    for (;;) {
      if (i >= n) fail(`the ${fence} string is never closed`, start);
      const c = text[i];
      if (c === quote && text.startsWith(fence, i)) {
        let q = 3;
        while (q < 5 && text[i + q] === quote) q++; // up to two quotes may sit right before the closing ones
        out += quote.repeat(q - 3);
        i += q;
        return out;
      }
      if (quote === '"' && c === '\\') {
        let j = i + 1;
        while (text[j] === ' ' || text[j] === '\t') j++;
        if (text[j] === '\n' || (text[j] === '\r' && text[j + 1] === '\n')) {
          // a line-ending backslash: the newline and the blanks after it are not part of the text
          i = j;
          while (i < n && /[ \t\r\n]/.test(text[i])) i++;
          continue;
        }
        out += escape();
        continue;
      }
      out += c;
      i++;
    }
  };

  const scalarAt = (value: unknown, start: number): Scalar => {
    const s = new Scalar(value);
    setRange(s, start, i);
    return s;
  };

  const keyPart = (): { name: string; start: number; end: number } => {
    blank();
    const start = i;
    let name: string;
    if (text[i] === '"') name = basicString();
    else if (text[i] === "'") name = literalString();
    else {
      const m = /^[A-Za-z0-9_-]+/.exec(text.slice(i, i + 200));
      if (!m) return fail(text[i] === undefined || text[i] === '\n' ? 'a key is missing' : `unexpected ${JSON.stringify(text[i])} where a key should be`);
      name = m[0];
      i += name.length;
    }
    const end = i;
    blank();
    return { name, start, end };
  };
  const dottedKey = () => {
    const parts = [keyPart()];
    while (text[i] === '.') { i++; parts.push(keyPart()); }
    return parts;
  };

  /** The table `name` in `map`, created when missing; the last table of an array of tables. */
  const child = (map: YAMLMap, key: { name: string; start: number; end: number }): YAMLMap => {
    const pair = map.items.find((p) => (p.key as Scalar).value === key.name);
    if (!pair) {
      const table = new YAMLMap();
      setRange(table, key.start, key.end);
      map.items.push(new Pair(scalarKey(key), table));
      return table;
    }
    if (isMap(pair.value)) return pair.value as YAMLMap;
    if (isSeq(pair.value) && (pair.value as YAMLSeq).flow !== true) {
      const last = (pair.value as YAMLSeq).items.at(-1);
      if (isMap(last)) return last as YAMLMap;
    }
    return fail(`${key.name} is already a value here, not a table`, key.start);
  };
  const scalarKey = (key: { name: string; start: number; end: number }) => {
    const s = new Scalar(key.name);
    setRange(s, key.start, key.end);
    return s;
  };

  const value = (depth: number): Node => {
    if (depth > MAX_NESTING) fail(`arrays and inline tables nested more than ${MAX_NESTING} deep`);
    const start = i;
    const c = text[i];
    if (c === '"') return scalarAt(text.startsWith('"""', i) ? multiline('"') : basicString(), start);
    if (c === "'") return scalarAt(text.startsWith("'''", i) ? multiline("'") : literalString(), start);
    if (c === '[') {
      i++;
      const seq = new YAMLSeq();
      seq.flow = true;
      for (;;) {
        blankLines();
        if (text[i] === ']') { i++; break; }
        seq.items.push(value(depth + 1));
        blankLines();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === ']') { i++; break; }
        fail(i >= n ? 'an array [ is never closed' : `expected , or ] in an array, found ${JSON.stringify(text[i])}`);
      }
      setRange(seq, start, i);
      return seq;
    }
    if (c === '{') {
      i++;
      const map = new YAMLMap();
      map.flow = true;
      blank();
      if (text[i] === '}') i++;
      else {
        for (;;) {
          keyValue(map, depth + 1);
          blank();
          if (text[i] === ',') { i++; continue; }
          if (text[i] === '}') { i++; break; }
          fail(`expected , or } in an inline table, found ${i >= n || text[i] === '\n' ? 'the end of the line' : JSON.stringify(text[i])}`);
        }
      }
      setRange(map, start, i);
      return map;
    }
    const m = /^[^\s,\]}#]+(?: \d{2}:\d{2}[^\s,\]}#]*)?/.exec(text.slice(i, i + 100));
    if (!m) return fail(i >= n || text[i] === '\n' || text[i] === '\r' ? 'a value is missing after =' : `unexpected ${JSON.stringify(text[i])} where a value should be`);
    const raw = m[0];
    i += raw.length;
    if (raw === 'true' || raw === 'false') return scalarAt(raw === 'true', start);
    if (/^[+-]?(\d[\d_]*)(\.\d[\d_]*)?([eE][+-]?\d+)?$/.test(raw)) return scalarAt(Number(raw.replace(/_/g, '')), start);
    if (/^[+-]?(inf|nan)$/.test(raw) || /^0[xob][0-9A-Fa-f_]+$/.test(raw) || /^\d{4}-\d{2}-\d{2}|^\d{2}:\d{2}/.test(raw)) return scalarAt(raw, start);
    return fail(`${JSON.stringify(raw.slice(0, 40))} is not a TOML value (text must be quoted)`, start);
  };

  function keyValue(into: YAMLMap, depth: number): void {
    const key = dottedKey();
    if (text[i] !== '=') fail(`expected = after the key ${key.map((k) => k.name).join('.')}`);
    i++;
    blank();
    let map = into;
    for (const k of key.slice(0, -1)) map = child(map, k);
    const last = key[key.length - 1];
    if (map.items.some((p) => (p.key as Scalar).value === last.name)) fail(`${key.map((k) => k.name).join('.')} is defined twice`, last.start);
    map.items.push(new Pair(scalarKey(last), value(depth)));
  }

  blankLines();
  while (i < n) {
    if (text[i] === '[') {
      const start = i;
      const array = text[i + 1] === '[';
      i += array ? 2 : 1;
      const key = dottedKey();
      if (!text.startsWith(array ? ']]' : ']', i)) fail(`a [${array ? '[' : ''}table${array ? ']' : ''}] header is not closed`, start);
      i += array ? 2 : 1;
      let map = root;
      for (const k of key.slice(0, -1)) map = child(map, k);
      const last = key[key.length - 1];
      const pair = map.items.find((p) => (p.key as Scalar).value === last.name);
      if (array) {
        let seq = pair?.value;
        if (!pair) {
          seq = new YAMLSeq();
          setRange(seq as Node, start, i);
          map.items.push(new Pair(scalarKey(last), seq));
        } else if (!isSeq(seq) || (seq as YAMLSeq).flow) fail(`${last.name} is already a value here, not an array of tables`, start);
        current = new YAMLMap();
        (seq as YAMLSeq).items.push(current);
      } else {
        current = child(map, last);
        if (defined.has(current)) fail(`the table [${key.map((k) => k.name).join('.')}] is defined twice`, start);
      }
      defined.add(current);
      setRange(current, start, i);
      endOfLine();
    } else {
      keyValue(current, 0);
      endOfLine();
    }
    blankLines();
  }
  extendRanges(root);
  return root;
}

/** A table's range runs from its header (or first key) to the end of its last value. */
function extendRanges(node: Node): number {
  const r = (node as { range?: Range }).range ?? [0, 0, 0];
  if (isMap(node) || isSeq(node)) {
    let end = r[1];
    for (const item of (node as YAMLMap | YAMLSeq).items) {
      const v = isMap(node) ? ((item as Pair).value as Node | null) : (item as Node);
      if (v && !isScalar(v)) end = Math.max(end, extendRanges(v));
      else if (v) end = Math.max(end, (v as { range?: Range }).range?.[1] ?? end);
    }
    if (!(node as YAMLMap).flow) setRange(node, r[0], end);
    return end;
  }
  return r[1];
}

/** A TOML file as the YAML readers see one. */
export function parsedToml(text: string): ParsedYaml {
  const root = parseTomlNodes(text);
  return { doc: new Document() as ParsedYaml['doc'], root, lines: new LineIndex(text), base: 0 };
}

// Tool and package settings: never prompt data, whatever keys they hold.
const NOT_PROMPT_TOML = /(^|\/)(pyproject|Cargo|rustfmt|\.rustfmt|clippy|\.clippy|ruff|\.ruff|netlify|wrangler|fly|\.taplo|taplo|rust-toolchain|deny|Pipfile|poetry|uv|pixi|hatch|mypy|pytest|tox|\.?codecov|dependabot|renovate|typos|_typos|\.typos|cliff|release-plz|dist-workspace|Makefile|\.cargo\/config|config\/nextest|trunk|shuttle|samconfig|\.?black|isort|\.?bandit|\.?pylintrc|\.?flake8|\.?coveragerc)(\.[\w-]+)?\.toml$/i;
// A key that holds a message or a prompt, given a string: what makes a TOML file worth reading.
const TOML_SNIFF = /^[ \t]*["']?(system|user|assistant|developer|human|role|[\w-]*prompt[\w-]*|[\w-]*Prompt[\w-]*|instructions|preamble|persona|backstory|[\w-]*_template|[\w-]*Template|system_message)["']?[ \t]*=[ \t]*["']/m;
const MAX_BYTES = 2_000_000;

// Gemini CLI's custom slash commands (https://geminicli.com/docs/cli/custom-commands): a project's
// `.gemini/commands/**/*.toml`, whose `prompt` (the one required key) is sent as the user's request,
// `{{args}}` filled from what is typed after the command, `!{…}` with a shell command's output and
// `@{…}` with a file's content at run time.
const GEMINI_COMMAND = /(^|\/)\.gemini\/commands\/(?:[^/]+\/)*[^/]+\.toml$/;

// A Gemini CLI extension ships its commands in its own `commands/` folder: there, a file holding a
// `prompt` and at most a `description` has the command file's shape.
const EXTENSION_COMMAND = /(^|\/)commands\/(?:[^/]+\/)*[^/]+\.toml$/;
function isGeminiCommand(file: string, y: ParsedYaml): boolean {
  if (GEMINI_COMMAND.test(file)) return true;
  if (!EXTENSION_COMMAND.test(file) || !isMap(y.root)) return false;
  const keys = (y.root as YAMLMap).items.map((p) => String((p.key as Scalar).value));
  return keys.includes('prompt') && keys.every((k) => k === 'prompt' || k === 'description');
}

function geminiCommand(y: ParsedYaml, ctx: ReadContext): DetectedPrompt[] {
  const node = get(y.root, 'prompt');
  if (!isScalar(node) || typeof node.value !== 'string' || !node.value.trim()) return [];
  // {{args}}, and the shell output and file contents put in at run time: unknown sizes, counted as slots
  // (in the text where they sit, so a cache prefix ends before them).
  const part = yamlPart('user', y, node, ['gemini'], 'prompt');
  return [{
    kind: 'gemini-cli-command', source: 'prompt-file', confidence: 'call', range: nodeRange(y, y.root as Node), parts: [part],
    provider: 'google', label: ctx.file.replace(/^.*(\.gemini\/)?commands\//, '/').replace(/\.toml$/, '').replace(/\//g, ':').replace(/^:/, '/'),
    notes: [
      'a Gemini CLI custom command: its prompt is sent as the request, {{args}} filled from what follows the command; Gemini CLI adds its own system prompt and context, not counted',
      'no model in the file: the default Google model is used',
      'Gemini CLI sends this text; with an API key it is billed at these token rates, on a Google account\'s free or paid plan by quota instead',
    ],
  }];
}

export const tomlPromptReader: PromptFileReader = {
  format: 'toml-prompts',
  matches: (name, text) => /\.toml$/i.test(name) && !NOT_PROMPT_TOML.test(name) && text.length <= MAX_BYTES && (TOML_SNIFF.test(text) || isPromptNamedData(name) || GEMINI_COMMAND.test(name)),
  read(text, ctx) {
    let y: ParsedYaml;
    try {
      y = parsedToml(text);
    } catch (e) {
      if (!(e instanceof TomlError)) throw e;
      // A Gemini CLI command or a file named for prompts is a prompt file: broken, an error (a gate must not
      // pass without it). Sniffed by content, a warning: this may be any settings file.
      const lines = new LineIndex(text);
      const range = lines.range(e.at, Math.min(text.length, e.at + 1));
      const known = GEMINI_COMMAND.test(ctx.file) || isPromptNamedData(ctx.file);
      return { prompts: [], diagnostics: [{ code: 'prompt-file-error', severity: known ? 'error' : 'warning', file: ctx.file, range, message: `${ctx.file}:${range.start.line + 1}: malformed TOML: ${e.message} (its prompts are not read)` }] };
    }
    if (isGeminiCommand(ctx.file, y)) return { prompts: geminiCommand(y, ctx), diagnostics: [] };
    const llm = LLM_CONTEXT.test(text) || /prompt|llm|agent/i.test(ctx.file);
    return { prompts: promptsInData(y, ctx, llm, true).map((p) => ({ ...p, notes: (p.notes ?? []).map((note) => note.replace(/a YAML config|a data file/, 'a TOML file')) })), diagnostics: [] };
  },
};
