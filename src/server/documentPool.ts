// The main thread's side of the document worker (documentWorker.ts): open documents are detected and
// counted there, one after the other, so that no analysis — however hostile the document — runs on the
// thread that answers requests. Each analysis has a time budget: past it the worker is stopped (and a
// fresh one started for the next document), and the document gets a `file-not-analysed` diagnostic
// naming the budget. A worker that dies (out of memory, a crash) costs its document the same, never
// the server.
import * as fs from 'fs';
import * as path from 'path';
import { Worker } from 'worker_threads';
import type { Detection, FileAnalysis, PriceOptions } from '../core/analyze';
import type { FileBudgets } from '../core/budgets';
import { formatMs } from '../core/budgets';
import { langForFile } from '../core/detect/code';
import type { ReadDigests } from '../core/detectionCache';
import { notAnalysed } from './failedAnalysis';

export interface DocumentWorkerData { role?: 'documents'; root: string | undefined; budgets: Partial<FileBudgets> }

export type ToDocumentWorker =
  /** The open documents' text that changed since the last message (imports read it before the disk). */
  | { type: 'texts'; set: [string, string][]; drop: string[] }
  | { type: 'analyse'; id: number; rel: string; text: string; heuristics: boolean; priceOptions: PriceOptions };

export type FromDocumentWorker =
  | { type: 'started'; id: number }
  | { type: 'done'; id: number; detection: Detection; analysis?: FileAnalysis; counts: [string, number][]; reads?: ReadDigests; error?: string };

/** What a document's analysis needs, read when its turn comes (undefined: no longer wanted). */
export interface DocumentJob {
  rel: string;
  current(): { text: string; heuristics: boolean; priceOptions: PriceOptions } | undefined;
}

export interface DocumentResult {
  /** The text analysed (the job's text when its turn came). */
  text: string;
  detection: Detection;
  /** The detection priced with the job's price options (absent when not analysed). */
  analysis?: FileAnalysis;
  /** Token counts the detection's pricing uses (TokenCounter.seed). */
  counts: [string, number][];
  /** What the detection read, for the detection cache; absent when it was not analysed. */
  reads?: ReadDigests;
  /** A failure to log (a bug, the worker lost); budget stops are not logged. */
  error?: string;
}

/** Longest one document's detection and counting may take in the language server (ms). */
export const DOCUMENT_BUDGET_MS = 4000;
/** The least budget of a new worker's first document (ms). */
const COLD_BUDGET_MS = 15_000;

export function documentBudgetReason(ms: number): string {
  return `analysis budget exceeded: the language server stopped analysing it after ${formatMs(ms)}; not analysed`;
}

/** The worker script (documents, or the scan: scanHost.ts): the bundle's sibling when bundled, the TypeScript source under tsx in development. */
export function workerEntry(): { file: string; execArgv?: string[] } {
  const bundled = path.join(__dirname, 'documentWorker.js');
  if (fs.existsSync(bundled)) return { file: bundled };
  return { file: path.join(__dirname, 'documentWorker.ts'), execArgv: ['--require', 'tsx/cjs'] };
}

/** What kind of document needs which start-up (a grammar, or none): requests wait out a kind's first one. */
const kindOf = (rel: string) => langForFile(rel) ?? 'prompt-file';

interface Running { id: number; rel: string; text: string; resolve: (r: DocumentResult) => void; watchdog?: NodeJS.Timeout }

export class DocumentPool {
  private worker: Worker | undefined;
  private readonly queue: { job: DocumentJob; resolve: (r: DocumentResult | undefined) => void }[] = [];
  private running: Running | undefined;
  private nextId = 1;
  /** The open documents' text as the current worker has it. */
  private sent = new Map<string, string>();
  private readonly warmed = new Map<string, { done: Promise<void>; resolve: () => void }>();
  private disposed = false;
  /** Documents the current worker has analysed (its first runs cold: see COLD_BUDGET_MS). */
  private analysedInWorker = 0;

  constructor(private readonly o: { root: string | undefined; budgets: Partial<FileBudgets>; budgetMs: number; openTexts: () => Map<string, string> }) {}

  /** Starts the worker now (it loads tree-sitter and the tokenizer as it starts), not with the first document. */
  warmUp(): void {
    if (!this.worker && !this.disposed) this.start();
  }

  /** Queues `job`; resolves with its result, or undefined when it was no longer wanted at its turn. */
  analyse(job: DocumentJob): Promise<DocumentResult | undefined> {
    return new Promise((resolve) => {
      this.queue.push({ job, resolve });
      this.pump();
    });
  }

  /**
   * Resolves once a document of `rel`'s kind has been analysed in this session: the worker started, its
   * grammar compiled, the tokenizer loaded. Until then a request waits for its document (a cold start
   * must answer with the prompt, not with "still analysing"); after, it waits a bounded time.
   */
  warm(rel: string): Promise<void> {
    return this.warmth(kindOf(rel)).done;
  }

  private warmth(kind: string): { done: Promise<void>; resolve: () => void } {
    let w = this.warmed.get(kind);
    if (!w) {
      let resolve!: () => void;
      const done = new Promise<void>((r) => (resolve = r));
      this.warmed.set(kind, (w = { done, resolve }));
    }
    return w;
  }

  dispose(): void {
    this.disposed = true;
    for (const q of this.queue.splice(0)) q.resolve(undefined);
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private pump(): void {
    while (!this.running && this.queue.length && !this.disposed) {
      const { job, resolve } = this.queue.shift()!;
      const now = job.current();
      if (!now) {
        resolve(undefined);
        continue;
      }
      const w = this.worker ?? this.start();
      this.syncTexts(w);
      const id = this.nextId++;
      this.running = { id, rel: job.rel, text: now.text, resolve };
      w.postMessage({ type: 'analyse', id, rel: job.rel, text: now.text, heuristics: now.heuristics, priceOptions: now.priceOptions } satisfies ToDocumentWorker);
    }
  }

  private syncTexts(w: Worker): void {
    const texts = this.o.openTexts();
    const set: [string, string][] = [];
    const drop: string[] = [];
    for (const [rel, text] of texts) if (this.sent.get(rel) !== text) set.push([rel, text]);
    for (const rel of this.sent.keys()) if (!texts.has(rel)) drop.push(rel);
    if (!set.length && !drop.length) return;
    this.sent = new Map(texts);
    w.postMessage({ type: 'texts', set, drop } satisfies ToDocumentWorker);
  }

  private start(): Worker {
    const entry = workerEntry();
    const data: DocumentWorkerData = { root: this.o.root, budgets: this.o.budgets };
    // A heap bound: a document built to exhaust memory stops the worker, not the server.
    const w = new Worker(entry.file, { execArgv: entry.execArgv, workerData: data, resourceLimits: { maxOldGenerationSizeMb: 1024 } });
    this.worker = w;
    this.sent = new Map();
    this.analysedInWorker = 0;
    w.on('message', (m: FromDocumentWorker) => {
      const r = this.running;
      if (w !== this.worker || !r || m.id !== r.id) return;
      if (m.type === 'started') {
        // A new worker's first document runs cold (its code not compiled yet, on a machine that may be
        // starting an editor): a wider budget, so that the first hover of a session is not a budget's cut.
        const ms = this.analysedInWorker === 0 ? Math.max(this.o.budgetMs * 5, COLD_BUDGET_MS) : this.o.budgetMs;
        r.watchdog = setTimeout(() => this.stop(w, documentBudgetReason(ms)), ms);
        return;
      }
      this.analysedInWorker++;
      this.finish({ text: r.text, detection: m.detection, ...(m.analysis ? { analysis: m.analysis } : {}), counts: m.counts, ...(m.reads ? { reads: m.reads } : {}), ...(m.error ? { error: m.error } : {}) });
    });
    w.on('error', (e) => this.stop(w, `analysis failed: the document worker stopped (${e.message})`, e.stack));
    w.on('exit', (code) => this.stop(w, `analysis failed: the document worker exited (code ${code})`));
    return w;
  }

  /** Ends the running analysis with `reason` and drops `w`: the next document gets a new worker. */
  private stop(w: Worker, reason: string, error?: string): void {
    if (w !== this.worker) return;
    this.worker = undefined;
    void w.terminate();
    const r = this.running;
    if (r) this.finish({ text: r.text, detection: notAnalysed(r.rel, r.text, reason), counts: [], ...(error ? { error } : {}) });
  }

  private finish(result: DocumentResult): void {
    const r = this.running!;
    clearTimeout(r.watchdog);
    this.running = undefined;
    this.warmth(kindOf(r.rel)).resolve();
    r.resolve(result);
    this.pump();
  }
}
