// A document the engine could not analyse — a per-file budget spent (budgets.ts), or a bug — still gets
// an answer: a detection with no prompts and one `file-not-analysed` diagnostic saying why. Recording it
// as that version's result matters as much as the message: otherwise every request on the document
// would run the failing analysis again and wait out its budget each time.
import type { Detection } from '../core/analyze';
import { isBudgetExceeded } from '../core/budgets';

export function failedDetection(rel: string, text: string, error: unknown): Detection {
  return notAnalysed(rel, text, isBudgetExceeded(error) ? error.reason : `analysis failed: ${(error as Error)?.message ?? String(error)}`);
}

/** The detection of a document not analysed for `reason` (which budget, or what failed). */
export function notAnalysed(rel: string, text: string, reason: string): Detection {
  return {
    file: rel, text, detected: [],
    diagnostics: [{
      code: 'file-not-analysed', severity: 'warning', file: rel, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      message: `${rel}: ${reason}. Its prompts are not shown until it is analysed (an edit tries again).`,
    }],
  };
}
