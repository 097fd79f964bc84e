// Core results → LSP shapes. Ranges already are LSP ranges (0-based, UTF-16); severities and diagnostic
// metadata are the only translation.
import * as path from 'path';
import { pathToFileURL } from 'url';
import { DiagnosticSeverity, type Diagnostic as LspDiagnostic, type Position, type Range } from 'vscode-languageserver';
import type { Diagnostic, Severity } from '../core/model';
import { DIAGNOSTIC_CODES } from '../core/rules';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, information: DiagnosticSeverity.Information, hint: DiagnosticSeverity.Hint,
};

/** The docs folder shipped beside the bundle (dist/../docs), or the repository's when run from source. */
export function docsDir(): string {
  return path.join(__dirname, '..', 'docs', 'diagnostics');
}

export function toLspDiagnostic(d: Diagnostic): LspDiagnostic {
  const meta = DIAGNOSTIC_CODES[d.code];
  return {
    range: d.range,
    severity: SEVERITY[d.severity],
    code: d.code,
    source: 'prompt-cost',
    message: d.message,
    ...(meta ? { codeDescription: { href: pathToFileURL(path.join(docsDir(), meta.docs)).href } } : {}),
  };
}

export function contains(r: Range, p: Position): boolean {
  if (p.line < r.start.line || p.line > r.end.line) return false;
  if (p.line === r.start.line && p.character < r.start.character) return false;
  if (p.line === r.end.line && p.character > r.end.character) return false;
  return true;
}

/** Smaller ranges are more specific: a message inside a call beats the call. */
export function size(r: Range): number {
  return (r.end.line - r.start.line) * 10_000 + (r.end.character - r.start.character);
}
