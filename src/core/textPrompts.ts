// Text prompts that code loads at run time (`open("prompts/x.txt").read()`, `Path(…).read_text()`,
// `readFileSync(path.join(__dirname, "prompts", "x.md"))`, `env.get_template("x.j2")`, `load_prompt(…)`).
// A text file is a prompt when code of the workspace gives evidence that it is read as one:
//   - its name is written in code and its path is prompt-named (`prompts/…`, `system_prompt.txt`), or
//   - its name is written in code in a statement that loads it into something prompt-named
//     (`SYSTEM_PROMPT = Path(…, "x.txt").read_text()`, `instructions: await readFile(…)`) or through a
//     prompt loader (`load_prompt`, `PromptTemplate.from_file`, `get_template`), or
//   - it sits in a prompt-named folder that code reads by name with a computed file name
//     (`path.join(PROMPTS_DIR, `${name}.md`)`): a folder name in a string, its extension, and a read.
// Looked for after the scan's detection, reading each code file once. Docs (README, CHANGELOG, …) never
// count, whatever folder they are in.
import * as path from 'path';
import type { Detection, Engine } from './analyze';
import type { Role } from './model';
import { langForFile } from './detect/code';
import { isBareTextPromptName, isPromptTextCandidate, isPromptNamedPath, isTextPromptName, promptFolderOf } from './detect/files';
import { readRecorded, type ScanInputs } from './scanManifest';

const baseName = (rel: string) => rel.slice(rel.lastIndexOf('/') + 1);
const extOf = (name: string) => name.slice(name.lastIndexOf('.') + 1).toLowerCase();

// A file name with a text extension written in code (inside a string or a path expression).
export const MENTION = /(?<![\w@+.-])([\w@+-][\w@+.-]*)\.(md|markdown|txt|text|j2|jinja2?|hbs|handlebars|mustache|tmpl|tpl|liquid|njk|prompt)(?![\w-])/gi;
/** MENTION's extension part alone: a literal `.` first, so the engine skips to each dot. */
const MENTION_EXT = /\.(md|markdown|txt|text|j2|jinja2?|hbs|handlebars|mustache|tmpl|tpl|liquid|njk|prompt)(?![\w-])/gi;

/** `[\w@+.-]`, by character code. */
function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 64 || c === 43 || c === 46 || c === 45;
}

/**
 * What `text.matchAll(MENTION)` finds (the same names at the same places; a test compares them), found
 * from each extension back to the start of its run of name characters. MENTION itself is tried at
 * every position of every code file of a scan (half a second on a monorepo); this visits only dots.
 * One match per run: its start when that is not a `.`, to the end of the run's last extension.
 */
export function mentionsOf(text: string): { name: string; index: number }[] {
  const out: { name: string; index: number }[] = [];
  let runStart = -1;
  let end = -1;
  let prevEnd = -1; // where the previous extension ended: the walk back stops there (linear on `a.md.a.md…`)
  const flush = () => {
    if (runStart >= 0 && end > runStart) out.push({ name: text.slice(runStart, end), index: runStart });
  };
  for (const m of text.matchAll(MENTION_EXT)) {
    const dot = m.index ?? 0;
    let r = dot;
    while (r > 0 && r !== prevEnd && isNameChar(text.charCodeAt(r - 1))) r--;
    if (r === prevEnd) r = runStart; // the previous extension's run goes on to this one
    prevEnd = dot + m[0].length;
    if (r !== runStart) {
      flush();
      runStart = r;
      end = -1;
    }
    // The name needs a first character that is not a dot, before the extension's dot.
    if (text.charCodeAt(r) !== 46 && dot > r) end = dot + m[0].length;
  }
  flush();
  return out;
}
// Reading a file's text (Python, JS/TS).
const READS = /\bopen\s*\(|\.read_text\s*\(|\.read\s*\(|readFileSync|readFile\s*\(|promises\.readFile|Deno\.readTextFile|Bun\.file|import\.meta\.url|\bfetch\s*\(|read_text|importlib\.resources|pkgutil\.get_data|resources\.files|\bfiles\s*\(|get_template|load_prompt|from_file|from_template_file|loadPrompt|readPrompt|getPrompt|load_template|loadTemplate|render_template|TemplateResponse|readdirSync|readdir\s*\(|listdir|iterdir|\bglob\b|scandir/;
// Loaders and constructors whose result is a prompt by their name (LangChain, Jinja prompt environments, app helpers).
const PROMPT_SINKS = /\b(load_prompt|loadPrompt|from_file|from_template_file|fromFile|read_prompt|readPrompt|get_prompt|getPrompt|load_prompt_template|loadPromptTemplate|get_template|from_template|fromTemplate|PromptTemplate|HumanMessage|HumanMessagePromptTemplate|SystemMessage|SystemMessagePromptTemplate)\s*\(/g;
// An assignment, keyword argument or property (the text's destination): `X =`, `x: str =`, `x:`, `"x":`.
const TARGET = /\b([A-Za-z_$][\w$]*)["']?\s*(?::\s*[\w[\]., |]+)?\s*(?:=(?![=>])|:(?!:))/g;
const PROMPT_WORD = /prompt|instruction|system|persona|preamble|backstory|few_?shot|guideline/i;
const SYSTEM_WORD = /system|instruction|persona|preamble|backstory|guideline/i;
const MESSAGE_ROLE = /role["']?\s*[:=]\s*["'](system|developer|user|human|assistant)["']/;

interface Evidence { loaded: boolean; role?: Role }
// A text file named for a chat role (`user.md`, `human.txt`, `assistant.md`).
const ROLE_FILE = /^(user|human|assistant)\.[^.]+$/i;

/** Evidence from the statement around one mention of a file name in code. */
function evidenceAt(text: string, index: number): Evidence {
  const lineStart = text.lastIndexOf('\n', index - 1) + 1;
  // The statement may start on the line before (`X = (\n  Path(…) / "x.txt"\n).read_text()`).
  const prevStart = lineStart > 0 ? text.lastIndexOf('\n', lineStart - 2) + 1 : 0;
  let lineEnd = text.indexOf('\n', index);
  if (lineEnd < 0) lineEnd = text.length;
  const nextEnd = text.indexOf('\n', lineEnd + 1);
  const window = text.slice(prevStart, nextEnd < 0 ? text.length : nextEnd);
  const loaded = READS.test(window);
  // The statement holding the name: this line, and the line before when it is continued.
  const prev = text.slice(prevStart, lineStart).trimEnd();
  let before = text.slice(lineStart, index);
  if (lineStart > 0 && /[([{=,\\+/]$/.test(prev)) before = `${prev}\n${before}`;
  // `with open("x.txt") as f:` — the destination is where the next line puts `f.read()`.
  const withAs = /\bwith\b.*\bas\s+(\w+)\s*:\s*$/.exec(text.slice(lineStart, lineEnd));
  if (withAs) {
    const next = text.slice(lineEnd + 1, nextEnd < 0 ? text.length : nextEnd);
    // `text = f.read()`, or a keyword argument: `render(prompt=f.read(), …)`
    const m = new RegExp(`^\\s*([A-Za-z_]\\w*)\\s*(?::[^=]+)?=\\s*${withAs[1]}\\.read`).exec(next) ?? new RegExp(`[(,]\\s*([A-Za-z_]\\w*)\\s*=\\s*${withAs[1]}\\.read\\(`).exec(next);
    if (m) before += ` ${m[1]} = `;
  }
  // The nearest destination before the name says what the text becomes.
  const targets = [...before.matchAll(TARGET)];
  const nearest = targets.length ? targets[targets.length - 1] : undefined;
  const sinks = [...before.matchAll(PROMPT_SINKS)];
  const sink = sinks.length ? sinks[sinks.length - 1] : undefined;
  // A constructor or loader nearer than the destination (`X = PromptTemplate.from_file("x.txt")`) decides.
  if (sink && (!nearest || (sink.index ?? 0) > (nearest.index ?? 0))) return { loaded: true, role: /^System/.test(sink[1]) ? 'system' : 'user' };
  // `SYSTEM_PROMPT_PATH = "x.md"`, `prompt_file: x.txt` (a config key): the name says the file is a prompt's.
  if (nearest && PROMPT_WORD.test(nearest[1])) return { loaded: loaded || /path|file|template|dir|location/i.test(nearest[1]), role: SYSTEM_WORD.test(nearest[1]) ? 'system' : 'user' };
  if (nearest && /^(content|text)$/i.test(nearest[1])) {
    const role = MESSAGE_ROLE.exec(window)?.[1];
    if (role) return { loaded, role: role === 'system' || role === 'developer' ? 'system' : 'user' };
  }
  if (sink) return { loaded: true, role: /^System/.test(sink[1]) ? 'system' : 'user' };
  return { loaded };
}

interface CodeFacts {
  /** Mentioned file names → strongest evidence seen. */
  mentions: Map<string, Evidence>;
  /** Files promptfoo configs name by glob (`prompts: [file://prompts/*.txt]`), root-relative patterns. */
  globs?: RegExp[];
  /** Path segments written in strings of code files that also read files, with the extensions they name. */
  folders: Map<string, Set<string>>;
  /** Folders of extensionless candidates whose name is written in a string of code (`Path(…) / "preprompts"`). */
  bareFolders?: Set<string>;
  /**
   * Template folders set up across files (Jinja's way: `FileSystemLoader(config.paths)` in one module,
   * `join(ROOT, "core", "prompts")` in the config, `f"{agent}/{name}.prompt"` where it renders): prompt
   * folders named in any code string, template extensions computed in any code, and whether code sets
   * up a template loader at all.
   */
  templates?: { folders: Set<string>; exts: Set<string>; loader: boolean };
}

function merge(a: Evidence | undefined, b: Evidence): Evidence {
  if (!a) return b;
  const role = a.role === 'system' || b.role === 'system' ? 'system' : a.role ?? b.role;
  return { loaded: a.loaded || b.loaded, ...(role ? { role } : {}) };
}

const CONFIG_NAME = /\.(ya?ml|json|toml)$/i;
const STRING = /(["'`])((?:(?!\1)[^\\\n]|\\.){1,300})\1/g;

/**
 * The name is a path value of its own (`"prompts/x.md"`, `Path(…) / "x.md"`, `key: x.md`), not a word in
 * prose (`"… open its SKILL.md and …"`, a docstring): before its path and opening quote comes an operator,
 * a bracket, a separator or the line start.
 */
function standsAlone(text: string, index: number): boolean {
  let i = index - 1;
  while (i >= 0 && /[\w./\\@+$-]/.test(text[i])) i--;
  if (i >= 0 && /["'`]/.test(text[i])) {
    i--;
    while (i >= 0 && /[frbuFRBU]/.test(text[i]) && i >= index - 400) i--; // f"…", r'…', b"…" prefixes
  }
  while (i >= 0 && (text[i] === ' ' || text[i] === '\t')) i--;
  return i < 0 || /[\n([{,=:+/<>|?]/.test(text[i]) || /\b(return|in|of|from|import|include|extends|await|yield)$/.test(text.slice(Math.max(0, i - 7), i + 1));
}

/**
 * Names of extensionless files written in code as a string of their own, or as a string's last path
 * segment (`open(folder / "prompt")`, `dbs.preprompts["generate"]`, `"preprompts/qa"`); and the strings'
 * other segments that name those files' folders, in a path computed from a name too (`f"prompts/{arg}"`,
 * `` `prompts/${name}` ``: the folder a helper reads every name it is given from).
 */
function bareFactsOf(text: string, facts: CodeFacts, bare: { names: Set<string>; folders: Set<string> }): void {
  for (const m of text.matchAll(BARE_STRING)) {
    const segs = m[2].split(/[/\\]/);
    const last = segs[segs.length - 1];
    for (const seg of segs) if (bare.folders.has(seg)) (facts.bareFolders ??= new Set()).add(seg);
    if (!m[2].includes('{') && bare.names.has(last)) facts.mentions.set(last, merge(facts.mentions.get(last), evidenceAt(text, m.index ?? 0)));
  }
}
// A short string of path characters only, in code: a key, a file or folder name, a relative path, or
// one with a placeholder for a name (`{arg}`, `${name}`).
const BARE_STRING = /(["'`])((?:[\w./\\-]|\$?\{[\w.]{1,80}\}){1,200})\1/g;

// Template engines' folder loaders and lookups (Jinja, Mako, Handlebars, Nunjucks): names resolved under a folder.
const TEMPLATE_LOADER = /\b(FileSystemLoader|PackageLoader|ChoiceLoader|PrefixLoader|TemplateLookup|get_template|select_template|nunjucks\.configure|registerPartial)\b/;
// Template extensions: a file of one of these under a prompt folder is a template by what it is, not a document.
const TEMPLATE_EXT = /^(j2|jinja2?|prompt|tmpl|tpl|hbs|handlebars|mustache|liquid|njk)$/;

export function factsOf(text: string, facts: CodeFacts, wantedNames: Set<string>, folderNames: Set<string>, bare?: { names: Set<string>; folders: Set<string> }): void {
  for (const { name, index } of mentionsOf(text)) {
    if (!wantedNames.has(name) && !wantedNames.has(name.toLowerCase())) continue;
    if (!standsAlone(text, index)) continue;
    facts.mentions.set(name, merge(facts.mentions.get(name), evidenceAt(text, index)));
  }
  if (bare?.names.size) bareFactsOf(text, facts, bare);
  if (!folderNames.size) return;
  const named = [...folderNames].filter((f) => text.includes(f));
  const exts = new Set<string>();
  // A computed name (`${name}.md`, f"{name}.txt", name + ".md", "*.md", endswith(".md")), not one file's literal name.
  for (const m of text.matchAll(/[}*"'`]\.(md|markdown|txt|text|j2|jinja2?|hbs|handlebars|mustache|tmpl|tpl|liquid|njk|prompt)\b/gi)) exts.add(m[1].toLowerCase());
  const t = facts.templates;
  if (t) {
    for (const e of exts) if (TEMPLATE_EXT.test(e)) t.exts.add(e);
    if (!t.loader && TEMPLATE_LOADER.test(text)) t.loader = true;
  }
  if (!named.length) return;
  const reads = READS.test(text) && exts.size > 0;
  if (!reads && !t) return;
  for (const m of text.matchAll(STRING)) {
    for (const seg of m[2].split(/[/\\.]/)) {
      if (!folderNames.has(seg)) continue;
      t?.folders.add(seg);
      if (!reads) continue;
      const set = facts.folders.get(seg) ?? new Set<string>();
      for (const e of exts) set.add(e);
      facts.folders.set(seg, set);
    }
  }
}

/** A glob (`*`, `**`, `?`) relative to `dir` as a pattern over root-relative paths. */
function globPattern(dir: string, glob: string): RegExp {
  const joined = path.posix.normalize(path.posix.join(dir, glob.replace(/\\/g, '/')));
  const body = joined.split(/(\*\*\/|\*|\?)/).map((t) => (t === '**/' ? '(?:.*/)?' : t === '*' ? '[^/]*' : t === '?' ? '[^/]' : t.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`);
}

/** `file://…*…` prompt globs in promptfoo configs (promptfoo reads every file they match as a prompt). */
function promptfooGlobs(root: string, walked: readonly string[], inputs?: ScanInputs): RegExp[] {
  const out: RegExp[] = [];
  for (const rel of walked) {
    if (!/(^|\/)promptfooconfig[^/]*\.ya?ml$/.test(rel)) continue;
    const read = readRecorded(path.join(root, rel), rel, inputs);
    if (!read.ok) continue;
    const dir = path.posix.dirname(rel);
    for (const m of read.text.matchAll(/file:\/\/([^\s'"\],]*[*?][^\s'"\],]*)/g)) out.push(globPattern(dir === '.' ? '' : dir, m[1]));
  }
  return out;
}

/** Whether code's evidence makes `rel` a loaded prompt; the role its text is given. */
function judge(rel: string, facts: CodeFacts): { role?: Role } | undefined {
  const base = baseName(rel);
  const said = facts.mentions.get(base);
  const pathNamed = isPromptNamedPath(rel);
  const nameRole: Role | undefined = SYSTEM_WORD.test(base) ? 'system' : undefined;
  // A file with no extension: its name in code, and a read beside it or its folder's name in code too
  // (a bare word in a string is weaker evidence than a file name with its extension).
  if (isBareTextPromptName(rel)) {
    const folder = rel.split('/').slice(-2, -1)[0];
    return said && (said.loaded || (folder && facts.bareFolders?.has(folder))) ? { role: said.role === 'system' || nameRole ? 'system' : said.role ?? nameRole } : undefined;
  }
  // A prompt-named folder and the name in code suffice; a prompt-named file name elsewhere needs a read nearby.
  if (said && pathNamed && (said.loaded || promptFolderOf(rel) || said.role)) return { role: said.role === 'system' || nameRole ? 'system' : said.role ?? nameRole };
  if (said?.loaded && said.role) return { role: nameRole ?? said.role };
  const folder = promptFolderOf(rel);
  if (folder && facts.folders.get(folder)?.has(extOf(base))) return { role: nameRole };
  if (facts.globs?.some((g) => g.test(rel))) return { role: nameRole };
  // A template in a prompt folder that code names, where code computes names of its extension and sets up a template loader.
  const t = facts.templates;
  if (folder && t?.loader && t.folders.has(folder) && t.exts.has(extOf(base)) && TEMPLATE_EXT.test(extOf(base))) return { role: nameRole };
  return undefined;
}

/** What the pass looked for (from the candidates), by which each code or config file's facts are found. */
export interface TextPromptLookup { names: string[]; folders: string[]; bareNames: string[]; bareFolders: string[] }

/**
 * What addLoadedTextPrompts based its verdicts on, for a side derived from another (diff/overlay.ts):
 * the candidates, what was looked for, and the walked code and config files whose text gave any fact
 * (the verdicts depend on those files' texts alone).
 */
export interface TextPromptRecord { candidates: string[]; lookup: TextPromptLookup; factful: string[] }

const emptyFacts = (): CodeFacts => ({ mentions: new Map(), folders: new Map(), templates: { folders: new Set(), exts: new Set(), loader: false } });

const factless = (f: CodeFacts) => !f.mentions.size && !f.folders.size && !f.bareFolders?.size && !f.templates!.folders.size && !f.templates!.exts.size && !f.templates!.loader;

/** Adds one file's facts to `into` (as reading the file into `into` would: evidence merges, sets join). */
function mergeFacts(into: CodeFacts, from: CodeFacts): void {
  for (const [k, v] of from.mentions) into.mentions.set(k, merge(into.mentions.get(k), v));
  for (const [k, v] of from.folders) {
    const set = into.folders.get(k) ?? new Set<string>();
    for (const e of v) set.add(e);
    into.folders.set(k, set);
  }
  if (from.bareFolders?.size) for (const f of from.bareFolders) (into.bareFolders ??= new Set()).add(f);
  const t = into.templates!, u = from.templates!;
  for (const f of u.folders) t.folders.add(f);
  for (const e of u.exts) t.exts.add(e);
  if (u.loader) t.loader = true;
}

/** Whether the text of `rel` (a walked file) gives addLoadedTextPrompts any fact, looking for `lookup`. */
export function givesTextPromptFacts(rel: string, text: string, lookup: TextPromptLookup): boolean {
  const config = CONFIG_NAME.test(rel);
  if (!langForFile(rel) && !config) return false;
  if (config && text.length > 1_000_000) return false;
  const f = emptyFacts();
  factsOf(text, f, new Set(lookup.names), config ? new Set() : new Set(lookup.folders), config ? undefined : { names: new Set(lookup.bareNames), folders: new Set(lookup.bareFolders) });
  return !factless(f);
}

/** The files addLoadedTextPrompts reads for facts: code, and configs. */
export const readsForFacts = (rel: string) => !!langForFile(rel) || CONFIG_NAME.test(rel);

/**
 * Detects the walked text files that code loads as prompts; adds them to `detections` and to `files`
 * (walk order). `inputs` receives every file read (the scan's stored report depends on them). `record`
 * receives what the verdicts rest on (TextPromptRecord).
 */
export function addLoadedTextPrompts(root: string, walked: readonly string[], files: string[], detections: Map<string, Detection>, engine: Engine, inputs?: ScanInputs, record?: (r: TextPromptRecord) => void): void {
  // Files whose text another detection already holds as its parts (promptfoo `file://` prompts) are not read again.
  const held = new Set<string>();
  for (const d of detections.values()) for (const p of d.detected) for (const part of p.parts) if (part.file) held.add(part.file);
  const candidates = walked.filter((f) => isTextPromptName(f) && !detections.has(f) && !held.has(f));
  if (!candidates.length) {
    record?.({ candidates: [], lookup: { names: [], folders: [], bareNames: [], bareFolders: [] }, factful: [] });
    return;
  }
  const wantedNames = new Set(candidates.map(baseName));
  const folderNames = new Set(candidates.map(promptFolderOf).filter((f): f is string => !!f));
  const bareFiles = candidates.filter(isBareTextPromptName);
  const bare = { names: new Set(bareFiles.map(baseName)), folders: new Set(bareFiles.map((f) => f.split('/').slice(-2, -1)[0]).filter((f): f is string => !!f)) };
  const facts: CodeFacts = emptyFacts();
  const factful: string[] = [];
  for (const rel of walked) {
    // Code, and configs that name prompt files by key (`system_prompt_file: prompts/x.md`).
    const config = CONFIG_NAME.test(rel);
    if (!langForFile(rel) && !config) continue;
    const read = readRecorded(path.join(root, rel), rel, inputs);
    if (!read.ok || (config && read.text.length > 1_000_000)) continue;
    if (!record) {
      factsOf(read.text, facts, wantedNames, config ? new Set() : folderNames, config ? undefined : bare);
      continue;
    }
    // Each file's facts apart, then merged (the same facts: evidence merges the same in any grouping).
    const own = emptyFacts();
    factsOf(read.text, own, wantedNames, config ? new Set() : folderNames, config ? undefined : bare);
    if (factless(own)) continue;
    factful.push(rel);
    mergeFacts(facts, own);
  }
  record?.({ candidates, lookup: { names: [...wantedNames], folders: [...folderNames], bareNames: [...bare.names], bareFolders: [...bare.folders] }, factful });
  facts.globs = promptfooGlobs(root, walked, inputs);
  const loaded: string[] = [];
  const verdicts = new Map<string, { role?: Role }>();
  for (const rel of candidates) {
    const verdict = judge(rel, facts);
    if (verdict) verdicts.set(rel, verdict);
  }
  // `user.md` beside a loaded `system.md`, both named in code: the pair is one prompt's messages (a
  // folder per prompt, as pattern libraries keep them), the role-named file the message its name says.
  const dirOf = (rel: string) => rel.slice(0, rel.lastIndexOf('/') + 1);
  const systemDirs = new Set([...verdicts.keys()].filter((o) => /^system[\w-]*\./i.test(baseName(o))).map(dirOf));
  for (const rel of candidates) {
    const role = ROLE_FILE.exec(baseName(rel))?.[1].toLowerCase();
    if (!role || verdicts.has(rel) || !facts.mentions.has(baseName(rel)) || !systemDirs.has(dirOf(rel))) continue;
    verdicts.set(rel, { role: role === 'assistant' ? 'assistant' : 'user' });
  }
  for (const rel of candidates) {
    const verdict = verdicts.get(rel);
    if (!verdict) continue;
    const read = readRecorded(path.join(root, rel), rel, inputs);
    if (!read.ok) continue;
    // A file with no extension that starts with `#!` is a script, whatever code says about it.
    if (read.text.startsWith('#!') && isBareTextPromptName(rel)) continue;
    const d = engine.detectSync(rel, read.text, { promptText: verdict.role ? { role: verdict.role } : true });
    if (d.detected.length) {
      detections.set(rel, d);
      loaded.push(rel);
    }
  }
  if (!loaded.length) return;
  const order = new Map(walked.map((f, i) => [f, i] as const));
  const inFiles = new Set(files);
  files.push(...loaded.filter((f) => !inFiles.has(f)));
  files.sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
}

export { isPromptTextCandidate };
