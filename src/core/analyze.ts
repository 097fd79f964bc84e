// Document text → priced prompt reports and diagnostics. Pure: the caller passes the config and the
// settings layer; the Engine owns only a count memo, so re-analysing unchanged text is cheap.
import { annotationFor, parseAnnotations, type Annotation } from './config/annotations';
import { resolveTraffic } from './config/resolve';
import type { PromptCostConfig, SourcedTraffic } from './config/types';
import { CodeProject, detectInCode, ensureLanguages, ensureRuntime, langForFile, mayContainPrompts, type CallRecord, type Reuse } from './detect/code';
import type { SyntaxTree } from './detect/code/parser';
import { ASSIGNED_NAME, editTree, type CodeFile, type TextChange } from './detect/code/source';
import { badCellDiagnostics, notebookToPython, toCell, type NotebookText } from './detect/code/notebook';
import { readerFor, readPromptText } from './detect/files';
import { functionReturnParts } from './detect/code/functionText';
import type { ReadContext } from './detect/files/common';
import { findSlots, staticText, stripTemplateControl } from './detect/slots';
import type { CacheReport, DetectedPrompt, Diagnostic, PromptPart, PromptReport, Range, ReportPart, Role, Severity, Slot } from './model';
import { computeCost, lookupPrice } from './prices';
import { runPromptRules } from './rules';
import { hasLoneCr, LineIndex } from './text';
import { chatOverheadTokens, hasLongRun, LONG_RUN, messageOverheadTokens, preloadEncoder, resolveTokenizer, TokenCounter, type EncodingName, type TokenizerChoice } from './tokens';
import { analyzeCache, type PartLayout } from './cache/analyze';
import { cacheRuleFor } from './cache/rules';
import { own } from './own';
import { numberProblem } from './numbers';
import { formatBytes, startCountBudget, type FileBudgets } from './budgets';
import { providerOfKind, unresolvedModelNote } from './models/defaults';
import { parseModelId } from './models/ids';
import { countRequestExtras } from './tokens/extras';

/** Tokens assumed for a template slot that neither the config nor the file gives a size for. */
export const DEFAULT_SLOT_TOKENS = 100;

const UNUSED_ANNOTATION = 'prompt-cost annotation on line';

/**
 * The warning that an annotation belongs to no prompt of its file, on `line` (0-based) — which a
 * workspace pass withdraws when a prompt of another file takes that annotation (annotationElsewhere).
 */
export function isUnusedAnnotationWarning(d: Diagnostic, file: string, line: number): boolean {
  return d.code === 'invalid-config' && d.file === file && d.range.start.line === line && d.message.startsWith(`${UNUSED_ANNOTATION} ${line + 1} belongs to no prompt`);
}

/** `file:line` of every annotation that prompts of `detections` take from another file. */
export function annotationsTakenElsewhere(detections: Iterable<{ detected: DetectedPrompt[] }>): Set<string> {
  const taken = new Set<string>();
  for (const d of detections) for (const p of d.detected) if (p.annotationElsewhere) taken.add(`${p.annotationElsewhere.file}:${p.annotationElsewhere.line}`);
  return taken;
}

/** `diagnostics` without the unused-annotation warnings on annotations in `taken` (annotationsTakenElsewhere). */
export function withoutTakenAnnotationWarnings(diagnostics: Diagnostic[], taken: Set<string>): Diagnostic[] {
  if (!taken.size) return diagnostics;
  const kept = diagnostics.filter((x) => !(x.file && taken.has(`${x.file}:${x.range.start.line}`) && isUnusedAnnotationWarning(x, x.file, x.range.start.line)));
  return kept.length === diagnostics.length ? diagnostics : kept;
}

export interface PriceOptions {
  config: PromptCostConfig;
  /** The editor-settings layer of the traffic precedence. */
  settings?: SourcedTraffic;
  defaultSlotTokens?: number;
  severities?: Record<string, Severity>;
}

export interface DetectOptions {
  readRelative?: ReadContext['readRelative'];
  /** Reads a workspace file by its root-relative path (imports); undefined when it cannot or may not. */
  readWorkspaceFile?: (relativePath: string) => string | undefined;
  /** Shared across one scan so imported files are parsed once. */
  project?: CodeProject;
  /** Report prompt-named constants no call uses (default true). */
  heuristics?: boolean;
  /** The file is text that code loads as a prompt (a workspace scan found it so), and the role code gives it. */
  promptText?: boolean | { role: Role };
}

export type AnalyzeOptions = PriceOptions & DetectOptions;

/** A file's prompts before pricing (serializable). */
export interface Detection {
  file: string;
  /** The text pricing reads annotations from: the file's, or a notebook's joined code cells. */
  text: string;
  detected: DetectedPrompt[];
  diagnostics: Diagnostic[];
  notebook?: NotebookText;
}

export interface FileAnalysis {
  file: string;
  prompts: PromptReport[];
  /** Diagnostics about the file itself (malformed YAML, bad annotations). */
  diagnostics: Diagnostic[];
}

const CHAT_ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool']);

/** The first part of each message (a part without a message number is a message of its own). */
function firstOfEachMessage(parts: readonly PromptPart[]): PromptPart[] {
  const seen = new Set<number>();
  return parts.filter((p) => p.message === undefined || (!seen.has(p.message) && !!seen.add(p.message)));
}

/**
 * The parts as the cache analysis walks them: alternatives left out (they are not sent with the
 * others), the pieces of one text as that text whole (its slots where the text puts them), and
 * whether the part begins a message (its chat overhead).
 */
function cacheLayoutParts(parts: readonly PromptPart[]): { part: PromptPart; messageStart: boolean }[] {
  const out: { part: PromptPart; messageStart: boolean }[] = [];
  const messages = new Set<number>();
  const groups = new Set<number>();
  for (const p of parts) {
    if (p.alternative) continue;
    const messageStart = p.message === undefined || !messages.has(p.message);
    if (p.message !== undefined) messages.add(p.message);
    if (p.piece) {
      if (groups.has(p.piece.group)) continue;
      groups.add(p.piece.group);
      const whole = parts.find((q) => q.piece?.group === p.piece!.group && q.piece.whole)?.piece?.whole;
      if (whole) {
        const syntaxes = [...new Set(parts.filter((q) => q.piece?.group === p.piece!.group).flatMap((q) => q.syntaxes))];
        out.push({ part: { ...p, file: undefined, text: whole.text, slots: whole.slots, slotOffsets: whole.slotOffsets, syntaxes }, messageStart });
        continue;
      }
    }
    out.push({ part: p, messageStart });
  }
  return out;
}

/** Files whose last parse tree is kept for incremental reparsing (the editor's open documents). */
const KEPT_TREES = 32;

/** A file's last parse, and what its detection may lend the next one (see reusableAfter). */
interface KeptParse {
  text: string;
  tree: SyntaxTree;
  /** The tree is of the text with comment runs blanked: not to be edited and reused. */
  blanked?: boolean;
  detection: { calls: CallRecord[]; reads: Map<string, string | undefined>; heuristics: boolean };
}

const ADDED_TO_NAME = /(?<![\w$])([A-Za-z_$][\w$]*)\s*(?:\+=|\.\s*(?:push|unshift|append|extend|insert)\s*\()/g;

/**
 * What the previous detection of a file can lend the next, when the edit between them is a keystroke's
 * kind: within one row, no line added or removed (so every range elsewhere is unchanged), the syntax tree
 * changed only on that row, and every other file the detection read reads the same.
 */
function reusableAfter(previous: KeptParse, change: TextChange, text: string, source: CodeFile, project: CodeProject, heuristics: boolean): Reuse | undefined {
  if (previous.detection.heuristics !== heuristics) return undefined;
  const removed = previous.text.slice(change.start, change.oldEnd);
  const inserted = text.slice(change.start, change.newEnd);
  if (/[\r\n\u2028\u2029]/.test(removed) || /[\r\n\u2028\u2029]/.test(inserted)) return undefined;
  if (hasLoneCr(text) || hasLoneCr(previous.text)) return undefined; // rows: keep the reuse test to plain lines
  const { line: row, character } = source.lines.position(change.start);
  for (const r of previous.tree.getChangedRanges(source.tree)) if (r.startPosition.row < row || r.endPosition.row > row) return undefined;
  if (!project.readsSame(previous.detection.reads)) return undefined;
  const after = source.lines.lineText(row);
  const before = after.slice(0, character) + removed + after.slice(character + inserted.length);
  // Definitions are found from `name =` in the text, imports from import statements: a name's lookup can
  // only change if the row assigns it (before or after), or if the row imports or exports anything.
  const names = new Set<string>();
  for (const line of [before, after]) {
    // Identifiers as JS reads them (`$` included) and as Python does (`$` a separator): both kinds.
    if (/\b(import|from|require|export|global|nonlocal)\b/.test(line)) for (const m of line.matchAll(/[A-Za-z_$][\w$]*/g)) for (const n of [m[0], ...m[0].split('$')]) names.add(n);
    else for (const m of line.matchAll(ASSIGNED_NAME)) names.add(m[1]);
    // a list or text added to in place (`messages.push(…)`, `parts.append(…)`, `prompt += …`) holds more where it is used
    for (const m of line.matchAll(ADDED_TO_NAME)) names.add(m[1]);
    // Python `with make() as name:` defines name too
    for (const m of line.matchAll(/\bas\s+([A-Za-z_]\w*)/g)) names.add(m[1]);
  }
  return { calls: new Map(previous.detection.calls.map((c) => [`${c.start}:${c.end}`, c])), row, ...change, names };
}

export class Engine {
  readonly counter = new TokenCounter();
  /** The last code detection's calls: how many kept their earlier result, how many were evaluated. */
  lastCalls = { file: '', reused: 0, evaluated: 0 };
  private readonly countRaw = (text: string, encoding: EncodingName) => this.counter.encodingTokens(text, encoding);
  private readonly lastParse = new Map<string, KeptParse>();

  /** Reports of detected prompts by the object detection gave (see priceDetected). */
  private readonly pricedPrompts = new WeakMap<DetectedPrompt, { file: string; options: PriceOptions; annotation: string; report: PromptReport }>();

  /** Per-file budgets for parsing, evaluation and counting (budgets.ts); unset ones take the defaults. */
  budgets: Partial<FileBudgets>;

  /** `reuseCalls: false` evaluates every call on every detection (tests compare the two). */
  /**
   * `keptTrees`: how many files' last parse trees to keep for incremental reparsing (default 32, for an
   * editor's open files); 0 for a batch that sees each file once (a scan worker: kept trees only hold
   * on to WASM memory, which never shrinks).
   */
  constructor(private readonly engineOptions: { reuseCalls?: boolean; budgets?: Partial<FileBudgets>; keptTrees?: number } = {}) {
    this.budgets = { ...engineOptions.budgets };
  }

  /** Loads the tokenizer and the price database now, so that later pricing does not wait for them. */
  warmUp(): void {
    this.counter.encodingTokens('warm up', 'o200k_base');
    this.loadPrices();
  }

  /**
   * The same for a long-lived process that can wait: the tokenizer's snapshot is read off the main
   * thread while tree-sitter's runtime is compiled (in this thread, ~10 ms). Resolves once the tokenizer
   * is ready (parsing waits for the grammars through ensureLanguages). A server awaits
   * it before its first pricing so that nothing is loaded twice. The price database is left to
   * `loadPrices`, for a moment when the main thread would otherwise wait. Never rejects: whatever failed
   * here loads again, synchronously, on first use.
   */
  async prepare(): Promise<void> {
    const tokenizer = preloadEncoder('o200k_base').catch(() => false);
    void ensureRuntime().catch(() => undefined);
    await tokenizer;
  }

  /** Loads the price database now (tens of milliseconds, once), e.g. while a grammar compiles. */
  loadPrices(): void {
    try {
      lookupPrice('gpt-4o');
    } catch {
      // reported where a price is actually needed
    }
  }

  /** Any file: loads the grammar a code file needs, then analyses it. */
  async analyze(file: string, text: string, options: AnalyzeOptions): Promise<FileAnalysis> {
    const lang = langForFile(file);
    if (lang) await ensureLanguages([lang]);
    return this.analyzeSync(file, text, options);
  }

  /** Any file whose grammar (if code) is loaded: detect, then price. */
  analyzeSync(file: string, text: string, options: AnalyzeOptions): FileAnalysis {
    return this.price(this.detectSync(file, text, options), options);
  }

  /**
   * What a file holds, before tokens and prices: plain data, so a scan worker can detect while the
   * main thread loads the tokenizer and the price database.
   */
  detectSync(file: string, text: string, options: DetectOptions): Detection {
    if (file.endsWith('.ipynb')) return this.detectNotebook(file, text, options);
    if (langForFile(file)) return { file, text, detected: this.detectCode(file, text, options), diagnostics: [] };
    return this.detectPromptFile(file, text, options);
  }

  private detectCode(file: string, text: string, options: DetectOptions): DetectedPrompt[] {
    if (!mayContainPrompts(text, options.heuristics !== false, file)) return [];
    const project = options.project ?? new CodeProject(options.readWorkspaceFile ?? (() => undefined));
    const previous = this.lastParse.get(file);
    let change: TextChange | undefined;
    if (previous) {
      this.lastParse.delete(file);
      if (previous.text !== text) change = editTree(previous.tree, previous.text, text);
    }
    project.budgets = this.budgets;
    const source = project.open(file, text, undefined, previous && !previous.blanked ? previous.tree : undefined);
    let reuse: Reuse | undefined;
    try {
      if (source && previous && change && !options.project && this.engineOptions.reuseCalls !== false) reuse = reusableAfter(previous, change, text, source, project, options.heuristics !== false);
    } catch {
      reuse = undefined; // an optimisation only: evaluate every call
    }
    previous?.tree.delete();
    if (!source) throw new Error(`${file}: its grammar is not loaded (use Engine.analyze, which loads it)`);
    const records: CallRecord[] = [];
    try {
      const prompts = detectInCode(source, project, { heuristics: options.heuristics, reuse, records, budgets: this.budgets });
      const reused = records.filter((r) => r.reused).length;
      this.lastCalls = { file, reused, evaluated: records.length - reused };
      return prompts;
    } finally {
      // (what it read is copied only when the tree is kept: a scan batch's project holds thousands of reads)
      this.keepTree(file, text, source.tree, () => ({ calls: records, reads: project.reads(), heuristics: options.heuristics !== false }), source.blanked);
      if (!options.project) project.dispose();
    }
  }

  private keepTree(file: string, text: string, tree: SyntaxTree, detection: () => KeptParse['detection'], blanked?: boolean): void {
    const kept = this.engineOptions.keptTrees ?? KEPT_TREES;
    if (kept <= 0) return;
    this.lastParse.set(file, { text, tree: tree.copy(), detection: detection(), ...(blanked ? { blanked } : {}) });
    if (this.lastParse.size > kept) {
      const [oldest, entry] = this.lastParse.entries().next().value as [string, KeptParse];
      entry.tree.delete();
      this.lastParse.delete(oldest);
    }
  }

  /** Code cells as one Python text (so cells see each other's constants). */
  private detectNotebook(file: string, text: string, options: DetectOptions): Detection {
    const nb = notebookToPython(text);
    if ('error' in nb) {
      return { file, text, detected: [], diagnostics: [{ code: 'prompt-file-error', severity: 'warning', file, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, message: `${file}: ${nb.error}` }] };
    }
    return { file, text: nb.text, detected: this.detectCode(file, nb.text, options), diagnostics: badCellDiagnostics(file, nb), notebook: nb };
  }

  private detectPromptFile(file: string, text: string, options: DetectOptions): Detection {
    const textRole = typeof options.promptText === 'object' ? options.promptText.role : undefined;
    const matched = readerFor(file, text);
    const reader = (matched && !(matched.byPlace && options.promptText) ? matched : undefined) ?? (options.promptText ? { format: 'prompt-text', read: (t: string, c: ReadContext) => readPromptText(t, c, textRole) } : undefined);
    if (!reader) return { file, text, detected: [], diagnostics: [] };
    try {
      let project: CodeProject | undefined;
      const functionText = (code: string, name: string) => {
        project ??= options.project ?? new CodeProject(options.readWorkspaceFile ?? (() => undefined));
        return functionReturnParts(project, code, name, 'user');
      };
      try {
        const read = reader.read(text, { file, readRelative: options.readRelative, functionText });
        return { file, text, detected: read.prompts, diagnostics: read.diagnostics };
      } finally {
        if (project && project !== options.project) project.dispose();
      }
    } catch (e) {
      // A reader bug must not take the scan down; say where it happened.
      return { file, text, detected: [], diagnostics: [{ code: 'prompt-file-error', severity: 'error', file, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, message: `${file}: could not read this ${reader.format} file: ${(e as Error).message}` }] };
    }
  }

  /** Reads a prompt file (by name) and prices what it finds. Files that are no prompt file give nothing. */
  analyzeFile(file: string, text: string, options: AnalyzeOptions): FileAnalysis {
    return this.price(this.detectPromptFile(file, text, options), options);
  }

  /** Tokens, traffic, cost and diagnostics for a detection; notebook ranges mapped back to their cells. */
  price(d: Detection, options: PriceOptions): FileAnalysis {
    // Notebook reports are rewritten to cell positions below: never shared through the memo.
    const result = this.priceDetected(d.file, d.text, d.detected, d.diagnostics, options, !d.notebook);
    if (!d.notebook) return result;
    const nb = d.notebook;
    for (const p of result.prompts) {
      const at = toCell(nb, p.range);
      p.cell = at.cell;
      p.range = at.range;
      // ids made from the joined text's line number are renamed by cell; annotation ids stay
      if (/^\d+$/.test(p.id.slice(d.file.length + 1))) p.id = `${d.file}:cell${at.cell + 1}:${at.range.start.line + 1}`;
      if (p.agentCall?.file === d.file) {
        const ag = toCell(nb, p.agentCall.range);
        p.agentCall = { file: d.file, range: ag.range, cell: ag.cell };
      }
      for (const part of p.parts) {
        if (part.file) continue;
        const pa = toCell(nb, part.range);
        part.cell = pa.cell;
        part.range = pa.range;
      }
      for (const x of p.diagnostics) {
        Object.assign(x, toCell(nb, x.range));
        // Fix edits too (copied: the fix may be the detection's own object, priced again later).
        if (x.fix) x.fix = { ...x.fix, edits: x.fix.edits.map((e) => (e.file ? e : { ...e, ...toCell(nb, e.range) })) };
      }
    }
    return { file: d.file, prompts: result.prompts, diagnostics: result.diagnostics.map((x) => (x.cell !== undefined ? x : { ...x, ...toCell(nb, x.range) })) };
  }

  /** Prices prompts found by any detector (prompt-file readers now, code finders later). */
  priceDetected(file: string, text: string, detected: DetectedPrompt[], fileDiagnostics: Diagnostic[], options: PriceOptions, memo = true): FileAnalysis {
    const annotations = parseAnnotations(text);
    const lines = LineIndex.of(text);
    const diagnostics = [...fileDiagnostics];
    for (const a of annotations) {
      for (const p of a.problems) diagnostics.push({ code: 'invalid-config', severity: options.severities?.['invalid-config'] ?? 'error', file, range: p.range, message: p.message });
    }
    // One count budget for the file: past it, the rest of its text is estimated (TokenCounter.budget).
    const outer = this.counter.budget;
    this.counter.budget = startCountBudget(this.budgets);
    try {
      return this.priceAll(file, detected, annotations, lines, diagnostics, options, memo);
    } finally {
      this.counter.budget = outer;
    }
  }

  private priceAll(file: string, detected: DetectedPrompt[], annotations: Annotation[], lines: LineIndex, diagnostics: Diagnostic[], options: PriceOptions, memo: boolean): FileAnalysis {
    const used = new Set<Annotation>();
    const prompts = detected.map((d) => {
      // (an agent's run takes the annotation written above the agent it runs)
      const partLines = [...d.parts.filter((p) => !p.file).map((p) => p.range.start.line), ...(d.agentCall?.file === file ? [d.agentCall.range.start.line] : [])];
      const own = annotationFor(annotations, d.range.start.line, d.range.end.line, detected.length === 1 || d.source === 'prompt-file', partLines);
      if (own) used.add(own);
      // else the one above its text in another file (detect/code/index.ts addAnnotationsElsewhere)
      const elsewhere = d.annotationElsewhere;
      const annotation: Annotation | undefined = own ?? (elsewhere && { line: elsewhere.line, ...(elsewhere.id ? { id: elsewhere.id } : {}), traffic: elsewhere.traffic, problems: [] });
      // A prompt detection reused from the previous keystroke, priced with the same options and annotation,
      // costs what it cost then (its rows, so its anchor line, are unchanged). Counting for the detection
      // cache must see every count, so it bypasses this.
      const key = annotation ? JSON.stringify(annotation) : '';
      const hit = memo && !this.counter.recording ? this.pricedPrompts.get(d) : undefined;
      // Copies: callers rename ids and add workspace diagnostics (shared-prefix) to what they get.
      const copy = (r: PromptReport): PromptReport => ({ ...r, diagnostics: [...r.diagnostics] });
      if (hit && hit.file === file && hit.options === options && hit.annotation === key) return copy(hit.report);
      const report = this.pricePrompt(file, d, annotation, lines, options);
      if (memo) this.pricedPrompts.set(d, { file, options, annotation: key, report: copy(report) });
      return report;
    });
    // An annotation no prompt takes would change nothing, silently: say so where it is written.
    for (const a of annotations) {
      // (only a comment that is the annotation: a line that merely mentions one, as docs do, is left alone)
      if (used.has(a) || a.problems.length || !/^\s*(\/\/|#|<!--|\/\*|\*|\{#|--|;)\s*prompt-cost:/.test(lines.lineText(a.line))) continue;
      diagnostics.push({
        code: 'invalid-config', severity: options.severities?.['invalid-config'] ?? 'warning', file,
        range: { start: { line: a.line, character: 0 }, end: { line: a.line, character: lines.lineText(a.line).length } },
        message: `${UNUSED_ANNOTATION} ${a.line + 1} belongs to no prompt, so it changes nothing: put it on the line of a prompt's call or its text, or one or two lines above`,
      });
    }
    diagnostics.push(...missingReads(file, detected, diagnostics, options));
    // Ids are unique within a file: rows from one place (promptfoo prompt × provider) carry their label.
    const seen = new Map<string, number>();
    for (const p of prompts) {
      if (p.label && !p.id.includes('#')) p.id = `${p.id}#${p.label}`;
      const n = (seen.get(p.id) ?? 0) + 1;
      seen.set(p.id, n);
      if (n > 1) p.id = `${p.id}#${n}`;
    }
    return { file, prompts, diagnostics };
  }

  private slotTokens(name: string, d: DetectedPrompt, choice: TokenizerChoice, options: PriceOptions): Slot {
    const configured = own(options.config.variables, name);
    if (configured) return { name, tokens: configured.tokens, from: configured.from };
    const sample = own(d.slotSamples, name);
    if (sample) return { name, tokens: this.counter.scaled(this.counter.encodingTokens(sample.text, choice.encoding), choice), from: sample.from };
    return { name, tokens: options.defaultSlotTokens ?? DEFAULT_SLOT_TOKENS, from: 'default' };
  }

  /** A part as static token runs between its run-time values (for the cache analysis). */
  private layout(p: PromptPart, choice: TokenizerChoice, chat: boolean): PartLayout {
    const count = (t: string) => this.counter.scaled(this.counter.encodingTokens(t, choice.encoding), choice);
    let cuts: { start: number; end: number }[];
    if (p.syntaxes.length) cuts = findSlots(p.text, p.syntaxes);
    else if (p.slotOffsets) cuts = p.slotOffsets.map((o) => ({ start: o, end: o }));
    else cuts = p.slots.map(() => ({ start: p.text.length, end: p.text.length }));
    const runs: number[] = [];
    let at = 0;
    for (const c of cuts) {
      runs.push(count(stripTemplateControl(p.text.slice(at, c.start))));
      at = c.end;
    }
    runs.push(count(stripTemplateControl(p.text.slice(at))));
    return {
      overheadTokens: chat ? this.counter.scaled(messageOverheadTokens(p, choice.encoding, this.countRaw), choice) : 0,
      runs,
      slots: cuts.map((_, k) => ({ name: p.slots[k]?.name ?? 'value', ...(p.slots[k]?.range ? { range: p.slots[k].range } : {}), ...(p.file ? { file: p.file } : {}) })),
      cacheControl: !!p.cacheControl,
    };
  }

  private pricePrompt(file: string, d: DetectedPrompt, annotation: Annotation | undefined, lines: LineIndex, options: PriceOptions): PromptReport {
    const detectedTraffic: SourcedTraffic = {};
    if (d.model) detectedTraffic.model = { value: d.model.id, from: d.model.from };
    // The output limit the file sets passes the same validation as every other number (numbers.ts).
    const outputProblem = d.outputTokens ? numberProblem('outputTokens', d.outputTokens.tokens) : undefined;
    if (d.outputTokens && !outputProblem) detectedTraffic.outputTokens = { value: d.outputTokens.tokens, from: d.outputTokens.from };
    const provider = d.provider ?? providerOfKind(d.kind);
    const traffic = resolveTraffic({ file, annotation, detected: detectedTraffic, config: options.config, settings: options.settings, provider });
    const model = traffic.model.value;
    const notes = [...(d.notes ?? [])];
    if (d.source === 'code' && d.confidence === 'call' && !d.model && !traffic.model.from.startsWith('annotation')) {
      notes.unshift(unresolvedModelNote(provider, traffic.model));
    }
    // An Azure deployment the config maps to a model is counted with that model's tokenizer.
    const id = parseModelId(model, { deployments: options.config.deployments });
    const choice = resolveTokenizer(id.deployment && !id.problem ? id.model : model);

    let staticTokens = 0;
    let dynamicTokens = 0;
    let estimated = false;
    const overBudgetBefore = this.counter.budgetEstimates;
    const parts: ReportPart[] = d.parts.map((p) => {
      const found = findSlots(p.text, p.syntaxes);
      const counted = stripTemplateControl(staticText(p.text, found));
      // Only whitespace between run-time values ({{history}}\n{{question}}) is no static text of the prompt.
      let tokens = /\S/.test(counted) ? this.counter.scaled(this.counter.encodingTokens(counted, choice.encoding), choice) : 0;
      if (hasLongRun(counted)) {
        estimated = true;
        const note = `a run of ${LONG_RUN}+ characters without a break is counted in pieces: its tokens are an estimate`;
        if (!notes.includes(note)) notes.push(note);
      }
      if (p.omittedChars) {
        // Text past the evaluation ceiling was counted, not built: tokens per character of the text kept.
        tokens = Math.ceil(tokens * (1 + p.omittedChars / Math.max(1, p.text.length)));
        estimated = true;
      }
      const slots = p.slots.map((s) => this.slotTokens(s.name, d, choice, options));
      if (!p.alternative) {
        staticTokens += tokens;
        for (const s of slots) dynamicTokens += s.tokens;
      }
      return { role: p.role, ...(p.name ? { name: p.name } : {}), ...(p.file ? { file: p.file } : {}), range: p.range, ...(p.alternative ? { alternative: p.alternative } : {}), tokens, slots };
    });
    // Pieces of one text (a template and the constants it embeds) are counted whole, as the tokenizer
    // sees the text sent: a word can span a join. The difference is the largest piece's to carry.
    for (const p of d.parts) {
      const whole = p.piece?.whole;
      if (!whole || p.alternative || estimated) continue;
      const members = d.parts.flatMap((q, k) => (q.piece?.group === p.piece!.group && !q.alternative ? [k] : []));
      const syntaxes = [...new Set(members.flatMap((k) => d.parts[k].syntaxes))];
      const counted = stripTemplateControl(staticText(whole.text, findSlots(whole.text, syntaxes)));
      if (hasLongRun(counted)) continue;
      const wholeTokens = /\S/.test(counted) ? this.counter.scaled(this.counter.encodingTokens(counted, choice.encoding), choice) : 0;
      const largest = members.reduce((a, b) => (parts[b].tokens > parts[a].tokens ? b : a));
      const delta = Math.max(-parts[largest].tokens, wholeTokens - members.reduce((n, k) => n + parts[k].tokens, 0));
      parts[largest].tokens += delta;
      staticTokens += delta;
    }
    // The chat overhead is per message: the pieces of one message share it.
    const chatParts = firstOfEachMessage(d.parts).filter((p) => CHAT_ROLES.has(p.role) && !p.alternative);
    const overhead = chatParts.length ? this.counter.scaled(chatOverheadTokens(chatParts, choice.encoding, this.countRaw), choice) : 0;
    // Tools, schema and media: sent with every call, counted by each provider's documented method (tokens/extras.ts).
    const extras = countRequestExtras(d, { model, choice, count: this.countRaw, scaled: (t, c) => this.counter.scaled(t, c), imageSize: options.config.images });
    const toolTokens = extras.tools?.tokens ?? 0;
    const schemaTokens = extras.schema?.tokens ?? 0;
    const mediaTokens = extras.media?.tokens ?? 0;
    const input = staticTokens + dynamicTokens + overhead + toolTokens + schemaTokens + mediaTokens;
    const exact = choice.exact && !estimated && Object.values(extras).every((x) => x.exact);
    const output = traffic.outputTokens.value;

    const pricing = lookupPrice(model, options.config.prices, { deployments: options.config.deployments });
    let cost = computeCost(pricing, { inputTokens: input, outputTokens: output }, { callsPerDay: traffic.callsPerDay.value, daysPerMonth: traffic.daysPerMonth.value });
    let cache: CacheReport | undefined;
    const rule = pricing.priced ? cacheRuleFor(pricing.provider, model) : undefined;
    if (rule && pricing.priced) {
      const cached = analyzeCache({
        rule, pricing, inputTokens: input, outputTokens: output,
        callsPerDay: traffic.callsPerDay.value, daysPerMonth: traffic.daysPerMonth.value,
        hitRate: traffic.cacheHitRate.from === 'default' ? undefined : { value: traffic.cacheHitRate.value, from: traffic.cacheHitRate.from },
        // The provider's cache order: tools (and the schema) first, then system, then messages.
        parts: [
          ...(toolTokens + schemaTokens ? [{ overheadTokens: 0, runs: [toolTokens + schemaTokens], slots: [], cacheControl: !!d.tools?.definitions.some((t) => t.cacheControl) }] : []),
          ...cacheLayoutParts(d.parts).map(({ part, messageStart }) => this.layout(part, choice, messageStart && CHAT_ROLES.has(part.role))),
        ],
      });
      if (cached) {
        cache = cached.report;
        cost = cached.cost;
      }
    }
    if (pricing.priced && pricing.contextWindow) cost.contextWindow = pricing.contextWindow;
    if (pricing.priced && pricing.longContext) cost.longContext = true;

    if (this.counter.budgetEstimates > overBudgetBefore && this.counter.budget) {
      notes.push(`count budget exceeded: this file's prompt text is over ${formatBytes(this.counter.budget.limitBytes)}, so the rest of it is estimated at 4 bytes per token`);
      estimated = true;
    }
    const report: PromptReport = {
      id: traffic.id ?? `${file}:${d.range.start.line + 1}`,
      file,
      range: d.range,
      source: d.source,
      kind: d.kind,
      confidence: d.confidence,
      ...(d.shape ? { shape: d.shape } : {}),
      ...(d.label ? { label: d.label } : {}),
      model: { id: model, ...(pricing.provider ? { provider: pricing.provider } : {}), from: traffic.model.from },
      parts,
      tokens: {
        input, static: staticTokens, dynamic: dynamicTokens, overhead, output, outputFrom: traffic.outputTokens.from, exact: exact && !estimated, ...(!exact && choice.exact && !estimated ? { textExact: true } : {}), encoding: choice.encoding,
        ...(extras.tools ? { tools: toolTokens } : {}), ...(extras.schema ? { schema: schemaTokens } : {}), ...(extras.media ? { media: mediaTokens } : {}),
      },
      traffic: {
        // The hit rate priced: with no configured one, the cache analysis derives it from traffic.
        callsPerDay: traffic.callsPerDay.value, daysPerMonth: traffic.daysPerMonth.value, cacheHitRate: cache?.hitRate ?? traffic.cacheHitRate.value,
        from: traffic.callsPerDay.from,
        sources: { callsPerDay: traffic.callsPerDay.from, daysPerMonth: traffic.daysPerMonth.from, cacheHitRate: cache?.hitRateFrom ?? traffic.cacheHitRate.from, model: traffic.model.from, outputTokens: traffic.outputTokens.from },
      },
      cost,
      ...(cache ? { cache } : {}),
      ...(extras.tools ? { tools: extras.tools } : {}), ...(extras.schema ? { schema: extras.schema } : {}), ...(extras.media ? { media: extras.media } : {}),
      ...(notes.length ? { notes } : {}),
      diagnostics: [],
      ...(d.agentCall ? { agentCall: d.agentCall } : {}),
    };
    report.diagnostics = runPromptRules({ report, detected: d, tokenizer: choice, config: options.config, anchor: anchorOf(d, lines) }, options.severities);
    if (outputProblem && d.outputTokens) {
      const anchor = anchorOf(d, lines);
      const field = d.outputTokens.from.replace(/^(file|code):/, '');
      report.diagnostics.unshift({
        code: 'invalid-number', severity: options.severities?.['invalid-number'] ?? 'error', range: anchor,
        message: `${file}:${d.range.start.line + 1}: ${field} ${outputProblem}; not used: the output is ${output} tokens (${traffic.outputTokens.from})`,
      });
    }
    return report;
  }
}

/**
 * A file the code reads into a prompt (`Path("prompts/x.md").read_text()`, `readFileSync(…)`) whose path
 * names no file of the workspace: priced as a run-time value, and said at the read rather than guessed in
 * silence — once per path and file, and not where the file was refused already (`file-not-read` of a link
 * out of the workspace or a pipe says why).
 */
function missingReads(file: string, detected: DetectedPrompt[], said: Diagnostic[], options: PriceOptions): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const d of detected) {
    for (const part of d.parts) {
      if (part.file) continue; // written in another file: its reads are that file's to say
      for (const slot of part.slots) {
        if (!slot.missing || !slot.range || seen.has(slot.missing)) continue;
        seen.add(slot.missing);
        const base = slot.missing.slice(slot.missing.lastIndexOf('/') + 1);
        if (said.some((x) => x.code === 'file-not-read' && x.message.includes(`${base} was not read`))) continue;
        out.push({
          code: 'file-not-read', severity: options.severities?.['file-not-read'] ?? 'warning', file, range: slot.range,
          message: `${file}:${slot.range.start.line + 1}: ${slot.missing} was not read: no file of the scanned folder is at that path (looked for from this file's folder up to the folder scanned; a file outside that folder is never read — scan a folder that holds both). What it holds is counted as a run-time value, not as its text.`,
        });
      }
    }
  }
  return out;
}

/** The first line of a prompt's first part: where a diagnostic about the whole prompt is shown. */
function anchorOf(d: DetectedPrompt, lines: LineIndex): Range {
  // Where the prompt's text starts in this file: a part written in another file (an imported constant)
  // has that file's coordinates, so it cannot anchor a diagnostic published on this one.
  const start = d.parts.find((p) => !p.file)?.range.start ?? d.range.start;
  const lineLength = lines.lineText(start.line).length;
  return { start, end: { line: start.line, character: Math.max(start.character, lineLength) } };
}
