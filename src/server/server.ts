// The Prompt Cost language server: `node dist/server.js --stdio`. Translates core results to LSP —
// diagnostics, hover, code lenses, inlay hints — for any LSP editor; the VS Code client adds the status
// bar and commands on top through the custom requests in protocol.ts.
import * as path from 'path';
import { fileURLToPath, pathToFileURL } from 'url';
import {
  CodeActionKind, createConnection, DidChangeConfigurationNotification, FileChangeType, NotebookCellKind, NotebookDocuments, ProposedFeatures, TextDocuments, TextDocumentSyncKind,
  type CodeAction, type CodeLens, type Hover, type InlayHint, type InitializeResult, type NotebookDocument, type TextDocumentEdit,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { formatMarkdown } from '../core/report/markdown';
import { breakdownMarkdown, inlineSummary } from '../core/report/breakdown';
import { priceDataInfo } from '../core/prices/refresh';
import { refreshPrices } from '../core/prices/lookup';
import type { PromptReport, UnreadableFile } from '../core/model';
import { cheaperAlternatives } from '../core/routing';
import { toSettings } from '../core/settings';
import { TOOL_VERSION } from '../core/version';
import { isCandidate, loadConfig, looksMinified, MAX_FILE_BYTES } from '../core/workspace';
import type { DetectOptions, PriceOptions } from '../core/analyze';
import { DetectionCache } from '../core/detectionCache';
import type { Refusal } from '../core/fileAccess';
import type { FileBudgets } from '../core/budgets';
import { detectInWorkers, FILE_BUDGET_MS } from '../core/scanPool';
import { DOCUMENT_BUDGET_MS, DocumentPool, type DocumentResult } from './documentPool';
import { contains, size, toLspDiagnostic } from './convert';
import { reportView } from './reportView';
import { scanInWorker } from './scanHost';
import { preloadEncoder } from '../core/tokens';
import { BreakdownRequest, ReportMarkdownRequest, ReportRequest, ReportViewRequest, RescanRequest, TotalsNotification, UpdatePricesRequest, type BreakdownParams, type Totals } from './protocol';
import { WorkspaceState } from './workspaceState';
import { overrideProblems } from '../core/config/warnings';
import type { Diagnostic } from '../core/model';
import { compressActions, registerCompress } from './compress';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
/** Jupyter notebooks the editor has open (LSP notebook sync): their cells' live text. */
const notebooks = new NotebookDocuments(TextDocument);
let state = new WorkspaceState(undefined);
let canPullConfiguration = false;
const CONFIG_FILE = '.promptcost.yaml';

// ------------------------------------------------------------------ documents → paths

const UNTITLED_EXT: Record<string, string> = { typescript: 'ts', typescriptreact: 'tsx', javascript: 'js', javascriptreact: 'jsx', python: 'py', yaml: 'yaml' };

/** A document's workspace-relative name, or undefined for documents the server does not analyse. */
function relOf(doc: TextDocument): string | undefined {
  if (doc.uri.startsWith('file:')) return state.relative(fileURLToPath(doc.uri));
  if (doc.uri.startsWith('untitled:')) {
    const ext = UNTITLED_EXT[doc.languageId];
    return ext ? `${doc.uri.replace(/[^\w-]/g, '_')}.${ext}` : undefined;
  }
  return undefined;
}

function openText(rel: string): string | undefined {
  for (const d of documents.all()) if (relOf(d) === rel) return d.getText();
  return undefined;
}

// ------------------------------------------------------------------ analysis of open documents

const analysedVersion = new Map<string, number>();
/**
 * This thread's tokenizer, loaded (off the critical path) once the first document is published: the
 * worker's counts cover open documents and the scan's cover the workspace, so it counts only what they
 * did not (pricing inputs changed since).
 */
let tokenizerLoading = false;
function loadTokenizerSoon(): void {
  if (tokenizerLoading) return;
  tokenizerLoading = true;
  setTimeout(() => void preloadEncoder('o200k_base').catch(() => undefined), 0);
}
const timers = new Map<string, NodeJS.Timeout>();
const inFlight = new Map<string, { version: number | undefined; done: Promise<void> }>();

function schedule(doc: TextDocument): void {
  clearTimeout(timers.get(doc.uri));
  timers.set(doc.uri, setTimeout(() => void analyseCurrent(doc.uri), state.settings.debounceMs));
}

/** The workspace files each open document's last analysis read (its imports, files it loads), by name. */
const readsOf = new Map<string, Set<string>>();

/**
 * `rel` changed (typed in, saved, closed unsaved, changed on disk): the open documents whose analysis
 * read it are analysed again, though their own text is the same — a constant edited in a prompts module
 * changes the call that sends it.
 */
function scheduleReaders(rel: string): void {
  for (const d of documents.all()) {
    const other = relOf(d);
    if (!other || other === rel || !readsOf.get(other)?.has(rel)) continue;
    analysedVersion.delete(d.uri);
    schedule(d);
  }
}

/**
 * The analysis of `uri` (a document or a notebook) at `version`: the one under way if it is for that
 * version, else a new run. The pending debounce timer is dropped either way.
 */
function analysisOf(uri: string, version: number | undefined, run: (uri: string) => Promise<void>): Promise<void> {
  clearTimeout(timers.get(uri));
  timers.delete(uri);
  const running = inFlight.get(uri);
  if (running && running.version === version) return running.done;
  const done = run(uri).finally(() => {
    if (inFlight.get(uri)?.done === done) inFlight.delete(uri);
  });
  inFlight.set(uri, { version, done });
  return done;
}

function analyseCurrent(uri: string): Promise<void> {
  return analysisOf(uri, documents.get(uri)?.version, analyse);
}

function detectOptions(rel: string, onRefuse?: (r: Refusal) => void): DetectOptions {
  const read = state.reader(openText, onRefuse);
  return {
    heuristics: state.settings.heuristics,
    readWorkspaceFile: read,
    readRelative: (p) => read(state.relative(path.resolve(path.dirname(state.absolute(rel)), p))),
  };
}

/**
 * The document worker (documentPool.ts): every analysis runs there, so the main thread only answers
 * requests. Started with the first document, after initialize has set the budgets.
 */
let pool: DocumentPool | undefined;
function documentPool(): DocumentPool {
  pool ??= new DocumentPool({
    root: state.root, budgets: { ...state.engine.budgets }, budgetMs: documentBudgetMs,
    openTexts: () => {
      const texts = new Map<string, string>();
      for (const d of documents.all()) {
        const rel = relOf(d);
        if (rel) texts.set(rel, d.getText());
      }
      return texts;
    },
  });
  return pool;
}

/**
 * Longest a request waits for its document's analysis once the engine is warm (ms): tens of times what
 * an ordinary file takes, and short of the second after which an editor feels stuck. Past it the
 * request is answered from the latest complete analysis. initializationOptions.requestWaitMs sets it.
 */
const REQUEST_WAIT_MS = 600;
let requestWaitMs = REQUEST_WAIT_MS;
/** The document worker's per-document budget (initializationOptions.budgets.documentMs). */
let documentBudgetMs = DOCUMENT_BUDGET_MS;

/**
 * Runs `rel`'s analysis in the document worker: the text is read when its turn comes, and a version
 * edited or closed by then is not analysed (a newer run is scheduled). The result is the latest complete
 * analysis of the document, kept even when an edit came meanwhile: requests answer from it until the
 * next one is done. Undefined when not run.
 */
async function analyseInWorker(rel: string, textOf: () => string | undefined): Promise<(DocumentResult & { keep(): void }) | undefined> {
  let priceOptions: PriceOptions | undefined;
  const result = await documentPool().analyse({
    rel,
    current: () => {
      const text = textOf();
      priceOptions = state.priceOptions();
      return text === undefined ? undefined : { text, heuristics: state.settings.heuristics, priceOptions };
    },
  });
  if (!result) return undefined;
  if (result.error) connection.console.error(`prompt-cost: analysing ${rel} failed: ${result.error}`);
  // The worker counted and priced: this thread neither runs the tokenizer for an open document nor,
  // while the price options are the same, prices it again.
  state.engine.counter.seed(result.counts);
  const priced = result.analysis && priceOptions ? { analysis: result.analysis, options: priceOptions } : undefined;
  return { ...result, keep: () => state.setOpen(rel, result.detection, priced) };
}

/** Analyses the current version of a document; a result for a version that was edited meanwhile is dropped. */
async function analyse(uri: string): Promise<void> {
  await initialSettings();
  const doc = documents.get(uri);
  if (!doc) return;
  const rel = relOf(doc);
  if (!rel || !isCandidate(rel)) return;
  const version = doc.version;
  if (analysedVersion.get(uri) === version) return; // already done (on open, or for a request)
  const tooLarge = doc.getText().length > MAX_FILE_BYTES;
  if (tooLarge || looksMinified(rel, doc.getText())) {
    // Generated or data files: the workspace scan skips them too, and parsing them on every keystroke would stall the server.
    if (!analysedVersion.has(uri)) connection.console.info(`prompt-cost: ${rel} ${tooLarge ? `is larger than ${MAX_FILE_BYTES / 1024} KB` : 'looks minified'}; not analysed`);
    state.open.delete(rel);
    analysedVersion.set(uri, version);
    publish(doc); // this version has no findings: what was published for it when smaller goes
    answered(uri);
    return;
  }
  // A document opened unchanged since an earlier session: its stored detection, and a parse in the background.
  const stored = !analysedVersion.has(uri) && !state.open.has(rel) ? detections.get(rel, doc.getText(), detectOptions(rel)) : undefined;
  if (stored) {
    state.engine.counter.seed(stored.counts);
    state.open.set(rel, stored.detection);
    readsOf.set(rel, new Set(stored.reads));
  } else {
    const atVersion = () => {
      const d = documents.get(uri);
      return d && d.version === version ? d.getText() : undefined;
    };
    const result = await analyseInWorker(rel, atVersion);
    if (!result || !documents.get(uri)) return; // edited before its turn (a newer run is scheduled), or closed
    result.keep();
    if (result.reads) readsOf.set(rel, new Set(result.reads.workspace.map(([p]) => p)));
    if (result.reads) storeSoon(uri, () => detections.put(rel, result.text, { heuristics: state.settings.heuristics }, result.detection, result.reads!, result.counts));
  }
  // Publishing prices the detection: the worker's (or the store's) counts cover it.
  const current = documents.get(uri);
  if (!current || current.version !== version) return; // edited meanwhile: a newer run is scheduled
  analysedVersion.set(uri, version);
  publish(current);
  answered(uri);
  totalsSoon();
  loadTokenizerSoon();
  // The parse behind a stored result takes a while on a large file: leave the first requests (a hover
  // right after opening) to be answered from the stored result before starting it.
  if (stored) setTimeout(() => void verifyStored(uri, version), VERIFY_AFTER_MS);
}

/**
 * After answering from a stored detection: parse the document now, so that the first edit reparses
 * incrementally, and replace the stored result should the fresh one differ (it should not).
 */
async function verifyStored(uri: string, version: number): Promise<void> {
  const doc = documents.get(uri);
  const rel = doc && relOf(doc);
  if (!doc || !rel || doc.version !== version) return; // an edit analyses it anyway
  const result = await analyseInWorker(rel, () => (documents.get(uri)?.version === version ? documents.get(uri)!.getText() : undefined));
  if (!result || documents.get(uri)?.version !== version) return;
  if (result.reads) readsOf.set(rel, new Set(result.reads.workspace.map(([p]) => p)));
  const stored = state.open.get(rel);
  if (stored && JSON.stringify({ ...stored, text: '' }) === JSON.stringify({ ...result.detection, text: '' })) return;
  result.keep();
  if (analysedVersion.get(uri) === version) {
    publish(documents.get(uri)!);
    refreshInline();
  }
  totalsSoon();
}

const VERIFY_AFTER_MS = 250;

// Detections are stored once a document rests (and when it closes or the server stops), not per keystroke.
const detections = new DetectionCache(DetectionCache.defaultDir());
const storeTimers = new Map<string, { timer: NodeJS.Timeout; store: () => void }>();
const STORE_AFTER_MS = 2000;

function storeSoon(uri: string, store: () => void): void {
  clearTimeout(storeTimers.get(uri)?.timer);
  storeTimers.set(uri, { store, timer: setTimeout(() => storeNow(uri), STORE_AFTER_MS) });
}

function storeNow(uri?: string): void {
  for (const [u, pending] of [...storeTimers]) {
    if (uri !== undefined && u !== uri) continue;
    clearTimeout(pending.timer);
    storeTimers.delete(u);
    pending.store();
  }
}

/**
 * Requests answer from the document's current text: a pending analysis runs first, and the request
 * waits for it — at most `requestWaitMs` once the engine is warm (see DocumentPool.warm). Past that it
 * is answered from the latest complete analysis, `stale`, and the editor is asked to refresh its
 * lenses and hints once the analysis is done. `full` waits whatever it takes (commands that edit).
 */
async function settled(uri: string, isDone: () => boolean, run: () => Promise<void>, rel: string | undefined, full = false): Promise<boolean> {
  let deadline: number | undefined; // from the request, or from the end of the engine's start
  // Again when the document was edited while it waited (the run was for the version before).
  for (let runs = 0; runs < 3 && !isDone(); runs++) {
    const done = run();
    if (full) {
      await done;
      continue;
    }
    if (deadline === undefined) {
      if (rel) await Promise.race([done, documentPool().warm(rel)]);
      deadline = performance.now() + requestWaitMs;
    }
    // A timer even when none is left: what a finished analysis still does (publishing) runs first.
    const left = Math.max(0, deadline - performance.now());
    let timer: NodeJS.Timeout | undefined;
    const expired = await Promise.race([done.then(() => false), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), left)))]);
    clearTimeout(timer);
    if (expired) break;
  }
  if (isDone()) return false;
  if (!full) answeredStale.add(uri);
  return true;
}

/** Documents (and notebooks) a request was answered for from an older analysis: refreshed when theirs is done. */
const answeredStale = new Set<string>();

function answered(uri: string): void {
  if (answeredStale.delete(uri)) refreshInline();
}

function refreshInline(): void {
  connection.languages.inlayHint.refresh().catch(() => undefined);
  connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
}

async function fresh(uri: string, full = false): Promise<{ doc: TextDocument; stale: boolean } | undefined> {
  const doc = documents.get(uri);
  if (!doc) return undefined;
  const rel = relOf(doc);
  if (!rel || !isCandidate(rel) || rel === CONFIG_FILE) return { doc, stale: false }; // never analysed
  const stale = await settled(uri, () => analysedVersion.get(uri) === documents.get(uri)?.version, () => analyseCurrent(uri), rel, full);
  const now = documents.get(uri);
  return now && { doc: now, stale };
}

function publish(doc: TextDocument): void {
  const rel = relOf(doc);
  if (!rel) return;
  if (rel === CONFIG_FILE) {
    publishConfig(doc);
    return;
  }
  const a = state.analysis(rel);
  const diagnostics = [
    ...(a?.diagnostics ?? []).filter((d) => !d.file || d.file === rel),
    ...(a?.prompts ?? []).filter((p) => p.file === rel && p.cell === undefined).flatMap((p) => p.diagnostics),
  ].filter((d) => !state.isOff(d.code));
  connection.sendDiagnostics({ uri: doc.uri, version: analysedVersion.get(doc.uri), diagnostics: diagnostics.map(toLspDiagnostic) });
}

/**
 * Overrides of .promptcost.yaml that change nothing (config/warnings.ts), as the CLI warns of them:
 * known only from a whole workspace's prompts, so set after each complete scan (totalsSoon).
 */
let overrideWarnings: Diagnostic[] = [];

/** The config's problems and its overrides that change nothing, on .promptcost.yaml (open or not: the Problems view lists both). */
function publishConfig(doc = documents.all().find((d) => relOf(d) === CONFIG_FILE)): void {
  if (!state.root) return;
  const diagnostics = state.isOff('invalid-config') ? [] : [...state.configDiagnostics(), ...overrideWarnings];
  const uri = doc?.uri ?? pathToFileURL(state.absolute(CONFIG_FILE)).href;
  connection.sendDiagnostics({ uri, ...(doc ? { version: doc.version } : {}), diagnostics: diagnostics.map(toLspDiagnostic) });
}

/**
 * Recomputes the override warnings from a whole workspace's prompts; re-published when they changed.
 * `unreadable`: prompt files that could not be read (an override of one is not said to match nothing).
 */
function updateOverrideWarnings(prompts: PromptReport[], unreadable: readonly UnreadableFile[] = []): void {
  const severity = state.severities()['invalid-config'] ?? 'warning';
  const text = documents.all().find((d) => relOf(d) === CONFIG_FILE)?.getText();
  const lines = (text ?? '').split(/\r\n|\n|\r/);
  const next: Diagnostic[] = overrideProblems(state.config, prompts, unreadable.map((u) => u.file)).flatMap((p) => {
    const line = Number(/:(\d+)$/.exec(p.from)?.[1]) - 1;
    if (!(line >= 0)) return [];
    const end = text === undefined ? 0 : (lines[line] ?? '').length;
    return [{ code: 'invalid-config', severity, message: p.message, range: { start: { line, character: 0 }, end: { line, character: end } } }];
  });
  if (JSON.stringify(next) === JSON.stringify(overrideWarnings)) return;
  overrideWarnings = next;
  publishConfig();
}

function republishAll(): void {
  for (const d of documents.all()) publish(d);
  for (const uri of notebookVersion.keys()) {
    const nb = notebooks.getNotebookDocument(uri);
    if (nb) publishNotebook(nb);
  }
  connection.languages.inlayHint.refresh().catch(() => undefined);
  connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
  totalsSoon();
}

// ------------------------------------------------------------------ notebooks

// A notebook is analysed as one Python text of its code cells (so one cell's constant resolves in
// another), exactly as the workspace scan reads the .ipynb file, but from the cells' live text; results
// carry their cell index, and each cell gets its own diagnostics.
const notebookVersion = new Map<string, number>();

function notebookRel(nb: NotebookDocument): string | undefined {
  return nb.uri.startsWith('file:') ? state.relative(fileURLToPath(nb.uri)) : undefined;
}

/** The notebook as the .ipynb JSON the engine reads: the cells' current text, in order. */
function notebookJson(nb: NotebookDocument): string {
  return JSON.stringify({ cells: nb.cells.map((c) => ({ cell_type: c.kind === NotebookCellKind.Code ? 'code' : 'markdown', source: notebooks.getCellTextDocument(c)?.getText() ?? '' })) });
}

function scheduleNotebook(nb: NotebookDocument): void {
  clearTimeout(timers.get(nb.uri));
  timers.set(nb.uri, setTimeout(() => void analysisOf(nb.uri, nb.version, analyseNotebook), state.settings.debounceMs));
}

async function analyseNotebook(uri: string): Promise<void> {
  await initialSettings();
  const nb = notebooks.getNotebookDocument(uri);
  const rel = nb && notebookRel(nb);
  if (!nb || !rel) return;
  const version = nb.version;
  const result = await analyseInWorker(rel, () => {
    const current = notebooks.getNotebookDocument(uri);
    return current && current.version === version ? notebookJson(current) : undefined;
  });
  if (!result || !notebooks.getNotebookDocument(uri)) return; // changed before its turn (a newer run is scheduled), or closed
  // A notebook's diagnostics go to a cell: one about the whole notebook, to the first.
  for (const d of result.detection.diagnostics) if (d.code === 'file-not-analysed') d.cell ??= 0;
  result.keep();
  const current = notebooks.getNotebookDocument(uri);
  if (!current || current.version !== version) return;
  notebookVersion.set(uri, version);
  publishNotebook(current);
  answered(uri);
  totalsSoon();
}

/** Whether a request on `nb` is answered from an older analysis (see settled). */
async function freshNotebook(nb: NotebookDocument, full = false): Promise<boolean> {
  return settled(nb.uri, () => notebookVersion.get(nb.uri) === notebooks.getNotebookDocument(nb.uri)?.version, () => analysisOf(nb.uri, nb.version, analyseNotebook), notebookRel(nb), full);
}

function publishNotebook(nb: NotebookDocument): void {
  const rel = notebookRel(nb);
  const a = rel ? state.analysis(rel) : undefined;
  const all = [...(a?.diagnostics ?? []), ...(a?.prompts ?? []).flatMap((p) => p.diagnostics)].filter((d) => !state.isOff(d.code));
  nb.cells.forEach((cell, index) => {
    if (cell.kind !== NotebookCellKind.Code) return;
    connection.sendDiagnostics({ uri: cell.document, diagnostics: all.filter((d) => d.cell === index).map(toLspDiagnostic) });
  });
}

notebooks.onDidOpen((nb) => scheduleNotebook(nb));
notebooks.onDidChange((e) => scheduleNotebook(e.notebookDocument));
notebooks.onDidClose((nb) => {
  clearTimeout(timers.get(nb.uri));
  notebookVersion.delete(nb.uri);
  const rel = notebookRel(nb);
  if (rel) state.open.delete(rel);
  for (const cell of nb.cells) connection.sendDiagnostics({ uri: cell.document, diagnostics: [] });
  totalsSoon();
});

/**
 * What a request's document is: a file (or untitled) document, or a cell of an open notebook; `stale`
 * when its analysis is not done and the request is answered from the latest complete one (settled).
 */
async function target(uri: string, full = false): Promise<{ doc: TextDocument; rel: string; cell?: number; stale: boolean } | undefined> {
  const cell = notebooks.getNotebookCell(uri);
  if (cell) {
    const nb = notebooks.findNotebookDocumentForCell(cell);
    const rel = nb && notebookRel(nb);
    if (!nb || !rel) return undefined;
    const stale = await freshNotebook(nb, full);
    const doc = notebooks.getCellTextDocument(cell);
    return doc ? { doc, rel, cell: nb.cells.indexOf(cell), stale } : undefined;
  }
  const t = await fresh(uri, full);
  const rel = t && relOf(t.doc);
  return t && rel ? { doc: t.doc, rel, stale: t.stale } : undefined;
}

// ------------------------------------------------------------------ totals and the workspace scan

let totalsTimer: NodeJS.Timeout | undefined;
function totalsSoon(): void {
  if (totalsTimer) return;
  totalsTimer = setTimeout(async () => {
    await state.priceAll(); // between requests
    totalsTimer = undefined;
    const r = state.report();
    // Which overrides match nothing needs every prompt: only once a workspace scan has completed.
    if (!state.scanning && state.scan) updateOverrideWarnings(r.prompts, r.unreadable);
    const totals: Totals = { ...r.totals, scanning: state.scanning, pricesAsOf: priceDataInfo().asOf };
    void connection.sendNotification(TotalsNotification, totals);
  }, 100);
}

/** The editor's budgets for the scan, timed as batch runs are (a busy machine does not change what is skipped: budgets.ts). */
function scanBudgets(): Partial<FileBudgets> {
  const { wallClock: _wallClock, ...budgets } = state.engine.budgets;
  return budgets;
}

let scanAbort: AbortController | undefined;
async function runScan(): Promise<void> {
  if (!state.root) return;
  scanAbort?.abort();
  const abort = new AbortController();
  scanAbort = abort;
  state.scanning = true;
  totalsSoon();
  const progress = await connection.window.createWorkDoneProgress().catch(() => undefined);
  progress?.begin('Prompt Cost: scanning the workspace', 0, undefined, true);
  progress?.token.onCancellationRequested(() => abort.abort());
  try {
    // In a worker of its own, with a per-file budget, counted there: the scan never keeps a request waiting.
    const priceOptions = state.priceOptions();
    const scanned = await scanInWorker(
      { root: state.root, budgets: scanBudgets(), options: { exclude: state.settings.exclude, heuristics: state.settings.heuristics }, priceOptions },
      (done, total) => progress?.report(total ? Math.round((done / total) * 100) : 0, `${done}/${total} files`),
      abort.signal,
    );
    if (scanned && !abort.signal.aborted) {
      state.engine.counter.seed(scanned.counts);
      state.setScan(scanned.scan, { analyses: scanned.analyses, options: priceOptions });
      state.scanExclude = scanned.scan.config.exclude;
    }
  } catch (e) {
    connection.window.showErrorMessage(`Prompt Cost: the workspace scan failed: ${(e as Error).message}`);
  } finally {
    progress?.done();
    if (scanAbort === abort) {
      state.scanning = false;
      republishAll();
    }
  }
}

// ------------------------------------------------------------------ settings

async function pullSettings(): Promise<void> {
  if (!canPullConfiguration) return;
  const raw = await connection.workspace.getConfiguration('promptCost');
  state.setSettings(toSettings(raw));
}

/**
 * The first settings pull, started at `initialized`: analysis waits for it (thresholds, heuristics and
 * traffic change what is published), but no longer than SETTINGS_WAIT_MS — a client slow to answer must
 * not keep requests waiting; what arrives later is applied as a settings change (re-published).
 */
let settingsPulled: Promise<void> = Promise.resolve();
let settingsArrived = true;
/** An analysis stopped waiting for the first settings: they are applied as a change when they come. */
let settingsWaitedOut = false;
const SETTINGS_WAIT_MS = 1000;

function initialSettings(): Promise<void> {
  if (settingsArrived) return Promise.resolve();
  const timeout = new Promise<void>((resolve) => setTimeout(() => {
    if (!settingsArrived) settingsWaitedOut = true;
    resolve();
  }, SETTINGS_WAIT_MS).unref());
  return Promise.race([settingsPulled, timeout]);
}

// ------------------------------------------------------------------ lifecycle

/**
 * `scanOnStart: false` (tests, or editors that want no background work) skips the workspace scan;
 * `budgets` sets the engine's per-file budgets (budgets.ts) and `documentMs`, the document worker's
 * (documentPool.ts) — the editor's choice, never a workspace file's; `requestWaitMs` how long a request
 * waits for its document's analysis before it is answered from the latest complete one.
 */
let initOptions: { scanOnStart?: boolean; settings?: unknown; budgets?: Record<string, unknown>; requestWaitMs?: unknown } = {};

connection.onInitialize((params): InitializeResult => {
  initOptions = (params.initializationOptions ?? {}) as typeof initOptions;
  const folder = params.workspaceFolders?.[0]?.uri ?? params.rootUri ?? undefined;
  state = new WorkspaceState(folder?.startsWith('file:') ? fileURLToPath(folder) : undefined);
  canPullConfiguration = !!params.capabilities.workspace?.configuration;
  settingsArrived = !canPullConfiguration;
  if (initOptions.settings) state.setSettings(toSettings(initOptions.settings));
  for (const key of ['parseMs', 'evaluateMs', 'countBytes'] as const) {
    const v = initOptions.budgets?.[key];
    if (typeof v === 'number' && Number.isFinite(v) && v >= 0) state.engine.budgets[key] = v;
  }
  const documentMs = initOptions.budgets?.documentMs;
  if (typeof documentMs === 'number' && Number.isFinite(documentMs) && documentMs > 0) documentBudgetMs = documentMs;
  if (typeof initOptions.requestWaitMs === 'number' && Number.isFinite(initOptions.requestWaitMs) && initOptions.requestWaitMs >= 0) requestWaitMs = initOptions.requestWaitMs;
  // Warm up while the client sends its documents: a user opened a file this server serves. The
  // document worker starts (grammars, tokenizer) and this thread, once it has answered, loads the price
  // database a hover's cheaper models need (the worker prices the documents).
  documentPool().warmUp();
  setImmediate(() => state.engine.loadPrices());
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      notebookDocumentSync: { notebookSelector: [{ notebook: { notebookType: 'jupyter-notebook', scheme: 'file' }, cells: [{ language: 'python' }] }] },
      hoverProvider: true,
      codeLensProvider: { resolveProvider: false },
      inlayHintProvider: true,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite] },
    },
    serverInfo: { name: 'prompt-cost', version: TOOL_VERSION },
  };
});

connection.onInitialized(async () => {
  if (canPullConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'promptCost' });
  const before = state.settings;
  settingsPulled = pullSettings().catch(() => undefined).finally(() => {
    settingsArrived = true;
    // Documents analysed while the client had not answered yet (past SETTINGS_WAIT_MS) are brought up to date.
    if (settingsWaitedOut) settingsChanged(before);
  });
  await settingsPulled;
  const cfg = documents.all().find((d) => relOf(d) === CONFIG_FILE);
  if (cfg) state.setConfigText(cfg.getText());
  if (state.root && initOptions.scanOnStart !== false) void runScan();
});

connection.onDidChangeConfiguration(async (change) => {
  const before = state.settings;
  if (canPullConfiguration) await pullSettings();
  else if (change.settings?.promptCost) state.setSettings(toSettings(change.settings.promptCost));
  settingsChanged(before);
});

/** Settings changed from `before` to the state's: detect again what they change, re-publish the rest. */
function settingsChanged(before: typeof state.settings): void {
  const after = state.settings;
  if (after.heuristics !== before.heuristics || JSON.stringify(after.exclude) !== JSON.stringify(before.exclude)) {
    // What is found changed, not only what it costs: detect the open documents again, and rescan.
    if (after.heuristics !== before.heuristics) {
      const openNotebooks = [...notebookVersion.keys()];
      analysedVersion.clear();
      notebookVersion.clear();
      for (const d of documents.all()) if (relOf(d) !== CONFIG_FILE) void analyseCurrent(d.uri);
      for (const uri of openNotebooks) {
        const nb = notebooks.getNotebookDocument(uri);
        if (nb) void analysisOf(nb.uri, nb.version, analyseNotebook);
      }
    }
    if (state.scan) void runScan();
  }
  republishAll();
}

documents.onDidChangeContent((e) => {
  const rel = relOf(e.document);
  if (rel === CONFIG_FILE) {
    state.setConfigText(e.document.getText());
    publish(e.document);
    republishAll();
    return;
  }
  if (rel && isCandidate(rel)) schedule(e.document);
  if (rel) scheduleReaders(rel);
});

// Opening a file is not typing: analyse it now, not after the debounce.
documents.onDidOpen((e) => {
  const rel = relOf(e.document);
  if (rel && rel !== CONFIG_FILE && isCandidate(rel)) void analyseCurrent(e.document.uri);
});

documents.onDidClose((e) => {
  const rel = relOf(e.document);
  clearTimeout(timers.get(e.document.uri));
  storeNow(e.document.uri);
  analysedVersion.delete(e.document.uri);
  if (!rel) return;
  if (rel === CONFIG_FILE) {
    state.setConfigText(undefined);
    republishAll();
  } else {
    state.open.delete(rel);
    readsOf.delete(rel);
    scheduleReaders(rel); // its readers read the disk's text now
  }
  connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  totalsSoon();
});

connection.onDidChangeWatchedFiles(async (e) => {
  if (!state.root) return;
  let changed = false;
  let rescan = false;
  const redetect: string[] = [];
  for (const c of e.changes) {
    if (!c.uri.startsWith('file:')) continue;
    const rel = state.relative(fileURLToPath(c.uri));
    if (rel === CONFIG_FILE) {
      if (!openText(rel)) state.setConfigText(undefined);
      // The scan reads the saved file: saved excludes that changed mean another set of files.
      if (state.scan && JSON.stringify(loadConfig(state.root).exclude) !== JSON.stringify(state.scanExclude)) rescan = true;
      changed = true;
    } else if (!openText(rel)) {
      // Changed on disk, held by no editor: the open documents that read it read the disk's text.
      scheduleReaders(rel);
      if (state.scan && isCandidate(rel)) {
        if (c.type === FileChangeType.Deleted) state.scan.detections.delete(rel);
        else redetect.push(rel);
        if (c.type === FileChangeType.Created && !state.scan.files.includes(rel)) state.scan.files.push(rel);
        changed = true;
      }
    }
  }
  if (redetect.length && state.scan) {
    // In a scan worker with the scan's budget, as the scan did: a saved file never blocks this thread.
    const results = await detectInWorkers(redetect, { root: state.root, heuristics: state.settings.heuristics, budgets: scanBudgets() }, 1, () => undefined, undefined, FILE_BUDGET_MS);
    for (const f of redetect) state.scan.detections.delete(f);
    for (const r of results) for (const d of r.detections) state.scan.detections.set(d.file, d);
  }
  if (rescan) void runScan();
  else if (changed) republishAll();
});

// ------------------------------------------------------------------ features

/** Prompts with a part (or the call) at `pos` of `rel` — of its cell `cell` for a notebook. */
function promptsAt(rel: string, pos: { line: number; character: number }, cell?: number): { prompt: PromptReport; range: PromptReport['range'] }[] {
  const hits: { prompt: PromptReport; range: PromptReport['range'] }[] = [];
  for (const p of state.promptsUsing(rel)) {
    if (p.file === rel && p.cell === cell && contains(p.range, pos)) hits.push({ prompt: p, range: p.range });
    for (const part of p.parts) {
      if ((part.file ?? p.file) === rel && part.cell === cell && contains(part.range, pos)) hits.push({ prompt: p, range: part.range });
    }
  }
  return hits.sort((a, b) => size(a.range) - size(b.range));
}

connection.onHover(async (params): Promise<Hover | null> => {
  const t = await target(params.textDocument.uri);
  if (!t) return null;
  const hits = promptsAt(t.rel, params.position, t.cell);
  if (!hits.length) {
    // Nothing to show yet for a document still being analysed for the first time: say so.
    return t.stale && !state.detection(t.rel) ? { contents: { kind: 'markdown', value: '_Prompt Cost is still analysing this file: hover again in a moment._' } } : null;
  }
  const [first] = hits;
  const others = [...new Set(hits.map((h) => h.prompt))].filter((p) => p !== first.prompt);
  let md = breakdownMarkdown(first.prompt, priceDataInfo(), cheaperAlternatives(first.prompt));
  if (others.length) md += `\n\n_Also used by ${others.map((p) => `\`${p.id}\``).join(', ')}._`;
  if (t.stale) md += '\n\n_Prompt Cost is still analysing the latest changes: these figures are from before them._';
  return { contents: { kind: 'markdown', value: md }, range: first.range };
});

connection.onCodeLens(async (params): Promise<CodeLens[]> => {
  if (state.settings.inline !== 'codeLens') return [];
  const t = await target(params.textDocument.uri);
  if (!t) return [];
  return (state.analysis(t.rel)?.prompts ?? []).filter((p) => p.file === t.rel && p.cell === t.cell).map((p) => ({
    range: { start: p.range.start, end: p.range.start },
    command: { title: (p.confidence === 'heuristic' ? '(heuristic) ' : p.confidence === 'shape' ? '(shape) ' : '') + inlineSummary(p), command: 'promptCost.showBreakdown', arguments: [params.textDocument.uri, p.id] },
  }));
});

connection.languages.inlayHint.on(async (params): Promise<InlayHint[]> => {
  if (state.settings.inline !== 'inlayHints') return [];
  const t = await target(params.textDocument.uri);
  if (!t) return [];
  const { doc } = t;
  return (state.analysis(t.rel)?.prompts ?? []).filter((p) => p.file === t.rel && p.cell === t.cell && contains(params.range, p.range.start)).map((p) => {
    const line = p.range.start.line;
    const end = doc.offsetAt({ line: line + 1, character: 0 }) - doc.offsetAt({ line, character: 0 });
    const text = doc.getText({ start: { line, character: 0 }, end: { line, character: end } }).replace(/\r?\n$/, '');
    return { position: { line, character: text.length }, label: inlineSummary(p), paddingLeft: true };
  });
});

// Quick fixes: computed with the analysis, applied as a versioned WorkspaceEdit, so an edit made to the
// document meanwhile makes the editor refuse the fix instead of corrupting the text (and it is undoable).
connection.onCodeAction(async (params): Promise<CodeAction[]> => {
  const t = await target(params.textDocument.uri);
  // An older analysis's edits are for another text: none until this one's is done (the editor asks
  // again when the diagnostics it publishes arrive).
  if (!t || t.stale) return [];
  const a = state.analysis(t.rel);
  const nb = t.cell === undefined ? undefined : notebooks.findNotebookDocumentForCell(params.textDocument.uri);
  const wanted = new Set(params.context.diagnostics.map((d) => String(d.code)));
  const actions: CodeAction[] = [];
  for (const p of a?.prompts ?? []) {
    if (p.file !== t.rel) continue;
    for (const d of p.diagnostics) {
      if (!d.fix || state.isOff(d.code) || d.cell !== t.cell) continue;
      if (!wanted.has(d.code) && !rangesTouch(d.range, params.range)) continue;
      const byFile = new Map<string, TextDocumentEdit>();
      for (const e of d.fix.edits) {
        let uri: string;
        let version: number | null;
        if (e.file) {
          const other = documents.all().find((x) => relOf(x) === e.file);
          uri = other?.uri ?? pathToFileURL(state.absolute(e.file)).href;
          version = other?.version ?? null;
        } else if (nb && e.cell !== undefined) {
          const cell = nb.cells[e.cell];
          const cellDoc = cell && notebooks.getCellTextDocument(cell);
          if (!cellDoc) continue;
          uri = cellDoc.uri;
          version = cellDoc.version;
        } else {
          uri = t.doc.uri;
          version = t.doc.version;
        }
        const entry = byFile.get(uri) ?? { textDocument: { uri, version }, edits: [] };
        entry.edits.push({ range: e.range, newText: e.newText });
        byFile.set(uri, entry);
      }
      actions.push({
        title: d.fix.title, kind: CodeActionKind.QuickFix, isPreferred: true,
        diagnostics: params.context.diagnostics.filter((x) => String(x.code) === d.code),
        edit: { documentChanges: [...byFile.values()] },
      });
    }
  }
  actions.push(...compressActions({ uri: params.textDocument.uri, version: t.doc.version, range: params.range, prompts: a?.prompts ?? [], detected: state.detection(t.rel)?.detected, rel: t.rel, cell: t.cell, diagnostics: params.context.diagnostics, only: params.context.only }));
  return actions;
});

function rangesTouch(a: { start: { line: number }; end: { line: number } }, b: { start: { line: number }; end: { line: number } }): boolean {
  return a.start.line <= b.end.line && b.start.line <= a.end.line;
}

// Reports price the whole workspace: between other requests (priceAll), then all at once from what is priced.
connection.onRequest(ReportRequest, async () => (await state.priceAll(), state.report()));
connection.onRequest(ReportMarkdownRequest, async () => (await state.priceAll(), formatMarkdown(state.report())));
connection.onRequest(ReportViewRequest, async () => (await state.priceAll(), reportView(state)));
connection.onRequest(BreakdownRequest, async (p: BreakdownParams) => {
  const t = await target(p.uri);
  const rel = t ? t.rel : p.uri.startsWith('file:') ? state.relative(fileURLToPath(p.uri)) : undefined;
  const prompt = !rel ? undefined : p.id ? state.analysis(rel)?.prompts.find((x) => x.id === p.id) : p.position ? promptsAt(rel, p.position, t?.cell)[0]?.prompt : undefined;
  return prompt ? breakdownMarkdown(prompt, priceDataInfo(), cheaperAlternatives(prompt)) : null;
});
connection.onRequest(UpdatePricesRequest, async () => {
  // Only on the user's command (the client sends it from trusted workspaces only); the URL is the
  // published one, or PROMPT_COST_PRICES_URL of this process: no workspace file can change it.
  const result = await refreshPrices();
  if (result.ok) {
    state.pricesChanged();
    republishAll();
  }
  return result;
});
connection.onRequest(RescanRequest, async () => {
  await runScan();
  await state.priceAll();
  return state.report().totals;
});

registerCompress(connection, {
  // A cell: the whole notebook's live text too (compress plans on the cells joined, as they are analysed).
  // Compress edits the text: it waits for the document's own analysis, however long.
  target: async (uri) => {
    const t = await target(uri, true);
    const nb = t?.cell !== undefined ? notebooks.findNotebookDocumentForCell(uri) : undefined;
    return t && nb ? { ...t, notebookText: notebookJson(nb) } : t;
  },
  options: (rel) => ({ ...state.priceOptions(), ...detectOptions(rel) }),
  promptsUsing: (rel) => state.promptsUsing(rel),
});

connection.onShutdown(() => {
  storeNow();
  pool?.dispose();
});

documents.listen(connection);
notebooks.listen(connection);
connection.listen();
