// The one HTML shell of the report: the VS Code panel (nonce, the webview's own resource origin) and
// `scan --format html` (everything inlined, allowed by hash) differ only in what the policy allows and
// how the script and style arrive. Both start from `default-src 'none'`: nothing else loads.

export const escapeHtml = (text: string): string => text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

export interface HtmlShell {
  /** Sources each directive allows beyond 'none' (script-src, style-src, img-src …). */
  allow: Record<string, string[]>;
  title: string;
  /** Extra <head> markup: the stylesheet (a <link> or an inlined <style>), meta tags. */
  head: string[];
  /** After the report's <main>: its data and script elements. */
  body: string[];
}

export function reportShell(s: HtmlShell): string {
  const csp = [`default-src 'none'`, ...Object.entries(s.allow).map(([directive, sources]) => `${directive} ${sources.join(' ')}`), `base-uri 'none'`, `form-action 'none'`].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
${[...s.head, `<title>${escapeHtml(s.title)}</title>`].join('\n')}
</head>
<body>
<main id="prompt-cost-report"></main>
${s.body.join('\n')}
</body>
</html>
`;
}
