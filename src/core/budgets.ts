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

export interface FileBudgets {
  /** tree-sitter parsing one file, imported files each on their own (ms). */
  parseMs: number;
  /** Evaluating the prompt text of one file's calls and constants (ms). */
  evaluateMs: number;
  /** Text counted exactly for one file's prompts (UTF-8 bytes); past it, counts are estimated. */
  countBytes: number;
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

/** A budget started now: `passed` is cheap enough to ask often; `check` throws BudgetExceeded. */
export class Deadline {
  readonly at: number;

  constructor(readonly budget: BudgetName, readonly limitMs: number, readonly file: string) {
    this.at = performance.now() + limitMs;
  }

  static start(budget: 'parse' | 'evaluate', budgets: Partial<FileBudgets> | undefined, file: string): Deadline {
    return new Deadline(budget, budgets?.[KEY[budget]] ?? DEFAULT_BUDGETS[KEY[budget]], file);
  }

  get passed(): boolean {
    return performance.now() > this.at;
  }

  check(): void {
    if (this.passed) throw new BudgetExceeded(this.budget, this.limitMs, this.file);
  }
}
