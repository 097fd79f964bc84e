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
import { ensureLanguages, langForFile } from '../core/detect/code';
import { formatMarkdown } from '../core/report/markdown';
import { breakdownMarkdown, inlineSummary } from '../core/report/breakdown';
import { priceDataInfo } from '../core/prices/refresh';
import { refreshPrices } from '../core/prices/lookup';
import type { PromptReport } from '../core/model';
import { cheaperAlternatives } from '../core/routing';
import { toSettings } from '../core/settings';
import { TOOL_VERSION } from '../core/version';
import { detectBatch, detectWorkspace, isCandidate, loadConfig, looksMinified, MAX_FILE_BYTES } from '../core/workspace';
import type { DetectOptions } from '../core/analyze';
import { DetectionCache } from '../core/detectionCache';
import { refusalDiagnostics, type Refusal } from '../core/fileAccess';
import { isBudgetExceeded } from '../core/budgets';
import { failedDetection } from './failedAnalysis';
import { contains, size, toLspDiagnostic } from './convert';
import { reportView } from './reportView';
import { BreakdownRequest, ReportMarkdownRequest, ReportRequest, ReportViewRequest, RescanRequest, TotalsNotification, UpdatePricesRequest, type BreakdownParams, type Totals } from './protocol';
import { WorkspaceState } from './workspaceState';
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
/** The engine's warm-up, started at initialize; the first pricing waits for it rather than loading twice. */
let prepared: Promise<void> = Promise.resolve();
const timers = new Map<string, NodeJS.Timeout>();
const inFlight = new Map<string, { version: number | undefined; done: Promise<void> }>();

function schedule(doc: TextDocument): void {
  clearTimeout(timers.get(doc.uri));
  timers.set(doc.uri, setTimeout(() => void analyseCurrent(doc.uri), state.settings.debounceMs));
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
    return;
  }
  // A document opened unchanged since an earlier session: its stored detection, and a parse in the background.
  const stored = !analysedVersion.has(uri) && !state.open.has(rel) ? detections.get(rel, doc.getText(), detectOptions(rel)) : undefined;
  if (stored) {
    state.engine.counter.seed(stored.counts);
    state.open.set(rel, stored.detection);
  } else {
    const lang = langForFile(rel);
    if (lang) {
      const grammar = ensureLanguages([lang]);
      state.engine.loadPrices(); // the first time, while the grammar compiles in the background
      await grammar;
    }
    const current = documents.get(uri);
    if (!current || current.version !== version) return; // edited while the grammar loaded: a newer run is scheduled
    try {
      const text = current.getText();
      const refusals: Refusal[] = [];
      const options = detectOptions(rel, (r) => refusals.push(r));
      const recorded = DetectionCache.recording(options);
      const detection = state.engine.detectSync(rel, text, recorded.options);
      detection.diagnostics.push(...refusalDiagnostics(rel, detection.text, refusals));
      state.open.set(rel, detection);
      storeSoon(uri, () => detections.put(rel, text, options, detection, recorded.reads, state.countsUsedBy(detection)));
    } catch (e) {
      if (!isBudgetExceeded(e)) connection.console.error(`prompt-cost: analysing ${rel} failed: ${(e as Error).stack ?? e}`);
      // This version's result: requests answer from it instead of running the failing analysis again.
      state.open.set(rel, failedDetection(rel, current.getText(), e));
    }
  }
  // Publishing prices the detection: wait for the tokenizer, unless the stored counts cover it.
  if (!stored) await prepared;
  const current = documents.get(uri);
  if (!current || current.version !== version) return; // edited meanwhile: a newer run is scheduled
  analysedVersion.set(uri, version);
  publish(current);
  totalsSoon();
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
  const lang = langForFile(rel);
  if (lang) await ensureLanguages([lang]);
  const current = documents.get(uri);
  if (!current || current.version !== version) return;
  try {
    const refusals: Refusal[] = [];
    const detection = state.engine.detectSync(rel, current.getText(), detectOptions(rel, (r) => refusals.push(r)));
    detection.diagnostics.push(...refusalDiagnostics(rel, detection.text, refusals));
    const stored = state.open.get(rel);
    if (stored && JSON.stringify({ ...stored, text: '' }) === JSON.stringify({ ...detection, text: '' })) return;
    state.open.set(rel, detection);
    if (analysedVersion.get(uri) === version) publish(current);
    totalsSoon();
  } catch (e) {
    connection.console.error(`prompt-cost: analysing ${rel} failed: ${(e as Error).stack ?? e}`);
  }
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

/** Requests answer from the document's current text: run a pending analysis first. */
async function fresh(uri: string): Promise<TextDocument | undefined> {
  const doc = documents.get(uri);
  if (!doc) return undefined;
  if (analysedVersion.get(uri) !== doc.version) await analyseCurrent(uri);
  return documents.get(uri);
}

function publish(doc: TextDocument): void {
  const rel = relOf(doc);
  if (!rel) return;
  if (rel === CONFIG_FILE) {
    connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics: state.isOff('invalid-config') ? [] : state.config.problems.map((p) => toLspDiagnostic({ code: 'invalid-config', severity: state.severities()['invalid-config'] ?? 'error', message: p.message, range: p.range })) });
    return;
  }
  const a = state.analysis(rel);
  const diagnostics = [
    ...(a?.diagnostics ?? []).filter((d) => !d.file || d.file === rel),
    ...(a?.prompts ?? []).filter((p) => p.file === rel && p.cell === undefined).flatMap((p) => p.diagnostics),
  ].filter((d) => !state.isOff(d.code));
  connection.sendDiagnostics({ uri: doc.uri, version: analysedVersion.get(doc.uri), diagnostics: diagnostics.map(toLspDiagnostic) });
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
  const grammar = ensureLanguages(['python']);
  state.engine.loadPrices();
  await grammar;
  const current = notebooks.getNotebookDocument(uri);
  if (!current || current.version !== version) return; // changed meanwhile: a newer run is scheduled
  try {
    const refusals: Refusal[] = [];
    const detection = state.engine.detectSync(rel, notebookJson(current), detectOptions(rel, (r) => refusals.push(r)));
    detection.diagnostics.push(...refusalDiagnostics(rel, detection.text, refusals));
    state.open.set(rel, detection);
  } catch (e) {
    if (!isBudgetExceeded(e)) connection.console.error(`prompt-cost: analysing ${rel} failed: ${(e as Error).stack ?? e}`);
    const failed = failedDetection(rel, '', e);
    for (const d of failed.diagnostics) d.cell = 0; // a notebook's diagnostics go to a cell: the first
    state.open.set(rel, failed);
  }
  await prepared;
  if (notebooks.getNotebookDocument(uri)?.version !== version) return;
  notebookVersion.set(uri, version);
  publishNotebook(current);
  totalsSoon();
}

async function freshNotebook(nb: NotebookDocument): Promise<void> {
  if (notebookVersion.get(nb.uri) !== nb.version) await analysisOf(nb.uri, nb.version, analyseNotebook);
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

/** What a request's document is: a file (or untitled) document, or a cell of an open notebook. */
async function target(uri: string): Promise<{ doc: TextDocument; rel: string; cell?: number } | undefined> {
  const cell = notebooks.getNotebookCell(uri);
  if (cell) {
    const nb = notebooks.findNotebookDocumentForCell(cell);
    const rel = nb && notebookRel(nb);
    if (!nb || !rel) return undefined;
    await freshNotebook(nb);
    const doc = notebooks.getCellTextDocument(cell);
    return doc ? { doc, rel, cell: nb.cells.indexOf(cell) } : undefined;
  }
  const doc = await fresh(uri);
  const rel = doc && relOf(doc);
  return doc && rel ? { doc, rel } : undefined;
}

// ------------------------------------------------------------------ totals and the workspace scan

let totalsTimer: NodeJS.Timeout | undefined;
function totalsSoon(): void {
  if (totalsTimer) return;
  totalsTimer = setTimeout(() => {
    totalsTimer = undefined;
    const r = state.report();
    const totals: Totals = { ...r.totals, scanning: state.scanning, pricesAsOf: priceDataInfo().asOf };
    void connection.sendNotification(TotalsNotification, totals);
  }, 100);
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
    const scan = await detectWorkspace({
      root: state.root, exclude: state.settings.exclude, heuristics: state.settings.heuristics, signal: abort.signal,
      // Off the main thread, with a per-file budget: the scan never keeps a request waiting.
      minWorkers: 1,
      onProgress: (done, total) => progress?.report(total ? Math.round((done / total) * 100) : 0, `${done}/${total} files`),
    });
    if (!abort.signal.aborted) {
      state.scan = scan;
      state.scanExclude = scan.config.exclude;
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
 * `budgets` sets the engine's per-file budgets (budgets.ts) — the editor's choice, never a workspace file's.
 */
let initOptions: { scanOnStart?: boolean; settings?: unknown; budgets?: Record<string, unknown> } = {};

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
  // Warm up while the client sends its documents: a user opened a file this server serves.
  prepared = state.engine.prepare();
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
        if (nb) void freshNotebook(nb);
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
});

// Opening a file is not typing: analyse it now, not after the debounce.
documents.onDidOpen((e) => {
  const rel = relOf(e.document);
  if (rel && rel !== CONFIG_FILE && isCandidate(rel)) void fresh(e.document.uri);
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
  } else state.open.delete(rel);
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
    } else if (state.scan && isCandidate(rel) && !openText(rel)) {
      if (c.type === FileChangeType.Deleted) state.scan.detections.delete(rel);
      else redetect.push(rel);
      if (c.type === FileChangeType.Created && !state.scan.files.includes(rel)) state.scan.files.push(rel);
      changed = true;
    }
  }
  if (redetect.length && state.scan) {
    const r = await detectBatch(redetect, { root: state.root, heuristics: state.settings.heuristics }, state.engine);
    for (const f of redetect) state.scan.detections.delete(f);
    for (const d of r.detections) state.scan.detections.set(d.file, d);
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
  if (!hits.length) return null;
  const [first] = hits;
  const others = [...new Set(hits.map((h) => h.prompt))].filter((p) => p !== first.prompt);
  let md = breakdownMarkdown(first.prompt, priceDataInfo(), cheaperAlternatives(first.prompt));
  if (others.length) md += `\n\n_Also used by ${others.map((p) => `\`${p.id}\``).join(', ')}._`;
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
  if (!t) return [];
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

connection.onRequest(ReportRequest, () => state.report());
connection.onRequest(ReportMarkdownRequest, () => formatMarkdown(state.report()));
connection.onRequest(ReportViewRequest, () => reportView(state));
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
  return state.report().totals;
});

registerCompress(connection, {
  // A cell: the whole notebook's live text too (compress plans on the cells joined, as they are analysed).
  target: async (uri) => {
    const t = await target(uri);
    const nb = t?.cell !== undefined ? notebooks.findNotebookDocumentForCell(uri) : undefined;
    return t && nb ? { ...t, notebookText: notebookJson(nb) } : t;
  },
  options: (rel) => ({ ...state.priceOptions(), ...detectOptions(rel) }),
});

connection.onShutdown(() => storeNow());

documents.listen(connection);
notebooks.listen(connection);
connection.listen();
