// Per-file budgets of the engine: how long parsing, evaluating and counting one file may take. Hostile
// or pathological input (a grammar gone quadratic, values built to blow up) must cost at most these,
// in a scan worker as in the language server's own thread. What hits one is said by name:
//   parse, evaluate  → the file is skipped, `BudgetExceeded.reason` naming the budget;
//   count            → the rest of the file's text is estimated, with a note naming the budget.
// Parsing and evaluation are bounded in time (their cost on hostile input is what varies). Counting is
// linear once long pieces are split, so its budget is a size: a time budget made the same file's
// figures depend on the machine's load (the first count includes loading the encoder), and a cost
// gate must give the same number on every run.
// The server and the fuzz suite set their own (`new Engine({ budgets })` or `engine.budgets = …`).

import * as os from 'os';

export interface FileBudgets {
  /** tree-sitter parsing one file, imported files each on their own (ms). */
  parseMs: number;
  /** Evaluating the prompt text of one file's calls and constants (ms). */
  evaluateMs: number;
  /** Text counted exactly for one file's prompts (UTF-8 bytes); past it, counts are estimated. */
  countBytes: number;
  /**
   * Time parse and evaluate by the wall clock alone. The editor sets it: there a person waits, and a
   * busy machine should cut a slow file sooner, not later. Batch runs (scan, CI gates) leave it unset so
   * that a loaded machine does not change what is skipped (see Deadline).
   */
  wallClock?: boolean;
}

export const DEFAULT_BUDGETS: Readonly<FileBudgets> = { parseMs: 2000, evaluateMs: 2000, countBytes: 8 * 1024 * 1024 };

/** What is left of a file's count budget while it is priced. */
export interface CountBudget { limitBytes: number; remainingBytes: number }

export function startCountBudget(budgets: Partial<FileBudgets> | undefined): CountBudget {
  const limitBytes = budgets?.countBytes ?? DEFAULT_BUDGETS.countBytes;
  return { limitBytes, remainingBytes: limitBytes };
}

export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${+(bytes / 1024 / 1024).toFixed(1)} MB` : bytes >= 1024 ? `${+(bytes / 1024).toFixed(1)} KB` : `${bytes} bytes`;
}

export type BudgetName = 'parse' | 'evaluate' | 'count';

const KEY: Record<'parse' | 'evaluate', 'parseMs' | 'evaluateMs'> = { parse: 'parseMs', evaluate: 'evaluateMs' };

export function formatMs(ms: number): string {
  return ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`;
}

/** Thrown out of detection when a budget is spent; callers list the file as skipped with `reason`. */
export class BudgetExceeded extends Error {
  constructor(readonly budget: BudgetName, readonly limitMs: number, readonly file: string) {
    super(`${file}: ${budget === 'parse' ? 'parsing' : 'evaluating its prompts'} took longer than the ${formatMs(limitMs)} ${budget} budget`);
    this.name = 'BudgetExceeded';
  }

  /** The skip reason: which budget, how long. */
  get reason(): string {
    return `${this.budget} budget exceeded: ${this.budget === 'parse' ? 'parsing' : 'evaluating its prompts'} took longer than ${formatMs(this.limitMs)}; not analysed`;
  }
}

export function isBudgetExceeded(e: unknown): e is BudgetExceeded {
  return e instanceof BudgetExceeded;
}

/**
 * A budget started now: `passed` is cheap enough to ask often; `check` throws BudgetExceeded.
 *
 * A budget is spent when both the wall clock and the process's CPU time have run past the limit. On an
 * idle machine the two advance together for the single thread doing the work, so this is the wall-clock
 * budget; on a loaded one (CI neighbours, a laptop compiling) the wall clock runs ahead of the work
 * done, and a file that fits its budget on a quiet machine must not be skipped because the machine was
 * busy: that made the same scan give different totals run to run. CPU time is the whole process's
 * (Node 20 has no per-thread figure), so with busy worker threads it runs ahead of the wall clock and
 * the wall clock decides, as before. The CPU figure (a getrusage call) is read only once the wall clock
 * has passed, so asking stays as cheap as `performance.now()`; and after each read, not again before
 * the CPU time could have reached the limit (it runs at most one core per core ahead of the clock): on
 * a loaded machine, past the wall clock, every check read it (7% of a slow file's time).
 */
export class Deadline {
  readonly at: number;
  private readonly cpuStartUs: number;
  private spent = false;
  /** The wall-clock time before which `passed` does not read the CPU figure again. */
  private nextRead: number;

  constructor(readonly budget: BudgetName, readonly limitMs: number, readonly file: string, private readonly cpuUs: (() => number) | null = processCpuUs) {
    this.at = performance.now() + limitMs;
    this.nextRead = this.at;
    this.cpuStartUs = cpuUs?.() ?? 0;
  }

  static start(budget: 'parse' | 'evaluate', budgets: Partial<FileBudgets> | undefined, file: string): Deadline {
    return new Deadline(budget, budgets?.[KEY[budget]] ?? DEFAULT_BUDGETS[KEY[budget]], file, budgets?.wallClock ? null : processCpuUs);
  }

  get passed(): boolean {
    if (this.spent) return true;
    const now = performance.now();
    if (now <= this.nextRead) return false;
    if (!this.cpuUs) return (this.spent = true);
    const leftMs = this.limitMs - (this.cpuUs() - this.cpuStartUs) / 1000;
    if (leftMs < 0) return (this.spent = true);
    this.nextRead = now + leftMs / CORES;
    return false;
  }

  check(): void {
    if (this.passed) throw new BudgetExceeded(this.budget, this.limitMs, this.file);
  }
}

/** How many threads can run at once: how far ahead of the wall clock the process's CPU time can run. */
const CORES = Math.max(1, os.availableParallelism());

function processCpuUs(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}
